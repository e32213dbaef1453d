"""Reference dates of a page's articles: the date their relative expressions are resolved against.

Evidence is weighed in the order of the gold guideline, strongest first: a publication date the
user gives (always wins), a byline timestamp (``2021-09-01 14:26:56``, parsed by dateparser: the
only place it is used, as it misreads Chinese running text) in the header or, failing that, a
closing dateline on the item's last line (``2024年04月02日 开封日报``), the dateline (``本报枣庄10月19日讯``),
the reported happening in the lead (``11月29日，…``), a festival anchor (``春节过后``), then the
page: sibling articles give the month, explicit years give the year. Years come from explicit
``YYYY年`` mentions (targets such as ``到2025年`` excluded); an article whose latest year is well
before the page's is an older item and keeps a year-only reference; an item dated in the first
months that cites the page year only in whole-year figures (``2023年全市GDP增长7%``) was written
the year after. The system clock is never
read: with no evidence at all the reference is None.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from timeline.model import Document, Precision, ReferenceDate
from timeline.page_patterns import PagePatterns


@dataclass(frozen=True, slots=True)
class ArticleZones:
    """Where to look inside one article: whole span, header lines, lead paragraph."""

    start: int
    end: int
    header_end: int
    lead_start: int
    lead_end: int


@dataclass(frozen=True, slots=True)
class _Day:
    month: int
    day: int
    year: int | None
    text: str


@dataclass(frozen=True, slots=True)
class _Clues:
    timestamp: tuple[dt.date, str] | None
    dateline: _Day | None
    dateline_text: str
    happening: _Day | None
    festival: tuple[str, int, str] | None
    years: tuple[int, ...]
    says_last_year: bool
    timestamp_where: str = "byline"
    statistic_years: tuple[int, ...] = ()


def user_reference(publication_date: dt.date) -> ReferenceDate:
    """The reference for a publication date passed in by the user (confidence 1.0)."""
    return ReferenceDate(publication_date.isoformat(), Precision.DAY, "publication date given by the user", 1.0, "user")


# The everyday shapes of a complete timestamp (year first, valid clock), read directly: dateparser
# gives the same day for each of them (checked day by day over 14 months in every shape) and
# costs milliseconds a call plus a slow import; anything else still goes to dateparser.
_PLAIN_TIMESTAMP = re.compile(
    r"(?P<y>20\d\d)(?:-(?P<m>\d{1,2})-(?P<d>\d{1,2})|/(?P<m2>\d\d)/(?P<d2>\d\d)|年(?P<m3>\d{1,2})月(?P<d3>\d{1,2})日)"
    r"(?: (?P<hh>\d{1,2}):(?P<mm>\d\d)(?::(?P<ss>\d\d))?)?"
)


def _plain_timestamp(text: str) -> dt.date | None:
    """The day of an everyday timestamp shape; None when ``text`` has another shape or is invalid.

    >>> _plain_timestamp("2021-09-01 14:26:56"), _plain_timestamp("2021-02-30"), _plain_timestamp("2021.9.1")
    (datetime.date(2021, 9, 1), None, None)
    """
    m = _PLAIN_TIMESTAMP.fullmatch(text)
    if m is None or int(m["hh"] or 0) > 23 or int(m["mm"] or 0) > 59 or int(m["ss"] or 0) > 59:
        return None
    month, day = m["m"] or m["m2"] or m["m3"], m["d"] or m["d2"] or m["d3"]
    try:
        return dt.date(int(m["y"]), int(month), int(day))
    except ValueError:
        return None


def parse_timestamp(text: str) -> dt.date | None:
    """Parse a complete metadata timestamp with dateparser (strict: no guessed parts).

    >>> parse_timestamp("2021-09-01 14:26:56")
    datetime.date(2021, 9, 1)
    """
    plain = _plain_timestamp(text)
    if plain is not None:
        return plain
    import dateparser  # noqa: PLC0415 - slow to import; only pages with metadata timestamps need it

    parsed = dateparser.parse(text, languages=["zh", "en"], settings={"STRICT_PARSING": True})
    return parsed.date() if isinstance(parsed, dt.datetime) else None


def _find_day(pattern: re.Pattern[str], text: str) -> _Day | None:
    m = pattern.search(text)
    if m is None:
        return None
    year = m.groupdict().get("year")
    return _Day(int(m["month"]), int(m["day"]), int(year) if year else None, m.group())


def _years(folded: str, patterns: PagePatterns) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Explicit years, and the years cited only in figures of the whole year, in one pass.

    Targets (到2025年) are not explicit years; a figure of a whole year reads 2023年全市GDP增长7%.
    """
    found = []
    stats: set[int] = set()
    other: set[int] = set()
    for m in patterns.year.finditer(folded):
        year, start, end = int(m["year"]), m.start(), m.end()
        before, after = folded[max(0, start - 4) : start], folded[end : end + 4]
        if not patterns.year_exclude_before.search(before) and not patterns.year_exclude_after.search(after):
            found.append(year)
        is_stat = patterns.year_statistic_after.search(folded[end : end + 24]) is not None
        (stats if is_stat else other).add(year)
    return tuple(found), tuple(sorted(stats - other))


def _timestamp(lines: Sequence[str], patterns: PagePatterns) -> tuple[dt.date, str] | None:
    """The first complete timestamp on a byline-like line among ``lines``."""
    for line in lines:
        if patterns.line_role(line.strip()) != "byline":
            continue
        for pattern in patterns.timestamps:
            m = pattern.search(line)
            day = parse_timestamp(m.group()) if m else None
            if m and day:
                return day, m.group()
    return None


def _clues(doc: Document, zones: ArticleZones, patterns: PagePatterns) -> _Clues:
    folded = doc.folded
    timestamp_where = "byline"
    timestamp = _timestamp(folded[zones.start : zones.header_end].split("\n"), patterns)
    if timestamp is None and zones.lead_end < zones.end:
        # A closing dateline (2024年04月02日 开封日报) on the last line of the item.
        timestamp = _timestamp(folded[zones.start : zones.end].rsplit("\n", 1)[-1:], patterns)
        timestamp_where = "closing dateline"
    lead = folded[zones.lead_start : zones.lead_end]
    dateline, dateline_text, rest = None, "", lead
    for pattern in patterns.datelines:
        m = pattern.search(lead)
        if m:
            dateline_text, rest = m.group(), lead[m.end() :]
            if m["month"]:
                year = m.groupdict().get("year")
                dateline = _Day(int(m["month"]), int(m["day"]), int(year) if year else None, m.group())
            break
    happening = next((d for p in patterns.happening if (d := _find_day(p, rest))), None)
    body = folded[zones.start : zones.end]
    years, statistic_years = _years(body, patterns)
    festival = None
    for f in patterns.festivals:
        fm = f.regex.search(body)
        if fm:
            festival = (f.festival, f.offset_days, fm.group())
            break
    return _Clues(
        timestamp,
        dateline,
        dateline_text,
        happening,
        festival,
        years,
        any(w in body for w in patterns.last_year_words),
        timestamp_where,
        statistic_years,
    )


@functools.cache
def festival_day(festival: str, year: int) -> dt.date:
    """The Gregorian day of a named festival in ``year`` (lunar calendar via lunar-python).

    >>> festival_day("spring_festival", 2022)
    datetime.date(2022, 2, 1)
    """
    if festival != "spring_festival":
        raise ValueError(f"unknown festival {festival!r}")
    from lunar_python import Lunar  # noqa: PLC0415 - slow to import; only festival clues need it

    solar = Lunar.fromYmd(year, 1, 1).getSolar()
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


def _page_year(clues: Sequence[_Clues]) -> int | None:
    stamped = [c.timestamp[0].year for c in clues if c.timestamp]
    if stamped:
        return max(stamped)
    years = [max(c.years) for c in clues if c.years]
    return max(years) if years else None


def _article_year(c: _Clues, page_year: int | None, patterns: PagePatterns) -> tuple[int | None, str, bool]:
    """Year of one article, how it was found, and whether the article is older than its page."""
    if c.timestamp:
        return c.timestamp[0].year, "byline", False
    if c.years and page_year is not None and max(c.years) <= page_year - patterns.stale_years:
        latest = max(c.years)
        if c.says_last_year:
            return latest + 1, f"latest explicit year {latest} = 去年 on a {page_year} page", True
        return latest, f"latest explicit year {latest} on a {page_year} page", True
    if page_year is None:
        return None, "", False
    day = c.dateline or c.happening
    if day and day.year is None and day.month <= patterns.early_months and page_year in c.statistic_years:
        # Figures of a whole year are reported after it ends: an early-month item citing only
        # 2023's results was written in 2024.
        why = f"year {page_year + 1}: {page_year} only in figures of that whole year, reported in month {day.month}"
        return page_year + 1, why, False
    where = "the article" if page_year in c.years else "the page"
    return page_year, f"year {page_year} from explicit years in {where}", False


def _own_reference(
    c: _Clues, year: int | None, why: str, page_days: set[tuple[int, int]], patterns: PagePatterns
) -> ReferenceDate | None:
    conf = patterns.confidence
    if c.timestamp:
        day, text = c.timestamp
        evidence = f"{c.timestamp_where} timestamp “{text}”"
        return ReferenceDate(day.isoformat(), Precision.DAY, evidence, conf["byline"], "byline")
    if c.dateline and (c.dateline.year or year) is not None:
        if c.dateline.year:
            year, why = c.dateline.year, "year in the dateline"
        assert year is not None
        value = dt.date(year, c.dateline.month, c.dateline.day).isoformat()
        return ReferenceDate(value, Precision.DAY, f"dateline “{c.dateline.text}”; {why}", conf["dateline"], "dateline")
    if c.happening and (year is not None or c.happening.year is not None):
        h = c.happening
        y = h.year or year
        assert y is not None
        evidence = f"reported happening “{h.text}” in the lead" + ("" if h.year else f"; {why}")
        if len(page_days) <= 1:
            value = dt.date(y, h.month, h.day).isoformat()
            return ReferenceDate(value, Precision.DAY, evidence, conf["happening_day"], "happening")
        evidence += "; other items of the page report other days, so the month"
        return ReferenceDate(f"{y:04d}-{h.month:02d}", Precision.MONTH, evidence, conf["happening_month"], "happening")
    if c.festival and year is not None:
        name, offset, text = c.festival
        day = festival_day(name, year) + dt.timedelta(days=offset)
        evidence = f"“{text}” dated around {name.replace('_', ' ')} {year}; {why}"
        return ReferenceDate(f"{day.year:04d}-{day.month:02d}", Precision.MONTH, evidence, conf["festival"], "festival")
    return None


def _page_reference(
    year: int | None, why: str, stale: bool, siblings: Sequence[ReferenceDate | None], patterns: PagePatterns
) -> ReferenceDate | None:
    conf = patterns.confidence
    if year is None:
        return None
    if stale:
        return ReferenceDate(str(year), Precision.YEAR, why, conf["stale_year"], "explicit-year")
    dated = sorted(r.value[:7] for r in siblings if r and len(r.value) >= 7 and r.value.startswith(str(year)))
    if dated:
        evidence = f"no date of its own; month from sibling articles on the page ({dated[-1]}); {why}"
        return ReferenceDate(dated[-1], Precision.MONTH, evidence, conf["page"], "page")
    return ReferenceDate(
        str(year), Precision.YEAR, f"no date of its own; {why}", conf["explicit_year"], "explicit-year"
    )


def find_reference_dates(
    doc: Document, zones: Sequence[ArticleZones], patterns: PagePatterns, publication_date: dt.date | None = None
) -> tuple[ReferenceDate | None, ...]:
    """The reference date of every article of a page, from its own text and its siblings."""
    if publication_date is not None:
        return tuple(user_reference(publication_date) for _ in zones)
    clues = [_clues(doc, z, patterns) for z in zones]
    page_year = _page_year(clues)
    years = [_article_year(c, page_year, patterns) for c in clues]
    page_days = set()
    for c, (_, _, stale) in zip(clues, years, strict=True):
        day = c.dateline or c.happening
        if day and not stale and not c.timestamp:
            page_days.add((day.month, day.day))
    own_refs = [
        _own_reference(c, year, why, page_days, patterns) for c, (year, why, _) in zip(clues, years, strict=True)
    ]
    return tuple(
        ref or _page_reference(year, why, stale, own_refs, patterns)
        for ref, (year, why, stale) in zip(own_refs, years, strict=True)
    )
