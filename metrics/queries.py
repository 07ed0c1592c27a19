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
    index,
    listing,
    periods,
    registry,
    selection,
    sql,
    values,
)
from metrics.scope import Scope, require

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
        [hierarchy.BELOW, selection.SEEN, listing.SELECTED],
        "SELECT code, name, level, parent_code, kind, area_type FROM sel ORDER BY code",
        {
            **selection.params(scope, parent, include_communities),
            "level": level,
            "code": None,
            "all_peers": False,
        },
    )


def _regions(db: sql.Queryable, codes: list[str]) -> tuple[Region, ...]:
    """:class:`Region` rows of ``codes``, in that order (area type: the peer-group rule)."""
    df = sql.run(
        db,
        [("sel", "SELECT unnest($codes::VARCHAR[]) AS code"), hierarchy.AREA_GROUPS],
        "SELECT r.code, r.name, r.level, r.parent_code, r.kind, g.area_group AS area_type, "
        "r.lon, r.lat, r.position_approximate "
        "FROM region r JOIN area_groups g ON g.code = r.code",
        {"codes": codes},
    ).set_index("code", drop=False)
    return tuple(
        Region(**{f.name: _plain(df.at[c, f.name]) for f in fields(Region)}) for c in codes
    )


def region_info(db: sql.Queryable, code: str, scope: Scope) -> Region:
    """The region ``code``; townships and villages show their county's area type."""
    require(db, scope, code)
    return _regions(db, [code])[0]


def ancestors(db: sql.Queryable, code: str, scope: Scope) -> tuple[Region, ...]:
    """The breadcrumb: the top region down to ``code`` itself."""
    return _regions(db, list(reversed(require(db, scope, code).lineage)))


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
    if parent is not None:
        require(db, scope, parent)
    period = periods.require(db, period)
    return _query(db, level, scope, parent, period, indicator, peer_group, include_communities)


def _query(
    db: sql.Queryable,
    level: str,
    scope: Scope,
    parent: str | None,
    period: str,
    indicator: str,
    peer_group: bool,
    include_communities: bool,
) -> pd.DataFrame:
    """:func:`query` after validation."""
    df = listing.listing(
        db,
        level,
        scope,
        period=period,
        indicator=indicator,
        parent=parent,
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
    level = require(db, scope, parent).child_level
    period = periods.require(db, period)
    if level is None:  # a village: nothing below
        return pd.DataFrame(columns=list(COLUMNS))
    return _query(db, level, scope, parent, period, indicator, peer_group, include_communities)


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
    change_vs_year_ago[_pct], rebound``.
    """
    _indicator(indicator)
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
        [*selection.VILLAGE_CTES, *index.STORED, *values.CTES],
        "SELECT q.period, v.indicator, v.value FROM quarters q "
        "LEFT JOIN vvalues v ON v.period = q.period",
        selection.params(scope, village, include_communities=True),
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
    info = region_info(db, region, scope)
    period = periods.require(db, period)
    row = listing.listing(
        db,
        info.level,
        scope,
        period=period,
        indicator=registry.INDEX_CODE,
        code=region,
        include_communities=include_communities,
    ).iloc[0]
    kids = children(db, region, period, registry.INDEX_CODE, scope, include_communities)
    kids = kids.dropna(subset=["mean"]).sort_values(["mean", "code"], ascending=[False, True])
    ends = (
        [Extreme(r["code"], r["name"], float(r["mean"])) for _, r in kids.iloc[[0, -1]].iterrows()]
        if len(kids)
        else [None, None]
    )
    shares = compliance.shares(db, region, period, scope, include_communities)
    return Kpis(
        code=info.code,
        name=info.name,
        level=info.level,
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
        heaviest_child=ends[0],
        lightest_child=ends[1],
    )
