"""find_dates: resolution against the reference, tense, anchoring, negatives, spans, seeds gold."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.dates import find_dates, find_dates_in_text
from timeline.model import Article, Document, Kind, Precision, ReferenceDate

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED_NAMES = sorted(p.stem for p in SEEDS.glob("*.txt"))


def _values(text: str, reference: str | None) -> list[tuple[str, str]]:
    return [(m.text, m.value) for m in find_dates_in_text(text, reference)]


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("12月28日,会议召开。", "2024-01-03", [("12月28日", "2023-12-28")]),
        ("预计12月28日完工。", "2023-10-19", [("12月28日", "2023-12-28")]),
        ("预计3月份投产。", "2023-10-19", [("3月份", "2024-03")]),
        ("3月份投产。", "2023-10-19", [("3月份", "2023-03")]),
        ("近日,市里开会。", "2023-10", [("近日", "2023-10")]),
        ("近日,市里开会。", "2023-10-19", [("近日", "2023-10-19")]),
        ("去年和前年", "2023-02", [("去年", "2022"), ("前年", "2021")]),
        ("2月10日下午,会议", "2023-02", [("2月10日下午", "2023-02-10")]),
        ("8月底9月初", "2023-10-19", [("8月底", "2023-08"), ("9月初", "2023-09")]),
        ("初春、初夏、初秋", "2023-10-19", [("初春", "2023-02"), ("初夏", "2023-05"), ("初秋", "2023-08")]),
        ("今春,今冬", "2023-10-19", [("今春", "2023-03/2023-05"), ("今冬", "2023-12/2024-02")]),
        ("这几年,这些年", "2023-10-19", [("这几年", "2020/2023"), ("这些年", "2020/2023")]),
        ("“迎新春”系列活动", "2024-02-06", [("新春", "2024-02")]),
        ("新春走访,春节", "2024-02-06", [("新春", "2024-02-10"), ("春节", "2024-02-10")]),
        ("周一至周五开放", "2024-03-08", []),
        ("上周日和下周六", "2024-03-08", [("上周日", "2024-03-03"), ("下周六", "2024-03-16")]),
        ("上个月15日", "2024-03-08", [("上个月15日", "2024-02-15")]),
        # the end of a range after a dated start in the same sentence: on or after that start
        ("旅游节将于9月26日开幕,持续至10月8日。", "2025-09-03", [("9月26日", "2025-09-26"), ("10月8日", "2025-10-08")]),
        ("活动3月2日启动,到4月1日结束。", "2025-03-10", [("3月2日", "2025-03-02"), ("4月1日", "2025-04-01")]),
        ("展览12月20日开幕,展至2月28日。", "2025-01-05", [("12月20日", "2024-12-20"), ("2月28日", "2025-02-28")]),
        # no range word, or the start in another sentence: past-leaning as before
        ("3月2日开会。至4月1日,共排查", "2025-03-10", [("3月2日", "2025-03-02"), ("4月1日", "2024-04-01")]),
        ("3月2日开会,4月1日验收", "2025-03-10", [("3月2日", "2025-03-02"), ("4月1日", "2024-04-01")]),
        # 即日起 points forward
        ("即日起至9月20日,市民可报名。", "2025-09-03", [("9月20日", "2025-09-20")]),
        # a deadline with a verb of completion is a target: it points forward
        ("确保城关镇项目完工,10月前完成污水管网建设。", "2025-06-12", [("10月前", "2025-10")]),
        ("3月底前全部建成投用。", "2025-06-12", [("3月底前", "2026-03")]),
        # with 已, or in a narrative clause without such a verb, news stays past-leaning
        ("10月前已完成污水管网建设。", "2025-06-12", [("10月前", "2024-10")]),
        ("10月前,村里道路泥泞。", "2025-06-12", [("10月前", "2024-10")]),
    ],
)
def test_dates_resolve_against_reference(text, reference, expected):
    assert _values(text, reference) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10月18日上午开班。当天下午,学员", [("10月18日上午", "2023-10-18"), ("当天", "2023-10-18")]),
        ("8月7日成功创建。次日,", [("8月7日", "2023-08-07"), ("次日", "2023-08-08")]),
        ("2019年7月建成基地。此前,", [("2019年7月", "2019-07"), ("此前", "2019-07")]),
    ],
)
def test_dates_anchored_words_follow_previous_mention(text, expected):
    assert _values(text, "2023-10-19") == expected


@pytest.mark.parametrize(
    ("text", "kind", "precision"),
    [
        ("预计今年5月前竣工", Kind.DEADLINE, Precision.MONTH),
        ("力争年底前投产", Kind.DEADLINE, Precision.APPROX),
        ("今年以来", Kind.ONGOING_SINCE, Precision.YEAR),
        ("为期4天", Kind.DURATION, Precision.DAY),
        ("每季度", Kind.RECURRING, Precision.QUARTER),
        ("2019-2021年", Kind.RANGE, Precision.MULTI_YEAR),
        ("本月底前", Kind.DEADLINE, Precision.APPROX),
        ("明年春耕前", Kind.DEADLINE, Precision.APPROX),
        ("今年一季度以来", Kind.ONGOING_SINCE, Precision.QUARTER),
        ("为期半年", Kind.DURATION, Precision.MONTH),
        ("每月28日", Kind.RECURRING, Precision.MONTH),
        ("今冬明春", Kind.RANGE, Precision.SEASON),
        ("这两年", Kind.RANGE, Precision.APPROX),
    ],
)
def test_dates_kind_and_precision(text, kind, precision):
    (mention,) = find_dates_in_text(text, "2023-02")
    assert (mention.kind, mention.precision) == (kind, precision)


@pytest.mark.parametrize(
    "text",
    [
        "年产18万吨磷酸铁锂",
        "纳入年度考核",
        "40岁以下干部",
        "第32个全国科普日",
        "干部作风建设提升年活动",
        "总投资4.08亿元",
        "占比45.8%",
        "这是1所九年一贯制学校",
        "二年级的学生",
        "未来,今后,下一步,届时,随后,之后",
        "一日之计在于晨",
    ],
)
def test_dates_non_dates_are_not_tagged(text):
    assert find_dates_in_text(text, "2023-10-19") == ()


@pytest.mark.parametrize(
    ("text", "value", "first", "last"),
    [
        ("春节前夕", "2022-01", dt.date(2022, 1, 25), dt.date(2022, 1, 31)),
        ("今年5月前", "2022-05", None, dt.date(2022, 4, 30)),
        ("年底前", "2022-12", None, dt.date(2022, 12, 31)),
        ("2023年上半年", "2023-01/2023-06", dt.date(2023, 1, 1), dt.date(2023, 6, 30)),
        ("冬季", "2022-12/2023-02", dt.date(2022, 12, 1), dt.date(2023, 2, 28)),
        ("截至1月末", "2022-01-31", dt.date(2022, 1, 31), dt.date(2022, 1, 31)),
        ("截至7月末", "2021-07-31", dt.date(2021, 7, 31), dt.date(2021, 7, 31)),
        ("今年以来", "2022/2022-02", dt.date(2022, 1, 1), dt.date(2022, 2, 28)),
    ],
)
def test_dates_interval_matches_value(text, value, first, last):
    (mention,) = find_dates_in_text(text, "2022-02")
    assert (mention.value, mention.first_day, mention.last_day) == (value, first, last)


@pytest.mark.parametrize(("text", "value"), [("为期4天", "P4D"), ("每年", "R/P1Y"), ("历年来", "../2022-02")])
def test_dates_no_calendar_position_has_no_first_day(text, value):
    (mention,) = find_dates_in_text(text, "2022-02")
    assert mention.value == value
    assert mention.first_day is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021年12月,会议召开。今年以来,", [("2021年12月", "2021-12"), ("今年以来", "2021/2021")]),
        # No year anywhere: detected but unresolved, never today's year (issue 2: never the system clock).
        ("今年,全市", [("今年", "")]),
    ],
)
def test_dates_without_reference_detects_with_low_confidence(text, expected):
    mentions = find_dates_in_text(text, None)
    assert [(m.text, m.value) for m in mentions] == expected
    assert all(m.confidence < 0.95 for m in mentions if m.text.startswith("今年"))


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(SEED_NAMES), st.integers(0, 4000), st.integers(1, 1500))
def test_dates_spans_are_in_bounds_and_match_text(name, start, length):
    text = (SEEDS / f"{name}.txt").read_text("utf-8")
    start = min(start, len(text) - 1)
    end = min(len(text), start + length)
    doc = Document(name, name, text)
    article = Article(doc, 0, start, end, reference=ReferenceDate("2023-02", Precision.MONTH, "t", 1.0, "t"))
    for m in find_dates(article):
        assert start <= m.start < m.end <= end
        assert doc.text[m.start : m.end] == m.text
        assert len(doc.folded) == len(doc.text)


def _score(seed_texts, seed_gold):
    tp = fp = fn = correct = 0
    for name, gold in seed_gold.items():
        doc = Document(name, name, seed_texts[name])
        found = []
        for i, a in enumerate(gold["articles"]):
            pd = a["publication_date"]
            ref = ReferenceDate(pd, Precision.DAY, "gold", 1.0, "gold") if pd else None
            found += find_dates(Article(doc, i, a["start"], a["end"], reference=ref))
        matched = set()
        for m in found:
            hits = [g for g in gold["dates"] if g["start"] < m.end and m.start < g["end"]]
            if not hits:
                fp += 1
                continue
            matched.add(id(hits[0]))
            if not hits[0].get("optional"):
                tp += 1
                correct += m.value == hits[0]["value"]
        fn += sum(1 for g in gold["dates"] if id(g) not in matched and not g.get("optional"))
    return tp / (tp + fp), tp / (tp + fn), correct / tp


def test_dates_seeds_gold_targets(seed_texts, seed_gold):
    precision, recall, accuracy = _score(seed_texts, seed_gold)
    print(f"dates on seeds gold: P={precision:.3f} R={recall:.3f} value accuracy={accuracy:.3f}")
    assert precision >= 0.95
    assert recall >= 0.95
    assert accuracy >= 0.92


def test_dates_jionlp_parses_bare_month():
    """Guard: jionlp 1.5.30/1.5.31 raise on bare months; the pinned version must not."""
    import jionlp

    base = time.mktime((2021, 6, 14, 1, 6, 40, 0, 0, -1))
    result = jionlp.parse_time("9月", time_base=base)
    assert result["time"][0].startswith("2021-09-01")


_DATEISH = "0123456789一二三四五六七八九十〇两年月日号季度旬初底末前后至到-~今去明上本近来以截每为期连春节夏秋冬十五“”国庆，。 "


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=_DATEISH, min_size=1, max_size=40),
    st.sampled_from([None, "1850", "2000-02", "2023-02-28", "2024-02-29", "2099-12-31"]),
)
def test_dates_never_fail_on_date_like_noise(text, reference):
    for m in find_dates_in_text(text, reference):
        assert text[m.start : m.end] == m.text
        assert m.first_day is None or m.last_day is None or m.first_day <= m.last_day


@pytest.mark.parametrize(
    ("text", "resolved", "unresolved"),
    [
        ("近日，记者从市里获悉，今年以来已完成12月28日的任务。", [], ["近日", "今年以来", "12月28日"]),
        ("2021年以来，近日又召开会议。", ["2021年以来", "近日"], []),
    ],
)
def test_dates_no_reference_never_uses_the_clock(text: str, resolved: list[str], unresolved: list[str]) -> None:
    mentions = {m.text: m for m in find_dates_in_text(text, None)}
    for word in resolved:
        assert mentions[word].value and mentions[word].value.startswith("2021")
    for word in unresolved:
        assert mentions[word].value == "" and mentions[word].first_day is None
        assert "unresolved" in mentions[word].note


def test_dates_no_reference_leaves_ongoing_end_open() -> None:
    (mention,) = [m for m in find_dates_in_text("党的十八大以来，全区面貌一新。", None) if m.kind is Kind.ONGOING_SINCE]
    assert mention.value.endswith("/..") and mention.last_day is None
