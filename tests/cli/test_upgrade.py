"""An older database file: the app refuses it with the fix, `burdenmap upgrade` applies it."""

from pathlib import Path

import duckdb
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from cli.main import cli
from metrics import schema

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


def version_one_database(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute(schema.MIGRATIONS[0])
    schema.set_meta(con, "schema_version", "1")
    schema.set_meta(con, "simulated", "true")
    con.execute("INSERT INTO audit_log (occurred_at, action) VALUES (now(), 'kept')")
    con.close()


def test_upgrade_brings_an_old_file_to_the_current_schema_and_keeps_its_data(tmp_path):
    db = tmp_path / "old.duckdb"
    version_one_database(db)
    result = CliRunner().invoke(cli, ["--db", str(db), "--lang", "en", "upgrade"])
    assert result.exit_code == 0, result.output
    assert f"from 1 to {schema.SCHEMA_VERSION}" in result.output
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
        str(schema.SCHEMA_VERSION),
    )
    assert con.execute("SELECT action FROM audit_log").fetchall() == [("kept",)]
    con.close()
    again = CliRunner().invoke(cli, ["--db", str(db), "--lang", "en", "upgrade"])
    assert "is current" in again.output


def test_the_app_names_the_fix_for_an_old_file(tmp_path, monkeypatch):
    db = tmp_path / "old.duckdb"
    version_one_database(db)
    monkeypatch.setenv("BURDENMAP_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("burdenmap upgrade" in e.value for e in at.error)
