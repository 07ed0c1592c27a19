"""Accounts: the file, hashing, validation of names, roles and scopes, account changes."""

import os
import sqlite3
import stat

import pytest
from accounts_fixture import C1, PASSWORD, T0, V1, A, P, add

from metrics import accounts
from metrics.errors import BurdenmapError, InvalidInputError

INJECTIONS = ["' OR 1=1 --", "<script>", "a; DROP TABLE", 'x" OR "1"="1', "zhang san", "张三\n"]


def test_the_file_is_private_versioned_and_in_wal_mode(path, regions):
    add(path, regions)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    for sidecar in (f"{path}-wal", f"{path}-shm"):
        if os.path.exists(sidecar):
            assert stat.S_IMODE(os.stat(sidecar).st_mode) == 0o600
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == accounts.SCHEMA_VERSION
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


def test_add_list_and_has_users(path, regions):
    assert not accounts.has_users(path)
    assert not path.exists()  # asking does not create the file
    user = add(path, regions)
    assert accounts.has_users(path)
    assert user.display_name == "zhang" and user.scope_code == C1 and not user.disabled
    assert user.created_at == user.password_changed_at == user.sessions_valid_after == T0
    assert accounts.list_users(path) == [user]
    assert accounts.get_user(path, "ZHANG") == user  # Latin letters: case-insensitive


def test_password_is_stored_only_as_a_bcrypt_hash(path, regions):
    add(path, regions, password="s3cret-密码-value")
    stored = sqlite3.connect(path).execute("SELECT password_hash FROM account").fetchone()[0]
    assert stored.startswith("$2b$04$")  # bcrypt, at the cost the tests set
    files = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]
    for file in files:
        data = file.read_bytes()
        assert "s3cret-密码-value".encode() not in data
    assert "s3cret" not in accounts.events(path).to_string()
    assert not any("hash" in f for f in accounts.User.__dataclass_fields__)


@pytest.mark.parametrize("name", ["zhang", "张三", "li.si-2", "a_b", "扎西才让01"])
def test_valid_user_names(name):
    assert accounts.check_username(name) == name


@pytest.mark.parametrize("name", [*INJECTIONS, "a", "x" * 33, "", "Ｚhang", "zh%ng", "张三 "])
def test_invalid_user_names_are_refused_and_nothing_is_stored(name, path, regions):
    with pytest.raises(InvalidInputError, match="用户名"):
        add(path, regions, name=name)
    assert not accounts.has_users(path)


def test_a_name_is_taken_once_whatever_its_case(path, regions):
    add(path, regions, name="Wang")
    with pytest.raises(InvalidInputError, match="已存在"):
        add(path, regions, name="wang")


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        ("province", None),
        ("province", P),
        ("prefecture", A),
        ("county", C1),
        ("inspector", V1),
        ("inspector", None),
        ("admin", C1),
        ("admin", None),
    ],
)
def test_scopes_that_fit_the_role(role, scope, regions):
    assert accounts.check_scope(regions, role, scope) == scope


@pytest.mark.parametrize(
    ("role", "scope", "message"),
    [
        ("prefecture", C1, "须为市州"),  # a county code for a prefecture role
        ("county", A, "须为县区"),
        ("province", A, "最高一级"),
        ("county", "999999", "未知区划"),
        ("inspector", "' OR 1=1 --", "未知区划"),
        ("county", None, "须指定"),
        ("prefecture", "  ", "须指定"),
        ("root", None, "未知角色"),
    ],
)
def test_scopes_that_do_not_fit_are_refused(role, scope, message, path, regions):
    with pytest.raises(InvalidInputError, match=message):
        add(path, regions, role=role, scope=scope)
    assert not accounts.has_users(path)


@pytest.mark.parametrize("password", ["short7!", "密码" * 3, "长" * 25, "nul\0-in-password"])
def test_passwords_that_break_the_rules_are_refused(password, path, regions):
    with pytest.raises(InvalidInputError, match="密码"):
        add(path, regions, password=password)


def test_changes_are_recorded_as_events_of_their_actor(path, regions):
    add(path, regions)
    assert accounts.set_disabled(path, "zhang", True, actor="cli").disabled
    assert not accounts.set_disabled(path, "zhang", False, actor="cli").disabled
    accounts.set_password(path, "zhang", "another-secret", actor="cli")
    accounts.unlock(path, "zhang", actor="cli")
    seen = accounts.events(path)
    assert list(seen["action"])[::-1] == [
        "user_add",
        "user_disable",
        "user_enable",
        "passwd",
        "unlock",
    ]
    assert set(seen["user_name"]) == {"cli"}
    assert seen["detail"].str.contains('"username": "zhang"').all()
    assert PASSWORD not in seen.to_string() and "another-secret" not in seen.to_string()


@pytest.mark.parametrize(
    "change",
    [
        lambda p: accounts.set_disabled(p, "nobody", True, actor="cli"),
        lambda p: accounts.set_password(p, "nobody", PASSWORD, actor="cli"),
        lambda p: accounts.unlock(p, "nobody", actor="cli"),
        lambda p: accounts.logout(p, "nobody"),
    ],
)
def test_changing_an_unknown_account_is_a_usage_error(change, path, regions):
    add(path, regions)
    with pytest.raises(InvalidInputError, match="未知用户"):
        change(path)


def test_a_broken_or_newer_file_is_a_clear_error(path, regions):
    path.write_bytes(b"not a database, just text " * 100)
    with pytest.raises(BurdenmapError, match="无法打开账户文件"):
        accounts.has_users(path)
    path.unlink()
    add(path, regions)
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version = 99")
    con.close()
    with pytest.raises(BurdenmapError, match="比本程序新"):
        accounts.list_users(path)
