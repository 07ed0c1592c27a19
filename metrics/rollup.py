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

Each step's memory stays bounded and its time grows linearly with the villages (a national
deployment has ~660,000): ``village_target`` is written in ranges of villages, ``village_value``
a few indicators at a time (:data:`CHUNK_VALUES`), ``rollup`` one level at a time from the
bottom up (a level's children are then already in the table) and a few indicators at a time,
and ``rollup_target`` adds up the counts of each village's parent over the parent's lineage
instead of tallying every village under every ancestor.

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
    registry,
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

# The temporary tables of a rebuild (dropped at its end): ``rollup_members`` — MEMBERS with
# ``mixed``, whether the ancestor has any community (社区) below it (else its all-villages
# variant equals its villages-only one) — and ``rollup_children``, each region's children (the
# regions at its child level below it) with the levels of both.
_TEMP_TABLES: tuple[tuple[str, tuple[sql.Cte, ...], str], ...] = (
    (
        "rollup_members",
        (MEMBERS,),
        """
        SELECT *, NOT bool_and(village) OVER (PARTITION BY code) AS mixed FROM members
        ORDER BY level, village_code
        """,
    ),
    (
        "rollup_children",
        (),
        """
        SELECT a.code AS parent, a.level AS parent_level, d.code, d.level
        FROM (SELECT code, level, unnest(lineage[2:]) AS ancestor FROM region_tree) d
        JOIN region_tree a ON a.code = d.ancestor AND a.child_level = d.level
        ORDER BY parent_level, parent
        """,
    ),
)

# The roll-up of one level (``$level``) and a few indicators (``$indicators``) at a time:
# memory stays bounded by a few indicators' village values, time grows linearly with villages.

# Both variants in one pass: ``_v`` over villages (村) only, ``_a`` over all (村 and 社区); the
# percentiles of all are computed only where they can differ (``mixed``).
AGGREGATES: sql.Cte = (
    "aggregates",
    """
    SELECT m.code, v.period, v.indicator, bool_or(m.mixed) AS mixed,
           count(*) FILTER (WHERE m.village) AS reported_v, count(*) AS reported_a,
           avg(v.value) FILTER (WHERE m.village) AS mean_v, avg(v.value) AS mean_a,
           quantile_cont(v.value, [0.5, 0.9]) FILTER (WHERE m.village) AS q_v,
           quantile_cont(v.value, [0.5, 0.9]) FILTER (WHERE m.mixed) AS q_mixed,
           sum(v.value) FILTER (WHERE m.village) AS total_v, sum(v.value) AS total_a,
           avg(v.over_target::DOUBLE) FILTER (WHERE m.village) AS over_v,
           avg(v.over_target::DOUBLE) AS over_a
    FROM village_value v JOIN rollup_members m ON m.village_code = v.village_code
    WHERE m.level = $level AND list_contains($indicators, v.indicator) AND v.value IS NOT NULL
      AND v.period IN (SELECT period FROM sel_periods)
    GROUP BY m.code, v.period, v.indicator
    """,
)

COUNTS: sql.Cte = (
    "counts",
    """
    SELECT code, level, c.communities,
           CASE WHEN c.communities THEN count(*) ELSE count(*) FILTER (WHERE village) END
               AS villages
    FROM rollup_members CROSS JOIN (VALUES (false), (true)) c(communities)
    WHERE level = $level
    GROUP BY code, level, c.communities
    """,
)

ROLLED: sql.Cte = (
    "rolled",
    """
    SELECT p.period, n.level, n.code, k.indicator, n.communities, n.villages,
           COALESCE(CASE WHEN n.communities THEN a.reported_a ELSE a.reported_v END, 0)
               AS reported,
           CASE WHEN n.communities THEN a.mean_a ELSE a.mean_v END AS mean,
           CASE WHEN n.communities AND a.mixed THEN a.q_mixed ELSE a.q_v END[1] AS median,
           CASE WHEN n.communities AND a.mixed THEN a.q_mixed ELSE a.q_v END[2] AS p90,
           CASE WHEN k.indicator <> $index_code
                THEN CASE WHEN n.communities THEN a.total_a ELSE a.total_v END END AS total,
           reported / n.villages AS reported_share,
           CASE WHEN n.communities THEN a.over_a ELSE a.over_v END AS over_target_share
    FROM counts n
    CROSS JOIN sel_periods p
    CROSS JOIN (SELECT unnest($indicators) AS indicator) k
    LEFT JOIN aggregates a ON a.code = n.code AND a.period = p.period
         AND a.indicator = k.indicator
    WHERE n.villages > 0
    """,
)

# The series of :mod:`metrics.progress`, keyed by region and variant: the means of the rows
# being rebuilt (with all their columns) and, for the other quarters, as stored (the table
# holds only those of this level and these indicators when the step runs; ``rollup`` has rows only
# for quarters with data).
_ROLLED_SERIES: sql.Cte = (
    "series",
    """
    SELECT {'code': n.code, 'indicator': n.indicator, 'communities': n.communities} AS key,
           q.period, r.mean AS value, r.* EXCLUDE (period)
    FROM (SELECT DISTINCT code, indicator, communities FROM rolled) n CROSS JOIN quarters q
    LEFT JOIN (SELECT * FROM rolled
               UNION ALL BY NAME
               SELECT period, level, code, indicator, communities, villages, reported, mean,
                      median, p90, total, reported_share, over_target_share
               FROM rollup WHERE level = $level AND list_contains($indicators, indicator)) r
         ON r.code = n.code AND r.indicator = n.indicator AND r.communities = n.communities
         AND r.period = q.period
    """,
)
# … and by village: the values of the quarters being rebuilt, as stored for the others
# (``village_value`` has a row for every village, quarter and indicator).
_VILLAGE_SERIES: sql.Cte = (
    "series",
    """
    SELECT k.indicator || v.code AS key, v.code AS village_code, k.indicator, p.period,
           x.value, x.broken AS over_target
    FROM sel_villages v CROSS JOIN sel_periods p
    CROSS JOIN (SELECT unnest($indicators) AS indicator) k
    LEFT JOIN vvalues x ON x.village_code = v.code AND x.period = p.period
         AND x.indicator = k.indicator
    UNION ALL
    SELECT indicator || village_code, village_code, indicator, period, value, over_target
    FROM village_value WHERE list_contains($indicators, indicator)
    """,
)

# Each region's children (``rollup_children``) of the level being rolled up.
CHILDREN: sql.Cte = (
    "children",
    "SELECT parent, code FROM rollup_children WHERE parent_level = $level",
)

# The children with the highest and lowest mean (a village's: its value; 社区 only in the
# communities variant) per region, period and variant, as ``queries.kpis`` shows them. Levels
# are rolled up from the bottom, so the children's rows are already in ``rollup``.
EXTREMES: sql.Cte = (
    "extremes",
    """
    SELECT parent AS code, period, indicator, communities,
           first(code ORDER BY mean DESC, code) AS heaviest_child,
           max(mean) AS heaviest_child_mean,
           first(code ORDER BY mean, code DESC) AS lightest_child,
           min(mean) AS lightest_child_mean
    FROM (SELECT c.parent, r.period, r.indicator, r.communities, r.code, r.mean
          FROM children c JOIN rollup r ON r.code = c.code
          WHERE list_contains($indicators, r.indicator)
            AND r.period IN (SELECT period FROM sel_periods)
          UNION ALL
          SELECT c.parent, v.period, v.indicator, k.communities, c.code, v.value
          FROM children c JOIN village_value v ON v.village_code = c.code
          JOIN region g ON g.code = c.code
          JOIN (VALUES (false), (true)) k(communities) ON k.communities OR g.kind = $village_kind
          WHERE list_contains($indicators, v.indicator)
            AND v.period IN (SELECT period FROM sel_periods))
    WHERE mean IS NOT NULL
    GROUP BY ALL
    """,
)

# ``rollup_target``: the villages meeting, breaking and not judged on each target, counted
# per region the villages hang under (both variants), then added up over each of its
# ancestors (itself included) — integer counts, so equal to tallying every village under
# every ancestor (:data:`compliance.TALLIED` over each status) at a fraction of the rows.
_PER_PARENT: sql.Cte = (
    "per_parent",
    """
    SELECT r.parent_code AS parent, t.period, t.target, c.communities,
           count(*) AS villages,
           count(*) FILTER (WHERE t.status = 'met') AS met,
           count(*) FILTER (WHERE t.status = 'broken') AS broken,
           count(*) FILTER (WHERE t.status = 'unknown') AS unknown
    FROM village_target t JOIN region r ON r.code = t.village_code
    JOIN (VALUES (false), (true)) c(communities) ON c.communities OR r.kind = $village_kind
    WHERE t.period IN (SELECT period FROM sel_periods)
    GROUP BY ALL
    """,
)
_TALLIED: sql.Cte = (
    "tallied",
    """
    SELECT *, met / villages AS met_share, broken / villages AS broken_share,
           unknown / villages AS unknown_share
    FROM (
        SELECT p.period, a.level, a.code, p.target, p.communities,
               sum(p.villages)::BIGINT AS villages, sum(p.met)::BIGINT AS met,
               sum(p.broken)::BIGINT AS broken, sum(p.unknown)::BIGINT AS unknown
        FROM per_parent p
        JOIN (SELECT code, unnest(lineage) AS ancestor FROM region_tree
              WHERE code IN (SELECT parent FROM per_parent)) u ON u.code = p.parent
        JOIN region_tree a ON a.code = u.ancestor
        GROUP BY p.period, a.level, a.code, p.target, p.communities
    )
    """,
)

# The quarters being rebuilt (``$periods``).
_REBUILT: sql.Cte = (
    "sel_periods",
    "SELECT period FROM quarters WHERE list_contains($periods, period)",
)
# The quarters of ``$periods`` with data (the roll-up's quarters).
_WITH_DATA = (
    "SELECT list(DISTINCT period ORDER BY period) FROM observation "
    "WHERE list_contains($periods, period)"
)
_LEVELS = "SELECT DISTINCT level FROM rollup_members"
# The villages from ``$first`` to ``$last`` (by code): ``village_target`` is written in ranges.
_VILLAGE_RANGE: sql.Cte = (
    "sel_villages",
    "SELECT code, kind FROM region WHERE level = 'village' AND code BETWEEN $first AND $last",
)
_VILLAGE_CODES = "SELECT list(code ORDER BY code) FROM region WHERE level = 'village'"
_QUARTERS = sql.with_ctes([periods.QUARTERS], "SELECT count(*) FROM quarters")
# The observations of the quarters being rebuilt (``selection.OBS`` has every quarter).
_REBUILT_OBS: sql.Cte = (
    "obs",
    "SELECT village_code, period, indicator, value FROM observation "
    "WHERE village_code IN (SELECT code FROM sel_villages) "
    "AND period IN (SELECT period FROM sel_periods)",
)
_TIMELINE = (periods.QUARTERS, periods.BASELINE)

# (table, CTEs, SELECT) of each step, in order: each reads the tables the earlier ones wrote;
# ``village_value`` and ``rollup`` run once per group of indicators (``$indicators``; the index
# on its own) and, for ``rollup``, per level (``$level``). Each table is sorted for the scans of
# its readers (zone maps skip the rest): village values by indicator and period (listings),
# target statuses by village (a village's card), roll-ups by level and indicator. Every step
# but the first writes the quarters in ``$periods`` only.
_STEPS: tuple[tuple[str, tuple[sql.Cte, ...], str], ...] = (
    (
        "region_tree",
        (("sel", "SELECT code FROM region"), hierarchy.AREA_GROUPS, hierarchy.TREE),
        "SELECT * FROM tree ORDER BY code",
    ),
    (
        "village_target",
        (_VILLAGE_RANGE, *_TIMELINE, _REBUILT, selection.OBS, *compliance.CTES),
        """
        SELECT village_code, period, target, checked, status FROM status
        ORDER BY village_code, period, target
        """,
    ),
    (
        "village_value",
        (selection.ALL_VILLAGES, *_TIMELINE, _REBUILT, *index.OBSERVED, _REBUILT_OBS),
        """
        SELECT * EXCLUDE (key)
        FROM progress
        WHERE period IN (SELECT period FROM sel_periods)
        ORDER BY indicator, period, village_code
        """,
    ),
    (
        "rollup",
        (*_TIMELINE, _REBUILT, COUNTS, AGGREGATES, ROLLED, _ROLLED_SERIES, progress.PROGRESS),
        """
        SELECT p.* EXCLUDE (key, value), e.* EXCLUDE (code, period, indicator, communities)
        FROM progress p
        LEFT JOIN extremes e ON e.code = p.code AND e.period = p.period
             AND e.indicator = p.indicator AND e.communities = p.communities
        WHERE p.period IN (SELECT period FROM sel_periods)
        ORDER BY p.indicator, p.communities, p.code, p.period
        """,
    ),
    (
        "rollup_target",
        (periods.QUARTERS, _REBUILT, _PER_PARENT, _TALLIED),
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
    if full or rebuilt:
        _insert_all(con, steps, rebuilt)
    schema.set_meta(con, INPUTS_KEY, inputs)
    return con.execute("SELECT count(*) FROM rollup").fetchone()[0]


def _insert_all(
    con: duckdb.DuckDBPyConnection,
    steps: list[tuple[str, tuple[sql.Cte, ...], str]],
    rebuilt: list[str],
) -> None:
    """Run ``steps`` for the quarters ``rebuilt``, with the rebuild's temporary tables."""
    codes = con.execute(_VILLAGE_CODES).fetchall()[0][0] or []
    # The progress series span every quarter, whichever are rebuilt.
    groups = _indicator_groups(len(codes) * con.execute(_QUARTERS).fetchall()[0][0])
    for table, ctes, body in steps:
        if table == "village_target":  # in ranges of villages, in code order
            size = max(1, CHUNK_VALUES // (max(len(rebuilt), 1) * len(registry.TARGETS)))
            for i in range(0, len(codes), size):
                bounds = {"first": codes[i], "last": codes[min(i + size, len(codes)) - 1]}
                _insert(con, table, ctes, body, {"periods": rebuilt, **bounds})
        elif table == "village_value":
            for group in ([registry.INDEX_CODE], *groups):
                chunk = (*ctes, *values.ctes(group), _VILLAGE_SERIES, progress.PROGRESS)
                _insert(con, table, chunk, body, {"periods": rebuilt, "indicators": group})
        elif table == "rollup":
            # Only the quarters with data have roll-up rows; levels from the bottom up, so
            # that each level's children are in the table (:data:`EXTREMES`).
            with_data = con.execute(_WITH_DATA, {"periods": rebuilt}).fetchall()[0][0] or []
            for name, temp_ctes, temp_body in _TEMP_TABLES:
                rows = sql.with_ctes(temp_ctes, temp_body)
                con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS " + rows, sql.bind(rows, {}))
            present = {r[0] for r in con.execute(_LEVELS).fetchall()}
            try:
                for level in reversed(hierarchy.LEVELS):
                    for group in [*groups, [registry.INDEX_CODE]] if level in present else ():
                        params = {"periods": with_data, "level": level, "indicators": group}
                        _insert(con, table, (*ctes, CHILDREN, EXTREMES), body, params)
            finally:
                for name, _, _ in _TEMP_TABLES:
                    con.execute(f"DROP TABLE IF EXISTS {name}")
        else:
            _insert(con, table, ctes, body, {"periods": rebuilt})


# At most this many village values (villages × quarters × indicators) per statement: bounds
# the memory of the per-indicator steps; a province's fit in one.
CHUNK_VALUES = 12_000_000


def _indicator_groups(per_indicator: int) -> list[list[str]]:
    """The registry's indicators in groups of as many as :data:`CHUNK_VALUES` allows.

    Examples
    --------
    >>> [len(g) for g in _indicator_groups(100)]
    [7]
    >>> [len(g) for g in _indicator_groups(5_000_000)]
    [2, 2, 2, 1]

    """
    size = max(1, CHUNK_VALUES // max(per_indicator, 1))
    codes = sorted(registry.CODES)
    return [codes[i : i + size] for i in range(0, len(codes), size)]


def _insert(
    con: duckdb.DuckDBPyConnection,
    table: str,
    ctes: tuple[sql.Cte, ...],
    body: str,
    params: Mapping[str, object],
) -> None:
    """``INSERT INTO table`` (by column name) the rows of ``body`` after ``ctes``."""
    rows = sql.with_ctes(ctes, body)
    con.execute(
        f"INSERT INTO {table} BY NAME " + rows,
        sql.bind(rows, {**progress.PARAMS, **params}),
    )


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
