"""Walking access: how far each household walks to its precinct and to the nearest one.

Every household that goes in comes out, with a ``status`` that says why it has no walk:

- ``ok``: the walk is measured;
- ``not_geocoded``: the household has no location;
- ``off_network``: it stands farther than ``max_snap_m`` from any walkable street;
- ``precinct_off_network``: its assigned precinct does;
- ``unreachable``: no walkable path joins it to its precinct (another connected component).

One multi-source search gives every household's nearest precinct; one search per precinct
gives the walk to the assigned precinct and, in the same pass, the precinct's isochrones.
"""

from __future__ import annotations

import copy
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry.base import BaseGeometry

from aksugeo.settings import AccessSettings
from aksugeo.walk.catchments import catchment_polygons
from aksugeo.walk.isochrones import StreetField, isochrone_polygons, window_of
from aksugeo.walk.network import WalkNetwork
from aksugeo.walk.profiles import profiles_of
from aksugeo.walk.routing import (
    Searches,
    bounded_searches,
    improve,
    nearest_source,
    same_edge_distances,
    same_edge_pairs,
    threads,
)
from aksugeo.walk.snapping import OK, Snap, on_view, snap_points
from aksugeo.walk.stepfree import Plain, profile_walks

PRECINCT_OFF_NETWORK = "precinct_off_network"
UNREACHABLE = "unreachable"
STATUSES = (OK, "not_geocoded", "off_network", PRECINCT_OFF_NETWORK, UNREACHABLE)
HOUSEHOLD_COLUMNS = (
    "status", "snap_m", "walk_assigned_m", "walk_assigned_min", "walk_assigned_min_reduced",
    "nearest_precinct_id", "walk_nearest_m", "walk_nearest_min", "saving_m",
)


@dataclass
class AccessResult:
    """Walking access of every household, with the precincts' isochrones and catchments.

    Attributes
    ----------
    households : pandas.DataFrame
        The columns of :data:`HOUSEHOLD_COLUMNS`, aligned to the input households' index.
    isochrones : geopandas.GeoDataFrame
        ``precinct_id``, ``minutes``, polygon (network CRS); one row per precinct and band.
    catchments : geopandas.GeoDataFrame
        ``precinct_id``, polygon (network CRS): where each precinct is the nearest on foot.
    settings : AccessSettings
        The settings used.
    network : dict
        What the walks ran on: ``nodes``, ``edges``, ``clipped_ways`` (ways of the source cut by
        the extract's boundary), ``barrier_nodes``, and the ``households`` and ``precincts``
        snapped past a fragment of the network (:mod:`aksugeo.walk.snapping`).
    isochrones_reduced : geopandas.GeoDataFrame
        The same bands at the reduced-mobility speed, when asked for (else empty).
    snaps : tuple of Snap
        Where the households and the precincts meet the network: later walks of the same
        points reuse them instead of snapping again.
    """

    households: pd.DataFrame
    isochrones: gpd.GeoDataFrame
    catchments: gpd.GeoDataFrame
    settings: AccessSettings
    network: dict[str, int]
    isochrones_reduced: gpd.GeoDataFrame
    snaps: tuple[Snap, Snap]


class _Precincts:
    """Precincts snapped to the network, and which households are assigned to which."""

    def __init__(self, net: WalkNetwork, households: gpd.GeoDataFrame,
                 precincts: gpd.GeoDataFrame, settings: AccessSettings) -> None:
        ids = pd.Index(precincts["precinct_id"])
        if not ids.is_unique:
            raise ValueError("precinct_id is not unique")
        self.ids = ids.to_numpy()
        self.snap = snap_points(net, precincts.geometry, max_m=settings.max_snap_m,
                                min_component_nodes=settings.min_component_nodes)
        self.ok = np.flatnonzero(self.snap.ok)  # precincts that searches start from
        wanted = households["precinct_id"].to_numpy()
        self.assigned = ids.get_indexer(wanted)
        if (self.assigned < 0).any():
            unknown = sorted({str(v) for v in wanted[self.assigned < 0].tolist()})
            raise ValueError(f"households assigned to unknown precincts: {unknown[:10]}")


def _nearest(net: WalkNetwork, hsnap: Snap, pre: _Precincts, node_dist: np.ndarray,
             node_label: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Metres to the nearest precinct and its index, for each ``ok`` household (else NaN, -1)."""
    n = len(hsnap)
    dist, label = np.full(n, np.nan), np.full(n, -1, dtype=np.int64)
    h = np.flatnonzero(hsnap.ok)
    if len(pre.ok) == 0 or len(h) == 0:
        return dist, label
    e = hsnap.edge[h]
    via_u = hsnap.offset_m[h] + node_dist[net.u[e]]
    via_v = net.length_m[e] - hsnap.offset_m[h] + node_dist[net.v[e]]
    best = hsnap.snap_m[h] + np.minimum(via_u, via_v)
    lab = np.where(via_u <= via_v, node_label[net.u[e]], node_label[net.v[e]])
    # a precinct on the household's own edge may be nearer straight along it
    i, k = same_edge_pairs(e, pre.snap.edge[pre.ok])
    direct = same_edge_distances(hsnap, h[i], pre.snap, pre.ok[k])
    improve(best, lab, i, direct, k)
    reach = np.isfinite(best) & (lab >= 0)
    dist[h[reach]] = best[reach]
    label[h[reach]] = pre.ok[lab[reach]]
    return dist, label


def _assigned(net: WalkNetwork, hsnap: Snap, pre: _Precincts, near_d: np.ndarray,
              near_k: np.ndarray, *, limit_m: float) -> tuple[np.ndarray, Searches]:
    """Measure walks to the assigned precinct; run one search per precinct for isochrones.

    A household whose nearest precinct is its own walks the nearest walk, already known; the
    others are looked up by one search per precinct, run until it has settled both ends of
    every edge they stand on and every node within ``limit_m`` (-1: none, no isochrones).
    """
    walk = np.full(len(hsnap), np.inf)
    h = np.flatnonzero(hsnap.ok & pre.snap.ok[pre.assigned])
    own = near_k[h] == pre.assigned[h]
    walk[h[own]] = near_d[h[own]]
    h = h[~own]
    h = h[np.argsort(pre.assigned[h], kind="stable")]  # grouped by precinct, as pre.ok
    rank = np.full(len(pre.ids), -1)
    rank[pre.ok] = np.arange(len(pre.ok))
    per = np.bincount(rank[pre.assigned[h]], minlength=len(pre.ok))
    # no search for a precinct with nothing to find
    which = pre.ok if limit_m >= 0 else pre.ok[per > 0]
    per = per if limit_m >= 0 else per[per > 0]
    target_ptr = np.concatenate([[0], np.cumsum(2 * per)]).astype(np.int64)
    e = hsnap.edge[h]
    target_node = np.column_stack([net.u[e], net.v[e]]).ravel()
    found = bounded_searches(net, pre.snap, which, limit_m=limit_m, target_ptr=target_ptr,
                             target_node=target_node)
    du, dv = found.target_dist[0::2], found.target_dist[1::2]
    off = hsnap.offset_m[h]
    walk[h] = hsnap.snap_m[h] + np.minimum(off + du, net.length_m[e] - off + dv)
    direct = same_edge_distances(hsnap, h, pre.snap, pre.assigned[h])
    walk[h] = np.minimum(walk[h], direct)
    return walk, found


def _isochrones(net: WalkNetwork, pre: _Precincts, found: Searches, settings: AccessSettings,
                streets: StreetField, *, reduced: bool = False) -> gpd.GeoDataFrame:
    """Draw the precincts' isochrone polygons, from the searches of :func:`_assigned`.

    The searches reach the largest band at the normal speed, which holds every band at the
    reduced speed too: both sets of polygons come from the same searches.
    """
    bands = [(m, settings.metres(m, reduced=reduced)) for m in settings.bands_min]
    dists = [b for _, b in bands]
    windows = [window_of(net, *found.reached(i), pre.snap, int(k), dists[-1], streets.cell_m)
               for i, k in enumerate(pre.ok)]
    streets.prepare([w for w in windows if w is not None])  # every tile, once, before threads

    def polygons(i: int) -> list[BaseGeometry]:
        nodes, dist = found.reached(i)
        return isochrone_polygons(net, nodes, dist, pre.snap, int(pre.ok[i]), dists,
                                  streets=streets, window=windows[i])

    rows: list[dict[str, object]] = []
    with ThreadPoolExecutor(max_workers=threads()) as pool:
        for k, polys in zip(pre.ok, pool.map(polygons, range(len(pre.ok))), strict=True):
            rows += [{"precinct_id": pre.ids[k], "minutes": m, "geometry": g}
                     for (m, _), g in zip(bands, polys, strict=True)]
    return gpd.GeoDataFrame(rows or {"precinct_id": [], "minutes": [], "geometry": []},
                            geometry="geometry", crs=net.crs)


def _household_table(households: gpd.GeoDataFrame, hsnap: Snap, pre: _Precincts,
                     walk: np.ndarray, near_d: np.ndarray, near_k: np.ndarray,
                     settings: AccessSettings) -> pd.DataFrame:
    # each status by its position in STATUSES: text is made once per status, not per row
    code = np.where(np.isnan(hsnap.snap_m), 1, np.where(hsnap.ok, 0, 2)).astype(np.int8)
    code[(code == 0) & ~pre.snap.ok[pre.assigned]] = 3
    code[(code == 0) & ~np.isfinite(walk)] = 4
    good = code == 0
    walk_m = np.where(good, walk, np.nan)
    nearest_id = pd.array(np.where(near_k >= 0, pre.ids[np.maximum(near_k, 0)], 0),
                          dtype="Int64")
    nearest_id[near_k < 0] = pd.NA
    return pd.DataFrame({
        "status": pd.array(list(STATUSES), dtype="str").take(code),
        "snap_m": hsnap.snap_m,
        "walk_assigned_m": walk_m,
        "walk_assigned_min": walk_m / settings.metres(1),
        "walk_assigned_min_reduced": walk_m / settings.metres(1, reduced=True),
        "nearest_precinct_id": nearest_id,
        "walk_nearest_m": near_d,
        "walk_nearest_min": near_d / settings.metres(1),
        "saving_m": np.where(good, np.maximum(walk_m - near_d, 0.0), np.nan),
    }, index=households.index)


class _Walks:
    """The walks of :func:`analyse_access`, and what its polygons are drawn from."""

    def __init__(self, net: WalkNetwork, households: gpd.GeoDataFrame,
                 precincts: gpd.GeoDataFrame, settings: AccessSettings, *,
                 isochrones: bool) -> None:
        self.pre = pre = _Precincts(net, households, precincts, settings)
        self.hsnap = snap_points(net, households.geometry, max_m=settings.max_snap_m,
                                 min_component_nodes=settings.min_component_nodes)
        if len(pre.ok):
            self.node_dist, self.node_label = nearest_source(net, pre.snap, pre.ok)
        else:
            self.node_dist = np.full(net.n_nodes, np.inf)
            self.node_label = np.full(net.n_nodes, -1)
        near_d, near_k = _nearest(net, self.hsnap, pre, self.node_dist, self.node_label)
        limit_m = settings.metres(settings.bands_min[-1]) if isochrones else -1.0
        walk, self.found = _assigned(net, self.hsnap, pre, near_d, near_k, limit_m=limit_m)
        self.table = _household_table(households, self.hsnap, pre, walk, near_d, near_k,
                                      settings)


def analyse_access(net: WalkNetwork, households: gpd.GeoDataFrame,
                   precincts: gpd.GeoDataFrame, *, settings: AccessSettings | None = None,
                   study_area: object = None, isochrones: bool = True,
                   catchments: bool = True, reduced_isochrones: bool = False) -> AccessResult:
    """Measure every household's walk, and each precinct's isochrones and catchment.

    Parameters
    ----------
    net : WalkNetwork
        The walking network.
    households : geopandas.GeoDataFrame
        With ``precinct_id`` and point geometry (any CRS).
    precincts : geopandas.GeoDataFrame
        With unique ``precinct_id`` and point geometry (any CRS).
    settings : AccessSettings, optional
        Speeds, bands and limits; the defaults when not given.
    study_area : shapely geometry, optional
        Catchments are clipped to it (in the network's CRS), besides to the streets' reach.
    isochrones, catchments : bool
        Whether to build the polygons (the household walks are always measured).
    reduced_isochrones : bool
        Also draw the bands of the reduced-mobility profile (from the same searches when the
        network has no steps for it to weigh).

    The reduced-mobility minutes (``walk_assigned_min_reduced``, and the bands) are those of
    the ``reduced`` profile (:mod:`aksugeo.walk.profiles`): the same walk at the reduced speed,
    steps weighed as the profile weighs them.

    Returns
    -------
    AccessResult
        Household walks aligned to ``households``, isochrones and catchments.
    """
    settings = settings or AccessSettings()
    walks = _Walks(net, households, precincts, settings, isochrones=isochrones)
    pre, table = walks.pre, walks.table
    node_dist, node_label, found = walks.node_dist, walks.node_label, walks.found
    streets = StreetField(net, settings.isochrone_cell_m, settings.max_snap_m,
                          settings.min_component_nodes)  # shared: the tiles are found once
    empty = gpd.GeoDataFrame({"precinct_id": [], "minutes": [], "geometry": []},
                             geometry="geometry", crs=net.crs)
    iso = _isochrones(net, pre, found, settings, streets) if isochrones else empty
    slow = net.for_profile(profiles_of(settings)["reduced"])
    if slow is not net and len(households):  # steps on the way: the reduced profile's walks
        plain = Plain(table["status"].to_numpy(), walks.hsnap, pre.snap)
        table["walk_assigned_min_reduced"] = profile_walks(
            net, households, precincts, profile="reduced", settings=settings,
            plain=plain)["walk_reduced_min"].to_numpy()
    iso_reduced = empty
    if isochrones and reduced_isochrones and slow is net:
        iso_reduced = _isochrones(net, pre, found, settings, streets, reduced=True)
    elif isochrones and reduced_isochrones:
        at = settings.metres(settings.bands_min[-1], reduced=True)
        slow_pre = copy.copy(pre)
        slow_pre.snap = on_view(pre.snap, slow, net)
        slow_found = bounded_searches(slow, slow_pre.snap, pre.ok, limit_m=at)
        iso_reduced = _isochrones(slow, slow_pre, slow_found, settings, streets, reduced=True)
    if catchments and len(pre.ok):
        catch = catchment_polygons(net, (node_dist, node_label), pre.snap, pre.ok, pre.ids,
                                   sample_m=settings.catchment_sample_m,
                                   reach_m=settings.max_snap_m, study_area=study_area)
    else:
        catch = gpd.GeoDataFrame({"precinct_id": [], "geometry": []}, crs=net.crs)
    notes = {"nodes": net.n_nodes, "edges": net.n_edges, "clipped_ways": net.clipped_ways,
             "barrier_nodes": net.barrier_nodes,
             "households_past_fragments": int(np.count_nonzero(walks.hsnap.moved)),
             "precincts_past_fragments": int(np.count_nonzero(pre.snap.moved))}
    return AccessResult(table, iso, catch, settings, notes, iso_reduced,
                        (walks.hsnap, pre.snap))


def household_access(net: WalkNetwork, households: gpd.GeoDataFrame,
                     precincts: gpd.GeoDataFrame, *,
                     settings: AccessSettings | None = None) -> pd.DataFrame:
    """Return every household's walk to its assigned and to its nearest precinct.

    Parameters
    ----------
    net : WalkNetwork
        The walking network.
    households : geopandas.GeoDataFrame
        With ``precinct_id`` and point geometry.
    precincts : geopandas.GeoDataFrame
        With unique ``precinct_id`` and point geometry.
    settings : AccessSettings, optional
        Speeds and limits.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`HOUSEHOLD_COLUMNS`, aligned to ``households``.
    """
    return _Walks(net, households, precincts, settings or AccessSettings(),
                  isochrones=False).table


def closer_precincts(households: pd.DataFrame, access: pd.DataFrame) -> pd.DataFrame:
    """Return the households whose nearest precinct on foot is not their assigned one.

    Parameters
    ----------
    households : pandas.DataFrame
        With ``household_id``, ``precinct_id``, ``voters``.
    access : pandas.DataFrame
        From :func:`household_access`, aligned to ``households``.

    Returns
    -------
    pandas.DataFrame
        ``household_id``, ``precinct_id``, ``nearest_precinct_id``, ``walk_assigned_m``,
        ``walk_nearest_m``, ``saving_m``, ``voters``; the largest saving first.
    """
    mask = (access["status"] == OK) & (access["saving_m"] > 0) & (
        access["nearest_precinct_id"].astype("Int64") != households["precinct_id"])
    out = pd.concat([households.loc[mask, ["household_id", "precinct_id", "voters"]],
                     access.loc[mask, ["nearest_precinct_id", "walk_assigned_m",
                                       "walk_nearest_m", "saving_m"]]], axis=1)
    return out.sort_values("saving_m", ascending=False, kind="stable")


def band_statistics(households: pd.DataFrame, access: pd.DataFrame, *,
                    settings: AccessSettings | None = None,
                    reduced: bool = False) -> pd.DataFrame:
    """Return households and voters within each band of their assigned precinct.

    Parameters
    ----------
    households : pandas.DataFrame
        With ``precinct_id`` and ``voters``.
    access : pandas.DataFrame
        From :func:`household_access`, aligned to ``households``.
    settings : AccessSettings, optional
        The bands and speeds.
    reduced : bool
        Count the minutes at the reduced-mobility speed.

    Returns
    -------
    pandas.DataFrame
        One row per precinct and a last row ``all``: ``households``, ``voters``,
        ``voters_within_<m>`` and ``households_within_<m>`` for each band,
        ``voters_beyond_<last>``, ``households_beyond_<last>`` and ``voters_no_walk`` (status
        other than ``ok``).
    """
    settings = settings or AccessSettings()
    minutes = access["walk_assigned_min_reduced" if reduced else "walk_assigned_min"]
    frame = pd.DataFrame({"precinct_id": households["precinct_id"],
                          "voters": households["voters"], "households": 1})
    ok = access["status"] == OK
    last = settings.bands_min[-1]
    for band in settings.bands_min:
        within = ok & (minutes <= band)
        frame[f"households_within_{band}"] = within.astype(int)
        frame[f"voters_within_{band}"] = frame["voters"].where(within, 0)
    beyond = ok & (minutes > last)
    frame[f"households_beyond_{last}"] = beyond.astype(int)
    frame[f"voters_beyond_{last}"] = frame["voters"].where(beyond, 0)
    frame["voters_no_walk"] = frame["voters"].where(~ok, 0)
    per = frame.groupby("precinct_id").sum()
    per.loc["all"] = per.sum()
    return per
