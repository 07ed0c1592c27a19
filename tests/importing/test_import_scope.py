"""Imports and rollbacks are for data admins, within their own region (issue #9), in metrics/."""

from __future__ import annotations

import pytest
from tiny_db import BASE, CODES, NOW, csv_rows, sha256

from metrics import store
from metrics.importing import history, import_bytes, publish_upload, rollback
from metrics.scope import Scope, ScopeError, for_role

COUNTY, OTHER = "630102", "632621"  # 城东区 (five villages) and 玛沁县 (three)


def scope_of(db, role="admin", code=COUNTY) -> Scope:
    reader = store.Reader(db)
    try:
        return for_role(reader, role, code)
    finally:
        reader.close()


def test_a_data_admin_imports_only_its_own_region(db):
    admin = scope_of(db)
    before = sha256(db)
    mixed = csv_rows("2025Q4", {c: BASE[c] for c in CODES})
    result = import_bytes(db, mixed, "mixed.csv", now=NOW, user="cd-admin", scope=admin)
    assert result.status == "rejected" and sha256(db) == before
    outside = [p for p in result.problems if p.code == "outside_scope"]
    assert [p.value for p in outside] == [c for c in CODES if c.startswith(OTHER)]
    assert {(p.row, p.column) for p in outside} == {(7, "A"), (8, "A"), (9, "A")}
    assert "不在您的权限范围（630102）内" in outside[0].message("zh")
    own = csv_rows("2025Q4", {c: BASE[c] for c in CODES if c.startswith(COUNTY)})
    done = import_bytes(db, own, "own.csv", now=NOW, user="cd-admin", scope=admin)
    assert done.status == "published", [p.message() for p in done.problems]


def test_a_checked_upload_is_revalidated_against_the_publishers_scope(db):
    mixed = csv_rows("2025Q4", {c: BASE[c] for c in CODES})
    checked = import_bytes(db, mixed, "mixed.csv", now=NOW, dry_run=True)  # the CLI checks it
    assert checked.status == "checked"
    before = sha256(db)
    again = publish_upload(db, checked.upload, now=NOW, scope=scope_of(db))
    assert again.status == "rejected" and sha256(db) == before


@pytest.mark.parametrize("role", ["province", "prefecture", "county", "inspector", "demo"])
def test_other_roles_may_not_import_or_roll_back(db, role):
    scope = Scope.everything(role)
    own = csv_rows("2025Q4", {CODES[1]: BASE[CODES[1]]})
    with pytest.raises(ScopeError):
        import_bytes(db, own, "own.csv", now=NOW, scope=scope)
    with pytest.raises(ScopeError):
        rollback(db, 1, scope=scope)
    with pytest.raises(ScopeError):
        history(db, scope=scope)


def test_rollback_and_history_stay_in_the_region(db):
    other = scope_of(db, code=OTHER)
    before = sha256(db)
    with pytest.raises(ScopeError):  # batch 1 holds every village of both counties
        rollback(db, 1, user="mq-admin", scope=other)
    assert sha256(db) == before
    own = csv_rows("2025Q4", {c: BASE[c] for c in CODES if c.startswith(OTHER)})
    mine = import_bytes(db, own, "mq.csv", now=NOW, user="mq-admin", scope=other)
    assert mine.status == "published"
    seen = history(db, scope=other, user="mq-admin")
    assert list(seen["batch_id"].dropna()) == [mine.batch_id]
    assert set(history(db)["batch_id"].dropna()) == {1, mine.batch_id}  # the CLI sees all
    assert rollback(db, mine.batch_id, user="mq-admin", scope=other)["removed"] > 0
