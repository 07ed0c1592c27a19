"""方法与数据 — definitions, targets and their legal basis, yardstick, provenance, honesty."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from dashboard import data, flags_view, ui
from dashboard.method_text import SECTIONS
from metrics import registry

lang = ui.lang()
ui.simulated_banner()
st.title(ui.t("page_method"))

meta = data.meta()

st.header(SECTIONS["indicators"][lang][0])
st.markdown(SECTIONS["indicators"][lang][1])
st.dataframe(
    pd.DataFrame(
        [
            {
                ui.t("m_code"): i.code,
                ui.t("m_name"): i.name(lang),
                ui.t("m_counts"): i.description_zh if lang == "zh" else i.description_en,
                ui.t("m_unit"): i.unit_zh if lang == "zh" else i.unit_en,
                ui.t("m_kind"): ui.t(f"m_kind_{i.kind}"),
                ui.t("m_max"): i.max_plausible,
            }
            for i in registry.INDICATORS
        ]
    ),
    hide_index=True,
)

st.header(SECTIONS["targets"][lang][0])
st.markdown(SECTIONS["targets"][lang][1])
st.dataframe(
    pd.DataFrame(
        [
            {
                ui.t("m_name"): registry.label(t.indicator, lang),
                ui.t("col_target"): t.rule_zh if lang == "zh" else t.rule_en,
                ui.t("m_basis"): t.basis_zh if lang == "zh" else t.basis_en,
                ui.t("m_needs_items"): "✓" if t.needs_items else "",
            }
            for t in registry.TARGETS
        ]
    ),
    hide_index=True,
)

st.header(SECTIONS["index"][lang][0])
st.markdown(SECTIONS["index"][lang][1])
st.latex(r"I_{v,p} = 100 \times \frac{\sum_i w_i \, x_{v,p,i} / m_i}{\sum_i w_i}")
yard = data.yardstick()
st.markdown(ui.t("m_baseline", period=ui.period_label(data.baseline_period() or "")))
st.dataframe(
    pd.DataFrame(
        {
            ui.t("m_name"): [registry.label(c, lang) for c in yard["indicator"]],
            ui.t("m_weight"): yard["weight"],
            ui.t("m_median"): yard["median"],
            ui.t("m_mean"): yard["mean"],
            "m_i": yard["m"],
            ui.t("m_source"): [ui.t(f"m_source_{s}") for s in yard["source"]],
        }
    ),
    hide_index=True,
)
excluded = [
    registry.label(c, lang)
    for c, s in zip(yard["indicator"], yard["source"], strict=True)
    if s == "excluded"
]
if excluded:
    st.warning(ui.t("m_excluded", names="、".join(excluded)))

for key in ("rollups", "peers", "classification"):
    st.header(SECTIONS[key][lang][0])
    st.markdown(SECTIONS[key][lang][1])
flags_view.method_section()
for key in ("provenance", "honesty"):
    st.header(SECTIONS[key][lang][0])
    st.markdown(SECTIONS[key][lang][1])

st.subheader(ui.t("m_vintage"))
st.markdown(
    "\n".join(
        f"- **{html.escape(k)}**: {html.escape(v)}"
        for k, v in sorted(meta.items())
        if k
        in {
            "simulated",
            "province",
            "baseline_period",
            "generated_at",
            "seed",
            "schema_version",
            "geodata_sources",
        }
    )
)
