"""Progress over time: change against the baseline and a year earlier, and rebound (反弹).

:func:`progress` works on series laid out as the rows of a matrix whose columns are every
quarter of :data:`metrics.periods.QUARTERS` (consecutive quarters; NaN where there is no value).
The roll-up rebuild stores its columns in ``rollup`` (series of a region's means) and
``village_value`` (a village's values). A rebound is flagged in period *t* when the value rose in
*t − 1* and again in *t* after having fallen at least :data:`REBOUND_DROP` below the baseline value
at some period from the baseline to *t − 2*.
"""

from __future__ import annotations

import numpy as np

REBOUND_DROP = 0.2
PARAMS = {"rebound_drop": REBOUND_DROP}
COLUMNS = (
    "baseline_value",
    "change_vs_baseline",
    "change_vs_baseline_pct",
    "year_ago_value",
    "change_vs_year_ago",
    "change_vs_year_ago_pct",
    "rebound",
)


def progress(values: np.ndarray, baseline: int) -> dict[str, np.ndarray]:
    """The progress columns of every series (row) of ``values`` in every quarter (column).

    Parameters
    ----------
    values
        Float matrix, one row per series, one column per consecutive quarter; NaN: no value.
    baseline
        Column of the baseline quarter, counted from the first; it may lie before the first
        column (every quarter is then after it) or after the last, without a baseline value.

    Returns
    -------
    dict
        :data:`COLUMNS`, each shaped like ``values``: floats (NaN where undefined, as for a
        baseline or year-ago value of 0) and ``rebound`` as booleans.

    Examples
    --------
    >>> p = progress(np.array([[10.0, 6, 8, 10, np.nan]]), baseline=0)
    >>> p["change_vs_baseline_pct"][0, 1], p["rebound"][0].tolist()
    (np.float64(-40.0), [False, False, False, True, False])
    >>> progress(np.array([[1.0, 2]]), baseline=0)["year_ago_value"].tolist()
    [[nan, nan]]

    """
    quarters = values.shape[1]
    if 0 <= baseline < quarters:
        base = np.repeat(values[:, baseline : baseline + 1], quarters, axis=1)
    else:
        base = np.full_like(values, np.nan)
    year_ago, previous, before = (_lag(values, k) for k in (4, 1, 2))
    # The lowest value from the baseline on, up to two quarters back (NaN: none yet).
    since = values.copy()
    since[:, : min(max(baseline, 0), quarters)] = np.nan
    low = _lag(np.fmin.accumulate(since, axis=1), 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        rebound = (values > previous) & (previous > before) & (low <= (1 - REBOUND_DROP) * base)
        return {
            "baseline_value": base,
            "change_vs_baseline": values - base,
            "change_vs_baseline_pct": _percent(values, base),
            "year_ago_value": year_ago,
            "change_vs_year_ago": values - year_ago,
            "change_vs_year_ago_pct": _percent(values, year_ago),
            "rebound": rebound,
        }


def _lag(values: np.ndarray, k: int) -> np.ndarray:
    """``values`` shifted ``k`` quarters later (NaN for the first ``k``)."""
    out = np.full_like(values, np.nan)
    if k < values.shape[1]:
        out[:, k:] = values[:, : values.shape[1] - k]
    return out


def _percent(values: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """``100 × (values − reference) / reference``; NaN where the reference is 0 or missing."""
    return 100 * (values - reference) / np.where(reference == 0, np.nan, reference)
