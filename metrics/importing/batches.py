"""Import history and rollback.

The history joins the ``import_batch`` rows of the published database with the uploads kept
under the imports folder that never became a batch (rejected files, dry runs). A rollback is a
new snapshot: it deletes the batch's rows, puts back the values the batch replaced (from
``observation_replaced``), marks the batch ``rolled_back`` and records a ``rollback`` batch.
"""

from __future__ import annotations

import os
from datetime import datetime

import duckdb
import pandas as pd

from metrics import rollup, sql, store
from metrics.errors import InvalidInputError, RejectedError
from metrics.importing import publish, uploads
from metrics.importing.layouts import KINDS
from metrics.scope import Scope, ScopeError

HISTORY_COLUMNS = (
    "batch_id created_at kind filename user_name status rows message sha256 stored_path"
).split()


def history(
    db_path: str | os.PathLike[str],
    db: sql.Queryable | None = None,
    scope: Scope | None = None,
    user: str | None = None,
) -> pd.DataFrame:
    """Every import, newest first: published batches and uploads that were not published.

    Parameters
    ----------
    db_path
        The published database (its imports folder is searched too).
    db
        A reader of it (default: a new one).
    scope
        Whose history (default: everything): it needs the ``import`` right; a regional scope
        sees the batches that touched only its villages, and the other uploads of ``user``.
    user
        The user asking (with a regional scope).

    Returns
    -------
    DataFrame
        ``batch_id`` (missing for uploads that are not batches), ``created_at``, ``kind``,
        ``filename``, ``user_name``, ``status`` (published, rolled_back, rejected, checked, failed),
        ``rows``, ``message``, ``sha256``, ``stored_path``.

    """
    scope = scope or Scope.everything()
    scope.need("import")
    reader = db or store.Reader(db_path)
    try:
        batches = reader.query(f"SELECT {', '.join(HISTORY_COLUMNS)} FROM import_batch")  # noqa: S608
        if scope.codes is not None:  # its villages' batches; its own rollbacks
            where = reader.query(_WHERE, {"scope": scope.param}).set_index("batch_id")["inside"]
            inside = batches["batch_id"].map(where)
            mine = batches["user_name"] == user
            batches = batches[inside.eq(True) | (inside.isna() & mine)]
    finally:
        if db is None:
            reader.close()
    kept = [
        u
        for u in uploads.all_uploads(db_path)
        if u.manifest.get("batch_id") is None
        and u.manifest.get("status") != "received"
        and (scope.codes is None or u.manifest.get("user") == user)
    ]
    others = pd.DataFrame(
        {
            "batch_id": pd.array([None] * len(kept), dtype="Int64"),
            "created_at": pd.to_datetime([u.manifest["received_at"] for u in kept]),
            "kind": [u.manifest.get("options", {}).get("kind") for u in kept],
            "filename": [u.manifest["filename"] for u in kept],
            "user_name": [u.manifest.get("user") for u in kept],
            "status": [u.manifest["status"] for u in kept],
            "rows": pd.array([u.manifest.get("rows") for u in kept], dtype="Int64"),
            "message": [
                u.manifest.get("error")  # an import that failed: what went wrong
                or f"errors={u.manifest.get('errors', 0)}, warnings={u.manifest.get('warnings', 0)}"
                for u in kept
            ],
            "sha256": [u.manifest["sha256"] for u in kept],
            "stored_path": [uploads.stored_path(db_path, u) for u in kept],
        }
    )
    batches = batches.astype({"batch_id": "Int64", "rows": "Int64"})
    frames = [f for f in (batches, others) if not f.empty]
    if not frames:
        return batches
    both = pd.concat(frames, ignore_index=True)
    both = both.sort_values(["created_at", "batch_id"], ascending=False, na_position="last")
    return both.reset_index(drop=True)


def rollback(
    db_path: str | os.PathLike[str],
    batch_id: int,
    *,
    user: str | None = None,
    now: datetime | None = None,
    scope: Scope | None = None,
) -> dict[str, int]:
    """Undo batch ``batch_id`` as a new snapshot, restoring exactly what it replaced.

    ``scope`` (default: everything) needs the ``import`` right and must cover every village the
    batch touched.

    Returns
    -------
    dict
        ``batch_id`` (the new ``rollback`` batch), ``removed`` and ``restored`` rows.

    Raises
    ------
    InvalidInputError
        If there is no such batch.
    RejectedError
        If the batch cannot be rolled back: not an import, already rolled back, or some of its
        values were replaced later by a batch that must be rolled back first.
    metrics.scope.ScopeError
        Without the ``import`` right, or for a batch that touched villages outside ``scope``.

    """
    scope = scope or Scope.everything()
    scope.need("import")
    now = (now or datetime.now()).replace(microsecond=0)
    user = user or uploads.os_user()

    def change(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
        _check_can_roll_back(con, batch_id)
        if (
            scope.codes is not None
            and con.execute(
                f"SELECT * FROM ({_WHERE}) WHERE batch_id = $batch AND NOT inside",  # noqa: S608
                {"scope": scope.param, "batch": batch_id},
            ).fetchall()
        ):
            raise ScopeError(
                f"批次 #{batch_id} 含有您辖区以外的村，不能由您回滚",
                f"Batch #{batch_id} touched villages outside your region; you may not roll it back",
            )
        pairs = con.execute(_TOUCHED, {"batch": batch_id}).fetchall()
        touched, villages = {row[0] for row in pairs}, {row[1] for row in pairs}
        items = {row[0] for row in con.execute(_TOUCHED_ITEMS, {"batch": batch_id}).fetchall()}
        removed = 0
        for statement in _DELETES:
            removed += con.execute(statement, {"batch": batch_id}).fetchall()[0][0]
        restored = con.execute(
            "INSERT INTO observation SELECT village_code, period, indicator, value, batch_id "
            "FROM observation_replaced WHERE replaced_by = $batch",
            {"batch": batch_id},
        ).fetchall()[0][0]
        con.execute(
            "DELETE FROM observation_replaced WHERE replaced_by = $batch", {"batch": batch_id}
        )
        con.execute(
            "UPDATE import_batch SET status = 'rolled_back' WHERE batch_id = $batch",
            {"batch": batch_id},
        )
        new = publish.next_batch(con)
        publish.record_batch(
            con,
            new,
            "rollback",
            at=now,
            user=user,
            rows=removed,
            message=f"rollback of #{batch_id}: removed={removed}, restored={restored}",
        )
        rollup.rebuild(con, touched=touched, items=items, villages=villages)
        return {"batch_id": new, "removed": removed, "restored": restored}

    result = store.publish(db_path, change)
    for upload in uploads.all_uploads(db_path):
        if upload.manifest.get("batch_id") == batch_id:
            upload.update(status="rolled_back", rolled_back_by=result["batch_id"])
    return result


# Every batch that wrote village rows, and whether all of them lie inside ``$scope``.
_WHERE = """
SELECT batch_id, bool_and(list_has_any(t.lineage, $scope::VARCHAR[])) AS inside FROM (
    SELECT batch_id, village_code FROM observation
    UNION ALL SELECT replaced_by, village_code FROM observation_replaced
    UNION ALL SELECT batch_id, village_code FROM village_item
    UNION ALL SELECT batch_id, village_code FROM visit
) b JOIN region_tree t ON t.code = b.village_code
GROUP BY batch_id
"""

# The quarters and villages of the rows a rollback removes or restores (the derived tables read
# them).
_TOUCHED = """
SELECT period, village_code FROM observation WHERE batch_id = $batch
UNION SELECT period, village_code FROM observation_replaced WHERE replaced_by = $batch
UNION SELECT period, village_code FROM village_item WHERE batch_id = $batch
"""

# … of which those whose item assignments it removes.
_TOUCHED_ITEMS = "SELECT DISTINCT period FROM village_item WHERE batch_id = $batch"

# Rows a batch added, in an order that keeps references valid.
_DELETES = (
    "DELETE FROM observation WHERE batch_id = $batch",
    "DELETE FROM report WHERE batch_id = $batch",
    "DELETE FROM village_item WHERE batch_id = $batch",
    "DELETE FROM visit_value "
    "WHERE visit_id IN (SELECT visit_id FROM visit WHERE batch_id = $batch)",
    "DELETE FROM visit WHERE batch_id = $batch",
)


def _check_can_roll_back(con: duckdb.DuckDBPyConnection, batch_id: int) -> None:
    found = con.execute(
        "SELECT kind, status FROM import_batch WHERE batch_id = ?", [batch_id]
    ).fetchall()
    if not found:
        raise InvalidInputError(
            f"没有批次 #{batch_id}；用 burdenmap batches 查看导入记录。",
            f"There is no batch #{batch_id}; see burdenmap batches.",
        )
    kind, status = found[0]
    if kind not in KINDS:
        raise RejectedError(
            f"批次 #{batch_id} 是 {kind}，不是文件导入，不能回滚。",
            f"Batch #{batch_id} is a {kind} batch, not a file import; it cannot be rolled back.",
        )
    if status == "rolled_back":
        raise RejectedError(
            f"批次 #{batch_id} 已经回滚过了。", f"Batch #{batch_id} is already rolled back."
        )
    later = [
        row[0]
        for row in con.execute(
            "SELECT DISTINCT replaced_by FROM observation_replaced WHERE batch_id = ? ORDER BY 1",
            [batch_id],
        ).fetchall()
    ]
    if later:
        shown = ", ".join(f"#{b}" for b in later)
        raise RejectedError(
            f"批次 #{batch_id} 的部分数值后来被批次 {shown} 替换了；请先回滚 {shown}。",
            f"Some values of batch #{batch_id} were replaced later by batch {shown}; roll that "
            "back first.",
        )
