"""Streamlit app: composes the pipeline into a timeline, a map, a source view and downloads.

Composition only: extraction lives in ``timeline``/``gazetteer``, state changes in
``timeline.ui_state`` (pure reducers), rendering in ``timeline.mapview`` and ``timeline.chart``.
Every user action that can fail on input has one ``try/except TimelineError`` around it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit_folium import st_folium

from timeline import first_paint, serve, ui_state
from timeline.chart import LANE_LABELS, SELECTION, build_chart
from timeline.errors import TimelineError
from timeline.export import to_csv, to_geojson
from timeline.htmlsafe import escape_html, sentence_html
from timeline.mapview import TYPE_LABELS, build_map, county_names
from timeline.pipeline import Analysis

LOG = logging.getLogger("timeline_mapper.app")
STATUS_LABELS = {"occurred": "已发生", "planned": "计划中"}
# Seconds a batch of inputs may take before a progress bar shows.
PROGRESS_AFTER = 0.5
TABLE_COLUMNS = ["title", "event_type", "status", "time_text", "place_name", "source"]
#: Rows of the light events table on first paint (the full table is on demand).
TABLE_PREVIEW = 100
TABLE_CSS = (
    "<style>.events-table{max-height:420px;overflow:auto;border:1px solid #e6e9ef;border-radius:.5rem}"
    ".events-table table{border-collapse:collapse;width:100%;font-size:.875rem}"
    ".events-table th{position:sticky;top:0;background:#f8f9fb;font-weight:400;color:#555;text-align:left}"
    ".events-table th,.events-table td{padding:.3rem .6rem;border-bottom:1px solid #e6e9ef}.events-table th{white-space:nowrap}</style>"
)
MARK_CSS = "<style>mark.date{background:#ffe08a}mark.place{background:#b6e3ff}.src{white-space:pre-wrap}</style>"


def collect_inputs(use_seeds: bool, uploads: list, pasted: str) -> list[tuple[str, bytes]]:
    """All inputs as ``(source name, bytes)``, seeds first."""
    inputs = serve.seed_inputs() if use_seeds else []
    inputs += [(f.name, f.getvalue()) for f in uploads or []]
    if pasted.strip():
        inputs.append(("粘贴文本", pasted.encode("utf-8")))
    return inputs


def analyse_all(inputs: list[tuple[str, bytes]], published: dt.date | None) -> list[Analysis]:
    """Analyse every input; a bad one gets a Chinese message and the rest still load.

    Analyses are cached per server process by input (``timeline.serve.analyse_input``); a
    progress bar appears once a batch has taken :data:`PROGRESS_AFTER` seconds, so cached
    inputs do not flash one on every rerun. It is drawn into a slot placed in every run: the
    elements below keep their places whether or not it showed, or a slow run (a loaded host)
    would shift the views and the browser would mount the map's iframe afresh.
    """
    analyses: list[Analysis] = []
    started = time.monotonic()
    slot = st.empty()
    progress = None
    for number, (source, data) in enumerate(inputs, start=1):
        try:
            analyses.append(serve.analyse_input(source, data, published))
        except TimelineError as error:
            st.error(f"「{source}」无法读取：{error.user_message}")
        if progress is None and number < len(inputs) and time.monotonic() - started > PROGRESS_AFTER:
            progress = slot.progress(0.0)
        if progress is not None:
            progress.progress(number / len(inputs), text=f"正在分析… {number}/{len(inputs)}")
    slot.empty()
    return analyses


def current_filters(df: pd.DataFrame) -> ui_state.Filters:
    """The filters the sidebar widgets hold (:func:`sidebar_filters`), read before they are drawn.

    A keyed widget's value is in session state from the run that drew it; before the first
    draw, each takes its default (everything shown).
    """
    bounds = ui_state.date_bounds(df)
    date_from = date_to = None
    if bounds is not None:
        # A keyed date_input keeps its value when its default changes: when new inputs move the
        # bounds, the range is reset to them, or the new events would be filtered out unseen.
        if st.session_state.get("date_bounds") != bounds or "date_range" not in st.session_state:
            st.session_state.date_bounds = bounds
            st.session_state.date_range = bounds
        picked = st.session_state.date_range
        if isinstance(picked, (tuple, list)) and len(picked) == 2:
            date_from, date_to = picked
    state = st.session_state
    return ui_state.Filters(
        date_from,
        date_to,
        tuple(state.get("types") or ()),
        tuple(state.get("statuses") or ()),
        str(state.get("query") or ""),
        bool(state.get("undated", True)),
    )


def sidebar_filters(df: pd.DataFrame, box: DeltaGenerator) -> ui_state.Filters:
    """Filter widgets over the whole table, drawn into ``box`` below its header; the filters."""
    date_from = date_to = None
    if ui_state.date_bounds(df) is not None:  # current_filters has set its value
        picked = box.date_input("日期范围", key="date_range")
        if isinstance(picked, tuple) and len(picked) == 2:
            date_from, date_to = picked
    types = box.multiselect(
        "事件类型", sorted(df["event_type"].dropna().unique()), format_func=lambda t: TYPE_LABELS.get(t, t), key="types"
    )
    statuses = box.multiselect(
        "状态", sorted(STATUS_LABELS), format_func=lambda s: STATUS_LABELS.get(s, s), key="statuses"
    )
    query = box.text_input("搜索标题、原句、地点", key="query")
    undated = box.checkbox("包括无日期的事件", value=True, key="undated")
    return ui_state.Filters(date_from, date_to, tuple(types), tuple(statuses), query, undated)


def render_map(df: pd.DataFrame, shown: pd.DataFrame, state: ui_state.UiState, tiles: str | None) -> None:
    """The folium map; a polygon click updates the district selection and reruns."""
    layers = build_map(df, shown, state.adcode, tiles=tiles)
    returned = st_folium(
        layers.base,
        key="map",
        height=460,
        use_container_width=True,
        returned_objects=["last_active_drawing", "last_object_clicked"],
        feature_group_to_add=list(layers.overlays),
    )
    # CC BY sources (township points) must be credited wherever their points are shown.
    st.caption("数据来源 / credits: " + " · ".join(serve.gazetteer().attribution))
    updated = ui_state.apply_map_event(state, returned)
    if updated != state:  # a click render_views has not seen (normally it applies them first)
        st.session_state.ui = updated
        st.rerun()


def render_timeline(shown: pd.DataFrame, state: ui_state.UiState, names: dict[str, str]) -> bool:
    """The Vega-Lite timeline; a click on an event selects it. False when there is no chart."""
    lane = st.radio("泳道", list(LANE_LABELS), format_func=LANE_LABELS.get, horizontal=True, key="lane")
    undated = int((shown["start"].isna() | shown["end"].isna()).sum())
    if undated == len(shown):
        st.info(f"这 {undated} 条事件都没有可确定的日期，只在下方表格中列出。")
        return False
    if undated:
        st.caption(f"另有 {undated} 条事件没有日期，只在下方表格中列出。")
    chart = build_chart(shown, lane, state.event_id, names)
    returned = st.vega_lite_chart(
        chart.spec, height=chart.height, on_select="rerun", selection_mode=[SELECTION], key="timeline"
    )
    updated = ui_state.apply_chart_event(state, returned, SELECTION)
    if updated != state:
        st.session_state.ui = updated
        st.session_state.event_pick = updated.event_id
    return True


def render_source(shown: pd.DataFrame, analyses: dict[str, Analysis]) -> None:
    """The picked event's sentence (date and place highlighted) and, on demand, its article."""
    ids = shown["id"].astype(str).tolist()
    if not ids:
        return
    titles = dict(zip(ids, shown["title"].astype(str), strict=True))
    picked = st.selectbox("查看事件原文", ids, format_func=lambda i: titles.get(i, i), key="event_pick")
    row = shown.loc[shown["id"].astype(str) == picked].iloc[0]
    analysis = analyses.get(str(row["doc_id"]))
    if analysis is None:
        return
    text = analysis.doc.text
    marks = [
        (int(row["date_start"]), int(row["date_end"]), "date"),
        (int(row["place_start"]), int(row["place_end"]), "place"),
    ]
    # st.html, not markdown: article text is shown as it is (no markdown, emoji shortcodes or
    # maths), and the page needs no markdown plugins for it. The text is escaped all the same.
    st.html(MARK_CSS)
    when = escape_html(row["time_text"] if isinstance(row["time_text"], str) else "无日期")
    where = escape_html(row["place_name"] if isinstance(row["place_name"], str) else "无地点")
    body = sentence_html(text, str(row["sentence"]), int(row["evidence_start"]), marks)
    st.html(
        f'<div class="src" data-testid="source-sentence"><b>{escape_html(row["title"])}</b>'
        f'（<mark class="date">{when}</mark> · <mark class="place">{where}</mark>）<br>{body}</div>'
    )
    article = int(row["article"]) if pd.notna(row["article"]) else -1
    if 0 <= article < len(analysis.articles):
        with st.expander("查看全文"):
            st.html(f'<div class="src">{escape_html(analysis.articles[article].text)}</div>')


def render_table_and_downloads(shown: pd.DataFrame) -> None:
    """The filtered events as a table, and GeoJSON/CSV downloads of exactly that view.

    The table is plain escaped HTML of the first :data:`TABLE_PREVIEW` rows; the sortable,
    searchable grid (``st.dataframe``) is one toggle away. The grid's JavaScript costs the first
    paint about 0.3 s of script and 0.5 s of the browser's main thread on a two-core machine.
    """
    view = ui_state.table_view(shown, TABLE_COLUMNS)
    if st.toggle("完整表格（可排序、可搜索）", key="full_table"):
        st.dataframe(view, hide_index=True, key="table")
    else:
        st.html(TABLE_CSS + f'<div class="events-table">{ui_state.table_html(view, TABLE_PREVIEW)}</div>')
        if len(view) > TABLE_PREVIEW:
            st.caption(f"表格列出前 {TABLE_PREVIEW} 条，共 {len(view)} 条；完整表格或 CSV 下载包含全部。")
    # The files are written when a button is clicked, not on every rerun (deferred downloads).
    left, right = st.columns(2)
    left.download_button(
        "下载 GeoJSON",
        lambda: json.dumps(to_geojson(shown), ensure_ascii=False, indent=1),
        "events.geojson",
        "application/geo+json",
        key="dl_geojson",
        on_click="ignore",
    )
    right.download_button("下载 CSV", lambda: to_csv(shown), "events.csv", "text/csv", key="dl_csv", on_click="ignore")


def render_views(
    df: pd.DataFrame, analyses: dict[str, Analysis], tiles: str | None = None, *, deferred: bool = False
) -> list[tuple[str, ...]]:
    """Everything below the sidebar inputs: filters, map, timeline, source, table, downloads.

    ``deferred`` (a session's first page, :mod:`timeline.first_paint`): the counts, the map and
    the timeline only. Returns what the browser has to draw of them.
    """
    state: ui_state.UiState = st.session_state.setdefault("ui", ui_state.UiState())
    # A county click is in the map's widget value before the map is drawn again: applied here,
    # it filters this run's views, where applying it after the map would need a second run.
    clicked = ui_state.apply_map_event(state, st.session_state.get("map"))
    if clicked != state:
        state = st.session_state.ui = clicked
    # The filter widgets are drawn after the views (in a box that keeps their place in the
    # sidebar), so the map and the chart reach the browser first: 0.3-0.5 s off the first paint.
    box = st.sidebar.container()
    filters = current_filters(df)
    drawn: list[tuple[str, ...]] = []
    try:
        in_view = ui_state.filter_events(df, filters)
        shown = ui_state.filter_events(in_view, ui_state.Filters(adcode=state.adcode)) if state.adcode else in_view
        head, clear = st.columns([4, 1])
        scope = f"区县：{state.district}" if state.adcode else "全部区县（点击地图上的区县可筛选）"
        head.markdown(f"**{len(shown)}** / {len(df)} 条事件 · {escape_html(scope)}")
        if clear.button("清除区县选择", disabled=state.adcode is None, key="clear"):
            st.session_state.ui = ui_state.clear_selection(state)
            st.rerun()
        map_column, chart_column = st.columns([2, 3])
        with map_column:
            render_map(df, in_view, state, tiles)
            drawn.append(first_paint.MAP_DRAWN)
        with chart_column:
            if render_timeline(shown, state, county_names(df["adcode"].tolist())):
                drawn.append(first_paint.CHART_DRAWN)
        if not deferred:
            render_source(shown, analyses)
            render_table_and_downloads(shown)
    finally:  # even when a view fails, the filters stay usable
        # The header even on a session's first page, whose widgets come in the next run: the
        # page has its final layout from the start (a sidebar appearing later relaid it).
        box.header("筛选")
        held = filters if deferred else sidebar_filters(df, box)
    # The same unless a widget corrected its value (a chosen type the new data lacks): then
    # run once more with what the widgets hold.
    if held != filters and not st.session_state.get("refiltered"):
        st.session_state.refiltered = True
        st.rerun()
    st.session_state.refiltered = False
    return drawn


def main() -> None:
    """Sidebar input → pipeline → views; no traceback ever reaches the page.

    The input widgets are drawn last, into a box at the top of the sidebar, their values read
    from session state first (as :func:`current_filters` does for the filters). A session's
    first run draws the views only, and the browser reruns it once they are on screen
    (:mod:`timeline.first_paint`).
    """
    st.set_page_config(page_title="新闻事件时间线地图", layout="wide")
    st.title("新闻事件时间线地图")
    deferred = first_paint.pending()
    box = st.sidebar.container()
    state = st.session_state
    drawn: list[tuple[str, ...]] = []
    try:
        drawn = render_analyses(
            bool(state.get("use_seeds", True)),
            list(state.get("uploads") or []),
            str(state.get("pasted") or ""),
            state.get("published"),
            bool(state.get("online_tiles", False)),
            deferred=deferred,
        )
    finally:  # even when the analyses or views fail, the inputs stay usable
        box.header("输入")  # on the first page too, as the filters' header
        if deferred:  # the widgets follow in the run the browser starts
            first_paint.report_when_drawn(drawn)
        else:
            input_widgets(box)


def input_widgets(box: DeltaGenerator) -> None:
    """The sidebar inputs, drawn into ``box`` below its header; :func:`main` reads them before."""
    box.checkbox("包括示例新闻（seeds）", value=True, key="use_seeds")
    box.file_uploader("上传新闻文本（.txt，UTF-8 或 GB18030）", type=["txt"], accept_multiple_files=True, key="uploads")
    box.text_area("或粘贴新闻文本", key="pasted")
    box.date_input("发布日期（可选，用于推算“今天”“昨天”）", value=None, key="published")
    box.checkbox("显示在线底图（需要联网）", value=False, key="online_tiles")


def render_analyses(
    use_seeds: bool, uploads: list, pasted: str, published: dt.date | None, online: bool, *, deferred: bool = False
) -> list[tuple[str, ...]]:
    """Analyse the inputs and render their views, or say why there are none.

    Returns what the browser has to draw of the views (see :func:`render_views`).
    """
    analyses = analyse_all(collect_inputs(use_seeds, uploads, pasted), published)
    try:
        df = serve.timeline_of(analyses)
    except TimelineError as error:
        st.error(error.user_message)
        return []
    if df.empty:
        st.info("没有找到事件。请上传或粘贴新闻文本。")
        return []
    return render_views(df, {a.doc.id: a for a in analyses}, "OpenStreetMap" if online else None, deferred=deferred)


if __name__ == "__main__":
    try:
        main()
    except Exception:  # the edge: log the traceback, show a short message, keep the session usable
        LOG.exception("unexpected error")
        st.error("出现了意外错误，请重试或更换输入。")
