"""The audit trail of exports (DESIGN §6: every export is audited — who, what, when).

:func:`record` appends one ``audit_log`` row as a new snapshot (``store.publish``). The CLI
records every export it writes; the app records in-app downloads through
``dashboard.data.record_export`` once someone is signed in (accounts).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass

import duckdb

from metrics import store
from metrics.scope import Scope

ACTION = "export"


@dataclass(frozen=True)
class ExportEvent:
    """One export: who made it, of what, for which region, quarter and indicator, in what form."""

    user: str
    view: str  # map, trend, peers, departments, children, brief, …
    fmt: str  # png, svg, xlsx, csv, docx
    region: str
    period: str | None
    indicator: str | None
    scope: Scope
    file: str = ""

    def detail(self) -> str:
        """The ``audit_log.detail`` text (JSON)."""
        fields = asdict(self)
        fields.pop("user")
        fields["scope"] = "all" if self.scope.codes is None else list(self.scope.codes)
        return json.dumps(fields, ensure_ascii=False)


def record(path: str | os.PathLike[str], event: ExportEvent, lock_timeout: float = 60) -> None:
    """Append ``event`` to the ``audit_log`` of the database at ``path`` (a new snapshot).

    Raises
    ------
    metrics.store.WriterBusyError
        If another writer holds the database for longer than ``lock_timeout`` seconds.

    """

    def change(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(
            "INSERT INTO audit_log (occurred_at, user_name, action, detail) "
            "VALUES (now(), ?, ?, ?)",
            [event.user, ACTION, event.detail()],
        )

    store.publish(path, change, lock_timeout=lock_timeout)
