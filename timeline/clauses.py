"""Split article text into sentences and clauses, as ``[start, end)`` spans into the document.

Events are stated one per clause (``8月16日全市…推进会召开``), and their date and place are
searched first in the clause, then in the sentence; so both units are spans, never copies.
A sentence ends at a full stop, question/exclamation mark, semicolon or a line break; a clause
ends at a comma, enumeration-free colon or a sentence end. Closing quotes and brackets that follow
a stop stay with the sentence they close. Leading and trailing blanks are trimmed off every span.
"""

from __future__ import annotations

import re
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


def _trimmed(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start] in _BLANKS:
        start += 1
    while end > start and text[end - 1] in _BLANKS:
        end -= 1
    return Span(start, end) if start < end else None


def _split(text: str, start: int, end: int, stops: re.Pattern[str]) -> tuple[Span, ...]:
    spans: list[Span] = []
    piece = start
    for stop in stops.finditer(text, start, end):
        span = _trimmed(text, piece, stop.end())
        if span is not None:
            spans.append(span)
        piece = stop.end()
    span = _trimmed(text, piece, end)
    if span is not None:
        spans.append(span)
    return tuple(spans)


def split_sentences(text: str, start: int = 0, end: int | None = None) -> tuple[Span, ...]:
    """Sentences of ``text[start:end]`` as spans into ``text`` (stop marks included).

    >>> [("你好。“对。”再见"[s.start:s.end]) for s in split_sentences("你好。“对。”再见")]
    ['你好。', '“对。”', '再见']
    """
    return _split(text, start, len(text) if end is None else end, _SENTENCE_STOPS)


def split_clauses(text: str, sentence: Span) -> tuple[Span, ...]:
    """Clauses of one sentence as spans into ``text`` (the comma stays with its clause).

    A comma inside a short quotation (开展“关爱野生动物,共享美好家园”活动) belongs to a name and
    does not end a clause; a long quotation is speech and is split as usual.

    >>> t = "10月18日，“甲，乙”发布会举行。"
    >>> [t[c.start:c.end] for c in split_clauses(t, Span(0, len(t)))]
    ['10月18日，', '“甲，乙”发布会举行。']
    """
    pieces = _split(text, sentence.start, sentence.end, _CLAUSE_STOPS)
    clauses: list[Span] = []
    depth = 0
    for piece in pieces:
        if depth > 0 and clauses and piece.end - clauses[-1].start <= _QUOTED_NAME_CHARS:
            clauses[-1] = Span(clauses[-1].start, piece.end)
        else:
            clauses.append(piece)
        depth = max(0, depth + text.count("“", piece.start, piece.end) - text.count("”", piece.start, piece.end))
    return tuple(clauses)
