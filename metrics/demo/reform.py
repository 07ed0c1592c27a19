"""Reform progress over the quarters: 0 before the reform, 1 when a village is done."""

from __future__ import annotations

import numpy as np

from metrics.demo import calibration as cal
from metrics.demo.profiles import Profile


def _logistic(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def progress(profile: Profile) -> np.ndarray:
    """Share of the reform done by each village in each period, ``(villages, periods)``.

    A logistic curve around the village's midpoint, rescaled to start at 0 in the quarter before
    :data:`~metrics.demo.calibration.REFORM_START` and rising monotonically towards 1.
    """
    t = np.arange(len(cal.PERIODS), dtype=float)
    start = cal.period_index(cal.REFORM_START)
    mid, slope = profile.midpoint[:, None], profile.slope[:, None]
    curve = _logistic((t[None, :] - mid) / slope)
    before = _logistic((start - 1 - mid) / slope)
    return np.clip((curve - before) / (1.0 - before), 0.0, 1.0)


def giveback() -> np.ndarray:
    """Share of the reform a rebound county gives back, by period."""
    out = np.zeros(len(cal.PERIODS))
    for period, share in cal.REBOUND_GIVEBACK.items():
        out[cal.period_index(period) :] = share
    return out


def effective(profile: Profile, done: np.ndarray) -> np.ndarray:
    """Progress after the 2025 rebound of the rebound counties, ``(villages, periods)``."""
    return done * (1.0 - np.outer(profile.rebound, giveback()))
