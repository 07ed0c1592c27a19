"""Everything the village card shows about one village, read in one round trip.

The card needs the village's values over time, its targets in the quarter shown, the
departments whose items it holds and its on-site visits. Asked one by one, each query pays its
own scope check and planning; :func:`village_card` asks for all of them (and the scope check)
in a single statement and returns nothing until the scope covers the village. The reported
values come from ``observation`` (sorted by village: one village's rows are read, not every
quarter's and indicator's share of ``village_value``, which holds the same values), the index
from ``village_value``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from metrics import hierarchy, periods, registry, sql
from metrics.errors import InvalidInputError
from metrics.scope import Scope

_SHOWN: sql.Cte = ("shown", "SELECT COALESCE($period::VARCHAR, last) AS period FROM span")
_CARD = """
SELECT span.*, place.*,
    (SELECT list({'period': q.period, 'indicator': v.indicator, 'value': v.value})
     FROM quarters q LEFT JOIN (
         SELECT period, indicator, value::DOUBLE AS value FROM observation
         WHERE village_code = $village
         UNION ALL
         SELECT period, indicator, value FROM village_value
         WHERE village_code = $village AND indicator = $index_code) v
     ON v.period = q.period) AS history,
    (SELECT list({'target': v.target, 'checked': v.checked, 'status': v.status})
     FROM village_target v
     WHERE v.village_code = $village AND v.period = (SELECT period FROM shown)) AS targets,
    (SELECT list({'department_id': department_id, 'name': name, 'level': level,
                  'items': items, 'assignments': assignments, 'offlist_items': offlist_items,
                  'offlist_assignments': offlist_assignments}
                 ORDER BY assignments DESC, department_id)
     FROM (SELECT it.department_id, d.name, d.level, count(*) AS items,
                  sum(vi.n)::BIGINT AS assignments,
                  count(*) FILTER (WHERE NOT it.on_list) AS offlist_items,
                  COALESCE(sum(vi.n) FILTER (WHERE NOT it.on_list), 0)::BIGINT
                      AS offlist_assignments
           FROM (SELECT item_id, count(*) AS n FROM village_item  -- per item: no DISTINCT
                 WHERE village_code = $village AND period = (SELECT period FROM shown)
                 GROUP BY item_id) vi
           JOIN item it ON it.item_id = vi.item_id
           JOIN department d ON d.department_id = it.department_id
           GROUP BY ALL)) AS holders,
    (SELECT list({'period': v.period, 'visited_on': v.visited_on, 'kind': v.kind,
                  'result': v.result, 'indicator': x.indicator, 'reported': x.reported,
                  'verified': x.verified} ORDER BY v.period DESC, v.visit_id, x.indicator)
     FROM visit v LEFT JOIN visit_value x ON x.visit_id = v.visit_id
     WHERE v.village_code = $village) AS checks
FROM span LEFT JOIN place ON true
"""
_CTES = (
    hierarchy.PLACE,
    periods.SPAN,
    periods.QUARTERS,
    _SHOWN,
)
STATUS_COLUMNS = ("target", "checked", "status")
DEPARTMENT_COLUMNS = (
    "department_id",
    "name",
    "level",
    "items",
    "assignments",
    "offlist_items",
    "offlist_assignments",
)
VISIT_COLUMNS = ("period", "visited_on", "kind", "result", "indicator", "reported", "verified")


@dataclass(frozen=True)
class VillageCard:
    """What the card shows of one village in one quarter.

    ``values``: ``period, index`` and one column per indicator, every quarter oldest first
    (empty where not reported); ``targets``: :data:`STATUS_COLUMNS` per target of
    ``period``, in registry order; ``departments``: :data:`DEPARTMENT_COLUMNS` of the
    departments whose items the village holds in ``period``, most assignments first;
    ``visits``: :data:`VISIT_COLUMNS`, newest first, one row per indicator checked.
    """

    code: str
    period: str
    values: pd.DataFrame
    targets: pd.DataFrame
    departments: pd.DataFrame
    visits: pd.DataFrame


def _frame(
    records: object, columns: tuple[str, ...], numeric: tuple[str, ...] = ()
) -> pd.DataFrame:
    """A list of structs from the card query as a frame (a missing list: no rows).

    ``numeric`` columns become numbers even when every value is missing (NaN, not ``None``).
    """
    rows = [] if records is None or records is pd.NA else list(records)
    df = pd.DataFrame.from_records([tuple(r[c] for c in columns) for r in rows], columns=columns)
    missing = {c: float for c in numeric if df[c].isna().all()}
    return df.astype(missing) if missing else df


def _wide(records: object) -> pd.DataFrame:
    """``period, indicator, value`` structs as one row per quarter, one column per indicator.

    Examples
    --------
    >>> r = [{"period": "2025Q4", "indicator": "tasks", "value": 3.0},
    ...      {"period": "2025Q3", "indicator": None, "value": None}]
    >>> _wide(r)[["period", "index", "tasks"]].to_dict("list")
    {'period': ['2025Q3', '2025Q4'], 'index': [nan, nan], 'tasks': [nan, 3.0]}

    """
    rows = [] if records is None or records is pd.NA else list(records)
    cells = {(r["period"], r["indicator"]): r["value"] for r in rows if r["value"] is not None}
    quarters = sorted({r["period"] for r in rows})
    columns = {
        code: pd.Series([cells.get((q, code), math.nan) for q in quarters], dtype=float)
        for code in (registry.INDEX_CODE, *registry.CODES)
    }
    return pd.DataFrame({"period": pd.Series(quarters, dtype="str"), **columns})


def village_card(db: sql.Queryable, village: str, period: str | None, scope: Scope) -> VillageCard:
    """The card of ``village`` in ``period`` (default: the latest), in one query.

    Raises
    ------
    InvalidInputError
        If ``village`` is not a village, or ``period`` is malformed or without data.
    ScopeError
        If the scope does not cover the village.

    """
    row = sql.run(db, _CTES, _CARD, {"village": village, "code": village, "period": period})
    place = scope.check(hierarchy.to_place(row, village))
    shown = periods.resolve(row.iloc[0].to_dict(), period)
    if place.level != "village":
        raise InvalidInputError(f"{village} 不是村", f"{village} is not a village")
    first = row.iloc[0]
    order = {t.code: n for n, t in enumerate(registry.TARGETS)}
    targets = _frame(first["targets"], STATUS_COLUMNS, numeric=("checked",))
    targets = targets.sort_values("target", key=lambda s: s.map(order), ignore_index=True)
    visits = _frame(first["checks"], VISIT_COLUMNS, numeric=("reported", "verified"))
    visits["visited_on"] = pd.to_datetime(visits["visited_on"])
    return VillageCard(
        code=village,
        period=shown,
        values=_wide(first["history"]),
        targets=targets,
        departments=_frame(first["holders"], DEPARTMENT_COLUMNS),
        visits=visits,
    )
