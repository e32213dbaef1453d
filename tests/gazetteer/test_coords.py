from __future__ import annotations

import pytest

from gazetteer.coords import gcj02_to_wgs84, is_in_china, wgs84_to_gcj02


@pytest.mark.parametrize(
    ("gcj", "wgs"),
    [
        ((117.263164, 34.795062), (117.2574, 34.7960)),  # 薛城区, the check
        ((116.397128, 39.916527), (116.3909, 39.9152)),  # 天安门 (well-known published pair)
    ],
)
def test_coords_gcj02_to_wgs84_known_points(gcj: tuple[float, float], wgs: tuple[float, float]) -> None:
    lon, lat = gcj02_to_wgs84(*gcj)
    assert lon == pytest.approx(wgs[0], abs=2e-4)
    assert lat == pytest.approx(wgs[1], abs=2e-4)


@pytest.mark.parametrize("point", [(117.2574, 34.796), (87.6, 43.8), (121.47, 31.23), (126.6, 45.75)])
def test_coords_inverse_round_trips(point: tuple[float, float]) -> None:
    back = gcj02_to_wgs84(*wgs84_to_gcj02(*point))
    assert back == pytest.approx(point, abs=1e-7)


@pytest.mark.parametrize("point", [(139.69, 35.69), (2.35, 48.85), (-74.0, 40.7)])
def test_coords_identity_outside_china(point: tuple[float, float]) -> None:
    assert not is_in_china(*point)
    assert gcj02_to_wgs84(*point) == point
    assert wgs84_to_gcj02(*point) == point
