"""The timeline chart (a Vega-Lite spec built with Altair, rendered offline by Streamlit's Vega).

Each event is a bar over its ``[start, end)`` interval plus a dot at its start, so one-day events
stay visible at any zoom. Lanes are districts or event types, colours are event types, the x axis
scrolls and zooms, and a click selects an event (``st.vega_lite_chart(on_select="rerun")``).
Vega's tooltip plugin inserts text, not HTML, so article text needs no escaping here.

Everything that changes between reruns (the events, their lane order, the picked event) is data,
so the spec is built and validated by Altair once per lane kind and type list and then reused:
building and validating it took ~0.15 s of every script run.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import altair as alt
import pandas as pd

from timeline.mapview import DEFAULT_COLOUR, TYPE_COLOURS, TYPE_LABELS

SELECTION = "pick"
#: Name of the chart's dataset in the spec.
DATASET = "events"
Lane = Literal["district", "type"]
LANE_LABELS: dict[Lane, str] = {"district": "区县", "type": "类型"}
_UNPLACED = "（无地点）"


def chart_frame(df: pd.DataFrame, lane: Lane, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The dated events of ``df`` as chart rows: wall-clock times in +08:00 and a lane label.

    ``names`` maps county codes to names (:func:`timeline.mapview.county_names`) for the district
    lanes; rows come with a ``lane_key`` that orders the lanes by administrative code.

    >>> import datetime as dt
    >>> tz = dt.timezone(dt.timedelta(hours=8))
    >>> df = pd.DataFrame({"id": ["e1"], "title": ["t"], "event_type": ["meeting"], "status": ["occurred"],
    ...     "start": [pd.Timestamp("2023-10-19", tz=tz)], "end": [pd.Timestamp("2023-10-20", tz=tz)],
    ...     "time_text": ["10月19日"], "place_name": [None], "adcode": [None], "admin_path": [None]})
    >>> chart_frame(df, "district")[["id", "lane", "start"]].to_dict("records")
    [{'id': 'e1', 'lane': '（无地点）', 'start': Timestamp('2023-10-19 00:00:00')}]
    """
    dated = df.loc[df["start"].notna() & df["end"].notna()]
    frame = pd.DataFrame(
        {
            "id": dated["id"].astype(str),
            "title": dated["title"].astype(str),
            "event_type": dated["event_type"].astype(str),
            "type_label": [TYPE_LABELS.get(str(t), str(t)) for t in dated["event_type"]],
            "status": dated["status"].astype(str),
            "start": _wall_clock(dated["start"]),
            "end": _wall_clock(dated["end"]),
            "time_text": dated["time_text"].fillna("").astype(str),
            "place_name": dated["place_name"].fillna("").astype(str),
        }
    )
    if lane == "type":
        frame["lane"] = frame["type_label"]
        frame["lane_key"] = frame["event_type"]
    else:
        lanes = [
            district_lane(code, path, name, names or {})
            for code, path, name in zip(dated["adcode"], dated["admin_path"], dated["place_name"], strict=True)
        ]
        frame["lane_key"] = [key for key, _ in lanes]
        frame["lane"] = [label for _, label in lanes]
    return frame.reset_index(drop=True)


def district_lane(adcode: object, admin_path: object, place_name: object, names: Mapping[str, str]) -> tuple[str, str]:
    """``(sort key, label)`` of the district lane of a place: the county (区县) containing it.

    A township, village, venue or development zone lies in the county its code starts with; a
    place known only to its city or province gets that area's lane, marked 市级/省级.

    >>> names = {"370403": "薛城区"}
    >>> district_lane("370403", "山东省/枣庄市/枣庄高新区", "枣庄高新区", names)
    ('370403', '薛城区')
    >>> district_lane("370400", "山东省/枣庄市/枣庄市会展中心", "枣庄市会展中心", names)
    ('370400', '枣庄市（市级）')
    """
    code = "" if not isinstance(adcode, str) else adcode.strip()
    parts = _path_parts(admin_path)
    if len(code) >= 6 and code[:6].isdigit():
        if code[4:6] != "00":
            county = code[:6]
            return county, names.get(county) or (parts[2] if len(parts) >= 3 else county)
        if code[2:4] != "00":
            return code[:6], f"{parts[1] if len(parts) >= 2 else code[:6]}（市级）"
        return code[:6], f"{parts[0] if parts else code[:6]}（省级）"
    if isinstance(place_name, str) and place_name:
        return f"~{place_name}", place_name
    return "~~", _UNPLACED


@dataclass(frozen=True, slots=True)
class TimelineChart:
    """A Vega-Lite spec with its rows inline as the dataset :data:`DATASET`, and its height."""

    spec: dict[str, Any]
    height: int


def build_chart(
    df: pd.DataFrame, lane: Lane = "district", selected: str | None = None, names: Mapping[str, str] | None = None
) -> TimelineChart:
    """The layered timeline of ``df`` with the point selection named :data:`SELECTION`.

    Lanes run in :func:`chart_frame`'s ``lane_key`` order (administrative code, then name); the
    event ``selected`` is drawn larger.
    """
    frame = chart_frame(df, lane, names)
    lanes = frame.sort_values(["lane_key", "lane"])["lane"].drop_duplicates().tolist()
    rows = frame.drop(columns="lane_key").assign(
        lane_rank=frame["lane"].map({name: rank for rank, name in enumerate(lanes)}),
        picked=frame["id"] == (selected or ""),
    )
    types = tuple(sorted(set(frame["event_type"]) | set(TYPE_COLOURS)))
    height = chart_height(len(lanes))
    spec = copy.deepcopy(_template(lane, types))  # Streamlit edits the spec it is given
    spec["height"] = height
    spec["datasets"] = {DATASET: rows}
    return TimelineChart(spec, height)


@functools.lru_cache(maxsize=32)
def _template(lane: Lane, types: tuple[str, ...]) -> dict[str, Any]:
    """The spec without its rows, for ``lane`` lanes and colours for ``types`` (validated once)."""
    colour = alt.Color(
        "type_label:N",
        title="类型",
        scale=alt.Scale(
            domain=[TYPE_LABELS.get(t, t) for t in types], range=[TYPE_COLOURS.get(t, DEFAULT_COLOUR) for t in types]
        ),
    )
    pick = alt.selection_point(name=SELECTION, fields=["id"], on="click", clear=False)
    zoom = alt.selection_interval(bind="scales", encodings=["x"], name="zoom")
    y = alt.Y(
        "lane:N",
        title=LANE_LABELS[lane],
        sort=alt.EncodingSortField("lane_rank", op="min"),
        axis=alt.Axis(labelLimit=160),
    )
    tooltip = [
        alt.Tooltip("title:N", title="事件"),
        alt.Tooltip("time_text:N", title="时间"),
        alt.Tooltip("place_name:N", title="地点"),
        alt.Tooltip("type_label:N", title="类型"),
        alt.Tooltip("status:N", title="状态"),
    ]
    base = alt.Chart(alt.NamedData(name=DATASET)).encode(y=y, color=colour, tooltip=tooltip)
    bars = base.mark_bar(height=10, opacity=0.5).encode(
        x=alt.X("start:T", title="时间", axis=alt.Axis(format="%Y-%m-%d")), x2="end:T"
    )
    size = alt.condition(alt.datum.picked, alt.value(220), alt.value(90))
    dots = (
        base.mark_point(filled=True, opacity=0.95, stroke="#222", strokeWidth=0.5)
        .encode(x="start:T", size=size)
        .add_params(pick)
    )
    chart = (
        alt.layer(bars.add_params(zoom), dots)
        # SVG keeps every event an addressable element (accessible, and clickable by browser tests).
        .properties(width="container", usermeta={"embedOptions": {"renderer": "svg"}})
        .configure_legend(orient="bottom", columns=4)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


def chart_height(lanes: int) -> int:
    """Pixels for ``lanes`` lanes plus the time axis and the legend below it.

    Streamlit fits the whole chart (axis and legend included) into the height it is given, so
    the frame is sized here rather than left to Vega.

    >>> chart_height(1), chart_height(10)
    (188, 460)
    """
    return 120 + 34 * max(lanes, 2)


def _wall_clock(values: pd.Series) -> pd.Series:
    # Vega parses naive ISO strings as browser-local time and shows them unchanged, so the chart
    # shows Beijing time wherever the browser is.
    series = pd.to_datetime(values)
    return series.dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)


def _path_parts(admin_path: object) -> list[str]:
    # admin_path runs from the province down ("山东省/枣庄市/薛城区/…").
    if isinstance(admin_path, str):
        return [p.strip() for p in admin_path.replace(">", "/").split("/") if p.strip()]
    if isinstance(admin_path, (list, tuple)):
        return [str(p) for p in admin_path if p]
    return []
