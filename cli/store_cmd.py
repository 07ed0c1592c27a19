"""``burdenmap init``, ``upgrade``, ``backup``, ``restore`` and ``serve``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from cli.main import Context, command
from metrics.errors import RejectedError

APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"


def _init_real(ctx: Context, province: str, force: bool, gazetteer: str) -> None:
    """``init --gazetteer``: a real database holding the gazetteer's villages."""
    from cli.import_cmd import echo_problems
    from metrics.importing.gazetteer import init_from_gazetteer

    path = ctx.db_path
    result = init_from_gazetteer(
        path,
        Path(gazetteer).read_bytes(),
        Path(gazetteer).name,
        province=province,
        overwrite=force,
    )
    echo_problems(result.problems, ctx.language, None)
    if result.status == "rejected":
        raise RejectedError(result.summary("zh"), result.summary("en"))
    counts = result.counts
    click.echo(
        f"已创建真实数据库 {path}：{counts['county']} 个县区，{counts['township']} 个乡镇，"
        f"{counts['village']} 个村（社区）。"
        if ctx.language == "zh"
        else f"Created real database {path}: {counts['county']} counties, "
        f"{counts['township']} townships, {counts['village']} villages."
    )


def _exists(path: Path) -> RejectedError:
    """The refusal to overwrite ``path``, naming the option that would."""
    return RejectedError(
        f"数据库文件已存在：{path}，未覆盖。如确要重建它（原有内容将被替换），请加 --force；"
        "否则请用 --db 指定一个新文件。",
        f"Database file already exists: {path}; not overwritten. To rebuild it (replacing what "
        "it holds), add --force; otherwise name a new file with --db.",
    )


def register(cli: click.Group) -> None:
    """Add the store and server commands to ``cli``."""

    @command(cli, "init")
    @click.option("--province", default=None, help="Province code [default: 630000].")
    @click.option("--force", is_flag=True, help="Replace an existing database file.")
    @click.option(
        "--gazetteer",
        type=click.Path(exists=True, dir_okay=False),
        default=None,
        metavar="FILE",
        help="Village gazetteer (CSV/XLSX): create a real database with its villages.",
    )
    def init(ctx: Context, province: str | None, force: bool, gazetteer: str | None) -> None:
        """Create an empty database with the schema (with --gazetteer: a real one with villages)."""
        from metrics import settings, store

        province = settings.get("province", province)
        try:
            if gazetteer:
                _init_real(ctx, province, force, gazetteer)
                return
            store.init_database(
                ctx.db_path,
                {"simulated": "false", "province": province, "top_region": province},
                overwrite=force,
            )
        except store.DatabaseExistsError as err:
            raise _exists(ctx.db_path) from err
        click.echo(
            ("已创建空数据库：" if ctx.language == "zh" else "Created empty database: ")
            + str(ctx.db_path)
        )

    @command(cli, "upgrade")
    def upgrade(ctx: Context) -> None:
        """Bring an older database file to this program's schema (a new snapshot; data kept)."""
        from metrics import schema, store

        path = ctx.db_path
        reader = store.Reader(path)
        try:
            before = int(reader.meta().get("schema_version", "0"))
        finally:
            reader.close()
        zh = ctx.language == "zh"
        if before >= schema.SCHEMA_VERSION:
            click.echo(
                f"数据库已是最新结构（版本 {before}）。"
                if zh
                else f"Database schema is current (version {before})."
            )
            return
        store.publish(path, lambda _con: None)  # every publish runs the forward migrations
        click.echo(
            f"已将数据库结构从版本 {before} 升级到 {schema.SCHEMA_VERSION}。"
            if zh
            else f"Upgraded the database schema from {before} to {schema.SCHEMA_VERSION}."
        )

    @command(cli, "backup")
    @click.argument("target", type=click.Path(file_okay=False))
    def backup(ctx: Context, target: str) -> None:
        """Copy the database, accounts and uploads into a new folder under TARGET."""
        from metrics import backup as backups

        folder = backups.backup(ctx.db_path, target)
        click.echo(f"已备份到 {folder}" if ctx.language == "zh" else f"Backed up to {folder}")

    @command(cli, "restore")
    @click.argument("folder", type=click.Path(exists=True, file_okay=False))
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    def restore(ctx: Context, folder: str, yes: bool) -> None:
        """Restore a backup folder over the database, accounts and uploads (checksums first)."""
        from metrics import backup as backups

        manifest = backups.check(folder)
        zh = ctx.language == "zh"
        if not yes:
            click.confirm(
                f"用 {manifest['created_at']} 的备份替换 {ctx.db_path}？"
                if zh
                else f"Replace {ctx.db_path} with the backup of {manifest['created_at']}?",
                abort=True,
            )
        done = backups.restore(folder, ctx.db_path)
        what = "数据库和账户" if done["accounts"] else "数据库"
        click.echo(
            f"已恢复{what}，找回上传文件 {done['uploads']} 个。"
            if zh
            else f"Restored the database{' and accounts' if done['accounts'] else ''}; "
            f"{done['uploads']} uploads copied back."
        )

    @command(cli, "serve")
    @click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
    @click.option("--port", default=8501, show_default=True, type=int, help="Port to listen on.")
    def serve(ctx: Context, host: str, port: int) -> None:
        """Serve the dashboard (Streamlit) — offline, no usage statistics, XSRF protection on."""
        from metrics import settings

        env = dict(os.environ, BURDENMAP_DB=str(ctx.db_path), BURDENMAP_LANG=ctx.language)
        args = [
            sys.executable,
            "-P",  # not the working directory on sys.path: its files must not shadow libraries
            "-m",
            "cli.launch",  # streamlit, with the dashboard's libraries imported before it listens
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
            "--server.enableXsrfProtection",
            "true",
            "--server.fileWatcherType",
            "none",
            "--server.maxUploadSize",
            str(settings.get("max_upload_mb")),
        ]
        os.execve(sys.executable, args, env)
