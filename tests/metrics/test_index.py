"""Burden index and its yardstick on the hand-built fixture (tolerance 1e-9)."""

import duckdb
import pytest
from burden_fixture import V1, V2, V3, V6, build

from metrics import index, queries, registry
from metrics.errors import InvalidInputError
from metrics.scope import Scope

EVERYTHING = Scope.everything()
TOL = 1e-9


@pytest.fixture(scope="module")
def db():
    return build(duckdb.connect())


def test_yardstick_uses_median_falls_back_to_mean_and_excludes_zero(db):
    y = index.yardstick(db).set_index("indicator")
    assert list(y.index) == list(registry.CODES)
    assert y.loc["tasks", ["m", "source"]].tolist() == [20, "median"]
    assert y.loc["plaques", ["m", "source"]].tolist() == [8, "median"]
    # forms: five zeros and a 6 → median 0, mean 1
    assert y.loc["forms", ["median", "mean", "m", "source"]].tolist() == [0, 1, 1, "mean"]
    # assessments: all zero at baseline → left out of the index
    assert y.loc["assessments", "source"] == "excluded"
    assert y.loc["certificates", "source"] == "excluded"  # no baseline data at all
    assert set(y["baseline_period"]) == {"2024Q1"}


def test_village_index_and_partial_report(db):
    df = queries.village_values(db, V1, EVERYTHING).set_index("period")
    # 2024Q4: 100 × (10/20 + 2/8 + 0/1) / 3 = 25
    assert df.loc["2024Q4", "index"] == pytest.approx(25.0, abs=TOL)
    assert df.loc["2024Q4", "assessments"] == 1  # reported, but not part of the index
    v2 = queries.village_values(db, V2, EVERYTHING).set_index("period")
    # 2024Q4 reported tasks only: weights renormalised → 100 × 20/20 = 100
    assert v2.loc["2024Q4", "index"] == pytest.approx(100.0, abs=TOL)
    assert v2.loc["2024Q2"].drop("index").isna().all()  # no report: no index
    assert v2["index"].isna().sum() == 4  # 2024Q2, 2024Q3, 2025Q1, 2025Q2


def test_mean_fallback_enters_the_index(db):
    v6 = queries.village_values(db, V6, EVERYTHING).set_index("period")
    # 100 × (40/20 + 12/8 + 6/1) / 3 = 316.67
    assert v6.loc["2024Q1", "index"] == pytest.approx(950 / 3, abs=TOL)


def test_configured_weights_are_stored_and_used():
    db = build(duckdb.connect(), weights={"tasks": 2})
    weights = db.query("SELECT code, weight FROM indicator").set_index("code")["weight"]
    assert weights["tasks"] == 2 and weights["forms"] == 1
    v1 = queries.village_values(db, V1, EVERYTHING).set_index("period")
    # 100 × (2·10/20 + 1·2/8 + 1·0/1) / (2 + 1 + 1) = 31.25
    assert v1.loc["2024Q4", "index"] == pytest.approx(31.25, abs=TOL)


def test_weights_validation():
    assert index.weights({})["tasks"] == 1.0
    with pytest.raises(InvalidInputError, match="nope"):
        index.weights({"nope": 1})
    with pytest.raises(InvalidInputError):
        index.weights({"tasks": -1})
    with pytest.raises(InvalidInputError):
        index.weights(dict.fromkeys(registry.CODES, 0))


def test_yardstick_is_fixed_by_the_baseline_not_by_filters(db):
    # V3's index is the same whether listed alone or among all villages, and equals
    # 100 × (20/20 + 8/8 + 0) / 3 = 66.67 in 2024Q4
    alone = queries.query(db, "village", EVERYTHING, parent=V3, period="2024Q4")
    every = queries.query(db, "village", EVERYTHING, period="2024Q4").set_index("code")
    assert alone["mean"].iloc[0] == pytest.approx(200 / 3, abs=TOL)
    assert every.loc[V3, "mean"] == pytest.approx(200 / 3, abs=TOL)


def test_villages_computed_on_the_fly_agree_with_the_rollup(db):
    villages = queries.query(db, "village", EVERYTHING, period="2024Q4")
    province = queries.query(db, "province", EVERYTHING, period="2024Q4")
    assert villages["mean"].mean() == pytest.approx(province["mean"].iloc[0], abs=TOL)
    stored = db.query(
        "SELECT median FROM rollup WHERE code = '630000' AND period = '2024Q1' "
        "AND indicator = 'tasks' AND NOT communities"
    )
    assert stored["median"].iloc[0] == index.yardstick(db).set_index("indicator").loc["tasks", "m"]
