"""Flags judged for a village or a township (its township as context) equal the flags of the
whole deployment — the village card relies on it to judge one village only."""

import duckdb
import flags_fixture
import pandas as pd
import pytest
from flags_fixture import C1, C2, T1, T2, T3, A, Q

from metrics import flags, periods, store
from metrics.scope import Scope

EVERYTHING = Scope.everything()


@pytest.fixture(scope="module")
def db():
    return flags_fixture.build(duckdb.connect())


def _below(db, region: str) -> list[str]:
    rows = db.query(
        "SELECT code FROM region_tree WHERE level = 'village' AND list_contains(lineage, $r)",
        {"r": region},
    )
    return sorted(rows["code"])


def _same_as_everywhere(db, quarter: str, region: str, scope: Scope = EVERYTHING) -> int:
    everywhere = flags.raised(db, quarter, EVERYTHING)
    mine = everywhere[everywhere["village_code"].isin(_below(db, region))]
    local = flags.raised(db, quarter, scope, region)
    pd.testing.assert_frame_equal(local, mine.reset_index(drop=True))
    return len(local)


@pytest.mark.parametrize("quarter", Q)
def test_every_village_and_township_alone(db, quarter):
    regions = [*flags_fixture.ORDINARY, flags_fixture.C, flags_fixture.D, T1, T2, T3, C1, A]
    raised = sum(_same_as_everywhere(db, quarter, r) for r in regions)
    assert raised > 0


def test_township_comparisons_are_kept(db):
    """Identical reports and a sudden drop need the other villages of the township."""
    for village, quarter, flag in (
        (flags_fixture.A2, Q[2], "identical"),
        (flags_fixture.B1, Q[2], "sudden_drop"),
    ):
        local = flags.raised(db, quarter, EVERYTHING, village)
        assert flag in set(local["flag"])


def test_in_a_narrow_scope(db):
    _same_as_everywhere(db, Q[2], T1, Scope.of(C1))
    _same_as_everywhere(db, Q[3], flags_fixture.C, Scope.of(C2))


def test_demo_villages_and_townships(demo_db):
    reader = store.Reader(demo_db)
    try:
        quarters = periods.available(reader)
        picks = reader.query(
            "SELECT code, parent_code FROM region WHERE level = 'village' "
            "ORDER BY hash(code) LIMIT 4"
        )
        for quarter in (quarters[1], quarters[-1]):
            for region in [*picks["code"], *picks["parent_code"]]:
                _same_as_everywhere(reader, quarter, region)
    finally:
        reader.close()
