"""Sign-in, demo mode, lock-out, sign-out and role-specific navigation (AppTest, issue #9)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from metrics import accounts, store
from metrics.scope import Scope

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
PASSWORD = "password-123"


@pytest.fixture
def start(demo_db, accounts_file, open_app):
    def run(db: Path = demo_db, session: dict | None = None, **params: str) -> AppTest:
        return open_app(db, session=session, timeout=90, **params)

    return run


def add(accounts_file, db, name="leader", role="province", code=None):
    reader = store.Reader(db)
    try:
        return accounts.add_user(
            accounts_file, name, PASSWORD, role, code, regions=reader, actor="test"
        )
    finally:
        reader.close()


def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_demo_mode_without_accounts_is_a_read_only_province_view(start):
    at = start()
    assert at.session_state["demo"] is True
    assert at.session_state["scope"] == Scope.everything("demo")
    assert "演示模式" in "".join(m.value for m in at.markdown)
    assert not [b for b in at.button if b.key == "logout"]
    assert "用户名" not in [t.label for t in at.text_input]
    for page in ("app_pages/import_data.py", "app_pages/audit.py"):  # read-only, anonymous
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)


def test_a_real_database_without_accounts_never_opens(start, demo_db, tmp_path):
    db = tmp_path / "real.duckdb"
    shutil.copyfile(demo_db, db)
    store.publish(
        db, lambda con: con.execute("UPDATE meta SET value = 'false' WHERE key = 'simulated'")
    )
    at = start(db)
    assert "尚无任何账户" in at.error[0].value
    assert not at.dataframe and "scope" not in at.session_state


def test_first_account_switches_to_sign_in(start, demo_db, accounts_file):
    at = start()
    assert at.session_state["demo"] is True
    add(accounts_file, demo_db)
    at.run()
    assert "demo" not in at.session_state
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
    assert not at.dataframe


def test_sign_in_wrong_then_right_password(start, demo_db, accounts_file):
    add(accounts_file, demo_db, "chief", "prefecture", "632500")
    at = sign_in(start(), "chief", "wrong-password")
    wrong = at.error[0].value
    at = sign_in(at, "nobody", "wrong-password")
    assert at.error[0].value == wrong  # no user enumeration
    at = sign_in(at, "chief", PASSWORD)
    assert at.session_state["username"] == "chief"
    assert at.session_state["scope"].codes == ("632500",)
    assert "海南藏族自治州" in "".join(m.value for m in at.markdown)  # its own prefecture
    found = accounts.events(accounts_file)
    assert list(found["action"])[:3] == ["login", "login_failed", "login_failed"]


def test_repeated_failures_lock_the_account(start, demo_db, accounts_file):
    add(accounts_file, demo_db, "chief")
    at = start()
    for _ in range(5):
        at = sign_in(at, "chief", "wrong-password")
    assert "锁定" in at.error[0].value
    at = sign_in(at, "chief", PASSWORD)  # the right password no longer helps
    assert "锁定" in at.error[0].value and "username" not in at.session_state


def test_sign_out_ends_the_session_everywhere(start, demo_db, accounts_file):
    user = add(accounts_file, demo_db, "chief")
    token = accounts.issue_token(user, accounts.secret(accounts_file))
    at = start(session={"token": token})
    at.button(key="logout").click().run()
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
    assert accounts.verify_token(accounts_file, token, accounts.secret(accounts_file)) is None
    other = start(session={"token": token})  # another tab with the old token
    assert [t.label for t in other.text_input] == ["用户名", "密码"]


def test_a_disabled_account_loses_its_session_at_the_next_run(start, demo_db, accounts_file):
    user = add(accounts_file, demo_db, "chief")
    at = start(session={"token": accounts.issue_token(user, accounts.secret(accounts_file))})
    assert at.session_state["username"] == "chief"
    accounts.set_disabled(accounts_file, "chief", True, actor="test")
    at.run()
    assert "username" not in at.session_state
    assert "会话已结束" in at.info[0].value


@pytest.mark.parametrize(
    ("role", "code", "offered", "hidden"),
    [
        ("province", None, ["审计日志", "督查抽样"], ["数据导入"]),
        ("prefecture", "632500", [], ["审计日志", "督查抽样", "数据导入"]),
        ("county", "632525", [], ["审计日志", "督查抽样", "数据导入"]),
        ("inspector", "632500", ["督查抽样"], ["审计日志", "数据导入"]),
        ("admin", "632500", ["数据导入", "审计日志"], ["督查抽样"]),
    ],
)
def test_pages_follow_the_role(start, signed_in, role, code, offered, hidden):
    at = start(session=signed_in(role, code))
    for page in offered:
        at.switch_page(_path(page)).run()
        assert page in [t.value for t in at.title], page
    for page in hidden:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(_path(page))


def _path(title: str) -> str:
    return {
        "审计日志": "app_pages/audit.py",
        "督查抽样": "app_pages/inspection.py",
        "数据导入": "app_pages/import_data.py",
    }[title]


def test_audit_page_shows_sign_ins_and_exports(start, signed_in, accounts_file):
    accounts.record(accounts_file, "someone", "export", {"view": "map", "fmt": "png"})
    at = start(session=signed_in("province"))
    at.switch_page("app_pages/audit.py").run()
    trail = at.dataframe[0].value
    assert {"export", "user_add"} <= set(trail["操作"])


@pytest.mark.parametrize("role", ["inspector", "admin"])
def test_a_township_scope_opens_every_page_it_is_offered(start, signed_in, role):
    at = start(session=signed_in(role, "632521001000"))
    assert "632521001000" in at.session_state["scope"].codes
    pages = ["map", "trends", "peers", "departments", "reporting", "method"]
    for page in pages + (["inspection"] if role == "inspector" else ["import_data"]):
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert not at.error, (page, [e.value for e in at.error])
    if role == "inspector":  # the sample's map draws the county outline around the township
        at.button(key="FormSubmitter:sample-form-抽取").click().run()
        assert not at.exception, [e.value for e in at.exception]
