"""GeoJSON (RFC 7946) and CSV export: shape, self-validation, round trip, GDAL datetime fields."""

from __future__ import annotations

import copy
import csv
import io
import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tests.timeline.event_fixtures import analysis_of, article_of, date_at, place_at
from timeline.build import build_timeline
from timeline.errors import ExportError
from timeline.export import CSV_COLUMNS, PROPERTIES, read_geojson, to_csv, to_geojson, validate_export
from timeline.pipeline import Analysis


def _analyses() -> list[Analysis]:
    placed = article_of("10月19日，新闻发布会在枣庄市会展中心召开。", source="a.txt")
    unplaced = article_of("区委召开了动员大会。", "2023-02", source="b.txt")
    abroad = article_of("2月3日，代表团在东京举办推介会。", source="c.txt")
    return [
        analysis_of(
            placed,
            [date_at(placed.doc, "10月19日", "2023-10-19")],
            [place_at(placed.doc, "枣庄市会展中心", "枣庄市会展中心")],
        ),
        analysis_of(unplaced, [], []),
        analysis_of(abroad, [date_at(abroad.doc, "2月3日", "2023-02-03")], [place_at(abroad.doc, "东京", "东京")]),
    ]


@pytest.fixture
def frame() -> pd.DataFrame:
    return build_timeline(_analyses())


def test_export_geojson_is_rfc7946(frame: pd.DataFrame) -> None:
    collection = to_geojson(frame)
    assert collection["type"] == "FeatureCollection" and "crs" not in collection
    assert len(collection["features"]) == len(frame) == 3
    by_source = {f["properties"]["source"]: f for f in collection["features"]}
    assert by_source["a.txt"]["geometry"] == {"type": "Point", "coordinates": [117.32, 34.81]}
    assert by_source["b.txt"]["geometry"] is None
    props = by_source["a.txt"]["properties"]
    assert tuple(k for k in props if k != "when") == PROPERTIES
    assert (props["start"], props["end"]) == ("2023-10-19T00:00:00+08:00", "2023-10-20T00:00:00+08:00")
    assert props["when"] == {
        "timespans": [{"start": {"in": "2023-10-19"}, "end": {"in": "2023-10-19"}}],
        "label": "10月19日",
    }
    assert props["geo_precision"] == 2 and props["adcode"] is None
    assert by_source["b.txt"]["properties"]["start"] == "2023-02-01T00:00:00+08:00"
    json.dumps(collection, allow_nan=False)


def test_export_round_trip_gives_the_same_events(frame: pd.DataFrame) -> None:
    back = read_geojson(json.dumps(to_geojson(frame), ensure_ascii=False))
    for column in CSV_COLUMNS:
        expected, got = frame[column].tolist(), back[column].tolist()
        if column in ("lon", "lat", "confidence"):
            assert all((math.isnan(a) and math.isnan(b)) or a == b for a, b in zip(expected, got, strict=True))
        elif column in ("start", "end"):
            assert [str(v) for v in expected] == [str(v) for v in got]
        else:
            assert [None if pd.isna(v) else v for v in expected] == [None if pd.isna(v) else v for v in got], column


def test_export_csv_has_the_same_columns(frame: pd.DataFrame) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(frame))))
    assert tuple(rows[0]) == CSV_COLUMNS
    by_source = {r["source"]: r for r in rows}
    assert by_source["a.txt"]["start"] == "2023-10-19T00:00:00+08:00"
    assert (by_source["b.txt"]["lon"], by_source["b.txt"]["lat"]) == ("", "")


def _broken(frame: pd.DataFrame, change: str) -> dict[str, Any]:
    collection = copy.deepcopy(to_geojson(frame))
    feature = next(f for f in collection["features"] if f["properties"]["source"] == "a.txt")
    if change == "swap":
        feature["geometry"]["coordinates"].reverse()
    elif change == "range":
        feature["geometry"]["coordinates"] = [190.0, 34.8]
    elif change == "abroad":
        feature["geometry"]["coordinates"] = [2.35, 48.86]
    elif change == "zero":
        feature["geometry"]["coordinates"] = [0, 0]
    elif change == "nan":
        feature["properties"]["confidence"] = math.nan
    elif change == "nan_point":
        feature["geometry"]["coordinates"] = [math.nan, 34.8]
    elif change == "crs":
        collection["crs"] = {"type": "name", "properties": {"name": "EPSG:4326"}}
    elif change == "order":
        feature["properties"]["end"] = feature["properties"]["start"]
    return collection


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("swap", "swapped"),
        ("range", "out of range"),
        ("abroad", "outside China"),
        ("zero", r"\[0, 0\]"),
        ("nan", "confidence"),
        ("nan_point", "finite"),
        ("crs", "crs"),
        ("order", "not before"),
    ],
)
def test_export_validation_rejects(frame: pd.DataFrame, change: str, message: str) -> None:
    with pytest.raises(ExportError, match=message) as excinfo:
        validate_export(_broken(frame, change))
    assert excinfo.value.code == "T300"
    assert excinfo.value.user_message


def test_export_foreign_place_may_lie_outside_china(frame: pd.DataFrame) -> None:
    validate_export(to_geojson(frame))


def test_export_gdal_reads_start_and_end_as_datetimes(frame: pd.DataFrame, tmp_path: Path) -> None:
    pyogrio = pytest.importorskip("pyogrio")
    path = tmp_path / "e.geojson"
    path.write_text(json.dumps(to_geojson(frame), ensure_ascii=False), "utf-8")
    read = pyogrio.read_dataframe(path)
    assert pd.api.types.is_datetime64_any_dtype(read["start"])
    assert pd.api.types.is_datetime64_any_dtype(read["end"])
    assert len(read) == 3


def test_export_properties_keep_the_issue_contract() -> None:
    """Issue 5 names these GeoJSON properties; PROPERTIES is derived from the timeline columns."""
    required = (
        "id", "event_type", "status", "title", "start", "end", "time_precision", "time_text", "place_name",
        "place_level", "adcode", "admin_path", "geo_precision", "source", "sentence", "evidence_start",
        "evidence_end", "confidence",
    )  # fmt: skip
    assert PROPERTIES[: len(required)] == required
    assert not {"lon", "lat", "doc_id", "sources"} & set(PROPERTIES)
