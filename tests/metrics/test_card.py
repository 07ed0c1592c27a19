"""The village card's one query returns what the single-purpose queries return, and refuses
what they refuse."""

import burden_fixture
import duckdb
import flags_fixture
import pandas as pd
import pytest

from metrics import card, compliance, departments, queries, visits
from metrics.errors import InvalidInputError
from metrics.scope import Scope, ScopeError

EVERYTHING = Scope.everything()
# (fixture, village, quarter): items in burden_fixture (V1 2024Q4), visits in flags_fixture.
CASES = [
    (burden_fixture, burden_fixture.V1, "2024Q4"),
    (burden_fixture, burden_fixture.V1, "2024Q3"),
    (burden_fixture, burden_fixture.V6, "2024Q1"),
    (flags_fixture, flags_fixture.A3, flags_fixture.Q[1]),
    (flags_fixture, flags_fixture.B1, flags_fixture.Q[4]),
    (flags_fixture, flags_fixture.B3, flags_fixture.Q[3]),
]


@pytest.fixture(scope="module")
def dbs():
    return {m: m.build(duckdb.connect()) for m in (burden_fixture, flags_fixture)}


@pytest.mark.parametrize(("fixture", "village", "quarter"), CASES)
def test_card_equals_the_single_queries(dbs, fixture, village, quarter):
    db = dbs[fixture]
    found = card.village_card(db, village, quarter, EVERYTHING)
    assert found.period == quarter
    pd.testing.assert_frame_equal(found.values, queries.village_values(db, village, EVERYTHING))
    status = compliance.village_status(db, village, EVERYTHING, quarter)
    pd.testing.assert_frame_equal(
        found.targets, status[list(card.STATUS_COLUMNS)], check_dtype=False
    )
    league = departments.league(db, quarter, EVERYTHING, village)
    pd.testing.assert_frame_equal(
        found.departments, league[list(card.DEPARTMENT_COLUMNS)], check_dtype=False
    )
    pd.testing.assert_frame_equal(
        found.visits, visits.village_visits(db, village, EVERYTHING), check_dtype=False
    )


def test_cases_cover_items_and_visits(dbs):
    cards = [card.village_card(dbs[f], v, q, EVERYTHING) for f, v, q in CASES]
    assert any(len(c.departments) for c in cards)
    assert any(len(c.visits) for c in cards)
    assert any(c.departments.empty and c.visits.empty for c in cards)


def test_latest_quarter_by_default(dbs):
    db = dbs[flags_fixture]
    assert card.village_card(db, flags_fixture.A1, None, EVERYTHING).period == flags_fixture.Q[-1]


def test_refusals(dbs):
    db = dbs[flags_fixture]
    with pytest.raises(ScopeError):
        card.village_card(db, flags_fixture.A1, None, Scope.of(flags_fixture.C2))
    with pytest.raises(InvalidInputError):
        card.village_card(db, flags_fixture.T1, None, EVERYTHING)  # a township
    with pytest.raises(InvalidInputError):
        card.village_card(db, "639999999999", None, EVERYTHING)
    with pytest.raises(InvalidInputError):
        card.village_card(db, flags_fixture.A1, "2019Q1", EVERYTHING)
