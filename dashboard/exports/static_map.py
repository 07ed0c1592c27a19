"""Static maps for export: boundaries as SVG paths in a plain plotly figure — no tiles, no WebGL.

They draw what the app's map draws — the same frames, with the colours the app computed from
``metrics.classify`` and ``dashboard.figures.palette`` — and a legend that states the class
breaks. The legend, titles and labels are plotly layout (shapes and annotations). Drawing the
map as SVG rather than as a WebGL ``choropleth_map`` takes a PNG from about 2 s to under 0.5 s
in the export browser (``make bench``), and keeps the SVG export a vector drawing.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely

from dashboard.exports import titles
from dashboard.exports.static import SCALE
from dashboard.figures import palette
from dashboard.i18n import fmt_number, t
from metrics import registry

POINT_LEVELS = ("county", "township")  # map views that draw villages as points
SIZE = (900, 700)  # layout px of an exported map, caption included
MAP_SHARE = 0.74  # share of the width the map takes; the legend sits to its right
MAP_PX = round(SCALE * (SIZE[0] - 2 * titles.EDGE_PX) * MAP_SHARE)  # map width in PNG pixels
SWATCH_PX, ROW_PX = 18, 26
POINT_PX = 7
PADDING = 0.04  # room around the shapes, a share of their larger extent
DIGITS = 4  # decimals of degrees in paths: ~10 m, far below a pixel
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


def mercator(xy: np.ndarray) -> np.ndarray:
    """``(lon, lat)`` rows → ``(lon, y)`` in Web Mercator, ``y`` in degrees (as the app's map).

    Examples
    --------
    >>> mercator(np.array([[100.0, 36.0]])).round(2).tolist()  # ln tan(45° + 18°) = 0.674 rad
    [[100.0, 38.63]]

    """
    lat = np.radians(np.clip(xy[:, 1], -85, 85))
    return np.column_stack([xy[:, 0], np.degrees(np.log(np.tan(np.pi / 4 + lat / 2)))])


def svg_path(geometry: shapely.Geometry) -> str:
    """An SVG path of every ring of a (multi)polygon, holes included (fill it ``evenodd``).

    Examples
    --------
    >>> svg_path(shapely.box(0, 0, 1, 2))
    'M1,0L1,2L0,2L0,0L1,0Z'

    """
    rings = []
    for polygon in shapely.get_parts(geometry):
        for ring in (polygon.exterior, *polygon.interiors):
            xy = np.round(np.asarray(ring.coords), DIGITS)
            rings.append("M" + "L".join(f"{x:.10g},{y:.10g}" for x, y in xy) + "Z")
    return "".join(rings)


def _base(
    areas: gpd.GeoSeries, fill: Sequence[str], legend: Legend, width: int, height: int
) -> go.Figure:
    """``areas`` filled with ``fill`` on hidden equal-scale axes, ``legend`` to their right.

    Each area is a path shape in Web Mercator, drawn under the traces.
    """
    projected = shapely.transform(areas.to_numpy(), mercator)
    minx, miny, maxx, maxy = shapely.total_bounds(projected)
    pad = PADDING * max(maxx - minx, maxy - miny)
    fig = go.Figure()
    fig.update_layout(
        width=width,
        height=height,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        showlegend=False,
        plot_bgcolor="white",
        xaxis={"visible": False, "range": [minx - pad, maxx + pad], "domain": [0, MAP_SHARE]},
        yaxis={"visible": False, "range": [miny - pad, maxy + pad], "scaleanchor": "x"},
        shapes=[
            {
                "type": "path",
                "path": svg_path(geometry),
                "fillcolor": colour,
                "fillrule": "evenodd",
                "line": {"color": palette.OUTLINE, "width": 0.8},
                "layer": "below",
            }
            for geometry, colour in zip(projected, fill, strict=True)
        ],
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


def region_map(
    regions: gpd.GeoDataFrame, legend: Legend, *, width: int = 900, height: int = 640
) -> go.Figure:
    """Regions filled with their ``colour`` (columns ``code, colour, geometry``), as SVG paths.

    Plain SVG shapes on hidden equal-scale axes in Web Mercator: no WebGL map to render, so a
    PNG takes a fraction of a ``choropleth_map``'s time and an SVG stays vector.
    """
    return _base(regions.geometry, regions["colour"], legend, width, height)


def village_map(
    outline: gpd.GeoDataFrame,
    points: pd.DataFrame,
    legend: Legend,
    *,
    width: int = 900,
    height: int = 640,
) -> go.Figure:
    """Villages (``lon, lat, colour``) as outlined dots over the outline of their county."""
    fig = _base(outline.geometry, [LAND] * len(outline), legend, width, height)
    spots = mercator(points[["lon", "lat"]].to_numpy(dtype=float))
    fig.add_trace(
        go.Scatter(
            x=spots[:, 0],
            y=spots[:, 1],
            mode="markers",
            marker={
                "size": POINT_PX,
                "color": points["colour"],
                "line": {"color": palette.OUTLINE, "width": 1},
            },
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
