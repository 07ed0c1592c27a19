"""The ``Examples`` sections of the docstrings are run: an example that drifted from the code
fails here (pytest does not collect doctests by itself)."""

import doctest
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted(
    ".".join(path.relative_to(ROOT).with_suffix("").parts)
    for package in ("metrics", "dashboard", "geodata", "cli")
    for path in (ROOT / package).rglob("*.py")
    if ">>> " in path.read_text(encoding="utf-8")
    and path.parent.name != "app_pages"  # Streamlit scripts: they render when imported
)


def test_modules_with_examples_are_found():
    assert "metrics.periods" in MODULES and "dashboard.data" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
