"""The listing engine behind the public queries: regions of one level with their values.

Regions above the village read the pre-computed ``rollup`` table, villages the
``village_value`` table the roll-ups are computed from (:mod:`metrics.values`); both hold the
progress columns (:mod:`metrics.progress`). The peer ranks (:mod:`metrics.peers`) are computed
among the listed regions. Callers validate level, period, indicator and scope first (see
:mod:`metrics.queries`).
"""

from __future__ import annotations

import pandas as pd

from metrics import peers, selection, sql
from metrics.scope import Scope

SELECTED: sql.Cte = (
    "sel",
    """
    SELECT code, name, level, parent_code, kind, area_type, area_group, visible FROM seen
    WHERE level = $level AND in_parent AND (visible OR $all_peers)
      AND ($code::VARCHAR IS NULL OR code = $code::VARCHAR)
    """,
)

# vals(code, period, statistics…, progress…): every region of ``$level`` in every period (joined
# with ``sel``: DuckDB then reads only their rows).
FROM_ROLLUP: sql.Cte = (
    "vals",
    """
    SELECT code, period, mean, median, p90, total, villages, reported, reported_share,
           over_target_share, baseline_value, change_vs_baseline, change_vs_baseline_pct,
           year_ago_value, change_vs_year_ago, change_vs_year_ago_pct, rebound
    FROM rollup
    WHERE level = $level AND indicator = $indicator AND communities = $communities
    """,
)

# A village's own value stands for every statistic; every period, reported or not.
FROM_VILLAGES: sql.Cte = (
    "vals",
    """
    SELECT village_code AS code, period, value AS mean, value AS median, value AS p90,
           CASE WHEN $indicator <> $index_code THEN value END AS total,
           1 AS villages, CAST(value IS NOT NULL AS INTEGER) AS reported,
           CAST(value IS NOT NULL AS DOUBLE) AS reported_share,
           CAST(over_target AS DOUBLE) AS over_target_share, baseline_value,
           change_vs_baseline, change_vs_baseline_pct, year_ago_value, change_vs_year_ago,
           change_vs_year_ago_pct, rebound
    FROM village_value WHERE indicator = $indicator
    """,
)

LISTED: sql.Cte = (
    "listed",
    """
    SELECT s.code, s.name, s.level, s.parent_code, s.visible, s.area_group,
           $period::VARCHAR AS period, $indicator::VARCHAR AS indicator,
           v.* EXCLUDE (code, period) REPLACE (COALESCE(v.villages, 0) AS villages,
                                               COALESCE(v.reported, 0) AS reported,
                                               COALESCE(v.rebound, false) AS rebound)
    FROM sel s LEFT JOIN vals v ON v.code = s.code AND v.period = $period
    """,
)

_SERIES = "SELECT v.* EXCLUDE (code) FROM sel s JOIN vals v ON v.code = s.code ORDER BY v.period"


def values_of(level: str) -> sql.Cte:
    """``vals`` for regions of ``level``: :data:`FROM_VILLAGES` or :data:`FROM_ROLLUP`."""
    return FROM_VILLAGES if level == "village" else FROM_ROLLUP


def _ctes(level: str) -> list[sql.Cte]:
    """Selection and stored values with progress (roll-up or village) for regions of ``level``."""
    return [selection.SEEN, SELECTED, values_of(level)]


def _params(level: str, scope: Scope, parent: str | None, communities: bool, **more: object):
    return {
        **selection.params(scope, parent, communities),
        "level": level,
        "code": None,
        "all_peers": False,
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
    listed = sql.run(
        db,
        [*_ctes(level), LISTED],
        "SELECT * FROM listed ORDER BY mean DESC NULLS LAST, code",  # heaviest first
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
    return peers.ranked(listed)


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
