"""Analyses → one pandas DataFrame of events: columns, time intervals, de-duplication, order.

One row per event across all documents. Times are tz-aware pandas Timestamps in China time
(+08:00) with an EXCLUSIVE end (a day event on 2023-10-18 is ``[10-18T00:00, 10-19T00:00)``), so
GIS tools and the timeline widget read the same interval. The same happening reported twice (two
articles on one press conference) becomes one row whose ``sources`` lists both.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from timeline.model import Event, Precision
from timeline.pipeline import Analysis

__all__ = ["COLUMNS", "TZ", "build_timeline", "event_interval", "is_same_event", "value_interval"]

#: China Standard Time as a fixed offset: Asia/Shanghai without the 1986-91 summer-time quirk.
TZ = dt.timezone(dt.timedelta(hours=8))
#: Column order of the timeline (the export contract).
COLUMNS = (
    "id",
    "event_type",
    "status",
    "title",
    "start",
    "end",
    "time_precision",
    "time_text",
    "place_name",
    "place_level",
    "adcode",
    "admin_path",
    "geo_precision",
    "lon",
    "lat",
    "source",
    "doc_id",
    "article",
    "article_title",
    "sentence",
    "evidence_start",
    "evidence_end",
    "date_start",
    "date_end",
    "place_start",
    "place_end",
    "confidence",
    "sources",
    "date_source",
    "place_source",
)
#: Titles at least this similar (difflib ratio after normalisation) name the same happening.
SAME_TITLE = 0.5
_TIME_DTYPE = pd.DatetimeTZDtype("ns", TZ)
_NOISE = re.compile(r"[\s\W\d_]+")


def _parse_value_day(part: str, *, last: bool) -> dt.date | None:
    """A gold-syntax date part (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) → its first or last day."""
    try:
        numbers = [int(p) for p in part.split("-")]
    except ValueError:
        return None
    if not 1 <= len(numbers) <= 3:
        return None
    year, month, day = numbers[0], numbers[1] if len(numbers) > 1 else None, numbers[2] if len(numbers) > 2 else None
    if day is not None and month is not None:
        return dt.date(year, month, day)
    if month is not None:
        first = dt.date(year, month, 1)
        return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1) if last else first
    return dt.date(year, 12, 31) if last else dt.date(year, 1, 1)


def value_interval(value: str | None) -> tuple[dt.date | None, dt.date | None]:
    """Inclusive first and last day of a gold-syntax value; Nones for durations and recurrences.

    >>> value_interval("2023-02")
    (datetime.date(2023, 2, 1), datetime.date(2023, 2, 28))
    >>> value_interval("R/P1Y")
    (None, None)
    """
    if not value or value[0] in "RP" or value.startswith(".."):
        return None, None
    first, _, last = value.partition("/")
    return _parse_value_day(first, last=False), _parse_value_day(last or first, last=True)


def _stamp(day: dt.date | None) -> pd.Timestamp:
    if day is None:
        return pd.NaT
    return pd.Timestamp(dt.datetime(day.year, day.month, day.day, tzinfo=TZ))


def event_interval(event: Event) -> tuple[pd.Timestamp, pd.Timestamp]:
    """``[start, end)`` of an event in +08:00, end exclusive; NaT for both when undated.

    An open start (``../2023-10-19``) is placed on its last day rather than dropped.
    """
    if event.date is not None:
        first, last = event.date.first_day, event.date.last_day
    else:
        first, last = value_interval(event.date_value)
    if first is None and last is None:
        return pd.NaT, pd.NaT
    first = first or last
    last = last or first
    assert first is not None and last is not None
    return _stamp(first), _stamp(last + dt.timedelta(days=1))


def _precision(event: Event) -> str | None:
    if event.date is not None:
        return str(event.date.precision)
    value = event.date_value
    if not value:
        return None
    if "/" in value:
        return str(Precision.MULTI_YEAR)
    return str({1: Precision.YEAR, 2: Precision.MONTH, 3: Precision.DAY}.get(value.count("-") + 1, Precision.APPROX))


def _row(analysis: Analysis, event: Event) -> dict[str, Any]:
    doc = analysis.doc
    start, end = event_interval(event)
    place = event.place.place if event.place is not None else None
    article = next((a for a in analysis.articles if a.index == event.article), None)
    lon = place.lon if place is not None and place.lon is not None else math.nan
    lat = place.lat if place is not None and place.lat is not None else math.nan
    return {
        "id": event.id,
        "event_type": str(event.type),
        "status": str(event.status),
        "title": event.title,
        "start": start,
        "end": end,
        "time_precision": _precision(event),
        "time_text": event.date.text if event.date is not None else None,
        "place_name": place.name if place is not None else None,
        "place_level": str(event.place.level) if event.place is not None and place is not None else None,
        "adcode": place.adcode if place is not None else None,
        "admin_path": place.path if place is not None else None,
        "geo_precision": int(place.geo_precision) if place is not None else None,
        "lon": lon,
        "lat": lat,
        "source": doc.source,
        "doc_id": doc.id,
        "article": event.article,
        "article_title": article.title if article is not None else None,
        "sentence": event.sentence,
        "evidence_start": event.evidence_start,
        "evidence_end": event.evidence_end,
        "date_start": event.date.start if event.date is not None else -1,
        "date_end": event.date.end if event.date is not None else -1,
        "place_start": event.place.start if event.place is not None else -1,
        "place_end": event.place.end if event.place is not None else -1,
        "confidence": float(event.confidence),
        "sources": [f"{doc.source}#{event.article}"],
        "date_source": event.date_source,
        "place_source": event.place_source,
    }


def _normalised(title: str) -> str:
    return _NOISE.sub("", title)


def is_same_event(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Same type, same start day, same place and similar titles: one happening reported twice.

    >>> row = {"event_type": "meeting", "start": pd.NaT, "admin_path": None, "title": "全区动员大会召开"}
    >>> is_same_event(row, {**row, "title": "区委召开全区动员大会"})
    True
    """
    if a["event_type"] != b["event_type"] or a["admin_path"] != b["admin_path"]:
        return False
    if pd.isna(a["start"]) != pd.isna(b["start"]) or (not pd.isna(a["start"]) and a["start"] != b["start"]):
        return False
    ratio = difflib.SequenceMatcher(None, _normalised(a["title"]), _normalised(b["title"])).ratio()
    return ratio >= SAME_TITLE


def _deduplicate(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Merge rows of one happening: the most confident report leads, every report is a source."""
    kept: list[dict[str, Any]] = []
    for row in sorted(rows, key=lambda r: -r["confidence"]):
        twin = next((k for k in kept if is_same_event(k, row)), None)
        if twin is None:
            kept.append(row)
            continue
        twin["sources"] = sorted(set(twin["sources"]) | set(row["sources"]))
    return kept


def build_timeline(analyses: Iterable[Analysis]) -> pd.DataFrame:
    """One row per event across ``analyses``, de-duplicated, sorted by start (undated last).

    Undated events have NaT ``start``/``end``; unplaced ones NaN ``lon``/``lat``; offsets of
    absent date/place mentions are -1.
    """
    rows = [_row(analysis, event) for analysis in analyses for event in analysis.events]
    rows = _deduplicate(rows)
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    for column in ("start", "end"):
        frame[column] = pd.to_datetime(frame[column], utc=True).dt.tz_convert(TZ).astype(_TIME_DTYPE)
    for column in ("lon", "lat", "confidence"):
        frame[column] = frame[column].astype(float)
    frame = frame.sort_values(["start", "source", "evidence_start"], na_position="last", kind="stable")
    return frame.reset_index(drop=True)
