"""Normalise one stand-alone time expression to a day interval or an ISO duration.

The article pipeline never calls this (``find_dates`` is the fast path). It serves callers with a
single expression — a date typed into a filter, the external test suites — and uses the project
grammar when one rule covers the whole expression, else jionlp's ``parse_time``, the strongest
general Chinese time parser (clock times, weekdays, lunar dates the news grammar leaves out).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from timeline.dates import find_dates_in_text

__all__ = ["Normalised", "normalise_expression"]

_DELTA_UNITS = (("year", "Y"), ("month", "M"), ("day", "D"))
_CLOCK_UNITS = (("hour", "H"), ("minute", "M"), ("second", "S"))


@dataclass(frozen=True, slots=True)
class Normalised:
    """Inclusive day interval (None at an open end) or an ISO duration, and who produced it."""

    first_day: dt.date | None
    last_day: dt.date | None
    duration: str | None
    source: str


def _day(stamp: str) -> dt.date | None:
    return None if stamp in ("inf", "-inf") else dt.date.fromisoformat(stamp[:10])


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _iso_delta(delta: dict[str, float]) -> str:
    date_part = "".join(f"{_number(delta[k])}{u}" for k, u in _DELTA_UNITS if delta.get(k))
    clock = "".join(f"{_number(delta[k])}{u}" for k, u in _CLOCK_UNITS if delta.get(k))
    return "P" + date_part + ("T" + clock if clock else "")


def _from_jionlp(text: str, time_base: Any) -> Normalised | None:
    import jionlp  # noqa: PLC0415 - slow to import; the article pipeline never needs it

    try:
        return _convert(jionlp.parse_time(text, time_base=time_base))
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None  # jionlp raises on what it cannot read; out-of-range years fail the conversion


def _convert(parsed: dict[str, Any]) -> Normalised | None:
    if parsed["type"] in ("time_point", "time_span"):
        return Normalised(_day(parsed["time"][0]), _day(parsed["time"][1]), None, "jionlp")
    if parsed["type"] == "time_delta" and isinstance(parsed["time"], dict):
        return Normalised(None, None, _iso_delta(parsed["time"]), "jionlp")
    if parsed["type"] == "time_period":
        return Normalised(None, None, "R/" + _iso_delta(parsed["time"]["delta"]), "jionlp")
    return None


def normalise_expression(
    text: str, reference: dt.datetime, time_base: Any = None, reference_value: str | None = None
) -> Normalised | None:
    """The interval or duration of ``text`` read at ``reference``; None when nothing parses.

    ``reference`` is wall-clock time (no time zone arithmetic); ``reference_value`` overrides the
    grammar's reference when it is coarser than a day (``"2008"``); ``time_base`` is passed to
    jionlp as is (default: the fields of ``reference``).

    >>> got = normalise_expression("今年前10个月", dt.datetime(2023, 11, 29))
    >>> (str(got.first_day), str(got.last_day), got.source)
    ('2023-01-01', '2023-10-31', 'grammar')
    """
    mentions = find_dates_in_text(text, reference_value or reference.date().isoformat())
    if len(mentions) == 1 and mentions[0].text == text.strip():
        m = mentions[0]
        duration = m.value if m.first_day is None and m.value.startswith(("P", "R/")) else None
        return Normalised(m.first_day, m.last_day, duration, "grammar")
    if time_base is None:
        time_base = [reference.year, reference.month, reference.day, reference.hour, reference.minute, reference.second]
    return _from_jionlp(text, time_base)
