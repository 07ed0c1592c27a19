"""``burdenmap query`` and ``burdenmap indicators``: formats, columns and exit codes."""

import io
import json
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner

from cli.main import cli
from metrics import registry

# The hand-built fixture of the metrics tests (tests/metrics/burden_fixture.py).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "metrics"))
from burden_fixture import A1, A2, V1, V2, V3, A, build

COLUMNS = (
    "code,name,level,parent_code,period,indicator,mean,median,p90,villages,reported_share,"
    "over_target_share,change_vs_baseline_pct,rank,percentile"
).split(",")


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "burden.duckdb"
    con = duckdb.connect(str(path))
    build(con)
    con.close()
    return str(path)


def run(db_path, *args):
    return CliRunner().invoke(cli, ["--db", db_path, *args])


def test_csv_columns_and_values(db_path):
    result = run(
        db_path, *f"query --level county --parent {A} --period 2024Q4 --format csv".split()
    )
    assert result.exit_code == 0, result.output
    df = pd.read_csv(io.StringIO(result.output), dtype={"code": str, "parent_code": str})
    assert set(COLUMNS) <= set(df.columns)
    assert df["code"].tolist() == [A2, A1]
    assert df.set_index("code").loc[A1, "mean"] == pytest.approx(62.5)


def test_villages_of_a_prefecture_as_json(db_path):
    args = f"query --level village --parent {A} --period 2024Q4 --format json --peer-group"
    result = run(db_path, *args.split())
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["code"] for r in rows] == [V2, V3, V1]  # 100, 66.67, 25
    assert [r["rank"] for r in rows] == [1, 2, 3]
    assert rows[0]["percentile"] == 100
    assert all(set(COLUMNS) <= set(r) for r in rows)


def test_default_period_is_latest_and_table_has_chinese_headers(db_path):
    result = run(db_path, "query", "--level", "prefecture", "--lang", "zh")
    assert result.exit_code == 0, result.output
    first, header = result.output.splitlines()[:2]
    assert first.startswith("2025年第二季度")
    assert "代码" in header and "排名" in header
    english = run(db_path, "--lang", "en", "query", "--level", "prefecture")
    assert english.output.startswith("2025 Q2 · Burden index")


def test_include_communities(db_path):
    args = f"query --level village --parent {A1} --period 2024Q4 --include-communities"
    result = run(db_path, *args.split(), "--format", "csv")
    assert len(pd.read_csv(io.StringIO(result.output))) == 3


@pytest.mark.parametrize(
    "args",
    [
        ["--level", "town"],
        ["--level", "county", "--parent", "999999"],
        ["--level", "county", "--period", "2019Q1"],
        ["--level", "county", "--period", "2024-4"],
        ["--level", "county", "--indicator", "nope"],
    ],
)
def test_unknown_inputs_exit_2_with_one_line(db_path, args):
    result = run(db_path, "query", *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_missing_database_is_one_line(tmp_path):
    result = run(str(tmp_path / "none.duckdb"), "query", "--level", "county")
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1


def test_indicators_formats(db_path):
    as_json = json.loads(run(db_path, "indicators", "--format", "json").output)
    assert [i["code"] for i in as_json] == list(registry.CODES)
    plaques = next(i for i in as_json if i["code"] == "plaques")
    assert plaques["targets"][0]["threshold"] == 6 and plaques["kind"] == "stock"
    as_csv = pd.read_csv(io.StringIO(run(db_path, "indicators", "--format", "csv").output))
    assert len(as_csv) == len(registry.TARGETS)
    assert {"weight", "rule_zh", "basis_en", "max_plausible"} <= set(as_csv.columns)
    table = run(db_path, "indicators", "--lang", "zh").output
    assert "挂牌" in table and "依据" in table
