"""The metric CRS of the data, chosen from the data: UTM zone of its centre."""

from __future__ import annotations

import geopandas as gpd
from pyproj import CRS

from aksugeo._errors import CRSError


def metric_crs(gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> CRS:
    """Return the UTM CRS that suits the data's centre (EPSG:32643 for Aksu).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame or GeoSeries
        Data with a CRS.

    Returns
    -------
    pyproj.CRS
        The UTM zone of the centre of the data's bounds.

    Raises
    ------
    CRSError
        When the data have no CRS.
    """
    if gdf.crs is None:
        raise CRSError("the data have no CRS: set it (for lon/lat, EPSG:4326) before use")
    return gdf.estimate_utm_crs()


def to_metric(gdf: gpd.GeoDataFrame, crs: CRS | None = None) -> gpd.GeoDataFrame:
    """Return a copy of ``gdf`` in a metric CRS (``crs``, or the data's UTM zone).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Data with a CRS.
    crs : pyproj.CRS, optional
        The metric CRS to use; chosen from the data when not given.

    Returns
    -------
    geopandas.GeoDataFrame
        The data in metres.
    """
    target = crs if crs is not None else metric_crs(gdf)
    if not CRS(target).is_projected:
        raise CRSError(f"{CRS(target).to_string()} is not a metric (projected) CRS")
    return gdf.to_crs(target)
