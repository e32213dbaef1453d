"""Gazetteer values: a Place (one administrative unit, zone, road or landmark) and its Level."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Level(enum.StrEnum):
    """Rank of a place; the gold annotation's ``level`` vocabulary."""

    COUNTRY = "country"
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"
    COMMUNITY = "community"
    ZONE = "zone"
    POI = "poi"
    ROAD = "road"
    RIVER = "river"
    FOREIGN = "foreign"


class GeoPrecision(enum.IntEnum):
    """Whether a point is the place's own or inherited from a container."""

    OWN = 1
    TOWNSHIP = 2
    REGION = 3


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry. Coordinates are WGS84; ``path`` is the admin path from the province.

    ``adcode`` is the 6-digit GB/T 2260 code of the smallest county-level (or larger) unit that
    contains the place, or None when not known.
    """

    id: int
    name: str
    level: Level
    parent_id: int | None
    path: str
    adcode: str | None
    lon: float | None
    lat: float | None
    geo_precision: GeoPrecision
    source: str
