"""Integrity anomalies: the patterns, a guard that keeps noise free of them, and the planting.

Values are arrays ``(villages, periods, indicators)`` with a ``reported`` mask
``(villages, periods)``. The patterns (each also described in ``data/README.md``):

- ``copy_paste``: villages of one township report an identical vector of all indicators in a
  quarter (planted: groups of 3–6);
- ``sudden_drop``: an indicator whose previous value is at least :data:`DROP_MIN_PREVIOUS` falls
  by at least 60% and the next quarter is back to at least 70% of the previous value (smaller
  counts, such as assessments going 2→0, are ordinary noise);
- ``round_heaping``: every indicator a multiple of 10 (planted: 4–6 consecutive quarters);
- ``missing_report``: no report at all for a quarter.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics import registry
from metrics.demo import calibration as cal
from metrics.demo.profiles import Profile

DROP_MIN_PREVIOUS = 5
DROP_SHARE = 0.6
RETURN_SHARE = 0.7
HEAP = 10
COPY_SIZES = (3, 6)
HEAP_RUN = (4, 6)
_TASKS = registry.CODES.index("tasks")
_TASKS_CEILING = cal.BY_INDICATOR["tasks"].baseline.cap


def drops(values: np.ndarray, reported: np.ndarray) -> np.ndarray:
    """Where a sudden drop with return happens, ``(villages, periods, indicators)``."""
    prev, cur, nxt = values[:, :-2], values[:, 1:-1], values[:, 2:]
    seen = (reported[:, :-2] & reported[:, 1:-1] & reported[:, 2:])[:, :, None]
    hit = (
        seen
        & (prev >= DROP_MIN_PREVIOUS)
        & (cur <= (1 - DROP_SHARE) * prev)
        & (nxt >= RETURN_SHARE * prev)
    )
    out = np.zeros(values.shape, dtype=bool)
    out[:, 1:-1] = hit
    return out


def heaped(values: np.ndarray, reported: np.ndarray) -> np.ndarray:
    """Quarters where every indicator is a multiple of 10, ``(villages, periods)``."""
    return reported & (values % HEAP == 0).all(axis=2)


def duplicates(values: np.ndarray, reported: np.ndarray, township: np.ndarray) -> pd.DataFrame:
    """Reported cells sharing their township, period and vector with another village.

    Returns ``village, period`` index columns and ``first`` (the group's first village).
    """
    v, t = np.nonzero(reported)
    frame = pd.DataFrame(values[v, t], columns=list(registry.CODES))
    frame.insert(0, "period", t)
    frame.insert(0, "township", township[v])
    dup = frame.duplicated(keep=False).to_numpy()
    first = ~frame.duplicated(keep="first").to_numpy()
    return pd.DataFrame({"village": v[dup], "period": t[dup], "first": first[dup]})


def break_accidents(values: np.ndarray, township: np.ndarray) -> np.ndarray:
    """A copy of background ``values`` (all reported) with no accidental pattern left.

    Drops are smoothed over (the midpoint of the neighbours); an all-multiples-of-10 vector or a
    vector shared within a township gets one task more (or fewer, at the ceiling).
    """
    out = values.copy()
    reported = np.ones(out.shape[:2], dtype=bool)
    for _ in range(20):
        v, t, k = np.nonzero(drops(out, reported))
        out[v, t, k] = (out[v, t - 1, k] + out[v, t + 1, k] + 1) // 2
        hv, ht = np.nonzero(heaped(out, reported))
        dup = duplicates(out, reported, township)
        dup = dup[~dup["first"]]
        nudge_v = np.concatenate([hv, dup["village"].to_numpy()])
        nudge_t = np.concatenate([ht, dup["period"].to_numpy()])
        tasks = out[nudge_v, nudge_t, _TASKS]
        out[nudge_v, nudge_t, _TASKS] = np.where(tasks < _TASKS_CEILING, tasks + 1, tasks - 1)
        if len(v) + len(nudge_v) == 0:
            return out
    raise RuntimeError("background noise kept producing anomaly patterns")


@dataclass(frozen=True)
class Planted:
    """Values after planting, the reported mask, the ground truth and the drops' visits."""

    values: np.ndarray
    reported: np.ndarray
    truth: pd.DataFrame  # demo_anomaly rows
    drop_visits: pd.DataFrame  # village, period (indices) of each planted drop


Row = tuple[int, int, str, str | None, str]


def _heap(x: np.ndarray) -> np.ndarray:
    return (x + HEAP // 2) // HEAP * HEAP


def _drops_anywhere(rows: np.ndarray) -> bool:
    """Whether the villages' series ``rows`` contain a sudden drop."""
    return bool(drops(rows, np.ones(rows.shape[:2], dtype=bool)).any())


def _copies(
    out: np.ndarray, profile: Profile, used: np.ndarray, rng: np.random.Generator
) -> list[Row]:
    """Groups of 3–6 villages of a township copying one village's vector in a quarter."""
    rows: list[Row] = []
    n, t_count, _ = out.shape
    groups = max(1, round(cal.ANOMALY_SHARES["copy_paste"] * n / np.mean(COPY_SIZES)))
    for _ in range(groups):
        free = np.bincount(profile.township[~used], minlength=profile.township.max() + 1)
        size = min(int(rng.integers(COPY_SIZES[0], COPY_SIZES[1] + 1)), int(free.max()))
        if size < COPY_SIZES[0]:  # no township has enough villages left
            break
        towns = np.flatnonzero(free >= size)
        town = rng.choice(towns)
        members = rng.choice(
            np.flatnonzero((profile.township == town) & ~used), size, replace=False
        )
        for t in rng.permutation(t_count):  # a quarter where copying makes no sudden drop
            trial = out[members].copy()
            trial[1:, t] = trial[0, t]
            if not _drops_anywhere(trial):
                break
        else:
            continue
        out[members] = trial
        used[members] = True
        detail = f"同一乡镇 {size} 个村七项指标完全相同（复制自 {profile.code[members[0]]}）"
        rows += [(v, int(t), "copy_paste", None, detail) for v in members]
    return rows


def _drops(out: np.ndarray, pool, target: int, rng: np.random.Generator) -> list[Row]:
    """One indicator falling to 10–35% for a quarter, from a steady value of at least 10."""
    rows: list[Row] = []
    for v in pool:
        prev, nxt = out[v, :-2], out[v, 2:]
        ts, ks = np.nonzero((prev >= 2 * DROP_MIN_PREVIOUS) & (nxt >= 0.8 * prev))
        if len(ts) == 0:  # nothing large and steady enough to drop
            continue
        pick = rng.integers(len(ts))
        t, k = int(ts[pick]) + 1, int(ks[pick])
        before, true = out[v, t - 1, k], out[v, t, k]
        out[v, t, k] = int(before * rng.uniform(0.1, 0.35))
        code = registry.CODES[k]
        detail = f"{code} {before}→{out[v, t, k]}→{out[v, t + 1, k]}（实际 {true}），下季度督查"
        rows.append((v, t, "sudden_drop", code, detail))
        if len(rows) == target:
            break
    return rows


def _heaping(out: np.ndarray, pool, target: int, rng: np.random.Generator) -> list[Row]:
    """Every indicator rounded to a multiple of 10 for 4–6 consecutive quarters."""
    rows: list[Row] = []
    t_count, planted = out.shape[1], 0
    for v in pool:
        length = int(rng.integers(HEAP_RUN[0], HEAP_RUN[1] + 1))
        start = int(rng.integers(0, t_count - length + 1))
        trial = out[v : v + 1].copy()
        trial[0, start : start + length] = _heap(trial[0, start : start + length])
        if _drops_anywhere(trial):  # rounding small counts to 0 can look like a drop
            continue
        out[v] = trial[0]
        span = f"{cal.PERIODS[start]}–{cal.PERIODS[start + length - 1]}"
        detail = f"连续 {length} 个季度（{span}）全部指标取整到 10 的倍数"
        rows += [(v, t, "round_heaping", None, detail) for t in range(start, start + length)]
        planted += 1
        if planted == target:
            break
    return rows


def _missing(reported: np.ndarray, pool, target: int, rng: np.random.Generator) -> list[Row]:
    """No report for one quarter (or two in a row)."""
    rows: list[Row] = []
    t_count = reported.shape[1]
    for v in _take(pool, target):
        length = 2 if rng.random() < 0.3 else 1
        start = int(rng.integers(1, t_count - length + 1))
        reported[v, start : start + length] = False
        rows += [
            (v, t, "missing_report", None, "本季度未报送") for t in range(start, start + length)
        ]
    return rows


def plant(values: np.ndarray, profile: Profile, rng: np.random.Generator) -> Planted:
    """Plant the four anomaly kinds in disjoint villages (about 4% of them in all)."""
    out = values.copy()
    n, t_count, _ = out.shape
    reported = np.ones((n, t_count), dtype=bool)
    used = np.zeros(n, dtype=bool)
    rows = _copies(out, profile, used, rng)
    pool = iter(rng.permutation(np.flatnonzero(~used)))

    def target(kind: str) -> int:
        return max(1, round(cal.ANOMALY_SHARES[kind] * n))

    drop_rows = _drops(out, pool, target("sudden_drop"), rng)
    rows += drop_rows + _heaping(out, pool, target("round_heaping"), rng)
    rows += _missing(reported, pool, target("missing_report"), rng)

    truth = pd.DataFrame(rows, columns=["village", "period", "kind", "indicator", "detail"])
    truth = truth.sort_values(["village", "period", "kind"], ignore_index=True)
    truth.insert(0, "village_code", profile.code[truth.pop("village")])
    truth["period"] = np.asarray(cal.PERIODS, dtype=object)[truth["period"]]
    visits = pd.DataFrame([r[:2] for r in drop_rows], columns=["village", "period"], dtype=int)
    return Planted(out, reported, truth, visits)


def _take(pool, count: int) -> list[int]:
    """The next ``count`` villages of an iterator (fewer if it runs out)."""
    return [v for _, v in zip(range(count), pool, strict=False)]
