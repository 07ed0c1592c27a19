"""Approximate positions for townships and villages, where no real coordinates exist.

Every point is derived from codes through a hash (never from global random state), so a rebuild
gives the same positions. Points keep a margin from the county border and avoid slivers and tiny
exclaves. Township points are spread over the county (k-means over seeded random points);
the villages of a township scatter in a disc around its point.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence

import numpy as np
import shapely

DECIMALS = 5  # ~1 m
MARGIN_SHARE = 0.05  # margin from the border, as a share of sqrt(county area) ...
MARGIN_RANGE = (0.002, 0.02)  # ... kept within ~200 m and ~2 km (degrees)
MIN_PART_SHARE = 0.05  # parts of the placement area smaller than this share are skipped
CANDIDATES_PER_TOWNSHIP = 64
SPREAD_ITERATIONS = 25
CLUSTER_SHARE = 0.5  # village disc radius / radius of a township's equal share of the area
TRIES = 64

Position = tuple[float, float]


def _seed(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big")


def _unit_pair(key: str) -> tuple[float, float]:
    digest = hashlib.blake2b(key.encode(), digest_size=16).digest()
    return int.from_bytes(digest[:8], "big") / 2**64, int.from_bytes(digest[8:], "big") / 2**64


def placement_area(county: shapely.Geometry) -> shapely.Geometry:
    """The part of a county where approximate points may go.

    The county shrunk by a margin (``MARGIN_SHARE`` of the square root of its area, within
    ``MARGIN_RANGE``; halved while nothing is left), without parts smaller than
    ``MIN_PART_SHARE`` of the rest.

    Raises
    ------
    ValueError
        If the county is too small for the smallest margin.

    """
    low, high = MARGIN_RANGE
    margin = min(high, max(low, MARGIN_SHARE * math.sqrt(county.area)))
    while margin >= low:
        parts = shapely.get_parts(county.buffer(-margin))
        if len(parts):
            areas = shapely.area(parts)
            return shapely.union_all(parts[areas >= MIN_PART_SHARE * areas.sum()])
        margin /= 2
    raise ValueError(f"Polygon too small to place points with a {low}° margin")


def _sample(area: shapely.Geometry, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` uniform random points inside ``area`` (rejection sampling in its bounds)."""
    xmin, ymin, xmax, ymax = area.bounds
    found: list[np.ndarray] = []
    count = 0
    while count < n:
        xy = rng.uniform((xmin, ymin), (xmax, ymax), size=(2 * n, 2))
        xy = xy[shapely.contains_xy(area, xy[:, 0], xy[:, 1])]
        found.append(xy)
        count += len(xy)
    return np.concatenate(found)[:n]


def _spread(candidates: np.ndarray, k: int, x_scale: float) -> np.ndarray:
    """``k`` distinct candidates near the centres of a k-means partition of ``candidates``."""
    pts = candidates * (x_scale, 1.0)  # near-equal distances in both directions
    centres = [pts[0]]
    nearest = ((pts - pts[0]) ** 2).sum(axis=1)
    for _ in range(1, k):  # farthest-point start
        centres.append(pts[int(nearest.argmax())])
        nearest = np.minimum(nearest, ((pts - centres[-1]) ** 2).sum(axis=1))
    centres = np.array(centres)
    for _ in range(SPREAD_ITERATIONS):
        labels = ((pts[:, None, :] - centres[None]) ** 2).sum(axis=2).argmin(axis=1)
        for j in range(k):
            if (labels == j).any():
                centres[j] = pts[labels == j].mean(axis=0)
    distances = ((pts[:, None, :] - centres[None]) ** 2).sum(axis=2)
    chosen: list[int] = []
    for j in range(k):  # snap to the nearest unused candidate, which lies inside the area
        chosen.append(next(int(i) for i in np.argsort(distances[:, j]) if i not in chosen))
    return candidates[chosen]


def _scatter(
    area: shapely.Geometry, centre: Position, radius: float, x_scale: float, code: str
) -> Position:
    """A point of ``area`` in the disc around ``centre``, chosen by hashing ``code``."""
    for attempt in range(TRIES):
        u, w = _unit_pair(f"{code}/{attempt}")
        r, theta = radius * math.sqrt(u), 2 * math.pi * w
        x = round(centre[0] + r * math.cos(theta) / x_scale, DECIMALS)
        y = round(centre[1] + r * math.sin(theta), DECIMALS)
        if shapely.contains_xy(area, x, y):
            return x, y
    return centre


def place_county(
    county: shapely.Geometry, county_code: str, townships: Mapping[str, Sequence[str]]
) -> dict[str, Position]:
    """Approximate positions of the townships and villages of one county.

    Parameters
    ----------
    county : Polygon or MultiPolygon
        The county as shipped (lon/lat degrees); every point returned lies inside it.
    county_code : str
        Seeds the township points.
    townships : mapping of str to sequence of str
        Township code -> codes of its villages.

    Returns
    -------
    dict
        Code (township or village) -> ``(lon, lat)`` rounded to ``DECIMALS``.

    Examples
    --------
    >>> from shapely import Point, box
    >>> county = box(100, 35, 101, 36)
    >>> positions = place_county(county, "630000", {"t1": ["v1", "v2"], "t2": ["v3"]})
    >>> all(county.contains(Point(xy)) for xy in positions.values())
    True

    """
    codes = sorted(townships)
    if not codes:
        return {}
    area = placement_area(county)
    shapely.prepare(area)
    x_scale = math.cos(math.radians(area.centroid.y))
    rng = np.random.default_rng(_seed(county_code))
    candidates = _sample(area, CANDIDATES_PER_TOWNSHIP * len(codes), rng)
    centres = np.round(_spread(candidates, len(codes), x_scale), DECIMALS)
    radius = CLUSTER_SHARE * math.sqrt(area.area * x_scale / len(codes) / math.pi)
    positions: dict[str, Position] = {}
    for code, (x, y) in zip(codes, centres.tolist(), strict=True):
        positions[code] = (x, y)
        for village in townships[code]:
            positions[village] = _scatter(area, (x, y), radius, x_scale, village)
    return positions
