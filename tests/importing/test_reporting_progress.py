"""填报进度: on time, late, missing and pending villages of a quarter, with summaries."""

from __future__ import annotations

from datetime import date

from tiny_db import BASE, CODES, HEADER, NAMES, NOW

from metrics import reporting, store
from metrics.importing import import_bytes
from metrics.scope import Scope


def report(db, rows: dict[str, str]) -> None:
    """Import 2025Q4 for ``rows`` (village → reported_at)."""
    lines = [HEADER + ",报送时间"] + [
        f"{c},{NAMES[c]},2025Q4," + ",".join(map(str, BASE[c])) + f",{at}" for c, at in rows.items()
    ]
    result = import_bytes(db, ("\n".join(lines) + "\n").encode(), "q4.csv", now=NOW)
    assert result.status == "published", [p.message() for p in result.problems]


def test_statuses_against_the_deadline(db):
    report(db, {CODES[0]: "2026-01-15 17:59", CODES[1]: "2026-01-16 08:00"})
    reader = store.Reader(db)
    assert reporting.deadline("2025Q4") == date(2026, 1, 15)
    assert reporting.default_period(reader) == "2025Q4"

    before = reporting.progress(reader, "2025Q4", Scope.everything(), date(2026, 1, 10))
    statuses = dict(zip(before.villages["code"], before.villages["status"], strict=True))
    assert statuses[CODES[0]] == "on_time" and statuses[CODES[1]] == "late"
    assert before.totals() == {
        "on_time": 1,
        "late": 1,
        "missing": 0,
        "pending": 6,
        "villages": 8,
    }
    after = reporting.progress(reader, "2025Q4", Scope.everything(), date(2026, 2, 1))
    assert after.totals()["missing"] == 6 and after.totals()["pending"] == 0

    counties = after.summary("county").set_index("county_code")
    assert counties.loc["630102", ["villages", "on_time", "late", "missing"]].tolist() == [
        5,
        1,
        1,
        3,
    ]
    assert counties.loc["632621", "reported_share"] == 0
    townships = after.summary("township")
    assert townships["villages"].sum() == 8 and len(townships) == 3

    chase = after.chase_list()
    assert chase["status"].tolist()[:3] == ["missing", "late", "missing"]  # by township
    assert set(chase["code"]) == set(CODES[1:])


def test_scope_leaves_other_counties_out(db):
    reader = store.Reader(db)
    mine = reporting.progress(reader, "2025Q3", Scope.of("632621"), date(2026, 1, 20))
    assert set(mine.villages["county_code"]) == {"632621"} and mine.totals()["villages"] == 3
    assert mine.totals()["on_time"] == 0 and mine.totals()["late"] == 3  # imported 2026-01-20


def test_choosable_periods_include_the_quarter_due_now(db):
    reader = store.Reader(db)
    assert reporting.choosable_periods(reader, date(2026, 5, 1)) == ["2026Q1", "2025Q3"]
    assert reporting.choosable_periods(reader, date(2025, 11, 1)) == ["2025Q3"]
