"""Which policy targets (``registry.TARGETS``) a village breaks, meets, or cannot be judged on.

- ``max_value``: the quarter's value against the threshold; unknown if not reported.
- ``max_trailing4``: the sum over the trailing four quarters; unknown unless all four reported.
- ``no_offlist_items``: broken if the village holds an item of that indicator off the approved
  list in the period, met if it has item data for the indicator and none is off-list, unknown
  without item data.

Thresholds are read from the ``target`` table, which the roll-up rebuild writes with the
configured ones (``certificates_max``). The rebuild stores every village's status in
``village_target`` (from :data:`STATUS`) and the shares of each region in ``rollup_target``;
the queries here read them.
"""

from __future__ import annotations

import pandas as pd

from metrics import hierarchy, periods, registry, settings, sql
from metrics.scope import Scope, require, require_at

TRAILING4: sql.Cte = (
    "trailing4",
    """
    SELECT village_code, period, indicator, sum(value) OVER w AS total, count(*) OVER w AS quarters
    FROM obs JOIN quarters USING (period)
    WHERE indicator IN (SELECT indicator FROM target WHERE kind = 'max_trailing4')
    WINDOW w AS (PARTITION BY village_code, indicator ORDER BY quarter
                 RANGE BETWEEN 3 PRECEDING AND CURRENT ROW)
    """,
)

OFFLIST: sql.Cte = (
    "offlist",
    """
    SELECT vi.village_code, vi.period, it.indicator,
           count(*) FILTER (WHERE NOT it.on_list) AS offlist_items
    FROM village_item vi JOIN item it ON it.item_id = vi.item_id
    WHERE vi.village_code IN (SELECT code FROM sel_villages)
      AND vi.period IN (SELECT period FROM sel_periods)
    GROUP BY ALL
    """,
)

# judged(village_code, period, target, indicator, kind, checked, broken): only the targets that
# could be judged, with the value judged (the quarter's value, the four-quarter sum or the
# number of off-list items).
JUDGED: sql.Cte = (
    "judged",
    """
    SELECT o.village_code, o.period, t.code AS target, t.indicator, t.kind, o.value AS checked,
           o.value > t.threshold AS broken
    FROM obs o JOIN target t ON t.indicator = o.indicator AND t.kind = 'max_value'
    WHERE o.period IN (SELECT period FROM sel_periods)
    UNION ALL
    SELECT r.village_code, r.period, t.code, t.indicator, t.kind, r.total, r.total > t.threshold
    FROM trailing4 r JOIN target t ON t.indicator = r.indicator AND t.kind = 'max_trailing4'
    WHERE r.quarters = 4 AND r.period IN (SELECT period FROM sel_periods)
    UNION ALL
    SELECT l.village_code, l.period, t.code, t.indicator, t.kind, l.offlist_items,
           l.offlist_items > t.threshold
    FROM offlist l JOIN target t ON t.indicator = l.indicator AND t.kind = 'no_offlist_items'
    """,
)

# status(village_code, period, target, indicator, kind, threshold, checked, status): every
# selected village, period and target, ``unknown`` where it could not be judged.
STATUS: sql.Cte = (
    "status",
    """
    SELECT v.code AS village_code, p.period, t.code AS target, t.indicator, t.kind, t.threshold,
           j.checked,
           CASE WHEN j.broken IS NULL THEN 'unknown' WHEN j.broken THEN 'broken' ELSE 'met' END
               AS status
    FROM sel_villages v CROSS JOIN sel_periods p CROSS JOIN target t
    LEFT JOIN judged j ON j.village_code = v.code AND j.period = p.period AND j.target = t.code
    """,
)

JUDGING: tuple[sql.Cte, ...] = (periods.QUARTERS, TRAILING4, OFFLIST, JUDGED)
CTES: tuple[sql.Cte, ...] = (*JUDGING, STATUS)
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
