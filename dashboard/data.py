"""The one module that talks to ``metrics/`` — and the only one that caches (DESIGN §1).

Every cached call carries the snapshot id (so a publish invalidates it) and the user's scope
(so one user's result never reaches another). Pages call these functions, never ``metrics``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd
import streamlit as st

from dashboard.i18n import short_name
from metrics import (
    accounts,
    card,
    departments,
    geometry,
    periods,
    queries,
    regions,
    settings,
    store,
)
from metrics import classify as classify_mod
from metrics.scope import Scope, for_role

if TYPE_CHECKING:
    from metrics.importing import ImportResult

CACHE = {"max_entries": 512, "ttl": 3600, "show_spinner": False}


@st.cache_resource(show_spinner=False)
def _reader(path: str) -> store.Reader:
    return store.Reader(path)


def reader() -> store.Reader:
    """The process-wide snapshot reader of the configured database."""
    return _reader(str(settings.db_path()))


def scope() -> Scope:
    """The signed-in user's scope (set by :func:`start_session` or :func:`start_demo`).

    Nothing is visible before either ran (``dashboard.login.gate`` runs first on every page).
    """
    return st.session_state.get("scope", Scope.of(role="demo"))  # no region, no write


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
def _village_card(snapshot: str, user_scope: Scope, code: str, period: str) -> card.VillageCard:
    return card.village_card(reader(), code, period, user_scope)


@st.cache_data(**CACHE)
def _departments(snapshot: str, user_scope: Scope, code: str, period: str) -> pd.DataFrame:
    return departments.league(reader(), period, user_scope, code)


@st.cache_data(**CACHE)
def _yardstick(snapshot: str) -> pd.DataFrame:
    from metrics import index

    return index.yardstick(reader())


# Served as is, not as a copy (``cache_resource``): a national deployment lists ~700,000 places,
# whose copy would cost every run more than the page itself. Callers must not change it.
@st.cache_resource(**CACHE)
def _places(snapshot: str, user_scope: Scope) -> pd.DataFrame:
    frames = [
        queries.regions_at(reader(), level, user_scope, include_communities=True)
        for level in ("province", "prefecture", "county", "township", "village")
    ]
    df = pd.concat(frames, ignore_index=True)
    paths: dict[str, str] = {}  # top first: a parent's path is known before its children's
    for code, name, parent in zip(df["code"], df["name"], df["parent_code"], strict=True):
        above = paths.get(parent) if isinstance(parent, str) else None
        paths[code] = short_name(name) if above is None else f"{above} › {short_name(name)}"
    df["path"] = df["code"].map(paths)
    # Codes and paths as Python strings (iterated by the pickers), the level as a category.
    return df[["code", "name", "level", "path"]].astype(
        {"code": object, "path": object, "level": "category"}
    )


# At most this many regions in the sidebar's picker; the levels below are found by the search
# box. A province (~460 regions down to its townships) lists them all; a national deployment
# stops at counties (~3,200): a picker of ~43,000 townships cost every rerun ~80 ms.
PICKER_MOST = 5_000
PICKER_LEVELS = ("province", "prefecture", "county", "township")


def picker_levels(counts: dict[str, int], most: int = PICKER_MOST) -> tuple[str, ...]:
    """The levels the picker lists: from the top down while at most ``most`` regions in all.

    Examples
    --------
    >>> picker_levels({"province": 1, "prefecture": 8, "county": 45, "township": 406})
    ('province', 'prefecture', 'county', 'township')
    >>> picker_levels({"province": 31, "prefecture": 340, "county": 2850, "township": 39000})
    ('province', 'prefecture', 'county')
    >>> picker_levels({"county": 1, "township": 9000})
    ('county',)
    >>> picker_levels({"township": 9000})
    ('township',)

    """
    levels: list[str] = []
    total = 0
    for level in (lv for lv in PICKER_LEVELS if counts.get(lv)):
        total += counts[level]
        if levels and total > most:
            break
        levels.append(level)
    return tuple(levels)


@st.cache_resource(**CACHE)
def _picker(snapshot: str, user_scope: Scope, most: int) -> tuple[tuple[str, ...], dict[str, str]]:
    found = _places(snapshot, user_scope)
    counts = found["level"].value_counts()
    listed = found[found["level"].isin(picker_levels(counts.to_dict(), most))]
    return tuple(listed["code"]), dict(zip(listed["code"], listed["path"], strict=True))


# --- what pages call -------------------------------------------------------------------------


def missing_database() -> str | None:
    """The configured database path if it does not exist yet, else ``None``."""
    try:
        reader().meta()
    except store.DatabaseMissingError:
        _reader.clear()
        return str(settings.db_path())
    return None


def outdated_schema() -> tuple[int, int] | None:
    """``(file version, program version)`` when the database needs ``burdenmap upgrade``."""
    from metrics import schema

    found = int(meta().get("schema_version", "0"))
    return (found, schema.SCHEMA_VERSION) if found < schema.SCHEMA_VERSION else None


def meta() -> dict[str, str]:
    """The database's ``meta`` entries."""
    return _meta(reader().snapshot_id)


def is_simulated() -> bool:
    """Whether the published database holds simulated (demo) data."""
    return meta().get("simulated") == "true"  # unmarked data is treated as real


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
    """One region (refused outside the user's scope); read with its ancestors, in one query."""
    return ancestors(code)[-1]


def region_exists(code: str) -> bool:
    """Whether ``code`` is a region the user may open."""
    try:
        region(code)
    except Exception:
        return False
    return True


def region_refused(code: str) -> bool:
    """Whether ``code`` is a region that exists but lies outside the user's scope."""
    return not region_exists(code) and _region_known(reader().snapshot_id, code)


@st.cache_data(**CACHE)
def _region_known(snapshot: str, code: str) -> bool:
    return bool(reader().scalar("SELECT count(*) FROM region WHERE code = $code", {"code": code}))


def home_region() -> str:
    """Where the user starts: the assigned region, else the deployment's top region."""
    codes = scope().codes
    return codes[0] if codes else top_region()


def ancestors(code: str) -> tuple[queries.Region, ...]:
    """The region and its ancestors, top first (for the breadcrumb)."""
    return _ancestors(*_key(), code)


def openable(crumbs: tuple[queries.Region, ...]) -> tuple[bool, ...]:
    """Whether the user may open each step of :func:`ancestors` (as :func:`region_exists`).

    No query: the lineage of a step is the steps above it.
    """
    user_scope, codes = scope(), [r.code for r in crumbs]
    return tuple(user_scope.covers(codes[: n + 1]) for n in range(len(codes)))


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


@st.cache_resource
def _map_inset() -> gpd.GeoDataFrame:
    return regions.map_inset()


def map_inset(level: str) -> gpd.GeoDataFrame | None:
    """The 南海诸岛 inset drawn with the country view (national deployments), else ``None``."""
    return _map_inset() if level == "country" else None


@st.cache_data(**CACHE)
def _village_points(snapshot: str, user_scope: Scope, codes: tuple[str, ...]) -> pd.DataFrame:
    return geometry.village_points(reader(), list(codes), user_scope)


def village_points(codes: list[str]) -> pd.DataFrame:
    """Approximate positions of villages already listed under the user's scope."""
    return _village_points(*_key(), tuple(codes))


def village_card(code: str, period: str) -> card.VillageCard:
    """A village's values over time, targets, departments and visits (one query)."""
    return _village_card(*_key(), code, period)


def department_league(code: str, period: str) -> pd.DataFrame:
    """Departments' items reaching the villages of a region in a quarter."""
    return _departments(*_key(), code, period)


def places() -> pd.DataFrame:
    """Every region in scope with its path (青海省 › 海南州 › 贵南县), for pickers and search.

    Shared between runs and sessions: read it, never change it.
    """
    return _places(*_key())


def picker() -> tuple[tuple[str, ...], dict[str, str]]:
    """The regions the sidebar's picker lists: codes top first, their paths (:data:`PICKER_MOST`).

    Shared between runs and sessions: read it, never change it.
    """
    return _picker(*_key(), PICKER_MOST)


def find_places(text: str, most: int = 12) -> pd.DataFrame:
    """At most ``most`` places in scope whose name contains ``text``, top levels first."""
    found = places()
    return found[found["name"].str.contains(text, regex=False)].head(most)


def tile_url() -> str:
    """The deployment's own tile server, if configured (empty: no basemap, fully offline)."""
    return settings.get("tile_url")


def yardstick() -> pd.DataFrame:
    """The index yardstick (baseline medians, their source, weights)."""
    return _yardstick(reader().snapshot_id)


# --- 数据导入 (imports) and 填报进度 (reporting progress) ------------------------------------


def _user() -> str:
    return st.session_state.get("username") or "demo"


def upload_sheets(data: bytes) -> list[str]:
    """Worksheet names of an uploaded XLSX (``[]`` for anything else)."""
    from metrics.importing.read import sheet_names

    return sheet_names(data)


def problem_columns() -> dict[str, tuple[str, str]]:
    """The columns of an import's problem list, Chinese and English (``metrics.importing``)."""
    from metrics.importing.problems import REPORT_COLUMNS

    return REPORT_COLUMNS


def check_upload(
    data: bytes,
    filename: str,
    kind: str,
    sheet: str | None,
    replace: bool,
    progress: Any = None,
) -> ImportResult:
    """Keep an upload and validate it without publishing.

    Returns an ``ImportResult`` with status ``checked`` or ``rejected``;
    :func:`publish_checked_upload` publishes it once the user confirms.
    """
    from metrics.importing import import_bytes

    return import_bytes(
        settings.db_path(),
        data,
        filename,
        kind=kind,
        sheet=sheet,
        replace=replace,
        dry_run=True,
        user=_user(),
        progress=progress,
        scope=scope(),
    )


def publish_checked_upload(folder: Any, progress: Any = None) -> ImportResult:
    """Publish a kept upload after the user confirmed (re-validated against the newest data)."""
    from metrics.importing import publish_upload

    return publish_upload(
        settings.db_path(), folder, user=_user(), progress=progress, scope=scope()
    )


def problem_table(result: ImportResult, lang: str) -> pd.DataFrame:
    """The problems of an import as a table with headers in ``lang`` and the app's fixes."""
    from metrics.importing import to_frame

    return to_frame(result.problems, lang, channel="app")


def problem_severities(result: Any) -> list[str]:
    """``error`` or ``warning`` for each row of :func:`problem_table`, in its order."""
    from metrics.importing.problems import ordered

    return [p.severity for p in ordered(result.problems)]


def import_kinds() -> tuple[str, ...]:
    """What files can be imported (observations, items, visits)."""
    from metrics.importing import KINDS

    return KINDS


def template_kinds() -> tuple[str, ...]:
    """What templates exist (the import kinds and the gazetteer)."""
    from metrics.importing import LAYOUTS

    return tuple(LAYOUTS)


def problem_report(result: Any, fmt: str, lang: str) -> bytes:
    """The full problem list as an XLSX or CSV download, with the app's fixes."""
    from metrics.importing import report_bytes

    return report_bytes(result.problems, fmt, lang, channel="app")


def import_history() -> pd.DataFrame:
    """Every import, newest first (published batches, rollbacks, rejected uploads)."""
    from metrics.importing import history

    return history(settings.db_path(), reader(), scope(), _user())


def rollback_batch(batch_id: int) -> dict[str, int]:
    """Roll back an import batch as a new snapshot."""
    from metrics.importing import rollback

    return rollback(settings.db_path(), batch_id, user=_user(), scope=scope())


@st.cache_data(**CACHE)
def _template(
    snapshot: str, user_scope: Scope, kind: str, region_code: str | None, fmt: str, lang: str
) -> bytes:
    from metrics.importing import templates

    villages = None
    if region_code:
        villages = templates.villages_below(reader(), region_code, user_scope)
    return templates.template_bytes(kind, fmt, villages=villages, lang=lang)


def template_file(kind: str, region_code: str | None, fmt: str, lang: str) -> bytes:
    """An import template, pre-filled with the villages below ``region_code`` if given."""
    return _template(*_key(), kind, region_code, fmt, lang)


def table_file(frame: pd.DataFrame, fmt: str) -> bytes:
    """``frame`` as an XLSX or CSV download (cells that look like formulas are defused)."""
    from metrics.importing.files import table_bytes

    return table_bytes(frame, fmt)


@st.cache_data(**CACHE)
def _reporting_periods(snapshot: str, today: str) -> list[str]:
    from metrics import reporting

    return reporting.choosable_periods(reader(), pd.Timestamp(today).date())


@st.cache_data(**CACHE)
def _reporting_default(snapshot: str, today: str) -> str:
    from metrics import reporting

    return reporting.default_period(reader(), pd.Timestamp(today).date())


@st.cache_data(**CACHE)
def _reporting_progress(snapshot: str, user_scope: Scope, period: str, today: str) -> Any:
    from metrics import reporting

    return reporting.progress(reader(), period, user_scope, pd.Timestamp(today).date())


def _today() -> str:
    return pd.Timestamp.today().date().isoformat()


def reporting_periods() -> list[str]:
    """Quarters to show progress for, newest first (with reports, and the one due now)."""
    return _reporting_periods(reader().snapshot_id, _today())


def reporting_default_period() -> str:
    """The latest quarter with reports, else the one due now."""
    return _reporting_default(reader().snapshot_id, _today())


def reporting_deadline(period: str) -> date:
    """The last day a report of ``period`` is on time (``metrics.reporting``)."""
    from metrics import reporting

    return reporting.deadline(period)


def reporting_progress(period: str) -> Any:
    """Who has reported ``period``, who is late, who is missing (``metrics.reporting``)."""
    return _reporting_progress(*_key(), period, _today())


# --- 同级比较, 部门, 督查抽样 (peers, departments, inspection) ---------------------------------


@st.cache_data(**CACHE)
def _peers(
    snapshot: str,
    user_scope: Scope,
    level: str,
    period: str,
    indicator: str,
    code: str | None,
    among: str,
) -> Any:
    from metrics import comparison

    return comparison.peers(reader(), level, period, indicator, user_scope, code, among)


def peer_comparison(level: str, period: str, indicator: str, code: str | None, among: str) -> Any:
    """Rank, percentile, distance to the median of ``level``'s regions (``metrics.comparison``)."""
    return _peers(*_key(), level, period, indicator, code, among)


@st.cache_data(**CACHE)
def _peer_history(
    snapshot: str,
    user_scope: Scope,
    level: str,
    period: str,
    indicator: str,
    code: str | None,
    among: str,
) -> pd.DataFrame:
    from metrics import comparison

    found = comparison.peers(reader(), level, period, indicator, user_scope, code, among)
    return comparison.history(reader(), found, user_scope)


def peer_history(
    level: str, period: str, indicator: str, code: str | None, among: str
) -> pd.DataFrame:
    """Every quarter's rank of the peers listed by :func:`peer_comparison`."""
    return _peer_history(*_key(), level, period, indicator, code, among)


@st.cache_data(**CACHE)
def _breakdown(snapshot: str, user_scope: Scope, code: str, period: str) -> pd.DataFrame:
    from metrics import comparison

    return comparison.breakdown(reader(), code, period, user_scope)


def index_breakdown(code: str, period: str) -> pd.DataFrame:
    """Each indicator's points of a region's burden index (now, at baseline, province)."""
    return _breakdown(*_key(), code, period)


@st.cache_data(**CACHE)
def _department_series(snapshot: str, user_scope: Scope, code: str) -> pd.DataFrame:
    return departments.series(reader(), user_scope, code)


def department_series(code: str) -> pd.DataFrame:
    """Assignments per department and quarter in a region."""
    return _department_series(*_key(), code)


@st.cache_data(**CACHE)
def _department_items(
    snapshot: str, user_scope: Scope, department_id: int, code: str, period: str
) -> pd.DataFrame:
    return departments.items(reader(), department_id, period, user_scope, code)


def department_items(department_id: int, code: str, period: str) -> pd.DataFrame:
    """One department's items held by the villages of a region."""
    return _department_items(*_key(), department_id, code, period)


@st.cache_data(**CACHE)
def _department_footprint(
    snapshot: str, user_scope: Scope, department_id: int, code: str, period: str, level: str
) -> pd.DataFrame:
    return departments.footprint(reader(), department_id, period, user_scope, level, code)


def department_footprint(department_id: int, code: str, period: str, level: str) -> pd.DataFrame:
    """Where one department's items land: per region of ``level`` below ``code``."""
    return _department_footprint(*_key(), department_id, code, period, level)


@st.cache_data(**CACHE)
def _ranking(snapshot: str, user_scope: Scope, period: str, top_share: float) -> Any:
    from metrics import flags

    thresholds = flags.Thresholds.configured(top_share=top_share)
    return flags.ranking(reader(), period, user_scope, thresholds)


def _ranked(snapshot: str, user_scope: Scope, period: str) -> Any:
    """The quarter's ranking for the heaviest flag, under the share configured now."""
    from metrics import flags

    return _ranking(snapshot, user_scope, period, flags.Thresholds.configured().top_share)


@st.cache_data(**CACHE)
def _flags_below(snapshot: str, user_scope: Scope, code: str, period: str) -> pd.DataFrame:
    from metrics import flags

    ranked = _ranked(snapshot, user_scope, period)
    return flags.raised(reader(), period, user_scope, code, ranked=ranked)


def _judged(code: str) -> str:
    """Where the flags of village ``code`` are judged: its township if in scope, else itself."""
    lineage = ancestors(code)
    return lineage[-2].code if len(lineage) > 1 and openable(lineage)[-2] else code


def village_flags(code: str, period: str) -> pd.DataFrame:
    """The integrity and risk flags of one village in a quarter, with reasons.

    Judged for the village's whole township at once and cached (``metrics.flags`` judges a
    township on its own villages, against the quarter's province-wide ranking, cached too: the
    same flags as judging the whole quarter, in a fraction of the time), so its neighbours'
    cards are free; for the village alone when the user's scope does not cover its township.
    """
    found = _flags_below(*_key(), _judged(code), period)
    return found[found["village_code"] == code].reset_index(drop=True)


@st.cache_data(**CACHE)
def _flag_summary(
    snapshot: str, user_scope: Scope, code: str, period: str, communities: bool
) -> pd.DataFrame:
    from metrics import flags

    ranked = _ranked(snapshot, user_scope, period)
    return flags.summary(reader(), period, user_scope, code, communities, ranked=ranked)


def flag_summary(code: str, period: str, communities: bool = False) -> pd.DataFrame:
    """Every village below ``code`` with its flags, risk and reasons in a quarter."""
    return _flag_summary(*_key(), code, period, communities)


def flag_rules() -> pd.DataFrame:
    """Every flag with its name, odds and rule under the configured thresholds."""
    from metrics import flags

    return flags.rules()


@st.cache_data(**CACHE)
def _flag_quality(snapshot: str, user_scope: Scope, period: str) -> pd.DataFrame:
    from metrics import detection

    return detection.quality(reader(), user_scope, [period])


def flag_quality(period: str) -> pd.DataFrame:
    """Recall and precision of the flags on the planted anomalies (simulated data only)."""
    return _flag_quality(*_key(), period)


@st.cache_data(**CACHE)
def _discrepancies(snapshot: str, user_scope: Scope, code: str, period: str) -> pd.DataFrame:
    from metrics import discrepancy

    return discrepancy.by_region(reader(), period, user_scope, code)


def discrepancies(code: str, period: str) -> pd.DataFrame:
    """Reported against verified: discrepancy rates by township from the last year's visits."""
    return _discrepancies(*_key(), code, period)


def may(right: str) -> bool:
    """Whether the signed-in user's role has ``right`` (``metrics.scope.RIGHTS``)."""
    return scope().may(right)


@st.cache_data(**CACHE)
def _sample(
    snapshot: str,
    user_scope: Scope,
    n: int,
    seed: int,
    period: str,
    within: str,
    random_share: float,
    exclude_visited: int,
    allocation: str,
    communities: bool,
) -> Any:
    from metrics import sampling

    design = sampling.Design(
        n, seed, period, within, random_share, exclude_visited, allocation, communities
    )
    return sampling.sample(reader(), design, user_scope)


def draw_sample(
    n: int,
    seed: int,
    period: str,
    within: str,
    random_share: float,
    exclude_visited: int,
    allocation: str,
    communities: bool,
) -> Any:
    """An inspection sample (``metrics.sampling``); the same inputs give the same sample."""
    args = (n, seed, period, within, random_share, exclude_visited, allocation, communities)
    return _sample(*_key(), *args)


def sample_defaults() -> tuple[float, int]:
    """Configured random control share and quarters of visits to exclude."""
    return float(settings.get("sample_random_share")), int(settings.get("sample_exclude_visited"))


@st.cache_data(**CACHE)
def _stored_samples(snapshot: str, user_scope: Scope) -> pd.DataFrame:
    from metrics import sampling

    return sampling.stored(reader(), user_scope)


def stored_samples() -> pd.DataFrame:
    """Stored samples (drafts and released) the user may see, newest first."""
    return _stored_samples(*_key())


@st.cache_data(**CACHE)
def _stored_sample(snapshot: str, user_scope: Scope, sample_id: int) -> Any:
    from metrics import sampling

    return sampling.load(reader(), sample_id, user_scope)


def stored_sample(sample_id: int) -> Any:
    """One stored sample with today's names and its quarter's reported values."""
    return _stored_sample(*_key(), sample_id)


def save_sample(sample: Any) -> int:
    """Store a drawn sample as a draft (a new snapshot); returns its number."""
    from metrics import sampling

    return sampling.save(settings.db_path(), sample, scope(), _user())


def release_sample(sample_id: int) -> None:
    """Release a draft sample (a new snapshot)."""
    from metrics import sampling

    sampling.release(settings.db_path(), sample_id, scope(), _user())


def _marking() -> str:
    return "模拟数据" if is_simulated() else str(settings.get("marking"))


def checklist_xlsx(sample: Any, area: str) -> bytes:
    """The on-site checklist workbook of a sample (one sheet per village)."""
    from metrics import checklist

    return checklist.workbook(sample, _marking(), area)


def checklist_csv(sample: Any) -> bytes:
    """The picks of a sample as CSV."""
    from metrics import checklist

    return checklist.csv(sample)


# --- 导出与简报 (exports and briefings) -----------------------------------------------------


@st.cache_data(**CACHE)
def _provenance(snapshot: str) -> Any:
    from metrics.exports.provenance import provenance

    return provenance(reader())


def export_provenance() -> Any:
    """Simulated or real, and the data vintage, for the captions of exports."""
    return _provenance(reader().snapshot_id)


def record_export(
    view: str, fmt: str, region: str, period: str | None, indicator: str | None
) -> Callable[[], None]:
    """The audit hook of in-app downloads: a callback recording one export (who, what, when).

    Built while the page runs (it reads the signed-in user and scope); the download calls it,
    on another thread, once the file is made. Demo sessions record as ``demo``. Each record
    is a session event in the accounts file (``metrics.exports.audit.record``).
    """
    from metrics.exports import audit

    event = audit.ExportEvent(_user(), view, fmt, region, period, indicator, scope())
    path = settings.db_path()
    return lambda: audit.record(path, event)


def briefing_maker(code: str, period: str | None, lang: str) -> Callable[[], bytes]:
    """A function writing the Word briefing on ``code`` in ``period`` (run when clicked)."""
    db, user_scope = reader(), scope()

    def build() -> bytes:
        from dashboard.exports import briefing  # python-docx: loaded by the first briefing

        return briefing.build(db, user_scope, code, period, lang=lang)

    return build


# --- accounts and sessions (``metrics.accounts``; issue #9) ---------------------------------


def _accounts_file() -> Any:
    return accounts.accounts_path(settings.db_path())


def has_accounts() -> bool:
    """Whether any account exists (none: a simulated database opens in demo mode)."""
    return accounts.has_users(_accounts_file())


def sign_in(username: str, password: str) -> accounts.User:
    """The account if the password is right (the attempt is recorded either way).

    Raises
    ------
    metrics.accounts.LoginError
        With the message to show.

    """
    return accounts.authenticate(_accounts_file(), username, password)


@st.cache_resource(show_spinner=False)
def _secret(path: str) -> bytes:
    return accounts.secret(path)


def session_token(user: accounts.User) -> str:
    """A signed session token for the cookie."""
    return accounts.issue_token(user, _secret(str(_accounts_file())))


def session_hours() -> float:
    """How long a session cookie lives."""
    return float(settings.get("session_hours"))


def session_user(token: str) -> accounts.User | None:
    """The account of a valid session token (``None``: expired, revoked, tampered, disabled)."""
    path = _accounts_file()
    return accounts.verify_token(path, token, _secret(str(path)))


def start_session(user: accounts.User, token: str) -> None:
    """Make ``user`` the session's user: its role and scope govern every call from now on."""
    st.session_state.update(
        user=user,
        token=token,
        username=user.username,
        scope=for_role(reader(), user.role, user.scope_code),
        demo=False,
    )


def start_demo() -> None:
    """Read-only province viewer without login (simulated data and no accounts only)."""
    st.session_state.update(
        user=None, token=None, username=None, scope=Scope.everything("demo"), demo=True
    )


def end_session(revoke: bool) -> None:
    """Forget the session's user; with ``revoke``, end all of the user's sessions (logout)."""
    username = st.session_state.get("username")
    if revoke and username:
        accounts.logout(_accounts_file(), username)
    for key in ("user", "token", "username", "scope", "demo", "view", "view_url"):
        st.session_state.pop(key, None)


def role_label(role: str | None, lang: str) -> str:
    """A role's name in ``lang``."""
    return accounts.ROLES[role].label(lang) if role in accounts.ROLES else "—"


def audit_trail(since: Any = None, user: str | None = None) -> pd.DataFrame:
    """Session events and data changes, newest first (province: all; data admin: its own).

    Raises
    ------
    metrics.scope.ScopeError
        For roles without the ``audit`` right.

    """
    return accounts.audit_trail(
        _accounts_file(), reader(), scope(), _user(), since=since, user=user
    )
