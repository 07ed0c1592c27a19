"""Reported against verified: what on-site visits found, per indicator and per region.

A visit (``visit``, ``visit_value``) records the village's reported count of each indicator and
the count the inspector verified. An indicator's gap is **large** when the two differ by at least
``flag_gap_min`` and by at least ``flag_gap_share`` of the larger one (a miscount by one is not
large). The same per-visit gaps feed the ``visit_gap`` flag (:mod:`metrics.flags`) and the
discrepancy rates by township shown to inspectors.
"""

from __future__ import annotations

import pandas as pd

from metrics import departments, hierarchy, listing, periods, rollup, selection, settings, sql
from metrics.scope import Scope, require

# gaps(visit_id, village_code, period, kind, visited_on, result, indicator, reported, verified,
# gap, large): one row per visit and indicator checked.
GAPS: sql.Cte = (
    "gaps",
    """
    SELECT v.visit_id, v.village_code, v.period, v.kind, v.visited_on, v.result, x.indicator,
           x.reported, x.verified, x.verified - x.reported AS gap,
           COALESCE(abs(x.verified - x.reported) >= $gap_min
                    AND abs(x.verified - x.reported)
                        >= $gap_share * greatest(x.verified, x.reported), false) AS large
    FROM visit v JOIN visit_value x ON x.visit_id = v.visit_id
    """,
)

# Per visit: whether any indicator's gap is large, and whether it under-reported.
VISITS: sql.Cte = (
    "visits",
    """
    SELECT visit_id, village_code, period, kind, result,
           bool_or(large) AS large, sum(gap) > 0 AS under, sum(abs(gap)) AS abs_gap
    FROM gaps GROUP BY ALL
    """,
)


def params(gap_share: float | None = None, gap_min: int | None = None) -> dict[str, float]:
    """``$gap_share`` and ``$gap_min``: given values, else the configured ones.

    Examples
    --------
    >>> params(0.3, 2)
    {'gap_share': 0.3, 'gap_min': 2}

    """
    return {
        "gap_share": float(settings.get("flag_gap_share", gap_share)),
        "gap_min": int(settings.get("flag_gap_min", gap_min)),
    }


def by_region(
    db: sql.Queryable,
    period: str | None,
    scope: Scope,
    region: str | None = None,
    level: str = "township",
    quarters: int = 4,
    gap_share: float | None = None,
    gap_min: int | None = None,
) -> pd.DataFrame:
    """Discrepancy rates of the regions of ``level`` below ``region``, from recent visits.

    Visits count when they checked one of the ``quarters`` quarters up to ``period`` (default:
    the latest). Regions without such a visit are left out.

    Returns
    -------
    pandas.DataFrame
        ``code, name, parent_code, visits, inconsistent, with_gap, under_reported,
        inconsistent_share, gap_share, under_share, mean_abs_gap`` — visits ``inconsistent`` as
        recorded by the inspectors (any difference), ``with_gap`` a large gap by the thresholds
        above, ``under_reported`` where the village reported less than was there in all; highest
        ``with_gap`` first.

    """
    scope.need("flags")
    hierarchy.check_level(level)
    if region is not None:
        require(db, scope, region)
    period = periods.require(db, period)
    return sql.run(
        db,
        [
            hierarchy.BELOW,
            selection.SEEN,
            listing.SELECTED,
            rollup.MEMBERS,
            departments.REGION_VILLAGES,
            GAPS,
            VISITS,
        ],
        """
        SELECT s.code, s.name, s.parent_code, count(*) AS visits,
               count(*) FILTER (WHERE v.result = '不一致') AS inconsistent,
               count(*) FILTER (WHERE v.large) AS with_gap,
               count(*) FILTER (WHERE v.under) AS under_reported,
               inconsistent / visits AS inconsistent_share, with_gap / visits AS gap_share,
               under_reported / visits AS under_share, avg(v.abs_gap) AS mean_abs_gap
        FROM sel s
        JOIN region_villages m ON m.code = s.code
        JOIN visits v ON v.village_code = m.village_code
        WHERE v.period BETWEEN $first AND $period
        GROUP BY ALL
        ORDER BY with_gap DESC, gap_share DESC, s.code
        """,
        {
            **selection.params(scope, region, include_communities=True),
            **params(gap_share, gap_min),
            "level": level,
            "code": None,
            "all_peers": False,
            "period": period,
            "first": periods.shift(period, 1 - quarters),
        },
    )
