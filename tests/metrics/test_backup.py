"""Backup and restore: everything comes back, altered backups are refused, no upload is lost."""

import json
import stat
from datetime import datetime

import pytest
from click.testing import CliRunner

from cli.main import cli
from metrics import accounts, backup, store
from metrics.errors import InvalidInputError
from metrics.importing import uploads

T0 = datetime(2026, 1, 2, 3, 4, 5)


@pytest.fixture
def deployment(tmp_path, monkeypatch):
    monkeypatch.setenv("BURDENMAP_BCRYPT_COST", "4")
    db = tmp_path / "live" / "burden.duckdb"
    db.parent.mkdir()
    store.init_database(db, {"province": "630000", "simulated": "false"})
    store.publish(db, lambda con: con.execute("INSERT INTO meta VALUES ('note', 'before')"))
    accounts.add_user(
        accounts.accounts_path(db),
        "leader",
        "secret-pass-1",
        "province",
        regions=store.Reader(db),
        actor="cli",
    )
    uploads.keep(db, b"village_code,period\n", "a.csv", user="cli", at=T0)
    return db


def note(db):
    reader = store.Reader(db)
    try:
        return reader.scalar("SELECT value FROM meta WHERE key = 'note'")
    finally:
        reader.close()


def test_backup_then_restore_brings_everything_back(deployment, tmp_path):
    db = deployment
    folder = backup.backup(db, tmp_path / "backups", now=T0)
    assert folder.name == "burdenmap-20260102-030405"
    manifest = json.loads((folder / backup.MANIFEST).read_text("utf-8"))
    assert manifest["simulated"] is False and manifest["accounts"] == "burden.accounts.sqlite"
    assert stat.S_IMODE((folder / "burden.accounts.sqlite").stat().st_mode) == 0o600
    # disaster: the data changes, the account and the upload are gone
    store.publish(db, lambda con: con.execute("UPDATE meta SET value = 'after' WHERE key = 'note'"))
    accounts.accounts_path(db).unlink()
    kept = uploads.imports_dir(db)
    for upload in kept.iterdir():
        for f in upload.iterdir():
            f.unlink()
        upload.rmdir()
    later = uploads.keep(db, b"x\n", "b.csv", user="cli", at=datetime(2026, 2, 1))
    assert note(db) == "after"

    done = backup.restore(folder, db)

    assert note(db) == "before"
    assert [u.username for u in accounts.list_users(accounts.accounts_path(db))] == ["leader"]
    assert done == {"accounts": 1, "uploads": 1}
    assert later.folder.exists()  # an upload newer than the backup is kept
    assert len(list(kept.iterdir())) == 2


def test_a_backup_restored_under_another_name_keeps_listing_its_uploads(deployment, tmp_path):
    other = deployment.with_name("real.duckdb")  # shares the imports folder
    store.init_database(other, {"province": "630000", "simulated": "false"})
    uploads.keep(other, b"y\n", "theirs.csv", user="cli", at=T0)
    folder = backup.backup(deployment, tmp_path / "backups", now=T0)

    moved = tmp_path / "moved" / "province.duckdb"
    done = backup.restore(folder, moved)

    assert done["uploads"] == 2
    assert [u.manifest["filename"] for u in uploads.all_uploads(moved)] == ["a.csv"]
    assert [
        u.manifest["filename"] for u in uploads.all_uploads(moved.with_name("real.duckdb"))
    ] == ["theirs.csv"]


def test_an_altered_backup_is_refused_and_nothing_changes(deployment, tmp_path):
    db = deployment
    folder = backup.backup(db, tmp_path / "backups", now=T0)
    store.publish(db, lambda con: con.execute("UPDATE meta SET value = 'after' WHERE key = 'note'"))
    with (folder / "burden.duckdb").open("r+b") as fh:
        fh.seek(5000)
        fh.write(b"\x00garbage")
    before = db.read_bytes()
    with pytest.raises(InvalidInputError, match=r"burden\.duckdb"):
        backup.restore(folder, db)
    assert db.read_bytes() == before
    with pytest.raises(InvalidInputError, match="manifest"):
        backup.restore(tmp_path, db)


def test_cli_backup_and_restore(deployment, tmp_path):
    db = deployment
    runner = CliRunner()
    made = runner.invoke(cli, ["--db", str(db), "backup", str(tmp_path / "b")])
    assert made.exit_code == 0, made.output
    folder = next((tmp_path / "b").iterdir())
    store.publish(db, lambda con: con.execute("UPDATE meta SET value = 'after' WHERE key = 'note'"))
    refused = runner.invoke(cli, ["--db", str(db), "restore", str(folder)], input="n\n")
    assert refused.exit_code != 0 and note(db) == "after"
    done = runner.invoke(cli, ["--db", str(db), "restore", str(folder), "--yes"])
    assert done.exit_code == 0, done.output
    assert note(db) == "before"


@pytest.mark.parametrize(
    "tamper",
    ["outside", "unlisted", "symlink"],
)
def test_a_hostile_backup_is_refused_before_anything_changes(deployment, tmp_path, tamper):
    db = deployment
    folder = backup.backup(db, tmp_path / "backups", now=T0)
    manifest = json.loads((folder / backup.MANIFEST).read_text("utf-8"))
    if tamper == "outside":  # the database named from outside the checked files
        (tmp_path / "other.duckdb").write_bytes(db.read_bytes())
        manifest["database"] = "../other.duckdb"
        (folder / backup.MANIFEST).write_text(json.dumps(manifest), "utf-8")
    elif tamper == "unlisted":
        (folder / backup.IMPORTS / "extra.csv").write_bytes(b"x")
    else:
        (folder / backup.IMPORTS / "etc").symlink_to("/etc")
    before = db.read_bytes()
    with pytest.raises(InvalidInputError):
        backup.restore(folder, db)
    assert db.read_bytes() == before


def test_backups_are_private_and_a_restore_ends_every_session(deployment, tmp_path):
    db = deployment
    path = accounts.accounts_path(db)
    user = accounts.get_user(path, "leader")
    token = accounts.issue_token(user, accounts.secret(path))
    folder = backup.backup(db, tmp_path / "backups", now=T0)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert accounts.verify_token(path, token, accounts.secret(path)) is not None
    backup.restore(folder, db)
    assert accounts.verify_token(path, token, accounts.secret(path)) is None
