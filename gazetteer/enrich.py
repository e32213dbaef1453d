"""``gazetteer enrich``: opt-in online geocoding of places that only inherit a point.

Off by default and never run by the build or the app: nothing is downloaded at run time. Each
answer (or error) is cached in the SQLite file's ``geocode_cache`` table keyed by (path,
geocoder), so a second run asks only for what is missing and ``gazetteer build`` carries the
cache over into a rebuilt file. A hit outside the place's county polygon is recorded as an error,
not applied; every error is reported at the end, never silently dropped.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gazetteer.coords import is_in_china
from gazetteer.polygons import contains_point, county_geometry

USER_AGENT = "timeline-mapper-gazetteer/0.1 (offline news mapper; enrichment is opt-in)"


@dataclass(frozen=True, slots=True)
class Target:
    """A place to geocode."""

    id: int
    path: str
    adcode: str | None


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result for one target: a WGS84 point or an error message."""

    target: Target
    point: tuple[float, float] | None
    raw: str
    error: str | None


def query_of(path: str) -> str:
    """The free-text query for an admin path: finest unit first, then its containers, then the country.

    >>> query_of("山东省/枣庄市/薛城区/常庄街道")
    '常庄街道, 薛城区, 枣庄市, 山东省, 中国'
    """
    return ", ".join([*reversed(path.split("/")), "中国"])


def select_targets(conn: sqlite3.Connection, geocoder: str, level: str, under: str, limit: int) -> list[Target]:
    """Places of ``level`` under ``under`` without their own point and not yet asked of ``geocoder``."""
    rows = conn.execute(
        "SELECT id, path, adcode FROM places WHERE level = ? AND geo_precision > 1 AND path LIKE ? "
        "AND path NOT IN (SELECT path FROM geocode_cache WHERE geocoder = ?) ORDER BY id LIMIT ?",
        (level, f"{under}%", geocoder, limit),
    )
    return [Target(*row) for row in rows]


def check_point(target: Target, lon: float, lat: float) -> str | None:
    """Why a geocoded point cannot be the target's (outside China, outside its county), or None."""
    if not is_in_china(lon, lat):
        return f"point {lon:.5f},{lat:.5f} is outside China"
    geometry = county_geometry(target.adcode or "")
    if geometry is not None and not contains_point(geometry, lon, lat):
        return f"point {lon:.5f},{lat:.5f} is outside county {target.adcode}"
    return None


def geocode_all(targets: list[Target], geocode: Callable[[str], Any]) -> list[Outcome]:
    """Ask ``geocode`` (a rate-limited geopy callable) for each target; errors become outcomes."""
    from geopy.exc import GeopyError  # noqa: PLC0415 (geopy only when enriching)

    outcomes = []
    for target in targets:
        try:
            location = geocode(query_of(target.path))
        except GeopyError as exc:
            outcomes.append(Outcome(target, None, "", f"{type(exc).__name__}: {exc}"))
            continue
        if location is None:
            outcomes.append(Outcome(target, None, "", "no result"))
            continue
        lon, lat = float(location.longitude), float(location.latitude)
        raw = json.dumps(location.raw, ensure_ascii=False)[:2000]
        problem = check_point(target, lon, lat)
        outcomes.append(Outcome(target, None if problem else (round(lon, 6), round(lat, 6)), raw, problem))
    return outcomes


def store_outcomes(conn: sqlite3.Connection, geocoder: str, outcomes: list[Outcome]) -> None:
    """Cache every outcome and apply the good points (children that inherited the old point follow)."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    for o in outcomes:
        lon, lat = o.point if o.point else (None, None)
        conn.execute(
            "INSERT OR REPLACE INTO geocode_cache VALUES (?,?,?,?,?,?,?,?)",
            (o.target.path, geocoder, query_of(o.target.path), lon, lat, o.raw, o.error, now),
        )
    apply_cache(conn, geocoder)
    conn.commit()


def apply_cache(conn: sqlite3.Connection, geocoder: str) -> int:
    """Copy cached points onto their places (precision 1) and onto children still inheriting (precision 2)."""
    source_id = _source_id(conn, f"geocoded: {geocoder} (OpenStreetMap contributors, ODbL)")
    kid_source = _source_id(conn, f"point: inherited from township ({geocoder})")
    count = 0
    rows = conn.execute(
        "SELECT p.id, c.lon, c.lat FROM geocode_cache c JOIN places p ON p.path = c.path "
        "WHERE c.geocoder = ? AND c.lon IS NOT NULL AND p.geo_precision > 1",
        (geocoder,),
    ).fetchall()
    for pid, lon, lat in rows:
        conn.execute(
            "UPDATE places SET lon = ?, lat = ?, geo_precision = 1, source_id = ? WHERE id = ?",
            (lon, lat, source_id, pid),
        )
        conn.execute(
            "UPDATE places SET lon = ?, lat = ?, geo_precision = 2, source_id = ? WHERE parent_id = ? AND geo_precision = 3",
            (lon, lat, kid_source, pid),
        )
        count += 1
    return count


def _source_id(conn: sqlite3.Connection, text: str) -> int:
    row = conn.execute("SELECT id FROM sources WHERE text = ?", (text,)).fetchone()
    if row is not None:
        return int(row[0])
    (top,) = conn.execute("SELECT COALESCE(MAX(id), -1) + 1 FROM sources").fetchone()
    conn.execute("INSERT INTO sources VALUES (?, ?)", (top, text))
    return int(top)


def make_geocoder(name: str, url: str | None, delay: float) -> Callable[[str], Any]:
    """A rate-limited geopy geocode callable (errors raised, not swallowed)."""
    from geopy.extra.rate_limiter import RateLimiter  # noqa: PLC0415
    from geopy.geocoders import Nominatim  # noqa: PLC0415

    if name != "nominatim":
        raise ValueError(f"unknown geocoder {name!r}")
    kwargs: dict[str, Any] = {"user_agent": USER_AGENT, "timeout": 10}
    if url:
        scheme, _, domain = url.partition("://")
        kwargs.update(scheme=scheme, domain=domain.rstrip("/"))
    geocoder = Nominatim(**kwargs)

    def geocode(query: str) -> Any:
        return geocoder.geocode(query, country_codes="cn", language="zh")

    limited: Callable[[str], Any] = RateLimiter(
        geocode, min_delay_seconds=delay, max_retries=1, error_wait_seconds=5 * delay, swallow_exceptions=False
    )
    return limited


def run_enrich(args: argparse.Namespace) -> int:
    """CLI body: geocode up to ``--limit`` places; exit 1 when any request failed."""
    db: Path = args.db
    if not db.is_file():
        print(f"gazetteer enrich: {db} not found; run `gazetteer build` first", file=sys.stderr)
        return 2
    conn = sqlite3.connect(db)
    try:
        targets = select_targets(conn, args.geocoder, args.level, args.under, args.limit)
        outcomes = geocode_all(targets, make_geocoder(args.geocoder, args.url, args.delay))
        store_outcomes(conn, args.geocoder, outcomes)
    finally:
        conn.close()
    errors = [o for o in outcomes if o.error]
    print(f"gazetteer enrich: {len(outcomes) - len(errors)} of {len(outcomes)} places geocoded", file=sys.stderr)
    for o in errors:
        print(f"  {o.target.path}: {o.error}", file=sys.stderr)
    return 1 if errors else 0
