"""The synthetic city of Aksu: microdistricts of 5- and 9-storey blocks, a centre, private houses.

The plan (metres, before rotation into the metric CRS): arterials every 550 m east-west and
450 m north-south enclose sixteen microdistricts; each has a service ring, four spurs to the
arterials, footways across, apartment blocks in rows, and a school or another public building.
West of them lies a grid of private houses on 25 m lots; north, the ferroalloy plant behind a
railway; east, the Irtysh. Sites of the 22 urban precincts: 16 in microdistricts, 6 among houses.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely.geometry import LineString, Point

from aksugeo.synth.geography import CITY_KATO, CITY_LONLAT, Geography, river_lines
from aksugeo.synth.names import ALL_STREETS, PEOPLE, RENAMES, StreetName
from aksugeo.synth.world import Building, Coord, Frame, Way, World, node_ways

X_ART = (-1100.0, -550.0, 0.0, 550.0, 1100.0)
Y_ART = (-900.0, -450.0, 0.0, 450.0, 900.0)
X_PRIVATE = tuple(-2400.0 + 100.0 * i for i in range(13))  # N-S streets of the house grid
Y_PRIVATE_LANES = (-675.0, -225.0, 225.0, 675.0)
CENTRE_BLOCK = (1, 2)  # the microdistrict that holds the akimat, the park and the palace
ROTATION_DEG = -8.0

# apartment block types: (storeys, entrances, length m, depth m, dwellings)
BLOCK_TYPES = {
    "5x3": (5, 3, 54.0, 12.0, 45),
    "5x4": (5, 4, 72.0, 12.0, 60),
    "5x6": (5, 6, 108.0, 12.0, 90),
    "9x2": (9, 2, 48.0, 14.0, 72),
    "9x4": (9, 4, 96.0, 14.0, 144),
}
ROW_CHOICES = (("5x4", "5x4"), ("5x6",), ("9x4",), ("5x3", "5x4"), ("9x2", "5x4"), ("5x3", "5x3"))
ROW_P = (0.3, 0.15, 0.12, 0.18, 0.1, 0.15)
# the public buildings of the 16 microdistrict precinct sites, in microdistrict order
MICRO_SITES = (
    ["education"] * 5 + ["other"] + ["education"] * 3 + ["culture"] + ["other"]
    + ["education"] * 2 + ["other"] + ["education"] * 2
)
OTHER_NAMES = ("Аксуский политехнический колледж", "Спорткомплекс «Жігер»",
               "Центр молодёжных инициатив")
PRIVATE_SITE_BLOCKS = ((1, 1), (6, 3), (11, 1), (2, 5), (7, 6), (11, 5))
# the old coach road, older than the grid, cuts across the private houses
TRACT = LineString([(-2400.0, -880.0), (-1100.0, 20.0)])
TRACT_NAME = StreetName("Трактовая", "Тракт")
VACANT_P = {0: 0.45, 1: 0.2}  # blocks at the western edge not built on yet, by column


class CityBuilder:
    """Lays out the city in a :class:`World`; see the module docstring for the plan."""

    def __init__(self, geo: Geography, world: World, rng: np.random.Generator) -> None:
        self.geo = geo
        self.world = world
        self.rng = rng
        e0, n0 = geo.metric(*CITY_LONLAT)
        self.frame = Frame(e0, n0, ROTATION_DEG)
        self.plan_ways: list[Way] = []
        self.lines: dict[str, LineString] = {}  # plan street lines by key, for house numbers
        self.names: dict[str, StreetName] = {}
        self.school_no = 0
        self.gates: list[Coord] = []

    # -- streets ---------------------------------------------------------------------------
    def _street(self, key: str, coords: list[Coord], name: StreetName | None,
                highway: str, **tags: str) -> None:
        t = {"highway": highway, **tags}
        if name is not None:
            t |= {"name": name.ru_full, "name:ru": name.ru_full, "name:kk": name.kk_full}
            renamed = RENAMES.get(name.ru)
            if renamed is not None and renamed.known_to == "osm":
                t |= {"old_name": renamed.old.ru_full, "old_name:kk": renamed.old.kk_full}
            self.names[key] = name
        self.lines[key] = LineString(coords)
        self.plan_ways.append(Way(list(coords), t, name, "г. Аксу"))

    def streets(self) -> None:
        """Lay out arterials, the private-house grid, microdistrict rings and the plant road."""
        pool = list(ALL_STREETS)
        order = self.rng.permutation(len(pool))
        names = [pool[i] for i in order]
        # "проспект" takes a person's name: проспект Абая, never проспект Полевая
        person = next(n for n in names if n in PEOPLE)
        names.remove(person)
        avenue = StreetName(person.ru, person.kk, "avenue")
        k = 0
        for y in Y_ART:
            nm = avenue if y == 0 else names[k]
            k += y != 0
            hw = "primary" if y == 0 else "secondary" if abs(y) == 450 else "tertiary"
            self._street(f"ew{y:.0f}", [(-2400.0, y), (1100.0, y)], nm, hw)
        for x in X_ART:
            hw = "primary" if x == 0 else "secondary"
            self._street(f"ns{x:.0f}", [(x, -900.0), (x, 900.0)], names[k], hw)
            k += 1
        for x in X_PRIVATE:
            self._street(f"ns{x:.0f}", [(x, -900.0), (x, 900.0)], names[k], "residential")
            k += 1
        for y in Y_PRIVATE_LANES:
            lane = StreetName(names[k].ru, names[k].kk, "lane")
            self._street(f"lane{y:.0f}", [(-2400.0, y), (-1100.0, y)], lane, "residential")
            k += 1
        self._street("tract", list(TRACT.coords), TRACT_NAME, "tertiary")
        plant = next(n for n in pool if n.ru == "Промышленная")
        self._street("plant", [(0.0, 900.0), (0.0, 1000.0)], plant, "tertiary")
        self._street("plant-gate", [(0.0, 1000.0), (0.0, 1100.0)], None, "service",
                     access="private")
        ring = [(-400.0, 1100.0), (950.0, 1100.0), (950.0, 1700.0), (-400.0, 1700.0),
                (-400.0, 1100.0)]
        self._street("plant-ring", ring, None, "service", access="private")
        self.plan_ways.append(Way([(-2600.0, 960.0), (1400.0, 960.0)],
                                  {"railway": "rail", "usage": "industrial",
                                   "name": "подъездной путь ферросплавного завода"}))
        for ci, x0 in enumerate(X_ART[:-1]):
            for ri, y0 in enumerate(Y_ART[:-1]):
                self._micro_paths(ci, ri, x0, y0)
        self.gates = [self.frame.pt(-2400.0, y) for y in Y_ART]
        self.gates += [self.frame.pt(x, -900.0) for x in X_ART]
        self.gates += [self.frame.pt(-1100.0, 900.0), self.frame.pt(-550.0, 900.0)]

    def _micro_paths(self, ci: int, ri: int, x0: float, y0: float) -> None:
        a, b = x0 + 40, y0 + 40
        c, d = x0 + 510, y0 + 410
        mx, my = x0 + 275, y0 + 225
        key = f"m{ci}{ri}"
        self._street(f"{key}-ring", [(a, b), (c, b), (c, d), (a, d), (a, b)], None, "service")
        for i, seg in enumerate((((mx, y0), (mx, b)), ((mx, d), (mx, y0 + 450)),
                                 ((x0, my), (a, my)), ((c, my), (x0 + 550, my)))):
            self._street(f"{key}-spur{i}", list(seg), None, "service")
        self._street(f"{key}-fw-ns", [(mx, b), (mx, d)], None, "footway")
        self._street(f"{key}-fw-ew", [(a, my), (c, my)], None, "footway")

    # -- buildings -------------------------------------------------------------------------
    def _add(self, footprint_plan: tuple[float, float, float, float, bool], tags: dict[str, str],
             use: str, unit: str, **kw: object) -> Building:
        cx, cy, length, depth, along_x = footprint_plan
        b = Building(self.frame.box(cx, cy, length, depth, along_x), tags, "г. Аксу", use, unit,
                     **kw)  # type: ignore[arg-type]
        self.world.buildings.append(b)
        return b

    def _apartment(self, kind: str, cx: float, cy: float, along_x: bool, unit: str,
                   site_key: str, **kw: object) -> None:
        levels, entrances, length, depth, dwellings = BLOCK_TYPES[kind]
        tags = {"building": "apartments", "building:levels": str(levels),
                "building:flats": str(dwellings), "entrances": str(entrances)}
        self._add((cx, cy, length, depth, along_x), tags, "apartments", unit,
                  dwellings=dwellings, site_key=site_key, **kw)

    def _row(self, xa: float, xb: float, cy: float, unit: str, site_key: str, micro: int) -> None:
        kinds = ROW_CHOICES[int(self.rng.choice(len(ROW_CHOICES), p=ROW_P))]
        lengths = [BLOCK_TYPES[k][2] for k in kinds]
        gap = (xb - xa - sum(lengths)) / (len(kinds) + 1)
        x = xa + gap
        for kind, length in zip(kinds, lengths, strict=True):
            self._apartment(kind, x + length / 2, cy, True, unit, site_key, micro=micro)
            x += length + gap

    def microdistricts(self) -> None:
        """Fill the sixteen microdistricts with apartment blocks and public buildings."""
        micro = 0
        for ri, y0 in enumerate(Y_ART[:-1]):
            for ci, x0 in enumerate(X_ART[:-1]):
                micro += 1
                self._fill_micro(micro, ci, ri, x0, y0)

    def _perimeter(self, micro: int, x0: float, y0: float, site_key: str) -> None:
        south, north = f"ew{y0:.0f}", f"ew{y0 + 450:.0f}"
        west, east = f"ns{x0:.0f}", f"ns{x0 + 550:.0f}"
        for side, street, cy in (("S", south, y0 + 20), ("N", north, y0 + 430)):
            for cx in (x0 + 140, x0 + 410):
                kind = str(self.rng.choice(["5x4", "9x4", "5x6"], p=[0.45, 0.3, 0.25]))
                self._apartment(kind, cx, cy, True, f"c-m{micro}-p{side}", site_key,
                                street=self.names[street], street_line=self.lines[street])
        for side, street, cx in (("W", west, x0 + 20), ("E", east, x0 + 530)):
            for cy in (y0 + 120, y0 + 330):
                kind = str(self.rng.choice(["5x4", "5x3", "9x2"], p=[0.5, 0.3, 0.2]))
                self._apartment(kind, cx, cy, False, f"c-m{micro}-p{side}", site_key,
                                street=self.names[street], street_line=self.lines[street])

    def _fill_micro(self, micro: int, ci: int, ri: int, x0: float, y0: float) -> None:
        site_key = f"c-m{micro}"
        self._perimeter(micro, x0, y0, site_key)
        south = f"ew{y0:.0f}"
        is_centre = (ci, ri) == CENTRE_BLOCK
        site_q = (1, 0) if is_centre else (int(self.rng.integers(2)), int(self.rng.integers(2)))
        for qx in (0, 1):
            for qy in (0, 1):
                qxa, qya = x0 + 40 + qx * 235, y0 + 40 + qy * 185
                unit = f"c-m{micro}-q{qx}{qy}"
                if (qx, qy) == site_q:
                    self._site_building(micro, qxa, qya, qy, south, site_key, unit)
                elif is_centre and (qx, qy) == (0, 0):
                    self.world.areas.append((self.frame.rect(qxa, qya, qxa + 235, qya + 185),
                                             {"leisure": "park", "name": "Центральный парк"}))
                elif is_centre and (qx, qy) == (0, 1):
                    self._add((qxa + 117, qya + 135, 60, 22, True),
                              {"building": "civic", "name": "Акимат города Аксу",
                               "building:levels": "3"}, "civic", unit)
                else:
                    rows = (40, 92, 145) if self.rng.random() < 0.5 else (50, 135)
                    for dy in rows:
                        self._row(qxa, qxa + 235, qya + dy, unit, site_key, micro)

    def _site_building(self, micro: int, qxa: float, qya: float, qy: int, street_key: str,
                       site_key: str, unit: str) -> None:
        facility = MICRO_SITES[micro - 1]
        ring_y = qya if qy == 0 else qya + 185
        cy = qya + 50 if qy == 0 else qya + 135
        cx = qxa + 117
        if facility == "education":
            self.school_no += 1
            name = f"СОШ №{self.school_no}"
            tags = {"building": "school", "amenity": "school", "name": name,
                    "building:levels": "3"}
        elif facility == "culture":
            name = "Дворец культуры «Энергетик»"
            tags = {"building": "civic", "amenity": "arts_centre", "name": name,
                    "building:levels": "2"}
        else:
            name = OTHER_NAMES[sum(1 for f in MICRO_SITES[:micro] if f == "other") - 1]
            tags = {"building": "public", "name": name, "building:levels": "3"}
        self.world.areas.append((self.frame.rect(qxa + 10, qya + 10, qxa + 225, qya + 175),
                                 {"amenity": "school"} if facility == "education"
                                 else {"landuse": "civic"}))
        self._add((cx, cy, 60, 24, True), tags, facility, unit,
                  street=self.names[street_key], street_line=self.lines[street_key],
                  site={"key": site_key, "facility_type": facility, "name": name})
        edge = cy - 12 if qy == 0 else cy + 12
        self._street(f"m{micro}-school-path", [(cx, edge), (cx, ring_y)], None, "footway")

    def private_houses(self) -> None:
        """Fill the grid west of the microdistricts with houses on 25 m lots, and 6 schools."""
        sites = {blk: i for i, blk in enumerate(PRIVATE_SITE_BLOCKS)}
        centres = {i: (X_PRIVATE[b] + 50, -900 + 225 * r + 112.5)
                   for (b, r), i in sites.items()}
        for bi, xa in enumerate(X_PRIVATE):
            for rj in range(8):
                ya = -900.0 + 225.0 * rj
                cxb, cyb = xa + 50, ya + 112.5
                nearest = min(centres, key=lambda i: math.dist(centres[i], (cxb, cyb)))
                site_key = f"c-p{nearest}"
                unit = f"c-b{bi}-{rj}"
                west, east = f"ns{xa:.0f}", f"ns{xa + 100:.0f}"
                if (bi, rj) in sites:
                    self._private_site(sites[(bi, rj)], xa, ya, west, unit)
                    continue
                if self.rng.random() < VACANT_P.get(bi, 0.25 if rj == 7 else 0.0):
                    continue
                for k in range(9):
                    cy = ya + 12.5 + 25 * k
                    for street, cx in ((west, xa + 16), (east, xa + 84)):
                        if self.rng.random() < 0.09 or TRACT.distance(Point(cx, cy)) < 16:
                            continue  # an empty lot, or the coach road
                        dx = float(self.rng.uniform(-2, 2))
                        self._add((cx + dx, cy, 9, 10, False), {"building": "house"}, "house",
                                  unit, dwellings=1, site_key=site_key,
                                  street=self.names[street], street_line=self.lines[street])

    def _private_site(self, i: int, xa: float, ya: float, street: str, unit: str) -> None:
        if i == 3:
            name = "Дом культуры «Металлург»"
            tags = {"building": "civic", "amenity": "community_centre", "name": name,
                    "building:levels": "2"}
            facility = "culture"
        else:
            self.school_no += 1
            name = f"СОШ №{self.school_no}"
            tags = {"building": "school", "amenity": "school", "name": name,
                    "building:levels": "2"}
            facility = "education"
        self.world.areas.append((self.frame.rect(xa + 8, ya + 8, xa + 92, ya + 217),
                                 {"amenity": "school"} if facility == "education"
                                 else {"landuse": "civic"}))
        self._add((xa + 30, ya + 112.5, 50, 18, False), tags, facility, unit,
                  street=self.names[street], street_line=self.lines[street],
                  site={"key": f"c-p{i}", "facility_type": facility, "name": name})

    def industry(self) -> None:
        """Lay out the ferroalloy plant north of the railway: no dwellings, private roads."""
        self.world.areas.append((self.frame.rect(-550, 990, 1100, 1800),
                                 {"landuse": "industrial", "name": "Аксуский завод ферросплавов"}))
        for k, (cx, cy, length, depth) in enumerate(((-200, 1250, 220, 60), (300, 1250, 260, 70),
                                                     (700, 1300, 180, 60), (100, 1550, 300, 50),
                                                     (650, 1550, 200, 80), (-250, 1550, 120, 40))):
            self._add((cx, cy, length, depth, True), {"building": "industrial"}, "industrial",
                      f"c-ind{k}")

    def finish(self) -> None:
        """Node the plan, turn it into the metric CRS, and lay the road to the river beach."""
        node_ways(self.plan_ways)
        for w in self.plan_ways:
            w.coords = [self.frame.pt(x, y) for x, y in w.coords]
            self.world.ways.append(w)
        for b in self.world.buildings:
            if b.settlement == "г. Аксу" and b.street_line is not None:
                b.street_line = LineString([self.frame.pt(x, y) for x, y in b.street_line.coords])
        start = self.frame.pt(1100.0, 0.0)
        far = self.frame.pt(9000.0, 0.0)
        river = shapely.MultiLineString(river_lines(self.geo))
        hits = shapely.get_coordinates(LineString([start, far]).intersection(river))
        if len(hits):
            px, py = min(map(tuple, hits), key=lambda p: math.dist(start, p))
            d = math.dist(start, (px, py))
            end = (start[0] + (px - start[0]) * (d - 120) / d,
                   start[1] + (py - start[1]) * (d - 120) / d)
            beach = next(n for n in ALL_STREETS if n.ru == "Береговая")
            self.world.ways.append(Way([start, end], {
                "highway": "unclassified", "name": beach.ru_full, "name:ru": beach.ru_full,
                "name:kk": beach.kk_full}, beach, "г. Аксу"))
        self.world.places.append((self.frame.pt(-300, 250), {
            "place": "town", "name": "Аксу", "name:kk": "Ақсу", "name:ru": "Аксу",
            "ref:kato": CITY_KATO}))


def build_city(geo: Geography, world: World, rng: np.random.Generator) -> list[Coord]:
    """Lay the city out in ``world``; return the gates where country roads leave it.

    Parameters
    ----------
    geo : Geography
        Boundary and CRS.
    world : World
        Receives the ways, buildings, areas and the town's place node.
    rng : numpy.random.Generator
        Source of every random choice.

    Returns
    -------
    list of tuple of float
        Metric coordinates of street ends on the city's edge.
    """
    b = CityBuilder(geo, world, rng)
    b.streets()
    b.microdistricts()
    b.private_houses()
    b.industry()
    b.finish()
    return b.gates
