"""Per village, period and indicator (incl. ``index``): the value and whether it is over target.

The ``value`` and ``over_target`` columns of the ``village_value`` table (which adds the
progress), computed by the roll-up rebuild from the observations and the village's target
statuses (:mod:`metrics.compliance`); roll-ups and village listings read that table, so both use
the same values. ``over_target`` is true when the village breaks a value-checkable target of the
indicator (``max_value``, ``max_trailing4``), false when such a target could be judged and none
is broken, NULL when none could be judged or the value is not reported; for ``index`` it covers
every target, item targets included.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from metrics import compliance, registry

# The targets behind each series' ``over_target``.
TARGETS: dict[str, tuple[str, ...]] = {
    **{
        code: tuple(t.code for t in registry.TARGETS if t.indicator == code and not t.needs_items)
        for code in registry.CODES
    },
    registry.INDEX_CODE: tuple(t.code for t in registry.TARGETS),
}


def over_target(
    value: np.ndarray, statuses: Mapping[str, np.ndarray], targets: tuple[str, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """Whether each value breaks one of ``targets``, and where that is unknown (NULL).

    Parameters
    ----------
    value
        The series' values (NaN: not reported).
    statuses
        Per target code, the :data:`metrics.compliance.STATUSES` numbers, shaped like ``value``.
    targets
        The targets that count (:data:`TARGETS` of the series).

    Returns
    -------
    tuple
        ``(over, unknown)`` boolean arrays; ``over`` is false where ``unknown``.

    Examples
    --------
    >>> over, unknown = over_target(np.array([9.0, 5, np.nan]), {"t": np.array([1, 2, 1])}, ("t",))
    >>> over.tolist(), unknown.tolist()
    ([True, False, False], [False, True, True])

    """
    over = np.zeros(value.shape, dtype=bool)
    judged = np.zeros(value.shape, dtype=bool)
    for code in targets:
        over |= statuses[code] == compliance.BROKEN
        judged |= statuses[code] != compliance.UNKNOWN
    unknown = ~judged | np.isnan(value)
    return over & ~unknown, unknown
