"""Cost of publishing a snapshot (copy, migrate, commit, checkpoint, fsync, replace).

``bench_publish`` builds a 1M-observation database and returns the figures as a dict.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import duckdb

from bench.timing import timed
from metrics import registry
from metrics.store import Reader, init_database, publish

ROWS = 1_000_000


def _fill(con: duckdb.DuckDBPyConnection, rows: int) -> None:
    # 56 rows per village: 8 quarters (2019Q1-2020Q4) x 7 indicators.
    codes = [i.code for i in registry.INDICATORS]
    con.execute(
        """
        INSERT INTO observation
        SELECT printf('63%010d', i // 56),
               printf('%dQ%d', 2019 + (i // 7 % 8) // 4, (i // 7 % 8) % 4 + 1),
               list_extract($codes, (i % 7 + 1)::INTEGER),
               (hash(i) % 20)::INTEGER,
               1
        FROM range($rows) t(i)
        """,
        {"codes": codes, "rows": rows},
    )


def bench_publish(path: str | os.PathLike[str], rows: int = ROWS, repeats: int = 5) -> dict:
    """Build a database with ``rows`` observations at ``path`` and time publishing on it."""
    path = Path(path)
    start = time.perf_counter()
    init_database(path, {"simulated": "true"}, overwrite=True)
    publish(path, lambda con: _fill(con, rows))
    build_s = time.perf_counter() - start

    def copy_only() -> None:
        scratch = path.with_name(path.name + ".copy")
        shutil.copyfile(path, scratch)
        with open(scratch, "rb") as fh:
            os.fsync(fh.fileno())
        scratch.unlink()

    def small_change() -> None:
        publish(path, lambda con: con.execute("UPDATE meta SET value = 'x' WHERE key = 'note'"))

    def quarter_import() -> None:  # replace one quarter of values (~1/8 of the rows)
        publish(
            path,
            lambda con: con.execute(
                "UPDATE observation SET value = value + 1 WHERE period = '2020Q4'"
            ),
        )

    reader = Reader(path)
    reader.scalar("SELECT count(*) FROM observation")

    def reader_switch() -> None:
        small_change()
        reader.scalar("SELECT count(*) FROM observation")

    result = {
        "rows": rows,
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "build_s": round(build_s, 2),
        "copy_fsync": timed(copy_only, repeats),
        "publish_noop": timed(small_change, repeats),
        "publish_update_eighth": timed(quarter_import, repeats),
        "publish_then_reader_query": timed(reader_switch, repeats),
        "reader_query": timed(lambda: reader.scalar("SELECT 1"), 200),
    }
    reader.close()
    return result
