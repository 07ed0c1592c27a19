"""AppTest smoke tests: every page, URL-driven views at every level, invalid parameters, scope."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


@pytest.fixture
def app(demo_db, open_app):
    return functools.partial(open_app, demo_db)


@pytest.fixture(scope="module")
def codes(demo_db) -> dict[str, str]:
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        township = con.execute(
            "SELECT code FROM region WHERE level = 'township' AND parent_code = '632525' "
            "ORDER BY code LIMIT 1"
        ).fetchone()[0]
        village = con.execute(
            "SELECT code FROM region WHERE level = 'village' AND parent_code = ? AND kind = '村' "
            "ORDER BY code LIMIT 1",
            [township],
        ).fetchone()[0]
        counts = dict(
            con.execute(
                "SELECT parent_code, count(*) FROM region WHERE parent_code IN (?, ?, ?) "
                "AND kind IS DISTINCT FROM '社区' GROUP BY 1",  # communities are excluded
                ["632500", "632525", township],
            ).fetchall()
        )
    finally:
        con.close()
    return {"township": township, "village": village, **{f"n{k}": v for k, v in counts.items()}}


def markdown_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_home_is_the_province_map_in_chinese_with_the_simulated_mark(app):
    at = app()
    text = markdown_text(at)
    assert "青海省" in text
    assert "模拟数据" in text
    assert [m.label for m in at.metric][:3] == [
        "已报送村数（共 4,162）",
        "平均负担指数",
        "目标达标率",
    ]
    assert len(at.dataframe[0].value) == 8  # the eight prefectures


def test_prefecture_view_lists_its_counties(app, codes):
    at = app(region="632500")
    assert "海南藏族自治州" in markdown_text(at)
    assert len(at.dataframe[0].value) == codes["n632500"] == 5


def test_county_view_lists_townships_and_breadcrumb_goes_up(app, codes):
    at = app(region="632525")
    assert "贵南县" in markdown_text(at)
    assert len(at.dataframe[0].value) == codes["n632525"]
    crumbs = [b.label for b in at.button if b.key and b.key.startswith("crumb-")]
    assert crumbs == ["青海省", "海南藏族自治州"]
    at.button(key="crumb-632500").click().run()
    assert at.query_params["region"] == "632500"
    assert "海南藏族自治州" in markdown_text(at)


def test_township_view_lists_its_villages(app, codes):
    at = app(region=codes["township"])
    assert len(at.dataframe[0].value) == codes["n" + codes["township"]]


def test_village_view_is_a_card_with_targets(app, codes):
    at = app(region=codes["village"])
    assert any("村情卡片" in s.value for s in at.subheader)
    targets = at.dataframe[0].value
    assert set(targets["状态"]) <= {"达标", "未达标", "未知（缺明细）"}
    assert len(targets) == 8  # every registry target, judged for this quarter


def test_province_wide_county_map(app):
    at = app(level="county")
    assert len(at.dataframe[0].value) == 45


@pytest.mark.parametrize(
    ("params", "warned"),
    [
        ({"region": "999999"}, "region=999999"),
        ({"region": "<script>"}, "region=<script>"),
        ({"indicator": "nope"}, "indicator=nope"),
        ({"period": "1999Q1"}, "period=1999Q1"),
        ({"lang": "fr"}, "lang=fr"),
        ({"level": "village"}, "level=village"),
    ],
)
def test_invalid_url_values_fall_back_with_a_notice(app, params, warned):
    at = app(**params)
    assert any(warned in w.value for w in at.warning)
    assert "青海省" in markdown_text(at)


def test_english_switch(app):
    at = app(lang="en")
    assert at.metric[1].label == "Mean burden index"
    assert "Simulated data" in markdown_text(at)


def test_indicator_and_period_come_from_the_url(app):
    at = app(indicator="plaques", period="2022Q1")
    assert "挂牌" in at.dataframe[0].value.columns
    assert at.select_slider[0].value == "2022Q1"


def test_region_outside_the_scope_is_refused(app, signed_in):
    at = app(region="630100", session=signed_in("prefecture", "632500"))
    assert "无权查看地区 630100（不在您的权限范围内），已显示 海南藏族自治州。" in [
        w.value for w in at.warning
    ]
    assert "西宁市" not in markdown_text(at)
    assert "海南藏族自治州" in markdown_text(at)  # back to the user's own prefecture


@pytest.mark.parametrize("page", ["app_pages/trends.py", "app_pages/method.py"])
def test_other_pages_render(app, page):
    at = app(page=page)
    assert at.title or at.markdown


def test_trends_page_of_a_county(app):
    at = app(page="app_pages/trends.py", region="632525")
    assert "贵南县" in markdown_text(at)


def test_method_page_states_the_yardstick_and_honesty(app):
    at = app(page="app_pages/method.py")
    headers = [h.value for h in at.header]
    assert "负担指数" in headers and "关于模拟数据" in headers
    yard = at.dataframe[2].value
    assert list(yard["名称"]) == [
        "协助事项",
        "报表台账",
        "信息平台/APP",
        "工作机制",
        "挂牌",
        "证明事项",
        "考核评比",
    ]


def test_the_region_picker_and_the_village_search_jump_to_a_region(app, codes):
    at = app()
    picker = next(s for s in at.sidebar.selectbox if s.label == "地区")
    assert picker.value == "630000"
    picker.set_value("632525").run()
    assert at.query_params["region"] == "632525"
    at.sidebar.text_input[0].input("东吾").run()
    hits = [b for b in at.sidebar.button if b.key and b.key.startswith("find-")]
    assert hits and all("东吾" in b.label for b in hits)
    hits[0].click().run()
    assert at.query_params["region"] == hits[0].key.removeprefix("find-")
    assert any("村情卡片" in s.value for s in at.subheader)


def test_a_long_picker_stops_above_townships_which_the_search_finds(app, codes, monkeypatch):
    """As in a national deployment: too many townships for one list (``PICKER_MOST``)."""
    monkeypatch.setattr("dashboard.data.PICKER_MOST", 100)  # 54 regions down to counties
    at = app()
    picker = next(s for s in at.sidebar.selectbox if s.label == "地区")
    assert len(picker.options) == 54 and "青海省 › 海南州 › 贵南县" in picker.options
    con = duckdb.connect(os.environ["BURDENMAP_DB"], read_only=True)
    name = con.execute("SELECT name FROM region WHERE code = ?", [codes["township"]]).fetchone()[0]
    con.close()
    assert not [o for o in picker.options if o.endswith(name)]
    at.sidebar.text_input[0].input(name).run()
    hit = next(b for b in at.sidebar.button if b.key == f"find-{codes['township']}")
    hit.click().run()
    assert at.query_params["region"] == codes["township"]
    picker = next(s for s in at.sidebar.selectbox if s.label == "地区")
    assert picker.value == "632525"  # a township not listed: the picker shows its county


def test_the_picker_shows_the_township_of_a_village_in_view(app, codes):
    at = app(region=codes["village"])
    picker = next(s for s in at.sidebar.selectbox if s.label == "地区")
    assert picker.value == codes["township"]


@pytest.mark.parametrize("region", ["630000", "632525"])
def test_the_svg_renderer_draws_without_webgl(app, region):
    at = app(region=region, session={"renderer": "svg"})
    assert not at.get("deck_gl_json_chart")
    assert at.get("plotly_chart")
