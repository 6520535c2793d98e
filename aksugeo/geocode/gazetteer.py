"""The gazetteer: every settlement, street and known address that geocoding can match against.

Built offline from an OpenStreetMap file (place nodes; named streets, with their ``name``,
``name:ru`` and ``name:kk``; ``addr:housenumber`` with ``addr:street`` or ``addr:place`` on
buildings and nodes), and optionally from a registry of households already geocoded. It is
saved as a GeoPackage next to the OSM file, keyed by the file's SHA-256, so it is built once.
"""

from __future__ import annotations

import contextlib
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from aksugeo._cache import cache_path, file_sha256
from aksugeo._errors import AksugeoError
from aksugeo.data.io import write_geopackage
from aksugeo.data.projection import metric_crs
from aksugeo.geocode.address import (
    STREET_TYPES,
    nominative_aliases,
    parse_address,
    skeleton,
    strip_settlement_type,
)

VERSION = 5  # 2: unnumbered buildings; 3: by every street near them; 4: old and other names;
# 5: the Kazakh names of settlements and streets (name_kk), for the texts written in Kazakh
# every name a street or a place is known by: people and registries use a renamed street's
# old name beside its new one for years
NAME_TAGS = ("name:ru", "name:kk", "old_name", "old_name:ru", "old_name:kk", "alt_name",
             "alt_name:ru", "alt_name:kk", "official_name", "official_name:ru",
             "official_name:kk", "loc_name", "short_name", "name:en")
PLACE_KINDS = ("city", "town", "village", "hamlet", "isolated_dwelling", "suburb")
# the files build_gazetteer reads: OpenStreetMap XML, plain or bzip2 (not PBF)
GAZETTEER_SOURCES = (".osm", ".osm.bz2", ".xml")
MAX_STREET_TO_PLACE_M = 6000.0
BY_STREET_M = 40.0  # a building this near a street's centre line fronts it


@functools.lru_cache(maxsize=1 << 14)  # a list names the same streets again and again
def strip_type(name: str) -> str:
    """Return a street name without its type words (``улица Абая`` -> ``Абая``)."""
    words = [w for w in re.split(r"\s+", name.strip()) if w.lower().strip(".") not in
             STREET_TYPES]
    return " ".join(words)


@dataclass
class Gazetteer:
    """What addresses are matched against, in a metric CRS.

    Attributes
    ----------
    crs : pyproj.CRS
        The metric CRS of every coordinate.
    settlements : pandas.DataFrame
        ``settlement`` (display name), ``key`` (skeleton), ``x``, ``y`` (its place node),
        ``name_kk`` (its Kazakh name, empty when the map has none), a row for each of its
        names.
    streets : geopandas.GeoDataFrame
        ``street_id``, ``settlement``, ``name`` (Russian), ``name_kk`` (Kazakh, empty when the
        map has none), geometry (the merged ways).
    aliases : pandas.DataFrame
        ``settlement``, ``alias`` (skeleton of a name of the street), ``street_id``.
    addresses : pandas.DataFrame
        ``settlement``, ``area`` (``street:<id>``, ``micro:<n>`` or ``place``), ``house``,
        ``x``, ``y``, ``source`` (``osm`` or ``registry``).
    buildings : pandas.DataFrame
        Buildings without a known number: ``street_id`` (the named street each stands
        nearest), ``x``, ``y``. Interpolation numbers them in order between their neighbours.
    renamed : dict
        (settlement, skeleton of an old name) -> the rename in words, for the names a renames
        table added (:meth:`with_renames`).
    """

    crs: CRS
    settlements: pd.DataFrame
    streets: gpd.GeoDataFrame
    aliases: pd.DataFrame
    addresses: pd.DataFrame
    buildings: pd.DataFrame
    renamed: dict[tuple[str, str], str] = field(default_factory=dict)

    def save(self, path: Path, sha: str) -> Path:
        """Write the gazetteer as a GeoPackage, stamped with its source's hash."""
        streets = self.streets.copy()
        return write_geopackage({
            "settlements": self.settlements, "streets": streets, "aliases": self.aliases,
            "addresses": self.addresses, "buildings": self.buildings}, path,
            metadata={"sha256": sha, "version": VERSION, "crs": self.crs.to_wkt()})

    @classmethod
    def load(cls, path: Path, sha: str) -> Gazetteer | None:
        """Read a saved gazetteer; None when it is missing or made from another file."""
        if not path.is_file():
            return None
        meta = pyogrio.read_info(path, layer="streets")["layer_metadata"] or {}
        if meta.get("sha256") != sha or meta.get("version") != str(VERSION):
            return None
        read = {name: pyogrio.read_dataframe(path, layer=name, read_geometry=False)
                for name in ("settlements", "aliases", "addresses", "buildings")}
        streets = gpd.read_file(path, layer="streets")
        return cls(CRS.from_wkt(meta["crs"]), read["settlements"], streets, read["aliases"],
                   read["addresses"], read["buildings"])

    def add_registry(self, households: gpd.GeoDataFrame) -> Gazetteer:
        """Return a gazetteer that also knows a registry's geocoded addresses.

        Parameters
        ----------
        households : geopandas.GeoDataFrame
            With ``address`` (settlement, street, house, as the registry writes them) and
            point geometry.

        Returns
        -------
        Gazetteer
            A new gazetteer; registry points win over OSM ones at the same address.
        """
        pts = households.to_crs(self.crs)
        rows = []
        names = self.settlements["settlement"].tolist()
        for text, x, y in zip(pts["address"], pts.geometry.x, pts.geometry.y, strict=True):
            p = parse_address(str(text), names)
            settlement = self.settlement_of(p.settlement) if p.settlement else None
            if settlement is None or p.house is None:
                continue
            area = self.area_of(settlement, p.street, p.micro)
            if area is not None:
                rows.append((settlement, area, p.house, x, y, "registry"))
        extra = pd.DataFrame(rows, columns=["settlement", "area", "house", "x", "y", "source"])
        both = pd.concat([extra, self.addresses], ignore_index=True).drop_duplicates(
            ["settlement", "area", "house"], keep="first")
        return Gazetteer(self.crs, self.settlements, self.streets, self.aliases,
                         both.reset_index(drop=True), self.buildings, self.renamed)

    def with_renames(self, renames: pd.DataFrame) -> tuple[Gazetteer, list[str]]:
        """Return a gazetteer that also finds streets by the old names of a renames table.

        Parameters
        ----------
        renames : pandas.DataFrame
            ``old_name``, ``new_name``, and optionally ``settlement`` (empty: every settlement
            whose map has a street of the new name) and ``renamed_on``
            (:data:`aksugeo.data.schema.STREET_RENAMES`).

        Returns
        -------
        gazetteer : Gazetteer
            A new gazetteer: each old name an alias of the street that has the new name.
        notes : list of str
            The renames that could not be used, and why (never dropped in silence).
        """
        rows, notes, renamed = [], [], dict(self.renamed)
        names = self.settlements["settlement"].unique().tolist()
        for r in renames.itertuples(index=False):
            old, new = str(r.old_name).strip(), str(r.new_name).strip()
            where = getattr(r, "settlement", None)
            places = names if not isinstance(where, str) or not where.strip() else \
                [s for s in [self.settlement_of(where)] if s is not None]
            if not places:
                notes.append(f"rename {old!r} -> {new!r}: no settlement {where!r} on the map")
                continue
            found = [(s, area) for s in places
                     if (area := self.area_of(s, new, None)) is not None]
            if not found:
                notes.append(f"rename {old!r} -> {new!r}: no street {new!r} on the map "
                             f"of {', '.join(places[:3])}; its old name is not found")
                continue
            day = getattr(r, "renamed_on", None)
            words = f"old name {old!r}, now {new!r}" + (
                f" (renamed {str(day)[:10]})" if isinstance(day, str) and day else "")
            for settlement, area in found:
                sid = int(area.split(":")[1])
                keys = {skeleton(a) for a in nominative_aliases(strip_type(old))} - {""}
                rows += [(settlement, k, sid) for k in keys]
                renamed |= {(settlement, k): words for k in keys}
        extra = pd.DataFrame(rows, columns=["settlement", "alias", "street_id"])
        aliases = pd.concat([self.aliases, extra], ignore_index=True).drop_duplicates()
        return Gazetteer(self.crs, self.settlements, self.streets, aliases, self.addresses,
                         self.buildings, renamed), notes

    def settlement_of(self, name: str) -> str | None:
        """Return the settlement a written name stands for (exact skeleton), or None."""
        hit = self.settlements.loc[self.settlements["key"] == skeleton(
            strip_settlement_type(name.strip())), "settlement"]
        return str(hit.iloc[0]) if len(hit) else None

    def area_of(self, settlement: str, street: str | None, micro: str | None) -> str | None:
        """Return the area key of a street or microdistrict in a settlement (exact names)."""
        if micro is not None:
            return f"micro:{micro}"
        if street is None:
            return "place"
        hit = self.aliases[(self.aliases["settlement"] == settlement)
                           & (self.aliases["alias"] == skeleton(strip_type(street)))]
        return f"street:{int(hit['street_id'].iloc[0])}" if len(hit) else None


def _settlements(feats: gpd.GeoDataFrame) -> pd.DataFrame:
    if "place" not in feats:
        return pd.DataFrame(columns=["settlement", "key", "x", "y", "name_kk"])
    places = feats[feats["place"].isin(PLACE_KINDS) & feats["name"].notna()
                   & (feats.geometry.geom_type == "Point")]
    rows = []
    for _, p in places.iterrows():
        names = {p["name"], *(n for k in NAME_TAGS if isinstance(p.get(k), str)
                              for n in p[k].split(";"))}
        kk = p.get("name:kk") if isinstance(p.get("name:kk"), str) else ""
        rows += [(p["name"], skeleton(n), p.geometry.x, p.geometry.y, kk) for n in names if n]
    return pd.DataFrame(rows, columns=["settlement", "key", "x", "y", "name_kk"]).drop_duplicates(
        ["settlement", "key"])


def _streets(feats: gpd.GeoDataFrame, places: pd.DataFrame,
             ) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    ways = feats[feats.get("highway").notna() & feats["name"].notna()
                 & feats.geometry.geom_type.isin(["LineString", "MultiLineString"])]
    centres = places.drop_duplicates("settlement")
    if len(ways) == 0 or len(centres) == 0:
        return (gpd.GeoDataFrame({"street_id": [], "settlement": [], "name": [], "name_kk": []},
                                 geometry=[], crs=feats.crs),
                pd.DataFrame(columns=["settlement", "alias", "street_id"]))
    tree = shapely.STRtree(shapely.points(centres[["x", "y"]].to_numpy()))
    mids = shapely.line_interpolate_point(ways.geometry.to_numpy(), 0.5, normalized=True)
    near, dist = tree.query_nearest(mids, return_distance=True, all_matches=False)
    ways = ways.iloc[near[0]].assign(settlement=centres["settlement"].to_numpy()[near[1]],
                                     _d=dist)
    ways = ways[ways["_d"] <= MAX_STREET_TO_PLACE_M]
    streets, aliases = [], []
    for sid, ((settlement, name), group) in enumerate(ways.groupby(["settlement", "name"],
                                                                   sort=True)):
        geom = shapely.line_merge(shapely.union_all(group.geometry.to_numpy()))
        kk = group["name:kk"].dropna() if "name:kk" in group else pd.Series([], dtype=object)
        streets.append({"street_id": sid, "settlement": settlement, "name": name,
                        "name_kk": str(kk.iloc[0]) if len(kk) else "", "geometry": geom})
        names = {name}
        for col in NAME_TAGS:  # a tag may hold several, "a;b"
            if col in group:
                names |= {n.strip() for v in group[col].dropna().unique() if isinstance(v, str)
                          for n in v.split(";") if n.strip()}
        keys = set()
        for n in names:
            for alias in nominative_aliases(strip_type(n)):
                keys.add(skeleton(alias))
        aliases += [(settlement, k, sid) for k in keys if k]
    return (gpd.GeoDataFrame(streets, geometry="geometry", crs=feats.crs),
            pd.DataFrame(aliases, columns=["settlement", "alias", "street_id"]))


def _addresses(feats: gpd.GeoDataFrame, gaz: Gazetteer) -> pd.DataFrame:
    if "addr:housenumber" not in feats:
        return pd.DataFrame(columns=["settlement", "area", "house", "x", "y", "source"])
    have = feats[feats["addr:housenumber"].notna()]
    cents = shapely.centroid(have.geometry.to_numpy())
    centres = gaz.settlements.drop_duplicates("settlement")
    tree = shapely.STRtree(shapely.points(centres[["x", "y"]].to_numpy()))
    nearest = centres["settlement"].to_numpy()[tree.query_nearest(cents, all_matches=False)[1]]
    rows = []
    for (_, f), c, near in zip(have.iterrows(), cents, nearest, strict=True):
        city = f.get("addr:city") if isinstance(f.get("addr:city"), str) else None
        place = f.get("addr:place") if isinstance(f.get("addr:place"), str) else None
        street = f.get("addr:street") if isinstance(f.get("addr:street"), str) else None
        settlement = (gaz.settlement_of(city) if city else None) or (
            gaz.settlement_of(place) if place and not street else None) or near
        micro = re.search(r"(\d+)", place) if place and "микро" in place.lower() else None
        area = gaz.area_of(settlement, street, micro.group(1) if micro else None)
        if area is not None:
            house = parse_address(f"д. {f['addr:housenumber']}").house
            rows.append((settlement, area, house, c.x, c.y, "osm"))
    return pd.DataFrame(rows, columns=["settlement", "area", "house", "x", "y", "source"])


def _unnumbered(feats: gpd.GeoDataFrame, streets: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return the buildings OSM gives no number, with each named street they stand by.

    A corner house stands by two streets: it is a candidate on both.
    """
    if "building" not in feats or len(streets) == 0:
        return pd.DataFrame({"street_id": [], "x": [], "y": []})
    none = feats["building"].notna()
    if "addr:housenumber" in feats:
        none &= feats["addr:housenumber"].isna()
    cents = shapely.centroid(feats.geometry[none].to_numpy())
    tree = shapely.STRtree(streets.geometry.to_numpy())
    building, street = tree.query(cents, predicate="dwithin", distance=BY_STREET_M)
    return pd.DataFrame({"street_id": streets["street_id"].to_numpy()[street],
                         "x": shapely.get_x(cents[building]), "y": shapely.get_y(cents[building])})


def build_gazetteer(path: str | Path, *, cache: bool = True) -> Gazetteer:
    """Build (or read back) the gazetteer of an OpenStreetMap XML file.

    Parameters
    ----------
    path : str or Path
        An ``.osm`` or ``.osm.bz2`` file with place nodes, named streets and addresses.
    cache : bool
        Read and write the gazetteer in the cache folder (``AKSUGEO_CACHE_DIR``, else the
        user's cache folder), keyed by the file's SHA-256, never beside the file.

    Returns
    -------
    Gazetteer
        Settlements, streets with their aliases, and addresses, in the data's UTM CRS.

    Raises
    ------
    AksugeoError
        When the file is missing, unreadable, or names no settlement.
    """
    import osmnx as ox  # noqa: PLC0415  (heavy; only building needs it)

    path = Path(path)
    if not path.is_file():
        raise AksugeoError(f"{path}: OSM file not found")
    sha = file_sha256(path)
    saved = cache_path(sha, "gazetteer.gpkg")
    if cache and (hit := Gazetteer.load(saved, sha)) is not None:
        return hit
    tags: dict[str, bool | str | list[str]] = {"place": True, "highway": True,
                                               "addr:housenumber": True, "building": True}
    try:
        feats = ox.features_from_xml(path, tags=tags)
    except Exception as exc:  # osmnx raises many kinds on malformed XML
        raise AksugeoError(f"{path}: not readable as OpenStreetMap XML ({exc})") from exc
    crs = metric_crs(feats)
    feats = feats.to_crs(crs).reset_index(drop=True)
    places = _settlements(feats)
    if len(places) == 0:
        raise AksugeoError(f"{path}: no place node names a settlement (place=town/village)")
    streets, aliases = _streets(feats, places)
    gaz = Gazetteer(crs, places, streets, aliases, pd.DataFrame(), pd.DataFrame())
    gaz.addresses = _addresses(feats, gaz)
    gaz.buildings = _unnumbered(feats, streets)
    if cache:
        with contextlib.suppress(OSError):  # no writable cache folder: build again next time
            saved.parent.mkdir(parents=True, exist_ok=True)
            gaz.save(saved, sha)
    return gaz


def house_number(house: str) -> tuple[int, str]:
    """Return the numeric part and the rest of a house number (``12а`` -> ``(12, 'а')``)."""
    m = re.match(r"(\d+)(.*)", house)
    return (int(m.group(1)), m.group(2)) if m else (-1, house)


def numbers_of(addresses: pd.DataFrame) -> pd.DataFrame:
    """Add ``number`` and ``suffix`` columns (for interpolation) to an address table."""
    parts = [house_number(str(h)) for h in addresses["house"]]
    return addresses.assign(number=np.array([p[0] for p in parts], dtype=np.int64),
                            suffix=[p[1] for p in parts])
