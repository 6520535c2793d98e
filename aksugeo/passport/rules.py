"""The accessibility passport of a precinct, and the rules that turn it into categories.

A passport (``passports.csv``, see :data:`aksugeo.data.schema.PASSPORTS`) records what accessibility
checklists for polling places measure: parking, the route, the entrance, the voting room, aids
for blind and deaf voters, the nearest stop, winter clearing, and the last inspection.

The rules live in one table, :data:`ITEMS`. Each item is a check that a passport passes or
fails, and says whom a failure affects, and how much:

- a **barrier** keeps a group out (a wheelchair user cannot get up five steps);
- a **hindrance** makes voting harder without keeping anyone out (no handrails).

For each group of :data:`GROUPS` a precinct is

- ``not_accessible`` when an item it fails is a barrier for the group,
- ``partly_accessible`` when it fails only hindrances for the group, or barriers that a
  temporary measure overcomes on election day (``passport_remedies.csv``: a portable ramp, a
  booth set up on the ground floor), and
- ``accessible`` when it fails nothing that affects the group.

The overall category is the worst of the five: a precinct is accessible only when it is
accessible to every group. A remedy in state ``relocate`` or ``none_needed`` does not change a
category: the item still fails until the precinct has moved or been rebuilt.

The checklist itself (:data:`ITEMS`, the groups, the thresholds) and the reading of the two
files are data: :mod:`aksugeo.data.passports`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from aksugeo.data.passports import (
    BLIND,
    BY_KEY,
    COGNITIVE,
    DEAF,
    DOOR_MIN_CM,
    GROUP_NAMES,
    GROUPS,
    ITEM_KEYS,
    ITEMS,
    RAMP_SLOPE_MIN_1_IN,
    REDUCED_MOBILITY,
    TRANSIT_MAX_M,
    WHEELCHAIR,
    Item,
    records,
)
from aksugeo.i18n import day, text

__all__ = [  # the checklist is re-exported: callers of the rules see it here too
    "ACCESSIBLE", "BLIND", "BY_KEY", "CATEGORIES", "COGNITIVE", "DEAF", "GROUPS", "GROUP_NAMES",
    "ITEMS", "ITEM_KEYS", "NOT_ACCESSIBLE", "PARTLY", "REDUCED_MOBILITY", "TEMPORARY",
    "WHEELCHAIR", "Item", "Remedy", "assess", "failed_items", "group_category", "remedy_plans",
    "remedy_text", "voters_by_category", "words", "worst",
]

ACCESSIBLE, PARTLY, NOT_ACCESSIBLE = "accessible", "partly_accessible", "not_accessible"
CATEGORIES = (ACCESSIBLE, PARTLY, NOT_ACCESSIBLE)  # best first
TEMPORARY = "temporary_measure"


def words(key: str, lang: str = "en") -> str:
    """Return what failing item ``key`` means, in words, in ``lang``."""
    return text(lang, f"item.{key}", ramp=RAMP_SLOPE_MIN_1_IN, door=DOOR_MIN_CM,
                transit=TRANSIT_MAX_M)


def failed_items(passport: Mapping[str, Any]) -> list[str]:
    """Return the keys of the items one passport fails, in :data:`ITEMS` order.

    Parameters
    ----------
    passport : mapping
        One passport row with the typed fields of :data:`aksugeo.data.schema.PASSPORTS`.

    Returns
    -------
    list of str
        Item keys.
    """
    return [item.key for item in ITEMS if not item.passes(passport)]


def group_category(failed: list[str], group: str,
                   temporary: set[str] | frozenset[str] = frozenset()) -> str:
    """Return one group's category from the items failed and those under a temporary measure.

    Parameters
    ----------
    failed : list of str
        Item keys the passport fails.
    group : str
        One of :data:`GROUPS`.
    temporary : set of str
        Failed items with a remedy in state ``temporary_measure``.

    Returns
    -------
    str
        One of :data:`CATEGORIES`.
    """
    affecting = [BY_KEY[k] for k in failed if group in BY_KEY[k].barrier + BY_KEY[k].hindrance]
    if any(group in i.barrier and i.key not in temporary for i in affecting):
        return NOT_ACCESSIBLE
    return PARTLY if affecting else ACCESSIBLE


def worst(categories: list[str]) -> str:
    """Return the worst of some categories (``accessible`` for none)."""
    return CATEGORIES[max((CATEGORIES.index(c) for c in categories), default=0)]


@dataclass(frozen=True)
class Remedy:
    """What the commission does about an item a precinct fails.

    Attributes
    ----------
    item : str
        The item's key (:data:`ITEMS`).
    remedy : str
        The remedy, in the language asked for where the file has it (``remedy_kk``,
        ``remedy_en``), else as the commission wrote it (``remedy``).
    state : str
        ``none_needed``, ``temporary_measure`` or ``relocate``.
    responsible, due : str
        Who carries it out, and by when (ISO day); empty when not recorded.
    """

    item: str
    remedy: str
    state: str
    responsible: str = ""
    due: str = ""


def _given(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) \
        or value is pd.NA or value is pd.NaT else str(value).removesuffix("T00:00:00").strip()


def remedy_plans(remedies: pd.DataFrame | None, lang: str = "en") -> dict[int, dict[str, Remedy]]:
    """Return the remedies of ``passport_remedies`` by precinct and item, in ``lang``.

    Parameters
    ----------
    remedies : pandas.DataFrame or None
        ``precinct_id``, ``item``, ``remedy``, ``state``; optional ``remedy_<lang>``,
        ``responsible``, ``due``.
    lang : str
        The language of the remedies' text, where the file gives it.
    """
    if remedies is None or remedies.empty:
        return {}
    out: dict[int, dict[str, Remedy]] = {}
    local = f"remedy_{lang}"
    for row in remedies.to_dict("records"):
        written = _given(row.get(local)) or _given(row["remedy"])
        out.setdefault(int(row["precinct_id"]), {})[str(row["item"])] = Remedy(
            str(row["item"]), written, str(row["state"]), _given(row.get("responsible")),
            _given(row.get("due"))[:10])
    return out


def remedy_text(item: str, fix: Remedy | None, lang: str, *, who: bool = False) -> str:
    """Return a failed item and what is done about it, in words: ``item: remedy (state)``.

    ``no remedy recorded`` where there is none; with ``who``, the responsible and the day too.
    """
    if fix is None:
        return f"{words(item, lang)}: {text(lang, 'remedy.none')}"
    out = f"{words(item, lang)}: {fix.remedy} ({text(lang, f'state.{fix.state}')})"
    if who:
        out += (f", {fix.responsible}" if fix.responsible else "") + (
            f", {day(lang, fix.due)}" if fix.due else "")
    return out


def assess(passports: pd.DataFrame, remedies: pd.DataFrame | None = None, *,
           lang: str = "en") -> pd.DataFrame:
    """Return each precinct's categories and failed items, by the rules of :data:`ITEMS`.

    Parameters
    ----------
    passports : pandas.DataFrame
        One row a precinct, with the typed fields of :data:`aksugeo.data.schema.PASSPORTS`.
    remedies : pandas.DataFrame, optional
        ``precinct_id``, ``item``, ``remedy``, ``state``: what is done about failed items.
    lang : str
        The language of the words (see :mod:`aksugeo.i18n`).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``precinct_id``: ``category``; ``category_<group>`` for each group;
        ``failed_items`` (the keys, comma-separated), ``failed`` (in words, ``; ``-separated)
        and ``failed_<group>`` (in words, the items that affect the group); ``remedies`` (each
        failed item's remedy and state, in words; ``no remedy recorded`` where there is none).
    """
    by_precinct = remedy_plans(remedies, lang)
    rows = []
    for passport in records(passports):
        pid = int(passport["precinct_id"])
        failed = failed_items(passport)
        fixes = by_precinct.get(pid, {})
        temporary = {k for k, fix in fixes.items() if fix.state == TEMPORARY}
        row: dict[str, object] = {"precinct_id": pid}
        cats = {g: group_category(failed, g, temporary) for g in GROUPS}
        row["category"] = worst(list(cats.values()))
        row |= {f"category_{g}": c for g, c in cats.items()}
        row["failed_items"] = ",".join(failed)
        row["failed"] = "; ".join(words(k, lang) for k in failed)
        for g in GROUPS:
            row[f"failed_{g}"] = "; ".join(
                words(k, lang) for k in failed if g in BY_KEY[k].barrier + BY_KEY[k].hindrance)
        row["remedies"] = "; ".join(remedy_text(k, fixes.get(k), lang) for k in failed)
        rows.append(row)
    return pd.DataFrame(rows).set_index("precinct_id")


def voters_by_category(assessment: pd.DataFrame, precincts: pd.DataFrame) -> pd.DataFrame:
    """Return the precincts and their voters in each category, overall and for each group.

    Parameters
    ----------
    assessment : pandas.DataFrame
        From :func:`assess`.
    precincts : pandas.DataFrame
        With ``precinct_id`` and ``voters``.

    Returns
    -------
    pandas.DataFrame
        One row per category (best first); columns ``precincts`` and ``voters`` (overall), and
        ``precincts_<group>``, ``voters_<group>`` for each group.
    """
    voters = assessment.index.map(dict(zip(precincts["precinct_id"], precincts["voters"],
                                           strict=True))).to_numpy(dtype=np.int64)
    out = pd.DataFrame(index=pd.Index(CATEGORIES, name="category"))
    for column, suffix in [("category", ""), *((f"category_{g}", f"_{g}") for g in GROUPS)]:
        cat = assessment[column].to_numpy()
        out[f"precincts{suffix}"] = [int((cat == c).sum()) for c in CATEGORIES]
        out[f"voters{suffix}"] = [int(voters[cat == c].sum()) for c in CATEGORIES]
    return out


