"""Static exports of what the app shows: PNG/SVG figures, XLSX/CSV tables, the Word briefing.

Streamlit-free: the CLI, the briefing generator, the benchmarks and the app's download buttons
share these modules, and they build on the app's own figure builders (``dashboard.figures``).
"""
