"""Writing the demo into the schema, and publishing a whole demo database."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from metrics import regions, schema, store
from metrics.demo import build_demo, calibration, generate, write
from metrics.demo.departments import ITEM_INDICATORS

# county -> (prefecture, area type, township sizes)
COUNTIES = {
    "630102": ("630100", "农区", [9, 7]),
    "630121": ("630100", "农区", [8]),
    "632621": ("632600", "牧区", [6, 5]),
}


def tiny_gazetteer() -> regions.Gazetteer:
    def layer(rows: list[tuple[str, str, str | None, float]], **extra) -> gpd.GeoDataFrame:
        codes, names, parents, x = zip(*rows, strict=True)
        geoms = [box(90 + i, 35, 91 + i, 36) for i in x]
        cols = {"code": codes, "name": names, "parent_code": parents, **extra}
        return gpd.GeoDataFrame(cols, geometry=geoms, crs="EPSG:4326")

    towns, villages = [], []
    for county, (_, _, sizes) in COUNTIES.items():
        for i, size in enumerate(sizes, start=1):
            town = f"{county}{i:03d}000"
            towns.append((town, f"镇{i}", f"镇{i}", county, 100.0, 36.0, True))
            for j in range(1, size + 1):
                kind = "社区" if j == 1 else "村"
                code = f"{town[:9]}{j:03d}"
                place = (100.0, 36.0, True)
                villages.append(
                    (code, f"村{j}", f"村{j}委会", kind, town, f"镇{i}", county, *place)
                )
    village_cols = "code name name_original kind township_code township_name county_code"
    return regions.Gazetteer(
        province=layer([("630000", "青海省", None, 0)]),
        prefectures=layer([("630100", "西宁市", "630000", 0), ("632600", "果洛州", "630000", 1)]),
        counties=layer(
            [(c, f"县{c}", p, i) for i, (c, (p, _, _)) in enumerate(COUNTIES.items())],
            area_type=[a for _, a, _ in COUNTIES.values()],
        ),
        townships=pd.DataFrame(
            towns,
            columns="code name name_original county_code lon lat position_approximate".split(),
        ),
        villages=pd.DataFrame(
            villages, columns=f"{village_cols} lon lat position_approximate".split()
        ),
    )


@pytest.fixture
def tiny(monkeypatch) -> regions.Gazetteer:
    gaz = tiny_gazetteer()
    monkeypatch.setattr(regions, "load_gazetteer", lambda province="630000": gaz)
    return gaz


def test_write_fills_the_schema_tables(tiny):
    data = generate(tiny.villages, seed=3)
    con = duckdb.connect()
    schema.migrate(con)
    counts = write(con, data, now=datetime(2026, 1, 1))
    for table, frame in data.tables().items():
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == len(frame) > 0
        assert counts[table] == len(frame)
    batch = con.execute("SELECT batch_id, kind, status, rows FROM import_batch").fetchall()
    assert batch == [(counts["batch_id"], "demo", "published", len(data.observation))]
    assert con.execute("SELECT DISTINCT batch_id FROM village_item").fetchall() == [(1,)]


def test_written_item_counts_equal_values_in_sql(tiny):
    con = duckdb.connect()
    schema.migrate(con)
    write(con, generate(tiny.villages, seed=3))
    bad = con.execute(
        """
        WITH n AS (SELECT village_code, period, indicator, count(*) AS n
                   FROM village_item JOIN item USING (item_id) GROUP BY ALL)
        SELECT count(*) FROM observation o
        LEFT JOIN n USING (village_code, period, indicator)
        WHERE list_contains($ind, o.indicator) AND o.value <> COALESCE(n.n, 0)
        """,
        {"ind": list(ITEM_INDICATORS)},
    ).fetchone()[0]
    assert bad == 0


def test_build_demo_publishes_and_replaces_a_database(tiny, tmp_path: Path):
    path = tmp_path / "burden.duckdb"
    messages: list[str] = []
    first = build_demo(path, seed=7, progress=messages.append)
    assert messages and first["village"] == len(tiny.villages)
    store.publish(
        path,
        lambda con: con.execute(
            "INSERT INTO audit_log (occurred_at, user_name, action) "
            "VALUES (now(), 'admin', 'rollback')"
        ),
    )
    size = path.stat().st_size
    second = build_demo(path, seed=8)
    assert path.stat().st_size < 1.2 * size, "a rebuild starts fresh instead of growing the file"
    reader = store.Reader(path)
    meta = reader.meta()
    assert meta["simulated"] == "true" and meta["seed"] == "8"
    assert meta["province"] == meta["top_region"] == "630000"
    assert meta["baseline_period"] == calibration.BASELINE_PERIOD == "2022Q1"
    assert datetime.fromisoformat(meta["generated_at"])
    assert meta["demo_rebound_counties"] == ",".join(second["rebound_counties"])
    expected = generate(tiny.villages, seed=8)
    for table, frame in expected.tables().items():
        assert reader.scalar(f"SELECT count(*) FROM {table}") == len(frame), table
    assert reader.scalar("SELECT count(*) FROM import_batch") == 1
    assert reader.execute("SELECT user_name, action FROM audit_log") == [("admin", "rollback")]
    levels = dict(reader.execute("SELECT level, count(*) FROM region GROUP BY level"))
    assert levels == {"province": 1, "prefecture": 2, "county": 3, "township": 5, "village": 35}
    assert reader.scalar("SELECT count(*) FROM rollup") > 0
    reader.close()


def test_full_qinghai_build_is_complete(demo_db: Path):
    # build time is measured by `make bench`, not asserted here
    reader = store.Reader(demo_db)
    levels = dict(reader.execute("SELECT level, count(*) FROM region GROUP BY level"))
    assert (levels["prefecture"], levels["county"], levels["village"]) == (8, 45, 4612)
    periods = reader.scalar("SELECT count(DISTINCT period) FROM observation")
    assert periods == len(calibration.PERIODS) == 16
    assert (
        reader.scalar(
            "SELECT count(*) FROM observation o LEFT JOIN region r "
            "ON r.code = o.village_code AND r.level = 'village' "
            "WHERE r.code IS NULL"
        )
        == 0
    )
    assert reader.scalar("SELECT count(*) FROM village_item") > 5_000_000
    reader.close()
