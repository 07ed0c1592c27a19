"""Change against baseline and a year earlier, and rebound (反弹) detection."""

import duckdb
import pytest
from burden_fixture import T1, V1, build

from metrics import queries
from metrics.scope import Scope

EVERYTHING = Scope.everything()


@pytest.fixture(scope="module")
def db():
    return build(duckdb.connect())


def test_rebound_of_a_village(db):
    # V1: 33.33 (baseline), 18.33 (≥ 20 % below), 21.67 (up), 25.0 (up again: rebound),
    # 25.0 (flat), 28.33 (up once after flat: no rebound)
    t = queries.trend(db, V1, "index", EVERYTHING).set_index("period")
    assert t["rebound"].to_dict() == {
        "2024Q1": False,
        "2024Q2": False,
        "2024Q3": False,
        "2024Q4": True,
        "2025Q1": False,
        "2025Q2": False,
    }
    assert t.loc["2024Q2", "change_vs_baseline_pct"] == pytest.approx(-45.0, abs=1e-9)


def test_rebound_of_a_region_and_in_listings(db):
    # T1 mean: 45.83, 18.33 (V1 only), 21.67, 62.5 → rises twice after falling ≥ 20 %
    t = queries.trend(db, T1, "index", EVERYTHING).set_index("period")
    assert t.loc["2024Q4", "rebound"] and not t.loc["2024Q3", "rebound"]
    listed = queries.query(db, "township", EVERYTHING, period="2024Q4").set_index("code")
    assert listed.loc[T1, "rebound"]
    assert listed["rebound"].sum() == 1


def test_rebound_of_a_single_indicator(db):
    t = queries.trend(db, V1, "tasks", EVERYTHING).set_index("period")
    # tasks 10, 6 (−40 %), 8, 10: rebound at 2024Q4 also for the single indicator
    assert t.loc["2024Q4", "rebound"]
    p = queries.trend(db, V1, "plaques", EVERYTHING)  # 4, 2, 2, 2, 2, 2: never rises
    assert not p["rebound"].any()
