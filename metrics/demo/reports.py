"""When reports arrived, and the on-site visits that checked them.

A report is due :data:`~metrics.reporting.DEADLINE_DAYS` days after quarter end; it is
late when it arrives after that day. A few chronic latecomers carry most late reports.

Visits happen in the quarter after the one they check (after the deadline). A visit records the
reported and the verified count of every indicator. Discrepancies are mostly *under*-reporting:
laggards whose reform stalled hide part of their burden to look compliant (verified > reported);
elsewhere an occasional miscount by one. Planted anomalies show up as discrepancies too, since
the inspector counts what is really there; each planted sudden drop gets its own 督查 visit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics import registry
from metrics.demo import calibration as cal
from metrics.demo.profiles import Profile
from metrics.reporting import DEADLINE_DAYS

CHRONIC_SHARE = 0.2  # villages that are often late
CHRONIC_LATE = 0.17  # their late rate; others: see _late_rate
LATE_DAYS = (16, 45)
VISIT_DAYS = (16, 80)  # days after the checked quarter's end
UNDERREPORT_CHANCE = 0.5  # of a visited laggard, once half its reform is done
MISCOUNT_CHANCE = 0.03
# How much a hiding laggard leaves out of each indicator (each hidden with chance one half).
HIDDEN = {"tasks": (3, 10), "platforms": (1, 4), "mechanisms": (1, 4), "plaques": (1, 3)}


def quarter_ends() -> np.ndarray:
    """Last day of each period, ``datetime64[D]``."""
    ends = pd.PeriodIndex(list(cal.PERIODS), freq="Q").end_time.normalize()
    return ends.to_numpy().astype("datetime64[D]")


def _late_rate() -> float:
    """Late rate of ordinary villages so that the mean is LATE_SHARE."""
    return (cal.LATE_SHARE - CHRONIC_SHARE * CHRONIC_LATE) / (1 - CHRONIC_SHARE)


def reports(reported: np.ndarray, profile: Profile, rng: np.random.Generator) -> pd.DataFrame:
    """The ``report`` rows: ``village_code, period, reported_at``."""
    chronic = rng.random(len(profile)) < CHRONIC_SHARE
    rate = np.where(chronic, CHRONIC_LATE, _late_rate())
    v, t = np.nonzero(reported)
    late = rng.random(len(v)) < rate[v]
    days = np.where(
        late,
        rng.integers(LATE_DAYS[0], LATE_DAYS[1] + 1, len(v)),
        rng.integers(1, DEADLINE_DAYS + 1, len(v)),
    )
    seconds = rng.integers(9 * 3600, 18 * 3600, len(v))  # office hours
    at = (
        quarter_ends()[t].astype("datetime64[s]")
        + days.astype("timedelta64[D]")
        + seconds.astype("timedelta64[s]")
    )
    return pd.DataFrame(
        {
            "village_code": profile.code[v],
            "period": np.asarray(cal.PERIODS, dtype=object)[t],
            "reported_at": at.astype("datetime64[us]"),
        }
    )


def _verified(true_values: np.ndarray, hiding: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """What inspectors count: the true values, plus what laggards hid, plus rare miscounts."""
    out = true_values.copy()
    for code, (lo, hi) in HIDDEN.items():
        hide = hiding & (rng.random(len(out)) < 0.5)
        out[hide, registry.CODES.index(code)] += rng.integers(lo, hi + 1, int(hide.sum()))
    miscount = ~hiding & (rng.random(len(out)) < MISCOUNT_CHANCE)
    rows = np.flatnonzero(miscount)
    cols = rng.integers(0, out.shape[1], len(rows))
    step = np.where((rng.random(len(rows)) < 0.5) & (out[rows, cols] > 0), -1, 1)
    out[rows, cols] += step
    return out


def visits(
    values: np.ndarray,
    true_values: np.ndarray,
    reported: np.ndarray,
    done: np.ndarray,
    drops: pd.DataFrame,
    profile: Profile,
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``visit`` and ``visit_value`` rows.

    Parameters
    ----------
    values
        Reported values (after planting).
    true_values
        What is really there (before planting).
    reported
        Which quarters were reported.
    done
        Reform progress ``(villages, periods)``.
    drops
        Planted sudden drops: ``village, period`` (indices); each gets a 督查 visit.
    profile
        The villages.
    rng
        Random stream of this step.

    """
    planted = np.zeros(reported.shape, dtype=bool)
    planted[drops["village"], drops["period"]] = True
    chosen = reported & ~planted & (rng.random(reported.shape) < cal.VISIT_SHARE)
    v = np.concatenate([np.flatnonzero(chosen) // reported.shape[1], drops["village"]])
    t = np.concatenate([np.flatnonzero(chosen) % reported.shape[1], drops["period"]])
    kinds = list(cal.VISIT_KINDS)
    kind = np.asarray(kinds, dtype=object)[
        rng.choice(len(kinds), len(v), p=list(cal.VISIT_KINDS.values()))
    ]
    kind[len(v) - len(drops) :] = "督查"
    hiding = profile.laggard[v] & (done[v, t] >= 0.5) & (rng.random(len(v)) < UNDERREPORT_CHANCE)
    said = values[v, t]
    checked = _verified(true_values[v, t], hiding, rng)

    order = np.lexsort((profile.code[v], t))
    v, t, kind, said, checked = v[order], t[order], kind[order], said[order], checked[order]
    days = rng.integers(VISIT_DAYS[0], VISIT_DAYS[1] + 1, len(v))
    visit_id = np.arange(1, len(v) + 1)
    visit = pd.DataFrame(
        {
            "visit_id": visit_id,
            "village_code": profile.code[v],
            "period": np.asarray(cal.PERIODS, dtype=object)[t],
            "kind": kind,
            "result": np.where((said == checked).all(axis=1), "一致", "不一致"),
            "visited_on": (quarter_ends()[t] + days.astype("timedelta64[D]")).astype(
                "datetime64[s]"
            ),
        }
    )
    k = len(registry.CODES)
    value = pd.DataFrame(
        {
            "visit_id": np.repeat(visit_id, k),
            "indicator": np.tile(np.asarray(registry.CODES, dtype=object), len(v)),
            "reported": said.ravel(),
            "verified": checked.ravel(),
        }
    )
    return visit, value
