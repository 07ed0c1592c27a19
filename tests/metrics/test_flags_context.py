"""Flags judged for a village or a township (its township as context) equal the flags of the
whole deployment — the village card relies on it to judge one village only."""

import duckdb
import flags_fixture
import pandas as pd
import pytest
from flags_fixture import C1, C2, T1, T2, T3, A, C, Q

from metrics import flags, periods, store
from metrics.scope import Scope, ScopeError

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


class _Spy:
    """A Queryable that keeps the statements and parameters it ran."""

    def __init__(self, db):
        self.db, self.ran = db, []

    def query(self, text, params=None):
        self.ran.append((text, dict(params or {})))
        return self.db.query(text, params)


@pytest.mark.parametrize(
    ("region", "township"),
    [(T1, T1), (flags_fixture.A2, T1), (flags_fixture.D, T3), (C1, None), (A, None), (None, None)],
)
def test_a_township_and_its_villages_are_judged_on_the_township_alone(db, region, township):
    spy = _Spy(db)
    flags.raised(spy, Q[2], EVERYTHING, region)
    text, params = spy.ran[-1]
    assert params.get("township") == township
    assert ("parent_code = $township" in text) == (township is not None)


def test_a_given_ranking_gives_the_same_flags_and_another_quarter_is_refused(db):
    ranked = flags.ranking(db, Q[3], EVERYTHING)
    pd.testing.assert_frame_equal(
        flags.raised(db, Q[3], EVERYTHING, T3, ranked=ranked),
        flags.raised(db, Q[3], EVERYTHING, T3),
    )
    with pytest.raises(ValueError, match="ranking"):
        flags.raised(db, Q[2], EVERYTHING, T3, ranked=ranked)
    narrower = flags.Thresholds.configured(top_share=0.01)
    with pytest.raises(ValueError, match="ranking"):
        flags.raised(db, Q[3], EVERYTHING, T3, narrower, ranked=ranked)
    with pytest.raises(ScopeError):
        flags.ranking(db, Q[3], Scope.everything("county"))  # no flags right


def test_several_drops_of_a_village_come_in_indicator_order(db):
    """C halves every indicator in Q2 (a flag once the return rule is off), in any township."""
    loose = flags.Thresholds.configured(drop_return=0.0)
    everywhere = flags.raised(db, Q[1], EVERYTHING, thresholds=loose)
    drops = everywhere[(everywhere["village_code"] == C) & (everywhere["flag"] == "sudden_drop")]
    assert len(drops) > 1
    assert list(drops["indicator"]) == sorted(drops["indicator"])
    mine = everywhere[everywhere["village_code"] == C].reset_index(drop=True)
    pd.testing.assert_frame_equal(flags.raised(db, Q[1], EVERYTHING, C, loose), mine)


# The heaviest villages of a quarter as the flag defines them, by a window over the province.
_CUME_DIST = """
SELECT x.village_code, x.value, r.kind,
       cume_dist() OVER (PARTITION BY r.kind ORDER BY x.value) AS percentile
FROM village_value x JOIN region r ON r.code = x.village_code
WHERE x.indicator = 'index' AND x.period = $period AND x.value IS NOT NULL
"""


def test_the_ranking_gives_the_cume_dist_of_the_province(demo_db):
    reader = store.Reader(demo_db)
    try:
        quarter = periods.available(reader)[-2]
        share = flags.Thresholds.configured().top_share
        every = reader.query(_CUME_DIST, {"period": quarter})
        ranked = flags.ranking(reader, quarter, EVERYTHING)
        found = pd.Series(
            [ranked.percentile(k, v) for k, v in zip(every["kind"], every["value"], strict=True)],
            dtype=object,
        )
        heaviest = every["percentile"] > 1 - share
        assert heaviest.sum() > 100
        assert list(found[heaviest]) == list(every["percentile"][heaviest])  # exactly
        assert found[~heaviest].isna().all()
        raised = flags.raised(reader, quarter, EVERYTHING, ranked=ranked)
        flagged = raised[raised["flag"] == "heaviest"].set_index("village_code")["reason_en"]
        expected = every[heaviest].assign(top_share=share).set_index("village_code")
        assert set(flagged.index) == set(expected.index)
        reason = flags.BY_CODE["heaviest"].reason
        assert all(flagged[c] == reason(r, "en") for c, r in expected.iterrows())
    finally:
        reader.close()
