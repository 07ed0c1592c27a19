"""Where exported numbers come from: simulated or real, and the data vintage."""

from __future__ import annotations

from dataclasses import dataclass

from metrics import periods, sql


@dataclass(frozen=True)
class Provenance:
    """What every export states about its data.

    ``vintage`` is when the newest published import (or demo build) was made,
    ``YYYY-MM-DD HH:MM``; ``baseline`` the index's baseline quarter.
    """

    simulated: bool
    vintage: str
    baseline: str | None


_VINTAGE = """
SELECT COALESCE(strftime(max(created_at), '%Y-%m-%d %H:%M'), '') AS vintage
FROM import_batch WHERE status = 'published'
"""


def provenance(db: sql.Queryable) -> Provenance:
    """The :class:`Provenance` of the database's current snapshot."""
    vintage = db.query(_VINTAGE)["vintage"].iloc[0]
    meta = dict(db.query("SELECT key, value FROM meta").itertuples(index=False))
    return Provenance(
        simulated=meta.get("simulated", "true") != "false",
        vintage=vintage or meta.get("generated_at", "")[:16].replace("T", " "),
        baseline=periods.baseline(db),
    )
