"""Publishing imports: replace and rollback, crashes, concurrent readers, items and visits."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from tiny_db import BASE, CODES, NOW, build, csv_rows, sha256

from metrics import store
from metrics.errors import InvalidInputError, RejectedError
from metrics.importing import check, history, import_bytes, publish_upload, rollback, uploads
from metrics.importing.validate import Checked, Known, check_known

ROOT = Path(__file__).resolve().parents[2]
NEW = {code: tuple(v + 1 for v in values) for code, values in BASE.items()}


def table(db: Path, name: str) -> pd.DataFrame:
    reader = store.Reader(db)
    try:
        frame = reader.query(f"SELECT * FROM {name}")
    finally:
        reader.close()
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def test_replace_then_rollback_restores_exactly_what_was_there(db):
    before = {t: table(db, t) for t in ("observation", "report", "rollup")}
    result = import_bytes(db, csv_rows("2025Q3", NEW), "fix.csv", replace=True, now=NOW)
    assert result.status == "published" and result.counts["replaced"] == 56
    replaced = table(db, "observation_replaced")
    assert len(replaced) == 56 and set(replaced["replaced_by"]) == {result.batch_id}
    assert set(table(db, "observation")["value"]) == {v for vs in NEW.values() for v in vs}
    assert table(db, "report").equals(before["report"])  # the first arrival is kept

    undone = rollback(db, result.batch_id, user="admin", now=NOW)
    assert undone == {"batch_id": result.batch_id + 1, "removed": 56, "restored": 56}
    for name, frame in before.items():
        pd.testing.assert_frame_equal(table(db, name), frame)
    assert table(db, "observation_replaced").empty
    batches = table(db, "import_batch").set_index("batch_id")
    assert batches.loc[result.batch_id, "status"] == "rolled_back"
    assert batches.loc[undone["batch_id"], "kind"] == "rollback"
    actions = table(db, "audit_log")["action"].tolist()
    assert actions.count("import") == 2 and actions.count("rollback") == 1


def test_rollback_waits_for_the_batch_that_replaced_it(db):
    first = import_bytes(db, csv_rows("2025Q4", BASE), "a.csv", now=NOW)
    second = import_bytes(db, csv_rows("2025Q4", NEW), "b.csv", replace=True, now=NOW)
    digest = sha256(db)
    with pytest.raises(RejectedError, match=f"#{second.batch_id}"):
        rollback(db, first.batch_id)
    assert sha256(db) == digest
    rollback(db, second.batch_id)
    rollback(db, first.batch_id)
    assert set(table(db, "observation")["period"]) == {"2025Q3"}
    with pytest.raises(RejectedError):
        rollback(db, first.batch_id)  # already rolled back
    with pytest.raises(InvalidInputError):
        rollback(db, 99)


def test_only_file_imports_can_be_rolled_back(tmp_path):
    path = build(tmp_path / "b.duckdb")
    store.publish(
        path,
        lambda con: con.execute(
            "INSERT INTO import_batch (batch_id, kind, created_at, status) "
            "VALUES (1, 'demo', now(), 'published')"
        ),
    )
    with pytest.raises(RejectedError, match="demo"):
        rollback(path, 1)


def test_every_upload_is_kept_with_its_bytes_and_digest(db):
    good = csv_rows("2025Q4", BASE)
    accepted = import_bytes(db, good, "good.csv", user="alice", now=NOW)
    rejected = import_bytes(db, good, "again.csv", user="bob", now=NOW)
    assert rejected.status == "rejected"
    for result, user in ((accepted, "alice"), (rejected, "bob")):
        manifest = json.loads((result.upload / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["user"] == user and manifest["status"] == result.status
        assert (result.upload / manifest["stored"]).read_bytes() == good
        assert manifest["sha256"] == result.sha256
    assert result.upload.parent == db.parent / "imports"
    found = history(db)
    assert sorted(found["status"]) == ["published", "published", "rejected"]  # + the fixture
    row = found[found["batch_id"] == accepted.batch_id].iloc[0]
    assert (db.parent / row["stored_path"]).read_bytes() == good
    assert row["user_name"] == "alice" and row["sha256"] == accepted.sha256


def test_an_import_that_crashes_is_kept_as_failed_and_changes_nothing(db, monkeypatch):
    before = sha256(db)

    def broken(con, **_):
        raise RuntimeError("disk gone")

    monkeypatch.setattr("metrics.rollup.rebuild", broken)
    with pytest.raises(RuntimeError, match="disk gone"):
        import_bytes(db, csv_rows("2025Q4", BASE), "q4.csv", user="carol", now=NOW)
    assert sha256(db) == before
    (kept,) = [u for u in uploads.all_uploads(db) if u.manifest["filename"] == "q4.csv"]
    assert kept.manifest["status"] == "failed"
    assert kept.manifest["error"] == "RuntimeError: disk gone"
    row = history(db).query("filename == 'q4.csv'").iloc[0]
    assert (row["status"], row["message"], row["user_name"]) == (
        "failed",
        "RuntimeError: disk gone",
        "carol",
    )


def test_imports_dir_setting(db, tmp_path, monkeypatch):
    monkeypatch.setenv("BURDENMAP_IMPORTS_DIR", str(tmp_path / "elsewhere"))
    result = import_bytes(db, csv_rows("2025Q4", BASE), "q.csv", now=NOW)
    assert result.upload.parent == tmp_path / "elsewhere"


def test_databases_sharing_a_folder_list_only_their_own_uploads(db):
    other = build(db.parent / "real.duckdb")  # its uploads go to the same imports/ folder
    import_bytes(db, b"x", "mine.csv", now=NOW)
    import_bytes(other, b"y", "theirs.csv", dry_run=True, now=NOW)
    older = uploads.load(import_bytes(db, b"z", "older.csv", now=NOW).upload)
    assert older.manifest["database"] == "burden.duckdb"
    del older.manifest["database"]  # as kept before manifests named their database
    older.update()
    assert set(history(db)["filename"]) == {"2025Q3.csv", "mine.csv", "older.csv"}
    assert history(other)["filename"].tolist() == ["theirs.csv"]


def test_a_conflict_published_after_the_check_is_caught_inside_the_publish(db):
    checked = import_bytes(db, csv_rows("2025Q4", BASE), "late.csv", dry_run=True, now=NOW)
    assert checked.status == "checked"
    import_bytes(db, csv_rows("2025Q4", NEW), "first.csv", now=NOW)
    digest = sha256(db)
    result = publish_upload(db, checked.upload, now=NOW)
    assert result.status == "rejected"
    assert {p.code for p in result.errors} == {"already_published"}
    assert sha256(db) == digest


def test_writer_killed_mid_import_leaves_the_published_file_intact(db, tmp_path):
    digest = sha256(db)
    ready = tmp_path / "ready"
    code = """
        import sys, time
        from pathlib import Path
        from metrics import rollup
        from metrics.importing import import_bytes

        def stall(con, *args, **kwargs):
            Path(sys.argv[2]).touch()
            time.sleep(60)

        rollup.rebuild = stall
        import_bytes(sys.argv[1], Path(sys.argv[3]).read_bytes(), "q4.csv")
    """
    source = tmp_path / "q4.csv"
    source.write_bytes(csv_rows("2025Q4", BASE))
    proc = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), str(db), str(ready), str(source)], cwd=ROOT
    )
    try:
        deadline = time.monotonic() + 30
        while not ready.exists():
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=15) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
    assert sha256(db) == digest
    result = import_bytes(db, csv_rows("2025Q4", BASE), "q4.csv", now=NOW)
    assert result.status == "published"  # the lock died with the writer


def test_a_reader_keeps_answering_during_an_import(db):
    reader = store.Reader(db)
    seen: list[int] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def query() -> None:
        try:
            while not stop.is_set():
                seen.append(reader.scalar("SELECT count(*) FROM observation"))
        except BaseException as err:
            errors.append(err)

    thread = threading.Thread(target=query)
    thread.start()
    try:
        result = import_bytes(db, csv_rows("2025Q4", BASE), "q4.csv", now=NOW)
        deadline = time.monotonic() + 10
        while (not seen or seen[-1] != 112) and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        stop.set()
        thread.join()
        reader.close()
    assert result.status == "published" and not errors
    assert set(seen) == {56, 112} and seen == sorted(seen)  # old snapshot, then the new one


def test_items_import_registers_departments_and_rolls_back(db):
    header = "村代码,统计期,事项类别,事项名称,部门,是否在清单内,部门层级"
    lines = [
        f"{CODES[0]},2025Q4,协助事项,防汛值守,县应急管理局,是,县级",
        f"{CODES[0]},2025Q4,报表台账,农情统计表,县农业农村局,否,",
        f"{CODES[1]},2025Q4,tasks,防汛值守,县应急管理局,Y,",
    ]
    data = ("\n".join([header, *lines]) + "\n").encode()
    result = import_bytes(db, data, "items.csv", kind="items", now=NOW)
    assert result.status == "published", [p.message() for p in result.problems]
    assert result.counts == {"values": 3, "departments": 2, "items": 2}
    items = table(db, "item").set_index("name")
    assert bool(items.loc["防汛值守", "on_list"]) and not bool(items.loc["农情统计表", "on_list"])
    again = import_bytes(db, data, "items.csv", kind="items", now=NOW)
    assert {p.code for p in again.errors} == {"already_published"}
    rollback(db, result.batch_id)
    assert table(db, "village_item").empty


def test_visits_compare_verified_with_reported_counts(db):
    header = "村代码,统计期,核查方式,核查日期,协助事项数,挂牌数"
    tasks, plaques = BASE[CODES[0]][0], BASE[CODES[0]][4]
    lines = [
        f"{CODES[0]},2025Q3,抽查,2025-11-02,{tasks},{plaques}",
        f"{CODES[1]},2025Q3,督查,2025-11-03,99,{BASE[CODES[1]][4]}",
    ]
    data = ("\n".join([header, *lines]) + "\n").encode()
    result = import_bytes(db, data, "visits.csv", kind="visits", now=NOW)
    assert result.status == "published", [p.message() for p in result.problems]
    visits = table(db, "visit").set_index("village_code")
    assert visits.loc[CODES[0], "result"] == "一致" and visits.loc[CODES[1], "result"] == "不一致"
    values = table(db, "visit_value")
    assert len(values) == 4 and values["reported"].notna().all()
    rollback(db, result.batch_id)
    assert table(db, "visit").empty and table(db, "visit_value").empty


def test_replace_is_for_observations_only(db):
    with pytest.raises(InvalidInputError):
        import_bytes(db, b"x", "items.csv", kind="items", replace=True)
    with pytest.raises(InvalidInputError):
        import_bytes(db, b"x", "x.csv", kind="nonsense")


def test_import_into_a_simulated_database_warns(tmp_path):
    path = build(tmp_path / "sim.duckdb", simulated=True)
    result = import_bytes(path, csv_rows("2025Q4", BASE), "q4.csv", now=NOW)
    assert result.status == "published"
    assert [p.code for p in result.warnings] == ["simulated_target"]
    assert "模拟数据库" in result.warnings[0].message()
    assert store.Reader(path).meta()["simulated"] == "true"


def test_code_that_lost_its_leading_zeros():
    rows = pd.DataFrame({"village_code": ["12345678901"], "period": ["2025Q4"]}, index=[2])
    checked = Checked("x.csv", None, rows, {"village_code": ("A", "村代码")})
    known = Known(
        pd.DataFrame({"code": ["012345678901"], "name": ["甲村"], "name_original": ["甲村"]}),
        pd.DataFrame(columns=["village_code", "period", "batch_id"]),
        pd.DataFrame(),
        simulated=False,
    )
    checked.layout = type("L", (), {"kind": "observations"})()
    (problem,) = check_known(checked, known)
    assert (problem.code, problem.row, problem.column, problem.detail) == (
        "code_leading_zeros",
        2,
        "A",
        "012345678901",
    )
    assert "丢失了开头的 0" in problem.message() and "leading zeros" in problem.message("en")


def test_what_is_published_is_read_only_when_it_can_conflict(db):
    reader = store.Reader(db)
    try:
        checked, _ = check(reader, csv_rows("2025Q3", NEW), "again.csv")
        assert len(Known.load(reader, checked).published) == len(CODES)  # 2025Q3 is published
        assert Known.load(reader, checked, replace=True).published.empty
        assert [p.code for p in check_known(checked, Known.load(reader, checked))] == [
            "already_published"
        ] * len(CODES)
    finally:
        reader.close()
