"""Text → candidate place mentions: gazetteer names, chains and unlisted units (pure).

An Aho-Corasick automaton over every name and short form finds the raw hits in one pass; hits
that touch and nest (薛城区 + 常庄街道 + 吴庄村) are joined into one chain; an unlisted unit spelled
``X村``/``X路``/``X小学`` right after a known place extends the chain. Leftmost-longest selection
keeps mentions from overlapping, and deictic words (全市, 我区) are matched only to block the names
inside them. Village and community names are compiled per *scope* (the counties and townships
the article is about) because their names repeat thousands of times across China.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

import ahocorasick

from gazetteer.automaton_cache import read_cache, write_cache
from gazetteer.index import Gazetteer, Name
from gazetteer.match_rules import RULES_PATH, MatchRules, SuffixRule, load_rules

__all__ = [
    "RULES_PATH",
    "SCOPED_LEVELS",
    "Candidate",
    "MatchRules",
    "Matcher",
    "Part",
    "SuffixRule",
    "compile_matcher",
    "load_rules",
    "match_places",
    "scan",
    "shift",
]
from gazetteer.model import Level, Place

#: Levels whose names are compiled only under a scope (see module docstring).
SCOPED_LEVELS = frozenset({Level.VILLAGE, Level.COMMUNITY})

_NAME, _DEICTIC, _GENERIC = "name", "deictic", "generic"

#: Containers too large for an unlisted unit to follow them directly (中国…港 is no chain).
_NO_UNLISTED_UNDER = frozenset({Level.COUNTRY, Level.PROVINCE, Level.FOREIGN, Level.VILLAGE, Level.COMMUNITY})


@dataclass(frozen=True, slots=True)
class Part:
    """One link of a mention: a span and the places it may name (none for an unlisted unit)."""

    start: int
    end: int
    level: Level
    candidates: tuple[Place, ...]
    kind: str  # "full" | "short" | "alias" | "generic" | "variant" | "unlisted"
    body: int = -1  # for an unlisted unit: characters before its suffix (0: named after its container)
    kinds: tuple[str, ...] = ()  # how each candidate's name matched, parallel to ``candidates``

    def kind_of(self, place: Place) -> str:
        """How the name of ``place`` matched (``kind`` when not recorded)."""
        for cand, kind in zip(self.candidates, self.kinds, strict=False):
            if cand.id == place.id:
                return kind
        return self.kind


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place mention before resolution: one span made of one or more chained parts."""

    start: int
    end: int
    parts: tuple[Part, ...]

    @property
    def last(self) -> Part:
        """The finest part (the mention's own level)."""
        return self.parts[-1]


def shift(cand: Candidate, by: int) -> Candidate:
    """``cand`` with every offset moved by ``by`` (a page's candidate seen from its article)."""
    parts = tuple(Part(p.start + by, p.end + by, p.level, p.candidates, p.kind, p.body, p.kinds) for p in cand.parts)
    return Candidate(cand.start + by, cand.end + by, parts)


class _Hit(NamedTuple):
    """One automaton hit (a named tuple: hundreds per page are built from the scan's tuples)."""

    start: int
    end: int
    tag: str
    text: str


class Matcher:
    """Compiled automata for one gazetteer; build with ``compile_matcher`` (cached per gazetteer)."""

    def __init__(self, gazetteer: Gazetteer, rules: MatchRules) -> None:
        """Compile the main automaton: every non-village name, the generic words and deictics.

        Reading a SQLite gazetteer's names takes seconds, so the compiled state is cached in a
        pickle beside the SQLite file, keyed by the file's size and mtime and by the rules.
        """
        self.gazetteer = gazetteer
        self.rules = rules
        self._ancestors: dict[int, frozenset[int]] = {}
        self._chains: dict[int, tuple[Place, ...]] = {}
        self._places: dict[tuple[str, frozenset[int]], tuple[tuple[Place, str], ...]] = {}
        self.part_memo: dict[
            tuple[str, frozenset[int], frozenset[int] | None], tuple[Level, tuple[Place, ...], str, tuple[str, ...]]
        ] = {}
        self.suffix_memo: tuple[str, dict[int, tuple[int, Level, int] | None]] = ("", {})
        self.longest_body = max((r.max_body for r in rules.suffixes), default=0)
        self._scoped: dict[frozenset[int], Any] = {}
        self._generic: dict[str, tuple[Place, ...]] = {}
        self.last_hits: tuple[str, tuple[_Hit, ...]] | None = None
        self._scoped_aliases: dict[int, set[str]] = {}
        self._last_scoped: tuple[str, frozenset[int], list[tuple[int, int, str, str]]] | None = None
        # the last page matched whole, kept by timeline/places.py
        self.page_memo: object = None
        self.focus_memo: dict[int, Any] = {}  # place id → what a mention adds to a focus (resolve.py)
        self.container_memo: dict[int, tuple[int, ...]] = {}  # place id → its admin containers (resolve.py)
        words = sorted({w for r in rules.standalone for w in r.words}, key=len, reverse=True)
        # the stand-alone words by first character, longest first, so a match tries only its own
        self.standalone_by_initial: dict[str, tuple[str, ...]] = {}
        for word in words:
            self.standalone_by_initial[word[0]] = (*self.standalone_by_initial.get(word[0], ()), word)
        initials = sorted({w[0] for r in rules.suffixes for w in r.words})
        self.suffix_initial_re = re.compile("[" + "".join(map(re.escape, initials)) + "]")
        suffix_words = sorted({w for r in rules.suffixes for w in r.words}, key=len, reverse=True)
        self.suffix_word_re = re.compile("|".join(map(re.escape, suffix_words)) or "(?!)")
        self._variant_children: dict[int, dict[str, Place]] = {}
        self.longest_suffix = max((len(w) for r in rules.suffixes for w in r.words), default=0)
        self.standalone_re = re.compile("|".join(map(re.escape, words))) if words else None
        self.body_patterns = _body_patterns(rules)
        by_initial: dict[str, list[int]] = {}
        for index, rule in enumerate(rules.suffixes):
            for initial in dict.fromkeys(w[0] for w in rule.words):
                by_initial.setdefault(initial, []).append(index)
        self.suffix_rules_by_initial = {ch: tuple(ids) for ch, ids in by_initial.items()}
        cached = read_cache(gazetteer.path, rules)
        if cached is not None:
            self.automaton, self._scoped_aliases, generic = cached
            self._generic = {w: tuple(gazetteer.places[i] for i in ids) for w, ids in generic.items()}
            return
        self._compile_names()
        generic_ids = {w: [p.id for p in ps] for w, ps in self._generic.items()}
        write_cache(gazetteer.path, rules, (self.automaton, self._scoped_aliases, generic_ids))

    def _compile_names(self) -> None:
        gazetteer, rules = self.gazetteer, self.rules
        # one scan of the names: main-automaton texts, village aliases by place, zone ids
        main_texts: list[str] = []
        zone_ids: set[int] = set()
        for text, names in gazetteer.names.items():
            levels = [self._level_of(n) for n in names]
            if any(lv not in SCOPED_LEVELS for lv in levels):
                main_texts.append(text)
            for name, level in zip(names, levels, strict=True):
                if level in SCOPED_LEVELS and name.kind != "full":
                    self._scoped_aliases.setdefault(name.place_id, set()).add(text)
                elif level is Level.ZONE:
                    zone_ids.add(name.place_id)
        zones = [gazetteer.places[z] for z in sorted(zone_ids) if z in gazetteer.places]
        for word in rules.generic_zone:
            self._generic[word] = tuple(p for p in zones if p.name.endswith(word))
        self.automaton = _compile(main_texts, rules)

    def _level_of(self, name: Name) -> Level | None:
        if name.level is not None:
            return name.level
        place = self.gazetteer.places.get(name.place_id)
        return None if place is None else place.level

    def ancestor_ids(self, place: Place) -> frozenset[int]:
        """Ids of ``place`` and all its containers (memoised)."""
        got = self._ancestors.get(place.id)
        if got is None:
            got = frozenset({place.id, *(a.id for a in self.ancestor_chain(place))})
            self._ancestors[place.id] = got
        return got

    def ancestor_chain(self, place: Place) -> tuple[Place, ...]:
        """``gazetteer.ancestors(place)``, memoised (synthetic units are not cached)."""
        got = self._chains.get(place.id) if place.id >= 0 else None
        if got is None:
            got = self.gazetteer.ancestors(place)
            if place.id >= 0:
                self._chains[place.id] = got
        return got

    def variant_children(self, parent_id: int) -> dict[str, Place]:
        """The children of a place by their names with variant characters folded (memoised; first wins)."""
        got = self._variant_children.get(parent_id)
        if got is None:
            got = {}
            for kid in self.gazetteer.children.get(parent_id, ()):
                child = self.gazetteer.places[kid]
                got.setdefault(_fold_variants(child.name, self.rules.variants), child)
            if len(self._variant_children) > 10_000:
                self._variant_children.clear()
            self._variant_children[parent_id] = got
        return got

    def has_scoped_hits(self, text: str, scope: frozenset[int]) -> bool:
        """Whether any village/community name below ``scope`` occurs in ``text``."""
        return bool(self.scoped_hits(text, scope))

    def scoped_hits(self, text: str, scope: frozenset[int]) -> list[tuple[int, int, str, str]]:
        """``scan`` of the scoped automaton of ``scope`` over ``text`` (the last result is kept)."""
        last = self._last_scoped
        if last is None or last[0] is not text or last[1] != scope:
            last = self._last_scoped = (text, scope, scan(self.scoped_automaton(scope), text))
        return last[2]

    def scoped_automaton(self, scope: frozenset[int]) -> Any:
        """Automaton of the village/community names below the places in ``scope`` (memoised)."""
        got = self._scoped.get(scope)
        if got is None:
            texts: set[str] = set()
            stack = list(scope)
            while stack:
                pid = stack.pop()
                for kid in self.gazetteer.children.get(pid, ()):
                    place = self.gazetteer.places[kid]
                    if place.level in SCOPED_LEVELS:
                        texts.add(place.name)
                        texts.update(self._scoped_aliases.get(kid, ()))
                    stack.append(kid)
            got = _compile(texts, self.rules, blockers=False)
            if len(self._scoped) > 64:
                self._scoped.clear()
            self._scoped[scope] = got
        return got

    def places_of(self, hit: _Hit, scope: frozenset[int]) -> tuple[tuple[Place, str], ...]:
        """Places a hit may name, with the kind of name that spelled it (memoised)."""
        key = (hit.text, scope)
        got = self._places.get(key)
        if got is None:
            if len(self._places) > 100_000:
                self._places.clear()
                self.part_memo.clear()
            got = self._places[key] = self._places_of(hit, scope)
        return got

    def _places_of(self, hit: _Hit, scope: frozenset[int]) -> tuple[tuple[Place, str], ...]:
        out = [(p, _GENERIC) for p in self._generic.get(hit.text, ())]
        for name in self.gazetteer.names.get(hit.text, ()):
            place = self.gazetteer.places.get(name.place_id)
            if place is None:
                continue
            if place.level in SCOPED_LEVELS and not (self.ancestor_ids(place) & scope):
                continue
            out.append((place, name.kind))
        seen: set[int] = set()
        unique = []
        for place, kind in out:
            if place.id not in seen:
                seen.add(place.id)
                unique.append((place, kind))
        return tuple(unique)


def _units(text: str) -> str:
    """``text`` as UTF-16 code units spelled as Latin-1 characters (two per BMP character).

    pyahocorasick finds a node's child by a linear search of its edges, and the root of an
    automaton over Chinese names has thousands of edges, so scanning characters is slow. Split
    into bytes, no node has more than 256 edges and the scan is about ten times faster.
    """
    return text.encode("utf-16-be").decode("latin-1")


def _compile(texts: Iterable[str], rules: MatchRules, blockers: bool = True) -> Any:
    automaton = ahocorasick.Automaton()
    for text in texts:
        if len(text) >= 2 and text not in rules.stop:
            automaton.add_word(_units(text), (_NAME, text))
    if blockers:
        for word in rules.generic_zone:
            if _units(word) not in automaton:
                automaton.add_word(_units(word), (_GENERIC, word))
        for word in rules.deictic:
            automaton.add_word(_units(word), (_DEICTIC, word))
    if len(automaton) == 0:
        automaton.add_word(_units("\0"), (_DEICTIC, "\0"))
    automaton.make_automaton()
    return automaton


def scan(automaton: Any, text: str) -> list[tuple[int, int, str, str]]:
    """Every (start, end, tag, word) an automaton of ``_compile`` finds in ``text`` (character offsets).

    Hits that straddle a character boundary of the byte-split text are dropped.
    """
    units = _units(text)
    if len(units) == 2 * len(text):
        return [
            ((end + 1) // 2 - len(word), (end + 1) // 2, tag, word)
            for end, (tag, word) in automaton.iter(units)
            if end & 1
        ]
    # characters outside the BMP take four units: map unit offsets back to character offsets
    offsets: dict[int, int] = {}
    at = 0
    for i, ch in enumerate(text):
        offsets[at] = i
        at += 2 if ch <= "\uffff" else 4
    offsets[at] = len(text)
    out = []
    for end, (tag, word) in automaton.iter(units):
        stop = offsets.get(end + 1)
        if stop is not None and offsets.get(end + 1 - len(_units(word))) == stop - len(word):
            out.append((stop - len(word), stop, tag, word))
    return out


_MATCHERS: dict[int, Matcher] = {}


def compile_matcher(gazetteer: Gazetteer, rules: MatchRules | None = None) -> Matcher:
    """The matcher of ``gazetteer``, compiled once and cached while the gazetteer lives."""
    rules = rules or load_rules()
    got = _MATCHERS.get(id(gazetteer))
    if got is None or got.gazetteer is not gazetteer or got.rules is not rules:
        if len(_MATCHERS) > 8:
            _MATCHERS.clear()
        got = Matcher(gazetteer, rules)
        _MATCHERS[id(gazetteer)] = got
    return got


def match_places(
    text: str, matcher: Matcher, scope: Iterable[int] = (), page: tuple[str, int] | None = None
) -> tuple[Candidate, ...]:
    """Candidate place mentions of ``text``: non-overlapping, leftmost-longest, chains joined.

    ``scope`` lists the places (counties, townships) whose villages and communities may be
    matched by name; offsets are indices into ``text``. ``page`` says that ``text`` is
    ``page[0][page[1]:page[1] + len(text)]``, so the last scan of that page can serve again.
    """
    scope_ids = frozenset(scope)
    hits = _raw_hits(text, matcher, scope_ids, page)
    by_start: dict[int, list[_Hit]] = {}
    for hit in hits:
        by_start.setdefault(hit.start, []).append(hit)
    out: list[Candidate] = []
    pos = 0
    for start in sorted(by_start):
        if start < pos:
            continue
        best: Candidate | None = None
        blocker_end = -1
        # the longest first link wins ties: 孟庄镇+候庄村 rather than 孟庄+镇候庄村
        for hit in sorted(by_start[start], key=lambda h: -h.end):
            if hit.tag == _DEICTIC:
                blocker_end = max(blocker_end, hit.end)
                continue
            cand = _chain(text, hit, by_start, matcher, scope_ids)
            if cand is not None and (best is None or _rank(cand) > _rank(best)):
                best = cand
        if best is not None and best.end > blocker_end:
            out.append(best)
            pos = best.end
        elif blocker_end > 0:
            pos = blocker_end
    return _with_standalone(text, out, matcher)


def _with_standalone(text: str, found: list[Candidate], matcher: Matcher) -> tuple[Candidate, ...]:
    """Add stand-alone suffix units (华夏高级中学) that overlap no other mention."""
    if matcher.standalone_re is None:
        return tuple(found)
    taken = [(c.start, c.end) for c in found]
    parts = []
    for m in matcher.standalone_re.finditer(text):
        # a shorter suffix may hide inside a longer unit (人民路 in 人民路小学): try every word here
        at = m.start()
        for word in matcher.standalone_by_initial[text[at]]:
            if text.startswith(word, at):
                part = _standalone_part(text, at, at + len(word), matcher.rules)
                if part is not None:
                    parts.append(part)
    # a unit that swallows a bare short form (市南 in 市南工业区) replaces it
    weak = {(c.start, c.end) for c in found if len(c.parts) == 1 and c.last.kind in {"short", "alias"}}
    extra: list[Candidate] = []
    for part in sorted(parts, key=lambda p: p.start - p.end):
        inside = [(s, e) for s, e in taken if s < part.end and part.start < e]
        if all(span in weak and part.start <= span[0] and span[1] <= part.end for span in inside):
            taken = [t for t in taken if t not in inside]
            found = [c for c in found if (c.start, c.end) not in inside]
            taken.append((part.start, part.end))
            extra.append(Candidate(part.start, part.end, (part,)))
    return tuple(sorted([*found, *extra], key=lambda c: c.start))


def _standalone_part(text: str, at: int, end: int, rules: MatchRules) -> Part | None:
    word = text[at:end]
    rule = next((r for r in rules.standalone if word in r.words), None)
    if rule is None:
        return None
    start = at
    while start > 0 and at - start <= rule.max_body:
        if text[start - 1] in rules.stop_chars or text.endswith(rules.boundary_words, 0, start):
            break
        start -= 1
    else:
        if start > 0:
            return None  # ran past the longest body without meeting a boundary
    body = at - start
    if not rule.min_body <= body <= rule.max_body or not _is_body(text[start:at], rules):
        return None
    if not _ends_word(text, end, word, rules) or _not_a_unit(text, start, end, word, rules):
        return None
    return Part(start, end, rule.level, (), "unlisted", body)


def _not_a_unit(text: str, start: int, end: int, word: str, rules: MatchRules) -> bool:
    """A common word (思路), a planned project or a company-branded park (中建材特种玻璃产业园项目).

    A brand may also end just before the body, where a boundary character cut it (华为 ends in 为).
    """
    surface = text[start:end]
    if surface in rules.not_names or surface.endswith(_longer_than(rules.not_names, len(word))):
        return True
    branded = text[max(0, start - _BRAND_REACH) : end]
    return text.startswith(rules.not_before, end) or any(b in branded for b in rules.brand_prefixes)


@cache
def _longer_than(words: frozenset[str], length: int) -> tuple[str, ...]:
    """The ``words`` longer than ``length`` characters (for one ``str.endswith`` call)."""
    return tuple(sorted(w for w in words if len(w) > length))


#: How far before a stand-alone unit's body a brand name may start.
_BRAND_REACH = 3


def _rank(cand: Candidate) -> tuple[int, int, int, int]:
    """Rank of a candidate among those starting at one position (higher wins).

    The most text covered by gazetteer names first (市中区 over 市中 + an invented unit 区乡),
    then the longest span, then an official full name (枣庄经济开发区 is one name, not 枣庄 +
    经济开发区), then the most listed links (枣庄市+高新区 over the alias 枣庄市高新区).
    """
    listed_end = max((p.end for p in cand.parts if p.candidates), default=cand.start)
    is_full = len(cand.parts) == 1 and "full" in cand.last.kinds
    return listed_end, cand.end, int(is_full), sum(1 for p in cand.parts if p.candidates)


def _raw_hits(text: str, matcher: Matcher, scope: frozenset[int], page: tuple[str, int] | None) -> list[_Hit]:
    last = matcher.last_hits
    if last is not None and last[0] is text:
        hits = list(last[1])  # the second pass over the same text
    elif last is not None and page is not None and last[0] is page[0]:
        # names never span a line break, where articles start and end: the page's hits inside are the text's
        lo, hi = page[1], page[1] + len(text)
        hits = [_Hit(h.start - lo, h.end - lo, h.tag, h.text) for h in last[1] if lo <= h.start and h.end <= hi]
    else:
        hits = list(map(_Hit._make, scan(matcher.automaton, text)))
        matcher.last_hits = (text, tuple(hits))
    if scope:
        hits += map(_Hit._make, matcher.scoped_hits(text, scope))
    return hits


def _parts_of(text: str, hit: _Hit, matcher: Matcher, scope: frozenset[int], parent: Part | None) -> Part | None:
    follow = matcher.rules.name_not_followed_by.get(hit.text[-1], "")
    if hit.end < len(text) and text[hit.end] in follow:
        return None  # 发展乡 in 发展乡村旅游: the designation starts another word
    parent_ids = frozenset(p.id for p in parent.candidates) if parent is not None else None
    key = (hit.text, scope, parent_ids)
    shape = matcher.part_memo.get(key)
    if shape is None:
        shape = matcher.part_memo[key] = _part_shape(matcher.places_of(hit, scope), parent_ids, matcher)
    if not shape[1]:
        return None
    level, places, kind, kinds = shape
    return Part(hit.start, hit.end, level, places, kind, kinds=kinds)


def _part_shape(
    options: tuple[tuple[Place, str], ...], parent_ids: frozenset[int] | None, matcher: Matcher
) -> tuple[Level, tuple[Place, ...], str, tuple[str, ...]]:
    """Level, places and name kinds of a hit, keeping only places inside the parent (if any)."""
    if parent_ids is not None:
        options = tuple((p, k) for p, k in options if p.id not in parent_ids and matcher.ancestor_ids(p) & parent_ids)
    if not options:
        return Level.POI, (), "", ()
    kinds = tuple(k for _, k in options)
    kind = next((k for k in ("full", "short", _GENERIC, "alias") if k in kinds), "alias")
    places = tuple(p for p, _ in options)
    return _common_level(places), places, kind, kinds


def _common_level(places: tuple[Place, ...]) -> Level:
    levels = [p.level for p in places]
    return max(set(levels), key=levels.count)


def _chain(
    text: str, hit: _Hit, by_start: Mapping[int, list[_Hit]], matcher: Matcher, scope: frozenset[int]
) -> Candidate | None:
    head = _parts_of(text, hit, matcher, scope, None)
    if head is None:
        return None
    parts = [head]
    while True:
        nxt = _next_part(text, parts[-1], by_start, matcher, scope)
        if nxt is None:
            break
        parts.append(nxt)
        if nxt.kind == "unlisted":
            break
    if len(parts) == 1 and hit.text in matcher.rules.stop:
        return None  # a stop-listed generic word alone (开发区); 高新区 alone is kept
    return Candidate(parts[0].start, parts[-1].end, tuple(parts))


def _next_part(
    text: str, parent: Part, by_start: Mapping[int, list[_Hit]], matcher: Matcher, scope: frozenset[int]
) -> Part | None:
    best: Part | None = None
    for hit in by_start.get(parent.end, ()):
        if hit.tag == _DEICTIC:
            continue
        part = _parts_of(text, hit, matcher, scope, parent)
        if part is not None and (best is None or part.end > best.end):
            best = part
    if best is not None:
        return best  # a listed name goes first; the chain may still end in an unlisted unit after it
    generic = next((h for h in by_start.get(parent.end, ()) if h.text in matcher.rules.generic_zone), None)
    if generic is not None and any(p.level in _ZONE_HOSTS for p in parent.candidates):
        # 谷城经济开发区 with no zone of 谷城 listed: its own zone, unlisted, not another county's
        return Part(generic.start, generic.end, Level.ZONE, (), "unlisted", 0)
    return _unlisted(text, parent, matcher, by_start, scope)


#: Levels a generic zone word after a name belongs to (枣庄市高新区, 谷城经济开发区).
_ZONE_HOSTS = frozenset({Level.CITY, Level.COUNTY})


def _unlisted(
    text: str, parent: Part, matcher: Matcher, by_start: Mapping[int, list[_Hit]], scope: frozenset[int] = frozenset()
) -> Part | None:
    """An ``X<suffix>`` unit right after ``parent``: a variant-spelled child or an unlisted unit."""
    if not parent.candidates or all(p.level in _NO_UNLISTED_UNDER for p in parent.candidates):
        return None
    memo = matcher.suffix_memo
    if memo[0] is not text:
        memo = matcher.suffix_memo = (text, {})
    if parent.end not in memo[1]:
        memo[1][parent.end] = _suffix_at(text, parent.end, matcher)
    best = memo[1][parent.end]
    if best is None:
        return None
    end, level, body_len = best
    surface = text[parent.end : end]
    rules = matcher.rules
    if surface in rules.not_units or surface.endswith(rules.not_unit_endings):
        return None
    if _hides_a_name(parent, end, by_start, matcher, scope):
        return None
    child = _variant_child(surface, parent, matcher)
    if child is not None:
        return Part(parent.end, end, child.level, (child,), "variant")
    return Part(parent.end, end, level, (), "unlisted", body_len)


def _hides_a_name(
    parent: Part, end: int, by_start: Mapping[int, list[_Hit]], matcher: Matcher, scope: frozenset[int]
) -> bool:
    """Whether a gazetteer name starts inside the unit after ``parent`` (九峰镇至苏稽镇 is two places).

    A village or community elsewhere whose name merely ends the unit does not count: 马兰屯镇西张村
    is an unlisted 西张村 of 马兰屯镇, not 马兰屯镇 + the 张村 of another township.
    """
    parent_ids = frozenset(p.id for p in parent.candidates)
    for pos in range(parent.end + 1, end):
        for hit in by_start.get(pos, ()):
            if hit.tag != _NAME or hit.end > end:
                continue
            places = [p for p, _ in matcher.places_of(hit, scope)]
            elsewhere = places and all(
                p.level in SCOPED_LEVELS and not matcher.ancestor_ids(p) & parent_ids for p in places
            )
            if not (hit.end == end and elsewhere):
                return True
    return False


def _suffix_at(text: str, pos: int, matcher: Matcher) -> tuple[int, Level, int] | None:
    """The longest ``body + suffix`` unit starting at ``pos``: (end, level, body length).

    Each rule takes its shortest body that is followed by one of its words; among the rules
    the longest unit wins (the first rule on a tie).
    """
    first = matcher.suffix_word_re.search(text, pos, pos + matcher.longest_body + matcher.longest_suffix)
    if first is None or first.start() > pos + matcher.longest_body:
        return None  # no suffix word starts within the longest body: the common case, found cheaply
    run = _body_run(text, pos, matcher.longest_body, matcher)
    rules = matcher.rules.suffixes
    found: dict[int, tuple[int, int]] = {}  # rule index → (end, body) of its unit
    last = pos + min(run, len(text) - pos - 1)
    for m in matcher.suffix_initial_re.finditer(text, pos, last + 1):  # only where a suffix may start
        at = m.start()
        body = at - pos
        for index in matcher.suffix_rules_by_initial.get(text[at], ()):
            rule = rules[index]
            if index in found or not rule.min_body <= body <= min(rule.max_body, run):
                continue
            word = next((w for w in rule.words if text.startswith(w, at)), None)
            if word is not None and _ends_word(text, at + len(word), word, matcher.rules):
                found[index] = (at + len(word), body)
    if not found:
        return None
    index = max(sorted(found), key=lambda i: found[i][0])
    return found[index][0], rules[index].level, found[index][1]


def _body_run(text: str, start: int, limit: int, matcher: Matcher) -> int:
    """How many characters from ``start`` can belong to a name body (at most ``limit``)."""
    body_re, stop_re = matcher.body_patterns
    m = body_re.match(text, start, start + limit)
    run = m.end() - start if m else 0
    hit = stop_re.search(text, start, start + run) if stop_re is not None and run else None
    return run if hit is None else hit.start() - start


def _body_patterns(rules: MatchRules) -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    """A run of body characters, and the earliest stop word (both compiled once per rules)."""
    chars = re.compile("[^" + "".join(re.escape(ch) for ch in sorted(rules.stop_chars)) + "]*")
    words = sorted(rules.stop_words, key=len, reverse=True)
    return chars, re.compile("|".join(map(re.escape, words))) if words else None


def _ends_word(text: str, end: int, word: str, rules: MatchRules) -> bool:
    """Whether the suffix ``word`` ending at ``end`` is not the start of another word (村级, 路口)."""
    return end >= len(text) or text[end] not in rules.not_followed_by.get(word, "")


def _is_body(body: str, rules: MatchRules) -> bool:
    """Whether ``body`` can be the name part of a unit (no function characters or clause words)."""
    return not any(ch in rules.stop_chars for ch in body) and not any(w in body for w in rules.stop_words)


def _variant_child(surface: str, parent: Part, matcher: Matcher) -> Place | None:
    folded = _fold_variants(surface, matcher.rules.variants)
    for place in parent.candidates:
        child = matcher.variant_children(place.id).get(folded)
        if child is not None:
            return child
    return None


def _fold_variants(text: str, variants: Mapping[str, str]) -> str:
    return "".join(variants.get(ch, ch) for ch in text)
