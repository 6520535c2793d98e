"""Addresses the way clerks write them: Russian, Kazakh, Latin, short, misspelt, incomplete."""

from __future__ import annotations

import re

import numpy as np

from aksugeo.synth.names import RENAMES, StreetName, kk_to_latin, ru_to_latin
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


# One template per style; {kv...} parts are empty for a private house.
STREET_TEMPLATES = {
    "full": "{town}, {abbr} {ru}, д. {no}{kv_ru}",
    "short": "{ru} {no}{kv_dash}",
    "kazakh": "{town_kk_head}{kk_full}, {no} үй{kv_kk}",
    "latin": "{town_lat}, {abbr_lat} {ru_lat} {no}{kv_lat}",
    "kazakh_latin": "{kk_full_lat}, {no_lat}{kv_kk_lat}",
    "typo": "{town}, {abbr} {ru_typo}, д. {no}{kv_ru}",
    "terse": "{abbr_bare} {ru} д{no}{kv_terse}",  # no settlement, no punctuation
    "long": "{town}, {ru_type} {ru_no_yo}, дом {no}{kv_long}",
}
# A rural list always names the village (a commission covers many); only the town goes unsaid.
VILLAGE_TEMPLATES = {
    "short": "{village}, {ru} {no}{kv_dash}",
    "terse": "с {village} {abbr_bare} {ru} д{no}{kv_terse}",
    "kazakh": "{town_kk}, {kk_full}, {no} үй{kv_kk}",
    "kazakh_latin": "{village_lat} auyly, {kk_full_lat}, {no_lat}{kv_kk_lat}",
}
MICRO_TEMPLATES = {
    "full": "г. Аксу, мкр. {micro}, д. {no}{kv_ru}",
    "typo": "г. Аксу, мкр. {micro}, д. {no}{kv_ru}",
    "short": "{micro} мкр, {no}{kv_dash}",
    "kazakh": "{micro} шағын аудан, {no} үй{kv_kk}",
    "kazakh_latin": "{micro} шағын аудан, {no} үй{kv_kk}",
    "latin": "Aksu, mkr {micro}, d. {no}{kv_lat}",
    "terse": "мкр{micro} д{no}{kv_terse}",
    "long": "г. Аксу, микрорайон {micro}, дом {no}{kv_long}",
}
_LATIN_ABBR = {"street": "ul.", "avenue": "pr.", "lane": "per."}


def _flat_parts(kv: int | None) -> dict[str, str]:
    if kv is None:
        return dict.fromkeys(("kv_ru", "kv_dash", "kv_kk", "kv_lat", "kv_kk_lat", "kv_terse",
                              "kv_long"), "")
    return {"kv_ru": f", кв. {kv}", "kv_dash": f"-{kv}", "kv_kk": f", {kv} пәтер",
            "kv_lat": f", kv. {kv}", "kv_kk_lat": f", {kv} päter", "kv_terse": f" кв{kv}",
            "kv_long": f", квартира {kv}"}


def _street_parts(s: StreetName, town: str, town_kk: str, no: str,
                  rng: np.random.Generator) -> dict[str, str]:
    return {
        "town": town, "abbr": s.ru_abbr, "ru": s.ru, "no": no, "kk_full": s.kk_full,
        "town_kk_head": f"{town_kk}, " if rng.random() < 0.5 else "",
        "town_lat": ru_to_latin(town), "abbr_lat": _LATIN_ABBR[s.kind], "ru_lat": ru_to_latin(s.ru),
        "kk_full_lat": kk_to_latin(s.kk_full), "no_lat": kk_to_latin(no),
        "ru_typo": _typo(s.ru, rng), "abbr_bare": s.ru_abbr.rstrip("."), "ru_type": s.ru_type,
        "ru_no_yo": s.ru.replace("ё", "е"),
    }


def _old_name(text: str, b: Building) -> str:
    """Write a renamed street by its old name on every third house (by number).

    As registries still do. No draw of its own: every other address keeps its bytes.
    """
    renamed = RENAMES.get(b.street.ru) if b.street is not None else None
    number = re.match(r"\d+", b.housenumber)
    if renamed is None or b.street is None or number is None or int(number.group()) % 3:
        return text
    new, old = b.street, renamed.old
    for now, then in ((new.ru, old.ru), (new.kk, old.kk), (kk_to_latin(new.kk),
                      kk_to_latin(old.kk)), (ru_to_latin(new.ru), ru_to_latin(old.ru))):
        text = text.replace(now, then)
    return text


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
        return MICRO_TEMPLATES[style].format(micro=b.micro, no=b.housenumber, **_flat_parts(kv))
    if b.street is not None:
        parts = _street_parts(b.street, town, town_kk, b.housenumber, rng)
        template = STREET_TEMPLATES[style] if city else VILLAGE_TEMPLATES.get(
            style, STREET_TEMPLATES[style])
        text = template.format(**parts, **_flat_parts(kv), village=name, town_kk=town_kk,
                               village_lat=kk_to_latin(name))
        return _old_name(text, b) if city else text
    if style in ("kazakh", "kazakh_latin"):
        return f"{town_kk}, {b.housenumber} үй"
    if style == "latin":
        return f"s. {ru_to_latin(name)}, d. {b.housenumber}"
    return f"{b.settlement}, д. {b.housenumber}" if style != "short" else f"{name} {b.housenumber}"
