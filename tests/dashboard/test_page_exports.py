"""AppTest: the export buttons of 同级比较, 部门 and 督查抽样 — present, audited, and making files.

AppTest cannot press a download button, so the test takes the callable Streamlit registered for
it (``MediaFileManager.add_deferred``, what a click runs) and calls it.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest
from PIL import Image
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from dashboard import data
from dashboard.exports import static

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
COUNTY = "632521"  # 共和县


@pytest.fixture(scope="module", autouse=True)
def browser() -> Iterator[None]:
    """The export browser, stopped when this module is done."""
    yield
    static.stop()


@pytest.fixture
def made(monkeypatch) -> dict[str, tuple[Callable[[], bytes], str]]:
    """Deferred download id → the callable a click runs and the file name, for every button."""
    found: dict[str, tuple[Callable[[], bytes], str]] = {}
    register = MediaFileManager.add_deferred

    def add(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        file_id = register(self, data_callable, mimetype, coordinates, file_name, **kwargs)
        found[file_id] = (data_callable, file_name)
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", add)
    return found


@pytest.fixture
def audited(monkeypatch) -> list[tuple]:
    """``(view, fmt, region, period)`` of every export the audit hook recorded."""
    records: list[tuple] = []

    def record_export(view, fmt, region, period, indicator):
        return lambda: records.append((view, fmt, region, period))

    monkeypatch.setattr(data, "record_export", record_export)
    return records


@pytest.fixture
def page(demo_db, monkeypatch, made, audited):
    def run(path: str, **params: str) -> AppTest:
        monkeypatch.setenv("BURDENMAP_DB", str(demo_db))
        at = AppTest.from_file(APP, default_timeout=90)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        at.switch_page(path)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


def buttons(at: AppTest) -> dict[str, str]:
    """Key → deferred file id of the page's download buttons."""
    return {
        b.proto.id.rpartition("-export-")[2]: b.proto.deferred_file_id
        for b in at.get("download_button")
        if "-export-" in b.proto.id
    }


def click(at: AppTest, made: dict, key: str) -> bytes:
    """The file the download button ``export-<key>`` makes."""
    out = made[buttons(at)[key]][0]()
    assert out
    return out


def check(fmt: str, out: bytes) -> None:
    """``out`` is a readable file of type ``fmt``."""
    if fmt == "png":
        assert Image.open(io.BytesIO(out)).format == "PNG"
    elif fmt == "svg":
        assert ET.fromstring(out).tag.endswith("svg")
    elif fmt == "xlsx":
        assert openpyxl.load_workbook(io.BytesIO(out)).sheetnames[0] in ("数据", "Data")
    else:
        assert out.startswith(b"\xef\xbb\xbf")  # CSV with a BOM


FIGURES = ("png", "svg")
TABLES = ("xlsx", "csv")


def expect(*names: tuple[str, tuple[str, ...]]) -> set[str]:
    return {f"{name}-{fmt}" for name, formats in names for fmt in formats}


def test_peers_page_exports_every_chart_and_the_league(page, made, audited):
    at = page("app_pages/peers.py", region=COUNTY)
    found = buttons(at)
    assert set(found) >= expect(
        ("peers-league", FIGURES),
        ("peers-table", TABLES),
        ("peers-bump", FIGURES),
        ("peers-scatter", FIGURES),
        ("peers-breakdown", FIGURES),
        ("peers-multiples", FIGURES),
    )
    book = openpyxl.load_workbook(io.BytesIO(click(at, made, "peers-table-xlsx")))
    names = [row[1] for row in book["数据"].iter_rows(min_row=2, values_only=True)]
    assert "共和县" in names and len(names) == len(at.dataframe[0].value)
    about = dict(r[:2] for r in book["说明"].iter_rows(values_only=True) if r[0])
    assert about["筛选条件"] == "比较范围：全省所有县区"
    png = Image.open(io.BytesIO(click(at, made, "peers-league-png")))
    assert png.width >= 1200
    check("svg", click(at, made, "peers-bump-svg"))
    assert [r[:2] for r in audited] == [("peers", "xlsx"), ("peers", "png"), ("peers-bump", "svg")]
    assert {r[2] for r in audited} == {COUNTY}


def test_peers_page_names_files_by_their_chinese_title(page, made):
    at = page("app_pages/peers.py")
    name = made[buttons(at)["peers-table-xlsx"]][1]
    assert name == "各市州负担指数同级比较（2025年第四季度）_2025Q4.xlsx"


def test_departments_page_exports(page, made, audited):
    at = page("app_pages/departments.py", region=COUNTY)
    assert set(buttons(at)) >= expect(
        ("departments-table", TABLES),
        ("departments-bars", FIGURES),
        ("department-map", FIGURES),
        ("department-trend", FIGURES),
        ("department-items", TABLES),
    )
    for key in ("departments-table-csv", "department-items-xlsx", "departments-bars-svg"):
        check(key.rpartition("-")[2], click(at, made, key))
    png = Image.open(io.BytesIO(click(at, made, "department-map-png")))
    assert png.size[0] >= 1200
    items = openpyxl.load_workbook(io.BytesIO(click(at, made, "department-items-xlsx")))
    rows = list(items["数据"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(at.dataframe[-1].value)
    assert [r[0] for r in audited] == [
        "departments",
        "department-items",
        "departments",
        "department-map",
        "department-items",
    ]


def test_inspection_exports_flags_gaps_and_only_a_shown_sample(page, made, audited):
    at = page("app_pages/inspection.py", region=COUNTY)
    before = set(buttons(at))
    assert before >= expect(
        ("flag-counts", TABLES), ("flags", TABLES), ("gaps-chart", FIGURES), ("gaps-table", TABLES)
    )
    assert not [k for k in before if k.startswith("drawn-")]  # no sample drawn, none to export
    check("xlsx", click(at, made, "flags-xlsx"))
    check("png", click(at, made, "gaps-chart-png"))
    at.button(key="FormSubmitter:sample-form-抽取").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert set(buttons(at)) >= expect(("drawn-table", TABLES), ("drawn-map", FIGURES))
    book = openpyxl.load_workbook(io.BytesIO(click(at, made, "drawn-table-xlsx")))
    codes = [row[1] for row in book["数据"].iter_rows(min_row=2, values_only=True)]
    assert codes == list(at.dataframe[0].value["村代码"])
    check("svg", click(at, made, "drawn-map-svg"))
    assert [r[:2] for r in audited] == [
        ("inspection-flags", "xlsx"),
        ("inspection-gaps", "png"),
        ("inspection-sample", "xlsx"),
        ("inspection-sample-map", "svg"),
    ]
    labels = [b.label for b in at.get("download_button")]
    assert "下载核查表（XLSX）" in labels  # the checklist workbook stays
    checklist = next(b for b in at.get("download_button") if b.proto.id.endswith("-drawn-xlsx"))
    workbook = made[checklist.proto.deferred_file_id][0]()
    assert openpyxl.load_workbook(io.BytesIO(workbook)).sheetnames
    assert audited[-1][:2] == ("inspection-checklist", "xlsx")  # audited like every export
