"""``burdenmap export`` and ``burdenmap brief``: files that read back, errors, the audit trail."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import openpyxl
import pytest
from click.testing import CliRunner
from PIL import Image

from cli.main import cli
from dashboard.exports import content, static, static_map, tables
from metrics import accounts

COUNTY = "632525"  # 贵南县


def run(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), *args])


@pytest.fixture(scope="module")
def exported(db, tmp_path_factory):
    """One file per format, each of a different view, written by the CLI."""
    out = tmp_path_factory.mktemp("out")
    jobs = {
        "map.png": ["--view", "map", "--region", COUNTY],
        "trend.svg": ["--view", "trend", "--region", COUNTY, "--indicator", "plaques"],
        "peers.xlsx": ["--view", "peers", "--region", COUNTY, "--period", "2024Q4"],
        "departments.csv": ["--view", "departments", "--region", COUNTY],
    }
    for name, args in jobs.items():
        result = run(db, "export", *args, "-o", str(out / name))
        assert result.exit_code == 0, result.output
    return out


def test_map_png(exported):
    image = Image.open(exported / "map.png")
    assert image.width >= 1200 and image.size == tuple(2 * n for n in static_map.SIZE)


def test_trend_svg_of_an_indicator(exported):
    root = ET.parse(exported / "trend.svg").getroot()
    texts = "".join(el.text or "" for el in root.iter() if el.tag.endswith(("text", "tspan")))
    assert "贵南县挂牌变化趋势" in texts and "模拟数据" in texts


def test_peers_xlsx_of_a_past_quarter(exported):
    book = openpyxl.load_workbook(exported / "peers.xlsx")
    rows = list(book["数据"].iter_rows(values_only=True))
    assert rows[0][:3] == ("排名", "名称", "代码")
    assert any(r[1] == "贵南县" for r in rows[1:])
    about = dict(r[:2] for r in book["说明"].iter_rows(values_only=True) if r[0])
    assert "2024年第四季度" in about["内容"]


def test_departments_csv_opens_in_excel_as_chinese(exported):
    data = (exported / "departments.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:2] == ["排名", "部门"] and len(rows) > 5


def test_every_export_is_audited(db, exported):
    found = accounts.events(accounts.accounts_path(db))
    rows = found[found["action"] == "export"][["user_name", "action", "detail"]].values.tolist()
    details = [json.loads(d) for _, _, d in rows]
    assert {(d["view"], d["fmt"]) for d in details} >= {
        ("map", "png"),
        ("trend", "svg"),
        ("peers", "xlsx"),
        ("departments", "csv"),
    }
    assert all(user.startswith("cli:") for user, _, _ in rows)
    assert all(d["region"] == COUNTY and d["scope"] == "all" for d in details)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--view", "map", "--region", "999999", "-o", "x.png"], 2),  # unknown region
        (["--view", "map", "--region", COUNTY, "-o", "x.txt"], 2),  # unknown format
        (["--view", "trend", "--region", COUNTY, "--period", "2030Q1", "-o", "x.png"], 2),
        (["--view", "map", "--region", "632525001001", "-o", "x.png"], 2),  # a village: no map
    ],
)
def test_usage_errors_are_one_line(db, tmp_path, args, code):
    result = CliRunner().invoke(
        cli, ["--db", str(db), "export", *args[:-1], str(tmp_path / args[-1])]
    )
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / args[-1]).exists()


def test_cli_choices_match_the_exports():
    from cli import export_cmd  # after cli.main, which registers it

    assert export_cmd.VIEWS == tuple(content.VIEWS)
    assert export_cmd.FORMATS == static.FORMATS + tables.FORMATS
