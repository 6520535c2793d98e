"""The accessibility passport's checklist, and reading and checking the two passport files.

A passport (``passports.csv``, see :data:`aksugeo.data.schema.PASSPORTS`) records what accessibility
checklists for polling places measure. :data:`ITEMS` is the checklist: each item is a check that
a passport passes or fails, and says which groups of voters a failure keeps out (a barrier) and
which it hinders. What the failures make of a precinct (its category) is
:mod:`aksugeo.passport.rules`; this module is the data, and :func:`read_passports` reads and
checks ``passports.csv`` and ``passport_remedies.csv`` (the data directory's loader calls it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import shapely
from pyproj import Geod

from aksugeo._errors import Problem
from aksugeo.data import _validate as v
from aksugeo.data.schema import PASSPORT_REMEDIES, PASSPORTS

WHEELCHAIR = "wheelchair"
REDUCED_MOBILITY = "reduced_mobility"
BLIND = "blind_low_vision"
DEAF = "deaf_hard_of_hearing"
COGNITIVE = "cognitive"
GROUPS = (WHEELCHAIR, REDUCED_MOBILITY, BLIND, DEAF, COGNITIVE)
GROUP_NAMES = {
    WHEELCHAIR: "wheelchair users",
    REDUCED_MOBILITY: "other reduced mobility",
    BLIND: "blind and low vision",
    DEAF: "deaf and hard of hearing",
    COGNITIVE: "cognitive disabilities",
}
RAMP_SLOPE_MIN_1_IN = 12  # 1:12 (8.3 %) or gentler
DOOR_MIN_CM = 90
TRANSIT_MAX_M = 500
ENTRANCE_MAX_M = 250  # an entrance farther from the precinct's point is a typo
_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class Item:
    """One check of the passport.

    Attributes
    ----------
    key : str
        The item's name in ``passport_remedies.csv`` and in output columns; what a failure is in
        words is ``item.<key>`` of the catalogues (:mod:`aksugeo.i18n`).
    passes : callable
        Takes one passport row (a mapping of its typed fields) and says whether it passes.
    barrier : tuple of str
        Groups a failure keeps out.
    hindrance : tuple of str
        Groups a failure hinders.
    """

    key: str
    passes: Callable[[Mapping[str, Any]], bool]
    barrier: tuple[str, ...] = ()
    hindrance: tuple[str, ...] = ()


def _transit(p: Mapping[str, Any]) -> bool:
    # where no public transport runs (most villages) the item does not apply
    return not p["transit_stop"] or (p["transit_stop_m"] is not None
                                     and p["transit_stop_m"] <= TRANSIT_MAX_M)


W, M, B, D, C = GROUPS
# key, passes when, keeps out, hinders
ITEMS: tuple[Item, ...] = (
    Item("parking", lambda p: p["parking_spaces"] >= 1, (), (W, M)),
    Item("route", lambda p: bool(p["route_step_free"]), (W,), (M, B)),
    Item("entrance", lambda p: p["entrance_steps"] == 0 or bool(p["ramp"]), (W,), (M,)),
    Item("ramp_slope",
         lambda p: not p["ramp"] or (p["ramp_slope_1_in"] or 0) >= RAMP_SLOPE_MIN_1_IN,
         (), (W, M)),
    Item("handrails",
         lambda p: (p["entrance_steps"] == 0 and not p["ramp"]) or bool(p["handrails"]),
         (), (M, B)),
    Item("door_width", lambda p: p["door_width_cm"] >= DOOR_MIN_CM, (W,), (M,)),
    Item("voting_floor", lambda p: p["voting_floor"] == 1 or bool(p["lift"]), (W,), (M,)),
    Item("toilet", lambda p: bool(p["toilet_accessible"]), (), (W,)),
    Item("lighting", lambda p: bool(p["lighting_adequate"]), (), (B, D)),
    Item("booth", lambda p: bool(p["booth_accessible"]), (W,), (M,)),
    Item("magnifier", lambda p: bool(p["magnifier"]), (), (B,)),
    Item("braille", lambda p: bool(p["braille_template"]), (B,), ()),
    Item("sign_language", lambda p: bool(p["sign_language"]), (), (D,)),
    Item("signage", lambda p: bool(p["signage"]), (), (B, D, C)),
    Item("easy_read", lambda p: bool(p["easy_read"]), (), (C,)),
    Item("winter_clearing", lambda p: bool(p["winter_clearing"]), (), (W, M, B)),
    Item("transit", _transit, (), (M, B)),
)
ITEM_KEYS = tuple(item.key for item in ITEMS)
BY_KEY = {item.key: item for item in ITEMS}


def records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Return a table's rows as dicts of plain values, None where missing (NA has no truth)."""
    plain = table.astype(object).where(table.notna(), None)
    return [{str(k): value for k, value in row.items()} for row in plain.to_dict("records")]


def _check_passport_rows(table: pd.DataFrame, labels: list[str], shown: str,
                         precincts: pd.DataFrame, pshown: str) -> list[Problem]:
    """Cross-checks of each passport row with itself and with the precinct list."""
    problems: list[Problem] = []
    listed = dict(zip(precincts["precinct_id"], precincts.to_dict("records"), strict=True))
    for rec, label in zip(records(table), labels, strict=True):
        pid = rec["precinct_id"]
        if rec["ramp"] is True and rec["ramp_slope_1_in"] is None:
            problems.append(Problem(shown, label, "ramp_slope_1_in",
                                    "missing value: a ramp needs its gradient (12 for 1:12)"))
        if rec["transit_stop"] and rec["transit_stop_m"] is None:
            problems.append(Problem(shown, label, "transit_stop_m",
                                    f"missing value: the walk from {rec['transit_stop']!r}"))
        if (rec["entrance_lon"] is None) != (rec["entrance_lat"] is None):
            problems.append(Problem(shown, label, "entrance_lon",
                                    "give both entrance_lon and entrance_lat, or neither"))
        if pid not in listed:
            continue
        for name in ("con_desk", "booth_accessible"):
            theirs = listed[pid]["con_desk" if name == "con_desk" else "accessible_booth"]
            if rec[name] is not None and theirs is not None and rec[name] != theirs:
                problems.append(Problem(shown, label, name, f"is {rec[name]} but "
                                        f"{pshown} says {theirs} for precinct {pid}"))
        point = listed[pid].get("geometry")
        if rec["entrance_lon"] is not None and rec["entrance_lat"] is not None and point:
            off_m = _great_circle_m(point, rec["entrance_lon"], rec["entrance_lat"])
            if off_m > ENTRANCE_MAX_M:
                problems.append(Problem(shown, label, "entrance_lon", (
                    f"the entrance ({rec['entrance_lon']:g}, {rec['entrance_lat']:g}) is "
                    f"{off_m:,.0f} m from precinct {pid}'s point in {pshown}: lon and lat "
                    "swapped or mistyped?")))
    given = set(table["precinct_id"].dropna())
    problems += [Problem(shown, "-", "precinct_id", f"no passport for precinct {pid} of "
                         f"{pshown}: every precinct needs a row") for pid in listed
                 if pid is not None and pid not in given]
    return problems


def _great_circle_m(point: shapely.Point, lon: float, lat: float) -> float:
    return float(_GEOD.inv(point.x, point.y, lon, lat)[2])


def _check_remedies(remedies: pd.DataFrame, labels: list[str], shown: str,
                    passports: pd.DataFrame, plabels: list[str], pshown: str) -> list[Problem]:
    """Each remedy names a known item of a known passport, once, and the item fails there."""
    problems: list[Problem] = []
    rows = {rec["precinct_id"]: (rec, label) for rec, label in
            zip(records(passports), plabels, strict=True)}
    seen: dict[tuple[object, object], str] = {}
    for pid, item, label in zip(remedies["precinct_id"], remedies["item"], labels, strict=True):
        if item is not None and item not in BY_KEY:
            problems.append(Problem(shown, label, "item", f"{item!r} is not one of: "
                                    f"{', '.join(ITEM_KEYS)}"))
            continue
        if pid is None or item is None:
            continue
        if (pid, item) in seen:
            problems.append(Problem(shown, label, "item", f"a second remedy for {item!r} at "
                                    f"precinct {pid} (first at {seen[pid, item]})"))
            continue
        seen[pid, item] = label
        if pid not in rows:
            problems.append(Problem(shown, label, "precinct_id", f"no passport for precinct "
                                    f"{pid} in {pshown}"))
            continue
        rec, plabel = rows[pid]
        if all(value is not None or not f.required for f, value in
               zip(PASSPORTS.fields, rec.values(), strict=True)) and BY_KEY[item].passes(rec):
            problems.append(Problem(shown, label, "item", f"{item!r} passes in {pshown} "
                                    f"{plabel}: nothing to remedy (a stale row?)"))
    return problems


def read_passports(data_dir: Path, precincts: pd.DataFrame | None, pshown: str,
                   ) -> tuple[pd.DataFrame | None, pd.DataFrame | None, list[Problem]]:
    """Read and check ``passports.csv`` and ``passport_remedies.csv`` of a data directory.

    Parameters
    ----------
    data_dir : Path
        The data directory.
    precincts : pandas.DataFrame
        The precinct list as read (``precinct_id``, ``con_desk``, ``accessible_booth``, points).
    pshown : str
        The precinct file's name as messages show it.

    Returns
    -------
    passports : pandas.DataFrame or None
        Typed passports (object columns), None when there is no ``passports.csv``.
    remedies : pandas.DataFrame or None
        Typed remedies; None without passports, empty when there is no remedies file.
    problems : list of Problem
        Everything wrong with either file.
    """
    path = data_dir / PASSPORTS.path
    if not path.is_file():
        return None, None, []
    shown = path.as_posix()
    records, labels, problems, header = v.read_csv_records(path, shown)
    passports, found = v.check_fields(records, PASSPORTS, shown, labels,
                                      header=header if header is not None
                                      else PASSPORTS.columns)
    problems += found
    if precincts is not None:  # None: the precincts file is unreadable, and said so already
        problems += v.unknown_refs(passports["precinct_id"], set(precincts["precinct_id"]),
                                   shown, labels, "precinct_id", "precinct")
        problems += _check_passport_rows(passports, labels, shown, precincts, pshown)
    rpath = data_dir / PASSPORT_REMEDIES.path
    remedies = pd.DataFrame({c: pd.Series(dtype=object) for c in PASSPORT_REMEDIES.columns})
    if rpath.is_file():
        rshown = rpath.as_posix()
        records, rlabels, found, rheader = v.read_csv_records(rpath, rshown)
        remedies, more = v.check_fields(records, PASSPORT_REMEDIES, rshown, rlabels,
                                        header=rheader if rheader is not None
                                        else PASSPORT_REMEDIES.columns)
        problems += found + more + _check_remedies(remedies, rlabels, rshown, passports,
                                                   labels, shown)
    return passports, remedies, problems
