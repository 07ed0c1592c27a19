"""Who is using the app: sign-in page, session cookie, demo mode, sign-out (issue #9).

:func:`gate` runs first on every page. A session is a signed token (``metrics.accounts``) kept
in ``st.session_state`` and in a cookie, so a reload stays signed in; the token is checked on
every run, so a logout (which revokes every token of the user), a disabled account or an expired
session ends it at once. With no account and a *simulated* database the app opens as a
read-only province viewer (demo mode); a real database never opens without sign-in.
"""

from __future__ import annotations

import json

import streamlit as st
import streamlit.components.v1 as components

from dashboard import data, ui
from metrics.errors import BurdenmapError

COOKIE = "burdenmap_session"


def gate() -> None:
    """Let the run continue for a signed-in user or a demo session; else show sign-in and stop."""
    _write_cookie()
    from_state = st.session_state.get("token")
    token = from_state or st.context.cookies.get(COOKIE)
    if token:
        user = data.session_user(token)
        if user is not None:
            if st.session_state.get("user") != user:  # new session, or the account changed
                data.start_session(user, token)
            return
        data.end_session(revoke=False)
        if from_state:
            st.session_state["login_notice"] = "login_expired"
    if not data.has_accounts():
        if not data.is_simulated():
            st.error(ui.t("login_no_accounts"))
            st.stop()
        if not st.session_state.get("demo"):
            data.start_demo()
        return
    if st.session_state.get("demo"):  # the first account was created: sign-in from now on
        data.end_session(revoke=False)
    _sign_in_page()
    st.stop()


def _sign_in_page() -> None:
    st.title(f"{ui.t('app_title')} · {ui.t('login_title')}")
    ui.simulated_banner()
    if "login_notice" in st.session_state:
        st.info(ui.t(st.session_state.pop("login_notice")))
    st.caption(ui.t("login_intro"))
    with st.form("login"):
        username = st.text_input(ui.t("login_user"), max_chars=32)
        password = st.text_input(ui.t("login_password"), type="password", max_chars=128)
        submitted = st.form_submit_button(ui.t("login_submit"), type="primary")
    if not submitted:
        return
    if not username.strip() or not password:
        st.error(ui.t("login_missing"))
        return
    try:
        user = data.sign_in(username.strip(), password)
    except BurdenmapError as err:
        st.error(err.message(ui.lang()))
        return
    token = data.session_token(user)
    data.start_session(user, token)
    st.session_state["cookie"] = (token, int(data.session_hours() * 3600))
    st.rerun()


def _cookie(value: str, max_age: int) -> None:
    """Set (or, with ``max_age`` 0, delete) the session cookie from a zero-height component."""
    attrs = f"{COOKIE}={value}; path=/; max-age={max_age}; SameSite=Strict"
    if _https():
        attrs += "; Secure"
    components.html(f"<script>parent.document.cookie = {json.dumps(attrs)};</script>", height=0)


def _write_cookie() -> None:
    """Set or delete the cookie as the last sign-in or sign-out asked (once)."""
    pending = st.session_state.pop("cookie", None)
    if pending:
        _cookie(*pending)


def _https() -> bool:
    """Whether the browser reached the app over HTTPS (directly or through the proxy)."""
    forwarded = st.context.headers.get("X-Forwarded-Proto", "")
    return forwarded == "https" or (st.context.url or "").startswith("https:")


def account_box() -> None:
    """The sidebar's account line and sign-out button (or the demo-mode note)."""
    with st.sidebar:
        if st.session_state.get("demo"):
            st.caption(ui.t("demo_mode"))
            return
        user = st.session_state.get("user")
        if user is None:
            return
        where = data.region(user.scope_code or data.top_region()).name
        st.caption(
            ui.t(
                "signed_in_as",
                name=user.display_name,
                role=data.role_label(user.role, ui.lang()),
                where=where,
            )
        )
        if st.button(ui.t("logout"), key="logout"):
            data.end_session(revoke=True)
            st.session_state["cookie"] = ("", 0)
            st.rerun()
