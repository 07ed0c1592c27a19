"""The burden index (负担指数) of a village in a period, on a fixed yardstick.

``index = 100 × Σ w_i · x_i / m_i / Σ w_i`` over the indicators the village reported (weights
renormalised). ``m_i`` is the median of indicator ``i`` over the administrative villages (村, not
社区) of the database — the deployment's top region — in the baseline period; the mean when the
median is 0; an indicator whose baseline mean is 0 too is left out of the index. Weights are the
ones stored in the ``indicator`` table by the last roll-up rebuild. The database holds one
deployment: every village lies under its top region.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from metrics import periods, registry, settings, sql
from metrics.errors import InvalidInputError

# baseline_stats(indicator, median, mean) over the administrative villages at baseline, from
# the observations (the rebuild) or, identical and cheaper, from the top region's roll-up row.
OBSERVED: tuple[sql.Cte, ...] = (
    periods.BASELINE,
    (
        "baseline_stats",
        """
        SELECT o.indicator, median(o.value) AS median, avg(o.value) AS mean
        FROM observation o JOIN region r ON r.code = o.village_code
        WHERE r.kind = $village_kind AND o.period = (SELECT period FROM baseline)
        GROUP BY o.indicator
        """,
    ),
)
STORED: tuple[sql.Cte, ...] = (
    periods.BASELINE,
    (
        "baseline_stats",
        """
        SELECT indicator, median, mean FROM rollup
        WHERE period = (SELECT period FROM baseline) AND NOT communities
          AND code = COALESCE((SELECT value FROM meta WHERE key = 'top_region'),
                              (SELECT min(code) FROM region WHERE parent_code IS NULL))
        """,
    ),
)

YARDSTICK: sql.Cte = (
    "yardstick",
    """
    SELECT i.code AS indicator, i.weight, b.median, b.mean,
           CASE WHEN b.median > 0 THEN b.median WHEN b.mean > 0 THEN b.mean END AS m,
           CASE WHEN b.median > 0 THEN 'median' WHEN b.mean > 0 THEN 'mean'
                ELSE 'excluded' END AS source
    FROM indicator i LEFT JOIN baseline_stats b ON b.indicator = i.code
    """,
)

# The indicators that enter the index, with their weight and ``m`` (after :data:`YARDSTICK`).
IN_INDEX = "SELECT indicator, weight, m FROM yardstick WHERE m IS NOT NULL AND weight > 0"


def compute(
    values: Mapping[str, np.ndarray], terms: Mapping[str, tuple[float, float]]
) -> np.ndarray:
    """The index of every village and quarter from its indicators' values.

    Summed in indicator-code order, so that equal reports give bit-equal indices (a rebound
    compares consecutive quarters; a full and a partial rebuild must agree).

    Parameters
    ----------
    values
        Per indicator code, the values (NaN: not reported), all of one shape.
    terms
        ``(weight, m)`` of each indicator in the index (:data:`IN_INDEX`).

    Returns
    -------
    numpy.ndarray
        The index, NaN where the village reported none of the indicators in it.

    Examples
    --------
    >>> compute({"tasks": np.array([10.0, np.nan]), "forms": np.array([1.0, np.nan])},
    ...         {"tasks": (1.0, 20.0), "forms": (1.0, 1.0)}).tolist()
    [75.0, nan]

    """
    shape = next(iter(values.values())).shape
    total, weights = np.zeros(shape), np.zeros(shape)
    for code in sorted(terms):
        weight, m = terms[code]
        x = values[code]
        seen = ~np.isnan(x)
        total = np.where(seen, total + weight * x / m, total)
        weights = np.where(seen, weights + weight, weights)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weights > 0, 100 * total / weights, np.nan)


def yardstick(db: sql.Queryable) -> pd.DataFrame:
    """Per indicator: weight, baseline median and mean, the ``m`` used and its source.

    ``source`` is ``median``, ``mean`` (median was 0) or ``excluded`` (mean was 0 too, or no
    baseline data): the methodology page states it.
    """
    df = sql.run(
        db,
        [*OBSERVED, YARDSTICK],
        "SELECT y.*, b.period AS baseline_period FROM yardstick y, baseline b",
        {},
    )
    order = {code: n for n, code in enumerate(registry.CODES)}
    return df.sort_values("indicator", key=lambda s: s.map(order)).reset_index(drop=True)


def weights(configured: Mapping[str, float] | None = None) -> dict[str, float]:
    """Index weight of every indicator: ``configured`` (default: settings) over registry defaults.

    Raises
    ------
    InvalidInputError
        For an unknown indicator or a negative weight, or if every weight is 0.

    Examples
    --------
    >>> weights({"tasks": 2})["tasks"], weights({"tasks": 2})["forms"]
    (2.0, 1.0)

    """
    configured = settings.weights() if configured is None else configured
    for code, value in configured.items():
        registry.get(code)
        if value < 0:
            raise InvalidInputError(
                f"指标 {code} 的权重不能为负：{value}", f"Weight of {code} is negative: {value}"
            )
    out = {i.code: float(configured.get(i.code, i.weight)) for i in registry.INDICATORS}
    if not any(out.values()):
        raise InvalidInputError("权重不能全为 0", "Weights must not all be 0")
    return out
