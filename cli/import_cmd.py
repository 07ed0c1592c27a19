"""``burdenmap import``, ``template``, ``batches`` and ``rollback``: real data in."""

from __future__ import annotations

import os
from pathlib import Path

import click

from cli.main import Context, command
from cli.query_cmd import FORMATS, render

KINDS = ("observations", "items", "visits")
TEMPLATE_KINDS = (*KINDS, "gazetteer")
SHOWN = 200  # problems printed; --report FILE has them all
HISTORY_ZH = {
    "batch_id": "批次",
    "created_at": "时间",
    "kind": "类型",
    "filename": "文件",
    "user_name": "用户",
    "status": "状态",
    "rows": "行数",
    "message": "说明",
}


def check_report(report: str) -> None:
    """Refuse a ``--report`` file that could not be written, before anything is imported.

    Raises
    ------
    InvalidInputError
        If its extension is not .xlsx or .csv, or its folder is missing or not writable.

    """
    from metrics.errors import InvalidInputError
    from metrics.importing.files import format_of

    format_of(report)
    folder = Path(report).resolve().parent
    if not folder.is_dir():
        raise InvalidInputError(
            f"无法写入问题清单 {report}：文件夹 {folder} 不存在。请先建立该文件夹，或换一个 "
            "--report 路径；未导入任何数据。",
            f"Cannot write the problem list {report}: folder {folder} does not exist. Create it "
            "or give another --report path; nothing was imported.",
        )
    if not os.access(folder, os.W_OK) or (Path(report).exists() and not os.access(report, os.W_OK)):
        raise InvalidInputError(
            f"无法写入问题清单 {report}：没有写入权限。请换一个 --report 路径；未导入任何数据。",
            f"Cannot write the problem list {report}: permission denied. Give another --report "
            "path; nothing was imported.",
        )


def echo_problems(problems: list, lang: str, report: str | None) -> None:
    """Print the problems (at most :data:`SHOWN`) and write the full list to ``report``.

    A report that cannot be written is said on stderr; what was imported stays imported.
    """
    from metrics.importing import write_report

    for problem in problems[:SHOWN]:
        click.echo(problem.message(lang))
    if len(problems) > SHOWN:
        more = len(problems) - SHOWN
        click.echo(
            f"……另有 {more} 个问题未显示，请用 --report 文件名 导出完整清单。"
            if lang == "zh"
            else f"… {more} more problems not shown; write them all with --report FILE."
        )
    if report:
        try:
            write_report(problems, report, lang)
        except OSError as err:
            click.echo(
                f"问题清单未能写入 {report}：{err.strerror or err}"
                if lang == "zh"
                else f"The problem list could not be written to {report}: {err.strerror or err}",
                err=True,
            )
            return
        click.echo(
            (f"问题清单已写入 {report}" if lang == "zh" else f"Problem list written to {report}"),
            err=True,
        )


def _kind_zh(kind: object) -> object:
    """A batch kind as the app names it (数据导入 page), else as recorded."""
    from dashboard.i18n import MESSAGES

    return MESSAGES.get(f"kind_{kind}", (kind,))[0]


def _status_zh(status: object) -> object:
    """A batch status as the app names it, else as recorded."""
    from dashboard.i18n import MESSAGES

    return MESSAGES.get(f"batch_{status}", (status,))[0]


def register(cli: click.Group) -> None:
    """Add the import commands to ``cli``."""

    @command(cli, "import")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    @click.option(
        "--kind",
        type=click.Choice(KINDS),
        default="observations",
        show_default=True,
        help="What the file holds.",
    )
    @click.option(
        "--sheet", default=None, metavar="NAME", help="XLSX sheet [default: first with data]."
    )
    @click.option("--replace", is_flag=True, help="Replace published values (kept for rollback).")
    @click.option("--dry-run", is_flag=True, help="Validate only; change nothing.")
    @click.option(
        "--report",
        type=click.Path(dir_okay=False),
        default=None,
        metavar="FILE.xlsx|FILE.csv",
        help="Write every problem found to this file.",
    )
    def import_(
        ctx: Context,
        file: str,
        kind: str,
        sheet: str | None,
        replace: bool,
        dry_run: bool,
        report: str | None,
    ) -> None:
        """Import FILE (CSV or XLSX) as one new snapshot; every problem is listed at once.

        Exit 0: imported (or would be, with --dry-run); 1: rejected, nothing changed.
        """
        from metrics.errors import RejectedError
        from metrics.importing import import_bytes

        lang = ctx.language
        if report:
            check_report(report)  # a usage error before anything happens
        result = import_bytes(
            ctx.db_path,
            Path(file).read_bytes(),
            Path(file).name,
            kind=kind,
            sheet=sheet,
            replace=replace,
            dry_run=dry_run,
        )
        echo_problems(result.problems, lang, report)
        if result.status == "rejected":
            raise RejectedError(result.summary("zh"), result.summary("en"))
        click.echo(result.summary(lang))

    @command(cli, "template")
    @click.option(
        "--kind",
        type=click.Choice(TEMPLATE_KINDS),
        default="observations",
        show_default=True,
        help="Which file the template is for.",
    )
    @click.option(
        "--county", default=None, metavar="CODE", help="Pre-fill the villages below this region."
    )
    @click.option(
        "--period",
        default=None,
        metavar="YYYYQn",
        help="Quarter of pre-filled rows [default: the one due now].",
    )
    @click.option(
        "-o",
        "--output",
        required=True,
        type=click.Path(dir_okay=False),
        metavar="FILE.xlsx|FILE.csv",
        help="Where to write the template.",
    )
    def template(
        ctx: Context, kind: str, county: str | None, period: str | None, output: str
    ) -> None:
        """Write an import template (XLSX with instructions, or CSV with a BOM)."""
        from metrics import store
        from metrics.importing.files import format_of
        from metrics.importing.templates import template_bytes, villages_below
        from metrics.scope import Scope

        fmt = format_of(output)
        villages = None
        if county:
            reader = store.Reader(ctx.db_path)
            try:
                villages = villages_below(reader, county, Scope.everything())
            finally:
                reader.close()
        data = template_bytes(kind, fmt, villages=villages, period=period, lang=ctx.language)
        Path(output).write_bytes(data)
        zh = ctx.language == "zh"
        if villages is None:
            click.echo(f"已写入模板 {output}。" if zh else f"Wrote template {output}.")
        else:
            click.echo(
                f"已写入模板 {output}（预填 {len(villages)} 个村）。"
                if zh
                else f"Wrote template {output} ({len(villages)} villages pre-filled)."
            )

    @command(cli, "batches")
    @click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
    def batches(ctx: Context, fmt: str) -> None:
        """List every import: published batches, rollbacks, rejected uploads."""
        from metrics.importing import history

        frame = history(ctx.db_path)
        zh = ctx.language == "zh"
        if fmt == "table":  # csv and json keep the machine values
            frame = frame[list(HISTORY_ZH)]
            if zh:
                frame = frame.assign(
                    kind=frame["kind"].map(_kind_zh), status=frame["status"].map(_status_zh)
                )
        click.echo(render(frame, fmt, HISTORY_ZH if zh else None), nl=False)

    @command(cli, "rollback")
    @click.argument("batch", type=int)
    def rollback(ctx: Context, batch: int) -> None:
        """Undo import BATCH as a new snapshot, restoring the values it replaced."""
        from metrics.importing import rollback as undo

        done = undo(ctx.db_path, batch)
        click.echo(
            f"已回滚批次 #{batch}（新批次 #{done['batch_id']}）：删除 {done['removed']} 行，"
            f"恢复 {done['restored']} 个被替换的数值。"
            if ctx.language == "zh"
            else f"Rolled back batch #{batch} (new batch #{done['batch_id']}): removed "
            f"{done['removed']} rows, restored {done['restored']} replaced values."
        )
