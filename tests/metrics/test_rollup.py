"""Roll-ups computed from village values on the fixture (tolerance 1e-9)."""

import duckdb
import numpy as np
import pandas as pd
import pytest
from burden_fixture import A1, A2, B2, REGIONS, T1, T2, V1, V3, A, B, P, build

from metrics import periods, queries, rollup, schema, store
from metrics.scope import Scope

EXPECTED_COLUMNS = ["villages", "reported", "mean", "median", "p90", "total"]
TOL = 1e-9


@pytest.fixture(scope="module")
def db():
    return build(duckdb.connect())


def row(db, code, indicator="index", period="2024Q4", communities=False):
    df = db.query(
        "SELECT * FROM rollup WHERE code = $c AND indicator = $i AND period = $p "
        "AND communities = $k",
        {"c": code, "i": indicator, "p": period, "k": communities},
    )
    assert len(df) == 1
    return df.iloc[0]


def test_township_index_from_village_values(db):
    r = row(db, T1)  # V1 25, V2 100 (C1 is a community, left out)
    assert (r["villages"], r["reported"], r["reported_share"]) == (2, 2, 1.0)
    assert r["mean"] == pytest.approx(62.5, abs=TOL)
    assert r["median"] == pytest.approx(62.5, abs=TOL)
    assert r["p90"] == pytest.approx(25 + 0.9 * 75, abs=TOL)  # quantile_cont
    assert r["total"] != r["total"]  # no total for the index (NaN)


def test_communities_variant(db):
    r = row(db, T1, communities=True)  # V1 25, V2 100, C1 250
    assert (r["villages"], r["reported"]) == (3, 3)
    assert r["mean"] == pytest.approx(125.0, abs=TOL)
    assert r["median"] == pytest.approx(100.0, abs=TOL)
    assert r["p90"] == pytest.approx(100 + 0.8 * 150, abs=TOL)


def test_single_village_township(db):
    r = row(db, T2)  # V3 alone: 100 × (1 + 1 + 0) / 3
    assert r["mean"] == r["median"] == r["p90"] == pytest.approx(200 / 3, abs=TOL)


def test_missing_report_counts_as_not_reported(db):
    r = row(db, B2)  # V5 did not report in 2024Q4
    assert (r["villages"], r["reported"], r["reported_share"]) == (1, 0, 0.0)
    assert r["mean"] != r["mean"]
    b = row(db, B)  # V4 66.67, V5 missing, V6 316.67
    assert (b["villages"], b["reported"]) == (3, 2)
    assert b["reported_share"] == pytest.approx(2 / 3, abs=TOL)
    assert b["mean"] == pytest.approx((200 / 3 + 950 / 3) / 2, abs=TOL)


def test_province_mean_is_over_villages_not_over_prefecture_means(db):
    r = row(db, P)  # 25, 100, 66.67, 66.67, 316.67
    assert r["mean"] == pytest.approx(115.0, abs=TOL)
    assert r["median"] == pytest.approx(200 / 3, abs=TOL)
    pref = (row(db, A)["mean"] + row(db, B)["mean"]) / 2
    assert pref != pytest.approx(r["mean"])


def test_indicator_totals_and_over_target_share(db):
    assert row(db, A1, "tasks")["total"] == 30
    # plaques ≤ 6: V1 2 met; V3, V4 8 and V6 12 broken; V2 did not report plaques
    plaques = row(db, P, "plaques")
    assert (plaques["reported"], plaques["over_target_share"]) == (4, 0.75)
    # assessments over four quarters: only V1 has four (0+1+0+1 = 2 > 1); the rest unknown
    assert row(db, P, "assessments")["over_target_share"] == 1.0
    assert row(db, P, "tasks")["over_target_share"] != row(db, P, "tasks")["over_target_share"]
    # index: V1 (assessments, off-list task), V3, V4, V6 (plaques) break one; V2 none
    assert row(db, P)["over_target_share"] == pytest.approx(0.8, abs=TOL)


def test_county_totals_sum_to_prefecture_and_province(db):
    sums = db.query(
        """
        SELECT c.period, c.indicator, c.communities, p.code, sum(c.total) AS counties,
               any_value(p.total) AS prefecture
        FROM rollup c JOIN region r ON r.code = c.code
        JOIN rollup p ON p.code = r.parent_code AND p.period = c.period
             AND p.indicator = c.indicator AND p.communities = c.communities
        WHERE c.level = 'county' AND c.indicator <> 'index'
        GROUP BY ALL
        """
    )
    assert len(sums) > 0
    assert (sums["counties"].fillna(0) == sums["prefecture"].fillna(0)).all()
    prov = db.query(
        "SELECT sum(total) FILTER (WHERE level = 'prefecture') AS a, "
        "sum(total) FILTER (WHERE level = 'province') AS b "
        "FROM rollup WHERE indicator = 'tasks' AND period = '2024Q4' AND NOT communities"
    ).iloc[0]
    assert prov["a"] == prov["b"] == 30 + 20 + 20 + 40


def test_every_region_period_and_indicator_has_a_row(db):
    n = db.query("SELECT count(*) AS n FROM rollup")["n"].iloc[0]
    # 13 regions above villages × 6 periods × 8 (7 indicators + index) × 2 variants
    assert n == 13 * 6 * 8 * 2
    assert row(db, A2, period="2024Q2")["reported"] == 0  # a quarter only V1 reported


def test_rebuild_is_repeatable(db):
    con = duckdb.connect()
    other = build(con)
    first = other.query("SELECT * FROM rollup ORDER BY ALL")
    rollup.rebuild(con, {}, 8)
    assert other.query("SELECT * FROM rollup ORDER BY ALL").equals(first)


# --- derived tables: what pages read instead of computing live -----------------------------------

EVERYTHING = Scope.everything()


def live_statuses(db):
    """Every village's status of every target in every quarter, judged from the observations and
    items with pandas: an oracle independent of the rebuild's arrays."""
    first, last = db.query("SELECT min(period) AS a, max(period) AS b FROM observation").iloc[0]
    quarters = [
        periods.from_quarter(q) for q in range(periods.quarter(first), periods.quarter(last) + 1)
    ]
    villages = db.query("SELECT code, kind FROM region WHERE level = 'village'")
    grid = pd.MultiIndex.from_product([villages["code"], quarters], names=["village", "period"])
    values = (
        db.query("SELECT village_code AS village, period, indicator, value FROM observation")
        .pivot(index=["village", "period"], columns="indicator", values="value")
        .reindex(grid)
    )
    offlist = (
        db.query(
            "SELECT vi.village_code AS village, vi.period, it.indicator, NOT it.on_list AS off "
            "FROM village_item vi JOIN item it USING (item_id)"
        )
        .groupby(["village", "period", "indicator"])["off"]
        .sum()
        .unstack("indicator")
        .reindex(grid)
    )
    judged = {}
    for t in db.query("SELECT code, indicator, kind, threshold FROM target").itertuples():
        if t.kind == "max_value":
            checked = values.get(t.indicator)
        elif t.kind == "max_trailing4":  # all four quarters reported
            x = values.get(t.indicator)
            checked = x.groupby(level="village").transform(lambda s: s.rolling(4, 4).sum())
        else:
            checked = offlist.get(t.indicator)
        checked = pd.Series(np.nan, index=grid) if checked is None else checked.astype(float)
        judged[t.code] = np.where(
            checked.isna(), "unknown", np.where(checked > t.threshold, "broken", "met")
        )
    frame = pd.DataFrame(judged, index=grid).rename_axis(columns="target").stack()
    out = frame.rename("status").reset_index()
    return out.merge(villages.rename(columns={"code": "village"}), on="village")


def live_shares(db, statuses, region, communities):
    """Every target's counts for the villages below ``region`` (``live_statuses``)."""
    below = db.query(
        "SELECT code AS village FROM region_tree WHERE level = 'village' "
        "AND list_contains(lineage, $r)",
        {"r": region},
    )
    rows = statuses.merge(below, on="village")
    if not communities:
        rows = rows[rows["kind"] == "村"]
    counts = pd.crosstab([rows["period"], rows["target"]], rows["status"])
    counts = counts.reindex(columns=["met", "broken", "unknown"], fill_value=0)
    counts["villages"] = counts.sum(axis=1)
    for status in ("met", "broken", "unknown"):
        counts[f"{status}_share"] = counts[status] / counts["villages"]
    return counts.reset_index().rename_axis(columns=None)


def stored_shares(db, region, communities):
    return db.query(
        "SELECT * EXCLUDE (level, code, communities) FROM rollup_target "
        "WHERE code = $c AND communities = $k",
        {"c": region, "k": communities},
    )


def same_rows(left, right, keys):
    left = left.sort_values(keys).reset_index(drop=True)
    right = right[list(left.columns)].sort_values(keys).reset_index(drop=True)
    pd.testing.assert_frame_equal(left, right, check_dtype=False, check_exact=True)


def heaviest_and_lightest(kids):
    """(code, mean) of the first and last child heaviest first, as ``kpis`` used to pick them."""
    kids = kids.dropna(subset=["mean"]).sort_values(["mean", "code"], ascending=[False, True])
    return [(kids["code"].iloc[i], kids["mean"].iloc[i]) for i in (0, -1)] if len(kids) else []


def regions_above_villages(db):
    return db.query("SELECT code FROM region WHERE level <> 'village' ORDER BY code")["code"]


@pytest.mark.parametrize("communities", [False, True])
def test_rollup_target_equals_statuses_judged_live(db, communities):
    statuses = live_statuses(db)
    for code in regions_above_villages(db):
        live = live_shares(db, statuses, code, communities)
        same_rows(stored_shares(db, code, communities), live, ["period", "target"])


def test_village_target_equals_statuses_judged_live(db):
    stored = db.query("SELECT village_code AS village, period, target, status FROM village_target")
    live = live_statuses(db).drop(columns="kind")
    same_rows(stored, live, ["village", "period", "target"])


def test_region_tree(db):
    tree = db.query("SELECT * FROM region_tree").set_index("code")
    assert len(tree) == len(REGIONS)
    assert list(tree.loc[V1, "lineage"]) == [V1, T1, A1, A, P]
    assert list(tree.loc[P, "lineage"]) == [P]
    levels = ["prefecture", "county", "township", "village"]
    assert tree.loc[[P, A, A1, T1], "child_level"].tolist() == levels
    assert pd.isna(tree.loc[V1, "child_level"])
    groups = tree["area_group"]
    assert (groups[A], groups[B], groups[T1], groups[V1], groups[V3]) == (
        "半农半牧",
        "牧区",
        "农区",
        "农区",
        "牧区",
    )


def test_village_value_has_every_village_quarter_and_indicator(db):
    counts = db.query(
        "SELECT count(*) AS n, count(DISTINCT (village_code, period, indicator)) AS keys, "
        "count(value) AS reported FROM village_value"
    ).iloc[0]
    assert counts["n"] == counts["keys"] == 7 * 6 * 8  # villages × quarters × indicators + index
    observed = db.query("SELECT count(*) AS n FROM observation")["n"].iloc[0]
    indexed = db.query(
        "SELECT count(*) AS n FROM village_value WHERE indicator = 'index' AND value IS NOT NULL"
    )["n"].iloc[0]
    assert counts["reported"] == observed + indexed


@pytest.mark.parametrize("communities", [False, True])
def test_heaviest_and_lightest_child_equal_the_childrens_listing(db, communities):
    for period in periods.available(db):
        for code in regions_above_villages(db):
            kids = queries.children(db, code, period, "index", EVERYTHING, communities)
            stored = db.query(
                "SELECT heaviest_child, heaviest_child_mean, lightest_child, lightest_child_mean "
                "FROM rollup WHERE code = $c AND period = $p AND indicator = 'index' "
                "AND communities = $k",
                {"c": code, "p": period, "k": communities},
            )
            ends = [tuple(r) for r in stored.dropna().to_numpy().reshape(-1, 2)]
            assert ends == heaviest_and_lightest(kids)


def test_an_existing_database_gains_filled_derived_tables_on_migrating():
    con = duckdb.connect()
    built = build(con)
    expected = {t: built.query(f"SELECT * FROM {t} ORDER BY ALL") for t in rollup.DERIVED}
    # back to schema 2: no derived tables, no added rollup columns, the old index
    columns = [r[0] for r in con.execute("DESCRIBE rollup").fetchall()]
    for column in columns[columns.index("over_target_share") + 1 :]:
        con.execute(f"ALTER TABLE rollup DROP COLUMN {column}")
    for table in ("region_tree", "village_value", "village_target", "rollup_target"):
        con.execute(f"DROP TABLE {table}")
    con.execute("CREATE INDEX region_level ON region (level)")
    con.execute("CREATE TABLE app_user (username VARCHAR PRIMARY KEY)")  # dropped by v4
    schema.set_meta(con, "schema_version", str(schema.MIGRATIONS.index(schema._V3_DERIVED)))
    assert schema.migrate(con) == schema.SCHEMA_VERSION
    for table, frame in expected.items():
        pd.testing.assert_frame_equal(built.query(f"SELECT * FROM {table} ORDER BY ALL"), frame)


@pytest.mark.parametrize("communities", [False, True])
def test_on_the_demo_stored_shares_and_extremes_equal_live_ones(demo_db, communities):
    reader = store.Reader(demo_db)
    sample = reader.query(
        "SELECT code, level FROM region WHERE level <> 'village' "
        "QUALIFY row_number() OVER (PARTITION BY level ORDER BY hash(code)) <= 2"
    )
    latest = periods.latest(reader)
    statuses = live_statuses(reader)
    for code in sample["code"]:
        same_rows(
            stored_shares(reader, code, communities),
            live_shares(reader, statuses, code, communities),
            ["period", "target"],
        )
        kids = queries.children(reader, code, latest, "index", EVERYTHING, communities)
        k = queries.kpis(reader, code, latest, EVERYTHING, communities)
        ends = [(e.code, e.value) for e in (k.heaviest_child, k.lightest_child) if e]
        assert ends == heaviest_and_lightest(kids)
    reader.close()


def test_group_statistics_equal_duckdbs_aggregates():
    """The array roll-up against SQL on random groups (ties, gaps, members of no group)."""
    rng = np.random.default_rng(3)
    members, columns, groups = 300, 6, 7
    x = rng.integers(0, 9, (columns, members)).astype(float)  # small values: many ties
    x[rng.random(x.shape) < 0.25] = np.nan
    over = np.where(np.isnan(x), np.nan, rng.integers(0, 2, x.shape).astype(float))
    over[rng.random(x.shape) < 0.3] = np.nan  # not judged
    group = rng.integers(-1, groups, members)
    got = rollup._summary(x, over, np.argsort(x, axis=1, kind="stable"), group, groups, True)
    con = duckdb.connect()
    frame = pd.DataFrame(
        {
            "member": np.tile(np.arange(members), columns),
            "col": np.repeat(np.arange(columns), members),
            "grp": np.tile(group, columns),
            "x": x.ravel(),
            "over": over.ravel(),
        }
    )
    con.register("rows", frame.dropna(subset=["x"]))
    want = con.execute(
        """
        SELECT grp, col, count(*) AS reported, avg(x) AS mean, sum(x) AS total,
               quantile_cont(x, 0.5) AS median, quantile_cont(x, 0.9) AS p90,
               avg(over) AS over_target_share,
               first(member ORDER BY x DESC, member) AS heaviest_child,
               max(x) AS heaviest_child_mean,
               first(member ORDER BY x, member DESC) AS lightest_child,
               min(x) AS lightest_child_mean
        FROM rows WHERE grp >= 0 GROUP BY ALL
        """
    ).df()
    assert len(want) > groups * columns / 2
    for r in want.itertuples():
        for name in ("reported", "heaviest_child", "lightest_child"):
            assert got[name][r.grp, r.col] == getattr(r, name), (name, r)
        for name in ("mean", "total", "median", "p90", "over_target_share"):
            expected = getattr(r, name)
            found = got[name][r.grp, r.col]
            assert np.isnan(found) if pd.isna(expected) else found == pytest.approx(expected)
    seen = set(zip(want["grp"], want["col"], strict=True))
    for g, c in zip(*np.nonzero(got["reported"] == 0), strict=True):
        assert (g, c) not in seen and np.isnan(got["mean"][g, c])


def test_item_checks_are_read_back_only_for_quarters_whose_items_did_not_change():
    """``items`` names the quarters whose items differ from the committed snapshot."""
    con = duckdb.connect()
    db = build(con)  # committed

    def tasks_offlist():
        return db.query(
            "SELECT status FROM village_target WHERE village_code = $v AND period = '2024Q4' "
            "AND target = 'tasks_offlist'",
            {"v": V1},
        )["status"].iloc[0]

    assert tasks_offlist() == "broken"  # V1 holds I2, off the list
    con.execute("BEGIN")
    con.execute("DELETE FROM village_item WHERE period = '2024Q4'")
    rollup.rebuild(con, {}, 8, touched={"2024Q4"}, items=set())  # not declared: read back
    assert tasks_offlist() == "broken"
    rollup.rebuild(con, {}, 8, touched={"2024Q4"}, items={"2024Q4"})  # declared: counted
    assert tasks_offlist() == "unknown"
    con.execute("ROLLBACK")


def test_a_rebuild_in_bounded_pieces_equals_one_in_one_piece(db, monkeypatch):
    """Villages a few at a time and series one at a time (a national deployment's pieces)."""
    whole = {t: db.query(f"SELECT * FROM {t} ORDER BY ALL") for t in rollup.DERIVED}
    monkeypatch.setattr(rollup, "CHUNK_VALUES", 100)  # 2 villages × 6 quarters × 8 series
    con = duckdb.connect()
    pieces = build(con)
    for table, frame in whole.items():
        pd.testing.assert_frame_equal(pieces.query(f"SELECT * FROM {table} ORDER BY ALL"), frame)
