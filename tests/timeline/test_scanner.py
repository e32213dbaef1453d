"""The scanning shortcuts are exact: every rule, veto and group gives plain ``finditer``'s matches."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from timeline.clauses import split_clauses, split_sentences
from timeline.date_grammar import _scan, load_grammar
from timeline.events import _best_hit
from timeline.ingest import read_document
from timeline.page_patterns import load_patterns, raw_patterns
from timeline.regex_shape import first_chars, literal_prefixes, needed_chars
from timeline.scanner import Scanner
from timeline.triggers import load_triggers

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests" / "fixtures" / "unseen").glob("*.txt"))
GRAMMAR = load_grammar()


def _stretches(text: str, seed: int) -> list[tuple[int, int]]:
    """The whole text and a few random stretches (their ends cut matches and windows)."""
    rng = random.Random(seed)
    return [(0, len(text))] + [tuple(sorted(rng.sample(range(len(text) + 1), 2))) for _ in range(6)]  # type: ignore[misc]


def _plain(regex: re.Pattern[str], text: str, start: int, stop: int) -> list[tuple[int, int, dict[str, str]]]:
    return [(m.start(), m.end(), m.groupdict()) for m in regex.finditer(text, start, stop) if m.end() > m.start()]


def _counts(text: str, start: int, stop: int) -> tuple[frozenset[str], dict[str, int]]:
    counts = {c: text.count(c, start, stop) for c in GRAMMAR.required}
    return frozenset(c for c, n in counts.items() if n), counts


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_scanner_rules_and_vetoes_match_finditer(path: Path) -> None:
    text = read_document(path.read_bytes(), path.name).folded
    for start, stop in _stretches(text, len(text)):
        present, counts = _counts(text, start, stop)
        for rule in GRAMMAR.rules:
            assert rule.scanner is not None
            found = [s for s in rule.scanner.spans(text, start, stop, present, counts) if s[1] > s[0]]
            assert found == _plain(rule.regex, text, start, stop), rule.name
        for veto, scanner in zip(GRAMMAR.vetoes, GRAMMAR.veto_scanners, strict=True):
            assert list(scanner.spans(text, start, stop, present, counts)) == _plain(veto, text, start, stop)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_scanner_rule_groups_match_finditer(path: Path) -> None:
    text = read_document(path.read_bytes(), path.name).folded
    assert GRAMMAR.groups, "the date rules share first-character classes: some are grouped"
    for start, stop in _stretches(text, len(text) + 1):
        present, counts = _counts(text, start, stop)
        for group in GRAMMAR.groups:
            found: dict[int, list[tuple[int, int, dict[str, str]]]] = {k: [] for k in range(len(group.orders))}
            for k, m_start, m_end, groups in group.scanner.spans(text, start, stop, present, counts):
                found[k].append((m_start, m_end, groups))
            for k, order in enumerate(group.orders):
                rule = GRAMMAR.rules[order]
                assert found[k] == _plain(rule.regex, text, start, stop), rule.name


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_scanner_grammar_scan_matches_finditer(path: Path) -> None:
    """Groups, anchor clusters and single scanners together: every rule's and veto's matches."""
    text = read_document(path.read_bytes(), path.name).folded
    assert GRAMMAR.clusters, "rules and vetoes anchored on one character are clustered"
    for start, stop in _stretches(text, len(text) + 2):
        vetoed, pending = _scan(GRAMMAR, text, start, stop)
        for order, rule in enumerate(GRAMMAR.rules):
            found = sorted(((s, e, g) for s, e, o, g in pending if o == order and e > s), key=lambda m: m[0])
            assert found == _plain(rule.regex, text, start, stop), rule.name
        covered = {i for veto in GRAMMAR.vetoes for s, e, _ in _plain(veto, text, start, stop) for i in range(s, e)}
        assert vetoed == covered


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"(?P<n>\d+)年", "2023年和24年"),
        (r"(?<![\d.])(?P<m>1[0-2]|0?[1-9])月(?!份)", "10月、11月份、3月"),
        (r"每(?:年|月)", "每年每月"),
    ],
)
def test_scanner_windows_and_leads_are_exact(pattern: str, text: str) -> None:
    regex = re.compile(pattern)
    scanner = Scanner.build(regex)
    counts = {c: text.count(c) for c in scanner.required}
    present = frozenset(c for c, n in counts.items() if n)
    assert list(scanner.spans(text, 0, len(text), present, counts)) == _plain(regex, text, 0, len(text))


def test_scanner_trigger_words_start_every_trigger_match() -> None:
    table = load_triggers()
    assert table.trigger_words is not None
    for trigger in table.triggers:
        prefixes = literal_prefixes(trigger.pattern.pattern)
        assert prefixes, trigger.example
        for m in trigger.pattern.finditer(trigger.example):
            assert any(trigger.example.startswith(p, m.start()) for p in prefixes), trigger.example
            assert table.trigger_words.search(trigger.example, m.start()) is not None


def test_scanner_rows_in_holds_every_matching_row() -> None:
    table = load_triggers()
    for trigger in table.triggers:
        text = trigger.example
        matching = {i for i, t in enumerate(table.triggers) if t.pattern.search(text)}
        assert matching <= set(table.rows_in(text, 0, len(text))), text


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_scanner_best_hit_same_with_every_row_tried(path: Path) -> None:
    """``_best_hit`` over the rows its word test picks equals the plain search over every row."""
    table = load_triggers()
    text = read_document(path.read_bytes(), path.name).folded
    for sentence in split_sentences(text):
        for clause in split_clauses(text, sentence):
            best = None
            for trigger in table.triggers:
                m = trigger.pattern.search(text, clause.start, clause.end)
                if m is None or m.start() == m.end():
                    continue
                reach = (max(clause.start, m.start() - 4), min(clause.end, m.end() + 2))
                if table.anaphor.search(text, *reach):
                    continue
                if best is None or (trigger.weight, -m.start()) > (best[0].weight, -best[1]):
                    best = (trigger, m.start(), m.end())
            hit = _best_hit(text, clause, sentence, table)
            assert ((hit.trigger, hit.start, hit.end) if hit else None) == best


LINES = [x for row in raw_patterns()["line"] for x in (*row["examples"], *row.get("counter_examples", []))]


@pytest.mark.parametrize("line", LINES)
def test_scanner_line_prefilter_keeps_matching_lines(line: str) -> None:
    for pattern in load_patterns().lines:
        if pattern.needs and pattern.regex.search(line):
            assert any(c in line for c in pattern.needs), pattern.name


@pytest.mark.parametrize(
    ("pattern", "needed", "first"),
    [
        ("新闻发布会|发布会", {"发", "会", "新", "布", "闻"}, {"新", "发"}),
        (r"(--|—{1,2})$", {"-", "—"}, {"-", "—"}),
        (r"\d+年", {"年"}, None),
    ],
)
def test_scanner_character_sets(pattern: str, needed: set[str], first: set[str] | None) -> None:
    assert needed_chars(pattern) <= needed  # type: ignore[operator]
    assert first_chars(pattern) == (frozenset(first) if first else None)
