"""Key journeys of the map page in real Chromium: load, click to drill down, breadcrumb, shared
URL, no request leaving the machine, no console errors, data text never executed as HTML."""

from __future__ import annotations

import math
import re
import shutil

import pytest
from playwright.sync_api import expect

from dashboard.figures.maps import view_for_bounds
from geodata import load_boundaries
from metrics import store
from tests.browser.conftest import AppServer, screenshot

CANVAS = "[data-testid='stDeckGlJsonChart'] canvas"
TIMEOUT = 45_000  # page load → map canvas takes 4–7 s on 2 cores with software GL; be generous
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def server(demo_db):
    app = AppServer(demo_db)
    yield app
    app.stop()


def wait_for_map(page) -> None:
    page.locator(CANVAS).first.wait_for(state="visible", timeout=TIMEOUT)
    page.wait_for_timeout(1500)  # deck.gl draws a frame after the canvas appears


def heading(page, text: str):
    return page.get_by_role("heading", name=text, exact=True)


def pixel_of(page, lon: float, lat: float, bounds) -> tuple[float, float]:
    """Screen position of (lon, lat) in the deck canvas, from the view the builder computed."""
    box = page.locator(CANVAS).first.bounding_box()
    view = view_for_bounds(bounds, 520, 560)
    scale = 512 * 2**view.zoom

    def project(x: float, y: float) -> tuple[float, float]:
        px = (x + 180) / 360 * scale
        py = (math.pi - math.log(math.tan(math.pi / 4 + math.radians(y) / 2))) / (2 * math.pi)
        return px, py * scale

    cx, cy = project(view.longitude, view.latitude)
    px, py = project(lon, lat)
    return box["x"] + box["width"] / 2 + px - cx, box["y"] + box["height"] / 2 + py - cy


def assert_clean(recorder) -> None:
    assert recorder.external == [], f"requests left the machine: {recorder.external[:5]}"
    assert recorder.errors == [], f"console errors: {recorder.errors[:5]}"


def test_home_shows_the_province_map_offline(server, page):
    pg, recorder = page
    pg.goto(server.url)
    wait_for_map(pg)
    expect(heading(pg, "青海省")).to_be_visible()
    expect(pg.get_by_text("模拟数据").first).to_be_visible()
    screenshot(pg, "map-province")
    assert_clean(recorder)


def test_click_a_prefecture_drills_down_and_the_breadcrumb_goes_back(server, page):
    pg, recorder = page
    pg.goto(server.url)
    wait_for_map(pg)
    prefectures = load_boundaries("prefecture")
    target = prefectures.set_index("code").loc["632500"]
    point = target.geometry.representative_point()
    x, y = pixel_of(pg, point.x, point.y, prefectures.total_bounds)
    pg.mouse.click(x, y)
    expect(heading(pg, "海南藏族自治州")).to_be_visible(timeout=TIMEOUT)
    expect(pg).to_have_url(re.compile(r"region=632500"), timeout=TIMEOUT)
    wait_for_map(pg)
    screenshot(pg, "map-prefecture-after-click")
    pg.get_by_role("button", name="青海省").click()
    expect(heading(pg, "青海省")).to_be_visible(timeout=TIMEOUT)
    expect(pg).not_to_have_url(re.compile(r"region="), timeout=TIMEOUT)
    assert_clean(recorder)


def test_a_shared_url_reproduces_a_county_view(server, page):
    pg, recorder = page
    pg.goto(f"{server.url}/?region=632525&indicator=plaques&period=2024Q2")
    wait_for_map(pg)
    expect(heading(pg, "贵南县")).to_be_visible()
    for crumb in ("青海省", "海南藏族自治州"):
        expect(pg.get_by_role("button", name=crumb)).to_be_visible()
    expect(pg.get_by_text("2024年第二季度").first).to_be_visible()
    screenshot(pg, "map-county-shared-url")
    assert_clean(recorder)


def test_a_village_card(server, page):
    pg, recorder = page
    pg.goto(f"{server.url}/?region=632525001001")
    expect(pg.get_by_text("村情卡片")).to_be_visible(timeout=TIMEOUT)
    # the card's charts and tables are drawn, not left as placeholders
    expect(pg.locator("[data-testid='stPlotlyChart'] .main-svg").first).to_be_visible(
        timeout=TIMEOUT
    )
    expect(pg.locator("[data-testid='stDataFrame'] canvas").first).to_be_visible(timeout=TIMEOUT)
    screenshot(pg, "village-card")
    assert_clean(recorder)


@pytest.fixture(scope="module")
def hostile_db(demo_db, tmp_path_factory):
    """The demo with one village renamed to an HTML payload."""
    path = tmp_path_factory.mktemp("xss") / "burden.duckdb"
    shutil.copyfile(demo_db, path)
    store.publish(
        path,
        lambda con: con.execute("UPDATE region SET name = ? WHERE code = '632525001001'", [XSS]),
    )
    return path


def test_a_village_name_with_html_shows_as_text(hostile_db, page):
    app = AppServer(hostile_db)
    try:
        pg, recorder = page
        dialogs: list[str] = []
        pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        pg.goto(f"{app.url}/?region=632525001001")
        expect(pg.get_by_role("heading", name=XSS).first).to_be_visible(timeout=TIMEOUT)
        pg.goto(f"{app.url}/?region=632525001")  # the township map: the name is in a tooltip
        wait_for_map(pg)
        screenshot(pg, "xss-township")
        assert dialogs == []
        assert pg.locator("img[src='x']").count() == 0
        assert_clean(recorder)
    finally:
        app.stop()
