"""The top of the pages about one region (同级比较, 部门, 督查抽样): title, marks, breadcrumb."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard import data, state, ui, views
from metrics.errors import BurdenmapError


@dataclass(frozen=True)
class RegionPage:
    """The view of the page, its region and the region's ancestors (top first, itself last)."""

    view: state.View
    region: object  # metrics.queries.Region
    crumbs: tuple


def region_page(title_key: str, *, allowed: bool = True, refusal_key: str = "") -> RegionPage:
    """Notices, the 模拟数据 mark, the title and the breadcrumb of the view's region.

    Stops the page with a message when ``allowed`` is false (``refusal_key``) or when the region
    is unknown or outside the user's scope.
    """
    view = ui.current()
    ui.show_notices()
    ui.simulated_banner()
    st.title(ui.t(title_key))
    if not allowed:
        st.error(ui.t(refusal_key))
        st.stop()
    try:
        region, crumbs = data.region(view.region), data.ancestors(view.region)
    except BurdenmapError as err:
        st.error(err.message(ui.lang()))
        st.stop()
    views.breadcrumb(crumbs)
    return RegionPage(view, region, crumbs)
