"""On-site visits (督查/抽查/调研) and what they verified."""

from __future__ import annotations

import pandas as pd

from metrics import sql
from metrics.scope import Scope, require

_VISITS = """
SELECT v.period, v.visited_on, v.kind, v.result, vv.indicator, vv.reported, vv.verified
FROM visit v LEFT JOIN visit_value vv ON vv.visit_id = v.visit_id
WHERE v.village_code = $village
ORDER BY v.period DESC, v.visit_id, vv.indicator
"""


def village_visits(db: sql.Queryable, village: str, scope: Scope) -> pd.DataFrame:
    """Visits to one village, newest first, one row per indicator checked.

    Columns: ``period, visited_on, kind, result, indicator, reported, verified``.
    """
    require(db, scope, village)
    return db.query(_VISITS, {"village": village})
