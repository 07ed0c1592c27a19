"""Import throughput: observations CSVs validated, and validated + published.

Run ``python bench/bench_import.py [DB]`` (default: a fresh demo database). ``run(db_path)``
works on temporary copies and measures three files, each on a fresh copy:

- ``one_quarter``: the next quarter for every village (what a province sends each quarter; a
  new quarter, so the rebuild covers only it);
- ``corrections_8q``: every village's last eight quarters again with ``--replace`` (the rebuild
  covers those quarters);
- ``rows_100k``: 100k rows with ``--replace``, going back as far as 100k rows need — at the
  demo's scale past the baseline, so the whole derived data is rebuilt.

Each reports rows/s and values/s for validation alone and for validation + publishing. The
fixed cost of any publish is measured apart: copying the file (``store.publish`` builds the
next snapshot in a copy) and an empty publish (copy, migrate check, checkpoint, fsync,
replace); ``full_rebuild_publish_s`` is a publish that rebuilds every derived table. Target:
≥ 50k rows/s at province scale.

``rows_100k`` also reports two bounds on what any code could reach on this machine: its floor,
the same publish with nothing checked or computed — the observations written as the import
writes them and the derived tables replaced by the rows the measured import produced
(``write_floor_s``; with validation: ``ceiling_rows_per_s``) — and the processor time the import
used (``import_cpu_s``, all threads), which even perfectly spread over the machine's cores
cannot take less than ``import_cpu_s / cores`` (``cpu_bound_rows_per_s``).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from metrics import periods, registry, rollup, store
from metrics.importing import check, import_bytes, publish

ROWS = 100_000
TARGET = 50_000  # rows per second


def build_csv(
    db: store.Reader, quarters: list[str], rows: int | None = None, seed: int = 0
) -> bytes:
    """A UTF-8 observations CSV: every village of ``db`` in each of ``quarters``, up to ``rows``."""
    villages = db.query("SELECT code, name FROM region WHERE level = 'village' ORDER BY code")
    n = len(villages) * len(quarters) if rows is None else rows
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "村代码": np.tile(villages["code"].to_numpy(), len(quarters))[:n],
            "村名": np.tile(villages["name"].to_numpy(), len(quarters))[:n],
            "统计期": np.repeat(quarters, len(villages))[:n],
        }
    )
    for indicator in registry.INDICATORS:
        frame[indicator.header_zh] = rng.integers(0, min(60, indicator.max_plausible), n)
    return frame.to_csv(index=False).encode("utf-8")


def files(db: store.Reader) -> dict[str, tuple[bytes, bool]]:
    """The three benchmark files (bytes, replace) for the database of ``db``."""
    latest = periods.latest(db) or periods.shift(periods.of_date(date.today()), -1)
    following = periods.shift(latest, 1)
    new = following <= periods.of_date(date.today())  # else the latest again, replaced
    villages = db.scalar("SELECT count(*) FROM region WHERE level = 'village'")
    back = [periods.shift(latest, -k) for k in range(-(-ROWS // villages))]
    return {
        "one_quarter": (build_csv(db, [following if new else latest]), not new),
        "corrections_8q": (build_csv(db, back[:8], seed=1), True),
        "rows_100k": (build_csv(db, back, ROWS, seed=2), True),
    }


def measure(db_path: Path, data: bytes, replace: bool) -> dict:
    """Validation alone, then validation + publishing, of ``data`` into ``db_path``."""
    reader = store.Reader(db_path)
    start = time.perf_counter()
    checked, problems = check(reader, data, "bench.csv", replace=replace)
    validate_s = time.perf_counter() - start
    reader.close()
    assert checked is not None and not [p for p in problems if p.severity == "error"]
    start, cpu = time.perf_counter(), _cpu_s()
    result = import_bytes(db_path, data, "bench.csv", replace=replace, user="bench")
    import_s, cpu_s = time.perf_counter() - start, _cpu_s() - cpu
    assert result.status == "published", result.summary("en")
    rows, values = len(checked.rows), result.counts["values"]
    return {
        "rows": rows,
        "values": values,
        "periods": f"{result.periods[0]}–{result.periods[-1]}",
        "csv_mb": round(len(data) / 1e6, 1),
        "validate_s": round(validate_s, 2),
        "validate_rows_per_s": round(rows / validate_s),
        "validate_values_per_s": round(values / validate_s),
        "import_s": round(import_s, 2),
        "import_rows_per_s": round(rows / import_s),
        "import_values_per_s": round(values / import_s),
        "of_which_publish_s": round(import_s - result.seconds["validate"], 2),
        "import_cpu_s": round(cpu_s, 2),
        "cpu_bound_rows_per_s": round(rows / (cpu_s / len(os.sched_getaffinity(0)))),
    }


def _cpu_s() -> float:
    """Processor time this process has used so far, all threads, user and system."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def write_floor(db_path: Path, imported: Path, data: bytes, replace: bool) -> float:
    """Seconds to publish, into a copy of ``db_path``, the rows importing ``data`` wrote.

    The observations of ``data`` go in as the import writes them (``--replace`` moving the old
    ones aside); every derived table is emptied and refilled with its rows in ``imported`` (the
    database the measured import published). No validation, no computing: what is left is the
    writing, commit, checkpoint, fsync and replace the import cannot avoid.
    """
    reader = store.Reader(db_path)
    checked, _ = check(reader, data, "bench.csv", replace=replace)
    reader.close()
    assert checked is not None
    source = duckdb.connect(str(imported), read_only=True)
    derived = {t: source.table(t).to_arrow_table() for t in rollup.DERIVED}
    source.close()
    copy = imported.with_name("floor.duckdb")
    shutil.copyfile(db_path, copy)

    def change(con: duckdb.DuckDBPyConnection) -> None:
        publish.observations(con, checked, publish.next_batch(con), replace, datetime.now())
        for table, rows in derived.items():  # names from rollup.DERIVED only
            con.execute(f"DELETE FROM {table}")  # noqa: S608
            con.register("_floor_rows", rows)
            con.execute(f"INSERT INTO {table} SELECT * FROM _floor_rows")  # noqa: S608
            con.unregister("_floor_rows")

    start = time.perf_counter()
    store.publish(copy, change)
    return time.perf_counter() - start


def fixed_costs(db_path: Path, folder: Path) -> dict:
    """What every publish pays, and a publish with the full rebuild, on a copy of ``db_path``."""
    copy = folder / "fixed.duckdb"
    start = time.perf_counter()
    shutil.copyfile(db_path, copy)
    copy_s = time.perf_counter() - start
    start = time.perf_counter()
    store.publish(copy, lambda con: None)
    empty_s = time.perf_counter() - start
    start = time.perf_counter()
    store.publish(copy, rollup.rebuild)
    full_s = time.perf_counter() - start
    return {
        "file_mb": round(copy.stat().st_size / 1e6, 1),
        "file_copy_s": round(copy_s, 2),
        "empty_publish_s": round(empty_s, 2),
        "full_rebuild_publish_s": round(full_s, 2),
    }


def run(db_path: str | Path) -> dict:
    """Measure the three files and the fixed costs on copies of ``db_path``."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        reader = store.Reader(db_path)
        made = files(reader)
        reader.close()
        out: dict[str, object] = {"target_rows_per_s": TARGET, **fixed_costs(Path(db_path), folder)}
        for name, (data, replace) in made.items():
            copy = folder / name / "burden.duckdb"
            copy.parent.mkdir()
            shutil.copyfile(db_path, copy)
            out[name] = measured = measure(copy, data, replace)
            if name == "rows_100k":
                floor = write_floor(Path(db_path), copy, data, replace)
                bound = measured["validate_s"] + floor
                measured["write_floor_s"] = round(floor, 2)
                measured["ceiling_rows_per_s"] = round(measured["rows"] / bound)
            shutil.rmtree(copy.parent)
    return out


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
