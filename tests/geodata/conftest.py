"""Shipped Qinghai layers, loaded once per session (tests read only shipped files)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest

from geodata import load_boundaries, load_townships, load_villages


@pytest.fixture(scope="session")
def province() -> gpd.GeoDataFrame:
    return load_boundaries("province")


@pytest.fixture(scope="session")
def prefectures() -> gpd.GeoDataFrame:
    return load_boundaries("prefecture")


@pytest.fixture(scope="session")
def counties() -> gpd.GeoDataFrame:
    return load_boundaries("county")


@pytest.fixture(scope="session")
def townships() -> pd.DataFrame:
    return load_townships()


@pytest.fixture(scope="session")
def villages() -> pd.DataFrame:
    return load_villages()
