"""Map classes: schemes, the scheme registry's error, and breaks held fixed across quarters."""

import duckdb
import mapclassify
import numpy as np
import pandas as pd
import pytest
from burden_fixture import V1, V2, V3, V6, build

from metrics import classify, queries
from metrics.errors import InvalidInputError
from metrics.scope import Scope

EVERYTHING = Scope.everything()
TOL = 1e-9


def test_schemes_known_values():
    y = pd.Series([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10], index=list("abcdefghij"))
    assert classify.breaks(y, "equal_interval", 3) == pytest.approx((4.0, 7.0, 10.0))
    assert classify.breaks(y, "quantiles", 2) == pytest.approx((5.5, 10.0))
    assert classify.breaks(pd.Series([1.0, 1, 2, 10, 11, 12]), "natural_breaks", 2) == (2, 12)
    c = classify.classify(y, "equal_interval", 3)
    assert c.classes.tolist() == [0, 0, 0, 0, 1, 1, 1, 2, 2, 2]


def test_unknown_scheme_lists_the_valid_keys():
    with pytest.raises(InvalidInputError, match="quantiles, natural_breaks, equal_interval, user"):
        classify.classify(pd.Series([1.0]), "jenks")


def test_user_breaks_missing_values_and_values_above_the_top_break():
    y = pd.Series([np.nan, 0.5, 4.0, 100.0], index=list("wxyz"))
    c = classify.classify(y, "user", fixed=[3, 1, 5])
    assert c.breaks == (1, 3, 5)
    assert c.classes.isna().tolist() == [True, False, False, False]
    assert c.classes.dropna().tolist() == [0, 2, 2]  # 100 > 5 stays in the top class
    with pytest.raises(InvalidInputError):
        classify.classify(y, "user")  # user scheme needs breaks


@pytest.mark.filterwarnings("ignore:Numba not installed")
@pytest.mark.parametrize("n", [60, 200])
def test_natural_breaks_equal_mapclassify(n):
    y = np.random.default_rng(1).lognormal(4, 0.5, n)
    if n > 100:  # several blocks of class ends, and ties
        y = y.round()
    expected = mapclassify.FisherJenks(y, k=5).bins
    assert classify.breaks(pd.Series(y), "natural_breaks", 5) == pytest.approx(tuple(expected))


def test_breaks_fixed_to_the_baseline_compare_quarters_on_one_scale():
    db = build(duckdb.connect())
    # baseline village values 33.33 … 316.67: two equal intervals split at 175
    fixed = classify.baseline_breaks(db, "village", "index", EVERYTHING, "equal_interval", k=2)
    assert fixed == pytest.approx((175.0, 950 / 3), abs=TOL)
    now = queries.query(db, "village", EVERYTHING, period="2024Q4").set_index("code")["mean"]
    c = classify.classify(now, "equal_interval", fixed=fixed)
    # 2024Q4: V1 25, V3 66.67, V2 100 below 175; V6 316.67 above; V5 did not report
    assert c.classes[[V1, V3, V2, V6]].tolist() == [0, 0, 0, 1]
    assert c.classes.isna().sum() == 1
    own = classify.classify(now, "equal_interval", k=2)
    assert own.breaks[0] == pytest.approx(25 + (950 / 3 - 25) / 2, abs=TOL)  # would move
