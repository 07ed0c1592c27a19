"""Streamlit pieces shared by every page: the view from the URL, the sidebar, banners.

Pages read the view (``current()``), call ``dashboard.data`` and render; they change the view only
through :func:`go`, which writes the URL so that every state is shareable.
"""

from __future__ import annotations

import html

import streamlit as st

from dashboard import data, i18n, state
from metrics import periods as period_fmt
from metrics import registry

RENDERERS = ("webgl", "svg")


def lang() -> str:
    """Language of this session (URL ``lang`` > setting)."""
    value = st.query_params.get("lang") or st.session_state.get("lang") or "zh"
    return value if value in i18n.LANGS else "zh"


def t(key: str, **fields: object) -> str:
    """Message ``key`` in the session's language."""
    return i18n.t(key, lang(), **fields)


def defaults() -> state.View:
    """The view shown when the URL says nothing (the user's own region)."""
    found = data.available_periods()
    return state.View(data.home_region(), registry.INDEX_CODE, found[-1] if found else "", "", "zh")


def current() -> state.View:
    """The validated view of this run; invalid URL values fall back with a visible notice.

    Switching pages in the sidebar drops the URL parameters; the view the session had is then
    written back, so region, indicator and quarter follow the user across pages.
    """
    if not st.query_params and "view" in st.session_state:
        st.query_params.from_dict(st.session_state["view"].params(defaults()))
    if "view" in st.session_state and st.session_state.get("view_url") == _url_key():
        return st.session_state["view"]
    view, notices = state.resolve(
        dict(st.query_params),
        defaults=defaults(),
        periods=data.available_periods(),
        region_exists=data.region_exists,
    )
    for n in notices:
        refused = n.name == "region" and data.region_refused(n.value)
        st.session_state.setdefault("notices", []).append(
            t("region_refused", value=n.value, fallback=data.region(n.fallback).name)
            if refused
            else t("invalid_param", name=n.name, value=n.value, fallback=n.fallback)
        )
    st.session_state["view"] = view
    st.session_state["view_url"] = _url_key()
    return view


def _url_key() -> tuple:
    # the snapshot too: a publish may remove the quarter or region the cached view names
    return data.reader().snapshot_id, tuple(sorted(st.query_params.to_dict().items()))


def go(**changes: str) -> None:
    """Change the view: write the URL (shareable) and rerun."""
    view = current()
    new = state.View(**{**view.__dict__, **changes})
    st.query_params.from_dict(new.params(defaults()))
    st.session_state.pop("view", None)
    st.rerun()


def show_notices() -> None:
    """Show (once) the notices about invalid URL parameters."""
    for message in st.session_state.pop("notices", []):
        st.warning(message, icon="⚠️")


def simulated_banner() -> None:
    """The visible "模拟数据" mark every page of simulated data carries."""
    if data.is_simulated():
        demo = f"<br>{html.escape(t('demo_mode'))}" if st.session_state.get("demo") else ""
        st.markdown(
            f'<div class="bm-simulated" role="note"><b>{html.escape(t("simulated_mark"))}</b>'
            f" · {html.escape(t('simulated_banner'))}{demo}</div>",
            unsafe_allow_html=True,
        )


def period_label(period: str) -> str:
    """``2025Q4`` → 2025年第四季度 (or 2025 Q4)."""
    return period_fmt.label(period, lang()) if period else "—"


def indicator_label(code: str) -> str:
    """Indicator name (or 负担指数) in the session's language."""
    return registry.label(code, lang())


def sidebar(view: state.View) -> None:
    """Filters shared by every page, rendered once per run by the entry point."""
    with st.sidebar:
        choice = st.radio(
            t("language"),
            i18n.LANGS,
            index=i18n.LANGS.index(view.lang),
            format_func=lambda v: "中文" if v == "zh" else "English",
            horizontal=True,
        )
        if choice != view.lang:
            st.session_state["lang"] = choice
            go(lang=choice)
        options = [registry.INDEX_CODE, *registry.CODES]
        indicator = st.selectbox(
            t("indicator"),
            options,
            index=options.index(view.indicator),
            format_func=indicator_label,
        )
        if indicator != view.indicator:
            go(indicator=indicator)
        found = data.available_periods()
        if found:
            period = st.select_slider(
                t("period"), found, value=view.period, format_func=period_label
            )
            if period != view.period:
                go(period=period)
        region_picker(view)
        st.session_state["renderer"] = st.radio(
            t("map_renderer"),
            RENDERERS,
            horizontal=False,
            index=RENDERERS.index(st.session_state.get("renderer", "webgl")),
            format_func=lambda r: t(f"renderer_{r}"),
        )


def region_picker(view: state.View) -> None:
    """Jump to any region: a picker of the upper levels and a search box for the rest."""
    codes, paths = data.picker()
    # the region in view, else its nearest ancestor the picker lists (a village: its township)
    shown = data.ancestors(view.region) if data.region_exists(view.region) else ()
    current = next((r.code for r in reversed(shown) if r.code in paths), codes[0])
    choice = st.selectbox(t("region"), codes, index=codes.index(current), format_func=paths.get)
    if choice != current:
        go(region=choice, level="")
    query = st.text_input(t("village_search"), max_chars=20, placeholder=t("village_search_hint"))
    if query.strip():
        found = data.find_places(query.strip())
        if found.empty:
            st.caption(t("village_search_none"))
        for row in found.itertuples():
            if st.button(row.path, key=f"find-{row.code}", type="tertiary"):
                go(region=row.code, level="")


CSS = """
<style>
.bm-simulated {background:#fff4ce;border:1px solid #e0b400;border-radius:6px;padding:6px 12px;
  margin-bottom:8px;font-size:0.9rem;}
.bm-legend {display:flex;flex-wrap:wrap;gap:6px 14px;align-items:center;font-size:0.85rem;}
.bm-legend span.sw {display:inline-block;width:18px;height:12px;border:1px solid #777;
  margin-right:4px;vertical-align:middle;}
</style>
"""


def style() -> None:
    """Inject the app's small stylesheet."""
    st.markdown(CSS, unsafe_allow_html=True)
