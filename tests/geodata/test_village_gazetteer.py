"""Shipped townships and villages: counts, kinds, codes, names and approximate positions."""

from __future__ import annotations

import pytest
import shapely

from geodata import GeodataNotBuiltError, load_villages


def test_counts_and_kinds(townships, villages):
    assert len(townships) == 406
    assert len(villages) == 4612
    kinds = villages["kind"].value_counts()
    assert set(kinds.index) == {"村", "社区"}
    assert kinds["村"] >= 4100
    assert kinds["社区"] >= 400


def test_codes_are_well_formed_unique_and_nested(counties, townships, villages):
    assert townships["code"].str.fullmatch(r"\d{9}000").all()
    assert villages["code"].str.fullmatch(r"\d{12}").all()
    assert not villages["code"].str.endswith("000").any()
    codes = [*townships["code"], *villages["code"]]
    assert len(codes) == len(set(codes))
    assert (townships["code"].str[:6] == townships["county_code"]).all()
    assert (villages["code"].str[:6] == villages["county_code"]).all()
    assert (villages["code"].str[:9] == villages["township_code"].str[:9]).all()
    assert set(villages["township_code"]) == set(townships["code"])
    assert set(townships["county_code"]) == set(counties["code"])  # every county has townships


def test_township_names_match(townships, villages):
    names = townships.set_index("code")["name"]
    assert (villages["township_name"] == names.loc[villages["township_code"]].array).all()


def test_names_are_clean(villages):
    assert (villages["name"] != "").all()
    assert not villages["name"].str.contains("委员会|委会").any()
    assert villages.loc[villages["kind"] == "社区", "name"].str.endswith("社区").all()
    assert (villages["name_original"] != "").all()
    assert (villages["name"] != villages["name_original"]).sum() > 4500


@pytest.mark.parametrize("frame", ["townships", "villages"])
def test_every_point_is_inside_its_own_county(frame, counties, request):
    points = request.getfixturevalue(frame)
    assert points["position_approximate"].all()
    polygons = counties.set_index("code").geometry.loc[points["county_code"]].array
    inside = shapely.contains_xy(polygons, points["lon"].to_numpy(), points["lat"].to_numpy())
    assert inside.mean() == 1.0


def test_villages_cluster_around_their_township(townships, villages):
    """Almost every village's nearest township point is its own township's."""
    town_xy = townships[["lon", "lat"]].to_numpy()
    village_xy = villages[["lon", "lat"]].to_numpy()
    distances = ((village_xy[:, None, :] - town_xy[None, :, :]) ** 2).sum(axis=2)
    nearest = townships["code"].to_numpy()[distances.argmin(axis=1)]
    assert (nearest == villages["township_code"].to_numpy()).mean() > 0.95


def test_codes_are_text():
    villages = load_villages()
    assert villages["code"].str.startswith("63").all()  # not parsed as numbers


def test_unbuilt_province():
    with pytest.raises(GeodataNotBuiltError, match="--province 650000"):
        load_villages("650000")
