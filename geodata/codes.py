"""Placeholder codes for townships and villages, in the 12-digit statistical shape.

Rule: the townships of a county are numbered ``001, 002, …`` in the order of their original
(source) names sorted by Unicode code point, giving ``county(6) + township(3) + "000"``; the
villages of a township are numbered the same way within it, giving ``county(6) + township(3) +
village(3)``. Equal names keep their source order. The codes depend only on the names, so they are
stable across rebuilds of the same source. They are *not* official statistical codes.
"""

from __future__ import annotations

from collections.abc import Sequence

_WIDTH = 3


def _ranks(names: Sequence[str]) -> list[int]:
    """1-based rank of each name in code-point order (ties in input order), aligned with input."""
    if len(names) >= 10**_WIDTH:
        raise ValueError(f"{len(names)} children do not fit in {_WIDTH} digits")
    order = sorted(range(len(names)), key=lambda i: names[i])
    ranks = [0] * len(names)
    for rank, i in enumerate(order, start=1):
        ranks[i] = rank
    return ranks


def township_codes(county_code: str, names: Sequence[str]) -> list[str]:
    """Codes of the townships of a county, aligned with ``names`` (their original names).

    Examples
    --------
    >>> township_codes("630106", ["鲁沙尔镇", "多巴镇"])
    ['630106002000', '630106001000']

    """
    if len(county_code) != 6 or not county_code.isdigit():
        raise ValueError(f"Invalid county code {county_code!r}; expected six digits")
    return [f"{county_code}{rank:03d}000" for rank in _ranks(names)]


def village_codes(township_code: str, names: Sequence[str]) -> list[str]:
    """Codes of the villages of a township, aligned with ``names`` (their original names).

    Examples
    --------
    >>> village_codes("630106001000", ["新村村委会", "大庄村委会"])
    ['630106001002', '630106001001']

    """
    if len(township_code) != 12 or not township_code.endswith("000"):
        raise ValueError(f"Invalid township code {township_code!r}; expected 12 digits ending 000")
    return [f"{township_code[:9]}{rank:03d}" for rank in _ranks(names)]
