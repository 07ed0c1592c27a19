"""填报进度 — who has reported the quarter, who is late, who is missing; a list to chase."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import data, ui
from dashboard.i18n import MISSING, fmt_pct

STATUSES = ("on_time", "late", "missing", "pending")
COLOURS = {
    "on_time": "",
    "late": "background-color:#fff4ce",
    "missing": "background-color:#fbd5d0",
    "pending": "background-color:#eeeeee",
}

lang = ui.lang()
ui.simulated_banner()
st.title(ui.t("page_reporting"))

choices = data.reporting_periods()
default = data.reporting_default_period()
period = st.selectbox(
    ui.t("period"),
    choices,
    index=choices.index(default) if default in choices else 0,
    format_func=ui.period_label,
)
# The newest choice with no report yet is the quarter due now: past its deadline, say so.
newest = choices[0]
if newest not in (default, period) and data.reporting_deadline(newest) < date.today():
    st.warning(
        ui.t(
            "reporting_overdue_unseen",
            period=ui.period_label(newest),
            deadline=data.reporting_deadline(newest).isoformat(),
        )
    )
progress = data.reporting_progress(period)
st.caption(
    ui.t(
        "reporting_deadline",
        period=ui.period_label(period),
        deadline=progress.deadline.isoformat(),
        as_of=progress.as_of.isoformat(),
    )
)
totals = progress.totals()
if not totals["villages"]:
    st.info(ui.t("reporting_no_villages"))
    st.stop()

columns = st.columns(5)
for column, status in zip(columns, STATUSES, strict=False):
    column.metric(ui.t(f"report_status_{status}"), f"{totals[status]:,}")
share = (totals["on_time"] + totals["late"]) / totals["villages"]
columns[4].metric(ui.t("reporting_share"), fmt_pct(100 * share))


def summary_table(level: str) -> pd.DataFrame:
    frame = progress.summary(level)
    named = {
        "county": ui.t("col_county"),
        "township": ui.t("col_township"),
        "villages": ui.t("col_villages"),
        **{s: ui.t(f"report_status_{s}") for s in STATUSES},
        "reported_share": ui.t("reporting_share"),
    }
    return frame.drop(columns=["county_code", "township_code"], errors="ignore").rename(
        columns=named
    )


share_column = {
    ui.t("reporting_share"): st.column_config.ProgressColumn(
        ui.t("reporting_share"), min_value=0.0, max_value=1.0, format="percent"
    )
}
counties_tab, townships_tab, chase_tab = st.tabs(
    [ui.t("reporting_counties"), ui.t("reporting_townships"), ui.t("reporting_chase")]
)
with counties_tab:
    st.dataframe(
        summary_table("county"), hide_index=True, placeholder=MISSING, column_config=share_column
    )

with townships_tab:
    counties = progress.summary("county")
    county = st.selectbox(
        ui.t("reporting_filter_county"),
        [None, *counties["county_code"]],
        format_func=lambda c: (
            ui.t("reporting_all")
            if c is None
            else dict(zip(counties["county_code"], counties["county"], strict=True))[c]
        ),
    )
    townships = progress.summary("township")
    if county is not None:
        townships = townships[townships["county_code"] == county]
    st.dataframe(
        summary_table("township").loc[townships.index],
        hide_index=True,
        placeholder=MISSING,
        column_config=share_column,
    )

with chase_tab:
    st.caption(ui.t("reporting_chase_help"))
    chase = progress.chase_list()
    if chase.empty:
        st.success(ui.t("reporting_chase_empty"))
    else:
        shown = pd.DataFrame(
            {
                ui.t("col_county"): chase["county"],
                ui.t("col_township"): chase["township"],
                ui.t("col_village_code"): chase["code"],
                ui.t("col_village"): chase["name"],
                ui.t("col_village_kind"): chase["kind"],
                ui.t("col_status"): chase["status"].map(lambda s: ui.t(f"report_status_{s}")),
                ui.t("col_reported_at"): chase["reported_at"],
            }
        )
        fills = chase["status"].map(COLOURS).tolist()
        st.dataframe(  # villages yet to report have no 报送时间
            shown.style.apply(lambda r: [fills[r.name]] * len(r), axis=1),
            hide_index=True,
            placeholder=MISSING,
        )
        left, right = st.columns(2)
        for column, fmt in ((left, "xlsx"), (right, "csv")):
            column.download_button(
                ui.t("reporting_download", fmt=fmt.upper()),
                data.table_file(shown, fmt),
                file_name=f"{ui.t('reporting_file', period=period)}.{fmt}",
                key=f"chase-{fmt}",
            )
