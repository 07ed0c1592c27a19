"""Writing a validated file into the snapshot being published (inside ``store.publish``).

Each writer inserts through a registered frame (``INSERT … SELECT``). Observations keep
(village, period, indicator) unique: with ``replace`` the published rows a file supersedes move
to ``observation_replaced`` (``replaced_by`` = the new batch) before the new rows go in, so a
rollback can put them back exactly. A ``report`` row records each (village, period) the first
time it arrives; a later ``--replace`` keeps the first arrival.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from metrics import registry
from metrics.importing.validate import Checked


def next_batch(con: duckdb.DuckDBPyConnection) -> int:
    """The next free ``import_batch.batch_id``."""
    return con.execute("SELECT COALESCE(max(batch_id), 0) + 1 FROM import_batch").fetchall()[0][0]


def record_batch(
    con: duckdb.DuckDBPyConnection,
    batch_id: int,
    kind: str,
    *,
    at: datetime,
    user: str,
    rows: int,
    message: str,
    filename: str | None = None,
    sha256: str | None = None,
    stored_path: str | None = None,
) -> None:
    """Insert the ``import_batch`` row and its ``audit_log`` entry."""
    con.execute(
        "INSERT INTO import_batch VALUES (?, ?, ?, ?, ?, ?, ?, 'published', ?, ?)",
        [batch_id, kind, filename, sha256, stored_path, user, at, rows, message],
    )
    detail = {"batch_id": batch_id, "kind": kind, "file": filename, "sha256": sha256}
    audit(con, at, user, "rollback" if kind == "rollback" else "import", detail | {"rows": rows})


def audit(
    con: duckdb.DuckDBPyConnection, at: datetime, user: str, action: str, detail: dict
) -> None:
    """Append one ``audit_log`` entry."""
    con.execute(
        "INSERT INTO audit_log (occurred_at, user_name, action, detail) VALUES (?, ?, ?, ?)",
        [at, user, action, json.dumps(detail, ensure_ascii=False, default=str)],
    )


def observations(
    con: duckdb.DuckDBPyConnection, checked: Checked, batch_id: int, replace: bool, now: datetime
) -> dict[str, int]:
    """Insert the observations and reports of ``checked``; returns counts."""
    rows = checked.rows
    codes = [c for c in registry.CODES if c in rows]  # identifiers from the registry only
    wide = np.column_stack([rows[c].to_numpy(dtype="float64", na_value=np.nan) for c in codes])
    at = rows["reported_at"] if "reported_at" in rows else pd.Series(pd.NaT, index=rows.index)
    reports = pa.table(
        {
            "village_code": pa.array(rows["village_code"], pa.string()),
            "period": pa.array(rows["period"], pa.string()),
            "reported_at": pd.to_datetime(at).fillna(pd.Timestamp(now)),
            # which indicators each row reports (bit k: ``$codes[k + 1]``)
            "reported": (~np.isnan(wide) * (1 << np.arange(len(codes)))).sum(axis=1),
        }
    )
    con.register("_import_values", _long(rows, codes, wide))
    con.register("_import_reports", reports)
    try:
        replaced = 0
        if replace:  # the superseded rows, found once: moved aside, then deleted by row id
            con.execute(
                "CREATE TEMP TABLE _import_replaced AS SELECT o.rowid AS row_id, o.* "
                "FROM observation o JOIN _import_reports n USING (village_code, period) "
                "WHERE (n.reported >> (list_position($codes, o.indicator) - 1)) & 1 = 1",
                {"codes": codes},
            )
            replaced = con.execute(
                "INSERT INTO observation_replaced SELECT village_code, period, indicator, value, "
                "batch_id, $batch FROM _import_replaced",
                {"batch": batch_id},
            ).fetchall()[0][0]
            con.execute(
                "DELETE FROM observation WHERE rowid IN (SELECT row_id FROM _import_replaced)"
            )
            con.execute("DROP TABLE _import_replaced")
        inserted = con.execute(
            "INSERT INTO observation SELECT village_code, period, indicator, value, $batch "
            "FROM _import_values",
            {"batch": batch_id},
        ).fetchall()[0][0]
        reported = con.execute(
            "INSERT INTO report SELECT r.village_code, r.period, r.reported_at, $batch "
            "FROM _import_reports r ANTI JOIN report p USING (village_code, period)",
            {"batch": batch_id},
        ).fetchall()[0][0]
    finally:
        con.unregister("_import_values")
        con.unregister("_import_reports")
    return {"values": inserted, "replaced": replaced, "reports": reported}


def _long(rows: pd.DataFrame, codes: list[str], wide: np.ndarray) -> pa.Table:
    """One row per village, period and reported indicator, in the file's order.

    ``wide`` holds the values of ``rows`` in a column per indicator of ``codes`` (NaN: none).

    Examples
    --------
    >>> rows = pd.DataFrame({"village_code": ["a", "b"], "period": ["2025Q1", "2025Q1"]})
    >>> long = _long(rows, ["tasks", "plaques"], np.array([[1, 2], [np.nan, 3]])).to_pydict()
    >>> long["village_code"], long["indicator"], long["value"]
    (['a', 'a', 'b'], ['tasks', 'plaques', 'plaques'], [1, 2, 3])

    """
    present = ~np.isnan(wide).ravel()
    row = np.repeat(np.arange(len(rows)), len(codes))[present]
    indicator = np.tile(np.arange(len(codes)), len(rows))[present]
    return pa.table(
        {
            "village_code": pa.array(rows["village_code"], pa.string()).take(row),
            "period": pa.array(rows["period"], pa.string()).take(row),
            "indicator": pa.array(codes, pa.string()).take(indicator),
            "value": pa.array(wide.ravel()[present].astype(np.int32)),
        }
    )


def items(
    con: duckdb.DuckDBPyConnection, checked: Checked, batch_id: int, replace: bool, now: datetime
) -> dict[str, int]:
    """Insert the item assignments of ``checked``, registering new departments and items."""
    rows = checked.rows
    frame = pd.DataFrame(
        {
            "village_code": rows["village_code"],
            "period": rows["period"],
            "indicator": rows["indicator"],
            "item": rows["item"],
            "department": rows["department"],
            "department_level": rows.get("department_level", pd.Series(None, index=rows.index)),
            "basis": rows.get("basis", pd.Series(None, index=rows.index)),
            "on_list": rows["on_list"].eq("true"),
        }
    ).astype({"department_level": object, "basis": object})
    con.register("_import_items", frame)
    try:
        departments = con.execute(
            """
            INSERT INTO department
            SELECT (SELECT COALESCE(max(department_id), 0) FROM department)
                       + row_number() OVER (ORDER BY n.name),
                   n.name, n.level
            FROM (SELECT department AS name, COALESCE(min(department_level), 'county') AS level
                  FROM _import_items GROUP BY department) n
            WHERE n.name NOT IN (SELECT name FROM department)
            """
        ).fetchall()[0][0]
        new_items = con.execute(
            """
            WITH d AS (SELECT name, min(department_id) AS department_id FROM department
                       GROUP BY name),
            n AS (SELECT indicator, item, department, any_value(basis) AS basis,
                         bool_or(on_list) AS on_list
                  FROM _import_items GROUP BY ALL)
            INSERT INTO item
            SELECT (SELECT COALESCE(max(item_id), 0) FROM item)
                       + row_number() OVER (ORDER BY n.indicator, d.department_id, n.item),
                   n.indicator, n.item, d.department_id, n.basis, n.on_list
            FROM n JOIN d ON d.name = n.department
            WHERE NOT EXISTS (SELECT 1 FROM item i WHERE i.indicator = n.indicator
                              AND i.name = n.item AND i.department_id = d.department_id)
            """
        ).fetchall()[0][0]
        assigned = con.execute(
            """
            WITH d AS (SELECT name, min(department_id) AS department_id FROM department
                       GROUP BY name),
            i AS (SELECT indicator, name, department_id, min(item_id) AS item_id FROM item
                  GROUP BY ALL)
            INSERT INTO village_item
            SELECT DISTINCT n.village_code, n.period, i.item_id, $batch
            FROM _import_items n JOIN d ON d.name = n.department
            JOIN i ON i.indicator = n.indicator AND i.name = n.item
                  AND i.department_id = d.department_id
            """,
            {"batch": batch_id},
        ).fetchall()[0][0]
    finally:
        con.unregister("_import_items")
    return {"values": assigned, "departments": departments, "items": new_items}


def visits(
    con: duckdb.DuckDBPyConnection, checked: Checked, batch_id: int, replace: bool, now: datetime
) -> dict[str, int]:
    """Insert the visits of ``checked``: verified counts against the published ones."""
    rows = checked.rows.reset_index(drop=True)
    first = con.execute("SELECT COALESCE(max(visit_id), 0) + 1 FROM visit").fetchall()[0][0]
    visit = pd.DataFrame(
        {
            "visit_id": pd.RangeIndex(first, first + len(rows)),
            "village_code": rows["village_code"],
            "period": rows["period"],
            "kind": rows["visit_kind"],
            "visited_on": rows.get("visited_on", pd.Series(pd.NaT, index=rows.index)),
        }
    )
    codes = [c for c in registry.CODES if c in rows]
    verified = (
        rows[codes]
        .assign(visit_id=visit["visit_id"])
        .melt(id_vars="visit_id", var_name="indicator", value_name="verified")
    )
    verified = verified[verified["verified"].notna()].astype({"verified": "int32"})
    con.register("_import_visits", visit)
    con.register("_import_verified", verified)
    try:
        values = con.execute(
            """
            INSERT INTO visit_value
            SELECT n.visit_id, n.indicator, o.value, n.verified
            FROM _import_verified n JOIN _import_visits v USING (visit_id)
            LEFT JOIN observation o ON o.village_code = v.village_code AND o.period = v.period
                                   AND o.indicator = n.indicator
            """
        ).fetchall()[0][0]
        inserted = con.execute(
            """
            INSERT INTO visit
            SELECT v.visit_id, v.village_code, v.period, v.kind,
                   CASE WHEN (SELECT bool_and(x.reported IS NOT DISTINCT FROM x.verified)
                              FROM visit_value x WHERE x.visit_id = v.visit_id)
                        THEN '一致' ELSE '不一致' END,
                   v.visited_on::DATE, $batch
            FROM _import_visits v
            """,
            {"batch": batch_id},
        ).fetchall()[0][0]
    finally:
        con.unregister("_import_visits")
        con.unregister("_import_verified")
    return {"values": values, "visits": inserted}


WRITERS: dict[
    str, Callable[[duckdb.DuckDBPyConnection, Checked, int, bool, datetime], dict[str, Any]]
] = {"observations": observations, "items": items, "visits": visits}
# Kinds whose rows the derived tables (``metrics.rollup``) are computed from; visits are not.
DERIVED_FROM = frozenset({"observations", "items"})


def touched(checked: Checked) -> set[str]:
    """The quarters whose derived rows writing ``checked`` can change (``rollup.rebuild``)."""
    if checked.layout.kind not in DERIVED_FROM:
        return set()
    return set(checked.rows["period"].dropna())


def touched_villages(checked: Checked) -> set[str]:
    """The villages whose derived rows writing ``checked`` can change (``rollup.rebuild``)."""
    if checked.layout.kind not in DERIVED_FROM:
        return set()
    return set(checked.rows["village_code"].dropna())


def touched_items(checked: Checked) -> set[str]:
    """The quarters whose item assignments writing ``checked`` changes (``rollup.rebuild``)."""
    return touched(checked) if checked.layout.kind == "items" else set()
