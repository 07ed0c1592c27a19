"""What to do, per channel: the command line names commands and options, the app its widgets."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest

from dashboard import i18n
from metrics.importing import CATALOGUE, Problem, report_bytes, to_frame

COMMAND = re.compile(r"burdenmap|(?<![\w-])--[a-z]")

# What the command-line fix names, by problem: every fix that names a command or option is here.
CLI_NAMES = {
    "empty_file": ["burdenmap template"],
    "sheet_missing": ["--sheet"],
    "simulated_target": ["burdenmap init --gazetteer"],
    "code_scientific": ["burdenmap template --county"],
    "code_leading_zeros": ["burdenmap template --county"],
    "name_mismatch": ["--replace"],
    "already_published": ["--replace", "burdenmap rollback"],
    "unfinished_period": ["--replace"],
    "visit_without_report": ["burdenmap rollback"],
    "has_data": ["burdenmap --db", "init --gazetteer"],
}

# The 数据导入 page's labels (``dashboard/i18n.py`` keys) the app fix names instead.
APP_LABELS = {
    "empty_file": ["import_tab_templates"],
    "sheet_missing": ["import_sheet"],
    "code_scientific": ["import_tab_templates"],
    "code_leading_zeros": ["import_tab_templates"],
    "name_mismatch": ["import_replace"],
    "already_published": ["import_replace", "import_tab_history"],
    "unfinished_period": ["import_replace"],
    "visit_without_report": ["import_tab_history"],
}
# What the app cannot do: the app fix sends the user to the system administrator.
TO_ADMIN = {"simulated_target", "has_data"}
ADMIN = {"zh": "系统管理员", "en": "system administrator"}


def every_problem() -> list[Problem]:
    return [Problem(code, "a.csv", 2, "C", "统计期", "2025Q3", "1") for code in CATALOGUE]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_app_fix_names_a_command_or_option(lang):
    fixes = to_frame(every_problem(), lang, channel="app").iloc[:, -1]
    assert [text for text in fixes if COMMAND.search(text)] == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_command_line_fix_still_names_its_command(lang):
    assert {p.code for p in every_problem() if COMMAND.search(p.text(lang))} == set(CLI_NAMES)
    for code, names in CLI_NAMES.items():
        problem = Problem(code, "a.csv", value="2025Q3", detail="1")
        assert problem.text(lang) == problem.text(lang, channel="cli")
        assert all(name in problem.message(lang) for name in names), problem.message(lang)
    report = pd.read_csv(io.BytesIO(report_bytes(every_problem(), "csv", lang)), dtype=str)
    assert report.iloc[:, -1].str.contains("--replace").sum() == 3


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_app_fix_names_the_page_s_labels_or_the_administrator(lang):
    assert set(APP_LABELS) | TO_ADMIN == set(CLI_NAMES)
    quote = "“{}”" if lang == "zh" else '"{}"'
    for code, keys in APP_LABELS.items():
        text = Problem(code, "a.csv").text(lang, channel="app")
        assert all(quote.format(i18n.t(key, lang)) in text for key in keys), text
    for code in TO_ADMIN:
        assert ADMIN[lang] in Problem(code, "a.csv").text(lang, channel="app")


def test_problems_without_commands_read_the_same_in_both_channels():
    for problem in every_problem():
        if problem.code not in CLI_NAMES:
            assert problem.text("zh", "app") == problem.text("zh")
            assert problem.text("en", "app") == problem.text("en")
