"""What a real town has that stops a wheelchair: steps, kerbs, a steep path, unpaved lanes.

Added to the laid-out world after its ways are noded, by tags and by vertices on the ways'
own lines (never a new connection), so that the plain walk of every household stays what it
was; only the profiles that read these tags walk differently (:mod:`aksugeo.walk.profiles`).
No random numbers are drawn: the choices follow the ways' order.

- *Steps into the central park*: a flight of 20 m in the middle of each footway along the park;
  the one on the east side has a ramp (``ramp=yes``), the other none.
- *Kerbs where the footways across the microdistricts meet the service roads*: a kerb node 4 m
  inside each end, in turn raised (``kerb=raised``), lowered (``kerb=lowered``) and of unknown
  height (``barrier=kerb`` alone).
- *A steep path*: one footway is ``incline=12%``.
- *Lit streets and unpaved lanes*: the town's streets are ``lit=yes``; in the villages every
  residential lane without a surface is ``surface=unpaved``, ``lit=no``.
"""

from __future__ import annotations

import math

from shapely.geometry import LineString
from shapely.ops import substring

from aksugeo.synth.world import Coord, Way, World

STEPS_M = 20.0
KERB_INSET_M = 4.0
KERBS = ({"barrier": "kerb", "kerb": "raised"}, {"barrier": "kerb", "kerb": "lowered"},
         {"barrier": "kerb"})
TOWN = "г. Аксу"


def _key(x: float, y: float) -> tuple[float, float]:
    return (round(x, 2), round(y, 2))


def _flight(way: Way, at_m: float, tags: dict[str, str]) -> list[Way]:
    """Split a way around ``at_m`` metres along it: a flight of steps in the middle."""
    line = LineString(way.coords)
    a, b = max(at_m - STEPS_M / 2, 1.0), min(at_m + STEPS_M / 2, line.length - 1.0)
    pieces = [(substring(line, 0, a), way.tags),
              (substring(line, a, b), {**way.tags, "highway": "steps", **tags}),
              (substring(line, b, line.length), way.tags)]
    return [Way([(float(x), float(y)) for x, y in piece.coords], dict(t), way.street,
                way.settlement) for piece, t in pieces]


def _inset(coords: list[Coord], from_end: bool) -> tuple[list[Coord], Coord]:
    """Insert a vertex ``KERB_INSET_M`` inside one end of a line; return the line and it."""
    pts = list(reversed(coords)) if from_end else list(coords)
    (x0, y0), (x1, y1) = pts[0], pts[1]
    d = math.dist((x0, y0), (x1, y1))
    f = KERB_INSET_M / d
    p = (x0 + (x1 - x0) * f, y0 + (y1 - y0) * f)
    pts.insert(1, p)
    return (list(reversed(pts)) if from_end else pts), p


def add_step_free_features(world: World) -> dict[str, int]:
    """Add the features of the module to ``world`` (in place); return how many of each."""
    park = next(poly for poly, tags in world.areas if tags.get("leisure") == "park")
    footways = sorted((w for w in world.ways if w.tags.get("highway") == "footway"
                       and w.settlement == TOWN),
                      key=lambda w: (round(w.coords[0][0]), round(w.coords[0][1])))
    along_park = [w for w in footways if LineString(w.coords).distance(park.boundary) < 1.0
                  and LineString(w.coords).length > 4 * STEPS_M]
    counts = {"flights": 0, "kerbs": 0, "steep": 0, "unpaved": 0}
    for k, way in enumerate(along_park[:2]):
        line = LineString(way.coords)
        beside = line.intersection(park.buffer(1.0))
        middle = line.project(beside.interpolate(0.5, normalized=True))
        east = k == max(range(len(along_park[:2])),
                        key=lambda i: along_park[i].coords[0][0])
        world.ways.remove(way)
        world.ways += _flight(way, middle, {"ramp": "yes"} if east else {"ramp": "no"})
        counts["flights"] += 1
    rest = [w for w in footways if w not in along_park[:2] and len(w.coords) >= 2
            and LineString(w.coords).length > 3 * KERB_INSET_M]
    for k, way in enumerate(rest):
        for end, from_end in enumerate((False, True)):
            way.coords, p = _inset(way.coords, from_end)
            world.node_tags[_key(*p)] = dict(KERBS[(2 * k + end) % len(KERBS)])
            counts["kerbs"] += 1
    if rest:
        rest[len(rest) // 2].tags["incline"] = "12%"
        counts["steep"] = 1
    for way in world.ways:
        highway = way.tags.get("highway")
        if way.settlement == TOWN and highway in ("primary", "secondary", "tertiary",
                                                  "residential"):
            way.tags.setdefault("lit", "yes")
        elif way.settlement not in (None, TOWN) and highway == "residential" \
                and "surface" not in way.tags:
            way.tags |= {"surface": "unpaved", "lit": "no"}
            counts["unpaved"] += 1
    return counts
