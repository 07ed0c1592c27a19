"""The region tree: levels, subtrees, lineage and area types."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics import sql
from metrics.errors import InvalidInputError

LEVELS: tuple[str, ...] = ("country", "province", "prefecture", "county", "township", "village")
LEVEL_NAMES_ZH = {
    "country": "全国",
    "province": "省",
    "prefecture": "市州",
    "county": "县区",
    "township": "乡镇",
    "village": "村",
}

# below(root, code): every region in the subtree of each root in ``$roots`` (itself included).
BELOW: sql.Cte = (
    "below",
    """
    WITH RECURSIVE d(root, code) AS (
        SELECT code, code FROM region WHERE list_contains($roots::VARCHAR[], code)
        UNION ALL
        SELECT d.root, r.code FROM region r JOIN d ON r.parent_code = d.code
    )
    SELECT * FROM d
    """,
)

# Peer group of every region in ``sel``: its area type (townships and villages inherit their
# county's); a prefecture without one takes the type most of its counties have (a tie: 半农半牧).
AREA_GROUPS: sql.Cte = (
    "area_groups",
    """
    WITH county_types AS (
        SELECT parent_code AS code, area_type,
               rank() OVER (PARTITION BY parent_code ORDER BY count(*) DESC) AS r
        FROM region WHERE level = 'county' AND area_type IS NOT NULL
        GROUP BY parent_code, area_type
    ), prefecture_types AS (
        SELECT code,
               CASE WHEN count(*) = 1 THEN any_value(area_type) ELSE '半农半牧' END AS area_type
        FROM county_types WHERE r = 1 GROUP BY code
    )
    SELECT s.code,
           COALESCE(r.area_type,
                    CASE WHEN r.level IN ('township', 'village')
                         THEN COALESCE(p1.area_type, p2.area_type) END,
                    pt.area_type) AS area_group
    FROM sel s JOIN region r ON r.code = s.code
    LEFT JOIN region p1 ON p1.code = r.parent_code
    LEFT JOIN region p2 ON p2.code = p1.parent_code
    LEFT JOIN prefecture_types pt ON pt.code = r.code
    """,
)

# The rows of ``region_tree`` (written by the roll-up rebuild), after ``sel`` holding every
# region (for :data:`AREA_GROUPS`): code, level, lineage (its code, then its ancestors'), the
# level of its children and its peer group.
TREE: sql.Cte = (
    "tree",
    """
    WITH RECURSIVE up(code, ancestor, parent_code, depth) AS (
        SELECT code, code, parent_code, 0 FROM region
        UNION ALL
        SELECT up.code, r.code, r.parent_code, up.depth + 1
        FROM up JOIN region r ON r.code = up.parent_code
    )
    SELECT r.code, r.level, l.lineage, c.child_level, g.area_group
    FROM region r
    JOIN (SELECT code, list(ancestor ORDER BY depth) AS lineage FROM up GROUP BY code) l
         ON l.code = r.code
    LEFT JOIN (SELECT parent_code, min(level) AS child_level FROM region GROUP BY parent_code) c
         ON c.parent_code = r.code
    JOIN area_groups g ON g.code = r.code
    """,
)

# place(code, level, lineage, child_level): the ``region_tree`` row of ``$code``, if any.
PLACE: sql.Cte = (
    "place",
    "SELECT code, level, lineage, child_level FROM region_tree WHERE code = $code",
)


@dataclass(frozen=True)
class Place:
    """Where a region sits: its lineage (its code, then its ancestors'), level, children's level."""

    lineage: tuple[str, ...]
    level: str
    child_level: str | None


def roots(*codes: str | None) -> list[str]:
    """The ``$roots`` of :data:`BELOW` for the given codes (``None`` skipped).

    Examples
    --------
    >>> roots("632500", None, "630100")
    ['630100', '632500']

    """
    return sorted({c for c in codes if c is not None})


def check_level(level: str) -> str:
    """Return ``level`` if it is a known region level.

    Raises
    ------
    InvalidInputError
        Listing the valid levels.

    Examples
    --------
    >>> check_level("county")
    'county'

    """
    if level not in LEVELS:
        raise InvalidInputError(
            f"未知层级 {level!r}；可选：{', '.join(LEVELS)}",
            f"Invalid level {level!r}; must be one of {', '.join(LEVELS)}",
        )
    return level


def place(db: sql.Queryable, code: str) -> Place:
    """Lineage, level and children's level of ``code``.

    Raises
    ------
    InvalidInputError
        If ``code`` is not a region of the database.

    """
    return to_place(sql.run(db, [PLACE], "SELECT * FROM place", {"code": code}), code)


def to_place(rows: pd.DataFrame, code: str) -> Place:
    """The :class:`Place` of ``code`` from a frame whose first row holds its :data:`PLACE`.

    Raises
    ------
    InvalidInputError
        If that row is empty: ``code`` is not a region of the database.

    """
    row = rows.iloc[0] if len(rows) else None
    if row is None or not isinstance(row["level"], str):
        raise InvalidInputError(f"未知区划代码 {code!r}", f"Unknown region code {code!r}")
    child = row["child_level"]
    return Place(tuple(row["lineage"]), row["level"], child if isinstance(child, str) else None)
