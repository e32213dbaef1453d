"""Regex scanning that skips text no match can start in, with exactly ``finditer``'s matches.

The date grammar runs dozens of rules over every article. A plain ``finditer`` is tried at every
character; here the engine's own parser is read to learn which characters a match must start
with or consume, and the scan jumps to those (in C), searches only near a required character,
or scans several rules sharing their first characters in one pass. Every shortcut is exact: the
tests compare it with the plain ``finditer`` of the rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from timeline.regex_shape import char_offset, first_chars, first_set, parse_pattern, required_chars

__all__ = ["AnchorGroup", "MultiScanner", "Scanner"]

_SPAN = "_span_"

# Trying the starts near one occurrence of a required character costs Python calls: worth this
# many characters of a plain scan.
_WINDOW_COST = 150
# Matching at each occurrence of a lead character beats a scan while there are fewer than one
# occurrence per this many characters; rules with more lead characters than this always scan.
_LEAD_SPACING = 150
_MAX_LEAD = 8


def _anchors(tree: Any, required: frozenset[str]) -> tuple[tuple[str, int], ...]:
    """``(char, offset)`` for each required character with a bounded offset, if matches are non-empty."""
    if tree.getwidth()[0] < 1:
        return ()
    found = ((c, char_offset(tree.data, c)) for c in sorted(required))
    return tuple((c, o) for c, o in found if o is not None)


@dataclass(frozen=True, slots=True)
class Scanner:
    """``regex.finditer`` with a first-character prefilter, giving exactly the same matches.

    ``regex`` guarded by a lookahead (``(?=[…])``) defeats the regex engine's own prefix scan, so
    it is tried at every position. ``fast`` starts with a character class of every character
    that can begin a match (the engine skips to those in C) and re-checks ``regex`` in place
    through a one-character lookbehind, capturing the real span in ``_span_``. When the caller
    counts the required characters, a scanner tries only the starts near the rarest one, or at
    its few lead characters.
    """

    regex: re.Pattern[str]
    fast: re.Pattern[str] | None
    required: frozenset[str] = frozenset()
    """Characters every match consumes: a stretch lacking one of them has no match."""
    anchors: tuple[tuple[str, int], ...] = ()
    """Required characters with the most characters a match holds before the first of them."""
    lead: tuple[str, ...] = ()
    """The few characters every match starts with (empty: too many or unknown)."""
    head: re.Pattern[str] | None = None
    """One character of the first-character class (None: any character can start a match)."""

    @classmethod
    def build(cls, regex: re.Pattern[str], allowed: frozenset[str] | None = None, *, scan: bool = True) -> Scanner:
        r"""A scanner for ``regex``; ``allowed`` restricts the first character further (a known guard).

        ``scan=False`` leaves ``fast`` out (compiling it is the costly part) for a pattern only
        ever scanned in a :class:`MultiScanner`, which needs just the first-character class.

        >>> s = Scanner.build(re.compile(r"(?P<n>\d+)年"))
        >>> [(a, b, g) for a, b, g in s.spans("2023年和24年", 0, 9)]
        [(0, 5, {'n': '2023'}), (6, 9, {'n': '24'})]
        """
        if regex.flags & re.IGNORECASE or _SPAN in regex.groupindex:
            return cls(regex, None)
        tree = parse_pattern(regex.pattern)
        required = required_chars(tree.data)
        first, nullable = first_set(tree.data)
        known = first is not None and not nullable and bool(first)
        if allowed is not None:
            charset = re.compile("[" + "".join(sorted(first)) + "]") if known and first is not None else None
            chars = sorted(c for c in allowed if charset is None or charset.fullmatch(c))
            head = "[" + "".join(re.escape(c) for c in chars) + "]"
        elif known and first is not None:
            chars, head = ["any"], "[" + "".join(sorted(first)) + "]"
        else:
            chars, head = [], ""
        lead = chars if allowed is not None and known else sorted(first_chars(regex.pattern) or ())
        plain = cls(regex, None, required, _anchors(tree, required), tuple(lead if len(lead) <= _MAX_LEAD else ()))
        if not chars:
            return plain
        if not scan:
            return cls(regex, None, plain.required, plain.anchors, plain.lead, re.compile(head))
        try:
            fast = re.compile(f"{head}(?<=(?=(?P<{_SPAN}>{regex.pattern})){head})")
        except re.error:  # a construct the wrapper cannot hold: scan plainly, still exact
            return plain
        return cls(regex, fast, plain.required, plain.anchors, plain.lead, re.compile(head))

    def spans(
        self,
        text: str,
        start: int,
        stop: int,
        present: frozenset[str] | None = None,
        counts: Mapping[str, int] | None = None,
    ) -> Iterator[tuple[int, int, dict[str, str | Any]]]:
        """``(start, end, groupdict)`` of each match of ``regex.finditer(text, start, stop)``.

        ``present``, the set of characters of ``text[start:stop]`` when the caller has it, lets a
        scanner whose required characters are missing stop at once. ``counts``, how often each
        required character occurs there, lets it try only the starts near the rarest one.
        """
        if present is not None and not self.required <= present:
            return
        starts = _starts(text, start, stop, lead=self.lead, anchors=self.anchors, head=self.head, counts=counts)
        if starts is None:
            yield from self._scan(text, start, stop)
            return
        pos = start
        for at in starts:
            if at < pos:
                continue
            m = self.regex.match(text, at, stop)
            if m is not None and m.end() > at:
                yield at, m.end(), m.groupdict()
                pos = m.end()

    def _scan(self, text: str, start: int, stop: int) -> Iterator[tuple[int, int, dict[str, str | Any]]]:
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


_GROUP_NAME = re.compile(r"\(\?P<([A-Za-z_]\w*)>")


def _renamed(pattern: str, prefix: str) -> str:
    """``pattern`` with every named group prefixed (a reference to one then fails to compile)."""
    return _GROUP_NAME.sub(lambda m: f"(?P<{prefix}{m.group(1)}>", pattern)


@dataclass(frozen=True, slots=True)
class MultiScanner:
    """Patterns with one first-character class scanned in one pass, each with its own matches.

    A scan costs about the same per pattern whatever it finds (the engine tests every character
    against the class), so patterns sharing a class share the scan: at each start where one of
    them matches, one lookahead per pattern captures that pattern's match there. Each pattern's
    ``finditer`` chain (every match starts at or after the end of the one before) is rebuilt
    from those starts, so the matches are exactly those of one :class:`Scanner` per pattern.
    """

    fast: re.Pattern[str]
    """Consumes one character of the first-character class where a pattern matches, capturing
    pattern ``k``'s match there as ``_m<k>``."""
    names: tuple[tuple[tuple[str, str], ...], ...]
    """Per pattern: its groups as ``(name in fast, own name)``."""
    lead: tuple[str, ...] = ()
    required: frozenset[str] = frozenset()
    """Characters every match of every pattern consumes."""
    anchors: tuple[tuple[str, int], ...] = ()
    head: re.Pattern[str] | None = None

    @classmethod
    def build(cls, scanners: Sequence[Scanner]) -> MultiScanner | None:
        r"""One pass over ``scanners`` of one first-character class; None when they cannot share one.

        >>> a, b = Scanner.build(re.compile(r"(?P<y>\d{4})年")), Scanner.build(re.compile(r"(?P<n>\d+)年?"))
        >>> [(k, s, e) for k, s, e, _ in MultiScanner.build([a, b]).spans("2023年", 0, 5)]
        [(0, 0, 5), (1, 0, 5)]
        """
        heads = {s.head.pattern for s in scanners if s.head is not None}
        if len(heads) != 1 or any(s.head is None for s in scanners):
            return None
        head = heads.pop()
        captures, condition, names = _captures(scanners)
        # A lookbehind cannot test its own groups: the condition follows it.
        fast = _compiled(f"{head}(?<={captures}{head}){condition}", names)
        if fast is None:
            return None
        required = frozenset.intersection(*(s.required for s in scanners))
        offsets: dict[str, int] = {}
        for s in scanners:
            for char, offset in s.anchors:
                offsets[char] = max(offset, offsets.get(char, 0))
        anchors = tuple((c, offsets[c]) for c in sorted(required) if all(c in dict(s.anchors) for s in scanners))
        lead = scanners[0].lead if all(s.lead == scanners[0].lead for s in scanners) else ()
        return cls(fast, names, lead, required, anchors, re.compile(head))

    def spans(
        self,
        text: str,
        start: int,
        stop: int,
        present: frozenset[str] | None = None,
        counts: Mapping[str, int] | None = None,
    ) -> Iterator[tuple[int, int, int, dict[str, str | Any]]]:
        """``(k, start, end, groupdict)`` of each match of pattern ``k``, as :meth:`Scanner.spans` gives them.

        Ordered by start; ``present`` and ``counts`` as for :meth:`Scanner.spans`.
        """
        groups = [self.fast.groupindex[f"_m{k}"] for k in range(len(self.names))]
        yield from _emit(self._visits(text, start, stop, present, counts), groups, self.names, start)

    def _visits(
        self, text: str, start: int, stop: int, present: frozenset[str] | None, counts: Mapping[str, int] | None
    ) -> Iterator[re.Match[str]]:
        """The starts where some pattern matches, in order, each with every pattern's capture."""
        if present is not None and not self.required <= present:
            return
        starts = _starts(text, start, stop, lead=self.lead, anchors=self.anchors, head=self.head, counts=counts)
        if starts is None:
            yield from self.fast.finditer(text, start, stop)
            return
        for at in starts:
            visit = self.fast.match(text, at, stop)
            if visit is not None:
                yield visit


def _captures(scanners: Sequence[Scanner]) -> tuple[str, str, tuple[tuple[tuple[str, str], ...], ...]]:
    """A zero-width pattern capturing each of ``scanners``' match at one start, and a condition.

    Pattern ``k``'s match is group ``_m<k>`` (a lookahead, so every pattern is tried at the same
    start); its own groups are renamed ``_m<k>_<name>`` and listed as ``(name in at, own name)``.
    The condition, placed after the captures, fails where none of them was captured.
    """
    captures = "".join(f"(?:(?=(?P<_m{k}>{_renamed(s.regex.pattern, f'_m{k}_')}))|)" for k, s in enumerate(scanners))
    condition = "(?!)"
    for k in reversed(range(len(scanners))):
        condition = f"(?(_m{k})|{condition})"
    names = tuple(tuple((f"_m{k}_{n}", n) for n in s.regex.groupindex) for k, s in enumerate(scanners))
    return captures, condition, names


def _compiled(pattern: str, names: tuple[tuple[tuple[str, str], ...], ...]) -> re.Pattern[str] | None:
    """``pattern`` compiled, or None when it cannot be (or lost a group in renaming)."""
    try:
        compiled = re.compile(pattern)
    except re.error:
        return None
    return None if any(inner not in compiled.groupindex for group in names for inner, _ in group) else compiled


def _emit(
    visits: Iterable[re.Match[str]],
    groups: Sequence[int],
    names: tuple[tuple[tuple[str, str], ...], ...],
    start: int,
) -> Iterator[tuple[int, int, int, dict[str, str | Any]]]:
    """``(k, start, end, groupdict)`` of pattern ``k``'s matches among ``visits``.

    ``visits`` come in start order with pattern ``k``'s match there captured as group
    ``groups[k]``; each pattern keeps its ``finditer`` chain: a match is taken only if it starts at
    or after the end of that pattern's last one.
    """
    ends = [start] * len(groups)
    for visit in visits:
        at = visit.start()
        spans = visit.regs
        for k, group in enumerate(groups):
            end = spans[group][1]
            if end > at >= ends[k]:
                ends[k] = end
                yield k, at, end, {own: visit.group(inner) for inner, own in names[k]}


@dataclass(frozen=True, slots=True)
class AnchorGroup:
    """Patterns whose every match holds ``anchor`` near its start, tried together near it.

    Where the anchor is rare, the few starts shortly before each occurrence are tried once for
    all the patterns (one lookahead capture each, as in :class:`MultiScanner`) instead of once
    per pattern; where it is common, each pattern runs its own :class:`Scanner`.
    """

    anchor: str
    offset: int
    """Most characters a match of any pattern holds before its first ``anchor``."""
    members: tuple[Scanner, ...]
    at: re.Pattern[str]
    head: re.Pattern[str]
    """Any character a match of one of the patterns can start with."""
    groups: tuple[int, ...]
    """The group number of ``_m<k>`` in ``at`` for each pattern."""
    names: tuple[tuple[tuple[str, str], ...], ...]

    @classmethod
    def build(cls, anchor: str, members: Sequence[Scanner]) -> AnchorGroup | None:
        r"""The group of ``members`` (each with ``anchor`` among its anchors and a first-character class).

        >>> a, b = Scanner.build(re.compile(r"(?P<y>\d{4})年")), Scanner.build(re.compile(r"近(?P<n>\d)年"))
        >>> group = AnchorGroup.build("年", [a, b])
        >>> [(k, s, e) for k, s, e, _ in group.spans("2023年和近3年", 0, 9, counts={"年": 2})]
        [(0, 0, 5), (1, 6, 9)]
        """
        heads = [m.head.pattern for m in members if m.head is not None]
        offsets = [dict(m.anchors).get(anchor) for m in members]
        captures, condition, names = _captures(members)
        at = _compiled(captures + condition, names) if len(heads) == len(members) and None not in offsets else None
        if at is None:
            return None
        head = re.compile("[" + "".join(sorted({h[1:-1] for h in heads})) + "]")
        groups = tuple(at.groupindex[f"_m{k}"] for k in range(len(members)))
        return cls(anchor, max(o for o in offsets if o is not None), tuple(members), at, head, groups, names)

    def spans(
        self,
        text: str,
        start: int,
        stop: int,
        present: frozenset[str] | None = None,
        counts: Mapping[str, int] | None = None,
    ) -> Iterator[tuple[int, int, int, dict[str, str | Any]]]:
        """``(k, start, end, groupdict)`` of each match of pattern ``k``, as :meth:`Scanner.spans` gives them."""
        count = counts.get(self.anchor) if counts is not None else None
        if count is None or count * (self.offset + _WINDOW_COST) >= stop - start:
            for k, member in enumerate(self.members):
                for m_start, m_end, groups in member.spans(text, start, stop, present, counts):
                    yield k, m_start, m_end, groups
            return
        near = _near(text, start, stop, (self.anchor, self.offset), self.head)
        visits = (visit for at in near if (visit := self.at.match(text, at, stop)) is not None)
        yield from _emit(visits, self.groups, self.names, start)


def _starts(
    text: str,
    start: int,
    stop: int,
    *,
    lead: Sequence[str],
    anchors: Sequence[tuple[str, int]],
    head: re.Pattern[str] | None,
    counts: Mapping[str, int] | None,
) -> Iterator[int] | None:
    """The only starts a match can have, in order, when trying them beats a scan; else None.

    Either the few occurrences of the lead characters, or the first-character positions shortly
    before each occurrence of the rarest anchor: every match holds the anchor, at most ``offset``
    characters after its start.
    """
    if counts is None:
        return None
    if lead:
        found = _lead_positions(lead, text, start, stop, (stop - start) // _LEAD_SPACING)
        if found is not None:
            return iter(found)
    if not anchors:
        return None
    char, offset = min(anchors, key=lambda a: (counts.get(a[0], stop - start) * (a[1] + _WINDOW_COST), a[0]))
    if counts.get(char, stop - start) * (offset + _WINDOW_COST) >= stop - start:
        return None
    return _near(text, start, stop, (char, offset), head)


def _near(text: str, start: int, stop: int, anchor: tuple[str, int], head: re.Pattern[str] | None) -> Iterator[int]:
    """The first-character positions up to ``offset`` before each occurrence of the anchor."""
    for low, last in _windows(text, start, stop, *anchor):
        if head is None:
            yield from range(low, last + 1)
        else:
            for m in head.finditer(text, low, last + 1):
                yield m.start()


def _lead_positions(lead: Sequence[str], text: str, start: int, stop: int, limit: int) -> list[int] | None:
    """Sorted positions of the ``lead`` characters in the stretch; None beyond ``limit`` of them."""
    found: list[int] = []
    for char in lead:
        at = text.find(char, start, stop)
        while at >= 0:
            found.append(at)
            if len(found) > limit:
                return None
            at = text.find(char, at + 1, stop)
    found.sort()
    return found


def _windows(text: str, start: int, stop: int, anchor: str, offset: int) -> Iterator[tuple[int, int]]:
    """``(low, last)``: disjoint stretches ``[low, last]`` holding every start ``offset`` or less before ``anchor``."""
    occurrence = text.find(anchor, start, stop)
    while occurrence >= 0:
        last, following = occurrence, text.find(anchor, occurrence + 1, stop)
        while 0 <= following <= last + offset + 1:
            last, following = following, text.find(anchor, following + 1, stop)
        yield max(start, occurrence - offset), last
        occurrence = following
