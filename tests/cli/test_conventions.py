"""The README's CLI table and the real ``--help`` must agree, and the conventions must hold."""

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cli.main import cli

README = Path(__file__).resolve().parents[2] / "README.md"


def leaf_commands(group: click.Group, prefix: str = "") -> dict[str, click.Command]:
    out: dict[str, click.Command] = {}
    for name, cmd in group.commands.items():
        full = f"{prefix}{name}"
        if isinstance(cmd, click.Group):
            out.update(leaf_commands(cmd, full + " "))
        else:
            out[full] = cmd
    return out


def readme_table() -> dict[str, str]:
    """Rows of the README table under "CLI conventions": command → options cell."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## CLI conventions", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)]  # "\|" is a literal pipe
        m = re.fullmatch(r"`burdenmap ([a-z ]+)`", cells[1]) if len(cells) > 3 else None
        if m:
            rows[m.group(1)] = cells[2]
    return rows


def test_every_command_is_in_the_readme_table_and_nothing_else():
    assert set(readme_table()) == set(leaf_commands(cli))


@pytest.mark.parametrize("name", sorted(leaf_commands(cli)))
def test_readme_lists_each_option_of_the_command(name):
    cmd = leaf_commands(cli)[name]
    options = {
        opt
        for p in cmd.params
        if isinstance(p, click.Option)
        for opt in p.opts
        if opt.startswith("--") and opt not in {"--db", "--lang", "--help"}
    }
    documented = set(re.findall(r"--[a-z][a-z-]*", readme_table()[name]))
    assert documented == options


@pytest.mark.parametrize("name", sorted(leaf_commands(cli)))
def test_every_command_accepts_the_global_options(name):
    result = CliRunner().invoke(cli, [*name.split(), "--help"])
    assert result.exit_code == 0
    assert "--db" in result.output
    assert "--lang" in result.output


def test_unknown_option_is_a_usage_error():
    result = CliRunner().invoke(cli, ["init", "--no-such-option"])
    assert result.exit_code == 2


def test_user_error_is_one_line_without_traceback(tmp_path):
    db = tmp_path / "x.duckdb"
    db.write_bytes(b"")  # exists: init must refuse to overwrite it
    result = CliRunner().invoke(cli, ["--db", str(db), "init"])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
