"""Speed of the metrics engine: interactive roll-up calls, the full rebuild, and naive pandas.

Run ``python bench/bench_metrics.py [DB]``. Without a database it first builds a synthetic one of
realistic size (``build_synthetic``: ~4,600 villages × 16 quarters × 7 indicators, ~500k
observations, Qinghai-like tree). ``run(db_path)`` returns the figures as a dict; interactive
calls are uncached, timed over ``CALLS`` calls (p50/p95, ms). Target: ≤ 50 ms per call.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from metrics import periods, queries, registry, rollup, schema
from metrics.scope import Scope
from metrics.store import Reader, publish

CALLS = 30
PREFECTURES = {  # code: (counties, villages) — calibration.md §1.2
    "630100": (7, 890),
    "630200": (6, 1587),
    "632200": (4, 220),
    "632300": (4, 260),
    "632500": (5, 420),
    "632600": (6, 190),
    "632700": (6, 257),
    "632800": (7, 320),
}
AREA_TYPES = ("农区", "牧区", "半农半牧")
MEANS = {  # baseline mean per indicator (demo-like magnitudes)
    "tasks": 40,
    "forms": 25,
    "platforms": 12,
    "mechanisms": 10,
    "plaques": 9,
    "certificates": 7,
    "assessments": 0.6,
}


def _regions(rng: np.random.Generator) -> tuple[pd.DataFrame, list[str]]:
    rows = [("630000", "province", "青海省", None, None, None)]
    villages = []
    for pref, (n_counties, n_villages) in PREFECTURES.items():
        rows.append((pref, "prefecture", f"州{pref}", "630000", None, None))
        per_county = np.diff(np.linspace(0, n_villages * 1.11, n_counties + 1).astype(int))
        for c, count_villages in enumerate(per_county, start=1):
            county = f"{pref[:4]}{c:02d}"
            rows.append((county, "county", f"县{county}", pref, None, rng.choice(AREA_TYPES)))
            townships = max(1, count_villages // 11)
            for t, chunk in enumerate(np.array_split(np.arange(count_villages), townships), 1):
                town = f"{county}{t:03d}000"
                rows.append((town, "township", f"乡{town}", county, None, None))
                for v in range(1, len(chunk) + 1):
                    code = f"{town[:9]}{v:03d}"
                    kind = "社区" if rng.random() < 0.1 else "村"
                    rows.append((code, "village", f"村{code}", town, kind, None))
                    villages.append(code)
    cols = ["code", "level", "name", "parent_code", "kind", "area_type"]
    return pd.DataFrame(rows, columns=cols), villages


def build_synthetic(path: str | Path, quarters: int = 16, seed: int = 0) -> Path:
    """Create a realistic-size synthetic database at ``path`` through the real publish path."""
    rng = np.random.default_rng(seed)
    region, villages = _regions(rng)
    periods = [f"{2022 + q // 4}Q{q % 4 + 1}" for q in range(quarters)]
    effect = rng.lognormal(0, 0.35, len(villages))
    frames = []
    for code in registry.CODES:
        for q, period in enumerate(periods):
            lam = MEANS[code] * effect * (1 - 0.025 * q)
            reported = rng.random(len(villages)) > 0.04
            frames.append(
                pd.DataFrame(
                    {
                        "village_code": np.array(villages)[reported],
                        "period": period,
                        "indicator": code,
                        "value": rng.poisson(lam[reported]).astype("int32"),
                        "batch_id": 1,
                    }
                )
            )
    observation = pd.concat(frames, ignore_index=True)
    items = pd.DataFrame(
        {
            "item_id": np.arange(1, 401),
            "indicator": rng.choice((*registry.CODES[:4], "certificates"), 400),
            "name": [f"事项{i}" for i in range(1, 401)],
            "department_id": rng.integers(1, 41, 400),
            "basis": None,
            "on_list": rng.random(400) > 0.15,
        }
    )
    half = np.array(villages)[rng.random(len(villages)) < 0.5]
    assignments = pd.DataFrame(
        {
            "village_code": np.repeat(half, len(periods) * 3),
            "period": np.tile(np.repeat(periods, 3), len(half)),
            "item_id": rng.integers(1, 401, len(half) * len(periods) * 3),
            "batch_id": 1,
        }
    ).drop_duplicates(["village_code", "period", "item_id"])

    def fill(con: duckdb.DuckDBPyConnection) -> None:
        for key, value in {
            "simulated": "true",
            "province": "630000",
            "top_region": "630000",
        }.items():
            schema.set_meta(con, key, value)
        con.execute(
            "INSERT INTO import_batch (batch_id, kind, created_at, status) "
            "VALUES (1, 'demo', now(), 'published')"
        )
        con.execute(
            "INSERT INTO region (code, level, name, parent_code, kind, area_type) "
            "SELECT * FROM region_df"
        )
        con.execute("INSERT INTO observation SELECT * FROM observation_df")
        con.execute(
            "INSERT INTO department SELECT i, '部门' || i, CASE WHEN i < 15 THEN 'province' "
            "ELSE 'county' END FROM range(1, 41) t(i)"
        )
        con.execute("INSERT INTO item SELECT * FROM items_df")
        con.execute("INSERT INTO village_item SELECT * FROM assignments_df")
        rollup.rebuild(con)

    def register_and_fill(con: duckdb.DuckDBPyConnection) -> None:
        con.register("region_df", region)
        con.register("observation_df", observation)
        con.register("items_df", items)
        con.register("assignments_df", assignments)
        fill(con)

    path = Path(path)
    path.unlink(missing_ok=True)
    publish(path, register_and_fill, create=True)
    return path


def _timed(call: Callable[[], object], calls: int = CALLS) -> dict[str, float]:
    ms = []
    for _ in range(calls):
        start = time.perf_counter()
        call()
        ms.append((time.perf_counter() - start) * 1000)
    ms.sort()
    return {
        "p50_ms": round(statistics.median(ms), 1),
        "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 1),
        "calls": calls,
    }


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
        "prefecture_to_counties": _timed(
            lambda: queries.children(db, prefecture, period, "index", everything)
        ),
        "county_to_villages": _timed(
            lambda: queries.query(db, "village", everything, parent=county, period=period)
        ),
    }
    naive = _timed(lambda: _naive_county_rollup(db, prefecture, period), calls=5)
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

        out["full_rebuild"] = _timed(rebuild, calls=3)
        con.close()
    db.close()
    return out


def main() -> None:
    """Benchmark the database given as argument, or a synthetic one."""
    if len(sys.argv) > 1:
        print(json.dumps(run(sys.argv[1]), indent=2))
        return
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        path = build_synthetic(Path(tmp) / "synthetic.duckdb")
        print(f"built synthetic database in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        print(json.dumps(run(path), indent=2))


if __name__ == "__main__":
    main()
