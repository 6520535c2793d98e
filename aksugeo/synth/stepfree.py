"""What a real town has that stops a wheelchair: steps, kerbs, a steep path, unpaved lanes.

Added to the laid-out world after its ways are noded, by tags and by vertices on the ways'
own lines, and by two crossings that are never shorter than the ones they double, so that the
plain walk of every household stays what it was; only the profiles that read these tags walk
differently (:mod:`aksugeo.walk.profiles`). No random numbers are drawn: the choices follow the
ways' order.

- *An underpass under the main street*, where two microdistricts' service roads meet it face to
  face: steps down, a tunnel, steps up (no ramp), exactly as long as the crossing above it.
- *A footbridge over the plant's railway*, beside the level crossing of the street to the plant:
  steps up, a bridge, steps down, longer than the crossing.

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

import itertools
import math

import shapely
from shapely.geometry import LineString, Point
from shapely.ops import substring

from aksugeo.synth.world import Coord, Way, World, insert_vertices

STEPS_M = 20.0
KERB_INSET_M = 4.0
UNDERPASS_STEPS_M = 4.0  # each flight of the underpass, from the service road's vertex
UNDERPASS_HALF_M = 10.0  # from the main street's axis to where the underpass leaves the road
BRIDGE_FROM_M = 30.0  # along the plant's street, each side of the level crossing
BRIDGE_ASIDE_M = 15.0
BRIDGE_STEPS_M = 10.0
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


def _along(a: Coord, b: Coord, metres: float) -> Coord:
    d = math.dist(a, b)
    return (a[0] + (b[0] - a[0]) * metres / d, a[1] + (b[1] - a[1]) * metres / d)


def _add_vertex(way: Way, p: Coord) -> None:
    way.coords = insert_vertices(LineString(way.coords), way.coords, [p])


def _pieces(coords: list[Coord], tags: list[dict[str, str]]) -> list[Way]:
    """Ways from each vertex to the next, with the tags of each piece."""
    return [Way([a, b], dict(t), None, TOWN)
            for (a, b), t in zip(itertools.pairwise(coords), tags, strict=True)]


def _underpass(world: World) -> bool:
    """Add an underpass under the main street where two service roads meet it face to face."""
    road = shapely.union_all([LineString(w.coords) for w in world.ways
                              if w.tags.get("highway") == "primary" and w.settlement == TOWN])
    ends: dict[tuple[float, float], list[tuple[Way, Coord]]] = {}
    for way in world.ways:
        if way.tags.get("highway") != "service" or len(way.coords) != 2:
            continue
        for end, other in ((way.coords[0], way.coords[1]), (way.coords[1], way.coords[0])):
            if road.distance(Point(end)) < 0.01:
                ends.setdefault(_key(*end), []).append((way, other))
    facing = []
    for at, spurs in sorted(ends.items()):
        if len(spurs) != 2:
            continue
        (w1, o1), (w2, o2) = spurs
        x, y = at
        d1 = (o1[0] - x, o1[1] - y)
        d2 = (o2[0] - x, o2[1] - y)
        cos = (d1[0] * d2[0] + d1[1] * d2[1]) / (math.hypot(*d1) * math.hypot(*d2))
        if cos < -0.999999 and min(math.hypot(*d1), math.hypot(*d2)) > 2 * UNDERPASS_HALF_M:
            facing.append((at, w1, o1, w2, o2))
    if not facing:
        return False
    at, w1, o1, w2, o2 = facing[len(facing) // 2]
    crossing = next(c for c in w1.coords if _key(*c) == at)
    west = _along(crossing, o1, UNDERPASS_HALF_M)
    east = _along(crossing, o2, UNDERPASS_HALF_M)
    _add_vertex(w1, west)
    _add_vertex(w2, east)
    down = _along(west, east, UNDERPASS_STEPS_M)
    up = _along(east, west, UNDERPASS_STEPS_M)
    flight = {"highway": "steps", "ramp": "no", "tunnel": "yes", "layer": "-1"}
    world.ways += _pieces([west, down, up, east], [
        flight, {"highway": "footway", "tunnel": "yes", "layer": "-1", "lit": "yes"}, flight])
    return True


def _footbridge(world: World) -> bool:
    """Add a footbridge over the railway beside the level crossing of a street."""
    rails = [LineString(w.coords) for w in world.ways if "railway" in w.tags]
    if not rails:
        return False
    rail = shapely.union_all(rails)
    for way in sorted((w for w in world.ways if w.tags.get("highway") == "tertiary"
                       and w.settlement == TOWN), key=lambda w: w.coords[0]):
        line = LineString(way.coords)
        if not line.intersects(rail):
            continue
        at = line.project(line.intersection(rail).representative_point())
        if at < BRIDGE_FROM_M + 1 or line.length - at < BRIDGE_FROM_M + 1:
            continue
        south = line.interpolate(at - BRIDGE_FROM_M).coords[0]
        north = line.interpolate(at + BRIDGE_FROM_M).coords[0]
        south, north = (float(south[0]), float(south[1])), (float(north[0]), float(north[1]))
        dx, dy = (north[0] - south[0]) / (2 * BRIDGE_FROM_M), (north[1] - south[1]) / (
            2 * BRIDGE_FROM_M)
        side = (-dy * BRIDGE_ASIDE_M, dx * BRIDGE_ASIDE_M)
        a = (south[0] + side[0], south[1] + side[1])
        b = (a[0] + dx * BRIDGE_STEPS_M, a[1] + dy * BRIDGE_STEPS_M)
        d = (north[0] + side[0], north[1] + side[1])
        c = (d[0] - dx * BRIDGE_STEPS_M, d[1] - dy * BRIDGE_STEPS_M)
        _add_vertex(way, south)
        _add_vertex(way, north)
        flight = {"highway": "steps", "ramp": "no", "bridge": "yes", "layer": "1"}
        path = {"highway": "footway", "surface": "asphalt"}
        world.ways += _pieces([south, a, b, c, d, north], [
            path, flight, {"highway": "footway", "bridge": "yes", "layer": "1"}, flight, path])
        return True
    return False


def add_step_free_features(world: World) -> dict[str, int]:
    """Add the features of the module to ``world`` (in place); return how many of each."""
    park = next(poly for poly, tags in world.areas if tags.get("leisure") == "park")
    footways = sorted((w for w in world.ways if w.tags.get("highway") == "footway"
                       and w.settlement == TOWN),
                      key=lambda w: (round(w.coords[0][0]), round(w.coords[0][1])))
    along_park = [w for w in footways if LineString(w.coords).distance(park.boundary) < 1.0
                  and LineString(w.coords).length > 4 * STEPS_M]
    counts = {"flights": 0, "kerbs": 0, "steep": 0, "unpaved": 0,
              "underpass": int(_underpass(world)), "footbridge": int(_footbridge(world))}
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
