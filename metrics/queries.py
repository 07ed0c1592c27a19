"""Public metric queries: pure functions of a database, a scope and plain values.

Each returns a small DataFrame or a frozen dataclass. Every function that returns data about a
region takes the caller's :class:`~metrics.scope.Scope`; asking about a region outside it raises
:class:`~metrics.scope.ScopeError`, listings without a named region keep only rows in scope.
Unknown levels, regions, periods and indicators raise
:class:`~metrics.errors.InvalidInputError`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

import pandas as pd

from metrics import (
    compliance,
    hierarchy,
    listing,
    periods,
    registry,
    selection,
    sql,
)
from metrics.peers import ranked
from metrics.scope import Scope, require, require_at

# The columns of ``query`` (and the CLI), in order.
COLUMNS: tuple[str, ...] = (
    "code",
    "name",
    "level",
    "parent_code",
    "period",
    "indicator",
    "mean",
    "median",
    "p90",
    "total",
    "villages",
    "reported",
    "reported_share",
    "over_target_share",
    "change_vs_baseline",
    "change_vs_baseline_pct",
    "change_vs_year_ago_pct",
    "rebound",
    "rank",
    "percentile",
    "peers",
    "peer_group",
    "peer_fallback",
)


@dataclass(frozen=True)
class Region:
    """One region of the tree."""

    code: str
    name: str
    level: str
    parent_code: str | None
    kind: str | None
    area_type: str | None
    lon: float | None
    lat: float | None
    position_approximate: bool | None


@dataclass(frozen=True)
class Extreme:
    """A child region at one end of the ranking."""

    code: str
    name: str
    value: float


@dataclass(frozen=True)
class Kpis:
    """Headline figures of a region in a period (burden index unless stated)."""

    code: str
    name: str
    level: str
    period: str
    villages: int
    reported: int
    reported_share: float | None
    mean_index: float | None
    baseline_index: float | None
    change_vs_baseline: float | None
    change_vs_baseline_pct: float | None
    over_target_share: float | None
    target_met_share: Mapping[str, float | None]  # target code → share of villages meeting it
    heaviest_child: Extreme | None
    lightest_child: Extreme | None


def _plain(value: Any) -> Any:
    """A DataFrame cell as a plain Python value (NaN and NA become ``None``)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _indicator(indicator: str) -> str:
    registry.get(indicator, allow_index=True)
    return indicator


def regions_at(
    db: sql.Queryable,
    level: str,
    scope: Scope,
    parent: str | None = None,
    include_communities: bool = False,
) -> pd.DataFrame:
    """Regions of ``level`` (below ``parent`` if given) in scope, by code.

    Columns: ``code, name, level, parent_code, kind, area_type`` (as recorded).
    """
    hierarchy.check_level(level)
    if parent is not None:
        require(db, scope, parent)
    return sql.run(
        db,
        [selection.SEEN, listing.SELECTED],
        "SELECT code, name, level, parent_code, kind, area_type FROM sel ORDER BY code",
        {
            **selection.params(scope, parent, include_communities),
            "level": level,
            "code": None,
            "all_peers": False,
        },
    )


# The region and its ancestors, itself first, with its place (``hierarchy.to_place``). Joined
# on the codes of its lineage, so that only their rows are read.
_LINEAGE = """
SELECT r.code, r.name, r.level, r.parent_code, r.kind, t.area_group AS area_type, r.lon, r.lat,
       r.position_approximate, t.lineage, t.child_level
FROM (SELECT unnest(lineage) AS code, generate_subscripts(lineage, 1) AS depth FROM place) a
JOIN region_tree t ON t.code = a.code JOIN region r ON r.code = a.code
ORDER BY a.depth
"""


def _lineage(db: sql.Queryable, code: str, scope: Scope) -> tuple[Region, ...]:
    """:class:`Region` rows of ``code`` and its ancestors, ``code`` first, if in scope.

    Townships and villages show their county's area type (the peer-group rule).
    """
    df = sql.run(db, [hierarchy.PLACE], _LINEAGE, {"code": code})
    scope.check(hierarchy.to_place(df, code))
    return tuple(
        Region(**{f.name: _plain(r[f.name]) for f in fields(Region)}) for r in df.to_dict("records")
    )


def region_info(db: sql.Queryable, code: str, scope: Scope) -> Region:
    """The region ``code``; townships and villages show their county's area type."""
    return _lineage(db, code, scope)[0]


def ancestors(db: sql.Queryable, code: str, scope: Scope) -> tuple[Region, ...]:
    """The breadcrumb: the top region down to ``code`` itself."""
    return tuple(reversed(_lineage(db, code, scope)))


# The villages below a region, for listings (as ``selection.SEEN`` after ``listing.SELECTED``'s
# filter, but reading only their rows): the children of ``parents`` — the region itself when its
# children are villages, else the regions of its subtree (a village's lineage holds ``$parent``
# when its parent's does).
_VILLAGE_PARENTS: sql.Cte = ("parents", "SELECT $parent::VARCHAR AS code")
_SUBTREE_PARENTS: sql.Cte = (
    "parents",
    "SELECT code FROM region_tree WHERE level <> 'village' AND list_contains(lineage, $parent)",
)
_VILLAGES_SEEN: sql.Cte = (
    "seen",
    """
    SELECT r.code, r.name, r.level, r.parent_code, r.kind, r.area_type, t.area_group,
           $scope::VARCHAR[] IS NULL OR list_has_any(t.lineage, $scope::VARCHAR[]) AS visible,
           true AS in_parent
    FROM parents p JOIN region r ON r.parent_code = p.code JOIN region_tree t ON t.code = r.code
    WHERE r.level = 'village' AND ($communities OR r.kind = $village_kind)
    """,
)


def _villages_below(
    db: sql.Queryable,
    below: hierarchy.Place,
    scope: Scope,
    period: str,
    indicator: str,
    include_communities: bool,
) -> pd.DataFrame:
    """``listing.listing`` of the villages below the region at ``below`` (not a village)."""
    parents = _VILLAGE_PARENTS if below.child_level == "village" else _SUBTREE_PARENTS
    listed = sql.run(
        db,
        [parents, _VILLAGES_SEEN, listing.SELECTED, listing.values_of("village"), listing.LISTED],
        "SELECT * FROM listed ORDER BY mean DESC NULLS LAST, code",  # heaviest first
        {
            **selection.params(scope, below.lineage[0], include_communities),
            "level": "village",
            "code": None,
            "all_peers": False,
            "period": period,
            "indicator": indicator,
        },
    )
    return ranked(listed)


def query(
    db: sql.Queryable,
    level: str,
    scope: Scope,
    parent: str | None = None,
    period: str | None = None,
    indicator: str = registry.INDEX_CODE,
    peer_group: bool = False,
    include_communities: bool = False,
) -> pd.DataFrame:
    """Regions of ``level`` below ``parent`` (any ancestor; default: the whole deployment).

    ``period`` defaults to the latest with data. ``mean`` of a village is its own value. Ranks
    and percentiles are among the listed regions, or within their area-type peer group with
    ``peer_group`` (``peer_fallback`` marks groups too small, ranked among all listed).

    Returns
    -------
    pandas.DataFrame
        :data:`COLUMNS`, heaviest first.

    """
    hierarchy.check_level(level)
    _indicator(indicator)
    if parent is None:
        period, below = periods.require(db, period), None
    else:
        below, period = require_at(db, scope, parent, period)
    return _query(db, level, scope, below, period, indicator, peer_group, include_communities)


def _query(
    db: sql.Queryable,
    level: str,
    scope: Scope,
    below: hierarchy.Place | None,
    period: str,
    indicator: str,
    peer_group: bool,
    include_communities: bool,
) -> pd.DataFrame:
    """:func:`query` after validation, below the region at ``below`` (``None``: everywhere)."""
    if level == "village" and below is not None and below.level != "village":
        df = _villages_below(db, below, scope, period, indicator, include_communities)
    else:
        df = listing.listing(
            db,
            level,
            scope,
            period=period,
            indicator=indicator,
            parent=below.lineage[0] if below else None,
            include_communities=include_communities,
        )
    mode = "in_group" if peer_group else "all"
    df = df.assign(
        rank=df[f"rank_{mode}"],
        percentile=df[f"percentile_{mode}"],
        peers=df[f"peers_{mode}"],
        peer_group=df["peer_group"] if peer_group else None,
        peer_fallback=df["peer_group"].isna() if peer_group else False,
    )
    return df[list(COLUMNS)]


def children(
    db: sql.Queryable,
    parent: str,
    period: str | None,
    indicator: str,
    scope: Scope,
    include_communities: bool = False,
    peer_group: bool = False,
) -> pd.DataFrame:
    """The direct children of ``parent`` (e.g. a prefecture's counties), as :func:`query`."""
    _indicator(indicator)
    found, period = require_at(db, scope, parent, period)
    level = found.child_level
    if level is None:  # a village: nothing below
        return pd.DataFrame(columns=list(COLUMNS))
    return _query(db, level, scope, found, period, indicator, peer_group, include_communities)


def trend(
    db: sql.Queryable,
    code: str,
    indicator: str,
    scope: Scope,
    include_communities: bool = False,
) -> pd.DataFrame:
    """Every period of a region or village, oldest first, with progress and rebound columns.

    Columns: ``period, mean, median, p90, total, villages, reported, reported_share,
    over_target_share, baseline_value, change_vs_baseline[_pct], year_ago_value,
    change_vs_year_ago[_pct], rebound``. The ancestors of the caller's regions are readable
    here as context (:meth:`metrics.scope.Scope.for_context`).
    """
    _indicator(indicator)
    scope = scope.for_context(code)
    level = require(db, scope, code).level
    df = listing.series(db, level, code, indicator, scope, include_communities)
    return df.reset_index(drop=True)


def village_values(db: sql.Queryable, village: str, scope: Scope) -> pd.DataFrame:
    """A village's reported values per period: ``period``, ``index`` and one column per indicator.

    Periods without a report have empty values.
    """
    require(db, scope, village)
    df = sql.run(
        db,
        [periods.QUARTERS],
        "SELECT q.period, v.indicator, v.value FROM quarters q "
        "LEFT JOIN village_value v ON v.period = q.period AND v.village_code = $village",
        {"village": village},
    )
    wide = df.pivot_table(index="period", columns="indicator", values="value", dropna=False)
    order = [registry.INDEX_CODE, *registry.CODES]
    all_periods = sorted(df["period"].unique())
    return wide.reindex(index=all_periods, columns=order).rename_axis(None, axis=1).reset_index()


def peers(
    db: sql.Queryable,
    level: str,
    period: str | None,
    indicator: str,
    scope: Scope,
    include_communities: bool = False,
) -> pd.DataFrame:
    """Rank and percentile of the regions of ``level`` in scope among all the province's.

    Ranks are computed among every region of the level (a prefecture user sees where its
    prefecture stands, not the others' values); only regions in ``scope`` are returned. See
    :mod:`metrics.peers` for the rules.

    Columns: ``code, name, area_group, mean, rank_all, percentile_all, peers_all, peer_group,
    rank_in_group, percentile_in_group, peers_in_group, peer_fallback``.
    """
    hierarchy.check_level(level)
    _indicator(indicator)
    period = periods.require(db, period)
    df = listing.listing(
        db,
        level,
        scope,
        period=period,
        indicator=indicator,
        include_communities=include_communities,
        all_peers=True,
    )
    df = df[df["visible"]].assign(peer_fallback=df["peer_group"].isna())
    cols = ["code", "name", "area_group", "mean", "rank_all", "percentile_all", "peers_all"]
    cols += ["peer_group", "rank_in_group", "percentile_in_group", "peers_in_group"]
    return df[[*cols, "peer_fallback"]].reset_index(drop=True)


# The roll-up row of the region (``ends``) and the names of its heaviest and lightest child
# (``ends_named``: semi-joined, so that only their rows of ``region`` are read).
_ENDS: tuple[sql.Cte, ...] = (
    (
        "ends",
        """
        SELECT heaviest_child, heaviest_child_mean, lightest_child, lightest_child_mean
        FROM rollup WHERE code = $code AND period = $period AND level = $level
          AND indicator = $indicator AND communities = $communities
        """,
    ),
    (
        "ends_named",
        """
        SELECT code, name FROM region
        WHERE code IN (SELECT heaviest_child FROM ends UNION ALL SELECT lightest_child FROM ends)
        """,
    ),
)
# A region's (or village's) headline row with its heaviest and lightest child (``rollup``).
_KPIS = """
SELECT r.name, COALESCE(v.villages, 0) AS villages, COALESCE(v.reported, 0) AS reported,
       v.reported_share, v.mean, v.baseline_value, v.change_vs_baseline, v.change_vs_baseline_pct,
       v.over_target_share, e.heaviest_child, h.name AS heaviest_name, e.heaviest_child_mean,
       e.lightest_child, l.name AS lightest_name, e.lightest_child_mean
FROM region r
LEFT JOIN vals v ON v.code = r.code AND v.period = $period
LEFT JOIN ends e ON true
LEFT JOIN ends_named h ON h.code = e.heaviest_child
LEFT JOIN ends_named l ON l.code = e.lightest_child
WHERE r.code = $code
"""


def kpis(
    db: sql.Queryable,
    region: str,
    period: str | None,
    scope: Scope,
    include_communities: bool = False,
) -> Kpis:
    """Headline figures of ``region`` in ``period`` (default: latest).

    Villages covered, mean index and its change since baseline, share meeting each target,
    heaviest and lightest child.
    """
    found, period = require_at(db, scope, region, period)
    row = sql.run(
        db,
        [listing.values_of(found.level), *_ENDS],
        _KPIS,
        {
            "code": region,
            "level": found.level,
            "period": period,
            "indicator": registry.INDEX_CODE,
            "communities": include_communities,
        },
    ).iloc[0]
    shares = compliance.tally(db, found, period, include_communities)
    return Kpis(
        code=region,
        name=row["name"],
        level=found.level,
        period=period,
        villages=int(row["villages"]),
        reported=int(row["reported"]),
        reported_share=_plain(row["reported_share"]),
        mean_index=_plain(row["mean"]),
        baseline_index=_plain(row["baseline_value"]),
        change_vs_baseline=_plain(row["change_vs_baseline"]),
        change_vs_baseline_pct=_plain(row["change_vs_baseline_pct"]),
        over_target_share=_plain(row["over_target_share"]),
        target_met_share=dict(zip(shares["target"], map(_plain, shares["met_share"]), strict=True)),
        heaviest_child=_extreme(row, "heaviest"),
        lightest_child=_extreme(row, "lightest"),
    )


def _extreme(row: pd.Series, end: str) -> Extreme | None:
    """The ``heaviest`` or ``lightest`` child in a :data:`_KPIS` row, if any."""
    code = _plain(row[f"{end}_child"])
    if code is None:
        return None
    return Extreme(code, row[f"{end}_name"], float(row[f"{end}_child_mean"]))
