"""The one module that talks to ``metrics/`` — and the only one that caches (DESIGN §1).

Every cached call carries the snapshot id (so a publish invalidates it) and the user's scope
(so one user's result never reaches another). Pages call these functions, never ``metrics``.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd
import streamlit as st

from metrics import classify as classify_mod
from metrics import (
    compliance,
    departments,
    geometry,
    periods,
    queries,
    settings,
    store,
    visits,
)
from metrics.scope import Scope

CACHE = {"max_entries": 512, "ttl": 3600, "show_spinner": False}


@st.cache_resource(show_spinner=False)
def _reader(path: str) -> store.Reader:
    return store.Reader(path)


def reader() -> store.Reader:
    """The process-wide snapshot reader of the configured database."""
    return _reader(str(settings.db_path()))


def scope() -> Scope:
    """The signed-in user's scope (the whole deployment until accounts exist)."""
    return st.session_state.get("scope", Scope.everything())


def _key() -> tuple[str, Scope]:
    r = reader()
    return r.snapshot_id, scope()


# --- cached primitives: (snapshot, scope) first in every key. Never prefix them with "_":
# st.cache_data leaves underscore-prefixed arguments out of the key.


@st.cache_data(**CACHE)
def _meta(snapshot: str) -> dict[str, str]:
    return reader().meta()


@st.cache_data(**CACHE)
def _periods(snapshot: str) -> list[str]:
    return periods.available(reader())


@st.cache_data(**CACHE)
def _region(snapshot: str, user_scope: Scope, code: str) -> queries.Region:
    return queries.region_info(reader(), code, user_scope)


@st.cache_data(**CACHE)
def _ancestors(snapshot: str, user_scope: Scope, code: str) -> tuple[queries.Region, ...]:
    return queries.ancestors(reader(), code, user_scope)


@st.cache_data(**CACHE)
def _listing(
    snapshot: str,
    user_scope: Scope,
    level: str,
    parent: str | None,
    period: str,
    indicator: str,
    communities: bool,
) -> pd.DataFrame:
    return queries.query(
        reader(),
        level,
        user_scope,
        parent,
        period,
        indicator,
        include_communities=communities,
    )


@st.cache_data(**CACHE)
def _trend(
    snapshot: str, user_scope: Scope, code: str, indicator: str, communities: bool
) -> pd.DataFrame:
    return queries.trend(reader(), code, indicator, user_scope, include_communities=communities)


@st.cache_data(**CACHE)
def _kpis(
    snapshot: str, user_scope: Scope, code: str, period: str, communities: bool
) -> queries.Kpis:
    return queries.kpis(reader(), code, period, user_scope, include_communities=communities)


@st.cache_data(**CACHE)
def _breaks(
    snapshot: str,
    user_scope: Scope,
    level: str,
    parent: str | None,
    indicator: str,
    scheme: str,
    communities: bool,
) -> tuple[float, ...]:
    return classify_mod.baseline_breaks(
        reader(),
        level,
        indicator,
        user_scope,
        scheme,
        parent=parent,
        include_communities=communities,
    )


@st.cache_data(**CACHE)
def _boundaries(snapshot: str, user_scope: Scope, codes: tuple[str, ...]) -> gpd.GeoDataFrame:
    return geometry.for_display(geometry.boundaries(reader(), list(codes), user_scope))


@st.cache_data(**CACHE)
def _village_values(snapshot: str, user_scope: Scope, code: str) -> pd.DataFrame:
    return queries.village_values(reader(), code, user_scope)


@st.cache_data(**CACHE)
def _village_status(snapshot: str, user_scope: Scope, code: str) -> pd.DataFrame:
    return compliance.village_status(reader(), code, user_scope)


@st.cache_data(**CACHE)
def _departments(snapshot: str, user_scope: Scope, code: str, period: str) -> pd.DataFrame:
    return departments.league(reader(), period, user_scope, code)


@st.cache_data(**CACHE)
def _visits(snapshot: str, user_scope: Scope, code: str) -> pd.DataFrame:
    return visits.village_visits(reader(), code, user_scope)


@st.cache_data(**CACHE)
def _yardstick(snapshot: str) -> pd.DataFrame:
    from metrics import index

    return index.yardstick(reader())


# --- what pages call -------------------------------------------------------------------------


def missing_database() -> str | None:
    """The configured database path if it does not exist yet, else ``None``."""
    try:
        reader().meta()
    except store.DatabaseMissingError:
        _reader.clear()
        return str(settings.db_path())
    return None


def meta() -> dict[str, str]:
    """The database's ``meta`` entries."""
    return _meta(reader().snapshot_id)


def is_simulated() -> bool:
    """Whether the published database holds simulated (demo) data."""
    return meta().get("simulated", "true") != "false"


def top_region() -> str:
    """Code of the deployment's top region (province, or country in a national deployment)."""
    m = meta()
    return m.get("top_region") or m.get("province") or settings.get("province")


def available_periods() -> list[str]:
    """Quarters with data, oldest first."""
    return _periods(reader().snapshot_id)


def baseline_period() -> str | None:
    """The index's baseline quarter."""
    return meta().get("baseline_period") or (available_periods() or [None])[0]


def region(code: str) -> queries.Region:
    """One region (refused outside the user's scope)."""
    return _region(*_key(), code)


def region_exists(code: str) -> bool:
    """Whether ``code`` is a region the user may open."""
    try:
        region(code)
    except Exception:
        return False
    return True


def ancestors(code: str) -> tuple[queries.Region, ...]:
    """The region and its ancestors, top first (for the breadcrumb)."""
    return _ancestors(*_key(), code)


def listing(
    level: str, parent: str | None, period: str, indicator: str, communities: bool = False
) -> pd.DataFrame:
    """Regions of ``level`` under ``parent`` with value, rank, change (``metrics.queries``)."""
    return _listing(*_key(), level, parent, period, indicator, communities)


def trend(code: str, indicator: str, communities: bool = False) -> pd.DataFrame:
    """All quarters of a region's value with progress columns."""
    return _trend(*_key(), code, indicator, communities)


def kpis(code: str, period: str, communities: bool = False) -> queries.Kpis:
    """Headline figures of a region."""
    return _kpis(*_key(), code, period, communities)


def baseline_breaks(
    level: str, parent: str | None, indicator: str, scheme: str, communities: bool = False
) -> tuple[float, ...]:
    """Class breaks at the baseline, to hold fixed across quarters."""
    return _breaks(*_key(), level, parent, indicator, scheme, communities)


def classify(values: pd.Series, scheme: str, fixed: tuple[float, ...] | None) -> Any:
    """Classes of ``values`` (pure; cheap, not cached)."""
    return classify_mod.classify(values, scheme, fixed=fixed)


def boundaries(codes: list[str]) -> gpd.GeoDataFrame:
    """Shapes of the given regions, simplified together for a ~500-px map."""
    return _boundaries(*_key(), tuple(codes))


@st.cache_data(**CACHE)
def _village_points(snapshot: str, user_scope: Scope, codes: tuple[str, ...]) -> pd.DataFrame:
    return geometry.village_points(reader(), list(codes))


def village_points(codes: list[str]) -> pd.DataFrame:
    """Approximate positions of villages already listed under the user's scope."""
    return _village_points(*_key(), tuple(codes))


def village_values(code: str) -> pd.DataFrame:
    """A village's indicators and index per quarter."""
    return _village_values(*_key(), code)


def village_status(code: str) -> pd.DataFrame:
    """Targets met / broken / unknown for a village per quarter."""
    return _village_status(*_key(), code)


def department_league(code: str, period: str) -> pd.DataFrame:
    """Departments' items reaching the villages of a region in a quarter."""
    return _departments(*_key(), code, period)


def yardstick() -> pd.DataFrame:
    """The index yardstick (baseline medians, their source, weights)."""
    return _yardstick(reader().snapshot_id)


def village_visits(code: str) -> pd.DataFrame:
    """On-site visits to a village and what they verified."""
    return _visits(*_key(), code)
