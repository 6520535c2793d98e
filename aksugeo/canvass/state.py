"""Canvassing on a built GeoPackage: coverage as of a date, progress, gaps and turfs.

These functions read what ``aksugeo build`` wrote (households, precincts, the visit log and the
network the build walked on) and serve ``aksugeo canvass status|turfs``, the dashboard and the
notebooks alike.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from aksugeo._errors import AksugeoError
from aksugeo.canvass.areas import CoverageAreas, coverage_areas, lots_of
from aksugeo.canvass.coverage import as_of_day, coverage_table, household_coverage, progress
from aksugeo.canvass.turfs import MARGIN_M, Turfs, cut_turfs
from aksugeo.canvass.visitlog import read_visits
from aksugeo.data.io import read_metadata
from aksugeo.data.layers import BOUNDARY, DEFAULT_DB, HOUSEHOLDS, PRECINCTS, open_build
from aksugeo.data.schema import WGS84
from aksugeo.settings import AccessSettings, GapSettings
from aksugeo.walk.network import WalkNetwork, load_network

_HOUSEHOLD_COLUMNS = ["household_id", "kind", "address", "settlement", "precinct_id",
                      "dwellings", "voters", "geometry"]


@dataclass
class Canvass:
    """The layers of a built GeoPackage that canvassing works on.

    Attributes
    ----------
    db : Path
        The GeoPackage.
    households : geopandas.GeoDataFrame
        Households (WGS84) with their precinct, dwellings and voters.
    precincts : geopandas.GeoDataFrame
        Precincts (WGS84).
    visits : pandas.DataFrame
        The visit log.
    metadata : dict
        What the build recorded (network file, metric CRS, coverage date).
    settings : AccessSettings
        The build's walking settings (turfs walk at its speed).
    gap_settings : GapSettings
        The build's block and lot settings (the areas are drawn as the build drew them).
    """

    db: Path
    households: gpd.GeoDataFrame
    precincts: gpd.GeoDataFrame
    visits: pd.DataFrame
    metadata: dict[str, str]
    settings: AccessSettings = field(default_factory=AccessSettings)
    gap_settings: GapSettings = field(default_factory=GapSettings)

    def as_of(self, day: str | pd.Timestamp | None = None) -> pd.Timestamp:
        """Return the day counted to: ``day``, or the last visit's."""
        return as_of_day(self.visits, day)

    def coverage(self, as_of: str | pd.Timestamp | None = None) -> pd.DataFrame:
        """Return per household ``covered``, ``first_visit``, ``visits``, ``first_wave``."""
        return household_coverage(self.households, self.visits, self.as_of(as_of))

    def table(self, as_of: str | pd.Timestamp | None = None) -> pd.DataFrame:
        """Return coverage per precinct and in all, by kind and wave (see coverage_table)."""
        return coverage_table(self.households, self.visits, self.as_of(as_of))

    def progress(self, *, by_precinct: bool = False) -> pd.DataFrame:
        """Return coverage day by day (see :func:`aksugeo.canvass.coverage.progress`)."""
        return progress(self.households, self.visits, by="precinct_id" if by_precinct else None)

    def network(self, path: str | Path | None = None) -> WalkNetwork:
        """Return the walking network the build used (or the OSM file ``path``)."""
        source = path or self.metadata.get("network_path") or self.metadata.get("network")
        if not source or not Path(source).is_file():
            raise AksugeoError(f"{self.db}: the network the build walked on ({source or '?'}) "
                               "is not there; give the OSM file with --network")
        return load_network(source)

    def boundary(self, crs: object) -> object | None:
        """Return the study area in ``crs`` (None when the build had none)."""
        built = open_build(self.db)
        if not built.has_layer(BOUNDARY):
            return None
        return built.spatial(BOUNDARY).to_crs(crs).union_all()

    def areas(self, net: WalkNetwork, as_of: str | pd.Timestamp | None = None, *,
              settings: GapSettings | None = None) -> CoverageAreas:
        """Return the coverage and gap polygons as of a date (metric CRS)."""
        covered = self.coverage(as_of)["covered"].to_numpy()
        return coverage_areas(net, self.households, covered, area=self.boundary(net.crs),
                              settings=settings or self.gap_settings)

    def known(self, precinct_id: int) -> int:
        """Return how many households the precinct has; refuse a number the build lacks.

        Raises
        ------
        AksugeoError
            When the build has no such precinct (the message gives the numbers it has).
        """
        known = set(self.precincts["precinct_id"].astype(int))
        if int(precinct_id) not in known:
            raise AksugeoError(f"{self.db}: no precinct {precinct_id} (precincts "
                               f"{min(known)}-{max(known)})")
        return int((self.households["precinct_id"].astype(int) == int(precinct_id)).sum())

    def turfs(self, net: WalkNetwork, precinct_id: int, *, doors: int = 60,
              as_of: str | pd.Timestamp | None = None,
              speed_kmh: float | None = None) -> Turfs:
        """Cut a precinct's households not visited by ``as_of`` into turfs of about N doors.

        Walking times are at ``speed_kmh``, by default the build's walking speed.
        """
        speed_kmh = self.settings.speed_kmh if speed_kmh is None else speed_kmh
        self.known(precinct_id)
        mine = (self.households["precinct_id"].astype(int) == int(precinct_id)).to_numpy()
        todo = mine & ~self.coverage(as_of)["covered"].to_numpy()
        pts = self.households.geometry.to_crs(net.crs).to_numpy()
        # a lot depends on its block's buildings only (or those within 2 lot_m in open land):
        # the buildings within the margin around the precinct's are all it takes
        lots = np.empty(len(pts), dtype=object)
        if todo.any():
            x0, y0, x1, y1 = shapely.total_bounds(pts[todo])
            near = shapely.intersects(shapely.box(x0 - MARGIN_M, y0 - MARGIN_M, x1 + MARGIN_M,
                                                  y1 + MARGIN_M), pts)
            lots[near] = lots_of(net, pts[near], self.boundary(net.crs))
        point = self.precincts.loc[self.precincts["precinct_id"].astype(int) == int(precinct_id),
                                   "geometry"]
        settings = dataclasses.replace(self.settings, speed_kmh=speed_kmh)
        return cut_turfs(net, self.households[todo], point, doors=doors, settings=settings,
                         prefix=f"{precinct_id}-",
                         lots=lots[todo])


def open_canvass(db: str | Path = DEFAULT_DB) -> Canvass:
    """Read the canvassing layers of a GeoPackage written by ``aksugeo build``.

    Parameters
    ----------
    db : str or Path
        The GeoPackage (``out/aksugeo.gpkg`` by default).

    Returns
    -------
    Canvass
        Households, precincts, the visit log and the build's metadata.
    """
    built = open_build(db)
    households = built.spatial(HOUSEHOLDS)
    missing = [c for c in _HOUSEHOLD_COLUMNS if c not in households.columns]
    if missing:
        raise AksugeoError(f"{built.path}: layer 'households' lacks {', '.join(missing)}; "
                           "rebuild it with `aksugeo build`")
    households = households[_HOUSEHOLD_COLUMNS].to_crs(WGS84)
    precincts = built.spatial(PRECINCTS).to_crs(WGS84)
    return Canvass(built.path, households, precincts, read_visits(built.path),
                   read_metadata(built.path, HOUSEHOLDS), built.settings, built.gap_settings)
