"""Generate the whole simulated data set from a gazetteer and a seed (pure: frames out)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from metrics import registry
from metrics.demo import anomalies, departments, items, observations, profiles, reform, reports
from metrics.demo import calibration as cal

Progress = Callable[[str], None]


@dataclass(frozen=True)
class DemoData:
    """The generated tables (``batch_id`` is added on writing) and a little ground truth.

    ``village_code``, ``period`` and ``indicator`` of the large frames are categoricals.
    ``anomaly`` holds the ``demo_anomaly`` rows; ``profile`` one row per village (character,
    laggard, reform midpoint, rebound).
    """

    department: pd.DataFrame
    item: pd.DataFrame
    observation: pd.DataFrame
    report: pd.DataFrame
    village_item: pd.DataFrame
    visit: pd.DataFrame
    visit_value: pd.DataFrame
    anomaly: pd.DataFrame
    profile: pd.DataFrame
    rebound_counties: tuple[str, ...]

    def tables(self) -> dict[str, pd.DataFrame]:
        """The frames that become database tables, by table name."""
        names = {f.name for f in fields(self)} - {"profile", "rebound_counties"}
        return {("demo_anomaly" if n == "anomaly" else n): getattr(self, n) for n in sorted(names)}


def _categorical(index: np.ndarray, categories) -> pd.Categorical:
    return pd.Categorical.from_codes(index, categories=pd.Index(categories, dtype=object))


def _observation_frame(values: np.ndarray, reported: np.ndarray, codes: np.ndarray) -> pd.DataFrame:
    v, t = np.nonzero(reported)
    k = len(registry.CODES)
    return pd.DataFrame(
        {
            "village_code": _categorical(np.repeat(v, k), codes),
            "period": _categorical(np.repeat(t, k), cal.PERIODS),
            "indicator": _categorical(np.tile(np.arange(k), len(v)), registry.CODES),
            "value": values[v, t].ravel().astype(np.int32),
        }
    )


def _village_item_frame(
    values: np.ndarray,
    reported: np.ndarray,
    profile: profiles.Profile,
    cleaning: np.ndarray,
    catalogue: pd.DataFrame,
    rng: np.random.Generator,
) -> pd.DataFrame:
    parts = []
    for indicator in departments.ITEM_INDICATORS:
        k = registry.CODES.index(indicator)
        counts = np.where(reported, values[:, :, k], 0)
        rows = catalogue[catalogue["indicator"] == indicator]
        parts.append(items.select(indicator, rows, counts, profile, cleaning, rng))
    v, t, ids = (np.concatenate(a) for a in zip(*parts, strict=True))
    return pd.DataFrame(
        {
            "village_code": _categorical(v, profile.code),
            "period": _categorical(t, cal.PERIODS),
            "item_id": ids.astype(np.int32),
        }
    )


def generate(
    villages: pd.DataFrame,
    *,
    seed: int = 7,
    progress: Progress | None = None,
    detail: tuple[str, ...] | None = None,
) -> DemoData:
    """Simulate every village of a gazetteer over :data:`~metrics.demo.calibration.PERIODS`.

    Parameters
    ----------
    villages
        Gazetteer villages: at least ``code, kind, township_code, county_code``.
    seed
        Seed of the one random generator; the same seed gives identical frames.
    progress
        Called with a short message before each step.
    detail
        Province codes (``630000``) whose villages get ``village_item`` rows; ``None``: all.

    Returns
    -------
    DemoData

    Examples
    --------
    >>> import pandas as pd
    >>> gaz = pd.DataFrame({"code": ["630102001001", "630102001002", "630102001003"],
    ...                     "kind": ["村", "村", "社区"], "township_code": ["630102001000"] * 3,
    ...                     "county_code": ["630102"] * 3})
    >>> generate(gaz).observation["period"].nunique()
    16

    """
    say = progress or (lambda _msg: None)
    streams = np.random.default_rng(seed).spawn(7)
    say(f"模拟 {len(villages)} 个村（社区）的负担 / simulating {len(villages)} villages")
    profile = profiles.profile(villages, streams[0])
    done = reform.progress(profile)
    effective = reform.effective(profile, done)
    base, post = observations.levels(profile, streams[1])
    background = observations.values(profile, base, post, done, effective, streams[2])
    background = anomalies.break_accidents(background, profile.township)
    planted = anomalies.plant(background, profile, streams[3])

    say("生成事项明细 / assigning items to villages")
    catalogue = departments.item_frame()
    keep = slice(None) if detail is None else profile.in_provinces(detail)
    village_item = _village_item_frame(
        planted.values[keep],
        planted.reported[keep],
        profile.subset(keep),
        items.cleaning(profile, effective)[keep],
        catalogue,
        streams[4],
    )
    say("生成报送和核查记录 / reports and visits")
    visit, visit_value = reports.visits(
        planted.values,
        background,
        planted.reported,
        done,
        planted.drop_visits,
        profile,
        streams[6],
    )
    return DemoData(
        department=departments.department_frame(),
        item=catalogue.drop(columns="tag"),
        observation=_observation_frame(planted.values, planted.reported, profile.code),
        report=reports.reports(planted.reported, profile, streams[5]),
        village_item=village_item,
        visit=visit,
        visit_value=visit_value,
        anomaly=planted.truth,
        profile=profile.frame(),
        rebound_counties=profile.rebound_counties,
    )
