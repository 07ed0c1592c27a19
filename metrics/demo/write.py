"""Insert generated frames into the schema's tables on an open connection."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd

from metrics.demo.generate import DemoData

# Tables whose rows carry the demo's import batch.
_BATCHED = {"observation", "report", "village_item", "visit"}


def _insert(
    con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, batch_id: int | None = None
) -> int:
    """Append ``frame`` to the schema table ``table`` by column name (plus ``batch_id``)."""
    con.register("_demo_frame", frame)
    try:
        extra = ", $batch::INTEGER AS batch_id" if batch_id is not None else ""
        params = {"batch": batch_id} if batch_id is not None else {}
        con.execute(
            f"INSERT INTO {table} BY NAME SELECT *{extra} FROM _demo_frame",  # noqa: S608
            params,
        )
    finally:
        con.unregister("_demo_frame")
    return len(frame)


def write(
    con: duckdb.DuckDBPyConnection,
    data: DemoData,
    *,
    message: str = "模拟数据 / simulated data",
    now: datetime | None = None,
) -> dict[str, int]:
    """Insert ``data`` as one ``demo`` import batch into the (migrated) database of ``con``.

    Runs inside the caller's transaction. Regions must be written separately
    (:func:`metrics.regions.write_regions`).

    Returns
    -------
    dict
        Rows written per table, plus ``batch_id``.

    """
    batch_id = con.execute("SELECT COALESCE(max(batch_id), 0) + 1 FROM import_batch").fetchone()[0]
    con.execute(
        "INSERT INTO import_batch (batch_id, kind, created_at, status, rows, message) "
        "VALUES (?, 'demo', ?, 'published', ?, ?)",
        [batch_id, now or datetime.now(), len(data.observation), message],
    )
    counts = {
        table: _insert(con, table, frame, batch_id if table in _BATCHED else None)
        for table, frame in data.tables().items()
    }
    return {**counts, "batch_id": batch_id}
