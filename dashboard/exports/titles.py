"""What every exported figure and table says about itself: title, subtitle, source, marking.

The subtitle names the region, indicator and quarter (2025年第四季度), the data vintage and
"模拟数据" for simulated data; the source line says where the numbers come from; the marking
line (setting ``marking``, e.g. 内部资料 注意保存) goes on every page of exports from real data
— simulated data is marked "模拟数据" instead.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

import plotly.graph_objects as go

from dashboard.figures.maps import FONT
from dashboard.i18n import t
from metrics import periods, registry, settings
from metrics.exports.provenance import Provenance

# Room (px) above the plot for title and subtitle, and a legend; below it for axis labels and
# the source line; at the sides.
TITLE_PX, LEGEND_PX, AXES_PX, SOURCE_PX, EDGE_PX = 84, 30, 64, 34, 24
CHART_SIZE = (900, 560)  # layout px of an exported chart; its PNG is 1,800 px wide
MARKING_COLOUR = "#b10026"


@dataclass(frozen=True)
class Caption:
    """The texts around an exported figure or table."""

    title: str
    subtitle: str
    source: str
    marking: str
    filters: str = ""  # what else selected the rows, e.g. "下级：乡镇 · 分级：分位数"

    def about(self, lang: str = "zh") -> tuple[tuple[str, str], ...]:
        """``(label, text)`` lines for the description sheet of a spreadsheet."""
        lines = [
            (t("export_about_subject", lang), self.subtitle),
            (t("export_about_filters", lang), self.filters),
            (t("export_about_source", lang), self.source),
            (t("export_about_exported", lang), datetime.now().strftime("%Y-%m-%d %H:%M")),
        ]
        return tuple((label, text) for label, text in lines if text)


def marking(simulated: bool, lang: str = "zh") -> str:
    """The marking line: the configured one for real data, "模拟数据" for simulated data.

    Examples
    --------
    >>> marking(True)
    '模拟数据'

    """
    return t("simulated_mark", lang) if simulated else str(settings.get("marking"))


def caption(
    title: str,
    provenance: Provenance,
    *,
    region: str,
    period: str | tuple[str, str] | None = None,
    indicator: str | None = None,
    filters: str = "",
    lang: str = "zh",
) -> Caption:
    """The caption of an export of ``region`` (a name) in ``period`` for ``indicator``.

    ``period`` is a quarter or a ``(first, last)`` span (trends).

    Examples
    --------
    >>> p = Provenance(True, "2026-01-15 09:30", "2022Q1")
    >>> c = caption("图", p, region="青海省", period="2025Q4", indicator="index")
    >>> c.subtitle
    '青海省 · 负担指数 · 2025年第四季度 · 数据版本 2026-01-15 09:30 · 模拟数据'

    """
    parts = [region]
    if indicator:
        parts.append(registry.label(indicator, lang))
    if isinstance(period, tuple):
        parts.append("—".join(periods.label(p, lang) for p in period))
    elif period:
        parts.append(periods.label(period, lang))
    if provenance.vintage:
        parts.append(t("export_vintage", lang, vintage=provenance.vintage))
    if provenance.simulated:
        parts.append(t("simulated_mark", lang))
    baseline = periods.label(provenance.baseline, lang) if provenance.baseline else "—"
    return Caption(
        title=title,
        subtitle=" · ".join(parts),
        source=t("export_source", lang, baseline=baseline),
        marking=marking(provenance.simulated, lang),
        filters=filters,
    )


def decorate(fig: go.Figure, cap: Caption, *, width: int, height: int) -> go.Figure:
    """A copy of ``fig`` sized ``width`` × ``height`` px with the caption drawn around the plot.

    Title and subtitle at the top left, the marking line at the top right, the source line at
    the bottom; a horizontal legend moves up under the subtitle. The margins leave room for
    axis labels, so plotly's automatic margins do not push the plot into the captions. The CJK
    font is set explicitly (without it Chromium picks Japanese glyph forms).
    """
    out = go.Figure(fig)
    cartesian = out.layout.xaxis.visible is not False  # a map hides its axes: no axis labels
    entries = sum(trace.showlegend is not False for trace in out.data)
    shown = out.layout.showlegend or (out.layout.showlegend is None and entries > 1)
    legend = cartesian and shown and out.layout.legend.orientation == "h"
    top = TITLE_PX + (LEGEND_PX if legend else 0)
    bottom = SOURCE_PX + (AXES_PX if cartesian else 0)
    left = EDGE_PX / width
    out.update_layout(
        width=width,
        height=height,
        font={"family": FONT},
        paper_bgcolor="white",
        title={
            "text": f"<b>{html.escape(cap.title)}</b>",
            "subtitle": {"text": html.escape(cap.subtitle), "font": {"size": 13, "color": "#555"}},
            "x": left,
            "xref": "container",
            "y": 1 - 14 / height,
            "yref": "container",
            "yanchor": "top",
            "font": {"size": 20},
        },
        margin={"t": top, "b": bottom, "l": EDGE_PX, "r": EDGE_PX},
    )
    if legend:
        out.update_layout(
            legend={
                "x": left,
                "xref": "container",
                "y": 1 - TITLE_PX / height,
                "yref": "container",
                "yanchor": "top",
            }
        )
    for text, y, shift, anchor, size, colour in (
        (cap.source, 0, -(bottom - 8), "bottom", 11, "#555"),
        (cap.marking, 1, top - 10, "top", 13, MARKING_COLOUR),
    ):
        if text:
            out.add_annotation(
                text=html.escape(text) if anchor == "bottom" else f"<b>{html.escape(text)}</b>",
                x=0 if anchor == "bottom" else 1,
                xanchor="left" if anchor == "bottom" else "right",
                y=y,
                yshift=shift,
                yanchor=anchor,
                xref="paper",
                yref="paper",
                showarrow=False,
                font={"size": size, "color": colour},
            )
    return out


def chart_size(fig: go.Figure) -> tuple[int, int]:
    """Export size of a chart: :data:`CHART_SIZE`, taller if the app draws the plot taller."""
    margin = fig.layout.margin
    plot = (fig.layout.height or 0) - (margin.t or 0) - (margin.b or 0)
    height = int(plot) + TITLE_PX + LEGEND_PX + AXES_PX + SOURCE_PX
    return CHART_SIZE[0], max(CHART_SIZE[1], height)


def framed(fig: go.Figure, cap: Caption, size: tuple[int, int] | None = None) -> go.Figure:
    """:func:`decorate` at the export ``size`` (default: :func:`chart_size`)."""
    width, height = size or chart_size(fig)
    return decorate(fig, cap, width=width, height=height)
