"""Rebuild the derived tables from the regions and observations (run inside every publish).

First ``region_tree`` (:data:`metrics.hierarchy.TREE`). Then the village results:
``village_target`` (every target's status, see :mod:`metrics.compliance`) and ``village_value``
(values, index and whether over target, see :mod:`metrics.values`, for every quarter). Then, from
them, for each region above the village (township … province, and country when present), period
with data and communities variant (false: 村 only; true: 村 and 社区): ``rollup`` per indicator
(and ``index``) — villages counted, reported count and share, mean, median, p90 and total of the
reporting villages' values (total is NULL for the index) and ``over_target_share`` — and
``rollup_target`` per target — villages meeting, breaking and not judged on it. Percentiles are
always computed from village values, never averaged. ``village_value`` and ``rollup`` rows carry
their progress (:mod:`metrics.progress`, of the value and of the mean).

An import rebuilds only the quarters it can change (:func:`rebuild` with ``touched``): a quarter's
rows depend on its own observations and items, on the three quarters before it (the four-quarter
target sum), on the four before it (previous quarter, year-on-year) and, from the baseline on, on
every quarter since the baseline (the low point a rebound is judged against). So a change at
quarter *p* rebuilds *p* … *p* + 4 if *p* is before the baseline, else *p* to the last quarter;
steps read the kept quarters' stored values for the progress series. Everything is rebuilt when
the baseline quarter, the first quarter, the weights or the targets change (``meta``
``rollup_inputs`` records what the tables were built with) or the regions change (callers).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

import duckdb

from metrics import (
    compliance,
    hierarchy,
    index,
    periods,
    progress,
    schema,
    selection,
    sql,
    values,
)

# Every village (with its kind) and each of its ancestors.
MEMBERS: sql.Cte = (
    "members",
    """
    SELECT v.code AS village_code, r.kind = $village_kind AS village, a.code, a.level
    FROM (SELECT code, unnest(lineage[2:]) AS ancestor FROM region_tree
          WHERE level = 'village') v
    JOIN region r ON r.code = v.code JOIN region_tree a ON a.code = v.ancestor
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
           avg(v.over_target::DOUBLE) FILTER (WHERE m.village) AS over_v,
           avg(v.over_target::DOUBLE) AS over_a
    FROM village_value v JOIN members m ON m.village_code = v.village_code
    WHERE v.value IS NOT NULL AND v.period IN (SELECT period FROM sel_periods)
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

INDICATORS: sql.Cte = ("indicators", "SELECT code FROM indicator UNION ALL SELECT $index_code")

ROLLED: sql.Cte = (
    "rolled",
    """
    SELECT p.period, n.level, n.code, k.code AS indicator, n.communities, n.villages,
           COALESCE(CASE WHEN n.communities THEN a.reported_a ELSE a.reported_v END, 0)
               AS reported,
           CASE WHEN n.communities THEN a.mean_a ELSE a.mean_v END AS mean,
           CASE WHEN n.communities THEN a.q_a ELSE a.q_v END[1] AS median,
           CASE WHEN n.communities THEN a.q_a ELSE a.q_v END[2] AS p90,
           CASE WHEN k.code <> $index_code
                THEN CASE WHEN n.communities THEN a.total_a ELSE a.total_v END END AS total,
           reported / n.villages AS reported_share,
           CASE WHEN n.communities THEN a.over_a ELSE a.over_v END AS over_target_share
    FROM counts n
    CROSS JOIN sel_periods p
    CROSS JOIN indicators k
    LEFT JOIN aggregates a ON a.code = n.code AND a.period = p.period AND a.indicator = k.code
    WHERE n.villages > 0
    """,
)

# The series of :mod:`metrics.progress`, keyed by the rest of each table's key (a struct): the
# regions' means, every village's value — computed for the quarters being rebuilt, as stored for
# the others (the table holds only those when the step runs; ``village_value`` has a row for
# every village, quarter and indicator, ``rollup`` only for quarters with data).
_ROLLED_SERIES: sql.Cte = (
    "series",
    """
    SELECT {'code': n.code, 'indicator': n.indicator, 'communities': n.communities} AS code,
           q.period, r.mean AS value
    FROM (SELECT DISTINCT code, indicator, communities FROM rolled) n CROSS JOIN quarters q
    LEFT JOIN (SELECT code, indicator, communities, period, mean FROM rolled
               UNION ALL
               SELECT code, indicator, communities, period, mean FROM rollup) r
         ON r.code = n.code AND r.indicator = n.indicator AND r.communities = n.communities
         AND r.period = q.period
    """,
)
_VILLAGE_SERIES: sql.Cte = (
    "series",
    """
    SELECT {'village_code': v.code, 'indicator': k.code} AS code, p.period, x.value, x.broken
    FROM sel_villages v CROSS JOIN sel_periods p CROSS JOIN indicators k
    LEFT JOIN vvalues x ON x.village_code = v.code AND x.period = p.period
         AND x.indicator = k.code
    UNION ALL
    SELECT {'village_code': village_code, 'indicator': indicator}, period, value, over_target
    FROM village_value
    """,
)

# Each region's children: the regions at its child level below it.
CHILDREN: sql.Cte = (
    "children",
    """
    SELECT a.code AS parent, d.code
    FROM (SELECT code, level, unnest(lineage[2:]) AS ancestor FROM region_tree) d
    JOIN region_tree a ON a.code = d.ancestor AND a.child_level = d.level
    """,
)

# The children with the highest and lowest mean (a village's: its value; 社区 only in the
# communities variant) per region, period, indicator and variant, as ``queries.kpis`` shows them.
EXTREMES: sql.Cte = (
    "extremes",
    """
    SELECT parent AS code, period, indicator, communities,
           first(code ORDER BY mean DESC, code) AS heaviest_child,
           max(mean) AS heaviest_child_mean,
           first(code ORDER BY mean, code DESC) AS lightest_child,
           min(mean) AS lightest_child_mean
    FROM (SELECT c.parent, r.period, r.indicator, r.communities, r.code, r.mean
          FROM children c JOIN rolled r ON r.code = c.code
          UNION ALL
          SELECT c.parent, v.period, v.indicator, k.communities, c.code, v.value
          FROM children c JOIN village_value v ON v.village_code = c.code
          JOIN region g ON g.code = c.code
          JOIN (VALUES (false), (true)) k(communities) ON k.communities OR g.kind = $village_kind
          WHERE v.period IN (SELECT period FROM sel_periods))
    WHERE mean IS NOT NULL
    GROUP BY ALL
    """,
)

# Every village's status under each of its ancestors, in both communities variants.
STATUSES: sql.Cte = (
    "statuses",
    """
    SELECT t.period, m.level, m.code, t.target, c.communities, t.status
    FROM village_target t JOIN members m ON m.village_code = t.village_code
    JOIN (VALUES (false), (true)) c(communities) ON c.communities OR m.village
    WHERE t.period IN (SELECT period FROM sel_periods)
    """,
)

# The quarters being rebuilt (``$periods``), and those of them with data.
_REBUILT: sql.Cte = (
    "sel_periods",
    "SELECT period FROM quarters WHERE list_contains($periods, period)",
)
_REBUILT_WITH_DATA: sql.Cte = (
    "sel_periods",
    "SELECT DISTINCT period FROM observation WHERE list_contains($periods, period)",
)
# The observations of the quarters being rebuilt (``selection.OBS`` has every quarter).
_REBUILT_OBS: sql.Cte = (
    "obs",
    "SELECT village_code, period, indicator, value FROM observation "
    "WHERE village_code IN (SELECT code FROM sel_villages) "
    "AND period IN (SELECT period FROM sel_periods)",
)
_TIMELINE = (periods.QUARTERS, periods.BASELINE)

# (table, CTEs, SELECT) in order: each step reads the tables the earlier ones wrote. Each table is
# sorted for the scans of its readers (zone maps skip the rest): village values by indicator and
# period (listings), target statuses by village (a village's card), roll-ups by level. Every step
# but the first writes the quarters in ``$periods`` only.
_STEPS: tuple[tuple[str, tuple[sql.Cte, ...], str], ...] = (
    (
        "region_tree",
        (("sel", "SELECT code FROM region"), hierarchy.AREA_GROUPS, hierarchy.TREE),
        "SELECT * FROM tree ORDER BY code",
    ),
    (
        "village_target",
        (selection.ALL_VILLAGES, *_TIMELINE, _REBUILT, selection.OBS, *compliance.CTES),
        "SELECT village_code, period, target, checked, status FROM status ORDER BY ALL",
    ),
    (
        "village_value",
        (
            selection.ALL_VILLAGES,
            *_TIMELINE,
            _REBUILT,
            *index.OBSERVED,
            _REBUILT_OBS,
            *values.CTES,
            INDICATORS,
            _VILLAGE_SERIES,
            progress.PROGRESS,
        ),
        """
        SELECT s.code.village_code AS village_code, s.period, s.code.indicator AS indicator,
               s.value, s.broken, p.* EXCLUDE (code, period)
        FROM series s JOIN progress p ON p.code = s.code AND p.period = s.period
        WHERE s.period IN (SELECT period FROM sel_periods)
        ORDER BY indicator, period, village_code
        """,
    ),
    (
        "rollup",
        (
            *_TIMELINE,
            _REBUILT_WITH_DATA,
            MEMBERS,
            AGGREGATES,
            COUNTS,
            INDICATORS,
            ROLLED,
            _ROLLED_SERIES,
            progress.PROGRESS,
            CHILDREN,
            EXTREMES,
        ),
        """
        SELECT r.*, p.* EXCLUDE (code, period), e.* EXCLUDE (code, period, indicator, communities)
        FROM rolled r JOIN progress p ON p.period = r.period
             AND p.code = {'code': r.code, 'indicator': r.indicator, 'communities': r.communities}
        LEFT JOIN extremes e ON e.code = r.code AND e.period = r.period
             AND e.indicator = r.indicator AND e.communities = r.communities
        ORDER BY r.level, r.indicator, r.communities, r.code, r.period
        """,
    ),
    (
        "rollup_target",
        (periods.QUARTERS, _REBUILT, MEMBERS, STATUSES, compliance.TALLIED),
        "SELECT * FROM tallied ORDER BY level, code, communities, period, target",
    ),
)
DERIVED: tuple[str, ...] = tuple(table for table, _, _ in _STEPS)
INPUTS_KEY = "rollup_inputs"  # meta entry: what the derived tables were built with

# What every derived row depends on besides its quarters' data: a change rebuilds everything.
_INPUTS = sql.with_ctes(
    [periods.BASELINE],
    """
    SELECT to_json({'baseline': (SELECT period FROM baseline),
                    'first': (SELECT min(period) FROM observation),
                    'weights': (SELECT list([code, weight::VARCHAR] ORDER BY code) FROM indicator),
                    'targets': (SELECT list([code, indicator, kind, threshold::VARCHAR]
                                            ORDER BY code) FROM target)})::VARCHAR
    """,
)


def rebuild(
    con: duckdb.DuckDBPyConnection,
    weights: Mapping[str, float] | None = None,
    certificates_max: float | None = None,
    *,
    touched: Iterable[str] | None = None,
) -> int:
    """Reseed weights and thresholds from configuration, then recompute the derived tables.

    Runs on a read-write connection inside the caller's transaction (the publish step). With
    ``touched``, only the quarters a change of those quarters' data can alter are recomputed
    (see the module's docstring), unless something every row depends on changed too.

    Parameters
    ----------
    con
        Read-write connection to the database being published.
    weights
        Index weights by indicator code; default: configured (``settings.weights()``), equal.
    certificates_max
        Certificate types allowed per quarter; default: the ``certificates_max`` setting.
    touched
        Quarters whose observations or item assignments changed since the derived tables were
        last built (empty: none); ``None`` (default): rebuild everything. Regions must not have
        changed.

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
    inputs = con.execute(_INPUTS).fetchall()[0][0]
    rebuilt = None if touched is None else _rebuilt(con, set(touched), inputs)
    full = rebuilt is None
    if full:
        every = sql.with_ctes([periods.QUARTERS], "SELECT list(period) FROM quarters")
        rebuilt, where = con.execute(every).fetchall()[0][0] or [], ""
    else:  # also drop the quarters after the last with data (a rollback of the last quarter)
        where = (
            " WHERE list_contains($periods, period)"
            " OR period > (SELECT max(period) FROM observation)"
        )
    steps = [step for step in _STEPS if full or step[0] != "region_tree"]
    for table, _, _ in steps:
        statement = f"DELETE FROM {table}" + where  # noqa: S608 (this module's table names)
        con.execute(statement, sql.bind(statement, {"periods": rebuilt}))
    for table, ctes, body in steps if full or rebuilt else ():
        rows = sql.with_ctes(ctes, body)
        con.execute(
            f"INSERT INTO {table} " + rows, sql.bind(rows, {**progress.PARAMS, "periods": rebuilt})
        )
    schema.set_meta(con, INPUTS_KEY, inputs)
    return con.execute("SELECT count(*) FROM rollup").fetchone()[0]


def _rebuilt(con: duckdb.DuckDBPyConnection, touched: set[str], inputs: str) -> list[str] | None:
    """The quarters to rebuild after the data of ``touched`` changed; ``None``: every table."""
    stored = con.execute("SELECT value FROM meta WHERE key = ?", [INPUTS_KEY]).fetchall()
    built, last = con.execute(
        "SELECT (SELECT max(period) FROM village_value), (SELECT max(period) FROM observation)"
    ).fetchall()[0]
    baseline, first = (json.loads(inputs)[k] for k in ("baseline", "first"))
    if stored != [(inputs,)] or None in (built, first, baseline) or baseline in touched:
        return None
    q = periods.quarter
    out = set(range(q(built) + 1, q(last) + 1))  # quarters that are new since the last build
    for period in touched:
        end = q(last) if q(period) > q(baseline) else q(period) + 4
        out.update(range(max(q(period), q(first)), min(end, q(last)) + 1))
    return sorted(periods.from_quarter(n) for n in out)
