"""Rebuild the ``rollup`` table from village values (run inside every publish).

For each region above the village (township … province, and country when present), period with
data, indicator (and ``index``) and communities variant (false: 村 only; true: 村 and 社区):
villages counted, reported count and share, mean, median, p90 and total of the reporting
villages' values (total is NULL for the index) and ``over_target_share`` (see
:mod:`metrics.values`). Percentiles are always computed from village values, never averaged.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb

from metrics import compliance, index, schema, selection, sql, values

# Every village (with its kind) and each of its ancestors.
MEMBERS: sql.Cte = (
    "members",
    """
    WITH RECURSIVE up(village_code, kind, code) AS (
        SELECT code, kind, parent_code FROM region
        WHERE level = 'village' AND parent_code IS NOT NULL
        UNION ALL
        SELECT up.village_code, up.kind, r.parent_code FROM up JOIN region r ON r.code = up.code
        WHERE r.parent_code IS NOT NULL
    )
    SELECT up.village_code, up.kind = $village_kind AS village, up.code, r.level
    FROM up JOIN region r ON r.code = up.code
    """,
)

# Both variants in one pass: ``_v`` over villages (村) only, ``_a`` over all (村 and 社区).
AGGREGATES: sql.Cte = (
    "aggregates",
    """
    SELECT m.code, v.period, v.indicator,
           count(*) FILTER (WHERE m.village) AS reported_v, count(*) AS reported_a,
           avg(v.value) FILTER (WHERE m.village) AS mean_v, avg(v.value) AS mean_a,
           quantile_cont(v.value, [0.5, 0.9]) FILTER (WHERE m.village) AS q_v,
           quantile_cont(v.value, [0.5, 0.9]) AS q_a,
           sum(v.value) FILTER (WHERE m.village) AS total_v, sum(v.value) AS total_a,
           avg(v.broken::DOUBLE) FILTER (WHERE m.village) AS over_v,
           avg(v.broken::DOUBLE) AS over_a
    FROM vvalues v JOIN members m ON m.village_code = v.village_code
    GROUP BY ALL
    """,
)

COUNTS: sql.Cte = (
    "counts",
    """
    SELECT code, level, c.communities,
           CASE WHEN c.communities THEN count(*) ELSE count(*) FILTER (WHERE village) END
               AS villages
    FROM members CROSS JOIN (VALUES (false), (true)) c(communities)
    GROUP BY code, level, c.communities
    """,
)

_ROWS = """
SELECT p.period, n.level, n.code, k.code, n.communities, n.villages,
       COALESCE(CASE WHEN n.communities THEN a.reported_a ELSE a.reported_v END, 0) AS reported,
       CASE WHEN n.communities THEN a.mean_a ELSE a.mean_v END,
       CASE WHEN n.communities THEN a.q_a ELSE a.q_v END[1],
       CASE WHEN n.communities THEN a.q_a ELSE a.q_v END[2],
       CASE WHEN k.code <> $index_code
            THEN CASE WHEN n.communities THEN a.total_a ELSE a.total_v END END,
       reported / n.villages,
       CASE WHEN n.communities THEN a.over_a ELSE a.over_v END
FROM counts n
CROSS JOIN sel_periods p
CROSS JOIN (SELECT code FROM indicator UNION ALL SELECT $index_code) k
LEFT JOIN aggregates a ON a.code = n.code AND a.period = p.period AND a.indicator = k.code
WHERE n.villages > 0
ORDER BY n.level, k.code, n.communities, n.code, p.period  -- clustered for listing scans
"""


def rebuild(
    con: duckdb.DuckDBPyConnection,
    weights: Mapping[str, float] | None = None,
    certificates_max: float | None = None,
) -> int:
    """Reseed weights and thresholds from configuration, then recompute ``rollup``.

    Runs on a read-write connection inside the caller's transaction (the publish step).

    Parameters
    ----------
    con
        Read-write connection to the database being published.
    weights
        Index weights by indicator code; default: configured (``settings.weights()``), equal.
    certificates_max
        Certificate types allowed per quarter; default: the ``certificates_max`` setting.

    Returns
    -------
    int
        Number of roll-up rows written.

    """
    schema.seed_registry(con, index.weights(weights))
    con.executemany(
        "UPDATE target SET threshold = ? WHERE code = ?",
        [[v, k] for k, v in compliance.thresholds(certificates_max).items()],
    )
    con.execute("DELETE FROM rollup")
    ctes = [
        selection.ALL_VILLAGES,
        ("sel_periods", "SELECT DISTINCT period FROM observation"),
        *index.OBSERVED,
        *values.CTES,
        MEMBERS,
        AGGREGATES,
        COUNTS,
    ]
    rows = sql.with_ctes(ctes, _ROWS)
    con.execute("INSERT INTO rollup " + rows, sql.bind(rows, {}))
    return con.execute("SELECT count(*) FROM rollup").fetchone()[0]
