from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from source_fixtures import fixture_sources

from gazetteer.assemble import assemble_rows
from gazetteer.build import write_sqlite
from gazetteer.errors import GazetteerMissing
from gazetteer.index import DEFAULT_PATH, Gazetteer, Name, SqlPlaces, load_gazetteer
from gazetteer.model import GeoPrecision, Level, Place


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gaz") / "gazetteer.sqlite"
    write_sqlite(assemble_rows(fixture_sources()), out, {"manifest": "{}"})
    return out


@pytest.fixture(scope="module")
def gaz(db: Path) -> Gazetteer:
    return load_gazetteer(db)


def test_index_missing_file_names_the_command(tmp_path: Path) -> None:
    with pytest.raises(GazetteerMissing) as info:
        load_gazetteer(tmp_path / "nope.sqlite")
    assert info.value.code == "G001"
    assert "gazetteer build" in str(info.value)
    assert "gazetteer build" in info.value.user_message
    assert isinstance(info.value, FileNotFoundError)


def test_index_wrong_schema_version_is_missing(db: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite"
    old.write_bytes(db.read_bytes())
    with sqlite3.connect(old) as conn:
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    with pytest.raises(GazetteerMissing, match="schema version"):
        load_gazetteer(old)


@pytest.mark.parametrize("content", [b"", b"not a database at all" * 100])
def test_index_not_a_gazetteer_is_missing(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(content)
    with pytest.raises(GazetteerMissing):
        load_gazetteer(bad)


def test_index_lookup_and_hierarchy(gaz: Gazetteer) -> None:
    (xue,) = gaz.lookup("薛城")
    assert (xue.name, xue.level, xue.adcode) == ("薛城区", Level.COUNTY, "370403")
    assert [p.name for p in gaz.ancestors(xue)] == ["枣庄市", "山东省"]
    kids = {gaz.places[k].name for k in gaz.children[xue.id]}
    assert {"常庄街道", "沙沟镇", "兴城街道"} <= kids
    village = gaz.by_path("山东省/枣庄市/薛城区/沙沟镇/侯庄村")
    assert village is not None
    assert village.geo_precision is GeoPrecision.TOWNSHIP
    assert gaz.by_path("山东省/不存在") is None


def test_index_names_mapping_behaves_like_a_dict(gaz: Gazetteer) -> None:
    names = gaz.names
    assert "塔塔埠" in names
    assert "不存在的地名" not in names
    assert names.get("不存在的地名", ()) == ()
    assert len(list(names)) == len(names)
    items = dict(names.items())
    assert set(items) == set(names)
    assert items["候庄村"] == names["候庄村"]
    assert all(isinstance(n, Name) and n.level is not None for group in items.values() for n in group)


def test_index_places_mapping_behaves_like_a_dict(gaz: Gazetteer) -> None:
    places = gaz.places
    assert 1 in places
    assert 0 not in places
    assert len(places) == len(list(places))
    with pytest.raises(KeyError):
        places[len(places) + 1]
    assert all(isinstance(p, Place) for p in places.values())
    assert isinstance(places, SqlPlaces)
    assert {p.name for p in places.at_level(Level.ZONE)} == {"枣庄高新技术产业开发区", "枣庄经济开发区", "测试新区"}


def test_index_zones_list_administered_townships(gaz: Gazetteer) -> None:
    zone = gaz.by_path("山东省/枣庄市/枣庄高新技术产业开发区")
    assert zone is not None
    assert {gaz.places[t].name for t in gaz.zones[zone.id]} == {"兴城街道"}


def test_index_children_keys_are_parents(gaz: Gazetteer) -> None:
    assert all(gaz.children[k] for k in gaz.children)
    leaf = gaz.by_path("山东省/枣庄市/薛城区/沙沟镇/侯庄村")
    assert leaf is not None
    assert gaz.children.get(leaf.id, ()) == ()


def test_index_from_places_fills_name_levels() -> None:
    place = Place(1, "薛城区", Level.COUNTY, None, "薛城区", "370403", None, None, GeoPrecision.REGION, "t")
    gaz = Gazetteer.from_places([place], [Name("薛城", 1, "short")])
    assert gaz.names["薛城"][0].level is Level.COUNTY


@pytest.mark.skipif(not DEFAULT_PATH.is_file(), reason="run `make data` first")
def test_index_cold_load_is_fast() -> None:
    """Import + load of the real gazetteer in a fresh interpreter stays under the 1.5 s budget."""
    code = (
        "import time; t = time.perf_counter(); from gazetteer.index import load_gazetteer; "
        "g = load_gazetteer(); g.lookup('薛城'); print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert float(out.stdout) < 1.5


def test_index_lookups_never_read_the_whole_table() -> None:
    """Reading every place costs seconds; single lookups must stay single, however many."""
    from gazetteer.index import DEFAULT_PATH

    if not DEFAULT_PATH.is_file():
        pytest.skip("the built gazetteer is missing (make data)")
    places = load_gazetteer(DEFAULT_PATH).places
    for pid in range(1, 20_001, 3):  # 6,667 distinct lookups
        assert places[pid].id == pid
    assert not places._complete  # type: ignore[attr-defined]
    assert places.at_level(Level.ZONE) and not places._complete  # type: ignore[attr-defined]
