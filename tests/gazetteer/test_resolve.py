"""Resolver: context decides between same-named places; unknown chain ends stay flagged."""

from __future__ import annotations

import pytest
from place_fixtures import fixture_gazetteer

from gazetteer.match import Matcher, compile_matcher, match_places
from gazetteer.resolve import Resolution, resolve_places


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return compile_matcher(fixture_gazetteer())


def _resolve(
    text: str, matcher: Matcher, scope: tuple[int, ...] = (), dateline: int | None = None
) -> dict[str, Resolution]:
    cands = match_places(text, matcher, scope)
    return {text[r.candidate.start : r.candidate.end]: r for r in resolve_places(text, cands, matcher, dateline)}


@pytest.mark.parametrize(
    ("text", "dateline", "expected"),
    [
        ("本报枣庄讯 市中区召开安全生产会议。", 0, "山东省/枣庄市/市中区"),
        ("枣庄市多措并举。市中区召开会议，薛城区、滕州市参加。", None, "山东省/枣庄市/市中区"),
        ("济南市推进改革。市中区召开会议。", None, "山东省/济南市/市中区"),
        ("乐山市推进旅游。市中区召开会议。", None, "四川省/乐山市/市中区"),
        ("四川各地推进旅游。市中区召开会议。", None, "四川省/乐山市/市中区"),
    ],
)
def test_resolve_shizhongqu_by_context(matcher: Matcher, text: str, dateline: int | None, expected: str) -> None:
    got = _resolve(text, matcher, dateline=dateline)["市中区"]
    assert got.place is not None and got.place.path == expected
    assert got.runner_up is not None and got.runner_up.path != expected
    assert 0 < got.confidence < 0.95 and "ambiguous" in got.note


def test_resolve_dateline_outweighs_a_passing_mention(matcher: Matcher) -> None:
    got = _resolve("本报枣庄讯 与济南市合作，市中区召开会议。", matcher, dateline=0)["市中区"]
    assert got.place is not None and got.place.path == "山东省/枣庄市/市中区"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("枣庄市市中区文化路街道开展活动", "山东省/枣庄市/市中区/文化路街道"),
        ("郑州市金水区召开会议。文化路街道开展活动。", "河南省/郑州市/金水区/文化路街道"),
        ("枣庄市市中区召开会议。文化路街道开展活动。", "山东省/枣庄市/市中区/文化路街道"),
    ],
)
def test_resolve_wenhualu_street_by_city(matcher: Matcher, text: str, expected: str) -> None:
    got = next(r for r in _resolve(text, matcher).values() if r.place is not None and r.place.name == "文化路街道")
    assert got.place is not None and got.place.path == expected


@pytest.mark.parametrize(
    ("text", "scope", "expected"),
    [
        ("常庄街道吴庄村", (32,), "山东省/枣庄市/薛城区/常庄街道/吴庄村"),
        ("孟庄镇吴庄村", (33,), "山东省/枣庄市/市中区/孟庄镇/吴庄村"),
        ("孟庄镇召开会议。吴庄村开展活动。", (33,), "山东省/枣庄市/市中区/孟庄镇/吴庄村"),
        ("常庄街道召开会议。吴庄村开展活动。", (32, 33), "山东省/枣庄市/薛城区/常庄街道/吴庄村"),
    ],
)
def test_resolve_wuzhuang_village_by_township(
    matcher: Matcher, text: str, scope: tuple[int, ...], expected: str
) -> None:
    got = next(r for r in _resolve(text, matcher, scope).values() if r.place is not None and r.place.name == "吴庄村")
    assert got.place is not None and got.place.path == expected


def test_resolve_chain_with_unknown_last_part_is_placed_at_parent(matcher: Matcher) -> None:
    got = _resolve("薛城区常庄街道新华村党支部", matcher)["薛城区常庄街道新华村"]
    parent = fixture_gazetteer().places[32]
    assert got.place is not None and got.place.parent_id == parent.id
    assert got.place.path == "山东省/枣庄市/薛城区/常庄街道/新华村"
    assert (got.place.lon, got.place.lat, got.place.adcode) == (parent.lon, parent.lat, parent.adcode)
    assert got.place.id < 0 and "unlisted" in got.note
    assert [p.name if p else None for p in got.parts] == ["薛城区", "常庄街道", "新华村"]


def test_resolve_components_follow_the_chosen_place(matcher: Matcher) -> None:
    got = _resolve("枣庄市市中区孟庄镇", matcher)["枣庄市市中区孟庄镇"]
    assert [p.path if p else None for p in got.parts] == [
        "山东省/枣庄市",
        "山东省/枣庄市/市中区",
        "山东省/枣庄市/市中区/孟庄镇",
    ]


def test_resolve_weak_short_form_without_context_is_unsupported(matcher: Matcher) -> None:
    assert not _resolve("常庄开展活动", matcher)["常庄"].supported
    assert _resolve("薛城区召开会议，常庄开展活动", matcher)["常庄"].supported


@pytest.mark.parametrize(
    ("text", "name", "supported"),
    [
        ("枣庄高新区召开会议", "枣庄高新区", True),
        ("海汇德新能源产业园开工", "新能源产业园", False),
        ("郑州市金水区新能源产业园开工", "新能源产业园", True),
    ],
)
def test_resolve_zone_names_need_a_toponym_or_context(matcher: Matcher, text: str, name: str, supported: bool) -> None:
    got = next(r for r in _resolve(text, matcher).values() if r.place is not None and r.place.name == name)
    assert got.supported is supported
