"""部门 — who adds the burden (上面千把锤): departments' items, reach, off-list share, trend."""

from __future__ import annotations

import html
from dataclasses import replace

import geopandas as gpd
import pandas as pd
import streamlit as st

from dashboard import data, export_buttons, page_header, ui, views
from dashboard.exports import static_map, tables
from dashboard.figures import charts, maps, palette
from dashboard.figures import peers as figures
from dashboard.i18n import fmt_pct
from metrics import registry

PLOT = {"displayModeBar": False}

page = page_header.region_page("page_departments")
view, region, crumbs, lang = page.view, page.region, page.crumbs, ui.lang()
league = data.department_league(view.region, view.period)
if league.empty:
    st.info(ui.t("dept_none", period=ui.period_label(view.period)))
    st.stop()

series = data.department_series(view.region)
subject = export_buttons.Subject("departments", view.region, region.name, view.period)
title = ui.t("export_title_departments", region=region.name)
trend = series.groupby("department_id")["assignments"].agg(list)
level_names = {"province": ui.t("dept_level_province"), "county": ui.t("dept_level_county")}
st.caption(ui.t("dept_caption", period=ui.period_label(view.period)))
event = st.dataframe(
    pd.DataFrame(
        {
            ui.t("col_rank"): league["rank"],
            ui.t("col_department"): league["name"],
            ui.t("dept_level"): league["level"].map(level_names),
            ui.t("dept_items"): league["items"],
            ui.t("dept_assignments"): league["assignments"],
            ui.t("dept_villages"): league["villages_reached"],
            ui.t("dept_share"): (100 * league["assignment_share"]).round(1),
            ui.t("dept_offlist_items"): league["offlist_items"],
            ui.t("dept_change"): league["change_vs_previous_pct"].round(1),
            ui.t("dept_trend"): league["department_id"].map(trend),
        }
    ),
    hide_index=True,
    on_select="rerun",
    selection_mode="single-row",
    key=f"dept-table-{view.region}-{view.period}",
    column_config={
        ui.t("dept_share"): st.column_config.ProgressColumn(
            format="%.1f%%", min_value=0, max_value=float(100 * league["assignment_share"].max())
        ),
        ui.t("dept_change"): st.column_config.NumberColumn(format="%+.1f%%"),
        ui.t("dept_trend"): st.column_config.LineChartColumn(y_min=0),
    },
)
export_buttons.table_buttons(
    subject,
    title,
    lambda cap: tables.departments_table(league, cap, lang),
    "export-departments-table",
)
ids = league["department_id"].tolist()
names = dict(zip(league["department_id"], league["name"], strict=True))


def choose(source: str, department: int | None) -> None:
    """Show ``department`` when a click on ``source`` (table or bars) newly picked it."""
    if department in ids and st.session_state.get(f"dept-{source}") != department:
        st.session_state["department"] = department
    st.session_state[f"dept-{source}"] = department


rows = event.selection.rows if event and event.selection else []
choose("row", ids[rows[0]] if rows else None)
if st.session_state.get("department") not in ids:
    st.session_state["department"] = ids[0]

bars = league.assign(
    code=league["department_id"], onlist=league["assignments"] - league["offlist_assignments"]
)
event = export_buttons.chart(
    figures.stacked_bars(
        bars.head(15),
        parts={"onlist": ui.t("dept_onlist"), "offlist_assignments": ui.t("col_offlist")},
        x_title=ui.t("dept_assignments"),
    ),
    subject,
    title,
    "export-departments-bars",
    on_select="rerun",
    selection_mode="points",
    key=f"dept-bars-{view.region}",
    config=PLOT,
)
points = ((event.selection or {}).get("points") or []) if event else []
choose("bar", points[0].get("customdata") if points else None)

department = st.selectbox(ui.t("dept_pick"), ids, format_func=lambda i: names[i], key="department")
st.subheader(names[department])
about = {"department": names[department], "region": region.name}
left, right = st.columns([3, 2], gap="medium")
with left:
    points_view = region.level in views.POINT_LEVELS or region.level == "village"
    level = "village" if points_view else views.CHILD_LEVEL[region.level]
    where = data.department_footprint(department, view.region, view.period, level)
    where = where.assign(mean=where["per_village"])
    result = data.classify(where.set_index("code")["mean"], "quantiles", None)
    classes = [None if pd.isna(c) else int(c) for c in result.classes]
    where["colour"] = palette.class_colours(classes, max(1, len(result.breaks)))
    where["value_label"] = [f"{v:.1f}" for v in where["per_village"]]
    where["rank_label"] = [fmt_pct(100 * s) for s in where["reached_share"]]
    labels = {"value_label": ui.t("dept_per_village"), "rank_label": ui.t("dept_reached")}
    legend = static_map.Legend(
        f"{ui.t('dept_per_village')}\n{ui.t('legend_title', scheme=ui.t('scheme_quantiles'))}",
        tuple(static_map.legend_items(result.breaks, where["mean"].min(), False, lang)),
    )
    if points_view:
        county = next(c.code for c in crumbs if c.level == "county")
        shapes, points = data.boundaries([county]), data.village_points(list(where["code"]))
        spots = where.merge(points, on="code", suffixes=("", "_pt"))
        spots["radius"] = 4 + 3 * spots["reached_share"].clip(0, 1)
        deck = maps.village_deck(shapes, spots, labels)
    else:
        shapes, points = data.boundaries(list(where["code"]))[["code", "geometry"]], None
        deck = maps.region_deck(gpd.GeoDataFrame(shapes.merge(where, on="code")), labels)
    st.pydeck_chart(deck, key=f"dept-map-{view.region}-{department}", height=480)
    views.legend(views.Classed(where, result.breaks, "quantiles", False))
    export_buttons.figure_buttons(
        replace(subject, view="department-map"),
        ui.t("export_title_dept_map", **about),
        lambda: static_map.map_figure(where, shapes, legend, points),
        "export-department-map",
        size=static_map.SIZE,
    )
    st.caption(ui.t("dept_map_note"))
with right:
    own = series[series["department_id"] == department]
    export_buttons.chart(
        charts.trend_figure(
            {
                ui.t("dept_assignments"): own.rename(columns={"assignments": "mean"}),
                ui.t("col_offlist"): own.rename(columns={"offlist_assignments": "mean"}),
            },
            title=ui.t("dept_trend_title"),
            y_title=ui.t("dept_assignments"),
            period_label=ui.period_label,
            lang=lang,
            height=300,
        ),
        replace(
            subject,
            view="department-trend",
            span=(own["period"].min(), own["period"].max()) if len(own) else None,
        ),
        ui.t("export_title_chart", region=names[department], chart=ui.t("dept_trend_title")),
        "export-department-trend",
        config=PLOT,
    )
items = data.department_items(department, view.region, view.period)
st.markdown(f"**{html.escape(ui.t('dept_items_title'))}**")
st.dataframe(
    pd.DataFrame(
        {
            ui.t("dept_item"): items["name"],
            ui.t("indicator"): [registry.label(c, ui.lang()) for c in items["indicator"]],
            ui.t("dept_on_list"): items["on_list"],
            ui.t("dept_reached"): (100 * items["reached_share"]).round(1),
        }
    ),
    hide_index=True,
    column_config={
        ui.t("dept_reached"): st.column_config.ProgressColumn(
            format="%.0f%%", min_value=0, max_value=100
        )
    },
)
export_buttons.table_buttons(
    replace(subject, view="department-items"),
    ui.t("export_title_dept_items", **about),
    lambda cap: tables.department_items_table(items, cap, lang),
    "export-department-items",
)
