"""Progress over time: change against the baseline and a year earlier, and rebound (反弹).

A fragment over a caller-defined ``series(key, period, value, …)`` CTE that holds *every*
quarter of :data:`metrics.periods.QUARTERS` for each key (any type, e.g. a struct; value NULL
where there is none), after :data:`metrics.periods.BASELINE`. Its rows come out with every
column of the series (they travel through, so callers need no join back) and the progress
columns. The roll-up rebuild stores them in ``rollup`` and ``village_value``. A rebound is
flagged in period *t* when the value rose in *t − 1* and again in *t* after having fallen at
least :data:`REBOUND_DROP` below the baseline value at some period from the baseline to *t − 2*.
"""

from __future__ import annotations

from metrics import sql

REBOUND_DROP = 0.2
PARAMS = {"rebound_drop": REBOUND_DROP}

# One window specification (the series is complete, so rows are consecutive quarters).
PROGRESS: sql.Cte = (
    "progress",
    """
    SELECT * EXCLUDE (previous, before_previous, low),
           value - baseline_value AS change_vs_baseline,
           100 * (value - baseline_value) / NULLIF(baseline_value, 0) AS change_vs_baseline_pct,
           value - year_ago_value AS change_vs_year_ago,
           100 * (value - year_ago_value) / NULLIF(year_ago_value, 0) AS change_vs_year_ago_pct,
           COALESCE(value > previous AND previous > before_previous
                    AND low <= (1 - $rebound_drop) * baseline_value, false) AS rebound
    FROM (
        SELECT s.*,
               max(CASE WHEN s.period = b.period THEN s.value END) OVER (
                   w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS baseline_value,
               lag(s.value, 4) OVER w AS year_ago_value,
               lag(s.value, 1) OVER w AS previous,
               lag(s.value, 2) OVER w AS before_previous,
               min(CASE WHEN s.period >= b.period THEN s.value END) OVER (
                   w ROWS BETWEEN UNBOUNDED PRECEDING AND 2 PRECEDING) AS low
        FROM series s CROSS JOIN baseline b
        WINDOW w AS (PARTITION BY s.key ORDER BY s.period)
    )
    """,
)
