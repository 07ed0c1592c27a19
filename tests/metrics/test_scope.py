"""Scope: listings keep only what the caller may see; named regions outside it are refused."""

import duckdb
import pytest
from burden_fixture import A1, A2, V1, V4, A, B, P, build

from metrics import classify, compliance, departments, queries
from metrics.errors import BurdenmapError
from metrics.scope import Scope, ScopeError

PREFECTURE_A = Scope.of(A)


@pytest.fixture(scope="module")
def db():
    return build(duckdb.connect())


def test_scope_is_hashable_for_cache_keys():
    assert hash(Scope.of(A, B)) == hash(Scope.of(B, A))
    assert Scope.everything() != PREFECTURE_A


def test_listing_without_a_region_keeps_only_the_scope(db):
    assert set(queries.query(db, "county", PREFECTURE_A, period="2024Q4")["code"]) == {A1, A2}
    assert queries.query(db, "prefecture", Scope.of(A1), period="2024Q4").empty
    assert set(queries.regions_at(db, "village", Scope.of(A1))["code"]) == {V1, f"{A1}001002"}


@pytest.mark.parametrize(
    "call",
    [
        lambda db: queries.children(db, P, "2024Q4", "index", PREFECTURE_A),
        lambda db: queries.query(db, "village", PREFECTURE_A, parent=B),
        lambda db: queries.trend(db, V4, "index", PREFECTURE_A),
        lambda db: queries.village_values(db, V4, PREFECTURE_A),
        lambda db: queries.kpis(db, P, "2024Q4", PREFECTURE_A),
        lambda db: queries.region_info(db, B, PREFECTURE_A),
        lambda db: compliance.village_status(db, V4, PREFECTURE_A),
        lambda db: compliance.shares(db, B, "2024Q4", PREFECTURE_A),
        lambda db: departments.league(db, "2024Q4", PREFECTURE_A, region=B),
        lambda db: classify.baseline_breaks(db, "village", "index", PREFECTURE_A, parent=B),
    ],
)
def test_a_region_outside_the_scope_is_refused(db, call):
    with pytest.raises(ScopeError) as err:
        call(db)
    assert isinstance(err.value, BurdenmapError)


def test_inside_the_scope_works(db):
    assert queries.kpis(db, A, "2024Q4", PREFECTURE_A).villages == 3
    assert len(queries.trend(db, V1, "index", PREFECTURE_A)) == 6
    assert list(queries.children(db, A, "2024Q4", "index", PREFECTURE_A)["code"]) == [A2, A1]


def test_department_league_without_region_covers_only_the_scope(db):
    assert departments.league(db, "2024Q4", Scope.of(B)).empty  # no items in prefecture B
    assert departments.league(db, "2024Q4", PREFECTURE_A)["assignments"].sum() == 4
