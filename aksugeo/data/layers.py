"""A finished build: its layers by name, its recorded settings, and the one way to open it.

``aksugeo build`` writes one GeoPackage; every reader (the report, the dashboard, the canvass,
siting, the export, the notebooks) opens it with :func:`open_build`, which checks that the
file is there and is a build, and hands back a :class:`Build`: layers read when first asked
for, the access and gap settings the build used (typed, from its metadata), its data
directory and network, and whether a layer is there. Layer names live here, once.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from aksugeo._errors import AksugeoError
from aksugeo.data.io import (
    existing_gpkg,
    read_geopackage,
    read_metadata,
    read_spatial,
    read_visit_log,
)
from aksugeo.settings import (
    DEFAULT_DB,
    GPKG_NAME,
    AccessSettings,
    GapSettings,
    settings_from_json,
)

__all__ = ["DEFAULT_DB", "GPKG_NAME", "Build", "open_build"]


# the layers a build writes
PRECINCTS = "precincts"
HOUSEHOLDS = "households"
ISOCHRONES = "isochrones"
ISOCHRONES_REDUCED = "isochrones_reduced"
ISOCHRONES_WHEELCHAIR = "isochrones_wheelchair"  # step-free, from the accessible entrances
CATCHMENTS = "catchments"
ACCESS_BY_PRECINCT = "access_by_precinct"
CLOSER_PRECINCT = "closer_precinct"
COVERAGE = "coverage"
GAPS = "gaps"
COVERAGE_BY_PRECINCT = "coverage_by_precinct"
COVERAGE_BY_DAY = "coverage_by_day"
BLOCKS = "blocks"
CANDIDATE_SITES = "candidate_sites"
ACCESSIBILITY_BY_CATEGORY = "accessibility_by_category"
PASSPORT_REMEDIES = "passport_remedies"
BOUNDARY = "boundary"
VISITS = "visits"
# what `aksugeo siting` writes beside them
SITING_SITES = "siting_sites"
SITING_CATCHMENTS = "siting_catchments"
SITING_FIGURES = "siting_figures"
SITING_ASSIGNMENT = "siting_assignment"  # each household's precinct in the proposal
# what `aksugeo boundaries check` writes (and the build, from the data's decision)
BOUNDARY_CONFLICTS = "boundary_conflicts"
DECISION_ASSIGNMENT = "decision_assignment"
#: The metadata key of the secret the public export rounds its counts with (never published)
DISCLOSURE_KEY = "disclosure_key"


@dataclass
class Build:
    """A GeoPackage written by ``aksugeo build``, opened by :func:`open_build`.

    Attributes
    ----------
    path : Path
        The ``.gpkg`` file.
    meta : dict
        Its metadata, as text (source, synthetic flag, dates, network, settings).
    """

    path: Path
    meta: dict[str, str]
    _frames: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    @cached_property
    def layers(self) -> list[str]:
        """The names of the layers (and tables) in the file."""
        return [str(name) for name, _ in pyogrio.list_layers(self.path)]

    def has_layer(self, name: str) -> bool:
        """Return whether the build holds layer ``name``."""
        return name in self.layers

    def layer(self, name: str) -> pd.DataFrame:
        """Return layer ``name`` (a GeoDataFrame when it has geometry), read once and kept."""
        if name not in self._frames:
            if not self.has_layer(name):
                raise AksugeoError(f"{self.path}: no layer {name!r} in this build; run "
                                   "`aksugeo build` again with the data it needs")
            self._frames[name] = read_geopackage(self.path, name)
        return self._frames[name]

    def spatial(self, name: str) -> gpd.GeoDataFrame:
        """Return spatial layer ``name`` (an error for a table without geometry)."""
        frame = self.layer(name)
        if not isinstance(frame, gpd.GeoDataFrame):
            return read_spatial(self.path, name)  # raises the clear error
        return frame

    @property
    def visits(self) -> pd.DataFrame:
        """The visit log as it stands now (read afresh each time: imports add to it)."""
        return read_visit_log(self.path)

    def layer_meta(self, name: str) -> dict[str, str]:
        """Return what layer ``name`` recorded about itself (its metadata, as text)."""
        return read_metadata(self.path, name)

    @cached_property
    def settings(self) -> AccessSettings:
        """The walking settings the build used (the defaults for a build that recorded none)."""
        return settings_from_json(AccessSettings, self.meta.get("access_settings"))

    @cached_property
    def gap_settings(self) -> GapSettings:
        """The block and lot settings of the build's coverage polygons."""
        return settings_from_json(GapSettings, self.meta.get("gap_settings"))

    @property
    def synthetic(self) -> bool:
        """Whether the build's data set is the synthetic one."""
        return self.meta.get("synthetic") == "True"

    @property
    def data_dir(self) -> Path | None:
        """The data directory the build read, when recorded."""
        text = self.meta.get("data_dir")
        return Path(text) if text else None

    @property
    def network_path(self) -> Path | None:
        """The OSM file the build walked on, when it was a file and still is."""
        text = self.meta.get("network_path") or self.meta.get("network") or ""
        path = Path(text) if text else None
        return path if path is not None and path.is_file() else None


def open_build(path: str | Path = DEFAULT_DB) -> Build:
    """Open a GeoPackage written by ``aksugeo build``.

    Parameters
    ----------
    path : str or Path
        The ``.gpkg`` file (``out/aksugeo.gpkg`` by default), or the folder holding it.

    Returns
    -------
    Build
        The build, its layers read when first asked for.

    Raises
    ------
    AksugeoError
        When the file is missing, is not a GeoPackage, or is not a build of aksugeo.
    """
    path = Path(path)
    if path.is_dir():
        path = path / GPKG_NAME
    path = existing_gpkg(path)
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
            con.execute("SELECT 1 FROM gpkg_contents LIMIT 1").fetchall()
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # its schema's text damaged
        raise AksugeoError(f"{path}: not a GeoPackage ({exc}); give the aksugeo.gpkg that "
                           "`aksugeo build` wrote") from exc
    names = {str(name) for name, _ in pyogrio.list_layers(path)}
    if PRECINCTS not in names or HOUSEHOLDS not in names:
        raise AksugeoError(f"{path}: a GeoPackage, but not a build of aksugeo (no precincts "
                           "and households layers); run `aksugeo build`")
    return Build(path, read_metadata(path, PRECINCTS))
