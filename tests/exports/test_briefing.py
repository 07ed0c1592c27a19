"""The Word briefing (生成简报): opens, reads as a 公文, numbers equal ``burdenmap query``."""

import io
import json
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn
from PIL import Image

from cli.main import cli
from dashboard.exports import briefing
from metrics.exports.provenance import Provenance
from metrics.scope import Scope
from metrics.store import Reader

COUNTY, PREFECTURE = "632525", "632500"  # 贵南县 in 海南藏族自治州
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def docx_path(db, tmp_path_factory):
    path = tmp_path_factory.mktemp("brief") / "简报.docx"
    result = CliRunner().invoke(
        cli, ["--db", str(db), "brief", "--region", COUNTY, "-o", str(path)]
    )
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def doc(docx_path):
    return Document(str(docx_path))


def query(db, *args):
    result = CliRunner().invoke(cli, ["--db", str(db), "query", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_title_period_and_numbered_sections(doc):
    texts = [p.text for p in doc.paragraphs if p.text.strip()]
    assert texts[0] == "贵南县村级组织负担情况简报"
    assert texts[1] == "（2025年第四季度）"
    headings = [t for t in texts if re.match(r"^[一二三四五六七八九十]、", t)]
    assert [h[0] for h in headings] == list("一二三四五六")
    assert headings[0] == "一、总体情况" and headings[-1] == "六、方法说明"
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", texts[-1])


def test_marking_heads_every_page_and_pages_are_numbered(doc):
    section = doc.sections[0]
    assert section.header.paragraphs[0].text == "模拟数据"  # simulated data
    assert 'w:instr="PAGE"' in section.footer._element.xml


def test_chinese_text_carries_east_asian_fonts(doc):
    styles = doc.styles.element
    assert doc.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    lang = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert lang.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    runs = [r for p in doc.paragraphs for r in p.runs if CJK.search(r.text)]
    runs += [r for t in doc.tables for c in t._cells for p in c.paragraphs for r in p.runs]
    assert runs and all(r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in runs)
    fonts = {r.text: r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in doc.paragraphs[0].runs}
    assert fonts == {"贵南县村级组织负担情况简报": "方正小标宋简体"}


def test_map_and_trend_are_pictures(doc):
    assert len(doc.inline_shapes) == 2
    captions = [p.text for p in doc.paragraphs if p.text.startswith("图")]
    assert captions == ["图1　贵南县各村负担指数", "图2　贵南县负担指数变化趋势"]


def test_league_table_equals_burdenmap_query(db, doc):
    expected = query(db, "--level", "township", "--parent", COUNTY)
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert rows[0][:3] == ["排名", "名称", "负担指数（基期中位村 = 100）"]
    got = [(r[1], r[2], r[0]) for r in rows[1:]]
    assert got == [(e["name"], f"{e['mean']:.1f}", str(e["rank"])) for e in expected]


def test_summary_numbers_equal_burdenmap_query(db, doc):
    county = next(
        r for r in query(db, "--level", "county", "--parent", PREFECTURE) if r["code"] == COUNTY
    )
    ranked = next(r for r in query(db, "--level", "county") if r["code"] == COUNTY)
    summary = doc.paragraphs[4].text
    assert f"平均负担指数为 {county['mean']:.1f}" in summary
    assert f"下降 {-county['change_vs_baseline_pct']:.1f}%" in summary
    assert f"排第 {ranked['rank']} 位" in summary
    assert f"共有建制村 {county['villages']} 个" in summary


def test_a_real_reader_shows_the_marking_on_every_page(docx_path, tmp_path):
    """LibreOffice opens the file as Word would and prints the marking atop each page."""
    soffice, pdftotext = shutil.which("soffice"), shutil.which("pdftotext")
    assert soffice and pdftotext, "make system-packages installs libreoffice and poppler-utils"
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx_path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = subprocess.run(
        [pdftotext, "-layout", str(tmp_path / "简报.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) >= 3
    assert all(p.strip().startswith("模拟数据") for p in pages)
    assert "贵南县村级组织负担情况简报" in pages[0]


def test_real_data_carry_the_configured_marking(demo_db, monkeypatch):
    monkeypatch.setenv("BURDENMAP_MARKING", "内部资料 注意保存")
    real = Provenance(simulated=False, vintage="2026-01-15 09:30", baseline="2022Q1")
    monkeypatch.setattr(briefing, "provenance", lambda db: real)
    blank = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(blank, "PNG")
    monkeypatch.setattr(briefing.static, "image", lambda fig, fmt="png": blank.getvalue())
    reader = Reader(demo_db)
    try:
        data = briefing.build(reader, Scope.everything(), COUNTY)
    finally:
        reader.close()
    doc = Document(io.BytesIO(data))
    assert doc.sections[0].header.paragraphs[0].text == "内部资料 注意保存"
    assert not any("模拟数据" in p.text for p in doc.paragraphs)
