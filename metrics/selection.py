"""Which regions, villages and periods a query is about.

Village-level fragments (:mod:`metrics.index`, :mod:`metrics.compliance`, :mod:`metrics.values`)
read three CTEs that the caller defines: ``sel_villages(code, kind)``, ``sel_periods(period)`` and
``obs`` (the observations of the selected villages, every period).
"""

from __future__ import annotations

from metrics import hierarchy, sql
from metrics.scope import Scope

# Every region, with communities (社区) only when ``$communities``, its peer group (see
# ``hierarchy.TREE``), flagged ``visible`` when in ``$scope`` and ``in_parent`` when below
# ``$parent`` (or no parent).
SEEN: sql.Cte = (
    "seen",
    """
    SELECT r.code, r.name, r.level, r.parent_code, r.kind, r.area_type, t.area_group,
           $scope::VARCHAR[] IS NULL OR list_has_any(t.lineage, $scope::VARCHAR[]) AS visible,
           $parent::VARCHAR IS NULL OR list_contains(t.lineage, $parent::VARCHAR) AS in_parent
    FROM region r JOIN region_tree t ON t.code = r.code
    WHERE r.level <> 'village' OR $communities OR r.kind = $village_kind
    """,
)

# Villages seen below ``$parent`` (all when NULL) and in scope.
VILLAGES_UNDER: sql.Cte = (
    "sel_villages",
    "SELECT code, kind FROM seen WHERE level = 'village' AND in_parent AND visible",
)
ALL_VILLAGES: sql.Cte = ("sel_villages", "SELECT code, kind FROM region WHERE level = 'village'")

# The quarters from the first to the last with data; only ``$period`` unless it is NULL.
PERIODS: sql.Cte = (
    "sel_periods",
    "SELECT period FROM quarters WHERE $period::VARCHAR IS NULL OR period = $period::VARCHAR",
)

OBS: sql.Cte = (
    "obs",
    "SELECT village_code, period, indicator, value FROM observation "
    "WHERE village_code IN (SELECT code FROM sel_villages)",
)


def params(
    scope: Scope,
    parent: str | None = None,
    include_communities: bool = False,
    period: str | None = None,
) -> dict[str, object]:
    """Parameters of :data:`SEEN`, :data:`VILLAGES_UNDER` and :data:`PERIODS`.

    ``roots`` (the parent and the scope's codes) serves ``hierarchy.BELOW``.
    """
    return {
        "scope": scope.param,
        "parent": parent,
        "roots": hierarchy.roots(parent, *(scope.codes or ())),
        "communities": include_communities,
        "period": period,
    }
