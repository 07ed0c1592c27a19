"""``burdenmap user …`` (local accounts) and ``burdenmap audit`` (the merged audit log).

The CLI acts as an administrator on the machine that holds the database: every account change
is recorded as a session event by the user name :data:`ACTOR`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import click
import pandas as pd

from cli.main import Context, command, common_options
from cli.query_cmd import FORMATS, render
from metrics.errors import InvalidInputError
from metrics.scope import Scope

ACTOR = "cli"
USERS_ZH = {
    "username": "用户名",
    "display_name": "显示名称",
    "role": "角色",
    "scope_code": "区划",
    "status": "状态",
    "failed_logins": "连续失败",
    "created_at": "创建时间",
    "password_changed_at": "改密时间",
}
AUDIT_ZH = {
    "occurred_at": "时间",
    "user_name": "用户",
    "action": "操作",
    "detail": "详情",
    "source": "来源",
}
_SHOWN = "%Y-%m-%d %H:%M:%S"


def _say(ctx: Context, zh: str, en: str) -> None:
    click.echo(zh if ctx.language == "zh" else en)


def _echo(
    ctx: Context, frame: pd.DataFrame, fmt: str, headers_zh: dict[str, str], empty: tuple[str, str]
) -> None:
    """Print ``frame`` as ``fmt`` (a table: Chinese headers in zh; a sentence when empty)."""
    if fmt == "table" and frame.empty:
        _say(ctx, *empty)
        return
    click.echo(render(frame, fmt, headers_zh if ctx.language == "zh" else None), nl=False)


def _accounts(ctx: Context) -> Path:
    from metrics.accounts import accounts_path

    return accounts_path(ctx.db_path)


def _password(from_stdin: bool) -> str:
    """The new password: the first line of standard input, or typed twice without echo."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt(
        "密码 Password", hide_input=True, confirmation_prompt="再次输入 Repeat password"
    )


def _users_frame(ctx: Context) -> pd.DataFrame:
    """One row per account (never a hash), with its status in words."""
    from metrics.accounts import ROLES, list_users

    zh = ctx.language == "zh"
    rows = []
    for user in list_users(_accounts(ctx)):
        if user.disabled:
            status = "停用" if zh else "disabled"
        elif user.locked():
            shown = f"{user.locked_until:%Y-%m-%d %H:%M}"
            status = f"锁定至 {shown}" if zh else f"locked until {shown}"
        else:
            status = "正常" if zh else "active"
        rows.append(
            {
                "username": user.username,
                "display_name": user.display_name,
                "role": ROLES[user.role].label(ctx.language),
                "scope_code": user.scope_code or ("全部" if zh else "all"),
                "status": status,
                "failed_logins": user.failed_logins,
                "created_at": f"{user.created_at:{_SHOWN}}",
                "password_changed_at": f"{user.password_changed_at:{_SHOWN}}",
            }
        )
    return pd.DataFrame(rows, columns=list(USERS_ZH))


def _change(
    group: click.Group,
    name: str,
    help_text: str,
    apply: Callable[[Path, str], object],
    done: tuple[str, str],
) -> None:
    """Register ``user <name> NAME``: ``apply(accounts file, NAME)``, then say ``done`` (zh, en)."""

    @command(group, name, help=help_text)
    @click.argument("username", metavar="NAME")
    def run(ctx: Context, username: str) -> None:
        apply(_accounts(ctx), username)
        _say(ctx, done[0].format(username), done[1].format(username))


def register(cli: click.Group) -> None:
    """Add the ``user`` command group and ``audit`` to ``cli``."""
    from metrics import accounts

    @cli.group("user")
    @common_options
    def user_group() -> None:
        """Local accounts: add, list, disable, enable, set passwords, unlock."""

    @command(user_group, "add")
    @click.argument("username", metavar="NAME")
    @click.option("--role", required=True, type=click.Choice(list(accounts.ROLES)), help="Role.")
    @click.option("--scope", default=None, metavar="CODE", help="Region code of the scope.")
    @click.option("--display", default=None, metavar="TEXT", help="Display name.")
    @click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
    def add(
        ctx: Context,
        username: str,
        role: str,
        scope: str | None,
        display: str | None,
        password_stdin: bool,
    ) -> None:
        """Create account NAME (the password is asked twice, hidden)."""
        from metrics import store

        accounts.check_username(username)
        regions = store.Reader(ctx.db_path)
        try:
            accounts.check_scope(regions, role, scope)  # before asking for a password
            user = accounts.add_user(
                _accounts(ctx),
                username,
                _password(password_stdin),
                role,
                scope,
                regions=regions,
                display_name=display,
                actor=ACTOR,
            )
        finally:
            regions.close()
        role_label = accounts.ROLES[role].label(ctx.language)
        _say(
            ctx,
            f"已创建用户 {user.username}（{role_label}，区划 {user.scope_code or '全部'}）",
            f"Created user {user.username} ({role_label}, scope {user.scope_code or 'all'})",
        )

    @command(user_group, "list")
    @click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
    def list_(ctx: Context, fmt: str) -> None:
        """List the accounts (never their password hashes)."""
        _echo(ctx, _users_frame(ctx), fmt, USERS_ZH, ("尚无账户。", "No accounts yet."))

    @command(user_group, "passwd")
    @click.argument("username", metavar="NAME")
    @click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
    def passwd(ctx: Context, username: str, password_stdin: bool) -> None:
        """Set a new password for NAME (ends its sessions, lifts a lock)."""
        path = _accounts(ctx)
        if accounts.get_user(path, username) is None:  # before asking for a password
            raise InvalidInputError(f"未知用户 {username!r}", f"Unknown user {username!r}")
        accounts.set_password(path, username, _password(password_stdin), actor=ACTOR)
        _say(ctx, f"已为 {username} 设置新密码", f"New password set for {username}")

    _change(
        user_group,
        "disable",
        "Disable account NAME (its sessions end).",
        lambda path, name: accounts.set_disabled(path, name, True, actor=ACTOR),
        ("已停用用户 {}", "Disabled user {}"),
    )
    _change(
        user_group,
        "enable",
        "Enable account NAME again.",
        lambda path, name: accounts.set_disabled(path, name, False, actor=ACTOR),
        ("已启用用户 {}", "Enabled user {}"),
    )
    _change(
        user_group,
        "unlock",
        "Lift the lock-out of account NAME.",
        lambda path, name: accounts.unlock(path, name, actor=ACTOR),
        ("已解锁用户 {}", "Unlocked user {}"),
    )

    @command(cli, "audit")
    @click.option(
        "--since",
        type=click.DateTime(["%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"]),
        default=None,
        help="Only from this date (YYYY-MM-DD).",
    )
    @click.option("--user", "user_name", default=None, metavar="NAME", help="Only this user.")
    @click.option(
        "--limit", type=click.IntRange(min=1), default=200, show_default=True, help="Rows."
    )
    @click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
    def audit(
        ctx: Context, since: datetime | None, user_name: str | None, limit: int, fmt: str
    ) -> None:
        """Print the audit log, newest first: logins and account changes, imports, exports."""
        from metrics import store

        reader = store.Reader(ctx.db_path)
        try:
            frame = accounts.audit_trail(
                _accounts(ctx), reader, Scope.everything(), "cli", since, user_name, limit
            )
        finally:
            reader.close()
        frame["occurred_at"] = frame["occurred_at"].dt.strftime(_SHOWN)
        _echo(ctx, frame, fmt, AUDIT_ZH, ("没有符合条件的审计记录。", "No audit entries match."))
