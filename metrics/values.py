"""Per village, period and indicator (incl. ``index``): the value and whether it is over target.

The reported values of the ``village_value`` table (which adds the quarters without a report
and the progress), computed by the roll-up rebuild from the observations and ``village_target``;
roll-ups and village listings read that table, so both use the same values.
``broken`` is true when the village breaks a value-checkable target of the indicator
(``max_value``, ``max_trailing4``), false when such a target could be judged and none is broken,
NULL when none could be judged; for ``index`` it covers every target, item targets included.
"""

from __future__ import annotations

from metrics import index, sql

BROKEN: sql.Cte = (
    "broken",
    """
    SELECT v.village_code, v.period, t.indicator, bool_or(v.status = 'broken') AS broken
    FROM village_target v JOIN target t ON t.code = v.target
    WHERE v.status <> 'unknown' AND t.kind <> 'no_offlist_items'
      AND v.period IN (SELECT period FROM sel_periods)
    GROUP BY ALL
    UNION ALL
    SELECT village_code, period, $index_code, bool_or(status = 'broken')
    FROM village_target
    WHERE status <> 'unknown' AND period IN (SELECT period FROM sel_periods)
    GROUP BY ALL
    """,
)

# vvalues(village_code, period, indicator, value, broken): reported values only.
VVALUES: sql.Cte = (
    "vvalues",
    """
    SELECT v.village_code, v.period, v.indicator, v.value, b.broken
    FROM (SELECT village_code, period, indicator, value::DOUBLE AS value FROM obs
          UNION ALL
          SELECT village_code, period, $index_code, value FROM vindex) v
    LEFT JOIN broken b ON b.village_code = v.village_code AND b.period = v.period
         AND b.indicator = v.indicator
    """,
)

# After ``obs`` (e.g. ``selection.OBS``), ``sel_periods`` and the yardstick's source
# (``index.OBSERVED`` or ``index.STORED``): everything up to ``vvalues``.
CTES: tuple[sql.Cte, ...] = (*index.CTES, BROKEN, VVALUES)
