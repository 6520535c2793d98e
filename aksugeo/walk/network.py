"""The walking network: read OpenStreetMap data, keep what a pedestrian may use, project, cache.

Sources:

- an OpenStreetMap file, ``.osm`` / ``.xml`` (XML), ``.osm.bz2`` / ``.osm.gz`` (compressed
  XML) or ``.osm.pbf``, all read by one reader (pyosmium), so the formats agree;
- a place name, downloaded with osmnx when online and asked for (:func:`network_from_place`).

Which ways are walked and which nodes stop a walker is :mod:`aksugeo.walk.pedestrian`. Every
segment of a walkable way becomes one straight, undirected edge (one-way tags do not bind
walkers), measured on the WGS84 ellipsoid; segments that touch a node missing from a clipped
extract are dropped. The network is projected to the UTM zone of its centre, and cached in the
cache folder (:mod:`aksugeo._cache`), keyed by the file's SHA-256, so the second load is fast
and a changed file is read again.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from aksugeo._cache import cache_dir, cache_path, file_sha256
from aksugeo._errors import AksugeoError
from aksugeo._threads import run_parts, threads
from aksugeo.data.projection import metric_crs
from aksugeo.walk.pedestrian import NODE_TAGS, WAY_TAGS, is_barrier, is_walkable
from aksugeo.walk.profiles import (
    NO_KERB,
    PROFILE_NODE_TAGS,
    PROFILE_WAY_TAGS,
    WAY_FIELDS,
    EdgeTags,
    Profile,
    edge_kerbs,
    node_codes,
    way_codes,
)

CACHE_VERSION = 5  # 3: the pedestrian rule of aksugeo.walk.pedestrian, barriers, ellipsoid lengths;
# 4: the profiles' tags of every edge (aksugeo.walk.profiles); 5: boarding kerbs read over
GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class OsmWalkData:
    """What a reader keeps of an OpenStreetMap source: the walkable segments and barriers.

    Attributes
    ----------
    node_id, lon, lat : numpy.ndarray
        Every node a walkable segment uses, with its WGS84 coordinates.
    u_id, v_id : numpy.ndarray
        The OSM ids of the two ends of each walkable segment (consecutive nodes of a way).
    barrier_id : numpy.ndarray
        The OSM ids of the nodes that stop a walker (:func:`aksugeo.walk.pedestrian.is_barrier`).
    clipped_ways : int
        Walkable ways that lost segments to nodes missing from the extract.
    way_codes : numpy.ndarray or None
        For each segment, its way's profile codes (:data:`aksugeo.walk.profiles.WAY_FIELDS`).
    coded_nodes, node_codes : numpy.ndarray or None
        The OSM ids of the nodes a profile reads (kerbs, barriers), and their codes
        (:data:`aksugeo.walk.profiles.NODE_FIELDS`).
    """

    node_id: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    u_id: np.ndarray
    v_id: np.ndarray
    barrier_id: np.ndarray
    clipped_ways: int = 0
    way_codes: np.ndarray | None = None
    coded_nodes: np.ndarray | None = None
    node_codes: np.ndarray | None = None


def ellipsoid_m(lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray,
                lat2: np.ndarray) -> np.ndarray:
    """Return geodesic distances on the WGS84 ellipsoid in metres (pyproj's Geod).

    A haversine on a sphere (osmnx's 6,371,009 m) is about 0.2% short at Aksu's 52 N and
    0.28% at 60 N; OSRM and Valhalla measure on the ellipsoid, and so do we.
    """
    if len(lon1) == 0:
        return np.zeros(0)
    return np.asarray(GEOD.inv(lon1, lat1, lon2, lat2)[2], dtype=float)


@dataclass(eq=False)
class WalkNetwork:
    """A walking network as arrays: nodes in a metric CRS and straight undirected edges.

    Attributes
    ----------
    crs : pyproj.CRS
        The metric CRS of ``x`` and ``y``.
    node_id : numpy.ndarray
        OSM id of each node (int64).
    x, y : numpy.ndarray
        Node coordinates in metres.
    u, v : numpy.ndarray
        End nodes of each edge, as indices into the node arrays (int64).
    length_m : numpy.ndarray
        Length of each edge in metres, on the WGS84 ellipsoid (straight in the metric CRS for
        :meth:`from_arrays`).
    source : str
        Where the network came from.
    clipped_ways : int
        Walkable ways of the source that lost segments to nodes missing from the extract.
    barrier_nodes : int
        Barrier nodes on walkable ways (each ends the ways that meet it: one node per way end
        in ``node_id``, with the same OSM id).
    tags : EdgeTags or None
        What the mobility profiles read of each edge (:mod:`aksugeo.walk.profiles`); None when
        nothing is known (a network built from arrays).
    """

    crs: CRS
    node_id: np.ndarray
    x: np.ndarray
    y: np.ndarray
    u: np.ndarray
    v: np.ndarray
    length_m: np.ndarray
    source: str = ""
    clipped_ways: int = 0
    barrier_nodes: int = 0
    tags: EdgeTags | None = None

    @cached_property
    def edge_tags(self) -> EdgeTags:
        """The profile codes of every edge (all unknown when the source gave none)."""
        return self.tags if self.tags is not None else EdgeTags.unknown(self.n_edges)

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.x)

    @property
    def n_edges(self) -> int:
        """Number of edges."""
        return len(self.u)

    @cached_property
    def lines(self) -> np.ndarray:
        """Each edge as a shapely LineString in the metric CRS."""
        coords = np.stack([np.column_stack([self.x[self.u], self.y[self.u]]),
                           np.column_stack([self.x[self.v], self.y[self.v]])], axis=1)
        return shapely.linestrings(coords)

    @cached_property
    def tree(self) -> shapely.STRtree:
        """A spatial index of the edges."""
        return shapely.STRtree(self.lines)

    @cached_property
    def edge_grid(self) -> tuple[np.ndarray, np.ndarray, float, float, float, int, int]:
        """A uniform grid of buckets over the edges, for exact nearest-edge searches.

        Cells are about the median edge long (at least 5 m), and never more than 2,048 a side.
        Returns ``ptr, edges, x0, y0, cell, nx, ny``: the edges of cell ``(i, j)`` are
        ``edges[ptr[j * nx + i]:ptr[j * nx + i + 1]]``.
        """
        from aksugeo.walk import _kernels  # noqa: PLC0415  (numba compiles on first use)

        x0, y0 = float(self.x.min()), float(self.y.min())
        span = max(float(self.x.max()) - x0, float(self.y.max()) - y0, 1.0)
        plane = np.hypot(self.x[self.u] - self.x[self.v], self.y[self.u] - self.y[self.v])
        cell = max(float(np.median(plane)) if self.n_edges else 1.0, 5.0, span / 2048)
        nx = int((float(self.x.max()) - x0) / cell) + 1
        ny = int((float(self.y.max()) - y0) / cell) + 1
        ptr, edges = _kernels.edge_grid(self.x[self.u], self.y[self.u], self.x[self.v],
                                        self.y[self.v], x0, y0, cell, nx, ny)
        return ptr, edges, x0, y0, cell, nx, ny

    def nearest_edges(self, x: np.ndarray, y: np.ndarray, *, allowed: np.ndarray | None = None,
                      limit_m: float = np.inf) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return the nearest edge of each point within ``limit_m``, exactly.

        Parameters
        ----------
        x, y : numpy.ndarray
            Points in the network's CRS.
        allowed : numpy.ndarray, optional
            A mask of the edges that may be chosen (all by default).
        limit_m : float
            Points with no edge this near get edge -1.

        Returns
        -------
        edge, dist_m, frac : numpy.ndarray
            The edge (-1 when none), the distance to it, and where along it (0 at ``u``, 1 at
            ``v``, in the metric plane) the point is nearest.
        """
        from aksugeo.walk import _kernels  # noqa: PLC0415

        ptr, edges, x0, y0, cell, nx, ny = self.edge_grid
        open_ = np.isfinite(self.length_m)  # a profile's closed edges are never chosen
        allowed = open_ if allowed is None else np.asarray(allowed, dtype=bool) & open_
        x = np.ascontiguousarray(x, dtype=float)
        y = np.ascontiguousarray(y, dtype=float)
        ends = (self.x[self.u], self.y[self.u], self.x[self.v], self.y[self.v])

        def run(sl: slice) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            return _kernels.nearest_edges(x[sl], y[sl], *ends, allowed, ptr, edges, x0, y0,
                                          cell, nx, ny, float(limit_m))

        # the kernel releases the GIL: large batches run on every thread
        n_parts = min(threads(), max(1, len(x) // 20_000))
        bounds = np.linspace(0, len(x), n_parts + 1).astype(int)
        parts = run_parts(run, [slice(a, b) for a, b in itertools.pairwise(bounds)])
        return tuple(np.concatenate([p[i] for p in parts]) for i in range(3))  # type: ignore[return-value]

    @cached_property
    def csr(self) -> sparse.csr_matrix:
        """The symmetric adjacency matrix, the shortest of parallel edges as each weight."""
        return self._csr[0]

    @cached_property
    def csr_edge(self) -> np.ndarray:
        """The edge behind each stored entry of :attr:`csr` (aligned with ``csr.data``)."""
        return self._csr[1]

    @cached_property
    def _csr(self) -> tuple[sparse.csr_matrix, np.ndarray]:
        n = self.n_nodes
        # keep the shortest of parallel edges (scipy would sum them); a profile's closed
        # edges are left out
        edge = np.flatnonzero(np.isfinite(self.length_m))
        a, b = np.minimum(self.u, self.v)[edge], np.maximum(self.u, self.v)[edge]
        order = np.lexsort((self.length_m[edge], b, a))
        a, b, edge = a[order], b[order], edge[order]
        first = np.ones(len(a), dtype=bool)
        first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
        a, b, edge = a[first], b[first], edge[first]
        rows, cols = np.concatenate([a, b]), np.concatenate([b, a])
        both = np.concatenate([edge, edge])
        order = np.lexsort((cols, rows))
        rows, cols, both = rows[order], cols[order], both[order]
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
        data = np.maximum(self.length_m[both], 1e-9)  # an explicit 0 is no edge
        return (sparse.csr_matrix((data, cols.astype(np.int32), indptr), shape=(n, n)),
                both.astype(np.int64))

    @cached_property
    def delta_m(self) -> float:
        """Bucket width of the search kernels: the median edge length, within 1 to 100 m."""
        finite = self.length_m[np.isfinite(self.length_m)]
        return float(np.clip(np.median(finite), 1.0, 100.0)) if len(finite) else 1.0

    @cached_property
    def n_buckets(self) -> int:
        """Buckets in the kernels' circular queue: more than the longest edge spans."""
        finite = self.length_m[np.isfinite(self.length_m)]
        longest = float(finite.max()) if len(finite) else 0.0
        return int(max(longest, 1e-9) / self.delta_m) + 2

    @cached_property
    def node_edges(self) -> tuple[np.ndarray, np.ndarray]:
        """The edges at each node, in CSR layout: ``edges[ptr[i]:ptr[i + 1]]`` meet node i."""
        ends = np.concatenate([self.u, self.v])
        order = np.argsort(ends, kind="stable")
        ptr = np.zeros(self.n_nodes + 1, dtype=np.int64)
        np.cumsum(np.bincount(ends, minlength=self.n_nodes), out=ptr[1:])
        return ptr, (order % self.n_edges).astype(np.int64)

    def edges_at(self, nodes: np.ndarray) -> np.ndarray:
        """Return the edges that meet any of ``nodes``, each once."""
        ptr, edges = self.node_edges
        counts = ptr[nodes + 1] - ptr[nodes]
        starts = np.repeat(ptr[nodes] - np.cumsum(counts) + counts, counts)
        return np.unique(edges[starts + np.arange(counts.sum())])

    @cached_property
    def component(self) -> np.ndarray:
        """The connected component of each node (int labels)."""
        return connected_components(self.csr, directed=False)[1]

    def fragment_edges(self, min_nodes: int) -> np.ndarray:
        """Return a mask of the edges on fragments: pieces with fewer than ``min_nodes`` nodes.

        The largest piece is never a fragment, however small.
        """
        if self.n_edges == 0:
            return np.zeros(0, dtype=bool)
        key = int(min_nodes)
        if key not in self._fragments:
            size = np.bincount(self.component)
            small = size < key
            small[np.argmax(size)] = False
            self._fragments[key] = small[self.component[self.u]]
        return self._fragments[key]

    @cached_property
    def _fragments(self) -> dict[int, np.ndarray]:
        return {}

    @classmethod
    def from_arrays(cls, x: np.ndarray, y: np.ndarray, u: np.ndarray, v: np.ndarray, *,
                    crs: CRS | str, node_id: np.ndarray | None = None,
                    source: str = "arrays") -> WalkNetwork:
        """Build a network from node coordinates in a metric CRS and edge end indices.

        Edge lengths are the straight distances; nodes are renumbered along a Morton curve.

        Parameters
        ----------
        x, y : numpy.ndarray
            Node coordinates in metres.
        u, v : numpy.ndarray
            Edge ends, as indices into ``x`` and ``y``.
        crs : pyproj.CRS or str
            The metric CRS of the coordinates.
        node_id : numpy.ndarray, optional
            Ids of the nodes; their positions by default.
        source : str
            Where the network came from.

        Returns
        -------
        WalkNetwork
            The network.
        """
        ids = np.arange(len(x)) if node_id is None else np.asarray(node_id)
        order = morton_order(x, y)
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        length = np.hypot(x[u] - x[v], y[u] - y[v])
        return cls(CRS(crs), ids[order].astype(np.int64), x[order], y[order],
                   rank[u].astype(np.int64), rank[v].astype(np.int64), length, source)

    def for_profile(self, profile: Profile) -> WalkNetwork:
        """Return the network as ``profile`` walks it: each edge's length is its cost.

        The same nodes, edges and geometry (the arrays are shared, not copied; the spatial
        indexes too); an edge the profile closes has an infinite cost and is never snapped to
        nor walked. Searches, snapping and distances then give costs in metres at the
        profile's speed. A profile whose costs are the lengths here (the walk, or the reduced
        profile on a network without steps) gives the network itself.
        """
        key = profile.costing()
        views = _VIEWS.setdefault(self, {})
        if key not in views:
            costs = profile.costs(self.length_m, self.edge_tags)
            if np.array_equal(costs, self.length_m):
                views[key] = self
            else:
                view = WalkNetwork(self.crs, self.node_id, self.x, self.y, self.u, self.v,
                                   costs, f"{self.source} ({profile.name})", self.clipped_ways,
                                   self.barrier_nodes, self.tags)
                for shared in ("lines", "tree", "edge_grid", "node_edges"):
                    view.__dict__[shared] = getattr(self, shared)
                views[key] = view
        return views[key]

    def edges_gdf(self) -> gpd.GeoDataFrame:
        """Return the edges as a GeoDataFrame (``u``, ``v`` as OSM ids, ``length_m``)."""
        return gpd.GeoDataFrame({"u": self.node_id[self.u], "v": self.node_id[self.v],
                                 "length_m": self.length_m}, geometry=self.lines, crs=self.crs)


_VIEWS: weakref.WeakKeyDictionary[WalkNetwork, dict[tuple[object, ...], WalkNetwork]] = (
    weakref.WeakKeyDictionary())


def _split_barriers(u: np.ndarray, v: np.ndarray, barrier: np.ndarray,
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Give every way end at a barrier node its own copy of the node.

    Returns the new edge ends and, for every node of the result, the node it copies (nodes
    that are no barrier copy themselves; the barriers themselves are left out).
    """
    n = len(barrier)
    ends = np.concatenate([u, v])
    at = np.flatnonzero(barrier[ends])
    origin = np.concatenate([np.arange(n), ends[at]])
    ends[at] = n + np.arange(len(at))
    keep = np.ones(len(origin), dtype=bool)
    keep[np.flatnonzero(barrier)] = False
    new_index = np.cumsum(keep) - 1
    ends = new_index[ends]
    return ends[: len(u)], ends[len(u):], origin[keep]


def _assemble(data: OsmWalkData, source: str, crs: CRS | None) -> WalkNetwork:
    """Build a :class:`WalkNetwork` from what a reader kept."""
    u_ids, v_ids = data.u_id, data.v_id
    keep = u_ids != v_ids
    u_ids, v_ids = u_ids[keep], v_ids[keep]
    if len(u_ids) == 0:
        raise AksugeoError(f"{source}: no walkable street in the data")
    # one edge per OSM segment, whichever way the source listed it
    pairs, first = np.unique(np.column_stack([np.minimum(u_ids, v_ids),
                                              np.maximum(u_ids, v_ids)]),
                             axis=0, return_index=True)
    used = np.unique(pairs)
    order = np.argsort(data.node_id)
    pos = order[np.searchsorted(data.node_id, used, sorter=order)]
    lon, lat = data.lon[pos], data.lat[pos]
    u = np.searchsorted(used, pairs[:, 0])
    v = np.searchsorted(used, pairs[:, 1])
    barrier = np.isin(used, data.barrier_id)
    u, v, origin = _split_barriers(u, v, barrier)
    used, lon, lat = used[origin], lon[origin], lat[origin]
    if crs is None:
        crs = metric_crs(gpd.GeoSeries(gpd.points_from_xy(
            [lon.min(), lon.max()], [lat.min(), lat.max()]), crs="EPSG:4326"))
    x, y = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(lon, lat)
    x, y = np.asarray(x), np.asarray(y)
    length = ellipsoid_m(lon[u], lat[u], lon[v], lat[v])
    # number nodes along a space-filling curve: searches then touch memory close together
    order = morton_order(x, y)
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    tags = _edge_tags(data, keep, first, used[u], used[v])
    return WalkNetwork(CRS(crs), used[order].astype(np.int64), x[order], y[order],
                       rank[u].astype(np.int64), rank[v].astype(np.int64), length, source,
                       clipped_ways=data.clipped_ways, barrier_nodes=int(barrier.sum()),
                       tags=tags)


def _edge_tags(data: OsmWalkData, keep: np.ndarray, first: np.ndarray, u_ids: np.ndarray,
               v_ids: np.ndarray) -> EdgeTags | None:
    """Return the profile codes of the assembled edges, whose ends have OSM ids ``u_ids``.

    Each edge takes the codes of the segment it was first listed as (``first`` among the
    segments ``keep`` kept), and the kerbs and barriers of its ends (``u_ids``, ``v_ids``).
    """
    if data.way_codes is None:
        return None
    codes = data.way_codes[keep][first]
    fields = dict(zip(WAY_FIELDS, codes.T, strict=True))
    ids = data.coded_nodes if data.coded_nodes is not None else np.zeros(0, np.int64)
    vals = data.node_codes if data.node_codes is not None else np.zeros((0, 2), np.int8)
    order = np.argsort(ids)
    ids, vals = ids[order], vals[order]

    def at(end: np.ndarray, column: int, missing: int) -> np.ndarray:
        pos = np.clip(np.searchsorted(ids, end), 0, max(len(ids) - 1, 0))
        found = (ids[pos] == end) if len(ids) else np.zeros(len(end), dtype=bool)
        return np.where(found, vals[pos, column] if len(ids) else missing, missing)

    crossing = fields["crossing"].astype(np.int8)
    kerb = edge_kerbs(at(u_ids, 0, NO_KERB), at(v_ids, 0, NO_KERB), crossing)
    barrier = ((at(u_ids, 1, 0) == 1) | (at(v_ids, 1, 0) == 1)).astype(np.int8)
    return EdgeTags(fields["kind"].astype(np.int8), fields["surface"].astype(np.int8),
                    fields["incline_pct"].astype(np.float32),
                    fields["wheelchair"].astype(np.int8), fields["ramp"].astype(np.int8),
                    fields["lit"].astype(np.int8), crossing, kerb, barrier)


def morton_order(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Return the order of points along a Z-order (Morton) curve.

    Parameters
    ----------
    x, y : numpy.ndarray
        Coordinates.

    Returns
    -------
    numpy.ndarray
        Indices that sort the points along the curve.
    """
    def spread(v: np.ndarray) -> np.ndarray:
        v = (v | (v << np.uint64(16))) & np.uint64(0x0000FFFF0000FFFF)
        v = (v | (v << np.uint64(8))) & np.uint64(0x00FF00FF00FF00FF)
        v = (v | (v << np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
        v = (v | (v << np.uint64(2))) & np.uint64(0x3333333333333333)
        return (v | (v << np.uint64(1))) & np.uint64(0x5555555555555555)

    def scale(c: np.ndarray) -> np.ndarray:
        span = max(float(c.max() - c.min()), 1e-9) if len(c) else 1.0
        return ((c - (c.min() if len(c) else 0)) / span * 65535).astype(np.uint64)

    code = spread(scale(x)) | (spread(scale(y)) << np.uint64(1))
    return np.argsort(code, kind="stable")


def _graph_data(graph: object) -> OsmWalkData:
    """Return what the pedestrian rule keeps of an osmnx graph (one edge per segment)."""
    us, vs, codes = [], [], []
    for a, b, data in graph.edges(data=True):  # type: ignore[attr-defined]
        if is_walkable({k: str(val) for k, val in data.items() if k in WAY_TAGS}):
            us.append(a)
            vs.append(b)
            codes.append(way_codes({k: str(v) for k, v in data.items()
                                    if k in PROFILE_WAY_TAGS}))
    nodes = graph.nodes  # type: ignore[attr-defined]
    ids = np.fromiter(nodes, dtype=np.int64, count=len(nodes))
    lon = np.array([nodes[n]["x"] for n in nodes], dtype=float)
    lat = np.array([nodes[n]["y"] for n in nodes], dtype=float)
    barriers = [n for n in nodes
                if is_barrier({k: str(v) for k, v in nodes[n].items() if k in NODE_TAGS})]
    coded = {n: c for n in nodes if (c := node_codes(
        {k: str(v) for k, v in nodes[n].items() if k in PROFILE_NODE_TAGS})) is not None}
    return OsmWalkData(ids, lon, lat, np.array(us, dtype=np.int64),
                       np.array(vs, dtype=np.int64), np.array(barriers, dtype=np.int64), 0,
                       np.array(codes, dtype=float).reshape(-1, len(WAY_FIELDS)),
                       np.fromiter(coded, dtype=np.int64, count=len(coded)),
                       np.array(list(coded.values()), dtype=np.int8).reshape(-1, 2))


def _read_osm(path: Path) -> OsmWalkData:
    """Read an OSM file (XML, bzip2- or gzip-compressed XML, or PBF) with pyosmium.

    One reader for every format, so that the same data gives the same network whichever way
    it is stored. A segment that touches a node missing from the file (a way clipped by the
    extract's boundary) is dropped, never bridged by a straight line: the way keeps its
    other segments, and the ways so clipped are counted.
    """
    import osmium  # noqa: PLC0415  (heavy; only reading needs it)

    coords: dict[int, tuple[float, float]] = {}
    barriers: list[int] = []
    us: list[int] = []
    vs: list[int] = []
    codes: list[tuple[float, ...]] = []  # each segment's way's profile codes
    coded: dict[int, tuple[int, int]] = {}  # kerbs and barriers a profile reads
    clipped = 0
    src = osmium.io.File(str(path), "osm") if path.suffix.lower() == ".xml" else str(path)
    try:
        for obj in osmium.FileProcessor(src, osmium.osm.NODE | osmium.osm.WAY
                                        ).with_locations():
            if isinstance(obj, osmium.osm.Node):
                if obj.tags and is_barrier({k: obj.tags[k] for k in NODE_TAGS
                                            if k in obj.tags}):
                    barriers.append(obj.id)
                if obj.tags and (c := node_codes({k: obj.tags[k] for k in PROFILE_NODE_TAGS
                                                  if k in obj.tags})) is not None:
                    coded[obj.id] = c
                continue
            if not isinstance(obj, osmium.osm.Way):
                continue
            if not is_walkable({k: obj.tags[k] for k in WAY_TAGS if k in obj.tags}):
                continue
            code = way_codes({k: obj.tags[k] for k in PROFILE_WAY_TAGS if k in obj.tags})
            prev, whole = None, True
            for nd in obj.nodes:
                if not nd.location.valid():
                    prev, whole = None, False
                    continue
                coords[nd.ref] = (nd.location.lon, nd.location.lat)
                if prev is not None:
                    us.append(prev)
                    vs.append(nd.ref)
                    codes.append(code)
                prev = nd.ref
            clipped += not whole
    except (RuntimeError, ValueError, OSError) as exc:
        raise AksugeoError(f"{path}: not readable as OpenStreetMap data ({exc})") from exc
    ids = np.fromiter(coords, dtype=np.int64, count=len(coords))
    xy = np.array(list(coords.values()), dtype=float).reshape(-1, 2)
    return OsmWalkData(ids, xy[:, 0], xy[:, 1], np.array(us, dtype=np.int64),
                       np.array(vs, dtype=np.int64), np.array(barriers, dtype=np.int64),
                       clipped, np.array(codes, dtype=float).reshape(-1, len(WAY_FIELDS)),
                       np.fromiter(coded, dtype=np.int64, count=len(coded)),
                       np.array(list(coded.values()), dtype=np.int8).reshape(-1, 2))


def _load_cache(path: Path, sha: str) -> WalkNetwork | None:
    cache = cache_path(sha, "walk.npz")
    if not cache.is_file():
        return None
    with np.load(cache, allow_pickle=False) as z:
        if str(z["sha256"]) != sha or int(z["version"]) != CACHE_VERSION:
            return None
        return WalkNetwork(CRS.from_wkt(str(z["crs"])), z["node_id"], z["x"], z["y"],
                           z["u"], z["v"], z["length_m"], str(path),
                           int(z["clipped_ways"]), int(z["barrier_nodes"]),
                           EdgeTags.from_arrays(z) if "tag_kind" in z else None)


def _save_cache(net: WalkNetwork, sha: str) -> Path | None:
    cache = cache_path(sha, "walk.npz")
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(cache.name + ".tmp.npz")
        arrays: dict[str, object] = {
            "sha256": sha, "version": CACHE_VERSION, "crs": net.crs.to_wkt(),
            "node_id": net.node_id, "x": net.x, "y": net.y, "u": net.u, "v": net.v,
            "length_m": net.length_m, "clipped_ways": net.clipped_ways,
            "barrier_nodes": net.barrier_nodes,
            **(net.tags.arrays() if net.tags is not None else {})}
        np.savez(tmp, **arrays)  # type: ignore[arg-type]
        tmp.replace(cache)
    except OSError:
        return None  # no writable cache folder: prepare the file again next time
    return cache


def load_network(path: str | Path, *, crs: CRS | str | None = None,
                 cache: bool = True) -> WalkNetwork:
    """Read a walking network from an OpenStreetMap file.

    Parameters
    ----------
    path : str or Path
        An ``.osm``, ``.osm.bz2``, ``.xml`` or ``.osm.pbf`` file.
    crs : pyproj.CRS or str, optional
        The metric CRS to project to; the UTM zone of the network's centre by default.
    cache : bool
        Read and write the prepared network in the cache folder (:mod:`aksugeo._cache`:
        ``AKSUGEO_CACHE_DIR``, else the user's cache folder), never beside the file.

    Returns
    -------
    WalkNetwork
        The walkable part of the data, projected.

    Raises
    ------
    AksugeoError
        When the file is missing, unreadable, or holds no walkable street.
    """
    path = Path(path)
    if not path.is_file():
        raise AksugeoError(f"{path}: network file not found")
    sha = file_sha256(path) if cache else ""
    if cache and crs is None and (hit := _load_cache(path, sha)) is not None:
        return hit
    net = _assemble(_read_osm(path), source=str(path), crs=CRS(crs) if crs else None)
    if cache and crs is None:
        _save_cache(net, sha)
    return net


@contextmanager
def _osmnx_settings(**overrides: object) -> Iterator[None]:
    """Set osmnx settings for the duration of a call, then put the old ones back."""
    import osmnx as ox  # noqa: PLC0415

    saved = {k: getattr(ox.settings, k) for k in overrides}
    for k, val in overrides.items():
        setattr(ox.settings, k, val)
    try:
        yield
    finally:
        for k, val in saved.items():
            setattr(ox.settings, k, val)


def network_from_place(place: str, *, crs: CRS | str | None = None,
                       timeout_s: float = 30.0) -> WalkNetwork:
    """Download the walking network of a named place with osmnx (needs the internet).

    Parameters
    ----------
    place : str
        A place name Nominatim knows (``Aksu, Pavlodar Region, Kazakhstan``).
    crs : pyproj.CRS or str, optional
        The metric CRS; the UTM zone of the network's centre by default.
    timeout_s : float
        How long to wait for each answer; with no internet the call fails at once instead of
        waiting for osmnx's pauses.

    Returns
    -------
    WalkNetwork
        The walkable network of the place.

    Raises
    ------
    AksugeoError
        When the download fails (no internet, unknown place).
    """
    import osmnx as ox  # noqa: PLC0415

    cache = cache_dir() / "osmnx"
    settings = {
        "useful_tags_way": list(dict.fromkeys([*ox.settings.useful_tags_way, *WAY_TAGS,
                                               *PROFILE_WAY_TAGS])),
        "useful_tags_node": list(dict.fromkeys([*ox.settings.useful_tags_node, *NODE_TAGS,
                                                *PROFILE_NODE_TAGS])),
        "requests_timeout": timeout_s, "overpass_rate_limit": False,
        "doh_url_template": None, "cache_folder": str(cache), "log_file": False,
    }
    try:
        with _osmnx_settings(**settings):
            graph = ox.graph_from_place(place, network_type="all", simplify=False,
                                        retain_all=True)
    except Exception as exc:  # network errors come in many kinds from requests and osmnx
        raise AksugeoError(f"could not download the network of {place!r}: {exc}") from exc
    return _assemble(_graph_data(graph), source=place, crs=CRS(crs) if crs else None)
