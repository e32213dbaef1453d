"""Typed, frozen values that flow through the pipeline.

The Document owns the text; every mention is a ``[start, end)`` span of code points into
``Document.text`` and derives its ``text`` from it (as spaCy spans do), so provenance can always
be traced back to the sentence.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from gazetteer.model import Level, Place
from timeline.textnorm import fold_width

__all__ = [
    "Article",
    "Document",
    "Event",
    "EventType",
    "Kind",
    "Level",
    "Place",
    "PlaceMention",
    "Precision",
    "ReferenceDate",
    "Role",
    "Status",
    "TimeMention",
]


class Precision(enum.StrEnum):
    """Granularity of a date value; ``approx`` for vague expressions (近日, 年底前)."""

    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    SEASON = "season"
    YEAR = "year"
    MULTI_YEAR = "multi-year"
    APPROX = "approx"


class Kind(enum.StrEnum):
    """Shape of a time mention."""

    POINT = "point"
    RANGE = "range"
    DURATION = "duration"
    RECURRING = "recurring"
    ONGOING_SINCE = "ongoing-since"
    DEADLINE = "deadline"


class Role(enum.StrEnum):
    """What a place mention does in its sentence."""

    EVENT_LOCATION = "event_location"
    ORIGIN = "origin"
    ORGANIZATION_NAME = "organization_name"
    OTHER = "other"


class EventType(enum.StrEnum):
    """Event taxonomy of the gold annotation."""

    PRESS_CONFERENCE = "press_conference"
    MEETING = "meeting"
    PROJECT_MILESTONE = "project_milestone"
    TRAINING = "training"
    INSPECTION = "inspection"
    CAMPAIGN = "campaign"
    AWARD = "award"
    OTHER = "other"


class Status(enum.StrEnum):
    """Whether an event happened or is announced."""

    OCCURRED = "occurred"
    PLANNED = "planned"


@dataclass(frozen=True, slots=True)
class Document:
    """One input page. ``folded`` is a same-length width fold of ``text`` for matching."""

    id: str
    source: str
    text: str
    folded: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "folded", fold_width(self.text))


def _check_span(doc: Document, start: int, end: int) -> None:
    if not 0 <= start < end <= len(doc.text):
        raise ValueError(f"bad span [{start}, {end}) for a text of {len(doc.text)} characters")


@dataclass(frozen=True, slots=True)
class ReferenceDate:
    """The date relative expressions of an article are resolved against, with its evidence.

    ``value`` is in the gold syntax (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``); ``anchor`` is the
    day used for arithmetic (the first day of the period when the value is coarser than a day).
    """

    value: str
    precision: Precision
    evidence: str
    confidence: float
    source: str

    @property
    def anchor(self) -> dt.date:
        """The reference as a calendar day (first day of a month/year value)."""
        parts = [int(p) for p in self.value.split("-")]
        parts += [1] * (3 - len(parts))
        return dt.date(parts[0], parts[1], parts[2])


@dataclass(frozen=True, slots=True)
class Article:
    """One article of a page: span, optional headline span, and its reference date."""

    doc: Document = field(repr=False, compare=False)
    index: int
    start: int
    end: int
    title_start: int | None = None
    title_end: int | None = None
    reference: ReferenceDate | None = None

    def __post_init__(self) -> None:
        _check_span(self.doc, self.start, self.end)
        if (self.title_start is None) != (self.title_end is None):
            raise ValueError("title_start and title_end go together")

    @property
    def text(self) -> str:
        """The article's text, derived from the document."""
        return self.doc.text[self.start : self.end]

    @property
    def title(self) -> str | None:
        """The headline; a two-line headline is joined by one space."""
        if self.title_start is None or self.title_end is None:
            return None
        return " ".join(
            line.strip() for line in self.doc.text[self.title_start : self.title_end].split("\n") if line.strip()
        )


@dataclass(frozen=True, slots=True)
class TimeMention:
    """A time expression: span, gold-syntax ``value`` and the inclusive day interval it covers.

    ``first_day``/``last_day`` are None for durations and recurrences (no calendar position) and
    for open ends (``../2023-10-19``).
    """

    doc: Document = field(repr=False, compare=False)
    start: int
    end: int
    value: str
    first_day: dt.date | None
    last_day: dt.date | None
    precision: Precision
    kind: Kind
    confidence: float
    article: int
    note: str = ""

    def __post_init__(self) -> None:
        _check_span(self.doc, self.start, self.end)

    @property
    def text(self) -> str:
        """The expression as written."""
        return self.doc.text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A toponym in the text, resolved to a gazetteer Place (or None when unresolved, flagged).

    A chain (``薛城区常庄街道吴庄村``) is one mention at its finest level whose parts are in
    ``components``. ``runner_up`` is the second-best candidate, kept for review.
    """

    doc: Document = field(repr=False, compare=False)
    start: int
    end: int
    level: Level
    place: Place | None
    role: Role
    confidence: float
    article: int
    components: tuple[PlaceMention, ...] = ()
    runner_up: Place | None = None
    note: str = ""

    def __post_init__(self) -> None:
        _check_span(self.doc, self.start, self.end)

    @property
    def text(self) -> str:
        """The toponym as written."""
        return self.doc.text[self.start : self.end]

    @property
    def is_resolved(self) -> bool:
        """Whether the mention points at a gazetteer entry."""
        return self.place is not None


@dataclass(frozen=True, slots=True)
class Event:
    """A dated, located happening with provenance back to its sentence.

    ``date`` is None only when no date could be bound at all; ``date_source`` says how the date
    was obtained (``clause``, ``sentence``, ``dateline``, ``reference``). ``place`` is the main
    place (None when unplaced).
    """

    doc: Document = field(repr=False, compare=False)
    id: str
    type: EventType
    status: Status
    title: str
    article: int
    sentence_start: int
    sentence_end: int
    evidence_start: int
    evidence_end: int
    trigger_start: int
    trigger_end: int
    date: TimeMention | None
    date_value: str | None
    date_source: str
    place: PlaceMention | None
    place_source: str
    confidence: float

    def __post_init__(self) -> None:
        _check_span(self.doc, self.sentence_start, self.sentence_end)
        _check_span(self.doc, self.evidence_start, self.evidence_end)
        _check_span(self.doc, self.trigger_start, self.trigger_end)

    @property
    def sentence(self) -> str:
        """The sentence that states the happening."""
        return self.doc.text[self.sentence_start : self.sentence_end]
