"""Approximate positions: deterministic from codes, inside the county, away from slivers."""

from __future__ import annotations

import random

import numpy as np
import shapely
from shapely import box

from geodata.positions import place_county, placement_area

COUNTY = shapely.union_all([box(100, 35, 101, 36), box(101.5, 35.5, 101.51, 35.51)])  # + islet
TOWNSHIPS = {
    "630000001000": [f"630000001{i:03d}" for i in range(1, 30)],
    "630000002000": [f"630000002{i:03d}" for i in range(1, 10)],
    "630000003000": [],
}


def test_same_codes_same_positions_whatever_the_global_random_state():
    np.random.seed(1)
    random.seed(1)
    first = place_county(COUNTY, "630000", TOWNSHIPS)
    np.random.seed(2)
    random.seed(2)
    np.random.random(10)
    assert place_county(COUNTY, "630000", TOWNSHIPS) == first


def test_positions_depend_on_the_codes():
    first = place_county(COUNTY, "630000", TOWNSHIPS)
    other = place_county(COUNTY, "639900", TOWNSHIPS)
    assert first["630000001000"] != other["630000001000"]


def test_every_point_is_inside_and_off_the_islet():
    positions = place_county(COUNTY, "630000", TOWNSHIPS)
    assert len(positions) == 3 + 29 + 9
    xy = np.array(list(positions.values()))
    assert shapely.contains_xy(COUNTY, xy[:, 0], xy[:, 1]).all()
    assert (xy[:, 0] < 101).all()  # nothing on the 1 km islet
    assert all(round(v, 5) == v for v in xy.ravel())


def test_township_points_are_spread():
    positions = place_county(COUNTY, "630000", TOWNSHIPS)
    towns = np.array([positions[code] for code in TOWNSHIPS])
    gaps = [np.hypot(*(a - b)) for i, a in enumerate(towns) for b in towns[i + 1 :]]
    assert min(gaps) > 0.2  # degrees, in a 1° square shared by three


def test_placement_area_keeps_a_margin_and_drops_slivers():
    area = placement_area(COUNTY)
    assert COUNTY.contains(area)
    assert area.bounds[2] < 101  # the islet is gone
    assert area.distance(COUNTY.boundary) >= 0.002


def test_empty_county():
    assert place_county(COUNTY, "630000", {}) == {}
