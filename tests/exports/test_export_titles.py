"""Captions, legends and file names of exports; the download buttons on the pages."""

from pathlib import Path

import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.export_buttons import Subject, file_name
from dashboard.exports import static_map, titles
from metrics.exports.provenance import Provenance

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
REAL = Provenance(simulated=False, vintage="2026-01-15 09:30", baseline="2022Q1")


def test_caption_of_real_data_carries_the_configured_marking(monkeypatch):
    monkeypatch.setenv("BURDENMAP_MARKING", "内部资料 注意保存")
    cap = titles.caption(
        "图", REAL, region="青海省", period=("2022Q1", "2025Q4"), indicator="forms"
    )
    assert (
        cap.subtitle
        == "青海省 · 报表台账 · 2022年第一季度—2025年第四季度 · 数据版本 2026-01-15 09:30"
    )
    assert cap.marking == "内部资料 注意保存"
    assert "2022年第一季度" in cap.source


def test_decorate_sizes_the_figure_and_draws_the_caption_in_the_cjk_font():
    cap = titles.caption("标题<b>", REAL, region="青海省", period="2025Q4", lang="zh")
    fig = titles.decorate(go.Figure(go.Scatter(x=[1], y=[1])), cap, width=900, height=560)
    assert (fig.layout.width, fig.layout.height) == (900, 560)
    assert fig.layout.font.family.startswith("Noto Sans CJK SC")
    assert "&lt;b&gt;" in fig.layout.title.text  # text from data is escaped
    notes = [a.text for a in fig.layout.annotations]
    assert any(cap.source in n for n in notes) and any(cap.marking in n for n in notes)


def test_legend_states_the_breaks_and_no_data():
    items = static_map.legend_items([10.0, 20.0, 30.0], 5.0, fixed=True)
    assert [label for _, label in items] == ["5 – 10", "10 – 20", "> 20", "无数据"]


def test_file_names_are_safe():
    subject = Subject("map", "632525", "贵南县", "2025Q4")
    assert file_name(subject, 'a/b:c*"d" e', "png") == "a_b_c_d_e_2025Q4.png"


@pytest.mark.parametrize(
    ("page", "params", "labels"),
    [
        (None, {"region": "632500"}, {"生成简报", "PNG 图片", "SVG 矢量图", "Excel 表格"}),
        ("app_pages/trends.py", {"region": "632525"}, {"PNG 图片", "CSV 表格"}),
    ],
)
def test_pages_offer_the_downloads(demo_db, monkeypatch, page, params, labels):
    monkeypatch.setenv("BURDENMAP_DB", str(demo_db))
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception
    shown = {b.proto.label for b in at.get("download_button")}
    assert labels <= shown
