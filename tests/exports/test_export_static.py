"""PNG and SVG through kaleido: size, parseable SVG, Simplified-Chinese glyphs, no network."""

import io
import json
import subprocess
import xml.etree.ElementTree as ET

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely
from PIL import Image, ImageDraw, ImageFont

from dashboard.exports import content, static, static_map
from dashboard.figures import charts
from dashboard.figures.maps import FONT
from metrics.scope import Scope
from metrics.store import Reader

# Characters whose Simplified-Chinese forms differ from the Japanese and Traditional ones.
KNOWN = "直写骨角"


def _chart() -> go.Figure:
    periods = ["2025Q3", "2025Q4"]
    series = {
        "贵南县": pd.DataFrame({"period": periods, "mean": [40.0, 39.1]}),
        "青海省": pd.DataFrame({"period": periods, "mean": [46.0, 45.5]}),
    }
    fig = charts.trend_figure(series, title="趋势", y_title="负担指数", period_label=str)
    return fig.update_layout(width=700, height=420)


def test_png_is_twice_the_layout_size_and_at_least_1200_px_wide():
    image = Image.open(io.BytesIO(static.image(_chart())))
    assert image.format == "PNG"
    assert image.size == (1400, 840)


def test_svg_parses_and_keeps_the_chinese_as_text():
    svg = static.image(_chart(), "svg")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    texts = "".join(el.text or "" for el in root.iter() if el.tag.endswith(("text", "tspan")))
    assert "贵南县" in texts and "负担指数" in texts


def _ink(image: Image.Image) -> np.ndarray:
    dark = np.asarray(image.convert("L")) < 128
    ys, xs = np.nonzero(dark)
    return dark[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]


def _reference(family: str, shape: tuple[int, int]) -> np.ndarray:
    """``KNOWN`` drawn by FreeType with the font fontconfig picks for ``family``."""
    found = subprocess.run(
        ["fc-match", "-f", "%{file}|%{index}", family], capture_output=True, text=True, check=True
    ).stdout
    path, index = found.split("|")
    image = Image.new("L", (900, 260), 255)
    ImageDraw.Draw(image).text(
        (20, 20), KNOWN, font=ImageFont.truetype(path, 120, index=int(index)), fill=0
    )
    ink = Image.fromarray(_ink(image)).resize((shape[1], shape[0]))
    return np.asarray(ink) > 0


def _overlap(a: np.ndarray, b: np.ndarray) -> float:
    return float((a & b).sum() / (a | b).sum())


def test_chinese_renders_in_simplified_forms_not_tofu_or_japanese():
    fig = go.Figure().update_layout(
        width=640,
        height=180,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        xaxis={"visible": False},
        yaxis={"visible": False},
        plot_bgcolor="white",
        annotations=[
            {
                "text": KNOWN,
                "x": 0.5,
                "y": 0.5,
                "xref": "paper",
                "yref": "paper",
                "showarrow": False,
                "font": {"size": 120, "family": FONT, "color": "black"},
            }
        ],
    )
    rendered = _ink(Image.open(io.BytesIO(static.image(fig, scale=1))))
    similarity = {
        family: _overlap(rendered, _reference(family, rendered.shape))
        for family in ("Noto Sans CJK SC", "Noto Sans CJK JP", "DejaVu Sans")
    }
    assert similarity["Noto Sans CJK SC"] > 0.9, similarity
    assert similarity["Noto Sans CJK SC"] > similarity["Noto Sans CJK JP"] + 0.1, similarity
    assert similarity["Noto Sans CJK SC"] > similarity["DejaVu Sans"] + 0.5, similarity  # tofu


def test_maps_export_offline_with_legend_and_caption(tmp_path, demo_db):
    """A static map, and Chromium's network log: no request from the page, no connection."""
    log = tmp_path / "net.json"
    static.stop()
    static.start([f"--log-net-log={log}"])
    reader = Reader(demo_db)
    try:
        found = content.map_export(reader, Scope.everything(), "632500")
    finally:
        reader.close()
    assert not found.figure.layout.map.style  # no WebGL map: boundaries are SVG paths
    texts = [a.text for a in found.figure.layout.annotations]
    assert any("–" in t for t in texts)  # class breaks in the legend
    assert any("资料来源" in t for t in texts)
    assert "2025年第四季度" in found.figure.layout.title.subtitle.text
    png = Image.open(io.BytesIO(static.image(found.figure)))
    assert png.size == (2 * static_map.SIZE[0], 2 * static_map.SIZE[1])
    colours = {tuple(c[:3]) for _, c in png.convert("RGB").getcolors(2**20)}
    assert (0xB1, 0x00, 0x26) in colours  # the darkest class of the palette is drawn
    static.image(_chart(), "svg")
    static.stop()  # the log is complete once the browser exits; the next image restarts it
    events = json.loads(log.read_text())
    names = {v: k for k, v in events["constants"]["logEventTypes"].items()}
    starts = [
        e["params"]
        for e in events["events"]
        if names[e["type"]] == "URL_REQUEST_START_JOB" and "url" in e.get("params", {})
    ]
    remote = [s for s in starts if s["url"].split(":")[0] in ("http", "https", "ws", "wss")]
    assert [s["url"] for s in remote if s.get("initiator") != "not an origin"] == []
    connected = [
        e["params"]
        for e in events["events"]
        if names[e["type"]] in ("TCP_CONNECT_ATTEMPT", "SSL_CONNECT")
        and e.get("params", {}).get("address")
    ]
    assert connected == []


def test_map_svg_is_vector_with_the_class_colours(demo_db):
    reader = Reader(demo_db)
    try:
        found = content.map_export(reader, Scope.everything(), "630000")
    finally:
        reader.close()
    root = ET.fromstring(static.image(found.figure, "svg"))
    assert not [el for el in root.iter() if el.tag.endswith("image")]  # nothing rasterised
    fills = {
        el.get("style", "").partition("fill: ")[2].partition(";")[0]
        for el in root.iter()
        if el.tag.endswith("path")
    }
    assert {"rgb(255, 255, 178)", "rgb(177, 0, 38)"} <= fills  # lightest and darkest class


def test_a_hole_in_a_region_stays_unfilled():
    ring = shapely.Polygon(
        [(0, 30), (10, 30), (10, 40), (0, 40)], [[(4, 34), (6, 34), (6, 36), (4, 36)]]
    )
    regions = gpd.GeoDataFrame(
        {"code": ["a"], "colour": ["#b10026"]}, geometry=[ring], crs="EPSG:4326"
    )
    legend = static_map.Legend("图例", (("#b10026", "1 – 2"),))
    fig = static_map.region_map(regions, legend, width=400, height=400)
    assert fig.layout.shapes[0].path.count("M") == 2 and fig.layout.shapes[0].fillrule == "evenodd"
    png = Image.open(io.BytesIO(static.image(fig, scale=1))).convert("RGB")
    x = int(png.width * static_map.MAP_SHARE) // 2  # the middle of the map, lon 5°
    assert png.getpixel((x, png.height // 2)) == (255, 255, 255)  # the hole, around 35°N
    assert png.getpixel((x, png.height // 4)) == (0xB1, 0x00, 0x26)  # the region, around 39°N
