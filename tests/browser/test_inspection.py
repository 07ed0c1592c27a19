"""The inspection picker in real Chromium: draw a sample, see the picks on the map, download the
checklist workbook and read it back."""

from __future__ import annotations

import openpyxl
import pytest
from playwright.sync_api import expect

from metrics import checklist, registry
from tests.browser.conftest import AppServer, screenshot

TIMEOUT = 60_000  # the province's flags and the draw take a few seconds on 2 cores


@pytest.fixture(scope="module")
def server(demo_db):
    app = AppServer(demo_db)
    yield app
    app.stop()


def test_draw_a_sample_and_download_the_checklists(server, page, tmp_path):
    pg, recorder = page
    pg.goto(server.url)  # a deep link to /inspection would 404 on /inspection/_stcore/health
    pg.get_by_role("link", name="督查抽样").click(timeout=TIMEOUT)
    expect(pg.get_by_role("heading", name="青海省", exact=True)).to_be_visible(timeout=TIMEOUT)
    pg.get_by_role("button", name="抽取", exact=True).click(timeout=TIMEOUT)
    download = pg.get_by_role("button", name="下载核查表（XLSX）")
    expect(download).to_be_visible(timeout=TIMEOUT)
    pg.locator("[data-testid='stDeckGlJsonChart'] canvas").first.wait_for(timeout=TIMEOUT)
    expect(pg.get_by_text("风险加权").first).to_be_visible()
    screenshot(pg, "inspection-sample")

    with pg.expect_download(timeout=TIMEOUT) as caught:
        download.click()
    path = tmp_path / caught.value.suggested_filename
    caught.value.save_as(path)
    assert path.name == "inspection-2025Q4-seed7.xlsx"
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == checklist.SUMMARY_SHEET
    assert len(book.sheetnames) == 1 + 60
    rows = list(book[book.sheetnames[1]].iter_rows(values_only=True))
    assert rows[checklist.HEADER_ROW] == checklist.DATA_HEADERS
    filled = rows[checklist.HEADER_ROW + 1]
    assert len(filled[0]) == 12 and filled[0].startswith("63") and filled[1] == "2025Q4"
    assert filled[2 : 2 + len(registry.CODES)] == (None,) * len(registry.CODES)
    assert recorder.external == [], f"requests left the machine: {recorder.external[:5]}"
    assert recorder.errors == [], f"console errors: {recorder.errors[:5]}"
