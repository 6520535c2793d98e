"""The akim's decision of the synthetic set: the registry's precincts as a clerk writes them.

The text says what the registry says, in Russian (``boundaries_ru.txt``) and Kazakh
(``boundaries_kk.txt``), with a clerk's usual irregularities, each of which ``aksugeo boundaries
check`` (and the build) reports or resolves:

- ranges in both styles (``1-25`` and ``с № 1 по № 25``, ``1-ден 25-ке дейін``);
- some streets without their type word (``Абая № 1-25``);
- a renamed street under its old name, known only to the renames table (resolved, a note);
- a street name with a typo (an unknown street; its houses in no precinct);
- one address claimed by two precincts, and one left out of its precinct's list.

No random numbers are drawn: the other layers keep their bytes.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from aksugeo.boundaries.decision import Decision, Entry, Rule
from aksugeo.boundaries.describe import describe, render
from aksugeo.boundaries.houses import Item
from aksugeo.boundaries.places import Places
from aksugeo.geocode.gazetteer import strip_type
from aksugeo.synth.names import RENAMES
from aksugeo.synth.world import World

SYNTHETIC = {"ru": "СИНТЕТИЧЕСКИЕ ДАННЫЕ: образец для aksugeo, не настоящее решение акима.",
             "kk": "СИНТЕТИКАЛЫҚ ДЕРЕКТЕР: aksugeo үшін үлгі, әкімнің нақты шешімі емес."}
TITLE = {"ru": "Приложение к решению акима города Аксу Павлодарской области «Об образовании "
               "избирательных участков»",
         "kk": "Павлодар облысы Ақсу қаласы әкімінің «Сайлау учаскелерін құру туралы» шешіміне "
               "қосымша"}
BARE_EVERY = 7  # every 7th street rule written without its type word


def places_of(households: pd.DataFrame, world: World, renames: pd.DataFrame) -> Places:
    """Return the names the decision is written with: the registry's and the map's."""
    places = Places.of(households, renames=renames)
    places.add_settlement("г. Аксу", "Ақсу")
    seen = set()
    for b in world.buildings:
        if b.street is None or (b.settlement, b.street.ru_full) in seen:
            continue
        seen.add((b.settlement, b.street.ru_full))
        old = RENAMES.get(b.street.ru)
        aliases = ([old.old.ru_full, old.old.kk_full] if old is not None and
                   old.known_to == "osm" and b.settlement == "г. Аксу" else [])
        places.add_street(b.settlement, b.street.ru_full, b.street.kk_full, aliases)
    return places


def _copy(decision: Decision) -> Decision:
    return Decision([Entry(e.precinct_id, e.centre, list(e.rules)) for e in decision.entries],
                    list(decision.problems), decision.lang)


def _streets(decision: Decision) -> list[tuple[Entry, int, Rule]]:
    return [(e, i, r) for e in decision.entries for i, r in enumerate(e.rules)
            if r.kind == "street"]


def _irregular(decision: Decision, places: Places) -> dict[str, Decision]:
    """Return the decision as the clerk wrote it in each language (see the module)."""
    d = _copy(decision)
    rules = _streets(d)
    used: set[int] = set()  # rules already changed (by id)
    # one address claimed twice: the first house of a street's part in one precinct, listed
    # again by the next precinct that has a part of the same street
    for e, _, r in rules:
        other = next(((f, j, q) for f, j, q in rules if f is not e and q.area == r.area
                      and q.settlement == r.settlement and q.items), None)
        if r.items and other is not None:
            f, j, q = other
            f.rules[j] = replace(q, items=(*q.items, Item(r.items[0].first)))
            used |= {id(r), id(f.rules[j])}
            break
    # one address left out: a single house taken out of a rule that lists others too
    for e, i, r in _streets(d):
        singles = [k for k, item in enumerate(r.items) if item.last is None]
        if id(r) not in used and len(r.items) > 1 and singles:
            e.rules[i] = replace(r, items=tuple(x for k, x in enumerate(r.items)
                                                if k != singles[0]))
            used.add(id(e.rules[i]))
            break
    # a typo: the street of the last rule that lists one house (a letter dropped)
    typo = next(((e, i, r) for e, i, r in reversed(_streets(d)) if id(r) not in used
                 and len(r.items) == 1 and r.items[0].last is None), None)
    # the renamed street, under its old name (the renames table knows it, OSM does not)
    renamed = next(((e, i, r, new) for e, i, r in _streets(d) if id(r) not in used
                    for new, old in RENAMES.items() if old.known_to == "table"
                    and r.settlement == "г. Аксу"
                    and r.area == places.street(r.settlement, new)), None)
    out = {}
    for lang in ("ru", "kk"):
        t = _copy(d)
        for n, (e, i, r) in enumerate(_streets(t)):
            name = places.name(r.settlement or "", r.area or "", lang)
            if n % BARE_EVERY == BARE_EVERY - 1:
                e.rules[i] = replace(r, street=strip_type(name), area=None)
        if typo is not None:
            e, i, r = typo
            name = places.name(r.settlement or "", r.area or "", lang)
            bare = strip_type(name)  # the typo is in the name, not its type word
            word = max(bare.split(), key=len)
            entry = next(x for x in t.entries if x.precinct_id == e.precinct_id)
            entry.rules[i] = replace(r, street=name.replace(word, word[:2] + word[3:], 1),
                                     area=None)
        if renamed is not None:
            e, i, r, new = renamed
            old = RENAMES[new].old
            entry = next(x for x in t.entries if x.precinct_id == e.precinct_id)
            entry.rules[i] = replace(r, street=old.ru_full if lang == "ru" else old.kk_full,
                                     area=None)
        out[lang] = t
    return out


def decision_texts(households: pd.DataFrame, precincts: pd.DataFrame, world: World,
                   renames: pd.DataFrame) -> dict[str, str]:
    """Return the decision's text by language (``ru``, ``kk``), as the clerk wrote it."""
    places = places_of(households, world, renames)
    decision = describe(households, households.set_index("household_id")["precinct_id"],
                        places, precincts)
    if decision.problems:  # the generator's own registry: every address is one a rule names
        raise AssertionError(f"the registry cannot be written: {decision.problems[:3]}")
    return {lang: render(d, places, lang, title=f"{TITLE[lang]}\n{SYNTHETIC[lang]}",
                         words_every=3)
            for lang, d in _irregular(decision, places).items()}
