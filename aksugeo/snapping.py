"""Snap points (buildings, precincts) to the nearest edge of the walking network, not node.

The walk from a building starts with the straight stretch to the street (``snap_m``), then
runs along the street from the snapped point, in either direction.

Fragments: a connected piece of the network with fewer than ``min_component_nodes`` nodes
(a pedestrian square's outline, a private courtyard cut off by its gate, a footway clipped by
the extract) leads nowhere. A point whose nearest edge lies on a fragment is snapped to the
nearest edge of a larger piece instead, when one lies within ``max_m`` (as OSRM and Valhalla
snap past such pieces); a point with no larger piece in reach stays on its fragment (a hamlet
whose few streets join nothing else). The largest piece of the network is never a fragment.
``Snap.moved`` says which points were moved off a fragment.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from aksugeo.network import WalkNetwork
from aksugeo.settings import AccessSettings

OK = "ok"
NOT_GEOCODED = "not_geocoded"
MIN_COMPONENT_NODES = AccessSettings.min_component_nodes
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
    moved : numpy.ndarray
        True where the nearest edge lay on a fragment and the point was snapped past it.
    """

    edge: np.ndarray
    offset_m: np.ndarray
    snap_m: np.ndarray
    status: np.ndarray
    moved: np.ndarray

    @property
    def ok(self) -> np.ndarray:
        """Mask of the points that are on the network."""
        return self.status == OK

    def __len__(self) -> int:
        """Return the number of points."""
        return len(self.edge)


def snap_points(net: WalkNetwork, points: gpd.GeoSeries, *, max_m: float,
                min_component_nodes: int = MIN_COMPONENT_NODES) -> Snap:
    """Snap each point to its nearest edge, past fragments of the network.

    Parameters
    ----------
    net : WalkNetwork
        The network.
    points : geopandas.GeoSeries
        Points in any CRS (reprojected to the network's); missing or empty ones are
        ``not_geocoded``.
    max_m : float
        Points farther than this from every edge are ``off_network``.
    min_component_nodes : int
        Pieces of the network with fewer nodes are fragments (see the module docstring);
        1 snaps every point to its nearest edge, whatever piece it lies on.

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
    moved = np.zeros(n, dtype=bool)
    has = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    idx = np.flatnonzero(has)
    if len(idx):
        found, nearest, d = _nearest(net.tree, geoms[idx])
        fragment = net.fragment_edges(min_component_nodes)
        on_fragment = np.flatnonzero(fragment[nearest])
        if len(on_fragment) and not fragment.all():
            main = np.flatnonzero(~fragment)
            f_found, f_near, f_d = _nearest(net.main_tree(min_component_nodes),
                                            geoms[idx[found[on_fragment]]], max_m=max_m)
            hit = on_fragment[f_found]
            nearest[hit], d[hit] = main[f_near], f_d
            moved[idx[found[hit]]] = True
        rows = idx[found]
        dist[rows] = d
        near = d <= max_m
        status[rows] = np.where(near, OK, OFF_NETWORK)
        rows, nearest = rows[near], nearest[near]
        edge[rows] = nearest
        frac = shapely.line_locate_point(net.lines[nearest], geoms[rows], normalized=True)
        offset[rows] = frac * net.length_m[nearest]
    return Snap(edge, offset, dist, status, moved)


def _nearest(tree: shapely.STRtree, geoms: np.ndarray, max_m: float | None = None,
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positions in ``geoms`` that found an edge, the edge (index into the tree), distance."""
    pairs, d = tree.query_nearest(geoms, max_distance=max_m, return_distance=True,
                                  all_matches=False)
    return pairs[0], pairs[1], d
