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
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from timeline.model import Kind, Precision

__all__ = [
    "Example",
    "Grammar",
    "RawMatch",
    "Rule",
    "Term",
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


def _compile_rule(raw: Mapping[str, Any], macros: Mapping[str, str], reference: str, starts: str) -> Rule:
    pattern = f"(?={starts})(?:{_expand(str(raw['pattern']), macros)})"
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
        regex=re.compile(pattern),
        precision=Precision(raw["precision"]),
        kind=Kind(raw["kind"]),
        resolver=str(raw["resolver"]),
        confidence=float(raw.get("confidence", 0.9)),
        params=dict(raw.get("params", {})),
        examples=examples,
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
    rules = tuple(_compile_rule(r, macros, reference, starts) for r in raw["rules"])
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
    )


def match_rules(grammar: Grammar, folded: str, start: int = 0, end: int | None = None) -> list[RawMatch]:
    """Non-overlapping rule matches in ``folded[start:end]``: leftmost, then longest, then rule order.

    Offsets are into ``folded`` (the whole text), so they are offsets into the original text too.
    """
    stop = len(folded) if end is None else end
    vetoed: set[int] = set()
    for veto in grammar.vetoes:
        for m in veto.finditer(folded, start, stop):
            vetoed.update(range(m.start(), m.end()))
    found: list[tuple[int, int, int, re.Match[str]]] = []
    for order, rule in enumerate(grammar.rules):
        for m in rule.regex.finditer(folded, start, stop):
            if m.end() > m.start() and not vetoed.intersection(range(m.start(), m.end())):
                found.append((m.start(), -(m.end() - m.start()), order, m))
    found.sort(key=lambda item: item[:3])
    chosen: list[RawMatch] = []
    taken_until = -1
    for m_start, _, order, m in found:
        if m_start < taken_until:
            continue
        groups = {k: v for k, v in m.groupdict().items() if v}
        chosen.append(RawMatch(rule=grammar.rules[order], start=m_start, end=m.end(), groups=groups))
        taken_until = m.end()
    return chosen
