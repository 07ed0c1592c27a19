"""Topology-preserving simplification of a coverage (polygons that tile an area).

Neighbours are simplified together (``shapely.coverage_simplify``), so shared edges stay shared:
no gaps, no overlaps. Higher levels are dissolved from the simplified lower level, so they nest
exactly.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely


def check_coverage(geometries: np.ndarray, what: str) -> None:
    """Raise ``ValueError`` unless ``geometries`` are valid polygons forming a valid coverage."""
    invalid = ~shapely.is_valid(geometries)
    if invalid.any():
        raise ValueError(f"{invalid.sum()} invalid {what} geometries")
    if not shapely.coverage_is_valid(geometries):
        edges = shapely.coverage_invalid_edges(geometries)
        bad = int((~shapely.is_empty(edges)).sum())
        raise ValueError(f"The {what} geometries are not a clean coverage ({bad} with bad edges)")


def simplify_coverage(geometries: Sequence, tolerance: float, decimals: int) -> np.ndarray:
    """Simplify a coverage together and round its coordinates.

    Parameters
    ----------
    geometries : sequence of Polygon or MultiPolygon
        A valid coverage (edges shared exactly, no overlaps).
    tolerance : float
        Simplification tolerance in coordinate units (degrees).
    decimals : int
        Decimal places kept; every shared vertex rounds the same way on both sides.

    Returns
    -------
    numpy.ndarray
        The simplified geometries, checked to be a valid coverage again.

    Examples
    --------
    >>> from shapely import box
    >>> [g.area for g in simplify_coverage([box(0, 0, 1, 1), box(1, 0, 2, 1)], 0.1, 5)]
    [1.0, 1.0]

    """
    geometries = np.asarray(geometries, dtype=object)
    check_coverage(geometries, "source")
    simplified = shapely.coverage_simplify(geometries, tolerance)
    rounded = shapely.transform(simplified, lambda xy: np.round(xy, decimals))
    check_coverage(rounded, "simplified")
    return rounded


def dissolve(geometries: Sequence, keys: Sequence[str]) -> dict[str, shapely.Geometry]:
    """Union of the coverage ``geometries`` per key, in sorted key order.

    Examples
    --------
    >>> from shapely import box
    >>> dissolve([box(0, 0, 1, 1), box(1, 0, 2, 1)], ["a", "a"])["a"].area
    2.0

    """
    geometries = np.asarray(geometries, dtype=object)
    keys = np.asarray(keys)
    return {k: shapely.coverage_union_all(geometries[keys == k]) for k in sorted(set(keys))}
