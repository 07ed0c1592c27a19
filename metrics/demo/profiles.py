"""Who each simulated village is: character, multipliers, reform timing, laggard, rebound."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd

from metrics.demo import calibration as cal

_COLUMNS = ("code", "kind", "township_code", "county_code")


@dataclass(frozen=True)
class Profile:
    """Per-village attributes, aligned with ``code`` (sorted)."""

    code: np.ndarray
    township: np.ndarray  # township index, 0..n_townships-1
    community: np.ndarray  # bool: 社区
    character: np.ndarray  # farming | mixed | pastoral
    multipliers: np.ndarray  # (villages, indicators)
    laggard: np.ndarray  # bool
    midpoint: np.ndarray  # quarter index (0 = first period) where the reform is half done
    slope: np.ndarray  # logistic scale of the village's county, in quarters
    rebound: np.ndarray  # bool: in a county that rebounds in 2025
    rebound_counties: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.code)

    def subset(self, keep: slice | np.ndarray) -> Profile:
        """The same attributes for the villages selected by ``keep`` (a mask or a slice)."""
        arrays = {
            f.name: getattr(self, f.name)[keep]
            for f in fields(self)
            if isinstance(getattr(self, f.name), np.ndarray)
        }
        return replace(self, **arrays)

    def in_provinces(self, provinces: tuple[str, ...]) -> np.ndarray:
        """Mask of the villages whose code lies in one of ``provinces`` (``630000``)."""
        prefixes = {p[:2] for p in provinces}
        return np.array([c[:2] in prefixes for c in self.code], dtype=bool)

    def frame(self) -> pd.DataFrame:
        """One row per village: ``village_code, character, laggard, midpoint, rebound``."""
        return pd.DataFrame(
            {
                "village_code": self.code,
                "character": self.character,
                "laggard": self.laggard,
                "midpoint": self.midpoint,
                "rebound": self.rebound,
            }
        )


def profile(villages: pd.DataFrame, rng: np.random.Generator) -> Profile:
    """Draw the attributes of every village of the gazetteer.

    Parameters
    ----------
    villages
        Gazetteer rows with at least ``code, kind, township_code, county_code``.
    rng
        Random stream of this step.

    Returns
    -------
    Profile
        Aligned with the villages sorted by code.

    """
    v = villages.loc[:, list(_COLUMNS)].sort_values("code", ignore_index=True)
    counties, county_idx = np.unique(v["county_code"].to_numpy(dtype=object), return_inverse=True)
    _, township_idx = np.unique(v["township_code"].to_numpy(dtype=object), return_inverse=True)

    prefecture = v["county_code"].str[:4] + "00"
    character = prefecture.map(cal.PREFECTURE_CHARACTER).fillna("mixed").to_numpy(dtype=object)
    community = (v["kind"] == "社区").to_numpy()
    kinds = list(cal.CHARACTER_MULTIPLIERS)
    table = np.array([cal.CHARACTER_MULTIPLIERS[k] for k in kinds])
    multipliers = table[pd.Index(kinds).get_indexer(character)]
    multipliers[community] *= np.asarray(cal.COMMUNITY_MULTIPLIERS)

    lo, hi = (cal.period_index(p) for p in cal.MIDPOINT_RANGE)
    county_mid = rng.uniform(lo, hi, len(counties))
    county_slope = rng.uniform(*cal.SLOPE_RANGE, len(counties))
    # Exactly LAGGARD_SHARE of the villages lag, clustered: some counties lag more than others.
    weight = rng.beta(2.0, 2.0, len(counties))[county_idx]
    laggard = np.zeros(len(v), dtype=bool)
    count = round(cal.LAGGARD_SHARE * len(v))
    laggard[rng.choice(len(v), count, replace=False, p=weight / weight.sum())] = True
    midpoint = county_mid[county_idx] + rng.normal(0, cal.MIDPOINT_JITTER, len(v))

    early = np.flatnonzero(county_mid <= cal.period_index(cal.REBOUND_LATEST_MIDPOINT))
    n_rebound = max(1, round(cal.REBOUND_SHARE * len(counties)))
    if len(early) < n_rebound:
        early = np.argsort(county_mid)[:n_rebound]
    chosen = np.sort(rng.choice(early, n_rebound, replace=False))
    rebound_counties = tuple(str(c) for c in counties[chosen])

    return Profile(
        code=v["code"].to_numpy(dtype=object),
        township=township_idx,
        community=community,
        character=character,
        multipliers=multipliers,
        laggard=laggard,
        midpoint=midpoint,
        slope=county_slope[county_idx],
        rebound=np.isin(county_idx, chosen),
        rebound_counties=rebound_counties,
    )
