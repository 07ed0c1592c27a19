"""Quarterly indicator values of every village: baseline and post-reform levels, then noise."""

from __future__ import annotations

import numpy as np

from metrics import registry
from metrics.demo import calibration as cal
from metrics.demo.profiles import Profile

_Q = 0.6745  # the upper quartile of the standard normal
STOCK_NOISE = 0.03  # relative sd of a stock's slow wobble (AR(1))
STOCK_AR = 0.8
FLOW_NOISE = 0.08  # relative sd of a flow's quarter-to-quarter noise
PLAQUE_SWITCH = (0.25, 0.75)  # a village takes its plaques down when progress passes this
REVIEW = 0.25  # the township's annual review of a village, per quarter (in a quarter of its own)


def truncated_normal(rng: np.random.Generator, shape: tuple[int, ...], bound: float = 2.5):
    """Standard normal draws redrawn until within ±``bound``."""
    z = rng.standard_normal(shape)
    bad = np.abs(z) > bound
    while bad.any():
        z[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(z) > bound
    return z


def _draw(spread: cal.Spread, z: np.ndarray) -> np.ndarray:
    """Two-piece lognormal through the spread's quartiles, at standard scores ``z``."""
    lo = np.log(spread.median / spread.q1) / _Q
    hi = np.log(spread.q3 / spread.median) / _Q
    return spread.median * np.exp(z * np.where(z < 0, lo, hi))


def _soft_cap(x: np.ndarray, knee: np.ndarray, cap: float) -> np.ndarray:
    """Compress values above ``knee`` smoothly into ``(knee, cap)``."""
    knee = np.minimum(knee, 0.8 * cap)
    room = cap - knee
    squeezed = knee + room * (1.0 - np.exp(-(x - knee) / room))
    return np.where(x > knee, squeezed, x)


def levels(profile: Profile, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Baseline and post-reform quarterly levels, each ``(villages, indicators)``.

    Villages heavy on one indicator tend to be heavy on the others (a shared factor), and
    heavy before the reform tend to stay heavier after it. Laggards keep 1.5–2× the post-reform
    level; nobody's post-reform level exceeds its baseline.
    """
    n, k = len(profile), len(cal.CALIBRATIONS)
    shared = truncated_normal(rng, (n, 1))
    z = 0.5 * shared + np.sqrt(0.75) * truncated_normal(rng, (n, k))
    z_post = 0.7 * z + np.sqrt(0.51) * truncated_normal(rng, (n, k))
    lag = np.where(profile.laggard, rng.uniform(*cal.LAGGARD_FACTOR, n), 1.0)
    base = np.empty((n, k))
    post = np.empty((n, k))
    for i, c in enumerate(cal.CALIBRATIONS):
        m = profile.multipliers[:, i]
        b = _soft_cap(_draw(c.baseline, z[:, i]) * m, c.baseline.q3 * m, c.baseline.cap)
        base[:, i] = np.maximum(b, c.floor)
        p = np.minimum(
            _draw(c.post, z_post[:, i]) * (1.0 if c.model == "plaques" else m), c.post.cap
        )
        post[:, i] = np.minimum(np.maximum(p, c.floor) * lag, base[:, i])
    return base, post


def _ar1(rng: np.random.Generator, n: int, t: int) -> np.ndarray:
    """Unit-variance AR(1) series, ``(n, t)``."""
    out = np.empty((n, t))
    out[:, 0] = rng.standard_normal(n)
    shock = np.sqrt(1 - STOCK_AR**2)
    for j in range(1, t):
        out[:, j] = STOCK_AR * out[:, j - 1] + shock * rng.standard_normal(n)
    return out


def values(
    profile: Profile,
    base: np.ndarray,
    post: np.ndarray,
    done: np.ndarray,
    effective: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Reported values ``(villages, periods, indicators)`` as non-negative integers.

    Parameters
    ----------
    profile
        The villages.
    base, post
        Levels from :func:`levels`.
    done
        Reform progress (plaques come down once, so they follow it and ignore rebounds).
    effective
        Progress after rebounds (every other indicator).
    rng
        Random stream of this step.

    """
    n, t = done.shape
    out = np.empty((n, t, len(cal.CALIBRATIONS)), dtype=np.int64)
    review_quarter = rng.integers(0, 4, n)
    review = (np.arange(t)[None, :] % 4) == review_quarter[:, None]  # PERIODS start at Q1
    for i, c in enumerate(cal.CALIBRATIONS):
        b, p = base[:, i : i + 1], post[:, i : i + 1]
        level = b + (p - b) * effective
        if c.model == "stock":
            x = level * (1.0 + STOCK_NOISE * _ar1(rng, n, t))
        elif c.model == "flow":
            x = level * np.exp(FLOW_NOISE * rng.standard_normal((n, t)))
        elif c.model == "plaques":
            switch = rng.uniform(*PLAQUE_SWITCH, (n, 1))
            x = np.where(done >= switch, np.rint(p), np.rint(b))
        else:  # the township's annual review, plus separate assessments
            x = rng.poisson(np.maximum(level - REVIEW, 0.0)) + review
        ceiling = registry.BY_CODE[c.indicator].max_plausible
        if c.model != "review":  # a review count is not bounded by its level's ceiling
            ceiling = min(c.baseline.cap, ceiling)
        out[:, :, i] = np.clip(np.rint(x), 0, ceiling)
    return out
