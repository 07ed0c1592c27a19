"""Targets broken, met or unknown for each target kind; shares per region; configurable limit."""

import duckdb
import pytest
from burden_fixture import A1, V1, V2, V3, V4, build

from metrics import compliance
from metrics.scope import Scope

EVERYTHING = Scope.everything()


@pytest.fixture(scope="module")
def db():
    return build(duckdb.connect())


def statuses(db, village, period="2024Q4"):
    df = compliance.village_status(db, village, EVERYTHING, period)
    return df.set_index("target")["status"].to_dict()


def test_every_target_kind_for_one_village(db):
    s = statuses(db, V1)
    assert s["plaques_max"] == "met"  # max_value: 2 ≤ 6
    assert s["certificates_max"] == "unknown"  # max_value, not reported
    assert s["assessments_annual"] == "broken"  # four quarters 0+1+0+1 = 2 > 1
    assert s["tasks_offlist"] == "broken"  # holds I2, off the list
    assert s["forms_offlist"] == "met"  # item data (I3, on the list), none off it
    assert s["platforms_forced"] == "unknown"  # no item data for platforms


def test_unknown_and_met_counterparts(db):
    assert statuses(db, V3)["plaques_max"] == "broken"  # 8 > 6
    assert statuses(db, V3)["assessments_annual"] == "unknown"  # not four quarters
    assert statuses(db, V2)["tasks_offlist"] == "met"  # I1 only
    assert statuses(db, V1, "2024Q3")["assessments_annual"] == "unknown"  # three quarters
    df = compliance.village_status(db, V1, EVERYTHING, "2024Q4").set_index("target")
    assert df.loc["assessments_annual", "checked"] == 2
    assert df.loc["tasks_offlist", "checked"] == 1


def test_shares_of_a_county(db):
    df = compliance.shares(db, A1, "2024Q4", EVERYTHING).set_index("target")  # V1, V2
    assert df.loc["tasks_offlist", ["met", "broken", "unknown"]].tolist() == [1, 1, 0]
    assert df.loc["plaques_max", ["met_share", "unknown_share"]].tolist() == [0.5, 0.5]
    assert (df[["met_share", "broken_share", "unknown_share"]].sum(axis=1) == 1).all()
    assert list(df.index[:2]) == ["tasks_offlist", "forms_offlist"]  # registry order


def test_certificate_limit_is_configurable():
    assert statuses(build(duckdb.connect()), V4)["certificates_max"] == "broken"  # 9 > 8
    loose = build(duckdb.connect(), certificates_max=10)
    assert statuses(loose, V4)["certificates_max"] == "met"
    threshold = loose.query("SELECT threshold FROM target WHERE code = 'certificates_max'")
    assert threshold["threshold"].iloc[0] == 10
    assert compliance.thresholds(10)["certificates_max"] == 10
