"""Browser tests: a real Streamlit server on a free port, driven by Debian's Chromium.

Every request the page makes is recorded; tests assert that none leaves the machine.
Screenshots go to ``test-output/`` so a person can look at them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.server import CHROMIUM_ARGS, OUTPUT, AppServer

__all__ = ["AppServer", "screenshot", "serve_with_account"]

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(**CHROMIUM_ARGS)
        yield b
        b.close()


class Recorder:
    """Requests and console errors seen by one page."""

    def __init__(self, page: Page) -> None:
        self.hosts: set[str] = set()
        self.external: list[str] = []
        self.errors: list[str] = []
        page.on("request", self._on_request)
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _on_request(self, request) -> None:
        url = urlparse(request.url)
        if url.scheme in {"data", "blob", "about"}:
            return
        self.hosts.add(url.hostname or "")
        if url.hostname not in LOCAL_HOSTS:
            self.external.append(request.url)


@pytest.fixture
def page(browser: Browser) -> Iterator[tuple[Page, Recorder]]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    pg = context.new_page()
    recorder = Recorder(pg)
    yield pg, recorder
    context.close()


def screenshot(page: Page, name: str) -> Path:
    OUTPUT.mkdir(exist_ok=True)
    path = OUTPUT / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


PASSWORD = "password-123"


def serve_with_account(
    db: Path, folder: Path, username: str, role: str, code: str | None = None
) -> tuple[AppServer, Path]:
    """An app server on ``db`` whose accounts file (in ``folder``) holds one account.

    The account's password is :data:`PASSWORD`; bcrypt runs at the lowest cost for speed.
    """
    from metrics import accounts, store

    path = folder / "accounts.sqlite"
    env = {"BURDENMAP_ACCOUNTS": str(path), "BURDENMAP_BCRYPT_COST": "4"}
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            mp.setenv(key, value)
        reader = store.Reader(db)
        try:
            accounts.add_user(path, username, PASSWORD, role, code, regions=reader, actor="test")
        finally:
            reader.close()
    return AppServer(db, env=env), path
