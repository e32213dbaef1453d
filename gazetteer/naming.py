"""Name normalisation, short forms and generic alias rules (rules in ``data/name_rules.toml``).

Township codes differ between the package lists, so units are joined on (county code,
normalised name); the same normalisation folds official suffix variants (街道办事处 → 街道).
Short forms (薛城区 → 薛城) are derived by stripping the unit suffix, but never down to one
character and never to a common word (和平区 → 和平 would match every peace slogan).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from gazetteer.model import Level

RULES_PATH = Path(__file__).with_name("data") / "name_rules.toml"


@dataclass(frozen=True, slots=True)
class NameRules:
    """The parsed ``name_rules.toml``."""

    rewrites: tuple[tuple[str, str], ...]  # suffix rewrites for joins, longest first
    unit_suffixes: Mapping[str, tuple[str, ...]]  # level → suffixes stripped for short forms, longest first
    short_stoplist: frozenset[str]
    generic_zone_words: tuple[str, ...]
    community_suffixes: tuple[str, ...]
    variants: tuple[tuple[str, str], ...]  # (official character, variant spelling)
    variant_levels: frozenset[str]
    township_aliases: tuple[tuple[str, str], ...]  # (official suffix, alias suffix)
    zone_abbreviations: tuple[tuple[str, str], ...] = ()  # (long designation, short designation)
    zone_suffixes: tuple[str, ...] = ()
    designation_abbreviations: tuple[tuple[str, str], ...] = ()  # (long designation, abbreviation)


def parse_name_rules(data: Mapping[str, Any]) -> NameRules:
    """Turn the TOML table into :class:`NameRules`."""
    rewrites = tuple(sorted(((r["from"], r["to"]) for r in data["rewrite"]), key=lambda r: -len(r[0])))
    suffixes = {lvl: tuple(sorted(words, key=len, reverse=True)) for lvl, words in data["unit_suffix"].items()}
    return NameRules(
        rewrites=rewrites,
        unit_suffixes=suffixes,
        short_stoplist=frozenset(data["short_stoplist"]["words"]),
        generic_zone_words=tuple(sorted(data["generic_zone"]["words"], key=len, reverse=True)),
        community_suffixes=tuple(data["community"]["suffixes"]),
        variants=tuple((v["official"], v["variant"]) for v in data["variant"]),
        variant_levels=frozenset(data["variant_levels"]["levels"]),
        township_aliases=tuple((a["official"], a["alias"]) for a in data["township_alias"]),
        zone_suffixes=tuple(data.get("zone_suffix", {}).get("suffixes", ())),
        zone_abbreviations=tuple(
            sorted(((z["long"], z["short"]) for z in data.get("zone_abbreviation", [])), key=lambda z: -len(z[0]))
        ),
        designation_abbreviations=tuple(
            sorted(
                ((d["long"], d["short"]) for d in data.get("designation_abbreviation", [])), key=lambda d: -len(d[0])
            )
        ),
    )


@cache
def load_name_rules(path: Path = RULES_PATH) -> NameRules:
    """Read and parse the rules file (cached)."""
    with path.open("rb") as fh:
        return parse_name_rules(tomllib.load(fh))


def normalise_name(name: str, rules: NameRules | None = None) -> str:
    """Fold official suffix variants so that two lists' spellings of one unit compare equal.

    >>> normalise_name("常庄街道办事处"), normalise_name("城关镇办事处"), normalise_name("吴庄村委会")
    ('常庄街道', '城关镇', '吴庄村')
    """
    rules = rules or load_name_rules()
    name = "".join(name.split())
    for old, new in rules.rewrites:
        if name.endswith(old) and len(name) > len(old):
            return name[: -len(old)] + new
    return name


def name_stem(name: str, level: Level, rules: NameRules | None = None) -> str:
    """The name without its unit suffix (常庄街道 → 常庄, 滕州市 → 滕州); the name itself if none.

    >>> name_stem("常庄街道", Level.TOWNSHIP), name_stem("滕州市", Level.COUNTY), name_stem("沛县", Level.COUNTY)
    ('常庄', '滕州', '沛')
    """
    rules = rules or load_name_rules()
    for suffix in rules.unit_suffixes.get(level.value, ()):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def short_form(name: str, level: Level, given: str | None = None, rules: NameRules | None = None) -> str | None:
    """The short form of a province/city/county name, or None when it would be unsafe.

    ``given`` is a short form supplied by a source (jionlp); otherwise the unit suffix is stripped.

    >>> short_form("薛城区", Level.COUNTY), short_form("沛县", Level.COUNTY), short_form("和平区", Level.COUNTY)
    ('薛城', None, None)
    """
    rules = rules or load_name_rules()
    short = given or name_stem(name, level, rules)
    if short == name or len(short) < 2 or short in rules.short_stoplist:
        return None
    if any(short.endswith(word) or short == word for word in rules.generic_zone_words):
        return None
    return short


def is_generic_zone_name(name: str, rules: NameRules | None = None) -> bool:
    """Whether a name is a bare zone type word (高新区, 经开区) that names no zone on its own.

    >>> is_generic_zone_name("高新区"), is_generic_zone_name("枣庄高新区")
    (True, False)
    """
    rules = rules or load_name_rules()
    return name in rules.generic_zone_words


def township_level(name: str, rules: NameRules | None = None) -> Level:
    """Township, or zone for a township-level development zone (利津县经济开发区 → zone).

    >>> township_level("利津县经济开发区").value, township_level("常庄街道").value
    ('zone', 'township')
    """
    rules = rules or load_name_rules()
    return Level.ZONE if name.endswith(rules.zone_suffixes) else Level.TOWNSHIP


def village_level(name: str, rules: NameRules | None = None) -> Level:
    """Village or community, by the name's suffix (光明北社区 → community).

    >>> village_level("光明北社区").value, village_level("吴庄村").value
    ('community', 'village')
    """
    rules = rules or load_name_rules()
    return Level.COMMUNITY if name.endswith(rules.community_suffixes) else Level.VILLAGE


def variant_spellings(name: str, level: Level, rules: NameRules | None = None) -> Iterator[str]:
    """Alias spellings of a name by the character-variant rules (侯庄村 → 候庄村).

    >>> list(variant_spellings("侯庄村", Level.VILLAGE))
    ['候庄村']
    """
    rules = rules or load_name_rules()
    if level.value not in rules.variant_levels:
        return
    for official, variant in rules.variants:
        if official in name:
            yield name.replace(official, variant)


def township_aliases(name: str, rules: NameRules | None = None) -> Iterator[str]:
    """Alias spellings of a township by its official suffix (常庄街道 → 常庄街道办事处).

    >>> list(township_aliases("常庄街道"))
    ['常庄街道办事处', '常庄办事处']
    """
    rules = rules or load_name_rules()
    for official, alias in rules.township_aliases:
        if name.endswith(official) and len(name) > len(official):
            yield name[: -len(official)] + alias


def zone_abbreviation(name: str, rules: NameRules | None = None) -> str | None:
    """The abbreviated name of a development zone, or None (枣庄高新技术产业开发区 → 枣庄高新区).

    The place part must keep at least two characters, so a bare designation never results.

    >>> zone_abbreviation("枣庄高新技术产业开发区"), zone_abbreviation("临沂经济技术开发区"), zone_abbreviation("经济开发区")
    ('枣庄高新区', '临沂经开区', None)
    """
    rules = rules or load_name_rules()
    for long, short in rules.zone_abbreviations:
        if name.endswith(long) and len(name) - len(long) >= 2:
            return name[: -len(long)] + short
    return None


def designation_abbreviation(name: str, short: str | None, rules: NameRules | None = None) -> str | None:
    """``short`` plus the abbreviated designation of ``name``, or None (临夏回族自治州 → 临夏州).

    >>> designation_abbreviation("临夏回族自治州", "临夏"), designation_abbreviation("临沂市", "临沂")
    ('临夏州', None)
    """
    rules = rules or load_name_rules()
    if not short:
        return None
    for long, abbreviation in rules.designation_abbreviations:
        if name.endswith(long) and name != short + abbreviation:
            return short + abbreviation
    return None
