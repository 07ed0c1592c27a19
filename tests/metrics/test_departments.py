"""Department league table and trend on the fixture's items."""

import duckdb
import pandas as pd
import pytest
from burden_fixture import A1, V1, build

from metrics import departments
from metrics.scope import Scope

EVERYTHING = Scope.everything()


@pytest.fixture(scope="module")
def db():
    return build(duckdb.connect())


def test_league_table(db):
    df = departments.league(db, "2024Q4", EVERYTHING).set_index("department_id")
    # dept 1: I1 (V1, V2) and I2 (V1, off the list); dept 2: I3 (V1)
    assert df.loc[1, ["rank", "items", "assignments", "villages_reached"]].tolist() == [1, 2, 3, 2]
    assert df.loc[1, ["offlist_items", "offlist_assignments"]].tolist() == [1, 1]
    assert df.loc[2, ["rank", "items", "assignments", "offlist_items"]].tolist() == [2, 1, 1, 0]
    assert df["assignment_share"].tolist() == [0.75, 0.25]
    # previous quarter: dept 1 had one assignment (V1–I1), dept 2 none
    assert df.loc[1, "change_vs_previous_pct"] == 200
    assert pd.isna(df.loc[2, "assignments_previous"])


def test_league_of_a_region_and_a_village(db):
    assert departments.league(db, "2024Q4", EVERYTHING, region=A1)["assignments"].sum() == 4
    assert departments.league(db, "2024Q4", EVERYTHING, region=V1)["assignments"].sum() == 3


def test_trend(db):
    df = departments.trend(db, EVERYTHING, department_id=1)
    assert df[["period", "assignments"]].values.tolist() == [["2024Q3", 1], ["2024Q4", 3]]
    assert set(departments.trend(db, EVERYTHING)["department_id"]) == {1, 2}
