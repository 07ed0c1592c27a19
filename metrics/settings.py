"""Settings declared once, as data (name, default, help), read by the CLI, the app and the docs.

Precedence: explicit value (CLI flag) > environment variable ``BURDENMAP_<NAME>`` > the optional
TOML file named by ``BURDENMAP_CONFIG`` (default ``burdenmap.toml`` in the working directory) >
default. Secrets (cookie secret) only ever come from the environment or that file.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    """One configurable setting."""

    name: str
    default: Any
    help: str

    @property
    def env(self) -> str:
        """Environment variable that overrides the setting."""
        return "BURDENMAP_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("db", str(ROOT / "data" / "burden.duckdb"), "Published database file."),
    Setting("lang", "zh", "Default language (zh|en)."),
    Setting("province", "630000", "Province (GB/T 2260 code) of the deployment."),
    Setting("imports_dir", "", "Where uploads are kept (default: imports/ beside the database)."),
    Setting("weights", "", "Index weights, e.g. 'tasks=2,forms=1' (default: equal)."),
    Setting("certificates_max", 8, "Certificate types allowed per quarter (positive list size)."),
    Setting("tile_url", "", "Optional XYZ tile URL of the deployment's own tile server."),
    Setting("marking", "内部资料 注意保存", "Marking line on exports from real data."),
)
BY_NAME = {s.name: s for s in SETTINGS}


def _config_file() -> dict[str, Any]:
    path = Path(os.environ.get("BURDENMAP_CONFIG", "burdenmap.toml"))
    if path.is_file():
        with path.open("rb") as fh:
            return tomllib.load(fh)
    return {}


def get(name: str, explicit: Any = None) -> Any:
    """Value of setting ``name`` after applying the precedence rules.

    Examples
    --------
    >>> get("lang", "en")
    'en'

    """
    setting = BY_NAME[name]
    if explicit not in (None, ""):
        return explicit
    if setting.env in os.environ and os.environ[setting.env] != "":
        value: Any = os.environ[setting.env]
    else:
        value = _config_file().get(name, setting.default)
    return type(setting.default)(value) if setting.default is not None else value


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """Path of the published database."""
    return Path(get("db", explicit))


def weights() -> dict[str, float]:
    """Configured index weights by indicator code (only those set)."""
    raw = get("weights")
    out: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in str(raw).split(","))):
        code, _, value = part.partition("=")
        out[code.strip()] = float(value)
    return out
