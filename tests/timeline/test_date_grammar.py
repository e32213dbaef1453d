"""The date rules test themselves: every example in date_patterns.toml is run, every rule has one."""

from __future__ import annotations

import csv
import re
import tomllib
from importlib import resources

import pytest

from timeline.date_grammar import load_grammar, match_rules
from timeline.date_resolve import RESOLVERS
from timeline.dates import find_dates_in_text
from timeline.textnorm import fold_width

GRAMMAR = load_grammar()
RAW = tomllib.loads(resources.files("timeline").joinpath("data", "date_patterns.toml").read_text("utf-8"))
EXAMPLES = [pytest.param(rule, ex, id=f"{rule.name}:{ex.text}") for rule in GRAMMAR.rules for ex in rule.examples]
DATA_CSVS = ["relative_terms.csv", "festivals.csv", "anchors.csv", "plans.csv"]


@pytest.mark.parametrize(("rule", "example"), EXAMPLES)
def test_date_grammar_example(rule, example):
    mentions = find_dates_in_text(example.text, example.reference)
    spans = {(m.start, m.end): m for m in mentions}
    assert (example.start, example.end) in spans, [(m.text, m.value) for m in mentions]
    assert spans[(example.start, example.end)].value == example.value


@pytest.mark.parametrize("rule", RAW["rules"], ids=lambda r: r["name"])
def test_date_grammar_rule_is_complete(rule):
    for key in ("name", "pattern", "precision", "kind", "resolver"):
        assert rule.get(key), f"rule {rule.get('name')} lacks {key}"
    assert rule.get("examples"), f"rule {rule['name']} has no examples"
    assert rule["resolver"] in RESOLVERS


def test_date_grammar_rule_names_unique():
    names = [r.name for r in GRAMMAR.rules]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("text", GRAMMAR.veto_examples)
def test_date_grammar_veto_examples_yield_nothing(text):
    assert find_dates_in_text(text, "2023-10-19") == ()


@pytest.mark.parametrize("veto", RAW["vetoes"], ids=lambda v: v["name"])
def test_date_grammar_veto_has_examples(veto):
    assert veto.get("examples")


@pytest.mark.parametrize("name", DATA_CSVS)
def test_date_grammar_data_rows_have_source(name):
    text = resources.files("timeline").joinpath("data", name).read_text("utf-8")
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    assert rows
    assert all(row["source"].strip() for row in rows), name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023年10月18日", ["2023年10月18日"]),
        ("今年以来,截至目前", ["今年以来", "截至目前"]),
        ("年产18万吨", []),
    ],
)
def test_date_grammar_match_rules_leftmost_longest(text, expected):
    folded = fold_width(text)
    assert [folded[m.start : m.end] for m in match_rules(GRAMMAR, folded)] == expected


def test_date_grammar_macros_all_expanded():
    for rule in GRAMMAR.rules:
        assert not re.search(r"\{[A-Z][A-Z0-9_]*\}", rule.regex.pattern), rule.name
