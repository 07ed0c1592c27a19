"""The village gazetteer: townships and village / community committees with placeholder codes."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from geodata.codes import township_codes, village_codes
from geodata.files import TOWNSHIPS_FILE, VILLAGES_FILE, shipped_file
from geodata.names import clean_township_name, clean_village_name, village_kind

TOWNSHIP_COLUMNS = "code name name_original county_code lon lat position_approximate".split()
VILLAGE_COLUMNS = (
    "code name name_original kind township_code township_name county_code "
    "lon lat position_approximate"
).split()
_TEXT = {"code", "name", "name_original", "kind", "township_code", "township_name", "county_code"}


def _read(path: Path, columns: list[str]) -> pd.DataFrame:
    dtypes = {c: "str" for c in columns if c in _TEXT}
    frame = pd.read_csv(path, dtype=dtypes, keep_default_na=False)
    return frame[columns]


def load_townships(province: str = "630000") -> pd.DataFrame:
    """Shipped township-level units of a province.

    Returns
    -------
    DataFrame
        ``code, name, name_original, county_code, lon, lat, position_approximate``; codes are
        text in the 12-digit statistical shape (placeholders, not official).

    Raises
    ------
    GeodataNotBuiltError
        If the province has not been built.

    """
    return _read(shipped_file(province, TOWNSHIPS_FILE), TOWNSHIP_COLUMNS)


def load_villages(province: str = "630000") -> pd.DataFrame:
    """Shipped village and community committees of a province.

    Returns
    -------
    DataFrame
        ``code, name, name_original, kind (村|社区), township_code, township_name, county_code,
        lon, lat, position_approximate``; codes are text (placeholders, not official), positions
        approximate.

    Raises
    ------
    GeodataNotBuiltError
        If the province has not been built.

    Examples
    --------
    >>> load_villages()["kind"].value_counts().to_dict()
    {'村': 4162, '社区': 450}

    """
    return _read(shipped_file(province, VILLAGES_FILE), VILLAGE_COLUMNS)


def gazetteer_frames(
    tree: Mapping[str, Mapping[str, Mapping[str, list[str]]]],
    county_codes: Mapping[tuple[str, str], str],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Townships and villages of a name tree, with clean names and codes (no positions yet).

    Parameters
    ----------
    tree : mapping
        Prefecture name -> county name -> township name -> village names, as in the source.
    county_codes : mapping
        ``(prefecture name, county name)`` -> current county code (see
        :func:`geodata.crosswalk.match_counties`); several source counties may share one code.

    Returns
    -------
    (DataFrame, DataFrame)
        Townships (``code, name, name_original, county_code``) and villages (``code, name,
        name_original, kind, township_code, township_name, county_code``), sorted by code.

    """
    by_county: dict[str, list[tuple[str, list[str]]]] = {}
    for prefecture, counties in tree.items():
        for county, townships in counties.items():
            code = county_codes[(prefecture, county)]
            by_county.setdefault(code, []).extend(townships.items())
    towns, villages = [], []
    for county_code, items in by_county.items():
        codes = township_codes(county_code, [name for name, _ in items])
        for town_code, (town_original, names) in zip(codes, items, strict=True):
            town_name = clean_township_name(town_original)
            towns.append((town_code, town_name, town_original, county_code))
            for code, original in zip(village_codes(town_code, names), names, strict=True):
                name, kind = clean_village_name(original), village_kind(original)
                villages.append((code, name, original, kind, town_code, town_name, county_code))
    return (
        pd.DataFrame(towns, columns=TOWNSHIP_COLUMNS[:4]).sort_values("code", ignore_index=True),
        pd.DataFrame(villages, columns=VILLAGE_COLUMNS[:7]).sort_values("code", ignore_index=True),
    )
