"""The synthetic world under construction: ways, buildings, areas, places, and their noding."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon

from aksugeo.synth.names import StreetName

Coord = tuple[float, float]


@dataclass(frozen=True)
class Frame:
    """A local plan frame: metres east/north of an origin in the metric CRS, rotated.

    Streets are laid out on round numbers in a plan (``x=550``), then turned into the metric CRS.
    """

    e0: float
    n0: float
    angle_deg: float = 0.0

    def pt(self, x: float, y: float) -> Coord:
        """Return the metric-CRS coordinate of plan point ``(x, y)``."""
        a = math.radians(self.angle_deg)
        return (
            self.e0 + x * math.cos(a) - y * math.sin(a),
            self.n0 + x * math.sin(a) + y * math.cos(a),
        )

    def rect(self, xa: float, ya: float, xb: float, yb: float) -> Polygon:
        """Return the plan rectangle ``[xa, xb] x [ya, yb]`` as a metric-CRS polygon."""
        return Polygon([self.pt(xa, ya), self.pt(xb, ya), self.pt(xb, yb), self.pt(xa, yb)])

    def box(self, cx: float, cy: float, length: float, depth: float, along_x: bool) -> Polygon:
        """Return a building footprint centred on plan point ``(cx, cy)``."""
        hx, hy = (length / 2, depth / 2) if along_x else (depth / 2, length / 2)
        return self.rect(cx - hx, cy - hy, cx + hx, cy + hy)


@dataclass
class Way:
    """A linear OSM way under construction (street, path, railway, river)."""

    coords: list[Coord]
    tags: dict[str, str]
    street: StreetName | None = None
    settlement: str | None = None


@dataclass
class Building:
    """A building footprint, and for dwellings what the population step needs to know."""

    footprint: Polygon
    tags: dict[str, str]
    settlement: str
    use: str  # house, apartments, school, culture, other, industrial, civic
    unit: str = ""  # block or quadrant: gaps are left whole units at a time
    dwellings: int = 0
    street: StreetName | None = None  # frontage street, for the house number
    street_line: LineString | None = None
    micro: int | None = None  # microdistrict number, for interior apartment blocks
    place: str | None = None  # hamlet: address by place, no street
    site_key: str | None = None  # the precinct site whose area this building lies in
    site: dict[str, object] | None = None  # set on a precinct's building
    housenumber: str = ""


@dataclass
class World:
    """Everything the generator lays out, in the metric CRS."""

    ways: list[Way] = field(default_factory=list)
    buildings: list[Building] = field(default_factory=list)
    areas: list[tuple[Polygon, dict[str, str]]] = field(default_factory=list)
    places: list[tuple[Coord, dict[str, str]]] = field(default_factory=list)
    # tags of vertices of ways (kerbs, barriers), by their coordinate to the centimetre
    node_tags: dict[tuple[float, float], dict[str, str]] = field(default_factory=dict)


def node_ways(ways: list[Way], *, only_tag: str = "highway") -> None:
    """Insert a shared vertex wherever two ways cross or one ends on another, in place.

    Ways that carry ``only_tag`` (and railways, which cross streets at grade) are noded with one
    another; the same float coordinate goes into both ways, so their OSM nodes coincide.

    Parameters
    ----------
    ways : list of Way
        The ways to node; their ``coords`` are replaced.
    only_tag : str
        The tag a way must carry to be noded.
    """
    idx = [i for i, w in enumerate(ways) if only_tag in w.tags or "railway" in w.tags]
    lines = [LineString(ways[i].coords) for i in idx]
    tree = shapely.STRtree(lines)
    left, right = tree.query(lines, predicate="intersects")
    extra: dict[int, list[Coord]] = {k: [] for k in range(len(lines))}
    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        if a >= b:
            continue
        inter = lines[a].intersection(lines[b])
        pts = shapely.get_coordinates(inter)
        for x, y in pts:
            extra[a].append((float(x), float(y)))
            extra[b].append((float(x), float(y)))
    for k, i in enumerate(idx):
        if extra[k]:
            ways[i].coords = insert_vertices(lines[k], ways[i].coords, extra[k])


def insert_vertices(line: LineString, coords: list[Coord], pts: list[Coord]) -> list[Coord]:
    """Return ``coords`` with ``pts`` (points on ``line``, the way's line) inserted in order."""
    along = [(line.project(shapely.Point(c)), c) for c in coords]
    along += [(line.project(shapely.Point(p)), p) for p in pts]
    along.sort(key=lambda t: t[0])
    out: list[Coord] = []
    for _, c in along:
        if out and math.dist(out[-1], c) < 0.05:
            # keep the vertex the way already had; an inserted copy of it adds nothing
            continue
        out.append(c)
    if coords[-1] != out[-1] and math.dist(coords[-1], out[-1]) < 0.05:
        out[-1] = coords[-1]
    return out


def wavy_road(start: Coord, end: Coord, rng: np.random.Generator, *,
              step_m: float = 250) -> list[Coord]:
    """Return a country road from ``start`` to ``end``: gently curved, a vertex every ``step_m``.

    Parameters
    ----------
    start, end : tuple of float
        Metric-CRS end points, kept exactly (they join village streets).
    rng : numpy.random.Generator
        Source of the curvature.
    step_m : float
        Spacing of the vertices, in metres.

    Returns
    -------
    list of tuple of float
        The road's vertices.
    """
    (x0, y0), (x1, y1) = start, end
    length = math.dist(start, end)
    n = max(2, int(length // step_m))
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    amp = rng.uniform(-0.04, 0.04) * length
    amp2 = rng.uniform(-0.015, 0.015) * length
    out = [start]
    for k in range(1, n):
        s = k / n
        off = amp * math.sin(math.pi * s) + amp2 * math.sin(3 * math.pi * s)
        out.append((x0 + (x1 - x0) * s - uy * off, y0 + (y1 - y0) * s + ux * off))
    out.append(end)
    return out
