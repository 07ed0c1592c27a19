"""An import rebuilds only the quarters it can change, and ends where a full rebuild would.

Every check compares the whole derived tables (sorted by key, floats within ``TOL``) of the
database after imports and rollbacks through the real path with a copy rebuilt in full, and
asserts which quarters the import rebuilt (``rollup._rebuilt``) and for how many villages, so
that a silent fall-back to the full rebuild cannot pass for an incremental one.
"""

from __future__ import annotations

import shutil
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from metrics import registry, rollup, schema, store
from metrics.importing import batches, import_bytes

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tiny_db

TOL = 1e-9
NOW = datetime(2026, 11, 25, 9, 0)  # 2026Q4: 2026Q1–Q3 may be imported, 2026Q4 is future
# The key of each derived table (rows are compared in this order).
KEYS = {
    "region_tree": ["code"],
    "village_target": ["village_code", "period", "target"],
    "village_value": ["village_code", "period", "indicator"],
    "rollup": ["period", "level", "code", "indicator", "communities"],
    "rollup_target": ["period", "level", "code", "communities", "target"],
}


def derived(path: Path) -> dict[str, pd.DataFrame]:
    """Every derived table of ``path``, sorted by its key."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            table: con.execute(f"SELECT * FROM {table} ORDER BY {', '.join(key)}")
            .df()
            .reset_index(drop=True)
            for table, key in KEYS.items()
        }
    finally:
        con.close()


def assert_same_as_full_rebuild(path: Path, tmp_path: Path) -> None:
    """The derived tables of ``path`` equal those of a copy rebuilt from scratch."""
    full = tmp_path / "full.duckdb"
    shutil.copyfile(path, full)
    store.publish(full, rollup.rebuild)
    got, want = derived(path), derived(full)
    for table in KEYS:
        assert len(want[table]) > 0, table
        pd.testing.assert_frame_equal(got[table], want[table], rtol=TOL, atol=TOL, obj=table)
    full.unlink()


@pytest.fixture
def plans(monkeypatch: pytest.MonkeyPatch) -> list[list[str] | None]:
    """The quarters each rebuild chose (``None``: a full rebuild), in order."""
    seen: list[list[str] | None] = []
    plan = rollup._rebuilt

    def recorded(*args: object) -> list[str] | None:
        seen.append(plan(*args))
        return seen[-1]

    monkeypatch.setattr(rollup, "_rebuilt", recorded)
    return seen


@pytest.fixture
def restricted(monkeypatch: pytest.MonkeyPatch) -> list[int | None]:
    """How many villages each rebuild recomputed the village rows of (``None``: all), in order."""
    seen: list[int | None] = []
    rebuild_quarters = rollup._rebuild_quarters

    def recorded(*args: object) -> None:
        positions = args[-1]  # of the villages recomputed, None: all
        seen.append(None if positions is None else len(positions))
        rebuild_quarters(*args)

    monkeypatch.setattr(rollup, "_rebuild_quarters", recorded)
    return seen


def observations_csv(codes: list[str], period: str, seed: int) -> bytes:
    """An observations CSV: ``period`` for ``codes`` with random plausible values."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"村代码": codes, "统计期": period})
    for indicator in registry.INDICATORS:
        frame[indicator.header_zh] = rng.integers(0, min(40, indicator.max_plausible), len(codes))
    return frame.to_csv(index=False).encode("utf-8")


def imported(path: Path, data: bytes, name: str, **options: object) -> int:
    result = import_bytes(path, data, name, user="test", now=NOW, **options)
    assert result.status == "published", [p.message() for p in result.problems]
    return result.batch_id


def test_demo_imports_and_rollbacks_match_a_full_rebuild(demo_db, tmp_path, plans, restricted):
    path = tmp_path / "burden.duckdb"
    shutil.copyfile(demo_db, path)
    con = duckdb.connect(str(path), read_only=True)
    villages = [
        r[0] for r in con.execute("SELECT code FROM region WHERE level = 'village'").fetchall()
    ]
    first, last = con.execute("SELECT min(period), max(period) FROM observation").fetchall()[0]
    con.close()
    assert (first, last) == ("2022Q1", "2025Q4")  # the demo's span, which the plans below assume
    county = [c for c in villages if c.startswith("632621")]

    # A new quarter after a gap (2026Q1 has no data): both quarters are new rows.
    new = imported(path, observations_csv(county, "2026Q2", 1), "2026Q2.csv")
    assert plans[-1] == ["2026Q1", "2026Q2"]
    assert restricted[-1] is None, "new quarters get rows for every village"
    assert_same_as_full_rebuild(path, tmp_path)

    # Corrections of a past quarter after the baseline: it and every later quarter (rebounds
    # are judged against the low since the baseline); then items of one quarter.
    fixed = imported(path, observations_csv(villages[::7], "2024Q3", 2), "fix.csv", replace=True)
    assert plans[-1] == [
        "2024Q3",
        "2024Q4",
        *(f"2025Q{q}" for q in range(1, 5)),
        "2026Q1",
        "2026Q2",
    ]
    assert restricted[-1] == len(villages[::7]), "only the corrected villages' rows"
    items = pd.DataFrame(
        {
            "村代码": county[:20],
            "统计期": "2026Q1",  # the gap quarter: no items published there yet
            "事项类别": "协助事项",
            "事项名称": "新增台账核查",
            "部门": "县测试局",
            "是否在清单内": "否",
        }
    )
    imported(path, items.to_csv(index=False).encode(), "items.csv", kind="items")
    assert plans[-1] == ["2026Q1", "2026Q2"]
    assert restricted[-1] == 20
    assert_same_as_full_rebuild(path, tmp_path)

    # Rolling back the last quarter drops it and the gap; rolling back the corrections
    # restores the replaced values.
    batches.rollback(path, new, user="test", now=NOW)
    assert plans[-1] == []
    batches.rollback(path, fixed, user="test", now=NOW)
    assert plans[-1] == ["2024Q3", "2024Q4", *(f"2025Q{q}" for q in range(1, 5))]
    assert restricted[-1] == len(villages[::7])
    reader = store.Reader(path)
    assert reader.scalar("SELECT max(period) FROM village_value") == "2025Q4"
    reader.close()
    assert_same_as_full_rebuild(path, tmp_path)
    assert None not in plans, "every import and rollback was incremental"


def test_quarters_before_the_baseline_reach_four_quarters_on(tmp_path, plans, restricted):
    path = tiny_db.build(tmp_path / "burden.duckdb")
    spread = [f"2024Q{q}" for q in range(1, 5)] + [f"2025Q{q}" for q in range(1, 4)]
    for n, period in enumerate(spread):
        values = {c: tuple(v + n % 3 for v in vs) for c, vs in tiny_db.BASE.items()}
        imported(path, tiny_db.csv_rows(period, values), f"{period}.csv")
    store.publish(
        path, lambda con: (schema.set_meta(con, "baseline_period", "2024Q3"), rollup.rebuild(con))
    )
    plans.clear()
    restricted.clear()

    before = {c: (1, 2, 3, 4, 5, 6, 0) for c in tiny_db.CODES[:4]}
    imported(path, tiny_db.csv_rows("2024Q1", before), "early.csv", replace=True)
    assert plans == [["2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1"]]
    assert restricted == [4]
    assert_same_as_full_rebuild(path, tmp_path)

    everyone = {c: (2, 2, 3, 4, 5, 6, 1) for c in tiny_db.CODES}
    imported(path, tiny_db.csv_rows("2024Q2", everyone), "all.csv", replace=True)
    assert restricted[-1] is None, "every village changed: the whole-table rebuild"
    assert_same_as_full_rebuild(path, tmp_path)

    imported(path, tiny_db.csv_rows("2024Q3", before), "baseline.csv", replace=True)
    assert plans[-1] is None, "a change of the baseline quarter rebuilds everything"
    assert_same_as_full_rebuild(path, tmp_path)


def test_visits_rebuild_nothing_and_new_weights_everything(tmp_path, plans, monkeypatch):
    path = tiny_db.published(tmp_path / "burden.duckdb")
    plans.clear()
    code = tiny_db.CODES[1]
    visit = f"村代码,统计期,核查方式,核查日期,挂牌数\n{code},2025Q3,抽查,2025-11-02,9\n"
    imported(path, visit.encode(), "visit.csv", kind="visits")
    assert plans == [[]]

    monkeypatch.setenv("BURDENMAP_WEIGHTS", "tasks=3")
    imported(path, tiny_db.csv_rows("2025Q2", tiny_db.BASE), "q2.csv")
    assert plans[-1] is None, "changed weights rebuild everything"
    assert_same_as_full_rebuild(path, tmp_path)


def test_items_counted_where_they_changed_and_read_back_elsewhere(tmp_path, plans):
    path = tiny_db.published(tmp_path / "burden.duckdb")
    for n, period in enumerate(["2025Q1", "2025Q2"]):
        values = {c: tuple(v + n for v in vs) for c, vs in tiny_db.BASE.items()}
        imported(path, tiny_db.csv_rows(period, values), f"{period}.csv")
    items = pd.DataFrame(
        {
            "村代码": tiny_db.CODES[:5],
            "统计期": "2025Q2",
            "事项类别": "协助事项",
            "事项名称": ["新增台账核查", "新增台账核查", "防汛值守", "防汛值守", "新增台账核查"],
            "部门": "县测试局",
            "是否在清单内": ["否", "否", "是", "是", "否"],
        }
    )
    batch = imported(path, items.to_csv(index=False).encode(), "items.csv", kind="items")
    assert_same_as_full_rebuild(path, tmp_path)

    # Values of every quarter again, the first reaching back: a full rebuild whose item targets
    # are read back from the published snapshot (no item changed).
    plans.clear()
    for period in ["2024Q4", "2025Q1", "2025Q2", "2025Q3"]:
        imported(path, tiny_db.csv_rows(period, tiny_db.BASE), f"{period}.csv", replace=True)
    assert plans[0] is None, "a new first quarter rebuilds everything"
    assert_same_as_full_rebuild(path, tmp_path)
    statuses = derived(path)["village_target"].query("target == 'tasks_offlist'")
    assert (statuses.groupby("period")["status"].agg(set)["2025Q2"]) == {"met", "broken", "unknown"}

    # Rolling the items back changes them: counted again, not read back.
    batches.rollback(path, batch, user="test", now=NOW)
    assert_same_as_full_rebuild(path, tmp_path)
    statuses = derived(path)["village_target"].query("target == 'tasks_offlist'")
    assert set(statuses["status"]) == {"unknown"}
