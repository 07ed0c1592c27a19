"""Roll-ups computed from village values on the fixture (tolerance 1e-9)."""

import duckdb
import pytest
from burden_fixture import A1, A2, B2, T1, T2, A, B, P, build

EXPECTED_COLUMNS = ["villages", "reported", "mean", "median", "p90", "total"]
TOL = 1e-9


@pytest.fixture(scope="module")
def db():
    return build(duckdb.connect())


def row(db, code, indicator="index", period="2024Q4", communities=False):
    df = db.query(
        "SELECT * FROM rollup WHERE code = $c AND indicator = $i AND period = $p "
        "AND communities = $k",
        {"c": code, "i": indicator, "p": period, "k": communities},
    )
    assert len(df) == 1
    return df.iloc[0]


def test_township_index_from_village_values(db):
    r = row(db, T1)  # V1 25, V2 100 (C1 is a community, left out)
    assert (r["villages"], r["reported"], r["reported_share"]) == (2, 2, 1.0)
    assert r["mean"] == pytest.approx(62.5, abs=TOL)
    assert r["median"] == pytest.approx(62.5, abs=TOL)
    assert r["p90"] == pytest.approx(25 + 0.9 * 75, abs=TOL)  # quantile_cont
    assert r["total"] != r["total"]  # no total for the index (NaN)


def test_communities_variant(db):
    r = row(db, T1, communities=True)  # V1 25, V2 100, C1 250
    assert (r["villages"], r["reported"]) == (3, 3)
    assert r["mean"] == pytest.approx(125.0, abs=TOL)
    assert r["median"] == pytest.approx(100.0, abs=TOL)
    assert r["p90"] == pytest.approx(100 + 0.8 * 150, abs=TOL)


def test_single_village_township(db):
    r = row(db, T2)  # V3 alone: 100 × (1 + 1 + 0) / 3
    assert r["mean"] == r["median"] == r["p90"] == pytest.approx(200 / 3, abs=TOL)


def test_missing_report_counts_as_not_reported(db):
    r = row(db, B2)  # V5 did not report in 2024Q4
    assert (r["villages"], r["reported"], r["reported_share"]) == (1, 0, 0.0)
    assert r["mean"] != r["mean"]
    b = row(db, B)  # V4 66.67, V5 missing, V6 316.67
    assert (b["villages"], b["reported"]) == (3, 2)
    assert b["reported_share"] == pytest.approx(2 / 3, abs=TOL)
    assert b["mean"] == pytest.approx((200 / 3 + 950 / 3) / 2, abs=TOL)


def test_province_mean_is_over_villages_not_over_prefecture_means(db):
    r = row(db, P)  # 25, 100, 66.67, 66.67, 316.67
    assert r["mean"] == pytest.approx(115.0, abs=TOL)
    assert r["median"] == pytest.approx(200 / 3, abs=TOL)
    pref = (row(db, A)["mean"] + row(db, B)["mean"]) / 2
    assert pref != pytest.approx(r["mean"])


def test_indicator_totals_and_over_target_share(db):
    assert row(db, A1, "tasks")["total"] == 30
    # plaques ≤ 6: V1 2 met; V3, V4 8 and V6 12 broken; V2 did not report plaques
    plaques = row(db, P, "plaques")
    assert (plaques["reported"], plaques["over_target_share"]) == (4, 0.75)
    # assessments over four quarters: only V1 has four (0+1+0+1 = 2 > 1); the rest unknown
    assert row(db, P, "assessments")["over_target_share"] == 1.0
    assert row(db, P, "tasks")["over_target_share"] != row(db, P, "tasks")["over_target_share"]
    # index: V1 (assessments, off-list task), V3, V4, V6 (plaques) break one; V2 none
    assert row(db, P)["over_target_share"] == pytest.approx(0.8, abs=TOL)


def test_county_totals_sum_to_prefecture_and_province(db):
    sums = db.query(
        """
        SELECT c.period, c.indicator, c.communities, p.code, sum(c.total) AS counties,
               any_value(p.total) AS prefecture
        FROM rollup c JOIN region r ON r.code = c.code
        JOIN rollup p ON p.code = r.parent_code AND p.period = c.period
             AND p.indicator = c.indicator AND p.communities = c.communities
        WHERE c.level = 'county' AND c.indicator <> 'index'
        GROUP BY ALL
        """
    )
    assert len(sums) > 0
    assert (sums["counties"].fillna(0) == sums["prefecture"].fillna(0)).all()
    prov = db.query(
        "SELECT sum(total) FILTER (WHERE level = 'prefecture') AS a, "
        "sum(total) FILTER (WHERE level = 'province') AS b "
        "FROM rollup WHERE indicator = 'tasks' AND period = '2024Q4' AND NOT communities"
    ).iloc[0]
    assert prov["a"] == prov["b"] == 30 + 20 + 20 + 40


def test_every_region_period_and_indicator_has_a_row(db):
    n = db.query("SELECT count(*) AS n FROM rollup")["n"].iloc[0]
    # 13 regions above villages × 6 periods × 8 (7 indicators + index) × 2 variants
    assert n == 13 * 6 * 8 * 2
    assert row(db, A2, period="2024Q2")["reported"] == 0  # a quarter only V1 reported


def test_rebuild_is_repeatable(db):
    from metrics import rollup

    con = duckdb.connect()
    other = build(con)
    first = other.query("SELECT * FROM rollup ORDER BY ALL")
    rollup.rebuild(con, {}, 8)
    assert other.query("SELECT * FROM rollup ORDER BY ALL").equals(first)
