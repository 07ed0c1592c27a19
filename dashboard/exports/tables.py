"""The app's tables as spreadsheets: headers in the reader's language with units, typed columns.

Each builder takes the frame the app (or the CLI) already has from ``metrics`` and returns a
:class:`metrics.exports.sheets.Table`; ``metrics.exports.sheets`` writes it as XLSX or CSV.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from dashboard.exports.titles import Caption
from dashboard.i18n import t
from metrics import periods, registry
from metrics.exports.sheets import Column, Table, csv_bytes, xlsx_bytes

WRITERS = {"xlsx": xlsx_bytes, "csv": csv_bytes}
FORMATS = tuple(WRITERS)


def write(table: Table, fmt: str) -> bytes:
    """``table`` as an XLSX or CSV file (a key of :data:`WRITERS`)."""
    return WRITERS[fmt](table)


def with_unit(label: str, unit: str, lang: str = "zh") -> str:
    """``label（unit）`` in Chinese, ``label (unit)`` in English.

    Examples
    --------
    >>> with_unit("较基期变化", "%"), with_unit("Change", "%", "en")
    ('较基期变化（%）', 'Change (%)')

    """
    return f"{label}（{unit}）" if lang == "zh" else f"{label} ({unit})"


def value_header(indicator: str, lang: str = "zh") -> str:
    """Header of an indicator's (or the index's) values, with its unit.

    Examples
    --------
    >>> value_header("plaques"), value_header("index")
    ('挂牌（块）', '负担指数（基期中位村 = 100）')

    """
    found = registry.get(indicator, allow_index=True)
    if found is None:
        unit = t("unit_index", lang)
    else:
        unit = found.unit_zh if lang == "zh" else found.unit_en
    return with_unit(registry.label(indicator, lang), unit, lang)


def _table(cap: Caption, frame: pd.DataFrame, columns: list[Column], lang: str) -> Table:
    return Table(
        title=cap.title,
        frame=frame,
        columns=tuple(columns),
        about=cap.about(lang),
        marking=cap.marking,
        sheet=t("export_sheet_data", lang),
        about_sheet=t("export_sheet_about", lang),
    )


def _pct(label: str, lang: str) -> str:
    return with_unit(label, "%", lang)


def listing_table(
    listing: pd.DataFrame, cap: Caption, *, indicator: str, lang: str = "zh"
) -> Table:
    """Regions or villages of one level (``metrics.queries.query`` columns), heaviest first."""
    frame = listing.assign(
        targets_met=100 * (1 - listing["over_target_share"]),
        reported_pct=100 * listing["reported_share"],
    )
    columns = [
        Column("name", t("col_name", lang)),
        Column("code", t("m_code", lang), "code"),
        Column("mean", value_header(indicator, lang), "number"),
        Column("rank", t("col_rank", lang), "int"),
        Column("peers", t("export_col_peers", lang), "int"),
        Column("change_vs_baseline_pct", _pct(t("col_change", lang), lang), "signed"),
        Column("change_vs_year_ago_pct", _pct(t("export_col_year_ago", lang), lang), "signed"),
        Column("targets_met", _pct(t("col_targets_met", lang), lang), "number"),
        Column("villages", t("col_villages", lang), "int"),
        Column("reported_pct", _pct(t("reporting_share", lang), lang), "number"),
    ]
    return _table(cap, frame, columns, lang)


def trend_table(
    series: Mapping[str, pd.DataFrame], cap: Caption, *, indicator: str, lang: str = "zh"
) -> Table:
    """Every quarter of each named series (``metrics.queries.trend`` frames), one row each."""
    frame = pd.concat(
        [df.assign(region=name) for name, df in series.items()], ignore_index=True
    ).assign(quarter=lambda d: [periods.label(p, lang) for p in d["period"]])
    frame["over_pct"] = 100 * frame["over_target_share"]
    columns = [
        Column("region", t("region", lang)),
        Column("period", t("export_col_period_code", lang), "code"),
        Column("quarter", t("period", lang)),
        Column("mean", value_header(indicator, lang), "number"),
        Column("change_vs_baseline_pct", _pct(t("col_change", lang), lang), "signed"),
        Column("change_vs_year_ago_pct", _pct(t("export_col_year_ago", lang), lang), "signed"),
        Column("over_pct", _pct(t("export_col_over", lang), lang), "number"),
        Column("reported", t("export_col_reported", lang), "int"),
    ]
    return _table(cap, frame, columns, lang)


def peers_table(table: pd.DataFrame, cap: Caption, *, indicator: str, lang: str = "zh") -> Table:
    """A peer comparison (``metrics.comparison.TABLE_COLUMNS``), ranked."""
    frame = table.assign(targets_pct=100 * table["targets_met"])
    columns = [
        Column("rank", t("col_rank", lang), "int"),
        Column("name", t("col_name", lang)),
        Column("code", t("m_code", lang), "code"),
        Column("mean", value_header(indicator, lang), "number"),
        Column("percentile", t("peers_percentile", lang), "number"),
        Column("vs_median_pct", _pct(t("peers_vs_median", lang), lang), "signed"),
        Column("change_vs_baseline_pct", _pct(t("col_change", lang), lang), "signed"),
        Column("targets_pct", _pct(t("col_targets_met", lang), lang), "number"),
    ]
    return _table(cap, frame, columns, lang)


def departments_table(league: pd.DataFrame, cap: Caption, lang: str = "zh") -> Table:
    """Departments' items in a region (``metrics.departments.league``), ranked."""
    levels = {"province": t("dept_level_province", lang), "county": t("dept_level_county", lang)}
    frame = league.assign(
        level_name=league["level"].map(levels).fillna(league["level"]),
        share_pct=100 * league["assignment_share"],
    )
    columns = [
        Column("rank", t("col_rank", lang), "int"),
        Column("name", t("col_department", lang)),
        Column("level_name", t("dept_level", lang)),
        Column("items", t("dept_items", lang), "int"),
        Column("assignments", t("dept_assignments", lang), "int"),
        Column("villages_reached", t("dept_villages", lang), "int"),
        Column("share_pct", _pct(t("dept_share", lang), lang), "number"),
        Column("offlist_items", t("dept_offlist_items", lang), "int"),
        Column("change_vs_previous_pct", _pct(t("dept_change", lang), lang), "signed"),
    ]
    return _table(cap, frame, columns, lang)


def target_text(code: str, lang: str = "zh") -> tuple[str, str]:
    """A target's rule and legal basis in ``lang``.

    Examples
    --------
    >>> target_text("plaques_max")[0]
    '外挂牌子不超过 6 块（一横四竖一标识）'

    """
    found = next(x for x in registry.TARGETS if x.code == code)
    return (found.rule_zh, found.basis_zh) if lang == "zh" else (found.rule_en, found.basis_en)


def compliance_table(shares: pd.DataFrame, cap: Caption, lang: str = "zh") -> Table:
    """Villages meeting, breaking and not judged on each target (``compliance.shares``)."""
    frame = shares.assign(
        rule=[target_text(c, lang)[0] for c in shares["target"]],
        basis=[target_text(c, lang)[1] for c in shares["target"]],
        indicator_name=[registry.label(c, lang) for c in shares["indicator"]],
        **{f"{k}_pct": 100 * shares[f"{k}_share"] for k in ("met", "broken", "unknown")},
    )
    columns = [
        Column("indicator_name", t("indicator", lang)),
        Column("rule", t("col_target", lang)),
        Column("met_pct", _pct(t("status_met", lang), lang), "number"),
        Column("broken_pct", _pct(t("status_broken", lang), lang), "number"),
        Column("unknown_pct", _pct(t("status_unknown", lang), lang), "number"),
        Column("villages", t("col_villages", lang), "int"),
        Column("basis", t("m_basis", lang)),
    ]
    return _table(cap, frame, columns, lang)


def department_items_table(items: pd.DataFrame, cap: Caption, lang: str = "zh") -> Table:
    """A department's items on the villages of a region (``metrics.departments.items``)."""
    answer = {True: t("export_yes", lang), False: t("export_no", lang)}
    frame = items.assign(
        indicator_name=[registry.label(c, lang) for c in items["indicator"]],
        on_list_text=items["on_list"].map(answer),
        reached_pct=100 * items["reached_share"],
    )
    columns = [
        Column("name", t("dept_item", lang)),
        Column("indicator_name", t("indicator", lang)),
        Column("on_list_text", t("dept_on_list", lang)),
        Column("villages_reached", t("dept_villages", lang), "int"),
        Column("reached_pct", _pct(t("dept_reached", lang), lang), "number"),
        Column("basis", t("m_basis", lang)),
    ]
    return _table(cap, frame, columns, lang)


def flag_text(codes: Sequence[str], names: Mapping[str, str]) -> str:
    """A village's flags by name, ``、``-separated.

    Examples
    --------
    >>> flag_text(("heaping", "late"), {"heaping": "数值取整", "late": "逾期报送"})
    '数值取整、逾期报送'

    """
    return "、".join(names[c] for c in codes)


def _villages(lang: str) -> list[Column]:
    return [
        Column("name", t("col_village", lang)),
        Column("village_code", t("col_village_code", lang), "code"),
        Column("township", t("col_township", lang)),
        Column("county", t("col_county", lang)),
    ]


def sample_table(
    picks: pd.DataFrame, cap: Caption, flag_names: Mapping[str, str], lang: str = "zh"
) -> Table:
    """The villages of an inspection sample (``metrics.sampling`` picks), in drawing order."""
    frame = picks.assign(
        draw_text=[t(f"insp_draw_{d}", lang) for d in picks["draw"]],
        flag_text=[flag_text(codes, flag_names) for codes in picks["flags"]],
    )
    columns = [
        *_villages(lang),
        Column("draw_text", t("insp_draw", lang)),
        Column("flag_text", t("insp_flags", lang)),
        Column("reasons", t("insp_reasons", lang)),
        Column(registry.INDEX_CODE, value_header(registry.INDEX_CODE, lang), "number"),
        *(Column(c, value_header(c, lang), "int") for c in registry.CODES),
    ]
    return _table(cap, frame, columns, lang)


def flags_table(
    flagged: pd.DataFrame, cap: Caption, flag_names: Mapping[str, str], lang: str = "zh"
) -> Table:
    """Flagged villages (``metrics.flags.summary`` rows) with their risk and reasons."""
    frame = flagged.assign(flag_text=[flag_text(codes, flag_names) for codes in flagged["flags"]])
    columns = [
        *_villages(lang),
        Column("flag_text", t("insp_flags", lang)),
        Column("risk", t("insp_risk", lang), "number"),
        Column(f"reasons_{lang}", t("insp_reasons", lang)),
    ]
    return _table(cap, frame, columns, lang)


def flag_counts_table(
    counts: pd.Series, cap: Caption, flag_names: Mapping[str, str], lang: str = "zh"
) -> Table:
    """Villages raising each flag (``counts``: villages by flag code), most first."""
    frame = pd.DataFrame(
        {"flag": [flag_names[c] for c in counts.index], "villages": counts.to_numpy()}
    )
    columns = [
        Column("flag", t("insp_flags", lang)),
        Column("villages", t("insp_flag_villages", lang), "int"),
    ]
    return _table(cap, frame, columns, lang)


def discrepancies_table(gaps: pd.DataFrame, cap: Caption, lang: str = "zh") -> Table:
    """Reported against verified by township (``metrics.discrepancy.by_region``)."""
    frame = gaps.assign(
        **{f"{k}_pct": 100 * gaps[f"{k}_share"] for k in ("inconsistent", "gap", "under")}
    )
    columns = [
        Column("name", t("col_township", lang)),
        Column("visits", t("insp_visits", lang), "int"),
        Column("inconsistent_pct", _pct(t("insp_inconsistent", lang), lang), "number"),
        Column("gap_pct", _pct(t("insp_with_gap", lang), lang), "number"),
        Column("under_pct", _pct(t("insp_under", lang), lang), "number"),
        Column("mean_abs_gap", t("insp_mean_gap", lang), "number"),
    ]
    return _table(cap, frame, columns, lang)
