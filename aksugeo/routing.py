"""Shortest walks on the network's CSR matrix, from snapped points (scipy.sparse.csgraph).

A snapped point becomes a *virtual node*, joined to the two ends of its edge by directed edges
weighted ``snap_m + offset`` and ``snap_m + (length - offset)``; searches start from virtual
nodes. The walk between two points on the same edge may also run straight along it, which
:func:`point_distances` accounts for.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import dijkstra

from aksugeo.network import WalkNetwork
from aksugeo.snapping import Snap

CHUNK_BYTES = 256 * 2**20  # memory one batch of single-source searches may take


def with_sources(net: WalkNetwork, snap: Snap, which: np.ndarray) -> sparse.csr_matrix:
    """Return the network's matrix with one virtual node per snapped source appended.

    Parameters
    ----------
    net : WalkNetwork
        The network.
    snap : Snap
        Snapped points.
    which : numpy.ndarray
        Indices of the points (all ``ok``) that become sources, in order: virtual node
        ``net.n_nodes + k`` is point ``which[k]``.

    Returns
    -------
    scipy.sparse.csr_matrix
        A directed matrix of ``n_nodes + len(which)`` nodes.
    """
    n, k = net.n_nodes, len(which)
    e = snap.edge[which]
    off, s = snap.offset_m[which], snap.snap_m[which]
    virt = n + np.arange(k)
    base = net.csr.tocoo()
    rows = np.concatenate([base.row, virt, virt])
    cols = np.concatenate([base.col, net.u[e], net.v[e]])
    w = np.concatenate([base.data, np.maximum(s + off, 1e-9),
                        np.maximum(s + net.length_m[e] - off, 1e-9)])
    # two sources on one edge end would add up as duplicates; keep the shorter by min-reduce
    m = sparse.coo_matrix((w, (rows, cols)), shape=(n + k, n + k))
    return _min_duplicates(m)


def _min_duplicates(m: sparse.coo_matrix) -> sparse.csr_matrix:
    order = np.lexsort((m.data, m.col, m.row))
    r, c, w = m.row[order], m.col[order], m.data[order]
    first = np.ones(len(r), dtype=bool)
    first[1:] = (r[1:] != r[:-1]) | (c[1:] != c[:-1])
    return sparse.csr_matrix((w[first], (r[first], c[first])), shape=m.shape)


def nearest_source(net: WalkNetwork, snap: Snap, which: np.ndarray,
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Return, for every node, the distance to its nearest source and which source it is.

    One multi-source search for all sources at once.

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
    graph = with_sources(net, snap, which)
    dist, _, src = dijkstra(graph, directed=True, indices=net.n_nodes + np.arange(len(which)),
                            min_only=True, return_predecessors=True)
    label = np.where(src >= net.n_nodes, src - net.n_nodes, -1)
    return dist[: net.n_nodes], label[: net.n_nodes]


def source_distances(net: WalkNetwork, snap: Snap, which: np.ndarray, *,
                     limit_m: float = np.inf) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield node distances from each source, one search per source, in memory-sized batches.

    Parameters
    ----------
    net : WalkNetwork
        The network.
    snap : Snap
        Snapped points.
    which : numpy.ndarray
        Indices of the source points (all ``ok``).
    limit_m : float
        Stop each search at this distance (inf beyond it).

    Yields
    ------
    positions : numpy.ndarray
        Positions in ``which`` of the sources of this batch.
    dist : numpy.ndarray
        ``len(positions) x n_nodes`` metres from each source to each node.
    """
    graph = with_sources(net, snap, which)
    batch = max(1, CHUNK_BYTES // (8 * graph.shape[0]))
    for start in range(0, len(which), batch):
        pos = np.arange(start, min(start + batch, len(which)))
        dist = dijkstra(graph, directed=True, indices=net.n_nodes + pos, limit=limit_m)
        yield pos, np.atleast_2d(dist)[:, : net.n_nodes]


def point_distances(net: WalkNetwork, node_dist: np.ndarray, snap: Snap, points: np.ndarray,
                    rows: np.ndarray | None = None) -> np.ndarray:
    """Return walking metres to snapped points from a source, given its node distances.

    Parameters
    ----------
    net : WalkNetwork
        The network.
    node_dist : numpy.ndarray
        Distances from one source to every node, or a batch of such rows (one per source).
    snap : Snap
        Snapped points.
    points : numpy.ndarray
        Indices of the target points (all ``ok``).
    rows : numpy.ndarray, optional
        With a batch, the row of each point's own source.

    Returns
    -------
    numpy.ndarray
        ``snap_m`` + the shorter way round from either end of the point's edge.
    """
    e = snap.edge[points]
    off, s = snap.offset_m[points], snap.snap_m[points]
    if rows is None:
        du, dv = node_dist[net.u[e]], node_dist[net.v[e]]
    else:
        du, dv = node_dist[rows, net.u[e]], node_dist[rows, net.v[e]]
    return s + np.minimum(off + du, net.length_m[e] - off + dv)


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
