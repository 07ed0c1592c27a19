"""What each exportable view holds — figure, table and caption — built from ``metrics``.

The CLI (``burdenmap export``), the briefing and the benchmarks build their exports here, with
the app's figure builders, classification and palette, so a file shows what the app shows.
Every function takes the caller's scope.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go

from dashboard.exports import static_map, tables, titles
from dashboard.figures import charts, palette
from dashboard.figures import peers as peer_figures
from dashboard.i18n import t
from metrics import (
    classify,
    comparison,
    departments,
    geometry,
    periods,
    queries,
    registry,
    sql,
)
from metrics.errors import InvalidInputError, RejectedError
from metrics.exports import sheets
from metrics.exports.provenance import provenance
from metrics.scope import Scope

MAX_VERTICES = 10_000  # per region: a PNG's render time hardly depends on it (make bench)
SCHEME = "quantiles"
DEPARTMENT_BARS = 15


@dataclass(frozen=True)
class Export:
    """One view ready to write: ``figure`` sized and captioned, ``table`` its data."""

    caption: titles.Caption
    figure: go.Figure
    table: sheets.Table


def compared(crumbs: Sequence[queries.Region]) -> list[queries.Region]:
    """The region, its parent and the top region — without repeats (``crumbs``: top first).

    Examples
    --------
    >>> compared(["省", "州", "县", "乡"])
    ['乡', '县', '省']

    """
    out = [crumbs[-1]]
    if len(crumbs) > 2:
        out.append(crumbs[-2])
    if len(crumbs) > 1:
        out.append(crumbs[0])
    return out


def map_export(
    db: sql.Queryable,
    scope: Scope,
    code: str,
    period: str | None = None,
    indicator: str = registry.INDEX_CODE,
    lang: str = "zh",
) -> Export:
    """The map of ``code``'s children (villages as points below a county), quantile classes."""
    region = queries.region_info(db, code, scope)
    period = periods.require(db, period)
    points = region.level in static_map.POINT_LEVELS
    if points:
        level = "village"
        mapped = queries.query(db, level, scope, code, period, indicator)
    else:
        mapped = queries.children(db, code, period, indicator, scope)
        level = mapped["level"].iloc[0] if len(mapped) else None
    if level is None:
        raise InvalidInputError(
            f"{region.name} 没有可以上图的下级地区", f"{region.name} has no sub-regions to map"
        )
    classes = classify.classify(mapped.set_index("code")["mean"].astype(float), SCHEME)
    found = [None if pd.isna(c) else int(c) for c in classes.classes]
    mapped = mapped.assign(colour=palette.class_colours(found, max(1, len(classes.breaks))))
    legend = static_map.map_legend(
        indicator, classes.breaks, mapped["mean"].min(), scheme=SCHEME, fixed=False, lang=lang
    )
    if points:
        county = next(c.code for c in queries.ancestors(db, code, scope) if c.level == "county")
        shapes = _detailed(geometry.boundaries(db, [county], scope))
        spots = geometry.village_points(db, list(mapped["code"]), scope)
    else:
        shapes = _detailed(geometry.boundaries(db, list(mapped["code"]), scope))
        spots = None
    cap = titles.caption(
        static_map.map_title(region.name, level, indicator, lang),
        provenance(db),
        region=region.name,
        period=period,
        indicator=indicator,
        filters=t("export_filters_map", lang, scheme=t(f"scheme_{SCHEME}", lang)),
        lang=lang,
    )
    figure = titles.framed(
        static_map.map_figure(mapped, shapes, legend, spots), cap, static_map.SIZE
    )
    table = tables.listing_table(mapped, cap, indicator=indicator, lang=lang)
    return Export(cap, figure, table)


def _detailed(shapes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``shapes`` simplified together to about a pixel of the exported PNG."""
    return geometry.for_display(shapes, static_map.MAP_PX, MAX_VERTICES)


def trend_export(
    db: sql.Queryable,
    scope: Scope,
    code: str,
    period: str | None = None,
    indicator: str = registry.INDEX_CODE,
    lang: str = "zh",
) -> Export:
    """Every quarter of the region against its parent and the top region (as on 趋势)."""
    crumbs = queries.ancestors(db, code, scope)
    region = crumbs[-1]
    series = {c.name: queries.trend(db, c.code, indicator, scope) for c in compared(crumbs)}
    own = series[region.name]
    label = registry.label(indicator, lang)
    cap = titles.caption(
        t("export_title_trend", lang, region=region.name, indicator=label),
        provenance(db),
        region=region.name,
        period=(own["period"].iloc[0], own["period"].iloc[-1]),
        indicator=indicator,
        lang=lang,
    )
    fig = charts.trend_figure(
        series, title="", y_title=label, period_label=_labeller(lang), lang=lang
    )
    table = tables.trend_table(series, cap, indicator=indicator, lang=lang)
    return Export(cap, titles.framed(fig, cap), table)


def _labeller(lang: str) -> Callable[[str], str]:
    return lambda p: periods.label(p, lang)


def peer_focus(region: queries.Region, crumbs: Sequence[queries.Region]) -> tuple[str, str | None]:
    """The level compared and the focal region, as on 同级比较.

    The province compares its prefectures (no focal region); a village is compared through its
    township.
    """
    if region.level in ("country", "province"):
        return "prefecture", None
    if region.level == "village":
        return "township", crumbs[-2].code
    return region.level, region.code


def peers_export(
    db: sql.Queryable,
    scope: Scope,
    code: str,
    period: str | None = None,
    indicator: str = registry.INDEX_CODE,
    lang: str = "zh",
) -> Export:
    """The region among every region of its level (heaviest first; the region in red)."""
    crumbs = queries.ancestors(db, code, scope)
    level, focus = peer_focus(crumbs[-1], crumbs)
    found = comparison.peers(db, level, period, indicator, scope, focus, "level")
    label = registry.label(indicator, lang)
    cap = titles.caption(
        t("export_title_peers", lang, region=crumbs[-1].name, level=t(f"level_{level}", lang)),
        provenance(db),
        region=crumbs[-1].name,
        period=found.period,
        indicator=indicator,
        lang=lang,
    )
    fig = peer_figures.league_bars(
        peer_figures.shown(found.table),
        value="mean",
        label=label,
        median=found.median,
        median_label=t("peers_median", lang),
    )
    figure = titles.framed(fig, cap)
    table = tables.peers_table(found.table, cap, indicator=indicator, lang=lang)
    return Export(cap, figure, table)


def departments_export(
    db: sql.Queryable,
    scope: Scope,
    code: str,
    period: str | None = None,
    indicator: str | None = None,
    lang: str = "zh",
) -> Export:
    """Departments' items on the villages of the region, on and off the approved list."""
    region = queries.region_info(db, code, scope)
    period = periods.require(db, period)
    league = departments.league(db, period, scope, code)
    if league.empty:
        raise RejectedError(
            t("dept_none", "zh", period=periods.label(period)),
            t("dept_none", "en", period=periods.label(period, "en")),
        )
    cap = titles.caption(
        t("export_title_departments", lang, region=region.name),
        provenance(db),
        region=region.name,
        period=period,
        lang=lang,
    )
    bars = league.assign(
        code=league["department_id"], onlist=league["assignments"] - league["offlist_assignments"]
    ).head(DEPARTMENT_BARS)
    fig = peer_figures.stacked_bars(
        bars,
        parts={"onlist": t("dept_onlist", lang), "offlist_assignments": t("col_offlist", lang)},
        x_title=t("dept_assignments", lang),
    )
    figure = titles.framed(fig, cap)
    return Export(cap, figure, tables.departments_table(league, cap, lang))


VIEWS: dict[str, Callable[..., Export]] = {
    "map": map_export,
    "trend": trend_export,
    "peers": peers_export,
    "departments": departments_export,
}


def build(
    db: sql.Queryable,
    scope: Scope,
    view: str,
    code: str,
    period: str | None = None,
    indicator: str = registry.INDEX_CODE,
    lang: str = "zh",
) -> Export:
    """The export of ``view`` (a key of :data:`VIEWS`).

    Raises
    ------
    InvalidInputError
        For an unknown view, listing the valid ones.

    """
    if view not in VIEWS:
        raise InvalidInputError(
            f"未知视图 {view!r}；可选：{', '.join(VIEWS)}",
            f"Invalid view {view!r}; must be one of {', '.join(VIEWS)}",
        )
    registry.get(indicator, allow_index=True)
    return VIEWS[view](db, scope, code, period, indicator, lang)
