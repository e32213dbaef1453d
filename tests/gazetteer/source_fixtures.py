"""A tiny hand-made SourceData: the joins, fallbacks and rules of the build on a dozen places."""

from __future__ import annotations

from gazetteer.model import Level
from gazetteer.naming import load_name_rules
from gazetteer.sources import (
    CuratedAlias,
    CuratedPlace,
    SourceData,
    parse_divisions,
    parse_locations,
    parse_township_points,
)

DIVISIONS = {
    "divisions": [
        [1, "370000", "", "山东省"],
        [1, "110000", "", "北京市"],
        [2, "370400", "370000", "枣庄市"],
        [3, "370402", "370400", "市中区"],
        [3, "370403", "370400", "薛城区"],
        [3, "370481", "370400", "滕州市"],
        [3, "110101", "110000", "东城区"],
        [4, "370402002", "370402", "各塔埠街道"],
        [4, "370402004", "370402", "文化路街道"],
        [4, "370403005", "370403", "常庄街道"],
        [4, "370403101", "370403", "沙沟镇"],
        [4, "370403003", "370403", "兴城街道"],
        [4, "110101001", "110101", "东华门街道"],
    ]
}

# jionlp's tree: 常庄 is still a 镇 there (joined by stem), 峄城区 has a retired code (mapped by
# its townships), the 枣庄 high-tech zone has a statistical 7x code.
LOCATIONS = """山东省\t370000\t山东
\t枣庄市\t370400\t枣庄
\t\t薛城区\t370403\t薛城
\t\t\t常庄镇
\t\t\t\t吴庄村
\t\t\t\t吴庄村
\t\t\t\t东兴社区
\t\t\t沙沟镇
\t\t\t\t侯庄村
\t\t市中区\t370402\t市中
\t\t\t各塔埠街道
\t\t\t\t光明北社区
\t\t旧市中区\t370499\t旧市中
\t\t\t文化路街道
\t\t\t\t文化四村
\t\t枣庄高新技术产业开发区\t370471\t高新区
\t\t\t兴城街道
\t\t\t\t兴城村
\t\t\t张范街道
\t\t\t\t张范村
北京市\t110000\t北京
\t北京市\t110000\t北京
\t\t东城区\t110101\t东城
\t\t\t东华门街道
\t\t\t\t多福巷社区
"""

TOWNSHIP_POINTS = """code_2016,name,county_code,lon,lat,datum
370403101,沙沟镇办事处,370403,117.28,34.73,WGS84
370481101,常庄街道办事处,370481,117.10,35.10,"another county: must not attach to 薛城区"
"""


def fixture_sources() -> SourceData:
    rules = load_name_rules()
    return SourceData(
        divisions=parse_divisions(DIVISIONS),
        locations=parse_locations(LOCATIONS),
        county_points={
            "370000": (117.0, 36.67),
            "370400": (117.3178, 34.8113),
            "370402": (117.5505, 34.8645),
            "370403": (117.2574, 34.796),
            "110000": (116.4, 39.9),
            "110101": (116.41, 39.93),
        },
        township_points=parse_township_points(TOWNSHIP_POINTS, rules),
        polygon_points={},
        countries=[("中国", "中华人民共和国"), ("日本", "日本国")],
        curated=[
            CuratedPlace("中国", Level.COUNTRY, "", "null", None, (), "test"),
            CuratedPlace("枣庄经济开发区", Level.ZONE, "370402", None, (117.56, 34.85), (), "test"),
            CuratedPlace("测试新区", Level.ZONE, "370400", "370403", None, ("常庄街道",), "test"),
            # overrides the point of a zone jionlp already has; its adcode stays
            CuratedPlace("枣庄高新技术产业开发区", Level.ZONE, "370400", None, (117.35, 34.82), (), "override"),
        ],
        aliases=[CuratedAlias("塔塔埠", "山东省/枣庄市/市中区/各塔埠街道", "test")],
        hashes={"fixture": "0"},
    )
