"""Reading an uploaded file into text cells numbered as Excel shows them.

CSV is decoded as UTF-8 (with or without BOM), UTF-16 with a BOM, or GB18030 (which contains
GBK, what Chinese Excel writes), detected automatically. XLSX sheets are read straight from their
XML: every cell as text (a number keeps all its digits, a date cell becomes ``YYYY-MM-DD``,
a formula becomes ``=`` and its text so that validation can refuse it), with the row numbers
Excel shows. Cells are trimmed; empty cells are ``None``; fully empty rows are dropped.
Problems with the file as a whole raise :class:`FileProblem`.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pandas as pd
import pyarrow as pa
from pyarrow import csv as pa_csv

CSV_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
INSTRUCTION_SHEETS = ("说明", "填报说明", "instructions", "readme")
HEADER_SEARCH_ROWS = 20  # title rows above the header are skipped up to this many rows
MAX_SHEET_BYTES = 512 * 1024 * 1024  # uncompressed, against zip bombs


class FileProblem(Exception):
    """The file as a whole cannot be read; ``code`` is a problem code of the catalogue."""

    def __init__(
        self,
        code: str,
        detail: str = "",
        detail_en: str | None = None,
        *,
        value: str | None = None,
        row: int | None = None,
    ) -> None:
        super().__init__(code, detail)
        self.code = code
        self.detail = detail
        self.detail_en = detail_en
        self.value = value
        self.row = row

    @property
    def details(self) -> tuple[str, str | None]:
        """``detail`` and ``detail_en`` of the :class:`~metrics.importing.problems.Problem`."""
        return self.detail, self.detail_en


@dataclass(frozen=True)
class Table:
    """The cells of one sheet below its header row.

    ``cells`` has one column per position (0, 1, …) holding trimmed text or ``None`` and is
    indexed by the Excel row number; ``header`` holds the header row's cells ('' when empty).
    """

    header: tuple[str, ...]
    header_row: int
    cells: pd.DataFrame
    sheet: str | None = None
    encoding: str | None = None


def column_letter(position: int) -> str:
    """Excel's letter of the 0-based column ``position``.

    Examples
    --------
    >>> column_letter(0), column_letter(25), column_letter(27)
    ('A', 'Z', 'AB')

    """
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read(
    data: bytes,
    filename: str,
    sheet: str | None = None,
    is_header: Callable[[str], bool] | None = None,
) -> Table:
    """Read ``data`` (the bytes of ``filename``) into a :class:`Table`.

    Parameters
    ----------
    data
        The uploaded bytes.
    filename
        Its name; the extension says what it should be.
    sheet
        XLSX only: the sheet to read (default: the first sheet with data that is not an
        instructions sheet).
    is_header
        Recognises a header cell: the header row is the first of the first rows that has one
        (title rows above it are skipped); default, the first non-empty row.

    Raises
    ------
    FileProblem
        ``empty_file``, ``header_only``, ``wrong_format``, ``sheet_missing`` or ``encoding``.

    """
    suffix = Path(filename).suffix.lower()
    content = _sniff(data)
    if content == "empty":
        raise FileProblem("empty_file")
    if suffix in XLSX_SUFFIXES:
        if content != "zip":
            raise FileProblem("wrong_format", *_NOT_XLSX[content])
        rows, sheet_name = _xlsx_rows(data, sheet)
        frame, encoding = _frame(rows), None
    elif suffix in CSV_SUFFIXES:
        if content != "text":
            raise FileProblem("wrong_format", *_NOT_CSV[content])
        text, encoding = _decode(data)
        frame, sheet_name = _csv_frame(text), None
    elif suffix == ".xls":
        raise FileProblem(
            "wrong_format",
            "旧版 Excel 97-2003（.xls）格式不受支持",
            "the old Excel 97-2003 format (.xls) is not supported",
        )
    else:
        raise FileProblem(
            "wrong_format",
            f"不支持的文件类型“{suffix or '无扩展名'}”，只接受 .xlsx 和 .csv",
            f'unsupported file type "{suffix or "no extension"}"; only .xlsx and .csv are accepted',
        )
    return _table(frame, sheet_name, encoding, is_header)


def read_sheets(data: bytes, filename: str, is_header: Callable[[str], bool]) -> list[Table]:
    """Every sheet whose header row starts with a header ``is_header`` recognises.

    For a workbook with one sheet per village (the inspection checklists). Falls back to
    ``read(data, filename, None, is_header)`` — one table, or its problem — for a CSV file or
    when no sheet qualifies; qualifying sheets without data rows are left out.

    Raises
    ------
    FileProblem
        As :func:`read`.

    """
    if Path(filename).suffix.lower() not in XLSX_SUFFIXES or _sniff(data) != "zip":
        return [read(data, filename, None, is_header)]
    book = _Workbook(data)
    tables = []
    for name, path, visible in book.sheets:
        if not visible or name.strip().lower() in INSTRUCTION_SHEETS:
            continue
        try:
            table = _table(_frame(book.rows(path)), name, None, is_header)
        except FileProblem:  # empty, or a header without rows
            continue
        first = next((h for h in table.header if h), "")
        if is_header(first):
            tables.append(table)
    return tables or [read(data, filename, None, is_header)]


def sheet_names(data: bytes) -> list[str]:
    """Names of the worksheets of an XLSX file, in order (``[]`` if it is not one)."""
    try:
        return [name for name, _, _ in _Workbook(data).sheets]
    except FileProblem:
        return []


# --------------------------------------------------------------------------------------------
# What the bytes are

_MAGIC = (
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0", "ole"),
    (b"%PDF", "pdf"),
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"),
)
_NOT_XLSX = {
    "text": (
        "扩展名是 .xlsx，但内容是文本（可能是改了扩展名的 CSV 文件）",
        "it is named .xlsx but holds text (perhaps a CSV file renamed)",
    ),
    "ole": (
        "这是旧版 .xls 或设置了密码的工作簿，不是 .xlsx",
        "it is an old .xls or a password-protected workbook, not .xlsx",
    ),
    "pdf": ("扩展名是 .xlsx，但内容是 PDF", "it is named .xlsx but is a PDF"),
    "image": ("扩展名是 .xlsx，但内容是图片", "it is named .xlsx but is an image"),
    "binary": (
        "扩展名是 .xlsx，但内容不是 Excel 工作簿（无法识别的二进制数据）",
        "it is named .xlsx but is not an Excel workbook (unrecognised binary data)",
    ),
}
_NOT_CSV = {
    "zip": (
        "扩展名是 .csv，但内容是 Excel 工作簿（.xlsx）；请把扩展名改回 .xlsx",
        "it is named .csv but is an Excel workbook (.xlsx); rename it to .xlsx",
    ),
    "ole": (
        "扩展名是 .csv，但内容是旧版 .xls 工作簿",
        "it is named .csv but is an old .xls workbook",
    ),
    "pdf": ("扩展名是 .csv，但内容是 PDF", "it is named .csv but is a PDF"),
    "image": ("扩展名是 .csv，但内容是图片", "it is named .csv but is an image"),
    "binary": (
        "扩展名是 .csv，但内容不是文本（无法识别的二进制数据）",
        "it is named .csv but is not text (unrecognised binary data)",
    ),
}
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def _sniff(data: bytes) -> str:
    """``empty``, ``zip``, ``ole``, ``pdf``, ``image``, ``binary`` or ``text``."""
    body = data
    for bom in _BOMS:
        if body.startswith(bom):
            body = body[len(bom) :]
            if bom != codecs.BOM_UTF8:
                return "text" if body.strip(b"\x00 \t\r\n") else "empty"
    if not body.strip():
        return "empty"
    for magic, kind in _MAGIC:
        if body.startswith(magic):
            return kind
    head = body[:65536]
    if b"\x00" in head or len(_CONTROL.findall(head)) > len(head) // 100:
        return "binary"
    return "text"


def _decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding found.

    UTF-8 is tried first (GB18030 would also "decode" most UTF-8). A file that is UTF-8 but
    for a few bad bytes is refused rather than read as GB18030 mojibake.
    """
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return _strict(data, "utf-16"), "utf-16"
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        utf8_error = err
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    if sum(ord(c) > 127 for c in lenient) - bad >= 10 * bad:
        raise _encoding_problem(data, utf8_error)
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as err:
        # Neither fits: point at the bytes where the encoding that read further stopped.
        raise _encoding_problem(data, max(err, utf8_error, key=lambda e: e.start)) from None


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise _encoding_problem(data, err) from None


def _encoding_problem(data: bytes, err: UnicodeDecodeError) -> FileProblem:
    return FileProblem(
        "encoding",
        value=data[err.start : err.start + 4].hex(" ").upper(),
        row=data[: err.start].count(b"\n") + 1,
    )


# --------------------------------------------------------------------------------------------
# CSV


def _csv_frame(text: str) -> pd.DataFrame:
    """Cells of a CSV text by position, indexed by record number (= the row Excel shows).

    pyarrow parses regular files fast; ragged rows and the like fall back to :mod:`csv`.
    """
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(",\t;", key=first.count) if any(d in first for d in ",\t;") else ","
    data = text.encode("utf-8")
    width = len(next(csv.reader([first], delimiter=delimiter)))
    try:
        table = pa_csv.read_csv(
            io.BytesIO(data),
            read_options=pa_csv.ReadOptions(autogenerate_column_names=True),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(width)},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        try:
            return _frame(
                enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1)
            )
        except csv.Error as err:
            raise FileProblem(
                "wrong_format", f"CSV 格式错误（{err}）", f"malformed CSV ({err})"
            ) from None
    frame = table.to_pandas(types_mapper=_TEXT_TYPES.get)
    frame.columns = range(frame.shape[1])
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return frame


# --------------------------------------------------------------------------------------------
# XLSX

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# Built-in number formats that show dates (incl. the CJK ones Chinese Excel uses).
_DATE_FORMATS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}
_DATE_CODE = re.compile(r"[ydhmYDHM]")  # after quoted text and [..] are removed
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


class _Workbook:
    """The parts of an XLSX package the reader needs."""

    def __init__(self, data: bytes) -> None:
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            names = set(self.zip.namelist())
            if "xl/workbook.xml" not in names:
                raise FileProblem(
                    "wrong_format",
                    "扩展名是 .xlsx，但内容是一个普通的 ZIP 压缩包，不是 Excel 工作簿",
                    "it is named .xlsx but is a plain ZIP archive, not an Excel workbook",
                )
            book = ElementTree.fromstring(self.zip.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(self.zip.read("xl/_rels/workbook.xml.rels"))
            self.shared = self._shared_strings(names)
            self.date_styles = self._date_styles(names)
        except (zipfile.BadZipFile, ElementTree.ParseError, KeyError, EOFError) as err:
            raise FileProblem(
                "wrong_format",
                f"Excel 工作簿已损坏，无法打开（{type(err).__name__}）",
                f"the workbook is damaged and cannot be opened ({type(err).__name__})",
            ) from None
        pr = book.find(f"{_MAIN}workbookPr")
        self.epoch = (
            datetime(1904, 1, 1)
            if pr is not None and pr.get("date1904") in ("1", "true")
            else datetime(1899, 12, 30)
        )
        targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG}Relationship")}
        self.sheets: list[tuple[str, str, bool]] = []
        for s in book.iter(f"{_MAIN}sheet"):
            target = targets.get(s.get(f"{_REL}id"), "")
            if "worksheets/" not in target:
                continue  # chart sheets hold no cells
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            self.sheets.append((s.get("name", ""), path, s.get("state", "visible") == "visible"))

    def _shared_strings(self, names: set[str]) -> list[str]:
        if "xl/sharedStrings.xml" not in names:
            return []
        root = ElementTree.fromstring(self.zip.read("xl/sharedStrings.xml"))
        return ["".join(t.text or "" for t in si.iter(f"{_MAIN}t")) for si in root]

    def _date_styles(self, names: set[str]) -> set[int]:
        if "xl/styles.xml" not in names:
            return set()
        root = ElementTree.fromstring(self.zip.read("xl/styles.xml"))
        custom = {
            int(f.get("numFmtId", -1))
            for f in root.iter(f"{_MAIN}numFmt")
            if _DATE_CODE.search(re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", f.get("formatCode", "")))
        }
        xfs = root.find(f"{_MAIN}cellXfs")
        return {
            i
            for i, xf in enumerate(xfs if xfs is not None else [])
            if int(xf.get("numFmtId", 0)) in _DATE_FORMATS | custom
        }

    def rows(self, path: str) -> Iterator[tuple[int, list[str | None]]]:
        """``(Excel row number, cells)`` of the sheet stored at ``path``."""
        if self.zip.getinfo(path).file_size > MAX_SHEET_BYTES:
            raise FileProblem(
                "wrong_format", "工作表过大（超过 512 MB）", "the sheet is too large (over 512 MB)"
            )
        number = 0
        try:
            for _, elem in ElementTree.iterparse(self.zip.open(path), events=("end",)):
                if elem.tag != f"{_MAIN}row":
                    continue
                number = int(elem.get("r") or number + 1)
                yield number, self._cells(elem)
                elem.clear()
        except ElementTree.ParseError as err:
            raise FileProblem(
                "wrong_format",
                f"Excel 工作表已损坏（{err}）",
                f"the worksheet is damaged ({err})",
            ) from None

    def _cells(self, row: ElementTree.Element) -> list[str | None]:
        cells: list[str | None] = []
        for c in row.iter(f"{_MAIN}c"):
            ref = _CELL_REF.match(c.get("r", ""))
            position = _column_index(ref.group(1)) if ref else len(cells)
            if position >= len(cells):
                cells.extend([None] * (position + 1 - len(cells)))
            cells[position] = self._value(c)
        return cells

    def _value(self, c: ElementTree.Element) -> str | None:
        formula = c.find(f"{_MAIN}f")
        if formula is not None:
            return "=" + (formula.text or "")
        kind = c.get("t", "n")
        if kind == "inlineStr":
            return "".join(t.text or "" for t in c.iter(f"{_MAIN}t"))
        v = c.find(f"{_MAIN}v")
        if v is None or v.text is None:
            return None
        if kind == "s":
            return self.shared[int(v.text)]
        if kind == "b":
            return "TRUE" if v.text == "1" else "FALSE"
        if kind in ("str", "e"):
            return v.text
        if int(c.get("s", 0)) in self.date_styles:
            return _excel_date(float(v.text), self.epoch)
        return _number_text(v.text)


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _number_text(raw: str) -> str:
    """A stored number as a person would type it: integers keep every digit.

    Examples
    --------
    >>> _number_text("630102001001"), _number_text("6.30102001001E+11"), _number_text("3.5")
    ('630102001001', '630102001001', '3.5')

    """
    if raw.isdigit():
        return raw
    number = float(raw)
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number)


def _excel_date(serial: float, epoch: datetime) -> str:
    moment = epoch + timedelta(days=serial)
    moment = moment.replace(microsecond=0) + timedelta(seconds=round(moment.microsecond / 1e6))
    return moment.strftime(
        "%Y-%m-%d" if moment.time() == datetime.min.time() else "%Y-%m-%d %H:%M:%S"
    )


def _xlsx_rows(data: bytes, sheet: str | None) -> tuple[Iterator, str]:
    book = _Workbook(data)
    names = [name for name, _, _ in book.sheets]
    listed = "、".join(names) or "（无）"
    if sheet is not None:
        for name, path, _ in book.sheets:
            if name.strip() == sheet.strip():
                return book.rows(path), name
        raise FileProblem(
            "sheet_missing",
            f"找不到工作表“{sheet}”；文件中的工作表：{listed}",
            f'there is no sheet "{sheet}"; the sheets are: {", ".join(names) or "(none)"}',
            value=sheet,
        )
    for name, path, visible in book.sheets:
        if not visible or name.strip().lower() in INSTRUCTION_SHEETS:
            continue
        rows = list(book.rows(path))
        if any(any(v is not None and str(v).strip() for v in cells) for _, cells in rows):
            return iter(rows), name
    raise FileProblem(
        "sheet_missing",
        f"工作簿中没有填有数据的工作表（工作表：{listed}）",
        f"no sheet of the workbook holds data (sheets: {', '.join(names) or '(none)'})",
    )


# --------------------------------------------------------------------------------------------
# Cells → table


_TEXT = pd.StringDtype("pyarrow", na_value=float("nan"))  # pandas' default "str" dtype
_TEXT_TYPES = {pa.string(): _TEXT, pa.large_string(): _TEXT}


def _frame(rows: Iterator[tuple[int, list]]) -> pd.DataFrame:
    """Cells by position from ``(row number, cells)`` pairs."""
    numbers, cells = [], []
    for number, values in rows:
        numbers.append(number)
        cells.append(values)
    width = max(map(len, cells), default=0)
    padded = (c if len(c) == width else [*c, *[None] * (width - len(c))] for c in cells)
    columns = zip(*padded, strict=True)
    index = pd.Index(numbers, dtype="int64")
    return pd.DataFrame(
        {
            i: pd.Series(pa.array(col, type=pa.string()), index=index, dtype=_TEXT)
            for i, col in enumerate(columns)
        },
        index=index,
    )


def _table(
    frame: pd.DataFrame,
    sheet: str | None,
    encoding: str | None,
    is_header: Callable[[str], bool] | None,
) -> Table:
    filled = np.zeros(len(frame), dtype=bool)
    for col in frame.columns:
        text = frame[col].str.strip()
        frame[col] = text = text.mask(text == "")
        filled |= text.notna().to_numpy()
    if not filled.all():  # fully empty rows go
        frame = frame[filled]
    if frame.empty:
        raise FileProblem("empty_file")
    header_at = frame.index[0]
    if is_header is not None:
        for number, values in frame.head(HEADER_SEARCH_ROWS).iterrows():
            if any(is_header(v) for v in values if isinstance(v, str)):
                header_at = number
                break
    header = tuple(v if isinstance(v, str) else "" for v in frame.loc[header_at])
    body = frame.iloc[frame.index.get_loc(header_at) + 1 :]
    if body.empty:
        raise FileProblem("header_only", row=int(header_at))
    return Table(header, int(header_at), body, sheet, encoding)
