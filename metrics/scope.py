"""What a caller may see in detail: a set of regions and everything below them (DESIGN §6).

Every public query takes a :class:`Scope`. A query about a region outside it raises
:class:`ScopeError`; a listing that names no region (a whole level) keeps only rows in scope.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from metrics import hierarchy, periods, sql
from metrics.errors import BurdenmapError


class ScopeError(BurdenmapError):
    """A query asked about a region outside the caller's scope (refused, exit 1)."""


@dataclass(frozen=True)
class Scope:
    """Region codes visible in detail (with their descendants); ``None`` means everything.

    Hashable, so it can be part of a cache key.

    Examples
    --------
    >>> Scope.of("632500", "630100").codes
    ('630100', '632500')
    >>> Scope.everything().covers(("632521", "632500", "630000"))
    True

    """

    codes: tuple[str, ...] | None = None

    @classmethod
    def everything(cls) -> Scope:
        """The whole deployment (province role, CLI)."""
        return cls(None)

    @classmethod
    def of(cls, *codes: str) -> Scope:
        """Only ``codes`` and what lies below them."""
        return cls(tuple(sorted(set(codes))))

    @property
    def param(self) -> list[str] | None:
        """Value to bind to ``$scope`` (see ``selection.SEEN``)."""
        return None if self.codes is None else list(self.codes)

    def covers(self, lineage: Iterable[str]) -> bool:
        """Whether a region with this lineage (its code and its ancestors') is in scope."""
        return self.codes is None or not set(self.codes).isdisjoint(lineage)

    def check(self, found: hierarchy.Place) -> hierarchy.Place:
        """``found`` if the scope covers it.

        Raises
        ------
        ScopeError
            If it does not.

        """
        if not self.covers(found.lineage):
            code = found.lineage[0]
            raise ScopeError(
                f"无权查看区划 {code}（不在您的权限范围内）",
                f"Region {code} is outside your scope",
            )
        return found


def require(db: sql.Queryable, scope: Scope, code: str) -> hierarchy.Place:
    """Where ``code`` sits, if the scope covers it.

    Raises
    ------
    InvalidInputError
        If ``code`` is not a region of the database.
    ScopeError
        If the scope does not cover ``code``.

    """
    return scope.check(hierarchy.place(db, code))


def require_at(
    db: sql.Queryable, scope: Scope, code: str, period: str | None
) -> tuple[hierarchy.Place, str]:
    """:func:`require` and :func:`metrics.periods.require` (``None``: the latest) in one query.

    Raises
    ------
    InvalidInputError
        If ``code`` is not a region, or ``period`` malformed or without data.
    ScopeError
        If the scope does not cover ``code``.

    """
    df = sql.run(
        db,
        [hierarchy.PLACE, periods.SPAN],
        "SELECT * FROM span LEFT JOIN place ON true",
        {"code": code, "period": period},
    )
    return scope.check(hierarchy.to_place(df, code)), periods.resolve(df.iloc[0].to_dict(), period)


_COVERED = """
WITH RECURSIVE d(code) AS (
    SELECT code FROM region WHERE list_contains($roots::VARCHAR[], code)
    UNION ALL
    SELECT r.code FROM region r JOIN d ON r.parent_code = d.code
)
SELECT code FROM d WHERE list_contains($codes::VARCHAR[], code)
"""


def require_all(db: sql.Queryable, scope: Scope, codes: Iterable[str]) -> None:
    """Refuse unless the scope covers every one of ``codes`` (one query, for map layers).

    Raises
    ------
    ScopeError
        Naming the first code outside the scope.

    """
    codes = list(codes)
    if scope.codes is None or not codes:
        return
    covered = set(db.query(_COVERED, {"roots": list(scope.codes), "codes": codes})["code"])
    outside = [c for c in codes if c not in covered]
    if outside:
        raise ScopeError(
            f"无权查看区划 {outside[0]}（不在您的权限范围内）",
            f"Region {outside[0]} is outside your scope",
        )
