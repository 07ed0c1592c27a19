"""督查抽样 — risk flags, reported-vs-verified gaps, and a reproducible inspection sample."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard import data, export_buttons, flags_view, page_header, ui
from dashboard.exports import static_map, tables
from dashboard.figures import maps
from dashboard.figures import peers as figures
from metrics import registry

RISK, RANDOM = "#b10026", "#2166ac"
DRAWS = {"risk": RISK, "random": RANDOM}  # colour of the picks by how they were drawn
ALLOCATIONS = ("proportional", "equal")
BOUNDARY_LEVELS = ("country", "province", "prefecture", "county")  # levels with a shape

page = page_header.region_page(
    "page_inspection", allowed=data.may("flags"), refusal_key="insp_forbidden"
)
view, region, crumbs, lang = page.view, page.region, page.crumbs, ui.lang()
names = flags_view.flag_names()
# Flags, gaps and samples are confidential: exported only here, where the page shows them.
subject = export_buttons.Subject("inspection-flags", view.region, region.name, view.period)


def flag_text(codes: tuple[str, ...]) -> str:
    """Flag names of a village, in the session's language."""
    return tables.flag_text(codes, names)


def picks_table(picks: pd.DataFrame) -> pd.DataFrame:
    """The picks with translated headers, flags and draw, and the key reported figures."""
    return pd.DataFrame(
        {
            ui.t("col_village"): picks["name"],
            ui.t("col_township"): picks["township"],
            ui.t("col_county"): picks["county"],
            ui.t("insp_draw"): [ui.t(f"insp_draw_{d}") for d in picks["draw"]],
            ui.t("insp_flags"): picks["flags"].map(flag_text),
            ui.t("insp_reasons"): picks["reasons"],
            ui.indicator_label(registry.INDEX_CODE): picks[registry.INDEX_CODE].round(1),
            **{ui.indicator_label(c): picks[c] for c in registry.CODES},
            ui.t("col_village_code"): picks["village_code"],
        }
    )


def picks_map(picks: pd.DataFrame, key: str, about: export_buttons.Subject, title: str) -> None:
    """The picks as points over the outline of the sampled region (or its county), with the
    map's PNG and SVG."""
    outline = next(c.code for c in reversed(crumbs) if c.level in BOUNDARY_LEVELS)
    spots = picks.merge(
        data.village_points(list(picks["village_code"])).rename(columns={"code": "village_code"}),
        on="village_code",
        suffixes=("", "_pt"),
    )
    spots = spots.rename(columns={"village_code": "code"}).assign(
        colour=spots["draw"].map(DRAWS),
        radius=6,
        value_label=[ui.t(f"insp_draw_{d}") for d in spots["draw"]],
        rank_label=[flag_text(fs) or "—" for fs in spots["flags"]],
        change_label=spots["township"],
    )
    labels = {
        "value_label": ui.t("insp_draw"),
        "rank_label": ui.t("insp_flags"),
        "change_label": ui.t("col_township"),
    }
    shapes = data.boundaries([outline])
    deck = maps.village_deck(shapes, spots, labels)
    st.pydeck_chart(deck, height=460, key=f"{key}-map")
    st.caption(ui.t("insp_map_legend"))
    legend = static_map.Legend(
        ui.t("insp_draw"), tuple((c, ui.t(f"insp_draw_{d}")) for d, c in DRAWS.items())
    )
    export_buttons.figure_buttons(
        replace(about, view="inspection-sample-map"),
        title,
        lambda: static_map.map_figure(spots[["code", "colour"]], shapes, legend, spots),
        f"export-{key}-map",
        size=static_map.SIZE,
    )


def show(sample, key: str, area: str) -> None:
    """KPIs, table, map and downloads of a drawn or stored sample of ``area`` (a name)."""
    picks, design = sample.picks, sample.design
    about = export_buttons.Subject(
        "inspection-sample",
        design.within,
        area,
        design.period,
        filters=ui.t(
            "export_filters_sample", n=design.n, seed=design.seed, share=design.random_share
        ),
    )
    title = ui.t("export_title_sample", region=area)
    cols = st.columns(4)
    cols[0].metric(ui.t("insp_picked"), len(picks))
    cols[1].metric(ui.t("insp_random"), int((picks["draw"] == "random").sum()))
    cols[2].metric(ui.t("insp_eligible"), f"{sample.eligible:,}")
    cols[3].metric(ui.t("insp_excluded"), f"{sample.excluded:,}")
    st.dataframe(picks_table(picks), hide_index=True, key=f"{key}-table")
    export_buttons.table_buttons(
        about,
        title,
        lambda cap: tables.sample_table(picks, cap, names, lang),
        f"export-{key}-table",
    )
    picks_map(picks, key, about, title)
    stem = f"inspection-{sample.design.period}-seed{sample.design.seed}"
    region = design.within or data.top_region()  # audited: which villages will be checked
    left, right = st.columns(2)
    left.download_button(
        ui.t("insp_download_xlsx"),
        data=export_buttons.audited(
            "inspection-checklist",
            "xlsx",
            region,
            design.period,
            None,
            lambda: data.checklist_xlsx(sample, area),
        ),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        key=f"{key}-xlsx",
        type="primary",
    )
    right.download_button(
        ui.t("insp_download_csv"),
        data=export_buttons.audited(
            "inspection-checklist",
            "csv",
            region,
            design.period,
            None,
            lambda: data.checklist_csv(sample),
        ),
        file_name=f"{stem}.csv",
        mime="text/csv",
        on_click="ignore",
        key=f"{key}-csv",
    )
    st.caption(ui.t("insp_checklist_note"))


tab_draw, tab_flags, tab_gaps, tab_stored = st.tabs(
    [ui.t(k) for k in ("insp_tab_draw", "insp_tab_flags", "insp_tab_gaps", "insp_tab_stored")]
)

with tab_draw:
    share, quarters = data.sample_defaults()
    st.caption(ui.t("insp_intro", region=region.name, period=ui.period_label(view.period)))
    with st.form("sample-form"):
        cols = st.columns(3)
        n = cols[0].number_input(ui.t("insp_n"), 1, 1000, 60)
        seed = cols[1].number_input(ui.t("insp_seed"), 0, 2**31 - 1, 7)
        exclude = cols[2].number_input(ui.t("insp_exclude"), 0, 16, quarters)
        cols = st.columns(3)
        random_share = cols[0].slider(ui.t("insp_random_share"), 0.0, 1.0, share, 0.05)
        allocation = cols[1].radio(
            ui.t("insp_allocation"), ALLOCATIONS, format_func=lambda a: ui.t(f"insp_alloc_{a}")
        )
        communities = cols[2].checkbox(ui.t("include_communities"))
        if st.form_submit_button(ui.t("insp_go"), type="primary"):
            st.session_state["sample-design"] = (
                int(n),
                int(seed),
                view.period,
                view.region,
                float(random_share),
                int(exclude),
                allocation,
                bool(communities),
            )
    design = st.session_state.get("sample-design")
    if design and design[2:4] == (view.period, view.region):
        sample = data.draw_sample(*design)
        show(sample, "drawn", region.name)
        saved = st.session_state.setdefault("saved-samples", {})
        if (
            design not in saved
            and data.may("samples")
            and st.button(ui.t("insp_save"), key="save-sample")
        ):
            saved[design] = data.save_sample(sample)
        if design in saved:
            st.success(ui.t("insp_saved", number=saved[design]))
    else:
        st.info(ui.t("insp_hint"))

with tab_flags:
    summary = data.flag_summary(view.region, view.period)
    flagged = summary[summary["flags"].map(len) > 0].sort_values(
        ["risk", "village_code"], ascending=[False, True]
    )
    counts = flagged.explode("flags")["flags"].value_counts()
    st.caption(ui.t("insp_flag_counts", villages=f"{len(summary):,}", flagged=f"{len(flagged):,}"))
    st.dataframe(
        pd.DataFrame(
            {
                ui.t("m_name"): [names[f] for f in counts.index],
                ui.t("insp_flag_villages"): counts.to_numpy(),
            }
        ),
        hide_index=True,
    )
    export_buttons.table_buttons(
        subject,
        ui.t("export_title_flag_counts", region=region.name),
        lambda cap: tables.flag_counts_table(counts, cap, names, lang),
        "export-flag-counts",
    )
    st.dataframe(
        pd.DataFrame(
            {
                ui.t("col_village"): flagged["name"],
                ui.t("col_township"): flagged["township"],
                ui.t("col_county"): flagged["county"],
                ui.t("insp_flags"): flagged["flags"].map(flag_text),
                ui.t("insp_risk"): flagged["risk"],
                ui.t("insp_reasons"): flagged[f"reasons_{lang}"],
            }
        ),
        hide_index=True,
        height=420,
    )
    export_buttons.table_buttons(
        subject,
        ui.t("export_title_flags", region=region.name),
        lambda cap: tables.flags_table(flagged, cap, names, lang),
        "export-flags",
    )
    if data.is_simulated():
        quality = data.flag_quality(view.period)
        st.caption(
            ui.t(
                "insp_quality",
                planted=int(quality["planted"].sum()),
                found=int(quality["found"].sum()),
                raised=int(quality["raised"].sum()),
                true=int(quality["true"].sum()),
            )
        )

with tab_gaps:
    gaps = data.discrepancies(view.region, view.period)
    st.caption(ui.t("insp_gaps_intro", period=ui.period_label(view.period)))
    if gaps.empty:
        st.info(ui.t("no_visits"))
    else:
        gaps_about = replace(subject, view="inspection-gaps")
        gaps_title = ui.t("export_title_gaps", region=region.name)
        export_buttons.chart(
            figures.stacked_bars(
                gaps.head(20).assign(agree=gaps["visits"] - gaps["with_gap"]),
                parts={"with_gap": ui.t("insp_with_gap"), "agree": ui.t("insp_agree")},
                colours=(RISK, "#bdbdbd"),
                x_title=ui.t("insp_visits"),
            ),
            gaps_about,
            gaps_title,
            "export-gaps-chart",
            config={"displayModeBar": False},
        )
        st.dataframe(
            pd.DataFrame(
                {
                    ui.t("col_township"): gaps["name"],
                    ui.t("insp_visits"): gaps["visits"],
                    ui.t("insp_inconsistent"): (100 * gaps["inconsistent_share"]).round(0),
                    ui.t("insp_with_gap"): (100 * gaps["gap_share"]).round(0),
                    ui.t("insp_under"): (100 * gaps["under_share"]).round(0),
                    ui.t("insp_mean_gap"): gaps["mean_abs_gap"].round(1),
                }
            ),
            hide_index=True,
            column_config={
                ui.t(k): st.column_config.NumberColumn(format="%d%%")
                for k in ("insp_inconsistent", "insp_with_gap", "insp_under")
            },
        )
        export_buttons.table_buttons(
            gaps_about,
            gaps_title,
            lambda cap: tables.discrepancies_table(gaps, cap, lang),
            "export-gaps-table",
        )

with tab_stored:
    stored = data.stored_samples()
    if stored.empty:
        st.info(ui.t("insp_no_stored"))
    else:
        by_id = stored.set_index("sample_id")
        chosen = st.selectbox(
            ui.t("insp_stored_pick"),
            by_id.index.tolist(),
            key="stored-sample",
            format_func=lambda i: ui.t(
                "insp_stored_label",
                number=i,
                status=ui.t(f"insp_status_{by_id.at[i, 'status']}"),
                period=by_id.at[i, "period"],
                villages=by_id.at[i, "villages"],
            ),
        )
        record = by_id.loc[chosen]
        st.caption(
            ui.t(
                "insp_stored_meta",
                by=record["created_by"] or "—",
                at=str(record["created_at"])[:16],
                seed=record["seed"],
                area=record["within_name"] or "—",
            )
        )
        area = record["within_name"] or region.name
        show(data.stored_sample(int(chosen)), f"stored-{chosen}", area)
        if (
            record["status"] == "draft"
            and data.may("samples")
            and st.button(ui.t("insp_release"), key="release")
        ):
            data.release_sample(int(chosen))
            st.toast(ui.t("insp_released", number=chosen))
            st.rerun()
