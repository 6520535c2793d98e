"""Catchments: the area from which each precinct is the nearest on foot (a network Voronoi).

Points every ``sample_m`` along every street take the label of the precinct nearest to them
by walking; the Voronoi cells of those points, dissolved by label, split the land between the
precincts along the lines where the walks to two of them are equal. The result is clipped to
the land within ``reach_m`` of a street (and to a study area when given): land no street
reaches is nobody's catchment.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.errors import GEOSException

from aksugeo.walk.isochrones import buffered_union
from aksugeo.walk.network import WalkNetwork
from aksugeo.walk.routing import improve
from aksugeo.walk.snapping import Snap


def street_samples(net: WalkNetwork, node_dist: np.ndarray, node_label: np.ndarray,
                   snap: Snap, which: np.ndarray, *, sample_m: float,
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Return points along the streets and the nearest source of each (-1 where none).

    Parameters
    ----------
    net : WalkNetwork
        The network.
    node_dist, node_label : numpy.ndarray
        From :func:`aksugeo.walk.routing.nearest_source`.
    snap : Snap
        Snapped sources.
    which : numpy.ndarray
        Indices of the sources in ``snap``; labels are positions in it.
    sample_m : float
        Spacing of the points along each edge.

    Returns
    -------
    xy : numpy.ndarray
        ``n x 2`` coordinates: every node, then points inside edges.
    label : numpy.ndarray
        Position in ``which`` of each point's nearest source.
    """
    length = net.length_m
    count = np.floor(np.maximum(length - 1e-6, 0) / sample_m).astype(np.int64)
    edge = np.repeat(np.arange(net.n_edges), count)
    first = np.repeat(np.cumsum(count) - count, count)
    along = (np.arange(len(edge)) - first + 1) * sample_m
    via_u = node_dist[net.u[edge]] + along
    via_v = node_dist[net.v[edge]] + length[edge] - along
    label = np.where(via_u <= via_v, node_label[net.u[edge]], node_label[net.v[edge]])
    best = np.minimum(via_u, via_v)
    # on a source's own edge, the walk may run straight from it
    own = pd.DataFrame({"i": np.arange(len(edge)), "edge": edge}).merge(
        pd.DataFrame({"j": np.arange(len(which)), "edge": snap.edge[which]}), on="edge")
    i, j = own["i"].to_numpy(), own["j"].to_numpy()
    improve(best, label, i, snap.snap_m[which[j]] + np.abs(along[i] - snap.offset_m[which[j]]), j)
    frac = along / np.maximum(length[edge], 1e-12)
    x = net.x[net.u[edge]] + (net.x[net.v[edge]] - net.x[net.u[edge]]) * frac
    y = net.y[net.u[edge]] + (net.y[net.v[edge]] - net.y[net.u[edge]]) * frac
    xy = np.concatenate([np.column_stack([net.x, net.y]), np.column_stack([x, y])])
    return xy, np.concatenate([node_label, label])


def catchment_polygons(net: WalkNetwork, nearest: tuple[np.ndarray, np.ndarray], snap: Snap,
                       which: np.ndarray, ids: np.ndarray, *, sample_m: float,
                       reach_m: float, study_area: object = None) -> gpd.GeoDataFrame:
    """Return each source's catchment polygon.

    Parameters
    ----------
    net : WalkNetwork
        The network.
    nearest : tuple of numpy.ndarray
        Node distances and labels from :func:`aksugeo.walk.routing.nearest_source` for ``which``.
    snap : Snap
        Snapped sources.
    which : numpy.ndarray
        Indices of the sources in ``snap``.
    ids : numpy.ndarray
        The id of every point in ``snap`` (``precinct_id``).
    sample_m : float
        Spacing of the labelled points along the streets.
    reach_m : float
        Land farther than this from every street belongs to no catchment.
    study_area : shapely geometry, optional
        A further clip, in the network's CRS.

    Returns
    -------
    geopandas.GeoDataFrame
        ``precinct_id`` and a valid (Multi)Polygon per source that reaches any street;
        the polygons do not overlap.
    """
    node_dist, node_label = nearest
    xy, label = street_samples(net, node_dist, node_label, snap, which, sample_m=sample_m)
    keep = label >= 0
    xy, label = xy[keep], label[keep]
    _, first = np.unique(np.round(xy, 2), axis=0, return_index=True)
    first.sort()
    xy, label = xy[first], label[first]
    area = buffered_union(net.lines[np.isfinite(node_dist[net.u])], reach_m)
    if study_area is not None:
        area = shapely.intersection(area, study_area)
    cells = shapely.get_parts(shapely.voronoi_polygons(
        shapely.multipoints(xy), extend_to=shapely.envelope(area).buffer(reach_m),
        ordered=True))
    shapely.prepare(area)
    rows = []
    for j in np.unique(label):
        mine = cells[label == j]
        try:
            merged = shapely.coverage_union_all(mine)
        except GEOSException:  # numerically imperfect coverage: the slower exact union
            merged = shapely.union_all(mine)
        poly = shapely.make_valid(shapely.intersection(merged, area))
        if not poly.is_empty:
            rows.append({"precinct_id": ids[which[j]], "geometry": poly})
    return gpd.GeoDataFrame(rows or {"precinct_id": [], "geometry": []}, geometry="geometry",
                            crs=net.crs)
