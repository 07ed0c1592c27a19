"""Accounts in real Chromium: a county user signs in, stays signed in across a reload (cookie),
cannot reach another county by editing the URL, and signing out ends the session."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from metrics import accounts
from tests.browser.conftest import PASSWORD, screenshot, serve_with_account

TIMEOUT = 60_000
COUNTY, OTHER = "632525", "630102"  # 贵南县 (海南州); 城东区 of another prefecture (西宁市)


@pytest.fixture(scope="module")
def server(demo_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("accounts")
    app, path = serve_with_account(demo_db, folder, "guinan", "county", COUNTY)
    yield app, path
    app.stop()


def heading(pg, text):
    return pg.get_by_role("heading", name=text, exact=True)


def test_county_user_signs_in_and_cannot_reach_another_county(server, page):
    app, path = server
    pg, recorder = page
    pg.goto(app.url)
    expect(pg.get_by_text("用户名")).to_be_visible(timeout=TIMEOUT)
    screenshot(pg, "sign-in")
    pg.get_by_label("用户名").fill("guinan")
    pg.get_by_label("密码").fill("wrong-password")
    pg.get_by_role("button", name="登录").click()
    expect(pg.get_by_text("用户名或密码错误").first).to_be_visible(timeout=TIMEOUT)
    pg.get_by_label("密码").fill(PASSWORD)
    pg.get_by_role("button", name="登录").click()
    expect(heading(pg, "贵南县")).to_be_visible(timeout=TIMEOUT)
    expect(pg.get_by_text("县区 · 贵南县").first).to_be_visible()
    expect(pg.get_by_role("link", name="督查抽样")).to_have_count(0)
    screenshot(pg, "signed-in-county")

    pg.goto(f"{app.url}/?region={OTHER}")  # a new page load: the cookie keeps the session
    expect(
        pg.get_by_text(f"无权查看地区 {OTHER}（不在您的权限范围内），已显示 贵南县").first
    ).to_be_visible(timeout=TIMEOUT)
    expect(heading(pg, "贵南县")).to_be_visible()
    expect(pg.get_by_text("城东区")).to_have_count(0)
    pg.locator("[data-testid='stDataFrame']").first.wait_for(timeout=TIMEOUT)
    screenshot(pg, "refused-other-county")

    pg.get_by_role("button", name="退出登录").click()
    expect(pg.get_by_label("用户名")).to_be_visible(timeout=TIMEOUT)
    pg.reload()  # the cookie's token was revoked with the sign-out
    expect(pg.get_by_label("用户名")).to_be_visible(timeout=TIMEOUT)
    actions = list(accounts.events(path)["action"])
    assert actions[:3] == ["logout", "login", "login_failed"]
    assert recorder.external == [], f"requests left the machine: {recorder.external[:5]}"
    assert recorder.errors == [], f"console errors: {recorder.errors[:5]}"
