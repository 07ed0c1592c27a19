"""Entry point: page frame, shared sidebar, navigation (``streamlit run dashboard/app.py``)."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from any directory

from dashboard import data, i18n, login, ui

st.set_page_config(page_title=i18n.t("app_title"), layout="wide")
ui.style()

HERE = Path(__file__).resolve().parent
# No page icons: Streamlit turns the current page's icon into the favicon and fetches material
# icons for it from a font CDN — a request that must never leave the machine. The last field is
# the right a role needs to see the page (``metrics.scope.RIGHTS``); metrics/ enforces it too.
PAGES = (
    ("app_pages/map.py", "page_map", True, None),
    ("app_pages/trends.py", "page_trends", False, None),
    ("app_pages/peers.py", "page_peers", False, None),
    ("app_pages/departments.py", "page_departments", False, None),
    ("app_pages/inspection.py", "page_inspection", False, "flags"),
    ("app_pages/method.py", "page_method", False, None),
    ("app_pages/reporting.py", "page_reporting", False, None),
    ("app_pages/import_data.py", "page_import", False, "import"),
    ("app_pages/audit.py", "page_audit", False, "audit"),
)

missing = data.missing_database()
if missing:
    st.error(ui.t("no_database", path=missing))
    st.stop()
outdated = data.outdated_schema()
if outdated:
    st.error(ui.t("old_schema", found=outdated[0], current=outdated[1]))
    st.stop()

login.gate()
view = ui.current()
pages = [
    st.Page(str(HERE / path), title=ui.t(key), default=default)
    for path, key, default, right in PAGES
    if right is None or data.may(right)
]
navigation = st.navigation(pages, position="sidebar")
login.account_box()
ui.sidebar(view)
st.sidebar.caption(ui.t("app_title"))
navigation.run()
