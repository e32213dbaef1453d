"""find_places: offsets into the document, two passes, roles, dropped weak hits."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from gazetteer.index import Gazetteer, Name
from gazetteer.match import load_rules
from gazetteer.model import GeoPrecision, Level, Place
from timeline.model import Article, Document, Role
from timeline.places import assign_role, find_places

_SPEC = importlib.util.spec_from_file_location(
    "place_fixtures", Path(__file__).resolve().parents[1] / "gazetteer" / "place_fixtures.py"
)
assert _SPEC is not None and _SPEC.loader is not None
_FIXTURES = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_FIXTURES)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    gaz: Gazetteer = _FIXTURES.fixture_gazetteer()
    return gaz


def _article(body: str, prefix: str = "上一篇文章。\n") -> Article:
    doc = Document("t", "test", prefix + body)
    return Article(doc, 1, len(prefix), len(prefix) + len(body))


def test_places_offsets_point_into_the_document(gazetteer: Gazetteer) -> None:
    article = _article("本报枣庄讯 市中区孟庄镇吴庄村召开会议。")
    got = find_places(article, gazetteer)
    assert [(m.text, m.level, m.role) for m in got] == [
        ("枣庄", Level.CITY, Role.ORIGIN),
        ("市中区孟庄镇吴庄村", Level.VILLAGE, Role.EVENT_LOCATION),
    ]
    chain = got[1]
    assert chain.place is not None and chain.place.path == "山东省/枣庄市/市中区/孟庄镇/吴庄村"
    assert [c.text for c in chain.components] == ["市中区", "孟庄镇", "吴庄村"]
    assert all(m.article == 1 for m in got)


def test_places_second_pass_finds_villages_of_the_focus(gazetteer: Gazetteer) -> None:
    got = find_places(_article("孟庄镇召开会议。吴庄村开展活动。"), gazetteer)
    assert [(m.text, m.place.path if m.place else None) for m in got] == [
        ("孟庄镇", "山东省/枣庄市/市中区/孟庄镇"),
        ("吴庄村", "山东省/枣庄市/市中区/孟庄镇/吴庄村"),
    ]


def test_places_weak_short_forms_without_context_are_dropped(gazetteer: Gazetteer) -> None:
    assert find_places(_article("常庄开展活动，孟庄也参加。"), gazetteer) == ()


def test_places_unknown_chain_end_is_kept_and_flagged(gazetteer: Gazetteer) -> None:
    (got,) = find_places(_article("薛城区常庄街道新华村党支部书记说"), gazetteer)
    assert got.text == "薛城区常庄街道新华村" and got.role is Role.ORGANIZATION_NAME
    assert got.place is not None and got.place.parent_id == 32 and "unlisted" in got.note


@pytest.mark.parametrize(
    ("text", "start", "end", "level", "expected"),
    [
        ("枣庄市公安局召开会议", 0, 3, Level.CITY, Role.ORGANIZATION_NAME),
        ("台儿庄区区长讲话", 0, 4, Level.COUNTY, Role.ORGANIZATION_NAME),
        ("来自滕州的学生", 2, 4, Level.COUNTY, Role.ORIGIN),
        ("产品运往青岛港", 4, 6, Level.CITY, Role.OTHER),
        ("开展“诚信枣庄”建设", 5, 7, Level.CITY, Role.OTHER),
        ("在薛城区召开会议", 1, 4, Level.COUNTY, Role.EVENT_LOCATION),
        ("赴日本考察", 1, 3, Level.FOREIGN, Role.OTHER),
        ("枣庄的发展", 0, 2, Level.CITY, Role.OTHER),
        ("位于薛城区的物流园竣工", 2, 5, Level.COUNTY, Role.EVENT_LOCATION),
        ("滕州市与某科技公司签约", 0, 3, Level.COUNTY, Role.EVENT_LOCATION),
        ("滕州市某科技公司签约", 0, 3, Level.COUNTY, Role.ORGANIZATION_NAME),
        ("落户滕州市的企业投产", 2, 5, Level.COUNTY, Role.EVENT_LOCATION),
    ],
)
def test_places_assign_role(text: str, start: int, end: int, level: Level, expected: Role) -> None:
    assert assign_role(text, start, end, level, rules=load_rules()) is expected


def test_places_empty_gazetteer_finds_nothing() -> None:
    assert find_places(_article("枣庄市召开会议"), Gazetteer(places={}, names={})) == ()


def test_places_unit_without_region_is_kept_unresolved(gazetteer: Gazetteer) -> None:
    (got,) = find_places(_article("学生们来到华夏高级中学参观。"), gazetteer)
    assert (got.text, got.level, got.place) == ("华夏高级中学", Level.POI, None)
    assert got.note.startswith("unresolved")


def test_places_standalone_unit_is_placed_in_the_article_focus(gazetteer: Gazetteer) -> None:
    got = find_places(_article("孟庄镇召开会议。学生们来到华夏高级中学参观。"), gazetteer)
    assert [(m.text, m.place.path if m.place else None) for m in got] == [
        ("孟庄镇", "山东省/枣庄市/市中区/孟庄镇"),
        ("华夏高级中学", "山东省/枣庄市/市中区/孟庄镇/华夏高级中学"),
    ]
    assert "unlisted" in got[1].note


def test_places_list_shares_the_cue_before_it(gazetteer: Gazetteer) -> None:
    got = find_places(_article("学员来自济南、乐山、郑州等地。"), gazetteer)
    assert [(m.text, m.role) for m in got] == [("济南", Role.ORIGIN), ("乐山", Role.ORIGIN), ("郑州", Role.ORIGIN)]


@pytest.mark.parametrize("text", ["发展乡村旅游", "市中区乡村振兴推进会", "九峰镇至孟庄镇"])
def test_places_common_words_are_not_units(gazetteer: Gazetteer, text: str) -> None:
    got = find_places(_article(text), gazetteer)
    assert all(m.place is None or m.place.id >= 0 for m in got)


def test_places_office_word_is_cut_off_an_alias() -> None:
    fixture = _FIXTURES.fixture_gazetteer()
    names = [n for ns in fixture.names.values() for n in ns]
    gaz = Gazetteer.from_places(fixture.places.values(), [*names, Name("常庄街道办事处", 32, "alias")])
    (got,) = find_places(_article("常庄街道办事处负责人说"), gaz)
    assert (got.text, got.role) == ("常庄街道", Role.ORGANIZATION_NAME)


def test_places_newspaper_names_are_not_mentions(gazetteer: Gazetteer) -> None:
    got = find_places(_article("据乐山日报报道，乐山市开展活动。"), gazetteer)
    assert [m.text for m in got] == ["乐山市"]


def test_places_dateline_counts_anywhere_in_the_article(gazetteer: Gazetteer) -> None:
    body = "前一则消息。" * 80 + "本报郑州3月5日讯 金水区召开会议。"
    got = find_places(_article(body), gazetteer)
    assert [(m.text, m.role) for m in got] == [("郑州", Role.ORIGIN), ("金水区", Role.EVENT_LOCATION)]


def test_places_natural_region_is_other(gazetteer: Gazetteer) -> None:
    got = find_places(_article("乐山市位于四川盆地西南部。"), gazetteer)
    assert [(m.text, m.role) for m in got] == [("乐山市", Role.EVENT_LOCATION), ("四川", Role.OTHER)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("真金白银的奖励激发了干劲。", []),
        ("白银价格上涨。", []),
        ("白银市召开会议，白银的发展加快。", ["白银市", "白银"]),
    ],
)
def test_places_common_word_short_forms_need_context(gazetteer: Gazetteer, body: str, expected: list[str]) -> None:
    names = [n for ns in gazetteer.names.values() for n in ns]
    city = Place(60, "白银市", Level.CITY, None, "白银市", "620400", 104.14, 36.55, GeoPrecision.OWN, "test")
    gaz = Gazetteer.from_places(
        [*gazetteer.places.values(), city], [*names, Name("白银市", 60, "full"), Name("白银", 60, "short")]
    )
    assert [m.text for m in find_places(_article(body), gaz)] == expected


def test_places_page_context_breaks_a_tie_between_provinces(gazetteer: Gazetteer) -> None:
    # 市中区 of 济南 vs 乐山: the preceding item of the page is about 四川
    doc = Document("t", "test", "四川新闻\n乐山市召开会议。\n市中区开展活动。")
    start = doc.text.index("市中区")
    got = find_places(Article(doc, 1, start, len(doc.text)), gazetteer)
    assert [(m.text, m.place.path if m.place else None) for m in got] == [("市中区", "四川省/乐山市/市中区")]
