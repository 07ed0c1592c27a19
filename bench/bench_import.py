"""Import throughput: a 100k-row observations CSV validated, and validated + published.

Run ``python bench/bench_import.py [DB]`` (default: a fresh demo database). ``run(db_path)``
works on a temporary copy: it writes one row per village and quarter for the latest quarters
(as many as 100k rows need, going back beyond the data where necessary), imports it with
``--replace`` and returns the figures. Target: ≥ 50k rows/s at province scale. Publishing
includes a full ``rollup.rebuild`` (timed alone as ``of_which_rollup_rebuild_s``), a fixed cost
that does not grow with the file.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from metrics import periods, registry, rollup, store
from metrics.importing import check, import_bytes

ROWS = 100_000
TARGET = 50_000  # rows per second


def build_csv(db: store.Reader, rows: int = ROWS, seed: int = 0) -> tuple[bytes, list[str]]:
    """A UTF-8 observations CSV of ``rows`` rows for the villages of ``db``, and its quarters."""
    villages = db.query("SELECT code, name FROM region WHERE level = 'village' ORDER BY code")
    latest = periods.latest(db) or periods.shift(periods.of_date(pd.Timestamp.today()), -1)
    count = -(-rows // len(villages))
    quarters = [periods.shift(latest, -k) for k in range(count)]
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "村代码": np.tile(villages["code"].to_numpy(), count)[:rows],
            "村名": np.tile(villages["name"].to_numpy(), count)[:rows],
            "统计期": np.repeat(quarters, len(villages))[:rows],
        }
    )
    for indicator in registry.INDICATORS:
        frame[indicator.header_zh] = rng.integers(0, min(60, indicator.max_plausible), rows)
    return frame.to_csv(index=False).encode("utf-8"), quarters


def run(db_path: str | Path) -> dict:
    """Measure validation and validation + publishing of a 100k-row CSV on a copy of ``db_path``."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "burden.duckdb"
        shutil.copyfile(db_path, copy)
        reader = store.Reader(copy)
        data, quarters = build_csv(reader)
        start = time.perf_counter()
        checked, problems = check(reader, data, "bench.csv", replace=True)
        validate_s = time.perf_counter() - start
        reader.close()
        assert checked is not None and not [p for p in problems if p.severity == "error"]
        start = time.perf_counter()
        result = import_bytes(copy, data, "bench.csv", replace=True, user="bench")
        import_s = time.perf_counter() - start
        assert result.status == "published", result.summary("en")
        start = time.perf_counter()
        store.publish(copy, rollup.rebuild)  # the fixed cost every publish pays
        rebuild_s = time.perf_counter() - start
        villages = store.Reader(copy).scalar("SELECT count(*) FROM region WHERE level = 'village'")
    return {
        "rows": ROWS,
        "values": result.counts["values"],
        "replaced": result.counts["replaced"],
        "villages": int(villages),
        "quarters": f"{quarters[-1]}–{quarters[0]}",
        "csv_mb": round(len(data) / 1e6, 1),
        "validate_s": round(validate_s, 2),
        "validate_rows_per_s": round(ROWS / validate_s),
        "import_s": round(import_s, 2),
        "import_rows_per_s": round(ROWS / import_s),
        "target_rows_per_s": TARGET,
        "publish_s": round(import_s - result.seconds["validate"], 2),
        "of_which_rollup_rebuild_s": round(rebuild_s, 2),
    }


def main() -> None:
    """Benchmark the database given as argument, or a freshly built demo database."""
    if len(sys.argv) > 1:
        print(json.dumps(run(sys.argv[1]), indent=2, ensure_ascii=False))
        return
    from metrics.demo import build_demo

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.duckdb"
        build_demo(path)
        print(json.dumps(run(path), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
