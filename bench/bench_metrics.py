"""Speed of the metrics engine: interactive calls, the full rebuild, and naive pandas.

``run(db_path)`` returns the figures as a dict; interactive calls are uncached, timed over
30 calls (p50/p95, ms). Targets: ≤ 50 ms per call at province scale, and ≤ 300 ms for the map
page's server-side first view of a county (``first_view_county``: the sum of its calls).
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from bench.timing import timed
from metrics import classify, geometry, periods, queries, rollup
from metrics.scope import Scope
from metrics.store import Reader


def _naive_county_rollup(db: Reader, prefecture: str, period: str) -> pd.DataFrame:
    """The prefecture → county index roll-up the obvious way: raw rows into pandas."""
    obs = db.query("SELECT village_code, period, indicator, value FROM observation")
    region = db.query("SELECT code, level, parent_code, kind FROM region")
    weights = db.query("SELECT code, weight FROM indicator").set_index("code")["weight"]
    baseline = obs["period"].min()
    kind = obs["village_code"].map(region.set_index("code")["kind"])
    base = obs[(obs["period"] == baseline) & (kind == "村")].groupby("indicator")["value"]
    m = base.median().where(base.median() > 0, base.mean()).replace(0, np.nan).dropna()
    cur = obs[(obs["period"] == period) & obs["indicator"].isin(m.index)].copy()
    w = cur["indicator"].map(weights)
    cur["wx"] = w * cur["value"] / cur["indicator"].map(m)
    cur["w"] = w
    village = cur.groupby("village_code")[["wx", "w"]].sum()
    idx = 100 * village["wx"] / village["w"]
    parent = region.set_index("code")["parent_code"]
    county = idx.index.map(parent).map(parent)
    frame = pd.DataFrame({"index": idx.to_numpy(), "county": county})
    frame = frame[frame["county"].map(parent) == prefecture]
    grouped = frame.groupby("county")["index"]
    return grouped.agg(["mean", "median", lambda s: s.quantile(0.9), "count"])


def first_view(db: Reader, county: str, period: str, scope: Scope) -> None:
    """What the map page computes for a county it has not shown yet (``dashboard.views``)."""
    queries.region_info(db, county, scope)
    queries.ancestors(db, county, scope)
    queries.kpis(db, county, period, scope)
    queries.query(db, "township", scope, county, period)  # the children table
    villages = queries.query(db, "village", scope, county, period)  # the map's points
    geometry.for_display(geometry.boundaries(db, [county], scope))  # the county's outline
    geometry.village_points(db, list(villages["code"]), scope)


def run(db_path: str | Path) -> dict:
    """Measure the interactive calls, the rebuild and the naive pandas ratio on ``db_path``."""
    db = Reader(db_path)
    everything = Scope.everything()
    period = periods.latest(db)
    sizes = db.query(
        "SELECT (SELECT count(*) FROM region WHERE level = 'village') AS villages, "
        "(SELECT count(*) FROM observation) AS observations, "
        "(SELECT count(DISTINCT period) FROM observation) AS periods"
    ).iloc[0]
    prefecture = db.scalar(
        "SELECT parent_code FROM region WHERE level = 'county' GROUP BY 1 ORDER BY count(*) DESC "
        "LIMIT 1"
    )
    county = db.scalar(
        "SELECT t.parent_code FROM region v JOIN region t ON t.code = v.parent_code "
        "WHERE v.level = 'village' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    )
    out: dict = {
        "villages": int(sizes["villages"]),
        "observations": int(sizes["observations"]),
        "periods": int(sizes["periods"]),
        "prefecture_to_counties": timed(
            lambda: queries.children(db, prefecture, period, "index", everything)
        ),
        "county_to_villages": timed(
            lambda: queries.query(db, "village", everything, parent=county, period=period)
        ),
        "kpis_county": timed(lambda: queries.kpis(db, county, period, everything)),
        "region_info": timed(lambda: queries.region_info(db, county, everything)),
        "ancestors": timed(lambda: queries.ancestors(db, county, everything)),
        "baseline_breaks_villages": timed(
            lambda: classify.baseline_breaks(db, "village", "index", everything, parent=county)
        ),
    }
    counties = itertools.cycle(
        db.query("SELECT code FROM region WHERE level = 'county' ORDER BY hash(code)")["code"]
    )
    out["first_view_county"] = timed(lambda: first_view(db, next(counties), period, everything))
    naive = timed(lambda: _naive_county_rollup(db, prefecture, period), calls=5)
    out["naive_pandas_county_rollup"] = naive
    out["naive_over_engine_ratio"] = round(
        naive["p50_ms"] / out["prefecture_to_counties"]["p50_ms"], 1
    )
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy.duckdb"
        shutil.copyfile(db_path, copy)
        con = duckdb.connect(str(copy))

        def rebuild() -> None:
            con.execute("BEGIN")
            rollup.rebuild(con)
            con.execute("ROLLBACK")

        out["full_rebuild"] = timed(rebuild, calls=3)
        con.close()
    db.close()
    return out
