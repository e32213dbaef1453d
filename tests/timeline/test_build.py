"""The timeline DataFrame: columns, +08:00 intervals with an exclusive end, order, de-duplication."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tests.timeline.event_fixtures import analysis_of, article_of, date_at, place_at
from timeline.build import COLUMNS, TZ, build_timeline, value_interval
from timeline.model import Kind, Precision
from timeline.pipeline import Analysis

CONTRACT = [
    "id",
    "event_type",
    "status",
    "title",
    "start",
    "end",
    "time_precision",
    "time_text",
    "place_name",
    "place_level",
    "adcode",
    "admin_path",
    "geo_precision",
    "lon",
    "lat",
    "source",
    "doc_id",
    "article",
    "article_title",
    "sentence",
    "evidence_start",
    "evidence_end",
    "date_start",
    "date_end",
    "place_start",
    "place_end",
    "confidence",
    "sources",
]


def _conference(source: str, lead: str = "10月18日，枣庄市信用建设新闻发布会举行。") -> Analysis:
    article = article_of(lead, source=source)
    return analysis_of(
        article, [date_at(article.doc, "10月18日", "2023-10-18")], [place_at(article.doc, "枣庄市", "枣庄市")]
    )


def _undated() -> Analysis:
    article = article_of("区委召开了动员大会。", None, source="u.txt")
    return analysis_of(article, [], [])


def _month() -> Analysis:
    article = article_of("2019年7月建成党性教育基地。", source="m.txt")
    return analysis_of(article, [date_at(article.doc, "2019年7月", "2019-07")], [])


def test_build_columns_follow_the_contract() -> None:
    frame = build_timeline([_conference("a.txt")])
    assert list(frame.columns)[: len(CONTRACT)] == CONTRACT
    assert tuple(frame.columns) == COLUMNS


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("2023-10-18", "2023-10-18", "2023-10-18"),
        ("2023-02", "2023-02-01", "2023-02-28"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2022", "2022-01-01", "2022-12-31"),
        ("2023-02-07/2023-02-12", "2023-02-07", "2023-02-12"),
        ("2018/2021-09-01", "2018-01-01", "2021-09-01"),
    ],
)
def test_build_value_interval(value: str, first: str, last: str) -> None:
    a, b = value_interval(value)
    assert (str(a), str(b)) == (first, last)


@pytest.mark.parametrize("value", ["R/P1Y", "P4D", "../2023-10-19", "", None])
def test_build_value_interval_without_calendar_position(value: str | None) -> None:
    assert value_interval(value) == (None, None)


def test_build_times_are_china_time_with_exclusive_end() -> None:
    frame = build_timeline([_conference("a.txt"), _month()])
    assert isinstance(frame["start"].dtype, pd.DatetimeTZDtype)
    day, month = frame.iloc[1], frame.iloc[0]
    assert day["start"] == pd.Timestamp("2023-10-18T00:00:00+08:00")
    assert day["end"] == pd.Timestamp("2023-10-19T00:00:00+08:00")
    assert month["end"] == pd.Timestamp("2019-08-01T00:00:00+08:00")
    assert day["start"].utcoffset() == TZ.utcoffset(None)
    assert (day["time_precision"], month["time_precision"]) == (str(Precision.DAY), str(Precision.MONTH))


def test_build_sorted_by_start_undated_last_unplaced_nan() -> None:
    frame = build_timeline([_undated(), _conference("a.txt"), _month()])
    assert list(frame["source"]) == ["m.txt", "a.txt", "u.txt"]
    undated = frame.iloc[2]
    assert pd.isna(undated["start"]) and pd.isna(undated["end"])
    assert math.isnan(undated["lon"]) and math.isnan(undated["lat"])
    assert (undated["date_start"], undated["place_start"]) == (-1, -1)
    assert undated["date_source"] == "none"


def test_build_provenance_offsets_point_into_the_document() -> None:
    analysis = _conference("a.txt")
    row = build_timeline([analysis]).iloc[0]
    text = analysis.doc.text
    assert text[row["date_start"] : row["date_end"]] == "10月18日"
    assert text[row["place_start"] : row["place_end"]] == "枣庄市"
    assert row["sentence"].startswith(text[row["evidence_start"] : row["evidence_end"]])
    assert (row["admin_path"], row["adcode"], row["geo_precision"]) == ("山东省/枣庄市", "370400", 1)
    assert row["sources"] == ["a.txt#0"]


def test_build_same_event_in_two_documents_is_one_row_with_both_sources() -> None:
    first = _conference("a.txt")
    second = _conference("b.txt", "10月18日，枣庄市召开信用建设新闻发布会。")
    frame = build_timeline([first, second])
    assert len(frame) == 1
    assert frame.iloc[0]["sources"] == ["a.txt#0", "b.txt#0"]


def test_build_different_days_are_different_events() -> None:
    other = article_of("10月19日，枣庄市信用建设新闻发布会举行。", source="c.txt")
    later = analysis_of(
        other, [date_at(other.doc, "10月19日", "2023-10-19")], [place_at(other.doc, "枣庄市", "枣庄市")]
    )
    assert len(build_timeline([_conference("a.txt"), later])) == 2


def test_build_ongoing_since_spans_to_its_end() -> None:
    article = article_of("2018年以来，举办专场活动17场。", "2021-09-01")
    date = date_at(article.doc, "2018年以来", "2018/2021-09-01", kind=Kind.ONGOING_SINCE, precision=Precision.YEAR)
    row = build_timeline([analysis_of(article, [date], [])])
    assert row.iloc[0]["end"] == pd.Timestamp("2021-09-02T00:00:00+08:00")


def test_build_empty() -> None:
    frame = build_timeline([])
    assert frame.empty and tuple(frame.columns) == COLUMNS
