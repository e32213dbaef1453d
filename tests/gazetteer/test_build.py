from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from source_fixtures import fixture_sources

from gazetteer.assemble import Rows, assemble_rows
from gazetteer.build import MANIFEST_PATH, build, main, manifest_of, write_sqlite
from gazetteer.index import DEFAULT_PATH, SCHEMA_VERSION, load_gazetteer
from gazetteer.model import GeoPrecision, Level
from gazetteer.sources import default_township_points_path


@pytest.fixture(scope="module")
def rows() -> Rows:
    return assemble_rows(fixture_sources())


def _by_path(rows: Rows) -> dict[str, int]:
    return {p.path: i for i, p in enumerate(rows.places)}


@pytest.mark.parametrize(
    ("path", "level", "adcode"),
    [
        ("山东省", Level.PROVINCE, "370000"),
        ("山东省/枣庄市", Level.CITY, "370400"),
        ("山东省/枣庄市/薛城区", Level.COUNTY, "370403"),
        ("山东省/枣庄市/薛城区/常庄街道", Level.TOWNSHIP, "370403"),
        ("山东省/枣庄市/薛城区/常庄街道/吴庄村", Level.VILLAGE, "370403"),  # 常庄镇 joined by stem
        ("山东省/枣庄市/薛城区/常庄街道/东兴社区", Level.COMMUNITY, "370403"),
        ("山东省/枣庄市/市中区/文化路街道/文化四村", Level.VILLAGE, "370402"),  # retired county mapped
        ("山东省/枣庄市/薛城区/兴城街道/兴城村", Level.VILLAGE, "370403"),  # zone township keeps legal parent
        ("山东省/枣庄市/枣庄高新技术产业开发区", Level.ZONE, "370403"),
        ("山东省/枣庄市/枣庄高新技术产业开发区/张范街道", Level.TOWNSHIP, "370403"),
        ("北京市", Level.CITY, "110000"),  # 直辖市 ranks as a city (gold level vocabulary)
        ("北京市/东城区/东华门街道/多福巷社区", Level.COMMUNITY, "110101"),  # municipality stands alone
        ("中国", Level.COUNTRY, None),
        ("日本", Level.FOREIGN, None),
    ],
)
def test_build_paths_levels_adcodes(rows: Rows, path: str, level: Level, adcode: str | None) -> None:
    place = rows.places[_by_path(rows)[path]]
    assert (place.level, place.adcode) == (level, adcode)


def test_build_no_duplicates_and_parents_first(rows: Rows) -> None:
    paths = [p.path for p in rows.places]
    assert len(paths) == len(set(paths))
    assert all(p.parent is None or p.parent < i for i, p in enumerate(rows.places))
    assert "山东省/枣庄市/旧市中区" not in paths


@pytest.mark.parametrize(
    ("path", "precision", "point"),
    [
        ("山东省/枣庄市/薛城区", GeoPrecision.OWN, (117.2574, 34.796)),
        ("山东省/枣庄市/薛城区/沙沟镇", GeoPrecision.OWN, (117.28, 34.73)),  # 沙沟镇办事处 normalised
        ("山东省/枣庄市/薛城区/沙沟镇/侯庄村", GeoPrecision.TOWNSHIP, (117.28, 34.73)),
        # the other county's 常庄街道 point must not attach: join on (county, name), not name alone
        ("山东省/枣庄市/薛城区/常庄街道", GeoPrecision.REGION, (117.2574, 34.796)),
        ("山东省/枣庄市/薛城区/常庄街道/吴庄村", GeoPrecision.REGION, (117.2574, 34.796)),
        ("山东省/枣庄市/市中区/枣庄经济开发区", GeoPrecision.OWN, (117.56, 34.85)),
        ("山东省/枣庄市/测试新区", GeoPrecision.REGION, (117.2574, 34.796)),  # placed by adcode 370403
        ("山东省/枣庄市/枣庄高新技术产业开发区", GeoPrecision.OWN, (117.35, 34.82)),  # curated override
    ],
)
def test_build_points_and_precision(rows: Rows, path: str, precision: GeoPrecision, point: tuple[float, float]) -> None:
    place = rows.places[_by_path(rows)[path]]
    assert place.geo_precision is precision
    assert (place.lon, place.lat) == point
    assert "point:" in place.source


def test_build_zone_members(rows: Rows) -> None:
    index = _by_path(rows)
    members = set(rows.zone_members)
    assert (index["山东省/枣庄市/枣庄高新技术产业开发区"], index["山东省/枣庄市/薛城区/兴城街道"]) in members
    assert (index["山东省/枣庄市/测试新区"], index["山东省/枣庄市/薛城区/常庄街道"]) in members


@pytest.mark.parametrize(
    ("text", "path", "kind"),
    [
        ("薛城", "山东省/枣庄市/薛城区", "short"),
        ("枣庄", "山东省/枣庄市", "short"),
        ("山东", "山东省", "short"),
        ("塔塔埠", "山东省/枣庄市/市中区/各塔埠街道", "alias"),
        ("候庄村", "山东省/枣庄市/薛城区/沙沟镇/侯庄村", "alias"),
        ("常庄街道办事处", "山东省/枣庄市/薛城区/常庄街道", "alias"),
        ("常庄镇", "山东省/枣庄市/薛城区/常庄街道", "alias"),  # former designation, joined by stem
        ("日本国", "日本", "alias"),
    ],
)
def test_build_names(rows: Rows, text: str, path: str, kind: str) -> None:
    place = _by_path(rows)[path]
    assert any(n.text == text and n.place == place and n.kind == kind for n in rows.names)


@pytest.mark.parametrize("text", ["市中", "高新区", "北", "京"])
def test_build_unsafe_short_forms_absent(rows: Rows, text: str) -> None:
    assert not any(n.text == text and n.kind == "short" for n in rows.names)


def test_build_no_single_character_names(rows: Rows) -> None:
    assert all(len(n.text) >= 2 for n in rows.names)


def test_build_write_sqlite_is_atomic_and_loadable(rows: Rows, tmp_path: Path) -> None:
    out = tmp_path / "g.sqlite"
    write_sqlite(rows, out, {"manifest": "{}"})
    assert [p.name for p in tmp_path.iterdir()] == ["g.sqlite"]  # no temporary file left
    gaz = load_gazetteer(out)
    assert len(gaz.places) == len(rows.places)
    assert {p.path for p in gaz.lookup("薛城")} == {"山东省/枣庄市/薛城区"}
    with sqlite3.connect(out) as conn:
        (version,) = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    assert version == str(SCHEMA_VERSION)


def test_build_manifest_counts_levels(rows: Rows) -> None:
    doc = manifest_of(rows, {"x": "0"})
    assert doc["schema_version"] == SCHEMA_VERSION
    assert sum(doc["levels"].values()) == doc["places"] == len(rows.places)
    assert doc["levels"]["village"] == 5


@pytest.mark.slow
def test_build_rebuild_matches_committed_manifest(tmp_path: Path) -> None:
    """The committed manifest is what a build from the installed packages produces."""
    committed = json.loads(MANIFEST_PATH.read_text("utf-8"))
    points = default_township_points_path()
    if ("township_points.csv" in committed["sources"]) != points.is_file():
        pytest.skip("township points present for the committed manifest but not here (or the reverse)")
    out = tmp_path / "gazetteer.sqlite"
    assert main(["build", "--out", str(out), "--manifest", str(tmp_path / "manifest.json")]) == 0
    rebuilt = json.loads((tmp_path / "manifest.json").read_text("utf-8"))
    assert rebuilt == committed
    gaz = load_gazetteer(out)
    assert gaz.by_path("山东省/枣庄市/薛城区/常庄街道") is not None
    assert DEFAULT_PATH.name == out.name


def test_build_function_writes_manifest_beside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("gazetteer.build.read_sources", lambda *_: fixture_sources())
    doc = build(tmp_path / "g.sqlite", None, tmp_path / "manifest.json")
    assert json.loads((tmp_path / "manifest.json").read_text("utf-8")) == doc
    # the fixture has township points: their CC BY attribution travels with the file
    assert "Township points: Vonng/adcode, CC BY 4.0" in load_gazetteer(tmp_path / "g.sqlite").attribution


def test_build_failed_write_leaves_no_file(rows: Rows, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("gazetteer.build._fill", boom)
    with pytest.raises(RuntimeError):
        write_sqlite(rows, tmp_path / "g.sqlite", {})
    assert list(tmp_path.iterdir()) == []
