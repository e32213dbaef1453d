"""Pure UI state for the app: reducers over widget returns and filters over the event table.

``app.py`` keeps one :class:`UiState` in ``st.session_state`` and replaces it with what these
reducers return; nothing here touches Streamlit, so every click path has a unit test
(AppTest cannot drive the st_folium iframe).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from timeline.htmlsafe import escape_html

TZ = dt.timezone(dt.timedelta(hours=8))
# Text search looks in these columns (absent ones are skipped).
SEARCH_COLUMNS = ("title", "sentence", "place_name", "article_title", "time_text")
#: What the events table shows for a missing or empty value (an undated or unplaced event).
EMPTY_CELL = "—"


@dataclass(frozen=True, slots=True)
class UiState:
    """What the user has selected.

    ``last_click`` fingerprints the map click already applied: st_folium keeps returning its
    last value on every rerun, and re-applying it would undo a "clear selection".
    """

    adcode: str | None = None
    district: str | None = None
    event_id: str | None = None
    last_click: tuple[str, float | None, float | None] | None = None


@dataclass(frozen=True, slots=True)
class Filters:
    """Sidebar filters; an empty tuple or ``None`` means "no restriction"."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    query: str = ""
    include_undated: bool = True
    adcode: str | None = None


def apply_map_event(state: UiState, returned: Mapping[str, Any] | None) -> UiState:
    """Select the district whose polygon was clicked, as st_folium reports it.

    Only a new click (a different feature or click position than ``state.last_click``) changes
    the selection; a click on something without an ``adcode`` (a marker) leaves it alone.

    >>> click = {"last_active_drawing": {"properties": {"adcode": "370403", "name": "X"}},
    ...          "last_object_clicked": {"lat": 34.8, "lng": 117.2}}
    >>> apply_map_event(UiState(), click).adcode
    '370403'
    """
    if not returned:
        return state
    feature = returned.get("last_active_drawing")
    if not isinstance(feature, Mapping):
        return state
    properties = feature.get("properties")
    if not isinstance(properties, Mapping) or not properties.get("adcode"):
        return state
    adcode = str(properties["adcode"])
    point = returned.get("last_object_clicked")
    lat = lng = None
    if isinstance(point, Mapping):
        lat, lng = _as_float(point.get("lat")), _as_float(point.get("lng"))
    fingerprint = (adcode, lat, lng)
    if fingerprint == state.last_click:
        return state
    name = properties.get("name")
    return replace(state, adcode=adcode, district=str(name) if name else adcode, last_click=fingerprint)


def clear_selection(state: UiState) -> UiState:
    """Drop the district and event selection but remember the last map click (see UiState)."""
    return replace(state, adcode=None, district=None, event_id=None)


def apply_chart_event(state: UiState, returned: Mapping[str, Any] | None, param: str) -> UiState:
    """Select the event clicked in the timeline chart (``st.vega_lite_chart(on_select=...)`` return).

    An empty selection (a click on the background) keeps the previous event, so the source
    view does not vanish when the user clicks between points.

    >>> apply_chart_event(UiState(), {"selection": {"pick": [{"id": "e1"}]}}, "pick").event_id
    'e1'
    """
    if not returned:
        return state
    selection = returned.get("selection")
    if not isinstance(selection, Mapping):
        return state
    points = selection.get(param)
    if not isinstance(points, list) or not points or not isinstance(points[0], Mapping):
        return state
    event_id = points[0].get("id")
    return replace(state, event_id=str(event_id)) if event_id else state


def select_event(state: UiState, event_id: str | None) -> UiState:
    """Select an event by id (from the table or a picker)."""
    return replace(state, event_id=event_id)


def adcode_prefix(adcode: str) -> str:
    """The prefix every code inside ``adcode`` starts with.

    A county code (``370403``) covers its townships (``370403001``) and villages; a city code
    ends in ``00`` and a province code in ``0000``, which are dropped.

    >>> [adcode_prefix(c) for c in ("370403", "370400", "370000", "370403001")]
    ['370403', '3704', '37', '370403001']
    """
    code = adcode.strip()
    if len(code) == 6:
        while code.endswith("00") and len(code) > 2:
            code = code[:-2]
    return code


def is_within(adcodes: pd.Series, adcode: str) -> pd.Series:
    """Boolean mask: which of ``adcodes`` lie in the area ``adcode`` (missing codes never do)."""
    prefix = adcode_prefix(adcode)
    codes = adcodes.astype("string").fillna("")
    return codes.str.startswith(prefix) & (codes.str.len() >= len(prefix))


def filter_events(df: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Rows of the event table that pass every filter, in their original order."""
    mask = pd.Series(True, index=df.index)
    if filters.types:
        mask &= df["event_type"].astype("string").isin(filters.types)
    if filters.statuses:
        mask &= df["status"].astype("string").isin(filters.statuses)
    if filters.adcode:
        mask &= is_within(df["adcode"], filters.adcode)
    mask &= _date_mask(df, filters)
    query = filters.query.strip().casefold()
    if query:
        hits = pd.Series(False, index=df.index)
        for column in SEARCH_COLUMNS:
            if column in df.columns:
                text = df[column].astype("string").fillna("").str.casefold()
                hits |= text.str.contains(query, regex=False)
        mask &= hits
    return df.loc[mask.fillna(False).astype(bool)]


def table_view(df: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The ``columns`` of ``df`` (absent ones skipped) as text, :data:`EMPTY_CELL` where empty.

    >>> table_view(pd.DataFrame({"title": ["t"], "time_text": [None], "x": [1]}), ["title", "time_text"])
      title time_text
    0     t         —
    """
    view = df[[c for c in columns if c in df.columns]].astype("string")
    return view.mask(view.isna() | (view.apply(lambda col: col.str.strip()) == ""), EMPTY_CELL)


def table_html(view: pd.DataFrame, limit: int) -> str:
    """The first ``limit`` rows of ``view`` (text cells, :func:`table_view`) as an HTML table.

    Every header and cell is escaped (:func:`timeline.htmlsafe.escape_html`).

    >>> table_html(pd.DataFrame({"title": ["<b>x</b>", "y"]}), 1)
    '<table class="events"><thead><tr><th>title</th></tr></thead><tbody><tr><td>&lt;b&gt;x&lt;/b&gt;</td></tr></tbody></table>'
    """
    head = "".join(f"<th>{escape_html(column)}</th>" for column in view.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape_html(cell)}</td>" for cell in row) + "</tr>"
        for row in view.head(limit).itertuples(index=False)
    )
    return f'<table class="events"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def date_bounds(df: pd.DataFrame) -> tuple[dt.date, dt.date] | None:
    """First and last calendar day covered by dated events, for the date-range widget."""
    starts = df["start"].dropna()
    ends = df["end"].dropna()
    if starts.empty or ends.empty:
        return None
    first = starts.min().tz_convert(TZ).date()
    last = (ends.max().tz_convert(TZ) - pd.Timedelta(microseconds=1)).date()
    return first, max(first, last)


def _date_mask(df: pd.DataFrame, filters: Filters) -> pd.Series:
    undated = df["start"].isna() | df["end"].isna()
    mask = pd.Series(True, index=df.index)
    # Intervals are [start, end): an event passes when it overlaps the chosen days at all.
    if filters.date_from is not None:
        lower = pd.Timestamp(filters.date_from).tz_localize(TZ)
        mask &= df["end"] > lower
    if filters.date_to is not None:
        upper = pd.Timestamp(filters.date_to + dt.timedelta(days=1)).tz_localize(TZ)
        mask &= df["start"] < upper
    mask = mask.fillna(False).astype(bool)
    return (mask & ~undated) | (undated & filters.include_undated)


def _as_float(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
