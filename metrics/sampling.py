"""Inspection samples (督查抽样): risk-weighted, stratified, reproducible, stored as drafts.

A :class:`Design` asks for ``n`` villages to check for one quarter, within a region:

1. **Eligible**: the villages below ``within`` in scope (communities only when asked), minus
   those visited for one of the last ``exclude_visited`` quarters up to the sampled one.
2. **Strata**: counties. ``n`` is split between them in proportion to their eligible villages
   (``proportional``) or equally, capped by what a county has (``equal``); fractions are
   rounded by systematic sampling, so every county's expected share is exact and even a small
   county can be drawn.
3. **Control**: ``random_share`` of the sample (split between counties the same way) is a plain
   random sample of each county's eligible villages, so that no village can count on not being
   picked and the control measures the base rate.
4. **Risk**: the rest is a weighted draw without replacement (Efraimidis–Spirakis keys), the
   weight being the village's ``risk`` — the product of its flags' odds, 1 without flags
   (:mod:`metrics.flags`) — spread across townships: a township gets a second pick only when
   every township of its county with eligible villages has one.

One ``numpy`` generator seeded with ``seed`` drives every random step over the villages sorted
by code: the same database, design and seed give the same sample; another seed another one.

Samples are confidential: only a scope with the ``flags`` right (province, inspectors, the CLI)
may draw and read them, and only one with ``samples`` (inspectors, the CLI) stores and releases
them. A stored sample (tables ``sample`` and ``sample_village``) is a ``draft`` until released;
both keep their seed and parameters.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, replace
from datetime import datetime

import duckdb
import numpy as np
import pandas as pd

from metrics import flags, hierarchy, periods, registry, selection, settings, sql, store
from metrics.errors import InvalidInputError
from metrics.scope import Scope, require

ALLOCATIONS = ("proportional", "equal")
VALUE_COLUMNS = (registry.INDEX_CODE, *registry.CODES)
PICK_COLUMNS = (
    "village_code",
    "name",
    "kind",
    "township_code",
    "township",
    "county_code",
    "county",
    "draw",
    "weight",
    "flags",
    "reasons",
    *VALUE_COLUMNS,
)


@dataclass(frozen=True)
class Design:
    """What to draw. ``None`` fields take the configured defaults (see :meth:`resolve`)."""

    n: int = 60
    seed: int = 7
    period: str | None = None
    within: str | None = None
    random_share: float | None = None
    exclude_visited: int | None = None
    allocation: str = "proportional"
    include_communities: bool = False

    def resolve(self, db: sql.Queryable) -> Design:
        """Every field filled in and checked (period: the latest with data).

        Raises
        ------
        InvalidInputError
            For a size below 1, a share outside [0, 1], a negative number of quarters or an
            unknown allocation.

        """
        design = replace(
            self,
            period=periods.require(db, self.period),
            random_share=float(settings.get("sample_random_share", self.random_share)),
            exclude_visited=int(settings.get("sample_exclude_visited", self.exclude_visited)),
        )
        problems = [
            (design.n < 1, f"样本量须至少为 1：{design.n}", f"Sample size must be ≥ 1: {design.n}"),
            (
                not 0 <= design.random_share <= 1,
                f"随机对照比例须在 0 与 1 之间：{design.random_share}",
                f"Random share must be between 0 and 1: {design.random_share}",
            ),
            (
                design.exclude_visited < 0,
                f"排除季度数不能为负：{design.exclude_visited}",
                f"Quarters to exclude must be ≥ 0: {design.exclude_visited}",
            ),
            (
                design.allocation not in ALLOCATIONS,
                f"未知分配方式 {design.allocation!r}；可选：{', '.join(ALLOCATIONS)}",
                f"Invalid allocation {design.allocation!r}; must be one of "
                f"{', '.join(ALLOCATIONS)}",
            ),
        ]
        for failed, zh, en in problems:
            if failed:
                raise InvalidInputError(zh, en)
        return design

    def params(self) -> str:
        """The design as JSON (stored with a sample).

        Examples
        --------
        >>> Design(n=5, period="2025Q4").params()[:30]
        '{"allocation": "proportional",'

        """
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class Sample:
    """A drawn (or stored) sample: its design, the picks, and how the strata were filled.

    ``picks`` has :data:`PICK_COLUMNS` (``draw`` ``risk`` or ``random``, ``weight`` the draw
    weight, ``flags`` a tuple of flag codes, ``reasons`` in Chinese, the quarter's reported
    values); ``strata`` has ``county_code, county, eligible, allocated, random``. The record
    fields are set for stored samples only.
    """

    design: Design
    picks: pd.DataFrame
    strata: pd.DataFrame
    eligible: int
    excluded: int
    sample_id: int | None = None
    status: str | None = None
    created_at: datetime | None = None
    created_by: str | None = None


# The quarter's reported values and index of the selected villages (the roll-up's results).
_VALUES = """
SELECT village_code, indicator, value FROM village_value
WHERE period = $period AND village_code IN (SELECT code FROM sel_villages)
"""
_VISITED = """
SELECT DISTINCT village_code FROM visit WHERE period BETWEEN $first AND $period
"""


def _values(
    db: sql.Queryable, period: str, scope: Scope, region: str | None, communities: bool
) -> pd.DataFrame:
    """Wide: ``village_code`` and :data:`VALUE_COLUMNS` (empty where not reported)."""
    long = sql.run(
        db,
        [hierarchy.BELOW, selection.SEEN, selection.VILLAGES_UNDER],
        _VALUES,
        {**selection.params(scope, region, communities), "period": period},
    )
    wide = long.pivot_table(index="village_code", columns="indicator", values="value")
    return wide.reindex(columns=list(VALUE_COLUMNS)).rename_axis(None, axis=1).reset_index()


def candidates(db: sql.Queryable, design: Design, scope: Scope) -> pd.DataFrame:
    """Every village ``design`` could draw, with flags, risk, visit status and values.

    Columns: those of :func:`metrics.flags.summary`, ``visited`` (checked for one of the last
    ``exclude_visited`` quarters: not eligible) and :data:`VALUE_COLUMNS`.
    """
    scope.need("flags")
    design = design.resolve(db)
    if design.within is not None:
        require(db, scope, design.within)
    frame = flags.summary(
        db, design.period, scope, design.within, include_communities=design.include_communities
    )
    visited = db.query(
        _VISITED,
        {
            "first": periods.shift(design.period, 1 - design.exclude_visited),
            "period": design.period,
        },
    )["village_code"]
    frame["visited"] = frame["village_code"].isin(visited)  # none when exclude_visited is 0
    values = _values(db, design.period, scope, design.within, design.include_communities)
    return frame.merge(values, on="village_code", how="left")


def _quota(sizes: pd.Series, n: int, allocation: str) -> pd.Series:
    """Share of ``n`` per stratum (floats summing to ``n``, each at most the stratum's size)."""
    if allocation == "proportional":
        return n * sizes / sizes.sum()
    quota = pd.Series(0.0, index=sizes.index)
    left, open_ = float(n), sizes.index
    while left > 1e-9 and len(open_):  # equal shares; a full stratum's excess goes round again
        share = left / len(open_)
        full = sizes[open_] <= quota[open_] + share
        if not full.any():
            quota[open_] += share
            break
        left -= float((sizes[open_][full] - quota[open_][full]).sum())
        quota[open_[full]] = sizes[open_[full]]
        open_ = open_[~full.to_numpy()]
    return quota


def allocate(sizes: pd.Series, n: int, allocation: str, rng: np.random.Generator) -> pd.Series:
    """Whole numbers per stratum summing to ``n`` (≤ each size), rounded without bias.

    The fractional parts go to strata by systematic sampling: a stratum's expected count is
    exactly its quota.

    Examples
    --------
    >>> sizes = pd.Series([10, 10, 20], index=["a", "b", "c"])
    >>> allocate(sizes, 8, "proportional", np.random.default_rng(1)).tolist()
    [2, 2, 4]

    """
    quota = _quota(sizes.astype(float), min(n, int(sizes.sum())), allocation)
    base = np.floor(quota + 1e-9)
    frac = (quota - base).clip(lower=0).to_numpy()
    extra = round(quota.sum() - base.sum())
    chosen = np.searchsorted(np.cumsum(frac), rng.random() + np.arange(extra), side="right")
    out = base.to_numpy()
    np.add.at(out, np.minimum(chosen, len(out) - 1), 1)
    return pd.Series(out.astype(int), index=sizes.index)


def _pick(pool: pd.DataFrame, key: np.ndarray, counts: pd.Series, spread: bool) -> pd.Index:
    """Per county, the ``counts[county]`` villages of ``pool`` with the smallest ``key``.

    With ``spread`` townships take turns: a village's turn is its place in its township by key
    plus the picks its township already has (``pool["taken"]``).
    """
    ranked = pool[["county_code", "township_code", "taken"]].assign(_key=key, _turn=0.0)
    if spread:
        place = ranked.groupby("township_code")["_key"].rank(method="first")
        ranked["_turn"] = place + ranked["taken"]
    ranked = ranked.sort_values(["county_code", "_turn", "_key"])
    wanted = ranked["county_code"].map(counts).fillna(0)
    return ranked.index[ranked.groupby("county_code").cumcount() < wanted]


def draw(candidates: pd.DataFrame, design: Design) -> Sample:
    """Draw the sample of a resolved ``design`` from ``candidates`` (see the module rules).

    Pure: the same frame, design and seed give the same sample.
    """
    pool = candidates[~candidates["visited"]].sort_values("village_code").reset_index(drop=True)
    pool["weight"] = pool["risk"]
    rng = np.random.default_rng(design.seed)
    sizes = pool.groupby("county_code").size()
    n = min(design.n, len(pool))
    allocated = allocate(sizes, n, design.allocation, rng)
    controls = allocate(allocated, round(n * design.random_share), "proportional", rng)
    uniform, exponential = rng.random(len(pool)), rng.exponential(size=len(pool))

    pool["draw"] = ""
    pool["taken"] = 0.0
    pool.loc[_pick(pool, uniform, controls, spread=False), "draw"] = "random"
    taken = pool[pool["draw"] == "random"].groupby("township_code").size()
    rest = pool[pool["draw"] == ""]
    rest = rest.assign(taken=rest["township_code"].map(taken).fillna(0.0))
    keys = exponential[rest.index] / rest["weight"].to_numpy()  # Efraimidis–Spirakis
    pool.loc[_pick(rest, keys, allocated - controls, spread=True), "draw"] = "risk"

    picks = pool[pool["draw"] != ""].assign(reasons=lambda f: f["reasons_zh"])
    picks = picks.sort_values(["county_code", "township_code", "village_code"])
    counties = pool.drop_duplicates("county_code").set_index("county_code")["county"]
    strata = pd.DataFrame(
        {"county": counties, "eligible": sizes, "allocated": allocated, "random": controls}
    )
    return Sample(
        design=design,
        picks=picks[list(PICK_COLUMNS)].reset_index(drop=True),
        strata=strata.rename_axis("county_code").reset_index(),
        eligible=len(pool),
        excluded=int(candidates["visited"].sum()),
    )


def sample(db: sql.Queryable, design: Design, scope: Scope) -> Sample:
    """Draw a sample for ``design`` from the database (see the module rules)."""
    design = design.resolve(db)
    return draw(candidates(db, design, scope), design)


# --------------------------------------------------------------------------------------------
# Stored samples


def _has_tables(db: sql.Queryable) -> bool:
    """Whether the snapshot has the ``sample`` table (schema 2 onwards)."""
    found = db.query(
        "SELECT count(*) AS n FROM information_schema.tables "
        "WHERE table_name = 'sample' AND table_catalog = current_database()"
    )
    return bool(found["n"].iloc[0])


_STORED = """
SELECT s.sample_id, s.status, s.period, s.seed, s.within, r.name AS within_name, s.created_at,
       s.created_by, s.released_at, s.released_by, s.eligible, s.excluded, s.params,
       (SELECT count(*) FROM sample_village v WHERE v.sample_id = s.sample_id) AS villages
FROM sample s LEFT JOIN seen r ON r.code = s.within
WHERE (s.within IS NULL AND $scope::VARCHAR[] IS NULL) OR r.visible
ORDER BY s.sample_id DESC
"""


_STORED_COLUMNS = (
    "sample_id status period seed within within_name created_at created_by released_at "
    "released_by eligible excluded params villages"
).split()


def stored(db: sql.Queryable, scope: Scope) -> pd.DataFrame:
    """The stored samples the caller may see, newest first.

    Columns: ``sample_id, status, period, seed, within, within_name, created_at, created_by,
    released_at, released_by, eligible, excluded, params, villages``.
    """
    scope.need("flags")
    if not _has_tables(db):
        return pd.DataFrame(columns=_STORED_COLUMNS)
    return sql.run(
        db,
        [hierarchy.BELOW, selection.SEEN],
        _STORED,
        selection.params(scope, include_communities=True),
    )


def load(db: sql.Queryable, sample_id: int, scope: Scope) -> Sample:
    """A stored sample, with today's names and the sampled quarter's reported values.

    Raises
    ------
    InvalidInputError
        If there is no such sample the caller may see.

    """
    found = stored(db, scope)
    found = found[found["sample_id"] == sample_id]
    if found.empty:
        raise InvalidInputError(f"没有编号为 {sample_id} 的抽样", f"No sample {sample_id}")
    record = found.iloc[0]
    design = Design(**json.loads(record["params"]))
    rows = db.query(
        "SELECT village_code, stratum, draw, weight, flags, reasons FROM sample_village "
        "WHERE sample_id = $id ORDER BY village_code",
        {"id": sample_id},
    )
    names = sql.run(
        db,
        [flags.VILLAGES],
        "SELECT * FROM vill WHERE list_contains($codes, code)",
        {"codes": rows["village_code"].tolist()},
    ).rename(columns={"code": "village_code"})
    values = _values(db, design.period, scope, design.within, design.include_communities)
    picks = rows.merge(names, on="village_code").merge(values, on="village_code", how="left")
    picks["flags"] = picks["flags"].map(lambda f: tuple(filter(None, f.split(","))))
    picks = picks.sort_values(["county_code", "township_code", "village_code"])
    strata = picks.groupby(["county_code", "county"]).agg(
        allocated=("village_code", "size"), random=("draw", lambda d: int((d == "random").sum()))
    )
    return Sample(
        design=design,
        picks=picks[list(PICK_COLUMNS)].reset_index(drop=True),
        strata=strata.reset_index(),
        eligible=int(record["eligible"]),
        excluded=int(record["excluded"]),
        sample_id=int(sample_id),
        status=str(record["status"]),
        created_at=record["created_at"],
        created_by=record["created_by"],
    )


def _audit(con: duckdb.DuckDBPyConnection, user: str | None, action: str, detail: str) -> None:
    con.execute(
        "INSERT INTO audit_log (occurred_at, user_name, action, detail) VALUES (now(), ?, ?, ?)",
        [user, action, detail],
    )


def save(
    path: str | os.PathLike[str],
    sample: Sample,
    scope: Scope,
    user: str | None = None,
) -> int:
    """Store ``sample`` as a draft (a new snapshot) and return its number."""
    scope.need("samples")

    def change(con: duckdb.DuckDBPyConnection) -> int:
        if sample.design.within is not None:
            require(sql.Connection(con), scope, sample.design.within)
        sample_id = con.execute("SELECT COALESCE(max(sample_id), 0) + 1 FROM sample").fetchone()[0]
        d = sample.design
        con.execute(
            "INSERT INTO sample (sample_id, created_at, created_by, status, period, seed, within, "
            "params, eligible, excluded) VALUES (?, now(), ?, 'draft', ?, ?, ?, ?, ?, ?)",
            [
                sample_id,
                user,
                d.period,
                d.seed,
                d.within,
                d.params(),
                sample.eligible,
                sample.excluded,
            ],
        )
        p = sample.picks
        con.executemany(
            "INSERT INTO sample_village VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                [sample_id, code, county, how, float(w), ",".join(f), reasons]
                for code, county, how, w, f, reasons in zip(
                    p["village_code"],
                    p["county_code"],
                    p["draw"],
                    p["weight"],
                    p["flags"],
                    p["reasons"],
                    strict=True,
                )
            ],
        )
        _audit(con, user, "sample_saved", f"sample {sample_id}: {len(p)} villages, {d.params()}")
        return int(sample_id)

    return store.publish(path, change)


def release(
    path: str | os.PathLike[str],
    sample_id: int,
    scope: Scope,
    user: str | None = None,
) -> None:
    """Release a draft sample (a new snapshot); released samples no longer change.

    Raises
    ------
    InvalidInputError
        If there is no such draft the caller may see.

    """
    scope.need("samples")

    def change(con: duckdb.DuckDBPyConnection) -> None:
        drafts = stored(sql.Connection(con), scope)
        drafts = drafts[(drafts["sample_id"] == sample_id) & (drafts["status"] == "draft")]
        if drafts.empty:
            raise InvalidInputError(
                f"没有编号为 {sample_id} 的草稿抽样", f"No draft sample {sample_id}"
            )
        con.execute(
            "UPDATE sample SET status = 'released', released_at = now(), released_by = ? "
            "WHERE sample_id = ?",
            [user, sample_id],
        )
        _audit(con, user, "sample_released", f"sample {sample_id}")

    store.publish(path, change)
