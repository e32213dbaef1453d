"""``timeline-mapper annotate|score``: gold-schema output, bad files reported, ``--date`` handling."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import gazetteer.index
from gazetteer.errors import GazetteerMissing
from timeline.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
GOLD = ROOT.parent / "shared" / "eval" / "seeds-gold"
SEED = SEEDS / "001_e2a729dcf6ac5156.txt"

# Keys every item of the gold has (optional keys such as "note" or "kicker" may be absent).
REQUIRED = {
    "articles": {"title", "start", "end", "publication_date", "reference_date_evidence"},
    "dates": {"text", "start", "end", "value", "precision", "kind", "article"},
    "places": {"text", "start", "end", "level", "resolved", "adcode", "role", "article"},
    "events": {"summary", "type", "date", "date_text", "place", "evidence_start", "evidence_end", "article"},
}
BIG5 = "本報訊 臺北市政府今天召開記者會，說明颱風災情與復原進度。".encode("big5")
BINARY = bytes(range(256)) * 4


@pytest.fixture
def no_gazetteer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the CLI without the built gazetteer (the places layer is then empty)."""
    monkeypatch.setattr(gazetteer.index, "load_gazetteer", lambda path=None: None)


def _annotate(tmp_path: Path, *files: Path, extra: tuple[str, ...] = ()) -> tuple[int, Path]:
    out = tmp_path / "out"
    return main(["annotate", *map(str, files), "--out", str(out), *extra]), out


def _read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


@pytest.mark.usefixtures("no_gazetteer")
def test_cli_annotate_writes_gold_schema(tmp_path: Path) -> None:
    status, out = _annotate(tmp_path, SEED)
    assert status == 0
    data = _read(out / f"{SEED.stem}.json")
    assert set(data) == {"file", "articles", "dates", "places", "events", "notes"}
    assert data["file"] == SEED.name
    text = SEED.read_text("utf-8")
    for layer, keys in REQUIRED.items():
        for item in data[layer]:
            assert keys <= set(item), (layer, keys - set(item))
            if "text" in item:
                assert text[item["start"] : item["end"]] == item["text"]
    assert len(data["articles"]) == 3


@pytest.mark.skipif(not GOLD.is_dir(), reason="../shared/eval/seeds-gold is not beside the repository")
@pytest.mark.usefixtures("no_gazetteer")
def test_cli_annotate_keys_are_gold_keys(tmp_path: Path) -> None:
    _, out = _annotate(tmp_path, SEED)
    gold, pred = _read(GOLD / f"{SEED.stem}.json"), _read(out / f"{SEED.stem}.json")
    assert set(pred) == set(gold)
    for layer, keys in REQUIRED.items():
        assert keys <= set().union(*(set(item) for item in gold[layer])), layer
        for item in pred[layer]:
            assert keys <= set(item), layer


def test_cli_annotate_with_built_gazetteer(tmp_path: Path) -> None:
    try:
        gazetteer.index.load_gazetteer()
    except GazetteerMissing:
        pytest.skip("gazetteer not built (make data)")
    status, out = _annotate(tmp_path, SEED)
    assert status == 0
    data = _read(out / f"{SEED.stem}.json")
    text = SEED.read_text("utf-8")
    assert data["places"]
    for item in data["places"]:
        assert REQUIRED["places"] <= set(item)
        assert text[item["start"] : item["end"]] == item["text"]


@pytest.mark.parametrize(
    ("bad", "code"), [(BIG5, "T101"), (BINARY, "T101"), (b"", "T103")], ids=["big5", "binary", "empty"]
)
@pytest.mark.usefixtures("no_gazetteer")
def test_cli_annotate_reports_bad_file_and_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: bytes, code: str
) -> None:
    bad_path = tmp_path / "bad.txt"
    bad_path.write_bytes(bad)
    good = tmp_path / "good.txt"
    shutil.copy(SEED, good)
    status, out = _annotate(tmp_path, bad_path, good)
    err = capsys.readouterr().err
    assert status == 1
    assert "bad.txt" in err
    assert code in err
    assert (out / "good.json").is_file()
    assert not (out / "bad.json").exists()


@pytest.mark.usefixtures("no_gazetteer")
def test_cli_annotate_date_wins(tmp_path: Path) -> None:
    status, out = _annotate(tmp_path, SEED, extra=("--date", "2020-01-02"))
    assert status == 0
    articles = _read(out / f"{SEED.stem}.json")["articles"]
    assert articles
    assert {a["publication_date"] for a in articles} == {"2020-01-02"}


@pytest.mark.parametrize("value", ["2020-13-01", "yesterday", "2020/01/02"])
@pytest.mark.usefixtures("no_gazetteer")
def test_cli_annotate_bad_date_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str) -> None:
    status, out = _annotate(tmp_path, SEED, extra=("--date", value))
    err = capsys.readouterr().err
    assert status == 2
    assert "T104" in err
    assert "YYYY-MM-DD" in err
    assert value in err
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.skipif(not GOLD.is_dir(), reason="../shared/eval/seeds-gold is not beside the repository")
@pytest.mark.usefixtures("no_gazetteer")
def test_cli_score_prints_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out = _annotate(tmp_path, SEED)
    capsys.readouterr()
    assert main(["score", str(GOLD), str(out)]) == 0
    table = capsys.readouterr().out
    for word in ("articles", "dates", "places", "events", "mean IoU", "ref-date", SEED.stem):
        assert word in table
    # The four other seeds were not annotated: they are scored as empty, not a crash.
    assert "(missing)" in table


@pytest.mark.parametrize("command", ["annotate", "score"])
def test_cli_subcommands_have_help(command: str) -> None:
    with pytest.raises(SystemExit) as excinfo:
        build_parser().parse_args([command, "--help"])
    assert excinfo.value.code == 0


def test_cli_score_without_gold_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(tmp_path / "nowhere"), str(tmp_path)]) == 2
    assert "T100" in capsys.readouterr().err
