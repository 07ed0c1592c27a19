"""The inspection sampler: reproducibility, strata, control share, exclusion, storage."""

import duckdb
import numpy as np
import pandas as pd
import pytest
from flags_fixture import A3, B1, C1, Q, build

from metrics import registry, sampling, schema, sql, store
from metrics.errors import InvalidInputError
from metrics.scope import Scope, ScopeError

EVERYTHING = Scope.everything()


def candidates(sizes=(50, 30, 20), townships=5, risky=(), visited=()) -> pd.DataFrame:
    """Villages of counties of the given sizes, spread over ``townships`` townships each."""
    rows = []
    for c, size in enumerate(sizes, start=1):
        for n in range(size):
            code = f"63252{c}{n % townships:03d}{n:03d}"
            rows.append(
                {
                    "village_code": code,
                    "name": f"村{code[-4:]}",
                    "kind": "村",
                    "township_code": code[:9],
                    "township": f"乡{code[6:9]}",
                    "county_code": code[:6],
                    "county": f"县{c}",
                    "flags": ("identical",) if code in risky else (),
                    "risk": 1000.0 if code in risky else 1.0,
                    "reasons_zh": "",
                    "visited": code in visited,
                    **dict.fromkeys((registry.INDEX_CODE, *registry.CODES), 1.0),
                }
            )
    return pd.DataFrame(rows)


def design(**changes) -> sampling.Design:
    base = {"n": 10, "seed": 7, "period": "2025Q4", "random_share": 0.2, "exclude_visited": 4}
    return sampling.Design(**{**base, **changes})


def test_same_seed_same_sample_another_seed_another():
    pool = candidates()
    first = sampling.draw(pool, design())
    assert first.picks.equals(sampling.draw(pool, design()).picks)
    other = sampling.draw(pool, design(seed=8))
    assert set(other.picks["village_code"]) != set(first.picks["village_code"])


def test_proportional_and_equal_allocation_between_counties():
    pool = candidates()
    counts = sampling.draw(pool, design()).picks.groupby("county_code").size()
    assert counts.tolist() == [5, 3, 2]
    equal = sampling.draw(pool, design(n=9, allocation="equal")).picks
    assert equal.groupby("county_code").size().tolist() == [3, 3, 3]
    capped = sampling.draw(candidates(sizes=(50, 30, 2)), design(n=12, allocation="equal"))
    assert capped.strata["allocated"].tolist() == [5, 5, 2]


class Grid:
    """A stand-in generator whose ``random()`` walks evenly through [0, 1)."""

    def __init__(self, steps: int) -> None:
        self.values = iter(np.arange(steps) / steps)

    def random(self) -> float:
        return next(self.values)


def test_fractions_go_to_counties_in_proportion_so_small_ones_can_be_drawn():
    sizes = pd.Series([10, 10, 1], index=list("abc"))
    grid = Grid(200)
    draws = [sampling.allocate(sizes, 5, "proportional", grid) for _ in range(200)]
    assert all(d.sum() == 5 for d in draws)
    mean = pd.concat(draws, axis=1).mean(axis=1)
    assert mean.to_numpy() == pytest.approx(5 * sizes / sizes.sum(), abs=0.01)


def test_control_share_is_a_plain_random_draw():
    pool = candidates(risky={"632521000000", "632521001001"})
    picks = sampling.draw(pool, design(n=20, random_share=0.2)).picks
    assert (picks["draw"] == "random").sum() == 4
    assert (picks["draw"] == "risk").sum() == 16
    risky = picks.set_index("village_code").loc[["632521000000", "632521001001"], "draw"]
    assert set(risky) <= {"risk", "random"}  # the heavily weighted villages are always drawn


def test_no_village_can_count_on_not_being_picked():
    pool = candidates(sizes=(24, 16), townships=4, risky={"632521000000"})
    seen = set()
    for seed in range(60):
        picks = sampling.draw(pool, design(n=8, seed=seed, random_share=0.5)).picks
        seen |= set(picks["village_code"])
    assert seen == set(pool["village_code"])


def test_recently_visited_villages_are_left_out():
    pool = candidates(visited={f"632521000{n:03d}" for n in range(0, 50, 5)})
    sample = sampling.draw(pool, design(n=30))
    assert sample.excluded == 10 and sample.eligible == 90
    assert not sample.picks["village_code"].isin(pool.loc[pool["visited"], "village_code"]).any()


def test_picks_spread_across_townships():
    risky = {f"632521000{n:03d}" for n in range(0, 50, 5)}  # ten villages of one township
    pool = candidates(sizes=(100,), townships=5, risky=risky)
    picks = sampling.draw(pool, design(n=5, random_share=0)).picks
    assert picks["township_code"].nunique() == 5


def test_design_is_checked():
    db = build(duckdb.connect())
    for bad in ({"n": 0}, {"random_share": 1.5}, {"exclude_visited": -1}, {"allocation": "x"}):
        with pytest.raises(InvalidInputError):
            design(**bad).resolve(db)
    assert sampling.Design().resolve(db).period == Q[-1]


def test_sample_from_the_database_excludes_visited_and_keeps_reasons():
    db = build(duckdb.connect())
    drawn = sampling.sample(db, sampling.Design(n=5, seed=1, period=Q[2], within=C1), EVERYTHING)
    assert drawn.excluded == 2 and drawn.eligible == 5  # A3 and B1 were visited
    assert not drawn.picks["village_code"].isin([A3, B1]).any()
    identical = drawn.picks[drawn.picks["flags"].map(lambda f: "identical" in f)]
    assert identical["reasons"].str.startswith("【报送雷同】").all()
    assert drawn.picks["tasks"].notna().all()


def test_stored_samples_are_drafts_until_released(tmp_path):
    path = tmp_path / "burden.duckdb"
    store.publish(path, build, create=True)
    reader = store.Reader(path)
    drawn = sampling.sample(reader, sampling.Design(n=4, seed=3, period=Q[2]), EVERYTHING)
    number = sampling.save(path, drawn, EVERYTHING, user="inspector1")
    listed = sampling.stored(reader, EVERYTHING).set_index("sample_id")
    assert listed.loc[number, ["status", "seed", "villages"]].tolist() == ["draft", 3, 4]
    again = sampling.load(reader, number, EVERYTHING)
    assert again.picks.equals(drawn.picks) and again.design == drawn.design
    sampling.release(path, number, EVERYTHING, user="chief")
    assert sampling.stored(reader, EVERYTHING).loc[0, "status"] == "released"
    with pytest.raises(InvalidInputError):
        sampling.release(path, number, EVERYTHING)  # released samples no longer change
    assert sampling.stored(reader, Scope.of("632600")).empty  # a sample of the whole province
    for role in ("prefecture", "county", "admin"):  # samples are for inspectors and province
        with pytest.raises(ScopeError):
            sampling.stored(reader, Scope.everything(role))
    audit = reader.query("SELECT action FROM audit_log ORDER BY id")["action"].tolist()
    assert audit == ["sample_saved", "sample_released"]
    reader.close()


def test_a_database_before_schema_2_has_no_samples():
    con = duckdb.connect()
    con.execute(schema.MIGRATIONS[0])
    assert sampling.stored(sql.Connection(con), EVERYTHING).empty
