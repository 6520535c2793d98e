"""Synthetic candidate sites: the public buildings a planner could list for a new precinct.

In each microdistrict a kindergarten in the middle of its blocks; in the private-house town a
library, a sports hall, a clinic and a music school, one per quarter; in each village with a
precinct an outpatient clinic among its houses; in each hamlet without a precinct a club or a
medical post; and the akimat. Placed from the buildings' layout alone (no random draw), so the
other files keep their bytes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from aksugeo.synth.world import Building

TOWN_QUARTERS = (("Библиотека", "culture"), ("Спортивный зал", "other"),
                 ("Поликлиника", "other"), ("Музыкальная школа", "education"))
# what a survey of each kind of building found: new one-storey buildings and clinics are
# accessible to every group; a club's porch has steps; one kindergarten in three too
EVERYONE = "wheelchair,reduced_mobility,blind_low_vision,deaf_hard_of_hearing,cognitive"
STEPS = "deaf_hard_of_hearing,cognitive"


def _centre(buildings: list[Building]) -> tuple[float, float]:
    """Return a point beside the building nearest the buildings' mean point."""
    xy = np.array([(b.footprint.centroid.x, b.footprint.centroid.y) for b in buildings])
    mid = xy.mean(axis=0)
    best = int(np.argmin(((xy - mid) ** 2).sum(axis=1)))
    # beside that building, not on it: 25 m along x
    return float(xy[best, 0] + 25.0), float(xy[best, 1])


def make_candidates(buildings: list[Building], precinct_settlements: set[str],
                    city: str) -> pd.DataFrame:
    """Return the candidate sites, the groups each is accessible to, and where they stand.

    Columns ``site_id``, ``name``, ``settlement``, ``facility_type``, ``accessible_for``, x, y.

    Parameters
    ----------
    buildings : list of Building
        Every building of the synthetic world.
    precinct_settlements : set of str
        Settlements that have a precinct of their own.
    city : str
        The city's settlement label (``г. Аксу``).

    Returns
    -------
    pandas.DataFrame
        One row a site, metric ``x``, ``y``.
    """
    micro: dict[int, list[Building]] = {}
    for b in buildings:
        if b.use == "apartments" and b.settlement == city and b.micro is not None:
            micro.setdefault(b.micro, []).append(b)
    rows = [(f"Детский сад «Балапан-{n}»", city, "education", _centre(micro[n]),
             STEPS if n % 3 == 0 else EVERYONE) for n in sorted(micro)]
    houses = [b for b in buildings if b.use == "house" and b.settlement == city]
    xs = np.array([b.footprint.centroid.x for b in houses])
    ys = np.array([b.footprint.centroid.y for b in houses])
    east, north = xs >= np.median(xs), ys >= np.median(ys)
    for (name, facility), (e, n) in zip(TOWN_QUARTERS, ((0, 0), (0, 1), (1, 0), (1, 1)),
                                        strict=True):
        part = [h for h, a, b_ in zip(houses, east, north, strict=True) if a == e and b_ == n]
        rows.append((name, city, facility, _centre(part),
                     STEPS if name == "Музыкальная школа" else EVERYONE))
    by_place: dict[str, list[Building]] = {}
    for b in buildings:
        if b.use == "house" and b.settlement != city:
            by_place.setdefault(b.settlement, []).append(b)
    for place in sorted(by_place):
        if place in precinct_settlements:
            rows.append((f"Врачебная амбулатория {place}", place, "other",
                         _centre(by_place[place]), EVERYONE))
        else:
            rows.append((f"Клуб {place}", place, "culture", _centre(by_place[place]), STEPS))
    akimat = [b for b in buildings if b.use == "civic"]
    for b in akimat:
        c = b.footprint.centroid
        rows.append((str(b.tags.get("name", "Акимат")), b.settlement, "other", (c.x, c.y),
                     EVERYONE))
    return pd.DataFrame({
        "site_id": [f"C-{i + 1:03d}" for i in range(len(rows))],
        "name": [r[0] for r in rows], "settlement": [r[1] for r in rows],
        "facility_type": [r[2] for r in rows], "accessible_for": [r[4] for r in rows],
        "x": [r[3][0] for r in rows], "y": [r[3][1] for r in rows]})
