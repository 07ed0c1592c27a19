"""The numbers behind the simulated data, as data (source: ``shared/domain/calibration.md`` §5).

§5 gives *annual* figures per village for 2022 (baseline) and 2024/25 (post-reform). The registry
defines *quarterly* values, so every figure here is already converted; ``conversion`` says how and
:func:`markdown_table` renders the table that ``data/README.md`` carries (a test keeps them equal).
All distributions are demo assumptions, tagged [GUESS]; the anchors are the verified figures they
lean on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from metrics import periods, registry

Model = Literal["stock", "flow", "plaques", "review"]

PERIODS: tuple[str, ...] = tuple(f"{y}Q{q}" for y in range(2022, 2026) for q in range(1, 5))
BASELINE_PERIOD = "2022Q1"
REFORM_START = "2022Q3"  # 厅字〔2022〕28号 (2022-08)
# Counties reach half their reform at a midpoint drawn between these two quarters.
MIDPOINT_RANGE = ("2023Q1", "2024Q4")
SLOPE_RANGE = (0.8, 1.4)  # logistic scale in quarters: smaller is a faster county
MIDPOINT_JITTER = 0.6  # sd (quarters) of a village's midpoint around its county's


@dataclass(frozen=True)
class Spread:
    """Quarterly level of one indicator across farming villages: median, quartiles, ceiling."""

    median: float
    q1: float
    q3: float
    cap: float


@dataclass(frozen=True)
class Calibration:
    """How one indicator is simulated, and the evidence for it."""

    indicator: str
    model: Model
    baseline: Spread
    post: Spread
    annual_baseline: str  # §5, as written (annual)
    annual_post: str
    conversion: str
    anchor: str
    floor: float = 0.0
    tag: str = "[GUESS]"


CALIBRATIONS: tuple[Calibration, ...] = (
    Calibration(
        "tasks",
        "stock",
        Spread(60, 40, 85, 120),
        Spread(30, 25, 40, 60),
        "median 60, IQR 40–85, max ~120; 30–50% off-list",
        "median 30, IQR 25–40; off-list ≤ 5%",
        "stock: the level at quarter end equals the annual count",
        "印江 28 departments / 86 data needs [V]; Shanxi rule 1 [V]",
    ),
    Calibration(
        "forms",
        "flow",
        Spread(50, 36, 63, 90),
        Spread(21, 15, 25, 30),
        "median 90, IQR 65–115, max ~160",
        "median 38, IQR 28–45, cap ~41",
        "flow: ≈ 0.55 × annual (40% recur every quarter, 60% once a year: 0.4 + 0.6/4)",
        "宿迁 89 (max 156); 黔南 102→41; Jiangxi 91→39 [V]",
    ),
    Calibration(
        "platforms",
        "stock",
        Spread(15, 10, 25, 60),
        Spread(5, 3, 7, 12),
        "median 15, IQR 10–25, tail 60+; 3–6 with forced features",
        "median 5, IQR 3–7; 0 with forced features",
        "stock: the level at quarter end equals the annual count",
        "洞头 64→6; Sichuan −23%; 黔南 halved [V]",
    ),
    Calibration(
        "mechanisms",
        "stock",
        Spread(24, 19, 29, 40),
        Spread(7, 6, 8, 8),
        "15–35",
        "≤ 8, only those required by law or the centre",
        "stock: the level at quarter end equals the annual count",
        "Shanxi rule 6 [V]; no numeric source",
    ),
    Calibration(
        "plaques",
        "plaques",
        Spread(11, 8, 15, 25),
        Spread(6, 6, 6, 6),
        "median 11, IQR 8–15, extreme ~25",
        "6 (互助 standard)",
        "stock, never below the 6 standard signs; removed in one clean-up quarter",
        "互助 1,500+ removed / 294 villages, 6 kept; 江古山 24 outside [V]",
        floor=6,
    ),
    Calibration(
        "certificates",
        "flow",
        Spread(14, 8, 22, 50),
        Spread(5, 4, 7, 8),
        "types: median 25, IQR 15–40, extreme 100+",
        "≤ provincial positive list (~5–10); none of the national 20",
        "flow: distinct types ≈ 0.55 × annual types (common ones every quarter)",
        "national negative list of 20; Shanxi 5 positive; “110多项” extreme [V]",
    ),
    Calibration(
        "assessments",
        "review",
        Spread(2.0, 1.5, 2.5, 3.0),
        Spread(0.25, 0.25, 0.25, 0.25),
        "5–12 (by departments)",
        "1 (township annual review)",
        "flow: annual/4 expected a quarter — the township's one review a year (in the village's "
        "own quarter) plus Poisson separate ones",
        "[U] one-review rule; 洞头 rankings 15→8 [V]",
    ),
)
BY_INDICATOR: dict[str, Calibration] = {c.indicator: c for c in CALIBRATIONS}

Character = Literal["farming", "mixed", "pastoral"]
CHARACTER_LABELS: dict[Character, str] = {
    "farming": "farming east (西宁, 海东)",
    "mixed": "mixed (海北, 黄南, 海南, 海西)",
    "pastoral": "pure pastoral (果洛, 玉树)",
}
# Prefecture character (calibration.md §1.2); unknown prefectures count as mixed.
PREFECTURE_CHARACTER: dict[str, Character] = {
    "630100": "farming",  # 西宁
    "630200": "farming",  # 海东
    "632200": "mixed",  # 海北
    "632300": "mixed",  # 黄南
    "632500": "mixed",  # 海南
    "632800": "mixed",  # 海西
    "632600": "pastoral",  # 果洛
    "632700": "pastoral",  # 玉树
}
# Multipliers by indicator, in registry order. Pastoral: fewer forms and apps, more grassland
# and ecology tasks (草畜平衡, 禁牧, 生态管护员).
CHARACTER_MULTIPLIERS: dict[Character, tuple[float, ...]] = {
    "farming": (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0),
    "mixed": (0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9),
    "pastoral": (1.2, 0.8, 0.8, 0.9, 0.9, 0.9, 0.9),
}
# Communities (社区): no grassland tasks, more forms and platforms, more plaques and certificates.
COMMUNITY_MULTIPLIERS: tuple[float, ...] = (0.85, 1.2, 1.4, 1.1, 1.3, 1.3, 1.0)

LAGGARD_SHARE = 0.15  # villages that keep 1.5–2× the post-reform level
LAGGARD_FACTOR = (1.5, 2.0)
LAGGARD_CLEANING = 0.3  # laggards drop off-list items at this fraction of the reform's pace
REBOUND_SHARE = 0.09  # of counties (at least one), chosen among early reformers
REBOUND_LATEST_MIDPOINT = "2023Q4"
# Share of the reform given back by rebound counties, by quarter (later quarters hold the last).
REBOUND_GIVEBACK: dict[str, float] = {"2025Q2": 0.25, "2025Q3": 0.5}

LATE_SHARE = 0.05  # mean share of late reports; chronic latecomers carry most of it
VISIT_SHARE = 0.05  # villages visited per quarter
VISIT_KINDS: dict[str, float] = {"督查": 0.4, "抽查": 0.4, "调研": 0.2}

# Planted integrity anomalies, as shares of villages (about 4% in all; each village at most one).
ANOMALY_SHARES: dict[str, float] = {
    "copy_paste": 0.010,
    "sudden_drop": 0.010,
    "round_heaping": 0.008,
    "missing_report": 0.012,
}


def period_index(period: str) -> int:
    """Position of ``period`` in :data:`PERIODS` (may be outside it)."""
    return periods.quarter(period) - periods.quarter(PERIODS[0])


def _fmt(x: float) -> str:
    return f"{x:g}"


def markdown_table() -> str:
    """The calibration table of ``data/README.md`` (indicator × baseline × post-reform)."""
    head = (
        "| 指标 indicator | 单位 unit | §5 baseline 2022 (annual) | §5 post-reform 2024/25 "
        "(annual) | quarterly conversion | quarterly baseline: median (IQR), ceiling | "
        "quarterly post-reform: median (IQR), ceiling | anchor | tag |\n"
        "|---|---|---|---|---|---|---|---|---|"
    )
    rows = []
    for c in CALIBRATIONS:
        ind = registry.BY_CODE[c.indicator]
        b, p = c.baseline, c.post
        rows.append(
            f"| `{c.indicator}` {ind.name_zh} | {ind.unit_zh} {ind.unit_en} | {c.annual_baseline} "
            f"| {c.annual_post} | {c.conversion} | {_fmt(b.median)} ({_fmt(b.q1)}–{_fmt(b.q3)}), "
            f"{_fmt(b.cap)} | {_fmt(p.median)} ({_fmt(p.q1)}–{_fmt(p.q3)}), {_fmt(p.cap)} "
            f"| {c.anchor} | {c.tag} |"
        )
    return "\n".join([head, *rows])


def multipliers_table() -> str:
    """The multiplier table of ``data/README.md`` (character and communities × indicator)."""
    rows = [
        f"| {CHARACTER_LABELS[k]} | " + " | ".join(map(_fmt, m)) + " |"
        for k, m in CHARACTER_MULTIPLIERS.items()
    ]
    rows.append(
        "| communities (社区), on top | " + " | ".join(map(_fmt, COMMUNITY_MULTIPLIERS)) + " |"
    )
    head = "| | " + " | ".join(registry.CODES) + " |\n|" + "---|" * (len(registry.CODES) + 1)
    return "\n".join([head, *rows])
