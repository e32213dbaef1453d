"""Calendar arithmetic for date values: Chinese numerals, month ends, festivals, gold-syntax formatting.

Kept apart from ``dates`` so the resolvers read as rules; lunar festivals go through lunar-python
(a date table, not an approximation), so ``春节`` of any year is exact.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools

__all__ = ["add_months", "festival_day", "format_period", "month_end", "parse_number"]

_DIGITS = {"〇": 0, "零": 0, "○": 0, "0": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100}


def parse_number(text: str) -> int | None:
    """An integer written in ASCII digits, Chinese numerals or digit by digit (``二〇二三``).

    >>> [parse_number(s) for s in ("12", "十二", "二十三", "二〇二三", "三", "百", "x")]
    [12, 12, 23, 2023, 3, 100, None]
    """
    if text.isascii():
        return int(text) if text.isdigit() else None
    if not all(c in _DIGITS or c in _UNITS or c.isdigit() for c in text):
        return None
    if not any(c in _UNITS for c in text):
        return int("".join(str(_DIGITS.get(c, c)) for c in text))
    total, digit = 0, 0
    for c in text:
        if c in _UNITS:
            total += (digit or 1) * _UNITS[c]
            digit = 0
        else:
            digit = _DIGITS[c] if c in _DIGITS else int(c)
    return total + digit


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    """``(year, month)`` moved by ``delta`` months (month may overflow 12 on input)."""
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


@functools.cache
def festival_day(calendar_kind: str, month: int, day: int, year: int, name: str) -> dt.date:
    """The Gregorian day of a festival in ``year`` (lunar dates and solar terms via lunar-python).

    >>> festival_day("lunar", 1, 1, 2022, "春节")
    datetime.date(2022, 2, 1)
    """
    from lunar_python import Lunar, Solar  # noqa: PLC0415 - slow to import; only festivals need it

    if calendar_kind == "lunar":
        solar = Lunar.fromYmd(year, month, day).getSolar()
    elif calendar_kind == "jieqi":
        solar = Solar.fromYmd(year, month, 15).getLunar().getJieQiTable()[name.removesuffix("节")]
    else:
        return dt.date(year, month, day)
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


def _fmt(day: dt.date, grain: str) -> str:
    if grain == "year":
        return f"{day.year:04d}"
    if grain == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def format_period(first: dt.date, last: dt.date, grain: str) -> str:
    """Gold syntax for the days ``first..last`` at ``grain`` (day | month | year): one unit or ``A/B``.

    >>> format_period(dt.date(2023, 3, 1), dt.date(2023, 5, 31), "month")
    '2023-03/2023-05'
    >>> format_period(dt.date(2023, 1, 1), dt.date(2023, 12, 31), "year")
    '2023'
    """
    a, b = _fmt(first, grain), _fmt(last, grain)
    return a if a == b else f"{a}/{b}"
