"""Who creates the burden: items each department imposes on the villages of a region.

From ``village_item`` (which village holds which item in which period) and ``item`` (its
department and whether it is on the approved list). Per department and period: distinct items
imposed, village-item assignments, villages reached, share of all assignments in the region,
and items (and assignments) off the approved list.
"""

from __future__ import annotations

import pandas as pd

from metrics import hierarchy, periods, selection, sql
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

_CTES = (hierarchy.BELOW, selection.SEEN, selection.VILLAGES_UNDER, BY_DEPARTMENT)


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
