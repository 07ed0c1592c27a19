"""A tiny hand-built database whose metric values are worked out by hand in the tests.

Tree (area types in brackets)::

    630000 省
    ├── 632500 州A: 632521 县A1 [农区] ─ T1: V1, V2, C1 (社区)
    │              632522 县A2 [牧区] ─ T2: V3            (single-village township)
    └── 632600 州B: 632621 县B1 [牧区] ─ T3: V4
                   632622 县B2 [农区] ─ T4: V5            (no report in 2024Q4)
                   632623 县B3 [牧区] ─ T5: V6

Values (tasks, plaques, forms, assessments); 2024Q1 is the baseline::

            24Q1           24Q2        24Q3        24Q4           25Q1        25Q2
    V1  10, 4, 0, 0    6, 2, 0, 1  8, 2, 0, 0  10, 2, 0, 1    10, 2, 0, 0  12, 2, 0, 0
    V2  20, 6, 0, 0        —           —       tasks 20 only      —           —
    C1  100, 20, 0, 0      —           —       100, 20, 0, 0      —           —
    V3  20, 8, 0, 0        —           —       20, 8, 0, 0        —           —
    V4  20, 8, 0, 0        —           —       20, 8, 0, 0 + certificates 9
    V5  30, 10, 0, 0       —           —           —              —           —
    V6  40, 12, 6, 0       —           —       40, 12, 6, 0       —           —

Yardstick over the six 村 at 2024Q1: tasks median 20, plaques median 8, forms median 0 → mean 1,
assessments median and mean 0 → excluded; certificates, platforms, mechanisms have no baseline
data → excluded. So index = 100 × (tasks/20 + plaques/8 + forms/1) / 3 with equal weights.

Items: department 1 (县农业农村局) imposes I1 (tasks, on list) and I2 (tasks, off list);
department 2 (县统计局) I3 (forms, on list). 2024Q3: V1–I1. 2024Q4: V1–I1, V1–I2, V1–I3, V2–I1.
"""

from __future__ import annotations

import duckdb

from metrics import rollup, schema, sql

P, A, B = "630000", "632500", "632600"
A1, A2, B1, B2, B3 = "632521", "632522", "632621", "632622", "632623"
T1, T2, T3, T4, T5 = (f"{c}001000" for c in (A1, A2, B1, B2, B3))
V1, V2, C1 = f"{A1}001001", f"{A1}001002", f"{A1}001003"
V3, V4, V5, V6 = (f"{c}001001" for c in (A2, B1, B2, B3))

REGIONS = [
    (P, "province", "青海省", None, None, None),
    (A, "prefecture", "州A", P, None, None),
    (B, "prefecture", "州B", P, None, None),
    (A1, "county", "县A1", A, None, "农区"),
    (A2, "county", "县A2", A, None, "牧区"),
    (B1, "county", "县B1", B, None, "牧区"),
    (B2, "county", "县B2", B, None, "农区"),
    (B3, "county", "县B3", B, None, "牧区"),
    (T1, "township", "乡T1", A1, None, None),
    (T2, "township", "乡T2", A2, None, None),
    (T3, "township", "乡T3", B1, None, None),
    (T4, "township", "乡T4", B2, None, None),
    (T5, "township", "乡T5", B3, None, None),
    (V1, "village", "村V1", T1, "村", None),
    (V2, "village", "村V2", T1, "村", None),
    (C1, "village", "社区C1", T1, "社区", None),
    (V3, "village", "村V3", T2, "村", None),
    (V4, "village", "村V4", T3, "村", None),
    (V5, "village", "村V5", T4, "村", None),
    (V6, "village", "村V6", T5, "村", None),
]

TPFA = ("tasks", "plaques", "forms", "assessments")
VALUES = {  # (village, period): {indicator: value}
    (V1, "2024Q1"): dict(zip(TPFA, (10, 4, 0, 0), strict=True)),
    (V1, "2024Q2"): dict(zip(TPFA, (6, 2, 0, 1), strict=True)),
    (V1, "2024Q3"): dict(zip(TPFA, (8, 2, 0, 0), strict=True)),
    (V1, "2024Q4"): dict(zip(TPFA, (10, 2, 0, 1), strict=True)),
    (V1, "2025Q1"): dict(zip(TPFA, (10, 2, 0, 0), strict=True)),
    (V1, "2025Q2"): dict(zip(TPFA, (12, 2, 0, 0), strict=True)),
    (V2, "2024Q1"): dict(zip(TPFA, (20, 6, 0, 0), strict=True)),
    (V2, "2024Q4"): {"tasks": 20},
    (C1, "2024Q1"): dict(zip(TPFA, (100, 20, 0, 0), strict=True)),
    (C1, "2024Q4"): dict(zip(TPFA, (100, 20, 0, 0), strict=True)),
    (V3, "2024Q1"): dict(zip(TPFA, (20, 8, 0, 0), strict=True)),
    (V3, "2024Q4"): dict(zip(TPFA, (20, 8, 0, 0), strict=True)),
    (V4, "2024Q1"): dict(zip(TPFA, (20, 8, 0, 0), strict=True)),
    (V4, "2024Q4"): {**dict(zip(TPFA, (20, 8, 0, 0), strict=True)), "certificates": 9},
    (V5, "2024Q1"): dict(zip(TPFA, (30, 10, 0, 0), strict=True)),
    (V6, "2024Q1"): dict(zip(TPFA, (40, 12, 6, 0), strict=True)),
    (V6, "2024Q4"): dict(zip(TPFA, (40, 12, 6, 0), strict=True)),
}
ITEMS = [(1, "tasks", "防汛值守", 1, True), (2, "tasks", "创卫迎检", 1, False)]
ITEMS += [(3, "forms", "农情统计表", 2, True)]
ASSIGNMENTS = [(V1, "2024Q3", 1), (V1, "2024Q4", 1), (V1, "2024Q4", 2), (V1, "2024Q4", 3)]
ASSIGNMENTS += [(V2, "2024Q4", 1)]


def build(
    con: duckdb.DuckDBPyConnection,
    weights: dict[str, float] | None = None,
    certificates_max: float = 8,
) -> sql.Connection:
    """Fill an empty connection with the fixture, rebuild roll-ups, return a Queryable."""
    schema.migrate(con)
    schema.set_meta(con, "top_region", P)
    con.execute(
        "INSERT INTO import_batch (batch_id, kind, created_at, status) "
        "VALUES (1, 'demo', now(), 'published')"
    )
    con.executemany(
        "INSERT INTO region (code, level, name, parent_code, kind, area_type) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        REGIONS,
    )
    con.executemany(
        "INSERT INTO observation VALUES (?, ?, ?, ?, 1)",
        [[v, p, k, x] for (v, p), row in VALUES.items() for k, x in row.items()],
    )
    con.executemany(
        "INSERT INTO department VALUES (?, ?, 'county')", [[1, "县农业农村局"], [2, "县统计局"]]
    )
    con.executemany("INSERT INTO item VALUES (?, ?, ?, ?, NULL, ?)", ITEMS)
    con.executemany("INSERT INTO village_item VALUES (?, ?, ?, 1)", ASSIGNMENTS)
    rollup.rebuild(con, weights or {}, certificates_max)
    return sql.Connection(con)
