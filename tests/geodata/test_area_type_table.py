"""The default area type of every Qinghai county."""

from __future__ import annotations

from geodata import AREA_TYPE_VALUES, AREA_TYPES, area_type


def test_table_covers_every_shipped_county(counties):
    assert set(AREA_TYPES) == set(counties["code"])
    assert set(AREA_TYPES.values()) == set(AREA_TYPE_VALUES) == {"农区", "牧区", "半农半牧"}


def test_shipped_counties_carry_the_table(counties):
    assert (counties["area_type"] == counties["code"].map(AREA_TYPES)).all()


def test_anchor_counties():
    assert area_type("630223") == "农区"  # 互助, 海东
    assert area_type("632626") == "牧区"  # 玛多, 果洛
    assert area_type("632523") == "半农半牧"  # 贵德, 海南州
    assert area_type("110101") is None
