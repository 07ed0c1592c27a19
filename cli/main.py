"""The ``burdenmap`` console script: the composition root that may import every layer.

Conventions (README "CLI conventions", checked against ``--help`` by a test):

- global options ``--db PATH`` and ``--lang zh|en`` are accepted before the subcommand and by
  every subcommand;
- exit codes: 0 done (warnings may be printed), 1 rejected / problems found, 2 usage error;
- user errors print one clear line, never a traceback.

Each subcommand lives in its own module under ``cli/`` and is registered in ``COMMANDS``.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from metrics.errors import BurdenmapError

LANGS = ("zh", "en")


class Context:
    """Options shared by every subcommand (CLI flag > env > default, resolved lazily)."""

    def __init__(self) -> None:
        self.db: str | None = None
        self.lang: str | None = None

    @property
    def db_path(self) -> Path:
        """Published database path after applying the settings precedence."""
        from metrics import settings

        return settings.db_path(self.db)

    @property
    def language(self) -> str:
        """Language for messages and output."""
        from metrics import settings

        lang = settings.get("lang", self.lang)
        return lang if lang in LANGS else "zh"


def _remember(field: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> Any:
        if value is not None:
            setattr(ctx.ensure_object(Context), field, value)
        return value

    return callback


def common_options(func: Callable) -> Callable:
    """Add ``--db`` and ``--lang`` to a command (they may also come before the subcommand)."""
    func = click.option(
        "--db",
        type=click.Path(dir_okay=False),
        expose_value=False,
        callback=_remember("db"),
        help="Database file [default: data/burden.duckdb; env BURDENMAP_DB].",
    )(func)
    return click.option(
        "--lang",
        type=click.Choice(LANGS),
        expose_value=False,
        callback=_remember("lang"),
        help="Language of messages and output [default: zh; env BURDENMAP_LANG].",
    )(func)


def command(group: click.Group, name: str, **kwargs: Any) -> Callable[[Callable], click.Command]:
    """Register ``func`` as subcommand ``name`` of ``group`` with the common options.

    The wrapped function receives the shared :class:`Context` as its first argument.
    """

    def decorator(func: Callable) -> click.Command:
        @functools.wraps(func)
        def wrapper(*args: Any, **kw: Any) -> Any:
            return func(click.get_current_context().ensure_object(Context), *args, **kw)

        return group.command(name, **kwargs)(common_options(wrapper))

    return decorator


class Group(click.Group):
    """A click group that turns :class:`BurdenmapError` into one line and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the subcommand, mapping user errors to a message and an exit code."""
        try:
            return super().invoke(ctx)
        except BurdenmapError as err:
            lang = ctx.ensure_object(Context).language
            click.echo(("错误：" if lang == "zh" else "Error: ") + err.message(lang), err=True)
            sys.exit(err.exit_code)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@common_options
@click.version_option(package_name="burdenmap")
def cli() -> None:
    """村级组织负担地图 burdenmap — village burden dashboard and tools."""


def _register() -> None:
    # Imported here so each module can use ``command(cli, ...)`` without a cycle.
    from cli import (
        demo_cmd,
        export_cmd,
        geodata_cmd,
        import_cmd,
        indicators_cmd,
        query_cmd,
        sample_cmd,
        store_cmd,
        user_cmd,
    )

    for module in (
        store_cmd,
        geodata_cmd,
        demo_cmd,
        query_cmd,
        indicators_cmd,
        import_cmd,
        sample_cmd,
        export_cmd,
        user_cmd,
    ):
        module.register(cli)


_register()
