"""Split article text into sentences and clauses, as ``[start, end)`` spans into the document.

Events are stated one per clause (``8月16日全市…推进会召开``), and their date and place are
searched first in the clause, then in the sentence; so both units are spans, never copies.
A sentence ends at a full stop, question/exclamation mark, semicolon or a line break; a clause
ends at a comma, enumeration-free colon or a sentence end. Closing quotes and brackets that follow
a stop stay with the sentence they close. Leading and trailing blanks are trimmed off every span.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Span", "split_clauses", "split_sentences"]

# Sentence stops (full- and half-width after the length-preserving fold) and the line break.
_SENTENCE_STOPS = frozenset("。！？；!?;\n")
# Clause stops inside a sentence; the enumeration comma 、 deliberately does not split.
_CLAUSE_STOPS = frozenset("，,：:")
# Closers that belong to the sentence they follow: 。” and 。）.
_CLOSERS = frozenset("”’\"'）)》」』】")
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


def _split(text: str, start: int, end: int, stops: frozenset[str]) -> tuple[Span, ...]:
    spans: list[Span] = []
    piece = start
    i = start
    while i < end:
        if text[i] in stops:
            cut = i + 1
            while cut < end and text[cut] in _CLOSERS:
                cut += 1
            span = _trimmed(text, piece, cut)
            if span is not None:
                spans.append(span)
            piece = i = cut
            continue
        i += 1
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

    >>> t = "10月18日，发布会举行。"
    >>> [t[c.start:c.end] for c in split_clauses(t, Span(0, len(t)))]
    ['10月18日，', '发布会举行。']
    """
    return _split(text, sentence.start, sentence.end, _CLAUSE_STOPS)
