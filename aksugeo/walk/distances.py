"""Walks from every precinct to every household: for questions about precincts besides one's own.

The access engine measures the walk to the assigned and to the nearest precinct. Two questions
of the accessibility passport need more: the walk to the nearest *fully accessible* precinct,
and whether the walk to one's own precinct passes another precinct on the way. Both come from
one matrix of walks, households x precincts, from one unbounded search per precinct (a city has
tens of precincts, so the matrix stays small: 6,515 x 40 floats for Aksu).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy import sparse

from aksugeo.settings import AccessSettings
from aksugeo.walk.network import WalkNetwork
from aksugeo.walk.profiles import profiles_of
from aksugeo.walk.routing import bounded_searches, same_edge_distances
from aksugeo.walk.snapping import OK, Snap, on_view, snap_points

ON_THE_WAY_DETOUR_M = 50.0


def walks_within(net: WalkNetwork, to: Snap, src: Snap, *,
                 limit_m: float = np.inf) -> sparse.csr_matrix:
    """Return the walks from each source point to each target point, up to ``limit_m``.

    One bounded search per source; a target's walk joins its snap to the nearer end of its
    edge (or runs straight along a shared edge), as the access engine measures it.

    Parameters
    ----------
    net : WalkNetwork
        The network.
    to, src : Snap
        Snapped targets (households) and sources (precincts, sites).
    limit_m : float
        Leave out walks longer than this.

    Returns
    -------
    scipy.sparse.csr_matrix
        ``(len(src), len(to))`` metres; a missing entry: farther, off the network or no path.
    """
    rows, cols, vals = [], [], []
    which = np.flatnonzero(src.ok)
    t = np.flatnonzero(to.ok)
    if len(which) and len(t):
        found = bounded_searches(net, src, which, limit_m=limit_m)
        e = to.edge[t]
        off, snap = to.offset_m[t], to.snap_m[t]
        dense = np.full(net.n_nodes, np.inf)
        for i, k in enumerate(which):
            nodes, dist = found.reached(i)
            dense[nodes] = dist
            via = np.minimum(off + dense[net.u[e]], net.length_m[e] - off + dense[net.v[e]])
            walk = np.minimum(snap + via, same_edge_distances(to, t, src, np.full(len(t), k)))
            dense[nodes] = np.inf
            keep = walk <= limit_m
            rows.append(np.full(int(keep.sum()), k))
            cols.append(t[keep])
            vals.append(walk[keep])
    data = np.concatenate(vals) if vals else np.zeros(0)
    return sparse.csr_matrix((data, (np.concatenate(rows) if rows else np.zeros(0, int),
                                     np.concatenate(cols) if cols else np.zeros(0, int))),
                             shape=(len(src), len(to)))


def _walks(net: WalkNetwork, to: Snap, src: Snap) -> np.ndarray:
    """Metres from each ``ok`` source point to each ``ok`` target point (inf otherwise)."""
    coo = walks_within(net, to, src).tocoo()
    out = np.full((len(to), len(src)), np.inf)
    out[coo.col, coo.row] = coo.data  # explicit zeros (a point on the street) are kept
    return out


def accessible_walks(net: WalkNetwork, households: gpd.GeoDataFrame,
                     precincts: gpd.GeoDataFrame, accessible: np.ndarray, *,
                     settings: AccessSettings | None = None,
                     detour_m: float = ON_THE_WAY_DETOUR_M,
                     snaps: tuple[Snap, Snap] | None = None) -> pd.DataFrame:
    """Return each household's walk to the nearest accessible precinct, and what it passes.

    A precinct ``q`` lies on the way from a household ``h`` to its own precinct ``p`` when
    walking from ``h`` to the street in front of ``q`` and on to ``p`` is at most ``detour_m``
    longer than the walk from ``h`` to ``p``: the voter passes ``q``'s door, which is nearer.

    Parameters
    ----------
    net : WalkNetwork
        The walking network.
    households : geopandas.GeoDataFrame
        With ``precinct_id`` and point geometry.
    precincts : geopandas.GeoDataFrame
        With ``precinct_id`` and point geometry.
    accessible : numpy.ndarray
        Boolean mask over ``precincts``: the fully accessible ones.
    settings : AccessSettings, optional
        Speeds and ``max_snap_m``.
    detour_m : float
        How much longer the walk past another precinct may be and still count as on the way.
    snaps : tuple of Snap, optional
        The households' and precincts' snaps, when already made (the build's analysis made
        them: a build snaps each point once).

    Returns
    -------
    pandas.DataFrame
        Aligned to ``households``: ``accessible_precinct_id`` (nullable), ``walk_accessible_m``,
        ``walk_accessible_min``, ``walk_accessible_min_reduced`` (the ``reduced`` profile's
        walk, steps weighed, to the nearest of them) (NaN where none is reachable),
        ``passes_precinct_id`` (the nearest precinct passed on the way to its own,
        nullable) and ``accessible_status`` (``ok``, ``off_network``, ``not_geocoded``,
        ``unreachable``).
    """
    settings = settings or AccessSettings()
    ids = precincts["precinct_id"].to_numpy()
    hsnap, psnap = snaps if snaps is not None else (
        snap_points(net, households.geometry, max_m=settings.max_snap_m,
                    min_component_nodes=settings.min_component_nodes),
        snap_points(net, precincts.geometry, max_m=settings.max_snap_m,
                    min_component_nodes=settings.min_component_nodes))
    walks = _walks(net, hsnap, psnap)
    among = np.where(np.asarray(accessible, dtype=bool)[None, :], walks, np.inf)
    best = among.argmin(axis=1) if len(ids) else np.zeros(len(households), dtype=int)
    walk_m = among[np.arange(len(among)), best] if len(ids) else np.full(len(households),
                                                                         np.inf)
    reach = np.isfinite(walk_m)
    status = hsnap.status.astype(object)
    status[(status == OK) & ~reach] = "unreachable"
    # on the way: h -> street at q -> p no more than detour_m longer than h -> p
    own = pd.Index(ids).get_indexer(households["precinct_id"])
    between = _walks(net, psnap, psnap)  # precinct -> precinct, both snaps counted
    rows = np.arange(len(households))
    direct = walks[rows, own]
    street = psnap.snap_m[None, :]
    via = (walks - street) + (between[:, own].T - street)
    passed = (via <= direct[:, None] + detour_m) & np.isfinite(via)
    passed[rows, own] = False
    nearest_passed = np.where(passed, walks, np.inf).argmin(axis=1)
    passes = pd.array(ids[nearest_passed], dtype="Int64")
    passes[~passed.any(axis=1)] = pd.NA
    found = pd.array(ids[best], dtype="Int64")
    found[~reach] = pd.NA
    walk_m = np.where(reach, walk_m, np.nan)
    # at reduced mobility: the reduced profile's walk (steps weighed) to the nearest of them
    slow = net.for_profile(profiles_of(settings)["reduced"])
    slow_walks = walks if slow is net else _walks(slow, on_view(hsnap, slow, net),
                                                  on_view(psnap, slow, net))
    slow_m = (np.where(np.asarray(accessible, dtype=bool)[None, :], slow_walks, np.inf)
              .min(axis=1) if len(ids) else np.full(len(households), np.inf))
    return pd.DataFrame({
        "accessible_precinct_id": found,
        "walk_accessible_m": walk_m,
        "walk_accessible_min": walk_m / settings.metres(1),
        "walk_accessible_min_reduced": np.where(np.isfinite(slow_m), slow_m, np.nan)
        / settings.metres(1, reduced=True),
        "passes_precinct_id": passes,
        "accessible_status": status.astype(str),
    }, index=households.index)
