"""Boundaries and points from the database: scope checks and display simplification."""

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
