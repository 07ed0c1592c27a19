"""A hand-built database in which each flag fires exactly where planted (worked out by hand).

Tree::

    630000 省 ─ 632500 州A ─ 632521 县C1 ─ T1: A1 A2 A3 A4 · T2: B1 B2 B3
                          └ 632522 县C2 ─ T3: C (village), D (community)

Quarters Q1–Q5 = 2024Q1–2025Q1 (Q1 the baseline). Village i of A1…B3 (i = 1…7) reports
``(tasks, forms, platforms, mechanisms, plaques, certificates, assessments)`` =
``(20+i, 10+i, 5+i, 5+i, 5+i%2, 2+i%3, 0)`` every quarter, except:

- Q2: A1–A3 cut mechanisms by ~60% together (a campaign, no drop flag); A2 reports late (day
  20); A3 on the deadline day (not late); A4 and B3 report multiples of 10 (A4 also in Q3, Q4:
  heaping; B3 only two quarters: none);
- Q3: A2 and A3 copy A1's vector (identical ×3); B1's tasks fall 25 → 5 and are back in Q4
  (sudden drop);
- Q4: A2 copies A1 (only two: none); B2's tasks fall 26 → 10 for good (a reform: no drop);
  B3 sends nothing (missing);
- Q5: A1's tasks fall 21 → 5 (the latest quarter: a provisional drop).

C halves in Q2 then rises ~20% in Q3 and ~17% in Q4 (rebound in Q4). D, the only community,
is heavy throughout (heaviest among communities; breaks the plaque and certificate targets).
A visit checking A3 in Q2 finds tasks 30 where 23 were reported (a gap, flagged Q2–Q5); one
checking B1 in Q1 finds a miscount of one (no flag).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from metrics import registry, rollup, schema, sql

P, A, C1, C2 = "630000", "632500", "632521", "632522"
T1, T2, T3 = f"{C1}001000", f"{C1}002000", f"{C2}001000"
A1, A2, A3, A4 = (f"{C1}001{n:03d}" for n in range(1, 5))
B1, B2, B3 = (f"{C1}002{n:03d}" for n in range(1, 4))
C, D = f"{C2}001001", f"{C2}001002"
Q = ("2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1")
HEAPED = (20, 10, 10, 10, 0, 0, 0)
ORDINARY = (A1, A2, A3, A4, B1, B2, B3)

REGIONS = [
    (P, "province", "青海省", None, None, None),
    (A, "prefecture", "州A", P, None, None),
    (C1, "county", "县C1", A, None, "农区"),
    (C2, "county", "县C2", A, None, "牧区"),
    (T1, "township", "乡T1", C1, None, None),
    (T2, "township", "乡T2", C1, None, None),
    (T3, "township", "乡T3", C2, None, None),
    *[(v, "village", f"村{v[-4:]}", T1 if v < B1 else T2, "村", None) for v in ORDINARY],
    (C, "village", "村C", T3, "村", None),
    (D, "village", "社区D", T3, "社区", None),
]


def _ordinary(i: int) -> tuple[int, ...]:
    return (20 + i, 10 + i, 5 + i, 5 + i, 5 + i % 2, 2 + i % 3, 0)


def vectors() -> dict[tuple[str, str], tuple[int, ...]]:
    """(village, quarter) → the reported vector (absent: no report)."""
    out = {(v, q): _ordinary(i) for i, v in enumerate(ORDINARY, start=1) for q in Q}
    for v, mechanisms in ((A1, 2), (A2, 2), (A3, 3)):
        row = list(out[v, Q[1]])
        row[3] = mechanisms
        out[v, Q[1]] = tuple(row)
    for q in Q[1:4]:
        out[A4, q] = HEAPED
    out[B3, Q[1]] = out[B3, Q[2]] = HEAPED
    out[A2, Q[2]] = out[A3, Q[2]] = out[A1, Q[2]]
    out[B1, Q[2]] = (5, *out[B1, Q[2]][1:])
    out[A2, Q[3]] = out[A1, Q[3]]
    for q in Q[3:]:
        out[B2, q] = (10, *out[B2, q][1:])
    del out[B3, Q[3]]
    out[A1, Q[4]] = (5, *out[A1, Q[4]][1:])
    series = [(30, 20, 10, 10, 6, 4, 0), (15, 10, 5, 5, 3, 2, 0), (18, 12, 6, 6, 4, 2, 0)]
    series += [(21, 14, 7, 7, 4, 3, 0)] * 2
    out |= {(C, q): s for q, s in zip(Q, series, strict=True)}
    out |= {(D, q): (100, 50, 30, 30, 20, 20, 3) for q in Q}
    return out


def _reported_at(village: str, quarter: str) -> pd.Timestamp:
    end = pd.Period(quarter, freq="Q").end_time.normalize()
    days = {(A2, Q[1]): 20, (A3, Q[1]): 15}.get((village, quarter), 5)
    return end + pd.Timedelta(days=days, hours=10)


def build(con: duckdb.DuckDBPyConnection) -> sql.Connection:
    """Fill a connection with the fixture, rebuild roll-ups, return a Queryable."""
    schema.migrate(con)
    schema.set_meta(con, "top_region", P)
    schema.set_meta(con, "simulated", "true")
    con.execute(
        "INSERT INTO import_batch (batch_id, kind, created_at, status) "
        "VALUES (1, 'demo', now(), 'published')"
    )
    con.executemany(
        "INSERT INTO region (code, level, name, parent_code, kind, area_type) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        REGIONS,
    )
    found = vectors()
    con.executemany(
        "INSERT INTO observation VALUES (?, ?, ?, ?, 1)",
        [
            [v, q, code, x]
            for (v, q), row in found.items()
            for code, x in zip(registry.CODES, row, strict=True)
        ],
    )
    con.executemany(
        "INSERT INTO report VALUES (?, ?, ?, 1)",
        [[v, q, _reported_at(v, q).to_pydatetime()] for v, q in found],
    )
    visits = [
        (1, A3, Q[1], "督查", "不一致", {"tasks": 30}),
        (2, B1, Q[0], "抽查", "不一致", {"tasks": 26}),
    ]
    for visit_id, village, quarter, kind, result, verified in visits:
        con.execute(
            "INSERT INTO visit VALUES (?, ?, ?, ?, ?, DATE '2024-08-01', 1)",
            [visit_id, village, quarter, kind, result],
        )
        con.executemany(
            "INSERT INTO visit_value VALUES (?, ?, ?, ?)",
            [
                [visit_id, code, x, verified.get(code, x)]
                for code, x in zip(registry.CODES, found[village, quarter], strict=True)
            ],
        )
    rollup.rebuild(con, {}, 8)
    return sql.Connection(con)
