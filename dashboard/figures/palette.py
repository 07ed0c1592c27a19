"""Colours for maps and legends: a colour-blind-safe sequential scale and a distinct no-data grey.

ColorBrewer's YlOrRd (Brewer, colorbrewer2.org: "colorblind safe", "print friendly") — light for a
light burden, dark red for a heavy one. Pure Python, shared by the app and static exports.
"""

from __future__ import annotations

import numpy as np

# ColorBrewer YlOrRd, 7 classes; fewer classes take an evenly spaced subset.
YLORRD_7 = ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026")
NO_DATA = "#bdbdbd"  # neutral grey, outside the yellow–red ramp
OUTLINE = "#4d4d4d"


def sequential(k: int) -> list[str]:
    """``k`` colours (1 ≤ k ≤ 7) of the sequential scale, light to dark.

    Examples
    --------
    >>> sequential(3)
    ['#ffffb2', '#fd8d3c', '#b10026']

    """
    if not 1 <= k <= len(YLORRD_7):
        raise ValueError(f"k must be between 1 and {len(YLORRD_7)}, got {k}")
    idx = np.round(np.linspace(0, len(YLORRD_7) - 1, k)).astype(int)
    return [YLORRD_7[i] for i in idx]


def hex_to_rgba(colour: str, alpha: int = 255) -> list[int]:
    """``'#rrggbb'`` → ``[r, g, b, alpha]`` as deck.gl expects.

    Examples
    --------
    >>> hex_to_rgba("#ff0080", 200)
    [255, 0, 128, 200]

    """
    c = colour.lstrip("#")
    return [int(c[i : i + 2], 16) for i in (0, 2, 4)] + [alpha]


def class_colours(classes: list[int | None], k: int) -> list[str]:
    """Colour per region from its class index (``None`` = no data)."""
    ramp = sequential(k)
    return [NO_DATA if c is None else ramp[c] for c in classes]
