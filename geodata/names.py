"""Display names and kinds for the gazetteer's township and village names.

The source spells committees out (``红卫村委会``, ``史纳社区居委会``); the product shows the place
(``红卫村``, ``史纳社区``) and keeps the original next to it.
"""

from __future__ import annotations

import re

KINDS = ("村", "社区")

# Source spellings that the rules below cannot read, mapped to their display name.
NAME_FIXES = {"长江路居社区委会": "长江路社区"}

_COMMUNITY = re.compile(r"^(?P<base>.+?)(?:社区)?(?:居民委员会|居委会)$")
_VILLAGE = re.compile(r"^(?P<base>.+?)(?:村民委员会|牧民委员会|村委会|牧委会)$")
_TOWNSHIP_NOTE = re.compile(r"[（(][^）)]*[）)]$")  # 西海镇（海北州政府驻地）


def village_kind(name_original: str) -> str:
    """``社区`` for a community (residents') committee, else ``村``.

    Examples
    --------
    >>> village_kind("史纳社区居委会"), village_kind("居士浪村委会")
    ('社区', '村')

    """
    is_community = "社区" in name_original or name_original.endswith(("居委会", "居民委员会"))
    return "社区" if is_community else "村"


def clean_village_name(name_original: str) -> str:
    """Display name of a village or community committee.

    The committee suffix is dropped, and ``村`` / ``社区`` is added when the remaining name does not
    already end with it (牧委会, the herders' committee, is a village committee).

    Examples
    --------
    >>> clean_village_name("红卫村委会"), clean_village_name("史纳社区居委会")
    ('红卫村', '史纳社区')
    >>> clean_village_name("峨堡村牧民委员会"), clean_village_name("城关居委会")
    ('峨堡村', '城关社区')

    """
    name = name_original.strip()
    if name in NAME_FIXES:
        return NAME_FIXES[name]
    if match := _COMMUNITY.match(name):
        return match["base"] + "社区"
    if match := _VILLAGE.match(name):
        base = match["base"]
        return base if base.endswith("村") else base + "村"
    return name


def clean_township_name(name_original: str) -> str:
    """Display name of a township-level unit.

    Examples
    --------
    >>> clean_township_name("马坊街道办事处"), clean_township_name("乐家湾镇政府")
    ('马坊街道', '乐家湾镇')
    >>> clean_township_name("西海镇（海北州政府驻地）")
    '西海镇'

    """
    name = _TOWNSHIP_NOTE.sub("", name_original.strip())
    name = name.removesuffix("办事处")
    if name.endswith(("镇政府", "乡政府")):
        name = name.removesuffix("政府")
    return name
