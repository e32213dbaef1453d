"""Find time expressions in an article and resolve them to intervals against its reference date.

Detection is the compiled grammar of ``data/date_patterns.toml`` (``date_grammar``: fast,
reviewable regexes, not a general parser on the hot path); resolution is one function per rule
resolver (``date_resolve``). The article's reference date anchors relative words; when it is
missing, the latest explicit year of the article stands in and confidence drops. With no year at
all, relative expressions are still reported (span, kind, precision) but left unresolved
(``value == ""``): the system clock is never a reference.
"""

from __future__ import annotations

import datetime as dt

from timeline.date_grammar import RawMatch, Rule, load_grammar, match_rules
from timeline.date_resolve import RESOLVERS, Context, Ref, Value, ref_of
from timeline.model import Article, Document, Kind, Precision, ReferenceDate, TimeMention

__all__ = ["find_dates", "find_dates_in_text"]


def _as_deadline(value: Value, rule: Rule) -> Value:
    """A deadline covers everything up to the cut-off: before the period (月前) or its end (年底前)."""
    if value.first is None or value.last is None:
        return value
    last = value.first - dt.timedelta(days=1) if rule.params.get("before") else value.last
    return Value(value.value, None, last, value.precision, value.kind, value.note or "deadline")


_UNRESOLVED = "no reference date in the article or its page: relative expression left unresolved"


def _fallback_ref(raws: list[RawMatch]) -> Ref | None:
    """A stand-in reference for an undated article: its latest explicit year, else None."""
    years = [int(m.groups["y"]) for m in raws if m.groups.get("y", "").isdigit()]
    return ref_of(str(max(years)), 0.3) if years else None


def _unresolved(value: Value) -> Value:
    """Keep what the words say (kind, precision) but no calendar position."""
    return Value("", None, None, value.precision, value.kind, _UNRESOLVED)


def find_dates(article: Article) -> tuple[TimeMention, ...]:
    """Time mentions of ``article``, resolved against its reference date, in text order.

    >>> doc = Document("d", "t", "近日，12月28日召开会议。")
    >>> ref = ReferenceDate("2024-01-03", Precision.DAY, "dateline", 1.0, "test")
    >>> [(m.text, m.value) for m in find_dates(Article(doc, 0, 0, len(doc.text), reference=ref))]
    [('近日', '2024-01-03'), ('12月28日', '2023-12-28')]
    """
    grammar = load_grammar()
    raws = match_rules(grammar, article.doc.folded, article.start, article.end)
    if article.reference is not None:
        ref: Ref | None = ref_of(article.reference.value, article.reference.confidence)
    else:
        ref = _fallback_ref(raws)
    # Without any reference, resolve against a placeholder only to learn each mention's shape.
    anchor = ref if ref is not None else ref_of("2000", 0.0)
    doc, previous, previous_end, found = article.doc, None, -1, []
    for raw in raws:
        ctx = Context(grammar, anchor, doc.folded, raw.start, raw.end, previous, previous_end)
        value = RESOLVERS[raw.rule.resolver](raw.groups, raw.rule, ctx)
        if value is None:
            continue
        if value.kind is Kind.DEADLINE:
            value = _as_deadline(value, raw.rule)
        explicit = "y" in raw.groups or raw.rule.resolver in ("duration", "recurring", "plan", "anchor_since", "decade")
        if ref is None and not explicit:
            value = _unresolved(value)
        elif ref is None and value.kind is Kind.ONGOING_SINCE:
            # The open end would have been the placeholder reference: leave it open instead.
            value = Value(
                value.value.split("/")[0] + "/..", value.first, None, value.precision, value.kind, _UNRESOLVED
            )
        confidence = raw.rule.confidence * (1.0 if explicit else min(1.0, 0.5 + anchor.confidence / 2))
        found.append(
            TimeMention(
                doc=doc,
                start=raw.start,
                end=raw.end,
                value=value.value,
                first_day=value.first,
                last_day=value.last,
                precision=value.precision,
                kind=value.kind,
                confidence=round(confidence, 3),
                article=article.index,
                note=value.note,
            )
        )
        if (
            value.first is not None
            and value.value
            and value.kind in (Kind.POINT, Kind.RANGE)
            and raw.rule.params.get("anchor") != "previous"
        ):
            previous, previous_end = value, raw.end
    return tuple(found)


def find_dates_in_text(text: str, reference: str | None) -> tuple[TimeMention, ...]:
    """Time mentions of a bare text (one article) against a gold-syntax reference value.

    >>> [m.value for m in find_dates_in_text("去年", "2023-02")]
    ['2022']
    """
    doc = Document("text", "text", text)
    ref = None if reference is None else ReferenceDate(reference, Precision.DAY, "given", 1.0, "caller")
    return find_dates(Article(doc=doc, index=0, start=0, end=len(text), reference=ref))
