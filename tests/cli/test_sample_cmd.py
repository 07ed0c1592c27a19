"""``burdenmap sample``: the printed list, the checklist workbook, the CSV, drafts, exit codes."""

import io
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from cli.main import cli
from metrics import checklist, registry, store

# The hand-built fixture of the metrics tests (tests/metrics/flags_fixture.py).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "metrics"))
from flags_fixture import C1, Q, build


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "burden.duckdb"
    store.publish(path, build, create=True)
    return str(path)


def run(db_path, *args):
    return CliRunner().invoke(cli, ["--db", db_path, "sample", *args])


def test_prints_the_picks_and_the_design(db_path):
    result = run(db_path, "--n", "3", "--seed", "2", "--period", Q[2])
    assert result.exit_code == 0, result.output
    assert "抽取 3 个村（风险加权 2，随机对照 1）" in result.output
    assert "种子 2" in result.output


def test_workbook_has_one_checklist_per_village(db_path, tmp_path):
    out = tmp_path / "picks.xlsx"
    result = run(db_path, "--n", "4", "--seed", "7", "--within", C1, "-o", str(out))
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == checklist.SUMMARY_SHEET and len(book.sheetnames) == 5
    sheet = book[book.sheetnames[1]]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[checklist.HEADER_ROW]
    assert header == checklist.DATA_HEADERS
    assert header[2:9] == tuple(i.header_zh for i in registry.INDICATORS)
    code, period, *verified = rows[checklist.HEADER_ROW + 1][: 2 + len(registry.CODES)]
    assert len(code) == 12 and code.startswith(C1) and period == Q[-1]
    assert verified == [None] * len(registry.CODES)  # blanks for the inspector
    assert rows[checklist.HEADER_ROW + 1][-2:] == ("督查", None)
    assert all(isinstance(v, int) for v in rows[checklist.REFERENCE_ROW][2:9])
    assert len(rows) == checklist.HEADER_ROW + 2  # nothing below the row to fill in
    codes_above = [r[0] for r in rows[: checklist.HEADER_ROW]]
    assert checklist.CODE not in codes_above


def test_csv_keeps_the_twelve_digit_code_and_the_same_seed_gives_the_same_list(db_path, tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    for out in (first, second):
        assert run(db_path, "--n", "5", "--seed", "11", "-o", str(out)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    df = pd.read_csv(io.BytesIO(first.read_bytes()), dtype={checklist.CODE: str})
    assert df[checklist.CODE].str.fullmatch(r"\d{12}").all() and len(df) == 5
    assert not set(checklist.DATA_HEADERS[2:9]) & set(df.columns)  # reported ≠ verified


def test_save_stores_a_draft(db_path, tmp_path):
    result = run(db_path, "--n", "2", "--save", "--random-share", "0", "--exclude-visited", "0")
    assert result.exit_code == 0, result.output
    assert "已保存为草稿 S1" in result.output
    reader = store.Reader(db_path)
    row = reader.query("SELECT status, seed, params FROM sample").iloc[0]
    reader.close()
    assert row["status"] == "draft" and row["seed"] == 7
    assert '"random_share": 0.0' in row["params"] and '"exclude_visited": 0' in row["params"]


@pytest.mark.parametrize(
    "args",
    [["--within", "999999"], ["--period", "2019Q1"], ["-o", "picks.txt"], ["--n", "0"]],
)
def test_usage_errors_exit_2_with_one_line(db_path, args):
    result = run(db_path, *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
