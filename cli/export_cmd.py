"""``burdenmap brief`` and ``burdenmap export``: the Word briefing, figures and tables as files.

Both write what the app shows (``dashboard.exports``), for the whole deployment (the CLI's
scope), and record the export in the audit log (``metrics.exports.audit``) — who (the operating
system user), what, when.
"""

from __future__ import annotations

import getpass
from pathlib import Path

import click

from cli.main import Context, command

VIEWS = ("map", "trend", "peers", "departments")  # dashboard.exports.content.VIEWS
FORMATS = ("png", "svg", "xlsx", "csv")  # static.FORMATS + tables.FORMATS


def _audit(
    ctx: Context,
    view: str,
    fmt: str,
    region: str,
    period: str | None,
    indicator: str | None,
    output: Path,
) -> None:
    from metrics.exports import audit
    from metrics.scope import Scope

    event = audit.ExportEvent(
        user=f"cli:{getpass.getuser()}",
        view=view,
        fmt=fmt,
        region=region,
        period=period,
        indicator=indicator,
        scope=Scope.everything(),
        file=output.name,
    )
    audit.record(ctx.db_path, event)


def _write(output: Path, data: bytes) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)


def register(cli: click.Group) -> None:
    """Add ``brief`` and ``export`` to ``cli``."""

    @command(cli, "brief")
    @click.option("--region", required=True, metavar="CODE", help="Region the briefing is on.")
    @click.option("--period", default=None, metavar="YYYYQn", help="Quarter [default: latest].")
    @click.option(
        "-o",
        "--output",
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="The Word file to write, e.g. 简报.docx.",
    )
    def brief(ctx: Context, region: str, period: str | None, output: Path) -> None:
        """Write a Word briefing (生成简报) on a region and quarter."""
        from dashboard.exports import briefing
        from metrics import periods
        from metrics.scope import Scope
        from metrics.store import Reader

        if output.suffix.lower() != ".docx":
            raise click.BadParameter("use a .docx file name", param_hint="--output")
        reader = Reader(ctx.db_path)
        try:
            period = periods.require(reader, period)
            data = briefing.build(reader, Scope.everything(), region, period, lang=ctx.language)
        finally:
            reader.close()
        _audit(ctx, "brief", "docx", region, period, None, output)
        _write(output, data)
        click.echo(str(output))

    @command(cli, "export")
    @click.option("--view", required=True, type=click.Choice(VIEWS), help="What to export.")
    @click.option("--region", required=True, metavar="CODE", help="Region shown.")
    @click.option(
        "--indicator",
        default="index",
        show_default=True,
        metavar="index|CODE",
        help="Burden index or an indicator code (see `burdenmap indicators`).",
    )
    @click.option("--period", default=None, metavar="YYYYQn", help="Quarter [default: latest].")
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default=None,
        help="png or svg (the figure), xlsx or csv (its table) [default: from --output].",
    )
    @click.option(
        "-o",
        "--output",
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="The file to write.",
    )
    def export(
        ctx: Context,
        view: str,
        region: str,
        indicator: str,
        period: str | None,
        fmt: str | None,
        output: Path,
    ) -> None:
        """Write a view's figure (PNG, SVG) or table (XLSX, CSV), as the app shows it."""
        from dashboard.exports import content, static, tables
        from metrics import periods
        from metrics.scope import Scope
        from metrics.store import Reader

        fmt = fmt or output.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise click.BadParameter(
                f"use --format {'|'.join(FORMATS)} or a file name ending in one",
                param_hint="--format",
            )
        reader = Reader(ctx.db_path)
        try:
            period = periods.require(reader, period)
            found = content.build(
                reader, Scope.everything(), view, region, period, indicator, ctx.language
            )
        finally:
            reader.close()
        if fmt in static.FORMATS:
            data = static.image(found.figure, fmt)
        else:
            data = tables.write(found.table, fmt)
        _audit(ctx, view, fmt, region, period, indicator, output)
        _write(output, data)
        click.echo(str(output))
