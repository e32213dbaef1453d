"""Hand-made documents with date and place mentions, for the event, build and export tests.

They stand in for the date and place layers, so these tests say what the event layer does with
given mentions whatever the state of the layers below it.
"""

from __future__ import annotations

import datetime as dt

from gazetteer.model import GeoPrecision, Level, Place
from timeline.model import (
    Article,
    Document,
    Kind,
    PlaceMention,
    Precision,
    ReferenceDate,
    Role,
    TimeMention,
)
from timeline.pipeline import Analysis

PLACES = {
    "枣庄市": Place(1, "枣庄市", Level.CITY, 37, "山东省/枣庄市", "370400", 117.32, 34.81, GeoPrecision.OWN, "test"),
    "台儿庄区": Place(
        2, "台儿庄区", Level.COUNTY, 1, "山东省/枣庄市/台儿庄区", "370405", 117.73, 34.56, GeoPrecision.OWN, "test"
    ),
    "枣庄市会展中心": Place(
        3,
        "枣庄市会展中心",
        Level.POI,
        1,
        "山东省/枣庄市/枣庄市会展中心",
        None,
        117.32,
        34.81,
        GeoPrecision.TOWNSHIP,
        "test",
    ),
    "滕州市": Place(
        4, "滕州市", Level.COUNTY, 1, "山东省/枣庄市/滕州市", "370481", 117.17, 35.11, GeoPrecision.OWN, "test"
    ),
    "东京": Place(5, "东京", Level.FOREIGN, None, "日本/东京", None, 139.69, 35.69, GeoPrecision.OWN, "test"),
}


def reference(value: str = "2023-10-19") -> ReferenceDate:
    """A reference date at the precision its value spells."""
    precision = {10: Precision.DAY, 7: Precision.MONTH, 4: Precision.YEAR}[len(value)]
    return ReferenceDate(value, precision, "test", 1.0, "test")


def article_of(text: str, ref: str | None = "2023-10-19", *, title_lines: int = 0, source: str = "t.txt") -> Article:
    """One article spanning the whole text; the first ``title_lines`` lines are its headline."""
    from timeline.ingest import read_document

    doc = read_document(text, source)
    title_start = title_end = None
    if title_lines:
        title_start = 0
        title_end = len("\n".join(text.split("\n")[:title_lines]))
    return Article(doc, 0, 0, len(text.rstrip()), title_start, title_end, reference(ref) if ref else None)


def day(value: str) -> tuple[dt.date, dt.date]:
    """First and last day of a ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` value."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        d = dt.date(*parts)
        return d, d
    if len(parts) == 2:
        first = dt.date(parts[0], parts[1], 1)
        nxt = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return first, nxt - dt.timedelta(days=1)
    return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)


def date_at(
    doc: Document, phrase: str, value: str, *, nth: int = 0, kind: Kind = Kind.POINT, precision: Precision | None = None
) -> TimeMention:
    """A date mention of the ``nth`` occurrence of ``phrase``."""
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(phrase, start + 1)
    first: dt.date | None = None
    last: dt.date | None = None
    if kind not in (Kind.DURATION, Kind.RECURRING):
        first, last = day(value.split("/", maxsplit=1)[0])
        if "/" in value:
            last = day(value.split("/")[1])[1]
    if precision is None:
        precision = {10: Precision.DAY, 7: Precision.MONTH, 4: Precision.YEAR}.get(len(value), Precision.APPROX)
    return TimeMention(doc, start, start + len(phrase), value, first, last, precision, kind, 1.0, 0)


def place_at(doc: Document, phrase: str, name: str, role: Role = Role.EVENT_LOCATION, *, nth: int = 0) -> PlaceMention:
    """A place mention of the ``nth`` occurrence of ``phrase`` resolved to ``PLACES[name]``."""
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(phrase, start + 1)
    place = PLACES[name]
    return PlaceMention(doc, start, start + len(phrase), place.level, place, role, 1.0, 0)


def analysis_of(article: Article, dates: list[TimeMention], places: list[PlaceMention]) -> Analysis:
    """An Analysis of one article with the events ``find_events`` gives."""
    from timeline.events import find_events

    events = find_events(article, dates, places)
    return Analysis(article.doc, (article,), tuple(dates), tuple(places), events)
