"""Local accounts, signed session tokens and session events (DESIGN §6).

Accounts do not live in the published DuckDB snapshot: a login must not publish a new snapshot.
They live in a small SQLite file beside the database (:func:`accounts_path`, e.g.
``data/burden.accounts.sqlite``; setting ``accounts``), created with mode 0600, in WAL mode with
a busy timeout, its schema versioned by ``PRAGMA user_version``. The file holds the accounts,
the session events (logins, failed logins, lock-outs, logouts, exports, account changes) and,
unless ``cookie_secret`` is configured, the secret that signs session tokens.

Data-changing actions (imports, rollbacks, sample releases) keep auditing into the snapshot's
``audit_log`` together with their change; :func:`audit_trail` merges both into one frame.

Every function that changes an account records its event in the same transaction. Passwords are
only ever stored as bcrypt hashes (work factor: setting ``bcrypt_cost``) and never logged.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import os
import re
import secrets as random_source
import sqlite3
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, NoReturn

import bcrypt
import pandas as pd

from metrics import hierarchy, settings, sql
from metrics.errors import BurdenmapError, InvalidInputError
from metrics.scope import Scope

SUFFIX = ".accounts.sqlite"
MIN_PASSWORD = 8  # characters
MAX_PASSWORD_BYTES = 72  # bcrypt reads no further (UTF-8: about 24 Chinese characters)
BUSY_SECONDS = 10.0  # wait this long for another process's write before failing
EVENT_COLUMNS = ("occurred_at", "user_name", "action", "detail")

_USERNAME = re.compile(r"[A-Za-z0-9_.\-\u3400-\u4dbf\u4e00-\u9fff]{2,32}")
_DISPLAY_MAX = 64
_LEVEL_ZH = {"top": "本部署的最高一级区划", **hierarchy.LEVEL_NAMES_ZH}
_LEVEL_EN = {
    "top": "the deployment's top region",
    "prefecture": "a prefecture",
    "county": "a county",
}
_EPOCH = datetime(1970, 1, 1)  # naive, like every time in this project (local time)

# Forward migrations; ``PRAGMA user_version`` = how many have run. Append, never edit.
_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """
        CREATE TABLE account (
            username TEXT PRIMARY KEY COLLATE NOCASE,
            display_name TEXT NOT NULL,
            role TEXT NOT NULL,
            scope_code TEXT,
            password_hash TEXT NOT NULL,
            disabled INTEGER NOT NULL DEFAULT 0,
            failed_logins INTEGER NOT NULL DEFAULT 0,
            locked_until TEXT,
            created_at TEXT NOT NULL,
            password_changed_at TEXT NOT NULL,
            sessions_valid_after TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE event (
            id INTEGER PRIMARY KEY,
            occurred_at TEXT NOT NULL,
            user_name TEXT,
            action TEXT NOT NULL,
            detail TEXT
        )
        """,
        "CREATE INDEX event_time ON event (occurred_at)",
        "CREATE TABLE secret (id INTEGER PRIMARY KEY CHECK (id = 1), value BLOB NOT NULL)",
    ),
)
SCHEMA_VERSION = len(_MIGRATIONS)


@dataclass(frozen=True)
class Role:
    """A role: its labels and the level its scope region must have.

    ``scope_level`` is ``"top"`` (the deployment's top region), a region level, or ``None``
    (any region). Roles whose scope is a prefecture or a county must name one; for the others
    no scope means the whole deployment.
    """

    code: str
    zh: str
    en: str
    scope_level: str | None

    @property
    def needs_scope(self) -> bool:
        """Whether an account of this role must name its scope region."""
        return self.scope_level in ("prefecture", "county")

    def label(self, lang: str = "zh") -> str:
        """The role's name in ``lang``."""
        return self.zh if lang == "zh" else self.en


ROLES: dict[str, Role] = {
    r.code: r
    for r in (
        Role("province", "省级", "Province", "top"),
        Role("prefecture", "市州", "Prefecture", "prefecture"),
        Role("county", "县区", "County", "county"),
        Role("inspector", "督查", "Inspector", None),
        Role("admin", "数据管理员", "Data admin", None),
    )
}


@dataclass(frozen=True)
class User:
    """An account as stored, without its password hash."""

    username: str
    display_name: str
    role: str
    scope_code: str | None
    disabled: bool
    failed_logins: int
    locked_until: datetime | None
    created_at: datetime
    password_changed_at: datetime
    sessions_valid_after: datetime

    def locked(self, now: datetime | None = None) -> bool:
        """Whether the account is locked out at ``now`` (default: the current time)."""
        return self.locked_until is not None and _now(now) < self.locked_until


_USER_FIELDS = tuple(f.name for f in fields(User))
_TIMES = ("locked_until", "created_at", "password_changed_at", "sessions_valid_after")


class LoginError(BurdenmapError):
    """A refused login (exit 1); ``until`` is when the lock ends if the account is locked."""

    def __init__(self, zh: str, en: str, until: datetime | None = None) -> None:
        super().__init__(zh, en)
        self.until = until


def _wrong() -> LoginError:
    """The one message for an unknown user name and a wrong password (no user enumeration)."""
    return LoginError("用户名或密码错误。", "Wrong user name or password.")


def _locked(until: datetime) -> LoginError:
    shown = f"{until:%Y-%m-%d %H:%M}"
    return LoginError(
        f"账户因多次登录失败已锁定，{shown} 后可再试，或请管理员解锁。",
        f"Account locked after repeated failed logins until {shown}; try again then, "
        "or ask an administrator to unlock it.",
        until,
    )


# --------------------------------------------------------------------------------------------
# The file


def accounts_path(db: str | os.PathLike[str]) -> Path:
    """The accounts file of the database ``db``: setting ``accounts``, else beside ``db``.

    ``data/burden.duckdb`` → ``data/burden.accounts.sqlite``.
    """
    configured = settings.get("accounts")
    if configured:
        return Path(configured)
    db = Path(db)
    return db.with_name(db.stem + SUFFIX)


def _create(path: Path) -> None:
    """Create an empty ``path`` readable and writable by its owner only (0600), if missing."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process was first
        return
    os.close(fd)  # SQLite gives its -wal and -shm files the same mode


@contextmanager
def _transaction(con: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """An immediate (write-locking) transaction on an autocommit connection."""
    con.execute("BEGIN IMMEDIATE")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def _migrate(con: sqlite3.Connection) -> None:
    """Bring the file to :data:`SCHEMA_VERSION`."""
    if con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return
    with _transaction(con):
        version = con.execute("PRAGMA user_version").fetchone()[0]  # re-read under the lock
        if version > SCHEMA_VERSION:
            raise BurdenmapError(
                f"账户文件（版本 {version}）比本程序新，请升级程序。",
                f"The accounts file (version {version}) is newer than this program; upgrade it.",
            )
        for statements in _MIGRATIONS[version:]:
            for statement in statements:
                con.execute(statement)
        con.execute(f"PRAGMA user_version = {SCHEMA_VERSION:d}")


@contextmanager
def _connect(path: str | os.PathLike[str]) -> Iterator[sqlite3.Connection]:
    """An autocommit connection to the accounts file, created and migrated if needed.

    Raises
    ------
    BurdenmapError
        If the file cannot be opened (permissions, not an SQLite file, a full disk…).

    """
    path = Path(path)
    _create(path)
    con = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    try:
        con.row_factory = sqlite3.Row
        try:
            con.execute("PRAGMA journal_mode = WAL")
            _migrate(con)
        except sqlite3.DatabaseError as err:
            raise BurdenmapError(
                f"无法打开账户文件 {path}：{err}", f"Cannot open the accounts file {path}: {err}"
            ) from err
        yield con
    finally:
        con.close()


@contextmanager
def _write(path: str | os.PathLike[str]) -> Iterator[sqlite3.Connection]:
    """A connection inside an immediate transaction."""
    with _connect(path) as con, _transaction(con):
        yield con


# --------------------------------------------------------------------------------------------
# Values


def _now(now: datetime | None) -> datetime:
    return datetime.now() if now is None else now


def _text(moment: datetime) -> str:
    """How times are stored: sortable text with microseconds (naive local time)."""
    return moment.isoformat(sep=" ", timespec="microseconds")


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _start(since: date | datetime | None) -> datetime | None:
    """``since`` as a time: a date means its midnight."""
    if since is None or isinstance(since, datetime):
        return since
    return datetime.combine(since, time())


def _user(row: sqlite3.Row) -> User:
    values: dict[str, Any] = {name: row[name] for name in _USER_FIELDS}
    for name in _TIMES:
        values[name] = None if values[name] is None else datetime.fromisoformat(values[name])
    values["disabled"] = bool(values["disabled"])
    return User(**values)


def check_username(name: str) -> str:
    """Return ``name`` if it is a valid user name: 2–32 letters, digits, CJK, ``_``, ``.``, ``-``.

    Raises
    ------
    InvalidInputError
        For anything else (spaces, quotes, markup, SQL, control characters…).

    Examples
    --------
    >>> check_username("zhang.san")
    'zhang.san'

    """
    if not isinstance(name, str) or not _USERNAME.fullmatch(name):
        raise InvalidInputError(
            f"用户名 {name!r} 无效：须为 2–32 个字母、数字、汉字或 _ . -",
            f"Invalid user name {name!r}: use 2–32 letters, digits, CJK characters or _ . -",
        )
    return name


def _display_name(text: str | None, username: str) -> str:
    """The display name (default: the user name), checked."""
    text = username if text is None or not text.strip() else text.strip()
    if len(text) > _DISPLAY_MAX or any(unicodedata.category(c) == "Cc" for c in text):
        raise InvalidInputError(
            f"显示名称无效：最多 {_DISPLAY_MAX} 个字符，不能含控制字符",
            f"Invalid display name: at most {_DISPLAY_MAX} characters, no control characters",
        )
    return text


def check_role(role: str) -> Role:
    """The :class:`Role` named ``role``.

    Raises
    ------
    InvalidInputError
        Listing the valid roles.

    """
    if role not in ROLES:
        raise InvalidInputError(
            f"未知角色 {role!r}；可选：{', '.join(ROLES)}",
            f"Invalid role {role!r}; must be one of {', '.join(ROLES)}",
        )
    return ROLES[role]


def check_scope(regions: sql.Queryable, role: str, scope_code: str | None) -> str | None:
    """Return the scope region of an account of ``role`` if it fits (``None``: everything).

    Province: the deployment's top region or none; prefecture: a prefecture; county: a county;
    inspector and data admin: any region or none.

    Parameters
    ----------
    regions
        The published database (a ``metrics.store.Reader``), for its ``region`` table.
    role
        A key of :data:`ROLES`.
    scope_code
        A region code, or ``None``/blank.

    Raises
    ------
    InvalidInputError
        If the role is unknown, the code is not a region, or is of the wrong level for the
        role, or a prefecture or county role has no scope.

    """
    found = check_role(role)
    if scope_code is None or not scope_code.strip():
        if found.needs_scope:
            raise InvalidInputError(
                f"{found.zh}角色须指定所辖区划代码（--scope）",
                f"A {found.en.lower()} account needs its region code (--scope)",
            )
        return None
    scope_code = scope_code.strip()
    found_rows = regions.query(
        "SELECT level, parent_code IS NULL AS top FROM region WHERE code = $code",
        {"code": scope_code},
    )
    if found_rows.empty:
        raise InvalidInputError(
            f"未知区划代码 {scope_code!r}", f"Unknown region code {scope_code!r}"
        )
    level = str(found_rows.at[0, "level"])
    if found.scope_level not in (None, "top" if found_rows.at[0, "top"] else level):
        raise InvalidInputError(
            f"{found.zh}角色的区划须为{_LEVEL_ZH[found.scope_level]}，"
            f"{scope_code} 是{_LEVEL_ZH.get(level, level)}",
            f"A {found.en.lower()} account's region must be {_LEVEL_EN[found.scope_level]}; "
            f"{scope_code} is a {level}",
        )
    return scope_code


# --------------------------------------------------------------------------------------------
# Passwords


def _cost() -> int:
    cost = int(settings.get("bcrypt_cost"))
    if not 4 <= cost <= 31:
        raise InvalidInputError(
            f"bcrypt_cost 须在 4–31 之间（现为 {cost}）",
            f"bcrypt_cost must be within 4–31 (is {cost})",
        )
    return cost


def _hash(password: str) -> str:
    """The bcrypt hash of a password that meets the rules.

    Raises
    ------
    InvalidInputError
        Shorter than :data:`MIN_PASSWORD` characters, longer than :data:`MAX_PASSWORD_BYTES`
        bytes in UTF-8, or containing a NUL character.

    """
    if len(password) < MIN_PASSWORD:
        raise InvalidInputError(
            f"密码至少 {MIN_PASSWORD} 个字符",
            f"A password needs at least {MIN_PASSWORD} characters",
        )
    raw = password.encode("utf-8")
    if len(raw) > MAX_PASSWORD_BYTES or b"\0" in raw:
        raise InvalidInputError(
            f"密码过长（最多 {MAX_PASSWORD_BYTES} 字节，约 24 个汉字）或含空字符",
            f"Password too long (at most {MAX_PASSWORD_BYTES} bytes in UTF-8) or contains NUL",
        )
    return bcrypt.hashpw(raw, bcrypt.gensalt(_cost())).decode("ascii")


@lru_cache(maxsize=4)
@functools.lru_cache(maxsize=4)
def _dummy_hash(cost: int) -> bytes:
    """A hash no password matches, so that an unknown user costs as much time as a known one."""
    return bcrypt.hashpw(random_source.token_hex(16).encode("ascii"), bcrypt.gensalt(cost))


def _matches(password: str, hashed: bytes) -> bool:
    """Whether ``password`` matches ``hashed`` (always spending one bcrypt check)."""
    raw = password.encode("utf-8", "replace")
    if len(raw) > MAX_PASSWORD_BYTES or b"\0" in raw:
        bcrypt.checkpw(b"-", hashed)  # same time, certain mismatch
        return False
    return bcrypt.checkpw(raw, hashed)


# --------------------------------------------------------------------------------------------
# Accounts


def has_users(path: str | os.PathLike[str]) -> bool:
    """Whether any account exists (disabled ones included); never creates the file."""
    if not Path(path).exists():
        return False
    with _connect(path) as con:
        return con.execute("SELECT EXISTS (SELECT 1 FROM account)").fetchone()[0] == 1


def get_user(path: str | os.PathLike[str], username: str) -> User | None:
    """The account ``username`` (case-insensitive for Latin letters), or ``None``."""
    if not Path(path).exists():
        return None
    with _connect(path) as con:
        row = con.execute("SELECT * FROM account WHERE username = ?", [username]).fetchone()
    return None if row is None else _user(row)


def list_users(path: str | os.PathLike[str]) -> list[User]:
    """Every account, by user name."""
    if not Path(path).exists():
        return []
    with _connect(path) as con:
        rows = con.execute("SELECT * FROM account ORDER BY username").fetchall()
    return [_user(r) for r in rows]


def add_user(
    path: str | os.PathLike[str],
    username: str,
    password: str,
    role: str,
    scope_code: str | None = None,
    *,
    regions: sql.Queryable,
    display_name: str | None = None,
    actor: str,
    now: datetime | None = None,
) -> User:
    """Create an account and record ``user_add`` by ``actor``.

    Parameters
    ----------
    path
        The accounts file (:func:`accounts_path`).
    username, password, role, scope_code
        See :func:`check_username`, :func:`check_scope`; password rules in :func:`set_password`.
    regions
        The published database, to check the scope against (see :func:`check_scope`).
    display_name
        Shown in the app (default: the user name).
    actor
        Who creates the account (``"cli"`` for the command line, else an admin's user name).
    now
        The current time (tests).

    Raises
    ------
    InvalidInputError
        Invalid name, role, scope, display name or password; or the name is taken.

    """
    username = check_username(username)
    scope_code = check_scope(regions, role, scope_code)
    display = _display_name(display_name, username)
    hashed = _hash(password)
    now = _now(now)
    user = User(username, display, role, scope_code, False, 0, None, now, now, now)
    with _write(path) as con:
        taken = con.execute("SELECT username FROM account WHERE username = ?", [username])
        if taken.fetchone() is not None:
            raise InvalidInputError(f"用户 {username} 已存在", f"User {username} already exists")
        con.execute(
            "INSERT INTO account (username, display_name, role, scope_code, password_hash, "
            "created_at, password_changed_at, sessions_valid_after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [username, display, role, scope_code, hashed, _text(now), _text(now), _text(now)],
        )
        _event(
            con, now, actor, "user_add", {"username": username, "role": role, "scope": scope_code}
        )
    return user


def _find(con: sqlite3.Connection, username: str) -> User:
    row = con.execute("SELECT * FROM account WHERE username = ?", [username]).fetchone()
    if row is None:
        raise InvalidInputError(f"未知用户 {username!r}", f"Unknown user {username!r}")
    return _user(row)


def _save(
    con: sqlite3.Connection,
    user: User,
    now: datetime,
    actor: str | None,
    action: str,
    detail: dict | None = None,
) -> User:
    """Write the changeable fields of ``user`` and record ``action`` (caller's transaction)."""
    con.execute(
        "UPDATE account SET display_name = ?, role = ?, scope_code = ?, disabled = ?, "
        "failed_logins = ?, locked_until = ?, password_changed_at = ?, sessions_valid_after = ? "
        "WHERE username = ?",
        [
            user.display_name,
            user.role,
            user.scope_code,
            int(user.disabled),
            user.failed_logins,
            None if user.locked_until is None else _text(user.locked_until),
            _text(user.password_changed_at),
            _text(user.sessions_valid_after),
            user.username,
        ],
    )
    _event(con, now, actor, action, {"username": user.username, **(detail or {})})
    return user


def set_disabled(
    path: str | os.PathLike[str],
    username: str,
    disabled: bool,
    *,
    actor: str,
    now: datetime | None = None,
) -> User:
    """Disable (ending its sessions) or re-enable an account; ``user_disable``/``user_enable``.

    Raises
    ------
    InvalidInputError
        If there is no such account.

    """
    now = _now(now)
    with _write(path) as con:
        user = _find(con, username)
        changed = replace(user, disabled=disabled)
        if disabled:
            changed = replace(changed, sessions_valid_after=now)
        return _save(con, changed, now, actor, "user_disable" if disabled else "user_enable")


def set_password(
    path: str | os.PathLike[str],
    username: str,
    password: str,
    *,
    actor: str,
    now: datetime | None = None,
) -> User:
    """Set a new password: ends every session of the account and lifts a lock; records ``passwd``.

    A password has at least :data:`MIN_PASSWORD` characters and at most
    :data:`MAX_PASSWORD_BYTES` bytes in UTF-8.

    Raises
    ------
    InvalidInputError
        If there is no such account or the password breaks the rules.

    """
    hashed = _hash(password)  # slow: before taking the write lock
    now = _now(now)
    with _write(path) as con:
        user = _find(con, username)
        con.execute(
            "UPDATE account SET password_hash = ? WHERE username = ?", [hashed, user.username]
        )
        changed = replace(
            user,
            failed_logins=0,
            locked_until=None,
            password_changed_at=now,
            sessions_valid_after=now,
        )
        return _save(con, changed, now, actor, "passwd")


def unlock(
    path: str | os.PathLike[str], username: str, *, actor: str, now: datetime | None = None
) -> User:
    """Lift a lock-out and reset the failure count; records ``unlock``.

    Raises
    ------
    InvalidInputError
        If there is no such account.

    """
    now = _now(now)
    with _write(path) as con:
        user = _find(con, username)
        return _save(con, replace(user, failed_logins=0, locked_until=None), now, actor, "unlock")


def logout(path: str | os.PathLike[str], username: str, now: datetime | None = None) -> None:
    """End every session of ``username`` (tokens issued before now stop verifying); ``logout``.

    Raises
    ------
    InvalidInputError
        If there is no such account.

    """
    now = _now(now)
    with _write(path) as con:
        user = _find(con, username)
        _save(con, replace(user, sessions_valid_after=now), now, user.username, "logout")


def end_all_sessions(path: str | os.PathLike[str], actor: str, now: datetime | None = None) -> None:
    """Revoke every session of every account (after a restore brought old accounts back)."""
    now = _now(now)
    with _write(path) as con:
        con.execute("UPDATE account SET sessions_valid_after = ?", [_text(now)])
        _event(con, now, actor, "sessions_ended", None)


def authenticate(
    path: str | os.PathLike[str], username: str, password: str, now: datetime | None = None
) -> User:
    """The account if ``password`` is right and the account usable; records the outcome.

    ``login_max_failures`` consecutive failures lock the account for ``login_lock_minutes``
    (settings). Each attempt is counted *before* the slow password check, so guesses sent in
    parallel all count, and a right password is refused once the account is (or is being)
    locked. A user name that does not exist locks the same way, so the lock message reveals
    nothing. A success resets the count; a lock does not end sessions already open. Events:
    ``login``, ``login_failed`` (with the reason in ``detail``), ``locked``.

    Raises
    ------
    LoginError
        One message for an unknown user and a wrong password; one for a locked account or user
        name (saying until when, ``until`` set); a distinct one for a disabled account (given
        the right password).

    """
    now = _now(now)
    limit = int(settings.get("login_max_failures"))
    lock = timedelta(minutes=float(settings.get("login_lock_minutes")))
    with _connect(path) as con:
        with _transaction(con):
            row = con.execute("SELECT * FROM account WHERE username = ?", [username]).fetchone()
            user = None if row is None else _user(row)
            if user is not None and not user.locked(now):
                con.execute(
                    "UPDATE account SET failed_logins = failed_logins + 1 WHERE username = ?",
                    [user.username],
                )
        if user is None or user.locked(now):
            _matches(password, _dummy_hash(_cost()))  # the same time as a real check
            _refuse(con, username[:64], user, now, limit, lock)
        ok = _matches(password, row["password_hash"].encode("ascii"))
        refusal: LoginError | None = None
        with _transaction(con):  # refusals are raised after the commit: their records stay
            current = _find(con, user.username)  # as it is now, after the slow check
            if not ok:
                _event(con, now, user.username, "login_failed", {"reason": "wrong password"})
                refusal = _wrong()
                if current.failed_logins >= limit:
                    until = now + lock
                    con.execute(
                        "UPDATE account SET failed_logins = 0, locked_until = ? WHERE username = ?",
                        [_text(until), user.username],
                    )
                    details = {"failures": current.failed_logins, "until": _text(until)}
                    _event(con, now, user.username, "locked", details)
                    refusal = _locked(until)
            elif current.locked(now) or current.failed_logins > limit:  # others' guesses
                _event(con, now, user.username, "login_failed", {"reason": "locked"})
                refusal = _locked(current.locked_until or now + lock)
            elif current.password_changed_at != user.password_changed_at:
                refusal = _wrong()  # the password changed meanwhile
            elif current.disabled:
                _event(con, now, user.username, "login_failed", {"reason": "disabled"})
                refusal = LoginError(
                    "账户已停用，请联系管理员。", "This account is disabled; ask an administrator."
                )
            else:
                cleared = replace(current, failed_logins=0, locked_until=None)
                user = _save(con, cleared, now, user.username, "login")
        if refusal is not None:
            raise refusal
        return user


def _refuse(
    con: sqlite3.Connection,
    name: str,
    user: User | None,
    now: datetime,
    limit: int,
    lock: timedelta,
) -> NoReturn:
    """Refuse a locked account, or an unknown user name (locked like an account at the limit)."""
    if user is not None:
        with _transaction(con):
            _event(con, now, user.username, "login_failed", {"reason": "locked"})
        raise _locked(user.locked_until)
    with _transaction(con):
        since = _text(now - lock)
        recent = con.execute(
            "SELECT count(*) FROM event WHERE user_name = ? "
            "AND action = 'login_failed' AND occurred_at >= ?",
            [name, since],
        ).fetchone()[0]
        _event(con, now, name, "login_failed", {"reason": "unknown user"})
    if recent + 1 >= limit:
        raise _locked(now + lock)
    raise _wrong()


# --------------------------------------------------------------------------------------------
# Session tokens


def secret(path: str | os.PathLike[str]) -> bytes:
    """The key that signs session tokens.

    The ``cookie_secret`` setting (environment ``BURDENMAP_COOKIE_SECRET`` or ``burdenmap.toml``)
    if set, else 32 random bytes generated once and kept in the accounts file.

    Raises
    ------
    InvalidInputError
        If the configured secret is shorter than 32 characters.

    """
    configured = str(settings.get("cookie_secret"))
    if configured:
        if len(configured) < 32:
            raise InvalidInputError(
                "cookie_secret 至少 32 个字符", "cookie_secret needs at least 32 characters"
            )
        return configured.encode("utf-8")
    with _connect(path) as con:
        row = con.execute("SELECT value FROM secret WHERE id = 1").fetchone()
        if row is None:
            with _transaction(con):
                con.execute(
                    "INSERT OR IGNORE INTO secret (id, value) VALUES (1, ?)",
                    [random_source.token_bytes(32)],
                )
                row = con.execute("SELECT value FROM secret WHERE id = 1").fetchone()
    return bytes(row[0])


def _b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def _signature(key: bytes, body: bytes) -> bytes:
    return _b64(hmac.new(key, body, hashlib.sha256).digest())


def issue_token(
    user: User, secret: bytes, now: datetime | None = None, hours: float | None = None
) -> str:
    """A signed session token for ``user``, valid ``hours`` (default: setting ``session_hours``).

    ``base64url(claims) "." base64url(HMAC-SHA256(secret, base64url(claims)))`` where the claims
    are the user name, the issue time and the expiry. It carries no role or scope: those are
    read afresh from the accounts file by :func:`verify_token`.
    """
    now = _now(now)
    hours = float(settings.get("session_hours")) if hours is None else hours
    claims = {"u": user.username, "i": _micros(now), "e": _micros(now + timedelta(hours=hours))}
    body = _b64(json.dumps(claims, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return (body + b"." + _signature(secret, body)).decode("ascii")


def verify_token(
    path: str | os.PathLike[str], token: str, secret: bytes, now: datetime | None = None
) -> User | None:
    """The account of a valid ``token``, else ``None``.

    Refused: malformed or tampered tokens, expired ones, unknown or disabled accounts,
    and tokens issued before the account's ``sessions_valid_after`` (logout, password change,
    disabling).
    """
    try:
        body, dot, signature = token.encode("ascii").partition(b".")
        if not dot or not hmac.compare_digest(_signature(secret, body), signature):
            return None
        claims = json.loads(base64.urlsafe_b64decode(body + b"=" * (-len(body) % 4)))
        username, issued, expires = str(claims["u"]), int(claims["i"]), int(claims["e"])
    except (AttributeError, UnicodeError, ValueError, KeyError, TypeError):
        return None
    now = _now(now)
    if _micros(now) >= expires:
        return None
    user = get_user(path, username)
    if user is None or user.disabled:  # a lock stops password guesses, not open sessions
        return None
    return None if issued < _micros(user.sessions_valid_after) else user


# --------------------------------------------------------------------------------------------
# Session events and the audit trail


def _event(
    con: sqlite3.Connection, now: datetime, user: str | None, action: str, detail: dict | None
) -> None:
    con.execute(
        "INSERT INTO event (occurred_at, user_name, action, detail) VALUES (?, ?, ?, ?)",
        [
            _text(now),
            user,
            action,
            None if detail is None else json.dumps(detail, ensure_ascii=False, default=str),
        ],
    )


def record(
    path: str | os.PathLike[str],
    user: str | None,
    action: str,
    detail: dict | None = None,
    now: datetime | None = None,
) -> None:
    """Append a session event (e.g. ``export``) by ``user`` with a JSON ``detail``."""
    with _write(path) as con:
        _event(con, _now(now), user, action, detail)


def _frame(rows: list[Any]) -> pd.DataFrame:
    df = pd.DataFrame([tuple(r) for r in rows], columns=list(EVENT_COLUMNS))
    df["occurred_at"] = pd.to_datetime(df["occurred_at"])
    df["user_name"] = df["user_name"].astype(object)
    return df


def events(
    path: str | os.PathLike[str],
    since: date | datetime | None = None,
    user: str | None = None,
    limit: int = 1000,
) -> pd.DataFrame:
    """Session events, newest first: ``occurred_at, user_name, action, detail`` (JSON text).

    Parameters
    ----------
    path
        The accounts file (none yet: an empty frame).
    since
        Only from this time (a date: from its midnight).
    user
        Only events of this user name.
    limit
        At most this many rows.

    """
    if not Path(path).exists():
        return _frame([])
    start = _start(since)
    with _connect(path) as con:
        rows = con.execute(
            "SELECT occurred_at, user_name, action, detail FROM event "
            "WHERE (?1 IS NULL OR occurred_at >= ?1) AND (?2 IS NULL OR user_name = ?2) "
            "ORDER BY occurred_at DESC, id DESC LIMIT ?3",
            [None if start is None else _text(start), user, limit],
        ).fetchall()
    return _frame(rows)


def audit_trail(
    path: str | os.PathLike[str],
    db: sql.Queryable,
    scope: Scope,
    caller: str | None = None,
    since: date | datetime | None = None,
    user: str | None = None,
    limit: int = 1000,
) -> pd.DataFrame:
    """Session events and the snapshot's ``audit_log`` in one frame, newest first.

    Columns as :func:`events` plus ``source``: ``session`` (this file: logins, exports, account
    changes…) or ``data`` (imports, rollbacks, sample releases: the published database ``db``).
    Only a ``scope`` with the ``audit`` right may read it; a data admin (role ``admin``) reads
    the actions of ``caller`` only.

    Raises
    ------
    metrics.scope.ScopeError
        Without the ``audit`` right.

    """
    scope.need("audit")
    if scope.role == "admin":
        user = caller or ""
    start = _start(since)
    data = db.query(
        "SELECT occurred_at, user_name, action, detail FROM audit_log "
        "WHERE ($since::TIMESTAMP IS NULL OR occurred_at >= $since::TIMESTAMP) "
        "AND ($user::VARCHAR IS NULL OR user_name = $user::VARCHAR) "
        "ORDER BY occurred_at DESC, id DESC LIMIT $limit",
        {"since": start, "user": user, "limit": limit},
    )
    data["occurred_at"] = pd.to_datetime(data["occurred_at"])
    both = pd.concat(
        [events(path, since, user, limit).assign(source="session"), data.assign(source="data")],
        ignore_index=True,
    )
    both = both.sort_values("occurred_at", ascending=False, kind="stable")
    return both.head(limit).reset_index(drop=True)
