"""The import path: keep the upload, read, validate, and publish it as a new snapshot.

All-or-nothing: a file with any error changes nothing (the published database stays
byte-identical); a good file becomes one new snapshot with roll-ups rebuilt, while readers keep
serving the previous one.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from metrics import rollup, sql, store
from metrics.errors import InvalidInputError, RejectedError
from metrics.importing import publish, uploads
from metrics.importing.layouts import KINDS, LAYOUTS
from metrics.importing.problems import Problem, ordered
from metrics.importing.read import FileProblem, read, read_sheets
from metrics.importing.validate import Checked, Known, check_known, check_sheets, has_errors
from metrics.scope import Scope

Progress = Callable[[float, str], None]  # (fraction done, step: read|check|compare|publish|done)


@dataclass
class ImportResult:
    """What became of one file."""

    file: str
    kind: str
    sha256: str | None
    status: str  # published | checked (dry run, no error) | rejected
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0  # data rows accepted from the file
    villages: int = 0
    periods: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)  # values, replaced, reports …
    batch_id: int | None = None
    upload: Path | None = None  # folder of the kept upload
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        """Problems that reject the file."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems that are only reported."""
        return [p for p in self.problems if p.severity == "warning"]

    def summary(self, lang: str = "zh") -> str:
        """One line saying what happened."""
        zh = lang == "zh"
        span = "、".join(self.periods) if zh else ", ".join(self.periods)
        if self.status == "rejected":
            return (
                f"{self.file} 未导入：{len(self.errors)} 个错误，{len(self.warnings)} 个警告；"
                "数据库未改动。"
                if zh
                else f"{self.file} was not imported: {len(self.errors)} errors, "
                f"{len(self.warnings)} warnings; the database is unchanged."
            )
        values = self.counts.get("values", 0)
        replaced = self.counts.get("replaced", 0)
        if self.status == "checked":
            return (
                f"{self.file} 检查通过（--dry-run，未导入）：{self.rows} 行，{self.villages} 个村，"
                f"统计期 {span}。"
                if zh
                else f"{self.file} passed the checks (--dry-run, not imported): {self.rows} rows, "
                f"{self.villages} villages, periods {span}."
            )
        return (
            f"已导入 {self.file}：批次 #{self.batch_id}，{self.rows} 行，{values} 个数值"
            f"（替换 {replaced} 个），{self.villages} 个村，统计期 {span}。"
            if zh
            else f"Imported {self.file} as batch #{self.batch_id}: {self.rows} rows, {values} "
            f"values ({replaced} replaced), {self.villages} villages, periods {span}."
        )


def check(
    db: sql.Queryable,
    data: bytes,
    filename: str,
    *,
    kind: str = "observations",
    sheet: str | None = None,
    replace: bool = False,
    today: date | None = None,
    progress: Progress | None = None,
    scope: Scope | None = None,
) -> tuple[Checked | None, list[Problem]]:
    """Read and validate a file against ``db`` without changing anything.

    Rows of villages outside ``scope`` (the importer's region; default: everything) are errors.

    Returns
    -------
    tuple
        The checked rows (``None`` when the file cannot be read at all) and every problem.

    """
    say = progress or (lambda _f, _s: None)
    name = Path(filename).name
    layout = LAYOUTS[_kind(kind, replace)]
    say(0.05, "read")
    try:
        if sheet is None and layout.every_sheet:
            tables = read_sheets(data, filename, layout.is_header)
        else:
            tables = [read(data, filename, sheet, layout.is_header)]
    except FileProblem as err:
        return None, [Problem(err.code, name, err.row, None, None, err.value, *err.details)]
    say(0.3, "check")
    checked = check_sheets(tables, layout, name, today or date.today())
    problems = list(checked.problems)
    if checked.cells_checked:
        say(0.6, "compare")
        problems += check_known(checked, Known.load(db, checked, scope, replace), replace)
    return checked, problems


def _kind(kind: str, replace: bool) -> str:
    if kind not in KINDS:
        raise InvalidInputError(
            f"未知的导入类型 {kind!r}；可选：{', '.join(KINDS)}",
            f"Invalid import kind {kind!r}; must be one of {', '.join(KINDS)}",
        )
    if replace and kind != "observations":
        raise InvalidInputError(
            "--replace 只能用于观测数据（observations）；事项和核查记录请先回滚原批次再导入。",
            "--replace applies to observations only; for items and visits roll back the old "
            "batch, then import again.",
        )
    return kind


def import_bytes(
    db_path: str | os.PathLike[str],
    data: bytes,
    filename: str,
    *,
    kind: str = "observations",
    sheet: str | None = None,
    replace: bool = False,
    dry_run: bool = False,
    user: str | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
    scope: Scope | None = None,
) -> ImportResult:
    """Keep, validate and (unless ``dry_run`` or rejected) publish one uploaded file.

    Parameters
    ----------
    db_path
        The published database.
    data
        The file's bytes.
    filename
        Its name (the extension says CSV or XLSX).
    kind
        ``observations``, ``items`` or ``visits``.
    sheet
        XLSX sheet to read (default: the first sheet with data; for visits, every sheet whose
        header row starts with the village code, such as the checklist workbook's).
    replace
        Replace published values of the same village, period and indicator (observations).
    dry_run
        Validate only.
    user
        Who imports (default: the operating-system user).
    now
        The import time (tests); periods after its quarter are refused as future.
    progress
        Called with (fraction done, step).
    scope
        The importer's scope (default: everything, the CLI): it needs the ``import`` right, and
        rows of villages outside it are errors.

    Returns
    -------
    ImportResult
        ``status`` is ``published``, ``checked`` (dry run) or ``rejected``.

    Raises
    ------
    InvalidInputError
        For an unknown ``kind`` or ``replace`` with items or visits.
    DatabaseMissingError
        If the database does not exist.
    metrics.scope.ScopeError
        If ``scope`` has no ``import`` right.

    """
    scope = scope or Scope.everything()
    scope.need("import")
    _kind(kind, replace)
    now = (now or datetime.now()).replace(microsecond=0)
    user = user or uploads.os_user()
    options = {"kind": kind, "sheet": sheet, "replace": replace}
    reader = store.Reader(db_path)
    try:
        upload = uploads.keep(db_path, data, filename, user=user, at=now, options=options)
        return _run_kept(db_path, reader, upload, data, dry_run, user, now, progress, scope)
    finally:
        reader.close()


def publish_upload(
    db_path: str | os.PathLike[str],
    folder: str | os.PathLike[str],
    *,
    user: str | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
    scope: Scope | None = None,
) -> ImportResult:
    """Publish an upload kept earlier (checked with a dry run), re-validating it first.

    The app checks an upload when it arrives and publishes it when the user confirms; the
    upload is kept once and its manifest follows it. ``scope`` as for :func:`import_bytes`.
    """
    scope = scope or Scope.everything()
    scope.need("import")
    upload = uploads.load(folder)
    now = (now or datetime.now()).replace(microsecond=0)
    reader = store.Reader(db_path)
    try:
        who = user or uploads.os_user()
        return _run_kept(db_path, reader, upload, upload.read(), False, who, now, progress, scope)
    finally:
        reader.close()


def _run_kept(
    db_path: str | os.PathLike[str], reader: store.Reader, upload: uploads.Upload, *rest: Any
) -> ImportResult:
    """:func:`_run` on a kept upload; if it fails unexpectedly, its manifest says so.

    An upload whose import crashed (nothing was published: the snapshot is replaced only at
    the end) is listed as failed, with the error, instead of staying "received" (in progress).
    """
    try:
        return _run(db_path, reader, upload, *rest)
    except Exception as error:
        upload.update(status="failed", error=f"{type(error).__name__}: {error}"[:500])
        raise


def _run(
    db_path: str | os.PathLike[str],
    reader: store.Reader,
    upload: uploads.Upload,
    data: bytes,
    dry_run: bool,
    user: str,
    now: datetime,
    progress: Progress | None,
    scope: Scope,
) -> ImportResult:
    say = progress or (lambda _f, _s: None)
    options = upload.manifest["options"]
    start = time.perf_counter()
    checked, problems = check(
        reader,
        data,
        upload.manifest["filename"],
        today=now.date(),
        progress=say,
        scope=scope,
        **options,
    )
    result = ImportResult(
        Path(upload.manifest["filename"]).name,
        options["kind"],
        upload.manifest["sha256"],
        "rejected",
        ordered(problems),
        upload=upload.folder,
        seconds={"validate": round(time.perf_counter() - start, 3)},
    )
    if checked is not None and checked.cells_checked:
        result.rows = len(checked.rows)
        result.villages = int(checked.rows["village_code"].nunique()) if result.rows else 0
        result.periods = tuple(sorted(checked.rows["period"].dropna().unique()))
    if checked is not None and not has_errors(problems):
        if dry_run:
            result.status = "checked"
        else:
            say(0.7, "publish")
            change = _change(checked, upload, db_path, options["replace"], user, now, scope)
            try:
                result.batch_id, result.counts = store.publish(db_path, change)
                result.status = "published"
            except _Conflict as conflict:
                result.problems = ordered(problems + conflict.problems)
    result.seconds["total"] = round(time.perf_counter() - start, 3)
    _record(upload, result)
    say(1.0, "done")
    return result


class _Conflict(RejectedError):
    """The database changed since the check, and the file now conflicts with it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("文件与最新数据冲突", "the file conflicts with the latest data")
        self.problems = problems


def _change(
    checked: Checked,
    upload: uploads.Upload,
    db_path: str | os.PathLike[str],
    replace: bool,
    user: str,
    now: datetime,
    scope: Scope,
) -> Callable[[duckdb.DuckDBPyConnection], tuple[int, dict[str, int]]]:
    def change(con: duckdb.DuckDBPyConnection) -> tuple[int, dict[str, int]]:
        known = Known.load(sql.Connection(con), checked, scope, replace)
        again = check_known(checked, known, replace)
        if has_errors(again):
            raise _Conflict([p for p in again if p.severity == "error"])
        batch_id = publish.next_batch(con)
        kind = checked.layout.kind
        counts = publish.WRITERS[kind](con, checked, batch_id, replace, now)
        publish.record_batch(
            con,
            batch_id,
            kind,
            at=now,
            user=user,
            rows=len(checked.rows),
            message=", ".join(f"{k}={v}" for k, v in counts.items()),
            filename=upload.manifest["filename"],
            sha256=upload.manifest["sha256"],
            stored_path=uploads.stored_path(db_path, upload),
        )
        rollup.rebuild(
            con,
            touched=publish.touched(checked),
            items=publish.touched_items(checked),
            villages=publish.touched_villages(checked),
        )
        return batch_id, counts

    return change


def _record(upload: uploads.Upload, result: ImportResult) -> None:
    upload.update(
        status=result.status,
        batch_id=result.batch_id,
        errors=len(result.errors),
        warnings=len(result.warnings),
        rows=result.rows,
        counts=result.counts,
        problems=[
            {"code": p.code, "sheet": p.sheet, "row": p.row, "column": p.column, "value": p.value}
            for p in result.problems[:200]
        ],
    )
