"""Map figure builders (pydeck for the app, plotly SVG for old PCs) — no Streamlit here.

Offline: ``map_provider=None`` and ``map_style`` left at pydeck's ``__MAP_STYLE__`` sentinel —
Streamlit's frontend fetches a Carto style from the internet when ``map_style`` is ``None``.

Builders take frames that already carry the values and labels to show, so the app, the export
CLI and the briefing generator draw exactly the same map. Every text that comes from data is
HTML-escaped before it reaches a tooltip: deck.gl tooltips are HTML.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Sequence

import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk

from dashboard.figures import palette

REGION_LAYER = "regions"
VILLAGE_LAYER = "villages"
OUTLINE_LAYER = "outline"
INSET_LAYER = "inset"
FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"

# Properties shown in tooltips; each is escaped, then substituted by deck.gl.
TOOLTIP_FIELDS = ("name", "value_label", "rank_label", "change_label")


def view_for_bounds(
    bounds: Sequence[float], width_px: int = 760, height_px: int = 560, padding: float = 0.08
) -> pdk.ViewState:
    """A view that fits ``(minx, miny, maxx, maxy)`` in a viewport of the given size.

    Web-Mercator zoom: the whole world is 512 px wide at zoom 0 in deck.gl.

    Examples
    --------
    >>> v = view_for_bounds((89.4, 31.6, 103.1, 39.2))
    >>> round(v.longitude, 2), 4 < v.zoom < 6
    (96.25, True)

    """
    minx, miny, maxx, maxy = bounds
    lon_span = max(maxx - minx, 1e-4) * (1 + 2 * padding)

    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    merc_span = max(merc(maxy) - merc(miny), 1e-6) * (1 + 2 * padding)
    zoom_x = math.log2(width_px * 360 / (512 * lon_span))
    zoom_y = math.log2(height_px * 2 * math.pi / (512 * merc_span))
    centre_merc = (merc(maxy) + merc(miny)) / 2
    centre_lat = math.degrees(2 * math.atan(math.exp(centre_merc)) - math.pi / 2)
    return pdk.ViewState(
        longitude=(minx + maxx) / 2, latitude=centre_lat, zoom=min(zoom_x, zoom_y), pitch=0
    )


def _escaped_properties(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in TOOLTIP_FIELDS:
        if col in out:
            out[col] = out[col].map(lambda v: html.escape("" if v is None else str(v)))
    return out


def tooltip(labels: dict[str, str]) -> dict:
    """deck.gl tooltip spec; ``labels`` maps tooltip fields to (already translated) captions."""
    lines = ["<b>{name}</b>"] + [
        f"{html.escape(labels[f])}：{{{f}}}" for f in TOOLTIP_FIELDS[1:] if f in labels
    ]
    return {
        "html": "<br/>".join(lines),
        "style": {
            "fontFamily": FONT,
            "fontSize": "13px",
            "backgroundColor": "#333",
            "color": "#fff",
        },
    }


def region_deck(
    regions: gpd.GeoDataFrame,
    labels: dict[str, str],
    *,
    width: int = 520,
    height: int = 560,
    tile_url: str = "",
    inset: gpd.GeoDataFrame | None = None,
) -> pdk.Deck:
    """Choropleth of ``regions`` (columns ``code, name, colour, geometry`` and tooltip labels).

    Offline by construction: ``map_provider=None``; an optional ``tile_url`` (the deployment's own
    tile server) adds a raster basemap layer. ``inset`` (the national view's 南海诸岛 box, see
    ``metrics.regions.map_inset``) is drawn on top, not clickable.
    """
    props = _escaped_properties(regions)
    props["fill"] = props["colour"].map(lambda c: palette.hex_to_rgba(c, 215))
    keep = ["code", *[f for f in TOOLTIP_FIELDS if f in props], "fill", "geometry"]
    features = json.loads(gpd.GeoDataFrame(props[keep], geometry="geometry").to_json())
    layers = [
        *_basemap(tile_url),
        pdk.Layer(
            "GeoJsonLayer",
            data=features,
            id=REGION_LAYER,
            pickable=True,
            stroked=True,
            filled=True,
            get_fill_color="properties.fill",
            get_line_color=palette.hex_to_rgba(palette.OUTLINE),
            line_width_min_pixels=1,
            auto_highlight=True,
            highlight_color=[33, 102, 172, 120],
        ),
        *([] if inset is None else _inset_layers(inset)),
    ]
    return pdk.Deck(
        layers=layers,
        initial_view_state=view_for_bounds(regions.total_bounds, width, height),
        map_provider=None,
        tooltip=tooltip(labels),
        height=height,
    )


def _inset_layers(inset: gpd.GeoDataFrame) -> list[pdk.Layer]:
    """The 南海诸岛 box: land in light grey, frame and maritime line in black, its label."""
    features = json.loads(inset[["part", "geometry"]].to_json())
    frame = inset[inset["part"] == "frame"]
    minx, _, maxx, maxy = frame.total_bounds
    return [
        pdk.Layer(
            "GeoJsonLayer",
            data=features,
            id=INSET_LAYER,
            pickable=False,
            stroked=True,
            filled=True,
            get_fill_color=[235, 235, 235, 255],
            get_line_color=[60, 60, 60, 255],
            line_width_min_pixels=1,
        ),
        pdk.Layer(
            "TextLayer",
            data=[
                {"text": label, "position": [(minx + maxx) / 2, maxy]} for label in frame["label"]
            ],
            id=f"{INSET_LAYER}-label",
            get_position="position",
            get_text="text",
            get_size=12,
            get_text_anchor='"middle"',
            get_alignment_baseline='"top"',
            character_set="auto",
            font_family=FONT,
        ),
    ]


def village_deck(
    outline: gpd.GeoDataFrame,
    villages: pd.DataFrame,
    labels: dict[str, str],
    *,
    width: int = 520,
    height: int = 560,
    tile_url: str = "",
) -> pdk.Deck:
    """Villages as points (``lon, lat, colour, radius``) over the outline of their county."""
    props = _escaped_properties(villages)
    props["fill"] = props["colour"].map(lambda c: palette.hex_to_rgba(c, 230))
    outline_features = json.loads(outline[["code", "geometry"]].to_json())
    layers = [
        *_basemap(tile_url),
        pdk.Layer(
            "GeoJsonLayer",
            data=outline_features,
            id=OUTLINE_LAYER,
            pickable=False,
            stroked=True,
            filled=True,
            get_fill_color=[245, 245, 245, 255],
            get_line_color=palette.hex_to_rgba(palette.OUTLINE),
            line_width_min_pixels=1,
        ),
        pdk.Layer(
            "ScatterplotLayer",
            data=props[
                ["code", *[f for f in TOOLTIP_FIELDS if f in props], "lon", "lat", "fill", "radius"]
            ],
            id=VILLAGE_LAYER,
            pickable=True,
            get_position=["lon", "lat"],
            get_fill_color="fill",
            get_radius="radius",
            radius_units='"pixels"',  # a string literal: pydeck turns bare strings into accessors
            stroked=True,
            get_line_color=[60, 60, 60, 200],
            line_width_min_pixels=0.5,
            auto_highlight=True,
        ),
    ]
    return pdk.Deck(
        layers=layers,
        initial_view_state=view_for_bounds(outline.total_bounds, width, height),
        map_provider=None,
        tooltip=tooltip(labels),
        height=height,
    )


def _basemap(tile_url: str) -> list[pdk.Layer]:
    if not tile_url:
        return []
    return [
        pdk.Layer(
            "TileLayer",
            data=tile_url,
            id="basemap",
            min_zoom=0,
            max_zoom=18,
            tile_size=256,
            render_sub_layers={
                "@@type": "BitmapLayer",
                "image": "@@=props.data",
                "bounds": "@@=[props.tile.bbox.west, props.tile.bbox.south, "
                "props.tile.bbox.east, props.tile.bbox.north]",
            },
        )
    ]


def svg_region_figure(
    regions: gpd.GeoDataFrame, labels: dict[str, str], height: int = 560
) -> go.Figure:
    """The no-WebGL fallback: regions as filled SVG polygons in a plain plotly figure.

    No tiles, no topojson, no WebGL — works on old office PCs. Each region is one trace whose
    ``customdata`` holds its code, so a click selects it.
    """
    fig = go.Figure()
    props = _escaped_properties(regions)
    for row in props.itertuples():
        xs: list[float | None] = []
        ys: list[float | None] = []
        polys = getattr(row.geometry, "geoms", [row.geometry])
        for poly in polys:
            x, y = poly.exterior.xy
            xs += [*x, None]
            ys += [*y, None]
        hover = (
            "<b>"
            + row.name
            + "</b>"
            + "".join(
                f"<br>{html.escape(labels[f])}：{getattr(row, f)}"
                for f in TOOLTIP_FIELDS[1:]
                if f in labels and hasattr(row, f)
            )
        )
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                fill="toself",
                mode="lines",
                fillcolor=row.colour,
                line={"color": palette.OUTLINE, "width": 0.8},
                name=row.name,
                customdata=[row.code] * len(xs),
                hovertemplate=hover + "<extra></extra>",
                hoveron="fills",
                showlegend=False,
            )
        )
    minx, miny, maxx, maxy = regions.total_bounds
    mid_lat = math.radians((miny + maxy) / 2)
    fig.update_xaxes(visible=False, range=[minx, maxx])
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1 / math.cos(mid_lat))
    fig.update_layout(
        height=height,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        plot_bgcolor="white",
        font={"family": FONT},
        dragmode="pan",
    )
    return fig


def svg_village_figure(
    outline: gpd.GeoDataFrame, villages: pd.DataFrame, labels: dict[str, str], height: int = 560
) -> go.Figure:
    """The no-WebGL fallback of :func:`village_deck`: SVG points over the county outline.

    Point ``customdata`` holds the village code, so a click selects the village.
    """
    fig = svg_region_figure(outline.assign(colour="#f5f5f5", name=""), {}, height)
    for trace in fig.data:
        trace.hoverinfo, trace.hovertemplate, trace.customdata = "skip", None, None
    props = _escaped_properties(villages)
    shown = [f for f in TOOLTIP_FIELDS[1:] if f in labels and f in props]
    hover = [
        f"<b>{row['name']}</b>" + "".join(f"<br>{html.escape(labels[f])}：{row[f]}" for f in shown)
        for _, row in props.iterrows()
    ]
    fig.add_trace(
        go.Scatter(
            x=props["lon"],
            y=props["lat"],
            mode="markers",
            text=hover,
            customdata=props["code"],
            hovertemplate="%{text}<extra></extra>",
            marker={
                "color": props["colour"],
                "size": 2 * props["radius"],
                "line": {"color": "#3c3c3c", "width": 0.5},
            },
            showlegend=False,
        )
    )
    return fig
