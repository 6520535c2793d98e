"""The colours every drawing uses: the dashboard's map, the printed passports, the notebooks."""

from __future__ import annotations

CATEGORY_COLOURS = {"accessible": "#1a9850", "partly_accessible": "#f0a400",
                    "not_accessible": "#d73027"}
NO_CATEGORY = "#777777"  # no passport
BAND_COLOURS = {5: "#08519c", 10: "#3182bd", 15: "#6baed6", 20: "#bdd7e7"}  # minutes
COVERED, GAP = "#1a9850", "#d73027"
