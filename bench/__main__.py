"""``make bench``: measure the speed and size targets, print a table, write bench/results.json.

``python -m bench --db data/burden.duckdb`` (the demo database; built by ``make bench`` if
missing). Figures are measurements on this machine, not pass/fail tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench import bench_app, bench_exports, bench_import, bench_metrics, bench_store

RESULTS = Path(__file__).resolve().parent / "results.json"


def demo_build() -> dict[str, float]:
    """Time a full demo build into a temporary file."""
    from metrics.demo import build_demo

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        summary = build_demo(Path(tmp) / "demo.duckdb")
        return {
            "seconds": round(time.perf_counter() - start, 1),
            "file_mb": round(summary["bytes"] / 1e6, 1),
        }


def flatten(prefix: str, value: object) -> list[tuple[str, str]]:
    """Rows of ``name, value`` for the printed table."""
    if isinstance(value, dict):
        return [row for k, v in value.items() for row in flatten(f"{prefix}.{k}", v)]
    return [(prefix, str(value))]


def main() -> None:
    """Run every benchmark on the given database and report."""
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--db", default="data/burden.duckdb")
    db = Path(parser.parse_args().db).resolve()
    results: dict[str, object] = {
        "machine": {"cpus": len(os.sched_getaffinity(0)), "python": platform.python_version()},
        "database": str(db),
    }
    steps = {
        "demo_build": demo_build,
        "metrics": lambda: bench_metrics.run(db),
        "app_reruns": lambda: bench_app.reruns(db),
        "map_payload_bytes": lambda: bench_app.payloads(db),
        "browser": lambda: bench_app.first_map(db),
        "publish_1M_rows": lambda: _in_temp(bench_store.bench_publish),
        "import": lambda: bench_import.run(db),
        "exports": lambda: bench_exports.run(db),
    }
    for name, step in steps.items():
        start = time.perf_counter()
        results[name] = step()
        print(f"… {name} ({time.perf_counter() - start:.0f} s)", flush=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    rows = [row for name, value in results.items() for row in flatten(name, value)]
    width = max(len(name) for name, _ in rows)
    print()
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print(f"\nwritten to {RESULTS}")


def _in_temp(func: Callable[[Path], dict]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        return func(Path(tmp) / "bench.duckdb")


if __name__ == "__main__":
    main()
