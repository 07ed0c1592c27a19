"""Integrity and risk flags of villages in a quarter, each with a plain-language reason.

A village is judged against its township and the province, then the villages the caller may
see are kept. Every flag but ``heaviest`` compares a village only with its own township (or with
nothing), so the flags of a township or one of its villages are judged on that township's rows
alone; ``heaviest`` ranks against the whole province, through the quarter's :class:`Ranking`
(one cheap query, reusable for every township). Thresholds come from configuration (``flag_*``
settings, see :class:`Thresholds`) and are stated on the methodology page. The flags
(:data:`FLAGS`):

- ``heaviest``: burden index in the top ``top_share`` of the quarter (村 among 村, 社区 among 社区);
- ``targets_broken``: at least ``targets_min`` policy targets broken (:mod:`metrics.compliance`);
- ``sudden_drop``: an indicator whose previous value is at least ``drop_min_previous`` falls by
  at least ``drop_share`` on the previous quarter while the median of the township's *other*
  villages moves by less than ``drop_township_move``; once the next quarter is in, the fall
  stands only if the value is back to ``drop_return`` of the previous one (a lasting fall is a
  reform, not a doubtful report — in the latest quarter the flag is provisional);
- ``identical``: at least ``identical_min`` villages of one township report the same vector of
  values in the quarter;
- ``round_heaping``: every reported value a multiple of ``heap_base`` (not all zero) for a run of
  at least ``heap_quarters`` consecutive quarters that includes this one;
- ``missing_report``: no report and no values for the quarter;
- ``late_report``: the report arrived after the deadline (:func:`metrics.reporting.deadline`);
- ``rebound``: the village's index rose two quarters running, by at least ``rebound_rise``
  each time, after falling below its baseline by the regions' rule (:mod:`metrics.progress`);
- ``visit_gap``: a visit that checked one of the last ``visit_lookback`` quarters found a large
  gap between reported and verified counts (:mod:`metrics.discrepancy`).

A flag multiplies a village's **risk** (1 without flags) by its ``odds``: a risk-weighted
inspection draw (:mod:`metrics.sampling`) picks a village with identical reports about 100 times
as readily as an unflagged village of its county.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

import pandas as pd

from metrics import (
    discrepancy,
    hierarchy,
    periods,
    progress,
    registry,
    reporting,
    selection,
    settings,
    sql,
)
from metrics.scope import Scope, require, require_at


@dataclass(frozen=True)
class Thresholds:
    """The flags' thresholds; :meth:`configured` reads the ``flag_<name>`` settings."""

    top_share: float
    targets_min: int
    drop_share: float
    drop_min_previous: int
    drop_township_move: float
    drop_return: float
    identical_min: int
    heap_base: int
    heap_quarters: int
    rebound_rise: float
    gap_share: float
    gap_min: int
    visit_lookback: int

    @classmethod
    def configured(cls, **explicit: Any) -> Thresholds:
        """Thresholds from configuration, with ``explicit`` values taking precedence.

        Examples
        --------
        >>> Thresholds.configured(top_share=0.05).top_share
        0.05

        """
        return cls(
            **{f.name: settings.get(f"flag_{f.name}", explicit.get(f.name)) for f in fields(cls)}
        )


Row = Mapping[str, Any]


def _label(code: str, lang: str) -> str:
    return registry.label(code, lang)


def _names(names: list[str], lang: str, most: int = 3) -> str:
    sep = "、" if lang == "zh" else ", "
    shown = sep.join(names[:most])
    more = len(names) - most
    if more <= 0:
        return shown
    return f"{shown}等 {len(names)} 个" if lang == "zh" else f"{shown} and {more} more"


def _heaviest(r: Row, lang: str) -> str:
    community = r["kind"] == "社区"
    pct, top = 100 * r["percentile"], r["top_share"]
    if lang == "zh":
        who = "社区" if community else "建制村"
        return f"负担指数 {r['value']:.0f}，居全省{who}第 {pct:.0f} 百分位（最重的 {top:.0%}）"
    who = "communities" if community else "villages"
    return (
        f"Burden index {r['value']:.0f}, percentile {pct:.0f} of the province's {who} "
        f"(heaviest {top:.0%})"
    )


_RULES = {t.code: {"zh": t.rule_zh, "en": t.rule_en} for t in registry.TARGETS}


def _targets(r: Row, lang: str) -> str:
    zh = lang == "zh"
    parts = [
        f"{_RULES[code][lang]}（{checked:g}）" if zh else f"{_RULES[code][lang]} ({checked:g})"
        for code, checked in zip(r["targets"], r["checked"], strict=True)
    ]
    return ("未达标：" if zh else "Broken: ") + ("；" if zh else "; ").join(parts)


def _drop(r: Row, lang: str) -> str:
    fall = 100 * (1 - r["value"] / r["previous"])
    town = f"{r['township_move']:+.0f}%"
    if lang == "zh":
        return (
            f"{_label(r['indicator'], lang)}由上季度 {r['previous']:.0f} 降至 {r['value']:.0f}"
            f"（降 {fall:.0f}%），同乡镇中位数仅变化 {town}"
        )
    return (
        f"{_label(r['indicator'], lang)} fell from {r['previous']:.0f} to {r['value']:.0f} "
        f"(−{fall:.0f}%) while the township median moved {town}"
    )


def _identical(r: Row, lang: str) -> str:
    others = _names(list(r["others"]), lang)
    if lang == "zh":
        return f"与同乡镇{others}本季度报送的各项数值完全相同（共 {r['group_size']} 个村）"
    return f"Same values as {others} of the same township this quarter ({r['group_size']} villages)"


def _heaping(r: Row, lang: str) -> str:
    span = f"{r['run_start']}–{r['run_end']}"
    if lang == "zh":
        return f"连续 {r['run_length']} 个季度（{span}）报送的数值全部是 {r['heap_base']} 的倍数"
    return (
        f"Every reported value a multiple of {r['heap_base']} for {r['run_length']} "
        f"consecutive quarters ({span})"
    )


def _missing(r: Row, lang: str) -> str:
    return "本季度未报送" if lang == "zh" else "No report for this quarter"


def _late(r: Row, lang: str) -> str:
    day = pd.Timestamp(r["reported_at"]).strftime("%Y-%m-%d")
    if lang == "zh":
        return f"{day} 报送，超过截止日 {r['days_late']} 天"
    return f"Reported on {day}, {r['days_late']} days after the deadline"


def _rebound(r: Row, lang: str) -> str:
    steps = f"{r['before_previous']:.0f}→{r['previous']:.0f}→{r['value']:.0f}"
    if lang == "zh":
        return (
            f"负担指数较基期（{r['baseline_value']:.0f}）下降 {r['rebound_drop']:.0%} 以上后"
            f"连续两季回升：{steps}"
        )
    return (
        f"Index rose two quarters running ({steps}) after falling {r['rebound_drop']:.0%} or "
        f"more below its baseline ({r['baseline_value']:.0f})"
    )


def _gap(r: Row, lang: str) -> str:
    items = ("；" if lang == "zh" else "; ").join(
        f"{_label(g['indicator'], lang)} 报 {g['reported']} / 核 {g['verified']}"
        if lang == "zh"
        else f"{_label(g['indicator'], lang)} reported {g['reported']} / verified {g['verified']}"
        for g in r["gaps"]
    )
    if lang == "zh":
        return f"{r['visit_period']} {r['visit_kind']}发现报送与核实数差距大：{items}"
    return f"The {r['visit_period']} visit found large gaps: {items}"


@dataclass(frozen=True)
class Flag:
    """One flag: names, whether it concerns data integrity or burden, its odds, its rule.

    ``rule_zh``/``rule_en`` are templates over the :class:`Thresholds` fields.
    """

    code: str
    name_zh: str
    name_en: str
    kind: Literal["integrity", "risk"]
    odds: float
    rule_zh: str
    rule_en: str
    reason: Callable[[Row, str], str]

    def name(self, lang: str = "zh") -> str:
        """Display name in ``lang``."""
        return self.name_zh if lang == "zh" else self.name_en


FLAGS: tuple[Flag, ...] = (
    Flag(
        code="identical",
        name_zh="报送雷同",
        name_en="Identical reports",
        kind="integrity",
        odds=100,
        rule_zh="同一乡镇至少 {identical_min} 个村同一季度报送的各项数值完全相同",
        rule_en="At least {identical_min} villages of one township report the same values in a "
        "quarter",
        reason=_identical,
    ),
    Flag(
        code="round_heaping",
        name_zh="数值取整",
        name_en="Round-number heaping",
        kind="integrity",
        odds=100,
        rule_zh="连续至少 {heap_quarters} 个季度报送数值全部为 {heap_base} 的倍数（不全为 0）",
        rule_en="Every value a multiple of {heap_base} (not all zero) for at least "
        "{heap_quarters} consecutive quarters",
        reason=_heaping,
    ),
    Flag(
        code="sudden_drop",
        name_zh="骤降",
        name_en="Sudden drop",
        kind="integrity",
        odds=100,
        rule_zh="某项指标较上季度下降至少 {drop_share:.0%}（上季度至少 {drop_min_previous}），"
        "而同乡镇其他村的中位数变化不足 {drop_township_move:.0%}；已有下季度数据时，须回升到"
        "上季度的 {drop_return:.0%} 以上（持续下降视为减负，不是疑点）",
        rule_en="An indicator falls by {drop_share:.0%} or more on the previous quarter (from at "
        "least {drop_min_previous}) while the median of the township's other villages moves "
        "less than {drop_township_move:.0%}; once the next quarter is in, it must be back to "
        "{drop_return:.0%} of the previous value (a lasting fall is a reform, not a doubt)",
        reason=_drop,
    ),
    Flag(
        code="visit_gap",
        name_zh="核查差距",
        name_en="Gap at a visit",
        kind="integrity",
        odds=30,
        rule_zh="核查近 {visit_lookback} 个季度的实地核查发现某项指标核实数与报送数相差至少 "
        "{gap_min} 且至少 {gap_share:.0%}",
        rule_en="A visit checking one of the last {visit_lookback} quarters found an indicator "
        "off by at least {gap_min} and {gap_share:.0%}",
        reason=_gap,
    ),
    Flag(
        code="missing_report",
        name_zh="未报送",
        name_en="Missing report",
        kind="integrity",
        odds=30,
        rule_zh="本季度既无报表也无数据",
        rule_en="No report and no values for the quarter",
        reason=_missing,
    ),
    Flag(
        code="late_report",
        name_zh="逾期报送",
        name_en="Late report",
        kind="integrity",
        odds=3,
        rule_zh="季度结束后超过 {deadline_days} 天才报送",
        rule_en="Report arrived more than {deadline_days} days after quarter end",
        reason=_late,
    ),
    Flag(
        code="rebound",
        name_zh="反弹",
        name_en="Rebound",
        kind="risk",
        odds=5,
        rule_zh="负担指数较基期下降 {rebound_drop:.0%} 以上后，连续两个季度各回升至少 "
        "{rebound_rise:.0%}",
        rule_en="Index rose by at least {rebound_rise:.0%} two quarters running after falling "
        "{rebound_drop:.0%} below its baseline",
        reason=_rebound,
    ),
    Flag(
        code="heaviest",
        name_zh="负担最重",
        name_en="Heaviest burden",
        kind="risk",
        odds=3,
        rule_zh="负担指数居全省最重的 {top_share:.0%}（村与村比、社区与社区比）",
        rule_en="Burden index in the heaviest {top_share:.0%} of the province (villages among "
        "villages, communities among communities)",
        reason=_heaviest,
    ),
    Flag(
        code="targets_broken",
        name_zh="目标未达标",
        name_en="Targets broken",
        kind="risk",
        odds=1.5,
        rule_zh="至少 {targets_min} 项政策目标未达标",
        rule_en="At least {targets_min} policy targets broken",
        reason=_targets,
    ),
)
BY_CODE: dict[str, Flag] = {f.code: f for f in FLAGS}
CODES: tuple[str, ...] = tuple(BY_CODE)

# vill(code, name, kind, township_code, township, county_code, county): every village.
VILLAGES: sql.Cte = (
    "vill",
    """
    SELECT v.code, v.name, v.kind, t.code AS township_code, t.name AS township,
           c.code AS county_code, c.name AS county
    FROM region v LEFT JOIN region t ON t.code = v.parent_code
    LEFT JOIN region c ON c.code = t.parent_code
    WHERE v.level = 'village'
    """,
)
# ctx(code): the villages that share a township with a listed village (the whole deployment).
CONTEXT: sql.Cte = (
    "ctx",
    """
    SELECT v.code FROM vill v SEMI JOIN (
        SELECT township_code FROM vill WHERE code IN (SELECT code FROM sel_villages)) s
    ON v.township_code IS NOT DISTINCT FROM s.township_code
    """,
)
# The same for one township (``$township``, lineage ``$lineage``), when every listed village
# lies in it (a township or one of its villages): its villages are the context, and only their
# rows are read. (The flags need no county.)
TOWNSHIP_VILLAGES: sql.Cte = (
    "vill",
    "SELECT code, name, kind, parent_code AS township_code FROM region "
    "WHERE level = 'village' AND parent_code = $township",
)
TOWNSHIP_CONTEXT: sql.Cte = ("ctx", "SELECT code FROM vill")
# sel_villages(code, kind): as ``selection.VILLAGES_UNDER`` (communities included); a village's
# lineage is its code and its township's.
TOWNSHIP_SELECTED: sql.Cte = (
    "sel_villages",
    """
    SELECT code, kind FROM vill
    WHERE ($scope::VARCHAR[] IS NULL
           OR list_has_any(list_prepend(code, $lineage::VARCHAR[]), $scope::VARCHAR[]))
      AND ($parent::VARCHAR IS NULL
           OR list_contains(list_prepend(code, $lineage::VARCHAR[]), $parent::VARCHAR))
    """,
)
CONTEXT_OBS: sql.Cte = (
    "obs",
    "SELECT village_code, period, indicator, value FROM observation "
    "WHERE village_code IN (SELECT code FROM ctx)",
)
# ctx_gaps: the context's rows of ``discrepancy.GAPS``. For one township, its villages come as a
# list (``$villages``): a filter on a list reaches the scan of ``visit``, where a join with
# ``ctx`` would be applied only after every visit was joined with its values.
CONTEXT_GAPS: sql.Cte = ("ctx_gaps", "SELECT g.* FROM gaps g JOIN ctx ON ctx.code = g.village_code")
TOWNSHIP_GAPS: sql.Cte = (
    "ctx_gaps",
    "SELECT * FROM gaps WHERE list_contains($villages::VARCHAR[], village_code)",
)
# rep(village_code, reported_at): the context's reports of the quarter.
CONTEXT_REPORTS: sql.Cte = (
    "rep",
    "SELECT village_code, reported_at FROM report "
    "WHERE period = $period AND village_code IN (SELECT code FROM ctx)",
)

# The heaviest index values of the quarter, by kind (村 among 村, 社区 among 社区), with the
# number of villages of the kind that have an index (see :class:`Ranking`).
_RANKING = """
SELECT r.kind, x.value, count(*) OVER (PARTITION BY r.kind) AS villages,
       cume_dist() OVER (PARTITION BY r.kind ORDER BY x.value) AS percentile
FROM village_value x JOIN region r ON r.code = x.village_code
WHERE x.indicator = $index_code AND x.period = $period AND x.value IS NOT NULL
  AND r.level = 'village'
QUALIFY percentile > 1 - $top_share
"""

# The burden flags read the village results of the last roll-up rebuild (``village_value``,
# ``village_target``); the integrity flags read the reports themselves. ``heaviest`` lists the
# candidates (index at least the lowest heaviest value of any kind, ``$heavy_floor``); the
# quarter's :class:`Ranking` decides.
_HEAVIEST = """
SELECT 'heaviest' AS flag, x.village_code, x.value, v.kind
FROM village_value x JOIN vill v ON v.code = x.village_code
WHERE x.indicator = $index_code AND x.period = $period AND x.value >= $heavy_floor
"""
_TARGETS = """
SELECT 'targets_broken' AS flag, village_code,
       list(target ORDER BY target) AS targets, list(checked ORDER BY target) AS checked
FROM village_target WHERE status = 'broken' AND period = $period
  AND village_code IN (SELECT code FROM ctx)
GROUP BY village_code
HAVING count(*) >= $targets_min
"""
# pairs(township_code, village_code, indicator, previous, value): $previous → $period.
PAIRS: sql.Cte = (
    "pairs",
    """
    SELECT v.township_code, c.village_code, c.indicator, p.value AS previous, c.value
    FROM obs c JOIN vill v ON v.code = c.village_code
    JOIN obs p ON p.village_code = c.village_code AND p.indicator = c.indicator
         AND p.period = $previous
    WHERE c.period = $period
    """,
)
# A fall of a past quarter stands only if the next quarter is back (a lasting fall is a
# reform); the township median of the *other* villages must hold still.
_DROPS = """
SELECT 'sudden_drop' AS flag, f.village_code, f.indicator, f.previous, f.value,
       n.value AS next_value, 100 * (median(o.value) / median(o.previous) - 1) AS township_move
FROM pairs f
LEFT JOIN obs n ON n.village_code = f.village_code AND n.indicator = f.indicator
     AND n.period = $next
LEFT JOIN pairs o ON o.township_code = f.township_code AND o.indicator = f.indicator
     AND o.village_code <> f.village_code
WHERE f.previous >= $drop_min_previous AND f.value <= (1 - $drop_share) * f.previous
  AND (n.value IS NULL OR n.value >= $drop_return * f.previous)
GROUP BY ALL
HAVING COALESCE(abs(township_move), 0) < 100 * $drop_township_move
"""
_IDENTICAL = """
SELECT 'identical' AS flag, village_code, group_size,
       list_filter(names, lambda n, i: codes[i] <> village_code) AS others
FROM (
    SELECT unnest(codes) AS village_code, codes, names, group_size FROM (
        SELECT list(x.village_code ORDER BY x.village_code) AS codes,
               list(v.name ORDER BY x.village_code) AS names, count(*) AS group_size
        FROM (SELECT village_code, list((indicator, value) ORDER BY indicator) AS vector
              FROM obs WHERE period = $period GROUP BY village_code) x
        JOIN vill v ON v.code = x.village_code
        GROUP BY v.township_code, x.vector HAVING count(*) >= $identical_min))
"""
_HEAPING = """
SELECT 'round_heaping' AS flag, village_code, run_start, run_end, run_length,
       $heap_base AS heap_base
FROM (
    SELECT village_code, period, min(period) OVER r AS run_start, max(period) OVER r AS run_end,
           count(*) OVER r AS run_length
    FROM (
        SELECT h.village_code, h.period, q.quarter - row_number() OVER (
                   PARTITION BY h.village_code ORDER BY q.quarter) AS run
        FROM (SELECT village_code, period FROM obs GROUP BY ALL
              HAVING bool_and(value % $heap_base = 0) AND max(value) > 0) h
        JOIN quarters q ON q.period = h.period)
    WINDOW r AS (PARTITION BY village_code, run))
WHERE period = $period AND run_length >= $heap_quarters
"""
_MISSING = """
SELECT 'missing_report' AS flag, code AS village_code FROM ctx
WHERE code NOT IN (SELECT village_code FROM rep)
  AND code NOT IN (SELECT village_code FROM obs WHERE period = $period)
"""
_LATE = """
SELECT 'late_report' AS flag, village_code, min(reported_at) AS reported_at,
       date_diff('day', $due::DATE, min(reported_at)::DATE) AS days_late
FROM rep GROUP BY village_code
HAVING min(reported_at)::DATE > $due::DATE
"""
# ``village_value`` holds every quarter of every village, so the two quarters before
# ``$period`` are its two previous rows.
_REBOUND = """
SELECT 'rebound' AS flag, village_code, value, previous, before_previous, baseline_value,
       $rebound_drop AS rebound_drop
FROM (SELECT village_code, period, value, rebound, baseline_value,
             lag(value) OVER w AS previous, lag(value, 2) OVER w AS before_previous
      FROM village_value WHERE indicator = $index_code
        AND period BETWEEN $before_previous AND $period
        AND village_code IN (SELECT code FROM ctx)
      WINDOW w AS (PARTITION BY village_code ORDER BY period))
WHERE period = $period AND rebound AND value >= (1 + $rebound_rise) * previous
  AND previous >= (1 + $rebound_rise) * before_previous
"""
_VISIT_GAP = """
SELECT 'visit_gap' AS flag, village_code, arg_max(period, visit_id) AS visit_period,
       arg_max(kind, visit_id) AS visit_kind, arg_max(gaps, visit_id) AS gaps
FROM (SELECT visit_id, village_code, period, kind,
             list({'indicator': indicator, 'reported': reported, 'verified': verified}
                  ORDER BY indicator) FILTER (WHERE large) AS gaps
      FROM ctx_gaps WHERE period BETWEEN $lookback_start AND $period
      GROUP BY ALL)
WHERE len(gaps) > 0 GROUP BY village_code
"""
RAISED: sql.Cte = (
    "raised",
    "\nUNION ALL BY NAME\n".join(
        (_HEAVIEST, _TARGETS, _DROPS, _IDENTICAL, _HEAPING, _MISSING, _LATE, _REBOUND, _VISIT_GAP)
    ),
)

# What to judge: every village of the deployment, or one township's.
_WHOLE: tuple[sql.Cte, ...] = (selection.SEEN, selection.VILLAGES_UNDER, VILLAGES, CONTEXT)
_TOWNSHIP: tuple[sql.Cte, ...] = (TOWNSHIP_VILLAGES, TOWNSHIP_CONTEXT, TOWNSHIP_SELECTED)
_JUDGED: tuple[sql.Cte, ...] = (
    periods.QUARTERS,
    CONTEXT_OBS,
    CONTEXT_REPORTS,
    discrepancy.GAPS,
    PAIRS,
)
COLUMNS = ("village_code", "period", "flag", "indicator", "odds", "reason_zh", "reason_en")


def rules(thresholds: Thresholds | None = None) -> pd.DataFrame:
    """Every flag with its rule stated with the thresholds in force (methodology page).

    Columns: ``flag, name_zh, name_en, kind, odds, rule_zh, rule_en``.

    Examples
    --------
    >>> t = Thresholds.configured(top_share=0.1)
    >>> rules(t).set_index("flag").loc["heaviest", "rule_en"][:43]
    'Burden index in the heaviest 10% of the pro'

    """
    values = {
        **asdict(thresholds or Thresholds.configured()),
        **progress.PARAMS,
        "deadline_days": reporting.DEADLINE_DAYS,
    }
    return pd.DataFrame(
        [
            {
                "flag": f.code,
                "name_zh": f.name_zh,
                "name_en": f.name_en,
                "kind": f.kind,
                "odds": f.odds,
                "rule_zh": f.rule_zh.format(**values),
                "rule_en": f.rule_en.format(**values),
            }
            for f in FLAGS
        ]
    )


@dataclass(frozen=True)
class Ranking:
    """Where the heaviest burden starts in a quarter: the province-wide part of ``heaviest``.

    Per kind of village (村, 社区): ``counts`` — villages with an index in ``period``;
    ``heaviest`` — the index values in the heaviest ``top_share`` (cumulative distribution above
    ``1 - top_share``), ascending. Values only: no village is named.
    """

    period: str
    top_share: float
    counts: Mapping[str | None, int]
    heaviest: Mapping[str | None, tuple[float, ...]]

    @property
    def floor(self) -> float | None:
        """The lowest heaviest value of any kind (``None``: no index in the quarter)."""
        lowest = [values[0] for values in self.heaviest.values() if values]
        return min(lowest) if lowest else None

    def percentile(self, kind: str | None, value: float) -> float | None:
        """The province percentile of ``value`` among villages of ``kind`` if among the heaviest.

        As ``cume_dist``: the share of the kind's villages whose index is at most ``value``.

        Examples
        --------
        >>> r = Ranking("2025Q4", 0.25, {"村": 8}, {"村": (7.0, 9.0)})
        >>> r.percentile("村", 9.0), r.percentile("村", 8.0), r.percentile("村", 6.0)
        (1.0, 0.875, None)

        """
        top = self.heaviest.get(kind, ())
        if not top or value < top[0]:
            return None
        count = self.counts[kind]
        return (count - (len(top) - bisect_right(top, value))) / count


def ranking(
    db: sql.Queryable, period: str | None, scope: Scope, thresholds: Thresholds | None = None
) -> Ranking:
    """The quarter's :class:`Ranking` (default: the latest quarter), for :func:`raised`.

    Only a scope with the ``flags`` right may ask.
    """
    scope.need("flags")
    period = periods.require(db, period)
    top_share = (thresholds or Thresholds.configured()).top_share
    rows = sql.run(db, [], _RANKING, {"period": period, "top_share": top_share})
    kinds = [k if isinstance(k, str) else None for k in rows["kind"]]
    rows = rows.assign(kind=kinds).sort_values("value", kind="stable")
    return Ranking(
        period=period,
        top_share=top_share,
        counts={k: int(n) for k, n in zip(rows["kind"], rows["villages"], strict=True)},
        heaviest={
            k: tuple(float(v) for v in values)
            for k, values in rows.groupby("kind", dropna=False, sort=False)["value"]
        },
    )


def _township(place: hierarchy.Place) -> tuple[str, ...] | None:
    """The lineage of the township every village at ``place`` lies in (``None``: several).

    A village's parent, or the region itself when its children are villages.
    """
    if place.level == "village":
        return place.lineage[1:] or None
    return place.lineage if place.child_level == "village" else None


def raised(
    db: sql.Queryable,
    period: str | None,
    scope: Scope,
    region: str | None = None,
    thresholds: Thresholds | None = None,
    ranked: Ranking | None = None,
) -> pd.DataFrame:
    """Every flag raised in ``period`` (default: latest) on the villages below ``region``.

    Villages and communities in ``scope`` are listed; the comparisons (decile, township median,
    township groups) take in every village of the deployment. Only a scope with the ``flags``
    right may ask. ``ranked``: the quarter's :func:`ranking` under the same thresholds, when the
    caller has it already (it is the only province-wide part).

    Returns
    -------
    pandas.DataFrame
        :data:`COLUMNS` — one row per village and flag raised, in :data:`FLAGS` order within a
        village; ``indicator`` names the indicator of a sudden drop.

    Raises
    ------
    ValueError
        If ``ranked`` is of another quarter or share than asked.

    """
    scope.need("flags")
    township = None  # the lineage of the one township judged, if any
    if region is None:
        period = periods.require(db, period)
    else:
        place, period = require_at(db, scope, region, period)
        township = _township(place)
    t = thresholds or Thresholds.configured()
    ranked = ranked or ranking(db, period, scope, t)
    if (ranked.period, ranked.top_share) != (period, t.top_share):
        raise ValueError(
            f"the ranking is of {ranked.period} (top {ranked.top_share:g}), "
            f"not of {period} (top {t.top_share:g})"
        )
    if township is None:
        judged, villages = [*_WHOLE, *_JUDGED, CONTEXT_GAPS], None
    else:
        judged = [*_TOWNSHIP, *_JUDGED, TOWNSHIP_GAPS]
        villages = sql.run(
            db, [TOWNSHIP_VILLAGES], "SELECT code FROM vill", {"township": township[0]}
        )["code"].tolist()
    found = sql.run(
        db,
        [*judged, RAISED],
        "SELECT * FROM raised WHERE village_code IN (SELECT code FROM sel_villages)",
        {
            **selection.params(scope, region, include_communities=True),
            **asdict(t),
            **progress.PARAMS,
            "township": township[0] if township else None,
            "lineage": list(township) if township else None,
            "villages": villages,
            "period": period,
            "previous": periods.shift(period, -1),
            "before_previous": periods.shift(period, -2),
            "next": periods.shift(period, 1),
            "due": reporting.deadline(period).isoformat(),
            "lookback_start": periods.shift(period, 1 - t.visit_lookback),
            "heavy_floor": ranked.floor,
        },
    )
    return _with_reasons(_ranked(found, ranked), period)


def _ranked(found: pd.DataFrame, ranked: Ranking) -> pd.DataFrame:
    """The raw flag rows with the ``heaviest`` candidates judged by ``ranked``."""
    heavy = found["flag"] == "heaviest"
    if not heavy.any():
        return found
    candidates = found[heavy]
    kinds = [k if isinstance(k, str) else None for k in candidates["kind"]]
    percentile = pd.Series(
        [ranked.percentile(k, v) for k, v in zip(kinds, candidates["value"], strict=True)],
        index=candidates.index,
        dtype=float,
    )
    judged = candidates.assign(percentile=percentile, top_share=ranked.top_share)
    return pd.concat([found[~heavy], judged[percentile.notna()]], ignore_index=True)


def _with_reasons(found: pd.DataFrame, period: str) -> pd.DataFrame:
    """The raw flag rows with odds and reasons in both languages, in :data:`FLAGS` order."""
    order = {f.code: n for n, f in enumerate(FLAGS)}
    rows = []
    for r in found.to_dict("records"):
        flag = BY_CODE[r["flag"]]
        indicator = r.get("indicator") if isinstance(r.get("indicator"), str) else None
        reasons = (flag.reason(r, "zh"), flag.reason(r, "en"))
        rows.append((r["village_code"], period, flag.code, indicator, flag.odds, *reasons))
    rows.sort(key=lambda row: (row[0], order[row[2]], row[3] is not None, row[3] or ""))
    out = pd.DataFrame(rows, columns=list(COLUMNS), dtype=object)
    out["odds"] = out["odds"].astype(float)
    return out


def village_flags(
    db: sql.Queryable,
    village: str,
    period: str | None,
    scope: Scope,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """The flags of one village in ``period`` (as :func:`raised`)."""
    return raised(db, period, scope, village, thresholds)


def summary(
    db: sql.Queryable,
    period: str | None,
    scope: Scope,
    region: str | None = None,
    include_communities: bool = False,
    thresholds: Thresholds | None = None,
    ranked: Ranking | None = None,
) -> pd.DataFrame:
    """One row per village below ``region`` in scope, flagged or not (the inspection picker).

    Columns: ``village_code, name, kind, township_code, township, county_code, county, flags``
    (tuple of flag codes), ``risk`` (product of the flags' odds, 1 without), ``reasons_zh,
    reasons_en`` (``【flag】reason`` joined), by code. ``ranked`` as in :func:`raised`.
    """
    scope.need("flags")
    if region is not None:
        require(db, scope, region)
    period = periods.require(db, period)
    villages = sql.run(
        db,
        [hierarchy.BELOW, selection.SEEN, selection.VILLAGES_UNDER, VILLAGES],
        "SELECT v.* FROM vill v JOIN sel_villages s ON s.code = v.code ORDER BY v.code",
        selection.params(scope, region, include_communities),
    ).rename(columns={"code": "village_code"})
    found = raised(db, period, scope, region, thresholds, ranked)

    def joined(lang: str) -> pd.Series:
        names = found["flag"].map(lambda c: BY_CODE[c].name(lang))
        text = "【" + names + "】" + found[f"reason_{lang}"]
        return text.groupby(found["village_code"]).agg("；".join if lang == "zh" else "; ".join)

    per_village = pd.DataFrame(
        {
            "flags": found.groupby("village_code")["flag"].agg(tuple),
            "risk": found.groupby("village_code")["odds"].prod(),
            "reasons_zh": joined("zh"),
            "reasons_en": joined("en"),
        }
    )
    out = villages.merge(per_village, left_on="village_code", right_index=True, how="left")
    out["flags"] = out["flags"].map(lambda f: f if isinstance(f, tuple) else ())
    out["risk"] = out["risk"].fillna(1.0)
    out[["reasons_zh", "reasons_en"]] = out[["reasons_zh", "reasons_en"]].fillna("")
    return out.reset_index(drop=True)
