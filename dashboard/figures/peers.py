"""Figures of the peers, departments and inspection pages (plotly) — no Streamlit here.

Builders take frames from ``metrics`` (through the adapter) plus already translated labels, so
exports can draw exactly what the app shows. Points and bars carry the region code as
``customdata`` so that a click can select it.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.charts import LINE_COLOURS, _layout
from dashboard.figures.palette import NO_DATA

SELF = "#b10026"  # the focal region
OTHERS = "#6b8fb5"
MEDIAN = "#444444"
HIDDEN_PEERS = 30  # beyond this many peers, charts show the heaviest and the focal region


def shown(table: pd.DataFrame, most: int = HIDDEN_PEERS) -> pd.DataFrame:
    """The first ``most`` rows of a ranked table plus the focal region (``is_self``).

    Examples
    --------
    >>> t = pd.DataFrame({"code": list("abc"), "is_self": [False, False, True]})
    >>> shown(t, 1)["code"].tolist()
    ['a', 'c']

    """
    return table[(table.reset_index().index < most) | table["is_self"].to_numpy()]


def _names(values: pd.Series) -> list[str]:
    return [html.escape(str(v)) for v in values]


def league_bars(
    table: pd.DataFrame,
    *,
    value: str,
    label: str,
    median: float | None,
    median_label: str,
    height_per_bar: int = 22,
) -> go.Figure:
    """Horizontal bars of ``table[value]``, heaviest on top; the focal region in red.

    ``table`` has ``code, name, rank, is_self`` and ``value``; bars carry the code.
    """
    rows = table.iloc[::-1]
    fig = go.Figure(
        go.Bar(
            x=rows[value],
            y=_names(rows["name"]),
            orientation="h",
            marker_color=[SELF if s else OTHERS for s in rows["is_self"]],
            customdata=rows["code"],
            text=[f"#{r:.0f}" if r == r else "" for r in rows["rank"]],
            textposition="outside",
            hovertemplate=f"%{{y}}<br>{html.escape(label)}：%{{x:.1f}}<extra></extra>",
        )
    )
    if median is not None:
        fig.add_vline(x=median, line_dash="dash", line_color=MEDIAN)
        fig.add_annotation(
            x=median,
            y=1,
            yref="paper",
            text=html.escape(median_label),
            showarrow=False,
            xanchor="left",
            yanchor="bottom",
            font={"size": 11, "color": MEDIAN},
        )
    fig.update_layout(xaxis_title=label, yaxis={"type": "category", "automargin": True})
    fig = _layout(fig, max(260, 60 + height_per_bar * len(rows)))
    fig.update_xaxes(type="linear", showgrid=True, gridcolor="#e5e5e5")
    fig.update_layout(hovermode="closest", showlegend=False)
    return fig


def bump_chart(
    history: pd.DataFrame, *, title: str, period_label: Callable[[str], str]
) -> go.Figure:
    """Rank over time (1 on top), one line per region; the focal region thick and red.

    ``history`` has ``code, name, period, rank, peers, is_self``.
    """
    fig = go.Figure()
    for n, (code, rows) in enumerate(history.groupby("code", sort=False)):
        mine = bool(rows["is_self"].iloc[0])
        name = html.escape(str(rows["name"].iloc[0]))
        fig.add_trace(
            go.Scatter(
                x=rows["period"],
                y=rows["rank"],
                mode="lines+markers",
                name=name,
                line={
                    "color": SELF if mine else LINE_COLOURS[1 + n % (len(LINE_COLOURS) - 1)],
                    "width": 4 if mine else 1.5,
                },
                opacity=1 if mine else 0.6,
                customdata=[
                    [code, period_label(p), int(k)]
                    for p, k in zip(rows["period"], rows["peers"], strict=True)
                ],
                hovertemplate=name + " · %{customdata[1]}：#%{y} / %{customdata[2]}<extra></extra>",
            )
        )
    top = int(history["peers"].max()) if len(history) else 1
    fig.update_yaxes(autorange=False, range=[top + 0.5, 0.5], dtick=max(1, top // 10))
    fig.update_layout(title={"text": title, "x": 0})
    fig = _layout(fig, 420)
    fig.update_yaxes(rangemode="normal")
    fig.update_layout(hovermode="closest", legend={"orientation": "v", "y": 1, "x": 1.02})
    return fig


def level_progress(
    table: pd.DataFrame,
    *,
    x_title: str,
    y_title: str,
    quadrant: str,
) -> go.Figure:
    """Level (``mean``) against change since baseline (%), split at the peers' medians.

    Top right — high and not falling — is where attention is due; it is labelled ``quadrant``
    and its points are named (so is the focal region; the others on hover).
    """
    rows = table.dropna(subset=["mean", "change_vs_baseline_pct"])
    x0, y0 = rows["mean"].median(), rows["change_vs_baseline_pct"].median()
    named = rows["is_self"] | ((rows["mean"] > x0) & (rows["change_vs_baseline_pct"] > y0))
    fig = go.Figure(
        go.Scatter(
            x=rows["mean"],
            y=rows["change_vs_baseline_pct"],
            mode="markers+text",
            text=[n if show else "" for n, show in zip(_names(rows["name"]), named, strict=True)],
            hovertext=_names(rows["name"]),
            textposition="top center",
            textfont={"size": 10},
            customdata=rows["code"],
            marker={
                "size": [16 if s else 10 for s in rows["is_self"]],
                "color": [SELF if s else OTHERS for s in rows["is_self"]],
                "line": {"color": "white", "width": 1},
            },
            hovertemplate="%{hovertext}<br>%{x:.1f} · %{y:+.1f}%<extra></extra>",
        )
    )
    if len(rows):
        fig.add_vline(x=x0, line_dash="dot", line_color=MEDIAN)
        fig.add_hline(y=y0, line_dash="dot", line_color=MEDIAN)
        fig.add_annotation(
            x=1,
            y=1,
            xref="paper",
            yref="paper",
            text=html.escape(quadrant),
            showarrow=False,
            xanchor="right",
            yanchor="top",
            font={"color": SELF},
        )
    fig.update_layout(xaxis_title=x_title, yaxis_title=y_title)
    fig = _layout(fig, 460)
    fig.update_xaxes(type="linear", showgrid=True, gridcolor="#e5e5e5")
    fig.update_yaxes(rangemode="normal")
    fig.update_layout(hovermode="closest", showlegend=False)
    return fig


def breakdown_bars(
    frame: pd.DataFrame, labels: Mapping[str, str], series: Mapping[str, str], *, title: str
) -> go.Figure:
    """Each indicator's points of the index, one bar per named column of ``frame``.

    ``series`` maps a points column (``points``, ``baseline_points``, ``top_points``) to its
    legend name; ``labels`` indicator codes to names.
    """
    fig = go.Figure()
    names = [labels[c] for c in frame["indicator"]]
    colours = (SELF, NO_DATA, OTHERS)
    for n, (column, name) in enumerate(series.items()):
        fig.add_trace(
            go.Bar(
                y=names,
                x=frame[column],
                name=name,
                orientation="h",
                marker_color=colours[n % len(colours)],
                hovertemplate=f"{html.escape(name)} · %{{y}}：%{{x:.1f}}<extra></extra>",
            )
        )
    fig.update_layout(barmode="group", title={"text": title, "x": 0})
    fig = _layout(fig, 420)
    fig.update_xaxes(type="linear", showgrid=True, gridcolor="#e5e5e5")
    fig.update_yaxes(type="category", autorange="reversed")
    fig.update_layout(hovermode="closest")
    return fig


def stacked_bars(
    frame: pd.DataFrame,
    *,
    parts: Mapping[str, str],
    colours: tuple[str, ...] = (OTHERS, SELF),
    x_title: str,
    height_per_bar: int = 22,
) -> go.Figure:
    """Horizontal stacked bars of ``frame``'s ``parts`` columns (first row on top).

    ``frame`` has ``name`` and ``code``; ``parts`` maps a column to its legend name.
    """
    rows = frame.iloc[::-1]
    fig = go.Figure(
        [
            go.Bar(
                y=_names(rows["name"]),
                x=rows[column],
                name=name,
                orientation="h",
                marker_color=colours[n % len(colours)],
                customdata=rows["code"],
                hovertemplate=f"%{{y}} · {html.escape(name)}：%{{x:,}}<extra></extra>",
            )
            for n, (column, name) in enumerate(parts.items())
        ]
    )
    fig.update_layout(barmode="stack", xaxis_title=x_title)
    fig = _layout(fig, max(260, 80 + height_per_bar * len(rows)))
    fig.update_xaxes(type="linear", showgrid=True, gridcolor="#e5e5e5")
    fig.update_yaxes(type="category", automargin=True)
    fig.update_layout(
        hovermode="closest", legend={"orientation": "h", "y": 1.0, "yanchor": "bottom"}
    )
    return fig
