"""Which policy targets (``registry.TARGETS``) a village breaks, meets, or cannot be judged on.

- ``max_value``: the quarter's value against the threshold; unknown if not reported.
- ``max_trailing4``: the sum over the trailing four quarters; unknown unless all four reported.
- ``no_offlist_items``: broken if the village holds an item of that indicator off the approved
  list in the period, met if it has item data for the indicator and none is off-list, unknown
  without item data.

The roll-up rebuild judges every village and quarter (:func:`judge`, :func:`status`) with the
configured thresholds (:func:`thresholds`, also written to the ``target`` table) and stores the
statuses in ``village_target`` and the shares of each region in ``rollup_target``; the queries
here read them.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from metrics import hierarchy, registry, settings, sql
from metrics.scope import Scope, require, require_at

# offlist(village_code, period, indicator, offlist): per village, quarter and indicator with
# item data, of the villages from ``$first`` to ``$last`` (by code) in the quarters ``$periods``,
# the number of items held that are off the approved list.
OFFLIST = """
SELECT vi.village_code, vi.period, it.indicator, count(*) FILTER (WHERE NOT it.on_list) AS offlist
FROM village_item vi JOIN item it ON it.item_id = vi.item_id
WHERE vi.village_code BETWEEN $first AND $last AND list_contains($periods, vi.period)
GROUP BY ALL
"""
STATUSES = ("met", "broken", "unknown")  # :func:`status` numbers them in this order
MET, BROKEN, UNKNOWN = range(len(STATUSES))


def judge(
    values: Mapping[str, np.ndarray], offlist: Mapping[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """The value judged for every target (``checked``), NaN where it cannot be judged.

    Parameters
    ----------
    values
        Per indicator code, the values of villages (rows) in consecutive quarters (columns);
        NaN: not reported.
    offlist
        Per indicator with an item target, the off-list items held, shaped alike; NaN: no item
        data.

    Examples
    --------
    >>> judged = judge(dict.fromkeys(registry.CODES, np.array([[0.0, 1, 0, 1, np.nan]])), {})
    >>> judged["assessments_annual"].tolist(), judged["plaques_max"].tolist()
    ([[nan, nan, nan, 2.0, nan]], [[0.0, 1.0, 0.0, 1.0, nan]])

    """
    out = {}
    for t in registry.TARGETS:
        if t.kind == "max_value":
            out[t.code] = values[t.indicator]
        elif t.kind == "max_trailing4":  # NaN unless all four quarters are reported
            x = values[t.indicator]
            total = np.full_like(x, np.nan)
            total[:, 3:] = x[:, 3:] + x[:, 2:-1] + x[:, 1:-2] + x[:, :-3]
            out[t.code] = total
        else:
            out[t.code] = offlist.get(t.indicator, np.full_like(values[t.indicator], np.nan))
    return out


def status(checked: np.ndarray, threshold: float) -> np.ndarray:
    """The :data:`STATUSES` number of every ``checked`` value against ``threshold``.

    Examples
    --------
    >>> status(np.array([1.0, 9, np.nan]), 8).tolist()
    [0, 1, 2]

    """
    with np.errstate(invalid="ignore"):
        judged = np.where(checked > threshold, BROKEN, MET)
        return np.where(np.isnan(checked), UNKNOWN, judged).astype(np.int8)


_ORDER = {t.code: n for n, t in enumerate(registry.TARGETS)}


def thresholds(certificates_max: float | None = None) -> dict[str, float]:
    """Threshold of every target, with the configured certificate limit.

    Examples
    --------
    >>> thresholds(10)["certificates_max"]
    10.0

    """
    limit = float(settings.get("certificates_max", certificates_max))
    return {
        t.code: limit if t.code == "certificates_max" else t.threshold for t in registry.TARGETS
    }


def _in_target_order(df: pd.DataFrame, *keys: str) -> pd.DataFrame:
    rank = df["target"].map(_ORDER)
    return df.assign(_o=rank).sort_values([*keys, "_o"]).drop(columns="_o").reset_index(drop=True)


_VILLAGE_STATUS = """
SELECT v.period, v.target, t.indicator, t.kind, t.threshold, v.checked, v.status
FROM village_target v JOIN target t ON t.code = v.target
WHERE v.village_code = $village AND ($period::VARCHAR IS NULL OR v.period = $period)
"""


def village_status(
    db: sql.Queryable, village: str, scope: Scope, period: str | None = None
) -> pd.DataFrame:
    """Status of every target for one village, in ``period`` or every period with data.

    Columns: ``period, target, indicator, kind, threshold, checked, status`` where ``checked``
    is the value judged (the quarter's value, the four-quarter sum or the off-list item count).
    """
    if period is None:
        require(db, scope, village)
    else:
        require_at(db, scope, village, period)
    df = db.query(_VILLAGE_STATUS, {"village": village, "period": period})
    return _in_target_order(df, "period")


# tallied(…, villages, met, broken, unknown, met_share, broken_share, unknown_share): per group
# of a caller-defined ``statuses(…, status)`` (every column but ``status`` is a grouping key).
TALLIED: sql.Cte = (
    "tallied",
    """
    SELECT * EXCLUDE (status), count(*) AS villages,
           count(*) FILTER (WHERE status = 'met') AS met,
           count(*) FILTER (WHERE status = 'broken') AS broken,
           count(*) FILTER (WHERE status = 'unknown') AS unknown,
           met / villages AS met_share, broken / villages AS broken_share,
           unknown / villages AS unknown_share
    FROM statuses GROUP BY ALL
    """,
)

# counted(target, villages, met, …): a region's rows of ``rollup_target``.
_REGION_COUNTS: sql.Cte = (
    "counted",
    "SELECT * EXCLUDE (period, level, code, communities) FROM rollup_target "
    "WHERE code = $code AND period = $period AND communities = $communities",
)
# … or a village's own statuses, tallied.
_VILLAGE_COUNTS: tuple[sql.Cte, ...] = (
    (
        "statuses",
        """
        SELECT v.target, v.status FROM village_target v JOIN region r ON r.code = v.village_code
        WHERE v.village_code = $code AND v.period = $period
          AND ($communities OR r.kind = $village_kind)
        """,
    ),
    TALLIED,
    ("counted", "SELECT * FROM tallied"),
)
_SHARES = """
SELECT c.target, t.indicator, t.kind, t.threshold, c.* EXCLUDE (target)
FROM counted c JOIN target t ON t.code = c.target
"""


def shares(
    db: sql.Queryable,
    region: str,
    period: str,
    scope: Scope,
    include_communities: bool = False,
) -> pd.DataFrame:
    """Per target, how many villages of ``region`` meet, break or cannot be judged on it.

    Columns: ``target, indicator, kind, threshold, villages, met, broken, unknown, met_share,
    broken_share, unknown_share`` — shares of all villages, so the three add up to 1.
    """
    found, period = require_at(db, scope, region, period)
    return tally(db, found, period, include_communities)


def tally(
    db: sql.Queryable, place: hierarchy.Place, period: str, include_communities: bool
) -> pd.DataFrame:
    """:func:`shares` of the region at ``place`` in a ``period`` the caller has checked."""
    counts = _VILLAGE_COUNTS if place.level == "village" else (_REGION_COUNTS,)
    params = {"code": place.lineage[0], "period": period, "communities": include_communities}
    return _in_target_order(sql.run(db, counts, _SHARES, params))
