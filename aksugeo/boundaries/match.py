"""A decision applied to a registry: the precinct of every household, and the conflicts.

Every household comes out with a ``status``: ``one`` (one precinct's rules take it), ``twice``
(two precincts' do), ``none`` (no rule does), ``unread`` (its address has no street or house a
decision can name). Each conflict is a :class:`~aksugeo.boundaries.decision.Problem` printed as
``decision:precinct N:rule k: ...``; its ``kind`` is one of :data:`KINDS`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from aksugeo.boundaries.decision import Decision, Problem, Rule
from aksugeo.boundaries.houses import House
from aksugeo.boundaries.places import Address, Places
from aksugeo.geocode.address import skeleton, strip_settlement_type
from aksugeo.geocode.gazetteer import strip_type

# what a check reports, in the order it reports it
KINDS = {
    "unparsed": "a fragment of the text that is not a rule",
    "unknown_precinct": "a precinct the decision lists that the precinct list has not",
    "missing_precinct": "a precinct of the list the decision does not list",
    "repeated_precinct": "a precinct listed twice",
    "unknown_settlement": "a settlement no address and no map knows",
    "unknown_street": "a street no address and no map of its settlement knows",
    "no_address": "a rule that takes no address of the registry",
    "old_name": "a street named by its name before a renaming (found; a note)",
    "claimed_twice": "an address two precincts take",
    "unclaimed": "an address no precinct takes",
    "address_unread": "a registry address with no street or house a decision can name",
    "registry_differs": "a household whose registry precinct is not the decision's",
}
NOTES = frozenset({"old_name"})  # reported, but not conflicts


@dataclass
class Applied:
    """What a decision says of each household.

    Attributes
    ----------
    assignment : pandas.DataFrame
        One row per household, in the registry's order: ``household_id``, ``precinct_id``
        (the decision's; missing unless ``status`` is ``one``), ``claims`` (every precinct
        whose rules take it, ``560;561``), ``rules`` (``560:3``, ...), ``status``.
    problems : list of Problem
        The conflicts and notes, in the order of :data:`KINDS`, then precinct and rule.
    """

    assignment: pd.DataFrame
    problems: list[Problem]

    @property
    def conflicts(self) -> list[Problem]:
        """Return the problems that are conflicts (not notes)."""
        return [p for p in self.problems if p.kind not in NOTES]

    def table(self, source: str = "decision") -> pd.DataFrame:
        """Return the problems as a table, a row each.

        Columns: kind, precinct_id, rule, text, household_id, and the message as
        :meth:`Problem.line` writes it for ``source`` (the decision file's name).
        """
        return pd.DataFrame({
            "kind": [p.kind for p in self.problems],
            "precinct_id": pd.array([p.precinct_id for p in self.problems], dtype="Int64"),
            "rule": pd.array([p.k for p in self.problems], dtype="Int64"),
            "text": [p.text for p in self.problems],
            "household_id": [p.household_id for p in self.problems],
            "message": [p.line(source) for p in self.problems]})


def _centre_settlement(centre: str, places: Places) -> str | None:
    """Return the settlement a precinct's centre is in (named in its address), if one is."""
    key = f" {skeleton(centre)} "
    found = [s for k, s in places.settlements.items() if k and f" {k} " in key]
    by_length = sorted(set(found), key=lambda s: -len(strip_settlement_type(s)))
    return by_length[0] if by_length else None


@dataclass
class _Registry:
    """A registry's addresses read once: by street or microdistrict, and by settlement."""

    read: list[Address]
    by_area: dict[tuple[str, str], list[tuple[House, int]]]
    by_town: dict[str, list[int]]

    @classmethod
    def of(cls, households: pd.DataFrame, places: Places) -> _Registry:
        read = [places.address(a, s) for a, s in zip(households["address"].astype(str),
                                                      households["settlement"].astype(str),
                                                      strict=True)]
        by_area: dict[tuple[str, str], list[tuple[House, int]]] = defaultdict(list)
        by_town: dict[str, list[int]] = defaultdict(list)
        for i, a in enumerate(read):
            by_town[a.settlement].append(i)
            if a.area is not None and a.house is not None:
                by_area[(a.settlement, a.area)].append((a.house, i))
        return cls(read, by_area, by_town)


def apply_decision(decision: Decision, households: pd.DataFrame, places: Places, *,
                   precinct_ids: list[int] | None = None) -> Applied:
    """Apply a decision to a registry's households.

    Parameters
    ----------
    decision : Decision
        Read by :func:`~aksugeo.boundaries.decision.parse_decision` or written by
        :func:`~aksugeo.boundaries.describe.describe`.
    households : pandas.DataFrame
        ``household_id``, ``address``, ``settlement``, and ``precinct_id`` when the registry's
        own precincts are to be compared.
    places : Places
        The names the decision's may stand for.
    precinct_ids : list of int, optional
        The precinct list, to find precincts the decision lists and it has not (and back).

    Returns
    -------
    Applied
        Each household's precinct by the decision, and the conflicts.
    """
    registry = _Registry.of(households, places)
    claims: list[list[tuple[int, int]]] = [[] for _ in registry.read]
    problems: list[Problem] = list(decision.problems)
    seen: set[int] = set()
    for entry in decision.entries:
        p = entry.precinct_id
        if p in seen:
            problems.append(Problem(p, None, "", "the precinct is listed twice",
                                    "repeated_precinct"))
        seen.add(p)
        home = _centre_settlement(entry.centre, places)
        for rule in entry.rules:
            rows = _rows(rule, p, home, places, registry, problems, decision.lang)
            if rows is not None and not rows:
                problems.append(Problem(p, rule.k, rule.text, "takes no address of the registry",
                                        "no_address"))
            for i in rows or []:
                claims[i].append((p, rule.k))
    if precinct_ids is not None:
        listed = set(precinct_ids)
        problems += [Problem(p, None, "", "not in the precinct list", "unknown_precinct")
                     for p in sorted(seen - listed)]
        problems += [Problem(p, None, "", "the decision does not list this precinct",
                             "missing_precinct") for p in sorted(listed - seen)]
    assignment = _assignment(households, registry.read, claims, problems)
    order = list(KINDS)
    problems.sort(key=lambda q: (order.index(q.kind), q.precinct_id or 0, q.k or 0))
    return Applied(assignment, problems)


def _assignment(households: pd.DataFrame, read: list[Address],
                claims: list[list[tuple[int, int]]], problems: list[Problem]) -> pd.DataFrame:
    """Each household's precinct and status; the households' conflicts added to ``problems``."""
    ids = households["household_id"].astype(str).tolist()
    texts = households["address"].astype(str).tolist()
    registry = (households["precinct_id"].tolist() if "precinct_id" in households
                else [None] * len(ids))
    rows = []
    for hid, text, a, c, own in zip(ids, texts, read, claims, registry, strict=True):
        precincts = list(dict.fromkeys(p for p, _ in c))
        status = "one" if len(precincts) == 1 else "twice" if precincts else \
            "none" if a.area is not None else "unread"
        if status == "unread":
            problems.append(Problem(None, None, text, f"household {hid}: {a.why}; in no "
                                    "precinct", "address_unread", hid))
        elif status == "none":
            problems.append(Problem(None, None, text, f"household {hid}: in no precinct",
                                    "unclaimed", hid))
        elif status == "twice":
            p, k = c[0]
            others = ", ".join(f"precinct {q} (rule {r})" for q, r in c[1:] if q != p)
            problems.append(Problem(p, k, text, f"household {hid}: also in {others}",
                                    "claimed_twice", hid))
        elif own is not None and not pd.isna(own) and int(own) != precincts[0]:
            problems.append(Problem(precincts[0], c[0][1], text,
                                    f"household {hid}: precinct {int(own)} in the registry",
                                    "registry_differs", hid))
        rows.append((hid, precincts[0] if status == "one" else None,
                     ";".join(map(str, precincts)), ";".join(f"{p}:{k}" for p, k in c), status))
    out = pd.DataFrame(rows, columns=["household_id", "precinct_id", "claims", "rules", "status"])
    out["precinct_id"] = out["precinct_id"].astype("Int64")
    return out


def _area(rule: Rule, p: int, town: str, places: Places, problems: list[Problem],
          lang: str) -> str | None:
    """Return the street or microdistrict a rule names; None (with a problem) if unknown."""
    if rule.kind == "micro":
        return f"micro:{rule.micro}"
    if rule.kind == "settlement":
        return "place"
    area = places.street(town, rule.street or "")
    if area is None:
        near = places.similar(town, rule.street or "", lang)
        hint = f" (did you mean {' or '.join(repr(n) for n in near)}?)" if near else ""
        problems.append(Problem(p, rule.k, rule.text,
                                f"no street {rule.street!r} in {town}{hint}", "unknown_street"))
        return None
    renamed = places.renamed.get((town, skeleton(strip_type(rule.street or ""))))
    if renamed:
        problems.append(Problem(p, rule.k, rule.text, renamed, "old_name"))
    return area


def _rows(rule: Rule, p: int, home: str | None, places: Places, registry: _Registry,
          problems: list[Problem], lang: str = "ru") -> list[int] | None:
    """Return the households a rule takes; None (with a problem) when its names are unknown."""
    town = places.settlement(rule.settlement) if rule.settlement else home
    if rule.kind == "street" and rule.whole and places.street(town or "", rule.street or "") \
            is None and (other := places.settlement(rule.street or "")) is not None:
        return registry.by_town.get(other, [])  # a settlement written alone: "Калкаман"
    if town is None:
        why = (f"no settlement {rule.settlement!r}" if rule.settlement else
               "no settlement named, and none in the centre's address")
        problems.append(Problem(p, rule.k, rule.text, why, "unknown_settlement"))
        return None
    if rule.kind == "settlement" and rule.whole:
        return registry.by_town.get(town, [])
    area = _area(rule, p, town, places, problems, lang)
    if area is None:
        return None
    here = registry.by_area.get((town, area), [])
    if rule.whole:
        return [i for _, i in here]
    return [i for h, i in here if any(item.covers(h) for item in rule.items)]
