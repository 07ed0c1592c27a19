"""The accounts tests' tiny database and a helper that adds an account."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import duckdb

from metrics import accounts, sql, store

P, A, C1, C2 = "630000", "632500", "632521", "632522"
T1, V1 = f"{C1}001000", f"{C1}001001"
REGIONS = [
    (P, "province", "青海省", None),
    (A, "prefecture", "州A", P),
    (C1, "county", "县C1", A),
    (C2, "county", "县C2", A),
    (T1, "township", "乡T1", C1),
    (V1, "village", "村V1", T1),
]
IMPORTED_AT = datetime(2025, 1, 10, 9, 0)  # the one data audit entry of the database
PASSWORD = "correct-horse"
T0 = datetime(2025, 3, 1, 8, 0)


def _fill(con: duckdb.DuckDBPyConnection) -> None:
    con.executemany(
        "INSERT INTO region (code, level, name, parent_code) VALUES (?, ?, ?, ?)", REGIONS
    )
    con.execute(
        "INSERT INTO audit_log (occurred_at, user_name, action, detail) VALUES (?, ?, ?, ?)",
        [IMPORTED_AT, "数据员", "import", '{"batch_id": 1}'],
    )


def build(path: Path) -> Path:
    """Publish a database holding only the region tree and one import audit entry."""
    store.publish(path, _fill, create=True)
    return path


def add(
    path: str | os.PathLike[str],
    regions: sql.Queryable,
    name: str = "zhang",
    role: str = "county",
    scope: str | None = C1,
    password: str = PASSWORD,
    now: datetime = T0,
) -> accounts.User:
    """Add an account as the CLI would."""
    return accounts.add_user(
        path, name, password, role, scope, regions=regions, actor="cli", now=now
    )
