"""The colours every drawing uses: the dashboard's map, the printed passports, the notebooks."""

from __future__ import annotations

CATEGORY_COLOURS = {"accessible": "#1a9850", "partly_accessible": "#f0a400",
                    "not_accessible": "#d73027"}
NO_CATEGORY = "#777777"  # no passport
# a category as a mark as well as a colour (the page's tables, the printed summary; the map
# draws the same shapes: filled, half, a ring)
CATEGORY_MARKS = {"accessible": "●", "partly_accessible": "◐", "not_accessible": "○"}
# the same shapes as the map script draws them (filled, half, a ring)
CATEGORY_SHAPES = {"accessible": "full", "partly_accessible": "half", "not_accessible": "ring"}
# minutes; ColorBrewer YlGnBu, a step in hue as well as lightness between neighbours (four
# blues of one hue could hardly be told apart at 35 % opacity)
BAND_COLOURS = {5: "#253494", 10: "#2c7fb8", 15: "#41b6c4", 20: "#c7e9b4"}
_BLUES = list(BAND_COLOURS.values())  # from the nearest band to the farthest


def band_colours(bands_min: tuple[int, ...] | list[int]) -> dict[int, str]:
    """Return a colour for each band of a build, darkest nearest, as BAND_COLOURS for 5-20."""
    bands = sorted(bands_min)
    if len(bands) <= len(_BLUES):
        picks = [round(i * (len(_BLUES) - 1) / max(len(bands) - 1, 1)) for i in range(len(bands))]
        return {m: _BLUES[k] for m, k in zip(bands, picks, strict=True)}
    return {m: _BLUES[min(i, len(_BLUES) - 1)] for i, m in enumerate(bands)}
COVERED, GAP = "#1a9850", "#d73027"
CONFLICT = "#c51b7d"  # a conflict of the akim's decision with the registry (magenta: no category)
