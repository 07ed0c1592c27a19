"""``burdenmap init`` and ``burdenmap serve``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from cli.main import Context, command

APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"


def register(cli: click.Group) -> None:
    """Add the store and server commands to ``cli``."""

    @command(cli, "init")
    @click.option("--province", default=None, help="Province code [default: 630000].")
    @click.option("--force", is_flag=True, help="Replace an existing database file.")
    def init(ctx: Context, province: str | None, force: bool) -> None:
        """Create an empty database with the schema."""
        from metrics import settings, store

        province = settings.get("province", province)
        path = ctx.db_path
        store.init_database(
            path,
            {"simulated": "false", "province": province, "top_region": province},
            overwrite=force,
        )
        click.echo(
            ("已创建空数据库：" if ctx.language == "zh" else "Created empty database: ") + str(path)
        )

    @command(cli, "serve")
    @click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
    @click.option("--port", default=8501, show_default=True, type=int, help="Port to listen on.")
    def serve(ctx: Context, host: str, port: int) -> None:
        """Serve the dashboard (Streamlit) — offline, no usage statistics."""
        env = dict(os.environ, BURDENMAP_DB=str(ctx.db_path), BURDENMAP_LANG=ctx.language)
        args = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(APP),
            "--server.headless",
            "true",
            "--server.address",
            host,
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
            "--client.toolbarMode",
            "viewer",
        ]
        os.execve(sys.executable, args, env)
