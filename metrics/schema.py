"""Database schema and forward migrations.

Table and column names are part of the product's interface: analysts query the file directly
(DESIGN §3). ``MIGRATIONS[n]`` takes a database from schema version ``n`` to ``n + 1``; a new
database runs them all. Never edit a released migration — append a new one.
"""

from __future__ import annotations

import duckdb

from metrics import registry

_V1 = """
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);

-- Every unit from the province (or country) down to villages and communities.
CREATE TABLE region (
    code VARCHAR PRIMARY KEY,            -- GB/T 2260 (6 digits) or 12-digit statistical shape
    level VARCHAR NOT NULL,              -- country|province|prefecture|county|township|village
    name VARCHAR NOT NULL,               -- clean display name (红卫村)
    name_original VARCHAR,               -- as in the source (红卫村委会)
    parent_code VARCHAR,
    kind VARCHAR,                        -- 村 | 社区 (villages only)
    area_type VARCHAR,                   -- 农区 | 牧区 | 半农半牧 (county and below)
    lon DOUBLE,
    lat DOUBLE,
    position_approximate BOOLEAN
);
CREATE INDEX region_parent ON region (parent_code);
CREATE INDEX region_level ON region (level);

CREATE TABLE boundary (code VARCHAR PRIMARY KEY, level VARCHAR NOT NULL, geometry GEOMETRY);

CREATE TABLE indicator (
    code VARCHAR PRIMARY KEY, name_zh VARCHAR, name_en VARCHAR, unit_zh VARCHAR,
    unit_en VARCHAR, kind VARCHAR, direction VARCHAR, weight DOUBLE, max_plausible INTEGER,
    description_zh VARCHAR, description_en VARCHAR
);
CREATE TABLE target (
    code VARCHAR PRIMARY KEY, indicator VARCHAR NOT NULL, kind VARCHAR NOT NULL,
    threshold DOUBLE, rule_zh VARCHAR, rule_en VARCHAR, basis_zh VARCHAR, basis_en VARCHAR
);

CREATE TABLE import_batch (
    batch_id INTEGER PRIMARY KEY,
    kind VARCHAR NOT NULL,               -- demo|observations|items|visits|gazetteer|rollback
    filename VARCHAR,
    sha256 VARCHAR,
    stored_path VARCHAR,                 -- original bytes under data/imports/
    user_name VARCHAR,
    created_at TIMESTAMP NOT NULL,
    status VARCHAR NOT NULL,             -- published|rejected|rolled_back
    rows INTEGER,
    message VARCHAR
);

-- Large tables carry no PRIMARY KEY: DuckDB's ART index costs ~108 MB per million rows and every
-- publish copies the file. Uniqueness of (village_code, period, indicator) in observation,
-- (village_code, period) in report, (village_code, period, item_id) in village_item and of the
-- rollup key is enforced by the writers (import validation, generators) and checked by tests.

-- Long format: one row per village, quarter and indicator; a new indicator needs no new column.
CREATE TABLE observation (
    village_code VARCHAR NOT NULL,
    period VARCHAR NOT NULL,             -- YYYYQn
    indicator VARCHAR NOT NULL,
    value INTEGER NOT NULL,
    batch_id INTEGER NOT NULL
);
-- Values overwritten by an import with --replace, kept so a rollback restores them exactly.
CREATE TABLE observation_replaced (
    village_code VARCHAR NOT NULL, period VARCHAR NOT NULL, indicator VARCHAR NOT NULL,
    value INTEGER NOT NULL, batch_id INTEGER NOT NULL, replaced_by INTEGER NOT NULL
);

CREATE TABLE report (
    village_code VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    reported_at TIMESTAMP NOT NULL,      -- deadline: 15 days after quarter end
    batch_id INTEGER NOT NULL
);

CREATE TABLE department (
    department_id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    level VARCHAR NOT NULL               -- province|county
);
CREATE TABLE item (
    item_id INTEGER PRIMARY KEY,
    indicator VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    department_id INTEGER NOT NULL,
    basis VARCHAR,                       -- legal or policy basis, when on the list
    on_list BOOLEAN NOT NULL             -- on the approved list (for platforms: a compliant app)
);
CREATE TABLE village_item (
    village_code VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    item_id INTEGER NOT NULL,
    batch_id INTEGER NOT NULL
);

CREATE TABLE visit (
    visit_id INTEGER PRIMARY KEY,
    village_code VARCHAR NOT NULL,
    period VARCHAR NOT NULL,             -- the quarter whose report was checked
    kind VARCHAR NOT NULL,               -- 督查 (inspection) | 调研 (research) | 抽查 (spot check)
    result VARCHAR NOT NULL,             -- 一致 consistent | 不一致 discrepancy
    visited_on DATE,
    batch_id INTEGER NOT NULL
);
CREATE TABLE visit_value (
    visit_id INTEGER NOT NULL,
    indicator VARCHAR NOT NULL,
    reported INTEGER,
    verified INTEGER,
    PRIMARY KEY (visit_id, indicator)
);

-- Pre-computed aggregates, rebuilt whenever a snapshot is published (metrics issue).
CREATE TABLE rollup (
    period VARCHAR NOT NULL,
    level VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL,          -- a registry code or 'index'
    communities BOOLEAN NOT NULL,        -- whether 社区 are included
    villages INTEGER,
    reported INTEGER,
    mean DOUBLE,
    median DOUBLE,
    p90 DOUBLE,
    total DOUBLE,
    reported_share DOUBLE,
    over_target_share DOUBLE
);

CREATE SEQUENCE audit_seq;
CREATE TABLE audit_log (
    id BIGINT PRIMARY KEY DEFAULT nextval('audit_seq'),
    occurred_at TIMESTAMP NOT NULL,
    user_name VARCHAR,
    action VARCHAR NOT NULL,
    detail VARCHAR
);

CREATE TABLE app_user (
    username VARCHAR PRIMARY KEY,
    display_name VARCHAR,
    role VARCHAR NOT NULL,
    scope_code VARCHAR,
    password_hash VARCHAR NOT NULL,
    disabled BOOLEAN NOT NULL DEFAULT false,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);

-- Planted ground truth in simulated databases only.
CREATE TABLE demo_anomaly (
    village_code VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,               -- copy_paste|sudden_drop|round_heaping|missing_report
    indicator VARCHAR,
    detail VARCHAR
);
"""

# Inspection samples (metrics/sampling.py): drafts until released, with seed and parameters.
_V2_SAMPLES = """
CREATE TABLE sample (
    sample_id INTEGER PRIMARY KEY,
    created_at TIMESTAMP NOT NULL,
    created_by VARCHAR,
    status VARCHAR NOT NULL,             -- draft|released
    released_at TIMESTAMP,
    released_by VARCHAR,
    period VARCHAR NOT NULL,             -- the quarter whose reports are to be checked
    seed BIGINT NOT NULL,
    within VARCHAR,                      -- region sampled (NULL: the whole deployment)
    params VARCHAR NOT NULL,             -- the design as JSON (reproduces the draw)
    eligible INTEGER,                    -- villages that could be drawn
    excluded INTEGER                     -- villages left out as visited recently
);
CREATE TABLE sample_village (
    sample_id INTEGER NOT NULL,
    village_code VARCHAR NOT NULL,
    stratum VARCHAR NOT NULL,            -- county code
    draw VARCHAR NOT NULL,               -- risk (weighted) | random (control)
    weight DOUBLE,                       -- draw weight: 1 + the flags' risk weights
    flags VARCHAR,                       -- flag codes at draw time, comma-separated
    reasons VARCHAR,                     -- their reasons in Chinese
    PRIMARY KEY (sample_id, village_code)
);
"""

# The region tree, village results, progress, children extremes and target shares, rebuilt with
# ``rollup`` at every publish (metrics/rollup.py) so pages read them instead of computing them
# live. Derived data like ``rollup``: never edited, only rebuilt; the rebuild enforces each
# table's key (region_tree: code; the village tables: village_code, period and indicator or
# target; rollup_target: period, code, target, communities).
# Progress (metrics/progress.py), in ``rollup`` and ``village_value``: the value at the baseline
# period and a year earlier, the changes against them, and whether the value rebounds (反弹).
_V3_DERIVED = """
-- An ART index on a column of five values makes DuckDB fetch a level's rows one by one: scans
-- by level were 4× slower with it.
DROP INDEX IF EXISTS region_level;

-- Where every region sits in the tree.
CREATE TABLE region_tree (
    code VARCHAR NOT NULL,
    level VARCHAR NOT NULL,              -- as in region
    lineage VARCHAR[] NOT NULL,          -- its code, its parent's, … up to the top region's
    child_level VARCHAR,                 -- level of its children (NULL: none)
    area_group VARCHAR                   -- peer group: its area type (townships and villages:
                                         -- their county's; prefectures: that of most of their
                                         -- counties, a tie: 半农半牧)
);

ALTER TABLE rollup ADD COLUMN baseline_value DOUBLE;
ALTER TABLE rollup ADD COLUMN change_vs_baseline DOUBLE;
ALTER TABLE rollup ADD COLUMN change_vs_baseline_pct DOUBLE;
ALTER TABLE rollup ADD COLUMN year_ago_value DOUBLE;
ALTER TABLE rollup ADD COLUMN change_vs_year_ago DOUBLE;
ALTER TABLE rollup ADD COLUMN change_vs_year_ago_pct DOUBLE;
ALTER TABLE rollup ADD COLUMN rebound BOOLEAN;
-- The region's children (regions at its child level below it; villages: by the variant) with the
-- highest and lowest mean in the period (ties: the lower code is heaviest, the higher lightest).
ALTER TABLE rollup ADD COLUMN heaviest_child VARCHAR;
ALTER TABLE rollup ADD COLUMN heaviest_child_mean DOUBLE;
ALTER TABLE rollup ADD COLUMN lightest_child VARCHAR;
ALTER TABLE rollup ADD COLUMN lightest_child_mean DOUBLE;

-- Every village, quarter from the first to the last with data, and indicator (and 'index'): the
-- village's value (NULL: not reported) with its progress.
CREATE TABLE village_value (
    village_code VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL,          -- a registry code or 'index'
    value DOUBLE,
    over_target BOOLEAN,                 -- breaks a target of the indicator (index: any target);
                                         -- NULL when none could be judged
    baseline_value DOUBLE,
    change_vs_baseline DOUBLE,
    change_vs_baseline_pct DOUBLE,
    year_ago_value DOUBLE,
    change_vs_year_ago DOUBLE,
    change_vs_year_ago_pct DOUBLE,
    rebound BOOLEAN NOT NULL
);

-- Every target (target.code) for every village and quarter from the first to the last with data.
CREATE TABLE village_target (
    village_code VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    target VARCHAR NOT NULL,
    checked DOUBLE,                      -- value judged: the quarter's, the four-quarter sum or
                                         -- the off-list item count; NULL when unknown
    status VARCHAR NOT NULL              -- met|broken|unknown
);

-- Per region above the village, period, target and communities variant (as in rollup): how many
-- villages meet, break or cannot be judged on the target; the three shares add up to 1.
CREATE TABLE rollup_target (
    period VARCHAR NOT NULL,
    level VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    target VARCHAR NOT NULL,
    communities BOOLEAN NOT NULL,
    villages BIGINT NOT NULL,
    met BIGINT NOT NULL,
    broken BIGINT NOT NULL,
    unknown BIGINT NOT NULL,
    met_share DOUBLE NOT NULL,
    broken_share DOUBLE NOT NULL,
    unknown_share DOUBLE NOT NULL
);
"""

# Accounts moved to their own SQLite file (metrics/accounts.py): a sign-in must not publish a
# snapshot. The table was never written by any release, so nothing is lost.
_V4_NO_ACCOUNTS = "DROP TABLE app_user;"

MIGRATIONS: tuple[str, ...] = (_V1, _V2_SAMPLES, _V3_DERIVED, _V4_NO_ACCOUNTS)
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """Schema version of the database behind ``con`` (0 for an empty database)."""
    has_meta = con.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_name = 'meta' AND table_catalog = current_database()"
    ).fetchone()[0]
    if not has_meta:
        return 0
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply every migration the database lacks, then reseed the registry tables.

    An existing database that gains the derived tables (``_V3_DERIVED``) has them filled by a
    roll-up rebuild, so that any publish upgrades it completely. Returns the schema version
    reached. Runs inside the caller's transaction.
    """
    current = schema_version(con)
    if current > SCHEMA_VERSION:
        raise RuntimeError(
            f"数据库结构版本 {current} 比本程序支持的 {SCHEMA_VERSION} 新，请升级程序 / "
            f"database schema {current} is newer than this program's {SCHEMA_VERSION}"
        )
    for version in range(current, SCHEMA_VERSION):
        con.execute(MIGRATIONS[version])
        set_meta(con, "schema_version", str(version + 1))
    seed_registry(con)
    if 0 < current <= MIGRATIONS.index(_V3_DERIVED):
        from metrics import rollup  # here: rollup imports this module

        rollup.rebuild(con)
    return SCHEMA_VERSION


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    """Insert or replace one ``meta`` entry."""
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])


def get_meta(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """All ``meta`` entries as a dict."""
    return dict(con.execute("SELECT key, value FROM meta").fetchall())


def seed_registry(con: duckdb.DuckDBPyConnection, weights: dict[str, float] | None = None) -> None:
    """(Re)write the ``indicator`` and ``target`` tables from the registry.

    ``weights`` overrides registry weights (configuration); the stored weights are the ones the
    index was computed with.
    """
    weights = weights or {}
    con.execute("DELETE FROM indicator")
    con.execute("DELETE FROM target")
    con.executemany(
        "INSERT INTO indicator VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [
                i.code,
                i.name_zh,
                i.name_en,
                i.unit_zh,
                i.unit_en,
                i.kind,
                i.direction,
                weights.get(i.code, i.weight),
                i.max_plausible,
                i.description_zh,
                i.description_en,
            ]
            for i in registry.INDICATORS
        ],
    )
    con.executemany(
        "INSERT INTO target VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [t.code, t.indicator, t.kind, t.threshold, t.rule_zh, t.rule_en, t.basis_zh, t.basis_en]
            for t in registry.TARGETS
        ],
    )
