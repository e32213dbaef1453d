"""Score gold-schema predictions against the seeds gold: per layer precision/recall/F1.

The rules follow ``eval/seeds-gold/README.md``: an ``optional`` gold item is neutral (a
prediction matched to it is neither a true nor a false positive; left unmatched it is not a
miss). Matching is one-to-one by span overlap, largest overlap first, so an off-by-one span still
counts as found and the value/resolution check then says whether it was also right. Counts are
summed over all files (micro average). A missing or unreadable prediction file scores as an empty
prediction, never as a crash.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from timeline.errors import InputError

Item = dict[str, Any]
#: Minimum IoU for a predicted article to count as finding a gold article (detection P/R).
ARTICLE_IOU = 0.5


@dataclass(frozen=True, slots=True)
class Detection:
    """True positives, false positives and misses of one layer."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """TP / (TP + FP); 0.0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """TP / (TP + FN); 0.0 when there is no gold."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall.

        >>> round(Detection(tp=3, fp=1, fn=1).f1, 2)
        0.75
        """
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Detection) -> Detection:
        return Detection(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


@dataclass(frozen=True, slots=True)
class Accuracy:
    """How many of ``total`` matched items also carry the right attribute."""

    correct: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        """Share of correct items; 0.0 when nothing was matched."""
        return self.correct / self.total if self.total else 0.0

    def __add__(self, other: Accuracy) -> Accuracy:
        return Accuracy(self.correct + other.correct, self.total + other.total)


@dataclass(frozen=True, slots=True)
class LayerScore:
    """Detection counts of one layer plus named accuracies among matched items."""

    detection: Detection = Detection()
    accuracies: tuple[tuple[str, Accuracy], ...] = ()

    def accuracy(self, name: str) -> Accuracy:
        """The accuracy called ``name`` (empty when absent)."""
        return dict(self.accuracies).get(name, Accuracy())

    def __add__(self, other: LayerScore) -> LayerScore:
        names = [n for n, _ in self.accuracies] + [n for n, _ in other.accuracies if n not in dict(self.accuracies)]
        return LayerScore(
            self.detection + other.detection,
            tuple((n, self.accuracy(n) + other.accuracy(n)) for n in names),
        )


@dataclass(frozen=True, slots=True)
class ArticleScore:
    """Article layer: IoU of every gold article with its best predicted span, reference dates."""

    detection: Detection = Detection()
    gold: int = 0
    iou_sum: float = 0.0
    reference: Accuracy = Accuracy()

    @property
    def mean_iou(self) -> float:
        """Mean over gold articles of the best IoU with any predicted article."""
        return self.iou_sum / self.gold if self.gold else 0.0

    def __add__(self, other: ArticleScore) -> ArticleScore:
        return ArticleScore(
            self.detection + other.detection,
            self.gold + other.gold,
            self.iou_sum + other.iou_sum,
            self.reference + other.reference,
        )


@dataclass(frozen=True, slots=True)
class FileScore:
    """Scores of one file; ``problem`` says why the prediction was taken as empty."""

    name: str
    articles: ArticleScore = ArticleScore()
    dates: LayerScore = LayerScore()
    places: LayerScore = LayerScore()
    events: LayerScore = LayerScore()
    problem: str = ""

    def __add__(self, other: FileScore) -> FileScore:
        return FileScore(
            "total",
            self.articles + other.articles,
            self.dates + other.dates,
            self.places + other.places,
            self.events + other.events,
        )


@dataclass(frozen=True, slots=True)
class Scores:
    """Per-file scores and their micro-averaged total."""

    files: tuple[FileScore, ...] = ()
    total: FileScore = field(default_factory=lambda: FileScore("total"))


def _span(item: Item, start: str = "start", end: str = "end") -> tuple[int, int] | None:
    s, e = item.get(start), item.get(end)
    return (s, e) if isinstance(s, int) and isinstance(e, int) and s < e else None


def _overlap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> int:
    if a is None or b is None:
        return 0
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _iou(a: tuple[int, int] | None, b: tuple[int, int] | None) -> float:
    inter = _overlap(a, b)
    if a is None or b is None or not inter:
        return 0.0
    return inter / (max(a[1], b[1]) - min(a[0], b[0]))


def match_items(
    gold: Sequence[Item], pred: Sequence[Item], weight: Callable[[Item, Item], tuple[int, ...]]
) -> list[tuple[int, int]]:
    """Pair gold and predicted items one-to-one, heaviest pair first (``weight`` all zero = no pair).

    Ties go to required gold items before optional ones, then to text order.

    >>> match_items([{"start": 0, "end": 4}], [{"start": 1, "end": 5}], lambda g, p: (_overlap(_span(g), _span(p)),))
    [(0, 0)]
    """
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            w = weight(g, p)
            if any(w):
                pairs.append((tuple(-x for x in w), bool(g.get("optional")), gi, pi))
    pairs.sort()
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    matched = []
    for _, _, gi, pi in pairs:
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            matched.append((gi, pi))
    return sorted(matched)


def _score_layer(
    gold: Sequence[Item],
    pred: Sequence[Item],
    weight: Callable[[Item, Item], tuple[int, ...]],
    checks: Iterable[tuple[str, Callable[[Item, Item], bool]]],
) -> LayerScore:
    matched = match_items(gold, pred, weight)
    required = [(gi, pi) for gi, pi in matched if not gold[gi].get("optional")]
    neutral = len(matched) - len(required)
    n_required = sum(1 for g in gold if not g.get("optional"))
    detection = Detection(len(required), len(pred) - len(required) - neutral, n_required - len(required))
    accuracies = tuple(
        (name, Accuracy(sum(1 for gi, pi in required if check(gold[gi], pred[pi])), len(required)))
        for name, check in checks
    )
    return LayerScore(detection, accuracies)


def _same(key: str) -> Callable[[Item, Item], bool]:
    return lambda g, p: g.get(key) == p.get(key)


def _span_weight(g: Item, p: Item) -> tuple[int, ...]:
    return (_overlap(_span(g), _span(p)),)


def _event_weight(g: Item, p: Item) -> tuple[int, ...]:
    """Date-text overlap first, then evidence overlap: events sharing a sentence differ by date."""
    dated = _overlap(_span(g, "date_text_start", "date_text_end"), _span(p, "date_text_start", "date_text_end"))
    evidence = _overlap(_span(g, "evidence_start", "evidence_end"), _span(p, "evidence_start", "evidence_end"))
    return (dated, evidence)


def score_articles(gold: Sequence[Item], pred: Sequence[Item]) -> ArticleScore:
    """IoU of each gold article with its best predicted span; reference date of that best span.

    Detection counts a one-to-one match with IoU >= ``ARTICLE_IOU`` as found.
    """
    iou_sum = 0.0
    correct = 0
    for g in gold:
        ious = [_iou(_span(g), _span(p)) for p in pred]
        best = max(range(len(pred)), key=lambda i: ious[i], default=None)
        if best is not None and ious[best] > 0:
            iou_sum += ious[best]
            correct += pred[best].get("publication_date") == g.get("publication_date")

    def weight(g: Item, p: Item) -> tuple[int, ...]:
        iou = _iou(_span(g), _span(p))
        return (round(iou * 1000) if iou >= ARTICLE_IOU else 0,)

    found = len(match_items(gold, pred, weight))
    return ArticleScore(
        Detection(found, len(pred) - found, len(gold) - found), len(gold), iou_sum, Accuracy(correct, len(gold))
    )


def score_document(name: str, gold: Item, pred: Item, problem: str = "") -> FileScore:
    """Score one prediction dict against its gold dict (both in the gold schema).

    Events are matched one-to-one by the overlap of their ``date_text`` spans and, among those,
    of their evidence spans (or by evidence overlap alone when the date texts do not overlap).
    Offsets are absolute, so overlapping evidence already implies the same stretch of the same
    article; article indices are not compared, so a splitting error does not hide every event.

    >>> g = {"dates": [{"start": 0, "end": 4, "value": "2023"}]}
    >>> score_document("x", g, g).dates.detection.f1
    1.0
    """

    def layer(key: str) -> tuple[list[Item], list[Item]]:
        return [i for i in gold.get(key) or [] if isinstance(i, dict)], [
            i for i in pred.get(key) or [] if isinstance(i, dict)
        ]

    return FileScore(
        name,
        score_articles(*layer("articles")),
        _score_layer(*layer("dates"), _span_weight, [("value", _same("value"))]),
        _score_layer(*layer("places"), _span_weight, [("resolved", _same("resolved")), ("adcode", _same("adcode"))]),
        _score_layer(
            *layer("events"),
            _event_weight,
            [("type", _same("type")), ("date", _same("date")), ("place", _same("place"))],
        ),
        problem,
    )


def _read_prediction(path: Path) -> tuple[Item, str]:
    if not path.is_file():
        return {}, "missing"
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return {}, f"unreadable ({type(exc).__name__})"
    return (data, "") if isinstance(data, dict) else ({}, "not a JSON object")


def score_dirs(gold_dir: Path, pred_dir: Path) -> Scores:
    """Score every ``GOLD_DIR/*.json`` against the same-named file in ``pred_dir``.

    Raises:
        InputError: ``gold_dir`` holds no gold file (a wrong path must not score as zero).
    """
    gold_paths = sorted(Path(gold_dir).glob("*.json"))
    if not gold_paths:
        raise InputError(f"no gold *.json in {gold_dir}", user_message=f"金标准目录中没有 JSON 文件：{gold_dir}")
    files = []
    for gold_path in gold_paths:
        gold = json.loads(gold_path.read_text("utf-8"))
        pred, problem = _read_prediction(Path(pred_dir) / gold_path.name)
        files.append(score_document(gold_path.stem, gold, pred, problem))
    total = FileScore("total")
    for f in files:
        total = total + f
    return Scores(tuple(files), total)


def _detection_cells(d: Detection) -> str:
    return f"{d.tp + d.fn:>5} {d.tp + d.fp:>5} {d.tp:>5}  {d.precision:.3f} {d.recall:.3f} {d.f1:.3f}"


def _accuracy_cells(layer: LayerScore) -> str:
    return "  ".join(f"{n} {a.correct}/{a.total} {a.value:.3f}" for n, a in layer.accuracies) + " (of detected)"


def format_scores(scores: Scores) -> str:
    """A compact table: one line per layer (micro-averaged), then one line per file.

    ``pred`` counts predictions that are not matched to an optional gold item (those are neutral).
    """
    t = scores.total
    a = t.articles
    lines = [
        f"{'layer':<9}{'gold':>5} {'pred':>5} {'tp':>5}  {'P':<5} {'R':<5} {'F1':<5}  accuracy",
        f"{'articles':<9}{_detection_cells(a.detection)}  mean IoU {a.mean_iou:.3f}  "
        f"ref-date {a.reference.correct}/{a.reference.total} {a.reference.value:.3f}",
    ]
    for name, layer in (("dates", t.dates), ("places", t.places), ("events", t.events)):
        lines.append(f"{name:<9}{_detection_cells(layer.detection)}  {_accuracy_cells(layer)}")
    lines.append("")
    lines.append(f"{'file':<24}{'art IoU':>8} {'ref':>5} {'dates F1':>9} {'places F1':>10} {'events F1':>10}")
    for f in scores.files:
        ref = f"{f.articles.reference.correct}/{f.articles.reference.total}"
        lines.append(
            f"{f.name:<24}{f.articles.mean_iou:>8.3f} {ref:>5} {f.dates.detection.f1:>9.3f} "
            f"{f.places.detection.f1:>10.3f} {f.events.detection.f1:>10.3f}" + (f"  ({f.problem})" if f.problem else "")
        )
    return "\n".join(lines)
