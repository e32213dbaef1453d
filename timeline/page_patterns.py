"""Load ``data/article_patterns.toml``: page-layout and reference-date patterns, compiled once.

The rules that recognise bylines, datelines, captions, column headers and dating evidence are
data, so a new paper's conventions are a reviewed TOML row with its examples, not code.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from timeline.regex_shape import needed_chars


@dataclass(frozen=True, slots=True)
class LinePattern:
    """A whole-line pattern giving the line a layout ``role`` (byline, column, caption, kicker)."""

    name: str
    role: str
    regex: re.Pattern[str]
    needs: frozenset[str] = frozenset()
    """A line holding none of these characters cannot match (empty: no such test)."""


def _line_pattern(raw: dict[str, Any]) -> LinePattern:
    """Compile one ``[[line]]`` row; a pattern searched anywhere in the line gets a character test.

    A pattern anchored at the line start fails at once on most lines; one that is not (图为…,
    …摄) runs over the whole line, so a line without any character it needs is skipped.
    """
    pattern = str(raw["pattern"])
    needs = frozenset() if pattern.startswith("^") else needed_chars(pattern) or frozenset()
    return LinePattern(str(raw["name"]), str(raw["role"]), re.compile(pattern), needs)


@dataclass(frozen=True, slots=True)
class FestivalPattern:
    """Words anchored on a festival, dated ``offset_days`` from the festival of the year."""

    name: str
    festival: str
    regex: re.Pattern[str]
    offset_days: int


@dataclass(frozen=True, slots=True)
class Layout:
    """Thresholds that tell a headline from a wrapped body line."""

    max_heading_chars: int
    max_heading_chars_with_comma: int
    heading_forbidden: str
    heading_bad_endings: str
    split_headline_max_first: int
    split_headline_max_second: int
    caption_min_gap: int
    sentence_end: str
    continuation_max_gap: int


@dataclass(frozen=True, slots=True)
class PagePatterns:
    """Every compiled pattern of ``article_patterns.toml``."""

    layout: Layout
    lines: tuple[LinePattern, ...]
    datelines: tuple[re.Pattern[str], ...]
    leads: tuple[re.Pattern[str], ...]
    happening: tuple[re.Pattern[str], ...]
    timestamps: tuple[re.Pattern[str], ...]
    year: re.Pattern[str]
    year_exclude_before: re.Pattern[str]
    year_exclude_after: re.Pattern[str]
    year_statistic_after: re.Pattern[str]
    early_months: int
    stale_years: int
    last_year_words: tuple[str, ...]
    festivals: tuple[FestivalPattern, ...]
    confidence: dict[str, float]

    def line_role(self, line: str) -> str | None:
        """The role of the first line pattern matching ``line`` (None when none does).

        >>> load_patterns().line_role("记者 靖亚如")
        'byline'
        """
        for pattern in self.lines:
            if pattern.needs:
                for char in pattern.needs:
                    if char in line:
                        break
                else:
                    continue
            if pattern.regex.search(line):
                return pattern.role
        return None


def raw_patterns() -> dict[str, Any]:
    """The TOML file as parsed (for the data tests)."""
    text = resources.files("timeline").joinpath("data/article_patterns.toml").read_text("utf-8")
    return tomllib.loads(text)


@functools.cache
def load_patterns() -> PagePatterns:
    """Compile ``article_patterns.toml`` (cached: the file is package data)."""
    raw = raw_patterns()
    years = raw["years"]
    return PagePatterns(
        layout=Layout(**raw["layout"]),
        lines=tuple(_line_pattern(r) for r in raw["line"]),
        datelines=tuple(re.compile(r["pattern"]) for r in raw["dateline"]),
        leads=tuple(re.compile(r["pattern"]) for r in raw["lead"]),
        happening=tuple(re.compile(r["pattern"]) for r in raw["happening"]),
        timestamps=tuple(re.compile(r["pattern"]) for r in raw["timestamp"]),
        year=re.compile(years["pattern"]),
        year_exclude_before=re.compile(years["exclude_before"]),
        year_exclude_after=re.compile(years["exclude_after"]),
        year_statistic_after=re.compile(years["statistic_after"]),
        early_months=int(years["early_months"]),
        stale_years=int(years["stale_years"]),
        last_year_words=tuple(years["last_year_words"]),
        festivals=tuple(
            FestivalPattern(r["name"], r["festival"], re.compile(r["pattern"]), int(r["offset_days"]))
            for r in raw["festival"]
        ),
        confidence={str(k): float(v) for k, v in raw["confidence"].items()},
    )
