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

from dataclasses import dataclass, replace
from functools import cached_property, lru_cache

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Transformer

from aksugeo.settings import AccessSettings
from aksugeo.walk.network import WalkNetwork

OK = "ok"
NOT_GEOCODED = "not_geocoded"
STATUS_DTYPE = "<U24"  # fixed-width text: compared and filled in C
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

    @cached_property
    def ok(self) -> np.ndarray:
        """Mask of the points that are on the network."""
        return self.status == OK

    def __len__(self) -> int:
        """Return the number of points."""
        return len(self.edge)


def on_view(snap: Snap, view: WalkNetwork, net: WalkNetwork) -> Snap:
    """Return a snap to ``net`` as on ``view``, another view of the same edges.

    The same edges, each offset in ``view``'s costs instead of ``net``'s: a plain snap on a
    profile's view that closes no edge (so no fragment more, and no snap on a closed edge), or
    a profile's snap back in metres (``on_view(snap, plain, profile_view)``).
    """
    e = np.maximum(snap.edge, 0)
    ratio = np.divide(view.length_m[e], net.length_m[e], out=np.ones(len(e)),
                      where=net.length_m[e] > 0)
    return replace(snap, offset_m=snap.offset_m * ratio)


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
    geoms = np.asarray(points.values, dtype=object)
    n = len(geoms)
    edge = np.full(n, -1, dtype=np.int64)
    offset = np.full(n, np.nan)
    dist = np.full(n, np.nan)
    status = np.full(n, NOT_GEOCODED, dtype=STATUS_DTYPE)
    moved = np.zeros(n, dtype=bool)
    idx = np.flatnonzero(~(shapely.is_missing(geoms) | shapely.is_empty(geoms)))
    if len(idx) == 0 or net.n_edges == 0:
        return Snap(edge, offset, dist, status, moved)
    x, y = _metric_xy(geoms[idx], points.crs, net.crs)
    near, d, frac, past = snap_xy(net, x, y, max_m=max_m,
                                  min_component_nodes=min_component_nodes)
    moved[idx] = past
    ok = near >= 0
    rows = idx[ok]
    edge[rows] = near[ok]
    offset[rows] = frac[ok] * net.length_m[near[ok]]
    dist[rows] = d[ok]
    status[rows] = OK
    far = idx[~ok]  # off the network: how far, for the record
    if len(far):
        _, far_d = net.tree.query_nearest(shapely.points(x[~ok], y[~ok]), return_distance=True,
                                          all_matches=False)
        dist[far] = far_d
        status[far] = OFF_NETWORK
    return Snap(edge, offset, dist, status, moved)


def foot_xy(net: WalkNetwork, snap: Snap, k: int) -> tuple[float, float]:
    """Return where snapped point ``k`` meets its street (its foot on its edge), metric CRS."""
    e = snap.edge[k]
    f = snap.offset_m[k] / max(float(net.length_m[e]), 1e-12)
    return (float(net.x[net.u[e]] + f * (net.x[net.v[e]] - net.x[net.u[e]])),
            float(net.y[net.u[e]] + f * (net.y[net.v[e]] - net.y[net.u[e]])))


def snap_xy(net: WalkNetwork, x: np.ndarray, y: np.ndarray, *, max_m: float,
            min_component_nodes: int = MIN_COMPONENT_NODES,
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Snap coordinates in the network's CRS: the arrays behind :func:`snap_points`.

    Returns
    -------
    edge, dist_m, frac, moved : numpy.ndarray
        The edge (-1 when none is within ``max_m``), the distance to it, where along it (0 to
        1 from its ``u`` end), and whether the point was snapped past a fragment.
    """
    near, d, frac = net.nearest_edges(x, y, limit_m=max_m)
    moved = np.zeros(len(near), dtype=bool)
    fragment = net.fragment_edges(min_component_nodes)
    on_fragment = np.flatnonzero((near >= 0) & fragment[np.maximum(near, 0)])
    if len(on_fragment) and not fragment.all():
        f_near, f_d, f_frac = net.nearest_edges(x[on_fragment], y[on_fragment],
                                                allowed=~fragment, limit_m=max_m)
        hit = f_near >= 0
        near[on_fragment[hit]] = f_near[hit]
        d[on_fragment[hit]] = f_d[hit]
        frac[on_fragment[hit]] = f_frac[hit]
        moved[on_fragment[hit]] = True
    return near, d, frac, moved


@lru_cache(maxsize=16)
def _transformer(src: str, dst: str) -> Transformer:
    return Transformer.from_crs(src, dst, always_xy=True)


def _metric_xy(geoms: np.ndarray, crs: CRS, metric: CRS) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates of the points (centroids of other shapes) in the network's CRS."""
    if not (shapely.get_type_id(geoms) == 0).all():
        geoms = shapely.centroid(geoms)
    x, y = shapely.get_x(geoms), shapely.get_y(geoms)
    if crs is not metric and crs.srs != metric.srs:
        x, y = _transformer(crs.srs, metric.srs).transform(x, y)
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)
