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
    Setting("max_upload_mb", 50, "Largest file the app accepts for import (MB)."),
    Setting("marking", "内部资料 注意保存", "Marking line on exports from real data."),
    # Integrity and risk flags (metrics/flags.py; methodology page).
    Setting("flag_top_share", 0.1, "Heaviest burden: the top share of villages by index."),
    Setting("flag_targets_min", 1, "Targets broken: at least this many targets broken."),
    Setting("flag_drop_share", 0.5, "Sudden drop: an indicator falls by at least this share."),
    Setting("flag_drop_min_previous", 5, "Sudden drop: only from a previous value this large."),
    Setting("flag_drop_township_move", 0.15, "Sudden drop: the township median moves less."),
    Setting(
        "flag_drop_return", 0.7, "Sudden drop: a past fall stands if the next is back this far."
    ),
    Setting("flag_identical_min", 3, "Identical reports: villages of a township sharing a vector."),
    Setting("flag_heap_base", 10, "Round-number heaping: every value a multiple of this."),
    Setting("flag_heap_quarters", 3, "Round-number heaping: for this many consecutive quarters."),
    Setting("flag_rebound_rise", 0.1, "Rebound: each of two consecutive rises at least this."),
    Setting("flag_gap_share", 0.2, "Visit gap: verified and reported differ by this share."),
    Setting("flag_gap_min", 2, "Visit gap: and by at least this many."),
    Setting("flag_visit_lookback", 4, "Visit gap: visits checking the last N quarters count."),
    # Inspection sampling (metrics/sampling.py).
    Setting("sample_random_share", 0.2, "Share of a sample drawn purely at random (control)."),
    Setting("sample_exclude_visited", 4, "Skip villages visited in the last K quarters."),
    # Accounts and sessions (metrics/accounts.py).
    Setting("accounts", "", "Accounts file (SQLite; default: <db stem>.accounts.sqlite beside)."),
    Setting(
        "cookie_secret",
        "",
        "Key signing session cookies, ≥ 32 characters (env or TOML only; default: generated "
        "once and kept in the accounts file).",
    ),
    Setting("bcrypt_cost", 12, "bcrypt work factor of password hashes (4–31)."),
    Setting("login_max_failures", 5, "Consecutive failed logins that lock an account."),
    Setting("login_lock_minutes", 15, "Minutes a locked account stays locked."),
    Setting("session_hours", 12.0, "Hours a login session lasts."),
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
