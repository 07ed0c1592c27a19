"""Per village, period and indicator (incl. ``index``): the value and whether it is over target.

A few indicators at a time (``$indicators``; the index on its own), so that the rebuild's
memory stays bounded.

The reported values of the ``village_value`` table (which adds the quarters without a report
and the progress), computed by the roll-up rebuild from the observations and ``village_target``;
roll-ups and village listings read that table, so both use the same values.
``broken`` is true when the village breaks a value-checkable target of the indicator
(``max_value``, ``max_trailing4``), false when such a target could be judged and none is broken,
NULL when none could be judged; for ``index`` it covers every target, item targets included.
"""

from __future__ import annotations

from metrics import index, registry, sql

# broken(village_code, period, indicator, broken) of the indicators in ``$indicators``: their
# value-checkable targets; of the index: every target.
BROKEN: sql.Cte = (
    "broken",
    """
    SELECT v.village_code, v.period, t.indicator, bool_or(v.status = 'broken') AS broken
    FROM village_target v JOIN target t ON t.code = v.target
    WHERE v.status <> 'unknown' AND t.kind <> 'no_offlist_items'
      AND list_contains($indicators, t.indicator)
      AND v.period IN (SELECT period FROM sel_periods)
    GROUP BY ALL
    """,
)
INDEX_BROKEN: sql.Cte = (
    "broken",
    """
    SELECT village_code, period, $index_code AS indicator, bool_or(status = 'broken') AS broken
    FROM village_target
    WHERE status <> 'unknown' AND period IN (SELECT period FROM sel_periods)
    GROUP BY ALL
    """,
)

# vvalues(village_code, period, indicator, value, broken): the reported values of the
# indicators in ``$indicators`` only …
VVALUES: sql.Cte = (
    "vvalues",
    """
    SELECT o.village_code, o.period, o.indicator, o.value::DOUBLE AS value, b.broken
    FROM obs o
    LEFT JOIN broken b ON b.village_code = o.village_code AND b.period = o.period
         AND b.indicator = o.indicator
    WHERE list_contains($indicators, o.indicator)
    """,
)
# … or of the index.
INDEX_VVALUES: sql.Cte = (
    "vvalues",
    """
    SELECT x.village_code, x.period, $index_code AS indicator, x.value, b.broken
    FROM vindex x
    LEFT JOIN broken b ON b.village_code = x.village_code AND b.period = x.period
    """,
)

# After ``obs`` (e.g. ``selection.OBS``) and ``sel_periods``: ``vvalues`` of some indicators …
CTES: tuple[sql.Cte, ...] = (BROKEN, VVALUES)
# … or of the index, after the yardstick's source (``index.OBSERVED`` or ``index.STORED``) too.
INDEX_CTES: tuple[sql.Cte, ...] = (*index.CTES, INDEX_BROKEN, INDEX_VVALUES)


def ctes(indicators: list[str]) -> tuple[sql.Cte, ...]:
    """The fragments up to ``vvalues`` for ``indicators``: registry codes, or only the index."""
    return INDEX_CTES if indicators == [registry.INDEX_CODE] else CTES
