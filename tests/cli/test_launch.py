"""``burdenmap serve`` preloads what the first map view imports, and nothing Streamlit-bound."""

import subprocess
import sys

from cli import launch
from cli.main import cli
from cli.store_cmd import APP


def _modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(out.stdout.split())


def test_preloading_imports_no_streamlit_and_no_export_library():
    loaded = _modules_after(
        "import importlib\nfrom cli import launch\n"
        "for name in launch.PRELOAD: importlib.import_module(name)"
    )
    assert set(launch.PRELOAD) <= loaded
    assert not {"streamlit", "kaleido", "docx"} & loaded


def test_every_preloaded_module_is_one_the_map_page_needs():
    """No dead entries: the dashboard's map view imports each of them anyway."""
    loaded = _modules_after("import dashboard.views, dashboard.login")
    assert set(launch.PRELOAD) <= loaded
    assert not {"kaleido", "docx"} & loaded  # export libraries load with the first export


def test_serve_starts_streamlit_through_the_launcher(monkeypatch, tmp_path):
    from click.testing import CliRunner

    calls = []
    monkeypatch.setattr("os.execve", lambda exe, args, env: calls.append(args))
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "burden.duckdb"), "serve", "--port", "8599"]
    )
    assert result.exit_code == 0, result.output
    (args,) = calls
    assert args[2:6] == ["-m", "cli.launch", "run", str(APP)]
    assert args[args.index("--server.port") + 1] == "8599"


def test_serve_ignores_modules_in_the_working_directory(monkeypatch, tmp_path):
    """A ``click.py`` where the server is started must not shadow the library."""
    from click.testing import CliRunner

    calls = []
    monkeypatch.setattr("os.execve", lambda exe, args, env: calls.append(args))
    CliRunner().invoke(cli, ["--db", str(tmp_path / "burden.duckdb"), "serve"])
    (args,) = calls
    (tmp_path / "click.py").write_text("raise ImportError('shadowed')\n")
    launcher = args[: args.index("cli.launch") + 1]
    done = subprocess.run(
        [*launcher, "--version"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "Streamlit" in done.stdout
