"""Speed of static exports through the persistent kaleido browser, and of the Word briefing.

``run(db_path)`` returns: the first chart PNG of a process (browser start included), later
chart PNGs and map PNGs (p50/p95 over a few calls, ms; targets well under 1 s and ≤ 2 s), the
map figures' build from the database (query, classes, geometry; ms), and one briefing DOCX (s).
PNGs are timed on figures built beforehand: rendering only.
"""

from __future__ import annotations

import itertools
import time
from pathlib import Path

from bench.timing import timed
from dashboard.exports import briefing, content, static
from metrics.scope import Scope
from metrics.store import Reader

COUNTY, PREFECTURE = "632525", "632500"


def run(db_path: Path) -> dict:
    """Time the exports on the database at ``db_path``."""
    reader = Reader(db_path)
    scope = Scope.everything()
    try:
        chart = content.trend_export(reader, scope, COUNTY).figure
        codes = itertools.cycle((PREFECTURE, COUNTY))  # regions, and villages as points
        build = timed(lambda: content.map_export(reader, scope, next(codes)), calls=4)
        maps = [content.map_export(reader, scope, code).figure for code in (PREFECTURE, COUNTY)]
        static.stop()  # a cold start, as in a fresh process
        start = time.perf_counter()
        static.image(chart)
        first = round((time.perf_counter() - start) * 1000)
        charts = timed(lambda: static.image(chart), calls=10)
        views = itertools.cycle(maps)
        map_png = timed(lambda: static.image(next(views)), calls=6)
        start = time.perf_counter()
        docx = briefing.build(reader, scope, COUNTY)
        brief = round(time.perf_counter() - start, 2)
    finally:
        reader.close()
        static.stop()
    return {
        "first_chart_png_ms": first,
        "chart_png": charts,
        "map_png": map_png,
        "map_figure": build,
        "briefing_docx_s": brief,
        "briefing_kb": round(len(docx) / 1024),
    }
