"""趋势 — the region against its parent and the province, its children on one scale."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from dashboard import data, export_buttons, ui, views
from dashboard.exports import content, tables
from dashboard.figures import charts
from metrics import registry

view = ui.current()
ui.show_notices()
ui.simulated_banner()

place = views.place(view)
if place is not None:
    views.breadcrumb(place.crumbs)
    indicator = view.indicator
    series = {c.name: data.trend(c.code, indicator) for c in content.compared(place.crumbs)}
    trend = charts.trend_figure(
        series,
        title=ui.indicator_label(indicator),
        y_title=ui.indicator_label(indicator),
        period_label=ui.period_label,
        lang=ui.lang(),
    )
    st.plotly_chart(trend, config={"displayModeBar": False})
    own = series[place.region.name]
    # Exports: the chart (PNG, SVG) and its series (XLSX, CSV), made when clicked.
    subject = export_buttons.Subject(
        "trend",
        view.region,
        place.region.name,
        view.period,
        indicator,
        span=(own["period"].iloc[0], own["period"].iloc[-1]),
    )
    title = ui.t("export_title_trend", region=place.region.name, indicator=trend.layout.title.text)
    lang = ui.lang()
    export_buttons.figure_buttons(subject, title, lambda: trend, "export-trend")
    export_buttons.table_buttons(
        subject,
        title,
        lambda cap: tables.trend_table(series, cap, indicator=indicator, lang=lang),
        "export-trend-table",
    )
    if own["rebound"].fillna(False).astype(bool).any():
        st.warning(ui.t("rebound_warning"), icon="↩️")

    st.markdown(f"#### {html.escape(ui.t('targets_progress'))}")
    rows = []
    for ind in registry.INDICATORS:
        t = data.trend(view.region, ind.code)
        first, last = t.iloc[0], t.iloc[-1]
        rows.append(
            {
                "indicator": ind.name(ui.lang()),
                "first": 100 * first["over_target_share"],
                "last": 100 * last["over_target_share"],
                "change": last["change_vs_baseline_pct"],
            }
        )
    first_label = ui.t("col_over_first", period=ui.period_label(first["period"]))
    last_label = ui.t("col_over_last", period=ui.period_label(last["period"]))
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        column_config={
            "indicator": ui.t("indicator"),
            "first": st.column_config.NumberColumn(first_label, format="%.1f%%"),
            "last": st.column_config.NumberColumn(last_label, format="%.1f%%"),
            "change": st.column_config.NumberColumn(ui.t("col_change"), format="%+.1f%%"),
        },
    )
    st.caption(ui.t("targets_progress_note"))

    if place.child_level and not place.children.empty and len(place.children) <= 60:
        frames = {r.name: data.trend(r.code, indicator) for r in place.children.itertuples()}
        title = ui.t("children_trends", level=ui.t("level_" + place.child_level))
        multiples = charts.small_multiples(frames, title=title)
        st.plotly_chart(multiples, config={"displayModeBar": False})
        export_buttons.figure_buttons(
            subject,
            ui.t("export_title_chart", region=place.region.name, chart=title),
            lambda: multiples,
            "export-multiples",
        )
