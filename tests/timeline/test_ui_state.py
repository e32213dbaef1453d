import datetime as dt

import pandas as pd
import pytest
from synthetic_events import synthetic_events

from timeline.ui_state import (
    EMPTY_CELL,
    Filters,
    UiState,
    adcode_prefix,
    apply_chart_event,
    apply_map_event,
    clear_selection,
    date_bounds,
    filter_events,
    is_within,
    select_event,
    table_html,
    table_view,
)


def click(adcode, lat=34.8, lng=117.2, name="薛城区"):
    return {
        "last_active_drawing": {"type": "Feature", "properties": {"adcode": adcode, "name": name}},
        "last_object_clicked": {"lat": lat, "lng": lng},
    }


@pytest.fixture(scope="module")
def events():
    return synthetic_events(140)[1]


@pytest.mark.parametrize(
    "returned",
    [
        None,
        {},
        {"last_active_drawing": None},
        {"last_active_drawing": "x"},
        {"last_active_drawing": {"properties": None}},
        {"last_active_drawing": {"properties": {"name": "marker"}}},
        {"last_active_drawing": {"type": "Feature", "geometry": {"type": "Point"}}},
    ],
)
def test_ui_state_apply_map_event_ignores_non_district_returns(returned):
    state = UiState(adcode="370402", district="市中区")
    assert apply_map_event(state, returned) is state


def test_ui_state_apply_map_event_selects_clicked_district():
    state = apply_map_event(UiState(), click("370403"))
    assert (state.adcode, state.district) == ("370403", "薛城区")
    assert state.last_click == ("370403", 34.8, 117.2)


def test_ui_state_apply_map_event_same_click_after_clear_does_not_reselect():
    selected = apply_map_event(UiState(), click("370403"))
    cleared = clear_selection(selected)
    assert cleared.adcode is None
    # st_folium returns its last value on every rerun; it must not undo the clear.
    assert apply_map_event(cleared, click("370403")) == cleared
    # A new click on the same district (another point) selects it again.
    assert apply_map_event(cleared, click("370403", lat=34.81)).adcode == "370403"


@pytest.mark.parametrize(("first", "second"), [("370403", "370404"), ("370481", "370402")])
def test_ui_state_apply_map_event_switches_district(first, second):
    state = apply_map_event(apply_map_event(UiState(), click(first)), click(second, lat=35.0))
    assert state.adcode == second


def test_ui_state_apply_map_event_without_name_uses_code():
    returned = {"last_active_drawing": {"properties": {"adcode": 370403}}, "last_object_clicked": None}
    state = apply_map_event(UiState(), returned)
    assert (state.adcode, state.district) == ("370403", "370403")


@pytest.mark.parametrize(
    ("returned", "expected"),
    [
        ({"selection": {"pick": [{"id": "ev1"}]}}, "ev1"),
        ({"selection": {"pick": []}}, "ev0"),
        ({"selection": {}}, "ev0"),
        ({"selection": {"other": [{"id": "x"}]}}, "ev0"),
        ({}, "ev0"),
        (None, "ev0"),
        ({"selection": {"pick": [{"title": "no id"}]}}, "ev0"),
    ],
)
def test_ui_state_apply_chart_event(returned, expected):
    assert apply_chart_event(UiState(event_id="ev0"), returned, "pick").event_id == expected


def test_ui_state_select_and_clear():
    state = select_event(UiState(adcode="370403"), "ev9")
    assert state.event_id == "ev9"
    assert clear_selection(state) == UiState(last_click=None)


@pytest.mark.parametrize(
    ("adcode", "prefix"),
    [("370403", "370403"), ("370400", "3704"), ("370000", "37"), ("370403001", "370403001"), (" 370481 ", "370481")],
)
def test_ui_state_adcode_prefix(adcode, prefix):
    assert adcode_prefix(adcode) == prefix


@pytest.mark.parametrize(
    ("selected", "expected"),
    [
        ("370403", [True, True, False, False, False, False]),
        ("370400", [True, True, True, False, False, False]),
        ("370000", [True, True, True, False, False, True]),
    ],
)
def test_ui_state_is_within(selected, expected):
    codes = pd.Series(["370403", "370403001002", "370481", None, "110101", "37"], dtype=object)
    assert is_within(codes, selected).tolist() == expected


def test_ui_state_filter_by_district_keeps_only_that_district(events):
    shown = filter_events(events, Filters(adcode="370403"))
    assert len(shown) > 0
    assert set(shown["adcode"]) == {"370403"}
    assert len(shown) == (events["adcode"] == "370403").sum()


@pytest.mark.parametrize(
    ("filters", "check"),
    [
        (Filters(types=("meeting",)), lambda df: set(df["event_type"]) == {"meeting"}),
        (Filters(statuses=("planned",)), lambda df: set(df["status"]) == {"planned"}),
        (Filters(query="第7次"), lambda df: df["title"].str.contains("第7次").all() and len(df) >= 1),
        (Filters(query="薛城区"), lambda df: df["place_name"].str.contains("薛城区").all()),
        (Filters(include_undated=False), lambda df: df["start"].notna().all()),
    ],
)
def test_ui_state_filter_events(events, filters, check):
    shown = filter_events(events, filters)
    assert 0 < len(shown) < len(events)
    assert check(shown)


def test_ui_state_filter_events_date_range_overlap(events):
    tz = dt.timezone(dt.timedelta(hours=8))
    day = dt.date(2023, 3, 1)
    shown = filter_events(events, Filters(date_from=day, date_to=day, include_undated=False))
    lower, upper = pd.Timestamp(day, tz=tz), pd.Timestamp(day + dt.timedelta(days=1), tz=tz)
    expected = events[(events["start"] < upper) & (events["end"] > lower)]
    assert shown["id"].tolist() == expected["id"].tolist()
    with_undated = filter_events(events, Filters(date_from=day, date_to=day))
    assert len(with_undated) == len(shown) + events["start"].isna().sum()


def test_ui_state_filter_events_no_filters_is_identity(events):
    assert filter_events(events, Filters()).equals(events)


def test_ui_state_filter_events_empty_table(events):
    assert filter_events(events.iloc[:0], Filters(query="x", adcode="370403")).empty


def test_ui_state_date_bounds(events):
    first, last = date_bounds(events)
    assert first == events["start"].min().date()
    assert last == (events["end"].max() - pd.Timedelta(days=1)).date()
    assert date_bounds(events[events["start"].isna()]) is None


def test_table_view_shows_a_dash_not_none_for_undated_or_unplaced(events):
    view = table_view(events, ["title", "time_text", "place_name", "missing_column"])
    assert list(view.columns) == ["title", "time_text", "place_name"]
    undated = events["time_text"].isna()
    assert undated.any() and (view.loc[undated, "time_text"] == EMPTY_CELL).all()
    assert (view.loc[events["place_name"].isna(), "place_name"] == EMPTY_CELL).all()
    assert not view.isna().any().any()
    assert not view.isin(["None", "nan", "<NA>", "NaT", ""]).any().any()
    assert view.loc[~undated, "time_text"].tolist() == events.loc[~undated, "time_text"].tolist()


def test_ui_state_table_html_escapes_every_cell_and_stops_at_the_limit():
    view = pd.DataFrame({"title": ["<img src=x onerror=alert(1)> ${a} `b`", "二", "三"], "a&b": ["—", "x", "y"]})
    html = table_html(view, 2)
    assert html.count("<tr>") == 3 and "三" not in html
    assert "<img" not in html and "${" not in html and "`" not in html
    assert "<th>a&amp;b</th>" in html
    assert table_html(view.iloc[0:0], 5).count("<tr>") == 1
