"""Logging in: the generic refusal, lock-out and its end, disabled accounts, recorded outcomes."""

import concurrent.futures
from datetime import timedelta

import bcrypt
import pytest
from accounts_fixture import PASSWORD, T0, add

from metrics import accounts
from metrics.accounts import LoginError


def fail(path, name="zhang", password="wrong-password", now=T0):
    with pytest.raises(LoginError) as caught:
        accounts.authenticate(path, name, password, now=now)
    return caught.value


def test_the_right_password_logs_in_and_is_recorded(path, regions):
    add(path, regions)
    user = accounts.authenticate(path, "zhang", PASSWORD, now=T0)
    assert user.username == "zhang" and user.role == "county"
    latest = accounts.events(path).iloc[0]
    assert (latest["action"], latest["user_name"]) == ("login", "zhang")


def test_unknown_user_and_wrong_password_get_the_same_message(path, regions):
    add(path, regions)
    unknown, wrong = fail(path, name="nobody"), fail(path)
    assert unknown.zh == wrong.zh == "用户名或密码错误。"
    assert unknown.en == wrong.en and unknown.until is None and wrong.until is None
    reasons = list(accounts.events(path)["detail"])
    assert '"unknown user"' in reasons[1] and '"wrong password"' in reasons[0]


def test_an_unknown_user_costs_one_bcrypt_check_like_a_known_one(path, regions, monkeypatch):
    add(path, regions)
    calls = []
    real = bcrypt.checkpw
    monkeypatch.setattr(bcrypt, "checkpw", lambda pw, h: calls.append(h[:7]) or real(pw, h))
    fail(path, name="nobody")
    fail(path)
    assert calls == [b"$2b$04$", b"$2b$04$"]  # a dummy hash of the same cost


def test_lock_out_after_the_maximum_failures_and_release_after_the_lock_time(path, regions):
    add(path, regions)
    for i in range(4):
        assert fail(path, now=T0 + timedelta(seconds=i)).until is None
    locked = fail(path, now=T0 + timedelta(seconds=4))
    until = T0 + timedelta(seconds=4, minutes=15)
    assert locked.until == until
    assert "2025-03-01 08:15" in locked.zh and "锁定" in locked.zh
    assert "2025-03-01 08:15" in locked.en and "locked" in locked.en
    # While locked even the right password is refused, with the same message.
    assert fail(path, password=PASSWORD, now=until - timedelta(seconds=1)).until == until
    assert accounts.get_user(path, "zhang").locked(until - timedelta(seconds=1))
    assert accounts.authenticate(path, "zhang", PASSWORD, now=until).username == "zhang"
    actions = list(accounts.events(path)["action"])
    assert actions[:3] == ["login", "login_failed", "locked"]


def test_the_limits_are_settings(path, regions, monkeypatch):
    monkeypatch.setenv("BURDENMAP_LOGIN_MAX_FAILURES", "2")
    monkeypatch.setenv("BURDENMAP_LOGIN_LOCK_MINUTES", "1")
    add(path, regions)
    assert fail(path).until is None
    assert fail(path).until == T0 + timedelta(minutes=1)


def test_a_success_resets_the_count(path, regions):
    add(path, regions)
    for _ in range(4):
        fail(path)
    assert accounts.authenticate(path, "zhang", PASSWORD, now=T0).failed_logins == 0
    for _ in range(4):
        assert fail(path).until is None


def test_unlock_and_a_new_password_lift_the_lock(path, regions):
    add(path, regions)
    for _ in range(5):
        fail(path)
    accounts.unlock(path, "zhang", actor="cli")
    assert accounts.authenticate(path, "zhang", PASSWORD, now=T0).username == "zhang"
    for _ in range(5):
        fail(path)
    accounts.set_password(path, "zhang", "a-new-password", actor="cli")
    assert fail(path, password=PASSWORD).until is None  # the old password no longer works
    assert accounts.authenticate(path, "zhang", "a-new-password", now=T0).username == "zhang"


def test_a_disabled_account_is_refused(path, regions):
    add(path, regions)
    accounts.set_disabled(path, "zhang", True, actor="cli")
    assert "停用" in fail(path, password=PASSWORD).zh
    assert fail(path).zh == "用户名或密码错误。"  # without the password, nothing is revealed
    accounts.set_disabled(path, "zhang", False, actor="cli")
    assert accounts.authenticate(path, "zhang", PASSWORD, now=T0).username == "zhang"


@pytest.mark.parametrize("name", ["' OR 1=1 --", "zhang' --", "<script>", "a; DROP TABLE"])
def test_injection_strings_as_login_names_are_just_unknown_users(name, path, regions):
    add(path, regions)
    assert fail(path, name=name, password=PASSWORD).zh == "用户名或密码错误。"
    assert [u.username for u in accounts.list_users(path)] == ["zhang"]


def test_guesses_in_parallel_all_count_and_lock_out_the_right_password(path, regions):
    add(path, regions)
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        wrong = [pool.submit(fail, path, now=T0) for _ in range(12)]
        right = pool.submit(fail, path, password=PASSWORD, now=T0)
    assert right.result().until is not None, "the right password is refused once locked"
    assert sum(f.result().until is not None for f in wrong) >= 1
    assert accounts.get_user(path, "zhang").locked(T0)


def test_an_unknown_name_locks_like_an_account(path, regions):
    add(path, regions)
    for i in range(4):
        assert fail(path, name="nobody", now=T0 + timedelta(seconds=i)).until is None
    locked = fail(path, name="nobody", now=T0 + timedelta(seconds=4))
    assert locked.until == T0 + timedelta(seconds=4, minutes=15)
    assert "锁定" in locked.zh  # the same message as a real account's: nothing to enumerate
