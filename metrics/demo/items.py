"""Which items each village holds in each quarter (``village_item``), matching its counts.

Every village ranks the items of an indicator once (its own taste plus the item's prevalence
and tags), so it keeps mostly the same stock items from quarter to quarter and simply holds its
top ``n``. As the reform advances, off-list items sink to the bottom of the ranking and go first;
a few "sticky" off-list items sink slowly, and laggards clean up at a fraction of the pace. Flows
(forms, certificates) add a fresh shuffle every quarter.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.demo import calibration as cal
from metrics.demo.profiles import Profile

ON_LIST_PREFERENCE = {"platforms": 0.8}  # others: DEFAULT_PREFERENCE
DEFAULT_PREFERENCE = 0.3
OFFLIST_PENALTY = 6.0
STICKY_PENALTY = 3.0
STICKY_SHARE = 0.1
CHURN = {"forms": 0.5, "certificates": 0.5}
AWAY = -6.0  # items a village of this kind practically never holds
# Score bonus of a tag by village character (communities: see ``_tag_bonus``).
GRASSLAND_BONUS = {"farming": -1.5, "mixed": 0.3, "pastoral": 1.5}


def _tag_bonus(profile: Profile, tags: np.ndarray) -> np.ndarray:
    """Bonus of each item for each village, ``(villages, items)``."""
    bonus = np.zeros((len(profile), len(tags)))
    grass = pd.Series(profile.character).map(GRASSLAND_BONUS).to_numpy(dtype=float)
    bonus[:, tags == "牧"] = grass[:, None]
    community = profile.community[:, None]
    bonus[:, tags == "社"] = np.where(community, 1.5, AWAY)
    rural_only = (tags == "牧") | (tags == "村")
    bonus[:, rural_only] = np.where(community, AWAY, bonus[:, rural_only])
    return bonus


def select(
    indicator: str,
    catalogue: pd.DataFrame,
    counts: np.ndarray,
    profile: Profile,
    cleaning: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Items held for one indicator: village index, period index and ``item_id`` arrays.

    Parameters
    ----------
    indicator
        Registry code.
    catalogue
        Its rows of :func:`metrics.demo.departments.item_frame`.
    counts
        Values ``(villages, periods)``; 0 where nothing is held or reported. Must not exceed the
        number of items.
    profile
        The villages.
    cleaning
        How far each village has removed off-list items, ``(villages, periods)``, 0..1.
    rng
        Random stream of this step.

    """
    on_list = catalogue["on_list"].to_numpy(dtype=bool)
    j = len(on_list)
    if counts.max(initial=0) > j:
        raise ValueError(f"{indicator}: a count exceeds the {j} items of the catalogue")
    preference = np.where(on_list, ON_LIST_PREFERENCE.get(indicator, DEFAULT_PREFERENCE), 0.0)
    taste = rng.standard_normal((len(profile), j)) + preference
    taste += _tag_bonus(profile, catalogue["tag"].to_numpy(dtype=object))
    sticky = rng.random(j) < STICKY_SHARE
    penalty = np.where(on_list, 0.0, np.where(sticky, STICKY_PENALTY, OFFLIST_PENALTY))
    score = (taste[:, None, :] - penalty * cleaning[:, :, None]).astype(np.float32)
    if indicator in CHURN:
        score += CHURN[indicator] * rng.standard_normal(score.shape, dtype=np.float32)
    order = np.argsort(-score, axis=2)
    held = np.arange(j)[None, None, :] < counts[:, :, None]
    v, t, rank = np.nonzero(held)
    ids = catalogue["item_id"].to_numpy()[order[v, t, rank]]
    return v, t, ids


def cleaning(profile: Profile, effective: np.ndarray) -> np.ndarray:
    """Off-list clean-up progress ``(villages, periods)``: laggards lag behind."""
    pace = np.where(profile.laggard, cal.LAGGARD_CLEANING, 1.0)
    return effective * pace[:, None]
