"""数据导入 in real Chromium: a data admin signs in, uploads a correction, sees it validated,
confirms, and the published values change; rolling the batch back brings them back.

Runs on a private copy of the demo database (the app writes new snapshots of it).
"""

from __future__ import annotations

import io
import shutil
from datetime import date

import duckdb
import openpyxl
import pytest
from playwright.sync_api import expect

from metrics import checklist, registry, sampling, store
from metrics.scope import Scope
from tests.browser.conftest import PASSWORD, screenshot, serve_with_account

TIMEOUT = 60_000  # validation and publishing of a province-size snapshot take seconds here
PERIOD = "2025Q4"
VILLAGES = 3


@pytest.fixture(scope="module")
def db(demo_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("import-flow") / "burden.duckdb"
    shutil.copyfile(demo_db, path)
    return path


@pytest.fixture(scope="module")
def server(db, tmp_path_factory):  # only data admins may import and roll back
    app, _ = serve_with_account(db, tmp_path_factory.mktemp("import-accounts"), "shuju", "admin")
    yield app
    app.stop()


def published(db) -> dict[tuple[str, str], int]:
    """The published values of ``PERIOD`` for the first villages, by (village, indicator)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT village_code, indicator, value FROM observation WHERE period = ? "
            "AND village_code IN (SELECT DISTINCT village_code FROM observation "
            "WHERE period = ? ORDER BY village_code LIMIT ?)",
            [PERIOD, PERIOD, VILLAGES],
        ).fetchall()
    finally:
        con.close()
    return {(code, indicator): value for code, indicator, value in rows}


def correction(before: dict[tuple[str, str], int]) -> tuple[str, dict]:
    """A CSV replacing every value of ``before`` with a different one, and the new values."""
    codes = sorted({code for code, _ in before})
    after = {key: value + 3 for key, value in before.items()}
    headers = ",".join(i.header_zh for i in registry.INDICATORS)
    lines = [f"村代码,统计期,{headers}"]
    for code in codes:
        values = [str(after.get((code, c), "")) for c in registry.CODES]
        lines.append(f"{code},{PERIOD}," + ",".join(values))
    return "\n".join(lines) + "\n", after


def test_upload_confirm_publish_and_roll_back(server, db, page, tmp_path):
    pg, recorder = page
    before = published(db)
    assert len(before) == VILLAGES * len(registry.CODES)
    text, after = correction(before)
    upload = tmp_path / "更正.csv"
    upload.write_text(text, encoding="utf-8")

    pg.goto(server.url)
    pg.get_by_label("用户名").fill("shuju", timeout=TIMEOUT)
    pg.get_by_label("密码").fill(PASSWORD)
    pg.get_by_role("button", name="登录").click()
    pg.get_by_role("link", name="数据导入").click(timeout=TIMEOUT)
    expect(pg.get_by_role("heading", name="数据导入")).to_be_visible(timeout=TIMEOUT)
    pg.get_by_text("替换已导入的数值").click()  # values of 2025Q4 are published already
    pg.locator("input[type=file]").set_input_files(upload)
    expect(pg.get_by_text("检查通过").first).to_be_visible(timeout=TIMEOUT)
    confirm = pg.get_by_role("button", name="确认导入")
    expect(confirm).to_be_visible()
    screenshot(pg, "import-checked")
    assert published(db) == before, "checking alone changes nothing"

    confirm.click()
    expect(pg.get_by_text("已导入 更正.csv").first).to_be_visible(timeout=TIMEOUT)
    screenshot(pg, "import-published")
    assert published(db) == after

    pg.get_by_role("tab", name="导入记录与回滚").click()
    pg.get_by_text("我确认回滚该批次").click()
    pg.get_by_role("button", name="回滚", exact=True).click()
    expect(pg.get_by_text("已回滚批次").first).to_be_visible(timeout=TIMEOUT)
    done = len(after)
    expect(pg.get_by_text(f"删除 {done} 行，恢复 {done} 个数值")).to_be_visible()
    pg.get_by_role("tab", name="导入记录与回滚").click()
    expect(pg.get_by_text("没有可以回滚的批次")).to_be_visible(timeout=TIMEOUT)  # it is undone
    screenshot(pg, "import-rolled-back")
    assert published(db) == before
    assert recorder.external == [], f"requests left the machine: {recorder.external[:5]}"
    assert recorder.errors == [], f"console errors: {recorder.errors[:5]}"


def test_a_checklist_workbook_is_read_as_one_visit_import(server, db, page, tmp_path):
    """Every village sheet of the inspection checklist at once (the default for visits)."""
    reader = store.Reader(db)
    try:
        design = sampling.Design(n=3, seed=11, period=PERIOD, within="632525", random_share=0)
        picks = sampling.sample(reader, design, Scope.everything())
    finally:
        reader.close()
    book = openpyxl.load_workbook(io.BytesIO(checklist.workbook(picks, "模拟数据", "贵南县")))
    for n, name in enumerate(book.sheetnames[1:]):
        sheet = book[name]
        for k in range(len(registry.CODES)):
            sheet.cell(checklist.HEADER_ROW + 2, 3 + k, n + k)
        sheet.cell(checklist.HEADER_ROW + 2, 4 + len(registry.CODES), date(2026, 1, 10 + n))
    upload = tmp_path / "核查表.xlsx"
    book.save(upload)

    pg, recorder = page
    pg.goto(server.url)
    pg.get_by_label("用户名").fill("shuju", timeout=TIMEOUT)
    pg.get_by_label("密码").fill(PASSWORD)
    pg.get_by_role("button", name="登录").click()
    pg.get_by_role("link", name="数据导入").click(timeout=TIMEOUT)
    pg.get_by_text("实地核查结果").click(timeout=TIMEOUT)
    pg.locator("input[type=file]").set_input_files(upload)
    # the three village sheets, read at once: 3 rows
    expect(pg.get_by_text("检查通过，尚未导入：3 行，3 个村").first).to_be_visible(timeout=TIMEOUT)
    expect(pg.get_by_role("combobox", name="工作表")).to_be_visible()
    pg.get_by_role("button", name="确认导入").click()
    expect(pg.get_by_text("已导入 核查表.xlsx").first).to_be_visible(timeout=TIMEOUT)
    screenshot(pg, "import-checklist")
    con = duckdb.connect(str(db), read_only=True)
    try:
        found = con.execute(
            "SELECT count(*) FROM visit WHERE batch_id = (SELECT max(batch_id) FROM visit)"
        ).fetchone()[0]
    finally:
        con.close()
    assert found == 3
    assert recorder.external == [], f"requests left the machine: {recorder.external[:5]}"
