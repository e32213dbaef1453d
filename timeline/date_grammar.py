"""Compile the date rules of ``data/date_patterns.toml`` into regex matchers.

The detector is a set of compiled regular expressions rather than a call into a general time
parser: jionlp's extractor is several times slower on news pages, and the rules that matter for
news (vague words, deadlines, plan periods, festival modifiers) are easier to review as data.
Macros (``{YEAR}``, ``{M}``…) keep the patterns short; vetoes remove non-date uses (``40岁``,
``九年一贯制``) before overlaps are settled.
"""

from __future__ import annotations

import csv
import functools
import importlib
import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from timeline.model import Kind, Precision

__all__ = [
    "Example",
    "Grammar",
    "RawMatch",
    "Rule",
    "Scanner",
    "Term",
    "first_chars",
    "load_grammar",
    "match_rules",
]

_MACRO = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")


@dataclass(frozen=True, slots=True)
class Example:
    """One worked example of a rule: input, expected span and value, reference date."""

    text: str
    start: int
    end: int
    value: str
    reference: str


# The regex engine's own parser (no public stubs): only read, to find a pattern's first characters.
sre: Any = importlib.import_module("re._constants")
sre_parse: Any = importlib.import_module("re._parser")
_SPAN = "_span_"
_CATEGORIES = {
    sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D",
    sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S",
    sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W",
}
_ZERO_WIDTH = (sre.ASSERT, sre.ASSERT_NOT, sre.AT)
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def _set_first(items: Sequence[tuple[Any, Any]]) -> frozenset[str] | None:
    """Charset fragments of an ``IN`` item; None when it is negated or holds anything unusual."""
    out: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            out.add(re.escape(chr(av)))
        elif op is sre.RANGE:
            out.add(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is sre.CATEGORY and av in _CATEGORIES:
            out.add(_CATEGORIES[av])
        else:
            return None
    return frozenset(out)


def _first(items: Sequence[tuple[Any, Any]]) -> tuple[frozenset[str] | None, bool]:
    """Charset fragments that can start a match of a parsed sequence, and whether it can match empty.

    Conservative: assertions are skipped (zero width, no constraint), and anything unusual gives
    None ("any character"), so the set is always a superset of the real first characters.
    """
    out: set[str] = set()
    for op, av in items:
        nullable = False
        if op is sre.LITERAL:
            first: frozenset[str] | None = frozenset({re.escape(chr(av))})
        elif op is sre.IN:
            first = _set_first(av)
        elif op in _ZERO_WIDTH:
            first, nullable = frozenset(), True
        elif op is sre.SUBPATTERN and not av[1] and not av[2]:
            first, nullable = _first(av[3])
        elif op is sre.ATOMIC_GROUP:
            first, nullable = _first(av)
        elif op is sre.BRANCH:
            firsts = [_first(alt) for alt in av[1]]
            if any(f is None for f, _ in firsts):
                return None, False
            first = frozenset().union(*(f for f, _ in firsts if f is not None))
            nullable = any(n for _, n in firsts)
        elif op in _REPEATS:
            first, nullable = _first(av[2])
            nullable = nullable or av[0] == 0
        else:
            return None, False
        if first is None:
            return None, False
        out |= first
        if not nullable:
            return frozenset(out), False
    return frozenset(out), True


def first_chars(pattern: str) -> frozenset[str] | None:
    """Every character a non-empty match of ``pattern`` can start with, or None when unknown.

    None also when the pattern can match empty or starts with a class, range or category.

    >>> sorted(first_chars("新闻发布会|发布会") or ())
    ['发', '新']
    >>> first_chars("a?") is None, first_chars("[^a]b") is None
    (True, True)
    """
    first, nullable = _first(sre_parse.parse(pattern).data)
    if first is None or nullable or not first:
        return None
    chars: set[str] = set()
    for fragment in first:
        char = fragment[-1]
        if fragment not in (char, "\\" + char) or re.escape(char) != fragment:
            return None
        chars.add(char)
    return frozenset(chars)


def _required(items: Sequence[tuple[Any, Any]]) -> frozenset[str]:
    r"""Characters every match of a parsed sequence consumes (a subset: unsure cases give none).

    >>> sorted(_required(sre_parse.parse(r"\d+年(?:上|下)半年?").data))
    ['半', '年']
    """
    out: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            out.add(chr(av))
        elif op is sre.SUBPATTERN and not av[1] and not av[2]:
            out |= _required(av[3])
        elif op is sre.ATOMIC_GROUP:
            out |= _required(av)
        elif op is sre.BRANCH:
            out |= frozenset.intersection(*(_required(alt) for alt in av[1]))
        elif op in _REPEATS and av[0] >= 1:
            out |= _required(av[2])
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class Scanner:
    """``regex.finditer`` with a first-character prefilter, giving exactly the same matches.

    ``regex`` guarded by a lookahead (``(?=[…])``) defeats the regex engine's own prefix scan, so
    it is tried at every position. ``fast`` starts with a character class of every character
    that can begin a match (the engine skips to those in C) and re-checks ``regex`` in place
    through a one-character lookbehind, capturing the real span in ``_span_``.
    """

    regex: re.Pattern[str]
    fast: re.Pattern[str] | None
    required: frozenset[str] = frozenset()
    """Characters every match consumes: a stretch lacking one of them has no match."""

    @classmethod
    def build(cls, regex: re.Pattern[str], allowed: frozenset[str] | None = None) -> Scanner:
        r"""A scanner for ``regex``; ``allowed`` restricts the first character further (a known guard).

        >>> s = Scanner.build(re.compile(r"(?P<n>\d+)年"))
        >>> [(a, b, g) for a, b, g in s.spans("2023年和24年", 0, 9)]
        [(0, 5, {'n': '2023'}), (6, 9, {'n': '24'})]
        """
        if regex.flags & re.IGNORECASE or _SPAN in regex.groupindex:
            return cls(regex, None)
        parsed = sre_parse.parse(regex.pattern).data
        required = _required(parsed)
        first, nullable = _first(parsed)
        known = first is not None and not nullable and bool(first)
        if allowed is not None:
            charset = re.compile("[" + "".join(sorted(first)) + "]") if known and first is not None else None
            chars = sorted(c for c in allowed if charset is None or charset.fullmatch(c))
            head = "[" + "".join(re.escape(c) for c in chars) + "]"
        elif known and first is not None:
            chars, head = ["any"], "[" + "".join(sorted(first)) + "]"
        else:
            chars, head = [], ""
        if not chars:
            return cls(regex, None, required)
        try:
            fast = re.compile(f"{head}(?<=(?=(?P<{_SPAN}>{regex.pattern})){head})")
        except re.error:  # a construct the wrapper cannot hold: scan plainly, still exact
            return cls(regex, None, required)
        return cls(regex, fast, required)

    def spans(
        self, text: str, start: int, stop: int, present: frozenset[str] | None = None
    ) -> Iterator[tuple[int, int, dict[str, str | Any]]]:
        """``(start, end, groupdict)`` of each match of ``regex.finditer(text, start, stop)``.

        ``present``, the set of characters of ``text[start:stop]`` when the caller has it, lets a
        scanner whose required characters are missing stop at once.
        """
        if present is not None and not self.required <= present:
            return
        fast = self.fast
        if fast is None:
            for m in self.regex.finditer(text, start, stop):
                yield m.start(), m.end(), m.groupdict()
            return
        pos = start
        while True:
            hit = fast.search(text, pos, stop)
            if hit is None:
                return
            s, e = hit.start(), hit.end(_SPAN)
            if e == s:  # an empty match: cannot happen for a non-nullable pattern; stay exact anyway
                for plain in self.regex.finditer(text, s, stop):
                    yield plain.start(), plain.end(), plain.groupdict()
                return
            groups = hit.groupdict()
            del groups[_SPAN]
            yield s, e, groups
            pos = e


@dataclass(frozen=True, slots=True)
class Rule:
    """A named pattern with the resolver that turns its groups into a value."""

    name: str
    pattern: str
    regex: re.Pattern[str]
    precision: Precision
    kind: Kind
    resolver: str
    confidence: float
    params: Mapping[str, Any]
    examples: tuple[Example, ...]
    scanner: Scanner | None = None


@dataclass(frozen=True, slots=True)
class Term:
    """A row of ``relative_terms.csv``: a word whose value is computed from an anchor."""

    term: str
    anchor: str
    unit: str
    offset: int
    first: int
    last: int
    precision: Precision
    kind: Kind
    note: str


@dataclass(frozen=True, slots=True)
class Grammar:
    """Every compiled rule plus the lookup tables the resolvers need."""

    rules: tuple[Rule, ...]
    vetoes: tuple[re.Pattern[str], ...]
    veto_examples: tuple[str, ...]
    future_cues: re.Pattern[str]
    terms: Mapping[tuple[str, str], Term]
    festivals: Mapping[str, tuple[str, int, int]]
    anchors: Mapping[str, str]
    plans: Mapping[int, int]
    units: Mapping[str, tuple[str, int, Precision]]
    defaults: Mapping[str, Any] = field(default_factory=dict)
    veto_scanners: tuple[Scanner, ...] = ()


@dataclass(frozen=True, slots=True)
class RawMatch:
    """A rule's match in the folded text before resolution."""

    rule: Rule
    start: int
    end: int
    groups: Mapping[str, str]


def _read_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("timeline").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


def _expand(pattern: str, macros: Mapping[str, str], depth: int = 0) -> str:
    if depth > 5:
        raise ValueError(f"macro recursion in {pattern!r}")
    expanded = _MACRO.sub(lambda m: macros[m.group(1)] if m.group(1) in macros else m.group(0), pattern)
    return expanded if expanded == pattern else _expand(expanded, macros, depth + 1)


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _compile_rule(
    raw: Mapping[str, Any], macros: Mapping[str, str], reference: str, starts: str, start_chars: frozenset[str]
) -> Rule:
    pattern = f"(?={starts})(?:{_expand(str(raw['pattern']), macros)})"
    regex = re.compile(pattern)
    examples = tuple(
        Example(
            text=str(e["input"]),
            start=int(e["span"][0]),
            end=int(e["span"][1]),
            value=str(e["value"]),
            reference=str(e.get("reference", reference)),
        )
        for e in raw.get("examples", [])
    )
    return Rule(
        name=str(raw["name"]),
        pattern=str(raw["pattern"]),
        regex=regex,
        precision=Precision(raw["precision"]),
        kind=Kind(raw["kind"]),
        resolver=str(raw["resolver"]),
        confidence=float(raw.get("confidence", 0.9)),
        params=dict(raw.get("params", {})),
        examples=examples,
        scanner=Scanner.build(regex, start_chars),
    )


def _load_terms() -> dict[tuple[str, str], Term]:
    return {
        (row["anchor"], row["term"]): Term(
            term=row["term"],
            anchor=row["anchor"],
            unit=row["unit"],
            offset=int(row["offset"]),
            first=int(row["first"]),
            last=int(row["last"]),
            precision=Precision(row["precision"]),
            kind=Kind(row["kind"]),
            note=row["note"],
        )
        for row in _read_csv("relative_terms.csv")
    }


@functools.cache
def load_grammar() -> Grammar:
    """Load and compile the packaged rules and tables (cached: the data is read once).

    >>> g = load_grammar()
    >>> [m.rule.name for m in match_rules(g, "2023年10月18日")]
    ['date']
    """
    raw = tomllib.loads(resources.files("timeline").joinpath("data", "date_patterns.toml").read_text(encoding="utf-8"))
    terms = _load_terms()
    festivals = {r["name"]: (r["calendar"], int(r["month"]), int(r["day"])) for r in _read_csv("festivals.csv")}
    anchors = {r["name"]: r["value"] for r in _read_csv("anchors.csv")}
    plans = {int(r["ordinal"]): int(r["first_year"]) for r in _read_csv("plans.csv")}
    macros = {str(k): str(v) for k, v in raw["macros"].items()}
    by_anchor: dict[str, list[str]] = {}
    for term in terms.values():
        by_anchor.setdefault(term.anchor, []).append(term.term)
    for anchor, words in by_anchor.items():
        macros["TERMS_" + anchor.upper()] = _alternation(words)
    macros["FEST"] = _alternation(list(festivals))
    macros["ANCHOR"] = _alternation(list(anchors))
    reference = str(raw["defaults"]["reference"])
    firsts = {w[0] for words in by_anchor.values() for w in words} | {w[0] for w in (*festivals, *anchors)}
    firsts |= set(str(raw["defaults"]["starts"])) | set("〇零○一二两三四五六七八九十百")
    starts = "[0-9" + "".join(re.escape(c) for c in sorted(firsts)) + "]"
    start_chars = frozenset("0123456789") | frozenset(firsts)
    rules = tuple(_compile_rule(r, macros, reference, starts, start_chars) for r in raw["rules"])
    vetoes = tuple(re.compile(_expand(str(v["pattern"]), macros)) for v in raw["vetoes"])
    veto_examples = tuple(str(x) for v in raw["vetoes"] for x in v.get("examples", []))
    cues = re.compile(_alternation([str(c) for c in raw["tense"]["future_cues"]]))
    return Grammar(
        rules=rules,
        vetoes=vetoes,
        veto_examples=veto_examples,
        future_cues=cues,
        terms=terms,
        festivals=festivals,
        anchors=anchors,
        plans=plans,
        units={str(k): (str(v[0]), int(v[1]), Precision(v[2])) for k, v in raw["units"].items()},
        defaults=dict(raw["defaults"]),
        veto_scanners=tuple(Scanner.build(v) for v in vetoes),
    )


def match_rules(grammar: Grammar, folded: str, start: int = 0, end: int | None = None) -> list[RawMatch]:
    """Non-overlapping rule matches in ``folded[start:end]``: leftmost, then longest, then rule order.

    Offsets are into ``folded`` (the whole text), so they are offsets into the original text too.
    """
    stop = len(folded) if end is None else end
    vetoed: set[int] = set()
    present = frozenset(folded[start:stop])
    for veto in grammar.veto_scanners or tuple(Scanner(v, None) for v in grammar.vetoes):
        for v_start, v_end, _ in veto.spans(folded, start, stop, present):
            vetoed.update(range(v_start, v_end))
    found: list[tuple[int, int, int, int, dict[str, Any]]] = []
    for order, rule in enumerate(grammar.rules):
        scanner = rule.scanner or Scanner(rule.regex, None)
        for m_start, m_end, groups in scanner.spans(folded, start, stop, present):
            if m_end > m_start and not vetoed.intersection(range(m_start, m_end)):
                found.append((m_start, m_start - m_end, order, m_end, groups))
    found.sort(key=lambda item: item[:3])
    chosen: list[RawMatch] = []
    taken_until = -1
    for m_start, _, order, m_end, all_groups in found:
        if m_start < taken_until:
            continue
        groups = {k: v for k, v in all_groups.items() if v}
        chosen.append(RawMatch(rule=grammar.rules[order], start=m_start, end=m_end, groups=groups))
        taken_until = m_end
    return chosen
