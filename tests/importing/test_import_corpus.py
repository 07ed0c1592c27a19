"""The bad-input corpus: each file reports its named problem at the right row and column, in
both languages, and leaves the published database byte-identical."""

from __future__ import annotations

import json

import pytest
from make_corpus import CASES, CORPUS, write
from tiny_db import NOW, sha256

from metrics.importing import CATALOGUE, import_bytes
from metrics.importing.gazetteer import init_from_gazetteer

# Problems that cannot be shown by a file against the tiny database, and where they are tested.
ELSEWHERE = {
    "code_leading_zeros": "test_import_publish.py::test_code_that_lost_its_leading_zeros",
    "simulated_target": "test_import_publish.py::test_import_into_a_simulated_database_warns",
    "has_data": "test_import_cli.py::test_gazetteer_refused_once_observations_exist",
    "outside_scope": "test_import_scope.py::test_a_data_admin_imports_only_its_own_region",
}


def run(case, db, tmp_path):
    data = (CORPUS / case.name).read_bytes()
    if case.kind == "gazetteer":
        return init_from_gazetteer(tmp_path / "new.duckdb", data, case.name, now=NOW)
    return import_bytes(
        db,
        data,
        case.name,
        kind=case.kind,
        sheet=case.options.get("sheet"),
        dry_run=case.options.get("dry_run", False),
        now=NOW,
    )


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus_file_reports_its_problem_and_changes_nothing(case, db, tmp_path):
    before = sha256(db)
    result = run(case, db, tmp_path)

    found = sorted((p.code, p.row, p.column, p.value) for p in result.problems)
    assert found == sorted(case.expect, key=str), [p.message() for p in result.problems]
    for problem in result.problems:
        zh, en = problem.message("zh"), problem.message("en")
        assert (
            zh.startswith(("[警告] ", "[错误] "))
            and en.startswith(("[warning] ", "[error] "))
            and case.name in zh
            and case.name in en
        )
        if problem.row is not None:
            assert f"第 {problem.row} 行" in zh and f"row {problem.row}" in en
        if problem.column is not None:
            assert f"{problem.column} 列" in zh and f"column {problem.column}" in en
        if problem.value:
            assert problem.value in zh and problem.value in en
        assert CATALOGUE[problem.code].fix_zh.split("{")[0] in zh  # says what to do
    assert sha256(db) == before
    assert not (tmp_path / "new.duckdb").exists()
    expected_status = "checked" if case.options.get("dry_run") else "rejected"
    assert result.status == expected_status
    manifest = json.loads((result.upload / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == expected_status
    assert (result.upload / manifest["stored"]).read_bytes() == (CORPUS / case.name).read_bytes()


def test_generator_reproduces_the_committed_corpus(tmp_path):
    written = write(tmp_path)
    committed = sorted(p.name for p in CORPUS.iterdir())
    assert sorted(p.name for p in written) == committed
    for path in written:
        assert path.read_bytes() == (CORPUS / path.name).read_bytes(), path.name


def test_corpus_has_a_file_for_every_named_problem():
    assert len(CASES) >= 30
    shown = {code for case in CASES for code, *_ in case.expect}
    assert shown | set(ELSEWHERE) == set(CATALOGUE)
    assert not shown & set(ELSEWHERE)
