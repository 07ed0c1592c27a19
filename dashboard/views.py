"""Streamlit components of the map page and the pages that share its pieces.

Each function takes plain values (the resolved :class:`Place`), asks ``dashboard.data`` for
numbers and renders; figures come from the Streamlit-free builders in ``dashboard.figures``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import data, export_buttons, flags_view, state, ui
from dashboard.exports import static_map, tables
from dashboard.figures import charts, maps, palette
from dashboard.i18n import MISSING, fmt_number, fmt_pct, short_name
from metrics import registry
from metrics.errors import BurdenmapError

CHILD_LEVEL = {
    "country": "province",
    "province": "prefecture",
    "prefecture": "county",
    "county": "township",
    "township": "village",
}
POINT_LEVELS = static_map.POINT_LEVELS  # views that draw villages as points
SCHEMES = ("quantiles", "natural_breaks", "equal_interval")
K = 5
STATUS_STYLE = {
    "met": "background-color:#d9f0d3;color:#1b5e20",
    "broken": "background-color:#fbd5d0;color:#8e1b10",
    "unknown": "background-color:#eeeeee;color:#555",
}


@dataclass(frozen=True)
class Place:
    """Everything the map page shows for one view."""

    view: state.View
    region: object  # metrics.queries.Region
    crumbs: tuple
    child_level: str | None
    children: pd.DataFrame  # the listing of the child level (table)
    mapped: pd.DataFrame  # what the map colours: children, or villages as points


def place(view: state.View) -> Place | None:
    """Resolve the view into data; show a refusal (not data) for regions out of scope."""
    try:
        region = data.region(view.region)
        crumbs = data.ancestors(view.region)
    except BurdenmapError as err:  # out of scope or unknown: a refusal, not data
        st.error(err.message(ui.lang()))
        return None
    level = CHILD_LEVEL.get(region.level)
    if region.level == "province" and view.level == "county":
        level = "county"
    if level is None:
        return Place(view, region, crumbs, None, pd.DataFrame(), pd.DataFrame())
    children = data.listing(level, view.region, view.period, view.indicator)
    mapped = children
    if region.level in POINT_LEVELS:
        mapped = data.listing("village", view.region, view.period, view.indicator)
    return Place(view, region, crumbs, level, children, mapped)


def breadcrumb(crumbs: tuple) -> None:
    """青海省 › 海南藏族自治州 › 贵南县 — each step goes back up; the last is the page title.

    Steps above the user's scope are plain text: they cannot be opened.
    """
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        for region, openable in zip(crumbs[:-1], data.openable(crumbs), strict=False):
            if not openable:
                st.markdown(html.escape(region.name))
            elif st.button(region.name, key=f"crumb-{region.code}", type="tertiary"):
                ui.go(region=region.code, level="")
            st.markdown("›")
    st.markdown(f"### {html.escape(crumbs[-1].name)}")


def kpi_strip(place: Place) -> None:
    """Villages reported, mean index and change, targets met, heaviest and lightest child."""
    view = place.view
    k = data.kpis(view.region, view.period)
    village = place.region.level == "village"
    cols = st.columns(3 if village else 5)
    cols[0].metric(
        ui.t("kpi_villages", total=f"{k.villages:,}"),
        f"{k.reported:,}",
        help=ui.t("kpi_villages_help"),
    )
    cols[1].metric(
        ui.t("kpi_mean_index"),
        fmt_number(k.mean_index, ui.lang()),
        delta=None
        if k.change_vs_baseline_pct is None
        else fmt_pct(k.change_vs_baseline_pct, signed=True),
        delta_color="inverse",
        help=ui.t("kpi_change_help"),
    )
    met = [v for v in k.target_met_share.values() if v is not None]
    cols[2].metric(
        ui.t("kpi_targets"),
        fmt_pct(100 * sum(met) / len(met)) if met else "—",
        help=ui.t("kpi_targets_help"),
    )
    if village:
        return
    for col, key, extreme in (
        (cols[3], "kpi_heaviest", k.heaviest_child),
        (cols[4], "kpi_lightest", k.lightest_child),
    ):
        col.metric(
            ui.t(key),
            short_name(extreme.name) if extreme else "—",
            delta=fmt_number(extreme.value, ui.lang()) if extreme else None,
            delta_color="off",
            delta_arrow="off",
        )


@dataclass(frozen=True)
class Classed:
    """Map values with their classes, colours and the legend's breaks."""

    frame: pd.DataFrame  # mapped rows + class, colour, labels
    breaks: tuple[float, ...]
    scheme: str
    fixed: bool


def legend_controls(place: Place) -> tuple[str, bool]:
    """Scheme and "fixed to baseline" pickers above the map."""
    cols = st.columns([2, 2, 3])
    scheme = cols[0].selectbox(
        ui.t("scheme"), SCHEMES, format_func=lambda s: ui.t(f"scheme_{s}"), key="scheme"
    )
    fixed = cols[1].toggle(ui.t("fixed_to_baseline"), key="fixed_breaks")
    if place.region.level == "province":
        counties = cols[2].toggle(ui.t("show_counties"), value=place.view.level == "county")
        if counties != (place.view.level == "county"):
            ui.go(level="county" if counties else "")
    return scheme, fixed


def classify(place: Place, scheme: str, fixed: bool) -> Classed:
    """Classes and colours of the mapped rows (breaks fixed to the baseline when asked)."""
    frame = place.mapped.copy()
    values = frame.set_index("code")["mean"].astype(float)
    level = "village" if place.region.level in POINT_LEVELS else place.child_level
    breaks = (
        data.baseline_breaks(level, place.view.region, place.view.indicator, scheme)
        if fixed
        else None
    )
    result = data.classify(values, scheme, breaks)
    classes = [None if pd.isna(c) else int(c) for c in result.classes]
    k = max(1, len(result.breaks))
    frame["colour"] = palette.class_colours(classes, k)
    frame["value_label"] = [fmt_number(v, ui.lang()) for v in frame["mean"]]
    frame["rank_label"] = [
        "—" if pd.isna(r) else f"{int(r)} / {int(n)}"
        for r, n in zip(frame["rank"], frame["peers"], strict=True)
    ]
    frame["change_label"] = [fmt_pct(c, signed=True) for c in frame["change_vs_baseline_pct"]]
    return Classed(frame, result.breaks, scheme, fixed)


def _labels() -> dict[str, str]:
    return {
        "value_label": ui.indicator_label(ui.current().indicator),
        "rank_label": ui.t("col_rank"),
        "change_label": ui.t("col_change"),
    }


def map_chart(place: Place, classed: Classed) -> str | None:
    """Draw the map; return the code of a clicked region or village, if any."""
    frame = classed.frame
    key = f"map-{place.view.region}-{place.view.level}-{st.session_state.get('renderer')}"
    if place.region.level in POINT_LEVELS:
        outline = data.boundaries([c.code for c in place.crumbs if c.level == "county"])
        points = frame.merge(
            data.village_points(list(frame["code"])), on="code", suffixes=("", "_pt")
        )
        top = points["mean"].max()
        points["radius"] = 3 + 6 * (points["mean"].fillna(0) / (top if top else 1)) ** 0.5
        if st.session_state.get("renderer") == "svg":
            return _svg_chart(maps.svg_village_figure(outline, points, _labels()), key)
        deck = maps.village_deck(outline, points, _labels(), tile_url=data.tile_url())
        layer = maps.VILLAGE_LAYER
    else:
        shapes = data.boundaries(list(frame["code"]))
        regions = gpd.GeoDataFrame(
            shapes[["code", "geometry"]].merge(frame, on="code"), geometry="geometry"
        )
        if st.session_state.get("renderer") == "svg":
            return _svg_chart(maps.svg_region_figure(regions, _labels()), key)
        inset = data.map_inset(place.region.level)
        deck = maps.region_deck(regions, _labels(), tile_url=data.tile_url(), inset=inset)
        layer = maps.REGION_LAYER
    event = st.pydeck_chart(
        deck, on_select="rerun", selection_mode="single-object", key=key, height=560
    )
    if place.region.level == "country":
        st.caption(ui.t("schematic_note"))
    objects = (event.selection or {}).get("objects", {}).get(layer) or []
    if objects:
        obj = objects[0]
        return (obj.get("properties") or obj).get("code")
    return None


def _svg_chart(fig: go.Figure, key: str) -> str | None:
    """Show an SVG map (no WebGL); return the code of a clicked region or village."""
    event = st.plotly_chart(
        fig,
        on_select="rerun",
        selection_mode="points",
        key=key,
        config={"displayModeBar": False},
    )
    points = (event.selection or {}).get("points") or []
    return points[0].get("customdata") if points else None


def legend(classed: Classed) -> None:
    """Class breaks, the scheme and the no-data colour under the map."""
    lowest = classed.frame["mean"].min()
    items = static_map.legend_items(classed.breaks, lowest, classed.fixed, ui.lang())
    scheme = ui.t(f"scheme_{classed.scheme}") + (
        " · " + ui.t("fixed_to_baseline") if classed.fixed else ""
    )
    swatches = "".join(
        f'<span><span class="sw" style="background:{c}"></span>{html.escape(label)}</span>'
        for c, label in items
    )
    st.markdown(
        f'<div class="bm-legend" aria-label="legend"><b>'
        f"{html.escape(ui.t('legend_title', scheme=scheme))}</b>{swatches}</div>",
        unsafe_allow_html=True,
    )


def children_table(place: Place, classed: Classed) -> str | None:
    """Sortable table of the child regions; a clicked row drills down."""
    df, lang = place.children, ui.lang()
    if place.region.level in ("county", "township") and place.child_level == "village":
        df = classed.frame
    table = pd.DataFrame(
        {
            ui.t("col_name"): df["name"],
            ui.indicator_label(place.view.indicator): df["mean"].round(1),
            ui.t("col_rank"): df["rank"],
            ui.t("col_change"): df["change_vs_baseline_pct"].round(1),
            ui.t("col_targets_met"): (100 * (1 - df["over_target_share"])).round(1),
        }
    )
    st.markdown(
        f"**{html.escape(ui.t('children_table'))}** · "
        f"{html.escape(ui.t('level_' + (place.child_level or 'village')))}"
    )
    event = st.dataframe(
        table,
        hide_index=True,
        height=min(560, 35 * (len(table) + 1) + 3),
        on_select="rerun",
        selection_mode="single-row",
        placeholder=MISSING,  # regions without data in the quarter
        key=f"table-{place.view.region}-{place.view.level}",
        column_config={
            ui.t("col_name"): st.column_config.TextColumn(width="medium", pinned=True),
            ui.t("col_rank"): st.column_config.NumberColumn(width="small"),
            ui.t("col_change"): st.column_config.NumberColumn(format="%+.1f%%", width="small"),
            ui.t("col_targets_met"): st.column_config.ProgressColumn(
                format="%.0f%%", min_value=0, max_value=100, width="small"
            ),
        },
    )
    export_buttons.table_buttons(
        subject(place, "children"),
        ui.t(
            "export_title_children",
            region=place.region.name,
            level=ui.t("level_" + (place.child_level or "village")),
        ),
        lambda cap: tables.listing_table(df, cap, indicator=place.view.indicator, lang=lang),
        key=f"export-table-{place.view.region}",
    )
    rows = event.selection.rows if event and event.selection else []
    return df.iloc[rows[0]]["code"] if rows else None


def village_card(place: Place) -> None:
    """Indicators over time, items by department, targets, visits of one village."""
    code = place.view.region
    region = place.region
    st.subheader(f"{region.name} · {ui.t('village_card')}")
    if region.position_approximate:
        st.caption(ui.t("positions_note"))
    found = data.village_card(code, place.view.period)
    wide = found.values.set_index("period")
    labels = {c: ui.indicator_label(c) for c in registry.CODES}
    left, right = st.columns([3, 2])
    with left:
        indicators = charts.village_indicators_figure(
            wide, labels, title=ui.t("village_indicators")
        )
        index = charts.trend_figure(
            {region.name: wide.reset_index().rename(columns={registry.INDEX_CODE: "mean"})},
            title=ui.indicator_label(registry.INDEX_CODE),
            y_title="",
            period_label=ui.period_label,
            lang=ui.lang(),
            height=260,
        )
        for name, fig in (("indicators", indicators), ("index", index)):
            st.plotly_chart(fig, config={"displayModeBar": False})
            export_buttons.figure_buttons(
                subject(place, f"village_{name}"),
                ui.t("export_title_chart", region=region.name, chart=fig.layout.title.text),
                lambda fig=fig: fig,
                key=f"export-village-{name}",
            )
    with right:
        flags_view.village_flags(code, place.view.period)
        now = found.targets
        st.markdown(
            f"**{html.escape(ui.t('targets_title'))}** · "
            f"{html.escape(ui.period_label(place.view.period))}"
        )
        table = pd.DataFrame(
            {
                ui.t("col_target"): [_target_text(t) for t in now["target"]],
                ui.t("col_checked"): now["checked"].to_numpy(),
                ui.t("col_status"): [ui.t(f"status_{s}") for s in now["status"]],
            }
        )
        st.dataframe(
            table.style.apply(
                lambda col: [STATUS_STYLE[s] for s in now["status"]], subset=[ui.t("col_status")]
            ),
            hide_index=True,
        )
        league = found.departments
        st.markdown(f"**{html.escape(ui.t('items_by_department'))}**")
        st.dataframe(
            pd.DataFrame(
                {
                    ui.t("col_department"): league["name"],
                    ui.t("col_items"): league["assignments"],
                    ui.t("col_offlist"): league["offlist_assignments"],
                }
            ),
            hide_index=True,
        )
        visits = found.visits
        st.markdown(f"**{html.escape(ui.t('visits_title'))}**")
        if visits.empty:
            st.caption(ui.t("no_visits"))
        else:
            st.dataframe(visits, hide_index=True)


def _target_text(code: str) -> str:
    target = next(t for t in registry.TARGETS if t.code == code)
    return target.rule_zh if ui.lang() == "zh" else target.rule_en


# --- exports (PNG/SVG of the map and charts, XLSX/CSV of the tables; made when clicked) ------


def subject(place: Place, view: str) -> export_buttons.Subject:
    """What an export of ``view`` on this place shows (for file names, captions, the audit)."""
    v = place.view
    return export_buttons.Subject(view, v.region, place.region.name, v.period, v.indicator)


def map_exports(place: Place, classed: Classed) -> None:
    """PNG and SVG of the map as shown: the same classes, colours, shapes and legend."""
    frame, region, lang = classed.frame, place.region, ui.lang()
    if region.level in POINT_LEVELS:
        shapes = data.boundaries([c.code for c in place.crumbs if c.level == "county"])
        points = data.village_points(list(frame["code"]))
        level = "village"
    else:
        shapes, points, level = data.boundaries(list(frame["code"])), None, place.child_level
    legend = static_map.map_legend(
        place.view.indicator,
        classed.breaks,
        frame["mean"].min(),
        scheme=classed.scheme,
        fixed=classed.fixed,
        lang=lang,
    )
    export_buttons.figure_buttons(
        subject(place, "map"),
        static_map.map_title(region.name, level, place.view.indicator, lang),
        lambda: static_map.map_figure(frame, shapes, legend, points),
        key=f"export-map-{place.view.region}-{place.view.level}",
        size=static_map.SIZE,
    )
