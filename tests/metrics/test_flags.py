"""Each flag fires where the hand-built fixture plants it and nowhere else; demo recall."""

import duckdb
import pytest
from flags_fixture import A1, A2, A3, A4, B1, B3, C1, C2, T1, C, D, Q, build

from metrics import detection, flags, store
from metrics.errors import InvalidInputError
from metrics.scope import Scope, ScopeError

EVERYTHING = Scope.everything()
# Everything but the two burden flags, which fire somewhere every quarter.
EXPECTED = {
    Q[0]: set(),
    Q[1]: {(A2, "late_report"), (A3, "visit_gap"), (A4, "round_heaping")},
    Q[2]: {(A1, "identical"), (A2, "identical"), (A3, "identical"), (A3, "visit_gap")}
    | {(A4, "round_heaping"), (B1, "sudden_drop")},
    Q[3]: {(A3, "visit_gap"), (A4, "round_heaping"), (B3, "missing_report"), (C, "rebound")},
    Q[4]: {(A1, "sudden_drop"), (A3, "visit_gap")},
}


@pytest.fixture(scope="module")
def db():
    return build(duckdb.connect())


@pytest.fixture(scope="module")
def raised(db):
    return {q: flags.raised(db, q, EVERYTHING) for q in Q}


@pytest.mark.parametrize("quarter", Q)
def test_each_flag_fires_where_planted_and_nowhere_else(raised, quarter):
    df = raised[quarter]
    found = {(v, f) for v, f in zip(df["village_code"], df["flag"], strict=True)}
    assert (
        found - {(v, f) for v, f in found if f in ("heaviest", "targets_broken")}
        == (EXPECTED[quarter])
    )


def test_heaviest_compares_villages_with_villages_and_communities_with_communities(raised):
    df = raised[Q[0]]
    assert set(df.loc[df["flag"] == "heaviest", "village_code"]) == {C, D}


def test_targets_broken_lists_the_broken_rules_with_the_values_judged(raised):
    df = raised[Q[0]]
    broken = df[df["flag"] == "targets_broken"]
    assert broken["village_code"].tolist() == [D]
    assert "外挂牌子不超过 6 块" in broken["reason_zh"].iloc[0]
    assert "（20）" in broken["reason_zh"].iloc[0]


def test_reasons_state_the_numbers(raised):
    def reason(quarter, village, flag, lang="zh"):
        df = raised[quarter]
        return df[(df["village_code"] == village) & (df["flag"] == flag)][f"reason_{lang}"].item()

    assert reason(Q[2], B1, "sudden_drop") == (
        "协助事项由上季度 25 降至 5（降 80%），同乡镇中位数仅变化 +0%"
    )
    assert "Assistance tasks fell from 25 to 5" in reason(Q[2], B1, "sudden_drop", "en")
    assert reason(Q[2], A1, "identical").startswith("与同乡镇村1002、村1003")
    assert "（2024Q2–2024Q4）" in reason(Q[1], A4, "round_heaping")
    assert reason(Q[1], A2, "late_report") == "2024-07-20 报送，超过截止日 5 天"
    assert (
        reason(Q[4], A3, "visit_gap") == "2024Q2 督查发现报送与核实数差距大：协助事项 报 23 / 核 30"
    )
    assert "→" in reason(Q[3], C, "rebound")


def test_thresholds_come_from_configuration(db, monkeypatch):
    monkeypatch.setenv("BURDENMAP_FLAG_HEAP_QUARTERS", "4")
    assert flags.Thresholds.configured().heap_quarters == 4
    assert "round_heaping" not in set(flags.raised(db, Q[1], EVERYTHING)["flag"])
    loose = flags.Thresholds.configured(drop_return=0.0)
    found = flags.raised(db, Q[1], EVERYTHING, thresholds=loose)
    assert (C, "sudden_drop") in set(zip(found["village_code"], found["flag"], strict=True))
    rules = flags.rules(flags.Thresholds.configured()).set_index("flag")
    assert "连续至少 4 个季度" in rules.loc["round_heaping", "rule_zh"]


def test_scope_and_region(db):
    mine = flags.raised(db, Q[0], Scope.of(C2))
    assert set(mine["village_code"]) == {C, D}
    assert set(flags.raised(db, Q[2], EVERYTHING, region=T1)["village_code"]) <= {A1, A2, A3, A4}
    with pytest.raises(ScopeError):
        flags.village_flags(db, A1, Q[0], Scope.of(C2))
    with pytest.raises(InvalidInputError):
        flags.raised(db, "2019Q1", EVERYTHING)


def test_summary_has_every_village_with_its_risk(db):
    df = flags.summary(db, Q[2], EVERYTHING, region=C1).set_index("village_code")
    assert len(df) == 7
    assert df.loc[A3, "flags"] == ("identical", "visit_gap")
    assert df.loc[A3, "risk"] == 100 * 30  # odds multiply
    assert df.loc[B3, "risk"] == 1 and df.loc[B3, "flags"] == ()
    assert df.loc[A3, "reasons_zh"].startswith("【报送雷同】")


def test_flags_find_the_planted_anomalies_of_the_demo(demo_db):
    reader = store.Reader(demo_db)
    try:
        quality = detection.quality(reader, EVERYTHING, ["2023Q3", "2024Q4", "2025Q4"])
    finally:
        reader.close()
    total = quality[["planted", "found", "raised", "true"]].sum()
    assert total["found"] / total["planted"] >= 0.9
    assert total["true"] / total["raised"] >= 0.8
