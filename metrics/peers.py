"""Peer comparison: rank and percentile among regions of one level, overall and by area type.

The ranked statistic is the mean (for a village, its own value). Rank 1 is the heaviest burden;
ties share the lowest rank (1, 2, 2, 4). ``percentile`` is 100 × the share of peers whose value is
≤ this one's, so the heaviest is 100. The area-type peer group (农区/牧区/半农半牧; a prefecture's
is the type most of its counties have, see ``hierarchy.AREA_GROUPS``) is used only with at least
:data:`MIN_GROUP` members with a value; a smaller group falls back to all peers, and the output
says so (``peer_group`` missing).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MIN_GROUP = 3


def _ranks(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Rank and percentile of each of ``values`` among the known ones, and their number.

    Missing values get neither (NaN).
    """
    missing = np.isnan(values)
    known = np.sort(values[~missing])
    at_most = np.searchsorted(known, values, side="right")  # known values ≤ each one
    with np.errstate(divide="ignore", invalid="ignore"):  # nothing known: 0 / 0
        percentile = np.where(missing, np.nan, 100 * (at_most / known.size))
    return np.where(missing, np.nan, 1.0 + known.size - at_most), percentile, known.size


def _whole(values: np.ndarray) -> np.ndarray | pd.arrays.IntegerArray:
    """Integer ranks, nullable if any is missing (as duckdb returns integer columns)."""
    if np.isnan(values).any():
        return pd.array(values, dtype="Int64")
    return values.astype("int64")


def ranked(listed: pd.DataFrame) -> pd.DataFrame:
    """``listed`` (``mean, area_group, …``) with the peer group and ranks of each row.

    Adds ``peer_group``, ``rank_all, percentile_all, peers_all`` (among every row) and
    ``rank_in_group, percentile_in_group, peers_in_group`` (within the peer group, or as the
    ``*_all`` ones where the group is too small).
    """
    mean = listed["mean"].to_numpy(dtype=float)
    areas = listed["area_group"].to_numpy(dtype=object)
    rank, percentile, count = _ranks(mean)
    group_rank, group_percentile = rank.copy(), percentile.copy()
    peers = np.full(mean.shape, count)
    peer_group = np.full(mean.shape, None, dtype=object)
    for area in pd.unique(areas[pd.notna(areas)]):
        member = areas == area
        r, p, n = _ranks(mean[member])
        if n >= MIN_GROUP:
            group_rank[member], group_percentile[member], peers[member] = r, p, n
            peer_group[member] = area
    ranks = {
        "peer_group": peer_group,
        "rank_all": _whole(rank),
        "percentile_all": percentile,
        "peers_all": np.full(mean.shape, count),
        "rank_in_group": _whole(group_rank),
        "percentile_in_group": group_percentile,
        "peers_in_group": peers,
    }
    return pd.concat([listed, pd.DataFrame(ranks, index=listed.index)], axis=1)
