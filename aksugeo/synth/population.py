"""From buildings to the registry: house numbers, households, precincts, and voters to the total."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd
import shapely

from aksugeo.synth.geography import PRECINCT_VILLAGES, Geography
from aksugeo.synth.world import Building

TOTAL_VOTERS = 53_413  # the voter list of 20 May 2019
FIRST_PRECINCT_ID = 560
CULTURE_VILLAGE_DISTRICTS = ("551643000", "551645000", "551653000", "551655000")
NO_DESK_DISTRICTS = ("551639000", "551645000", "551659000")  # their third village has no desk
WRONG_PRECINCT_HOUSES = 6  # registry errors: houses assigned to a far precinct


def number_buildings(buildings: list[Building], rng: np.random.Generator) -> None:
    """Give every addressable building its house number, in place.

    Along a street, odd numbers rise on the left and even on the right; now and then a lot split
    in two gets a letter (``12А``). Inside a microdistrict, blocks are numbered in rows; in a
    hamlet, along its one street.

    Parameters
    ----------
    buildings : list of Building
        The buildings; those with a ``street``, ``micro`` or ``place`` get ``housenumber``.
    rng : numpy.random.Generator
        Source of the lettered numbers.
    """
    groups: dict[tuple[str, str], list[Building]] = defaultdict(list)
    for b in buildings:
        if b.street is not None:
            groups[(b.settlement, b.street.ru_full)].append(b)
        elif b.micro is not None:
            groups[(b.settlement, f"micro {b.micro}")].append(b)
        elif b.place is not None:
            groups[(b.settlement, "place")].append(b)
    for (_, key), members in groups.items():
        cents = [m.footprint.centroid for m in members]
        if key.startswith("micro"):
            order = sorted(range(len(members)),
                           key=lambda i: (round(-cents[i].y / 60), cents[i].x))
            for n, i in enumerate(order, start=1):
                members[i].housenumber = str(n)
        else:
            _number_along(members, cents, by_side=key != "place", rng=rng)


def _number_along(members: list[Building], cents: list[shapely.Point], *, by_side: bool,
                  rng: np.random.Generator) -> None:
    line = members[0].street_line
    if line is None:
        raise ValueError(f"{members[0].settlement}: a street address with no street line")
    (x0, y0), (x1, y1) = line.coords[0], line.coords[-1]
    along = [line.project(c) for c in cents]
    side = [by_side and (x1 - x0) * (c.y - y0) - (y1 - y0) * (c.x - x0) > 0 for c in cents]
    for left, first in ((True, 1), (False, 2)):
        idx = sorted((i for i in range(len(members)) if side[i] == left), key=lambda i: along[i])
        step = 2 if by_side else 1
        n, prev = (first if by_side else 1), None
        for i in idx:
            if by_side and prev is not None and rng.random() < 0.03:
                members[i].housenumber = f"{prev}А"  # a lot split in two
                continue
            members[i].housenumber = str(n)
            prev, n = n, n + step


def canonical_address(b: Building) -> str:
    """Return the registry's address of a building (``г. Аксу, ул. Абая, д. 12``)."""
    if b.street is not None:
        return f"{b.settlement}, {b.street.ru_abbr} {b.street.ru}, д. {b.housenumber}"
    if b.micro is not None:
        return f"{b.settlement}, мкр {b.micro}, д. {b.housenumber}"
    return f"{b.settlement}, д. {b.housenumber}"


def precinct_table(buildings: list[Building], geo: Geography) -> pd.DataFrame:
    """Return the 40 precincts (without voters yet), ordered city first, then by district.

    Parameters
    ----------
    buildings : list of Building
        All buildings; those with ``site`` set are the precincts' buildings.
    geo : Geography
        For the settlements' KATO codes and districts.

    Returns
    -------
    pandas.DataFrame
        One row a precinct, with ``site_key`` and metric ``x``, ``y`` of the building.
    """
    sites = {str(b.site["key"]): b for b in buildings if b.site is not None}
    city_keys = [f"c-m{i}" for i in range(1, 17)] + [f"c-p{i}" for i in range(6)]
    rural_keys = [code for villages in PRECINCT_VILLAGES.values() for code in villages]
    by_label = {s.label: s for s in geo.settlements.values()}
    rows = []
    for n, key in enumerate(city_keys + rural_keys):
        b = sites[key]
        s = by_label[b.settlement]
        district = s.district_kato
        villages = PRECINCT_VILLAGES.get(district, [])
        c = b.footprint.centroid
        rows.append({
            "precinct_id": FIRST_PRECINCT_ID + n,
            "name": str(sites[key].site["name"]),  # type: ignore[index]
            "address": canonical_address(b),
            "settlement": s.label,
            "district": s.district,
            "kato": s.kato,
            "area_type": "urban" if s.district == "city" else "rural",
            "facility_type": str(sites[key].site["facility_type"]),  # type: ignore[index]
            "con_desk": not (district in NO_DESK_DISTRICTS and villages.index(key) == 2),
            "accessible_booth": True,
            "site_key": key,
            "x": c.x,
            "y": c.y,
        })
    return pd.DataFrame(rows)


def household_table(buildings: list[Building], precincts: pd.DataFrame,
                    rng: np.random.Generator) -> pd.DataFrame:
    """Return one row per dwelling building, with its precinct and voters summing to the total.

    Parameters
    ----------
    buildings : list of Building
        All buildings; houses and apartment blocks become households.
    precincts : pandas.DataFrame
        From :func:`precinct_table`.
    rng : numpy.random.Generator
        Source of the voter counts and of the few registry errors.

    Returns
    -------
    pandas.DataFrame
        Households with ``household_id``, ``kind``, ``address``, ``settlement``,
        ``precinct_id``, ``dwellings``, ``voters``, metric ``x``, ``y``, and ``unit``.
    """
    homes = [b for b in buildings if b.use in ("house", "apartments")]
    site_to_pid = dict(zip(precincts["site_key"], precincts["precinct_id"], strict=True))
    cents = shapely.centroid([b.footprint for b in homes])
    kind = np.array(["apartment" if b.use == "apartments" else "private" for b in homes])
    df = pd.DataFrame({
        "kind": kind,
        "address": [canonical_address(b) for b in homes],
        "settlement": [b.settlement for b in homes],
        "precinct_id": [site_to_pid[b.site_key] for b in homes],
        "dwellings": [b.dwellings for b in homes],
        "x": shapely.get_x(cents),
        "y": shapely.get_y(cents),
        "unit": [b.unit for b in homes],
    })
    ids = np.empty(len(df), dtype=object)
    apt = df["kind"].to_numpy() == "apartment"
    ids[apt] = [f"AB-{i:04d}" for i in range(1, apt.sum() + 1)]
    ids[~apt] = [f"PH-{i:05d}" for i in range(1, (~apt).sum() + 1)]
    df.insert(0, "household_id", ids)

    # registry errors: a few city houses assigned to the precinct farthest from them
    city_private = np.flatnonzero((~apt) & (df["settlement"] == "г. Аксу").to_numpy())
    urban = precincts[precincts["area_type"] == "urban"]
    ux, uy = urban["x"].to_numpy(), urban["y"].to_numpy()
    for i in rng.choice(city_private, WRONG_PRECINCT_HOUSES, replace=False):
        d = np.hypot(ux - df["x"].to_numpy()[i], uy - df["y"].to_numpy()[i])
        df.loc[i, "precinct_id"] = int(urban["precinct_id"].to_numpy()[int(np.argmax(d))])

    house_votes = rng.choice(np.arange(1, 7), size=(~apt).sum(),
                             p=[0.17, 0.42, 0.2, 0.13, 0.06, 0.02])
    voters = np.zeros(len(df), dtype=np.int64)
    voters[~apt] = house_votes
    target = TOTAL_VOTERS - int(house_votes.sum())
    weight = df.loc[apt, "dwellings"].to_numpy() * rng.lognormal(0.0, 0.12, apt.sum())
    share = weight / weight.sum() * target
    whole = np.floor(share).astype(np.int64)
    rest = target - int(whole.sum())
    whole[np.argsort(-(share - whole), kind="stable")[:rest]] += 1
    voters[apt] = whole
    df["voters"] = voters
    return df
