"""aksugeo: polling precincts, walking access and door-to-door canvassing on a map.

The library loads and validates precincts and households (:mod:`aksugeo.io`, by the schema in
:mod:`aksugeo.schema`), computes canvassing coverage (:mod:`aksugeo.coverage`) and writes the
results as a GeoPackage (:mod:`aksugeo.build`). Importing it loads no Streamlit, folium or
matplotlib.
"""

from aksugeo._errors import AksugeoError, CRSError, Problem, SettingsError, ValidationError

__version__ = "0.1.0"

__all__ = [
    "AksugeoError",
    "CRSError",
    "Problem",
    "SettingsError",
    "ValidationError",
    "__version__",
]
