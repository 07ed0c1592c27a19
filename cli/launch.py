"""Start Streamlit with the dashboard's libraries already imported (``burdenmap serve``).

Streamlit imports an app's modules on the first visit, so the first visitor after a restart
would wait about two seconds (on 2 cores) for geopandas, pandas, plotly, pydeck and the metrics
engine. Importing them here, before the server listens, moves that wait to start-up. Only
modules that never import Streamlit are loaded: the dashboard's own modules register caches
that need Streamlit's runtime, which exists only once the server runs. The export browser
(kaleido) and python-docx stay unloaded until someone exports.

Run as ``python -m cli.launch run APP [streamlit options]`` — the arguments of ``streamlit``.
"""

from __future__ import annotations

import importlib
import sys

# What the first view of the map page imports, slowest first (``python -X importtime``).
PRELOAD: tuple[str, ...] = (
    "geopandas",
    "pandas",
    "plotly.graph_objects",
    "pydeck",
    "duckdb",
    "metrics.accounts",
    "metrics.card",
    "metrics.classify",
    "metrics.departments",
    "metrics.exports.sheets",
    "metrics.geometry",
    "metrics.queries",
    "metrics.regions",
)


def main(argv: list[str] | None = None) -> None:
    """Import :data:`PRELOAD`, then run Streamlit's command line with ``argv``."""
    for name in PRELOAD:
        importlib.import_module(name)
    from streamlit.web import cli

    sys.argv = ["streamlit", *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
