"""``burdenmap demo``: build (or replace) the simulated demo database."""

from __future__ import annotations

import time

import click

from cli.main import Context, command


def register(cli: click.Group) -> None:
    """Add the ``demo`` command to ``cli``."""

    @command(cli, "demo")
    @click.option("--seed", default=7, show_default=True, type=int, help="Simulation seed.")
    @click.option(
        "--province",
        default="630000",
        show_default=True,
        help="Province code, or 'all' for the national demo (needs the build extras).",
    )
    def demo(ctx: Context, seed: int, province: str) -> None:
        """Build the simulated demo database (replaces an existing one as a new snapshot)."""
        from metrics.demo import build_demo

        start = time.perf_counter()

        def progress(message: str) -> None:
            click.echo(f"[{time.perf_counter() - start:5.1f}s] {message}", err=True)

        summary = build_demo(ctx.db_path, seed=seed, province=province, progress=progress)
        zh = ctx.language == "zh"
        click.echo(
            (
                f"已生成模拟数据库 {ctx.db_path}（{summary['bytes'] / 1e6:.1f} MB，"
                f"{time.perf_counter() - start:.1f} 秒）。数据为模拟，村庄位置为近似。"
            )
            if zh
            else (
                f"Built simulated database {ctx.db_path} ({summary['bytes'] / 1e6:.1f} MB, "
                f"{time.perf_counter() - start:.1f} s). "
                "Figures are simulated; positions approximate."
            )
        )
