"""Synthetic villages: a grid of streets with houses on 24 m lots, a school, a road to town.

Each village of a rural precinct gets a grid of blocks 220 m by 110 m with houses facing the
east-west streets, a main street that runs on as the road out, the precinct's school or house
of culture near the middle, and in a district's central village a few two-storey apartment
blocks. A hamlet is one street of houses with no precinct of its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from shapely.geometry import LineString

from aksugeo.synth.geography import Settlement
from aksugeo.synth.names import ALL_STREETS, PLAIN, StreetName
from aksugeo.synth.world import Building, Coord, Frame, Way, World, node_ways, wavy_road

BLOCK_W, BLOCK_H = 220.0, 110.0


@dataclass
class VillageSpec:
    """What a village holds: its settlement, size and precinct site."""

    settlement: Settlement
    centre: Coord
    houses: int
    facility: str | None  # education / culture, None for a hamlet
    apartments: int = 0  # two-storey blocks, in a district's central village
    served_by: str = ""  # a hamlet: the KATO code of the village whose precinct serves it


def build_village(spec: VillageSpec, world: World, rng: np.random.Generator) -> list[Coord]:
    """Lay out one village in ``world``; return the two ends of its main street.

    Parameters
    ----------
    spec : VillageSpec
        The settlement, its centre in the metric CRS and how many houses it holds.
    world : World
        Receives the streets, buildings and place node.
    rng : numpy.random.Generator
        Source of the random choices.

    Returns
    -------
    list of tuple of float
        Metric coordinates of the main street's two ends, where country roads join.
    """
    if spec.facility is None:
        return _build_hamlet(spec, world, rng)
    s = spec.settlement
    frame = Frame(spec.centre[0], spec.centre[1], float(rng.uniform(-25, 25)))
    blocks = math.ceil(spec.houses / 16.0) + 1 + (spec.apartments > 0)
    ncol = max(2, round(math.sqrt(blocks / 2 * rng.uniform(0.6, 1.6))))
    nrow = max(2, math.ceil(blocks / ncol))
    w, h = ncol * BLOCK_W, nrow * BLOCK_H
    xs = [-w / 2 + BLOCK_W * i for i in range(ncol + 1)]
    ys = [-h / 2 + BLOCK_H * j for j in range(nrow + 1)]
    main_i = ncol // 2
    metric_lines = _grid_streets(s.label, frame, xs, ys, main_i, world, rng)
    site_i = main_i if rng.random() < 0.5 else main_i - 1
    site_j = nrow // 2
    apt_j = site_j - 1 if spec.apartments else -1
    fill = min(1.0, spec.houses / max(1, (ncol * nrow - 1 - (spec.apartments > 0)) * 18))
    for i in range(ncol):
        for j in range(nrow):
            unit = f"v{s.kato}-b{i}-{j}"
            xa, ya = xs[i], ys[j]
            north, south = metric_lines[f"ew{j + 1}"], metric_lines[f"ew{j}"]
            if (i, j) == (site_i, site_j):
                _village_site(spec, frame, world, xa, ya, north, unit)
                continue
            if j == apt_j and i == site_i:
                _village_apartments(spec, frame, world, xa, ya, north, unit)
                continue
            for (line, name), cy in ((north, ya + BLOCK_H - 16), (south, ya + 16)):
                for k in range(9):
                    if rng.random() > fill:
                        continue
                    cx = xa + 12.2 + 24.4 * k + float(rng.uniform(-1.5, 1.5))
                    world.buildings.append(Building(
                        frame.box(cx, cy, 10, 9, True), {"building": "house"}, s.label, "house",
                        unit, dwellings=1, street=name, street_line=line, site_key=s.kato))
    world.places.append((spec.centre, {"place": "village", "name": s.name, "name:ru": s.name,
                                       "ref:kato": s.kato}))
    x_main = xs[main_i]
    return [frame.pt(x_main, -h / 2 - 150), frame.pt(x_main, h / 2 + 150)]


def _grid_streets(label: str, frame: Frame, xs: list[float], ys: list[float], main_i: int,
                  world: World, rng: np.random.Generator,
                  ) -> dict[str, tuple[LineString, StreetName]]:
    """Lay the village's named grid into ``world``; return each street's metric line and name."""
    pool = list(ALL_STREETS)
    names = [pool[i] for i in rng.permutation(len(pool))]
    main_name = PLAIN[1] if rng.random() < 0.6 else names.pop()  # often "Центральная"
    names = [n for n in names if n != main_name]
    w, h = xs[-1] - xs[0], ys[-1] - ys[0]
    ways: list[Way] = []
    lines: dict[str, StreetName] = {}

    def street(key: str, coords: list[Coord], name: StreetName, highway: str) -> None:
        tags = {"highway": highway, "name": name.ru_full, "name:ru": name.ru_full,
                "name:kk": name.kk_full}
        ways.append(Way(coords, tags, name, label))
        lines[key] = name

    for i, x in enumerate(xs):
        if i == main_i:  # the main street runs on out of the village as the road
            street("main", [(x, -h / 2 - 150), (x, h / 2 + 150)], main_name, "tertiary")
        else:
            street(f"ns{i}", [(x, -h / 2), (x, h / 2)], names.pop(), "residential")
    for j, y in enumerate(ys):
        street(f"ew{j}", [(-w / 2, y), (w / 2, y)], names.pop(), "residential")
    node_ways(ways)
    out = {}
    for way, (key, name) in zip(ways, lines.items(), strict=True):
        out[key] = (LineString([frame.pt(*c) for c in (way.coords[0], way.coords[-1])]), name)
        way.coords = [frame.pt(x, y) for x, y in way.coords]
    world.ways.extend(ways)
    return out


def _village_site(spec: VillageSpec, frame: Frame, world: World, xa: float, ya: float,
                  north: tuple[LineString, StreetName], unit: str) -> None:
    s = spec.settlement
    if spec.facility == "education":
        name = f"СОШ с. {s.name}"
        tags = {"building": "school", "amenity": "school", "name": name, "building:levels": "2"}
    else:
        name = f"Дом культуры с. {s.name}"
        tags = {"building": "civic", "amenity": "community_centre", "name": name,
                "building:levels": "1"}
    world.areas.append((frame.rect(xa + 10, ya + 10, xa + BLOCK_W - 10, ya + BLOCK_H - 10),
                        {"amenity": "school"} if spec.facility == "education"
                        else {"landuse": "civic"}))
    world.buildings.append(Building(
        frame.box(xa + BLOCK_W / 2, ya + BLOCK_H - 32, 42, 18, True), tags, s.label,
        str(spec.facility), unit, street=north[1], street_line=north[0], site_key=s.kato,
        site={"key": s.kato, "facility_type": spec.facility, "name": name}))


def _village_apartments(spec: VillageSpec, frame: Frame, world: World, xa: float, ya: float,
                        north: tuple[LineString, StreetName], unit: str) -> None:
    for k in range(spec.apartments):
        entrances = 2 if k % 2 == 0 else 3
        cx = xa + 40 + 70 * k
        world.buildings.append(Building(
            frame.box(cx, ya + BLOCK_H - 24, 18 * entrances, 12, True),
            {"building": "apartments", "building:levels": "2",
             "building:flats": str(6 * entrances), "entrances": str(entrances)},
            spec.settlement.label, "apartments", unit, dwellings=6 * entrances, street=north[1],
            street_line=north[0], site_key=spec.settlement.kato))


def _build_hamlet(spec: VillageSpec, world: World, rng: np.random.Generator) -> list[Coord]:
    s = spec.settlement
    frame = Frame(spec.centre[0], spec.centre[1], float(rng.uniform(-40, 40)))
    half = 6.25 * spec.houses + 40
    coords = [frame.pt(-half, 0.0), frame.pt(half, 0.0)]
    world.ways.append(Way(coords, {"highway": "residential"}, None, s.label))
    line = LineString(coords)
    for k in range(spec.houses):
        cx = -half + 40 + 25.0 * (k // 2) + (12.5 if k % 2 else 0)
        cy = 18.0 if k % 2 == 0 else -18.0
        world.buildings.append(Building(
            frame.box(cx, cy, 10, 9, True), {"building": "house"}, s.label, "house",
            f"v{s.kato}-h{k // 8}", dwellings=1, place=s.label, street_line=line,
            site_key=spec.served_by))
    world.places.append((spec.centre, {"place": "hamlet", "name": s.name, "name:ru": s.name,
                                       "ref:kato": s.kato}))
    return coords


def country_road(world: World, ends_a: list[Coord], ends_b: list[Coord], highway: str,
                 rng: np.random.Generator, **tags: str) -> None:
    """Join two settlements by a road between their nearest street ends.

    Parameters
    ----------
    world : World
        Receives the road.
    ends_a, ends_b : list of tuple of float
        Candidate end points (street ends) of each settlement.
    highway : str
        The OSM ``highway`` value of the road.
    rng : numpy.random.Generator
        Source of the road's curves.
    **tags : str
        More OSM tags (``ref``, ``surface``).
    """
    a, b = min(((p, q) for p in ends_a for q in ends_b), key=lambda pq: math.dist(*pq))
    world.ways.append(Way(wavy_road(a, b, rng), {"highway": highway, **tags}))
