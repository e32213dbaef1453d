"""The event trigger table: ``data/event_triggers.csv`` compiled into regular expressions.

Each row has a ``role``: ``trigger`` (a pattern, the event type it signals, a weight that ranks
competing triggers in one clause, and whether it needs a date in its clause or sentence),
``planned``/``occurred`` (status cues), ``coordinator`` (words joining two dates or places into
a pair), ``anaphor`` (words that make a trigger refer back to an event already reported),
``reported`` (a perfective predicate, 召开了: the clause reports a happening of its own),
``opener`` (a verb opening an event's name, 召开: a date right after it names the event),
``qualifier`` (words after a date that make it part of a name, 2024年第二批) and ``venue`` (a
preposition before a place naming where the event happens, 在).
Every row carries a ``source`` and an ``example`` the tests check the pattern against.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from timeline.model import EventType
from timeline.regex_shape import first_chars, literal_prefixes, trie_alternation
from timeline.scanner import Scanner

__all__ = ["DEFAULT_TRIGGERS", "ROLES", "Trigger", "TriggerTable", "load_rows", "load_triggers"]

DEFAULT_TRIGGERS = Path(__file__).with_name("data") / "event_triggers.csv"
ROLES = frozenset(
    {"trigger", "planned", "occurred", "coordinator", "anaphor", "reported", "opener", "qualifier", "venue"}
)


@dataclass(frozen=True, slots=True)
class Trigger:
    """One trigger row: a regular expression and the event type it signals."""

    pattern: re.Pattern[str]
    type: EventType
    weight: float
    needs_date: bool
    example: str
    source: str
    first: frozenset[str] | None = None
    """Every character a match can start with (None: unknown); a clause without one is skipped."""


@dataclass(frozen=True, slots=True)
class TriggerTable:
    """Compiled trigger rows plus the status cues, coordinators and anaphors of the data file.

    ``any_trigger`` is every trigger pattern in one expression: a sentence it does not match
    is skipped without trying the rows one by one.
    """

    triggers: tuple[Trigger, ...]
    planned: re.Pattern[str]
    occurred: re.Pattern[str]
    coordinator: re.Pattern[str]
    anaphor: re.Pattern[str]
    any_trigger: re.Pattern[str]
    reported: re.Pattern[str]
    any_trigger_fast: re.Pattern[str] | None = None
    """``any_trigger`` behind a first-character prefilter (``date_grammar.Scanner``): same hits, faster."""
    by_first: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    """Indices of the triggers a character can start (rows with a known ``first`` set only)."""
    unindexed: tuple[int, ...] = ()
    """Indices of the triggers without a known ``first`` set: always tried."""
    first_chars: re.Pattern[str] | None = None
    """One character class of every key of ``by_first`` (None when there is none)."""
    opener: re.Pattern[str] = field(default_factory=lambda: re.compile("(?!)"))
    """Verbs opening an event's name (召开): a date right after one qualifies the name, not the event."""
    qualifier: re.Pattern[str] = field(default_factory=lambda: re.compile("(?!)"))
    """Words right after a date that make it a qualifier of a name (2024年第二批…)."""
    venue: re.Pattern[str] = field(default_factory=lambda: re.compile("(?!)"))
    """Words right before a place that make it the venue (在X举办): it beats the organiser."""
    strength: tuple[int, ...] = ()
    """Rank of each trigger row, strongest (highest weight) first, ties in row order."""
    word_rows: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    """For each trigger word, the rows one of whose words starts it (发布会 → rows of 发布会 and 发布)."""
    word_starts: re.Pattern[str] | None = None
    """Every start of a trigger word, overlapping ones too, the longest word there in ``word``."""
    trigger_words: re.Pattern[str] | None = None
    """The literal words every trigger match starts with (lookarounds dropped), as one alternation.

    A clause without one of them has no trigger. None when some row has no such words.
    """

    def candidates_in(self, text: str, start: int, end: int) -> list[int]:
        """Indices (in row order) of the triggers that can match in ``text[start:end]``.

        >>> table = load_triggers()
        >>> table.candidates_in("两会", 0, 2) == table.candidates("两会")
        True
        """
        if self.first_chars is None:
            return list(self.unindexed)
        return self.candidates(set(self.first_chars.findall(text, start, end)))

    def rows_in(self, text: str, start: int, end: int) -> list[int]:
        """Indices of the triggers that can match in ``text[start:end]``: those with a word there.

        Fewer than ``candidates_in`` gives (a row needs one of its words, not just a first character).

        >>> table = load_triggers()
        >>> sorted(table.triggers[i].example for i in table.rows_in("两会召开", 0, 4))
        ['举办专场17场', '区(市)“两会”上']
        """
        if self.word_starts is None:
            return self.candidates_in(text, start, end)
        rows: set[int] = set()
        for m in self.word_starts.finditer(text, start, end):
            rows.update(self.word_rows[m["word"]])
        return list(rows)

    def candidates(self, chars: Iterable[str]) -> list[int]:
        """Indices (in row order) of the triggers that can match a text made of ``chars``.

        >>> table = load_triggers()
        >>> table.candidates("") == list(table.unindexed)
        True
        >>> 0 < len(table.candidates("两会")) < len(table.triggers)
        True
        """
        found = set(self.unindexed)
        for char in chars:
            found.update(self.by_first.get(char, ()))
        return sorted(found)


def _alternation(rows: Sequence[dict[str, str]]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{r['pattern']})" for r in rows) or "(?!)")


def load_rows(path: Path = DEFAULT_TRIGGERS) -> list[dict[str, str]]:
    """The raw rows of the trigger file (for the data tests)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@functools.cache
def load_triggers(path: Path = DEFAULT_TRIGGERS) -> TriggerTable:
    """Read and compile the trigger table; a bad row raises ValueError naming its line.

    >>> any(t.type is EventType.PRESS_CONFERENCE for t in load_triggers().triggers)
    True
    """
    rows = load_rows(path)
    by_role: dict[str, list[dict[str, str]]] = {role: [] for role in ROLES}
    triggers = []
    for line, row in enumerate(rows, start=2):
        role = row["role"]
        if role not in ROLES or not row["source"]:
            raise ValueError(f"{path.name}:{line}: unknown role {role!r} or missing source")
        by_role[role].append(row)
        if role == "trigger":
            triggers.append(
                Trigger(
                    re.compile(row["pattern"]),
                    EventType(row["type"]),
                    float(row["weight"]),
                    row["needs_date"] == "yes",
                    row["example"],
                    row["source"],
                    first_chars(row["pattern"]),
                )
            )
    any_trigger = _alternation(by_role["trigger"])
    prefixes = [literal_prefixes(t.pattern.pattern) for t in triggers]
    words = frozenset().union(*(p for p in prefixes if p))
    known = bool(words) and None not in prefixes
    trigger_words = re.compile(trie_alternation(words)) if known else None
    # Every word starting where a longer one does is its prefix: the longest word names them all.
    word_rows = {w: tuple(i for i, p in enumerate(prefixes) if p and any(w.startswith(x) for x in p)) for w in words}
    heads = "[" + "".join(sorted(re.escape(w[0]) for w in {w[0] for w in words})) + "]"
    word_starts = re.compile(f"{heads}(?<=(?=(?P<word>{trie_alternation(words)})){heads})") if known else None
    by_first: dict[str, list[int]] = {}
    for i, trigger in enumerate(triggers):
        for char in trigger.first or ():
            by_first.setdefault(char, []).append(i)
    return TriggerTable(
        tuple(triggers),
        _alternation(by_role["planned"]),
        _alternation(by_role["occurred"]),
        _alternation(by_role["coordinator"]),
        _alternation(by_role["anaphor"]),
        any_trigger,
        _alternation(by_role["reported"]),
        Scanner.build(any_trigger).fast,
        {char: tuple(rows) for char, rows in by_first.items()},
        tuple(i for i, t in enumerate(triggers) if t.first is None),
        re.compile("[" + "".join(re.escape(c) for c in sorted(by_first)) + "]") if by_first else None,
        _alternation(by_role["opener"]),
        _alternation(by_role["qualifier"]),
        _alternation(by_role["venue"]),
        _strength(triggers),
        word_rows if known else {},
        word_starts,
        trigger_words,
    )


def _strength(triggers: Sequence[Trigger]) -> tuple[int, ...]:
    order = sorted(range(len(triggers)), key=lambda i: (-triggers[i].weight, i))
    rank = [0] * len(triggers)
    for position, index in enumerate(order):
        rank[index] = position
    return tuple(rank)
