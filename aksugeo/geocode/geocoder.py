"""Geocoding, offline first: addresses to points against a gazetteer, never guessing.

Each address goes through, in order: a clerk's manual override; the exact address; the street
found by a fuzzy match of its name (rapidfuzz) with the exact house; interpolation between
the known house numbers on the same side of the street; the street's midpoint; the
settlement's centre. Every result carries its ``method``, a ``confidence`` in [0, 1], the
``matched_address``, a ``status`` (``matched``, ``approximate``, ``ambiguous``,
``unmatched``) and a ``reason``. When two streets fit about equally, the answer is
``ambiguous``, with no point, rather than a guess.

An address without a settlement is looked for in the *default settlement* (the one with the
most known addresses, unless given): a commission's list leaves its own town unsaid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler

from aksugeo._errors import AksugeoError
from aksugeo.data.io import load_dataset, read_renames, read_table, renames_in, write_csv
from aksugeo.geocode.address import ParsedAddress, parse_address, skeleton
from aksugeo.geocode.gazetteer import (
    GAZETTEER_SOURCES,
    Gazetteer,
    build_gazetteer,
    house_number,
    numbers_of,
    strip_type,
)
from aksugeo.geocode.online import OnlineGeocoder

MATCHED, APPROXIMATE, AMBIGUOUS, UNMATCHED = "matched", "approximate", "ambiguous", "unmatched"
OUTPUT_COLUMNS = ("lon", "lat", "method", "confidence", "status", "matched_address", "reason",
                  "bound_m")
# How far the true point may lie from an answer, metres: the building's own size for a house
# found or counted, more where the count may be off by one; what the answer cannot narrow
# (a street's length, a settlement's extent, the settlements it may be in) is added per row.
BOUNDS_M = {"exact": 30.0, "lot": 100.0, "in_order": 40.0, "beyond": 60.0, "override": 30.0,
            "online": 250.0}
FUZZY_MIN = 78.0  # rapidfuzz ratio a street name must reach (one swapped pair in 7 letters)
AMBIGUOUS_GAP = 4.0  # two streets this close in score: ambiguous
INFERRED_SETTLEMENT = 0.85  # confidence factor when the settlement was not written


@dataclass(frozen=True)
class Match:
    """One address's answer, in the gazetteer's metric CRS (``x``, ``y`` NaN without a point).

    ``bound_m``: how far the true point may lie from the answer, metres (see :data:`BOUNDS_M`).
    """

    x: float
    y: float
    method: str
    confidence: float
    status: str
    matched_address: str
    reason: str
    bound_m: float = np.nan  # the true point lies within it for at least 90% of such rows


@dataclass(frozen=True)
class _Known:
    """The known houses of one street (or microdistrict, or place), by number."""

    number: np.ndarray  # int, ascending
    xy: np.ndarray  # (n, 2), metric
    sides: tuple[np.ndarray, np.ndarray] = (np.empty(0, int), np.empty(0, int))  # even, odd rows

    @classmethod
    def of(cls, number: np.ndarray, xy: np.ndarray) -> _Known:
        """Return the houses (sorted by number) with the rows of each side, even and odd."""
        return cls(number, xy, (np.flatnonzero(number % 2 == 0), np.flatnonzero(number % 2 == 1)))

    def around(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Return the rows of the houses on ``n``'s side below it and above it, by number."""
        rows = self.sides[n % 2]
        numbers = self.number[rows]
        return (rows[:np.searchsorted(numbers, n, "left")],
                rows[np.searchsorted(numbers, n, "right"):])

    def house(self, i: int) -> tuple[int, float, float]:
        """Return house ``i``'s number and point."""
        return int(self.number[i]), float(self.xy[i, 0]), float(self.xy[i, 1])


@dataclass(frozen=True)
class _Along:
    """Buildings beside a street: points, place along the line (m) and side (-1, 0, 1)."""

    xy: np.ndarray
    t: np.ndarray
    side: np.ndarray


def _linear(a: tuple[int, float, float], b: tuple[int, float, float], n: int, *,
            between: bool) -> tuple[float, float, float, float]:
    """Place number ``n`` on the line through known houses ``a`` and ``b`` (number, x, y).

    Returns the point, a confidence and a distance bound (twice the room a number has).
    """
    (na, xa, ya), (nb, xb, yb) = a, b
    f = (n - na) / (nb - na)
    x = xa + f * (xb - xa)
    y = ya + f * (yb - ya)
    # how far a house can stray: the room per number between the neighbours, and beyond
    per_number = float(np.hypot(xb - xa, yb - ya)) / (abs(nb - na) / 2)
    slack = per_number * (1.0 if between else 1.0 + abs(f))
    conf = 0.8 if slack <= 30 else 0.6 if slack <= 60 else 0.4
    return x, y, conf if between else conf - 0.1, max(BOUNDS_M["exact"], 2 * slack)


def _side(line: object, xy: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Which side of ``line`` each point stands (-1, 0, 1), by the street's local direction."""
    length = shapely.length(line)
    a = shapely.get_coordinates(shapely.line_interpolate_point(line, np.clip(t - 2, 0, length)))
    b = shapely.get_coordinates(shapely.line_interpolate_point(line, np.clip(t + 2, 0, length)))
    cross = (b[:, 0] - a[:, 0]) * (xy[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (xy[:, 0] - a[:, 0])
    return np.sign(cross)


def _none(status: str, reason: str, method: str = "none") -> Match:
    return Match(np.nan, np.nan, method, 0.0, status, "", reason)


def override_key(address: str) -> str:
    """Return the form an address is looked up by in overrides (case, ё, spacing ignored)."""
    return " ".join(re.sub(r"[^\w/]+", " ", address.lower().replace("ё", "е")).split())


class Geocoder:
    """Match addresses against a :class:`~aksugeo.geocode.gazetteer.Gazetteer`.

    Parameters
    ----------
    gazetteer : Gazetteer
        What to match against.
    default_settlement : str, optional
        Where an address without a settlement lies; the settlement with the most known
        addresses by default.
    overrides : pandas.DataFrame, optional
        ``address`` and ``lon``, ``lat`` (WGS84): answers a clerk fixed by hand, applied first.
    online : OnlineGeocoder, optional
        Asked, last, about what stays unmatched, ambiguous or at a settlement's centre.
    """

    def __init__(self, gazetteer: Gazetteer, *, default_settlement: str | None = None,
                 overrides: pd.DataFrame | None = None,
                 online: OnlineGeocoder | None = None) -> None:
        self.gaz = gazetteer
        self.online = online
        self.to_metric = Transformer.from_crs("EPSG:4326", gazetteer.crs, always_xy=True)
        self.to_wgs84 = Transformer.from_crs(gazetteer.crs, "EPSG:4326", always_xy=True)
        to_metric = Transformer.from_crs("EPSG:4326", gazetteer.crs, always_xy=True)
        s = gazetteer.settlements
        self.names = s["settlement"].unique().tolist()
        self.settlement_keys = dict(zip(s["key"], s["settlement"], strict=True))
        self.settlement_xy: dict[str, tuple[float, float]] = {
            str(n): (float(x), float(y)) for n, x, y in s.drop_duplicates("settlement")[
                ["settlement", "x", "y"]].itertuples(index=False, name=None)}
        counts = gazetteer.addresses["settlement"].value_counts()
        chosen = (gazetteer.settlement_of(default_settlement) if default_settlement
                  else (str(counts.index[0]) if len(counts) else self.names[0]))
        if chosen is None:
            raise AksugeoError(f"default settlement {default_settlement!r} is not in the "
                               f"gazetteer (it has: {', '.join(self.names[:10])})")
        self.default: str = chosen
        addrs = numbers_of(gazetteer.addresses)
        self.exact: dict[tuple[str, str, str], tuple[float, float]] = {
            (str(s_), str(a_), str(h_)): (float(x_), float(y_)) for s_, a_, h_, x_, y_ in zip(
                addrs["settlement"], addrs["area"], addrs["house"], addrs["x"], addrs["y"],
                strict=True)}
        # sorted by number once; each street's (or microdistrict's) rows keep that order
        ordered = addrs.sort_values("number", kind="stable")
        numbers = ordered["number"].to_numpy(dtype=np.int64)
        points = ordered[["x", "y"]].to_numpy(dtype=float)
        groups: dict[tuple[str, str], np.ndarray] = ordered.groupby(
            ["settlement", "area"], sort=False).indices  # type: ignore[assignment]
        self.areas: dict[tuple[str, str], _Known] = {
            (str(place), str(area)): _Known.of(numbers[rows], points[rows])
            for (place, area), rows in groups.items()}
        # a street's answer in a settlement, once per name (a list names a street many times)
        self._streets: dict[tuple[str, str], tuple[int | None, float, str]] = {}
        self._located: dict[tuple[str | None, ...], Match] = {}
        self._alongs: dict[int, _Along | None] = {}
        self._placed_known: dict[tuple[str, str], _Along | None] = {}
        self.aliases: dict[str, tuple[list[str], list[int]]] = {}
        for settlement, g in gazetteer.aliases.groupby("settlement"):
            self.aliases[str(settlement)] = (g["alias"].tolist(), g["street_id"].astype(int)
                                             .tolist())
        st = gazetteer.streets.set_index("street_id")
        self.street_name = st["name"].to_dict()
        self.street_geom = st.geometry.to_dict()
        # how far each settlement reaches from its centre: its streets and known houses
        self.settlement_reach: dict[str, float] = dict.fromkeys(self.settlement_xy, 0.0)
        for name_, g in gazetteer.streets.groupby("settlement"):
            lines = g.geometry[~(g.geometry.isna() | g.geometry.is_empty)].to_numpy()
            if str(name_) in self.settlement_xy and len(lines):
                centre = shapely.Point(self.settlement_xy[str(name_)])
                self.settlement_reach[str(name_)] = float(
                    shapely.hausdorff_distance(centre, lines).max())
        for name_, g in addrs.groupby("settlement"):
            if str(name_) in self.settlement_xy:
                cx, cy = self.settlement_xy[str(name_)]
                far = float(np.hypot(g["x"].to_numpy(float) - cx,
                                     g["y"].to_numpy(float) - cy).max())
                self.settlement_reach[str(name_)] = max(self.settlement_reach[str(name_)], far)
        # how complete each settlement's map is: the share of its buildings with a number
        numbered = addrs["settlement"].value_counts()
        bare = (gazetteer.buildings["street_id"].map(st["settlement"]).value_counts()
                if len(gazetteer.buildings) else pd.Series(dtype=int))
        self.completeness: dict[str, float] = {
            s_: float(numbered.get(s_, 0) / max(numbered.get(s_, 0) + bare.get(s_, 0), 1))
            for s_ in self.settlement_xy}
        bare_xy = gazetteer.buildings[["x", "y"]].to_numpy(dtype=float)
        self.unnumbered = {int(str(sid)): bare_xy[rows] for sid, rows in
                           gazetteer.buildings.groupby("street_id").indices.items()}
        self.overrides: dict[str, tuple[float, float]] = {}
        if overrides is not None and len(overrides):
            xs, ys = to_metric.transform(overrides["lon"].to_numpy(float),
                                         overrides["lat"].to_numpy(float))
            self.overrides = {override_key(str(a)): (float(x), float(y))
                              for a, x, y in zip(overrides["address"], xs, ys, strict=True)}

    # -- the steps ---------------------------------------------------------------------------
    def _settlement(self, written: str | None) -> tuple[str | None, float, str]:
        if not written:
            return self.default, INFERRED_SETTLEMENT, f"no settlement written: {self.default}"
        key = skeleton(written)
        if key in self.settlement_keys:
            return self.settlement_keys[key], 1.0, ""
        best = process.extractOne(key, list(self.settlement_keys), scorer=fuzz.ratio)
        if best is not None and best[1] >= FUZZY_MIN - 5:
            return self.settlement_keys[best[0]], 0.95, f"settlement {written!r} read as typo"
        return None, 0.0, f"unknown settlement {written!r}"

    def _street(self, settlement: str, street: str) -> tuple[int | None, float, str]:
        """Return the street id, its name score (100 exact), and why not when None."""
        key = (settlement, street)
        if key not in self._streets:
            self._streets[key] = self._find_street(settlement, street)
        return self._streets[key]

    def _find_street(self, settlement: str, street: str) -> tuple[int | None, float, str]:
        aliases, ids = self.aliases.get(settlement, ([], []))
        key = skeleton(strip_type(street))
        if not key or not aliases:
            return None, 0.0, f"no street {street!r} in {settlement}"
        exact = {ids[i] for i, a in enumerate(aliases) if a == key}
        if len(exact) == 1:
            return exact.pop(), 100.0, ""
        if len(exact) > 1:
            return None, -1.0, f"several streets called {street!r} in {settlement}"
        scored: dict[int, float] = {}
        for _, score, i in process.extract(key, aliases, scorer=fuzz.ratio, limit=8):
            scored[ids[i]] = max(scored.get(ids[i], 0.0), float(score))
        # Jaro-Winkler in rapidfuzz's own code, scaled as _jaro_winkler scales it
        for _, similarity, i in process.extract(key, aliases, limit=8,
                                                scorer=JaroWinkler.normalized_similarity):
            score = max(0.0, 100.0 * float(similarity) - 6.0)
            scored[ids[i]] = max(scored.get(ids[i], 0.0), score)
        ranked = sorted(scored.items(), key=lambda kv: -kv[1])
        if not ranked or ranked[0][1] < FUZZY_MIN:
            return None, 0.0, f"no street like {street!r} in {settlement}"
        if len(ranked) > 1 and ranked[1][1] >= ranked[0][1] - AMBIGUOUS_GAP:
            names = " / ".join(self.street_name[s] for s, _ in ranked[:2])
            return None, -1.0, f"{street!r} fits {names} alike"
        return ranked[0][0], ranked[0][1], ""

    def _interpolate(self, settlement: str, area: str, house: str,
                     ) -> tuple[float, float, float, float] | None:
        known = self.areas.get((settlement, area))
        n, suffix = house_number(house)
        if known is None or n < 0 or not area.startswith("street:"):
            return None  # a microdistrict's numbers do not run along a line
        if suffix and (settlement, area, str(n)) in self.exact:  # 12а: a lot split off 12
            x, y = self.exact[(settlement, area, str(n))]
            return x, y, 0.8, BOUNDS_M["lot"]
        lo, hi = known.around(n)
        if not len(lo) and not len(hi):
            return None  # nothing known on that side of the street
        sid = int(area.split(":")[1])
        along = self._along(sid)
        placed = self._placed(settlement, area, sid)
        if len(lo) and len(hi):
            i, j = int(lo[-1]), int(hi[0])
            hit = (self._in_order(along, known, placed, i, j, n)
                   if along is not None and placed is not None else None)
            return hit or _linear(known.house(i), known.house(j), n, between=True)
        # beyond the last known number: counted outward from it
        rows, end = (lo, len(lo) - 1) if len(lo) else (hi, 0)
        hit = (self._beyond(along, known, placed, rows, end, n)
               if along is not None and placed is not None else None)
        near = lo[-2:] if len(lo) >= 2 else hi[:2]
        if hit or len(near) < 2 or known.number[near[0]] == known.number[near[1]]:
            return hit
        return _linear(known.house(int(near[0])), known.house(int(near[1])), n, between=False)

    def _along(self, sid: int) -> _Along | None:
        """Return a street's unnumbered buildings, and each one's place and side on it.

        Once per street: a list places many houses on it.
        """
        if sid not in self._alongs:
            line, cands = self.street_geom.get(sid), self.unnumbered.get(sid)
            if line is None or cands is None or line.is_empty:
                self._alongs[sid] = None
            else:
                t = shapely.line_locate_point(line, shapely.points(cands))
                self._alongs[sid] = _Along(cands, t, _side(line, cands, t))
        return self._alongs[sid]

    def _placed(self, settlement: str, area: str, sid: int) -> _Along | None:
        """Return the known houses of a street, and each one's place and side on it (once)."""
        key = (settlement, area)
        if key not in self._placed_known:
            line, known = self.street_geom.get(sid), self.areas.get(key)
            if line is None or known is None or line.is_empty:
                self._placed_known[key] = None
            else:
                t = shapely.line_locate_point(line, shapely.points(known.xy))
                self._placed_known[key] = _Along(known.xy, t, _side(line, known.xy, t))
        return self._placed_known[key]

    @staticmethod
    def _in_order(along: _Along, known: _Known, placed: _Along, i: int, j: int, n: int,
                  ) -> tuple[float, float, float, float] | None:
        """Return the unnumbered building in ``n``'s place between known houses ``i``, ``j``.

        When exactly as many unnumbered buildings stand between the two, on their side of the
        street, as numbers are missing between them, the k-th of them is number k.
        """
        t_ends, end_side = placed.t[[i, j]], placed.side[[i, j]]
        if end_side[0] != end_side[1] or end_side[0] == 0:
            return None
        lo_t, hi_t = sorted(t_ends)
        inside = (along.t > lo_t) & (along.t < hi_t) & (along.side == end_side[0])
        na, nb = int(known.number[i]), int(known.number[j])
        missing = (nb - na) // 2 - 1
        if inside.sum() != missing or missing <= 0:
            return None
        order = np.argsort(along.t[inside] if t_ends[0] < t_ends[1] else -along.t[inside])
        k = (n - na) // 2 - 1
        x, y = along.xy[inside][order[k]]
        return float(x), float(y), 0.85, BOUNDS_M["in_order"]

    @staticmethod
    def _beyond(along: _Along, known: _Known, placed: _Along, rows: np.ndarray, end: int,
                n: int) -> tuple[float, float, float, float] | None:
        """Return the building ``n`` is, counting unnumbered ones outward from the last known.

        ``rows`` are the known houses on ``n``'s side, ``rows[end]`` the last one. Its number
        plus ``2k`` is the k-th unnumbered building past it, on its side, going away from the
        other known numbers.
        """
        if len(rows) < 2:
            return None
        t_known, sides = placed.t[rows], placed.side[rows]
        t_end = float(t_known[end])
        outward = 1.0 if t_end >= float(np.median(t_known)) else -1.0
        if len(set(sides.tolist())) != 1:
            return None
        ahead = (outward * (along.t - t_end) > 0) & (along.side == sides[0])
        k = abs(n - int(known.number[rows[end]])) // 2
        if k < 1 or ahead.sum() < k:
            return None
        order = np.argsort(outward * (along.t[ahead] - t_end))
        x, y = along.xy[ahead][order[k - 1]]
        return float(x), float(y), 0.75, BOUNDS_M["beyond"]

    def _area_centre(self, settlement: str, area: str) -> tuple[float, float, float] | None:
        """Return the middle of a street (or a microdistrict's houses), and its reach in m."""
        if area.startswith("street:"):
            geom = self.street_geom.get(int(area.split(":")[1]))
            if geom is not None and not geom.is_empty:
                pt = geom.interpolate(0.5, normalized=True)
                return pt.x, pt.y, float(shapely.hausdorff_distance(pt, geom))
        known = self.areas.get((settlement, area))
        if known is not None and len(known.number):
            x, y = float(known.xy[:, 0].mean()), float(known.xy[:, 1].mean())
            return x, y, float(np.hypot(known.xy[:, 0] - x, known.xy[:, 1] - y).max())
        return None

    def _in_area(self, p: ParsedAddress, settlement: str, area: str, label: str,
                 factor: float, method: str, note: str) -> Match:
        if p.house is not None and (settlement, area, p.house) in self.exact:
            x, y = self.exact[(settlement, area, p.house)]
            return Match(x, y, method, round(factor, 3), MATCHED,
                         f"{settlement}, {label}, д. {p.house}", note, BOUNDS_M["exact"])
        if p.house is not None and (hit := self._interpolate(settlement, area, p.house)):
            x, y, conf, bound = hit
            conf *= factor * (1.0 if method == "exact" else 0.95)
            why = "house not known: placed between its neighbours' numbers"
            return Match(x, y, "interpolation", round(conf, 3),
                         MATCHED if conf >= 0.7 else APPROXIMATE,
                         f"{settlement}, {label}, д. {p.house}",
                         "; ".join(filter(None, [note, why])), bound)
        if (centre := self._area_centre(settlement, area)) is not None:
            why = "no house number" if p.house is None else f"house {p.house} not known"
            return Match(centre[0], centre[1], "street_midpoint", round(0.3 * factor, 3),
                         APPROXIMATE, f"{settlement}, {label}",
                         "; ".join(filter(None, [note, why])), centre[2] + BOUNDS_M["exact"])
        return self._centre(settlement, f"nothing known of {label}", factor)

    def _centre(self, settlement: str, reason: str, factor: float) -> Match:
        x, y = self.settlement_xy[settlement]
        return Match(x, y, "settlement_centroid", round(0.1 * factor, 3),
                     APPROXIMATE, settlement, reason,
                     self.settlement_reach[settlement] + BOUNDS_M["exact"])

    def _reach(self, x: float, y: float, settlements: list[str]) -> float:
        """Return how far the farthest of ``settlements`` reaches from a point, metres."""
        return max((float(np.hypot(self.settlement_xy[s][0] - x, self.settlement_xy[s][1] - y))
                    + self.settlement_reach[s] for s in settlements), default=0.0)

    def match(self, address: str) -> Match:
        """Geocode one address.

        Parameters
        ----------
        address : str
            The address as written.

        Returns
        -------
        Match
            The point (gazetteer CRS) and how it was found, or why there is none.
        """
        if not isinstance(address, str) or not address.strip():
            return _none(UNMATCHED, "empty address")
        if self.overrides and (hit := self.overrides.get(override_key(address))) is not None:
            return Match(hit[0], hit[1], "override", 1.0, MATCHED, address.strip(),
                         "fixed by hand", BOUNDS_M["override"])
        p = parse_address(address, self.names)
        # each building is located once: the flats of a block are many addresses, one answer
        key = (p.settlement, p.street, p.micro, p.house)
        if key not in self._located:
            settlement, factor, note = self._settlement(p.settlement)
            found = (self._locate(p, settlement, factor, note) if settlement is not None
                     else _none(UNMATCHED, note))
            if p.settlement is None and found.method == "settlement_centroid":
                # the town was assumed and nothing of the address found in it: it may be in
                # any settlement, and the bound says so
                found = replace(found, bound_m=max(found.bound_m, self._reach(
                    found.x, found.y, self.names)))
            self._located[key] = found
        return self._located[key]

    def _locate(self, p: ParsedAddress, settlement: str, factor: float, note: str) -> Match:
        if p.micro is not None:
            return self._in_area(p, settlement, f"micro:{p.micro}", f"мкр {p.micro}", factor,
                                 "exact", note)
        if p.street is None:
            if p.house is not None:
                return self._in_area(p, settlement, "place", settlement, factor, "exact",
                                     note)
            return self._centre(settlement, "; ".join(filter(None, [note, "no street"])),
                                factor)
        return self._on_street(p, p.street, settlement, factor, note)

    def _on_street(self, p: ParsedAddress, street: str, settlement: str, factor: float,
                   note: str) -> Match:
        sid, score, why = self._street(settlement, street)
        if sid is None and p.settlement is None:
            return self._elsewhere(p, note, why)
        if sid is None:
            if score < 0:
                return _none(AMBIGUOUS, why, "ambiguous")
            return self._centre(settlement, why, factor)
        if p.settlement is None and (elsewhere := self._also_in(settlement, street, p.house)):
            found = self._in_area(p, settlement, f"street:{sid}", self.street_name[sid],
                                  factor, "exact" if score == 100 else "fuzzy_street", note)
            # the default settlement is an assumption: with the same address elsewhere, a doubt
            return replace(found, confidence=min(found.confidence, 0.5), status=APPROXIMATE,
                           reason=f"{found.reason}; also in "
                                  f"{', '.join(s for s, _ in elsewhere[:4])}",
                           bound_m=max(found.bound_m, self._reach(
                               found.x, found.y, [s for s, _ in elsewhere])))
        method = "exact" if score == 100 else "fuzzy_street"
        if (was := self.gaz.renamed.get((settlement, skeleton(strip_type(street))))):
            note = "; ".join(filter(None, [note, was]))  # found by a renames table's old name
        if method == "fuzzy_street":
            factor *= 0.9 if score >= 92 else 0.8
            read = f"street name read as {self.street_name[sid]} ({score:.0f}%)"
            note = "; ".join(filter(None, [note, read]))
        return self._in_area(p, settlement, f"street:{sid}", self.street_name[sid], factor,
                             method, note)

    def _also_in(self, settlement: str, street: str, house: str | None,
                 ) -> list[tuple[str, int]]:
        """Return the other settlements whose map has this street too, with its id.

        Its exact name, or the house too when the name was read as a likeness: a map holds only
        part of a settlement's houses, so a house missing from it is no proof it is not there.
        """
        out = []
        for other in self.names:
            if other == settlement:
                continue
            sid, score, _ = self._street(other, street)
            if sid is not None and (score == 100 or (
                    house is not None and (other, f"street:{sid}", house) in self.exact)):
                out.append((other, sid))
        return out

    def _elsewhere(self, p: ParsedAddress, note: str, why: str) -> Match:
        """No settlement written and no such street in the default one: look everywhere."""
        hits = self._also_in(self.default, p.street or "", p.house)
        if len(hits) == 1:
            # one village's map has it, but a map holds only part of the addresses: the true
            # village's house may simply be missing from it. A hint, never a match
            settlement, sid = hits[0]
            # the other maps lack it, but each holds only its share of the houses: the less
            # complete they are, the weaker the hint
            others = [self.completeness[s_] for s_ in self.names if s_ != settlement]
            weight = float(np.mean(others)) if others else 1.0
            found = self._in_area(p, settlement, f"street:{sid}", self.street_name[sid], 0.75,
                                  "exact", f"no settlement written; only {settlement}'s map "
                                  f"has it, and the other maps hold {weight:.0%} of their "
                                  "buildings' numbers")
            # the village meant may be any: the bound reaches the farthest
            return replace(found, confidence=round(min(found.confidence, 0.5 * weight), 3),
                           status=APPROXIMATE,
                           bound_m=max(found.bound_m, self._reach(found.x, found.y,
                                                                  self.names)))
        if len(hits) > 1:
            places = ", ".join(s for s, _ in hits[:4])
            return _none(AMBIGUOUS, f"no settlement written, and {places} all have it",
                         "ambiguous")
        return self._centre(self.default, "; ".join(filter(None, [note, why])),
                            INFERRED_SETTLEMENT)

    def _ask_online(self, found: dict[object, Match]) -> None:
        """Replace, in place, the weakest offline answers by the online geocoder's."""
        assert self.online is not None  # noqa: S101  (only called with one)

        def weak(m: Match) -> bool:
            return m.status in (UNMATCHED, AMBIGUOUS) or m.method == "settlement_centroid"

        for address, m in list(found.items()):
            if not weak(m):
                continue
            try:
                hit = self.online.lookup(str(address))
            except AksugeoError as exc:  # keep the offline answers, say why
                for key, other in found.items():
                    if weak(other) and other.method != "online":
                        found[key] = replace(other, reason=f"{other.reason}; {exc}")
                return
            if hit is not None:
                x, y = self.to_metric.transform(hit[0], hit[1])
                found[address] = Match(float(x), float(y), "online", 0.6, MATCHED, hit[2],
                                       f"offline: {m.reason}; found online",
                                       BOUNDS_M["online"])

    def geocode(self, addresses: pd.Series) -> pd.DataFrame:
        """Geocode a column of addresses; each distinct address is matched once.

        Parameters
        ----------
        addresses : pandas.Series
            The addresses.

        Returns
        -------
        pandas.DataFrame
            The columns of :data:`OUTPUT_COLUMNS` (``lon``, ``lat`` in WGS84), aligned to
            ``addresses``.
        """
        unique = pd.unique(addresses.astype("string").fillna(""))
        iterator = unique
        if len(unique) > 2000:
            from tqdm import tqdm  # noqa: PLC0415

            # on a terminal only (disable=None): a log or a notebook gets no bar
            iterator = tqdm(unique, desc="geocoding", unit="address", leave=False,
                            disable=None)
        found = {a: self.match(str(a)) for a in iterator}
        if self.online is not None:
            self._ask_online(found)
        rows = [found[a] for a in addresses.astype("string").fillna("")]
        x = np.array([m.x for m in rows], dtype=float)
        y = np.array([m.y for m in rows], dtype=float)
        lon, lat = self.to_wgs84.transform(x, y)
        return pd.DataFrame({
            "lon": np.round(lon, 7), "lat": np.round(lat, 7),
            "method": [m.method for m in rows], "confidence": [m.confidence for m in rows],
            "status": [m.status for m in rows],
            "matched_address": [m.matched_address for m in rows],
            "reason": [m.reason for m in rows],
            "bound_m": [round(m.bound_m) if np.isfinite(m.bound_m) else np.nan for m in rows],
        }, index=addresses.index)


@dataclass
class GeocodeReport:
    """What :func:`geocode_file` did, for the terminal."""

    rows: int
    out: Path
    by_status: dict[str, int]
    by_method: dict[str, int]
    reasons: list[tuple[str, int]]
    notes: list[str]

    def __str__(self) -> str:
        """Return the report as lines of text."""
        lines = [f"geocoded {self.rows:,} rows -> {self.out}", *self.notes, "by status:"]
        lines += [f"  {k:<12} {v:>7,}" for k, v in self.by_status.items()]
        lines.append("by method:")
        lines += [f"  {k:<20} {v:>7,}" for k, v in self.by_method.items()]
        if self.reasons:
            lines.append("not matched or only approximate, by reason:")
            lines += [f"  {v:>6,}  {k}" for k, v in self.reasons]
        return "\n".join(lines)


def _default_osm() -> Path:
    found = sorted(Path("data/network").glob("*.osm*"))
    found = [p for p in found if p.name.endswith(GAZETTEER_SOURCES)]
    if not found:
        raise AksugeoError("no OSM file to build the gazetteer from: give one with --osm")
    return found[0]


def _overrides(path: Path, registry: gpd.GeoDataFrame | None) -> pd.DataFrame:
    table, _ = read_table(path)
    if "address" not in table:
        raise AksugeoError(f"{path}: an overrides file needs an 'address' column")
    if {"lon", "lat"} <= set(table.columns):
        lon = pd.to_numeric(table["lon"], errors="coerce")
        lat = pd.to_numeric(table["lat"], errors="coerce")
        bad = table.index[lon.isna() | lat.isna()]
        if len(bad):
            raise AksugeoError(f"{path}:line {bad[0] + 2}:lon/lat: not a number")
        return pd.DataFrame({"address": table["address"], "lon": lon, "lat": lat})
    if "household_id" in table and registry is not None:
        pts = registry.set_index("household_id").geometry.to_crs("EPSG:4326")
        missing = table.index[~table["household_id"].isin(pts.index)]
        if len(missing):
            raise AksugeoError(f"{path}:line {missing[0] + 2}:household_id: unknown household "
                               f"{table['household_id'].iloc[missing[0]]!r}")
        found = pts.loc[table["household_id"]]
        return pd.DataFrame({"address": table["address"].to_numpy(),
                             "lon": found.x.to_numpy(), "lat": found.y.to_numpy()})
    raise AksugeoError(f"{path}: an overrides file needs lon and lat columns (or household_id, "
                       "with --registry)")


def geocode_file(  # noqa: PLR0913  (the geocode command's options, all keyword-only)
        path: str | Path, out: str | Path, *, address_column: str = "address",
                 osm: str | Path | None = None, registry: str | Path | None = None,
                 overrides: str | Path | None = None, settlement: str | None = None,
                 geo_out: str | Path | None = None,
                 online: OnlineGeocoder | None = None,
                 renames: str | Path | None = None) -> GeocodeReport:
    """Geocode every row of a table and write it back with the answers.

    Parameters
    ----------
    path : str or Path
        The input table (CSV in UTF-8 or Windows-1251, comma or semicolon separated; XLSX).
    out : str or Path
        The output CSV: every input row and column, then :data:`OUTPUT_COLUMNS`.
    address_column : str
        The column holding the addresses.
    osm : str or Path, optional
        The OSM XML the gazetteer is built from (``data/network/*.osm.bz2`` by default).
    registry : str or Path, optional
        A data directory whose geocoded households also serve as known addresses.
    overrides : str or Path, optional
        Answers fixed by hand: ``address,lon,lat`` (or ``address,household_id`` with a
        registry).
    settlement : str, optional
        Where addresses without a settlement lie.
    geo_out : str or Path, optional
        Also write the rows with a point as GeoJSON (``.geojson``) or GeoPackage (``.gpkg``).
    online : OnlineGeocoder, optional
        Asked about what stays unmatched offline (off unless given).
    renames : str or Path, optional
        A renames table (settlement, old_name, new_name, renamed_on): old names are found too.
        By default ``street_renames.csv`` of the registry's data directory, or of ``data/``
        when the OSM file is the default one, where it exists.

    Returns
    -------
    GeocodeReport
        Counts by status and method, and the reasons of what was not matched.

    Raises
    ------
    AksugeoError
        On a missing, empty or unreadable file, or a missing address column.
    """
    path, out = Path(path), Path(out)
    table, note = read_table(path)
    if len(table) == 0:
        raise AksugeoError(f"{path}: no rows to geocode")
    if address_column not in table:
        raise AksugeoError(f"{path}: no column {address_column!r} (it has: "
                           f"{', '.join(map(str, table.columns))}); name it with "
                           "--address-column")
    gaz = build_gazetteer(osm if osm is not None else _default_osm())
    notes = [f"{path}: {note}"] if note else []
    if renames is None and (registry is not None or osm is None):
        # the data directory's own table, where there is one
        renames = renames_in(registry if registry is not None else "data")
    if renames is not None:
        gaz, unused = gaz.with_renames(read_renames(renames))
        notes += [f"{renames}: {u}" for u in unused]
    homes = None
    if registry is not None:
        homes = load_dataset(registry).households
        gaz = gaz.add_registry(homes)
    fixed = _overrides(Path(overrides), homes) if overrides is not None else None
    coder = Geocoder(gaz, default_settlement=settlement, overrides=fixed, online=online)
    result = coder.geocode(table[address_column])
    renamed = result.rename(columns={c: f"{c}_geocoded" for c in result if c in table})
    both = pd.concat([table, renamed], axis=1)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_csv(both, out, encoding="utf-8-sig")  # a BOM: Excel then reads Cyrillic
    if geo_out is not None:
        lon, lat = result["lon"], result["lat"]
        has = lon.notna()
        pts = gpd.GeoDataFrame(both[has], geometry=gpd.points_from_xy(lon[has], lat[has]),
                               crs="EPSG:4326")
        Path(geo_out).parent.mkdir(parents=True, exist_ok=True)
        pts.to_file(geo_out, driver="GPKG" if str(geo_out).endswith(".gpkg") else "GeoJSON")
    status, method = result["status"], result["method"]
    failed = result.loc[status.isin([UNMATCHED, AMBIGUOUS, APPROXIMATE]), "reason"]
    # reasons grouped by their shape: the quoted names differ row by row
    shapes = pd.Series([re.sub(r"'[^']*'", "'…'", str(r)) for r in failed], dtype=str)

    def counts(s: pd.Series) -> dict[str, int]:
        return {str(k): int(v) for k, v in s.value_counts().items()}

    return GeocodeReport(len(table), out, counts(status), counts(method),
                         list(counts(shapes).items())[:10], notes)
