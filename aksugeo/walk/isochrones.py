"""Isochrones: the area each precinct serves within so many minutes on foot.

An isochrone is where the walk is short enough, measured as every walk is: a place walks
straight to its nearest street (past fragments, as :mod:`aksugeo.walk.snapping` snaps a building),
then along the streets. So a building lies inside the t-minute polygon exactly when its own walk
takes t minutes or less, up to the grid's resolution.

How: the walk is computed on a grid of cells (``cell_m`` wide, aligned to the CRS's origin,
so that the precincts' grids coincide) over the land within ``max_snap_m`` of a street, from
the search's distances at the ends of each cell's nearest street; the polygons are the filled
contours of that field (marching squares, contourpy) at each band. A river is never jumped:
a cell on the far bank walks from the far bank's street. The nearest streets of the cells are
found once per call for all precincts, in tiles of 64 x 64 cells.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import cast

import contourpy
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from aksugeo.walk.network import WalkNetwork
from aksugeo.walk.snapping import Snap, foot_xy, snap_xy

TILE = 64  # cells per side of a tile of the nearest-street field


@dataclass
class StreetField:
    """The nearest street of every grid cell's centre, found tile by tile and kept.

    Attributes
    ----------
    net : WalkNetwork
        The network.
    cell_m : float
        Cell width in metres.
    max_snap_m : float
        Cells farther than this from every street have no walk.
    min_component_nodes : int
        The fragment rule of the snapping.
    """

    net: WalkNetwork
    cell_m: float
    max_snap_m: float
    min_component_nodes: int
    tiles: dict[tuple[int, int], tuple[np.ndarray, ...]] = field(default_factory=dict)

    def prepare(self, windows: list[tuple[int, int, int, int]]) -> None:
        """Find the nearest streets of every tile the windows touch, in one pass."""
        keys = {(ti, tj) for i0, i1, j0, j1 in windows
                for ti in range(i0 // TILE, i1 // TILE + 1)
                for tj in range(j0 // TILE, j1 // TILE + 1)} - set(self.tiles)
        if not keys:
            return
        keys_arr = np.array(sorted(keys), dtype=np.int64)
        local = np.arange(TILE)
        gi = (keys_arr[:, 0:1] * TILE + local[None, :])  # (k, TILE) cell columns
        gj = (keys_arr[:, 1:2] * TILE + local[None, :])
        cx = np.repeat(gi[:, None, :], TILE, axis=1)  # (k, rows, cols)
        cy = np.repeat(gj[:, :, None], TILE, axis=2)
        x = (cx.ravel() + 0.5) * self.cell_m
        y = (cy.ravel() + 0.5) * self.cell_m
        edge, dist, frac, _ = snap_xy(self.net, x, y, max_m=self.max_snap_m,
                                      min_component_nodes=self.min_component_nodes)
        size = TILE * TILE
        for n, key in enumerate(map(tuple, keys_arr.tolist())):
            sl = slice(n * size, (n + 1) * size)
            self.tiles[key] = (edge[sl].reshape(TILE, TILE), dist[sl].reshape(TILE, TILE),
                               frac[sl].reshape(TILE, TILE))

    def window(self, i0: int, i1: int, j0: int, j1: int) -> tuple[np.ndarray, ...]:
        """Return the nearest edge, distance and position of cells ``[j0..j1] x [i0..i1]``."""
        self.prepare([(i0, i1, j0, j1)])
        out = []
        for part in range(3):
            rows = []
            for tj in range(j0 // TILE, j1 // TILE + 1):
                cols = [self.tiles[(ti, tj)][part] for ti in range(i0 // TILE, i1 // TILE + 1)]
                rows.append(np.hstack(cols))
            block = np.vstack(rows)
            a, b = j0 - (j0 // TILE) * TILE, i0 - (i0 // TILE) * TILE
            out.append(block[a:a + j1 - j0 + 1, b:b + i1 - i0 + 1])
        return tuple(out)


def window_of(net: WalkNetwork, nodes: np.ndarray, node_dist: np.ndarray, snap: Snap, k: int,
              reach_m: float, cell_m: float) -> tuple[int, int, int, int] | None:
    """Return the cells (index ranges) where places within ``reach_m`` of origin ``k`` may lie.

    A place walks at least as far as the straight line to a reached node plus that node's
    distance; so it lies within ``reach_m - d`` of some node reached at ``d``, or of the
    origin's foot on its street. None when nothing is within reach.
    """
    foot_x, foot_y = foot_xy(net, snap, k)
    keep = node_dist <= reach_m
    left = np.concatenate([reach_m - node_dist[keep], [reach_m - float(snap.snap_m[k])]])
    if (left < 0).all():
        return None
    x = np.concatenate([net.x[nodes[keep]], [foot_x]])
    y = np.concatenate([net.y[nodes[keep]], [foot_y]])
    ok = left >= 0
    lo_x, hi_x = (x[ok] - left[ok]).min(), (x[ok] + left[ok]).max()
    lo_y, hi_y = (y[ok] - left[ok]).min(), (y[ok] + left[ok]).max()
    # one cell more on each side, so that every contour closes inside the window
    return (int(np.floor(lo_x / cell_m)) - 1, int(np.floor(hi_x / cell_m)) + 1,
            int(np.floor(lo_y / cell_m)) - 1, int(np.floor(hi_y / cell_m)) + 1)


def walk_field(net: WalkNetwork, dense: np.ndarray, snap: Snap, k: int,
               near: tuple[np.ndarray, ...]) -> np.ndarray:
    """Return the walk from origin ``k`` to each cell of a window (inf where none)."""
    edge, dist, frac = near
    e = np.maximum(edge, 0)
    length = net.length_m[e]
    along = frac * length
    walk = dist + np.minimum(along + dense[net.u[e]], length - along + dense[net.v[e]])
    own = edge == snap.edge[k]  # the origin's own street: straight along it
    walk[own] = np.minimum(walk[own], dist[own] + snap.snap_m[k]
                           + np.abs(along[own] - snap.offset_m[k]))
    walk[edge < 0] = np.inf
    return walk


def contour_polygons(xs: np.ndarray, ys: np.ndarray, walk: np.ndarray,
                     dists_m: list[float], cell_m: float) -> list[BaseGeometry]:
    """Return the filled contours ``walk <= d`` for each ``d``: valid, nested polygons.

    Where the walk jumps between neighbouring cells (the line between two streets, one
    reached and one not), a straight interpolation to the far value would put the edge next
    to the near cell and leave out places that walk well within ``d``; the walk is capped at
    ``d`` plus half a cell for each band, so that the edge falls between the two cells, near
    the far one (a place inside may walk a little more than ``d``, never one outside less).
    """
    out: list[BaseGeometry] = []
    for d in dists_m:
        gen = contourpy.contour_generator(xs, ys, np.minimum(walk, d + cell_m / 2),
                                          fill_type="OuterOffset")
        filled = gen.filled(-1.0, d)  # OuterOffset: the rings' points, and their offsets
        points = cast("list[np.ndarray]", filled[0])
        offsets = cast("list[np.ndarray]", filled[1])
        polys = [shapely.Polygon(p[o[0]:o[1]], [p[a:b] for a, b in itertools.pairwise(o[1:])])
                 for p, o in zip(points, offsets, strict=True)]
        area = shapely.make_valid(shapely.MultiPolygon(polys)) if polys else shapely.Polygon()
        if out:  # the smaller band, grown: nested by construction
            area = shapely.make_valid(shapely.union(area, out[-1]))
        out.append(area)
    return out




def isochrone_polygons(net: WalkNetwork, nodes: np.ndarray, node_dist: np.ndarray,
                       snap: Snap, k: int, dists_m: list[float], *,
                       streets: StreetField,
                       window: tuple[int, int, int, int] | None = None,
                       ) -> list[BaseGeometry]:
    """Return one polygon per distance: the places whose walk from origin ``k`` is that short.

    Parameters
    ----------
    net : WalkNetwork
        The network.
    nodes, node_dist : numpy.ndarray
        The nodes the origin's search reached, at least all within the largest distance, and
        their distances (one search serves every band).
    snap : Snap
        Snapped points; ``k`` is the origin.
    k : int
        The origin's index in ``snap``.
    dists_m : list of float
        The bands, in metres, rising.
    streets : StreetField
        The cells' nearest streets (shared by the precincts of one call).
    window : tuple of int, optional
        The origin's :func:`window_of` for the largest distance, when the caller has it.

    Returns
    -------
    list of shapely geometry
        Valid (Multi)Polygons, in the order of ``dists_m``, each containing the one before;
        empty where nothing is reached.
    """
    win = window or window_of(net, nodes, node_dist, snap, k, max(dists_m), streets.cell_m)
    if win is None:
        return [shapely.Polygon() for _ in dists_m]
    i0, i1, j0, j1 = win
    dense = np.full(net.n_nodes, np.inf)
    dense[nodes] = node_dist
    walk = walk_field(net, dense, snap, k, streets.window(i0, i1, j0, j1))
    xs = (np.arange(i0, i1 + 1) + 0.5) * streets.cell_m
    ys = (np.arange(j0, j1 + 1) + 0.5) * streets.cell_m
    return contour_polygons(xs, ys, walk, dists_m, streets.cell_m)


def buffered_union(geoms: np.ndarray, buffer_m: float) -> BaseGeometry:
    """Return the union of the geometries buffered by ``buffer_m``, valid."""
    if len(geoms) == 0:
        return shapely.Polygon()
    return shapely.make_valid(shapely.union_all(shapely.buffer(geoms, buffer_m, quad_segs=4)))
