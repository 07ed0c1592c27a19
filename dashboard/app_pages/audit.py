"""审计日志 — who signed in, exported, imported, rolled back or released a sample, and when.

Shown only to roles with the ``audit`` right (province: everything; data admin: its own
actions); ``dashboard.data.audit_trail`` refuses the others in ``metrics`` as well.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import data, ui

ui.simulated_banner()
st.title(ui.t("page_audit"))
st.caption(ui.t("audit_intro"))

left, right = st.columns(2)
since = left.date_input(ui.t("audit_since"), value=dt.date.today() - dt.timedelta(days=30))
user = right.text_input(ui.t("audit_user"), max_chars=32, placeholder=ui.t("audit_all_users"))
trail = data.audit_trail(since=since, user=user.strip() or None)
if trail.empty:
    st.info(ui.t("audit_none"))
    st.stop()
sources = {"session": ui.t("audit_source_session"), "data": ui.t("audit_source_data")}
st.dataframe(
    trail.assign(source=trail["source"].map(sources)).rename(
        columns={
            "occurred_at": ui.t("audit_col_time"),
            "user_name": ui.t("audit_col_user"),
            "action": ui.t("audit_col_action"),
            "detail": ui.t("audit_col_detail"),
            "source": ui.t("audit_col_source"),
        }
    ),
    hide_index=True,
)
