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

CHART_SIZE = (900, 560)  # layout px; PNG at 2× is 1,800 px wide
MAP_SIZE = (900, 700)
MAP_WIDTH_PX = 1000  # boundary simplification: about a pixel at the PNG's size
SCHEME = "quantiles"
DEPARTMENT_BARS = 15


@dataclass(frozen=True)
class Export:
    """One view ready to write: ``figure`` sized and captioned, ``table`` its data."""

    view: str
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


def framed(fig: go.Figure, cap: titles.Caption, size: tuple[int, int]) -> go.Figure:
    """``fig`` with the caption around it at the export ``size``."""
    return titles.decorate(fig, cap, width=size[0], height=size[1])


def map_legend(
    indicator: str,
    breaks: Sequence[float],
    lowest: float | None,
    *,
    scheme: str,
    fixed: bool,
    lang: str = "zh",
) -> static_map.Legend:
    """The map legend: what is coloured, by which classification, and the class breaks."""
    how = t(f"scheme_{scheme}", lang) + (" · " + t("fixed_to_baseline", lang) if fixed else "")
    title = f"{registry.label(indicator, lang)}\n{t('legend_title', lang, scheme=how)}"
    return static_map.Legend(title, tuple(static_map.legend_items(breaks, lowest, fixed, lang)))


def map_title(region: str, level: str, indicator: str, lang: str = "zh") -> str:
    """青海省各市州负担指数: the title of a map of ``region``'s regions of ``level``."""
    return t(
        "export_title_map",
        lang,
        region=region,
        level=t(f"level_{level}", lang),
        indicator=registry.label(indicator, lang),
    )


def map_figure(
    mapped: pd.DataFrame,
    shapes: gpd.GeoDataFrame,
    legend: static_map.Legend,
    points: pd.DataFrame | None = None,
) -> go.Figure:
    """The static map of a view: ``mapped`` rows (``code, colour``) as regions or as points.

    ``shapes`` holds the regions' boundaries, or with ``points`` (``code, lon, lat`` of
    villages) the outline of the county they are drawn over.
    """
    width, height = MAP_SIZE
    size = {"width": width, "height": height - titles.TITLE_PX - titles.SOURCE_PX}
    if points is not None:
        spots = mapped.merge(points[["code", "lon", "lat"]], on="code")
        return static_map.village_map(shapes, spots, legend, **size)
    regions = gpd.GeoDataFrame(
        shapes[["code", "geometry"]].merge(mapped, on="code"), geometry="geometry"
    )
    return static_map.region_map(regions, legend, **size)


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
    legend = map_legend(
        indicator, classes.breaks, mapped["mean"].min(), scheme=SCHEME, fixed=False, lang=lang
    )
    if points:
        county = next(c.code for c in queries.ancestors(db, code, scope) if c.level == "county")
        shapes = geometry.for_display(geometry.boundaries(db, [county], scope), MAP_WIDTH_PX)
        spots = geometry.village_points(db, list(mapped["code"]), scope)
    else:
        shapes = geometry.for_display(
            geometry.boundaries(db, list(mapped["code"]), scope), MAP_WIDTH_PX
        )
        spots = None
    cap = titles.caption(
        map_title(region.name, level, indicator, lang),
        provenance(db),
        region=region.name,
        period=period,
        indicator=indicator,
        filters=t("export_filters_map", lang, scheme=t(f"scheme_{SCHEME}", lang)),
        lang=lang,
    )
    figure = framed(map_figure(mapped, shapes, legend, spots), cap, MAP_SIZE)
    table = tables.listing_table(mapped, cap, indicator=indicator, lang=lang)
    return Export("map", cap, figure, table)


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
    return Export("trend", cap, framed(fig, cap, CHART_SIZE), table)


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
    figure = framed(fig, cap, (CHART_SIZE[0], titles.fitted_height(fig, CHART_SIZE[1])))
    table = tables.peers_table(found.table, cap, indicator=indicator, lang=lang)
    return Export("peers", cap, figure, table)


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
    figure = framed(fig, cap, (CHART_SIZE[0], titles.fitted_height(fig, CHART_SIZE[1])))
    return Export("departments", cap, figure, tables.departments_table(league, cap, lang))


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
