"""同级比较 — a region against its peers: league, rank over time, level vs progress, drivers."""

from __future__ import annotations

import html
from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard import data, export_buttons, page_header, ui
from dashboard.exports import tables
from dashboard.figures import charts
from dashboard.figures import peers as figures
from dashboard.i18n import fmt_number, fmt_pct
from metrics import registry

PLOT = {"displayModeBar": False}

page = page_header.region_page("page_peers")
view, region, crumbs = page.view, page.region, page.crumbs


def focus(region, crumbs) -> tuple[str, str | None]:
    """The level compared and the focal region: the province shows its prefectures (or all
    counties with ``level=county``); a village is compared through its township."""
    if region.level in ("country", "province"):
        return ("county" if view.level == "county" else "prefecture"), None
    if region.level == "village":
        st.caption(ui.t("peers_village_note", township=crumbs[-2].name))
        return "township", crumbs[-2].code
    return region.level, region.code


def clicked(event) -> str | None:
    """The region code of a clicked bar or point."""
    points = ((event.selection or {}).get("points") or []) if event else []
    return points[0].get("customdata") if points else None


level, code = focus(region, crumbs)
options = ["level", "parent", "group"] if code else ["level"]
if level == "prefecture":
    options = [o for o in options if o != "parent"]


def among_label(option: str) -> str:
    """全省所有县, 同一上级的县, …: the peer set of ``option``."""
    return ui.t(f"peers_among_{option}", level=ui.t(f"level_{level}"))


among = st.radio(
    ui.t("peers_among"),
    options,
    format_func=among_label,
    horizontal=True,
    key=f"peers-among-{level}",
)
found = data.peer_comparison(level, view.period, view.indicator, code, among)
table, label, lang = found.table, ui.indicator_label(view.indicator), ui.lang()
subject = export_buttons.Subject(
    "peers",
    view.region,
    crumbs[-1].name,
    found.period,
    view.indicator,
    filters=ui.t("export_filters_peers", among=among_label(among)),
)
league_title = ui.t(
    "export_title_peer_league",
    level=ui.t(f"level_{level}"),
    indicator=label,
    period=ui.period_label(found.period),
)


def chart_title(chart: str) -> str:
    """The export title of a chart about the page's region."""
    return ui.t("export_title_chart", region=crumbs[-1].name, chart=chart)


if found.fallback:
    st.info(ui.t("peers_fallback", group=found.group or ""), icon="ℹ️")
st.caption(
    ui.t(
        "peers_caption",
        period=ui.period_label(found.period),
        count=found.count,
        median=fmt_number(found.median, ui.lang()),
    )
)

me = table[table["is_self"]]
if len(me):
    row = me.iloc[0]
    cols = st.columns(5)
    cols[0].metric(ui.t("peers_rank"), f"{row['rank']:.0f} / {row['peers']:.0f}")
    cols[1].metric(ui.t("peers_percentile"), fmt_number(row["percentile"], ui.lang(), 0))
    cols[2].metric(
        ui.t("peers_vs_median"),
        f"{row['vs_median']:+.1f}" if row["vs_median"] == row["vs_median"] else "—",
        delta=fmt_pct(row["vs_median_pct"], signed=True),
        delta_color="inverse",
    )
    cols[3].metric(ui.t("col_change"), fmt_pct(row["change_vs_baseline_pct"], signed=True))
    cols[4].metric(ui.t("col_targets_met"), fmt_pct(100 * row["targets_met"]))

picked: list[str | None] = []
top = figures.shown(table)
if len(top) < len(table):
    st.caption(ui.t("peers_shown", most=figures.HIDDEN_PEERS))
tabs = st.tabs(
    [ui.t(k) for k in ("peers_tab_league", "peers_tab_bump", "peers_tab_scatter")]
    + [ui.t(k) for k in ("peers_tab_breakdown", "peers_tab_multiples")]
)
with tabs[0]:
    fig = figures.league_bars(
        top,
        value="mean",
        label=label,
        median=found.median,
        median_label=ui.t("peers_median"),
    )
    event = export_buttons.chart(
        fig,
        subject,
        league_title,
        "export-peers-league",
        on_select="rerun",
        selection_mode="points",
        key="peers-league",
        config=PLOT,
    )
    picked.append(clicked(event))
    st.dataframe(
        pd.DataFrame(
            {
                ui.t("col_rank"): table["rank"],
                ui.t("col_name"): table["name"],
                label: table["mean"].round(1),
                ui.t("peers_percentile"): table["percentile"].round(0),
                ui.t("peers_vs_median"): table["vs_median_pct"].round(1),
                ui.t("col_change"): table["change_vs_baseline_pct"].round(1),
                ui.t("col_targets_met"): (100 * table["targets_met"]).round(1),
            }
        ),
        hide_index=True,
        column_config={
            ui.t("peers_vs_median"): st.column_config.NumberColumn(format="%+.1f%%"),
            ui.t("col_change"): st.column_config.NumberColumn(format="%+.1f%%"),
            ui.t("col_targets_met"): st.column_config.ProgressColumn(
                format="%.0f%%", min_value=0, max_value=100
            ),
        },
    )
    export_buttons.table_buttons(
        subject,
        league_title,
        lambda cap: tables.peers_table(table, cap, indicator=view.indicator, lang=lang),
        "export-peers-table",
    )
history = data.peer_history(level, view.period, view.indicator, code, among)
history = history[history["code"].isin(top["code"])]
over_time = replace(
    subject, span=(history["period"].min(), history["period"].max()) if len(history) else None
)
with tabs[1]:
    export_buttons.chart(
        figures.bump_chart(history, title=ui.t("peers_bump_title"), period_label=ui.period_label),
        replace(over_time, view="peers-bump"),
        chart_title(ui.t("peers_bump_title")),
        "export-peers-bump",
        config=PLOT,
    )
with tabs[2]:
    event = export_buttons.chart(
        figures.level_progress(
            table,
            x_title=label,
            y_title=ui.t("col_change") + " (%)",
            quadrant=ui.t("peers_quadrant"),
        ),
        replace(subject, view="peers-scatter"),
        chart_title(ui.t("peers_tab_scatter")),
        "export-peers-scatter",
        on_select="rerun",
        selection_mode="points",
        key="peers-scatter",
        config=PLOT,
    )
    picked.append(clicked(event))
    st.caption(ui.t("peers_scatter_note"))
with tabs[3]:
    whose = code or view.region
    parts = data.index_breakdown(whose, view.period)
    name = crumbs[-1].name if code is None else me["name"].iloc[0]
    export_buttons.chart(
        figures.breakdown_bars(
            parts,
            {c: registry.label(c, lang) for c in registry.CODES},
            {
                "points": ui.period_label(view.period),
                "baseline_points": ui.period_label(data.baseline_period() or ""),
                "top_points": ui.t("peers_province"),
            },
            title=ui.t("peers_breakdown_title", name=html.escape(name)),
        ),
        replace(
            subject, view="peers-breakdown", region=whose, name=name, indicator=registry.INDEX_CODE
        ),
        ui.t("peers_breakdown_title", name=name),
        "export-peers-breakdown",
        config=PLOT,
    )
    st.caption(ui.t("peers_breakdown_note"))
with tabs[4]:
    by_code = dict(list(history.groupby("code")))
    frames = {html.escape(r.name): by_code[r.code] for r in top.itertuples() if r.code in by_code}
    multiples_title = ui.t("peers_multiples_title", indicator=label)
    export_buttons.chart(
        charts.small_multiples(frames, title=multiples_title),
        replace(over_time, view="peers-multiples"),
        chart_title(multiples_title),
        "export-peers-multiples",
        config=PLOT,
    )

target = next((c for c in picked if c), None)
if target and target != view.region:
    ui.go(region=target, level="")
