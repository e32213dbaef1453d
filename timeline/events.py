"""Detect events in an article and bind each to a date and a place, with provenance.

A clause holding a trigger from ``data/event_triggers.csv`` (召开…新闻发布会, 开工, 颁发 …) states
an event. Its date is a date mention of the same clause, else one before it in the sentence, else
the article's reference date (``date_source``: clause, sentence, reference); durations,
recurrences and vague spans of years (近年来) never date an event; a date inside the event's name
(召开2024年…工作会议, 2024年第二批…开工) dates it only when no finer date does. Its place is the
clause's venue (在X举办), else the finest resolved place of the clause, else the acting
jurisdiction (a venue or acting unit named before it in the sentence, the unit of the speaker of
a quotation, or the first unit the paragraph names), else the article's focus place
(``place_source``: clause, jurisdiction, focus; ``venue`` when a later mention in the paragraph,
发布会在X举行, names it). Triggers that need a date (generic words such as 活动, 建成) fire only
with a date in the clause or sentence, so undated generic practices are not events; a later
mention of a reported happening is folded into the first. Everything here is pure: the trigger
table is package data.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from timeline.clauses import Span, split_clauses, split_sentences
from timeline.model import (
    Article,
    Event,
    Kind,
    Level,
    PlaceMention,
    Precision,
    ReferenceDate,
    Role,
    Status,
    TimeMention,
)
from timeline.triggers import Trigger, TriggerTable, load_triggers

__all__ = ["LEVEL_RANK", "find_events"]

#: Finer places rank higher; a clause's finest resolved place is its event's place.
LEVEL_RANK = {
    Level.COUNTRY: 0,
    Level.FOREIGN: 0,
    Level.PROVINCE: 1,
    Level.CITY: 2,
    Level.COUNTY: 3,
    Level.ZONE: 4,
    Level.TOWNSHIP: 5,
    Level.VILLAGE: 6,
    Level.COMMUNITY: 6,
    Level.ROAD: 7,
    Level.RIVER: 7,
    Level.POI: 8,
}
# Durations (为期4天) and recurrences (每年) have no calendar position: they never date an event.
_UNDATABLE = frozenset({Kind.DURATION, Kind.RECURRING})
# An approximate date spanning more than this many days (近年来) is too vague to date an event.
_VAGUE_DAYS = 366
_DATE_FACTOR = {"clause": 1.0, "sentence": 0.9, "reference": 0.6, "none": 0.4}
_PLACE_FACTOR = {"clause": 1.0, "venue": 0.95, "jurisdiction": 0.9, "focus": 0.75, "none": 0.6}
_TITLE_CHARS = 40
# How far after a closing quote the speaker's attribution (…镇党委书记…说) names its unit.
_ATTRIBUTION_REACH = 12
# An anaphor (此次) up to this many characters before a trigger (or right after a verb trigger)
# refers back: 此次培训班, 举办此次培训班.
_ANAPHOR_REACH = 4
_TRIM = " \t\n,，。；;：:、！!？?"
# Quotations and title marks (the fold turns full-width quotes into nothing else, so both forms).
_QUOTED = re.compile(r"“[^”]*”|《[^》]*》|\"[^\"]*\"")


@dataclass(frozen=True, slots=True)
class _Hit:
    """The best trigger of one clause."""

    trigger: Trigger
    start: int
    end: int
    clause: Span
    sentence: Span


def _best_hit(text: str, clause: Span, sentence: Span, table: TriggerTable) -> _Hit | None:
    best: _Hit | None = None
    # Only rows with one of their words in the clause (for the others search finds nothing),
    # strongest first: once a row matched, a weaker one cannot beat it and is not searched.
    rows = sorted(table.rows_in(text, clause.start, clause.end), key=table.strength.__getitem__)
    for index in rows:
        trigger = table.triggers[index]
        if best is not None and trigger.weight < best.trigger.weight:
            break
        match = trigger.pattern.search(text, clause.start, clause.end)
        if match is None:
            continue
        start, end = match.span()
        if start == end or (best is not None and (trigger.weight, -start) <= (best.trigger.weight, -best.start)):
            continue
        if table.anaphor.search(text, max(clause.start, start - _ANAPHOR_REACH), min(clause.end, end + 2)):
            continue
        best = _Hit(trigger, start, end, clause, sentence)
    return best


def _is_datable(date: TimeMention) -> bool:
    """Whether a mention can date an event: not a duration or recurrence, not a vague span of years.

    近年来 (approximately the last few years) frames background, never a happening.
    """
    if date.kind in _UNDATABLE:
        return False
    if date.precision is Precision.APPROX and date.first_day is not None and date.last_day is not None:
        return (date.last_day - date.first_day).days <= _VAGUE_DAYS
    return True


class _HasSpan(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


_M = TypeVar("_M", bound=_HasSpan)


@dataclass(frozen=True, slots=True)
class _Ordered(Generic[_M]):
    """Mentions of one article, with their starts when in text order (found by bisection then)."""

    items: tuple[_M, ...]
    starts: tuple[int, ...] | None

    @classmethod
    def of(cls, items: Iterable[_M]) -> _Ordered[_M]:
        kept = tuple(items)
        starts = tuple(m.start for m in kept)
        return cls(kept, starts if all(a <= b for a, b in itertools.pairwise(starts)) else None)

    def within(self, low: int, high: int) -> list[_M]:
        """The mentions inside ``[low, high)``, in the given order."""
        if self.starts is None:
            return [m for m in self.items if low <= m.start and m.end <= high]
        found = []
        i = bisect.bisect_left(self.starts, low)
        while i < len(self.items) and self.starts[i] < high:
            if self.items[i].end <= high:
                found.append(self.items[i])
            i += 1
        return found


def _nearest_date(candidates: Sequence[TimeMention], anchor: int) -> TimeMention:
    """The mention closest before ``anchor`` (dates usually lead), else the first after it."""
    before = [d for d in candidates if d.start < anchor]
    return before[-1] if before else candidates[0]


def _coordinated(text: str, clause_dates: Sequence[TimeMention], table: TriggerTable) -> list[TimeMention]:
    """Dates joined by a coordinator (2020年和2021年): one event each; else an empty list."""
    chain = [clause_dates[0]]
    for prev, cur in itertools.pairwise(clause_dates):
        if table.coordinator.fullmatch(text[prev.end : cur.start]) and cur.precision is prev.precision:
            chain.append(cur)
        elif len(chain) > 1:
            break
        else:
            chain = [cur]
    return chain if len(chain) > 1 else []


def _quoted_spans(text: str, span: Span) -> list[tuple[int, int]]:
    """Stretches inside quotes or title marks: a date there names something (《…2021—2023年》)."""
    spans: list[tuple[int, int]] = []
    for match in _QUOTED.finditer(text, span.start, span.end):
        spans.append((match.start(), match.end()))
    return spans


def _outside_quotes(text: str, span: Span, candidates: list[TimeMention]) -> list[TimeMention]:
    if not candidates:
        return candidates
    quoted = _quoted_spans(text, span)
    free = [d for d in candidates if not any(s <= d.start and d.end <= e for s, e in quoted)]
    return free or candidates


def _bind_dates(
    text: str, hit: _Hit, dates: _Ordered[TimeMention], table: TriggerTable
) -> list[tuple[TimeMention, str]]:
    in_clause = _outside_quotes(text, hit.clause, dates.within(hit.clause.start, hit.clause.end))
    # A date inside the event's name (召开2024年…工作会议) dates it only when no finer date does.
    named = [d for d in in_clause if _in_name(text, hit, d, table)]
    coarsest = max((_span_days(d) for d in named), default=None)
    free = [d for d in in_clause if d not in named and _finer(d, coarsest)]
    if free:
        return _clause_dates(text, hit, free, table)
    # Outside the clause only a date before it counts: a temporal adverbial leads its predicate,
    # and a later clause's date (…成功落户，2020年收入突破…) dates that clause, not this one.
    in_sentence = [d for d in dates.within(hit.sentence.start, hit.sentence.end) if d.end <= hit.clause.start]
    in_sentence = _outside_quotes(text, hit.sentence, in_sentence)
    # An earlier clause's name (举行2024年第三季度…签约仪式，共有15个项目现场签约) dates no later clause.
    in_sentence = [d for d in in_sentence if not _naming(text, hit.sentence.start, d, table)] or in_sentence
    if coarsest is not None:
        in_sentence = [d for d in in_sentence if _finer(d, coarsest)]
    if in_sentence:
        return [(in_sentence[-1], "sentence")]
    if in_clause:
        return _clause_dates(text, hit, in_clause, table)
    return []


def _span_days(date: TimeMention) -> int:
    """How many days ``date`` spans (a very large number when it is open or unresolved)."""
    if date.first_day is None or date.last_day is None:
        return 1 << 30
    return (date.last_day - date.first_day).days + 1


def _finer(date: TimeMention, days: int | None) -> bool:
    """Whether ``date`` is clearly finer than a span of ``days`` (a month against a quarter or a year).

    2021 against 2020 (365 against 366 days) is not: two years of one name are its two dates.
    """
    return days is None or 2 * _span_days(date) <= days


def _clause_dates(
    text: str, hit: _Hit, in_clause: list[TimeMention], table: TriggerTable
) -> list[tuple[TimeMention, str]]:
    chain = _coordinated(text, in_clause, table)
    if chain:
        return [(d, "clause") for d in chain]
    return [(_nearest_date(in_clause, hit.start), "clause")]


@functools.cache
def _ending(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` anchored at the end of the searched stretch."""
    return re.compile(f"(?:{pattern.pattern})\\Z")


def _in_name(text: str, hit: _Hit, date: TimeMention, table: TriggerTable) -> bool:
    """Whether ``date`` qualifies the event's name rather than dating it.

    It does when it lies before the trigger in the clause and either follows a verb opening the
    name (召开2024年…会议, 开展夏季…检查) or is followed by an ordinal (2024年第二批…开工).
    """
    return date.end <= hit.start and _naming(text, hit.clause.start, date, table)


def _naming(text: str, start: int, date: TimeMention, table: TriggerTable) -> bool:
    """Whether ``date`` follows a name-opening verb (after ``start``) or precedes an ordinal."""
    if _ending(table.opener).search(text, start, date.start):
        return True
    return table.qualifier.match(text, date.end) is not None


def _is_located(mention: PlaceMention, roles: frozenset[Role]) -> bool:
    return mention.place is not None and mention.role in roles


_CLAUSE_ROLES = frozenset({Role.EVENT_LOCATION})
_ACTOR_ROLES = frozenset({Role.EVENT_LOCATION, Role.ORGANIZATION_NAME})
# Only administrative units act (a park or a building named in passing is not a jurisdiction).
_JURISDICTIONS = frozenset({Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, Level.COMMUNITY})


def _finest(mentions: Sequence[PlaceMention]) -> PlaceMention | None:
    best: PlaceMention | None = None
    for m in mentions:
        if best is None or LEVEL_RANK.get(m.level, 0) > LEVEL_RANK.get(best.level, 0):
            best = m
    return best


def _focus_place(places: Sequence[PlaceMention], article: Article) -> PlaceMention | None:
    """The place the article is about: the most often named located or acting place, first on ties.

    When the headline names any, only those compete (an interview naming its township four times
    in a county's article headlined 谷城县召开… is still about the county).
    """
    located = [m for m in places if _is_located(m, _ACTOR_ROLES | {Role.ORIGIN})]
    if not located:
        return None
    counts = Counter(m.place.id for m in located if m.place is not None)
    title = _title_span(article)
    pool = [m for m in located if title is not None and title.contains(m.start, m.end)] or located
    top = max(counts[m.place.id] for m in pool if m.place is not None)
    return next(m for m in pool if m.place is not None and counts[m.place.id] == top)


def _heads(text: str, mentions: Sequence[PlaceMention], table: TriggerTable) -> list[PlaceMention]:
    """Drop the later members of coordinated places (枣庄市、滕州市): the first one heads the group."""
    heads: list[PlaceMention] = []
    for m in mentions:
        if heads and table.coordinator.fullmatch(text[heads[-1].end : m.start]):
            continue
        heads.append(m)
    return heads


def _speaker_place(hit: _Hit, paragraph_start: int, ctx: _Context) -> PlaceMention | None:
    """The unit of the speaker of a quotation holding the trigger (……”孟庄镇党委书记…说).

    Interviewees say 我们村, 全镇; the attribution after the closing quote names the unit.
    """
    text = ctx.text
    opened = text.count("“", paragraph_start, hit.start) - text.count("”", paragraph_start, hit.start)
    if opened <= 0:
        return None
    closing = text.find("”", hit.end)
    line_end = text.find("\n", hit.end)
    if closing < 0 or (0 <= line_end < closing):
        return None
    attribution = [
        m
        for m in ctx.places
        if closing < m.start <= closing + _ATTRIBUTION_REACH
        and m.place is not None
        and m.role in _ACTOR_ROLES
        and m.level in _JURISDICTIONS
    ]
    return _finest(attribution)


def _venues(text: str, span: Span, mentions: Sequence[PlaceMention], table: TriggerTable) -> list[PlaceMention]:
    """The mentions right after a venue preposition (在X), or chained right after such a mention."""
    venues: list[PlaceMention] = []
    for m in mentions:
        if _ending(table.venue).search(text, span.start, m.start) or (venues and venues[-1].end == m.start):
            venues.append(m)
    return venues


def _bind_place(hit: _Hit, ctx: _Context) -> tuple[PlaceMention | None, str]:
    focus, resolved = ctx.focus, ctx.resolved
    paragraph_start = _paragraph_start(ctx.text, hit.start, ctx.article.start)
    in_clause = resolved.within(hit.clause.start, hit.clause.end)
    located = [m for m in _heads(ctx.text, in_clause, ctx.table) if m.role in _CLAUSE_ROLES]
    # A venue (在X开展…) beats the organiser named before it (闲林街道还在X开展了…).
    finest = _finest(_venues(ctx.text, hit.clause, located, ctx.table)) or _finest(located)
    if finest is not None:
        return finest, "clause"
    # The acting jurisdiction: the last place named before the trigger in the sentence, else the
    # topic of the paragraph (the first place it names).
    # In the sentence, a venue named before the trigger (走进X小学，开展…活动) or the acting unit.
    # A member of a list (A、B等6个项目) is an object of the sentence, not where it happens.
    in_sentence = [
        m
        for m in resolved.within(hit.sentence.start, hit.clause.end)
        if not ctx.table.coordinator.match(ctx.text, m.end)
        and (m.role is Role.EVENT_LOCATION or (m.role is Role.ORGANIZATION_NAME and m.level in _JURISDICTIONS))
    ]
    if in_sentence:
        return in_sentence[-1], "jurisdiction"
    speaker = _speaker_place(hit, paragraph_start, ctx)
    if speaker is not None:
        return speaker, "jurisdiction"
    in_paragraph = resolved.within(paragraph_start, hit.clause.end)
    actor = next((m for m in in_paragraph if m.role in _ACTOR_ROLES and m.level in _JURISDICTIONS), None)
    if actor is not None:
        return actor, "jurisdiction"
    if focus is not None:
        return focus, "focus"
    return None, "none"


def _status(text: str, hit: _Hit, date: TimeMention | None, article: Article, table: TriggerTable) -> Status:
    head = text[hit.clause.start : hit.end]
    if table.occurred.search(text, hit.clause.start, hit.clause.end):
        return Status.OCCURRED
    if table.planned.search(head):
        return Status.PLANNED
    last = _reference_last_day(article.reference)
    if date is not None and date.first_day is not None and last is not None and date.first_day > last:
        return Status.PLANNED
    return Status.OCCURRED


def _reference_last_day(reference: ReferenceDate | None) -> dt.date | None:
    """The last day of the reference period: a date after it lies in the article's future.

    >>> _reference_last_day(ReferenceDate("2022-02", Precision.MONTH, "", 1.0, ""))
    datetime.date(2022, 2, 28)
    """
    if reference is None:
        return None
    anchor = reference.anchor
    if reference.precision is Precision.YEAR:
        return dt.date(anchor.year, 12, 31)
    if reference.precision is Precision.DAY:
        return anchor
    following = dt.date(anchor.year + anchor.month // 12, anchor.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _title(text: str, hit: _Hit, date: TimeMention | None) -> str:
    """A short phrase of the clause: the clause without a leading date, cut to a few words."""
    start = hit.clause.start
    if date is not None and date.start <= start + 1 and hit.clause.contains(date.start, date.end):
        start = date.end
    phrase = text[start : hit.clause.end].strip(_TRIM)
    if len(phrase) < 6:
        phrase = text[hit.sentence.start : hit.clause.end].strip(_TRIM)
    if len(phrase) <= _TITLE_CHARS:
        return phrase
    # Keep the trigger inside a long title.
    offset = max(0, min(hit.end - start, len(phrase)) - _TITLE_CHARS)
    return phrase[offset : offset + _TITLE_CHARS] + "…"


def _paragraph_start(text: str, position: int, floor: int) -> int:
    return max(floor, text.rfind("\n", floor, position) + 1)


def _title_span(article: Article) -> Span | None:
    """The article's headline, if it has one."""
    if article.title_start is None or article.title_end is None:
        return None
    return Span(article.title_start, article.title_end)


def _hits(article: Article, table: TriggerTable) -> list[_Hit]:
    text = article.doc.folded
    title = _title_span(article)
    has_trigger = _trigger_test(text, table)
    hits = []
    for sentence in split_sentences(text, article.start, article.end, has_trigger):
        if title is not None and sentence.start < title.end and title.start < sentence.end:
            continue
        for clause in split_clauses(text, sentence, has_trigger):
            hit = _best_hit(text, clause, sentence, table)
            if hit is not None:
                hits.append(hit)
    return hits


def _trigger_test(text: str, table: TriggerTable) -> Callable[[int, int], object]:
    """Whether a stretch of ``text`` can hold a trigger (a cheap test; ``_best_hit`` decides).

    Every trigger match starts with one of the trigger words, so a stretch without one has none.
    """
    words = table.trigger_words or table.any_trigger_fast or table.any_trigger
    return functools.partial(words.search, text)  # a match (true) or None


_Bound = tuple[_Hit, TimeMention | None, str]


@dataclass(frozen=True, slots=True)
class _Context:
    """What every event of one article is bound against."""

    article: Article
    text: str
    places: Sequence[PlaceMention]
    focus: PlaceMention | None
    table: TriggerTable
    resolved: _Ordered[PlaceMention]
    """The mentions resolved to a place."""


def _is_remention(later: _Bound, earlier: _Bound) -> bool:
    """A later clause with the same trigger row and no more precise date names an earlier event again.

    ``省委召开的动员大会，向我们发出了…`` after ``春节过后省委召开了…动员大会`` is the same meeting.
    """
    return later[1] is None or (earlier[1] is not None and later[1].value == earlier[1].value)


def _bound_hits(article: Article, text: str, dates: Sequence[TimeMention], table: TriggerTable) -> list[_Bound]:
    bound_hits: list[_Bound] = []
    datable = _Ordered.of(d for d in dates if _is_datable(d))
    for hit in _hits(article, table):
        bound: list[tuple[TimeMention | None, str]] = list(_bind_dates(text, hit, datable, table))
        if not bound:
            # Dates of earlier sentences are not carried over: on the seeds that added five false
            # events for every one found (generic practices after a dated sentence).
            if hit.trigger.needs_date:
                continue
            bound = [(None, "reference" if article.reference else "none")]
        bound_hits.extend((hit, date, source) for date, source in bound)
    return bound_hits


def find_events(article: Article, dates: Sequence[TimeMention], places: Sequence[PlaceMention]) -> tuple[Event, ...]:
    """Events stated in ``article``, bound to its date and place mentions.

    Within one sentence, clauses of one type bound to the same date make one event (the strongest
    trigger wins), so ``…项目建设正酣，预计…竣工投产`` is one milestone, not two; a later mention of
    the same happening without a more precise date is folded into the first.
    """
    table = load_triggers()
    text = article.doc.folded
    resolved = _Ordered.of(m for m in places if m.place is not None)
    ctx = _Context(article, text, places, _focus_place(places, article), table, resolved)
    chosen: dict[tuple[int, str, str], _Bound] = {}
    kept: list[_Bound] = []
    venues: dict[int, PlaceMention] = {}
    for bound in _bound_hits(article, text, dates, table):
        hit, date = bound[0], bound[1]
        # Sentences of one article are disjoint: their starts tell them apart.
        earlier = [e for e in kept if e[0].trigger is hit.trigger and e[0].sentence.start != hit.sentence.start]
        reported = table.reported.search(text, hit.clause.start, hit.clause.end) is not None
        first = next((e for e in earlier if _is_remention(bound, e)), None)
        if not reported and first is not None:
            # 发布会在X举行 after 今天召开的…发布会: the re-mention gives the first one's venue.
            venue = _remention_venue(hit, first[0], ctx)
            if venue is not None:
                venues.setdefault(first[0].start, venue)
            continue
        # A dated report supersedes an undated first mention (a kicker line before the lead).
        for e in earlier:
            if e[1] is None and date is not None:
                chosen = {k: v for k, v in chosen.items() if v is not e}
        # A self-standing happening (a meeting) and a generic one (颁发) in one sentence stay apart.
        group = "generic" if hit.trigger.needs_date else str(hit.trigger.type)
        key = (hit.sentence.start, date.value if date is not None else "", group)
        previous = chosen.get(key)
        if previous is None or hit.trigger.weight > previous[0].trigger.weight:
            chosen[key] = bound
        kept.append(bound)
    ordered = sorted(chosen.values(), key=lambda v: (v[0].start, v[1].start if v[1] is not None else -1))
    return tuple(_make_event(bound, ctx, venues.get(bound[0].start)) for bound in ordered)


def _remention_venue(hit: _Hit, first: _Hit, ctx: _Context) -> PlaceMention | None:
    """The venue (在X) a re-mention in the same paragraph gives to the first mention, if any."""
    if "\n" in ctx.text[first.end : hit.start]:
        return None
    located = [m for m in ctx.resolved.within(hit.clause.start, hit.clause.end) if m.role in _CLAUSE_ROLES]
    return _finest(_venues(ctx.text, hit.clause, located, ctx.table))


def _evidence(text: str, hit: _Hit, date: TimeMention | None) -> tuple[int, int]:
    """The stretch stating the event: from its date (when in the sentence) or clause to the clause end.

    Two events of one sentence (…闭幕后，中心…颁发了证书) then point at their own clauses.
    """
    start = hit.clause.start
    if date is not None and hit.sentence.contains(date.start, date.end):
        start = min(start, date.start)
    end = hit.clause.end
    while end - 1 > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _make_event(bound: _Bound, ctx: _Context, venue: PlaceMention | None = None) -> Event:
    hit, date, date_source = bound
    article, text = ctx.article, ctx.text
    place, place_source = _bind_place(hit, ctx)
    if venue is not None and (place is None or LEVEL_RANK.get(venue.level, 0) > LEVEL_RANK.get(place.level, 0)):
        place, place_source = venue, "venue"
    # A relative date with nothing to resolve it against has an empty value: the event is undated.
    date_value = (date.value or None) if date is not None else (article.reference.value if article.reference else None)
    status = _status(text, hit, date, article, ctx.table)
    evidence_start, evidence_end = _evidence(text, hit, date)
    confidence = hit.trigger.weight * _DATE_FACTOR[date_source] * _PLACE_FACTOR[place_source]
    return Event(
        doc=article.doc,
        id=f"{article.doc.id}-{hit.start}-{date.start if date is not None else 'r'}",
        type=hit.trigger.type,
        status=status,
        title=_title(article.doc.text, hit, date),
        article=article.index,
        sentence_start=hit.sentence.start,
        sentence_end=hit.sentence.end,
        evidence_start=evidence_start,
        evidence_end=evidence_end,
        trigger_start=hit.start,
        trigger_end=hit.end,
        date=date,
        date_value=date_value,
        date_source=date_source,
        place=place,
        place_source=place_source,
        confidence=round(confidence, 3),
    )
