"""填报进度: which villages have reported a quarter, which are late and which are missing.

A quarterly report is due :data:`DEADLINE_DAYS` days after the quarter ends (by the end of that
day). A village's status for a quarter, judged on day ``as_of``:

- ``on_time``: its report arrived by the deadline;
- ``late``: it arrived after the deadline;
- ``missing``: nothing has arrived and the deadline has passed;
- ``pending``: nothing has arrived yet, but the deadline is still ahead.

Arrival is the first ``report.reported_at`` of the village and quarter (communities included).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from metrics import hierarchy, periods, selection, sql
from metrics.scope import Scope

DEADLINE_DAYS = 15
STATUSES = ("on_time", "late", "missing", "pending")

_VILLAGES = """
SELECT c.code AS county_code, c.name AS county, t.code AS township_code, t.name AS township,
       v.code, v.name, v.kind, r.reported_at,
       CASE WHEN r.reported_at IS NULL
                 THEN CASE WHEN $as_of::DATE > $deadline::DATE THEN 'missing' ELSE 'pending' END
            WHEN r.reported_at::DATE <= $deadline::DATE THEN 'on_time'
            ELSE 'late' END AS status
FROM sel_villages s JOIN region v ON v.code = s.code
JOIN region t ON t.code = v.parent_code
JOIN region c ON c.code = t.parent_code
LEFT JOIN (SELECT village_code, min(reported_at) AS reported_at FROM report
           WHERE period = $period GROUP BY village_code) r ON r.village_code = v.code
ORDER BY c.code, t.code, v.code
"""


def deadline(period: str) -> date:
    """Last day a report of ``period`` is on time.

    Examples
    --------
    >>> deadline("2025Q4")
    datetime.date(2026, 1, 15)

    """
    return periods.end_date(period) + timedelta(days=DEADLINE_DAYS)


@dataclass(frozen=True)
class Progress:
    """Reporting progress of one quarter, village by village, with summaries."""

    period: str
    deadline: date
    as_of: date
    villages: pd.DataFrame  # county_code, county, township_code, township, code, name, kind,
    #                         reported_at, status

    def summary(self, level: str) -> pd.DataFrame:
        """Counts per ``county`` or ``township``: villages, each status, reported share."""
        keys = ["county_code", "county"] + (
            ["township_code", "township"] if level == "township" else []
        )
        counts = pd.crosstab([self.villages[k] for k in keys], self.villages["status"]).reindex(
            columns=list(STATUSES), fill_value=0
        )
        counts.columns.name = None
        counts.insert(0, "villages", counts.sum(axis=1))
        counts["reported_share"] = (counts["on_time"] + counts["late"]) / counts["villages"]
        return counts.reset_index()

    def totals(self) -> dict[str, int]:
        """Villages in each status, and all villages."""
        found = self.villages["status"].value_counts()
        return {s: int(found.get(s, 0)) for s in STATUSES} | {"villages": len(self.villages)}

    def chase_list(self) -> pd.DataFrame:
        """The list to send to the townships, by county and township.

        Villages still to report (missing first, then pending), then those that were late.
        """
        order = {"missing": 0, "pending": 1, "late": 2}
        rows = self.villages[self.villages["status"].isin(order)]
        return rows.sort_values(
            ["county_code", "township_code", "status", "code"],
            key=lambda s: s.map(order) if s.name == "status" else s,
        ).reset_index(drop=True)


def progress(
    db: sql.Queryable, period: str, user_scope: Scope, as_of: date | None = None
) -> Progress:
    """Reporting progress of ``period`` for the villages in ``user_scope``.

    Parameters
    ----------
    db
        The database.
    period
        The quarter (``YYYYQn``).
    user_scope
        Villages outside it are left out.
    as_of
        The day progress is judged on (default: today).

    """
    periods.validate(period)
    as_of = as_of or date.today()
    due = deadline(period)
    params = selection.params(user_scope, include_communities=True) | {
        "period": period,
        "deadline": due,
        "as_of": as_of,
    }
    villages = sql.run(
        db, [hierarchy.BELOW, selection.SEEN, selection.VILLAGES_UNDER], _VILLAGES, params
    )
    return Progress(period, due, as_of, villages)


def choosable_periods(db: sql.Queryable, as_of: date | None = None) -> list[str]:
    """Quarters with reports, plus the quarter due now if later; newest first."""
    found = db.query("SELECT DISTINCT period FROM report")["period"].tolist()
    due = periods.shift(periods.of_date(as_of or date.today()), -1)
    if not found or due > max(found):
        found.append(due)
    return sorted(found, reverse=True)


def default_period(db: sql.Queryable, as_of: date | None = None) -> str:
    """The latest quarter with any report, else the quarter due now."""
    latest = db.query("SELECT max(period) AS p FROM report")["p"].iloc[0]
    if isinstance(latest, str):
        return latest
    return periods.shift(periods.of_date(as_of or date.today()), -1)
