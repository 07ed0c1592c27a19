"""The audit trail of exports (DESIGN §6: every export is audited — who, what, when).

:func:`record` appends one ``audit_log`` row as a new snapshot (``store.publish``). The CLI
records every export it writes; the app records in-app downloads through
``dashboard.data.record_export`` once someone is signed in (accounts).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass

from metrics import accounts
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

    def detail(self) -> dict:
        """The event's ``detail`` (stored as JSON)."""
        fields = asdict(self)
        fields.pop("user")
        fields["scope"] = "all" if self.scope.codes is None else list(self.scope.codes)
        return fields


def record(db_path: str | os.PathLike[str], event: ExportEvent) -> None:
    """Append ``event`` to the session events of the database at ``db_path``."""
    accounts.record(accounts.accounts_path(db_path), event.user, ACTION, event.detail())
