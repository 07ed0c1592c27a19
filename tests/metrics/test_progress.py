"""Change against baseline and a year earlier, and rebound (反弹) detection."""

import duckdb
import numpy as np
import pytest
from burden_fixture import T1, V1, build

from metrics import progress, queries
from metrics.scope import Scope

EVERYTHING = Scope.everything()


@pytest.fixture(scope="module")
def db():
    return build(duckdb.connect())


def test_rebound_of_a_village(db):
    # V1: 33.33 (baseline), 18.33 (≥ 20 % below), 21.67 (up), 25.0 (up again: rebound),
    # 25.0 (flat), 28.33 (up once after flat: no rebound)
    t = queries.trend(db, V1, "index", EVERYTHING).set_index("period")
    assert t["rebound"].to_dict() == {
        "2024Q1": False,
        "2024Q2": False,
        "2024Q3": False,
        "2024Q4": True,
        "2025Q1": False,
        "2025Q2": False,
    }
    assert t.loc["2024Q2", "change_vs_baseline_pct"] == pytest.approx(-45.0, abs=1e-9)


def test_rebound_of_a_region_and_in_listings(db):
    # T1 mean: 45.83, 18.33 (V1 only), 21.67, 62.5 → rises twice after falling ≥ 20 %
    t = queries.trend(db, T1, "index", EVERYTHING).set_index("period")
    assert t.loc["2024Q4", "rebound"] and not t.loc["2024Q3", "rebound"]
    listed = queries.query(db, "township", EVERYTHING, period="2024Q4").set_index("code")
    assert listed.loc[T1, "rebound"]
    assert listed["rebound"].sum() == 1


def test_rebound_of_a_single_indicator(db):
    t = queries.trend(db, V1, "tasks", EVERYTHING).set_index("period")
    # tasks 10, 6 (−40 %), 8, 10: rebound at 2024Q4 also for the single indicator
    assert t.loc["2024Q4", "rebound"]
    p = queries.trend(db, V1, "plaques", EVERYTHING)  # 4, 2, 2, 2, 2, 2: never rises
    assert not p["rebound"].any()


def reference(series, baseline):
    """The progress of one series (a list, None: no value), quarter by quarter, the plain way."""
    out = []
    base = series[baseline] if 0 <= baseline < len(series) else None
    for t, value in enumerate(series):
        year_ago = series[t - 4] if t >= 4 else None
        previous, before = (series[t - k] if t >= k else None for k in (1, 2))
        since = [v for v in series[max(baseline, 0) : max(t - 1, 0)] if v is not None]
        low = min(since) if since else None
        rebound = None not in (value, previous, before, low, base) and (
            value > previous > before and low <= (1 - progress.REBOUND_DROP) * base
        )
        out.append(
            {
                "baseline_value": base,
                "change_vs_baseline": change(value, base),
                "change_vs_baseline_pct": percent(value, base),
                "year_ago_value": year_ago,
                "change_vs_year_ago": change(value, year_ago),
                "change_vs_year_ago_pct": percent(value, year_ago),
                "rebound": bool(rebound),
            }
        )
    return out


def change(value, reference):
    return None if None in (value, reference) else value - reference


def percent(value, reference):
    if None in (value, reference) or reference == 0:
        return None
    return 100 * (value - reference) / reference


@pytest.mark.parametrize("baseline", [-2, 0, 3, 9, 12])
def test_progress_matches_the_plain_rules_on_random_series(baseline):
    rng = np.random.default_rng(baseline + 5)
    values = rng.integers(0, 12, (40, 10)).astype(float)
    values[rng.random(values.shape) < 0.2] = np.nan
    values[0, :] = 0.0  # a baseline of 0: no percentage change
    got = progress.progress(values, baseline)
    assert got["rebound"].any() == (baseline in (0, 3))  # else none can be judged
    for row, series in enumerate(values.tolist()):
        series = [None if v != v else v for v in series]
        for t, want in enumerate(reference(series, baseline)):
            for name, expected in want.items():
                found = got[name][row, t]
                if name == "rebound":
                    assert bool(found) == expected, (row, t, name)
                elif expected is None:
                    assert np.isnan(found), (row, t, name)
                else:
                    assert found == pytest.approx(expected, abs=1e-12), (row, t, name)
