"""Static maps for export: plotly ``choropleth_map`` on a blank ``white-bg`` style, no tiles.

They draw what the app's map draws — the same frames, with the colours the app computed from
``metrics.classify`` and ``dashboard.figures.palette`` — and a legend that states the class
breaks. The legend, titles and labels are plotly layout (shapes and annotations), never map
text layers, so the map needs no glyphs or sprites from the internet.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go

from dashboard.exports import titles
from dashboard.figures import maps, palette
from dashboard.i18n import fmt_number, t
from metrics import registry

POINT_LEVELS = ("county", "township")  # map views that draw villages as points
SIZE = (900, 700)  # layout px of an exported map, caption included
MAP_SHARE = 0.74  # share of the width the map takes; the legend sits to its right
SWATCH_PX, ROW_PX = 18, 26
POINT_PX = 7
LAND = "#f5f5f5"  # the county under its villages


@dataclass(frozen=True)
class Legend:
    """Legend title (lines) and ``(colour, label)`` items, light to dark, no-data last."""

    title: str
    items: tuple[tuple[str, str], ...]


def legend_items(
    breaks: Sequence[float], lowest: float | None, fixed: bool, lang: str = "zh"
) -> list[tuple[str, str]]:
    """``(colour, "lower – upper")`` for each class of ``breaks``, then the no-data colour.

    With ``fixed`` (baseline) breaks the top class is open: ``> lower``.

    Examples
    --------
    >>> legend_items([2.0, 5.0], 1.0, False)
    [('#ffffb2', '1 – 2'), ('#b10026', '2 – 5'), ('#bdbdbd', '无数据')]

    """
    colours = palette.sequential(max(1, len(breaks)))
    items = []
    for n, upper in enumerate(breaks):
        lower = lowest if n == 0 else breaks[n - 1]
        text = f"{fmt_number(lower, lang)} – {fmt_number(upper, lang)}"
        if n and n == len(breaks) - 1 and fixed:
            text = f"> {fmt_number(lower, lang)}"
        items.append((colours[n], text))
    items.append((palette.NO_DATA, t("no_data", lang)))
    return items


def _base(bounds: Sequence[float], legend: Legend, width: int, height: int) -> go.Figure:
    """An empty map fitted to ``bounds`` with ``legend`` drawn to its right."""
    view = maps.view_for_bounds(bounds, int(width * MAP_SHARE), height)
    fig = go.Figure()
    fig.update_layout(
        width=width,
        height=height,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        showlegend=False,
        map={
            "style": "white-bg",
            "center": {"lon": view.longitude, "lat": view.latitude},
            "zoom": view.zoom,
            "domain": {"x": [0, MAP_SHARE], "y": [0, 1]},
        },
    )
    x0 = MAP_SHARE + 0.03
    fig.add_annotation(
        text="<br>".join(f"<b>{html.escape(line)}</b>" for line in legend.title.splitlines()),
        x=x0,
        y=0.5 + len(legend.items) * ROW_PX / 2 / height,
        xref="paper",
        yref="paper",
        xanchor="left",
        yanchor="bottom",
        align="left",
        showarrow=False,
        font={"size": 13},
    )
    for n, (colour, label) in enumerate(legend.items):
        top = 0.5 + (len(legend.items) / 2 - n) * ROW_PX / height
        fig.add_shape(
            type="rect",
            x0=x0,
            x1=x0 + SWATCH_PX / width,
            y0=top - SWATCH_PX / height,
            y1=top,
            xref="paper",
            yref="paper",
            fillcolor=colour,
            line={"color": palette.OUTLINE, "width": 0.6},
        )
        fig.add_annotation(
            text=html.escape(label),
            x=x0 + (SWATCH_PX + 8) / width,
            y=top - SWATCH_PX / height / 2,
            xref="paper",
            yref="paper",
            xanchor="left",
            yanchor="middle",
            showarrow=False,
            font={"size": 12},
        )
    return fig


def _filled(shapes: gpd.GeoDataFrame, colour: str, line_width: float) -> go.Choroplethmap:
    """``shapes`` (``code, geometry``) filled with one colour (a one-colour scale)."""
    return go.Choroplethmap(
        geojson=json.loads(shapes[["code", "geometry"]].to_json()),
        featureidkey="properties.code",
        locations=shapes["code"],
        z=[0] * len(shapes),
        colorscale=[[0, colour], [1, colour]],
        showscale=False,
        marker={"line": {"color": palette.OUTLINE, "width": line_width}},
        hoverinfo="skip",
    )


def region_map(
    regions: gpd.GeoDataFrame, legend: Legend, *, width: int = 900, height: int = 640
) -> go.Figure:
    """Regions filled with their ``colour`` (columns ``code, colour, geometry``)."""
    fig = _base(regions.total_bounds, legend, width, height)
    for colour, rows in regions.groupby("colour", sort=False):
        fig.add_trace(_filled(rows, colour, 0.8))
    return fig


def village_map(
    outline: gpd.GeoDataFrame,
    points: pd.DataFrame,
    legend: Legend,
    *,
    width: int = 900,
    height: int = 640,
) -> go.Figure:
    """Villages (``lon, lat, colour``) as dots over the outline of their county."""
    fig = _base(outline.total_bounds, legend, width, height)
    fig.add_trace(_filled(outline, LAND, 1))
    for size, colour in ((POINT_PX + 2, palette.OUTLINE), (POINT_PX, points["colour"])):
        fig.add_trace(  # a dark dot under each coloured one: light classes stay visible
            go.Scattermap(
                lon=points["lon"],
                lat=points["lat"],
                mode="markers",
                marker={"size": size, "color": colour},
                hoverinfo="skip",
            )
        )
    return fig


def map_legend(
    indicator: str,
    breaks: Sequence[float],
    lowest: float | None,
    *,
    scheme: str,
    fixed: bool,
    lang: str = "zh",
) -> Legend:
    """The map legend: what is coloured, by which classification, and the class breaks."""
    how = t(f"scheme_{scheme}", lang) + (" · " + t("fixed_to_baseline", lang) if fixed else "")
    title = f"{registry.label(indicator, lang)}\n{t('legend_title', lang, scheme=how)}"
    return Legend(title, tuple(legend_items(breaks, lowest, fixed, lang)))


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
    legend: Legend,
    points: pd.DataFrame | None = None,
) -> go.Figure:
    """The static map of a view: ``mapped`` rows (``code, colour``) as regions or as points.

    ``shapes`` holds the regions' boundaries, or with ``points`` (``code, lon, lat`` of
    villages) the outline of the county they are drawn over.
    """
    width, height = SIZE
    size = {"width": width, "height": height - titles.TITLE_PX - titles.SOURCE_PX}
    if points is not None:
        spots = mapped.merge(points[["code", "lon", "lat"]], on="code")
        return village_map(shapes, spots, legend, **size)
    regions = gpd.GeoDataFrame(
        shapes[["code", "geometry"]].merge(mapped, on="code"), geometry="geometry"
    )
    return region_map(regions, legend, **size)
