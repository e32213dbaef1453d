"""The SQLite store: analyses come back equal, keyed by content hash, version and date option."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.timeline.event_fixtures import analysis_of, article_of, date_at, place_at
from timeline.model import Kind
from timeline.pipeline import Analysis
from timeline.store import Store, analysis_from_json, analysis_to_json, pipeline_version


def _analysis() -> Analysis:
    article = article_of("10月19日，新闻发布会在枣庄市会展中心召开。每年召开考核大会。")
    doc = article.doc
    dates = [date_at(doc, "10月19日", "2023-10-19"), date_at(doc, "每年", "R/P1Y", kind=Kind.RECURRING)]
    return analysis_of(article, dates, [place_at(doc, "枣庄市会展中心", "枣庄市会展中心")])


def test_store_json_round_trip_is_lossless() -> None:
    analysis = _analysis()
    back = analysis_from_json(analysis_to_json(analysis))
    assert back == analysis
    assert back.events[0].date == analysis.events[0].date
    assert back.events[0].place == analysis.events[0].place
    assert back.doc.text == analysis.doc.text


@pytest.mark.parametrize("publication", [None, dt.date(2023, 10, 20)])
def test_store_put_then_get(tmp_path: Path, publication: dt.date | None) -> None:
    analysis = _analysis()
    with Store(tmp_path / "s.sqlite") as store:
        assert store.get(analysis.doc.id, publication) is None
        store.put(analysis, publication)
        store.put(analysis, publication)  # re-runs replace, never duplicate
        assert store.count() == 1
        assert store.get(analysis.doc.id, publication) == analysis
        other = dt.date(2000, 1, 1)
        assert store.get(analysis.doc.id, other) is None


def test_store_results_of_another_pipeline_version_are_not_reused(tmp_path: Path) -> None:
    analysis = _analysis()
    with Store(tmp_path / "s.sqlite", version="old") as store:
        store.put(analysis)
    with Store(tmp_path / "s.sqlite") as store:
        assert store.get(analysis.doc.id) is None
        assert store.version == pipeline_version() != "old"


def test_store_persists_across_connections(tmp_path: Path) -> None:
    analysis = _analysis()
    with Store(tmp_path / "deep" / "s.sqlite") as store:
        store.put(analysis)
    with Store(tmp_path / "deep" / "s.sqlite") as store:
        assert store.get(analysis.doc.id) == analysis


def test_store_analyse_computes_once_then_reuses(tmp_path: Path) -> None:
    doc = _analysis().doc
    with Store(tmp_path / "s.sqlite") as store:
        first = store.analyse(doc, None)
        assert store.count() == 1
        assert store.analyse(doc, None) == first
