"""The import commands: exit codes, messages, reports, templates, history, gazetteer init."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from tiny_db import BASE, CODES, NAMES, csv_rows, sha256

from cli.main import cli
from metrics import store


def run(db, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), *args])


@pytest.fixture
def good(tmp_path):
    path = tmp_path / "2025年第四季度.csv"
    path.write_bytes(csv_rows("2025年第4季度", BASE).decode().encode("gbk"))
    return path


def test_import_exit_codes_and_summary(db, good):
    dry = run(db, "import", str(good), "--dry-run")
    assert dry.exit_code == 0 and "检查通过" in dry.output
    done = run(db, "import", str(good))
    assert done.exit_code == 0, done.output
    assert "已导入 2025年第四季度.csv：批次 #2" in done.output
    again = run(db, "--lang", "en", "import", str(good))
    assert again.exit_code == 1
    lines = again.output.strip().splitlines()
    assert len(lines) == len(BASE) + 1
    assert lines[0].startswith("[error] 2025年第四季度.csv, row 2, column C (统计期)")
    assert lines[-1].startswith("Error: 2025年第四季度.csv was not imported: 8 errors")
    assert run(db, "import", str(good), "--kind", "nonsense").exit_code == 2
    assert run(db, "import", str(good), "--report", "x.txt").exit_code == 2


def test_rejected_file_changes_nothing_and_the_report_lists_every_problem(db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        (csv_rows("2025Q4", BASE).decode() + f"{CODES[0]},,2025Q4,-1,x,,,,,\n").encode()
    )
    digest = sha256(db)
    for name in ("errors.xlsx", "errors.csv"):
        result = run(db, "import", str(bad), "--report", str(tmp_path / name))
        assert result.exit_code == 1 and sha256(db) == digest
    sheet = openpyxl.load_workbook(tmp_path / "errors.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("文件", "行", "列", "列名", "值")
    assert [(r[1], r[2], r[6]) for r in rows[1:]] == [
        (10, "A", "duplicate_in_file"),
        (10, "D", "negative_value"),
        (10, "E", "text_in_count"),
    ]
    frame = pd.read_csv(tmp_path / "errors.csv", encoding="utf-8-sig")
    assert frame["问题代码"].tolist() == ["duplicate_in_file", "negative_value", "text_in_count"]


def test_report_defuses_formulas_found_in_the_file(db, tmp_path):
    bad = tmp_path / "inject.csv"
    bad.write_bytes(csv_rows("2025Q4", {CODES[0]: BASE[CODES[0]]}).replace(b",10,", b",=1+2,"))
    run(db, "import", str(bad), "--report", str(tmp_path / "r.csv"))
    text = (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    assert "'=1+2" in text and ",=1+2" not in text
    run(db, "import", str(bad), "--report", str(tmp_path / "r.xlsx"))
    cell = openpyxl.load_workbook(tmp_path / "r.xlsx").active["E2"]
    assert cell.value == "=1+2" and cell.data_type == "s"  # a string, not a formula


def test_batches_and_rollback(db, good):
    run(db, "import", str(good))
    listed = run(db, "batches", "--format", "csv")
    frame = pd.read_csv(io.StringIO(listed.output))
    assert frame["batch_id"].tolist() == [2, 1] and set(frame["status"]) == {"published"}
    undone = run(db, "rollback", "2")
    assert undone.exit_code == 0 and "已回滚批次 #2" in undone.output
    assert run(db, "rollback", "2").exit_code == 1
    assert run(db, "rollback", "42").exit_code == 2
    table = run(db, "batches")
    assert "已回滚" not in table.output and "rolled_back" in table.output
    assert "批次" in table.output.splitlines()[0]


def test_template_prefilled_for_a_county_round_trips(db, tmp_path):
    target = tmp_path / "模板.xlsx"
    result = run(db, "template", "--county", "630102", "--period", "2025Q4", "-o", str(target))
    assert result.exit_code == 0 and "预填 5 个村" in result.output
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["数据", "说明"]
    data = book["数据"]
    assert data["A1"].value == "村代码" and data["A2"].value == CODES[0]
    assert data["A2"].number_format == "@" and data["A3000"].number_format in ("@", "General")
    assert data["E2"].value == "2025Q4"
    help_rows = list(book["说明"].iter_rows(values_only=True))
    assert ("协助事项数", "tasks") == help_rows[6][:2]
    for row in range(2, 7):  # a township types the numbers
        for col in range(6, 13):
            data.cell(row, col, 3)
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    done = run(db, "import", str(filled))
    assert done.exit_code == 0, done.output
    assert "5 个村" in done.output


def test_template_csv_has_a_bom_and_every_kind_works(db, tmp_path):
    csv_path = tmp_path / "t.csv"
    assert run(db, "template", "-o", str(csv_path)).exit_code == 0
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf\xe6\x9d\x91")  # BOM, 村
    for kind in ("items", "visits", "gazetteer"):
        path = tmp_path / f"{kind}.xlsx"
        assert run(db, "template", "--kind", kind, "-o", str(path)).exit_code == 0
        header = next(openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True))
        assert header[0] == "村代码"
    assert run(db, "template", "--county", "999999", "-o", str(csv_path)).exit_code == 2
    assert run(db, "template", "-o", str(tmp_path / "t.pdf")).exit_code == 2


GAZETTEER = """村代码,村名,乡镇,县区代码,类型,经度,纬度,区域类型
630102001001,五一社区居委会,东关大街街道,630102,,101.79,36.62,
630102001002,北关村委会,东关大街街道,630102,村,,,
632621001001,大武村委会,大武镇,632621,村,100.24,34.47,牧区
"""


def test_init_with_a_gazetteer_creates_a_real_database(tmp_path):
    source = tmp_path / "名录.csv"
    source.write_bytes(GAZETTEER.encode("gb18030"))
    db = tmp_path / "real.duckdb"
    result = run(db, "init", "--gazetteer", str(source))
    assert result.exit_code == 0, result.output
    assert "3 个村" in result.output
    reader = store.Reader(db)
    assert reader.meta()["simulated"] == "false"
    villages = reader.query(
        "SELECT code, name, name_original, kind, parent_code, lon, position_approximate "
        "FROM region WHERE level = 'village' ORDER BY code"
    )
    assert villages["name"].tolist() == ["五一社区", "北关村", "大武村"]
    assert villages["kind"].tolist() == ["社区", "村", "村"]
    assert villages["parent_code"].tolist() == ["630102001000"] * 2 + ["632621001000"]
    assert villages["position_approximate"].tolist() == [False, True, False]
    assert reader.scalar("SELECT count(*) FROM region WHERE level = 'county'") == 45
    assert reader.scalar("SELECT kind FROM import_batch") == "gazetteer"
    reader.close()
    assert run(db, "init", "--gazetteer", str(source)).exit_code == 1  # exists: needs --force
    assert run(db, "init", "--gazetteer", str(source), "--force").exit_code == 0
    observations = tmp_path / "q4.csv"
    observations.write_text(f"村代码,统计期,挂牌数\n{CODES[0]},2025Q4,6\n", encoding="utf-8")
    assert run(db, "import", str(observations)).exit_code == 0


def test_gazetteer_refused_once_observations_exist(db, tmp_path):
    source = tmp_path / "名录.csv"
    source.write_text(GAZETTEER, encoding="utf-8")
    digest = sha256(db)
    for force in ([], ["--force"]):
        result = run(db, "init", "--gazetteer", str(source), *force)
        assert result.exit_code == 1
        assert "已经有观测数据，不能再导入村庄名录" in result.output
    assert sha256(db) == digest
    english = run(db, "--lang", "en", "init", "--gazetteer", str(source))
    assert "already holds observations" in english.output


def test_names_in_messages_come_from_the_file(db, tmp_path):
    path = tmp_path / "n.csv"
    path.write_bytes(
        csv_rows("2025Q4", {CODES[1]: BASE[CODES[1]]}).replace(
            NAMES[CODES[1]].encode(), "南关村".encode()
        )
    )
    result = run(db, "import", str(path))
    assert result.exit_code == 0
    assert (
        "[警告] n.csv 第 2 行 B 列（村名）：村名“南关村”与该代码在名录中的村名“北关村”不一致"
        in result.output
    )
