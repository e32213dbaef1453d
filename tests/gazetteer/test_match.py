"""Matcher: names, short forms, chains, unlisted units, blocked deictics and false hits."""

from __future__ import annotations

from pathlib import Path

import pytest
from place_fixtures import fixture_gazetteer

from gazetteer.index import Gazetteer
from gazetteer.match import Matcher, compile_matcher, load_rules, match_places
from gazetteer.model import Level


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return compile_matcher(fixture_gazetteer())


def _spans(text: str, matcher: Matcher, scope: tuple[int, ...] = ()) -> list[tuple[str, list[str]]]:
    return [
        (text[c.start : c.end], [text[p.start : p.end] for p in c.parts]) for c in match_places(text, matcher, scope)
    ]


@pytest.mark.parametrize(
    ("text", "scope", "expected"),
    [
        ("薛城区常庄街道吴庄村召开会议", (23,), [("薛城区常庄街道吴庄村", ["薛城区", "常庄街道", "吴庄村"])]),
        ("枣庄市高新区举办培训", (), [("枣庄市高新区", ["枣庄市", "高新区"])]),
        ("滕州和薛城", (), [("滕州", ["滕州"]), ("薛城", ["薛城"])]),
        ("济南市中区", (), [("济南市中区", ["济南", "市中区"])]),
        ("枣庄市市中区", (), [("枣庄市市中区", ["枣庄市", "市中区"])]),
    ],
)
def test_match_chains_and_short_forms(
    matcher: Matcher, text: str, scope: tuple[int, ...], expected: list[tuple[str, list[str]]]
) -> None:
    assert _spans(text, matcher, scope) == expected


@pytest.mark.parametrize("text", ["全市中小学开学", "开发区合作共赢", "我市加强管理", "城市中心", "大力推进"])
def test_match_blocks_deictics_and_false_hits(matcher: Matcher, text: str) -> None:
    assert match_places(text, matcher) == ()


def test_match_villages_only_inside_scope(matcher: Matcher) -> None:
    assert match_places("吴庄村党支部", matcher) == ()
    (cand,) = match_places("吴庄村党支部", matcher, (33,))
    assert [p.id for p in cand.last.candidates] == [41]


@pytest.mark.parametrize(
    ("text", "kind", "level", "body"),
    [
        ("薛城区常庄街道新华村党支部", "unlisted", Level.VILLAGE, 2),
        ("沙沟镇敬老院", "unlisted", Level.POI, 0),
        ("孟庄镇候庄村", "variant", Level.VILLAGE, -1),
        # a generic zone word after a county with no such zone listed: that county's own zone,
        # not 枣庄高新区 of the same city
        ("滕州市高新区", "unlisted", Level.ZONE, 0),
    ],
)
def test_match_unlisted_unit_after_known_parent(
    matcher: Matcher, text: str, kind: str, level: Level, body: int
) -> None:
    (cand,) = match_places(text, matcher)
    assert (cand.last.kind, cand.last.level, cand.last.body) == (kind, level, body)


def test_match_unlisted_unit_rejects_clause(matcher: Matcher) -> None:
    (cand,) = match_places("枣庄市深入开展村级治理", matcher)
    assert len(cand.parts) == 1


@pytest.mark.parametrize("text", ["枣庄市城际铁路", "薛城区城市道路", "枣庄市输电线路"])
def test_match_unlisted_unit_ending_in_a_kind_of_road_is_not_a_road(matcher: Matcher, text: str) -> None:
    (cand,) = match_places(text, matcher)
    assert len(cand.parts) == 1


def test_match_unlisted_named_road_after_known_parent(matcher: Matcher) -> None:
    (cand,) = match_places("薛城区光明路", matcher)
    assert (cand.last.kind, cand.last.level) == ("unlisted", Level.ROAD)


def test_match_compiles_once_per_gazetteer() -> None:
    gaz = fixture_gazetteer()
    assert compile_matcher(gaz) is compile_matcher(gaz)
    assert compile_matcher(gaz) is not compile_matcher(fixture_gazetteer())


def test_match_empty_gazetteer_finds_nothing() -> None:
    assert match_places("枣庄市", compile_matcher(Gazetteer(places={}, names={}))) == ()


def test_match_rules_data_is_consistent() -> None:
    rules = load_rules()
    assert rules.suffixes and all(r.min_body <= r.max_body for r in rules.suffixes)
    assert not rules.stop & rules.deictic
    assert all(len(w) >= 2 for w in rules.deictic)


def test_match_compiled_state_is_cached_beside_the_gazetteer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fixture = fixture_gazetteer()
    sqlite = tmp_path / "gazetteer.sqlite"
    sqlite.write_bytes(b"stand-in for the SQLite file")
    gaz = Gazetteer(places=fixture.places, names=fixture.names, children=fixture.children, path=sqlite)
    first = Matcher(gaz, load_rules())
    assert (tmp_path / "gazetteer.matcher.pickle").is_file()

    def no_compile(self: Matcher) -> None:
        raise AssertionError("the cache should have been used")

    monkeypatch.setattr(Matcher, "_compile_names", no_compile)
    second = Matcher(gaz, load_rules())
    text = "薛城区常庄街道新华村"
    assert match_places(text, first) == match_places(text, second)


def test_match_offsets_survive_characters_outside_the_bmp(matcher: Matcher) -> None:
    text = "𠀀𠀁薛城区常庄街道"  # two supplementary-plane characters take four UTF-16 units each
    assert _spans(text, matcher) == [("薛城区常庄街道", ["薛城区", "常庄街道"])]


def test_match_unlisted_village_ending_in_a_village_elsewhere(matcher: Matcher) -> None:
    # 吴庄村 exists under 常庄街道 and 孟庄镇, not under 沙沟镇: 西吴庄村 is an unlisted village of 沙沟镇
    (cand,) = match_places("沙沟镇西吴庄村召开会议", matcher, (32, 33, 34))
    assert [(p.kind, p.level) for p in cand.parts[1:]] == [("unlisted", Level.VILLAGE)]
    assert cand.end == 7


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("中建材特种玻璃产业园项目开工", []),
        ("力争让华为智能产业园尽快投产", []),
        ("书鼓路社区开展活动", [("书鼓路社区", Level.COMMUNITY)]),
        ("农村社区开展活动", []),
    ],
)
def test_match_standalone_units_need_a_place_like_body(
    matcher: Matcher, text: str, expected: list[tuple[str, Level]]
) -> None:
    assert [(text[c.start : c.end], c.last.level) for c in match_places(text, matcher)] == expected
