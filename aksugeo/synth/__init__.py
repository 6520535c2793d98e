"""The deterministic generator of the shipped synthetic Aksu data set.

``generate(out_dir)`` lays out a city of microdistricts and private houses on the Irtysh, and
eighteen villages (plus four hamlets) in the six rural districts, inside the real boundary of the
Aksu city administration, and writes the layers of :mod:`aksugeo.data.schema`. The published figures
hold exactly: 40 precincts (22 urban, 18 rural; 31 schools, 6 cultural centres, 3 other; a
public-service desk at 37; an accessible booth at all), 53,413 voters, and 248 apartment
buildings and 4,619 private houses covered by the canvass by 27 May 2019. Accessibility
passports are invented for every precinct: most fully accessible, some with gaps. The same
seed gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from aksugeo._errors import AksugeoError
from aksugeo.synth.addresses import raw_address
from aksugeo.synth.candidates import make_candidates
from aksugeo.synth.canvass import make_visits
from aksugeo.synth.city import build_city
from aksugeo.synth.decision import decision_texts
from aksugeo.synth.geography import (
    CITY_KATO,
    HAMLETS,
    PRECINCT_VILLAGES,
    Geography,
    load_geography,
    place_villages,
    river_lines,
)
from aksugeo.synth.names import RENAMES, StreetName
from aksugeo.synth.passports import make_passports
from aksugeo.synth.population import household_table, number_buildings, precinct_table
from aksugeo.synth.stepfree import add_step_free_features
from aksugeo.synth.village import VillageSpec, build_village, country_road
from aksugeo.synth.world import Building, Coord, Way, World, node_ways
from aksugeo.synth.writers import (
    SYNTHETIC_NOTE,
    write_csv,
    write_osm_xml,
    write_points_geojson,
)

DEFAULT_SEED = 2019
REFERENCE = Path(__file__).resolve().with_name("reference")  # shipped in the wheel
REFERENCE_FILES = ("aksu_boundary.geojson", "kato_aksu_2022.csv")

GENERATED_FILES = (  # what the manifest vouches for: not the caches beside them
    "addresses_raw.csv",
    "candidate_sites.geojson",
    "canvass/visits.csv",
    "households/apartment_buildings.geojson",
    "households/private_houses.geojson",
    "network/aksu.osm.bz2",
    "passport_remedies.csv",
    "passports.csv",
    "precincts.geojson",
    "street_renames.csv",
    "boundaries_ru.txt",
    "boundaries_kk.txt",
)
PRECINCT_COLUMNS = ["precinct_id", "name", "address", "settlement", "district", "kato",
                    "area_type", "facility_type", "con_desk", "accessible_booth", "voters"]
CANDIDATE_COLUMNS = ["site_id", "name", "settlement", "facility_type", "accessible_for"]
HOUSEHOLD_COLUMNS = ["household_id", "kind", "address", "settlement", "precinct_id",
                     "dwellings", "voters"]
CULTURE_VILLAGE_DISTRICTS = ("551643000", "551645000", "551653000", "551655000")


def _villages(world: World, geo: Geography, rng: np.random.Generator, gates: list[Coord]) -> None:
    places = place_villages(geo, rng)
    ends: dict[str, list[Coord]] = {}
    for district, codes in PRECINCT_VILLAGES.items():
        for k, code in enumerate(codes):
            central = k == 0
            facility = ("culture" if k == 1 and district in CULTURE_VILLAGE_DISTRICTS
                        else "education")
            spec = VillageSpec(geo.settlements[code], places[code],
                               int(rng.integers(330, 430) if central else rng.integers(150, 260)),
                               facility, apartments=int(rng.integers(2, 4)) if central else 0)
            ends[code] = build_village(spec, world, rng)
    for hamlet, parent in HAMLETS.items():
        spec = VillageSpec(geo.settlements[hamlet], places[hamlet], int(rng.integers(14, 24)),
                           None, served_by=parent)
        ends[hamlet] = build_village(spec, world, rng)
    for n, (_, codes) in enumerate(PRECINCT_VILLAGES.items()):
        centre = codes[0]
        country_road(world, ends[centre], gates, "tertiary", rng, ref=f"KS-{31 + n}",
                     surface="asphalt")
        for code in codes[1:]:
            country_road(world, ends[code], ends[centre], "unclassified", rng,
                         surface="asphalt" if rng.random() < 0.5 else "gravel")
    for hamlet, parent in HAMLETS.items():
        country_road(world, ends[hamlet], ends[parent], "track", rng, surface="unpaved")


def renames_table() -> pd.DataFrame:
    """Return the commission's renames table: the old names OSM does not record (issue 20).

    One row for each way the old name is written: in Russian and in Kazakh.
    """
    return pd.DataFrame([("г. Аксу", old, StreetName(new, "").ru_full, r.renamed_on)
                         for new, r in RENAMES.items() if r.known_to == "table"
                         for old in (r.old.ru_full, r.old.kk_full)],
                        columns=["settlement", "old_name", "new_name", "renamed_on"])


def _osm_building_tags(b: Building, rng: np.random.Generator) -> dict[str, str]:
    tags = dict(b.tags)
    # OSM knows the address of most buildings, not all: the geocoder must cope with the rest.
    # Apartment blocks, large and mapped first, nearly all; houses, less often.
    share = 0.95 if b.use == "apartments" else 0.7
    if not b.housenumber or (b.site is None and rng.random() > share):
        return tags
    tags["addr:housenumber"] = b.housenumber
    name = b.settlement.split(" ", 1)[1]
    if b.street is not None:
        tags["addr:street"] = b.street.ru_full
        tags["addr:city"] = name
    elif b.micro is not None:
        tags["addr:place"] = f"микрорайон {b.micro}"
        tags["addr:city"] = name
    else:
        tags["addr:place"] = name
    return tags


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def generate(out_dir: Path, *, reference_dir: Path | None = None,  # noqa: PLR0915  (one layer after another)
             seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Generate the synthetic Aksu data set into ``out_dir``.

    Parameters
    ----------
    out_dir : Path
        The data directory to write (``precincts.geojson``, ``households/``, ``canvass/``,
        ``network/aksu.osm.bz2``, ``addresses_raw.csv``, ``MANIFEST.json``).
    reference_dir : Path, optional
        Where the real boundary and KATO list are: the ones shipped with the package
        (:data:`REFERENCE`) by default. They are copied to ``out_dir/reference``.
    seed : int
        The random seed; the same seed gives the same bytes.

    Returns
    -------
    dict
        Counts of what was written.
    """
    out_dir = Path(out_dir)
    reference_dir = Path(reference_dir) if reference_dir else REFERENCE
    if not (reference_dir / "aksu_boundary.geojson").is_file():
        raise AksugeoError(f"{reference_dir}: no aksu_boundary.geojson (the real boundary the "
                           "generator needs); give the folder with --reference")
    geo = load_geography(reference_dir)
    copy = out_dir / "reference"
    if copy.resolve() != reference_dir.resolve():
        copy.mkdir(parents=True, exist_ok=True)
        for name in REFERENCE_FILES:
            if (reference_dir / name).is_file():
                shutil.copyfile(reference_dir / name, copy / name)
    rng = np.random.default_rng(seed)
    world = World()
    gates = build_city(geo, world, rng)
    _villages(world, geo, rng, gates)
    node_ways(world.ways)
    add_step_free_features(world)  # every plain walk stays the same
    river = river_lines(geo)
    for part in river:
        world.ways.append(Way([(float(x), float(y)) for x, y in part.coords],
                              {"waterway": "river", "name": "Иртыш", "name:ru": "Иртыш",
                               "name:kk": "Ертіс"}))
    water = shapely.union_all([p.buffer(110, quad_segs=4) for p in river]).simplify(15)
    water = water.intersection(geo.boundary)
    for poly in getattr(water, "geoms", [water]):
        world.areas.append((poly, {"natural": "water", "water": "river", "name": "Иртыш"}))

    number_buildings(world.buildings, rng)
    precincts = precinct_table(world.buildings, geo)
    households = household_table(world.buildings, precincts, rng)
    precincts["voters"] = precincts["precinct_id"].map(
        households.groupby("precinct_id")["voters"].sum()).fillna(0).astype(int)
    visits = make_visits(households, rng)
    homes = [b for b in world.buildings if b.use in ("house", "apartments")]
    raw = pd.DataFrame({"household_id": households["household_id"],
                        "address": [raw_address(b, rng) for b in homes]})
    building_tags = [_osm_building_tags(b, rng) for b in world.buildings]

    meta = {"synthetic": True, "source": SYNTHETIC_NOTE, "generator": "aksugeo.synth",
            "seed": seed, "crs": "EPSG:4326", "metric_crs": geo.crs.to_string(),
            "voter_list_date": "2019-05-20", "city_kato": CITY_KATO}
    lon, lat = geo.to_wgs84.transform(precincts["x"].to_numpy(), precincts["y"].to_numpy())
    write_points_geojson(out_dir / "precincts.geojson", "precincts", precincts,
                         PRECINCT_COLUMNS, lon, lat, meta)
    for kind, fname in (("apartment", "apartment_buildings"), ("private", "private_houses")):
        part = households[households["kind"] == kind]
        lon, lat = geo.to_wgs84.transform(part["x"].to_numpy(), part["y"].to_numpy())
        write_points_geojson(out_dir / "households" / f"{fname}.geojson", fname, part,
                             HOUSEHOLD_COLUMNS, lon, lat, meta)
    write_csv(out_dir / "canvass" / "visits.csv", visits)
    write_csv(out_dir / "addresses_raw.csv", raw)
    # the passports draw on a generator of their own, so the other layers keep their bytes
    passports, remedies, doors = make_passports(precincts, world, np.random.default_rng([seed, 6]))
    lon, lat = geo.to_wgs84.transform(doors[:, 0], doors[:, 1])
    at = list(passports.columns).index("inspected_on")
    passports.insert(at, "entrance_lon", np.round(lon, 6))
    passports.insert(at + 1, "entrance_lat", np.round(lat, 6))
    write_csv(out_dir / "passports.csv", passports.astype(object).where(passports.notna(), ""))
    write_csv(out_dir / "passport_remedies.csv", remedies)
    write_csv(out_dir / "street_renames.csv", renames_table())
    # the akim's decision, in both languages, with a clerk's irregularities (no draws)
    for lang, text in decision_texts(households, precincts, world, renames_table()).items():
        (out_dir / f"boundaries_{lang}.txt").write_text(text, encoding="utf-8")
    sites = make_candidates(world.buildings, set(precincts["settlement"]), "г. Аксу")
    lon, lat = geo.to_wgs84.transform(sites["x"].to_numpy(), sites["y"].to_numpy())
    write_points_geojson(out_dir / "candidate_sites.geojson", "candidate_sites", sites,
                         CANDIDATE_COLUMNS, lon, lat, meta)
    n_nodes, n_ways = write_osm_xml(out_dir / "network" / "aksu.osm.bz2", world, geo.to_wgs84,
                                    building_tags)
    manifest = {
        "synthetic": True, "source": SYNTHETIC_NOTE, "seed": seed,
        "files": {rel: _sha256(out_dir / rel) for rel in GENERATED_FILES},
    }
    (out_dir / "MANIFEST.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return {"precincts": len(precincts), "households": len(households),
            "apartment_buildings": int((households["kind"] == "apartment").sum()),
            "private_houses": int((households["kind"] == "private").sum()),
            "voters": int(households["voters"].sum()), "visits": len(visits),
            "osm_nodes": n_nodes, "osm_ways": n_ways}
