"""Timing helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timed(call: Callable[[], object], calls: int = 30) -> dict[str, float]:
    """Run ``call`` ``calls`` times; p50 and p95 wall time in milliseconds."""
    ms = []
    for _ in range(calls):
        start = time.perf_counter()
        call()
        ms.append((time.perf_counter() - start) * 1000)
    ms.sort()
    return {
        "p50_ms": round(statistics.median(ms), 1),
        "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 1),
        "calls": calls,
    }
