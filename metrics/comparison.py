"""Peer comparison (同级比较): a region against the other regions of its level.

Peers are the regions of one level (prefecture, county or township), compared in one of three
sets (:data:`AMONG`): every region of the level in the deployment (``level``), those with the
same parent (``parent``: counties of one prefecture, townships of one county), or those of the
same area type (``group``: 农区/牧区/半农半牧, falling back to the whole level when the group has
fewer than :data:`metrics.peers.MIN_GROUP` members). Ranks follow :mod:`metrics.peers` (1 =
heaviest). Regions of the level that the caller's role may compare with as aggregates
(:meth:`metrics.scope.Scope.for_peers`: every prefecture for a prefecture user, the counties
of its prefecture for a county user) are listed; others count in ranks and the peer median but
are not listed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics import hierarchy, index, listing, periods, registry, selection, sql
from metrics.errors import InvalidInputError
from metrics.scope import Scope, require

LEVELS = ("prefecture", "county", "township")
AMONG = ("level", "parent", "group")
TABLE_COLUMNS = (
    "code",
    "name",
    "area_group",
    "mean",
    "rank",
    "percentile",
    "peers",
    "vs_median",
    "vs_median_pct",
    "change_vs_baseline_pct",
    "targets_met",
    "is_self",
)


@dataclass(frozen=True)
class Peers:
    """A peer comparison in one quarter.

    ``table`` (:data:`TABLE_COLUMNS`, heaviest first) lists the peers in scope; ``median`` and
    ``count`` cover every peer with a value. ``group`` is the area type compared within
    (``None`` unless ``among == "group"``; ``fallback`` when that group was too small).
    """

    level: str
    code: str | None
    among: str
    group: str | None
    fallback: bool
    period: str
    indicator: str
    table: pd.DataFrame
    median: float | None
    count: int


@dataclass(frozen=True)
class _Set:
    parent: str | None
    group: str | None


def _peer_set(db: sql.Queryable, level: str, code: str | None, among: str, scope: Scope) -> _Set:
    """Parent and area type that delimit the peers (validated)."""
    if level not in LEVELS:
        raise InvalidInputError(
            f"同级比较仅限 {', '.join(LEVELS)}：{level!r}",
            f"Peer comparison is for {', '.join(LEVELS)}; got {level!r}",
        )
    if among not in AMONG:
        raise InvalidInputError(
            f"未知比较范围 {among!r}；可选：{', '.join(AMONG)}",
            f"Invalid peer set {among!r}; must be one of {', '.join(AMONG)}",
        )
    if code is None:
        if among != "level":
            raise InvalidInputError("请先选择一个地区", f"Peer set {among!r} needs a region")
        return _Set(None, None)
    place = require(db, scope, code)
    if place.level != level:
        raise InvalidInputError(
            f"{code} 不是{hierarchy.LEVEL_NAMES_ZH[level]}级地区",
            f"{code} is not a {level}",
        )
    if among == "parent":
        return _Set(place.lineage[1] if level != "prefecture" else None, None)
    if among == "group":
        found = sql.run(
            db,
            [("sel", "SELECT $code AS code"), hierarchy.AREA_GROUPS],
            "SELECT area_group FROM area_groups",
            {"code": code},
        )
        return _Set(None, found["area_group"].iloc[0])
    return _Set(None, None)


def peers(
    db: sql.Queryable,
    level: str,
    period: str | None,
    indicator: str,
    scope: Scope,
    code: str | None = None,
    among: str = "level",
    include_communities: bool = False,
) -> Peers:
    """Rank, percentile, distance to the peer median, progress and targets of ``level``'s regions.

    ``code`` (a region of ``level``) is marked ``is_self`` and defines the ``parent`` and
    ``group`` sets. ``targets_met`` is the share of villages meeting every target (for the
    index) or the indicator's targets.
    """
    registry.get(indicator, allow_index=True)
    scope = scope.for_peers(level)
    peer_set = _peer_set(db, level, code, among, scope)
    period = periods.require(db, period)
    df = listing.listing(
        db,
        level,
        scope,
        period=period,
        indicator=indicator,
        parent=peer_set.parent,
        include_communities=include_communities,
        all_peers=True,
    )
    mode, group, fallback = "all", None, False
    if peer_set.group is not None:
        df = df[df["area_group"] == peer_set.group]
        fallback = bool(df["peer_group"].isna().all())
        mode, group = "in_group", peer_set.group
        if fallback:  # too small a group: the whole level
            df = listing.listing(
                db,
                level,
                scope,
                period=period,
                indicator=indicator,
                include_communities=include_communities,
                all_peers=True,
            )
            mode = "all"
    median = df["mean"].median()
    table = df.assign(
        rank=df[f"rank_{mode}"],
        percentile=df[f"percentile_{mode}"],
        peers=df[f"peers_{mode}"],
        vs_median=df["mean"] - median,
        vs_median_pct=100 * (df["mean"] - median) / median if median else None,
        targets_met=1 - df["over_target_share"],
        is_self=df["code"] == code,
    )
    table = table[table["visible"]].sort_values(["rank", "code"], na_position="last")
    return Peers(
        level=level,
        code=code,
        among=among,
        group=group,
        fallback=fallback,
        period=period,
        indicator=indicator,
        table=table[list(TABLE_COLUMNS)].reset_index(drop=True),
        median=None if pd.isna(median) else float(median),
        count=int(df["mean"].notna().sum()),
    )


_HISTORY = """
SELECT * FROM (
    SELECT v.code, s.name, s.visible, v.period, v.mean,
           rank() OVER (PARTITION BY v.period ORDER BY v.mean DESC) AS rank,
           count(*) OVER (PARTITION BY v.period) AS peers
    FROM vals v JOIN sel s ON s.code = v.code JOIN area_groups g ON g.code = v.code
    WHERE v.mean IS NOT NULL AND ($group::VARCHAR IS NULL OR g.area_group = $group::VARCHAR))
WHERE visible
ORDER BY period, rank, code
"""


def history(db: sql.Queryable, comparison: Peers, scope: Scope) -> pd.DataFrame:
    """Rank of each listed peer in every quarter, within the set of ``comparison``.

    Columns: ``code, name, period, mean, rank, peers, is_self`` (oldest first). Feeds the bump
    chart and the peers' small multiples.
    """
    scope = scope.for_peers(comparison.level)
    peer_set = _peer_set(db, comparison.level, comparison.code, comparison.among, scope)
    df = sql.run(
        db,
        [
            hierarchy.BELOW,
            selection.SEEN,
            listing.SELECTED,
            hierarchy.AREA_GROUPS,
            listing.FROM_ROLLUP,
        ],
        _HISTORY,
        {
            **selection.params(scope, peer_set.parent, include_communities=False),
            "level": comparison.level,
            "code": None,
            "all_peers": True,
            "indicator": comparison.indicator,
            "group": None if comparison.fallback else comparison.group,
        },
    )
    return df.drop(columns="visible").assign(is_self=df["code"] == comparison.code)


_BREAKDOWN = """
SELECT r.code, r.period, y.indicator, r.mean AS value,
       100 * y.weight * r.mean / y.m / sum(y.weight) OVER (PARTITION BY r.code, r.period)
           AS points
FROM rollup r JOIN yardstick y ON y.indicator = r.indicator
WHERE r.code IN ($code, (SELECT code FROM top)) AND r.communities = false
  AND r.period IN ($period, (SELECT period FROM baseline))
  AND y.m IS NOT NULL AND y.weight > 0
"""
_TOP: sql.Cte = (
    "top",
    "SELECT COALESCE((SELECT value FROM meta WHERE key = 'top_region'), "
    "(SELECT min(code) FROM region WHERE parent_code IS NULL)) AS code",
)


def breakdown(db: sql.Queryable, code: str, period: str | None, scope: Scope) -> pd.DataFrame:
    """What drives a region's burden index: each indicator's points of the index.

    ``points`` = 100 × wᵢ × meanᵢ / mᵢ / Σw (they add up to the index when every village
    reports every indicator); ``share`` of the region's points. Also the region at the
    baseline and the deployment's top region (aggregate) in ``period``, for comparison.

    Returns
    -------
    pandas.DataFrame
        ``indicator, value, points, share, baseline_value, baseline_points, top_value,
        top_points``, in registry order.

    """
    require(db, scope, code)
    period = periods.require(db, period)
    df = sql.run(
        db,
        [*index.STORED, index.YARDSTICK, _TOP],
        _BREAKDOWN,
        {"code": code, "period": period},
    )
    base = periods.baseline(db)

    def part(which: str, when: str) -> pd.DataFrame:
        top = df["code"] != code
        rows = df[(top if which == "top" else ~top) & (df["period"] == when)]
        return rows.set_index("indicator")[["value", "points"]]

    out = part("self", period)
    out["share"] = out["points"] / out["points"].sum()
    out = out.join(part("self", base).add_prefix("baseline_")).join(
        part("top", period).add_prefix("top_")
    )
    order = [c for c in registry.CODES if c in out.index]
    return out.reindex(order).rename_axis("indicator").reset_index()
