"""Walks of a mobility profile, to the door: to the household's precinct, and the nearest.

The nearest is the nearest precinct the profile's walkers can enter (a wheelchair user: one
whose passport says it is accessible to them).

A walk ends at the precinct's accessible entrance when its passport gives one
(``entrance_lon``, ``entrance_lat``), else at the building's point, and says which. The route is
chosen on the profile's costs (:mod:`aksugeo.walk.profiles`); it is reported in metres walked,
in minutes (the cost at the profile's speed: a factor counts as time, so 100 m of gravel take a
wheelchair as long as 200 m of pavement), and with the share of its length over ways whose
relevant tags are known ("step-free, 82 % of the route known").
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from aksugeo.settings import AccessSettings
from aksugeo.walk import _kernels
from aksugeo.walk.network import WalkNetwork
from aksugeo.walk.profiles import Profile, profiles_of
from aksugeo.walk.routing import bounded_searches, nearest_source
from aksugeo.walk.snapping import OK, Snap, on_view, snap_points

NO_STEP_FREE_ROUTE = "no_step_free_route"
ENTRANCE, BUILDING = "entrance", "building"


def doors(precincts: gpd.GeoDataFrame, passports: pd.DataFrame | None,
          ) -> tuple[gpd.GeoSeries, np.ndarray]:
    """Return where a walk to each precinct ends, and whether it is its entrance or building.

    Parameters
    ----------
    precincts : geopandas.GeoDataFrame
        ``precinct_id``, points.
    passports : pandas.DataFrame, optional
        ``precinct_id``, ``entrance_lon``, ``entrance_lat`` (WGS84; empty: none surveyed).

    Returns
    -------
    points : geopandas.GeoSeries
        One point per precinct, WGS84, in the precincts' order.
    to : numpy.ndarray
        ``entrance`` or ``building`` for each.
    """
    pts = precincts.geometry.to_crs("EPSG:4326").reset_index(drop=True)
    to = np.full(len(precincts), BUILDING, dtype=object)
    if passports is not None and {"entrance_lon", "entrance_lat"} <= set(passports.columns):
        at = passports.drop_duplicates("precinct_id")
        at = at.set_index(at["precinct_id"].astype(int))
        ids = precincts["precinct_id"].astype(int).to_numpy()
        lon = pd.to_numeric(at["entrance_lon"], errors="coerce").reindex(ids).to_numpy()
        lat = pd.to_numeric(at["entrance_lat"], errors="coerce").reindex(ids).to_numpy()
        has = np.isfinite(lon) & np.isfinite(lat)
        pts[has] = gpd.points_from_xy(lon[has], lat[has])
        to[has] = ENTRANCE
    return gpd.GeoSeries(pts.to_numpy(), crs="EPSG:4326"), to.astype(str)


@dataclass(frozen=True)
class _Along:
    """What is summed along a profile's walks: metres, and metres over unknown tags."""

    metres: np.ndarray  # per CSR entry of the profile's network
    unknown: np.ndarray
    cost: np.ndarray  # per edge: the profile's cost (inf: closed)
    length: np.ndarray  # per edge: metres
    unknown_edge: np.ndarray  # per edge: its tags are unknown to the profile


def _along(net: WalkNetwork, view: WalkNetwork, profile: Profile) -> _Along:
    unknown = ~profile.known(net.edge_tags)
    e = view.csr_edge
    return _Along(net.length_m[e], net.length_m[e] * unknown[e], view.length_m, net.length_m,
                  unknown)


def _point_parts(snap: Snap, along: _Along, k: np.ndarray,
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Offsets of snapped points along their edges: cost and metres from ``u``, and to ``v``."""
    e = snap.edge[k]
    off_c = snap.offset_m[k]
    frac = np.divide(off_c, along.cost[e], out=np.zeros(len(k)), where=along.cost[e] > 0)
    off_m = frac * along.length[e]
    return off_c, along.cost[e] - off_c, off_m, along.length[e] - off_m


def _starts(view: WalkNetwork, snap: Snap, along: _Along, which: np.ndarray,
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the start arrays of a search from points ``which``.

    Per node: its best start's cost, and that start's metres and unknown metres.
    """
    n = view.n_nodes
    s_cost = np.full(n, np.inf)
    s_metres, s_unknown = np.zeros(n), np.zeros(n)
    oc_u, oc_v, om_u, om_v = _point_parts(snap, along, which)
    e = snap.edge[which]
    approach = snap.snap_m[which]
    unk = along.unknown_edge[e]
    for node, cost, metres in ((view.u[e], oc_u, om_u), (view.v[e], oc_v, om_v)):
        total = approach + cost
        for i in range(len(which)):
            if total[i] < s_cost[node[i]]:  # the best start at a node is its start
                s_cost[node[i]] = total[i]
                s_metres[node[i]] = approach[i] + metres[i]
                s_unknown[node[i]] = metres[i] * unk[i]
    return s_cost, s_metres, s_unknown


def _ends(dist: np.ndarray, metres: np.ndarray, unknown: np.ndarray, view: WalkNetwork,
          snap: Snap, along: _Along, h: np.ndarray,
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Cost, metres and unknown metres from a search to points ``h``, and which end."""
    e = snap.edge[h]
    oc_u, oc_v, om_u, om_v = _point_parts(snap, along, h)
    via_u = dist[view.u[e]] + oc_u
    via_v = dist[view.v[e]] + oc_v
    by_u = via_u <= via_v
    cost = snap.snap_m[h] + np.minimum(via_u, via_v)
    unk = along.unknown_edge[e]
    m = snap.snap_m[h] + np.where(by_u, metres[view.u[e]] + om_u, metres[view.v[e]] + om_v)
    u = np.where(by_u, unknown[view.u[e]] + om_u * unk, unknown[view.v[e]] + om_v * unk)
    return cost, m, u, np.where(by_u, view.u[e], view.v[e])


def _same_edge(snap_h: Snap, h: np.ndarray, snap_t: Snap, t: int, along: _Along,
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cost, metres and unknown metres straight along the edge ``t`` shares (inf: not)."""
    share = snap_h.edge[h] == snap_t.edge[t]
    oc_h, _, om_h, _ = _point_parts(snap_h, along, h)
    oc_t, _, om_t, _ = _point_parts(snap_t, along, np.array([t]))
    approach = snap_h.snap_m[h] + snap_t.snap_m[t]
    cost = np.where(share, approach + np.abs(oc_h - oc_t[0]), np.inf)
    metres = approach + np.abs(om_h - om_t[0])
    unknown = np.abs(om_h - om_t[0]) * along.unknown_edge[snap_h.edge[h]]
    return cost, metres, unknown


@dataclass(frozen=True)
class Plain:
    """What the plain walk already knows of the same households and precincts.

    ``status``: each household's status on it; ``households``, ``precincts``: their snaps to
    the plain network (a profile that closes no edge reuses them rather than snapping again;
    the precincts' only when its walks end at the precincts' points).
    """

    status: np.ndarray
    households: Snap | None = None
    precincts: Snap | None = None


def _snaps(net: WalkNetwork, view: WalkNetwork, households: gpd.GeoSeries,
           points: gpd.GeoSeries, plain: Plain | None, settings: AccessSettings,
           *, at_points: bool) -> tuple[Snap, Snap, np.ndarray]:
    """Snap households and ends to a profile's view; return them and the plain walk's status."""
    max_m, pieces = settings.max_snap_m, settings.min_component_nodes
    opens_all = bool(np.isfinite(view.length_m).all())
    if plain is not None and plain.households is not None and opens_all:
        hsnap = on_view(plain.households, view, net)
    else:
        hsnap = snap_points(view, households, max_m=max_m, min_component_nodes=pieces)
    if plain is not None and plain.precincts is not None and opens_all and at_points:
        tsnap = on_view(plain.precincts, view, net)
    else:
        tsnap = snap_points(view, points, max_m=max_m, min_component_nodes=pieces)
    if plain is not None:
        status = plain.status
    else:
        status = (hsnap if view is net else snap_points(
            net, households, max_m=max_m, min_component_nodes=pieces)).status
    return hsnap, tsnap, np.asarray(status)


def profile_walks(net: WalkNetwork, households: gpd.GeoDataFrame,
                  precincts: gpd.GeoDataFrame, *, profile: str = "wheelchair",
                  passports: pd.DataFrame | None = None,
                  accessible: np.ndarray | None = None,
                  settings: AccessSettings | None = None,
                  plain: Plain | None = None) -> pd.DataFrame:
    """Return each household's walk by a profile: to its own precinct's door, and nearest.

    Parameters
    ----------
    net : WalkNetwork
        The network (its edges carry the profiles' tags).
    households : geopandas.GeoDataFrame
        ``precinct_id``, points.
    precincts : geopandas.GeoDataFrame
        ``precinct_id``, points.
    profile : str
        A name of :data:`aksugeo.walk.profiles.PROFILES` (with the changes of
        ``settings.profiles``).
    passports : pandas.DataFrame, optional
        The precincts' entrances (:func:`doors`).
    accessible : numpy.ndarray, optional
        A mask over ``precincts``: the ones this profile's walkers can enter; then the walk to
        the nearest of them too.
    settings : AccessSettings, optional
        ``max_snap_m`` and ``min_component_nodes``.
    plain : Plain, optional
        What the plain walk knows of the same points (a build's access engine): the
        households' status, and snaps to reuse; else the households are snapped to the plain
        network for their status.

    Returns
    -------
    pandas.DataFrame
        Aligned to ``households``, for profile ``p``: ``walk_<p>_m`` (metres walked),
        ``walk_<p>_min``, ``walk_<p>_known_pct`` (share of the route's street length whose
        tags are known), ``walk_<p>_to`` (``entrance`` or ``building``), ``<p>_status``
        (``ok``, ``not_geocoded``, ``off_network``, or ``no_step_free_route`` for a wheelchair
        with no way there, ``unreachable`` for another profile); with ``accessible``:
        ``<p>_nearest_precinct_id``, ``walk_<p>_nearest_m``, ``walk_<p>_nearest_min``.
    """
    settings = settings or AccessSettings()
    rule = profiles_of(settings)[profile]
    view = net.for_profile(rule)
    along = _along(net, view, rule)
    per_min = rule.speed_kmh * 1000 / 60
    points, to = doors(precincts, passports)
    hsnap, tsnap, walk_status = _snaps(net, view, households.geometry, points, plain,
                                       settings, at_points=passports is None)
    n = len(households)
    cost, metres, unknown = np.full(n, np.inf), np.full(n, np.nan), np.full(n, np.nan)
    ids = precincts["precinct_id"].astype(int).to_numpy()
    own = pd.Index(ids).get_indexer(households["precinct_id"].astype(int))
    g = view.csr
    which = np.flatnonzero(tsnap.ok)
    found = bounded_searches(view, tsnap, which, limit_m=np.inf) if len(which) else None
    for i, t in enumerate(which):
        h = np.flatnonzero((own == t) & hsnap.ok)
        if found is None or not len(h):
            continue
        nodes, d = found.reached(i)
        dist = np.full(view.n_nodes, np.inf)
        dist[nodes] = d
        s_cost, s_metres, s_unknown = _starts(view, tsnap, along, np.array([t]))
        m_node = _kernels.tree_sums(g.indptr, g.indices, g.data, along.metres, dist, s_cost,
                                    s_metres)
        u_node = _kernels.tree_sums(g.indptr, g.indices, g.data, along.unknown, dist, s_cost,
                                    s_unknown)
        c, m, u, _ = _ends(dist, m_node, u_node, view, hsnap, along, h)
        dc, dm, du = _same_edge(hsnap, h, tsnap, int(t), along)
        direct = dc < c
        cost[h] = np.where(direct, dc, c)
        metres[h] = np.where(direct, dm, m)
        unknown[h] = np.where(direct, du, u)
    out = pd.DataFrame(index=households.index)
    reach = np.isfinite(cost)
    street = metres - hsnap.snap_m - np.where(own >= 0, tsnap.snap_m[np.maximum(own, 0)], 0)
    out[f"walk_{profile}_m"] = np.where(reach, metres, np.nan)
    out[f"walk_{profile}_min"] = np.where(reach, cost / per_min, np.nan)
    known = 100 * (1 - np.divide(unknown, street, out=np.zeros(n), where=street > 0))
    out[f"walk_{profile}_known_pct"] = np.where(reach, np.clip(known, 0, 100).round(1), np.nan)
    out[f"walk_{profile}_to"] = np.where(own >= 0, to[np.maximum(own, 0)], "")
    status = np.asarray(walk_status).astype(object)
    stuck = NO_STEP_FREE_ROUTE if rule.closes_for_wheelchair else "unreachable"
    status[(status == OK) & ~reach] = stuck
    out[f"{profile}_status"] = status.astype(str)
    if accessible is not None:
        near = _nearest(view, along, hsnap, tsnap, ids, np.asarray(accessible, bool),
                        per_min, profile)
        out = out.join(near.set_axis(households.index))
    return out


def _nearest(view: WalkNetwork, along: _Along, hsnap: Snap, tsnap: Snap, ids: np.ndarray,
             accessible: np.ndarray, per_min: float, profile: str) -> pd.DataFrame:
    """Each household's walk to the nearest precinct of ``accessible``, one search for all."""
    n = len(hsnap)
    which = np.flatnonzero(accessible & tsnap.ok)
    cost, metres = np.full(n, np.inf), np.full(n, np.nan)
    label = np.full(n, -1, dtype=np.int64)
    h = np.flatnonzero(hsnap.ok)
    if len(which) and len(h):
        dist, node_label = nearest_source(view, tsnap, which)
        s_cost, s_metres, _ = _starts(view, tsnap, along, which)
        g = view.csr
        m_node = _kernels.tree_sums(g.indptr, g.indices, g.data, along.metres, dist, s_cost,
                                    s_metres)
        c, m, _, end = _ends(dist, m_node, np.zeros(view.n_nodes), view, hsnap, along, h)
        cost[h], metres[h] = c, m
        label[h] = np.where(np.isfinite(c), which[np.maximum(node_label[end], 0)], -1)
        for t in which:  # a household on the very street of an accessible precinct
            dc, dm, _ = _same_edge(hsnap, h, tsnap, int(t), along)
            better = dc < cost[h]
            cost[h[better]], metres[h[better]], label[h[better]] = dc[better], dm[better], t
    reach = np.isfinite(cost)
    nearest = pd.array(np.where(reach, ids[np.maximum(label, 0)], 0), dtype="Int64")
    nearest[~reach] = pd.NA
    return pd.DataFrame({f"{profile}_nearest_precinct_id": nearest,
                         f"walk_{profile}_nearest_m": np.where(reach, metres, np.nan),
                         f"walk_{profile}_nearest_min": np.where(reach, cost / per_min,
                                                                 np.nan)})


def known_share(walks: pd.DataFrame, profile: str = "wheelchair") -> float:
    """Return the share (%) of a set of walks' length whose tags are known.

    Weighted by each walk's metres, over the walks that found their way (``<p>_status`` ok):
    the part of all their length over ways whose relevant tags the map gives.
    """
    ok = walks[f"{profile}_status"] == OK
    metres = walks.loc[ok, f"walk_{profile}_m"]
    known = (walks.loc[ok, f"walk_{profile}_known_pct"] * metres).sum()
    return round(float(known / max(float(metres.sum()), 1e-9)), 1)
