"""From an assignment to the decision's text: households -> rules -> Russian or Kazakh.

:func:`describe` writes, for any assignment of households to precincts (the registry's, a siting
proposal's, a merge's), the shortest rules that give every household its precinct back:

- a settlement all of whose households go to one precinct is written whole (``с. Калкаман
  полностью``); so is a street or a microdistrict;
- otherwise each precinct's houses on a street become runs in the street's order, written as
  ranges and single houses; when the street's two sides split more simply than its whole
  length (one precinct takes the odd side), the rules name the sides.

A range is only written where it takes exactly the houses meant (the module
:mod:`aksugeo.boundaries.houses` says what a range takes), so reading the text back
(:func:`~aksugeo.boundaries.decision.parse_decision`,
:func:`~aksugeo.boundaries.match.apply_decision`) gives every household the same precinct.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace

import pandas as pd

from aksugeo.boundaries.decision import WHOLE_SIDE, Decision, Entry, Problem, Rule
from aksugeo.boundaries.houses import House, Item, Side
from aksugeo.boundaries.places import Places, settlement_kind
from aksugeo.geocode.address import parse_address, strip_settlement_type

TITLE = {"ru": "Границы избирательных участков", "kk": "Сайлау учаскелерінің шекаралары"}
_HEAD = {"ru": "Избирательный участок № {n}", "kk": "№ {n} сайлау учаскесі"}
_CENTRE = {"ru": "Центр", "kk": "Орталығы"}
_BOUNDS = {"ru": "Границы", "kk": "Шекаралары"}
_WHOLE = {"ru": "полностью", "kk": "толығымен"}
_SIDE = {"ru": {"odd": "нечётная сторона", "even": "чётная сторона"},
         "kk": {"odd": "тақ жағы", "even": "жұп жағы"}}
# the Kazakh case endings of a number, by the last word it is read with: ablative (from) and
# dative (to); a number is read by its last digit that is not 0, else its tens, else ...
_KK_ONES = {1: ("ден", "ге"), 2: ("ден", "ге"), 3: ("тен", "ке"), 4: ("тен", "ке"),
            5: ("тен", "ке"), 6: ("дан", "ға"), 7: ("ден", "ге"), 8: ("ден", "ге"),
            9: ("дан", "ға")}
_KK_TENS = {1: ("нан", "ға"), 2: ("дан", "ға"), 3: ("дан", "ға"), 4: ("тан", "қа"),
            5: ("ден", "ге"), 6: ("тан", "қа"), 7: ("тен", "ке"), 8: ("нен", "ге"),
            9: ("нан", "ға")}


def _kk_case(n: int) -> tuple[str, str]:
    """Return the Kazakh ablative and dative endings of a number (``1-ден``, ``25-ке``)."""
    if n % 10:
        return _KK_ONES[n % 10]
    if n % 100:
        return _KK_TENS[n // 10 % 10]
    return ("ден", "ге") if n % 1000 else ("нан", "ға")  # жүз, мың


def _runs(houses: list[House], owner: Mapping[House, int]) -> list[tuple[int, list[House]]]:
    """Consecutive houses of one precinct, in the street's order."""
    out: list[tuple[int, list[House]]] = []
    for h in houses:
        if out and out[-1][0] == owner[h]:
            out[-1][1].append(h)
        else:
            out.append((owner[h], [h]))
    return out


def _items(run: list[House], every: list[House], side: Side) -> list[Item]:
    """Write a run as ranges and single houses that take exactly its houses of ``every``."""
    out: list[Item] = []
    mine = set(run)
    i = 0
    while i < len(run):
        k = len(run) - 1
        while k > i:
            item = Item(run[i], run[k], side)
            if all((h in mine and run[i] <= h <= run[k]) for h in every if item.covers(h)):
                break
            k -= 1
        out.append(Item(run[i], run[k], side) if k > i else Item(run[i], None, side))
        i = k + 1
    return out


def _street_items(owner: dict[House, int]) -> dict[int, list[Item]]:
    """Each precinct's items on one street: by its whole length or by its sides, the fewer."""
    every = sorted(owner)
    both: dict[int, list[Item]] = defaultdict(list)
    for p, run in _runs(every, owner):
        both[p] += _items(run, every, "both")
    sided: dict[int, list[Item]] = defaultdict(list)
    for side in ("odd", "even"):
        on = [h for h in every if h.side == side]
        for p, run in _runs(on, owner):
            sided[p] += _items(run, on, side)  # type: ignore[arg-type]
    count = sum(len(v) for v in both.values())
    return both if count <= sum(len(v) for v in sided.values()) else sided


def describe(households: pd.DataFrame, precinct_of: pd.Series, places: Places,
             precincts: pd.DataFrame | None = None) -> Decision:
    """Write the rules that give each household its precinct.

    Parameters
    ----------
    households : pandas.DataFrame
        ``household_id``, ``address``, ``settlement``.
    precinct_of : pandas.Series
        Each household's precinct, indexed by ``household_id`` (the registry's
        ``precinct_id``, a siting proposal's, ...).
    places : Places
        The names to write (Russian and Kazakh).
    precincts : pandas.DataFrame, optional
        ``precinct_id``, ``name``, ``address``: the centres.

    Returns
    -------
    Decision
        One entry per precinct, in number order. Households whose address a rule cannot name,
        or that share an address with another precinct's, are in ``problems``
        (``address_unread``, ``split_address``): the text cannot give them their precinct.
    """
    owner_of = precinct_of.astype("Int64")
    problems: list[Problem] = []
    town_precincts: dict[str, set[int]] = defaultdict(set)
    streets: dict[tuple[str, str], dict[House, int]] = defaultdict(dict)
    for hid, text, town in zip(households["household_id"].astype(str),
                               households["address"].astype(str),
                               households["settlement"].astype(str), strict=True):
        p = owner_of.get(hid)
        if p is None or pd.isna(p):
            continue
        p = int(p)
        town_precincts[town].add(p)
        a = places.address(text, town)
        if a.area is None or a.house is None:
            problems.append(Problem(p, None, text, f"household {hid}: {a.why}",
                                    "address_unread"))
            continue
        known = streets[(town, a.area)].setdefault(a.house, p)
        if known != p:
            problems.append(Problem(p, None, text, f"household {hid}: the same address is in "
                                    f"precinct {known}", "split_address"))
    areas: dict[str, list[str]] = defaultdict(list)  # each town's streets, in writing order
    for town, area in sorted(streets, key=lambda k: _area_order(k[1],
                                                                places.name(k[0], k[1], "ru"))):
        areas[town].append(area)
    rules: dict[int, list[Rule]] = defaultdict(list)
    for town in sorted(town_precincts, key=_town_order):
        owners = town_precincts[town]
        if len(owners) == 1:
            p = next(iter(owners))
            rules[p].append(Rule(0, "", town, whole=True))
            continue
        for area in areas[town]:
            owner = streets[(town, area)]
            micro = area.split(":", 1)[1] if area.startswith("micro:") else None
            street = None if micro or area == "place" else places.name(town, area, "ru")
            if len(set(owner.values())) == 1 and area != "place":  # (whole = the settlement)
                rules[next(iter(owner.values()))].append(
                    Rule(0, "", town, street, micro, whole=True, area=area))
                continue
            for p, items in _street_items(owner).items():
                rules[p].append(Rule(0, "", town, street, micro, items=tuple(items), area=area))
    where = {} if precincts is None else centres(precincts)
    entries = [Entry(p, where.get(p, ""), [replace(r, k=k)
                                           for k, r in enumerate(rules.get(p, []), start=1)])
               for p in sorted(set(rules) | set(where))]
    return Decision(entries, problems, "ru")


def centres(precincts: pd.DataFrame) -> dict[int, str]:
    """Return each precinct's centre as a decision writes it: ``name, address``."""
    return {int(p): f"{n}, {a}" for p, n, a in zip(precincts["precinct_id"], precincts["name"],
                                                   precincts["address"], strict=True)}


def _town_order(town: str) -> tuple[int, str]:
    """Towns first, then villages, each by name."""
    return (0 if settlement_kind(town) in ("г", "город") else 1, strip_settlement_type(town))


def _area_order(area: str, name: str) -> tuple[int, str]:
    return (1, f"{int(area.split(':', 1)[1]):06d}") if area.startswith("micro:") else \
        (0, name.lower())


def _house(h: House) -> str:
    text = h.text
    if "к" in text[1:] and text.split("к", 1)[0].isdigit():
        number, block = text.split("к", 1)
        return f"{number} корп. {block}"
    return text.upper() if not text.isdigit() else text


def _item(item: Item, lang: str, words: bool) -> str:
    if item.last is None:
        return _house(item.first)
    a, b = _house(item.first), _house(item.last)
    if not words:
        return f"{a}-{b}"
    if lang == "kk":
        return f"{a}-{_kk_case(item.first.number)[0]} {b}-{_kk_case(item.last.number)[1]} дейін"
    return f"с № {a} по № {b}"


def _spec(rule: Rule, lang: str, words_every: int, counter: list[int]) -> str:
    """Write a rule's houses: sides named where they are meant."""
    parts = []
    for side in ("both", "odd", "even"):
        items = [i for i in rule.items if i.side == side]
        if not items:
            continue
        if items[0].last is not None and items[0].last.number == WHOLE_SIDE:
            parts.append(f"{_SIDE[lang][side]} {_WHOLE[lang]}")
            continue
        written = []
        for item in items:
            counter[0] += 1
            written.append(_item(item, lang, bool(words_every and item.last is not None
                                                    and counter[0] % words_every == 0)))
        if not written[0].startswith("с №"):
            written[0] = f"№ {written[0]}"
        numbers = ", ".join(written)
        head = "" if side == "both" else f"{_SIDE[lang][side]} "
        parts.append(f"{head}{numbers} үйлер" if lang == "kk" else f"{head}дома {numbers}")
    return ", ".join(parts)


def rule_text(rule: Rule, places: Places, lang: str, *, words_every: int = 0,
              counter: list[int] | None = None) -> str:
    """One rule as the decision writes it (without its settlement unless it is the whole)."""
    counter = counter if counter is not None else [0]
    town = rule.settlement or ""
    if rule.kind == "settlement":
        name = places.settlement_name(town, lang)
        return f"{name} {_WHOLE[lang]}" if rule.whole else \
            f"{name}, {_spec(rule, lang, words_every, counter)}"
    name = places.name(town, rule.area or (f"micro:{rule.micro}" if rule.micro else ""), lang) \
        if rule.area or rule.micro else str(rule.street)
    if rule.whole:
        return f"{name} {_WHOLE[lang]}"
    return f"{name}, {_spec(rule, lang, words_every, counter)}"


def centre_text(centre: str, places: Places, lang: str) -> str:
    """Write a centre ("name, address") in ``lang``: its settlement and street translated."""
    if lang != "kk" or ", " not in centre:
        return centre
    name, address = centre.split(", ", 1) if not centre.startswith(("г.", "с.")) else \
        ("", centre)
    towns = [strip_settlement_type(t) for t in places.names]
    p = parse_address(address, towns)
    town = places.settlement(p.settlement) if p.settlement else None
    if town is None or p.house is None:
        return centre
    area = f"micro:{int(p.micro)}" if p.micro else places.street(town, p.street or "")
    if area is None:
        return centre
    words = [places.settlement_name(town, "kk"), places.name(town, area, "kk"),
             f"{p.house.upper()} үй"]
    return ", ".join([name, *words] if name else words)


def render(decision: Decision, places: Places, lang: str = "ru", *, title: str | None = None,
           words_every: int = 0) -> str:
    """Write a decision's annex as text.

    Parameters
    ----------
    decision : Decision
        Written by :func:`describe` (or read and amended).
    places : Places
        The Russian and Kazakh names.
    lang : str
        ``ru`` or ``kk``.
    title : str, optional
        The first line (default: "Границы избирательных участков" in the language).
    words_every : int
        Write every n-th range in words (``с № 1 по № 25``, ``1-ден 25-ке дейін``) instead of
        ``1-25``, as clerks mix both; 0 never.

    Returns
    -------
    str
        A paragraph per precinct: its heading, its centre and its boundaries.
    """
    out = [title if title is not None else TITLE[lang], ""]
    counter = [0]
    for entry in decision.entries:
        out.append(_HEAD[lang].format(n=entry.precinct_id))
        if entry.centre:
            out.append(f"{_CENTRE[lang]}: {centre_text(entry.centre, places, lang)}")
        clauses, here = [], None
        for rule in entry.rules:
            text = rule_text(rule, places, lang, words_every=words_every, counter=counter)
            if rule.kind != "settlement" and rule.settlement != here:
                text = f"{places.settlement_name(rule.settlement or '', lang)}: {text}"
            here = rule.settlement
            clauses.append(text)
        out.append(f"{_BOUNDS[lang]}: {'; '.join(clauses)}.")
        out.append("")
    return "\n".join(out)
