"""Split article text into sentences and clauses, as ``[start, end)`` spans into the document.

Events are stated one per clause (``8月16日全市…推进会召开``), and their date and place are
searched first in the clause, then in the sentence; so both units are spans, never copies.
A sentence ends at a full stop, question/exclamation mark, semicolon or a line break; a clause
ends at a comma, enumeration-free colon or a sentence end. Closing quotes and brackets that follow
a stop stay with the sentence they close. Leading and trailing blanks are trimmed off every span.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Span", "split_clauses", "split_sentences"]

# Closers that belong to the sentence they follow: 。” and 。）.
_CLOSERS = "”’\"'）)》」』】"
# Sentence stops (full- and half-width after the length-preserving fold) and the line break.
_SENTENCE_STOPS = re.compile(f"[。！？；!?;\n][{_CLOSERS}]*")
# Clause stops inside a sentence; the enumeration comma 、 deliberately does not split.
_CLAUSE_STOPS = re.compile(f"[，,：:][{_CLOSERS}]*")
# Longest clause a quoted name may glue together; beyond it the quotation is speech.
_QUOTED_NAME_CHARS = 48
_BLANKS = " \t\u3000\n\r"


@dataclass(frozen=True, slots=True)
class Span:
    """A ``[start, end)`` stretch of a document's text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"bad span [{self.start}, {self.end})")

    def contains(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` lies inside this span."""
        return self.start <= start and end <= self.end


def _split(
    text: str, start: int, end: int, stops: re.Pattern[str], keep: Callable[[int, int], object] | None = None
) -> tuple[Span, ...]:
    spans: list[Span] = []
    piece = start
    bounds = [stop.end() for stop in stops.finditer(text, start, end)]
    bounds.append(end)
    # Each piece trimmed of blanks, in line: this runs for every sentence of every article.
    for bound in bounds:
        low, high = piece, bound
        while low < high and text[low] in _BLANKS:
            low += 1
        while high > low and text[high - 1] in _BLANKS:
            high -= 1
        if low < high and (keep is None or keep(low, high)):
            spans.append(Span(low, high))
        piece = bound
    return tuple(spans)


def split_sentences(
    text: str, start: int = 0, end: int | None = None, keep: Callable[[int, int], object] | None = None
) -> tuple[Span, ...]:
    """Sentences of ``text[start:end]`` as spans into ``text`` (stop marks included).

    ``keep(start, end)``, when given and true, selects the sentences to return (the others are
    never built).

    >>> [("你好。“对。”再见"[s.start:s.end]) for s in split_sentences("你好。“对。”再见")]
    ['你好。', '“对。”', '再见']
    """
    return _split(text, start, len(text) if end is None else end, _SENTENCE_STOPS, keep)


def split_clauses(text: str, sentence: Span, keep: Callable[[int, int], object] | None = None) -> tuple[Span, ...]:
    """Clauses of one sentence as spans into ``text`` (the comma stays with its clause).

    A comma inside a short quotation (开展“关爱野生动物,共享美好家园”活动) belongs to a name and
    does not end a clause; a long quotation is speech and is split as usual. ``keep(start, end)``,
    when given and true, selects the clauses to return.

    >>> t = "10月18日，“甲，乙”发布会举行。"
    >>> [t[c.start:c.end] for c in split_clauses(t, Span(0, len(t)))]
    ['10月18日，', '“甲，乙”发布会举行。']
    """
    if text.find("“", sentence.start, sentence.end) < 0:
        # No quotation: every piece is a clause.
        return _split(text, sentence.start, sentence.end, _CLAUSE_STOPS, keep)
    pieces = _split(text, sentence.start, sentence.end, _CLAUSE_STOPS)
    clauses: list[Span] = []
    depth = 0
    for piece in pieces:
        if depth > 0 and clauses and piece.end - clauses[-1].start <= _QUOTED_NAME_CHARS:
            clauses[-1] = Span(clauses[-1].start, piece.end)
        else:
            clauses.append(piece)
        depth = max(0, depth + text.count("“", piece.start, piece.end) - text.count("”", piece.start, piece.end))
    return tuple(c for c in clauses if keep is None or keep(c.start, c.end))
