"""The snapshot store: readers keep serving while writers publish; crashes lose nothing."""

from __future__ import annotations

import hashlib
import itertools
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

from metrics import schema
from metrics.store import (
    DatabaseExistsError,
    DatabaseMissingError,
    ForeignWalError,
    Reader,
    StoreError,
    WriterBusyError,
    init_database,
    publish,
    writer_lock,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "burden.duckdb"
    init_database(path, {"simulated": "true", "n": "0"})
    return path


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _temp_files(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f".{path.name}.*.tmp*"))


def _replaced_files_open(path: Path) -> list[str]:
    """Files this process still holds open that were replaced (unlinked) under ``path``."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(path)) and target.endswith("(deleted)"):
            found.append(target)
    return found


def _wait_for(
    condition: Callable[[], bool], proc: subprocess.Popen | None = None, timeout: float = 15
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"writer exited early with {proc.returncode}")
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.005)


@pytest.fixture
def spawn() -> Iterator[Callable[..., subprocess.Popen]]:
    """Run code in a fresh interpreter (``sys.argv[1:]`` = args); killed if left running."""
    procs: list[subprocess.Popen] = []

    def start(code: str, *args: object) -> subprocess.Popen:
        proc = subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(code), *map(str, args)], cwd=ROOT
        )
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _add_rows(rows: int) -> Callable[[duckdb.DuckDBPyConnection], int]:
    """A change that adds ``rows`` observations and records the new total in meta ``n``."""

    def change(con: duckdb.DuckDBPyConnection) -> int:
        start = con.execute("SELECT count(*) FROM observation").fetchone()[0]
        con.execute(
            "INSERT INTO observation "
            "SELECT printf('v%d', i), '2024Q1', 'tasks', 1, 1 FROM range(?, ?) t(i)",
            [start, start + rows],
        )
        schema.set_meta(con, "n", str(start + rows))
        return start + rows

    return change


# SQL that is true exactly when the snapshot is consistent (rows match meta n).
CONSISTENT = (
    "SELECT (SELECT count(*) FROM observation)::VARCHAR = (SELECT value FROM meta WHERE key = 'n'),"
    " (SELECT count(*) FROM observation)"
)


def test_reader_follows_published_snapshots(db: Path) -> None:
    reader = Reader(db)
    first = reader.snapshot_id
    assert reader.meta() == {
        "schema_version": str(schema.SCHEMA_VERSION),
        "simulated": "true",
        "n": "0",
    }
    assert reader.scalar("SELECT count(*) FROM indicator") > 0

    assert publish(db, _add_rows(3)) == 3

    assert reader.execute(CONSISTENT) == [(True, 3)]
    assert reader.snapshot_id != first
    assert reader.query("SELECT village_code FROM observation ORDER BY 1")[
        "village_code"
    ].tolist() == ["v0", "v1", "v2"]
    assert reader.scalar("SELECT value FROM meta WHERE key = $key", {"key": "n"}) == "3"
    # The replaced snapshot is released, and the writer left nothing beside the file.
    assert _replaced_files_open(db) == []
    assert sorted(p.name for p in db.parent.iterdir()) == ["burden.duckdb", "burden.duckdb.lock"]
    reader.close()
    with pytest.raises(StoreError):
        reader.scalar("SELECT 1")


def test_reader_never_sees_a_half_written_snapshot(db: Path) -> None:
    reader = Reader(db)
    writer = threading.Thread(target=lambda: [publish(db, _add_rows(500)) for _ in range(12)])
    writer.start()
    seen = []
    while writer.is_alive():
        seen.append(reader.execute(CONSISTENT)[0])
    writer.join()
    seen.append(reader.execute(CONSISTENT)[0])
    assert all(ok for ok, _ in seen)
    counts = [n for _, n in seen]
    assert counts == sorted(counts)
    assert counts[-1] == 12 * 500


def test_reader_keeps_answering_during_a_long_write(db: Path, spawn: Callable) -> None:
    reader = Reader(db)
    before = reader.snapshot_id
    ready, go = db.with_name("ready"), db.with_name("go")
    proc = spawn(
        """
        import sys, time
        from pathlib import Path
        from metrics import schema
        from metrics.store import publish

        def change(con):
            schema.set_meta(con, "n", "2")
            Path(sys.argv[2]).touch()
            while not Path(sys.argv[3]).exists():
                time.sleep(0.005)

        publish(sys.argv[1], change)
        """,
        db,
        ready,
        go,
    )
    _wait_for(ready.exists, proc)
    during = [reader.meta()["n"] for _ in range(50)]
    assert proc.poll() is None  # the write was still in progress throughout
    assert during == ["0"] * 50
    assert reader.snapshot_id == before

    go.touch()
    after: list[str] = []
    _wait_for(lambda: after.append(reader.meta()["n"]) or after[-1] == "2")
    assert proc.wait(timeout=15) == 0
    assert set(after) <= {"0", "2"} and after == sorted(after)
    assert reader.snapshot_id != before


def test_writer_killed_mid_write_leaves_the_published_file_intact(
    db: Path, spawn: Callable
) -> None:
    publish(db, _add_rows(10))
    digest = _sha256(db)
    ready = db.with_name("ready")
    proc = spawn(
        """
        import sys, time
        from pathlib import Path
        from metrics.store import publish

        def change(con):
            con.execute("DELETE FROM observation")
            con.execute(
                "INSERT INTO observation SELECT printf('w%d', i), '2024Q2', 'forms', 2, 2 "
                "FROM range(300000) t(i)"
            )
            Path(sys.argv[2]).touch()
            time.sleep(60)

        publish(sys.argv[1], change)
        """,
        db,
        ready,
    )
    _wait_for(ready.exists, proc)
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=15) == -signal.SIGKILL

    assert _sha256(db) == digest
    torn = _temp_files(db)
    assert torn, "the killed writer should have left its temporary file"
    reader = Reader(db)
    assert reader.execute(CONSISTENT) == [(True, 10)]

    assert publish(db, _add_rows(1), lock_timeout=10) == 11  # the lock died with the writer
    assert _temp_files(db) == []
    assert reader.execute(CONSISTENT) == [(True, 11)]


def test_concurrent_writers_serialize(db: Path, spawn: Callable) -> None:
    go = db.with_name("go")
    increments = 8
    code = """
        import sys, time
        from pathlib import Path
        from metrics import schema
        from metrics.store import publish

        db, ready, go, log, increments = sys.argv[1:6]
        Path(ready).touch()
        while not Path(go).exists():
            time.sleep(0.001)

        def increment(con):
            start = time.monotonic_ns()
            value = int(con.execute("SELECT value FROM meta WHERE key = 'n'").fetchone()[0])
            schema.set_meta(con, "n", str(value + 1))
            return start, time.monotonic_ns()

        with open(log, "w") as fh:
            for _ in range(int(increments)):
                start, end = publish(db, increment)
                fh.write(f"{start} {end}\\n")
        """
    procs = [
        spawn(code, db, db.with_name(f"ready{i}"), go, db.with_name(f"log{i}"), increments)
        for i in (0, 1)
    ]
    for i, proc in enumerate(procs):
        _wait_for(db.with_name(f"ready{i}").exists, proc)
    go.touch()
    assert [proc.wait(timeout=30) for proc in procs] == [0, 0]

    assert Reader(db).meta()["n"] == str(2 * increments)  # no lost update
    # No two changes overlap (each one runs on the snapshot the previous one published).
    spans = sorted(
        tuple(map(int, line.split()))
        for i in (0, 1)
        for line in db.with_name(f"log{i}").read_text().splitlines()
    )
    assert len(spans) == 2 * increments
    assert all(end <= next_start for (_, end), (next_start, _) in itertools.pairwise(spans))


class Boom(Exception):
    pass


def _explode(con: duckdb.DuckDBPyConnection) -> None:
    _add_rows(1000)(con)
    raise Boom


def _duplicate_key(con: duckdb.DuckDBPyConnection) -> None:
    _add_rows(5)(con)
    con.execute("INSERT INTO meta VALUES ('schema_version', '99')")  # meta.key is the primary key


@pytest.mark.parametrize(
    ("change", "error"), [(_explode, Boom), (_duplicate_key, duckdb.ConstraintException)]
)
def test_failed_change_publishes_nothing(
    db: Path, change: Callable[[duckdb.DuckDBPyConnection], None], error: type[Exception]
) -> None:
    reader = Reader(db)
    digest, snapshot = _sha256(db), reader.snapshot_id
    with pytest.raises(error):
        publish(db, change)
    assert _sha256(db) == digest
    assert _temp_files(db) == []
    assert reader.snapshot_id == snapshot
    assert reader.execute(CONSISTENT) == [(True, 0)]


def test_missing_database(tmp_path: Path) -> None:
    path = tmp_path / "burden.duckdb"
    with pytest.raises(DatabaseMissingError, match=r"burdenmap demo.*burdenmap init") as info:
        Reader(path)
    assert isinstance(info.value, StoreError)
    assert "数据库文件不存在" in str(info.value)
    with pytest.raises(DatabaseMissingError):
        publish(path, _add_rows(1))
    assert list(tmp_path.iterdir()) == []

    assert publish(path, _add_rows(2), create=True) == 2
    reader = Reader(path)
    assert reader.execute(CONSISTENT) == [(True, 2)]
    path.unlink()
    with pytest.raises(DatabaseMissingError):
        reader.scalar("SELECT 1")


def test_init_database_refuses_to_overwrite(db: Path) -> None:
    publish(db, _add_rows(4))
    digest = _sha256(db)
    with pytest.raises(DatabaseExistsError, match="already exists"):
        init_database(db, {"simulated": "false"})
    assert _sha256(db) == digest

    init_database(db, {"simulated": "false"}, overwrite=True)
    reader = Reader(db)
    assert reader.meta() == {"schema_version": str(schema.SCHEMA_VERSION), "simulated": "false"}
    assert reader.scalar("SELECT count(*) FROM observation") == 0


def test_second_writer_times_out_while_the_lock_is_held(db: Path) -> None:
    digest = _sha256(db)
    with writer_lock(db), pytest.raises(WriterBusyError):
        publish(db, _add_rows(1), lock_timeout=0.2)
    assert _sha256(db) == digest


def test_foreign_write_ahead_log_is_refused(db: Path) -> None:
    digest = _sha256(db)
    Path(f"{db}.wal").write_bytes(b"")
    with pytest.raises(ForeignWalError):
        publish(db, _add_rows(1))
    assert _sha256(db) == digest


def test_query_in_flight_finishes_on_the_snapshot_it_started_on(db: Path) -> None:
    reader = Reader(db)
    with reader._cursor() as old:  # a long query still holding the old snapshot
        publish(db, _add_rows(7))
        assert reader.execute(CONSISTENT) == [(True, 7)]  # others switch over meanwhile
        assert old.execute(CONSISTENT).fetchall() == [(True, 0)]
        assert len(_replaced_files_open(db)) == 1
    assert _replaced_files_open(db) == []  # closed once its last query finished


def test_reader_serves_many_threads_across_publishes(db: Path) -> None:
    reader = Reader(db)
    errors: list[BaseException] = []
    results: list[tuple[bool, int]] = []

    def work() -> None:
        try:
            for _ in range(50):
                results.append(reader.execute(CONSISTENT)[0])
        except BaseException as exc:  # collected, asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for _ in range(4):
        publish(db, _add_rows(100))
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(results) == 400
    assert all(ok and n in {0, 100, 200, 300, 400} for ok, n in results)
    assert reader.execute(CONSISTENT) == [(True, 400)]
    assert _replaced_files_open(db) == []
