"""Synthetic accessibility passports: most precincts fully accessible, some with gaps.

The published figure is an accessible booth at every precinct; the rest is invented, in the
shape accessibility surveys of polling places take: old schools with steps and a portable ramp,
village clubs with a high porch, a voting room upstairs, a ramp too steep, no sign-language
help. The defects are dealt out to precincts by a fixed list, so every category occurs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from shapely.ops import nearest_points

from aksugeo.synth.world import Building, World

# what goes wrong, and what the commission does about it: (passport changes, remedies)
Defect = tuple[dict[str, object], list[tuple[str, str, str]]]
DEFECTS: dict[str, Defect] = {
    "portable_ramp": ({"entrance_steps": 4, "ramp": False, "ramp_slope_1_in": None,
                       "handrails": False},
                      [("entrance", "переносной пандус на день выборов", "temporary_measure"),
                       ("handrails", "поручни включены в план ремонта", "none_needed")]),
    "upstairs": ({"voting_floor": 2, "lift": False},
                 [("voting_floor", "кабина и урна переносятся в холл первого этажа",
                   "temporary_measure")]),
    "steep_ramp": ({"entrance_steps": 3, "ramp": True, "ramp_slope_1_in": 8},
                   [("ramp_slope", "дежурный помогает на пандусе", "temporary_measure")]),
    "no_parking": ({"parking_spaces": 0},
                   [("parking", "два места у входа отгораживаются в день выборов",
                     "temporary_measure")]),
    "no_sign_language": ({"sign_language": False},
                         [("sign_language", "видеосвязь с переводчиком по заявке",
                           "temporary_measure")]),
    "far_stop": ({"transit_stop_m": 640}, [("transit", "решение за акиматом", "none_needed")]),
    "no_toilet": ({"toilet_accessible": False}, []),
    "winter": ({"winter_clearing": False},
               [("winter_clearing", "договор с ЖКХ на уборку снега", "temporary_measure")]),
    "club_porch": ({"entrance_steps": 5, "ramp": False, "ramp_slope_1_in": None,
                    "route_step_free": False, "toilet_accessible": False},
                   [("entrance", "перенос участка в здание школы", "relocate"),
                    ("route", "перенос участка в здание школы", "relocate")]),
    "narrow_door": ({"door_width_cm": 80}, []),
    "upstairs_relocate": ({"voting_floor": 2, "lift": False, "easy_read": False},
                          [("voting_floor", "поиск помещения на первом этаже", "relocate")]),
    "no_braille": ({"braille_template": False, "magnifier": False}, []),
}
# precinct position (0-based, city first) -> defects; the rest pass every item
DEALT = {
    2: ["portable_ramp"], 7: ["steep_ramp", "no_parking"], 10: ["no_sign_language"],
    13: ["upstairs"], 17: ["far_stop"], 20: ["narrow_door"], 23: ["winter"],
    26: ["club_porch"], 29: ["no_toilet"], 31: ["upstairs_relocate"], 33: ["no_braille"],
    35: ["portable_ramp", "winter"], 38: ["no_toilet", "no_sign_language"],
}
# each remedy in Kazakh, who carries it out and by when (the election: 9 June 2019)
PLANS: dict[str, tuple[str, str, str]] = {
    "переносной пандус на день выборов": (
        "сайлау күніне жылжымалы пандус", "акимат г. Аксу, отдел ЖКХ", "2019-06-07"),
    "поручни включены в план ремонта": (
        "тұтқалар жөндеу жоспарына енгізілген", "директор школы", "2019-08-30"),
    "дежурный помогает на пандусе": (
        "кезекші пандуста көмектеседі", "председатель УИК", "2019-06-09"),
    "два места у входа отгораживаются в день выборов": (
        "сайлау күні кіреберісте екі орын бөлінеді", "председатель УИК", "2019-06-09"),
    "видеосвязь с переводчиком по заявке": (
        "өтініш бойынша аудармашымен бейнебайланыс", "ОО «Общество глухих», ТИК", "2019-06-05"),
    "решение за акиматом": (
        "шешім әкімдікте", "акимат г. Аксу", "2019-06-05"),
    "договор с ЖКХ на уборку снега": (
        "қар тазалауға ТКШ-мен шарт", "акимат г. Аксу, отдел ЖКХ", "2019-11-01"),
    "перенос участка в здание школы": (
        "учаскені мектеп ғимаратына көшіру", "акимат г. Аксу, ТИК", "2019-06-01"),
    "кабина и урна переносятся в холл первого этажа": (
        "кабина мен жәшік бірінші қабаттың холына көшіріледі", "председатель УИК",
        "2019-06-08"),
    "поиск помещения на первом этаже": (
        "бірінші қабаттан үй-жай іздеу", "акимат г. Аксу, ТИК", "2019-06-01"),
}
INSPECTORS = ("рабочая группа ТИК г. Аксу и ОО «Общество инвалидов»",
              "член ТИК и представитель акимата")


def _entrance(building: Building, streets: shapely.STRtree, lines: np.ndarray) -> shapely.Point:
    """Return the point of the outline nearest the nearest street: where a door would be."""
    near = lines[streets.nearest(building.footprint.centroid)]
    door, _ = nearest_points(building.footprint.exterior, near)
    return door


def make_passports(precincts: pd.DataFrame, world: World,
                   rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame,
                                                      np.ndarray]:
    """Return the passports, the remedies, and the entrances' metric coordinates.

    Parameters
    ----------
    precincts : pandas.DataFrame
        From :func:`aksugeo.synth.population.precinct_table`, with ``site_key``.
    world : World
        For the precincts' buildings and the streets in front of them.
    rng : numpy.random.Generator
        Source of the measured values (a generator of its own: the other layers keep their
        bytes).

    Returns
    -------
    passports : pandas.DataFrame
        One row a precinct, the fields of :data:`aksugeo.data.schema.PASSPORTS` without the
        entrance coordinates.
    remedies : pandas.DataFrame
        ``precinct_id``, ``item``, ``remedy``, ``state``, ``remedy_kk``, ``remedy_en``
        (left empty: the commission writes Russian and Kazakh), ``responsible``, ``due``.
    entrances : numpy.ndarray
        ``(n, 2)`` metric coordinates of each precinct's entrance.
    """
    sites = {str(b.site["key"]): b for b in world.buildings if b.site is not None}
    lines = np.array([shapely.LineString(w.coords) for w in world.ways
                      if w.tags.get("highway") not in (None, "footway", "path", "track")])
    tree = shapely.STRtree(lines)
    rows, fixes, doors = [], [], []
    for n, p in enumerate(precincts.itertuples(index=False)):
        urban = p.area_type == "urban"
        street = str(p.address).split(", ")[1] if str(p.address).count(", ") >= 2 else ""
        steps = int(rng.integers(0, 4))
        row: dict[str, object] = {
            "precinct_id": p.precinct_id,
            "parking_spaces": int(rng.integers(1, 4)) if urban else 1,
            "route_step_free": True,
            "entrance_steps": steps,
            "ramp": steps > 0,
            "ramp_slope_1_in": int(rng.integers(12, 21)) if steps > 0 else None,
            "handrails": True,
            "door_width_cm": int(rng.choice([90, 100, 110, 120])),
            "voting_floor": 1,
            "lift": False,
            "toilet_accessible": True,
            "lighting_adequate": True,
            "booth_accessible": bool(p.accessible_booth),
            "magnifier": True,
            "braille_template": True,
            "sign_language": True,
            "signage": True,
            "easy_read": True,
            "con_desk": bool(p.con_desk),
            # city buses stop on the precinct's street; in villages only the centre has a stop
            "transit_stop": (f"ост. «{street}»" if urban or rng.random() < 0.3 else ""),
            "transit_stop_m": None,
            "winter_clearing": True,
            "inspected_on": f"2019-04-{int(rng.integers(8, 27)):02d}",
            "inspected_by": INSPECTORS[0] if urban else INSPECTORS[1],
        }
        if row["transit_stop"]:
            row["transit_stop_m"] = int(rng.integers(6, 46)) * 10
        for name in DEALT.get(n, []):
            changes, remedies = DEFECTS[name]
            row |= changes
            fixes += [{"precinct_id": p.precinct_id, "item": item, "remedy": remedy,
                       "state": state, "remedy_kk": PLANS[remedy][0], "remedy_en": "",
                       "responsible": PLANS[remedy][1], "due": PLANS[remedy][2]}
                      for item, remedy, state in remedies]
        rows.append(row)
        door = _entrance(sites[str(p.site_key)], tree, lines)
        doors.append((door.x, door.y))
    passports = pd.DataFrame(rows).astype({"ramp_slope_1_in": "Int64", "transit_stop_m": "Int64"})
    return passports, pd.DataFrame(fixes), np.array(doors)
