"""Entry point: page frame, shared sidebar, navigation (``streamlit run dashboard/app.py``)."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from any directory

from dashboard import data, i18n, ui

st.set_page_config(page_title=i18n.t("app_title"), page_icon=":material/map:", layout="wide")
ui.style()

HERE = Path(__file__).resolve().parent
PAGES = (
    ("app_pages/map.py", "page_map", ":material/map:", True),
    ("app_pages/trends.py", "page_trends", ":material/trending_down:", False),
    ("app_pages/method.py", "page_method", ":material/menu_book:", False),
)

missing = data.missing_database()
if missing:
    st.error(ui.t("no_database", path=missing))
    st.stop()

view = ui.current()
pages = [
    st.Page(str(HERE / path), title=ui.t(key), icon=icon, default=default)
    for path, key, icon, default in PAGES
]
navigation = st.navigation(pages, position="sidebar")
ui.sidebar(view)
st.sidebar.caption(ui.t("app_title"))
navigation.run()
