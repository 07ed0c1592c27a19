"""Boundaries and points from the database: scope checks and display simplification."""

import geopandas as gpd
import pytest
import shapely

from metrics import geometry, store
from metrics.scope import Scope, ScopeError


@pytest.fixture(scope="module")
def reader(demo_db):
    r = store.Reader(demo_db)
    yield r
    r.close()


def test_boundaries_of_the_prefectures(reader):
    codes = ["630100", "632500"]
    shapes = geometry.boundaries(reader, codes, Scope.everything())
    assert list(shapes["code"]) == codes
    assert shapes.crs.to_epsg() == 4326
    assert shapes.geometry.is_valid.all()


def test_a_scope_refuses_shapes_and_points_outside_it(reader):
    scope = Scope.of("632500")
    assert len(geometry.boundaries(reader, ["632521", "632525"], scope)) == 2
    with pytest.raises(ScopeError, match="630100"):
        geometry.boundaries(reader, ["632521", "630100"], scope)
    with pytest.raises(ScopeError):
        geometry.village_points(reader, ["630102001001"], scope)


def test_display_simplification_keeps_a_coverage_and_caps_vertices(reader):
    counties = geometry.boundaries(
        reader,
        list(reader.query("SELECT code FROM region WHERE level = 'county'")["code"]),
        Scope.everything(),
    )
    simple = geometry.for_display(counties, width_px=520, max_vertices=400)
    assert shapely.get_num_coordinates(simple.geometry.to_numpy()).max() <= 400
    assert shapely.coverage_is_valid(simple.geometry.to_numpy())
    before, after = counties.to_crs(6933).area.sum(), simple.to_crs(6933).area.sum()
    assert after == pytest.approx(before, rel=0.01)


def test_a_region_of_many_islands_is_simplified_and_the_loop_ends():
    """600 visible islands keep ≥ 2,400 vertices whatever the tolerance: stop, don't spin."""
    main = shapely.box(0, 0, 10, 10)
    islands = [shapely.box(11 + i % 30, i // 30, 11.5 + i % 30, 0.5 + i // 30) for i in range(600)]
    specks = [shapely.box(50 + i * 0.01, 30, 50.001 + i * 0.01, 30.001) for i in range(50)]
    shapes = gpd.GeoDataFrame(
        {"code": ["a"]}, geometry=[shapely.multipolygons([main, *islands, *specks])], crs=4326
    )
    shown = geometry.for_display(shapes, width_px=520, max_vertices=1000)
    parts = shapely.get_parts(shown.geometry.to_numpy())
    assert len(parts) == 601  # the specks are gone, the visible islands stay
    assert shapely.area(parts).max() == pytest.approx(100, rel=0.01)  # the main part kept
