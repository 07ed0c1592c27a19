"""Where the accounts file lives, session events and the merged audit trail."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from accounts_fixture import IMPORTED_AT, T0, add

from metrics import accounts
from metrics.scope import Scope, ScopeError

EVERYTHING = Scope.everything()


def test_the_accounts_file_sits_beside_the_database_unless_configured(monkeypatch, tmp_path):
    monkeypatch.delenv("BURDENMAP_ACCOUNTS")
    db = Path("data") / "burden.duckdb"
    assert accounts.accounts_path(db) == Path("data") / "burden.accounts.sqlite"
    monkeypatch.setenv("BURDENMAP_ACCOUNTS", str(tmp_path / "elsewhere.sqlite"))
    assert accounts.accounts_path(db) == tmp_path / "elsewhere.sqlite"


def test_events_filter_and_come_newest_first(path):
    for minutes, user, action in [(0, "a1", "login"), (5, "b2", "export"), (9, "a1", "logout")]:
        detail = {"view": "map", "region": "632521"} if action == "export" else None
        accounts.record(path, user, action, detail, now=T0 + timedelta(minutes=minutes))
    every = accounts.events(path)
    assert list(every.columns) == list(accounts.EVENT_COLUMNS)
    assert list(every["action"]) == ["logout", "export", "login"]
    assert every["occurred_at"].iloc[0] == T0 + timedelta(minutes=9)
    assert every["detail"].iloc[1] == '{"view": "map", "region": "632521"}'
    assert list(accounts.events(path, user="a1")["action"]) == ["logout", "login"]
    assert list(accounts.events(path, since=T0 + timedelta(minutes=1))["user_name"]) == [
        "a1",
        "b2",
    ]
    assert len(accounts.events(path, since=date(2025, 3, 2))) == 0
    assert len(accounts.events(path, limit=1)) == 1


def test_no_accounts_file_means_no_events_and_none_is_created(path):
    assert accounts.events(path).empty
    assert list(accounts.events(path).columns) == list(accounts.EVENT_COLUMNS)
    assert not path.exists()


def test_the_trail_merges_session_events_with_the_snapshot_audit_log(path, regions):
    add(path, regions)  # T0, after the import
    accounts.record(path, "数据员", "login", now=IMPORTED_AT - timedelta(hours=1))
    trail = accounts.audit_trail(path, regions, EVERYTHING)
    assert list(trail["action"]) == ["user_add", "import", "login"]
    assert list(trail["source"]) == ["session", "data", "session"]
    assert trail["occurred_at"].is_monotonic_decreasing

    def actions(**kw):
        return list(accounts.audit_trail(path, regions, EVERYTHING, **kw)["action"])

    assert actions(user="数据员") == ["import", "login"]
    assert actions(since=date(2025, 2, 1)) == ["user_add"]
    assert len(accounts.audit_trail(path, regions, EVERYTHING, limit=2)) == 2


def test_audit_trail_needs_the_right_and_data_admins_read_their_own(path, regions):
    accounts.record(path, "数据员", "export", None, now=T0)
    accounts.record(path, "other", "export", None, now=T0)
    for role in ("prefecture", "county", "inspector", "demo"):
        with pytest.raises(ScopeError):
            accounts.audit_trail(path, regions, Scope.everything(role))
    admin = Scope.everything("admin")
    own = accounts.audit_trail(path, regions, admin, caller="数据员", user="other")
    assert set(own["user_name"]) == {"数据员"}
