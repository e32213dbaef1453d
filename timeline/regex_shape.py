"""What a regular expression's matches must start with, hold or span, read from its parse tree.

The scanners (:mod:`timeline.scanner`) skip text no match can start in; these facts say where
that is. Every answer is conservative (a superset of first characters, a subset of required
ones, an upper bound on widths), so a shortcut built on them never loses a match. The regex
engine's own parser is only read, never patched.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = [
    "char_offset",
    "first_chars",
    "first_set",
    "literal_prefixes",
    "needed_chars",
    "parse_pattern",
    "required_chars",
    "trie_alternation",
    "widest",
]

# The regex engine's own parser (no public stubs): only read.
sre: Any = importlib.import_module("re._constants")
sre_parse: Any = importlib.import_module("re._parser")
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


def first_set(items: Sequence[tuple[Any, Any]]) -> tuple[frozenset[str] | None, bool]:
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
            first, nullable = first_set(av[3])
        elif op is sre.ATOMIC_GROUP:
            first, nullable = first_set(av)
        elif op is sre.BRANCH:
            firsts = [first_set(alt) for alt in av[1]]
            if any(f is None for f, _ in firsts):
                return None, False
            first = frozenset().union(*(f for f, _ in firsts if f is not None))
            nullable = any(n for _, n in firsts)
        elif op in _REPEATS:
            first, nullable = first_set(av[2])
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
    first, nullable = first_set(sre_parse.parse(pattern).data)
    if first is None or nullable or not first:
        return None
    chars: set[str] = set()
    for fragment in first:
        char = fragment[-1]
        if fragment not in (char, "\\" + char) or re.escape(char) != fragment:
            return None
        chars.add(char)
    return frozenset(chars)


def _needs(items: Sequence[tuple[Any, Any]]) -> frozenset[str] | None:
    """The smallest set of characters one of which every match of a parsed sequence consumes."""
    best: frozenset[str] | None = None
    for op, av in items:
        found: frozenset[str] | None = None
        if op is sre.LITERAL:
            found = frozenset(chr(av))
        elif op is sre.IN and all(item_op is sre.LITERAL for item_op, _ in av):
            found = frozenset(chr(c) for _, c in av)
        elif op is sre.SUBPATTERN and not av[1] and not av[2]:
            found = _needs(av[3])
        elif op is sre.ATOMIC_GROUP:
            found = _needs(av)
        elif op in _REPEATS and av[0] >= 1:
            found = _needs(av[2])
        elif op is sre.BRANCH:
            each = [_needs(alt) for alt in av[1]]
            found = None if None in each else frozenset().union(*(n for n in each if n is not None))
        if found and (best is None or len(found) < len(best)):
            best = found
    return best


def needed_chars(pattern: str) -> frozenset[str] | None:
    r"""Characters one of which every match of ``pattern`` holds (None: unknown).

    A text holding none of them has no match.

    >>> sorted(needed_chars(r"(^|[。!?]\s*)图为|[(（]\S{0,12}摄[)）]$") or ())
    ['图', '摄']
    """
    tree = sre_parse.parse(pattern)
    return None if tree.state.flags & re.IGNORECASE else _needs(tree.data)


def _prefixes(items: Sequence[tuple[Any, Any]]) -> frozenset[str] | None:
    """Literal strings one of which starts every match (assertions before them dropped); None: unknown."""
    for i, (op, av) in enumerate(items):
        if op in _ZERO_WIDTH:
            continue
        if op is sre.LITERAL:
            literal = []
            for next_op, next_av in items[i:]:
                if next_op is not sre.LITERAL:
                    break
                literal.append(chr(next_av))
            return frozenset({"".join(literal)})
        if op is sre.SUBPATTERN and not av[1] and not av[2]:
            return _prefixes(av[3])
        if op is sre.BRANCH:
            each = [_prefixes(alt) for alt in av[1]]
            return None if None in each else frozenset().union(*(p for p in each if p is not None))
        return None
    return None


def literal_prefixes(pattern: str) -> frozenset[str] | None:
    r"""Literal strings one of which starts every match of ``pattern``; None when unknown.

    A stretch holding none of them has no match, whatever the lookarounds say: the alternation of
    the prefixes of several patterns is a cheap test that none of them matches.

    >>> sorted(literal_prefixes(r"(?<!共)(?:排查|检查)|开工(?!\d)") or ())
    ['开工', '排查', '检查']
    """
    tree = sre_parse.parse(pattern)
    return None if tree.state.flags & re.IGNORECASE else _prefixes(tree.data)


def trie_alternation(words: Iterable[str]) -> str:
    """One alternation of ``words`` factored by common prefixes (发布会|发布 → 发布(?:会)?).

    The engine tries alternatives one by one at each position; sharing prefixes makes a failing
    position cost one test per first character instead of one per word. The words a position
    can start lie on one path of the trie, tried longest first, so it matches (and backtracks)
    exactly as the words sorted longest first would.

    >>> trie_alternation(["发布会", "发布", "开工"])
    '(?:发布(?:会)?|开工)'
    """
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


def required_chars(items: Sequence[tuple[Any, Any]]) -> frozenset[str]:
    r"""Characters every match of a parsed sequence consumes (a subset: unsure cases give none).

    >>> sorted(required_chars(sre_parse.parse(r"\d+年(?:上|下)半年?").data))
    ['半', '年']
    """
    out: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            out.add(chr(av))
        elif op is sre.SUBPATTERN and not av[1] and not av[2]:
            out |= required_chars(av[3])
        elif op is sre.ATOMIC_GROUP:
            out |= required_chars(av)
        elif op is sre.BRANCH:
            out |= frozenset.intersection(*(required_chars(alt) for alt in av[1]))
        elif op in _REPEATS and av[0] >= 1:
            out |= required_chars(av[2])
    return frozenset(out)


def widest(items: Sequence[tuple[Any, Any]]) -> int | None:
    """Most characters a match of a parsed sequence consumes (lookarounds none); None: unbounded."""
    total = 0
    for op, av in items:
        n: int | None
        if op in (sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY):
            n = 1
        elif op in _ZERO_WIDTH:
            n = 0
        elif op is sre.SUBPATTERN:
            n = widest(av[3])
        elif op is sre.ATOMIC_GROUP:
            n = widest(av)
        elif op is sre.BRANCH:
            widths = [widest(alt) for alt in av[1]]
            n = None if None in widths else max(w for w in widths if w is not None)
        elif op in _REPEATS:
            inner = widest(av[2])
            n = None if inner is None or av[1] == sre.MAXREPEAT else av[1] * inner
        else:
            n = None
        if n is None:
            return None
        total += n
    return total


def char_offset(items: Sequence[tuple[Any, Any]], char: str) -> int | None:
    r"""Most characters a match consumes before its first ``char`` (one of its required characters).

    >>> char_offset(sre_parse.parse(r"(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月\d+日").data, "月")
    7
    """
    total = 0
    for op, av in items:
        if op is sre.LITERAL and chr(av) == char:
            return total
        if char in required_chars([(op, av)]):
            if op is sre.BRANCH:
                offsets = [char_offset(alt, char) for alt in av[1]]
                inner = None if None in offsets else max(o for o in offsets if o is not None)
            else:
                inner = char_offset(av[3] if op is sre.SUBPATTERN else av[2] if op in _REPEATS else av, char)
            return None if inner is None else total + inner
        width = widest([(op, av)])
        if width is None:
            return None
        total += width
    return None


def parse_pattern(pattern: str) -> Any:
    """The engine's parse tree of ``pattern`` (``.data`` holds the items, ``.getwidth()`` the widths)."""
    return sre_parse.parse(pattern)
