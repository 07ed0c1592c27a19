"""数据导入 — upload, check every row, confirm to publish; history with rollback; templates."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from dashboard import data, i18n, ui

FILLS = {"error": "background-color:#fbd5d0", "warning": "background-color:#fff4ce"}

lang = ui.lang()
ui.simulated_banner()
st.title(ui.t("page_import"))
if not data.may("import"):
    st.warning(ui.t("import_not_allowed"))
    st.stop()

if "rollback_message" in st.session_state:  # set by the rollback button before its rerun
    st.success(st.session_state.pop("rollback_message"))
upload_tab, history_tab, template_tab = st.tabs(
    [ui.t("import_tab_upload"), ui.t("import_tab_history"), ui.t("import_tab_templates")]
)


def show_result(result) -> None:
    summary = result.summary(lang)
    {"rejected": st.error, "checked": st.info, "published": st.success}[result.status](summary)
    if not result.problems:
        st.caption(ui.t("import_no_problems"))
        return
    st.markdown(f"**{ui.t('import_problems')}**")
    table = data.problem_table(result, lang)
    fills = [FILLS[s] for s in data.problem_severities(result)]
    st.dataframe(
        table.style.apply(lambda r: [fills[r.name]] * len(r), axis=1),
        hide_index=True,
        column_config={table.columns[-1]: st.column_config.TextColumn(width="large")},
    )
    left, right = st.columns(2)
    stem = result.file.rsplit(".", 1)[0]
    left.download_button(
        ui.t("import_download_xlsx"),
        data.problem_report(result, "xlsx", lang),
        file_name=f"{stem}-问题清单.xlsx",
    )
    right.download_button(
        ui.t("import_download_csv"),
        data.problem_report(result, "csv", lang),
        file_name=f"{stem}-问题清单.csv",
    )


with upload_tab:
    kind = st.radio(
        ui.t("import_kind"),
        data.import_kinds(),
        format_func=lambda k: ui.t(f"kind_{k}"),
        horizontal=True,
    )
    uploaded = st.file_uploader(ui.t("import_file"), type=["csv", "xlsx", "xlsm", "txt"])
    replace = st.checkbox(
        ui.t("import_replace"),
        disabled=kind != "observations",
        help=ui.t("import_replace_help"),
    )
    if uploaded is not None:
        content = uploaded.getvalue()
        sheets = data.upload_sheets(content)
        # visits: every sheet of a checklist workbook at once (None), or one chosen sheet
        choices = ([None] if kind == "visits" else []) + sheets
        sheet = (
            st.selectbox(
                ui.t("import_sheet"), choices, format_func=lambda n: n or ui.t("import_all_sheets")
            )
            if len(sheets) > 1
            else None
        )
        key = (hashlib.sha256(content).hexdigest(), kind, sheet, replace)
        if st.session_state.get("import_key") != key:
            bar = st.progress(0.0, text=ui.t("import_step_read"))
            st.session_state["import_result"] = data.check_upload(
                content,
                uploaded.name,
                kind,
                sheet,
                replace,
                progress=lambda done, step: bar.progress(done, text=ui.t(f"import_step_{step}")),
            )
            st.session_state["import_key"] = key
            bar.empty()
        result = st.session_state["import_result"]
        if result.status == "checked":
            st.caption(ui.t("import_confirm_help"))
            if st.button(ui.t("import_confirm"), type="primary"):
                bar = st.progress(0.0, text=ui.t("import_step_read"))
                result = data.publish_checked_upload(
                    result.upload,
                    progress=lambda done, step: bar.progress(
                        done, text=ui.t(f"import_step_{step}")
                    ),
                )
                st.session_state["import_result"] = result
                bar.empty()
        show_result(result)

with history_tab:
    history = data.import_history()
    if history.empty:
        st.caption(ui.t("history_empty"))
    else:
        shown = pd.DataFrame(
            {
                ui.t("col_batch"): history["batch_id"].map(lambda b: "" if pd.isna(b) else f"#{b}"),
                ui.t("col_time"): history["created_at"],
                ui.t("col_kind"): history["kind"].map(
                    lambda k: ui.t(f"kind_{k}") if f"kind_{k}" in i18n.MESSAGES else k
                ),
                ui.t("col_file"): history["filename"],
                ui.t("col_user"): history["user_name"],
                ui.t("col_status"): history["status"].map(lambda s: ui.t(f"batch_{s}")),
                ui.t("col_rows"): history["rows"],
                ui.t("col_message"): history["message"],
            }
        )
        st.dataframe(shown, hide_index=True)
        undoable = history[
            history["status"].eq("published") & history["kind"].isin(data.import_kinds())
        ]
        if undoable.empty:
            st.caption(ui.t("rollback_none"))
        else:
            labels = {
                int(r.batch_id): f"#{r.batch_id} · {r.filename} · {r.created_at:%Y-%m-%d %H:%M}"
                for r in undoable.itertuples()
            }
            batch = st.selectbox(ui.t("rollback_batch"), list(labels), format_func=labels.get)
            sure = st.checkbox(ui.t("rollback_confirm"))
            if st.button(ui.t("rollback_button"), disabled=not sure):
                done = data.rollback_batch(batch)
                st.session_state["rollback_message"] = ui.t(
                    "rollback_done", batch=batch, removed=done["removed"], restored=done["restored"]
                )
                st.rerun()

with template_tab:
    st.caption(ui.t("template_help"))
    template_kind = st.selectbox(
        ui.t("template_kind"), data.template_kinds(), format_func=lambda k: ui.t(f"kind_{k}")
    )
    counties = data.reporting_progress(data.reporting_default_period()).summary("county")
    options = [None, *counties["county_code"]]
    names = dict(zip(counties["county_code"], counties["county"], strict=True))
    county = st.selectbox(
        ui.t("template_county"),
        options,
        format_func=lambda c: ui.t("template_county_none") if c is None else f"{names[c]}（{c}）",
        disabled=template_kind == "gazetteer",
    )
    left, right = st.columns(2)
    for column, fmt in ((left, "xlsx"), (right, "csv")):
        column.download_button(
            ui.t("template_download", fmt=fmt.upper()),
            data.template_file(template_kind, county, fmt, lang),
            file_name=f"{ui.t('kind_' + template_kind)}-模板{'-' + county if county else ''}.{fmt}",
            key=f"template-{fmt}",
        )
