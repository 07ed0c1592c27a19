"""The URL is the state: parse and validate the shareable view parameters (no Streamlit here).

``region`` (code), ``indicator``, ``period`` (``2025Q4``), ``level`` (``county`` for the
province-wide county map) and ``lang``. Invalid values fall back to defaults with a notice —
never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass

from metrics import registry

PARAMS = ("region", "indicator", "period", "level", "lang")
LEVEL_CHOICES = ("", "county")  # "" = the natural child level of the region
_CODE = re.compile(r"^\d{6}(\d{6})?$")


@dataclass(frozen=True)
class View:
    """A validated view of the dashboard."""

    region: str
    indicator: str
    period: str
    level: str
    lang: str

    def params(self, defaults: View) -> dict[str, str]:
        """Query parameters that differ from ``defaults`` (short, shareable URLs)."""
        mine, base = asdict(self), asdict(defaults)
        return {k: v for k, v in mine.items() if v != base[k] and v != ""}


@dataclass(frozen=True)
class Notice:
    """A parameter that was invalid and the value used instead."""

    name: str
    value: str
    fallback: str


def resolve(
    params: Mapping[str, str],
    *,
    defaults: View,
    periods: Sequence[str],
    region_exists: Callable[[str], bool],
) -> tuple[View, list[Notice]]:
    """Validate URL ``params`` against the data; unknown values fall back to ``defaults``.

    Examples
    --------
    >>> d = View("630000", "index", "2025Q4", "", "zh")
    >>> v, n = resolve({"indicator": "nope"}, defaults=d, periods=["2025Q4"],
    ...                region_exists=lambda c: True)
    >>> v.indicator, n[0].fallback
    ('index', 'index')

    """
    notices: list[Notice] = []
    chosen = asdict(defaults)

    def take(name: str, ok: Callable[[str], bool]) -> None:
        value = params.get(name)
        if value is None or value == "":
            return
        value = str(value).strip()
        if ok(value):
            chosen[name] = value
        else:
            notices.append(Notice(name, value[:40], chosen[name] or "—"))

    take("lang", lambda v: v in ("zh", "en"))
    take("indicator", lambda v: v == registry.INDEX_CODE or v in registry.BY_CODE)
    take("period", lambda v: v in periods)
    take("level", lambda v: v in LEVEL_CHOICES)
    take("region", lambda v: bool(_CODE.match(v)) and region_exists(v))
    return View(**chosen), notices
