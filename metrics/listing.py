"""The listing engine behind the public queries: regions of one level with their values.

Regions above the village read the pre-computed ``rollup`` table; villages are computed from
their observations with the fragments the rebuild uses (:mod:`metrics.values`). Both feed the
progress columns (:mod:`metrics.progress`) and the peer ranks (:mod:`metrics.peers`), all in one
statement. Callers validate level, period, indicator and scope first (see
:mod:`metrics.queries`).
"""

from __future__ import annotations

import pandas as pd

from metrics import hierarchy, index, peers, periods, progress, selection, sql, values
from metrics.scope import Scope

SELECTED: sql.Cte = (
    "sel",
    """
    SELECT code, name, level, parent_code, kind, area_type, visible FROM seen
    WHERE level = $level AND in_parent AND (visible OR $all_peers)
      AND ($code::VARCHAR IS NULL OR code = $code::VARCHAR)
    """,
)

FROM_ROLLUP: sql.Cte = (
    "vals",
    """
    SELECT code, period, mean, median, p90, total, villages, reported, reported_share,
           over_target_share
    FROM rollup
    WHERE level = $level AND indicator = $indicator AND communities = $communities
      AND code IN (SELECT code FROM sel)
    """,
)

# A village's own value stands for every statistic; every period, reported or not.
FROM_VILLAGES: sql.Cte = (
    "vals",
    """
    SELECT s.code, q.period, v.value AS mean, v.value AS median, v.value AS p90,
           CASE WHEN $indicator <> $index_code THEN v.value END AS total,
           1 AS villages, CAST(v.value IS NOT NULL AS INTEGER) AS reported,
           CAST(v.value IS NOT NULL AS DOUBLE) AS reported_share,
           CAST(v.broken AS DOUBLE) AS over_target_share
    FROM sel s CROSS JOIN quarters q
    LEFT JOIN vvalues v ON v.village_code = s.code AND v.period = q.period
         AND v.indicator = $indicator
    """,
)

# Every quarter for each selected region (value NULL where none), as :mod:`progress` needs.
SERIES: sql.Cte = (
    "series",
    """
    SELECT s.code, q.period, v.mean AS value
    FROM sel s CROSS JOIN quarters q LEFT JOIN vals v ON v.code = s.code AND v.period = q.period
    """,
)

LISTED: sql.Cte = (
    "listed",
    """
    SELECT s.code, s.name, s.level, s.parent_code, s.visible, g.area_group,
           $period::VARCHAR AS period, $indicator::VARCHAR AS indicator,
           v.mean, v.median, v.p90, v.total, COALESCE(v.villages, 0) AS villages,
           COALESCE(v.reported, 0) AS reported, v.reported_share, v.over_target_share,
           p.* EXCLUDE (code, period)
    FROM sel s
    JOIN area_groups g ON g.code = s.code
    LEFT JOIN vals v ON v.code = s.code AND v.period = $period
    LEFT JOIN progress p ON p.code = s.code AND p.period = $period
    """,
)

_LISTING = "SELECT * FROM ranked ORDER BY rank_all NULLS LAST, code"
_SERIES = """
SELECT v.period, v.* EXCLUDE (code, period), p.* EXCLUDE (code, period)
FROM vals v JOIN progress p ON p.code = v.code AND p.period = v.period
ORDER BY v.period
"""


def _ctes(level: str) -> list[sql.Cte]:
    """Selection, values (roll-up or village) and progress for regions of ``level``."""
    ctes = [hierarchy.BELOW, selection.SEEN, SELECTED, periods.QUARTERS, periods.BASELINE]
    if level == "village":
        ctes += [
            ("sel_villages", "SELECT code, kind FROM sel"),
            selection.PERIODS,
            *index.STORED,
            *values.CTES,
            FROM_VILLAGES,
        ]
    else:
        ctes.append(FROM_ROLLUP)
    return [*ctes, SERIES, progress.PROGRESS]


def _params(level: str, scope: Scope, parent: str | None, communities: bool, **more: object):
    return {
        **selection.params(scope, parent, communities),
        "level": level,
        "code": None,
        "all_peers": False,
        **progress.PARAMS,
        **peers.PARAMS,
        **more,
    }


def listing(
    db: sql.Queryable,
    level: str,
    scope: Scope,
    *,
    period: str,
    indicator: str,
    parent: str | None = None,
    code: str | None = None,
    include_communities: bool = False,
    all_peers: bool = False,
) -> pd.DataFrame:
    """Regions of ``level`` (below ``parent``, or just ``code``) in ``period``, heaviest first.

    Columns: identity (``code, name, level, parent_code, visible, area_group``), ``period``,
    ``indicator``, the statistics (``mean, median, p90, total, villages, reported,
    reported_share, over_target_share``), progress (``baseline_value,
    change_vs_baseline[_pct], year_ago_value, change_vs_year_ago[_pct], rebound``) and ranks
    among the listed regions, overall (``rank_all, percentile_all, peers_all``) and in the
    area-type group (``peer_group`` NULL when the group is too small; ``rank_in_group,
    percentile_in_group, peers_in_group`` then equal the overall ones). With ``all_peers``
    regions outside the scope are listed (and ranked) too, with ``visible`` false.
    """
    return sql.run(
        db,
        [*_ctes(level), hierarchy.AREA_GROUPS, LISTED, *peers.CTES],
        _LISTING,
        _params(
            level,
            scope,
            parent,
            include_communities,
            period=period,
            indicator=indicator,
            code=code,
            all_peers=all_peers,
        ),
    )


def series(
    db: sql.Queryable,
    level: str,
    code: str,
    indicator: str,
    scope: Scope,
    include_communities: bool = False,
) -> pd.DataFrame:
    """Every period of one region (or village), oldest first, with statistics and progress."""
    return sql.run(
        db,
        _ctes(level),
        _SERIES,
        _params(level, scope, None, include_communities, indicator=indicator, code=code),
    )
