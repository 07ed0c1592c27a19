"""Signed session tokens: round trip, tampering, expiry, server-side revocation, the secret."""

from datetime import timedelta

import pytest
from accounts_fixture import PASSWORD, T0, add

from metrics import accounts
from metrics.errors import InvalidInputError

KEY = b"k" * 32


@pytest.fixture
def user(path, regions):
    return add(path, regions)


def test_a_token_verifies_to_its_account(path, user):
    token = accounts.issue_token(user, KEY, now=T0)
    assert accounts.verify_token(path, token, KEY, now=T0 + timedelta(hours=1)) == user
    assert PASSWORD not in token


def _flip(text, at):
    return text[:at] + ("A" if text[at] != "A" else "B") + text[at + 1 :]


def test_tampered_tokens_are_refused(path, regions, user):
    token = accounts.issue_token(user, KEY, now=T0)
    other = accounts.issue_token(add(path, regions, name="li"), KEY, now=T0)
    body, signature = token.split(".")
    forged = [
        _flip(token, 3),  # in the claims
        _flip(token, len(token) - 3),  # in the signature
        other.split(".")[0] + "." + signature,  # someone else's claims
        body,  # no signature
        body + ".",
        token + "x",
        "",
        "a.b.c",
        "令牌.签名",
        None,
    ]
    for bad in forged:
        assert accounts.verify_token(path, bad, KEY, now=T0) is None, bad
    assert accounts.verify_token(path, token, b"x" * 32, now=T0) is None  # another key


def test_expiry(path, user, monkeypatch):
    token = accounts.issue_token(user, KEY, now=T0, hours=2)
    assert accounts.verify_token(
        path, token, KEY, now=T0 + timedelta(hours=2) - timedelta(seconds=1)
    )
    assert accounts.verify_token(path, token, KEY, now=T0 + timedelta(hours=2)) is None
    monkeypatch.setenv("BURDENMAP_SESSION_HOURS", "0.5")
    token = accounts.issue_token(user, KEY, now=T0)
    assert accounts.verify_token(path, token, KEY, now=T0 + timedelta(minutes=29))
    assert accounts.verify_token(path, token, KEY, now=T0 + timedelta(minutes=30)) is None


def test_logout_revokes_every_earlier_token(path, user):
    early = accounts.issue_token(user, KEY, now=T0)
    accounts.logout(path, "zhang", now=T0 + timedelta(minutes=1))
    assert accounts.verify_token(path, early, KEY, now=T0 + timedelta(minutes=2)) is None
    later = accounts.issue_token(user, KEY, now=T0 + timedelta(minutes=3))
    assert accounts.verify_token(path, later, KEY, now=T0 + timedelta(minutes=4))
    assert accounts.events(path).iloc[0][["user_name", "action"]].tolist() == ["zhang", "logout"]


def test_a_password_change_revokes_earlier_tokens(path, user):
    token = accounts.issue_token(user, KEY, now=T0)
    accounts.set_password(path, "zhang", "a-new-password", actor="cli", now=T0 + timedelta(1))
    assert accounts.verify_token(path, token, KEY, now=T0 + timedelta(days=1, seconds=1)) is None


def test_disabled_accounts_lose_their_sessions_locked_ones_keep_them(path, user):
    token = accounts.issue_token(user, KEY, now=T0)
    accounts.set_disabled(path, "zhang", True, actor="cli", now=T0 + timedelta(minutes=1))
    assert accounts.verify_token(path, token, KEY, now=T0 + timedelta(minutes=2)) is None
    accounts.set_disabled(path, "zhang", False, actor="cli", now=T0 + timedelta(minutes=3))
    assert accounts.verify_token(path, token, KEY, now=T0 + timedelta(minutes=4)) is None
    fresh = accounts.issue_token(user, KEY, now=T0 + timedelta(minutes=5))
    for _ in range(5):
        with pytest.raises(accounts.LoginError):
            accounts.authenticate(path, "zhang", "wrong-password", now=T0 + timedelta(minutes=6))
    # a lock stops password guesses; it must not let anyone sign a user out by guessing
    assert accounts.verify_token(path, fresh, KEY, now=T0 + timedelta(minutes=7)) is not None


def test_the_secret_is_generated_once_and_kept_in_the_accounts_file(path, tmp_path):
    first = accounts.secret(path)
    assert len(first) == 32 and accounts.secret(path) == first
    assert accounts.secret(tmp_path / "other.sqlite") != first


def test_a_configured_secret_wins_and_must_be_long_enough(path, monkeypatch):
    monkeypatch.setenv("BURDENMAP_COOKIE_SECRET", "s" * 40)
    assert accounts.secret(path) == b"s" * 40
    monkeypatch.setenv("BURDENMAP_COOKIE_SECRET", "short")
    with pytest.raises(InvalidInputError, match="cookie_secret"):
        accounts.secret(path)
