"""Peer ranks overall and within the area-type group, with the small-group fallback."""

import duckdb
import pytest
from burden_fixture import A1, A2, B1, B2, B3, A, B, build

from metrics import queries
from metrics.scope import Scope

EVERYTHING = Scope.everything()


@pytest.fixture(scope="module")
def db():
    return build(duckdb.connect())


def test_peer_group_and_two_member_fallback(db):
    # 2024Q1 county means: A1 45.83 [农区], A2 66.67 [牧区], B1 66.67 [牧区], B2 91.67 [农区],
    # B3 316.67 [牧区]. 牧区 has three members; 农区 has two → ranked among all five.
    df = queries.query(db, "county", EVERYTHING, period="2024Q1", peer_group=True)
    df = df.set_index("code")
    assert df.loc[[B3, A2, B1], "rank"].tolist() == [1, 2, 2]
    assert df.loc[[B3, A2, B1], "peer_group"].tolist() == ["牧区"] * 3
    assert df.loc[A2, "percentile"] == pytest.approx(200 / 3, abs=1e-9)
    assert df.loc[A2, "peers"] == 3
    assert df.loc[[A1, B2], "peer_fallback"].tolist() == [True, True]
    assert df.loc[[A1, B2], "peer_group"].isna().all()
    assert df.loc[[B2, A1], "rank"].tolist() == [2, 5]
    assert df.loc[[B2, A1], "percentile"].tolist() == [80, 20]
    assert not df.loc[[B3, A2, B1], "peer_fallback"].any()


def test_without_peer_group_nothing_is_noted(db):
    df = queries.query(db, "county", EVERYTHING, period="2024Q1")
    assert df["peer_group"].isna().all() and not df["peer_fallback"].any()


def test_prefecture_area_type_is_the_majority_of_its_counties(db):
    df = queries.peers(db, "prefecture", "2024Q1", "index", EVERYTHING).set_index("code")
    assert df.loc[A, "area_group"] == "半农半牧"  # one 农区, one 牧区: a tie
    assert df.loc[B, "area_group"] == "牧区"  # two of three
    assert df["peer_fallback"].all()  # groups of one


def test_peers_ranks_among_the_whole_level_but_returns_only_the_scope(db):
    df = queries.peers(db, "county", "2024Q1", "index", Scope.of(A)).set_index("code")
    assert set(df.index) == {A1, A2}
    assert df.loc[A1, "rank_all"] == 5 and df.loc[A1, "peers_all"] == 5
    assert df.loc[A2, "rank_in_group"] == 2 and df.loc[A2, "peers_in_group"] == 3
    assert df.loc[A1, "rank_in_group"] == 5  # fallback: the level
