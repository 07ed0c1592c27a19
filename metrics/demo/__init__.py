"""Simulated data for demonstrations: ``build_demo`` publishes a whole demo database.

Burden figures are simulated (calibrated on ``shared/domain/calibration.md`` §5, see
``data/README.md``); the gazetteer is the real one, village positions are approximate.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from time import perf_counter
from typing import Any

import duckdb

from metrics import regions, rollup, schema, store
from metrics.demo import calibration
from metrics.demo.generate import DemoData, generate
from metrics.demo.write import write

__all__ = ["DemoData", "build_demo", "generate", "write"]


def carry_over(con: duckdb.DuckDBPyConnection) -> None:
    """Copy the audit trail (not demo data) from the replaced snapshot, if any.

    The replaced snapshot is the catalogue ``previous`` of a fresh publish (``store.PREVIOUS``).
    Audit entries get new ids from the sequence, in their old order.
    """
    attached = con.execute(
        "SELECT count(*) FROM duckdb_databases() WHERE database_name = ?", [store.PREVIOUS]
    ).fetchone()[0]
    if not attached:
        return
    con.execute(
        "INSERT INTO audit_log (occurred_at, user_name, action, detail) "
        "SELECT occurred_at, user_name, action, detail FROM previous.audit_log ORDER BY id"
    )


# Provinces whose villages get item-level detail (``village_item``) in a national build: small
# ones (青海, 宁夏, 海南), so the file stays reasonable; every province has all other tables.
NATIONAL_DETAIL = ("630000", "640000", "460000")
NATIONAL_MEMORY_LIMIT = "8GB"  # DuckDB's limit for the national publish (spills beyond it)


def build_demo(
    path: str | os.PathLike[str],
    *,
    seed: int = 7,
    province: str = regions.DEFAULT_PROVINCE,
    progress: Callable[[str], None] | None = None,
    gazetteer: regions.Gazetteer | None = None,
    detail: tuple[str, ...] | None = None,
) -> dict[str, Any]:
    """Generate the demo data of ``province`` and publish it as the database at ``path``.

    An existing database is replaced through the snapshot path (readers keep the old snapshot
    until the new one is in place); its user accounts and audit log are kept.

    Parameters
    ----------
    path
        The published database file (created if missing).
    seed
        Seed of the simulation.
    province
        Province whose gazetteer is used; ``all`` builds a national deployment (top region
        ``100000``, see :func:`metrics.regions.load_gazetteer`).
    progress
        Called with a short message before each step.
    gazetteer
        The gazetteer to use instead of the shipped one (tests: a small national fixture).
    detail
        Province codes whose villages get item-level detail; default: every village of a
        provincial deployment, :data:`NATIONAL_DETAIL` in a national one.

    Returns
    -------
    dict
        Rows per table and level, ``anomalies`` by kind (villages), ``rebound_counties``,
        ``seconds`` (generation and total) and ``bytes`` of the published file.

    """
    say = progress or (lambda _msg: None)
    start = perf_counter()
    say("读取行政区划和村庄名录 / reading the gazetteer")
    gaz = gazetteer if gazetteer is not None else regions.load_gazetteer(province)
    if detail is None and gaz.country:
        detail = NATIONAL_DETAIL
    data = generate(gaz.villages, seed=seed, progress=say, detail=detail)
    generated = perf_counter() - start
    now = datetime.now().replace(microsecond=0)
    meta = {
        "simulated": "true",
        "deployment": gaz.deployment,  # the index yardstick is the top region's villages
        **({} if gaz.country else {"province": gaz.top_region}),
        "top_region": gaz.top_region,
        "baseline_period": calibration.BASELINE_PERIOD,
        "generated_at": now.isoformat(),
        "seed": str(seed),
        "demo_rebound_counties": ",".join(data.rebound_counties),
    }

    def change(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
        say("写入数据库 / writing the database")
        con.execute("SET enable_progress_bar = false")  # progress goes through ``say``
        if gaz.country:  # a shared machine: keep the roll-up rebuild's memory bounded
            con.execute("SET memory_limit = ?", [NATIONAL_MEMORY_LIMIT])
        carry_over(con)
        for key, value in meta.items():
            schema.set_meta(con, key, value)
        counts = regions.write_regions(con, gazetteer=gaz)
        counts |= write(con, data, message=f"模拟数据 seed={seed} / simulated data", now=now)
        say("计算汇总 / computing roll-ups")
        counts["rollup"] = rollup.rebuild(con)
        return counts

    counts = store.publish(path, change, create=True, fresh=True)
    anomalies = data.anomaly.groupby("kind")["village_code"].nunique()
    return {
        **counts,
        "anomalies": {str(k): int(v) for k, v in anomalies.items()},
        "rebound_counties": data.rebound_counties,
        "seconds": {"generate": round(generated, 1), "total": round(perf_counter() - start, 1)},
        "bytes": os.path.getsize(path),
    }
