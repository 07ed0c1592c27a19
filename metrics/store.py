"""The published database: read-only snapshot readers and the single writer path (DESIGN §2).

The database is one DuckDB file that is only ever replaced whole. A writer takes an exclusive file
lock, copies the published file to a temporary file beside it, applies its change there in one
transaction, checkpoints, fsyncs and moves it over the published file with ``os.replace``. A
crash at any point leaves the previous snapshot untouched; the next writer removes the torn
temporary file.

Readers attach the file read-only on a private in-memory connection. DuckDB caches database
instances by path, so reconnecting to the same path would keep serving the replaced snapshot
(STACK.md, "Snapshot swap trap"); attaching on a *fresh* in-memory connection opens the new file.
Every query first compares the file's inode, mtime and size with the snapshot in use and switches
over when they differ; queries still running on the old snapshot finish on it.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import duckdb
import filelock

from metrics import schema
from metrics.errors import BurdenmapError

if TYPE_CHECKING:
    import pandas as pd

T = TypeVar("T")
Params = Sequence[Any] | Mapping[str, Any] | None

LOCK_SUFFIX = ".lock"


class StoreError(BurdenmapError):
    """The published database cannot be read or written as asked."""


class DatabaseMissingError(StoreError):
    """The database file does not exist."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(
            f"数据库文件不存在：{path}。请先运行 `burdenmap demo`（模拟数据）"
            "或 `burdenmap init`（新建空库）。",
            f"Database file not found: {path}. Run `burdenmap demo` (simulated data) or "
            "`burdenmap init` (empty database) first.",
        )


class DatabaseExistsError(StoreError):
    """Creating a database would overwrite an existing file."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(
            f"数据库文件已存在：{path}，未覆盖。如需在此新建数据库，"
            "请先移走或删除该文件，或选择覆盖它（原有内容将被替换）。",
            f"Database file already exists: {path}; not overwritten. To build a database there, "
            "move or delete the file first, or choose to overwrite it (replacing what it holds).",
        )


class WriterBusyError(StoreError):
    """Another writer held the lock for longer than the timeout."""

    def __init__(self, path: str | os.PathLike[str], timeout: float) -> None:
        super().__init__(
            f"另一个导入或写入正在进行（{path}），等待 {timeout:g} 秒后仍未结束，请稍后再试。",
            f"Another import is writing {path}; still busy after {timeout:g} s. Try again later.",
        )


class ForeignWalError(StoreError):
    """The published file has a write-ahead log, so it was written outside this module."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(
            f"数据库文件旁有未合并的日志 {path}.wal：有程序绕过 burdenmap 以读写方式打开过它。"
            "请关闭该程序；用 duckdb 打开该文件执行 CHECKPOINT 后再试。",
            f"The database has an unmerged log {path}.wal: a program opened it read-write outside "
            "burdenmap. Close that program, open the file with duckdb and run CHECKPOINT, then "
            "retry.",
        )


# --------------------------------------------------------------------------------------------
# Readers


def _stat_key(path: Path) -> tuple[int, int, int]:
    """Inode, mtime (ns) and size of ``path``: changes whenever a snapshot is published."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise DatabaseMissingError(path) from None
    return st.st_ino, st.st_mtime_ns, st.st_size


@dataclass(eq=False)
class _Snapshot:
    """One attached snapshot and the number of queries running on it."""

    con: duckdb.DuckDBPyConnection
    alias: str
    key: tuple[int, int, int]
    users: int = 0
    retired: bool = False


class Reader:
    """Read-only access to the published database, following newly published snapshots.

    Create one per process and share it between threads: every query runs on its own cursor.

    Parameters
    ----------
    path
        The published database file.

    Raises
    ------
    DatabaseMissingError
        If the file does not exist (also raised by a query if it has disappeared since).

    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._serial = 0
        self._snap: _Snapshot | None = None
        self._closed = False
        self._current()

    @property
    def snapshot_id(self) -> str:
        """``"<inode>-<mtime>"`` of the newest snapshot (checked now), for cache keys."""
        key = self._current().key
        return f"{key[0]}-{key[1]}"

    def query(self, sql: str, params: Params = None) -> pd.DataFrame:
        """Run one query and return its result as a DataFrame."""
        with self._cursor() as cur:
            return cur.execute(sql, params).df()

    def execute(self, sql: str, params: Params = None) -> list[tuple[Any, ...]]:
        """Run one query and return all its rows."""
        with self._cursor() as cur:
            return cur.execute(sql, params).fetchall()

    def scalar(self, sql: str, params: Params = None) -> Any:
        """First column of the first row of a query (``None`` when there is no row)."""
        with self._cursor() as cur:
            row = cur.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def meta(self) -> dict[str, str]:
        """All ``meta`` entries of the current snapshot."""
        return dict(self.execute("SELECT key, value FROM meta"))

    def close(self) -> None:
        """Close the reader; queries still running finish first."""
        with self._lock:
            self._closed = True
            if self._snap is not None:
                self._retire(self._snap)
                self._snap = None

    def _current(self) -> _Snapshot:
        """The snapshot matching the file on disk, attaching it if it is new."""
        key = _stat_key(self.path)
        with self._lock:
            return self._refresh(key)

    def _refresh(self, key: tuple[int, int, int]) -> _Snapshot:
        """Switch to the file whose stat key is ``key`` unless in use already (lock held)."""
        if self._closed:
            raise StoreError("数据库读取器已关闭。", "The database reader is closed.")
        snap = self._snap
        if snap is None or snap.key != key:
            fresh = self._attach(key)  # if this fails, the old snapshot keeps serving
            if snap is not None:
                self._retire(snap)
            self._snap = snap = fresh
        return snap

    def _attach(self, key: tuple[int, int, int]) -> _Snapshot:
        """Attach the file on a fresh in-memory connection (never reuses a cached instance)."""
        while True:
            self._serial += 1
            alias = f"snapshot_{self._serial}"
            con = duckdb.connect(":memory:")
            con.execute(f"ATTACH ? AS {alias} (READ_ONLY)", [str(self.path)])
            # A publish between the stat and the ATTACH would label new data with the old key.
            after = _stat_key(self.path)
            if after == key:
                return _Snapshot(con, alias, key)
            con.close()
            key = after

    @staticmethod
    def _retire(snap: _Snapshot) -> None:
        """Close ``snap`` once no query uses it (caller holds the lock)."""
        snap.retired = True
        if snap.users == 0:
            snap.con.close()

    @contextmanager
    def _cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on the newest snapshot, with that snapshot as its default catalog."""
        key = _stat_key(self.path)
        with self._lock:
            snap = self._refresh(key)
            snap.users += 1
            cur = snap.con.cursor()
        try:
            cur.execute(f"USE {snap.alias}")  # cursors do not inherit the parent's USE
            yield cur
        finally:
            cur.close()
            with self._lock:
                snap.users -= 1
                if snap.retired and snap.users == 0:
                    snap.con.close()


# --------------------------------------------------------------------------------------------
# The writer


@contextmanager
def writer_lock(path: str | os.PathLike[str], timeout: float = 600) -> Iterator[None]:
    """Hold the exclusive writer lock (``<path>.lock``) of the database at ``path``.

    Raises
    ------
    WriterBusyError
        If another writer holds the lock for more than ``timeout`` seconds.

    """
    lock = filelock.FileLock(f"{path}{LOCK_SUFFIX}", timeout=timeout)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise WriterBusyError(path, timeout) from None
    try:
        yield
    finally:
        lock.release()


def publish(
    path: str | os.PathLike[str],
    change: Callable[[duckdb.DuckDBPyConnection], T],
    *,
    create: bool = False,
    fresh: bool = False,
    lock_timeout: float = 600,
) -> T:
    """Apply ``change`` to a copy of the database and publish the copy atomically.

    ``change`` receives a read-write connection inside an open transaction (after forward
    migrations); it must not commit, roll back or checkpoint itself. If it raises, nothing is
    published and the exception propagates.

    Parameters
    ----------
    path
        The published database file.
    change
        Applies the change; its return value is returned.
    create
        Start from an empty database if the file does not exist.
    fresh
        Start from an empty database even if it exists (a full rebuild, which stays compact);
        ``change`` can read the replaced snapshot as the read-only catalogue ``previous``.
    lock_timeout
        Seconds to wait for another writer.

    Returns
    -------
    T
        What ``change`` returned.

    Raises
    ------
    DatabaseMissingError
        If the file does not exist and ``create`` is false.
    WriterBusyError
        If another writer holds the lock for longer than ``lock_timeout``.
    ForeignWalError
        If the published file has a write-ahead log beside it.

    """
    path = Path(path)
    if not create and not path.exists():
        raise DatabaseMissingError(path)
    with writer_lock(path, lock_timeout):
        return _write_snapshot(path, change, copy=path.exists(), fresh=fresh)


def publish_file(
    path: str | os.PathLike[str], source: str | os.PathLike[str], lock_timeout: float = 600
) -> None:
    """Publish a copy of the database file ``source`` as the new snapshot (a restore).

    Readers switch to it at their next query, as after any publish.

    Raises
    ------
    WriterBusyError
        If another writer holds the lock for longer than ``lock_timeout``.

    """
    path = Path(path)
    with writer_lock(path, lock_timeout):
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        try:
            shutil.copyfile(source, tmp)
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _fsync_dir(path.parent)


def init_database(
    path: str | os.PathLike[str], meta: Mapping[str, str], *, overwrite: bool = False
) -> None:
    """Create a database with the current schema and the given ``meta`` entries.

    Raises
    ------
    DatabaseExistsError
        If ``path`` exists and ``overwrite`` is false.

    """
    path = Path(path)

    def fill(con: duckdb.DuckDBPyConnection) -> None:
        for key, value in meta.items():
            schema.set_meta(con, key, value)

    with writer_lock(path):
        if path.exists() and not overwrite:
            raise DatabaseExistsError(path)
        _write_snapshot(path, fill, copy=False)


PREVIOUS = "previous"  # catalogue name of the replaced snapshot in a ``fresh`` publish


def _write_snapshot(
    path: Path,
    change: Callable[[duckdb.DuckDBPyConnection], T],
    *,
    copy: bool,
    fresh: bool = False,
) -> T:
    """Build the next snapshot in a temporary file and replace ``path`` with it (lock held).

    ``fresh`` starts from an empty file (a rebuild: no dead pages of the old data are carried
    over) and attaches the current snapshot read-only as :data:`PREVIOUS` for what to keep.
    """
    _remove_temp_files(path.parent, f".{glob.escape(path.name)}.*.tmp*")
    if Path(f"{path}.wal").exists():
        raise ForeignWalError(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        if copy and not fresh:
            shutil.copyfile(path, tmp)
            shutil.copymode(path, tmp)
        con = duckdb.connect(str(tmp))
        try:
            if fresh and path.exists():
                con.execute(f"ATTACH ? AS {PREVIOUS} (READ_ONLY)", [str(path)])
            # On an exception the connection closes without COMMIT, which rolls back.
            con.execute("BEGIN")
            schema.migrate(con)
            result = change(con)
            con.execute("COMMIT")
            if fresh and path.exists():
                con.execute(f"DETACH {PREVIOUS}")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        _remove_temp_files(path.parent, f"{glob.escape(tmp.name)}*")
        raise
    _fsync_dir(path.parent)
    return result


def _remove_temp_files(folder: Path, pattern: str) -> None:
    """Remove writers' temporary files (with DuckDB's ``.wal`` and spill folders) in ``folder``."""
    for leftover in folder.glob(pattern):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
