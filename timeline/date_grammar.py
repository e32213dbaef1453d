"""Compile the date rules of ``data/date_patterns.toml`` into regex matchers.

The detector is a set of compiled regular expressions rather than a call into a general time
parser: jionlp's extractor is several times slower on news pages, and the rules that matter for
news (vague words, deadlines, plan periods, festival modifiers) are easier to review as data.
Macros (``{YEAR}``, ``{M}``…) keep the patterns short; vetoes remove non-date uses (``40岁``,
``九年一贯制``) before overlaps are settled. Rules are scanned through :mod:`timeline.scanner`
with exactly ``finditer``'s matches: rules sharing a first-character class in one pass, and
rules and vetoes that all hold a rare character (年, 来) tried together near it.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import re
import tomllib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from timeline.model import Kind, Precision
from timeline.regex_shape import first_chars, trie_alternation
from timeline.scanner import AnchorGroup, MultiScanner, Scanner

__all__ = [
    "AnchorCluster",
    "Example",
    "Grammar",
    "RawMatch",
    "Rule",
    "RuleGroup",
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
class RuleGroup:
    """Rules with one first-character class, scanned in one pass (``orders`` index ``Grammar.rules``)."""

    orders: tuple[int, ...]
    scanner: MultiScanner


@dataclass(frozen=True, slots=True)
class AnchorCluster:
    """Rules and vetoes searched together near one character: ``("rule", order)`` or ``("veto", index)``."""

    members: tuple[tuple[str, int], ...]
    scanner: AnchorGroup


@dataclass(frozen=True, slots=True)
class Grammar:
    """Every compiled rule plus the lookup tables the resolvers need."""

    rules: tuple[Rule, ...]
    vetoes: tuple[re.Pattern[str], ...]
    veto_examples: tuple[str, ...]
    future_cues: re.Pattern[str]
    range_end_before: re.Pattern[str]
    """Matches text ending in a word that makes the date after it a range's end (至, 到)."""
    deadline_targets: re.Pattern[str]
    """Verbs of completion that make a deadline in their clause a target (完成, 建成)."""
    deadline_done: re.Pattern[str]
    """Words that make it a past deadline instead (已)."""
    terms: Mapping[tuple[str, str], Term]
    festivals: Mapping[str, tuple[str, int, int]]
    anchors: Mapping[str, str]
    plans: Mapping[int, int]
    units: Mapping[str, tuple[str, int, Precision]]
    defaults: Mapping[str, Any] = field(default_factory=dict)
    veto_scanners: tuple[Scanner, ...] = ()
    groups: tuple[RuleGroup, ...] = ()
    """Rules scanned together; the rules in no group are scanned one by one."""
    required: frozenset[str] = frozenset()
    """Every character some rule or veto requires: counted for every article."""
    clusters: tuple[AnchorCluster, ...] = ()
    """Rules (in no group) and vetoes searched together near a character they all hold."""


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
    # Longest word first where several start at one position; factored by prefixes (faster).
    return trie_alternation(set(words))


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
        scanner=Scanner.build(regex, start_chars, scan=False),
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
    groups = _group_rules(rules)
    # Only the rules scanned on their own need their own scan pattern.
    grouped = {o for g in groups for o in g.orders}
    rules = tuple(
        r if o in grouped else dataclasses.replace(r, scanner=Scanner.build(r.regex, start_chars))
        for o, r in enumerate(rules)
    )
    vetoes = tuple(re.compile(_expand(str(v["pattern"]), macros)) for v in raw["vetoes"])
    veto_examples = tuple(str(x) for v in raw["vetoes"] for x in v.get("examples", []))
    tense = {key: _alternation([str(w) for w in words]) for key, words in raw["tense"].items()}
    veto_scanners = tuple(Scanner.build(v) for v in vetoes)
    return Grammar(
        rules=rules,
        vetoes=vetoes,
        veto_examples=veto_examples,
        future_cues=re.compile(tense["future_cues"]),
        deadline_targets=re.compile(tense["deadline_targets"]),
        deadline_done=re.compile(tense["deadline_done"]),
        range_end_before=re.compile(f"(?:{tense['range_end_before']})\\s*$"),
        terms=terms,
        festivals=festivals,
        anchors=anchors,
        plans=plans,
        units={str(k): (str(v[0]), int(v[1]), Precision(v[2])) for k, v in raw["units"].items()},
        defaults=dict(raw["defaults"]),
        veto_scanners=veto_scanners,
        groups=groups,
        clusters=_cluster(rules, veto_scanners, grouped),
        required=frozenset().union(*(s.required for s in (*veto_scanners, *(r.scanner for r in rules if r.scanner)))),
    )


def _group_rules(rules: tuple[Rule, ...]) -> tuple[RuleGroup, ...]:
    """Groups of rules sharing a first-character class and whether they can be windowed.

    Scanning costs about the same per rule whatever it finds, so such rules share one pass.
    """
    by_head: dict[tuple[str, bool], list[int]] = {}
    for order, rule in enumerate(rules):
        if rule.scanner is not None and rule.scanner.head is not None:
            by_head.setdefault((rule.scanner.head.pattern, bool(rule.scanner.anchors)), []).append(order)
    groups = []
    for orders in by_head.values():
        scanner = MultiScanner.build([s for o in orders if (s := rules[o].scanner) is not None])
        if len(orders) > 1 and scanner is not None:
            groups.append(RuleGroup(tuple(orders), scanner))
    return tuple(groups)


def _cluster(rules: tuple[Rule, ...], vetoes: tuple[Scanner, ...], grouped: set[int]) -> tuple[AnchorCluster, ...]:
    """Rules in no group and vetoes, clustered by the anchor character most of them share.

    Near a rare character (年, 来) one try per start serves every pattern of the cluster.
    """
    scanners = {("rule", o): r.scanner for o, r in enumerate(rules) if o not in grouped and r.scanner is not None}
    scanners.update({("veto", i): v for i, v in enumerate(vetoes)})
    anchored = {key: s for key, s in scanners.items() if s.anchors and s.fast is not None}
    popularity = Counter(c for s in anchored.values() for c, _ in s.anchors)
    by_char: dict[str, list[tuple[str, int]]] = {}
    for key, s in anchored.items():
        char = max((c for c, _ in s.anchors), key=lambda c: (popularity[c], c))
        by_char.setdefault(char, []).append(key)
    clusters = []
    for char, keys in sorted(by_char.items()):
        group = AnchorGroup.build(char, [anchored[k] for k in keys]) if len(keys) > 1 else None
        if group is not None:
            clusters.append(AnchorCluster(tuple(keys), group))
    return tuple(clusters)


def _scan(
    grammar: Grammar, folded: str, start: int, stop: int
) -> tuple[set[int], list[tuple[int, int, int, dict[str, Any]]]]:
    """Positions some veto covers, and every rule's ``finditer`` matches as ``(start, end, order, groups)``."""
    vetoed: set[int] = set()
    # Counting the few characters the scanners ask for is far cheaper than a set of all of them.
    counts = {c: folded.count(c, start, stop) for c in grammar.required}
    present = frozenset(c for c, n in counts.items() if n)
    pending: list[tuple[int, int, int, dict[str, Any]]] = []
    done: set[tuple[str, int]] = set()
    for cluster in grammar.clusters:
        done.update(cluster.members)
        for k, m_start, m_end, groups in cluster.scanner.spans(folded, start, stop, present, counts):
            kind, index = cluster.members[k]
            if kind == "veto":
                vetoed.update(range(m_start, m_end))
            else:
                pending.append((m_start, m_end, index, groups))
    for index, veto in enumerate(grammar.veto_scanners or tuple(Scanner(v, None) for v in grammar.vetoes)):
        if ("veto", index) not in done:
            for v_start, v_end, _ in veto.spans(folded, start, stop, present, counts):
                vetoed.update(range(v_start, v_end))
    for group in grammar.groups:
        done.update(("rule", o) for o in group.orders)
        for k, m_start, m_end, groups in group.scanner.spans(folded, start, stop, present, counts):
            pending.append((m_start, m_end, group.orders[k], groups))
    for order, rule in enumerate(grammar.rules):
        if ("rule", order) not in done:
            scanner = rule.scanner or Scanner(rule.regex, None)
            pending.extend((s, e, order, g) for s, e, g in scanner.spans(folded, start, stop, present, counts))
    return vetoed, pending


def match_rules(grammar: Grammar, folded: str, start: int = 0, end: int | None = None) -> list[RawMatch]:
    """Non-overlapping rule matches in ``folded[start:end]``: leftmost, then longest, then rule order.

    Offsets are into ``folded`` (the whole text), so they are offsets into the original text too.
    """
    stop = len(folded) if end is None else end
    vetoed, pending = _scan(grammar, folded, start, stop)
    found = [
        (m_start, m_start - m_end, order, m_end, groups)
        for m_start, m_end, order, groups in pending
        if m_end > m_start and not vetoed.intersection(range(m_start, m_end))
    ]
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
