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

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry.base import BaseGeometry

from aksugeo.catchments import catchment_polygons
from aksugeo.isochrones import isochrone_polygons
from aksugeo.network import WalkNetwork
from aksugeo.routing import (
    bounded_searches,
    improve,
    nearest_source,
    same_edge_distances,
    threads,
)
from aksugeo.settings import AccessSettings
from aksugeo.snapping import OK, Snap, snap_points

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
        snapped past a fragment of the network (:mod:`aksugeo.snapping`).
    """

    households: pd.DataFrame
    isochrones: gpd.GeoDataFrame
    catchments: gpd.GeoDataFrame
    settings: AccessSettings
    network: dict[str, int] | None = None


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
        self.xy = precincts.geometry.to_crs(net.crs).get_coordinates().to_numpy()
        self.ok = np.flatnonzero(self.snap.ok)  # precincts that searches start from
        self.assigned = ids.get_indexer(households["precinct_id"])
        unknown = households["precinct_id"][self.assigned < 0]
        if len(unknown):
            raise ValueError(f"households assigned to unknown precincts: "
                             f"{sorted(set(unknown.tolist()))[:10]}")


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
    pairs = pd.DataFrame({"h": h, "edge": e}).merge(
        pd.DataFrame({"k": np.arange(len(pre.ok)), "edge": pre.snap.edge[pre.ok]}), on="edge")
    direct = same_edge_distances(hsnap, pairs["h"].to_numpy(), pre.snap,
                                 pre.ok[pairs["k"].to_numpy()])
    improve(best, lab, np.searchsorted(h, pairs["h"].to_numpy()), direct, pairs["k"].to_numpy())
    reach = np.isfinite(best) & (lab >= 0)
    dist[h[reach]] = best[reach]
    label[h[reach]] = pre.ok[lab[reach]]
    return dist, label


def _assigned_and_isochrones(net: WalkNetwork, hsnap: Snap, pre: _Precincts,
                             settings: AccessSettings, *, isochrones: bool,
                             ) -> tuple[np.ndarray, list[dict[str, object]]]:
    """One search per precinct: walks to the assigned precinct, and the isochrone polygons.

    Each search runs until it has settled both ends of every edge its households stand on,
    and, for the isochrones, every node within the largest band.
    """
    walk = np.full(len(hsnap), np.inf)
    h = np.flatnonzero(hsnap.ok & pre.snap.ok[pre.assigned])
    order = np.argsort(pre.assigned[h], kind="stable")
    h = h[order]  # households grouped by precinct, in the order of pre.ok
    rank = np.full(len(pre.ids), -1)
    rank[pre.ok] = np.arange(len(pre.ok))
    per = np.bincount(rank[pre.assigned[h]], minlength=len(pre.ok))
    target_ptr = np.concatenate([[0], np.cumsum(2 * per)]).astype(np.int64)
    e = hsnap.edge[h]
    target_node = np.column_stack([net.u[e], net.v[e]]).ravel()
    bands = [(m, settings.metres(m)) for m in settings.bands_min]
    found = bounded_searches(net, pre.snap, pre.ok, limit_m=bands[-1][1] if isochrones else -1,
                             target_ptr=target_ptr, target_node=target_node)
    du, dv = found.target_dist[0::2], found.target_dist[1::2]
    off = hsnap.offset_m[h]
    walk[h] = hsnap.snap_m[h] + np.minimum(off + du, net.length_m[e] - off + dv)
    direct = same_edge_distances(hsnap, h, pre.snap, pre.assigned[h])
    walk[h] = np.minimum(walk[h], direct)
    rows: list[dict[str, object]] = []
    if isochrones:
        def polygons(i: int) -> list[BaseGeometry]:
            nodes, dist = found.reached(i)
            return isochrone_polygons(net, nodes, dist, pre.snap, int(pre.ok[i]),
                                      pre.xy[pre.ok[i]], [b for _, b in bands],
                                      buffer_m=settings.isochrone_buffer_m)

        # shapely releases the GIL while it buffers and unions: precincts run side by side
        with ThreadPoolExecutor(max_workers=threads()) as pool:
            for k, polys in zip(pre.ok, pool.map(polygons, range(len(pre.ok))), strict=True):
                rows += [{"precinct_id": pre.ids[k], "minutes": m, "geometry": g}
                         for (m, _), g in zip(bands, polys, strict=True)]
    return walk, rows


def _household_table(households: gpd.GeoDataFrame, hsnap: Snap, pre: _Precincts,
                     walk: np.ndarray, near_d: np.ndarray, near_k: np.ndarray,
                     settings: AccessSettings) -> pd.DataFrame:
    status = hsnap.status.copy()
    on = status == OK
    status[on & ~pre.snap.ok[pre.assigned]] = PRECINCT_OFF_NETWORK
    status[(status == OK) & ~np.isfinite(walk)] = UNREACHABLE
    good = status == OK
    walk_m = np.where(good, walk, np.nan)
    nearest_id = pd.array(np.where(near_k >= 0, pre.ids[np.maximum(near_k, 0)], 0),
                          dtype="Int64")
    nearest_id[near_k < 0] = pd.NA
    return pd.DataFrame({
        "status": status.astype(str),
        "snap_m": hsnap.snap_m,
        "walk_assigned_m": walk_m,
        "walk_assigned_min": walk_m / settings.metres(1),
        "walk_assigned_min_reduced": walk_m / settings.metres(1, reduced=True),
        "nearest_precinct_id": nearest_id,
        "walk_nearest_m": near_d,
        "walk_nearest_min": near_d / settings.metres(1),
        "saving_m": np.where(good, np.maximum(walk_m - near_d, 0.0), np.nan),
    }, index=households.index)


def analyse_access(net: WalkNetwork, households: gpd.GeoDataFrame,
                   precincts: gpd.GeoDataFrame, *, settings: AccessSettings | None = None,
                   study_area: object = None, isochrones: bool = True,
                   catchments: bool = True) -> AccessResult:
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

    Returns
    -------
    AccessResult
        Household walks aligned to ``households``, isochrones and catchments.
    """
    settings = settings or AccessSettings()
    pre = _Precincts(net, households, precincts, settings)
    hsnap = snap_points(net, households.geometry, max_m=settings.max_snap_m,
                        min_component_nodes=settings.min_component_nodes)
    if len(pre.ok):
        node_dist, node_label = nearest_source(net, pre.snap, pre.ok)
    else:
        node_dist = np.full(net.n_nodes, np.inf)
        node_label = np.full(net.n_nodes, -1)
    near_d, near_k = _nearest(net, hsnap, pre, node_dist, node_label)
    walk, iso_rows = _assigned_and_isochrones(net, hsnap, pre, settings,
                                              isochrones=isochrones)
    table = _household_table(households, hsnap, pre, walk, near_d, near_k, settings)
    iso = gpd.GeoDataFrame(iso_rows or {"precinct_id": [], "minutes": [], "geometry": []},
                           geometry="geometry", crs=net.crs)
    if catchments and len(pre.ok):
        catch = catchment_polygons(net, (node_dist, node_label), pre.snap, pre.ok, pre.ids,
                                   sample_m=settings.catchment_sample_m,
                                   reach_m=settings.max_snap_m, study_area=study_area)
    else:
        catch = gpd.GeoDataFrame({"precinct_id": [], "geometry": []}, crs=net.crs)
    notes = {"nodes": net.n_nodes, "edges": net.n_edges, "clipped_ways": net.clipped_ways,
             "barrier_nodes": net.barrier_nodes,
             "households_past_fragments": int(np.count_nonzero(hsnap.moved)),
             "precincts_past_fragments": int(np.count_nonzero(pre.snap.moved))}
    return AccessResult(table, iso, catch, settings, notes)


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
    return analyse_access(net, households, precincts, settings=settings, isochrones=False,
                          catchments=False).households


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
