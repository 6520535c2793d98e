"""aksugeo: polling precincts, walking access and door-to-door canvassing on a map.

The public API, as osmnx exposes its own: ``import aksugeo`` then ``aksugeo.open_build``,
``aksugeo.load_dataset``, ``aksugeo.load_network``, ``aksugeo.analyse_access`` ... Each name is
imported from its module when first used, so importing the package loads no Streamlit
or matplotlib (nor geopandas) until a function needs them.
"""

from __future__ import annotations

import importlib
from typing import Any

from aksugeo._errors import AksugeoError, CRSError, Problem, SettingsError, ValidationError

__version__ = "0.1.0"

# public name -> the module that defines it
_API = {
    "AccessSettings": "aksugeo.settings",
    "GapSettings": "aksugeo.settings",
    "load_dataset": "aksugeo.data.io",
    "validate": "aksugeo.data.io",
    "WalkNetwork": "aksugeo.walk.network",
    "load_network": "aksugeo.walk.network",
    "network_from_place": "aksugeo.walk.network",
    "analyse_access": "aksugeo.walk.access",
    "household_access": "aksugeo.walk.access",
    "band_statistics": "aksugeo.walk.access",
    "closer_precincts": "aksugeo.walk.access",
    "build": "aksugeo.build",
    "Build": "aksugeo.data.layers",
    "open_build": "aksugeo.data.layers",
    "open_canvass": "aksugeo.canvass.state",
    "coverage_summary": "aksugeo.canvass.coverage",
    "voters_by_category": "aksugeo.passport.rules",
    "assess": "aksugeo.passport.rules",
    "export_public": "aksugeo.passport.public",
    "write_report": "aksugeo.passport.report",
    "propose": "aksugeo.siting.scenarios",
    "parse_decision": "aksugeo.boundaries.decision",
    "apply_decision": "aksugeo.boundaries.match",
    "check_decision": "aksugeo.boundaries.check",
    "write_annex": "aksugeo.boundaries.commands",
}

__all__ = [
    "AccessSettings",
    "AksugeoError",
    "Build",
    "CRSError",
    "GapSettings",
    "Problem",
    "SettingsError",
    "ValidationError",
    "WalkNetwork",
    "__version__",
    "analyse_access",
    "apply_decision",
    "assess",
    "band_statistics",
    "build",
    "check_decision",
    "closer_precincts",
    "coverage_summary",
    "export_public",
    "household_access",
    "load_dataset",
    "load_network",
    "network_from_place",
    "open_build",
    "open_canvass",
    "parse_decision",
    "propose",
    "validate",
    "voters_by_category",
    "write_annex",
    "write_report",
]


def __getattr__(name: str) -> Any:  # noqa: ANN401  (whatever the named module defines)
    """Import a public name from its module when it is first used (PEP 562)."""
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'aksugeo' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """List the public API with the module's own names."""
    return sorted({*globals(), *_API})
