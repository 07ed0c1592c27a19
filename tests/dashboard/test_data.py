"""``dashboard.data`` on the demo database: one lineage read per region, breadcrumb steps in scope,
the flags of a village judged with its township (or alone), the shared list of places."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from metrics import flags, store
from metrics.scope import Scope

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
VILLAGE, TOWNSHIP, COUNTY = "632525003001", "632525003000", "632525"  # in 贵南县
PERIOD = "2024Q4"


def _run(function, demo_db, monkeypatch, scope: Scope, *args) -> AppTest:
    monkeypatch.setenv("BURDENMAP_DB", str(demo_db))
    at = AppTest.from_function(function, args=args, default_timeout=60)
    at.session_state["scope"] = scope
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _lineage(code: str) -> None:
    import streamlit as st

    from dashboard import data

    crumbs = data.ancestors(code)
    st.session_state["found"] = {
        "region": data.region(code),
        "crumbs": crumbs,
        "openable": data.openable(crumbs),
        "exists": tuple(data.region_exists(c.code) for c in crumbs),
    }


@pytest.mark.parametrize(
    ("scope", "openable"),
    [
        (Scope.everything("demo"), (True,) * 5),
        (Scope.of(COUNTY, role="county"), (False, False, True, True, True)),
        (Scope.of(VILLAGE, role="inspector"), (False, False, False, False, True)),
    ],
)
def test_the_breadcrumb_steps_open_as_far_as_the_scope_goes(demo_db, monkeypatch, scope, openable):
    found = _run(_lineage, demo_db, monkeypatch, scope, VILLAGE).session_state["found"]
    assert [c.code for c in found["crumbs"]][-3:] == [COUNTY, TOWNSHIP, VILLAGE]
    assert found["region"] == found["crumbs"][-1]
    assert found["openable"] == found["exists"] == openable


def test_a_county_user_sees_the_steps_above_as_text(app_with_user):
    at = app_with_user("county", COUNTY, region=TOWNSHIP)
    crumbs = [b.label for b in at.button if b.key and b.key.startswith("crumb-")]
    assert crumbs == ["贵南县"]  # 青海省 and 海南州 are above the user's county


@pytest.fixture
def app_with_user(demo_db, open_app, signed_in):
    def run(role: str, code: str, **params: str) -> AppTest:
        return open_app(demo_db, session=signed_in(role, code), **params)

    return run


def _flags(code: str, period: str) -> None:
    import streamlit as st

    from dashboard import data

    st.session_state["found"] = data.village_flags(code, period)


@pytest.mark.parametrize(
    "scope", [Scope.everything("inspector"), Scope.of(VILLAGE, role="inspector")]
)
def test_the_flags_of_a_village_judged_with_its_township_or_alone(demo_db, monkeypatch, scope):
    found = _run(_flags, demo_db, monkeypatch, scope, VILLAGE, PERIOD).session_state["found"]
    reader = store.Reader(demo_db)
    try:
        everywhere = flags.raised(reader, PERIOD, Scope.everything())
    finally:
        reader.close()
    mine = everywhere[everywhere["village_code"] == VILLAGE].reset_index(drop=True)
    assert not mine.empty
    pd.testing.assert_frame_equal(found, mine)


def _places() -> None:
    import streamlit as st

    from dashboard import data

    st.session_state["found"] = (data.places(), data.places())


def test_places_are_read_once_and_shared(demo_db, monkeypatch):
    first, again = _run(_places, demo_db, monkeypatch, Scope.everything("demo")).session_state[
        "found"
    ]
    assert first is again  # not a copy per call
    paths = first.set_index("code")["path"]
    assert paths[COUNTY] == "青海省 › 海南州 › 贵南县"
    assert paths[VILLAGE].startswith("青海省 › 海南州 › 贵南县 › ")
    assert first["level"].value_counts()["village"] == 4612
    assert isinstance(first["code"].iloc[0], str) and first["code"].dtype == object


def test_a_new_heaviest_share_takes_effect_without_a_mismatch(demo_db, monkeypatch):
    """The quarter's ranking is kept per share: a changed setting ranks afresh, never refuses."""
    quarter, other = "2024Q2", "632525001001"  # another township of 贵南县
    _run(_flags, demo_db, monkeypatch, Scope.everything("inspector"), VILLAGE, quarter)
    monkeypatch.setenv("BURDENMAP_FLAG_TOP_SHARE", "0.5")
    found = _run(_flags, demo_db, monkeypatch, Scope.everything("inspector"), other, quarter)
    reader = store.Reader(demo_db)
    try:
        wide = flags.Thresholds.configured()
        everywhere = flags.raised(reader, quarter, Scope.everything(), thresholds=wide)
    finally:
        reader.close()
    mine = everywhere[everywhere["village_code"] == other].reset_index(drop=True)
    pd.testing.assert_frame_equal(found.session_state["found"], mine)
