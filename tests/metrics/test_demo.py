"""The simulated data: determinism, completeness, item counts, reports, visits and anomalies.

Most tests run on a small synthetic gazetteer (2 prefectures, 3 counties, 6 townships, 80
villages); properties that only show at full size (calibration, no accidental anomaly patterns
among 74,000 village-quarters) use the shipped Qinghai gazetteer.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

import geodata
from metrics import registry
from metrics.demo import DemoData, calibration, generate
from metrics.demo.departments import ITEM_INDICATORS
from metrics.reporting import DEADLINE_DAYS

CODES = list(registry.CODES)
PERIODS = list(calibration.PERIODS)
# (county code, township sizes, communities in its first township)
SMALL_COUNTIES = [("630102", [20, 15], 8), ("630121", [12, 10], 0), ("632621", [13, 10], 2)]


def small_villages() -> pd.DataFrame:
    rows = []
    for county, sizes, communities in SMALL_COUNTIES:
        for i, size in enumerate(sizes, start=1):
            town = f"{county}{i:03d}000"
            for j in range(1, size + 1):
                kind = "社区" if i == 1 and j <= communities else "村"
                rows.append((f"{town[:9]}{j:03d}", f"村{j}", kind, town, f"镇{i}", county))
    return pd.DataFrame(
        rows, columns=["code", "name", "kind", "township_code", "township_name", "county_code"]
    )


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Categoricals as plain strings."""
    cats = [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)]
    return frame.astype(dict.fromkeys(cats, str))


def wide(data: DemoData) -> pd.DataFrame:
    """Observations as one row per reported village and period, one column per indicator."""
    obs = plain(data.observation)
    return obs.pivot(index=["village_code", "period"], columns="indicator", values="value")[CODES]


def full_grid(data: DemoData, villages: pd.DataFrame) -> pd.DataFrame:
    """``wide`` over every village and period (NaN where nothing was reported)."""
    index = pd.MultiIndex.from_product(
        [sorted(villages["code"]), PERIODS], names=wide(data).index.names
    )
    return wide(data).reindex(index)


def truth(data: DemoData, kind: str) -> pd.DataFrame:
    return data.anomaly[data.anomaly["kind"] == kind]


@pytest.fixture(scope="module")
def villages() -> pd.DataFrame:
    return small_villages()


@pytest.fixture(scope="module")
def data(villages) -> DemoData:
    return generate(villages, seed=7)


@pytest.fixture(scope="module")
def qinghai() -> pd.DataFrame:
    return geodata.load_villages("630000")


@pytest.fixture(scope="module")
def full(qinghai) -> DemoData:
    return generate(qinghai, seed=7)


def frames_db(data: DemoData) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB over the generated frames (fast joins over 9M item rows)."""
    con = duckdb.connect()
    for name, frame in {**data.tables(), "profile": data.profile}.items():
        con.register(f"_{name}", frame)
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM _{name}")
    return con


@pytest.fixture(scope="module")
def full_db(full) -> duckdb.DuckDBPyConnection:
    return frames_db(full)


# --- determinism and shape -------------------------------------------------------------------


def test_same_seed_gives_identical_frames(villages, data):
    again = generate(villages, seed=7)
    for name, frame in data.tables().items():
        pd.testing.assert_frame_equal(frame, again.tables()[name], obj=name)
    pd.testing.assert_frame_equal(data.profile, again.profile)
    assert data.rebound_counties == again.rebound_counties


def test_another_seed_gives_other_values(villages, data):
    other = generate(villages, seed=8)
    a, b = wide(data), wide(other)
    common = a.index.intersection(b.index)
    assert (a.loc[common] != b.loc[common]).to_numpy().mean() > 0.5


def test_progress_is_reported(villages):
    messages: list[str] = []
    generate(villages, seed=1, progress=messages.append)
    assert len(messages) >= 3 and all(isinstance(m, str) and m for m in messages)


def test_every_village_period_and_indicator_except_missing_reports(villages, data):
    obs = plain(data.observation)
    assert set(obs["indicator"]) == set(CODES)
    assert set(obs["period"]) == set(PERIODS)
    assert set(obs["village_code"]) == set(villages["code"])
    missing = len(truth(data, "missing_report"))
    assert len(obs) == (len(villages) * len(PERIODS) - missing) * len(CODES)
    assert not obs.duplicated(["village_code", "period", "indicator"]).any()


def test_values_are_plausible_integers(full):
    obs = plain(full.observation)
    assert obs["value"].dtype.kind == "i"
    ceiling = obs["indicator"].map({i.code: i.max_plausible for i in registry.INDICATORS})
    assert obs["value"].ge(0).all() and obs["value"].le(ceiling).all()


def test_the_simulation_is_marked_with_a_full_profile(villages, data):
    assert set(data.profile["village_code"]) == set(villages["code"])
    assert len(data.rebound_counties) == 1


# --- items ------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["small", "full"])
def test_item_counts_equal_observed_values_everywhere(which, request):
    data = request.getfixturevalue("data" if which == "small" else "full")
    con = frames_db(data)
    indicators = list(ITEM_INDICATORS)
    mismatches = con.execute(
        """
        WITH counts AS (
            SELECT v.village_code::VARCHAR AS village_code, v.period::VARCHAR AS period,
                   i.indicator, count(*) AS n
            FROM village_item v JOIN item i USING (item_id) GROUP BY ALL),
        obs AS (
            SELECT village_code::VARCHAR AS village_code, period::VARCHAR AS period,
                   indicator::VARCHAR AS indicator, value
            FROM observation WHERE list_contains($ind, indicator::VARCHAR))
        SELECT count(*) FROM obs FULL JOIN counts USING (village_code, period, indicator)
        WHERE obs.value IS DISTINCT FROM COALESCE(counts.n, 0)
        """,
        {"ind": indicators},
    ).fetchone()[0]
    assert mismatches == 0


def test_village_items_are_unique_and_from_the_catalogue(data):
    vi = plain(data.village_item)
    assert not vi.duplicated().any()
    assert vi["item_id"].isin(data.item["item_id"]).all()
    assert set(data.item["indicator"]) == set(ITEM_INDICATORS)


def test_stock_items_mostly_stay_from_quarter_to_quarter(full_db):
    kept = full_db.execute(
        """
        WITH t AS (
            SELECT village_code::VARCHAR AS v, period::VARCHAR AS p, item_id
            FROM village_item JOIN item USING (item_id) WHERE indicator = 'tasks'),
        n AS (SELECT v, p, count(*) AS held FROM t GROUP BY ALL),
        pairs AS (
            SELECT a.v, a.p, count(b.item_id) AS kept
            FROM t a LEFT JOIN t b ON b.v = a.v AND b.item_id = a.item_id
                AND b.p = CASE WHEN right(a.p, 1) = '4'
                               THEN (left(a.p, 4)::INT + 1)::VARCHAR || 'Q1'
                               ELSE left(a.p, 5) || (right(a.p, 1)::INT + 1)::VARCHAR END
            WHERE a.p < '2025Q4' GROUP BY ALL)
        SELECT median(kept / held) FROM pairs JOIN n USING (v, p)
        """
    ).fetchone()[0]
    assert kept >= 0.85


def offlist_share(con: duckdb.DuckDBPyConnection, period: str, laggard: bool) -> pd.Series:
    frame = con.execute(
        """
        SELECT indicator, 1 - avg(on_list::INT) AS share
        FROM village_item v JOIN item USING (item_id)
        JOIN profile p ON p.village_code = v.village_code::VARCHAR
        WHERE v.period::VARCHAR = $period AND p.laggard = $laggard
        GROUP BY indicator
        """,
        {"period": period, "laggard": laggard},
    ).df()
    return frame.set_index("indicator")["share"]


def test_reform_removes_offlist_items_first_and_laggards_keep_them(full_db):
    before = offlist_share(full_db, "2022Q1", laggard=False)
    after = offlist_share(full_db, "2025Q1", laggard=False)
    laggards = offlist_share(full_db, "2025Q1", laggard=True)
    assert 0.3 <= before["tasks"] <= 0.5  # calibration: 30–50% of tasks off any list
    assert (after <= 0.05).all()  # off-list share ≤ 5% (target 0)
    assert (laggards > 3 * after).all()


# --- calibration at full size ------------------------------------------------------------------


def kind_of(villages: pd.DataFrame) -> pd.Series:
    return villages.set_index("code")["kind"]


def test_baseline_medians_of_farming_villages_match_the_calibration(full, qinghai):
    w = wide(full).xs("2022Q1", level="period")
    farming = full.profile.set_index("village_code")["character"].eq("farming")
    rural = kind_of(qinghai).eq("村")
    medians = w[(farming & rural).reindex(w.index)].median()
    for c in calibration.CALIBRATIONS:
        if c.model != "review":
            assert medians[c.indicator] == pytest.approx(c.baseline.median, rel=0.15), c.indicator


def test_post_reform_levels_meet_targets_except_laggards(full):
    w = wide(full).xs("2025Q4", level="period")
    prof = full.profile.set_index("village_code").reindex(w.index)
    w, prof = w[~prof["rebound"]], prof[~prof["rebound"]]
    ok, slow = w[~prof["laggard"]], w[prof["laggard"]]
    assert (ok["plaques"] == 6).mean() >= 0.98
    assert (slow["plaques"] > 6).mean() >= 0.7
    assert (ok["certificates"] <= 8).mean() >= 0.9
    assert (wide(full).xs("2022Q1", level="period")["certificates"] > 8).mean() >= 0.6
    for c in calibration.CALIBRATIONS:
        if c.model in ("stock", "flow"):
            assert ok[c.indicator].median() == pytest.approx(c.post.median, rel=0.2), c.indicator
            assert slow[c.indicator].median() > 1.3 * ok[c.indicator].median(), c.indicator


def test_laggards_are_fifteen_percent(full):
    assert full.profile["laggard"].mean() == pytest.approx(calibration.LAGGARD_SHARE, abs=0.002)


def test_character_and_communities_shape_the_baseline(full, qinghai):
    w = wide(full).xs("2022Q1", level="period")
    prof = full.profile.set_index("village_code").reindex(w.index)
    kind = kind_of(qinghai).reindex(w.index)
    villages = w[kind == "村"]
    by_character = villages.groupby(prof["character"][kind == "村"]).median()
    assert by_character.loc["pastoral", "tasks"] > by_character.loc["farming", "tasks"]
    assert by_character.loc["pastoral", "forms"] < by_character.loc["farming", "forms"]
    communities = w[kind == "社区"].median()
    assert communities["platforms"] > villages["platforms"].median()
    assert communities["tasks"] < villages["tasks"].median()


def county_index(data: DemoData, villages: pd.DataFrame) -> pd.DataFrame:
    """Mean burden index by county and period (yardstick: median 村 at baseline)."""
    w = wide(data)
    base = w.xs("2022Q1", level="period")
    yardstick = base[kind_of(villages).reindex(base.index).eq("村")].median()
    index = 100 * (w / yardstick).mean(axis=1)
    county = index.index.get_level_values("village_code").str[:6]
    return index.groupby([county, index.index.get_level_values("period")]).mean().unstack()


def test_rebound_counties_rise_twice_in_2025_after_falling(full, qinghai):
    idx = county_index(full, qinghai)
    rebound = idx.loc[list(full.rebound_counties)]
    assert (rebound["2025Q1"] <= 0.8 * rebound["2022Q1"]).all()
    assert (rebound["2025Q2"] > 1.1 * rebound["2025Q1"]).all()
    assert (rebound["2025Q3"] > 1.1 * rebound["2025Q2"]).all()
    others = idx.drop(index=list(full.rebound_counties))
    rise = others[["2025Q2", "2025Q3"]].to_numpy() / others[["2025Q1", "2025Q2"]].to_numpy()
    assert rise.min(axis=1).max() < 1.05, "no other county rises markedly twice in a row"


# --- reports and visits -----------------------------------------------------------------------


def test_one_report_per_reported_quarter_mostly_on_time(full):
    rep = full.report
    obs_cells = plain(full.observation)[["village_code", "period"]].drop_duplicates()
    assert len(rep) == len(obs_cells) and not rep.duplicated(["village_code", "period"]).any()
    end = pd.PeriodIndex(rep["period"], freq="Q").end_time.normalize()
    days = (rep["reported_at"] - end).dt.days
    assert days.ge(0).all()
    late = days >= DEADLINE_DAYS + 1
    assert late.mean() == pytest.approx(calibration.LATE_SHARE, abs=0.01)


def test_visits_follow_the_quarter_they_check(full):
    visit = full.visit
    end = pd.PeriodIndex(visit["period"], freq="Q").end_time.normalize()
    days = (pd.to_datetime(visit["visited_on"]) - end).dt.days
    assert days.between(DEADLINE_DAYS + 1, 92).all()
    assert set(visit["kind"]) == set(calibration.VISIT_KINDS)
    share = len(visit) / len(full.report)
    assert share == pytest.approx(calibration.VISIT_SHARE, abs=0.01)


def test_visit_values_match_reports_and_results(full):
    values = full.visit_value.merge(full.visit, on="visit_id")
    assert (values.groupby("visit_id").size() == len(CODES)).all()
    reported = plain(full.observation).rename(columns={"value": "said"})
    values = values.merge(reported, on=["village_code", "period", "indicator"], how="left")
    assert (values["reported"] == values["said"]).all()
    differs = values.assign(d=values["reported"] != values["verified"]).groupby("visit_id")["d"]
    result = full.visit.set_index("visit_id")["result"]
    assert (differs.any().map({True: "不一致", False: "一致"}) == result).all()
    mismatch = values[values["reported"] != values["verified"]]
    assert 0 < len(mismatch) and (mismatch["verified"] > mismatch["reported"]).mean() > 0.6


def test_each_planted_drop_has_a_discrepant_inspection(data):
    drops = truth(data, "sudden_drop")
    visits = data.visit.merge(data.visit_value, on="visit_id")
    for row in drops.itertuples():
        hit = visits[
            (visits["village_code"] == row.village_code)
            & (visits["period"] == row.period)
            & (visits["indicator"] == row.indicator)
        ]
        assert len(hit) == 1
        assert hit["kind"].item() == "督查" and hit["result"].item() == "不一致"
        assert hit["verified"].item() > hit["reported"].item()


# --- planted anomalies ---------------------------------------------------------------------------

DROP_MIN_PREVIOUS, DROP_SHARE, RETURN_SHARE = 5, 0.6, 0.7


def drop_cells(grid: pd.DataFrame) -> set[tuple[str, str, str]]:
    """(village, period, indicator) where x falls ≥ 60% from ≥ 5 and then returns to ≥ 70%."""
    prev = grid.groupby(level=0).shift(1)
    nxt = grid.groupby(level=0).shift(-1)
    hit = (prev >= DROP_MIN_PREVIOUS) & (grid <= (1 - DROP_SHARE) * prev)
    hit &= nxt >= RETURN_SHARE * prev
    stacked = hit.stack()
    return set(stacked[stacked].index)


def heaped_runs(grid: pd.DataFrame, length: int) -> set[tuple[str, str]]:
    """(village, period) in runs of ≥ ``length`` consecutive all-multiples-of-10 quarters."""
    heaped = ((grid % 10 == 0).all(axis=1) & grid.notna().all(axis=1)).unstack()[PERIODS]
    out = set()
    for village, row in heaped.iterrows():
        run: list[str] = []
        for period, flag in [*row.items(), (None, False)]:
            if flag:
                run.append(period)
                continue
            if len(run) >= length:
                out.update((village, p) for p in run)
            run = []
    return out


def identical_groups(data: DemoData, villages: pd.DataFrame, size: int) -> set[tuple[str, str]]:
    w = wide(data).reset_index()
    w["township"] = w["village_code"].map(villages.set_index("code")["township_code"])
    n = w.groupby(["township", "period", *CODES])["village_code"].transform("size")
    return set(zip(w.loc[n >= size, "village_code"], w.loc[n >= size, "period"], strict=True))


def cells(frame: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(frame["village_code"], frame["period"], strict=True))


@pytest.mark.parametrize("which", ["small", "full"])
def test_planted_patterns_are_there(which, request):
    data = request.getfixturevalue("data" if which == "small" else "full")
    villages = request.getfixturevalue("villages" if which == "small" else "qinghai")
    grid = full_grid(data, villages)
    copies = truth(data, "copy_paste")
    for _, group in copies.groupby(["period", "detail"]):
        assert 3 <= len(group) <= 6
        rows = grid.loc[list(cells(group))]
        assert len(rows.drop_duplicates()) == 1
        towns = villages.set_index("code").loc[group["village_code"], "township_code"]
        assert towns.nunique() == 1
    drops = truth(data, "sudden_drop")
    assert set(zip(drops["village_code"], drops["period"], drops["indicator"], strict=True)) <= (
        drop_cells(grid)
    )
    heaps = truth(data, "round_heaping")
    assert heaps.groupby("village_code").size().min() >= 4
    assert cells(heaps) <= heaped_runs(grid, 4)
    missing = truth(data, "missing_report")
    assert grid.loc[list(cells(missing))].isna().all().all()
    assert data.anomaly["kind"].value_counts().index.size == 4


def test_anomalies_touch_three_to_five_percent_of_villages(full, qinghai):
    share = full.anomaly["village_code"].nunique() / len(qinghai)
    assert 0.03 <= share <= 0.05
    kinds = full.anomaly.groupby("village_code")["kind"].nunique()
    assert (kinds == 1).all(), "each village carries at most one kind"


@pytest.mark.parametrize("which", ["small", "full"])
def test_background_noise_creates_no_pattern_by_accident(which, request):
    data = request.getfixturevalue("data" if which == "small" else "full")
    villages = request.getfixturevalue("villages" if which == "small" else "qinghai")
    grid = full_grid(data, villages)
    planted = {k: truth(data, k) for k in calibration.ANOMALY_SHARES}
    assert identical_groups(data, villages, 3) <= cells(planted["copy_paste"])
    assert heaped_runs(grid, 3) <= cells(planted["round_heaping"])
    assert set(grid.index[grid.isna().all(axis=1)]) == cells(planted["missing_report"])
    drops = planted["sudden_drop"]
    assert drop_cells(grid) <= set(
        zip(drops["village_code"], drops["period"], drops["indicator"], strict=True)
    )
