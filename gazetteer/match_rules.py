"""The matcher's rules: ``match_rules.toml`` read into typed, frozen values.

Suffixes of unlisted units, stop lists, deictic blockers, generic zone words, character variants
and the role cues all live in the data file; this module only gives them types.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from gazetteer.model import Level

RULES_PATH = Path(__file__).with_name("data") / "match_rules.toml"


@dataclass(frozen=True, slots=True)
class SuffixRule:
    """Unlisted units of one level: a body of ``body`` characters followed by one of ``words``."""

    level: Level
    words: tuple[str, ...]
    min_body: int
    max_body: int


@dataclass(frozen=True, slots=True)
class MatchRules:
    """The data of ``match_rules.toml`` in typed form."""

    stop: frozenset[str]
    deictic: frozenset[str]
    generic_zone: tuple[str, ...]
    suffixes: tuple[SuffixRule, ...]
    stop_chars: frozenset[str]
    stop_words: tuple[str, ...]
    variants: Mapping[str, str]
    roles: Mapping[str, Any] = field(default_factory=dict)
    standalone: tuple[SuffixRule, ...] = ()
    boundary_words: tuple[str, ...] = ()
    not_names: frozenset[str] = frozenset()
    not_followed_by: Mapping[str, str] = field(default_factory=dict)
    not_units: frozenset[str] = frozenset()
    not_unit_endings: tuple[str, ...] = ()
    name_not_followed_by: Mapping[str, str] = field(default_factory=dict)
    needs_context: frozenset[str] = frozenset()
    not_before: tuple[str, ...] = ()
    brand_prefixes: tuple[str, ...] = ()


def load_rules(path: Path | None = None) -> MatchRules:
    """Read the matcher rules (default: the packaged ``match_rules.toml``)."""
    return _load_rules(path or RULES_PATH)


@cache
def _load_rules(path: Path) -> MatchRules:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    variants: dict[str, str] = {}
    for pair in data["variants"]["pairs"]:
        for ch in pair:
            variants[ch] = pair[0]
    return MatchRules(
        stop=frozenset(data["stop"]["names"]),
        deictic=frozenset(data["deictic"]["words"]) | frozenset(data.get("idioms", {}).get("words", ())),
        generic_zone=tuple(data["generic"]["zone"]),
        suffixes=tuple(
            SuffixRule(Level(s["level"]), tuple(s["words"]), int(s["body"][0]), int(s["body"][1]))
            for s in data["suffix"]
        ),
        stop_chars=frozenset(data["suffix_body"]["stop_chars"]),
        stop_words=tuple(data["suffix_body"]["stop_words"]),
        variants=variants,
        roles={k: tuple(v) if isinstance(v, list) else v for k, v in data["roles"].items()},
        standalone=tuple(
            SuffixRule(Level(s["level"]), tuple(s["words"]), int(s["body"][0]), int(s["body"][1]))
            for s in data["standalone"]["rule"]
        ),
        boundary_words=tuple(data["standalone"]["boundary_words"]),
        not_names=frozenset(data["standalone"]["not_names"]),
        not_followed_by={k: v for k, v in data["not_followed_by"].items() if k != "source"},
        not_units=frozenset(data["not_units"]["words"]),
        not_unit_endings=tuple(data["not_units"].get("endings", ())),
        name_not_followed_by={k: v for k, v in data["name_not_followed_by"].items() if k != "source"},
        needs_context=frozenset(data.get("needs_context", {}).get("words", ())),
        not_before=tuple(data["standalone"].get("not_before", ())),
        brand_prefixes=tuple(data["standalone"].get("brand_prefixes", ())),
    )
