"""What the public site knows: the public export's layers, the streets, and where houses are.

Everything here is either already public or public by nature:

- the precincts, their walking bands and catchments, read back from the public export
  (:func:`aksugeo.passport.public.export_public`: its whitelist and disclosure rule);
- the street network (nodes, straight edges and their lengths, what the ``reduced`` and
  ``wheelchair`` profiles make of each edge) and each edge's street name, from the map;
- the street segments of the akim's decision (the precincts' boundaries in house ranges, as
  the law publishes them; the registry's assignment where no decision is loaded, or where the
  decision does not give an address exactly one precinct), and the names every street and
  settlement goes by;
- *address ranges*, as the US Census Bureau's TIGER/Line files publish them: for each edge of
  the network and each side (odd, even) of each street along it, the first and last house
  number and where along the edge each stands. A house between them is placed by
  interpolation. No household's id, point, address or count goes out.

The payload is one JSON object, written by :mod:`aksugeo.site` as ``data/site.js`` (a script, so
that the site also works opened from a folder, where a browser fetches no file).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from aksugeo._errors import AksugeoError
from aksugeo.boundaries.commands import build_places
from aksugeo.boundaries.decision import WHOLE_SIDE, Rule
from aksugeo.boundaries.describe import describe
from aksugeo.boundaries.places import Places
from aksugeo.data.layers import DECISION_ASSIGNMENT, HOUSEHOLDS, PRECINCTS, Build
from aksugeo.data.passports import GROUPS, ITEMS
from aksugeo.data.schema import WGS84
from aksugeo.geocode import address as addr
from aksugeo.geocode.gazetteer import build_gazetteer
from aksugeo.passport.rules import ACCESSIBLE
from aksugeo.styles import CATEGORY_MARKS
from aksugeo.walk.distances import walks_within
from aksugeo.walk.network import WalkNetwork, load_network
from aksugeo.walk.profiles import profiles_of
from aksugeo.walk.snapping import Snap, snap_points
from aksugeo.walk.stepfree import doors

DECIMALS = 6  # degrees: about 0.1 m
SIDES = {"both": 0, "odd": 1, "even": 2}


@dataclass(frozen=True)
class Streets:
    """The settlements and streets a visitor may type, by index, and every name of each."""

    settlements: list[str]  # as the registry writes them
    areas: list[tuple[str, str]]  # (settlement, area)

    @cached_property
    def settlement_index(self) -> dict[str, int]:
        """Settlement -> its index."""
        return {s: i for i, s in enumerate(self.settlements)}

    @cached_property
    def area_index(self) -> dict[tuple[str, str], int]:
        """(settlement, area) -> its index."""
        return {a: i for i, a in enumerate(self.areas)}


def _streets(places: Places) -> Streets:
    settlements = sorted(set(places.settlements.values()) | {s for s, _ in places.area_names})
    areas = sorted(places.area_names)
    return Streets(settlements, areas)


def names_payload(places: Places, streets: Streets) -> dict[str, Any]:
    """Return the settlements' and streets' names to show (ru, kk), and the keys they go by."""
    keys_of: dict[str, set[str]] = defaultdict(set)
    for key, settlement in places.settlements.items():
        keys_of[settlement].add(key)
    area_keys: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (settlement, key), area in places.areas.items():
        area_keys[(settlement, area)].add(key)
    s_index = streets.settlement_index
    return {
        "settlements": [{"ru": places.settlement_name(s, "ru"),
                         "kk": places.settlement_name(s, "kk"),
                         "keys": sorted(keys_of[s] | {addr.skeleton(
                             addr.strip_settlement_type(s))})}
                        for s in streets.settlements],
        "streets": [{"s": s_index[s], "ru": places.name(s, a, "ru"),
                     "kk": places.name(s, a, "kk"), "keys": sorted(area_keys[(s, a)]),
                     "micro": a.split(":", 1)[1] if a.startswith("micro:") else None}
                    for s, a in streets.areas],
    }


def _key(h: Any) -> list[int] | None:  # noqa: ANN401  (a House or None)
    return None if h is None else list(h.key)


def segments_payload(rules: list[tuple[int, Rule]], streets: Streets) -> list[list[Any]]:
    """Return the decision's rules as rows.

    Each row: precinct, settlement, street (-1: the whole settlement), side (0 both, 1 odd,
    2 even), first and last house keys (both null: the whole street or side; last null: one
    house).
    """
    s_index, a_index = streets.settlement_index, streets.area_index
    rows: list[list[Any]] = []
    for precinct, rule in rules:
        town = rule.settlement or ""
        if town not in s_index:
            continue
        area = -1 if rule.kind == "settlement" else a_index.get((town, rule.area or ""), None)
        if area is None:
            continue
        if rule.whole:
            rows.append([precinct, s_index[town], area, 0, None, None])
        for item in rule.items:
            whole_side = item.last is not None and item.last.number == WHOLE_SIDE
            rows.append([precinct, s_index[town], area, SIDES[item.side],
                         None if whole_side else _key(item.first),
                         None if whole_side else _key(item.last)])
    return rows


def assignment(built: Build, homes: pd.DataFrame) -> tuple[pd.Series, str]:
    """Each household's precinct by the akim's decision, else the registry; and which."""
    registry = homes.set_index("household_id")["precinct_id"].astype("Int64")
    if not built.has_layer(DECISION_ASSIGNMENT):
        return registry, "registry"
    decided = built.layer(DECISION_ASSIGNMENT)
    sources = sorted(set(decided["source"].astype(str)))
    one = decided[decided["status"] == "one"].drop_duplicates("household_id")
    by_decision = one.set_index("household_id")["precinct_id"].astype("Int64")
    return by_decision.combine_first(registry).reindex(registry.index), (
        "decision:" + ",".join(sources))


def _lonlat(net: WalkNetwork) -> np.ndarray:
    to = Transformer.from_crs(net.crs, WGS84, always_xy=True)
    lon, lat = to.transform(net.x, net.y)
    return np.round(np.column_stack([lon, lat]), DECIMALS)


def _edge_streets(net: WalkNetwork, network_path: Path | None, places: Places,
                  streets: Streets) -> list[int]:
    """Each edge's street (an index of ``streets``; -1 none), from the map's named streets."""
    out = np.full(net.n_edges, -1, dtype=np.int64)
    if network_path is None:
        return out.tolist()
    try:
        gaz = build_gazetteer(network_path)
    except AksugeoError:
        return out.tolist()
    a_index = streets.area_index
    lines = gaz.streets.to_crs(net.crs)
    area_of = []
    for written, name in zip(lines["settlement"].astype(str), lines["name"].astype(str),
                             strict=True):
        town = places.settlement(written) or written  # the map's "Аксу": the registry's "г. Аксу"
        area = places.street(town, name)
        area_of.append(a_index.get((town, area), -1) if area is not None else -1)
    area_arr = np.asarray(area_of, dtype=np.int64)
    mid = shapely.points((net.x[net.u] + net.x[net.v]) / 2, (net.y[net.u] + net.y[net.v]) / 2)
    tree = shapely.STRtree(lines.geometry.to_numpy())
    edge_i, line_i = tree.query_nearest(mid, max_distance=1.0, all_matches=False)
    out[edge_i] = area_arr[line_i]
    return out.tolist()


def ranges_payload(net: WalkNetwork, homes: gpd.GeoDataFrame, places: Places,
                   streets: Streets, max_snap_m: float) -> list[list[Any]]:
    """Return the address ranges (see the module).

    Each row: street, side (1 odd, 2 even), edge, first number, its offset from the edge's
    ``u`` (m), last number, its offset, and the median distance (m, rounded) of the range's
    houses from the street (a walk from the street starts with it).

    A house stands where the walking engine snaps it (the nearest street edge): a walk from an
    interpolated point starts where the engine's walk from the house would.
    """
    a_index = streets.area_index
    snap = snap_points(net, homes.geometry, max_m=max_snap_m)
    groups: dict[tuple[int, int, int], list[tuple[int, float, float]]] = defaultdict(list)
    for i, (text, town) in enumerate(zip(homes["address"].astype(str),
                                         homes["settlement"].astype(str), strict=True)):
        if not snap.ok[i]:
            continue
        a = places.address(text, town)
        if a.area is None or a.house is None or (town, a.area) not in a_index:
            continue
        side = 1 if a.house.number % 2 else 2
        groups[(a_index[(town, a.area)], side, int(snap.edge[i]))].append(
            (a.house.number, float(snap.offset_m[i]), float(snap.snap_m[i])))
    rows = []
    for (area, side, edge), houses in sorted(groups.items()):
        houses.sort()
        (n0, o0, _), (n1, o1, _) = houses[0], houses[-1]
        # how far the houses stand from the street: the median of the range's
        approach = float(np.median([h[2] for h in houses]))
        rows.append([area, side, edge, n0, round(o0, 2), n1, round(o1, 2), round(approach)])
    return rows


def network_payload(net: WalkNetwork, settings_profiles: dict[str, Any]) -> dict[str, Any]:
    """Nodes (lon, lat), edges (u, v), metres, and the reduced and wheelchair costs."""
    reduced = settings_profiles["reduced"].costs(net.length_m, net.edge_tags)
    chair = settings_profiles["wheelchair"].costs(net.length_m, net.edge_tags)
    return {
        "nodes": _lonlat(net).ravel().tolist(),
        "u": net.u.tolist(), "v": net.v.tolist(),
        "m": np.round(net.length_m, 2).tolist(),
        # what differs from the length only: edge -> cost (null: closed)
        "reduced": {int(e): round(float(reduced[e]), 2)
                    for e in np.flatnonzero(reduced != net.length_m)},
        "wheelchair": {int(e): (round(float(chair[e]), 2) if np.isfinite(chair[e]) else None)
                       for e in np.flatnonzero(chair != net.length_m)},
        "speeds": {name: settings_profiles[name].speed_kmh
                   for name in ("walk", "reduced", "wheelchair")},
    }


def _door_snaps(net: WalkNetwork, precincts: gpd.GeoDataFrame, profiles: dict[str, Any],
                max_snap_m: float) -> tuple[gpd.GeoSeries, np.ndarray, dict[str, Snap]]:
    """Return each precinct's door, whether it is the entrance, and its snap per profile.

    The door is :func:`aksugeo.walk.stepfree.doors`' (the accessible entrance from the passport
    when it has one, else the building); it is snapped to the walk's and to the wheelchair's
    network (a closed edge is never snapped to; offsets in the view's costs).
    """
    points, to = doors(precincts, precincts)  # the precincts layer carries the entrances
    snaps = {name: snap_points(net.for_profile(profiles[name]), points, max_m=max_snap_m)
             for name in ("walk", "wheelchair")}
    return points, to, snaps


def doors_payload(precincts: gpd.GeoDataFrame, points: gpd.GeoSeries, to: np.ndarray,
                  snaps: dict[str, Snap]) -> dict[str, list[Any]]:
    """Return where each precinct's walks end: its door, and the door's snap per profile."""
    out: dict[str, list[Any]] = {
        "id": precincts["precinct_id"].astype(int).tolist(), "to": to.tolist(),
        "lon": [round(float(p.x), DECIMALS) for p in points],
        "lat": [round(float(p.y), DECIMALS) for p in points]}
    for name, snap in snaps.items():
        out[name] = [[int(e), round(float(o), 3), round(float(m), 3)] if ok else None
                     for e, o, m, ok in zip(snap.edge, snap.offset_m, snap.snap_m, snap.ok,
                                            strict=True)]
    return out


def nearest_payload(net: WalkNetwork, precincts: gpd.GeoDataFrame, snap: Snap,
                    ) -> dict[str, dict[str, list[float] | None]]:
    """Return, per precinct and group, the nearest other precinct fully accessible to the group.

    ``[precinct_id, metres]`` on foot between the two doors (``snap``: the doors on the walk's
    network; the engine's walk), or None.
    """
    found = walks_within(net, snap, snap).tocoo()
    walks = np.full(found.shape, np.inf)  # no entry: no walk (two precincts in one building
    walks[found.row, found.col] = found.data  # are 0 m apart, an entry)
    ids = precincts["precinct_id"].astype(int).to_numpy()
    accessible = {g: (precincts[f"category_{g}"] == ACCESSIBLE).to_numpy()
                  if f"category_{g}" in precincts else np.zeros(len(ids), bool)
                  for g in GROUPS}
    out: dict[str, dict[str, list[float] | None]] = {}
    for i, pid in enumerate(ids):
        out[str(pid)] = {}
        for group, ok in accessible.items():
            row = np.where(ok & (np.arange(len(ids)) != i), walks[i], np.inf)
            j = int(np.argmin(row)) if len(row) else -1
            out[str(pid)][group] = ([int(ids[j]), round(float(row[j]), 1)]
                                    if j >= 0 and np.isfinite(row[j]) else None)
    return out


def remedies_payload(built: Build) -> dict[str, dict[str, dict[str, str]]]:
    """Per precinct and failed item: the measure and its state, in each language."""
    if not built.has_layer("passport_remedies"):
        return {}
    table = built.layer("passport_remedies")
    out: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
    for row in table.to_dict("records"):
        ru = str(row.get("remedy") or "")
        words = {"ru": ru, "kk": str(row.get("remedy_kk") or "") or ru,
                 "en": str(row.get("remedy_en") or "") or ru, "state": str(row["state"])}
        out[str(int(row["precinct_id"]))][str(row["item"])] = words
    return dict(out)


def items_payload() -> list[dict[str, Any]]:
    """Return the passport's checklist: each item's key, the groups it keeps out or hinders."""
    return [{"key": it.key, "barrier": list(it.barrier), "hindrance": list(it.hindrance)}
            for it in ITEMS]


def payload(built: Build, network: WalkNetwork | None = None) -> dict[str, Any]:
    """Return everything the site's pages read, but the public export's layers.

    Parameters
    ----------
    built : Build
        The build.
    network : WalkNetwork, optional
        The network the build walked on (read from the build's ``network_path`` when not
        given).

    Raises
    ------
    AksugeoError
        When the build's network file is gone.
    """
    settings = built.settings
    if network is None:
        if built.network_path is None:
            raise AksugeoError(f"{built.path}: the street network it was built on is gone "
                               f"({built.meta.get('network_path', '?')}); build again")
        network = load_network(built.network_path)
    homes = built.spatial(HOUSEHOLDS)
    places = build_places(built)
    streets = _streets(places)
    precinct_of, source = assignment(built, homes)
    decision = describe(homes, precinct_of, places)
    rules = [(e.precinct_id, r) for e in decision.entries for r in e.rules]
    profiles = profiles_of(settings)
    precincts = built.spatial(PRECINCTS)
    points, to, door_snaps = _door_snaps(network, precincts, profiles, settings.max_snap_m)
    urban = precincts.loc[precincts["area_type"] == "urban", "settlement"]
    towns = (urban if len(urban) else precincts["settlement"]).astype(str).value_counts()
    town = streets.settlement_index.get(str(towns.index[0]), -1) if len(towns) else -1
    net_part = network_payload(network, profiles)
    net_part["street"] = _edge_streets(network, built.network_path, places, streets)
    return {
        "assignment": source,
        "town": town,  # the settlement most precincts are in: an address without one is there
        "names": names_payload(places, streets),
        "segments": segments_payload(rules, streets),
        "ranges": ranges_payload(network, homes, places, streets, settings.max_snap_m),
        "network": net_part,
        "doors": doors_payload(precincts, points, to, door_snaps),
        "nearest": nearest_payload(network, precincts, door_snaps["walk"]),
        "remedies": remedies_payload(built),
        "items": items_payload(),
        "groups": list(GROUPS),
        "marks": CATEGORY_MARKS,
        "skeleton": addr.skeleton_tables(),
        "words": words_payload(),
    }


def words_payload() -> dict[str, list[str]]:
    """Return the words a visitor may write around a street's name and number, as skeletons."""
    def keys(*roles: str) -> list[str]:
        return sorted({k for w in addr.token_words(*roles) if (k := addr.skeleton(w))})

    return {"street": keys("street"), "house": keys("house_before", "house_after"),
            "flat": keys("flat_before", "flat_after"),
            "settlement": keys("settlement_before", "settlement_after"),
            "micro": keys("microdistrict")}
