import json

import pandas as pd
import pytest
from synthetic_events import XSS, synthetic_events

from timeline.chart import DATASET, SELECTION, build_chart, chart_frame
from timeline.mapview import TYPE_LABELS, county_names


@pytest.fixture(scope="module")
def events():
    return synthetic_events(80, xss=True)[1]


@pytest.mark.parametrize(("lane", "expected"), [("district", "薛城区"), ("type", TYPE_LABELS["meeting"])])
def test_chart_frame_lanes(events, lane, expected):
    frame = chart_frame(events, lane)
    assert expected in set(frame["lane"])
    assert len(frame) == events["start"].notna().sum()


def test_chart_frame_wall_clock_is_beijing_time(events):
    frame = chart_frame(events, "district")
    first = events.dropna(subset=["start"]).iloc[0]
    row = frame.loc[frame["id"] == first["id"]].iloc[0]
    assert row["start"] == first["start"].tz_localize(None)
    assert row["start"].tzinfo is None


NAMES = {"370402": "市中区", "370403": "薛城区", "371702": "牡丹区"}


@pytest.mark.parametrize(
    ("adcode", "path", "name", "lane"),
    [
        ("370403001", "山东省/枣庄市/薛城区/常庄街道", "常庄街道", "薛城区"),
        ("370403", "山东省/枣庄市/薛城区", "薛城区", "薛城区"),
        # a development zone and a venue: their county (by code), never their own lane
        ("370403", "山东省/枣庄市/枣庄高新区", "枣庄高新区", "薛城区"),
        ("370402", "山东省/枣庄市/市中区/枣庄经济开发区", "枣庄经济开发区", "市中区"),
        ("370400", "山东省/枣庄市/枣庄市会展中心", "枣庄市会展中心", "枣庄市（市级）"),
        ("371700", "山东省/菏泽市/鲁西新区/舜秀路小学", "舜秀路小学", "菏泽市（市级）"),
        ("370400", "山东省/枣庄市", "枣庄市", "枣庄市（市级）"),
        ("370000", "山东省", "山东省", "山东省（省级）"),
        (None, None, "某地", "某地"),
        (None, None, None, "（无地点）"),
    ],
)
def test_chart_frame_district_lane_is_the_county_containing_the_place(events, adcode, path, name, lane):
    row = events.dropna(subset=["start"]).iloc[[0]].copy()
    row["adcode"] = [adcode]
    row["admin_path"] = [path]
    row["place_name"] = [name]
    assert chart_frame(row, "district", NAMES)["lane"].tolist() == [lane]


def lane_order(spec):
    """The lanes top to bottom as Vega-Lite sorts them: by the minimum of the y sort field."""
    y = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "bar")["encoding"]["y"]
    assert y["sort"]["op"] == "min"
    rows = spec["datasets"][DATASET]
    return rows.groupby("lane")[y["sort"]["field"]].min().sort_values().index.tolist()


def test_chart_district_lanes_use_map_county_names_and_code_order(events):
    rows = events.dropna(subset=["start"]).iloc[:4].copy()
    rows["adcode"] = ["370481", "370400", None, "370403"]
    rows["admin_path"] = ["山东省/枣庄市/滕州市/某镇", "山东省/枣庄市/枣庄市会展中心", None, "山东省/枣庄市/枣庄高新区"]
    rows["place_name"] = ["某镇", "枣庄市会展中心", None, "枣庄高新区"]
    names = county_names(rows["adcode"].tolist())
    spec = build_chart(rows, "district", names=names).spec
    assert lane_order(spec) == ["枣庄市（市级）", "薛城区", "滕州市", "（无地点）"]


def test_chart_spec_has_click_selection_zoom_and_tooltips(events):
    spec = build_chart(events, "district", selected="ev00001").spec
    params = spec.get("params", []) + [p for layer in spec["layer"] for p in layer.get("params", [])]
    names = {p["name"] for p in params}
    assert {SELECTION, "zoom"} <= names
    zoom = next(p for p in params if p["name"] == "zoom")
    assert zoom["bind"] == "scales"
    pick = next(p for p in params if p["name"] == SELECTION)
    assert pick["select"]["fields"] == ["id"]
    tooltip_fields = {t["field"] for t in spec["layer"][0]["encoding"]["tooltip"]}
    assert {"title", "time_text", "place_name"} <= tooltip_fields
    marks = {layer["mark"]["type"] for layer in spec["layer"]}
    assert marks == {"bar", "point"}
    assert spec["data"] == {"name": DATASET}


def test_chart_picked_event_is_drawn_larger(events):
    spec = build_chart(events, "district", selected="ev00001").spec
    rows = spec["datasets"][DATASET]
    assert rows.loc[rows["picked"], "id"].tolist() == ["ev00001"]
    dots = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "point")
    size = dots["encoding"]["size"]
    assert size["condition"]["test"] == "datum.picked"
    assert size["condition"]["value"] > size["value"]
    assert not build_chart(events, "district").spec["datasets"][DATASET]["picked"].any()


def test_chart_spec_is_shared_but_each_chart_owns_its_copy(events):
    """The spec is built once per lane kind; the data, height and lane order vary per chart."""
    first = build_chart(events, "district")
    second = build_chart(events.iloc[:5], "district", selected="ev00001")
    assert {k: v for k, v in first.spec.items() if k not in ("datasets", "height")} == {
        k: v for k, v in second.spec.items() if k not in ("datasets", "height")
    }
    first.spec["layer"][0]["encoding"]["y"]["title"] = "changed"  # as Streamlit edits what it is given
    del first.spec["datasets"]
    third = build_chart(events, "district")
    assert third.spec["layer"][0]["encoding"]["y"]["title"] == "区县"
    assert len(third.spec["datasets"][DATASET]) == events["start"].notna().sum()
    assert build_chart(events, "type").spec["layer"][0]["encoding"]["y"]["title"] == "类型"


def test_chart_carries_text_as_data_not_markup(events):
    chart = build_chart(events)
    rows = chart.spec["datasets"][DATASET]
    # Vega renders tooltips and labels as text; the payload is data, shown literally.
    assert f"活动{XSS}" in set(rows["title"])
    spec = json.dumps({k: v for k, v in chart.spec.items() if k != "datasets"}, ensure_ascii=False)
    assert XSS not in spec


def test_chart_empty_and_undated_only(events):
    undated = events[events["start"].isna()]
    assert chart_frame(undated, "type").empty
    assert build_chart(undated).spec["datasets"][DATASET].empty
    assert build_chart(events.iloc[:0]).spec["datasets"][DATASET].empty


def test_chart_height_grows_with_lanes(events):
    few = build_chart(events, "district")
    many = build_chart(pd.concat([events.assign(admin_path=None, place_name=events["id"])]), "district")
    assert many.height > few.height
    assert many.spec["height"] == many.height
