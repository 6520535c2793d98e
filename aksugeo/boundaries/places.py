"""The settlements, streets and microdistricts a decision names, and every name each goes by.

A decision names a street as its clerk wrote it: with or without its type word, in Russian or in
Kazakh, by a name it had before a renaming. :class:`Places` resolves each to one *area*: the
registry's own street (``street:<skeleton of its name>``) or microdistrict (``micro:<n>``) in one
settlement (as the registry writes it, ``г. Аксу``). It knows the names of the registry's
addresses; the map's gazetteer adds the names OSM gives (``name:kk``, ``old_name``,
``alt_name``), and a renames table (``street_renames.csv``) the old names a clerk still writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from aksugeo.boundaries.houses import House, house
from aksugeo.geocode.address import (
    nominative_aliases,
    parse_address,
    skeleton,
    strip_settlement_type,
)
from aksugeo.geocode.gazetteer import Gazetteer, strip_type

# a settlement's type word, from the registry's Russian to the Kazakh written after the name
SETTLEMENT_KK = {"г": "қаласы", "город": "қаласы", "с": "ауылы", "село": "ауылы",
                 "п": "кенті", "пос": "кенті", "поселок": "кенті", "посёлок": "кенті",
                 "ст": "стансасы", "станция": "стансасы", "аул": "ауылы"}
# a street's type word, Russian -> Kazakh (written after the name)
STREET_KK = {"ул": "көшесі", "улица": "көшесі", "пр": "даңғылы", "просп": "даңғылы",
             "проспект": "даңғылы", "пер": "тұйығы", "переулок": "тұйығы",
             "бул": "бульвары", "бульвар": "бульвары", "пл": "алаңы", "площадь": "алаңы",
             "тупик": "тұйығы", "шоссе": "тас жолы"}


def settlement_kind(registry: str) -> str:
    """Return the type word a registry writes a settlement with (``г``, ``с``, ``ст``, or "")."""
    name = strip_settlement_type(registry)
    return registry[: len(registry) - len(name)].strip().rstrip(".").lower()


def _kk_settlement(registry: str, name: str) -> str:
    """Return a settlement as Kazakh writes it: its name, then its type (``Ақсу қаласы``)."""
    return f"{name} {SETTLEMENT_KK.get(settlement_kind(registry), 'ауылы')}"


@dataclass(frozen=True)
class Address:
    """A registry address read for a decision: where it is, and its house.

    ``area`` is None (with ``why``) when the address cannot be placed in a decision's terms.
    """

    settlement: str
    area: str | None
    house: House | None
    why: str = ""


@dataclass
class Places:
    """What a decision's names resolve to.

    Attributes
    ----------
    settlements : dict
        Skeleton of any name of a settlement -> the settlement as the registry writes it.
    names : dict
        Settlement -> ``{"ru": ..., "kk": ...}``: how a decision writes it.
    areas : dict
        (settlement, skeleton of any name of a street) -> its area (``street:<key>``).
    area_names : dict
        (settlement, area) -> ``{"ru": "ул. Полевая", "kk": "Егістік көшесі"}``.
    renamed : dict
        (settlement, skeleton of an old name) -> the rename in words.
    """

    settlements: dict[str, str] = field(default_factory=dict)
    names: dict[str, dict[str, str]] = field(default_factory=dict)
    areas: dict[tuple[str, str], str] = field(default_factory=dict)
    area_names: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    renamed: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def of(cls, households: pd.DataFrame, gazetteer: Gazetteer | None = None,
           renames: pd.DataFrame | None = None) -> Places:
        """Gather the names of a registry's addresses, a map's and a renames table's.

        Parameters
        ----------
        households : pandas.DataFrame
            ``address`` and ``settlement`` (as the registry writes them).
        gazetteer : Gazetteer, optional
            The map's names: Kazakh and old names of the same streets, and streets with no
            household yet.
        renames : pandas.DataFrame, optional
            ``settlement``, ``old_name``, ``new_name`` (:data:`aksugeo.data.schema.STREET_RENAMES`).
        """
        places = cls()
        for s in pd.unique(households["settlement"].astype(str)):
            places._settlement(s)
        for text, s in zip(households["address"].astype(str),
                           households["settlement"].astype(str), strict=True):
            p = parse_address(text, [strip_settlement_type(s)])
            if p.street and not p.micro and (s, f"street:{skeleton(p.street)}") not in \
                    places.area_names:
                written = next((part.strip() for part in text.split(",")
                                if skeleton(p.street) in skeleton(part)), p.street)
                places._street(s, p.street, {"ru": written})
        if gazetteer is not None:
            places._add_map(gazetteer)
        if renames is not None:
            places._add_renames(renames)
        return places

    def _settlement(self, registry: str) -> None:
        name = strip_settlement_type(registry)
        self.settlements.setdefault(skeleton(name), registry)
        self.names.setdefault(registry, {"ru": registry, "kk": _kk_settlement(registry, name)})

    def _street(self, settlement: str, name: str, written: dict[str, str]) -> str:
        """Add a street by its name (without type); return its area."""
        area = self.areas.get((settlement, skeleton(name))) or f"street:{skeleton(name)}"
        for n in nominative_aliases(strip_type(name)):
            if skeleton(n):
                self.areas.setdefault((settlement, skeleton(n)), area)
        names = self.area_names.setdefault((settlement, area), {})
        for lang, text in written.items():
            names.setdefault(lang, text)
        if "kk" not in names:
            ru = names.get("ru", name)
            kind = ru.split()[0].rstrip(".").lower() if ru.split() else ""
            if kind in STREET_KK:
                names["kk"] = f"{strip_type(ru)} {STREET_KK[kind]}"
        return area

    def add_street(self, settlement: str, name: str, kk: str = "",
                   aliases: Iterable[str] = ()) -> str | None:
        """Add a street a map knows: its Russian name (with its type), Kazakh name, other names.

        Returns its area, the registry's own street when any of its names is one the registry
        writes; None when the settlement is not the registry's.
        """
        if settlement not in self.names:
            return None
        keys = {skeleton(n) for a in (name, kk, *aliases) if a
                for n in nominative_aliases(strip_type(a))} - {""}
        area = next((self.areas[(settlement, k)] for k in sorted(keys)
                     if (settlement, k) in self.areas), None) or \
            f"street:{skeleton(strip_type(name))}"
        for k in keys:
            self.areas.setdefault((settlement, k), area)
        names = self.area_names.setdefault((settlement, area), {})
        names.setdefault("ru", name)
        if kk:
            names["kk"] = kk
        return self._street(settlement, strip_type(name), {})

    def add_settlement(self, settlement: str, kk: str, aliases: Iterable[str] = ()) -> None:
        """Add a registry settlement's Kazakh name (``Ақсу``) and other names it goes by."""
        if settlement not in self.names:
            return
        for alias in (kk, *aliases):
            if alias and skeleton(alias):
                self.settlements.setdefault(skeleton(alias), settlement)
        if kk:
            self.names[settlement]["kk"] = _kk_settlement(settlement, kk)

    def _add_map(self, gaz: Gazetteer) -> None:
        """Add the map's names of the registry's settlements and streets (and its other streets)."""
        for name, rows in gaz.settlements.groupby("settlement", sort=False):
            registry = self.settlements.get(skeleton(str(name)))
            if registry is not None:
                self.settlements.update({str(k): registry for k in rows["key"]})
                kk = rows["name_kk"].iloc[0] if "name_kk" in rows else ""
                self.add_settlement(registry, str(kk) if isinstance(kk, str) else "")
        by_street = gaz.aliases.groupby("street_id")["alias"].apply(list).to_dict()
        for row in gaz.streets.itertuples(index=False):
            registry = self.settlements.get(skeleton(str(row.settlement)))
            if registry is None:
                continue
            area = self.add_street(registry, str(row.name), str(getattr(row, "name_kk", "") or ""))
            for k in by_street.get(row.street_id, []):  # its other names, as skeletons
                self.areas.setdefault((registry, str(k)), str(area))

    def _add_renames(self, renames: pd.DataFrame) -> None:
        """Make each old name of a renames table find the street that has the new one."""
        for r in renames.itertuples(index=False):
            where = getattr(r, "settlement", None)
            towns = list(self.names) if not isinstance(where, str) or not where.strip() else \
                [s for s in [self.settlement(where)] if s is not None]
            for s in towns:
                area = self.street(s, str(r.new_name))
                if area is None:
                    continue
                day = getattr(r, "renamed_on", None)
                words = f"old name {str(r.old_name)!r}, now {str(r.new_name)!r}" + (
                    f" (renamed {str(day)[:10]})" if isinstance(day, str) and day else "")
                for n in nominative_aliases(strip_type(str(r.old_name))):
                    if skeleton(n) and (s, skeleton(n)) not in self.areas:
                        self.areas[(s, skeleton(n))] = area
                        self.renamed[(s, skeleton(n))] = words

    def settlement(self, written: str) -> str | None:
        """Return the settlement a name stands for (``Калкаман ауылы`` -> ``с. Калкаман``)."""
        name = strip_settlement_type(written.strip())
        for word in set(SETTLEMENT_KK.values()):
            if name.lower().endswith(" " + word):
                name = name[: -len(word) - 1]
        return self.settlements.get(skeleton(name))

    def street(self, settlement: str, written: str) -> str | None:
        """Return the area of a street written in ``settlement`` (any of its names), or None."""
        return self.areas.get((settlement, skeleton(strip_type(written))))

    def similar(self, settlement: str, written: str, lang: str = "ru", *,
                score: float = 80.0) -> list[str]:
        """Return the names of the settlement's streets closest to a name not found (a typo)."""
        from rapidfuzz import fuzz, process  # noqa: PLC0415

        key = skeleton(strip_type(written))
        mine = {k: area for (s, k), area in self.areas.items() if s == settlement}
        hits = process.extract(key, list(mine), scorer=fuzz.ratio, limit=3, score_cutoff=score)
        return list(dict.fromkeys(self.name(settlement, mine[k], lang) for k, _, _ in hits))

    def settlement_name(self, settlement: str, lang: str) -> str:
        """Return how a decision in ``lang`` writes a settlement (``Ақсу қаласы``)."""
        return self.names.get(settlement, {}).get(lang, settlement)

    def name(self, settlement: str, area: str, lang: str) -> str:
        """Return how a decision in ``lang`` writes an area (``ул. Полевая``, ``мкр 5``)."""
        if area == "place":  # the houses of a settlement without streets
            return self.settlement_name(settlement, lang)
        if area.startswith("micro:"):
            n = area.split(":", 1)[1]
            return f"{n} шағын аудан" if lang == "kk" else f"мкр {n}"
        names = self.area_names.get((settlement, area), {})
        return names.get(lang) or names.get("ru") or area.split(":", 1)[1]

    def address(self, text: str, settlement: str) -> Address:
        """Read a registry address into its settlement, area and house."""
        p = parse_address(text, [strip_settlement_type(settlement)])
        h = house(p.house)
        if h is None:
            return Address(settlement, None, None, "no house number")
        if p.micro:
            return Address(settlement, f"micro:{int(p.micro)}", h)
        if not p.street:  # a hamlet numbers its houses without streets
            return Address(settlement, "place", h)
        area = self.street(settlement, p.street)
        return Address(settlement, area, h, "" if area else f"street {p.street!r} unknown")
