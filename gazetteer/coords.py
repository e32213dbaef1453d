"""Datum conversion GCJ-02 → WGS84 and the China bounding-box check.

cpca's county points are GCJ-02 (the obfuscated datum Chinese map services publish); the map and
every distance computation use WGS84. GCJ-02 has no closed-form inverse, so the inverse is found
by fixed-point iteration of the forward transform, which converges to well under a centimetre in
a few steps.
"""

from __future__ import annotations

import math

_A = 6378245.0  # Krasovsky 1940 semi-major axis, as in the published GCJ-02 algorithm
_EE = 0.00669342162296594323  # its first eccentricity squared

# Outside this box GCJ-02 is the identity (the published algorithm's own test).
CHINA_BBOX = (72.004, 0.8293, 137.8347, 55.8271)  # min lon, min lat, max lon, max lat


def is_in_china(lon: float, lat: float) -> bool:
    """Whether a point lies in the rough bounding box where GCJ-02 offsets apply.

    >>> is_in_china(117.26, 34.79), is_in_china(139.69, 35.69)
    (True, False)
    """
    min_lon, min_lat, max_lon, max_lat = CHINA_BBOX
    return min_lon <= lon <= max_lon and min_lat <= lat <= max_lat


def _offset(lon: float, lat: float) -> tuple[float, float]:
    x, y = lon - 105.0, lat - 35.0
    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    d_lat += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    d_lat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    d_lat += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    d_lon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    d_lon += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    d_lon += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    d_lon += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    rad = lat / 180.0 * math.pi
    magic = 1.0 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return d_lon, d_lat


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """Forward transform WGS84 → GCJ-02 (identity outside China).

    >>> [round(v, 4) for v in wgs84_to_gcj02(117.2574, 34.7960)]
    [117.2632, 34.7951]
    """
    if not is_in_china(lon, lat):
        return lon, lat
    d_lon, d_lat = _offset(lon, lat)
    return lon + d_lon, lat + d_lat


def gcj02_to_wgs84(lon: float, lat: float, tolerance: float = 1e-9, max_iter: int = 30) -> tuple[float, float]:
    """Inverse transform GCJ-02 → WGS84 by iterating the forward transform.

    Starts from the GCJ-02 point and corrects by the residual of the forward transform until the
    correction is below ``tolerance`` degrees (about 0.1 mm).

    >>> [round(v, 4) for v in gcj02_to_wgs84(117.263164, 34.795062)]
    [117.2574, 34.796]
    """
    if not is_in_china(lon, lat):
        return lon, lat
    w_lon, w_lat = lon, lat
    for _ in range(max_iter):
        g_lon, g_lat = wgs84_to_gcj02(w_lon, w_lat)
        d_lon, d_lat = lon - g_lon, lat - g_lat
        w_lon, w_lat = w_lon + d_lon, w_lat + d_lat
        if abs(d_lon) < tolerance and abs(d_lat) < tolerance:
            break
    return w_lon, w_lat
