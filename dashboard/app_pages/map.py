"""负担地图 — province → prefecture → county → township → village, with drill-down."""

from __future__ import annotations

import streamlit as st

from dashboard import export_buttons, ui, views

view = ui.current()
ui.show_notices()
ui.simulated_banner()

place = views.place(view)
if place is not None:
    views.breadcrumb(place.crumbs)
    views.kpi_strip(place)
    export_buttons.briefing_button(views.subject(place, "brief"), key=f"brief-{view.region}")
    if place.region.level == "village":
        views.village_card(place)
    else:
        scheme, fixed = views.legend_controls(place)
        classed = views.classify(place, scheme, fixed)
        left, right = st.columns([1, 1], gap="medium")
        with left:
            picked = views.map_chart(place, classed)
            views.legend(classed)
            views.map_exports(place, classed)
        with right:
            picked = views.children_table(place, classed) or picked
        if picked and picked != view.region:
            ui.go(region=picked, level="")
        st.caption(ui.t("drill_hint"))
        if place.region.level in ("county", "township"):
            st.caption(ui.t("positions_note"))
