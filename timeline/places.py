"""Place mentions of an article: gazetteer matches resolved from context, with a role each.

Two passes: the first finds admin units and settles the article's focus (its counties and
townships); the second may also match the villages and communities below that focus by name,
since village names repeat across China and are only meaningful inside a known region.
Likely false hits (a township short form with no supporting context) are dropped; a real
mention that cannot be placed keeps its span with ``place=None`` and a note.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from gazetteer.index import Gazetteer
from gazetteer.match import Candidate, Matcher, MatchRules, compile_matcher, load_rules, match_places, shift
from gazetteer.model import Level
from gazetteer.resolve import Resolution, resolve_places
from timeline.model import Article, PlaceMention, Role

#: Levels whose descendants (villages, communities) the second pass may match by name.
_SCOPE_LEVELS = frozenset({Level.COUNTY, Level.TOWNSHIP})
_SENTENCE_END = "。！？；\n"


def find_places(article: Article, gazetteer: Gazetteer) -> tuple[PlaceMention, ...]:
    """Place mentions of ``article``, each resolved to one gazetteer entry or flagged."""
    rules = load_rules()
    matcher = compile_matcher(gazetteer, rules)
    text = article.doc.folded[article.start : article.end]
    datelines = _dateline_spans(text, rules)
    page_matches = _page_matches(article.doc.folded, matcher)
    page = _page_province(page_matches, article.start)
    candidates = _within(page_matches, article.start, article.end)
    resolutions = resolve_places(text, candidates, matcher, _dateline_index(candidates, datelines), page)
    scope = {
        q.id
        for r in resolutions
        if r.supported and r.place is not None
        for q in (r.place, *matcher.ancestor_chain(r.place))
        if q.level in _SCOPE_LEVELS and q.id >= 0
    }
    if scope and (matcher.has_scoped_hits(text, frozenset(scope)) or _has_unlisted(candidates)):
        candidates = match_places(text, matcher, scope, page=(article.doc.folded, article.start))
        resolutions = resolve_places(text, candidates, matcher, _dateline_index(candidates, datelines), page)
    newspapers = tuple(rules.roles.get("newspaper_after", ()))
    mentions = [
        _mention(article, text, r, rules, datelines)
        for r in resolutions
        if r.supported and not text.startswith(newspapers, r.candidate.end)
    ]
    return _share_list_roles(mentions, article.doc.folded, rules)


@dataclass(frozen=True, slots=True)
class _PageMatches:
    """A whole page matched once: its candidates (page offsets) and its province marks."""

    folded: str
    candidates: tuple[Candidate, ...]
    starts: tuple[int, ...]  # candidate starts, for bisection
    marks: tuple[tuple[int, int], ...]  # (offset, province id) of mentions naming one province only


def _page_matches(folded: str, matcher: Matcher) -> _PageMatches:
    """The page's candidates, matched once per page (the last page is kept on the matcher).

    Articles start and end at line breaks, where no name, chain or unit can cross, so an
    article's first-pass candidates are exactly the page's candidates inside it.
    """
    memo = matcher.page_memo
    if isinstance(memo, _PageMatches) and memo.folded is folded:
        return memo
    candidates = match_places(folded, matcher)
    marks = []
    for cand in candidates:
        options = cand.last.candidates
        provinces = {(matcher.ancestor_chain(p) or (p,))[-1].id for p in options}
        if len(provinces) == 1 and all(p.level not in _NO_PROVINCE for p in options):
            marks.append((cand.start, provinces.pop()))
    page = _PageMatches(folded, candidates, tuple(c.start for c in candidates), tuple(marks))
    matcher.page_memo = page
    return page


def _within(page: _PageMatches, start: int, end: int) -> tuple[Candidate, ...]:
    """The page's candidates inside ``[start, end)``, with offsets relative to ``start``."""
    first = bisect.bisect_left(page.starts, start)
    last = bisect.bisect_left(page.starts, end)
    return tuple(shift(c, -start) for c in page.candidates[first:last] if c.end <= end)


def _page_province(page: _PageMatches, at: int) -> int | None:
    """The province the page is about just before offset ``at`` (its section header, sibling items).

    Pages print items from several regions under section headers, so the last few unambiguous
    mentions before the article count, else those of the whole page. Only mentions whose every
    option lies in one province count; they are not resolved.
    """
    before = [pid for start, pid in page.marks if start < at][-_PAGE_WINDOW:] or [pid for _, pid in page.marks]
    counts = Counter(reversed(before))  # on a tie the latest mention wins
    return counts.most_common(1)[0][0] if counts else None


#: How many unambiguous mentions before an article make its page context.
_PAGE_WINDOW = 3


#: Levels outside any province.
_NO_PROVINCE = frozenset({Level.COUNTRY, Level.FOREIGN})


def _share_list_roles(mentions: list[PlaceMention], folded: str, rules: MatchRules) -> tuple[PlaceMention, ...]:
    """A cue before a list covers the whole list: 来自成都、眉山、内江 are all origins."""
    joiners = tuple(rules.roles["list_joiners"])
    out: list[PlaceMention] = []
    for mention in mentions:
        prev = out[-1] if out else None
        if (
            prev is not None
            and mention.role is Role.EVENT_LOCATION
            and prev.role in {Role.ORIGIN, Role.OTHER}
            and folded[prev.end : mention.start] in joiners
        ):
            out.append(dataclasses.replace(mention, role=prev.role))
        else:
            out.append(mention)
    return tuple(out)


def _trim_organization(text: str, cand: Candidate, rules: MatchRules) -> Candidate:
    """Cut an office word off a name spelled with it (望京街道办事处 → 望京街道 + 办事处).

    The gazetteer keeps such spellings as aliases so that they resolve; the mention itself is
    only the toponym, and the office word then marks it as part of an organisation name.
    """
    surface = text[cand.start : cand.end]
    words = rules.roles["office_words"]
    word = next((w for w in words if surface.endswith(w)), None) if surface.endswith(words) else None
    last = cand.last
    if word is None or last.end - len(word) - last.start < 2 or not last.candidates:
        return cand
    end = cand.end - len(word)
    parts = (*cand.parts[:-1], dataclasses.replace(last, end=end))
    return dataclasses.replace(cand, end=end, parts=parts)


def _has_unlisted(candidates: Sequence[Candidate]) -> bool:
    """Whether a chain ends in an unlisted unit the second pass may be able to name."""
    return any(len(c.parts) > 1 and not c.last.candidates for c in candidates)


def _dateline_spans(text: str, rules: MatchRules) -> tuple[tuple[int, int], ...]:
    window = text[: int(rules.roles.get("dateline_window", 400))]
    spans = []
    for pattern in rules.roles["dateline"]:
        for m in re.finditer(pattern, window):
            spans.append(m.span("place"))
    return tuple(spans)


def _dateline_index(candidates: Sequence[Candidate], spans: Sequence[tuple[int, int]]) -> int | None:
    for i, cand in enumerate(candidates):
        if any(start <= cand.start and cand.end <= end for start, end in spans):
            return i
    return None


def _mention(
    article: Article, text: str, res: Resolution, rules: MatchRules, datelines: Sequence[tuple[int, int]]
) -> PlaceMention:
    cand = _trim_organization(text, res.candidate, rules)
    base = article.start
    components: tuple[PlaceMention, ...] = ()
    if len(cand.parts) > 1:
        components = tuple(
            PlaceMention(
                doc=article.doc,
                start=base + part.start,
                end=base + part.end,
                level=place.level if place is not None else part.level,
                place=place,
                role=Role.OTHER,
                confidence=res.confidence,
                article=article.index,
            )
            for part, place in zip(cand.parts, res.parts, strict=True)
        )
    level = res.place.level if res.place is not None else cand.last.level
    return PlaceMention(
        doc=article.doc,
        start=base + cand.start,
        end=base + cand.end,
        level=level,
        place=res.place,
        role=assign_role(text, cand.start, cand.end, level, rules=rules, datelines=datelines),
        confidence=res.confidence,
        article=article.index,
        components=components,
        runner_up=res.runner_up,
        note=res.note,
    )


def assign_role(
    text: str, start: int, end: int, level: Level, *, rules: MatchRules, datelines: Sequence[tuple[int, int]] = ()
) -> Role:
    """The role of the mention ``text[start:end]`` from its dateline, neighbours and quotes.

    >>> from gazetteer.match import load_rules
    >>> str(assign_role("枣庄市公安局召开会议", 0, 3, Level.CITY, rules=load_rules()))
    'organization_name'
    """
    roles = rules.roles
    before, after = text[max(0, start - 6) : start], text[end : end + 8]
    # in order of precedence, each test only when the ones before it failed
    if any(s <= start and end <= e for s, e in datelines):
        return Role.ORIGIN
    if after.startswith(roles["organization_after"]) or _in_organization(text, end, roles):
        return Role.ORGANIZATION_NAME
    if before.endswith(roles["origin_before"]):
        return Role.ORIGIN
    if before.endswith(roles["location_before"]) and after.startswith(roles["attributive_after"]):
        return Role.EVENT_LOCATION  # 位于X的项目: where the project is, not an attribute of it
    if (
        level in {Level.FOREIGN, Level.COUNTRY}
        or before.endswith(roles["other_before"])
        or _is_quoted(text, start, roles["quote_open"], roles["quote_close"])
        or after.startswith(roles["other_after"])
    ):
        return Role.OTHER
    return Role.EVENT_LOCATION


def _in_organization(text: str, end: int, roles: Mapping[str, Any]) -> bool:
    """Whether an organisation word follows in the same phrase (山东 in 山东生态产品交易中心)."""
    pattern = _organization_re(roles["organization_within"], roles["phrase_breaks"])
    return pattern.match(text, end, end + int(roles["organization_window"])) is not None


@cache
def _organization_re(words: tuple[str, ...], breaks: str) -> re.Pattern[str]:
    """Any of ``words`` after a run of characters that are not phrase breaks (compiled once)."""
    usable = sorted((w for w in words if not any(ch in breaks for ch in w)), key=len, reverse=True)
    alternatives = "|".join(map(re.escape, usable)) or "(?!)"
    return re.compile(f"[^{re.escape(breaks)}]*?(?:{alternatives})")


def _is_quoted(text: str, start: int, opening: str, closing: str) -> bool:
    """Whether ``start`` lies inside an open quote or title mark of its sentence (60 characters back)."""
    window = text[max(0, start - 60) : start]
    window = window[max(window.rfind(ch) for ch in _SENTENCE_END) + 1 :]
    opened = sum(window.count(ch) for ch in opening if ch not in closing)
    return opened > sum(window.count(ch) for ch in closing)
