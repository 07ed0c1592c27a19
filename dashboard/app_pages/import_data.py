"""数据导入 — upload, check every row, confirm to publish; history with rollback; templates."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from dashboard import data, i18n, ui
from metrics.errors import BurdenmapError

if TYPE_CHECKING:
    from dashboard.data import ImportResult

FILLS = {"error": "background-color:#fbd5d0", "warning": "background-color:#fff4ce"}
# Problems listed on screen: pandas Styler refuses tables of more than 262,144 cells (a province
# of bad rows); the downloaded problem list holds every one.
SHOWN_PROBLEMS = 1_000

lang = ui.lang()
ui.simulated_banner()
st.title(ui.t("page_import"))
if not data.may("import"):
    st.warning(ui.t("import_not_allowed"))
    st.stop()

# import_round: bumped after a publish so the uploader starts empty; import_key/import_result:
# the check of the file in the uploader; import_done: the last publish, shown until the next
# file or rollback; rollback_done: the rollback just made, shown once under its button.
st.session_state.setdefault("import_round", 0)
upload_tab, history_tab, template_tab = st.tabs(
    [ui.t("import_tab_upload"), ui.t("import_tab_history"), ui.t("import_tab_templates")]
)


def summary(result: ImportResult) -> str:
    if result.status == "rejected":
        return ui.t(
            "import_rejected",
            file=result.file,
            errors=i18n.count("errors", len(result.errors), lang),
            warnings=i18n.count("warnings", len(result.warnings), lang),
        )
    fields = {
        "file": result.file,
        "rows": i18n.count("rows", result.rows, lang),
        "villages": i18n.count("villages", result.villages, lang),
        "periods": ("、" if lang == "zh" else ", ").join(result.periods),
    }
    if result.status == "checked":
        return ui.t("import_checked", **fields)
    counts = i18n.counts_text(result.counts, lang)
    return ui.t("import_published", batch=result.batch_id, counts=counts, **fields)


def show_problems(result: ImportResult) -> None:
    """The problems, errors first, at most ``SHOWN_PROBLEMS`` of them; the downloads hold all."""
    label = {key: names[lang != "zh"] for key, names in data.problem_columns().items()}
    table = data.problem_table(result, lang).drop(columns=label["code"])  # kept in the downloads
    severities = pd.Series(data.problem_severities(result))
    shown = severities.ne("error").sort_values(kind="stable").index[:SHOWN_PROBLEMS]
    fills = severities[shown].map(FILLS).tolist()
    order = ("sheet", "row", "column", "header", "value", "severity", "title", "message", "file")
    st.dataframe(
        table.loc[shown]
        .reset_index(drop=True)
        .style.apply(lambda r: [fills[r.name]] * len(r), axis=1),
        hide_index=True,
        placeholder=i18n.MISSING,
        column_order=[label[key] for key in order if label[key] in table.columns],
        column_config={
            label["row"]: st.column_config.NumberColumn(width="small"),
            label["column"]: st.column_config.TextColumn(width="small"),
            label["severity"]: st.column_config.TextColumn(width="small"),
            label["message"]: st.column_config.TextColumn(width="large"),
        },
    )
    if len(table) > len(shown):
        st.caption(
            ui.t(
                "import_problems_more",
                shown=f"{len(shown):,}",
                more=f"{len(table) - len(shown):,}",
            )
        )


def show_result(result: ImportResult) -> None:
    {"rejected": st.error, "checked": st.info, "published": st.success}[result.status](
        summary(result)
    )
    if not result.problems:
        st.caption(ui.t("import_no_problems"))
        return
    st.markdown(f"**{ui.t('import_problems')}**")
    show_problems(result)
    name = ui.t("import_report_file", stem=result.file.rsplit(".", 1)[0])
    for column, fmt in zip(st.columns(2), ("xlsx", "csv"), strict=True):
        column.download_button(  # made on click: seconds for tens of thousands of problems
            ui.t(f"import_download_{fmt}"),
            lambda fmt=fmt: data.problem_report(result, fmt, lang),
            file_name=f"{name}.{fmt}",
            on_click="ignore",
        )


with upload_tab:
    kind = st.radio(
        ui.t("import_kind"),
        data.import_kinds(),
        format_func=lambda k: i18n.t(f"kind_{k}", lang),
        horizontal=True,
    )
    uploaded = st.file_uploader(
        ui.t("import_file"),
        type=["csv", "xlsx", "xlsm", "txt"],
        key=f"upload-{st.session_state['import_round']}",
    )
    replace = st.checkbox(
        ui.t("import_replace"),
        disabled=kind != "observations",
        help=ui.t("import_replace_help"),
    )
    if uploaded is None:
        if "import_done" in st.session_state:
            show_result(st.session_state["import_done"])
    else:
        st.session_state.pop("import_done", None)
        content = uploaded.getvalue()
        sheets = data.upload_sheets(content)
        # visits: every sheet of a checklist workbook at once (None), or one chosen sheet
        choices = ([None] if kind == "visits" else []) + sheets
        sheet = (
            st.selectbox(
                ui.t("import_sheet"),
                choices,
                format_func=lambda n: n or i18n.t("import_all_sheets", lang),
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
                if result.status == "published":  # done with this file: an empty uploader
                    st.session_state["import_done"] = result
                    st.session_state["import_round"] += 1
                    del st.session_state["import_key"], st.session_state["import_result"]
                else:  # the file conflicts with data published since the check
                    st.session_state["import_result"] = result
                st.rerun()
        show_result(result)

with history_tab:
    history = data.import_history()
    if history.empty:
        st.caption(ui.t("history_empty"))
    else:
        shown = pd.DataFrame(
            {
                ui.t("col_batch"): history["batch_id"].map(
                    lambda b: None if pd.isna(b) else f"#{b}"
                ),
                ui.t("col_time"): history["created_at"],
                ui.t("col_kind"): history["kind"].map(
                    lambda k: ui.t(f"kind_{k}") if f"kind_{k}" in i18n.MESSAGES else k
                ),
                ui.t("col_file"): history["filename"],
                ui.t("col_user"): history["user_name"],
                ui.t("col_status"): history["status"].map(lambda s: ui.t(f"batch_{s}")),
                ui.t("col_rows"): history["rows"],
                ui.t("col_message"): history["message"].map(lambda m: i18n.batch_note(m, lang)),
            }
        )
        st.dataframe(
            shown,
            hide_index=True,
            placeholder=i18n.MISSING,
            column_config={ui.t("col_message"): st.column_config.TextColumn(width="large")},
        )
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
                try:
                    done = data.rollback_batch(batch)
                except BurdenmapError as err:  # e.g. a later batch replaced some of its values
                    st.error(err.message(lang))
                else:
                    st.session_state.pop("import_done", None)  # its data has just changed
                    st.session_state["rollback_done"] = ui.t(
                        "rollback_done",
                        batch=batch,
                        removed=done["removed"],
                        restored=done["restored"],
                    )
                    st.rerun()
    if "rollback_done" in st.session_state:  # set before the rerun that redrew the history
        st.success(st.session_state.pop("rollback_done"))

with template_tab:
    st.caption(ui.t("template_help"))
    template_kind = st.selectbox(
        ui.t("template_kind"),
        data.template_kinds(),
        format_func=lambda k: i18n.t(f"kind_{k}", lang),
    )
    counties = data.reporting_progress(data.reporting_default_period()).summary("county")
    options = [None, *counties["county_code"]]
    names = dict(zip(counties["county_code"], counties["county"], strict=True))
    county = st.selectbox(
        ui.t("template_county"),
        options,
        format_func=lambda c: (
            i18n.t("template_county_none", lang) if c is None else f"{names[c]}（{c}）"
        ),
        disabled=template_kind == "gazetteer",
    )
    name = ui.t("template_file", kind=ui.t(f"kind_{template_kind}"))
    left, right = st.columns(2)
    for column, fmt in ((left, "xlsx"), (right, "csv")):
        column.download_button(
            ui.t("template_download", fmt=fmt.upper()),
            data.template_file(template_kind, county, fmt, lang),
            file_name=f"{name}{'-' + county if county else ''}.{fmt}",
            key=f"template-{fmt}",
        )
