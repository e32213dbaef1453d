"""Sentence and clause spans."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline.clauses import Span, split_clauses, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("你好。再见", ["你好。", "再见"]),
        ("他说：“好。”然后走了。", ["他说：“好。”", "然后走了。"]),
        ("一；二！三？四\n五", ["一；", "二！", "三？", "四", "五"]),
        ("  开头有空格。\n\n  ", ["开头有空格。"]),
        ("1.5万元,增长3.2%;完成", ["1.5万元,增长3.2%;", "完成"]),
        ("", []),
    ],
)
def test_clauses_sentences(text: str, expected: list[str]) -> None:
    assert [text[s.start : s.end] for s in split_sentences(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10月18日，发布会举行。", ["10月18日，", "发布会举行。"]),
        ("枣庄市、滕州市同时创建示范区", ["枣庄市、滕州市同时创建示范区"]),
        ("主持人：你好,请介绍", ["主持人：", "你好,", "请介绍"]),
    ],
)
def test_clauses_clauses(text: str, expected: list[str]) -> None:
    assert [text[c.start : c.end] for c in split_clauses(text, Span(0, len(text)))] == expected


def test_clauses_sentences_of_a_stretch_stay_inside_it() -> None:
    text = "前文。标题\n正文一。正文二。后文。"
    start, end = text.index("标题"), text.index("后文")
    spans = split_sentences(text, start, end)
    assert all(start <= s.start < s.end <= end for s in spans)
    assert [text[s.start : s.end] for s in spans] == ["标题", "正文一。", "正文二。"]


def test_clauses_span_rejects_empty() -> None:
    with pytest.raises(ValueError, match="bad span"):
        Span(3, 3)


@given(st.text(alphabet="甲乙，。；\n “”、 ,", max_size=40))
def test_clauses_spans_are_ordered_trimmed_and_cover_all_words(text: str) -> None:
    sentences = split_sentences(text)
    for a, b in itertools.pairwise(sentences):
        assert a.end <= b.start
    words = "".join(text[s.start : s.end] for s in sentences)
    assert [c for c in words if c in "甲乙"] == [c for c in text if c in "甲乙"]
    for sentence in sentences:
        assert text[sentence.start] not in " \n" and text[sentence.end - 1] not in " \n"
        clauses = split_clauses(text, sentence)
        assert all(sentence.contains(c.start, c.end) for c in clauses)
