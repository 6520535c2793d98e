"""Addresses the way clerks write them: Russian, Kazakh, Latin, short, misspelt, incomplete."""

from __future__ import annotations

import numpy as np

from aksugeo.synth.names import StreetName, kk_to_latin, ru_to_latin
from aksugeo.synth.world import Building

CITY_KK = "Ақсу қаласы"
STYLES = ("full", "short", "kazakh", "latin", "kazakh_latin", "typo", "terse", "long")
STYLE_P = (0.33, 0.15, 0.12, 0.08, 0.04, 0.1, 0.1, 0.08)


def _typo(word: str, rng: np.random.Generator) -> str:
    if len(word) < 4:
        return word
    i = int(rng.integers(1, len(word) - 1))
    how = int(rng.integers(3))
    if how == 0:  # a letter dropped
        return word[:i] + word[i + 1:]
    if how == 1:  # two letters swapped
        return word[:i - 1] + word[i] + word[i - 1] + word[i + 1:]
    return word[:i] + word[i] + word[i:]  # a letter doubled


def _flat(b: Building, rng: np.random.Generator) -> int | None:
    return int(rng.integers(1, b.dwellings + 1)) if b.use == "apartments" else None


def _street_styles(s: StreetName, town: str, town_kk: str, no: str, kv: int | None,
                   style: str, rng: np.random.Generator) -> str:
    kv_ru = f", кв. {kv}" if kv else ""
    if style == "full":
        return f"{town}, {s.ru_abbr} {s.ru}, д. {no}{kv_ru}"
    if style == "short":
        return f"{s.ru} {no}-{kv}" if kv else f"{s.ru} {no}"
    if style == "kazakh":
        head = f"{town_kk}, " if rng.random() < 0.5 else ""
        tail = f", {kv} пәтер" if kv else ""
        return f"{head}{s.kk_full}, {no} үй{tail}"
    if style == "latin":
        abbr = {"street": "ul.", "avenue": "pr.", "lane": "per."}[s.kind]
        tail = f", kv. {kv}" if kv else ""
        return f"{ru_to_latin(town)}, {abbr} {ru_to_latin(s.ru)} {no}{tail}"
    if style == "kazakh_latin":
        tail = f", {kv} päter" if kv else ""
        return f"{kk_to_latin(s.kk_full)}, {kk_to_latin(no)}{tail}"
    if style == "typo":
        return f"{town}, {s.ru_abbr} {_typo(s.ru, rng)}, д. {no}{kv_ru}"
    if style == "terse":  # no settlement, no punctuation
        return f"{s.ru_abbr.rstrip('.')} {s.ru} д{no}" + (f" кв{kv}" if kv else "")
    return f"{town}, {s.ru_type} {s.ru.replace('ё', 'е')}, дом {no}" + (
        f", квартира {kv}" if kv else "")


def _micro_styles(micro: int, no: str, kv: int | None, style: str) -> str:
    if style in ("full", "typo"):
        return f"г. Аксу, мкр. {micro}, д. {no}" + (f", кв. {kv}" if kv else "")
    if style == "short":
        return f"{micro} мкр, {no}-{kv}" if kv else f"{micro} мкр, {no}"
    if style in ("kazakh", "kazakh_latin"):
        return f"{micro} шағын аудан, {no} үй" + (f", {kv} пәтер" if kv else "")
    if style == "latin":
        return f"Aksu, mkr {micro}, d. {no}" + (f", kv. {kv}" if kv else "")
    if style == "terse":
        return f"мкр{micro} д{no}" + (f" кв{kv}" if kv else "")
    return f"г. Аксу, микрорайон {micro}, дом {no}" + (f", квартира {kv}" if kv else "")


def raw_address(b: Building, rng: np.random.Generator) -> str:
    """Write one building's address the way a clerk might have written it.

    Parameters
    ----------
    b : Building
        A dwelling building with its house number.
    rng : numpy.random.Generator
        Source of the style, the flat number and the typos.

    Returns
    -------
    str
        The address as it stands in a clerk's list.
    """
    style = STYLES[int(rng.choice(len(STYLES), p=STYLE_P))]
    kv = _flat(b, rng)
    city = b.settlement == "г. Аксу"
    name = b.settlement.split(" ", 1)[1]
    town = b.settlement if style != "short" or city else name
    town_kk = CITY_KK if city else f"{name} ауылы"
    if b.micro is not None and b.street is None:
        return _micro_styles(b.micro, b.housenumber, kv, style)
    if b.street is not None:
        return _street_styles(b.street, town, town_kk, b.housenumber, kv, style, rng)
    if style in ("kazakh", "kazakh_latin"):
        return f"{town_kk}, {b.housenumber} үй"
    if style == "latin":
        return f"s. {ru_to_latin(name)}, d. {b.housenumber}"
    return f"{b.settlement}, д. {b.housenumber}" if style != "short" else f"{name} {b.housenumber}"
