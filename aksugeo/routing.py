"""Shortest walks from snapped points, on the compiled bucket-queue kernels.

A snapped point starts a search from both ends of its edge, at ``snap_m + offset`` and
``snap_m + (length - offset)``. The walk between two points on one edge may also run straight
along it, which :func:`same_edge_distances` gives.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from aksugeo import _kernels
from aksugeo.network import WalkNetwork
from aksugeo.snapping import Snap


def threads() -> int:
    """How many threads searches run on: ``AKSUGEO_THREADS``, else the CPUs available."""
    env = os.environ.get("AKSUGEO_THREADS")
    return max(1, int(env)) if env else max(1, len(os.sched_getaffinity(0)))


def _starts(net: WalkNetwork, snap: Snap, which: np.ndarray,
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR layout of the start nodes of each source: both ends of its edge."""
    e = snap.edge[which]
    off, s = snap.offset_m[which], snap.snap_m[which]
    node = np.column_stack([net.u[e], net.v[e]]).ravel()
    dist = np.column_stack([s + off, s + net.length_m[e] - off]).ravel()
    ptr = np.arange(0, 2 * len(which) + 1, 2, dtype=np.int64)
    return ptr, node.astype(np.int64), dist


def nearest_source(net: WalkNetwork, snap: Snap, which: np.ndarray,
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Return, for every node, the distance to its nearest source and which source it is.

    One multi-source search for all the sources at once.

    Parameters
    ----------
    net : WalkNetwork
        The network.
    snap : Snap
        Snapped points.
    which : numpy.ndarray
        Indices of the source points (all ``ok``).

    Returns
    -------
    dist : numpy.ndarray
        Metres from the nearest source to each node (inf where none is reachable).
    label : numpy.ndarray
        Position in ``which`` of that source (-1 where none is reachable).
    """
    _, node, dist = _starts(net, snap, which)
    label = np.repeat(np.arange(len(which), dtype=np.int64), 2)
    g = net.csr
    return _kernels.nearest_sources(g.indptr, g.indices, g.data, net.delta_m, node, dist,
                                    label, net.n_nodes)


@dataclass(frozen=True)
class Searches:
    """What one bounded search per source found.

    Attributes
    ----------
    reach_ptr, reach_node, reach_dist : numpy.ndarray
        For source ``i``, the nodes ``reach_node[reach_ptr[i]:reach_ptr[i + 1]]`` within the
        limit, and their distances.
    target_dist : numpy.ndarray
        The distance from each source to each of its target nodes, in the targets' layout.
    """

    reach_ptr: np.ndarray
    reach_node: np.ndarray
    reach_dist: np.ndarray
    target_dist: np.ndarray

    def reached(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Return the nodes source ``i`` reaches within the limit, and their distances."""
        sl = slice(self.reach_ptr[i], self.reach_ptr[i + 1])
        return self.reach_node[sl], self.reach_dist[sl]


def bounded_searches(net: WalkNetwork, snap: Snap, which: np.ndarray, *, limit_m: float,
                     target_ptr: np.ndarray | None = None,
                     target_node: np.ndarray | None = None) -> Searches:
    """Run one search per source, each stopped once it knows all it was asked for.

    Parameters
    ----------
    net : WalkNetwork
        The network.
    snap : Snap
        Snapped points.
    which : numpy.ndarray
        Indices of the source points (all ``ok``).
    limit_m : float
        Report every node within this distance of each source (-1: none; inf: all).
    target_ptr, target_node : numpy.ndarray, optional
        For source ``i``, the nodes ``target_node[target_ptr[i]:target_ptr[i + 1]]`` whose
        distance is wanted wherever they lie.

    Returns
    -------
    Searches
        The nodes reached within the limit and the target distances, per source.
    """
    if target_ptr is None or target_node is None:
        target_ptr = np.zeros(len(which) + 1, dtype=np.int64)
        target_node = np.zeros(0, dtype=np.int64)
    src_ptr, src_node, src_dist = _starts(net, snap, which)
    g = net.csr
    n_blocks = min(threads(), max(1, len(which)))
    bounds = np.linspace(0, len(which), n_blocks + 1).astype(np.int64)

    def run(b: int) -> tuple[np.ndarray, ...]:
        return _kernels.bounded_searches(
            g.indptr, g.indices, g.data, net.delta_m, net.n_nodes, src_ptr, src_node, src_dist,
            float(limit_m), target_ptr, target_node.astype(np.int64), int(bounds[b]),
            int(bounds[b + 1]))

    with ThreadPoolExecutor(max_workers=n_blocks) as pool:
        parts = list(pool.map(run, range(n_blocks)))
    ptrs, offset = [np.zeros(1, dtype=np.int64)], 0
    for p in parts:
        ptrs.append(p[0][1:] + offset)
        offset += p[0][-1]
    return Searches(np.concatenate(ptrs), np.concatenate([p[1] for p in parts]),
                    np.concatenate([p[2] for p in parts]),
                    np.concatenate([p[3] for p in parts]))


def same_edge_distances(snap_a: Snap, a: np.ndarray, snap_b: Snap, b: np.ndarray,
                        ) -> np.ndarray:
    """Return the walk from point ``a[i]`` to point ``b[i]`` straight along their shared edge.

    Parameters
    ----------
    snap_a, snap_b : Snap
        The two sets of snapped points.
    a, b : numpy.ndarray
        Paired indices into them.

    Returns
    -------
    numpy.ndarray
        Metres, inf where the two points are not on the same edge.
    """
    ea, eb = snap_a.edge[a], snap_b.edge[b]
    direct = (snap_a.snap_m[a] + snap_b.snap_m[b]
              + np.abs(snap_a.offset_m[a] - snap_b.offset_m[b]))
    return np.where((ea == eb) & (ea >= 0), direct, np.inf)
