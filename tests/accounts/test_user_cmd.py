"""``burdenmap user …`` and ``burdenmap audit`` through click's CliRunner."""

import pytest
from accounts_fixture import C1, A
from click.testing import CliRunner

from cli.main import cli
from metrics import accounts


@pytest.fixture
def run(db):
    def invoke(*args, password=None):
        stdin = None if password is None else password + "\n"
        return CliRunner().invoke(cli, ["--db", str(db), *args], input=stdin)

    return invoke


def add(run, name="wang", *options, password="pass-word-1"):
    args = ["user", "add", name, "--role", "county", "--scope", C1, *options, "--password-stdin"]
    return run(*args, password=password)


def test_add_then_list_without_hashes(run, path):
    result = add(run, "wang", "--display", "王科长")
    assert result.exit_code == 0, result.output
    assert "已创建用户 wang" in result.output
    listed = run("user", "list")
    assert listed.exit_code == 0, listed.output
    assert "wang" in listed.output and "王科长" in listed.output and "县区" in listed.output
    assert "$2b$" not in listed.output and "pass-word-1" not in listed.output
    assert "正常" in listed.output
    assert accounts.authenticate(path, "wang", "pass-word-1").display_name == "王科长"


def test_the_password_can_be_typed_twice_hidden(run, path):
    typed = "pass-word-2\npass-word-2"
    result = run("user", "add", "li", "--role", "prefecture", "--scope", A, password=typed)
    assert result.exit_code == 0, result.output
    assert "pass-word-2" not in result.output
    assert accounts.authenticate(path, "li", "pass-word-2").role == "prefecture"


def test_disable_enable_passwd_unlock(run, path):
    add(run)
    assert run("user", "disable", "wang").exit_code == 0
    assert "停用" in run("user", "list").output
    with pytest.raises(accounts.LoginError):
        accounts.authenticate(path, "wang", "pass-word-1")
    assert run("user", "enable", "wang").exit_code == 0
    result = run("user", "passwd", "wang", "--password-stdin", password="new-pass-word")
    assert result.exit_code == 0, result.output
    assert accounts.authenticate(path, "wang", "new-pass-word").username == "wang"
    assert run("user", "unlock", "wang").exit_code == 0
    seen = accounts.events(path)
    changes = seen[~seen["action"].isin(["login", "login_failed"])]
    assert list(changes["action"])[::-1] == [
        "user_add",
        "user_disable",
        "user_enable",
        "passwd",
        "unlock",
    ]
    assert set(changes["user_name"]) == {"cli"}


def test_audit_prints_session_events_and_data_changes(run):
    add(run)
    result = run("audit")
    assert result.exit_code == 0, result.output
    assert "user_add" in result.output and "import" in result.output and "cli" in result.output
    assert "2025-01-10 09:00:00" in result.output
    only = run("audit", "--user", "cli", "--format", "csv")
    assert "import" not in only.output and "user_add" in only.output
    assert "user_add" not in run("audit", "--since", "2999-01-01").output
    assert run("audit", "--since", "yesterday").exit_code == 2


@pytest.mark.parametrize(
    ("args", "password"),
    [
        (["user", "add", "a; DROP TABLE", "--role", "county", "--scope", C1], "pass-word-1"),
        (["user", "add", "<script>", "--role", "county", "--scope", C1], "pass-word-1"),
        (["user", "add", "wang", "--role", "prefecture", "--scope", C1], "pass-word-1"),
        (["user", "add", "wang", "--role", "county", "--scope", "999999"], "pass-word-1"),
        (["user", "add", "wang", "--role", "county", "--scope", C1], "short"),
        (["user", "disable", "nobody"], None),
        (["user", "passwd", "nobody"], "pass-word-1"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, password, run, path):
    if password is not None:
        args = [*args, "--password-stdin"]
    result = run(*args, password=password)
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert result.output.startswith("错误：")
    assert not accounts.has_users(path)


def test_an_unknown_role_is_a_usage_error(run):
    result = run("user", "add", "wang", "--role", "root", "--password-stdin", password="x")
    assert result.exit_code == 2
