"""Rebuild the derived tables from the regions and observations (run inside every publish).

First ``region_tree`` (:data:`metrics.hierarchy.TREE`). Then the village results:
``village_target`` (every target's status, see :mod:`metrics.compliance`) and ``village_value``
(values, index and whether over target, see :mod:`metrics.values`, for every quarter). Then, from
them, for each region above the village (township … province, and country when present), period
with data and communities variant (false: 村 only; true: 村 and 社区): ``rollup`` per indicator
(and ``index``) — villages counted, reported count and share, mean, median, p90 and total of the
reporting villages' values (total is NULL for the index), ``over_target_share`` and the heaviest
and lightest child — and ``rollup_target`` per target — villages meeting, breaking and not judged
on it. Percentiles are always computed from village values, never averaged. ``village_value``
and ``rollup`` rows carry their progress (:mod:`metrics.progress`, of the value and of the mean).

The computing is done on arrays, read once per statement from DuckDB by position and written back
in each table's order (zone maps then serve its readers):

- a grid per range of villages: every indicator's values as a matrix of villages × every quarter
  from the first to the last with data (NaN: not reported), and the off-list item counts of the
  quarters rebuilt. Statuses, the index, the over-target flags and the progress (previous
  quarters, a year earlier, the low since the baseline) are array operations on it, for all
  indicators at once;
- the tree: each village's region at every level. A region's statistics come from its villages'
  values sorted by region, then value (one sort per level gives counts, sums, quantiles and the
  heaviest and lightest village); its children that are regions are rolled up before it, levels
  being visited from the bottom up; ``rollup_target`` adds up the villages' statuses per region.

Memory stays bounded and time grows linearly with the villages (a national deployment has
~660,000): a grid holds at most :data:`CHUNK_VALUES` village values (villages × quarters ×
series), villages being taken in ranges of codes (each range's rows in the tables' order: a
region's villages stay together) and roll-ups a few series at a time.

An import rebuilds only the quarters it can change (:func:`rebuild` with ``touched``): a quarter's
rows depend on its own observations and items, on the three quarters before it (the four-quarter
target sum), on the four before it (previous quarter, year-on-year) and, from the baseline on, on
every quarter since the baseline (the low point a rebound is judged against). So a change at
quarter *p* rebuilds *p* … *p* + 4 if *p* is before the baseline, else *p* to the last quarter;
the progress series take the kept quarters' values from the observations (villages) or the stored
roll-ups (regions). Everything is rebuilt when the baseline quarter, the first quarter, the
weights or the targets change (``meta`` ``rollup_inputs`` records what the tables were built
with) or the regions change (callers). Item targets are judged from ``village_item`` (the largest
table) only in the quarters whose items changed (``items``); elsewhere their checked values are
read back from the published snapshot. A village's rows depend on its own data only, and a
region's on its villages' and its child regions' means, so when the caller names the villages
whose data changed (``villages``), no quarter rebuilt is new and at most half of the villages
changed (past that, filtering every row costs more than it saves), only their rows are replaced in
the village tables, and only the rows of the regions above them in the region tables (unless a
quarter gains or loses its roll-ups): these regions are rolled up from their villages' values as
before, ``rollup_target`` from the statuses stored, and the heaviest and lightest child regions
are chosen among the stored means of the others. A national import of one county's quarter then
writes a few thousand rows instead of millions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa

from metrics import (
    compliance,
    hierarchy,
    index,
    periods,
    progress,
    registry,
    schema,
    sql,
    values,
)

# Every village (with its kind) and each of its ancestors.
MEMBERS: sql.Cte = (
    "members",
    """
    SELECT v.code AS village_code, r.kind = $village_kind AS village, a.code, a.level
    FROM (SELECT code, unnest(lineage[2:]) AS ancestor FROM region_tree
          WHERE level = 'village') v
    JOIN region r ON r.code = v.code JOIN region_tree a ON a.code = v.ancestor
    """,
)

# The series of ``village_value`` and ``rollup`` (each indicator and the index) and the targets
# of ``village_target``, in the order the tables are sorted by (for the scans of their readers:
# zone maps skip the rest).
SERIES: tuple[str, ...] = tuple(sorted((*registry.CODES, registry.INDEX_CODE)))
TARGETS: tuple[str, ...] = tuple(sorted(t.code for t in registry.TARGETS))
_ITEM_INDICATORS = tuple(sorted({t.indicator for t in registry.TARGETS if t.needs_items}))

# Positions on the grids: every village numbered in code order, with its kind; the quarters
# ``$quarters`` and series ``$indicators`` numbered in list order; the regions above the villages
# numbered in code order.
_NUMBERED: sql.Cte = (
    "numbered",
    """
    SELECT code, kind = $village_kind AS village,
           (row_number() OVER (ORDER BY code) - 1)::INTEGER AS n
    FROM region WHERE level = 'village'
    """,
)
_QUARTER_AT: sql.Cte = (
    "q",
    "SELECT unnest($quarters) AS period, (generate_subscripts($quarters, 1) - 1)::INTEGER AS n",
)
_SERIES_AT: sql.Cte = (
    "i",
    "SELECT unnest($indicators) AS code, (generate_subscripts($indicators, 1) - 1)::INTEGER AS n",
)
_REGIONS: sql.Cte = (
    "regions",
    """
    SELECT code, level, child_level, (row_number() OVER (ORDER BY code) - 1)::INTEGER AS g
    FROM region_tree WHERE level <> 'village'
    """,
)

_VILLAGES = sql.with_ctes([_NUMBERED], "SELECT code, village FROM numbered ORDER BY n")
# The villages of a grid, ``$villages`` (codes in code order, from ``$first`` to ``$last``: the
# zone maps of the tables skip the rest), numbered in list order.
_ON_GRID: sql.Cte = (
    "v",
    "SELECT unnest($villages) AS code, (generate_subscripts($villages, 1) - 1)::INTEGER AS n",
)
# The observations of the villages on a grid, and their off-list item counts in the quarters
# ``$periods``, by position.
_OBSERVED = sql.with_ctes(
    [_ON_GRID, _QUARTER_AT, _SERIES_AT],
    """
    SELECT v.n AS village, q.n AS quarter, i.n AS indicator, o.value
    FROM observation o JOIN v ON v.code = o.village_code
    JOIN q ON q.period = o.period JOIN i ON i.code = o.indicator
    WHERE o.village_code BETWEEN $first AND $last
    """,
)
_OFFLIST = sql.with_ctes(
    [_ON_GRID, _QUARTER_AT, _SERIES_AT, ("offlist", compliance.OFFLIST)],
    """
    SELECT v.n AS village, q.n AS quarter, i.n AS indicator, x.offlist
    FROM offlist x JOIN v ON v.code = x.village_code
    JOIN q ON q.period = x.period JOIN i ON i.code = x.indicator
    """,
)
# … or, for quarters whose items did not change, the off-list counts judged when the snapshot
# was built (``checked`` of the item targets ``$targets``, those of ``$target_indicators``).
_KEPT_OFFLIST = sql.with_ctes(
    [
        _ON_GRID,
        _QUARTER_AT,
        ("t", "SELECT unnest($targets) AS code, unnest($target_indicators)::INTEGER AS n"),
    ],
    """
    SELECT v.n AS village, q.n AS quarter, t.n AS indicator, x.checked AS offlist
    FROM village_target x JOIN v ON v.code = x.village_code
    JOIN q ON q.period = x.period JOIN t ON t.code = x.target
    WHERE x.village_code BETWEEN $first AND $last AND list_contains($periods, x.period)
      AND x.checked IS NOT NULL
    """,
)
# The statuses stored in ``village_target`` for the villages from ``$first`` to ``$last`` (the
# ``$offset``-th on) in the quarters ``$quarters``: numbers into ``$statuses``, by position.
_STATUSES = sql.with_ctes(
    [
        _NUMBERED,
        _QUARTER_AT,
        (
            "t",
            "SELECT unnest($targets) AS code, (generate_subscripts($targets, 1) - 1)::INTEGER AS n",
        ),
    ],
    """
    SELECT v.n - $offset AS village, q.n AS quarter, t.n AS target,
           (list_position($statuses, x.status) - 1)::INTEGER AS status
    FROM village_target x JOIN numbered v ON v.code = x.village_code
    JOIN q ON q.period = x.period JOIN t ON t.code = x.target
    WHERE x.village_code BETWEEN $first AND $last
    """,
)
# Each item target and the position of its indicator in ``_ITEM_INDICATORS``.
_ITEM_TARGETS = {
    t.code: _ITEM_INDICATORS.index(t.indicator) for t in registry.TARGETS if t.needs_items
}
_YARDSTICK = sql.with_ctes([*index.OBSERVED, index.YARDSTICK], index.IN_INDEX)
_BASELINE = sql.with_ctes([periods.BASELINE], "SELECT period FROM baseline")

# The regions above the villages, each village's ancestors (``MEMBERS``) and each region's
# children when they are regions (those at its child level below it; villages' are its members).
_REGION_LIST = sql.with_ctes([_REGIONS], "SELECT code, level, child_level FROM regions ORDER BY g")
_MEMBERSHIP = sql.with_ctes(
    [MEMBERS, _NUMBERED, _REGIONS],
    """
    SELECT v.n AS village, r.g AS region FROM members m
    JOIN numbered v ON v.code = m.village_code JOIN regions r ON r.code = m.code
    """,
)
_CHILD_REGIONS = sql.with_ctes(
    [_REGIONS],
    """
    SELECT a.g AS parent, d.g AS child
    FROM (SELECT code, level, unnest(lineage[2:]) AS ancestor FROM region_tree
          WHERE level <> 'village') x
    JOIN regions a ON a.code = x.ancestor AND a.child_level = x.level
    JOIN regions d ON d.code = x.code
    """,
)
# The reported village values of the quarters ``$quarters`` and series ``$indicators``, and the
# stored means of regions (``rollup`` then holds the quarters not rebuilt only), by position.
_VILLAGE_VALUES = sql.with_ctes(
    [_NUMBERED, _QUARTER_AT, _SERIES_AT],
    """
    SELECT v.n AS village, q.n AS quarter, i.n AS indicator, x.value,
           x.over_target::DOUBLE AS over_target
    FROM village_value x JOIN numbered v ON v.code = x.village_code
    JOIN q ON q.period = x.period JOIN i ON i.code = x.indicator
    WHERE x.value IS NOT NULL
    """,
)
_KEPT_MEANS = sql.with_ctes(
    [_REGIONS, _QUARTER_AT, _SERIES_AT],
    """
    SELECT i.n AS indicator, r.communities::INTEGER AS communities, g.g AS region,
           q.n AS quarter, r.mean
    FROM rollup r JOIN regions g ON g.code = r.code
    JOIN q ON q.period = r.period JOIN i ON i.code = r.indicator
    """,
)

_REGION_TREE = sql.with_ctes(
    (("sel", "SELECT code FROM region"), hierarchy.AREA_GROUPS, hierarchy.TREE),
    "SELECT * FROM tree ORDER BY code",
)
_QUARTERS = sql.with_ctes([periods.QUARTERS], "SELECT list(period ORDER BY period) FROM quarters")
# The quarters of ``$periods`` with roll-ups.
_ROLLED = (
    "SELECT list(DISTINCT period ORDER BY period) FROM rollup WHERE list_contains($periods, period)"
)
_VILLAGE_COUNT = "SELECT count(*) FROM region WHERE level = 'village'"
# The last quarter the derived tables hold, and the last with data.
_BUILT = "SELECT (SELECT max(period) FROM village_value), (SELECT max(period) FROM observation)"
# The quarters of ``$periods`` with data (the roll-up's quarters).
_WITH_DATA = (
    "SELECT list(DISTINCT period ORDER BY period) FROM observation "
    "WHERE list_contains($periods, period)"
)

DERIVED: tuple[str, ...] = (
    "region_tree",
    "village_target",
    "village_value",
    "rollup",
    "rollup_target",
)
_VILLAGE_TABLES = ("village_target", "village_value")  # a row per village (and quarter …)
_REGION_TABLES = ("rollup", "rollup_target")  # a row per region (and quarter …)
# What an incremental rebuild deletes: the quarters after the last with data (a rollback of the
# last quarter), the quarters rebuilt and, in the village tables, perhaps only some villages'
# rows (``$villages``, from ``$first`` to ``$last``: zone maps skip the other row groups).
_AFTER_THE_LAST = " WHERE period > $last_data"
_REBUILT = " WHERE list_contains($periods, period)"
_OF_REGIONS = " AND list_contains($regions, code)"
_OF_VILLAGES = (
    " AND village_code BETWEEN $first AND $last AND list_contains($villages, village_code)"
)
INPUTS_KEY = "rollup_inputs"  # meta entry: what the derived tables were built with

# What every derived row depends on besides its quarters' data: a change rebuilds everything.
_INPUTS = sql.with_ctes(
    [periods.BASELINE],
    """
    SELECT to_json({'baseline': (SELECT period FROM baseline),
                    'first': (SELECT min(period) FROM observation),
                    'weights': (SELECT list([code, weight::VARCHAR] ORDER BY code) FROM indicator),
                    'targets': (SELECT list([code, indicator, kind, threshold::VARCHAR]
                                            ORDER BY code) FROM target)})::VARCHAR
    """,
)

# At most this many village values (villages × quarters × series) on a grid at a time: bounds
# the memory of a rebuild; a province's fit in one.
CHUNK_VALUES = 12_000_000


def rebuild(
    con: duckdb.DuckDBPyConnection,
    weights: Mapping[str, float] | None = None,
    certificates_max: float | None = None,
    *,
    touched: Iterable[str] | None = None,
    items: Iterable[str] | None = None,
    villages: Iterable[str] | None = None,
) -> int:
    """Reseed weights and thresholds from configuration, then recompute the derived tables.

    Runs on a read-write connection inside the caller's transaction (the publish step). With
    ``touched``, only the quarters a change of those quarters' data can alter are recomputed
    (see the module's docstring), unless something every row depends on changed too.

    Parameters
    ----------
    con
        Read-write connection to the database being published.
    weights
        Index weights by indicator code; default: configured (``settings.weights()``), equal.
    certificates_max
        Certificate types allowed per quarter; default: the ``certificates_max`` setting.
    touched
        Quarters whose observations or item assignments changed since the derived tables were
        last built (empty: none); ``None`` (default): rebuild everything. Regions must not have
        changed.
    items
        Quarters whose item assignments differ from the database's last committed state (the
        published snapshot, in a publish); the item targets of the other quarters rebuilt are
        read back from its ``village_target`` instead of counting ``village_item`` again.
        ``None`` (default): count them all.
    villages
        With ``touched``: the villages whose observations or item assignments changed (the
        others' data did not). Unless a quarter rebuilt is new or more than half of the villages
        changed, only their rows are recomputed in the village tables and, unless a quarter
        rebuilt gains or loses its roll-ups, only the rows of the regions above them in the
        region tables. ``None`` (default): any village.

    Returns
    -------
    int
        Number of roll-up rows written.

    """
    schema.seed_registry(con, index.weights(weights))
    thresholds = compliance.thresholds(certificates_max)
    con.executemany(
        "UPDATE target SET threshold = ? WHERE code = ?", [[v, k] for k, v in thresholds.items()]
    )
    inputs = con.execute(_INPUTS).fetchall()[0][0]
    rebuilt, only, last = None, None, None
    if touched is not None:
        built, last = con.execute(_BUILT).fetchall()[0]
        rebuilt = _rebuilt(con, set(touched), inputs, built, last)
        changed = None if villages is None else set(villages)
        # No quarter is new, and at most half of the villages changed (past that, filtering
        # every row by village costs more than it saves).
        if rebuilt and changed is not None and max(rebuilt) <= built:
            if 2 * len(changed) <= con.execute(_VILLAGE_COUNT).fetchall()[0][0]:
                only = sorted(changed)
    regions = None  # the regions whose roll-ups are rewritten (None: all)
    tree, positions = None, None  # an incremental rebuild changes no region: read them here
    if only is not None:
        tree = _Tree(con)
        positions = tree.positions(only)
        had, has = (
            con.execute(q, {"periods": rebuilt}).fetchall()[0][0] or []
            for q in (_ROLLED, _WITH_DATA)
        )
        if had == has:  # no quarter gains or loses its roll-ups: only the villages' regions change
            regions = tree.restrict(positions)
    full = rebuilt is None
    quarters = con.execute(_QUARTERS).fetchall()[0][0] or []
    if full:
        rebuilt = quarters
    params = {"periods": rebuilt, "villages": only, "regions": regions, "last_data": last}
    params.update(first="", last="")
    if only:
        params.update(first=only[0], last=only[-1])
    for table in DERIVED if full else DERIVED[1:]:
        wheres = [""] if full else [_AFTER_THE_LAST, _REBUILT]  # this module's texts only
        if only is not None and table in _VILLAGE_TABLES:
            wheres[-1] += _OF_VILLAGES
        if regions is not None and table in _REGION_TABLES:
            wheres[-1] += _OF_REGIONS
        for where in wheres:
            statement = f"DELETE FROM {table}" + where  # noqa: S608 (this module's table names)
            con.execute(statement, sql.bind(statement, params))
    if full:
        con.execute("INSERT INTO region_tree BY NAME " + _REGION_TREE, sql.bind(_REGION_TREE, {}))
    if rebuilt:
        with _kept(con, inputs, rebuilt, items) as kept:
            tree = tree or _Tree(con)
            _rebuild_quarters(con, tree, quarters, rebuilt, thresholds, kept, positions)
    schema.set_meta(con, INPUTS_KEY, inputs)
    return con.execute("SELECT count(*) FROM rollup").fetchone()[0]


def _rebuild_quarters(
    con: duckdb.DuckDBPyConnection,
    tree: _Tree,
    quarters: list[str],
    rebuilt: list[str],
    thresholds: Mapping[str, float],
    kept: _Kept,
    positions: np.ndarray | None,
) -> None:
    """Write the rows of the quarters ``rebuilt`` of every table but ``region_tree``.

    ``quarters`` are all quarters from the first to the last with data; ``positions``: those
    of the villages whose rows are written in the village tables (``None``: all); the region
    tables get the rows of the regions ``tree`` rewrites.
    """
    first = periods.quarter(quarters[0])
    at = {p: periods.quarter(p) - first for p in quarters}
    baseline = periods.quarter(con.execute(_BASELINE).fetchall()[0][0]) - first
    _villages(con, tree, quarters, [at[p] for p in rebuilt], baseline, thresholds, kept, positions)
    with_data = con.execute(_WITH_DATA, {"periods": rebuilt}).fetchall()[0][0] or []
    if with_data:
        _regions(con, tree, quarters, [at[p] for p in with_data], baseline)


def _villages(
    con: duckdb.DuckDBPyConnection,
    tree: _Tree,
    quarters: list[str],
    rebuilt: list[int],
    baseline: int,
    thresholds: Mapping[str, float],
    kept: _Kept,
    positions: np.ndarray | None,
) -> None:
    """``village_target``, ``village_value`` and ``rollup_target`` in the quarters ``rebuilt``.

    ``rebuilt`` and ``baseline`` are positions in ``quarters``; villages are taken in ranges of
    codes (:data:`CHUNK_VALUES`), all of them or those at ``positions`` (in code order), whose
    rows alone are then replaced: ``rollup_target`` adds up the statuses stored; ``kept`` holds
    item checks that need no counting.
    """
    terms = con.execute(_YARDSTICK, sql.bind(_YARDSTICK, {})).fetchall()
    grid = _Grid(quarters, rebuilt, baseline, {r[0]: (r[1], r[2]) for r in terms}, thresholds)
    tally = _Tally(tree, len(rebuilt))
    size = max(1, CHUNK_VALUES // (len(quarters) * len(SERIES)))
    every = np.arange(len(tree.village)) if positions is None else positions
    for start in range(0, len(every), size):
        codes = tree.codes.take(every[start : start + size])
        bounds = {
            "quarters": quarters,
            "villages": codes.to_pylist(),
            "first": codes[0].as_py(),
            "last": codes[-1].as_py(),
        }
        observed = _fetch(con, _OBSERVED, {**bounds, "indicators": list(registry.CODES)})
        offlist = kept.offlist(con, bounds, [quarters[q] for q in rebuilt])
        target, value, statuses = grid.rows(codes, observed, offlist)
        _append(con, "village_target", target)
        _append(con, "village_value", value)
        if positions is None:  # ``every`` is a range from ``start``
            tally.add(start, statuses)
    if positions is not None:
        _tally_stored(con, tree, tally, grid.periods.to_pylist())
    if tree.levels:
        _append(con, "rollup_target", tally.rows(grid.periods))


def _tally_stored(
    con: duckdb.DuckDBPyConnection, tree: _Tree, tally: _Tally, rebuilt: list[str]
) -> None:
    """Count into ``tally`` the statuses in ``village_target`` of every village in ``rebuilt``."""
    size = max(1, CHUNK_VALUES // (len(rebuilt) * len(TARGETS)))
    for offset in range(0, len(tree.village), size):
        codes = tree.codes[offset : min(offset + size, len(tree.village))]
        params = {
            "offset": offset,
            "first": codes[0].as_py(),
            "last": codes[-1].as_py(),
            "quarters": rebuilt,
            "targets": list(TARGETS),
            "statuses": list(compliance.STATUSES),
        }
        found = _fetch(con, _STATUSES, params)
        status = np.full((len(codes), len(rebuilt), len(TARGETS)), compliance.UNKNOWN)
        status[found["village"], found["quarter"], found["target"]] = found["status"]
        tally.add(offset, status)


@dataclass
class _Kept:
    """Off-list counts to read back from the committed snapshot (``snapshot``), by quarter.

    An import of observations changes no item: the item targets of the quarters it rebuilds were
    judged on the same items when the published snapshot was built, and their checked values
    (the off-list counts) do not depend on the thresholds. Reading them back from its
    ``village_target`` saves counting ``village_item`` (the largest table) again.
    """

    snapshot: duckdb.DuckDBPyConnection | None = None
    quarters: frozenset[str] = frozenset()

    def offlist(
        self,
        con: duckdb.DuckDBPyConnection,
        bounds: Mapping[str, object],
        rebuilt: list[str],
    ) -> dict[str, np.ndarray]:
        """The off-list item counts of the villages on a grid (``bounds``) in ``rebuilt``."""
        counted = [p for p in rebuilt if p not in self.quarters]
        read = [p for p in rebuilt if p in self.quarters]
        none = np.zeros(0, dtype=np.int64)
        parts = [{"village": none, "quarter": none, "indicator": none, "offlist": np.zeros(0)}]
        if counted:
            params = {**bounds, "indicators": list(_ITEM_INDICATORS), "periods": counted}
            parts.append(_fetch(con, _OFFLIST, params))
        if read and self.snapshot is not None:
            params = {
                **bounds,
                "periods": read,
                "targets": list(_ITEM_TARGETS),
                "target_indicators": list(_ITEM_TARGETS.values()),
            }
            parts.append(_fetch(self.snapshot, _KEPT_OFFLIST, params))
        return {k: np.concatenate([part[k] for part in parts]) for k in parts[0]}


@contextmanager
def _kept(
    con: duckdb.DuckDBPyConnection,
    inputs: str,
    rebuilt: list[str],
    items: Iterable[str] | None,
) -> Iterator[_Kept]:
    """The rebuilt quarters whose item checks the committed snapshot holds, and a cursor on it.

    Those it has rows of whose items did not change (not in ``items``), if it was built with the
    same targets (thresholds aside).
    """
    if items is None:
        yield _Kept()
        return

    def targets(built_with: str) -> list[list[str]]:  # code, indicator and kind of each
        return [target[:3] for target in json.loads(built_with)["targets"] or []]

    snapshot = con.cursor()  # its own transaction: sees what was committed, not this one
    try:
        stored = snapshot.execute("SELECT value FROM meta WHERE key = ?", [INPUTS_KEY]).fetchall()
        built: set[str] = set()
        if stored and targets(stored[0][0]) == targets(inputs):
            query = "SELECT DISTINCT period FROM village_target"
            built = set(snapshot.execute(query).fetchnumpy()["period"])
        yield _Kept(snapshot, frozenset(built.intersection(rebuilt).difference(items)))
    finally:
        snapshot.close()


class _Grid:
    """The village results of ranges of villages over every quarter (see the module docstring).

    Parameters
    ----------
    quarters
        Every quarter from the first to the last with data.
    rebuilt
        The positions in ``quarters`` of the quarters whose rows are written.
    baseline
        The position of the baseline quarter (it may lie outside ``quarters``).
    terms
        ``(weight, m)`` of each indicator in the index (:data:`metrics.index.IN_INDEX`).
    thresholds
        Every target's threshold.

    """

    def __init__(
        self,
        quarters: list[str],
        rebuilt: list[int],
        baseline: int,
        terms: Mapping[str, tuple[float, float]],
        thresholds: Mapping[str, float],
    ) -> None:
        self.quarters = quarters
        self.rebuilt = np.array(rebuilt, dtype=np.int64)
        self.baseline = baseline
        self.terms = terms
        self.thresholds = thresholds
        self.periods = pa.array([quarters[q] for q in rebuilt], pa.string())

    def rows(
        self,
        codes: pa.Array,
        observed: Mapping[str, np.ndarray],
        offlist: Mapping[str, np.ndarray],
    ) -> tuple[pa.Table, pa.Table, np.ndarray]:
        """The ``village_target`` and ``village_value`` rows of the villages ``codes``.

        ``observed`` and ``offlist`` hold the positions (village, quarter, indicator) and values
        of the observations and off-list item counts (:data:`_OBSERVED`, :data:`_OFFLIST`).
        Also returns the statuses (:data:`metrics.compliance.STATUSES` numbers) by village,
        rebuilt quarter and target.
        """
        shape = (len(codes), len(self.quarters))
        axes = ("indicator", "village", "quarter")
        found = _scatter(observed, "value", axes, (len(registry.CODES), *shape))
        held = _scatter(offlist, "offlist", axes, (len(_ITEM_INDICATORS), *shape))
        series = dict(zip(registry.CODES, found, strict=True))
        checked = compliance.judge(series, dict(zip(_ITEM_INDICATORS, held, strict=True)))
        statuses = {t: compliance.status(checked[t], self.thresholds[t]) for t in TARGETS}
        series[registry.INDEX_CODE] = index.compute(series, self.terms)
        status = np.stack([statuses[c][:, self.rebuilt] for c in TARGETS], axis=2)
        target = self._targets(codes, checked, status)
        return target, self._values(codes, series, statuses), status

    def _targets(
        self, codes: pa.Array, checked: Mapping[str, np.ndarray], status: np.ndarray
    ) -> pa.Table:
        """Rows by village, quarter and target (the order of ``village_target``)."""
        n, q, t = len(codes), len(self.rebuilt), len(TARGETS)
        cells = np.stack([checked[c][:, self.rebuilt] for c in TARGETS], axis=2).ravel()
        return pa.table(
            {
                "village_code": _labels(codes, np.repeat(np.arange(n), q * t)),
                "period": _labels(self.periods, np.tile(np.repeat(np.arange(q), t), n)),
                "target": _labels(TARGETS, np.tile(np.arange(t), n * q)),
                "checked": pa.array(cells, from_pandas=True),
                "status": _labels(compliance.STATUSES, status.ravel()),
            }
        )

    def _values(
        self,
        codes: pa.Array,
        series: Mapping[str, np.ndarray],
        statuses: Mapping[str, np.ndarray],
    ) -> pa.Table:
        """Rows by series, quarter and village (the order of ``village_value``)."""
        n, q = len(codes), len(self.rebuilt)
        columns: dict[str, list[np.ndarray]] = {}
        for code in SERIES:
            value = series[code]
            over, unknown = values.over_target(value, statuses, values.TARGETS[code])
            grown = progress.progress(value, self.baseline)
            for name, column in (
                ("value", value),
                ("over", over),
                ("unknown", unknown),
                *grown.items(),
            ):
                columns.setdefault(name, []).append(column[:, self.rebuilt].T.ravel())
        joined = {name: np.concatenate(parts) for name, parts in columns.items()}
        out = {
            "village_code": _labels(codes, np.tile(np.arange(n), q * len(SERIES))),
            "period": _labels(self.periods, np.tile(np.repeat(np.arange(q), n), len(SERIES))),
            "indicator": _labels(SERIES, np.repeat(np.arange(len(SERIES)), q * n)),
            "value": pa.array(joined["value"], from_pandas=True),
            "over_target": pa.array(joined["over"], mask=joined["unknown"]),
        }
        for name in progress.COLUMNS:
            out[name] = pa.array(joined[name], from_pandas=True)
        return pa.table(out)


class _Tally:
    """The villages meeting, breaking and not judged on each target, per region (``rollup_target``).

    Counted over every village under each region (its members on the tree), a range of villages
    at a time, as met and broken; the rest of the region's villages are not judged.
    """

    def __init__(self, tree: _Tree, quarters: int) -> None:
        self.tree = tree
        self.counts = {
            level: np.zeros((len(at), 2, quarters, len(TARGETS), 2), dtype=np.int64)
            for level, at in tree.at.items()
        }

    def add(self, offset: int, status: np.ndarray) -> None:
        """Count the ``status`` (by village, quarter and target) of the villages from ``offset``."""
        found = np.stack([status == compliance.MET, status == compliance.BROKEN], axis=-1)
        found = found.reshape(len(status), -1).astype(np.int32)
        village = self.tree.village[offset : offset + len(status)]
        for level, counts in self.counts.items():
            ancestor = self.tree.ancestor[level][offset : offset + len(status)]
            for variant, counted in enumerate((village, np.ones_like(village))):
                group = np.where(counted, ancestor, -1)
                counts[:, variant] += _segment_sum(found, group, len(counts)).reshape(
                    counts[:, variant].shape
                )

    def rows(self, shown: pa.Array) -> pa.Table:
        """The ``rollup_target`` rows (of the quarters ``shown``) in the table's order."""
        tables = []
        for level in sorted(self.counts):  # by level, code, variant, quarter, target
            counts, at = self.counts[level], self.tree.at[level]
            villages = self.tree.villages[at]  # (regions, 2)
            shown_regions = (villages > 0) & self.tree.rewritten[at][:, None]  # (regions, 2)
            keep = np.broadcast_to(shown_regions[:, :, None, None], counts.shape[:4])
            g, c, q, t = np.nonzero(keep)
            met, broken = counts[keep][:, 0], counts[keep][:, 1]
            total = villages[g, c]
            unknown = total - met - broken
            tables.append(
                pa.table(
                    {
                        "period": _labels(shown, q),
                        "level": pa.array([level] * len(g), pa.string()),
                        "code": _labels(self.tree.codes, len(self.tree.village) + at[g]),
                        "target": _labels(TARGETS, t),
                        "communities": pa.array(c == 1),
                        "villages": pa.array(total),
                        "met": pa.array(met),
                        "broken": pa.array(broken),
                        "unknown": pa.array(unknown),
                        "met_share": pa.array(met / total),
                        "broken_share": pa.array(broken / total),
                        "unknown_share": pa.array(unknown / total),
                    }
                )
            )
        return pa.concat_tables(tables)


def _scatter(
    found: Mapping[str, np.ndarray], column: str, axes: tuple[str, ...], shape: tuple[int, ...]
) -> np.ndarray:
    """An array of ``column`` at the positions ``found`` on ``axes``, NaN elsewhere.

    ``axes`` name the position columns of ``found`` for each dimension of ``shape`` (e.g.
    indicator, village, quarter).
    """
    out = np.full(shape, np.nan)
    out[tuple(found[axis] for axis in axes)] = found[column]
    return out


def _regions(
    con: duckdb.DuckDBPyConnection,
    tree: _Tree,
    quarters: list[str],
    with_data: list[int],
    baseline: int,
) -> None:
    """The ``rollup`` rows of the quarters at the positions ``with_data`` (which have data).

    Series are taken a few at a time, as many as :data:`CHUNK_VALUES` village values allow.
    """
    shown = [quarters[q] for q in with_data]
    size = max(1, CHUNK_VALUES // max(len(tree.village) * len(with_data), 1))
    for start in range(0, len(SERIES), size):
        series = list(SERIES[start : start + size])
        found = _fetch(con, _VILLAGE_VALUES, {"quarters": shown, "indicators": series})
        # A row per series and quarter, a column per village.
        shape = (len(series), len(with_data), len(tree.village))
        axes = ("indicator", "quarter", "village")
        value, over = (_scatter(found, c, axes, shape) for c in ("value", "over_target"))
        # Every region's series of means over every quarter, as stored (the rebuilt quarters'
        # only of the regions not rewritten).
        means = np.full((len(series), 2, tree.regions, len(quarters)), np.nan)
        kept = _fetch(con, _KEPT_MEANS, {"quarters": quarters, "indicators": series})
        axes = ("indicator", "communities", "region", "quarter")
        means[tuple(kept[axis] for axis in axes)] = kept["mean"]
        stored = means[..., with_data].transpose(2, 1, 0, 3).reshape(tree.regions, 2, -1)
        rolled = tree.roll(value.reshape(-1, shape[2]), over.reshape(-1, shape[2]), stored)
        means[..., with_data] = _by_series(rolled["mean"], len(series))
        # The progress of the regions rewritten (a view of all when all are).
        rewritten = slice(None) if tree.rewritten.all() else tree.rewritten
        picked = means[:, :, rewritten]
        grown = progress.progress(picked.reshape(-1, len(quarters)), baseline)
        laid = {}
        for name, column in grown.items():
            laid[name] = np.zeros((*means.shape[:3], len(with_data)), dtype=column.dtype)
            laid[name][:, :, rewritten] = column.reshape(picked.shape)[..., with_data]
        _append(con, "rollup", tree.rows(rolled, laid, series, shown))


def _by_series(stat: np.ndarray, series: int) -> np.ndarray:
    """A statistic shaped (regions, variants, series × quarters) as (series, variants, …).

    The result is shaped (series, variants, regions, quarters).
    """
    regions, variants, columns = stat.shape
    return stat.reshape(regions, variants, series, columns // series).transpose(2, 1, 0, 3)


class _Tree:
    """The regions above the villages, and each village's and region's place among them.

    Regions are numbered in code order; the levels present are visited from the bottom up, so
    that a region's children are rolled up before it.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        villages = con.sql(_VILLAGES, params=sql.bind(_VILLAGES, {})).to_arrow_table()
        regions = con.sql(_REGION_LIST).to_arrow_table()
        self.village = villages["village"].to_numpy(zero_copy_only=False) == True  # noqa: E712
        self.regions = regions.num_rows
        # Villages' codes, then regions': what the extremes point at.
        self.codes = pa.concat_arrays(
            [villages["code"].combine_chunks(), regions["code"].combine_chunks()]
        )
        self.level = np.array(regions["level"].to_pylist(), dtype=object)
        self.child_level = np.array(regions["child_level"].to_pylist(), dtype=object)
        member = _fetch(con, _MEMBERSHIP, {})
        self.children = _fetch(con, _CHILD_REGIONS, {})
        present = set(self.level[member["region"]])
        self.levels = [level for level in reversed(hierarchy.LEVELS) if level in present]
        # Per level: its regions, and each village's region at that level (−1: none).
        self.at: dict[str, np.ndarray] = {}
        self.ancestor: dict[str, np.ndarray] = {}
        for level in self.levels:
            at = np.flatnonzero(self.level == level)
            position = np.full(self.regions, -1)
            position[at] = np.arange(len(at))
            mine = self.level[member["region"]] == level
            ancestor = np.full(len(self.village), -1)
            ancestor[member["village"][mine]] = position[member["region"][mine]]
            self.at[level], self.ancestor[level] = at, ancestor
        # Villages under each region: 村 only, and 村 and 社区.
        self.villages = np.zeros((self.regions, 2), dtype=np.int64)
        for level in self.levels:
            below = self.ancestor[level] >= 0
            for variant, counted in enumerate((self.village & below, below)):
                found = np.bincount(self.ancestor[level][counted], minlength=len(self.at[level]))
                self.villages[self.at[level], variant] = found
        # The regions whose roll-ups are computed and written (:meth:`restrict`).
        self.rewritten = np.ones(self.regions, dtype=bool)

    def restrict(self, positions: np.ndarray) -> list[str]:
        """Roll up only the regions above the villages at ``positions``; returns their codes.

        The other regions' roll-ups are kept as stored.
        """
        self.rewritten = np.zeros(self.regions, dtype=bool)
        for level in self.levels:
            mine = self.ancestor[level][positions]
            self.rewritten[self.at[level][mine[mine >= 0]]] = True
        return self.codes.take(len(self.village) + np.flatnonzero(self.rewritten)).to_pylist()

    def _rewritten_at(self, level: str) -> tuple[np.ndarray, np.ndarray]:
        """The regions of ``level`` rolled up, and each village's number among them (−1: none)."""
        at, ancestor = self.at[level], self.ancestor[level]
        keep = self.rewritten[at]
        if keep.all():
            return at, ancestor
        number = np.full(len(at) + 1, -1)  # the last stays −1: where ``ancestor`` is −1
        number[np.flatnonzero(keep)] = np.arange(keep.sum())
        return at[keep], number[ancestor]

    def positions(self, codes: list[str] | None) -> np.ndarray | None:
        """The positions of the villages ``codes`` (sorted) among :attr:`codes`; ``None``: all.

        Examples
        --------
        >>> tree = object.__new__(_Tree)
        >>> tree.village, tree.codes = np.ones(3, bool), pa.array(["a", "b", "c", "t"])
        >>> tree.positions(["c", "a", "x", "t"]).tolist(), tree.positions(None)
        ([0, 2], None)

        """
        if codes is None:
            return None
        villages = self.codes.slice(0, len(self.village)).to_numpy(zero_copy_only=False)
        return np.flatnonzero(np.isin(villages, np.array(codes, dtype=object)))

    def roll(self, value: np.ndarray, over: np.ndarray, means: np.ndarray) -> dict[str, np.ndarray]:
        """The statistics of the regions :attr:`rewritten` in both variants from village values.

        ``value`` and ``over`` hold a row per series and quarter and a column per village
        (NaN: not reported; ``over``: 1, 0 or NaN where unknown); ``means`` the stored means of
        the regions (regions, 2 variants, rows; NaN: none), kept for those not rewritten (whose
        means choose the heaviest and lightest child of those rewritten). Returns arrays shaped
        (regions, 2 variants, rows) — ``villages``: (regions, 2) — with the children as numbers
        into :attr:`codes` (−1: none).
        """
        shape = (self.regions, 2, value.shape[0])
        out = {name: np.full(shape, np.nan) for name in _STATISTICS}
        out["mean"] = means.copy()
        out["reported"] = np.zeros(shape, dtype=np.int64)
        out["villages"] = self.villages
        for name in _CHILDREN:
            out[name] = np.full(shape, -1)
        # Each row by value, ties in code order, NaN last; the 村-only variant moves 社区 to
        # the end (as NaN) keeping that order.
        every = np.argsort(value, axis=1, kind="stable")
        left_out = np.isnan(value) | ~self.village
        only = np.take_along_axis(
            every,
            np.argsort(left_out[np.arange(len(value))[:, None], every], axis=1, kind="stable"),
            axis=1,
        )
        # The variants (村 only, then 村 and 社区) fill their own halves of ``out``: numpy
        # releases the GIL, so two threads roll them up on two cores, where memory allows.
        with ThreadPoolExecutor(max_workers=2 if 2 * value.size <= CHUNK_VALUES else 1) as pool:
            done = pool.map(
                lambda variant, order: self._roll_variant(out, value, over, variant, order),
                (0, 1),
                (only, every),
            )
            list(done)  # re-raises what a thread raised
        return out

    def _roll_variant(
        self,
        out: dict[str, np.ndarray],
        value: np.ndarray,
        over: np.ndarray,
        variant: int,
        order: np.ndarray,
    ) -> None:
        """Fill ``out`` for one variant (0: 村 only), ``order`` sorting its values."""
        counted = self.village if variant == 0 else np.ones_like(self.village)
        x = np.where(counted, value, np.nan)
        o = np.where(counted, over, np.nan)
        for level in self.levels:
            at, ancestor = self._rewritten_at(level)
            if not len(at):
                continue
            # Only the villages under those regions: their values in the same order.
            cols = np.flatnonzero(ancestor >= 0)
            xs, os, ranked = x, o, order
            if len(cols) < len(ancestor):
                xs, os, ranked = x[:, cols], o[:, cols], _within(order, cols, len(ancestor))
                ancestor = ancestor[cols]
            # The children of a region are its villages (its members) or the regions at its
            # child level below it (rolled up already).
            by_villages = self.child_level[at] == "village"
            stats = _summary(xs, os, ranked, ancestor, len(at), by_villages.any())
            for name in _CHILDREN:
                if name in stats:
                    picked = stats[name]
                    if len(cols) < x.shape[1]:
                        picked = np.where(picked >= 0, cols[np.maximum(picked, 0)], -1)
                    stats[name] = np.where(by_villages[:, None], picked, -1)
                    stats[name + "_mean"][~by_villages] = np.nan
            for name, column in stats.items():
                out[name][at, variant] = column
            self._region_children(out, at[~by_villages], variant)

    def _region_children(self, out: dict[str, np.ndarray], at: np.ndarray, variant: int) -> None:
        """The heaviest and lightest children of the regions ``at`` among their child regions."""
        parent = np.full(self.regions, -1)
        parent[at] = np.arange(len(at))
        pairs = parent[self.children["parent"]] >= 0
        child = self.children["child"][pairs]
        ranked = np.argsort(child, kind="stable")  # code order: ties go to the lower code
        child, group = child[ranked], parent[self.children["parent"][pairs][ranked]]
        if not len(child):
            return
        means = np.ascontiguousarray(out["mean"][child, variant].T)
        order = np.argsort(means, axis=1, kind="stable")
        rows, xs, start, keys = _grouped(means, order, group, len(at))
        found = _extremes(rows, xs, start, keys, _reduce(~np.isnan(xs), start, len(child)))
        for name in _CHILDREN:
            picked = found[name]
            out[name][at, variant] = np.where(picked >= 0, len(self.village) + child[picked], -1)
            out[name + "_mean"][at, variant] = found[name + "_mean"]

    def rows(
        self,
        rolled: Mapping[str, np.ndarray],
        grown: Mapping[str, np.ndarray],
        series: list[str],
        shown: list[str],
    ) -> pa.Table:
        """The ``rollup`` rows in the table's order (series, variant, code, quarter).

        ``grown`` holds the progress columns shaped (series, variants, regions, quarters).
        """
        laid = {
            name: _by_series(column, len(series))
            for name, column in rolled.items()
            if column.ndim == 3
        }
        villages = rolled["villages"].T  # (variants, regions)
        shown_regions = (villages > 0) & self.rewritten  # (variants, regions)
        keep = np.broadcast_to(shown_regions[None, :, :, None], laid["mean"].shape)
        s, c, g, q = np.nonzero(keep)
        reported = laid["reported"][keep]
        index_series = np.array([code == registry.INDEX_CODE for code in series])
        columns = {
            "period": _labels(shown, q),
            "level": _labels(self.level.tolist(), g),
            "code": _labels(self.codes, len(self.village) + g),
            "indicator": _labels(series, s),
            "communities": pa.array(c == 1),
            "villages": pa.array(villages[c, g]),
            "reported": pa.array(reported),
            "reported_share": pa.array(reported / villages[c, g]),
        }
        for name in _STATISTICS:
            column = laid[name][keep]
            if name == "total":
                column = np.where(index_series[s], np.nan, column)
            columns[name] = pa.array(column, from_pandas=True)
        for name in _CHILDREN:
            picked = laid[name][keep]
            columns[name] = _labels(self.codes, picked)
        for name, column in grown.items():
            columns[name] = pa.array(column[keep], from_pandas=True)
        return pa.table(columns)


# The statistics of a region's village values (floats, NaN: none) and its children.
_STATISTICS = (
    "mean",
    "median",
    "p90",
    "total",
    "over_target_share",
    "heaviest_child_mean",
    "lightest_child_mean",
)
_CHILDREN = ("heaviest_child", "lightest_child")


def _within(order: np.ndarray, cols: np.ndarray, width: int) -> np.ndarray:
    """Each row of ``order`` (column numbers up to ``width``) kept to ``cols``, numbered in them.

    Examples
    --------
    >>> _within(np.array([[3, 0, 2, 1], [1, 2, 3, 0]]), np.array([1, 3]), 4).tolist()
    [[1, 0], [0, 1]]

    """
    number = np.full(width, -1)
    number[cols] = np.arange(len(cols))
    found = number[order]
    return found[found >= 0].reshape(len(order), len(cols))


def _segment_sum(x: np.ndarray, group: np.ndarray, groups: int) -> np.ndarray:
    """The rows of ``x`` summed per ``group`` (−1: none), shaped (groups, columns).

    Examples
    --------
    >>> _segment_sum(np.array([[1, 2], [3, 4], [5, 6]]), np.array([1, -1, 1]), 2).tolist()
    [[0, 0], [6, 8]]

    """
    inside = np.flatnonzero(group >= 0)
    rows = inside[np.argsort(group[inside], kind="stable")]
    out = np.zeros((groups, x.shape[1]), dtype=x.dtype)
    if len(rows):
        key = group[rows]
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        out[key[starts]] = np.add.reduceat(x[rows], starts, axis=0)
    return out


def _summary(
    x: np.ndarray,
    over: np.ndarray,
    order: np.ndarray,
    group: np.ndarray,
    groups: int,
    children: bool,
) -> dict[str, np.ndarray]:
    """Per group and row of ``x``: count, mean, median, p90, total, over-target share.

    ``x`` has a column per member (NaN: no value), ``order`` sorts each row by value (stable,
    NaN last), ``group`` numbers each column's group (−1: none), ``over`` is 1, 0 or NaN
    (unknown). With ``children``, also each group's heaviest and lightest member. Results are
    shaped (groups, rows).
    """
    rows, xs, start, keys = _grouped(x, order, group, groups)
    seen = ~np.isnan(xs)
    reported = _reduce(seen, start, x.shape[1])
    total = _reduce(np.where(seen, xs, 0.0), start, x.shape[1])
    # The same groups' slots, members in any order: enough for the over-target share.
    members = over[:, np.argsort(group, kind="stable")]
    judged = ~np.isnan(members)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = {
            "reported": reported,
            "mean": np.where(reported > 0, total / reported, np.nan),
            "total": np.where(reported > 0, total, np.nan),
            "over_target_share": _reduce(np.where(judged, members, 0.0), start, x.shape[1])
            / _reduce(judged, start, x.shape[1]),
        }
    for name, p in (("median", 0.5), ("p90", 0.9)):
        out[name] = _quantile(xs, start, reported, p)
    if children:
        out.update(_extremes(rows, xs, start, keys, reported))
    return out


def _grouped(
    x: np.ndarray, order: np.ndarray, group: np.ndarray, groups: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each row of ``x`` sorted by the columns' group, then as ``order`` (by value, NaN last).

    Returns the column of ``x`` in each sorted slot, the sorted values, each group's first slot
    and the group key of each slot (columns of no group come first, as 0).
    """
    size = np.bincount(group[group >= 0], minlength=groups)
    key = (group + 1).astype(np.uint16 if groups < np.iinfo(np.uint16).max else np.int64)
    if key.min(initial=0) == key.max(initial=0):  # one group (a province): sorted already
        rows = order
    else:
        rows = np.take_along_axis(order, np.argsort(key[order], axis=1, kind="stable"), axis=1)
    start = int((group < 0).sum()) + np.concatenate(([0], np.cumsum(size)[:-1]))
    return rows, np.take_along_axis(x, rows, axis=1), start, key[rows]


def _reduce(x: np.ndarray, start: np.ndarray, width: int) -> np.ndarray:
    """Sums of each row's slots per group, shaped (groups, rows); 0 for an empty group.

    Groups start at the slots ``start``; the last ends at ``width``.
    """
    if x.dtype == bool:
        x = x.astype(np.int64)
    out = np.zeros((len(start), x.shape[0]), dtype=x.dtype)
    end = np.append(start[1:], width)
    filled = np.flatnonzero(end > start)
    if len(filled):
        out[filled] = np.add.reduceat(x, start[filled], axis=1).T
    return out


def _quantile(xs: np.ndarray, start: np.ndarray, n: np.ndarray, p: float) -> np.ndarray:
    """``quantile_cont`` at ``p`` of each group's ``n`` sorted values from slot ``start``.

    DuckDB interpolates as ``lo * (1 − d) + hi * d`` (with a fused multiply-add where the CPU has
    one, so the last bit may differ).
    """
    rank = (n - 1) * p
    low, high = np.floor(rank), np.ceil(rank)
    has = n > 0
    rows = np.arange(xs.shape[0])
    a = xs[rows, np.where(has, start[:, None] + low, 0).astype(np.int64)]
    b = xs[rows, np.where(has, start[:, None] + high, 0).astype(np.int64)]
    d = rank - low
    return np.where(has, np.where(low == high, a, a * (1 - d) + b * d), np.nan)


def _extremes(
    rows: np.ndarray, xs: np.ndarray, start: np.ndarray, keys: np.ndarray, n: np.ndarray
) -> dict[str, np.ndarray]:
    """Each group's member with the highest value (ties: the first) and lowest (the last).

    Members are in code order, so these are ``first(code ORDER BY mean DESC, code)`` and
    ``first(code ORDER BY mean, code DESC)``; −1 and NaN where the group has no value.
    """
    same = np.zeros(xs.shape, dtype=bool)
    same[:, 1:] = (xs[:, 1:] == xs[:, :-1]) & (keys[:, 1:] == keys[:, :-1])
    slot = np.broadcast_to(np.arange(xs.shape[1]), xs.shape)
    run_first = np.maximum.accumulate(np.where(same, 0, slot), axis=1)
    ends = np.ones(xs.shape, dtype=bool)
    ends[:, :-1] = ~same[:, 1:]
    run_last = np.minimum.accumulate(np.where(ends, slot, xs.shape[1])[:, ::-1], axis=1)[:, ::-1]
    has = n > 0
    line = np.arange(xs.shape[0])
    top = np.where(has, start[:, None] + n - 1, 0)
    bottom = np.where(has, start[:, None], 0)
    return {
        "heaviest_child": np.where(has, rows[line, run_first[line, top]], -1),
        "heaviest_child_mean": np.where(has, xs[line, top], np.nan),
        "lightest_child": np.where(has, rows[line, run_last[line, bottom]], -1),
        "lightest_child_mean": np.where(has, xs[line, bottom], np.nan),
    }


def _labels(values: pa.Array | Sequence[str], at: np.ndarray) -> pa.DictionaryArray:
    """The texts ``values[at]`` (NULL where ``at`` is negative), dictionary-encoded: no copies.

    Examples
    --------
    >>> _labels(["met", "broken"], np.array([1, 1, -1])).to_pylist()
    ['broken', 'broken', None]

    """
    texts = values if isinstance(values, pa.Array) else pa.array(values, pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(at.astype(np.int32), mask=at < 0), texts)


def _fetch(
    con: duckdb.DuckDBPyConnection, query: str, params: Mapping[str, object]
) -> dict[str, np.ndarray]:
    """The columns of ``query`` as numpy arrays, NULL as NaN (floats only)."""
    found = con.execute(query, sql.bind(query, params)).fetchnumpy()
    return {name: np.ma.filled(column, np.nan) for name, column in found.items()}


def _append(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table) -> None:
    """``INSERT INTO table`` (by column name) the Arrow ``rows``, in their order."""
    con.register("_rollup_rows", rows)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _rollup_rows")  # noqa: S608
    finally:
        con.unregister("_rollup_rows")


def _rebuilt(
    con: duckdb.DuckDBPyConnection,
    touched: set[str],
    inputs: str,
    built: str | None,
    last: str | None,
) -> list[str] | None:
    """The quarters to rebuild after the data of ``touched`` changed; ``None``: every table.

    ``built`` is the last quarter the derived tables hold, ``last`` the last with data.
    """
    stored = con.execute("SELECT value FROM meta WHERE key = ?", [INPUTS_KEY]).fetchall()
    baseline, first = (json.loads(inputs)[k] for k in ("baseline", "first"))
    if stored != [(inputs,)] or None in (built, first, baseline) or baseline in touched:
        return None
    q = periods.quarter
    out = set(range(q(built) + 1, q(last) + 1))  # quarters that are new since the last build
    for period in touched:
        end = q(last) if q(period) > q(baseline) else q(period) + 4
        out.update(range(max(q(period), q(first)), min(end, q(last)) + 1))
    return sorted(periods.from_quarter(n) for n in out)
