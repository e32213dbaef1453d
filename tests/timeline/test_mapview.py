import json

import folium
import pandas as pd
import pytest
from streamlit_folium import _get_header, _get_map_string
from synthetic_events import XSS, synthetic_events

from timeline.mapview import (
    PALETTE,
    build_base_map,
    build_map,
    build_markers,
    build_selection,
    count_by_county,
    county_names,
    event_bounds,
    fill_colour,
    load_county_features,
    select_counties,
)

ZAOZHUANG = {"370402", "370403", "370404", "370405", "370406", "370481"}


@pytest.fixture(scope="module")
def features():
    return load_county_features()


@pytest.fixture(scope="module")
def events():
    return synthetic_events(60, xss=True)[1]


def rendered(layers):
    """Everything the browser would receive: base map, header and the feature groups."""
    base = layers.base
    base.get_root().render()
    parts = [base.get_root().render()]
    for group in layers.overlays:
        group.add_to(base)
    parts.append(base.get_root().render())
    return "\n".join(parts)


def test_mapview_county_features_have_adcodes(features):
    codes = [f["properties"]["adcode"] for f in features]
    assert len(codes) > 2800
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert set(codes) >= ZAOZHUANG


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (["370403", "370403001", "370403001002"], {"370403": 3}),
        (["370400", "370000", None, float("nan"), ""], {}),
        (["370481", "370402"], {"370481": 1, "370402": 1}),
    ],
)
def test_mapview_count_by_county(codes, expected):
    assert count_by_county(codes) == expected


@pytest.mark.parametrize(
    ("count", "most", "colour"), [(0, 5, PALETTE[0]), (5, 0, PALETTE[0]), (1, 1, PALETTE[-1]), (1, 100, PALETTE[1])]
)
def test_mapview_fill_colour(count, most, colour):
    assert fill_colour(count, most) == colour


def test_mapview_select_counties_takes_whole_cities(features):
    selected = select_counties(features, ["370403", "370403", "370400"])
    assert {f["properties"]["adcode"] for f in selected} == ZAOZHUANG
    counts = {f["properties"]["adcode"]: f["properties"]["count"] for f in selected}
    assert counts["370403"] == 2 and counts["370481"] == 0
    assert select_counties(features, []) == []


def test_mapview_uses_only_vendored_assets(events):
    layers = build_map(events, events, "370403")
    html = rendered(layers)
    assert "cdn" not in _get_header(layers.base).lower()
    for element in [layers.base, *layers.overlays[0]._children.values()]:
        for _, url in [*getattr(element, "default_js", []), *getattr(element, "default_css", [])]:
            assert url.startswith("/app/static/"), url
    assert "tileLayer" not in html


def test_mapview_online_tiles_are_optional():
    html = build_base_map([], tiles="OpenStreetMap").get_root().render()
    assert "tileLayer" in html


def test_mapview_polygons_carry_adcode_for_clicks(events):
    script = _get_map_string(build_map(events, events, None).base)
    assert '"adcode": "370403"' in script


def test_mapview_markers_escape_article_text(events):
    group = build_markers(events)
    base = folium.Map(tiles=None)
    group.add_to(base)
    script = base.get_root().render()
    assert "<img" not in script
    assert "${alert(1)}" not in script
    assert "`tick`" not in script
    cluster = next(iter(group._children.values()))
    popups = [row[2] for row in cluster.data]
    assert any(
        "&lt;img src=x onerror=alert(1)&gt;" in p and "&#36;{alert(1)}" in p and "&#96;tick&#96;" in p for p in popups
    )
    assert XSS.split()[0] not in json.dumps(cluster.data, ensure_ascii=False)


def test_mapview_markers_skip_unplaced(events):
    cluster = next(iter(build_markers(events)._children.values()))
    assert len(cluster.data) == events["lon"].notna().sum() < len(events)


@pytest.mark.parametrize(("adcode", "outlined"), [("370403", True), (None, False), ("999999", False)])
def test_mapview_selection_outline(features, adcode, outlined):
    group = build_selection(select_counties(features, ["370403"]), adcode)
    assert bool(group._children) == outlined


def _fitted(base):
    """The ``[[south, west], [north, east]]`` the map opens on (folium's FitBounds child)."""
    fits = [child for child in base._children.values() if type(child).__name__ == "FitBounds"]
    assert len(fits) == 1
    return fits[0].bounds


def _with_place(events, rows, place):
    """Copies of ``events.iloc[rows]`` moved to ``place`` (adcode, admin_path, place_name, lon, lat)."""
    moved = events.iloc[rows].copy()
    moved[["adcode", "admin_path", "place_name", "lon", "lat"]] = list(place)
    moved["id"] = [f"{place[0]}-{i}" for i in range(len(moved))]
    return moved


def test_mapview_opens_on_the_bulk_of_the_events_not_a_far_outlier(events):
    # pages about 枣庄 and 菏泽 with one event placed in 深圳 (1,300 km south)
    heze = _with_place(events, list(range(10)), ("371702", "山东省/菏泽市/牡丹区", "牡丹区", 115.47, 35.25))
    far = _with_place(events, [0], ("440300", "广东省/深圳市", "深圳市", 114.06, 22.54))
    both = pd.concat([events, heze, far], ignore_index=True)
    layers = build_map(both, both, None)
    (south, west), (north, east) = _fitted(layers.base)
    bulk = pd.concat([events, heze]).dropna(subset=["lon", "lat"])
    assert south <= bulk["lat"].min() and north >= bulk["lat"].max()
    assert west <= bulk["lon"].min() and east >= bulk["lon"].max()
    # the outlier is left out of the opening view, so the counties are not specks ...
    assert south > 30 and north - south < 3
    # ... but its marker is on the map, a zoom-out away
    assert "22.54" in rendered(layers)
    assert layers.base.options["min_zoom"] <= 4


def test_mapview_bulk_keeps_everything_when_there_is_no_bulk(features):
    counties = select_counties(features, ["370403", "440300"])
    # one event here, one there: both are in view
    (south, _), (north, _) = event_bounds(counties, ["370403", "440300"], [(34.8, 117.3), (22.54, 114.06)])
    assert south <= 22.54 and north >= 34.8
    # many events in two neighbouring cities are all the bulk, however unevenly spread
    codes = ["370403"] * 20 + ["371702"]
    counties = select_counties(features, codes)
    (south, west), (north, east) = event_bounds(counties, codes, [(34.8, 117.3)] * 20 + [(35.25, 115.47)])
    assert west <= 115.47 and east >= 117.3 and north >= 35.25


def test_mapview_fit_covers_the_area_of_each_event(features):
    counties = select_counties(features, ["370403", "370400"])
    xuecheng = event_bounds([f for f in counties if f["properties"]["adcode"] == "370403"], [], [])
    zaozhuang = event_bounds(counties, [], [])
    # a village: its county, not the whole city
    assert event_bounds(counties, ["370403001002", None], []) == xuecheng
    # only the city is known (a single city-level event must not open at street level)
    assert event_bounds(counties, ["370400"], [(34.81, 117.32)]) == zaozhuang
    (south, west), (north, east) = zaozhuang
    assert north - south > 0.5 and east - west > 0.5
    assert event_bounds([], [], []) is None


def test_mapview_county_names_for_the_timeline_lanes():
    names = county_names(["370403001", "370400", None])
    assert names["370403"] == "薛城区" and names["370481"] == "滕州市"
    assert set(names) == ZAOZHUANG
