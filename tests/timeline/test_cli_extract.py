"""``timeline-mapper extract``: files and folders → GeoJSON/CSV, store reuse, bad files reported."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import SEEDS
from timeline.cli import main
from timeline.export import validate_export


def test_cli_extract_seeds_to_geojson_read_by_gdal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pyogrio = pytest.importorskip("pyogrio")
    out, table = tmp_path / "tmp" / "e.geojson", tmp_path / "e.csv"
    store = tmp_path / "store.sqlite"
    code = main(["extract", str(SEEDS), "-o", str(out), "--csv", str(table), "--store", str(store), "-q"])
    assert code == 0
    collection = json.loads(out.read_text("utf-8"))
    validate_export(collection)
    assert collection["features"], "the seeds state events"
    summary = capsys.readouterr().err
    assert "documents: 5" in summary and "events:" in summary and "unplaced:" in summary and "undated:" in summary
    read = pyogrio.read_dataframe(out)
    assert pd.api.types.is_datetime64_any_dtype(read["start"])
    assert pd.api.types.is_datetime64_any_dtype(read["end"])
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    assert len(rows) == len(collection["features"])
    # A second run reads the store and gives the same export.
    again = tmp_path / "again.geojson"
    assert main(["extract", str(SEEDS), "-o", str(again), "--store", str(store), "-q"]) == 0
    assert json.loads(again.read_text("utf-8")) == collection


def test_cli_extract_bad_file_does_not_stop_the_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(next(SEEDS.glob("*.txt")), folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"  \n")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02abc")
    (folder / "notes.bin").write_bytes(b"\x00")  # not a text suffix: not picked up from a folder
    out = tmp_path / "e.geojson"
    code = main(
        ["extract", str(folder), str(tmp_path / "missing.txt"), "-o", str(out), "--store", str(tmp_path / "s"), "-q"]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "empty.txt: error T103" in err
    assert "binary.txt: error T101" in err
    assert "missing.txt: error FileNotFoundError" in err
    assert "notes.bin" not in err
    assert "documents: 1 (failed: 3)" in err
    validate_export(json.loads(out.read_text("utf-8")))


def test_cli_extract_bad_date_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["extract", str(SEEDS), "-o", str(tmp_path / "e.geojson"), "--date", "2023/10/19"])
    assert code == 2
    assert "T104" in capsys.readouterr().err
