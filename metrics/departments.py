"""Who creates the burden: items each department imposes on the villages of a region.

From ``village_item`` (which village holds which item in which period) and ``item`` (its
department and whether it is on the approved list). Per department and period: distinct items
imposed, village-item assignments, villages reached, share of all assignments in the region,
and items (and assignments) off the approved list. For one department: its items and where they
land.
"""

from __future__ import annotations

import pandas as pd

from metrics import hierarchy, listing, periods, rollup, selection, sql
from metrics.scope import Scope, require

BY_DEPARTMENT: sql.Cte = (
    "by_department",
    """
    SELECT vi.period, it.department_id, d.name, d.level,
           count(DISTINCT vi.item_id) AS items,
           count(*) AS assignments,
           count(DISTINCT vi.village_code) AS villages_reached,
           count(*) / sum(count(*)) OVER (PARTITION BY vi.period) AS assignment_share,
           count(DISTINCT vi.item_id) FILTER (WHERE NOT it.on_list) AS offlist_items,
           count(*) FILTER (WHERE NOT it.on_list) AS offlist_assignments
    FROM village_item vi
    JOIN item it ON it.item_id = vi.item_id
    JOIN department d ON d.department_id = it.department_id
    WHERE vi.village_code IN (SELECT code FROM sel_villages)
    GROUP BY vi.period, it.department_id, d.name, d.level
    """,
)

_VILLAGES = (hierarchy.BELOW, selection.SEEN, selection.VILLAGES_UNDER)
_CTES = (*_VILLAGES, BY_DEPARTMENT)


def _params(scope: Scope, region: str | None, include_communities: bool, **more: object) -> dict:
    return {**selection.params(scope, region, include_communities), **more}


def league(
    db: sql.Queryable,
    period: str | None,
    scope: Scope,
    region: str | None = None,
    include_communities: bool = False,
) -> pd.DataFrame:
    """Departments ranked by assignments in ``region`` (default: everything in scope).

    Columns: ``rank, department_id, name, level, items, assignments, villages_reached,
    assignment_share, offlist_items, offlist_assignments, assignments_previous,
    change_vs_previous_pct`` (against the previous quarter). Rank 1 imposes most; ties share
    the lowest rank.
    """
    scope = scope.for_departments()
    if region is not None:
        require(db, scope, region)
    period = periods.require(db, period)
    return sql.run(
        db,
        _CTES,
        """
        SELECT rank() OVER (ORDER BY b.assignments DESC) AS rank, b.* EXCLUDE (period),
               p.assignments AS assignments_previous,
               100 * (b.assignments - p.assignments) / p.assignments AS change_vs_previous_pct
        FROM by_department b
        LEFT JOIN by_department p ON p.department_id = b.department_id
             AND p.period = $previous
        WHERE b.period = $period
        ORDER BY rank, b.department_id
        """,
        _params(
            scope,
            region,
            include_communities,
            period=period,
            previous=periods.shift(period, -1),
        ),
    )


def trend(
    db: sql.Queryable,
    scope: Scope,
    region: str | None = None,
    department_id: int | None = None,
    include_communities: bool = False,
) -> pd.DataFrame:
    """Per period and department (or one department): the league-table figures, oldest first."""
    scope = scope.for_departments()
    if region is not None:
        require(db, scope, region)
    return sql.run(
        db,
        _CTES,
        "SELECT * FROM by_department "
        "WHERE $department::INTEGER IS NULL OR department_id = $department::INTEGER "
        "ORDER BY period, assignments DESC, department_id",
        _params(scope, region, include_communities, department=department_id),
    )


def series(
    db: sql.Queryable,
    scope: Scope,
    region: str | None = None,
    include_communities: bool = False,
) -> pd.DataFrame:
    """Assignments per department and period in ``region`` (lighter than :func:`trend`).

    Columns: ``period, department_id, assignments, offlist_assignments``, oldest first.
    """
    scope = scope.for_departments()
    if region is not None:
        require(db, scope, region)
    return sql.run(
        db,
        _VILLAGES,
        """
        SELECT vi.period, it.department_id, count(*) AS assignments,
               count(*) FILTER (WHERE NOT it.on_list) AS offlist_assignments
        FROM village_item vi JOIN item it ON it.item_id = vi.item_id
        WHERE vi.village_code IN (SELECT code FROM sel_villages)
        GROUP BY ALL ORDER BY vi.period, it.department_id
        """,
        _params(scope, region, include_communities),
    )


# region_villages(code, village_code): every region and the villages in it (a village is in
# itself).
REGION_VILLAGES: sql.Cte = (
    "region_villages",
    """
    SELECT code, village_code FROM members
    UNION ALL SELECT code, code FROM region WHERE level = 'village'
    """,
)
# The department's assignments in the period, for the selected villages.
_ASSIGNED: sql.Cte = (
    "assigned",
    """
    SELECT vi.village_code, vi.item_id, it.on_list
    FROM village_item vi JOIN item it ON it.item_id = vi.item_id
    WHERE it.department_id = $department AND vi.period = $period
      AND vi.village_code IN (SELECT code FROM sel_villages)
    """,
)


def items(
    db: sql.Queryable,
    department_id: int,
    period: str | None,
    scope: Scope,
    region: str | None = None,
    include_communities: bool = False,
) -> pd.DataFrame:
    """The items of one department held by the villages of ``region`` in ``period``.

    Columns: ``item_id, name, indicator, on_list, basis, villages_reached, reached_share``
    (of the region's villages), most widespread first.
    """
    scope = scope.for_departments()
    if region is not None:
        require(db, scope, region)
    period = periods.require(db, period)
    return sql.run(
        db,
        [*_VILLAGES, _ASSIGNED],
        """
        SELECT it.item_id, it.name, it.indicator, it.on_list, it.basis,
               count(DISTINCT a.village_code) AS villages_reached,
               villages_reached / (SELECT count(*) FROM sel_villages) AS reached_share
        FROM assigned a JOIN item it ON it.item_id = a.item_id
        GROUP BY ALL ORDER BY villages_reached DESC, it.item_id
        """,
        _params(scope, region, include_communities, department=department_id, period=period),
    )


def footprint(
    db: sql.Queryable,
    department_id: int,
    period: str | None,
    scope: Scope,
    level: str,
    region: str | None = None,
    include_communities: bool = False,
) -> pd.DataFrame:
    """Where one department's items land: per region of ``level`` below ``region``.

    Columns: ``code, name, villages, villages_reached, reached_share, assignments,
    per_village, offlist_assignments`` (``per_village`` over all the region's villages).
    """
    hierarchy.check_level(level)
    scope = scope.for_departments()
    if region is not None:
        require(db, scope, region)
    period = periods.require(db, period)
    return sql.run(
        db,
        [
            *_VILLAGES,
            listing.SELECTED,
            rollup.MEMBERS,
            REGION_VILLAGES,
            _ASSIGNED,
        ],
        """
        SELECT s.code, s.name, count(DISTINCT m.village_code) AS villages,
               count(DISTINCT a.village_code) AS villages_reached,
               villages_reached / villages AS reached_share,
               count(a.item_id) AS assignments, assignments / villages AS per_village,
               count(a.item_id) FILTER (WHERE NOT a.on_list) AS offlist_assignments
        FROM sel s
        JOIN region_villages m ON m.code = s.code
             AND m.village_code IN (SELECT code FROM sel_villages)
        LEFT JOIN assigned a ON a.village_code = m.village_code
        GROUP BY ALL ORDER BY s.code
        """,
        _params(
            scope,
            region,
            include_communities,
            department=department_id,
            period=period,
            level=level,
            code=None,
            all_peers=False,
        ),
    )
