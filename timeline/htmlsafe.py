"""Escape article text for HTML and for folium's JavaScript templates.

Article text is untrusted: a page may contain ``<img src=x onerror=...>``. ``html.escape`` covers
``&<>"'`` for HTML, but folium puts popup and tooltip strings inside JavaScript template literals,
where a back-tick ends the literal, ``${...}`` is evaluated and a backslash starts an escape; those
three are escaped too, as numeric character references that render literally in HTML.
"""

from __future__ import annotations

from collections.abc import Iterable

_HTML = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&#x27;",
}
_TEMPLATE = {
    "`": "&#96;",
    "$": "&#36;",
    "\\": "&#92;",
}
_TABLE = str.maketrans({**_HTML, **_TEMPLATE})


def escape_html(text: object) -> str:
    r"""Escape ``text`` for an HTML element body or a quoted attribute value.

    Also escapes the characters that are live inside a JavaScript template literal, so the
    result is safe in folium popups and tooltips as well.

    >>> escape_html('<img src=x onerror=alert(1)> ${a} `b` c\\d & "e"')
    '&lt;img src=x onerror=alert(1)&gt; &#36;{a} &#96;b&#96; c&#92;d &amp; &quot;e&quot;'
    """
    return str(text).translate(_TABLE)


def highlight_spans(text: str, spans: Iterable[tuple[int, int, str]]) -> str:
    """Escape ``text`` and wrap each ``(start, end, css_class)`` span in ``<mark>``.

    Spans are offsets into ``text``; overlapping or out-of-range spans are skipped (the first
    one in start order wins), so the output is always well-formed HTML.

    >>> highlight_spans("a<b>c", [(1, 4, "date")])
    'a<mark class="date">&lt;b&gt;</mark>c'
    """
    parts: list[str] = []
    cursor = 0
    for start, end, css_class in sorted(spans):
        if start < cursor or not 0 <= start < end <= len(text):
            continue
        parts.append(escape_html(text[cursor:start]))
        parts.append(f'<mark class="{escape_html(css_class)}">{escape_html(text[start:end])}</mark>')
        cursor = end
    parts.append(escape_html(text[cursor:]))
    return "".join(parts)


def locate_fragment(text: str, fragment: str, near: int) -> int | None:
    """Start of the occurrence of ``fragment`` in ``text`` that covers (or is nearest to) ``near``.

    The event table stores the sentence as text and the evidence as offsets; a sentence that
    repeats on a page is placed by the evidence offset.

    >>> locate_fragment("甲。乙。甲。", "甲。", 5)
    4
    """
    if not fragment:
        return None
    best: int | None = None
    position = text.find(fragment)
    while position != -1:
        if position <= near < position + len(fragment):
            return position
        if best is None or abs(position - near) < abs(best - near):
            best = position
        position = text.find(fragment, position + 1)
    return best


def sentence_html(text: str, sentence: str, near: int, marks: Iterable[tuple[int, int, str]]) -> str:
    """The escaped ``sentence`` with ``marks`` (document offsets) highlighted.

    Marks outside the sentence are dropped; when the sentence cannot be found in ``text`` it is
    shown escaped without highlights.

    >>> sentence_html("前文。10月19日在<薛城>开会。", "10月19日在<薛城>开会。", 3, [(3, 9, "date"), (10, 14, "place")])
    '<mark class="date">10月19日</mark>在<mark class="place">&lt;薛城&gt;</mark>开会。'
    """
    start = locate_fragment(text, sentence, near)
    if start is None:
        return escape_html(sentence)
    end = start + len(sentence)
    local = [(s - start, e - start, c) for s, e, c in marks if start <= s < e <= end]
    return highlight_spans(sentence, local)
