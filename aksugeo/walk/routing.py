"""Shortest walks from snapped points, on the compiled bucket-queue kernels.

A snapped point starts a search from both ends of its edge, at ``snap_m + offset`` and
``snap_m + (length - offset)``. The walk between two points on one edge may also run straight
along it, which :func:`same_edge_distances` gives.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from aksugeo._threads import run_parts, threads
from aksugeo.walk import _kernels
from aksugeo.walk.network import WalkNetwork
from aksugeo.walk.snapping import Snap, foot_xy

SEARCHES_PER_THREAD = 8
SMALL_WORK = 100_000  # nodes x searches below which one thread does it all
_SCRATCH: weakref.WeakKeyDictionary[WalkNetwork, list[tuple[np.ndarray, ...]]] = (
    weakref.WeakKeyDictionary())
_SCRATCH_LOCK = threading.Lock()


@contextmanager
def _scratch(net: WalkNetwork) -> Iterator[tuple[np.ndarray, ...]]:
    """Lend a set of a search's scratch arrays for ``net``; made once, reused after.

    ``dist`` comes and goes back all inf: the kernel resets what it touched.
    """
    with _SCRATCH_LOCK:
        free = _SCRATCH.setdefault(net, [])
        arrays = free.pop() if free else None
    if arrays is None:
        pool = len(net.csr.data) + 64
        arrays = (np.full(net.n_nodes, np.inf), np.empty(net.n_nodes, dtype=np.int64),
                  np.empty(pool, dtype=np.int64), np.empty(pool, dtype=np.int64))
    try:
        yield arrays
    finally:
        with _SCRATCH_LOCK:
            _SCRATCH.setdefault(net, []).append(arrays)


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
    return _kernels.nearest_sources(g.indptr, g.indices, g.data, net.delta_m, net.n_buckets,
                                    node, dist, label, net.n_nodes)


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
    # a thread pool costs more than a few small searches take
    small = net.n_nodes * len(which) < SMALL_WORK  # handing out costs more than it saves
    n_blocks = 1 if small else min(threads(), max(1, len(which) // SEARCHES_PER_THREAD))
    bounds = np.linspace(0, len(which), n_blocks + 1).astype(np.int64)
    tgt = target_node.astype(np.int64)

    def run(b: int) -> tuple[np.ndarray, ...]:
        with _scratch(net) as (dist, touched, e_node, e_next):
            return _kernels.bounded_searches(
                g.indptr, g.indices, g.data, net.delta_m, net.n_buckets, src_ptr, src_node,
                src_dist, float(limit_m), target_ptr, tgt, int(bounds[b]), int(bounds[b + 1]),
                dist, touched, e_node, e_next)

    parts = run_parts(run, range(n_blocks))
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


def same_edge_pairs(edge_a: np.ndarray, edge_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return every pair of positions ``(i, j)`` with ``edge_a[i] == edge_b[j]`` (a join).

    Parameters
    ----------
    edge_a, edge_b : numpy.ndarray
        Edges of two sets of points.

    Returns
    -------
    i, j : numpy.ndarray
        Positions in ``edge_a`` and ``edge_b``, ordered by ``i``.
    """
    order = np.argsort(edge_b, kind="stable")
    sorted_b = edge_b[order]
    lo = np.searchsorted(sorted_b, edge_a, side="left")
    count = np.searchsorted(sorted_b, edge_a, side="right") - lo
    i = np.repeat(np.arange(len(edge_a)), count)
    first = np.repeat(np.cumsum(count) - count, count)
    j = order[np.repeat(lo, count) + np.arange(len(i)) - first]
    return i, j


def improve(best: np.ndarray, label: np.ndarray, idx: np.ndarray, cand: np.ndarray,
            cand_label: np.ndarray) -> None:
    """Lower ``best[idx]`` to ``cand`` where that is smaller, with its label, in place.

    Parameters
    ----------
    best, label : numpy.ndarray
        Distances and labels to improve.
    idx : numpy.ndarray
        Positions in ``best`` of the candidates (repeats allowed: the smallest wins).
    cand, cand_label : numpy.ndarray
        Candidate distances and their labels.
    """
    if len(idx) == 0:
        return
    order = np.lexsort((cand, idx))
    idx, cand, cand_label = idx[order], cand[order], cand_label[order]
    first = np.ones(len(idx), dtype=bool)
    first[1:] = idx[1:] != idx[:-1]
    idx, cand, cand_label = idx[first], cand[first], cand_label[first]
    better = cand < best[idx]
    best[idx[better]] = cand[better]
    label[idx[better]] = cand_label[better]


def walk_nodes(net: WalkNetwork, snap: Snap, a: int, b: int, *,
               walk_m: float) -> list[int]:
    """Return the network nodes the shortest walk from snapped point ``a`` to ``b`` passes.

    The nodes are read back from one search from ``a`` bounded by the walk: from ``b``'s end
    of its edge, each step goes to the neighbour whose distance plus the edge between them is
    the node's own. Empty when the walk runs straight along the edge the two share, or when
    ``b`` cannot be reached.

    Parameters
    ----------
    net : WalkNetwork
        The network.
    snap : Snap
        Snapped points; ``a`` and ``b`` are ``ok``.
    a, b : int
        The two points.
    walk_m : float
        The walk's length, as :func:`aksugeo.walk.distances.walks_within` measures it (it
        bounds the search).

    Returns
    -------
    list of int
        Node indices, from ``a``'s side to ``b``'s.
    """
    ea, eb = int(snap.edge[a]), int(snap.edge[b])
    if ea == eb:
        direct = snap.snap_m[a] + snap.snap_m[b] + abs(snap.offset_m[a] - snap.offset_m[b])
        if direct <= walk_m + 1e-6:
            return []
    found = bounded_searches(net, snap, np.array([a]), limit_m=walk_m + 1e-6)
    nodes, dist = found.reached(0)
    reach = dict(zip(nodes.tolist(), dist.tolist(), strict=True))
    inf = float("inf")
    off_b, len_b = float(snap.offset_m[b]), float(net.length_m[eb])
    total, node = min((reach.get(int(net.u[eb]), inf) + off_b, int(net.u[eb])),
                      (reach.get(int(net.v[eb]), inf) + len_b - off_b, int(net.v[eb])))
    if total == inf:
        return []
    off_a, len_a = float(snap.offset_m[a]), float(net.length_m[ea])
    first = {int(net.u[ea]): snap.snap_m[a] + off_a, int(net.v[ea]): snap.snap_m[a] + len_a - off_a}
    g = net.csr
    chain = [node]
    for _ in range(net.n_nodes):
        here = reach[node]
        if node in first and abs(first[node] - here) <= 1e-6 * max(1.0, here):
            break
        row = slice(g.indptr[node], g.indptr[node + 1])
        node = min((abs(reach.get(int(w), inf) + float(d) - here), int(w))
                   for w, d in zip(g.indices[row], g.data[row], strict=True))[1]
        chain.append(node)
    return chain[::-1]


def walk_path(net: WalkNetwork, snap: Snap, a: int, b: int, *,
              walk_m: float) -> list[tuple[float, float]]:
    """Return the street coordinates of the shortest walk from snapped point ``a`` to ``b``.

    ``a``'s foot on its street, the nodes of :func:`walk_nodes`, ``b``'s foot; in the network's
    CRS. The walk is the one :func:`aksugeo.walk.distances.walks_within` measures, on the
    same kernels.
    """
    chain = walk_nodes(net, snap, a, b, walk_m=walk_m)
    return [foot_xy(net, snap, a), *zip(net.x[chain].tolist(), net.y[chain].tolist(), strict=True),
            foot_xy(net, snap, b)]
