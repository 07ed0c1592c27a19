"""AppTest: the peers, departments and inspection pages, and the flags on the village card."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from metrics.scope import Scope

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
COUNTY, PREFECTURE = "632521", "632500"  # 共和县 in 海南州


@pytest.fixture
def app(demo_db, open_app):
    def run(page: str, db: Path = demo_db, **options) -> AppTest:
        return open_app(db, page, **options)

    return run


def texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def test_peers_of_the_province_are_its_prefectures(app):
    at = app("app_pages/peers.py")
    assert at.title[0].value == "同级比较"
    assert len(at.dataframe[0].value) == 8
    assert at.radio(key="peers-among-prefecture").options == ["全省所有市州"]


def test_a_county_against_its_prefecture_and_its_area_type(app):
    at = app("app_pages/peers.py", region=COUNTY)
    assert [m.label for m in at.metric][:2] == ["排名", "百分位"]
    assert len(at.dataframe[0].value) == 45
    at.radio(key="peers-among-county").set_value("parent").run()
    assert len(at.dataframe[0].value) == 5  # 海南州 has five counties
    at.radio(key="peers-among-county").set_value("group").run()
    assert not at.exception
    assert "中位数" in texts(at)


def test_a_village_is_compared_through_its_township(app):
    at = app("app_pages/peers.py", region="632521001001")
    assert "村与所在乡镇同级比较" in texts(at)


def test_departments_league_and_a_departments_items(app):
    at = app("app_pages/departments.py", region=COUNTY)
    league = at.dataframe[0].value
    assert len(league) > 10 and "部门" in league.columns
    second = at.selectbox(key="department").options[1]
    at.selectbox(key="department").set_value(at.selectbox(key="department").value).run()
    at.selectbox(key="department").select(second).run()
    assert not at.exception
    assert at.subheader[-1].value == second
    assert len(at.dataframe[-1].value) > 0  # its items


def test_inspection_draws_saves_and_releases_a_sample(app, demo_db, tmp_path, signed_in):
    db = tmp_path / "burden.duckdb"
    shutil.copyfile(demo_db, db)
    at = app("app_pages/inspection.py", db=db, session=signed_in("inspector"), region=COUNTY)
    assert "设置参数后点“抽取”。" in [i.value for i in at.info]
    at.button(key="FormSubmitter:sample-form-抽取").click().run()
    assert not at.exception, [e.value for e in at.exception]
    picks = at.dataframe[0].value
    assert len(picks) == 60 and picks["村代码"].str.len().eq(12).all()
    assert {m.label: m.value for m in at.metric}["其中随机对照"] == "12"
    at.button(key="save-sample").click().run()
    assert "已保存为草稿 S1" in at.success[0].value
    assert at.selectbox(key="stored-sample").options == ["S1 · 草稿 · 2025Q4 · 60 个村"]
    at.button(key="release").click().run()
    assert at.selectbox(key="stored-sample").options == ["S1 · 已发布 · 2025Q4 · 60 个村"]


def test_inspection_is_not_offered_to_other_roles(app, signed_in):
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app("app_pages/inspection.py", session=signed_in("county", COUNTY), region=COUNTY)


def test_province_may_draw_but_not_store_samples(app, demo_db):
    at = app("app_pages/inspection.py", region=COUNTY)  # demo mode: the province, read-only
    at.button(key="FormSubmitter:sample-form-抽取").click().run()
    assert len(at.dataframe[0].value) == 60
    assert not [b for b in at.button if b.key in ("save-sample", "release")]


def _card(code: str, period: str) -> None:
    from dashboard import flags_view

    flags_view.village_flags(code, period)
    flags_view.method_section()


def test_village_card_flags_and_the_method_section(demo_db, monkeypatch):
    monkeypatch.setenv("BURDENMAP_DB", str(demo_db))
    at = AppTest.from_function(_card, args=("630106003001", "2023Q3"), default_timeout=60)
    at.session_state["scope"] = Scope.everything("inspector")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    body = "\n".join(m.value for m in at.markdown)
    assert "**数值取整**：连续 6 个季度（2023Q1–2024Q2）" in body  # a planted heaping village
    assert [h.value for h in at.header] == ["风险标记", "督查抽样"]
    assert len(at.dataframe[0].value) == 9  # every flag with its rule
