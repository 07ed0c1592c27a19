"""What a caller may see and do: regions in detail, peers in aggregate, and rights (DESIGN §6).

Every public query takes a :class:`Scope`. A query about a region outside it raises
:class:`ScopeError`; a listing that names no region (a whole level) keeps only rows in scope.
A scope also carries the caller's role, which decides the rest of the issue #9 table: whose
aggregates a peer comparison may show (:meth:`Scope.for_peers`), which departments
(:meth:`Scope.for_departments`) and which rights (:meth:`Scope.need`): integrity flags and
samples, storing and releasing samples, imports and rollbacks, the audit log. The CLI acts with
``role=None``: every right.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from metrics import hierarchy, periods, sql
from metrics.errors import BurdenmapError


class ScopeError(BurdenmapError):
    """A query asked about a region or an action outside the caller's scope (refused, exit 1)."""


# What each role (``metrics.accounts.ROLES``) may do beyond reading its regions. ``None``: the
# CLI (administrator).
RIGHTS: dict[str | None, frozenset[str]] = {
    None: frozenset({"flags", "samples", "import", "audit"}),
    "province": frozenset({"flags", "audit"}),
    "prefecture": frozenset(),
    "county": frozenset(),
    "inspector": frozenset({"flags", "samples"}),
    "admin": frozenset({"import", "audit"}),
    "demo": frozenset({"flags"}),  # no account, simulated data: a read-only province viewer
}
# Roles whose peer comparisons and department figures cover the whole deployment.
_SEES_ALL_AGGREGATES = ("province", "inspector", "demo")

_REFUSED = {
    "flags": ("完整性与风险线索、督查抽样仅限督查和省级用户", "Flags and samples: inspectors only"),
    "samples": ("只有督查用户可以保存和发布抽样", "Only inspectors store and release samples"),
    "import": ("只有数据管理员可以导入或回滚数据", "Only data admins import and roll back data"),
    "audit": ("无权查看审计日志", "You may not read the audit log"),
}


@dataclass(frozen=True)
class Scope:
    """Region codes visible in detail (with their descendants; ``None``: everything) and a role.

    ``peer_level`` and ``peer_within`` say whose aggregates a peer comparison may show beyond
    the detail codes: regions of ``peer_level`` below ``peer_within`` (``None``: anywhere).
    ``above`` lists the ancestors of the detail codes, whose trends may be read as context (a
    county against its prefecture and the province). Hashable, so it can be part of a cache key.

    Examples
    --------
    >>> Scope.of("632500", "630100").codes
    ('630100', '632500')
    >>> Scope.everything().covers(("632521", "632500", "630000"))
    True
    >>> Scope.of("632521", role="county").may("flags")
    False

    """

    codes: tuple[str, ...] | None = None
    role: str | None = None
    peer_level: str | None = None
    peer_within: tuple[str, ...] | None = None
    above: tuple[str, ...] = ()

    @classmethod
    def everything(cls, role: str | None = None) -> Scope:
        """The whole deployment (province role, CLI)."""
        return cls(None, role)

    @classmethod
    def of(cls, *codes: str, role: str | None = None) -> Scope:
        """Only ``codes`` and what lies below them."""
        return cls(tuple(sorted(set(codes))), role)

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

    def may(self, right: str) -> bool:
        """Whether the role has ``right`` (``flags``, ``samples``, ``import``, ``audit``)."""
        return right in RIGHTS[self.role]

    def need(self, right: str) -> None:
        """Refuse unless the role has ``right``.

        Raises
        ------
        ScopeError
            Saying who may.

        """
        if not self.may(right):
            raise ScopeError(*_REFUSED[right])

    def for_peers(self, level: str) -> Scope:
        """The scope whose regions of ``level`` a peer comparison may list as aggregates."""
        if self.role in _SEES_ALL_AGGREGATES:
            return replace(self, codes=None)
        if level == self.peer_level:
            return replace(self, codes=self.peer_within)
        return self

    def for_context(self, code: str) -> Scope:
        """The scope for reading the aggregate trend of ``code`` (wider for an ancestor)."""
        return replace(self, codes=None) if code in self.above else self

    def for_departments(self) -> Scope:
        """The scope of department figures (the whole deployment for province and inspectors)."""
        return replace(self, codes=None) if self.role in _SEES_ALL_AGGREGATES else self


def for_role(db: sql.Queryable, role: str, code: str | None) -> Scope:
    """The scope of a user with ``role`` assigned to region ``code`` (``None``: the top region).

    Province users see everything; the others see ``code`` and below in detail and compare
    themselves, as aggregates, with the regions of their level under their parent.

    Raises
    ------
    InvalidInputError
        If ``code`` is not a region.

    """
    if role == "province" or code is None:
        return Scope.everything(role)
    place = hierarchy.place(db, code)
    if len(place.lineage) == 1:  # the top region: everything
        return Scope.everything(role)
    within = None if len(place.lineage) == 2 else (place.lineage[1],)
    return Scope((code,), role, place.level, within, place.lineage[1:])


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
