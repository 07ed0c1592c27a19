"""The numpy quantile and equal-interval breaks equal mapclassify's, which the app no longer
imports (it pulls in scipy and scikit-learn: seconds at every server start)."""

import mapclassify
import numpy as np
import pytest

from metrics import classify

REFERENCE = {"quantiles": mapclassify.Quantiles, "equal_interval": mapclassify.EqualInterval}


def _samples():
    rng = np.random.default_rng(7)
    for size in (2, 3, 7, 45, 400):
        yield rng.normal(80, 25, size)
        yield rng.integers(0, 4, size).astype(float)  # heavy ties
        yield np.round(rng.exponential(30, size), 1)


@pytest.mark.parametrize("scheme", sorted(REFERENCE))
def test_breaks_equal_mapclassify_bit_for_bit(scheme):
    compared = 0
    for y in _samples():
        for k in range(1, 8):
            k = min(k, len(np.unique(y)))
            if scheme == "equal_interval" and len(np.unique(y)) == 1:
                continue
            expected = np.unique(REFERENCE[scheme](y, k=k).bins)
            assert np.array_equal(np.unique(classify.SCHEMES[scheme](y, k)), expected)
            compared += 1
    assert compared > 50


def test_one_distinct_value_is_one_class():
    """mapclassify's EqualInterval raises here; the map of one village still gets a class."""
    assert classify.SCHEMES["equal_interval"](np.array([4.0, 4.0]), 1).tolist() == [4.0]
