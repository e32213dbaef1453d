"""Timeline DataFrame → GeoJSON (RFC 7946) and CSV; self-validation; GeoJSON → DataFrame again.

RFC 7946: WGS84 ``[lon, lat]``, no ``crs`` member, one Feature per event and a null geometry for
an unplaced event (never ``[0, 0]``, which would put it in the Gulf of Guinea). ``start``/``end``
are full ISO datetimes with ``+08:00`` and an exclusive end, which GDAL (and so QGIS, geopandas,
kepler.gl) reads as datetime fields; ``when`` repeats the interval as a Linked Places timespan.
An export checks itself before it leaves (:func:`validate_export`) and reads back to the same
events (:func:`read_geojson`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from gazetteer.coords import is_in_china
from timeline.build import COLUMNS, TZ
from timeline.errors import ExportError

__all__ = ["PROPERTIES", "read_geojson", "to_csv", "to_geojson", "validate_export"]

#: Timeline columns that are not feature properties: the geometry and the app's own offsets/links.
_NOT_PROPERTIES = frozenset(
    {
        "lon",
        "lat",
        "doc_id",
        "article",
        "article_title",
        "date_start",
        "date_end",
        "place_start",
        "place_end",
        "sources",
    }
)
#: Feature properties, in timeline order (CSV adds ``lon``/``lat`` after them).
PROPERTIES = tuple(column for column in COLUMNS if column not in _NOT_PROPERTIES)
CSV_COLUMNS = (*PROPERTIES, "lon", "lat")
_INTEGERS = frozenset({"geo_precision", "evidence_start", "evidence_end"})
_FOREIGN = "foreign"


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _iso(value: Any) -> str | None:
    """A Timestamp as ``2023-10-18T00:00:00+08:00``; None for NaT."""
    if _is_missing(value):
        return None
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize(TZ) if stamp.tzinfo is None else stamp.tz_convert(TZ)
    return str(stamp.isoformat())


def _plain(column: str, value: Any) -> Any:
    """A JSON-ready scalar: None for NaN/NaT, int for counts, ISO strings for times."""
    if column in ("start", "end"):
        return _iso(value)
    if _is_missing(value):
        return None
    if column in _INTEGERS:
        return int(value)
    if isinstance(value, float):
        return float(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _when(start: str | None, end: str | None, label: str | None) -> dict[str, Any] | None:
    """Linked Places ``when``: one timespan with the first and last (inclusive) day."""
    if start is None or end is None:
        return None
    last = (dt.datetime.fromisoformat(end) - dt.timedelta(days=1)).date().isoformat()
    when: dict[str, Any] = {"timespans": [{"start": {"in": start[:10]}, "end": {"in": last}}]}
    if label:
        when["label"] = label
    return when


def to_geojson(df: pd.DataFrame) -> dict[str, Any]:
    """The timeline as an RFC 7946 FeatureCollection (validated before it is returned)."""
    features = []
    for record in df.to_dict("records"):
        properties = {name: _plain(name, record.get(name)) for name in PROPERTIES}
        properties["when"] = _when(properties["start"], properties["end"], properties["time_text"])
        lon, lat = record.get("lon"), record.get("lat")
        placed = not _is_missing(lon) and not _is_missing(lat)
        geometry = {"type": "Point", "coordinates": [float(lon), float(lat)]} if placed else None
        features.append({"type": "Feature", "id": properties["id"], "geometry": geometry, "properties": properties})
    collection = {"type": "FeatureCollection", "features": features}
    validate_export(collection)
    return collection


def to_csv(df: pd.DataFrame) -> str:
    """The timeline as CSV text: the GeoJSON properties plus ``lon``/``lat`` (empty when unplaced)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for record in df.to_dict("records"):
        row = [_plain(name, record.get(name)) for name in CSV_COLUMNS]
        writer.writerow(["" if value is None else value for value in row])
    return out.getvalue()


def _fail(message: str, index: int) -> ExportError:
    return ExportError(f"feature {index}: {message}", user_message=f"导出数据有误（第 {index + 1} 个事件）：{message}")


def _check_point(coordinates: Any, properties: Mapping[str, Any], index: int) -> None:
    if not isinstance(coordinates, list | tuple) or len(coordinates) != 2:
        raise _fail("a Point needs exactly [lon, lat]", index)
    lon, lat = coordinates
    if not all(isinstance(v, int | float) and math.isfinite(v) for v in (lon, lat)):
        raise _fail(f"coordinates must be finite numbers, got {coordinates!r}", index)
    chinese = properties.get("adcode") is not None or (
        properties.get("admin_path") is not None and properties.get("place_level") != _FOREIGN
    )
    # Swapped order first: [lat, lon] of a Chinese place is also out of range, a less useful message.
    if chinese and not is_in_china(lon, lat) and is_in_china(lat, lon):
        raise _fail(f"{properties.get('place_name')} at {coordinates!r}: lon/lat look swapped", index)
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise _fail(f"coordinates out of range: {coordinates!r}", index)
    if lon == 0 and lat == 0:
        raise _fail("coordinates [0, 0] stand for a missing place; use a null geometry", index)
    if chinese and not is_in_china(lon, lat):
        raise _fail(f"{properties.get('place_name')} at {coordinates!r} is outside China", index)


def validate_export(obj: Mapping[str, Any]) -> None:
    """Raise ExportError unless ``obj`` is a FeatureCollection this package can stand behind.

    Checks: RFC 7946 shape (no ``crs``), coordinates finite and in range, not ``[0, 0]``, inside
    China for Chinese places (which also catches swapped lon/lat), no NaN anywhere in properties
    and ``start`` before ``end``.
    """
    if obj.get("type") != "FeatureCollection" or not isinstance(obj.get("features"), list):
        raise ExportError("not a FeatureCollection", user_message="导出数据不是 GeoJSON FeatureCollection。")
    if "crs" in obj:
        raise ExportError("RFC 7946 forbids a crs member", user_message="GeoJSON 不应包含 crs 字段（RFC 7946）。")
    for index, feature in enumerate(obj["features"]):
        properties = feature.get("properties") or {}
        geometry = feature.get("geometry")
        if geometry is not None:
            if geometry.get("type") != "Point":
                raise _fail(f"unexpected geometry {geometry.get('type')!r}", index)
            _check_point(geometry.get("coordinates"), properties, index)
        for name, value in properties.items():
            if isinstance(value, float) and not math.isfinite(value):
                raise _fail(f"property {name} is {value}", index)
        start, end = properties.get("start"), properties.get("end")
        if (start is None) != (end is None):
            raise _fail("start and end go together", index)
        if (
            isinstance(start, str)
            and isinstance(end, str)
            and dt.datetime.fromisoformat(start) >= dt.datetime.fromisoformat(end)
        ):
            raise _fail(f"start {start} is not before end {end}", index)


def read_geojson(source: Mapping[str, Any] | str | Path) -> pd.DataFrame:
    """Read an export (dict, JSON text or a path) back into a timeline-shaped DataFrame.

    The inverse of :func:`to_geojson` for every exported column: times come back as +08:00
    Timestamps, an unplaced event as NaN ``lon``/``lat``.
    """
    if isinstance(source, Path):
        data: Mapping[str, Any] = json.loads(source.read_text("utf-8"))
    elif isinstance(source, str):
        data = json.loads(source)
    else:
        data = source
    validate_export(data)
    rows = []
    for feature in data["features"]:
        row = {name: feature["properties"].get(name) for name in PROPERTIES}
        geometry = feature.get("geometry")
        lon, lat = geometry["coordinates"] if geometry else (math.nan, math.nan)
        rows.append({**row, "lon": float(lon), "lat": float(lat)})
    frame = pd.DataFrame(rows, columns=list(CSV_COLUMNS))
    for column in ("start", "end"):
        frame[column] = pd.to_datetime(frame[column], utc=True).dt.tz_convert(TZ)
    return frame
