"""The import commands: exit codes, messages, reports, templates, history, gazetteer init."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from tiny_db import BASE, CODES, NAMES, csv_rows, sha256

from cli.main import cli
from geodata import clean_village_name
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
    assert "import again with --replace" in lines[0] and "burdenmap rollback" in lines[0]
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


@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]])
def test_a_report_that_cannot_be_written_is_refused_before_anything_is_imported(
    db, good, tmp_path, dry_run
):
    digest = sha256(db)
    report = tmp_path / "missing" / "r.xlsx"
    result = run(db, "import", str(good), "--report", str(report), *dry_run)
    assert result.exit_code == 2, result.output
    assert (
        result.output.startswith(f"错误：无法写入问题清单 {report}") and "未导入" in result.output
    )
    english = run(db, "--lang", "en", "import", str(good), "--report", str(report), *dry_run)
    assert english.exit_code == 2 and "nothing was imported" in english.output
    assert sha256(db) == digest and not (tmp_path / "imports").exists()  # not even kept


def test_a_report_failing_after_the_import_leaves_it_imported(db, good, tmp_path, monkeypatch):
    def disk_full(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("metrics.importing.write_report", disk_full)
    result = run(db, "import", str(good), "--report", str(tmp_path / "r.xlsx"))
    assert result.exit_code == 0, result.output
    assert "已导入 2025年第四季度.csv：批次 #2" in result.output
    assert f"问题清单未能写入 {tmp_path / 'r.xlsx'}：No space left on device" in result.output


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
    assert "批次" in table.output.splitlines()[0]
    assert {"季度指标数", "已回滚", "回滚", "已发布"} <= set(table.output.split())
    assert not {"observations", "rolled_back", "published"} & set(table.output.split())
    english = run(db, "--lang", "en", "batches").output.split()
    assert {"observations", "rolled_back", "rollback", "published"} <= set(english)
    machine = pd.read_csv(io.StringIO(run(db, "batches", "--format", "csv").output))
    assert set(machine["status"]) == {"rolled_back", "published"}
    assert set(machine["kind"]) == {"observations", "rollback"}


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


@pytest.mark.parametrize(
    ("kind", "says", "never"),
    [
        ("observations", ["每村每季度填一行", "burdenmap import 文件名"], ["init --gazetteer"]),
        ("items", ["每个事项填一行", "--kind items"], ["每村每季度填一行", "留空不等于 0"]),
        ("visits", ["每次实地核查填一行", "--kind visits", "不能晚于今天"], ["每村每季度填一行"]),
        ("gazetteer", ["每个村（社区）填一行", "init --gazetteer"], ["季度", "import", "个数"]),
    ],
)
def test_template_instructions_fit_their_kind(db, tmp_path, kind, says, never):
    path = tmp_path / f"{kind}.xlsx"
    assert run(db, "template", "--kind", kind, "-o", str(path)).exit_code == 0
    cells = [r[0] for r in openpyxl.load_workbook(path)["说明"].iter_rows(values_only=True)]
    notes = "\n".join(str(c) for c in cells if c).split("第 1 行是表头")[1]  # below the columns
    assert all(text in notes for text in says), notes
    assert not any(text in notes for text in never), notes


def test_gazetteer_template_of_a_county_is_prefilled_and_round_trips(db, tmp_path):
    path = tmp_path / "名录.csv"
    result = run(db, "template", "--kind", "gazetteer", "--county", "630102", "-o", str(path))
    assert result.exit_code == 0 and "预填 5 个村" in result.output
    frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    assert frame["村代码"].tolist() == CODES[:5]
    assert frame["县区代码"].eq("630102").all() and frame["经度"].isna().all()  # approximate
    copy = tmp_path / "copy.duckdb"
    assert run(copy, "init", "--gazetteer", str(path)).exit_code == 0
    query = (
        "SELECT code, name, name_original, kind, parent_code, area_type, position_approximate "
        "FROM region WHERE level = 'village' AND code LIKE '630102%' ORDER BY code"
    )
    source, copied = (store.Reader(p) for p in (db, copy))
    try:
        before, after = source.query(query), copied.query(query)
    finally:
        source.close()
        copied.close()
    assert after.drop(columns="name").equals(before.drop(columns="name"))
    assert after["name"].tolist() == before["name_original"].map(clean_village_name).tolist()


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
    exists = run(db, "init", "--gazetteer", str(source))
    assert exists.exit_code == 1 and "请加 --force" in exists.output
    assert "add --force" in run(db, "--lang", "en", "init").output
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
        assert "模拟" not in result.output and "为新名录新建数据库" in result.output
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
