"""Streamlit pieces for integrity and risk flags: the village card's list and the method section.

Flag names and rules come from ``dashboard.data`` (``metrics.flags``); every text that came from
data is escaped before it is rendered as Markdown.
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from dashboard import data, ui
from dashboard.method_text import SECTIONS


def flag_names() -> dict[str, str]:
    """Flag code → name in the session's language."""
    rules = data.flag_rules()
    return dict(zip(rules["flag"], rules[f"name_{ui.lang()}"], strict=True))


def village_flags(code: str, period: str) -> None:
    """The flags of village ``code`` in ``period``, each with its reason (village card).

    Shown only to roles with the ``flags`` right (inspectors and the province).
    """
    if not data.may("flags"):
        return
    found = data.village_flags(code, period)
    st.markdown(f"**{html.escape(ui.t('flags_title'))}** · {html.escape(ui.period_label(period))}")
    if found.empty:
        st.caption(ui.t("flags_none"))
        return
    names = flag_names()
    st.markdown(
        "\n".join(
            f"- **{html.escape(names[f])}**：{html.escape(r)}"
            for f, r in zip(found["flag"], found[f"reason_{ui.lang()}"], strict=True)
        )
    )


def method_section() -> None:
    """The methodology page's section on flags and sampling, with the thresholds in force."""
    lang = ui.lang()
    for key in ("flags", "sampling"):
        title, text = SECTIONS[key][lang]
        st.header(title)
        st.markdown(text)
        if key == "flags":
            rules = data.flag_rules()
            st.dataframe(
                pd.DataFrame(
                    {
                        ui.t("m_name"): rules[f"name_{lang}"],
                        ui.t("flags_rule"): rules[f"rule_{lang}"],
                        ui.t("flags_kind"): [ui.t(f"flags_kind_{k}") for k in rules["kind"]],
                        ui.t("flags_odds"): rules["odds"],
                    }
                ),
                hide_index=True,
            )
