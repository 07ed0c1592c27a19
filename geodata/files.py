"""Where the shipped geodata files live, and the errors raised when they are missing."""

from __future__ import annotations

import re
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

#: File names inside ``DATA_DIR / <province code>``.
BOUNDARY_FILES = {
    "province": "province.geojson",
    "prefecture": "prefecture.geojson",
    "county": "county.geojson",
}
TOWNSHIPS_FILE = "townships.csv"
VILLAGES_FILE = "villages.csv"
MANIFEST_FILE = "manifest.json"

_PROVINCE_CODE = re.compile(r"^[1-9]\d0000$")


class GeodataNotBuiltError(FileNotFoundError):
    """The derived files of a province are not in the package."""


def check_province_code(province: str) -> str:
    """The province code, validated as a six-digit GB/T 2260 province code (``630000``).

    Raises
    ------
    ValueError
        If ``province`` is not of the form ``NN0000``.

    """
    if not isinstance(province, str) or not _PROVINCE_CODE.match(province):
        raise ValueError(f"Invalid province code {province!r}; expected six digits like '630000'")
    return province


def shipped_file(province: str, name: str) -> Path:
    """Path of one shipped file of ``province``: ``name``, or ``name.gz`` (the national layers).

    Raises
    ------
    GeodataNotBuiltError
        If the file does not exist; the message names the command that builds it.

    """
    path = DATA_DIR / check_province_code(province) / name
    if not path.is_file() and path.with_name(f"{name}.gz").is_file():
        return path.with_name(f"{name}.gz")
    if not path.is_file():
        raise GeodataNotBuiltError(
            f"No geodata for province {province} ({path} is missing). "
            f"Run `burdenmap geodata build --province {province}` to derive it."
        )
    return path
