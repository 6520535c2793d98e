"""Snap points (buildings, precincts) to the nearest edge of the walking network, not node.

The walk from a building starts with the straight stretch to the street (``snap_m``), then
runs along the street from the snapped point, in either direction.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from aksugeo.network import WalkNetwork

OK = "ok"
NOT_GEOCODED = "not_geocoded"
OFF_NETWORK = "off_network"


@dataclass(frozen=True)
class Snap:
    """Where each point meets the network.

    Attributes
    ----------
    edge : numpy.ndarray
        The edge each point is snapped to (index into the network's edges), -1 when it is not.
    offset_m : numpy.ndarray
        Distance along the edge from its ``u`` end to the snapped point, in metres.
    snap_m : numpy.ndarray
        Straight-line distance from the point to the edge, in metres (NaN with no geometry).
    status : numpy.ndarray
        ``ok``, ``off_network`` (farther than the limit from any street) or ``not_geocoded``.
    """

    edge: np.ndarray
    offset_m: np.ndarray
    snap_m: np.ndarray
    status: np.ndarray

    @property
    def ok(self) -> np.ndarray:
        """Mask of the points that are on the network."""
        return self.status == OK

    def __len__(self) -> int:
        """Return the number of points."""
        return len(self.edge)


def snap_points(net: WalkNetwork, points: gpd.GeoSeries, *, max_m: float) -> Snap:
    """Snap each point to its nearest edge.

    Parameters
    ----------
    net : WalkNetwork
        The network.
    points : geopandas.GeoSeries
        Points in any CRS (reprojected to the network's); missing or empty ones are
        ``not_geocoded``.
    max_m : float
        Points farther than this from every edge are ``off_network``.

    Returns
    -------
    Snap
        One entry per point, in order.
    """
    if points.crs is None:
        raise ValueError("the points have no CRS")
    geoms = points.to_crs(net.crs).to_numpy()
    n = len(geoms)
    edge = np.full(n, -1, dtype=np.int64)
    offset = np.full(n, np.nan)
    dist = np.full(n, np.nan)
    status = np.full(n, NOT_GEOCODED, dtype=object)
    has = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    idx = np.flatnonzero(has)
    if len(idx):
        found, nearest, d = _nearest(net, geoms[idx])
        rows = idx[found]
        dist[rows] = d
        near = d <= max_m
        status[rows] = np.where(near, OK, OFF_NETWORK)
        rows, nearest = rows[near], nearest[near]
        edge[rows] = nearest
        frac = shapely.line_locate_point(net.lines[nearest], geoms[rows], normalized=True)
        offset[rows] = frac * net.length_m[nearest]
    return Snap(edge, offset, dist, status)


def _nearest(net: WalkNetwork, geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    pairs, d = net.tree.query_nearest(geoms, return_distance=True, all_matches=False)
    return pairs[0], pairs[1], d
