"""A small hand-made gazetteer with the ambiguities the matcher and resolver must handle.

市中区 exists in 枣庄, 济南 and 乐山; 文化路街道 in 枣庄 and 郑州; 吴庄村 under two townships.
Coordinates are approximate WGS84 points, enough for the distance prior.
"""

from __future__ import annotations

from gazetteer.index import Gazetteer, Name
from gazetteer.model import GeoPrecision, Level, Place

# id, name, level, parent, adcode, lon, lat, other spellings (short forms; "~x" = alias)
ROWS: tuple[tuple[int, str, Level, int | None, str | None, float, float, tuple[str, ...]], ...] = (
    (1, "山东省", Level.PROVINCE, None, "370000", 117.00, 36.67, ("山东",)),
    (2, "四川省", Level.PROVINCE, None, "510000", 104.07, 30.67, ("四川",)),
    (3, "河南省", Level.PROVINCE, None, "410000", 113.63, 34.75, ("河南",)),
    (10, "枣庄市", Level.CITY, 1, "370400", 117.32, 34.81, ("枣庄",)),
    (11, "济南市", Level.CITY, 1, "370100", 117.12, 36.65, ("济南",)),
    (12, "乐山市", Level.CITY, 2, "511100", 103.77, 29.55, ("乐山",)),
    (13, "郑州市", Level.CITY, 3, "410100", 113.63, 34.75, ("郑州",)),
    (20, "市中区", Level.COUNTY, 10, "370402", 117.556, 34.864, ("市中",)),
    (21, "市中区", Level.COUNTY, 11, "370103", 116.997, 36.651, ("市中",)),
    (22, "市中区", Level.COUNTY, 12, "511102", 103.761, 29.555, ("市中",)),
    (23, "薛城区", Level.COUNTY, 10, "370403", 117.257, 34.796, ("薛城",)),
    (24, "滕州市", Level.COUNTY, 10, "370481", 117.165, 35.114, ("滕州",)),
    (25, "金水区", Level.COUNTY, 13, "410105", 113.66, 34.80, ("金水",)),
    (30, "文化路街道", Level.TOWNSHIP, 20, "370402", 117.55, 34.87, ("文化路",)),
    (31, "文化路街道", Level.TOWNSHIP, 25, "410105", 113.65, 34.79, ("文化路",)),
    (32, "常庄街道", Level.TOWNSHIP, 23, "370403", 117.22, 34.83, ("常庄",)),
    (33, "孟庄镇", Level.TOWNSHIP, 20, "370402", 117.50, 34.80, ("孟庄",)),
    (34, "沙沟镇", Level.TOWNSHIP, 23, "370403", 117.18, 34.70, ("沙沟",)),
    (40, "吴庄村", Level.VILLAGE, 32, "370403", 117.22, 34.83, ()),
    (41, "吴庄村", Level.VILLAGE, 33, "370402", 117.50, 34.80, ()),
    (42, "侯庄村", Level.VILLAGE, 33, "370402", 117.50, 34.80, ()),
    (43, "光明北社区", Level.COMMUNITY, 30, "370402", 117.55, 34.87, ()),
    (50, "枣庄高新区", Level.ZONE, 10, "370403", 117.23, 34.85, ()),
    (51, "新能源产业园", Level.ZONE, 25, "410105", 113.66, 34.80, ()),
)


def fixture_gazetteer() -> Gazetteer:
    """The fixture as a Gazetteer (paths derived from the parent chain)."""
    by_id = {r[0]: r for r in ROWS}

    def path(pid: int) -> str:
        row = by_id[pid]
        return row[1] if row[3] is None else f"{path(row[3])}/{row[1]}"

    places = [
        Place(rid, name, level, parent, path(rid), adcode, lon, lat, GeoPrecision.OWN, "test fixture")
        for rid, name, level, parent, adcode, lon, lat, _ in ROWS
    ]
    names = [Name(row[1], row[0], "full") for row in ROWS]
    for row in ROWS:
        for other in row[7]:
            names.append(Name(other.lstrip("~"), row[0], "alias" if other.startswith("~") else "short"))
    return Gazetteer.from_places(places, names)
