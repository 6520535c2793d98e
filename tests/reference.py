"""Reference computations with networkx and plain shapely, written to be obviously right.

The snapped points are inserted into a networkx graph as real nodes, splitting their edges,
so that networkx's Dijkstra sees exactly the walks the engine should find.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
import numpy as np
import shapely

from aksugeo.walk.network import WalkNetwork
from aksugeo.walk.snapping import Snap


def reference_graph(net: WalkNetwork, snaps: dict[str, Snap]) -> nx.Graph:
    """Return the network as a networkx graph with every snapped point inserted.

    Nodes: ``("n", i)`` for network node ``i``; ``(name, j)`` for point ``j`` of ``snaps[name]``,
    joined by its snap distance to ``("foot", name, j)`` on its edge.
    """
    on_edge: dict[int, list[tuple[float, tuple[str, int]]]] = defaultdict(list)
    graph = nx.Graph()
    for name, snap in snaps.items():
        for j in np.flatnonzero(snap.ok):
            on_edge[int(snap.edge[j])].append((float(snap.offset_m[j]), (name, int(j))))
            graph.add_edge((name, int(j)), ("foot", name, int(j)), weight=float(snap.snap_m[j]))

    def add(a: object, b: object, w: float) -> None:
        if a == b:
            return
        if not graph.has_edge(a, b) or graph[a][b]["weight"] > w:
            graph.add_edge(a, b, weight=w)

    for e in range(net.n_edges):
        u, v, length = int(net.u[e]), int(net.v[e]), float(net.length_m[e])
        points = sorted(on_edge.get(e, []))
        chain = [("n", u)] + [("foot", *key) for _, key in points] + [("n", v)]
        offsets = [0.0] + [off for off, _ in points] + [length]
        for a, b, oa, ob in zip(chain, chain[1:], offsets, offsets[1:], strict=False):
            add(a, b, ob - oa)
    return graph


def node_distances(graph: nx.Graph, source: object, n_nodes: int) -> np.ndarray:
    """Metres from ``source`` to every network node (inf where unreachable)."""
    dist = nx.single_source_dijkstra_path_length(graph, source, weight="weight")
    out = np.full(n_nodes, np.inf)
    for key, d in dist.items():
        if key[0] == "n":
            out[key[1]] = d
    return out


def reached_area(net: WalkNetwork, node_dist: np.ndarray, origin: tuple[float, float],
                 snap: Snap, k: int, dist_m: float, buffer_m: float) -> shapely.Geometry:
    """The isochrone as the definition says, edge by edge in plain Python."""
    pieces = []
    for e in range(net.n_edges):
        u, v, length = int(net.u[e]), int(net.v[e]), float(net.length_m[e])
        pu = np.array([net.x[u], net.y[u]])
        pv = np.array([net.x[v], net.y[v]])
        spans = []
        if node_dist[u] <= dist_m:
            spans.append((0.0, min(length, dist_m - node_dist[u])))
        if node_dist[v] <= dist_m:
            spans.append((max(0.0, length - (dist_m - node_dist[v])), length))
        if e == snap.edge[k] and snap.snap_m[k] < dist_m:
            left = dist_m - snap.snap_m[k]
            spans.append((max(0.0, snap.offset_m[k] - left), min(length, snap.offset_m[k] + left)))
        for a, b in spans:
            pieces.append(shapely.LineString([pu + (pv - pu) * a / length,
                                              pu + (pv - pu) * b / length]))
        pieces += [shapely.Point(net.x[node], net.y[node]) for node in (u, v)
                   if node_dist[node] <= dist_m]
    if snap.snap_m[k] < dist_m:
        e = int(snap.edge[k])
        pu = np.array([net.x[net.u[e]], net.y[net.u[e]]])
        pv = np.array([net.x[net.v[e]], net.y[net.v[e]]])
        foot = pu + (pv - pu) * snap.offset_m[k] / net.length_m[e]
        pieces.append(shapely.LineString([origin, foot]))
    return shapely.union_all([p.buffer(buffer_m, quad_segs=4) for p in pieces])
