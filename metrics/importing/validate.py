"""Validation of an import file: every problem at once, vectorised over rows.

Two passes. :func:`check_file` needs only the file: header, blank required cells, formulas,
code shapes, periods, numbers, choices, dates (a visit between the start of its quarter and
today), duplicates within the file. :func:`check_known` compares the rows with the database
(gazetteer codes and names, what is already published, the reports a visit checks) and runs
again inside the publishing transaction, so a file checked against an older snapshot can never
publish a conflict.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from metrics import periods, sql
from metrics.errors import InvalidInputError
from metrics.importing.layouts import Column, Layout
from metrics.importing.problems import Problem
from metrics.importing.read import Table, column_letter
from metrics.scope import Scope

# A cell a spreadsheet runs as a formula: = or @ first, or + / - before anything but a number
# (a lone "-" meaning "none" is text, not a formula). Checks run in pyarrow (patterns without
# look-arounds, for RE2) rather than row by row in Python.
_FORMULA_LEADS = ("=", "@", "+", "-")
_NOT_FORMULA = r"[+\-][0-9.]+|-+"  # a signed number, or dashes meaning "none"
_COUNT_DIGITS = 9  # at most, in a count written as plain digits
_SCIENTIFIC = r"^[0-9]+(?:\.[0-9]+)?[eE]\+?[0-9]+$"
_CODE_DIGITS = {"village_code": 12, "code": 12, "township_code": 12, "county_code": 6}


@dataclass
class Checked:
    """A file after :func:`check_file`: its rows by Excel row number, and the problems found.

    ``rows`` holds one column per field: codes and text as ``str``, periods as ``YYYYQn``,
    counts as ``Int64``, dates as timestamps, choices as their canonical value; cells with a
    problem are missing. ``where`` gives each field's column letter and header as written.
    A file read from several sheets (:func:`check_sheets`) numbers its rows
    ``part × SHEET_ROWS + Excel row`` and ``parts`` holds each part's sheet name and ``where``.
    """

    file: str
    layout: Layout
    rows: pd.DataFrame
    where: dict[str, tuple[str, str]]
    problems: list[Problem] = field(default_factory=list)
    cells_checked: bool = False  # false when the header was too broken to check the cells
    parts: tuple[tuple[str, dict[str, tuple[str, str]]], ...] = ()

    def locate(self, number: int) -> tuple[str | None, int, dict[str, tuple[str, str]]]:
        """Sheet (``None`` for a single table), Excel row and ``where`` of row ``number``."""
        if not self.parts:
            return None, number, self.where
        part, row = divmod(number, SHEET_ROWS)
        return self.parts[part][0], row, self.parts[part][1]

    def label(self, number: int) -> str:
        """Row ``number`` as a message names it: ``12`` or ``12（<sheet>）``."""
        sheet, row, _ = self.locate(number)
        return str(row) if sheet is None else f"{row}（{sheet}）"

    def add(
        self,
        code: str,
        field_name: str | None,
        mask: pd.Series,
        values: pd.Series | None = None,
        detail: pd.Series | str = "",
        detail_en: pd.Series | str | None = None,
    ) -> None:
        """Record problem ``code`` for every row where ``mask`` holds."""
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            return
        numbers = mask.index[mask.to_numpy()]
        shown = _texts(values, numbers)
        details = _texts(detail, numbers)
        details_en = None if detail_en is None else _texts(detail_en, numbers)
        for i, number in enumerate(numbers):
            sheet, row, where = self.locate(int(number))
            letter, header = where.get(field_name, (None, None)) if field_name else (None, None)
            self.problems.append(
                Problem(
                    code,
                    self.file,
                    row,
                    letter,
                    header,
                    shown[i],
                    details[i] or "",
                    None if details_en is None else details_en[i],
                    sheet,
                )
            )

    def drop(self, mask: pd.Series, *fields: str) -> None:
        """Blank ``fields`` (default: every field) where ``mask`` holds, so later checks skip it."""
        mask = mask.fillna(False).astype(bool)
        for name in fields or tuple(self.rows.columns):
            if name in self.rows:
                self.rows.loc[mask, name] = pd.NA


def _texts(values: pd.Series | str | None, numbers: pd.Index) -> list[str | None]:
    if values is None:
        return [None] * len(numbers)
    if isinstance(values, str):
        return [values] * len(numbers)
    picked = values.loc[numbers]
    return [None if v is None or v is pd.NA or v != v else str(v) for v in picked]


# --------------------------------------------------------------------------------------------
# Pass 1: the file alone


def check_file(table: Table, layout: Layout, file: str, today: date) -> Checked:
    """Check everything that needs only the file.

    Parameters
    ----------
    table
        The cells read by :func:`metrics.importing.read.read`.
    layout
        What the file should hold.
    file
        The file name shown in messages.
    today
        Periods after the quarter of this day are refused as future, its own quarter is
        warned about as unfinished (observations), visits after it are refused.

    """
    fields, where, problems = _header(table, layout, file)
    rows = pd.DataFrame(index=table.cells.index)
    for position, column in fields.items():
        rows[column.field] = table.cells[position]
    checked = Checked(file, layout, rows, where, problems)
    if any(p.severity == "error" for p in problems):
        return checked
    columns = [c for c in layout.columns if c.field in rows]
    for column in columns:
        if column.required:
            checked.add("missing_value", column.field, rows[column.field].isna())
        _formulas(checked, column)
    for column in columns:
        CELL_CHECKS[column.kind](checked, column, today)
    if "visited_on" in rows:
        _visit_dates(checked, today)
    _no_values(checked)
    _duplicates(checked)
    checked.cells_checked = True
    return checked


SHEET_ROWS = 10_000_000  # above Excel's last row (1,048,576): row numbers of sheet k start here


def check_sheets(tables: list[Table], layout: Layout, file: str, today: date) -> Checked:
    """:func:`check_file` of several sheets of one file, as one file.

    Each sheet is checked alone (problems name their sheet); duplicates are then looked for
    across the sheets.
    """
    if len(tables) == 1:
        return check_file(tables[0], layout, file, today)
    parts = [check_file(t, layout, file, today) for t in tables]
    rows = pd.concat([p.rows.set_axis(p.rows.index + k * SHEET_ROWS) for k, p in enumerate(parts)])
    problems = [
        dataclasses.replace(problem, sheet=table.sheet)
        for table, part in zip(tables, parts, strict=True)
        for problem in part.problems
        if problem.code != "duplicate_in_file"
    ]
    checked = Checked(
        file,
        layout,
        rows,
        parts[0].where,
        problems,
        all(p.cells_checked for p in parts),
        tuple((t.sheet or "", p.where) for t, p in zip(tables, parts, strict=True)),
    )
    if checked.cells_checked:
        _duplicates(checked)
    return checked


def _header(table: Table, layout: Layout, file: str) -> tuple[dict, dict, list[Problem]]:
    """Columns by position, where each field is, and the problems of the header row."""
    fields: dict[int, Column] = {}
    where: dict[str, tuple[str, str]] = {}
    problems: list[Problem] = []
    row = table.header_row
    for position, header in enumerate(table.header):
        letter = column_letter(position)
        column = layout.match(header) if header else None
        if column is None:
            if header or table.cells[position].notna().any():
                problems.append(Problem("unknown_column", file, row, letter, None, header))
            continue
        if column.field in where:
            other = where[column.field][0]
            problems.append(Problem("duplicate_column", file, row, letter, None, header, other))
            continue
        fields[position] = column
        where[column.field] = (letter, header)
    for column in layout.columns:
        if column.required and column.field not in where:
            problems.append(
                Problem(
                    "missing_column",
                    file,
                    row,
                    value=column.header_zh,
                    detail=f"{column.header_zh} / {column.header_en}",
                )
            )
    if layout.one_of and not any(f in where for f in layout.one_of):
        names = [c.header_zh for c in layout.columns if c.field in layout.one_of]
        problems.append(
            Problem(
                "missing_column",
                file,
                row,
                value=f"{names[0]}…{names[-1]}",
                detail="、".join(names) + "（至少一列）",
                detail_en=", ".join(layout.one_of) + " (at least one)",
            )
        )
    return fields, where, problems


def _arrow(values: pd.Series | pd.Index) -> pa.Array:
    """Text cells as an Arrow array (no copy for the reader's columns)."""
    return pa.array(values, type=pa.large_string(), from_pandas=True)


def _flags(found: pa.Array, missing: bool = False) -> np.ndarray:
    """An Arrow boolean result as a numpy mask, ``missing`` where it is NULL."""
    return pc.fill_null(found, missing).to_numpy(zero_copy_only=False)


def _digits(text: pa.Array, shortest: int, longest: int) -> np.ndarray:
    """Cells of only ASCII digits, ``shortest`` to ``longest`` of them (``[0-9]{m,n}``)."""
    length = pc.binary_length(text)
    fits = pc.and_(pc.greater_equal(length, shortest), pc.less_equal(length, longest))
    return _flags(pc.and_(pc.ascii_is_decimal(text), fits))


def _formulas(checked: Checked, column: Column) -> None:
    values = checked.rows[column.field]
    text = _arrow(values)
    lead = np.zeros(len(values), dtype=bool)
    for first in _FORMULA_LEADS:
        lead |= _flags(pc.starts_with(text, first))
    if not lead.any():
        return
    lead = pd.Series(lead, index=values.index)
    suspect = values[lead]
    formula = ~suspect.str.fullmatch(_NOT_FORMULA).fillna(False).astype(bool)
    formula = formula.reindex(values.index, fill_value=False)
    checked.add("formula", column.field, formula, values, values.str.slice(0, 1))
    checked.drop(formula, column.field)


def _halfwidth(values: pd.Series) -> pd.Series:
    """Full-width digits and letters → ASCII (only cells that need it)."""
    wide = pd.Series(~_flags(pc.string_is_ascii(_arrow(values)), True), index=values.index)
    if wide.any():
        values = values.copy()
        values[wide] = values[wide].str.normalize("NFKC").str.strip()
    return values


def _code(checked: Checked, column: Column, _today: date) -> None:
    raw = checked.rows[column.field]
    digits = _CODE_DIGITS.get(column.field, 12)
    plain = pd.Series(_digits(_arrow(raw), digits, digits), index=raw.index)
    values = raw.copy()
    odd = raw.notna() & ~plain
    if odd.any():  # full-width digits, inner spaces, 630102001001.0
        cleaned = _halfwidth(raw[odd]).str.replace(r"\s+", "", regex=True)
        values[odd] = cleaned.str.replace(r"^([0-9]+)\.0+$", r"\1", regex=True)
    scientific = odd & values.str.match(_SCIENTIFIC).fillna(False).astype(bool)
    checked.add("code_scientific", column.field, scientific, raw)
    if column.field == "county_code":
        malformed = odd & ~values.str.fullmatch(rf"[0-9]{{{digits}}}").fillna(False)
        checked.add("unknown_county", column.field, malformed & ~scientific, raw, "630102")
        values = values.mask(malformed)
    checked.rows[column.field] = values.mask(scientific)


def _text(checked: Checked, column: Column, _today: date) -> None:
    """Text keeps its characters; only surrounding spaces went (in the reader)."""


def _period(checked: Checked, column: Column, today: date) -> None:
    values = checked.rows[column.field]
    parsed = _map_unique(values, _parse_period)
    bad = values.notna() & parsed.isna()
    checked.add("bad_period", column.field, bad, values)
    current = periods.of_date(today)
    future = parsed.notna() & (parsed.fillna("0000Q1") > current)
    checked.add("future_period", column.field, future, parsed, current)
    checked.rows[column.field] = parsed.mask(future)
    if checked.layout.kind == "observations":
        _unfinished(checked, column, parsed.eq(current), current)


def _unfinished(checked: Checked, column: Column, ongoing: pd.Series, current: str) -> None:
    """One warning, at its first row, when rows are for the quarter still running."""
    if not ongoing.any():
        return
    first = pd.Series(False, index=ongoing.index)
    first[ongoing.idxmax()] = True
    end, rows = periods.end_date(current).isoformat(), int(ongoing.sum())
    checked.add(
        "unfinished_period",
        column.field,
        first,
        checked.rows[column.field],
        f"季末 {end}，本文件有 {rows} 行属于该季度",
        f"it ends {end}; {rows} rows of this file are for it",
    )


def _parse_period(text: str) -> str | None:
    try:
        return periods.parse(text)
    except InvalidInputError:
        return None


def _count(checked: Checked, column: Column, _today: date) -> None:
    raw = checked.rows[column.field]
    values = _halfwidth(raw)
    text = _arrow(values)
    digits = _digits(text, 1, _COUNT_DIGITS)
    numbers = np.full(len(values), np.nan)
    numbers[digits] = pc.cast(text.filter(digits), pa.int64()).to_numpy()
    other = ~digits & _flags(pc.is_valid(text))
    if other.any():
        numbers[other] = pd.to_numeric(values[other], errors="coerce")
    seen = ~np.isnan(numbers)
    with np.errstate(invalid="ignore"):
        fraction = seen & (numbers % 1 != 0)
        negative = seen & ~fraction & (numbers < 0)
        high = seen & ~fraction & (numbers > column.maximum)
    index = values.index
    checked.add("text_in_count", column.field, pd.Series(other & ~seen, index=index), raw)
    checked.add("not_integer", column.field, pd.Series(fraction, index=index), raw)
    checked.add("negative_value", column.field, pd.Series(negative, index=index), raw)
    checked.add(
        "above_maximum", column.field, pd.Series(high, index=index), raw, str(column.maximum)
    )
    good = np.where(fraction | negative | high, np.nan, numbers)
    checked.rows[column.field] = pd.Series(pd.array(good, dtype="Int64"), index=index)


def _coordinate(checked: Checked, column: Column, _today: date) -> None:
    values = _halfwidth(checked.rows[column.field])
    numbers = pd.to_numeric(values, errors="coerce")
    low, high = COORDINATE_RANGES[column.field]
    bad = values.notna() & ~numbers.between(low, high)
    name = {"lon": ("经度", "longitude"), "lat": ("纬度", "latitude")}[column.field]
    detail = f"{name[0]}（{low}–{high}）"
    checked.add("bad_coordinate", column.field, bad, values, detail, f"{name[1]} ({low}–{high})")
    checked.rows[column.field] = numbers.mask(bad)


COORDINATE_RANGES = {"lon": (73, 136), "lat": (3, 54)}  # China


def _choice(checked: Checked, column: Column, _today: date) -> None:
    values = checked.rows[column.field]
    spelled = {
        spelling.lower(): canonical
        for canonical, spellings in column.choices
        for spelling in spellings
    }
    mapped = _halfwidth(values).str.lower().map(spelled)
    bad = values.notna() & mapped.isna()
    checked.add("bad_choice", column.field, bad, values, column.allowed("zh"), column.allowed("en"))
    checked.rows[column.field] = mapped.astype(object)


def _date(checked: Checked, column: Column, _today: date) -> None:
    values = checked.rows[column.field]
    parsed = _map_unique(_halfwidth(values), _parse_date)
    bad = values.notna() & parsed.isna()
    checked.add("bad_date", column.field, bad, values)
    moments = pd.to_datetime(parsed)
    checked.rows[column.field] = moments.dt.normalize() if column.field == "visited_on" else moments


def _visit_dates(checked: Checked, today: date) -> None:
    """A visit takes place between the first day of the quarter it checks and today."""
    visited, period = checked.rows["visited_on"], checked.rows["period"]
    shown = visited.dt.strftime("%Y-%m-%d")
    future = visited > pd.Timestamp(today)
    checked.add("future_visit_date", "visited_on", future, shown, today.isoformat())
    start = pd.to_datetime(_map_unique(period, _quarter_start))
    early = visited < start
    began = start.dt.strftime("%Y-%m-%d")
    checked.add(
        "visit_before_period",
        "visited_on",
        early,
        shown,
        period + "（始于 " + began + "）",
        period + " (which began " + began + ")",
    )
    checked.rows["visited_on"] = visited.mask(future | early)


def _quarter_start(period: str) -> date:
    return periods.end_date(periods.shift(period, -1)) + timedelta(days=1)


_DATE_TEXT = (
    r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
    r"(?:[ T]+(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2})秒?)?分?)?"
)


def _parse_date(text: str) -> datetime | None:
    found = re.fullmatch(_DATE_TEXT, text.strip())
    if found is None:
        return None
    try:
        return datetime(*(int(part) for part in found.groups() if part is not None))
    except ValueError:
        return None


CELL_CHECKS: dict[str, Callable[[Checked, Column, date], None]] = {
    "code": _code,
    "text": _text,
    "period": _period,
    "count": _count,
    "coordinate": _coordinate,
    "choice": _choice,
    "date": _date,
}


def _map_unique(values: pd.Series, parse: Callable[[str], object]) -> pd.Series:
    """``parse`` applied once per distinct value (periods and dates repeat a lot)."""
    codes, distinct = pd.factorize(values)
    parsed = np.array([*(parse(v) for v in distinct), None], dtype=object)
    return pd.Series(parsed[codes], index=values.index, dtype=object)


def _no_values(checked: Checked) -> None:
    """Rows with no indicator value at all are skipped with a warning."""
    counts = [f for f in checked.layout.one_of if f in checked.rows]
    if not counts:
        return
    empty = checked.rows[counts].isna().all(axis=1)
    found = checked.rows[list(checked.layout.key[:2])].notna().all(axis=1)
    raw_empty = empty & found & ~_had_problem(checked)
    checked.add("no_values", None, raw_empty)
    checked.rows = checked.rows[~raw_empty]


def _had_problem(checked: Checked) -> pd.Series:
    rows = {p.row for p in checked.problems if p.severity == "error"}
    return pd.Series(checked.rows.index.isin(list(rows)), index=checked.rows.index)


def _duplicates(checked: Checked) -> None:
    """Rows repeating the layout's key; each names the row it repeats."""
    layout = checked.layout
    key = [f for f in layout.key if f in checked.rows]
    required = [f for f in key if layout.column(f).required]
    keys = checked.rows.loc[checked.rows[required].notna().all(axis=1), key]
    combined = np.zeros(len(keys), dtype=np.int64)
    for name in key:  # each distinct key numbered (missing cells alike)
        codes, distinct = pd.factorize(keys[name], use_na_sentinel=False)
        combined = pd.factorize(combined * len(distinct) + codes)[0]
    repeated = pd.Series(True, index=keys.index)
    repeated.iloc[np.unique(combined, return_index=True)[1]] = False
    if not repeated.any():
        return
    keys = keys.astype(object).fillna("")
    first = pd.Series(keys.index, index=keys.index)
    first = first.groupby([keys[k] for k in key], sort=False).transform("first")
    mask = repeated.reindex(checked.rows.index, fill_value=False)
    checked.add("duplicate_in_file", key[0], mask, checked.rows[key[0]], first.map(checked.label))


# --------------------------------------------------------------------------------------------
# Pass 2: the file against the database


@dataclass(frozen=True)
class Known:
    """What the database already holds that a file is checked against."""

    villages: pd.DataFrame  # code, name, name_original
    published: pd.DataFrame  # the layout's published key columns + batch_id
    items: pd.DataFrame  # indicator, item, department, on_list (items files)
    simulated: bool
    in_scope: pd.Index | None = None  # village codes the importer may write (None: all)
    region: str = ""  # the importer's region codes, for messages
    reported: pd.DataFrame | None = None  # village_code, period with a report (visits files)

    @classmethod
    def load(
        cls,
        db: sql.Queryable,
        checked: Checked,
        scope: Scope | None = None,
        replace: bool = False,
    ) -> Known:
        """Read what ``checked`` must be compared with from ``db`` (for an importer's ``scope``).

        With ``replace`` (values may be replaced: :func:`check_known` does not look for them)
        what is published is not read.
        """
        scope = scope or Scope.everything()
        villages = db.query("SELECT code, name, name_original FROM region WHERE level = 'village'")
        in_scope = None
        if scope.codes is not None:
            in_scope = pd.Index(
                db.query(
                    "SELECT code FROM region_tree WHERE level = 'village' "
                    "AND list_has_any(lineage, $scope::VARCHAR[])",
                    {"scope": scope.param},
                )["code"]
            )
        found = (
            checked.rows["period"].dropna().unique().tolist() if "period" in checked.rows else []
        )
        published = pd.DataFrame()
        if not replace:
            published = db.query(PUBLISHED[checked.layout.kind], {"periods": found})
        items = pd.DataFrame(columns=["indicator", "item", "department", "on_list"])
        if checked.layout.kind == "items":
            items = db.query(
                "SELECT i.indicator, i.name AS item, d.name AS department, i.on_list "
                "FROM item i JOIN department d USING (department_id)"
            )
        reported = None
        if checked.layout.kind == "visits":
            reported = db.query(REPORTED, {"periods": found})
        meta = dict(db.query("SELECT key, value FROM meta").itertuples(index=False))
        simulated = meta.get("simulated", "false") != "false"
        region = "、".join(scope.codes or ())
        return cls(villages, published, items, simulated, in_scope, region, reported)


# The key of what a row would publish, as already in the database, with its batch.
PUBLISHED = {
    "observations": "SELECT village_code, period, min(batch_id) AS batch_id FROM observation "
    "WHERE list_contains($periods, period) GROUP BY ALL",
    "items": "SELECT village_code, period, min(batch_id) AS batch_id FROM village_item "
    "WHERE list_contains($periods, period) GROUP BY ALL",
    "visits": "SELECT village_code, period, kind AS visit_kind, visited_on, "
    "min(batch_id) AS batch_id FROM visit WHERE list_contains($periods, period) GROUP BY ALL",
}
# The (village, period) reports a visits file can check.
REPORTED = "SELECT DISTINCT village_code, period FROM report WHERE list_contains($periods, period)"


def check_known(checked: Checked, known: Known, replace: bool = False) -> list[Problem]:
    """Problems of ``checked`` against the database (they are not added to ``checked``).

    Parameters
    ----------
    checked
        The file after :func:`check_file`.
    known
        What the database holds (:meth:`Known.load`).
    replace
        Published values may be replaced (``--replace``; observations only).

    """
    probe = dataclasses.replace(checked, problems=[])
    rows = checked.rows
    codes = rows["village_code"]
    names = known.villages.set_index("code")
    listed = _isin(codes, names.index)
    _unknown_codes(probe, codes, listed, names.index)
    if known.in_scope is not None:
        outside = listed & ~_isin(codes, known.in_scope)
        probe.add("outside_scope", "village_code", outside, codes, known.region)
    if "village_name" in rows:
        _names(probe, rows, listed, names)
    if not replace:
        _published(probe, rows[listed], known.published)
    if checked.layout.kind == "items":
        _item_conflicts(probe, rows, known.items)
    if known.reported is not None:
        _without_report(probe, rows[listed], known.reported)
    if known.simulated:
        probe.problems.append(Problem("simulated_target", checked.file))
    return probe.problems


def _isin(codes: pd.Series, known: pd.Index) -> pd.Series:
    """Whether each code is one of ``known`` (missing codes are not)."""
    return pd.Series(_flags(pc.is_in(_arrow(codes), value_set=_arrow(known))), index=codes.index)


def _unknown_codes(probe: Checked, codes: pd.Series, listed: pd.Series, known: pd.Index) -> None:
    present = codes.notna() & ~listed
    if not present.any():
        return
    codes = codes[present]
    short = codes.str.fullmatch(r"[0-9]{1,11}").fillna(False).astype(bool)
    padded = codes.where(short).str.zfill(12)
    zeros = short & padded.isin(known)
    probe.add("code_leading_zeros", "village_code", zeros, codes, padded)
    length = codes.str.len().astype(str)
    shaped = codes.str.fullmatch(r"[0-9]{12}").fillna(False).astype(bool)
    probe.add(
        "unknown_village",
        "village_code",
        ~zeros,
        codes,
        ("（应为 12 位数字，这里是 " + length + " 位）").where(~shaped, ""),
        (" (it should have 12 digits, not " + length + ")").where(~shaped, ""),
    )


def _names(probe: Checked, rows: pd.DataFrame, listed: pd.Series, names: pd.DataFrame) -> None:
    """Warn about names that match neither the gazetteer's name nor its original.

    Full-width characters and inner spaces are forgiven.
    """
    given = rows["village_name"]
    text = _arrow(given)
    at = pc.index_in(_arrow(rows["village_code"].where(listed)), value_set=_arrow(names.index))
    on_record, original = (pc.take(_arrow(names[c]), at) for c in ("name", "name_original"))
    same = _flags(pc.equal(text, on_record)) | _flags(pc.equal(text, original))
    differs = pd.Series(_flags(pc.is_valid(text)) & listed.to_numpy() & ~same, index=given.index)
    if not differs.any():
        return
    on_record, original = (
        pd.Series(x.to_numpy(zero_copy_only=False), index=given.index, dtype=object)
        for x in (on_record, original)
    )
    tidy = _halfwidth(given[differs]).str.replace(r"\s+", "", regex=True)
    differs[differs] = (tidy != on_record[differs]) & (tidy != original[differs])
    probe.add("name_mismatch", "village_name", differs, given, on_record)


def _published(probe: Checked, rows: pd.DataFrame, published: pd.DataFrame) -> None:
    if published.empty:
        return
    key = [c for c in published.columns if c != "batch_id"]
    found = rows[key].reset_index(names="_row").merge(published, on=key, how="inner")
    if found.empty:
        return
    mask = pd.Series(probe.rows.index.isin(found["_row"]), index=probe.rows.index)
    batch = found.set_index("_row")["batch_id"].astype(str)
    probe.add("already_published", "period", mask, rows["period"], batch)


def _without_report(probe: Checked, rows: pd.DataFrame, reported: pd.DataFrame) -> None:
    """Warn about visits of a village and quarter that has no report to compare with."""
    key = rows[["village_code", "period"]].dropna()
    found = key.reset_index(names="_row").merge(reported, on=list(key.columns), how="inner")
    index = probe.rows.index
    missing = pd.Series(index.isin(key.index) & ~index.isin(found["_row"]), index=index)
    probe.add("visit_without_report", "period", missing, probe.rows["period"])


def _item_conflicts(probe: Checked, rows: pd.DataFrame, items: pd.DataFrame) -> None:
    key = ["indicator", "item", "department"]
    usable = rows.dropna(subset=[*key, "on_list"])
    flags = usable["on_list"].eq("true")
    mixed = flags.groupby([usable[k] for k in key]).transform("nunique") > 1
    probe.add(
        "item_conflict",
        "on_list",
        mixed.reindex(rows.index, fill_value=False),
        rows["item"],
        "在文件中既填了“是”又填了“否”",
        "is marked both on and off the list in the file",
    )
    if items.empty:
        return
    record = usable[key].reset_index(names="_row").merge(items, on=key, how="inner")
    clash = record[record["on_list"] != flags.loc[record["_row"]].to_numpy()]
    mask = pd.Series(rows.index.isin(clash["_row"]), index=rows.index)
    probe.add(
        "item_conflict",
        "on_list",
        mask,
        rows["item"],
        "已登记为" + rows["on_list"].map({"true": "清单外", "false": "清单内"}).fillna(""),
        "is on record as "
        + rows["on_list"].map({"true": "off", "false": "on"}).fillna("")
        + " the list",
    )


def has_errors(problems: Iterable[Problem]) -> bool:
    """Whether any of ``problems`` rejects the file."""
    return any(p.severity == "error" for p in problems)
