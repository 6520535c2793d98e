"""Turf cutting: a precinct's unvisited households split into walks of about N doors.

The households are snapped to the walking network, a walk through all of them is found along
the streets (nearest neighbour from the precinct, then 2-opt on the walking distances), and the
walk is cut into consecutive stretches of about ``doors`` doors each (an apartment building
counts its apartments). Stretches of one good walk are compact and run along streets. Each turf
gets its walking order, its length along the network, and a polygon: its households' lots
(see :mod:`aksugeo.canvass.areas`) joined by the streets walked.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from aksugeo._errors import AksugeoError
from aksugeo.canvass.areas import GRID_M, lots_of
from aksugeo.settings import AccessSettings
from aksugeo.walk.distances import walks_within
from aksugeo.walk.network import WalkNetwork
from aksugeo.walk.routing import walk_path
from aksugeo.walk.snapping import Snap, snap_points

#: Streets taken into the search around a precinct's households, in metres beyond them.
PATH_BUFFER_M = 6.0
# the lots of a precinct's households depend on the buildings within this of them
MARGIN_M = 1500.0


@dataclass
class Turfs:
    """Turfs of one precinct.

    Attributes
    ----------
    turfs : geopandas.GeoDataFrame
        One row per turf (metric CRS): ``turf_id``, ``precinct_id``, ``doors``,
        ``households``, ``voters``, ``walk_m``, ``walk_min``, polygon.
    stops : pandas.DataFrame
        One row per household, in walking order within each turf: ``turf_id``, ``order``,
        the household's columns, ``leg_m`` (walk from the previous stop), ``walk_m``
        (cumulative) and ``reach`` (``ok`` or ``off_network``).
    paths : geopandas.GeoSeries
        The streets walked, one line per turf.
    """

    turfs: gpd.GeoDataFrame
    stops: pd.DataFrame
    paths: gpd.GeoSeries


def walking_matrix(net: WalkNetwork, points: np.ndarray, *, max_snap_m: float,
                   min_component_nodes: int = 1) -> tuple[np.ndarray, Snap]:
    """Return walking distances between points along the network, and the points' snaps.

    The walks are the access engine's (:func:`aksugeo.walk.distances.walks_within`), so a turf
    is walked as access and siting measure it; :func:`aksugeo.walk.routing.walk_path` draws
    each walk from the same snaps.

    Parameters
    ----------
    net : WalkNetwork
        The network.
    points : numpy.ndarray
        Points in the network's CRS.
    max_snap_m : float
        Points farther from a street are off the network.
    min_component_nodes : int
        Snap past network fragments smaller than this (the build's setting).

    Returns
    -------
    dist : numpy.ndarray
        ``n x n`` metres between the points on the network (inf where not walkable).
    snap : Snap
        The points' snaps (``snap.ok``: on the network).
    """
    snap = snap_points(net, gpd.GeoSeries(points, crs=net.crs), max_m=max_snap_m,
                       min_component_nodes=min_component_nodes)
    coo = walks_within(net, snap, snap).tocoo()
    dist = np.full((len(points), len(points)), np.inf)
    dist[coo.row, coo.col] = coo.data
    np.fill_diagonal(dist, 0.0)
    return dist, snap


def _path(net: WalkNetwork, snap: Snap, points: np.ndarray, a: int, b: int,
          walk_m: float) -> list[tuple[float, float]]:
    """Return the coordinates of the walk from household ``a`` to ``b``, door to door."""
    return [(points[a].x, points[a].y), *walk_path(net, snap, a, b, walk_m=walk_m),
            (points[b].x, points[b].y)]


def walk_order(dist: np.ndarray, start: int) -> np.ndarray:
    """Return an open walk through every point: nearest neighbour from ``start``, then 2-opt.

    Parameters
    ----------
    dist : numpy.ndarray
        Symmetric ``n x n`` finite distances.
    start : int
        The first point.

    Returns
    -------
    numpy.ndarray
        The points in walking order.
    """
    n = len(dist)
    order = [start]
    left = np.ones(n, dtype=bool)
    left[start] = False
    for _ in range(n - 1):
        row = np.where(left, dist[order[-1]], np.inf)
        nxt = int(np.argmin(row))
        order.append(nxt)
        left[nxt] = False
    tour = np.array(order)
    for _ in range(100):  # 2-opt passes on the open path; the first point stays
        improved = False
        for i in range(n - 2):
            a, b = tour[i], tour[i + 1]
            c = tour[i + 2:]
            d_next = np.append(dist[c[:-1], c[1:]], 0.0)  # reversing to the end: no d
            after = np.append(tour[i + 3:], -1)
            gain = (dist[a, b] + d_next
                    - dist[a, c] - np.where(after >= 0, dist[b, np.maximum(after, 0)], 0.0))
            j = int(np.argmax(gain))
            if gain[j] > 1e-6:
                tour[i + 1:i + 3 + j] = tour[i + 1:i + 3 + j][::-1]
                improved = True
        if not improved:
            break
    return tour


def cut(doors: np.ndarray, target: int) -> np.ndarray:
    """Return the turf number of each stop of a walk, cutting it into about ``target`` doors.

    Parameters
    ----------
    doors : numpy.ndarray
        Doors at each stop, in walking order.
    target : int
        Doors wanted per turf.

    Returns
    -------
    numpy.ndarray
        0-based turf number per stop, non-decreasing along the walk.
    """
    total = int(doors.sum())
    # as many turfs as bring their mean size nearest the target (88 doors for 60: two of 44)
    low = max(1, total // target)
    k = min((low, low + 1), key=lambda n: abs(total / n - target))
    cum = np.cumsum(doors)
    cuts: list[int] = []
    for j in range(1, k):
        pos = int(np.argmin(np.abs(cum - j * total / k))) + 1  # stops before pos go first
        if (not cuts or pos > cuts[-1]) and pos < len(doors):
            cuts.append(pos)
    label = np.zeros(len(doors), dtype=np.int64)
    for c in cuts:
        label[c:] += 1
    return label


def cut_turfs(net: WalkNetwork, households: gpd.GeoDataFrame,  # noqa: PLR0915
              precinct: gpd.GeoSeries | None, *, doors: int = 60,
              settings: AccessSettings | None = None, prefix: str = "",
              lots: np.ndarray | None = None) -> Turfs:
    """Split households (a precinct's unvisited ones) into turfs of about ``doors`` doors.

    Parameters
    ----------
    net : WalkNetwork
        The walking network.
    households : geopandas.GeoDataFrame
        The households to split, with ``household_id``, ``dwellings``, ``voters``.
    precinct : geopandas.GeoSeries, optional
        The precinct's point: the walk starts at the household nearest to it.
    doors : int
        Doors wanted per turf (an apartment building counts its apartments).
    settings : AccessSettings, optional
        The build's: ``speed_kmh`` for ``walk_min``; ``max_snap_m`` (households farther from a
        street are off the network: they join the turf of the nearest household as the crow
        flies and are listed with ``reach = off_network``) and ``min_component_nodes``.
    prefix : str
        Put before each turf number in ``turf_id`` (the precinct: ``571-03``).
    lots : numpy.ndarray, optional
        Each household's lot (metric CRS), drawn among all the households around it (see
        :func:`aksugeo.canvass.areas.household_lots`); by default among ``households`` alone.

    Returns
    -------
    Turfs
        Every household in exactly one turf.
    """
    if doors < 1:
        raise AksugeoError(f"doors per turf must be at least 1, got {doors}")
    cols = [c for c in households.columns if c != "geometry"]
    if households.empty:
        return Turfs(gpd.GeoDataFrame(columns=["turf_id", "geometry"], geometry="geometry",
                                      crs=net.crs), pd.DataFrame(columns=cols),
                     gpd.GeoSeries([], crs=net.crs))
    hh = households.to_crs(net.crs).reset_index(drop=True)
    pts = hh.geometry.to_numpy()
    settings = settings or AccessSettings()
    dist, snap = walking_matrix(net, pts, max_snap_m=settings.max_snap_m,
                                min_component_nodes=settings.min_component_nodes)
    ok = snap.ok
    on = np.flatnonzero(ok)
    # a household cut off from the rest (another component) is walked to as the crow flies
    sub = dist[np.ix_(on, on)]
    crow = shapely.distance(pts[on][:, None], pts[on][None, :])
    sub = np.where(np.isfinite(sub), sub, crow * 10)
    if len(on):
        anchor = (precinct.to_crs(net.crs).iloc[0] if precinct is not None else pts[on[0]])
        first = int(np.argmin(shapely.distance(pts[on], anchor)))
        order = on[walk_order(sub, first)]
        label = cut(hh["dwellings"].to_numpy()[order], doors)
    else:
        order, label = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    turf_of = np.full(len(hh), -1, dtype=np.int64)
    turf_of[order] = label
    leg = np.zeros(len(hh))
    rank = np.full(len(hh), -1, dtype=np.int64)
    rank[order] = np.arange(len(order))
    for k in range(1, len(order)):
        if label[k] == label[k - 1]:
            leg[order[k]] = dist[order[k - 1], order[k]]
            if not np.isfinite(leg[order[k]]):
                leg[order[k]] = float(shapely.distance(pts[order[k - 1]], pts[order[k]]))
    off = np.flatnonzero(~ok)
    if len(off) and len(on):  # off the network: with the nearest household on it
        near = shapely.STRtree(pts[on]).nearest(pts[off])
        turf_of[off] = turf_of[on[near]]
        rank[off] = len(order) + np.arange(len(off))
    elif len(off):
        turf_of[off] = 0
        rank[off] = np.arange(len(off))
    stops = pd.DataFrame(hh[cols]).assign(
        _turf=turf_of, _rank=rank, leg_m=leg.round(1),
        reach=np.where(ok, "ok", "off_network"))
    stops = stops.sort_values(["_turf", "_rank"]).reset_index()
    stops["turf_id"] = [f"{prefix}{t + 1:02d}" for t in stops["_turf"]]
    stops["order"] = stops.groupby("_turf").cumcount() + 1
    stops["walk_m"] = stops.groupby("_turf")["leg_m"].cumsum().round(1)
    lots = np.asarray(lots, dtype=object) if lots is not None else lots_of(net, pts)
    rows, geoms, paths = [], [], []
    for key, part in stops.groupby("_turf", sort=True):
        t = int(key)  # type: ignore[arg-type]
        walked = [i for i in part["index"] if ok[i]]
        coords: list[tuple[float, float]] = []
        for a, b in itertools.pairwise(walked):
            coords += _path(net, snap, pts, a, b, float(dist[a, b]))
        path = shapely.LineString(coords) if len(coords) >= 2 else shapely.LineString()
        own = shapely.union_all(lots[part["index"].to_numpy()], grid_size=GRID_M)
        geom = shapely.union_all([own, shapely.buffer(path, PATH_BUFFER_M)]) if len(coords) \
            else own
        others = np.setdiff1d(np.arange(len(hh)), part["index"].to_numpy())
        if len(others):
            geom = shapely.difference(geom, shapely.union_all(lots[others]))
        geoms.append(shapely.make_valid(geom))
        paths.append(path)
        walk_m = float(part["leg_m"].sum())
        rows.append({"turf_id": f"{prefix}{t + 1:02d}", "doors": int(part["dwellings"].sum()),
                     "households": len(part), "voters": int(part["voters"].sum()),
                     "walk_m": round(walk_m, 1),
                     "walk_min": round(settings.minutes(walk_m), 1),
                     "off_network": int((part["reach"] != "ok").sum())})
    turfs = gpd.GeoDataFrame(rows, geometry=geoms, crs=net.crs)
    stops = stops.drop(columns=["_turf", "_rank", "index"])
    lead = ["turf_id", "order"]
    return Turfs(turfs, stops[lead + [str(c) for c in stops.columns if c not in lead]],
                 gpd.GeoSeries(paths, crs=net.crs))

