"""Chart builders (plotly) shared by the app and the exports — no Streamlit here."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.figures.maps import FONT

# Reform milestones marked on every trend (quarter in which each took effect).
MILESTONES: tuple[tuple[str, str, str], ...] = (
    ("2022Q3", "2022-08 厅字〔2022〕28号", "2022-08 village opinion"),
    ("2024Q3", "2024-08 减负若干规定", "2024-08 burden rules"),
)
LINE_COLOURS = ("#b10026", "#2166ac", "#4d4d4d", "#1b7837", "#762a83", "#e08214", "#35978f")
REBOUND = "#d6604d"


# The look of every chart: one source for _layout (figures with subplots) and _figure.
_LOOK = {
    "font": {"family": FONT, "size": 13},
    "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
    "plot_bgcolor": "white",
    "legend": {"orientation": "h", "y": -0.15},
    "hovermode": "x unified",
}
_X_AXIS = {"showgrid": False, "type": "category"}
_Y_AXIS = {"gridcolor": "#e5e5e5", "rangemode": "tozero"}


def _layout(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(height=height, **_LOOK)
    fig.update_xaxes(**_X_AXIS)
    fig.update_yaxes(**_Y_AXIS)
    return fig


def _figure(traces: list[dict], layout: dict) -> go.Figure:
    """A one-panel chart of scatter ``traces`` in the common look, built in one go.

    Plotly's validation of every property costs ~40 ms per chart, a tenth of a page run; these
    specs are fixed, and a test checks that the figures validate.
    """
    xaxis = {**_X_AXIS, **layout.pop("xaxis", {})}
    yaxis = {**_Y_AXIS, **layout.pop("yaxis", {})}
    data = [{"type": "scatter", **t} for t in traces]
    look = {**_LOOK, **layout, "xaxis": xaxis, "yaxis": yaxis}
    return go.Figure(data, look, _validate=False)


def milestones(periods: Sequence[str], lang: str = "zh") -> dict[str, list[dict]]:
    """Layout ``shapes`` and ``annotations`` marking the reform milestones within ``periods``."""
    shown = [m for m in MILESTONES if m[0] in periods]
    return {
        "shapes": [
            {
                "type": "line",
                "x0": period,
                "x1": period,
                "xref": "x",
                "y0": 0,
                "y1": 1,
                "yref": "y domain",
                "line": {"color": "#888", "dash": "dot"},
            }
            for period, _, _ in shown
        ],
        "annotations": [
            {
                "x": period,
                "y": 1,
                "yref": "paper",
                "text": zh if lang == "zh" else en,
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "top",
                "font": {"size": 11, "color": "#555"},
            }
            for period, zh, en in shown
        ],
    }


def trend_figure(
    series: dict[str, pd.DataFrame],
    *,
    title: str,
    y_title: str,
    period_label: Callable[[str], str],
    lang: str = "zh",
    height: int = 380,
) -> go.Figure:
    """Lines of ``mean`` per period for each named series (region, parent, province).

    Points where a series' ``rebound`` column is true are ringed.
    """
    traces: list[dict] = []
    all_periods: list[str] = []
    for n, (name, df) in enumerate(series.items()):
        labels = [period_label(p) for p in df["period"]]
        all_periods = list(df["period"]) if len(df) > len(all_periods) else all_periods
        traces.append(
            {
                "x": df["period"],
                "y": df["mean"],
                "name": name,
                "mode": "lines+markers",
                "line": {"color": LINE_COLOURS[n % len(LINE_COLOURS)], "width": 3 if n == 0 else 2},
                "customdata": labels,
                "hovertemplate": "%{customdata}: %{y:.1f}",
            }
        )
        if "rebound" in df and df["rebound"].fillna(False).astype(bool).any():
            hit = df[df["rebound"].fillna(False).astype(bool)]
            traces.append(
                {
                    "x": hit["period"],
                    "y": hit["mean"],
                    "mode": "markers",
                    "showlegend": n == 0,
                    "name": "反弹" if lang == "zh" else "Rebound",
                    "marker": {
                        "size": 14,
                        "color": "rgba(0,0,0,0)",
                        "line": {"color": REBOUND, "width": 2.5},
                    },
                    "hoverinfo": "skip",
                }
            )
    return _figure(
        traces,
        {
            "title": {"text": title, "x": 0},
            "yaxis": {"title": {"text": y_title}},
            "height": height,
            **milestones(all_periods, lang),
        },
    )


def small_multiples(
    frames: dict[str, pd.DataFrame],
    *,
    title: str,
    columns: int = 4,
    height_per_row: int = 170,
) -> go.Figure:
    """One small line chart per named frame (``period, mean``), all on one y scale."""
    names = list(frames)
    rows = max(1, -(-len(names) // columns))
    fig = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=names,
        shared_yaxes="all",
        vertical_spacing=0.5 / rows if rows > 1 else 0.1,
    )
    top = max(
        (float(df["mean"].max()) for df in frames.values() if df["mean"].notna().any()), default=1.0
    )
    for n, name in enumerate(names):
        df = frames[name]
        fig.add_trace(
            go.Scatter(
                x=df["period"],
                y=df["mean"],
                mode="lines",
                name=name,
                showlegend=False,
                line={"color": LINE_COLOURS[0], "width": 2},
            ),
            row=n // columns + 1,
            col=n % columns + 1,
        )
    fig.update_yaxes(range=[0, top * 1.05])
    fig.update_xaxes(showticklabels=False)
    fig.update_layout(title={"text": title, "x": 0})
    fig = _layout(fig, height_per_row * rows + 60)
    fig.update_layout(hovermode="closest")
    return fig


def village_indicators_figure(
    wide: pd.DataFrame, labels: dict[str, str], *, title: str, height: int = 360
) -> go.Figure:
    """A village's indicators over time (one line each; ``wide`` indexed by period)."""
    traces = [
        {
            "x": list(wide.index),
            "y": wide[code],
            "name": labels[code],
            "mode": "lines+markers",
            "line": {"color": LINE_COLOURS[n % len(LINE_COLOURS)]},
        }
        for n, code in enumerate(c for c in wide.columns if c in labels)
    ]
    return _figure(
        traces,
        {"title": {"text": title, "x": 0}, "height": height, **milestones(list(wide.index))},
    )
