"""The village card's charts are built without plotly's per-property checks: they must still be
valid plotly figures, with the milestones where they belong."""

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.figures import charts

PERIODS = [f"{y}Q{q}" for y in range(2022, 2026) for q in range(1, 5)]


def _figures() -> list[go.Figure]:
    wide = pd.DataFrame({"index": np.linspace(120, 80, 16), "tasks": 30.0}, index=PERIODS)
    wide.iloc[3, 1] = np.nan
    series = {
        "甲村": pd.DataFrame(
            {"period": PERIODS, "mean": np.arange(16.0), "rebound": [False] * 15 + [True]}
        ),
        "乙乡": pd.DataFrame({"period": PERIODS[4:], "mean": np.arange(12.0)}),
    }
    return [
        charts.village_indicators_figure(wide, {"tasks": "协助事项"}, title="指标"),
        charts.trend_figure(series, title="负担指数", y_title="", period_label=str, lang="en"),
    ]


@pytest.mark.parametrize("fig", _figures())
def test_figures_pass_plotly_validation(fig):
    spec = fig.to_plotly_json()
    checked = go.Figure(spec)  # raises ValueError on any invalid property
    assert checked.to_plotly_json()["layout"]["height"] == spec["layout"]["height"]
    with pytest.raises(ValueError):
        go.Figure({**spec, "layout": {**spec["layout"], "no_such_property": 1}})


def test_milestones_mark_the_reform_quarters_within_the_periods():
    marks = charts.milestones(PERIODS[:8], lang="en")
    assert [s["x0"] for s in marks["shapes"]] == ["2022Q3"]
    assert [a["text"] for a in marks["annotations"]] == [charts.MILESTONES[0][2]]
    fig = _figures()[0]
    assert [s.x0 for s in fig.layout.shapes] == [m[0] for m in charts.MILESTONES]
    assert fig.layout.xaxis.type == "category" and fig.layout.title.text == "指标"
