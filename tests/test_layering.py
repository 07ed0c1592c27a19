"""Layering rules of DESIGN §1, checked on the source tree (not just by convention)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def top_level(names: set[str]) -> set[str]:
    return {n.split(".")[0] for n in names}


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("metrics", {"streamlit", "dashboard", "cli"}),
        ("geodata", {"streamlit", "dashboard", "cli", "metrics", "duckdb"}),
    ],
)
def test_lower_layers_never_import_upper_ones(package, forbidden):
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"no Python files under {package}/"
    offenders = {
        str(f.relative_to(ROOT)): sorted(top_level(imported_modules(f)) & forbidden)
        for f in files
        if top_level(imported_modules(f)) & forbidden
    }
    assert offenders == {}


def test_checker_sees_streamlit_imports(tmp_path):
    """The AST check above must catch both import forms (guards against a vacuous test)."""
    sample = tmp_path / "m.py"
    sample.write_text("import streamlit as st\nfrom streamlit import cache_data\n")
    assert top_level(imported_modules(sample)) == {"streamlit"}


def test_only_the_adapter_module_touches_metrics_from_the_dashboard():
    """Pages and components reach metrics/ only through dashboard/data.py (DESIGN §1)."""
    allowed = {"dashboard/data.py"}
    offenders = [
        str(f.relative_to(ROOT))
        for f in sorted((ROOT / "dashboard").rglob("*.py"))
        if str(f.relative_to(ROOT)) not in allowed
        and "streamlit" in top_level(imported_modules(f))
        and "metrics" in top_level(imported_modules(f))
        and not _imports_only_pure_helpers(f)
    ]
    assert offenders == []


def _imports_only_pure_helpers(path: Path) -> bool:
    # Streamlit modules may use the registry and period labels (pure data, no database access).
    pure = {"metrics.registry", "metrics.periods", "metrics.errors"}
    used = {".".join(n.split(".")[:2]) for n in imported_modules(path) if n.startswith("metrics.")}
    return used <= pure


def test_adapter_rule_catches_a_page_that_queries_metrics(tmp_path):
    page = tmp_path / "page.py"
    page.write_text("import streamlit as st\nfrom metrics import queries, registry\n")
    assert not _imports_only_pure_helpers(page)
    page.write_text("import streamlit as st\nfrom metrics import registry\n")
    assert _imports_only_pure_helpers(page)
