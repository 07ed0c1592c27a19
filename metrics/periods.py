"""Reporting periods (quarters written ``YYYYQn``): validation, labels, arithmetic, baseline."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date, timedelta

from metrics import sql
from metrics.errors import InvalidInputError

_PERIOD = re.compile(r"(\d{4})Q([1-4])")
_ZH_QUARTERS = "一二三四"
# How people write a quarter: 2025Q4, 2025-Q4, 2025 q4, 2025年第4季度, 2025年四季度, 2025年第四季.
_WRITTEN = re.compile(r"(\d{4})\s*(?:[-/_.]?\s*[Qq]\s*([1-4])|年\s*第?\s*([1-4一二三四])\s*季度?)")

# Every quarter from the first to the last with data, with its number (consecutive quarters
# differ by 1).
QUARTERS: sql.Cte = (
    "quarters",
    """
    SELECT printf('%dQ%d', q // 4, q % 4 + 1) AS period, q AS quarter
    FROM (SELECT unnest(range(e[1], e[2] + 1)) AS q
          FROM (SELECT list_transform([min(period), max(period)],
                                      lambda p: CAST(left(p, 4) AS INTEGER) * 4
                                                + CAST(right(p, 1) AS INTEGER) - 1) AS e
                FROM observation))
    """,
)

# The baseline period: ``meta.baseline_period``, else the first period with data.
BASELINE: sql.Cte = (
    "baseline",
    "SELECT COALESCE((SELECT value FROM meta WHERE key = 'baseline_period'), "
    "(SELECT min(period) FROM observation)) AS period",
)

# first, last: the first and last period with data; found: whether ``$period`` has data (cheap:
# no scan).
SPAN: sql.Cte = (
    "span",
    "SELECT (SELECT min(period) FROM observation) AS first, "
    "(SELECT max(period) FROM observation) AS last, "
    "EXISTS (SELECT 1 FROM observation WHERE period = $period::VARCHAR) AS found",
)


def validate(period: str) -> str:
    """Return ``period`` if it is a quarter written strictly as ``YYYYQn``.

    Raises
    ------
    InvalidInputError
        Naming the expected form.

    Examples
    --------
    >>> validate("2025Q4")
    '2025Q4'

    """
    if not isinstance(period, str) or not _PERIOD.fullmatch(period):
        raise InvalidInputError(
            f"季度格式不对：{period!r}，应写作 2025Q4",
            f"Invalid period {period!r}; expected YYYYQn such as 2025Q4",
        )
    return period


def parse(text: str) -> str:
    """Read a quarter as people write it and return it as ``YYYYQn``.

    Accepts ``2025Q4``, ``2025-Q4``, ``2025 q4``, ``2025年第4季度``, ``2025年四季度`` and
    ``2025年第四季``, with full-width digits and surrounding spaces.

    Raises
    ------
    InvalidInputError
        If ``text`` is not a quarter in one of those forms.

    Examples
    --------
    >>> parse("2025年四季度"), parse("2025-Q4"), parse(" ２０２５年第4季度")
    ('2025Q4', '2025Q4', '2025Q4')

    """
    found = _WRITTEN.fullmatch(unicodedata.normalize("NFKC", str(text)).strip())
    if found is None:
        raise InvalidInputError(
            f"无法识别的季度：{text!r}，应写作 2025Q4、2025-Q4 或 2025年第4季度",
            f"Unrecognised quarter {text!r}; write it as 2025Q4, 2025-Q4 or 2025年第4季度",
        )
    year, digit, written = found.groups()
    q = digit or written
    return f"{year}Q{_ZH_QUARTERS.index(q) + 1 if q in _ZH_QUARTERS else q}"


def quarter(period: str) -> int:
    """Consecutive quarter number of ``period`` (inverse of :func:`from_quarter`)."""
    year, q = _PERIOD.fullmatch(validate(period)).groups()
    return int(year) * 4 + int(q) - 1


def from_quarter(number: int) -> str:
    """Period string of a quarter number.

    Examples
    --------
    >>> from_quarter(quarter("2025Q1") - 1)
    '2024Q4'

    """
    return f"{number // 4}Q{number % 4 + 1}"


def of_date(day: date) -> str:
    """The quarter that contains ``day``.

    Examples
    --------
    >>> of_date(date(2026, 11, 25))
    '2026Q4'

    """
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def end_date(period: str) -> date:
    """Last day of ``period``.

    Examples
    --------
    >>> end_date("2025Q4")
    datetime.date(2025, 12, 31)

    """
    following = quarter(period) + 1
    return date(following // 4, following % 4 * 3 + 1, 1) - timedelta(days=1)


def shift(period: str, quarters: int) -> str:
    """``period`` moved by ``quarters`` (negative: earlier).

    Examples
    --------
    >>> shift("2025Q2", -4)
    '2024Q2'

    """
    return from_quarter(quarter(period) + quarters)


def label(period: str, lang: str = "zh") -> str:
    """Display label of a period.

    Examples
    --------
    >>> label("2025Q4")
    '2025年第四季度'
    >>> label("2025Q4", "en")
    '2025 Q4'

    """
    year, q = _PERIOD.fullmatch(validate(period)).groups()
    if lang == "zh":
        return f"{year}年第{_ZH_QUARTERS[int(q) - 1]}季度"
    return f"{year} Q{q}"


def available(db: sql.Queryable) -> list[str]:
    """Periods with data, oldest first."""
    df = db.query("SELECT DISTINCT period FROM observation ORDER BY period")
    return df["period"].tolist()


def latest(db: sql.Queryable) -> str | None:
    """The latest period with data (``None`` for an empty database)."""
    return _plain(_span(db, None)["last"])


def baseline(db: sql.Queryable) -> str | None:
    """The baseline period of the burden index's yardstick."""
    return _plain(sql.run(db, [BASELINE], "SELECT period FROM baseline", {})["period"].iloc[0])


def _plain(value: object) -> str | None:
    return None if value is None or value != value else str(value)  # None or NaN: no data


def _span(db: sql.Queryable, period: str | None) -> dict[str, object]:
    """The :data:`SPAN` row for ``period``."""
    return sql.run(db, [SPAN], "SELECT * FROM span", {"period": period}).iloc[0].to_dict()


def require(db: sql.Queryable, period: str | None) -> str:
    """A valid period with data; ``None`` means the latest.

    Raises
    ------
    InvalidInputError
        If ``period`` is malformed or has no data (naming the periods that have).

    """
    return resolve(_span(db, period), period)


def resolve(span: Mapping[str, object], period: str | None) -> str:
    """:func:`require` given the :data:`SPAN` row queried for ``period``."""
    if period is not None:
        validate(period)
    first, last = _plain(span["first"]), _plain(span["last"])
    if last is None:
        raise InvalidInputError("数据库中还没有任何季度数据", "The database has no data yet")
    if period is None:
        return last
    if not span["found"]:
        found = f"{first}–{last}"
        raise InvalidInputError(
            f"{period} 没有数据；有数据的季度：{found}",
            f"No data for {period}; periods with data: {found}",
        )
    return period
