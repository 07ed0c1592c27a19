"""The ``country`` level end to end on the small national fixture: data model, queries, app."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import duckdb
import pytest

from metrics import hierarchy, index, queries, store
from metrics.regions import COUNTRY_CODE
from metrics.scope import Scope
from tests.national import fixture

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
PAGES = [
    "app_pages/trends.py",
    "app_pages/peers.py",
    "app_pages/departments.py",
    "app_pages/inspection.py",
    "app_pages/method.py",
    "app_pages/reporting.py",
]


@pytest.fixture(scope="module")
def con(national_db):
    connection = duckdb.connect(str(national_db), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def reader(national_db):
    r = store.Reader(national_db)
    yield r
    r.close()


def test_meta_records_a_country_deployment(con):
    meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    assert meta["deployment"] == "country"
    assert meta["top_region"] == COUNTRY_CODE
    assert "province" not in meta  # a national deployment has no single province


def test_country_sits_above_every_province(con):
    rows = con.execute(
        "SELECT code, level, name, parent_code FROM region WHERE level IN ('country', 'province') "
        "ORDER BY code"
    ).fetchall()
    assert rows == [
        (COUNTRY_CODE, "country", "全国", None),
        ("620000", "province", "甘肃省", COUNTRY_CODE),
        ("640000", "province", "宁夏回族自治区", COUNTRY_CODE),
        ("710000", "province", "台湾省", COUNTRY_CODE),
    ]


def test_country_rollup_counts_every_village_once(con):
    villages, reported = con.execute(
        "SELECT villages, reported FROM rollup WHERE level = 'country' AND code = ? "
        "AND indicator = 'index' AND communities AND period = '2022Q1'",
        [COUNTRY_CODE],
    ).fetchone()
    assert villages == 64
    assert 0 < reported <= villages
    by_province = con.execute(
        "SELECT sum(villages) FROM rollup WHERE level = 'province' AND indicator = 'index' "
        "AND communities AND period = '2022Q1'"
    ).fetchone()[0]
    assert by_province == villages  # 台湾省 has no villages, hence no roll-up row


def test_index_yardstick_is_national(con, reader):
    """m_i is the median over the administrative villages of the whole country at baseline."""
    national = dict(
        con.execute(
            "SELECT o.indicator, median(o.value) FROM observation o "
            "JOIN region r ON r.code = o.village_code "
            "WHERE r.kind = '村' AND o.period = '2022Q1' GROUP BY 1"
        ).fetchall()
    )
    stick = index.yardstick(reader).set_index("indicator")["median"].to_dict()
    assert stick == pytest.approx(national, abs=1e-9)
    stored = dict(
        con.execute(
            "SELECT indicator, median FROM rollup WHERE code = ? AND period = '2022Q1' "
            "AND NOT communities AND indicator <> 'index'",
            [COUNTRY_CODE],
        ).fetchall()
    )
    assert stored == pytest.approx(national, abs=1e-9)


def test_queries_list_provinces_under_the_country(reader):
    assert hierarchy.place(reader, "620101001001").lineage[-1] == COUNTRY_CODE
    assert hierarchy.place(reader, COUNTRY_CODE).child_level == "province"
    everything = Scope.everything()
    listed = queries.query(reader, "province", everything, COUNTRY_CODE)
    assert set(listed["code"]) == {"620000", "640000", "710000"}
    assert listed.set_index("code").loc["710000", "villages"] == 0  # shown as no data
    crumbs = queries.ancestors(reader, "640101001001", everything)
    assert [c.level for c in crumbs] == [
        "country",
        "province",
        "prefecture",
        "county",
        "township",
        "village",
    ]
    assert crumbs[0].name == "全国"


def test_item_detail_only_for_the_chosen_provinces(con):
    rows = con.execute("SELECT DISTINCT village_code[:2] FROM village_item").fetchall()
    prefixes = {r[0] for r in rows}
    assert prefixes == {d[:2] for d in fixture.DETAIL}


@pytest.fixture
def app(national_db, open_app):
    return functools.partial(open_app, national_db)


def test_home_is_the_country_map_of_provinces(app):
    at = app()
    assert "### 全国" in [m.value for m in at.markdown]
    assert len(at.dataframe[0].value) == 3  # two provinces with data, 台湾省 without
    assert at.query_params.get("region", COUNTRY_CODE) in (COUNTRY_CODE, [COUNTRY_CODE])


@pytest.mark.parametrize(
    ("code", "crumbs"),
    [
        ("620000", ["全国"]),
        ("620101", ["全国", "甘肃省", "甘肃第1市"]),
        ("620101001001", ["全国", "甘肃省", "甘肃第1市", "甘肃11县", "第1镇"]),
    ],
)
def test_drill_down_keeps_the_country_in_the_breadcrumb(app, code, crumbs):
    at = app(region=code)
    assert [b.label for b in at.button][: len(crumbs)] == crumbs


def test_breadcrumb_goes_back_to_the_country(app):
    at = app(region="620101")
    at.button[0].click().run()
    assert not at.exception
    assert "### 全国" in [m.value for m in at.markdown]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_at_the_country_level(app, page):
    app(page=page, region=COUNTRY_CODE)


def test_country_map_has_the_south_sea_inset_and_the_schematic_note(app):
    at = app(region=COUNTRY_CODE)
    layers = {
        layer["id"]: layer
        for layer in json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"]
    }
    assert not layers["inset"]["pickable"]
    assert [d["text"] for d in layers["inset-label"]["data"]] == ["南海诸岛"]
    assert any("示意图" in c.value for c in at.caption)


def test_province_map_has_no_inset(app):
    at = app(region="620000")
    assert '"id": "inset"' not in at.get("deck_gl_json_chart")[0].proto.json
    assert not any("示意图" in c.value for c in at.caption)
