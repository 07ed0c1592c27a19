"""How well the flags find the anomalies planted in a simulated database (``demo_anomaly``).

Each planted kind has the flag meant to find it (:data:`MATCHING`). Recall: the share of
planted village-quarters on which that flag is raised. Precision of a flag: the share of the
village-quarters it is raised on that carry the planted anomaly it is meant to find. The other
flags (late reports, visit gaps, rebound, burden, targets) have no planted truth.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from metrics import flags, hierarchy, periods, selection, sql
from metrics.scope import Scope

MATCHING = {
    "copy_paste": "identical",
    "sudden_drop": "sudden_drop",
    "round_heaping": "round_heaping",
    "missing_report": "missing_report",
}

_PLANTED = """
SELECT a.village_code, a.period, a.kind FROM demo_anomaly a
WHERE a.village_code IN (SELECT code FROM sel_villages) AND list_contains($periods, a.period)
"""


def planted(db: sql.Queryable, quarters: Iterable[str], scope: Scope) -> pd.DataFrame:
    """Planted anomalies of ``quarters`` on villages in scope: ``village_code, period, kind``."""
    return sql.run(
        db,
        [hierarchy.BELOW, selection.SEEN, selection.VILLAGES_UNDER],
        _PLANTED,
        {**selection.params(scope, include_communities=True), "periods": list(quarters)},
    )


def quality(
    db: sql.Queryable,
    scope: Scope,
    quarters: Iterable[str] | None = None,
    thresholds: flags.Thresholds | None = None,
) -> pd.DataFrame:
    """Recall and precision of each flag of :data:`MATCHING` over ``quarters`` (default: all).

    Returns
    -------
    pandas.DataFrame
        One row per planted kind: ``kind, flag, planted, found, recall, raised, true,
        precision`` (village-quarters).

    """
    quarters = list(quarters or periods.available(db))
    truth = planted(db, quarters, scope).assign(hit=True)
    raised = pd.concat([flags.raised(db, q, scope, thresholds=thresholds) for q in quarters])
    rows = []
    for kind, flag in MATCHING.items():
        true = truth[truth["kind"] == kind]
        mine = raised.loc[raised["flag"] == flag, ["village_code", "period"]].drop_duplicates()
        hits = mine.merge(true, on=["village_code", "period"], how="left")["hit"].fillna(False)
        found = true.merge(mine, on=["village_code", "period"]).shape[0]
        rows.append(
            {
                "kind": kind,
                "flag": flag,
                "planted": len(true),
                "found": found,
                "recall": found / len(true) if len(true) else None,
                "raised": len(mine),
                "true": int(hits.sum()),
                "precision": hits.mean() if len(mine) else None,
            }
        )
    return pd.DataFrame(rows)
