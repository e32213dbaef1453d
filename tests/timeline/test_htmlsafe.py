import html

import pytest

from timeline.htmlsafe import escape_html, highlight_spans, locate_fragment, sentence_html

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "${alert(1)}",
    "`tick`",
    "a\\b",
    "\"quoted\" & 'single'",
    "</script><script>alert(1)</script>",
]


@pytest.mark.parametrize("text", PAYLOADS)
def test_htmlsafe_escape_leaves_no_live_characters(text):
    escaped = escape_html(text)
    for char in "<>\"'`$\\":
        assert char not in escaped


@pytest.mark.parametrize("text", [*PAYLOADS, "普通中文，没有特殊字符。"])
def test_htmlsafe_escape_round_trips_through_html_unescape(text):
    assert html.unescape(escape_html(text)) == text


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        ("abc", [], "abc"),
        ("a<b>c", [(1, 4, "date")], 'a<mark class="date">&lt;b&gt;</mark>c'),
        ("abcdef", [(0, 2, "date"), (1, 3, "place")], '<mark class="date">ab</mark>cdef'),
        ("abc", [(2, 9, "date")], "abc"),
        ("abc", [(2, 2, "date")], "abc"),
        ("abcd", [(2, 4, "place"), (0, 1, "date")], '<mark class="date">a</mark>b<mark class="place">cd</mark>'),
    ],
)
def test_htmlsafe_highlight_spans(text, spans, expected):
    assert highlight_spans(text, spans) == expected


@pytest.mark.parametrize(
    ("text", "fragment", "near", "expected"),
    [
        ("甲。乙。甲。", "甲。", 0, 0),
        ("甲。乙。甲。", "甲。", 5, 4),
        ("甲。乙。甲。", "甲。", 3, 4),
        ("甲。乙。", "丙。", 0, None),
        ("甲。", "", 0, None),
    ],
)
def test_htmlsafe_locate_fragment(text, fragment, near, expected):
    assert locate_fragment(text, fragment, near) == expected


def test_htmlsafe_sentence_html_drops_marks_outside_sentence_and_escapes():
    text = "前文<b>。${x}在`薛城`开会。"
    sentence = "${x}在`薛城`开会。"
    start = text.index(sentence)
    place = text.index("薛城")
    out = sentence_html(text, sentence, start, [(0, 2, "date"), (place, place + 2, "place")])
    assert out == '&#36;{x}在&#96;<mark class="place">薛城</mark>&#96;开会。'


def test_htmlsafe_sentence_html_unknown_sentence_is_escaped():
    assert sentence_html("abc", "<x>", 0, [(0, 1, "date")]) == "&lt;x&gt;"
