"""Figure builders: offline decks, escaped tooltips, fitted views, colours, SVG fallback."""

import json

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from dashboard.figures import charts, maps, palette

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def regions():
    return gpd.GeoDataFrame(
        {
            "code": ["a", "b"],
            "name": [XSS, "乙县"],
            "colour": ["#ffffb2", palette.NO_DATA],
            "value_label": ["12.5", "—"],
            "rank_label": ["1 / 2", "—"],
            "change_label": ["-3.0%", "—"],
        },
        geometry=[box(100, 35, 101, 36), box(101, 35, 102, 36)],
        crs="EPSG:4326",
    )


LABELS = {"value_label": "负担指数", "rank_label": "排名", "change_label": "较基期变化"}


def test_region_deck_is_offline_and_escapes_names(regions):
    spec = json.loads(maps.region_deck(regions, LABELS).to_json())
    assert "mapProvider" not in spec or spec["mapProvider"] is None
    # Streamlit fetches a Carto style unless mapStyle is pydeck's sentinel (STACK.md trap)
    assert spec["mapStyle"] == "__MAP_STYLE__"
    layer = spec["layers"][0]
    assert layer["id"] == maps.REGION_LAYER and layer["pickable"]
    names = [f["properties"]["name"] for f in layer["data"]["features"]]
    assert names[0] == "&lt;img src=x onerror=alert(1)&gt;"
    assert XSS not in json.dumps(spec)


def test_tile_url_adds_a_basemap_only_when_configured(regions):
    plain = json.loads(maps.region_deck(regions, LABELS).to_json())
    tiled = json.loads(
        maps.region_deck(regions, LABELS, tile_url="http://127.0.0.1/t/{z}/{x}/{y}.png").to_json()
    )
    assert [layer["id"] for layer in plain["layers"]] == ["regions"]
    assert [layer["id"] for layer in tiled["layers"]] == ["basemap", "regions"]


def test_village_deck_uses_pixel_radii(regions):
    villages = pd.DataFrame(
        {
            "code": ["v1"],
            "name": [XSS],
            "lon": [100.5],
            "lat": [35.5],
            "colour": ["#b10026"],
            "radius": [6.0],
            "value_label": ["3"],
        }
    )
    spec = json.loads(maps.village_deck(regions.iloc[:1], villages, LABELS).to_json())
    points = spec["layers"][-1]
    assert points["radiusUnits"] == "pixels"  # a literal, not an accessor named pixels
    assert points["data"][0]["name"].startswith("&lt;img")


@pytest.mark.parametrize(("width", "height"), [(520, 560), (1000, 400)])
def test_view_fits_the_bounds(width, height):
    bounds = (89.4, 31.6, 103.1, 39.2)
    view = maps.view_for_bounds(bounds, width, height, padding=0)
    span_px = (bounds[2] - bounds[0]) / 360 * 512 * 2**view.zoom
    assert span_px == pytest.approx(width, rel=0.01) or span_px < width


def test_palette_is_light_to_dark_and_no_data_is_distinct():
    ramp = palette.sequential(5)
    brightness = [sum(palette.hex_to_rgba(c)[:3]) for c in ramp]
    assert brightness == sorted(brightness, reverse=True)
    assert palette.NO_DATA not in ramp
    assert palette.class_colours([0, None, 4], 5) == [ramp[0], palette.NO_DATA, ramp[4]]


def test_svg_fallback_draws_each_region_with_its_code(regions):
    fig = maps.svg_region_figure(regions, LABELS)
    assert [t.customdata[0] for t in fig.data] == ["a", "b"]
    assert all(t.fill == "toself" for t in fig.data)
    assert XSS not in fig.to_json()


def test_trend_figure_marks_milestones_and_rebounds():
    df = pd.DataFrame(
        {
            "period": ["2022Q1", "2022Q2", "2022Q3", "2022Q4"],
            "mean": [100, 70, 75, 80],
            "rebound": [False, False, False, True],
        }
    )
    fig = charts.trend_figure({"甲县": df}, title="t", y_title="y", period_label=str)
    assert [a.x for a in fig.layout.annotations] == ["2022Q3"]
    ringed = [t for t in fig.data if t.mode == "markers"]
    assert list(ringed[0].x) == ["2022Q4"]


def test_svg_village_fallback_clicks_return_village_codes(regions):
    villages = pd.DataFrame(
        {
            "code": ["v1", "v2"],
            "name": [XSS, "乙村"],
            "lon": [100.5, 100.6],
            "lat": [35.5, 35.6],
            "colour": ["#b10026", "#ffffb2"],
            "radius": [6.0, 3.0],
            "value_label": ["3", "1"],
        }
    )
    fig = maps.svg_village_figure(regions.iloc[:1], villages, LABELS)
    points = fig.data[-1]
    assert points.mode == "markers" and list(points.customdata) == ["v1", "v2"]
    assert all(t.hoverinfo == "skip" for t in fig.data[:-1])  # the outline is not clickable
    assert XSS not in fig.to_json()
