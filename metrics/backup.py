"""Back up and restore a deployment's data: the published snapshot, the accounts file, uploads.

A backup is a folder ``burdenmap-YYYYMMDD-HHMMSS`` holding a copy of each with a
``manifest.json`` (sha256 and size of every file, schema version, whether the data is
simulated). The database is copied under the writer lock, so no publish can interleave; the
accounts file through SQLite's online backup, which is consistent while the app writes to it.

A restore checks every checksum and the schema version first, then publishes the backed-up
database the way every writer does (temporary file, fsync, ``os.replace``): a running app
switches to it at its next query. Accounts are replaced; uploads are merged — an upload already
kept is never deleted (DESIGN §2: nothing the user sent is ever lost).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from metrics import accounts, schema, store
from metrics.errors import InvalidInputError
from metrics.importing.uploads import LEGACY_DATABASE, imports_dir
from metrics.importing.uploads import load as load_upload

MANIFEST = "manifest.json"
IMPORTS = "imports"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy an SQLite file consistently (online backup API), even while it is written.

    A new ``target`` is created readable by its owner only before anything is written to it.
    """
    if not target.exists():
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _meta(path: Path) -> dict[str, str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return dict(con.execute("SELECT key, value FROM meta").fetchall())
    finally:
        con.close()


def backup(
    db_path: str | os.PathLike[str], target: str | os.PathLike[str], now: datetime | None = None
) -> Path:
    """Copy the published database, its accounts file and its uploads into a new folder.

    Parameters
    ----------
    db_path
        The published database.
    target
        Folder in which the backup folder is created.
    now
        Time stamp of the backup (default: now).

    Returns
    -------
    pathlib.Path
        The backup folder.

    Raises
    ------
    DatabaseMissingError
        If there is no published database.

    """
    db_path = Path(db_path)
    if not db_path.exists():
        raise store.DatabaseMissingError(db_path)
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    folder = Path(target) / f"burdenmap-{stamp}"
    Path(target).mkdir(parents=True, exist_ok=True)
    folder.mkdir(mode=0o700)  # the copies hold samples, flags and password hashes
    with store.writer_lock(db_path):
        shutil.copyfile(db_path, folder / db_path.name)
    found = _meta(folder / db_path.name)
    users = accounts.accounts_path(db_path)
    if users.exists():
        _sqlite_copy(users, folder / users.name)
    uploads = imports_dir(db_path)
    if uploads.is_dir():
        shutil.copytree(uploads, folder / IMPORTS)
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    manifest = {
        "created_at": stamp,
        "database": db_path.name,
        "accounts": users.name if users.exists() else None,
        "schema_version": int(found.get("schema_version", 0)),
        "simulated": found.get("simulated", "true") != "false",
        "files": {
            str(p.relative_to(folder)): {"sha256": _sha256(p), "bytes": p.stat().st_size}
            for p in files
        },
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
    return folder


def _refuse_links(folder: Path) -> None:
    """Refuse a backup holding symbolic links (a restore copies files, never what links name)."""
    for path in folder.rglob("*"):
        if path.is_symlink():
            raise InvalidInputError(
                f"备份中有符号链接 {path.relative_to(folder)}，未做任何恢复",
                f"The backup holds a symbolic link {path.relative_to(folder)}; nothing restored",
            )


def check(folder: str | os.PathLike[str]) -> dict[str, Any]:
    """The manifest of the backup in ``folder`` once every file matches it.

    The checksums catch damaged or partly copied backups, not a deliberate forgery: keep
    backups where only administrators can write.

    Raises
    ------
    InvalidInputError
        If the manifest is missing or names a file outside the backup, a file is missing,
        altered or unlisted, the backup holds a symbolic link, or the database's schema is newer
        than this program's.

    """
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError) as err:
        raise InvalidInputError(
            f"{folder} 不是 burdenmap 备份（缺少或无法读取 {MANIFEST}）",
            f"{folder} is not a burdenmap backup (missing or unreadable {MANIFEST})",
        ) from err
    _refuse_links(folder)
    files = manifest.get("files", {})
    named = [manifest.get("database"), manifest.get("accounts")]
    for name in [n for n in named if n is not None]:
        if name not in files or Path(name).name != name:
            raise InvalidInputError(
                f"备份清单有误：{name!r} 不是清单中的文件，未做任何恢复",
                f"Bad backup manifest: {name!r} is not one of its files; nothing restored",
            )
    for name, expected in files.items():
        path = folder / name
        if not path.resolve().is_relative_to(folder.resolve()):
            raise InvalidInputError(
                f"备份清单有误：{name!r} 指向备份目录之外，未做任何恢复",
                f"Bad backup manifest: {name!r} points outside the backup; nothing restored",
            )
        if not path.is_file() or _sha256(path) != expected["sha256"]:
            raise InvalidInputError(
                f"备份文件 {name} 缺失或已被改动（校验和不符），未做任何恢复",
                f"Backup file {name} is missing or altered (checksum mismatch); nothing restored",
            )
    present = {str(f.relative_to(folder)) for f in folder.rglob("*") if f.is_file()}
    unlisted = sorted(present - set(files) - {MANIFEST})
    if unlisted:
        raise InvalidInputError(
            f"备份中有清单外的文件 {unlisted[0]}，未做任何恢复",
            f"The backup holds a file its manifest does not list, {unlisted[0]}; nothing restored",
        )
    if manifest["schema_version"] > schema.SCHEMA_VERSION:
        raise InvalidInputError(
            f"备份的数据库结构版本 {manifest['schema_version']} 比本程序新，请先升级程序",
            f"The backup's schema version {manifest['schema_version']} is newer than this "
            "program; upgrade the program first",
        )
    return manifest


def restore(folder: str | os.PathLike[str], db_path: str | os.PathLike[str]) -> dict[str, int]:
    """Restore the backup in ``folder`` over the deployment whose database is ``db_path``.

    Returns
    -------
    dict
        ``uploads`` copied back (those already present are kept as they are) and ``accounts``
        (1 if the accounts file was restored; every session is then ended, so that none revoked
        since the backup comes back). An older schema is upgraded after the restore.

    Raises
    ------
    InvalidInputError
        See :func:`check`; nothing is changed then.

    """
    folder, db_path = Path(folder), Path(db_path)
    manifest = check(folder)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    store.publish_file(db_path, folder / manifest["database"])
    if manifest["schema_version"] < schema.SCHEMA_VERSION:
        store.publish(db_path, lambda _con: None)  # every publish runs the forward migrations
    restored = {"accounts": 0, "uploads": 0}
    if manifest["accounts"]:
        target = accounts.accounts_path(db_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(folder / manifest["accounts"], target)
        accounts.end_all_sessions(target, actor="restore")  # revoked sessions stay revoked
        restored["accounts"] = 1
    kept = folder / IMPORTS
    if kept.is_dir():
        uploads = imports_dir(db_path)
        for upload in sorted(p for p in kept.iterdir() if p.is_dir()):
            if not (uploads / upload.name).exists():
                shutil.copytree(upload, uploads / upload.name)
                _relabel(uploads / upload.name, manifest["database"], db_path.name)
                restored["uploads"] += 1
    return restored


def _relabel(upload: Path, was: str, now: str) -> None:
    """Let the upload at ``upload`` of the database file ``was`` belong to ``now`` instead.

    A backup restored under another file name keeps its uploads listed with its database
    (:func:`metrics.importing.uploads.all_uploads`); other databases' uploads keep their name.
    """
    found = load_upload(upload)
    if was != now and found.manifest.get("database", LEGACY_DATABASE) == was:
        found.update(database=now)
