"""Scoring against gold: matching by overlap, optional items neutral, robust to missing files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from timeline.errors import InputError
from timeline.score import Detection, format_scores, score_dirs, score_document

GOLD: dict[str, Any] = {
    "articles": [
        {"title": "A", "start": 0, "end": 100, "publication_date": "2023-10-19"},
        {"title": "B", "start": 102, "end": 200, "publication_date": "2023-10"},
    ],
    "dates": [
        {"text": "10月18日", "start": 10, "end": 16, "value": "2023-10-18", "article": 0},
        {"text": "今年", "start": 30, "end": 32, "value": "2023", "article": 0},
        {"text": "此前", "start": 40, "end": 42, "value": "../2023-10-19", "article": 0, "optional": True},
    ],
    "places": [
        {"text": "枣庄市", "start": 50, "end": 53, "resolved": "山东省/枣庄市", "adcode": "370400", "article": 0},
        {
            "text": "薛城区",
            "start": 120,
            "end": 123,
            "resolved": "山东省/枣庄市/薛城区",
            "adcode": "370403",
            "article": 1,
        },
    ],
    "events": [
        {
            "type": "press_conference",
            "date": "2023-10-18",
            "date_text_start": 10,
            "date_text_end": 16,
            "place": "山东省/枣庄市",
            "evidence_start": 10,
            "evidence_end": 60,
            "article": 0,
        },
        {
            "type": "meeting",
            "date": "2023",
            "date_text_start": 30,
            "date_text_end": 32,
            "place": "山东省/枣庄市",
            "evidence_start": 10,
            "evidence_end": 60,
            "article": 0,
        },
    ],
}


def _copy(**changes: Any) -> dict[str, Any]:
    pred = json.loads(json.dumps(GOLD))
    pred.update(changes)
    return pred


def test_score_perfect_prediction_is_one() -> None:
    score = score_document("x", GOLD, GOLD)
    for layer in (score.dates, score.places, score.events):
        assert (layer.detection.precision, layer.detection.recall, layer.detection.f1) == (1.0, 1.0, 1.0)
        assert all(acc.value == 1.0 for _, acc in layer.accuracies)
    assert score.articles.mean_iou == 1.0
    assert score.articles.reference.value == 1.0
    assert score.articles.detection.f1 == 1.0


@pytest.mark.parametrize("layer", ["dates", "places", "events"])
def test_score_missing_item_lowers_recall_only(layer: str) -> None:
    pred = _copy(**{layer: [i for i in GOLD[layer] if not i.get("optional")][1:]})
    detection = getattr(score_document("x", GOLD, pred), layer).detection
    assert detection.precision == 1.0
    assert detection.recall < 1.0
    assert detection.fn == 1


@pytest.mark.parametrize("predict_optional", [True, False])
def test_score_optional_gold_is_neutral(predict_optional: bool) -> None:
    dates = GOLD["dates"] if predict_optional else GOLD["dates"][:2]
    pred = _copy(dates=[{k: v for k, v in d.items() if k != "optional"} for d in dates])
    detection = score_document("x", GOLD, pred).dates.detection
    assert detection == Detection(tp=2, fp=0, fn=0)


@pytest.mark.parametrize("shift", [-1, 1])
def test_score_off_by_one_span_still_matches(shift: int) -> None:
    dates = [dict(d, start=d["start"] + shift, end=d["end"] + shift) for d in GOLD["dates"]]
    score = score_document("x", GOLD, _copy(dates=dates)).dates
    assert score.detection.f1 == 1.0
    assert score.accuracy("value").value == 1.0


def test_score_wrong_value_counts_in_accuracy_not_detection() -> None:
    dates = [dict(d, value="1999") if d["start"] == 30 else d for d in GOLD["dates"]]
    score = score_document("x", GOLD, _copy(dates=dates)).dates
    assert score.detection.f1 == 1.0
    assert (score.accuracy("value").correct, score.accuracy("value").total) == (1, 2)


def test_score_extra_prediction_is_false_positive() -> None:
    extra = {"start": 150, "end": 153, "resolved": "山东省", "adcode": "370000"}
    detection = score_document("x", GOLD, _copy(places=[*GOLD["places"], extra])).places.detection
    assert (detection.tp, detection.fp, detection.fn) == (2, 1, 0)


def test_score_events_in_one_sentence_are_told_apart_by_date_text() -> None:
    pred = _copy(events=list(reversed(GOLD["events"])))
    score = score_document("x", GOLD, pred).events
    assert score.accuracy("type").value == 1.0
    assert score.accuracy("date").value == 1.0


@pytest.mark.parametrize(
    ("articles", "iou", "ref"),
    [
        ([{"start": 0, "end": 200, "publication_date": "2023-10-19"}], (100 / 200 + 98 / 200) / 2, 0.5),
        ([{"start": 0, "end": 100, "publication_date": None}], 0.5, 0.0),
        ([], 0.0, 0.0),
    ],
)
def test_score_articles_best_iou_and_reference(articles: list[dict[str, Any]], iou: float, ref: float) -> None:
    score = score_document("x", GOLD, _copy(articles=articles)).articles
    assert score.gold == 2
    assert score.mean_iou == pytest.approx(iou)
    assert score.reference.value == pytest.approx(ref)


@pytest.mark.parametrize("content", [None, "not json", "[1, 2]", '{"dates": null}'])
def test_score_dirs_missing_or_bad_prediction_scores_zero(tmp_path: Path, content: str | None) -> None:
    gold_dir, pred_dir = tmp_path / "gold", tmp_path / "pred"
    gold_dir.mkdir()
    pred_dir.mkdir()
    (gold_dir / "a.json").write_text(json.dumps(GOLD), "utf-8")
    if content is not None:
        (pred_dir / "a.json").write_text(content, "utf-8")
    scores = score_dirs(gold_dir, pred_dir)
    assert scores.total.dates.detection.recall == 0.0
    assert scores.total.articles.gold == 2
    table = format_scores(scores)
    assert "articles" in table
    assert "a " in table


def test_score_dirs_micro_average(tmp_path: Path) -> None:
    (tmp_path / "gold").mkdir()
    (tmp_path / "pred").mkdir()
    for name in ("a", "b"):
        (tmp_path / "gold" / f"{name}.json").write_text(json.dumps(GOLD), "utf-8")
    (tmp_path / "pred" / "a.json").write_text(json.dumps(GOLD), "utf-8")
    total = score_dirs(tmp_path / "gold", tmp_path / "pred").total
    assert total.dates.detection == Detection(tp=2, fp=0, fn=2)
    assert total.articles.mean_iou == pytest.approx(0.5)
    assert "mean IoU 0.500" in format_scores(score_dirs(tmp_path / "gold", tmp_path / "pred"))


def test_score_seeds_gold_against_itself_is_perfect(seed_gold: dict[str, dict[str, Any]]) -> None:
    for name, gold in seed_gold.items():
        score = score_document(name, gold, gold)
        assert score.articles.mean_iou == 1.0
        assert score.events.detection.f1 == 1.0


def test_score_dirs_without_gold_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as excinfo:
        score_dirs(tmp_path / "nowhere", tmp_path)
    assert excinfo.value.code == "T100"
