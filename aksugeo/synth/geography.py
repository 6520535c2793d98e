"""The real frame of the synthetic Aksu: its boundary, its KATO settlements, where they stand.

Real: the boundary of the Aksu city administration and the KATO list of its rural districts and
villages (``data/reference/``). Synthetic: where each village stands inside that boundary (no
coordinates of the villages could be had offline), and the course of the Irtysh, drawn along the
administration's eastern edge, which follows the river.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import LineString, Point, Polygon

CITY_KATO = "551610000"
CITY_LONLAT = (76.92, 52.04)

# The rural precincts: three villages in each of the six rural districts (KATO codes), and the
# hamlets without a precinct whose voters are assigned to a neighbouring village's precinct.
PRECINCT_VILLAGES = {
    "551639000": ["551639100", "551639200", "551639700"],
    "551643000": ["551643100", "551643200", "551643600"],
    "551645000": ["551645100", "551645300", "551645700"],
    "551653000": ["551653100", "551653200", "551653600"],
    "551655000": ["551655100", "551655200", "551655204"],
    "551659000": ["551659100", "551659200", "551659500"],
}
HAMLETS = {  # hamlet -> the village whose precinct serves it
    "551639400": "551639100",
    "551643800": "551643100",
    "551653700": "551653100",
    "551659300": "551659100",
}
# Synthetic: the centre of each rural district's villages, picked by eye inside the real boundary.
DISTRICT_CENTRES = {
    "551639000": (76.47, 52.43),
    "551643000": (76.72, 52.25),
    "551645000": (76.12, 52.27),
    "551653000": (75.86, 52.12),
    "551655000": (76.60, 51.72),
    "551659000": (76.55, 52.06),
}
# Synthetic course of the Irtysh, south-east to north-west, east of the city.
IRTYSH_LONLAT = [
    (77.36, 51.80), (77.24, 51.885), (77.12, 51.955), (77.04, 51.985), (76.99, 52.012),
    (76.968, 52.04), (76.958, 52.065), (76.938, 52.092), (76.932, 52.13), (76.925, 52.175),
    (76.87, 52.25), (76.82, 52.31), (76.74, 52.36), (76.735, 52.40), (76.80, 52.44),
    (76.80, 52.49), (76.73, 52.52), (76.68, 52.56), (76.60, 52.63), (76.57, 52.70),
]


@dataclass(frozen=True)
class Settlement:
    """A KATO settlement of the Aksu city administration."""

    kato: str
    name: str  # ``Калкаман``
    label: str  # ``с. Калкаман``: the form addresses use
    district_kato: str
    district: str  # ``city`` or the rural district's KATO name


@dataclass
class Geography:
    """The boundary, the metric CRS chosen from it, and the KATO settlements."""

    boundary_wgs84: Polygon
    crs: CRS
    to_metric: Transformer
    to_wgs84: Transformer
    boundary: Polygon  # metric
    settlements: dict[str, Settlement]

    def metric(self, lon: float, lat: float) -> tuple[float, float]:
        """Return the metric coordinate of a WGS84 point."""
        x, y = self.to_metric.transform(lon, lat)
        return float(x), float(y)


def _clean_kato_name(name: str) -> tuple[str, str]:
    # "с.Калкаман" -> ("Калкаман", "с. Калкаман"); "отд. Парамоновка", "ст.Спутник" likewise
    for prefix in ("с.", "ст.", "отд.", "Отд."):
        if name.startswith(prefix):
            bare = name[len(prefix):].strip()
            bare = bare.replace("им.", "им. ").replace("  ", " ")
            return bare, f"{prefix.lower()} {bare}"
    return name, name


def load_geography(reference_dir: Path) -> Geography:
    """Read the real boundary and KATO list, and choose the metric CRS from the boundary.

    Parameters
    ----------
    reference_dir : Path
        The folder with ``aksu_boundary.geojson`` and ``kato_aksu_2022.csv``.

    Returns
    -------
    Geography
        The frame every synthetic layer is laid out in.
    """
    gdf = gpd.read_file(reference_dir / "aksu_boundary.geojson")
    crs = gdf.estimate_utm_crs()
    boundary_wgs84 = gdf.geometry.iloc[0]
    boundary = gdf.to_crs(crs).geometry.iloc[0]
    rows = list(csv.DictReader((reference_dir / "kato_aksu_2022.csv").open(encoding="utf-8"),
                               delimiter=";"))
    by_id = {r["id"]: r for r in rows}
    settlements: dict[str, Settlement] = {}
    for r in rows:
        code = r["code"]
        if code == CITY_KATO:
            settlements[code] = Settlement(code, "Аксу", "г. Аксу", code, "city")
            continue
        parent = by_id.get(r["parent_id"])
        # a village's district is its parent, or its grandparent for a village under a village
        while parent is not None and not parent["code"].endswith("000"):
            parent = by_id.get(parent["parent_id"])
        if parent is None or parent["code"] == "551600000" or code.endswith("000"):
            continue
        name, label = _clean_kato_name(r["name"])
        settlements.setdefault(code, Settlement(code, name, label, parent["code"], parent["name"]))
    return Geography(
        boundary_wgs84=boundary_wgs84,
        crs=crs,
        to_metric=Transformer.from_crs("EPSG:4326", crs, always_xy=True),
        to_wgs84=Transformer.from_crs(crs, "EPSG:4326", always_xy=True),
        boundary=boundary,
        settlements=settlements,
    )


def place_villages(geo: Geography, rng: np.random.Generator) -> dict[str, tuple[float, float]]:
    """Choose a metric position for every village and hamlet, inside the boundary.

    Villages of one district gather around the district's centre, at least 6 km from one another
    and 12 km from the city; hamlets stand 3 to 6 km from the village that serves them.

    Parameters
    ----------
    geo : Geography
        The boundary and CRS.
    rng : numpy.random.Generator
        Source of the positions (same seed, same places).

    Returns
    -------
    dict
        KATO code -> metric ``(x, y)`` of the village centre.
    """
    inner = geo.boundary.buffer(-4000)
    river = LineString([geo.metric(*p) for p in IRTYSH_LONLAT]).buffer(3000)  # no village on it
    city = Point(geo.metric(*CITY_LONLAT))
    placed: dict[str, tuple[float, float]] = {}

    def fits(p: Point, gap_m: float) -> bool:
        return (inner.contains(p) and not river.contains(p) and p.distance(city) > 12000
                and all(p.distance(Point(q)) > gap_m for q in placed.values()))

    for district, villages in PRECINCT_VILLAGES.items():
        cx, cy = geo.metric(*DISTRICT_CENTRES[district])
        for k, code in enumerate(villages):
            for attempt in range(2000):
                radius = 0.0 if k == 0 and attempt < 50 else rng.uniform(6000, 16000)
                ang = rng.uniform(0, 2 * math.pi)
                p = Point(cx + radius * math.cos(ang), cy + radius * math.sin(ang))
                if radius == 0.0 and attempt > 0:
                    p = Point(cx + rng.normal(0, 1500), cy + rng.normal(0, 1500))
                if fits(p, 6000):
                    placed[code] = (p.x, p.y)
                    break
            else:
                raise RuntimeError(f"no room for village {code} in district {district}")
    for hamlet, parent in HAMLETS.items():
        px, py = placed[parent]
        for _ in range(2000):
            ang = rng.uniform(0, 2 * math.pi)
            radius = rng.uniform(3000, 6000)
            p = Point(px + radius * math.cos(ang), py + radius * math.sin(ang))
            if fits(p, 2500):
                placed[hamlet] = (p.x, p.y)
                break
        else:
            raise RuntimeError(f"no room for hamlet {hamlet}")
    return placed


def river_lines(geo: Geography) -> list[LineString]:
    """Return the synthetic Irtysh in the metric CRS, clipped to the boundary, piece by piece.

    The administration's edge follows the river, so the river leaves and re-enters it.
    """
    line = LineString([geo.metric(*p) for p in IRTYSH_LONLAT])
    clipped = shapely.line_merge(line.intersection(geo.boundary))
    return [shapely.simplify(g, 1.0) for g in getattr(clipped, "geoms", [clipped])]
