"""Public queries on the fixture: listings, ranks, breadcrumbs, trends and KPIs (tol 1e-9)."""

import duckdb
import pandas as pd
import pytest
from burden_fixture import A1, A2, B1, B2, B3, C1, T1, V1, V2, V3, V4, A, B, P, build

from metrics import listing, queries
from metrics.errors import InvalidInputError
from metrics.scope import Scope, ScopeError

EVERYTHING = Scope.everything()
TOL = 1e-9


@pytest.fixture(scope="module")
def db():
    return build(duckdb.connect())


def test_county_listing_ranks_ties_and_percentiles(db):
    df = queries.query(db, "county", EVERYTHING, period="2024Q4")
    assert list(df.columns) == list(queries.COLUMNS)
    df = df.set_index("code")
    # B3 316.67 > A2 = B1 66.67 > A1 62.5; B2 has no report
    assert df["rank"].dropna().to_dict() == {B3: 1, A2: 2, B1: 2, A1: 4}
    assert pd.isna(df.loc[B2, "rank"])
    # percentile: share of peers with a value ≤ this one's (heaviest = 100)
    assert df.loc[B3, "percentile"] == 100
    assert df.loc[A2, "percentile"] == df.loc[B1, "percentile"] == 75
    assert df.loc[A1, "percentile"] == 25
    assert set(df["peers"]) == {4}
    assert df.index[0] == B3  # heaviest first


def test_change_since_baseline(db):
    row = queries.query(db, "county", EVERYTHING, period="2024Q4").set_index("code").loc[A1]
    # baseline A1 = (33.33 + 58.33) / 2 = 45.83; now 62.5
    assert row["change_vs_baseline"] == pytest.approx(62.5 - 275 / 6, abs=TOL)
    assert row["change_vs_baseline_pct"] == pytest.approx(100 * (62.5 / (275 / 6) - 1), abs=TOL)


def test_village_listing_below_any_ancestor(db):
    df = queries.query(db, "village", EVERYTHING, parent=A, period="2024Q4").set_index("code")
    assert set(df.index) == {V1, V2, V3}  # C1 is a community: left out by default
    assert df.loc[V2, "mean"] == pytest.approx(100.0, abs=TOL)
    assert df.loc[V2, "rank"] == 1 and df.loc[V1, "rank"] == 3
    assert (df["villages"] == 1).all()
    with_c = queries.query(
        db, "village", EVERYTHING, parent=A, period="2024Q4", include_communities=True
    )
    assert C1 in set(with_c["code"])


def test_default_period_is_latest_and_unknown_inputs_fail(db):
    assert set(queries.query(db, "county", EVERYTHING)["period"]) == {"2025Q2"}
    for kwargs in (
        {"level": "town"},
        {"level": "county", "parent": "999999"},
        {"level": "county", "period": "2023Q4"},  # a valid quarter with no data
        {"level": "county", "period": "2024-4"},
        {"level": "county", "indicator": "nope"},
    ):
        with pytest.raises(InvalidInputError):
            queries.query(db, scope=EVERYTHING, **kwargs)


def test_a_region_without_reports_in_a_period(db):
    df = queries.query(db, "county", EVERYTHING, period="2024Q2").set_index("code")
    assert df.loc[A2, "reported"] == 0 and df.loc[A2, "reported_share"] == 0
    assert pd.isna(df.loc[A2, "mean"]) and pd.isna(df.loc[A2, "rank"])
    assert df.loc[A1, "rank"] == 1  # only V1 reported that quarter


def test_children_regions_and_breadcrumb(db):
    assert list(queries.children(db, A, "2024Q4", "index", EVERYTHING)["code"]) == [A2, A1]
    assert queries.children(db, V1, None, "index", EVERYTHING).empty
    assert list(queries.regions_at(db, "county", EVERYTHING, parent=B)["code"]) == [B1, B2, B3]
    info = queries.region_info(db, V1, EVERYTHING)
    assert (info.level, info.parent_code, info.area_type) == ("village", T1, "农区")
    assert [r.code for r in queries.ancestors(db, V1, EVERYTHING)] == [P, A, A1, T1, V1]


def test_indicator_listing(db):
    df = queries.query(db, "county", EVERYTHING, period="2024Q4", indicator="tasks")
    df = df.set_index("code")
    assert df.loc[A1, "total"] == 30 and df.loc[A1, "mean"] == 15
    assert df.loc[B3, "rank"] == 1  # 40 tasks


def test_trend_of_a_village(db):
    t = queries.trend(db, V1, "index", EVERYTHING).set_index("period")
    assert list(t.index) == ["2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1", "2025Q2"]
    assert t.loc["2025Q1", "mean"] == pytest.approx(25.0, abs=TOL)
    # vs the same quarter a year earlier: 25 against 33.33 → −25 %
    assert t.loc["2025Q1", "change_vs_year_ago_pct"] == pytest.approx(-25.0, abs=TOL)
    assert pd.isna(t.loc["2024Q4", "change_vs_year_ago"])


def test_kpis_of_the_province(db):
    k = queries.kpis(db, P, "2024Q4", EVERYTHING)
    assert (k.villages, k.reported) == (6, 5)
    assert k.mean_index == pytest.approx(115.0, abs=TOL)
    baseline = (100 / 3 + 175 / 3 + 200 / 3 + 200 / 3 + 275 / 3 + 950 / 3) / 6
    assert k.baseline_index == pytest.approx(baseline, abs=TOL)
    assert k.change_vs_baseline == pytest.approx(115 - baseline, abs=TOL)
    assert k.target_met_share["plaques_max"] == pytest.approx(1 / 6, abs=TOL)
    assert (k.heaviest_child.code, k.lightest_child.code) == (B, A)
    assert k.heaviest_child.value == pytest.approx((200 / 3 + 950 / 3) / 2, abs=TOL)


def test_kpis_of_a_village_has_no_children(db):
    k = queries.kpis(db, V4, "2024Q4", EVERYTHING)
    assert k.mean_index == pytest.approx(200 / 3, abs=TOL)
    assert k.heaviest_child is None and k.lightest_child is None
    assert k.target_met_share["certificates_max"] == 0.0  # 9 certificate types > 8


def test_village_values_columns(db):
    df = queries.village_values(db, V3, EVERYTHING)
    assert list(df.columns[:3]) == ["period", "index", "tasks"]
    assert df.set_index("period").loc["2024Q4", "plaques"] == 8


@pytest.mark.parametrize("parent", [T1, A1, A, P])
@pytest.mark.parametrize("scope", [EVERYTHING, Scope.of(A1), Scope.of(V1, V3)])
@pytest.mark.parametrize("communities", [False, True])
def test_villages_below_a_region_read_alone_equal_the_general_listing(
    db, parent, scope, communities
):
    """Villages below a region are read from its subtree only, as if from the whole tree."""
    general = listing.listing(
        db,
        "village",
        scope,
        period="2024Q4",
        indicator="index",
        parent=parent,
        include_communities=communities,
    )
    try:
        found = queries.query(
            db, "village", scope, parent, "2024Q4", include_communities=communities
        )
    except ScopeError:
        assert not scope.covers([r.code for r in queries.ancestors(db, parent, EVERYTHING)])
        return
    assert list(found["code"]) == list(general["code"])
    for mine, theirs in (("mean", "mean"), ("rank", "rank_all"), ("peers", "peers_all")):
        pd.testing.assert_series_equal(found[mine], general[theirs], check_names=False)
    if parent == T1:
        children = queries.children(db, T1, "2024Q4", "index", scope, communities)
        pd.testing.assert_frame_equal(children, found)


def test_kpis_name_the_heaviest_and_lightest_child(db):
    k = queries.kpis(db, A, "2024Q4", EVERYTHING)
    names = {r.code: r.name for r in [*queries.ancestors(db, A1, EVERYTHING)]}
    names |= {r.code: r.name for r in queries.ancestors(db, A2, EVERYTHING)}
    assert (k.heaviest_child.name, k.lightest_child.name) == (names[A2], names[A1])
