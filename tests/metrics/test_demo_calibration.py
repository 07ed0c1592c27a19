"""The calibration numbers, their documentation, and the department and item catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest

from metrics import registry
from metrics.demo import calibration, departments

README = Path(__file__).resolve().parents[2] / "data" / "README.md"
NATIONAL_NEGATIVE_LIST = (
    "亲属关系 居民身份信息 户口登记项目变更申请 养犬 无犯罪记录 社区戒毒社区康复人员情况 人员失踪 "
    "婚姻状况 出生 健在 死亡 疾病状况 残疾状况 婚育状况 就业状况 个人档案 财产 遗产继承权 "
    "市场主体住所 证件遗失"
).split()


@pytest.fixture(scope="module")
def readme() -> str:
    return README.read_text(encoding="utf-8")


def test_one_calibration_per_indicator_in_registry_order():
    assert tuple(calibration.BY_INDICATOR) == registry.CODES


def test_readme_carries_the_calibration_tables_as_generated(readme):
    section = readme.split("## 模拟数据校准 Demo-data calibration", 1)[1]
    assert calibration.markdown_table() in section
    assert calibration.multipliers_table() in section


@pytest.mark.parametrize("c", calibration.CALIBRATIONS, ids=lambda c: c.indicator)
def test_readme_states_each_baseline_and_post_reform_median(readme, c):
    row = next(line for line in readme.splitlines() if line.startswith(f"| `{c.indicator}`"))
    assert f"{c.baseline.median:g} ({c.baseline.q1:g}–{c.baseline.q3:g})" in row
    assert f"{c.post.median:g} ({c.post.q1:g}–{c.post.q3:g})" in row


@pytest.mark.parametrize("c", calibration.CALIBRATIONS, ids=lambda c: c.indicator)
def test_spreads_are_ordered_and_post_reform_is_lighter(c):
    for s in (c.baseline, c.post):
        assert 0 < s.q1 <= s.median <= s.q3 <= s.cap
    assert c.post.median < c.baseline.median
    assert c.baseline.cap <= registry.BY_CODE[c.indicator].max_plausible


def test_periods_and_reform_timeline():
    assert calibration.PERIODS[0] == calibration.BASELINE_PERIOD == "2022Q1"
    assert len(calibration.PERIODS) == 16 and calibration.PERIODS[-1] == "2025Q4"
    assert calibration.period_index(calibration.REFORM_START) == 2
    lo, hi = map(calibration.period_index, calibration.MIDPOINT_RANGE)
    assert (lo, hi) == (4, 11)
    assert sum(calibration.VISIT_KINDS.values()) == pytest.approx(1.0)
    assert 0.03 <= sum(calibration.ANOMALY_SHARES.values()) <= 0.05


def test_departments_are_about_25_with_unique_names():
    names = [d.name for d in departments.DEPARTMENTS]
    assert 22 <= len(names) <= 30 and len(set(names)) == len(names)
    assert {"县民政局", "县林业和草原局", "县应急管理局", "县委组织部", "团县委"} <= set(names)
    assert {d.level for d in departments.DEPARTMENTS} == {"province", "county"}


def test_items_are_well_formed():
    items = departments.item_frame()
    assert items["item_id"].is_unique and not items["name"].duplicated().any()
    assert set(items["indicator"]) == set(departments.ITEM_INDICATORS)
    assert set(items["tag"]) <= {"", *departments.TAGS}
    assert not items["name"].str.contains(r"^[+\-\s]|@|\s$").any()
    assert items["basis"].notna().eq(items["on_list"]).all(), "basis exactly for on-list items"
    ids = departments.department_frame()["department_id"]
    assert items["department_id"].isin(ids).all()
    per = items.groupby("indicator")["on_list"].agg(["size", "mean"])
    assert per["mean"].between(0.15, 0.6).all(), "some items on the list and some not"


@pytest.mark.parametrize("indicator", departments.ITEM_INDICATORS)
def test_item_pools_cover_the_largest_values(indicator):
    items = departments.item_frame()
    assert (items["indicator"] == indicator).sum() >= calibration.BY_INDICATOR[
        indicator
    ].baseline.cap


def test_national_negative_list_is_in_the_catalogue_and_off_the_list():
    certs = departments.item_frame().query("indicator == 'certificates'")
    for name in NATIONAL_NEGATIVE_LIST:
        hit = certs[certs["name"] == f"{name}证明"]
        assert len(hit) == 1 and not hit["on_list"].item(), name
