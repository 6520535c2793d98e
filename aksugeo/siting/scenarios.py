"""Siting scenarios on a finished build: where to add or move a precinct, which to merge.

The models (:mod:`aksugeo.siting.models`) run on a sparse walking matrix built once from
bounded searches on the same engine as walking access, so one network serves every scenario.

- :func:`site_table`: the existing precincts (fixed) and the candidate sites, one table.
- :func:`walk_matrix`: the sparse walking matrix.
- :func:`figures`: before/after figures of a set of open sites, every household walking to its
  nearest open site.
- :func:`propose`: the ``aksugeo siting --add N | --move K | --merge`` scenarios on a built
  GeoPackage: the model, the figures of today, of the nearest existing precinct and of the
  proposal, and the proposed sites and their catchments written back as layers
  ``siting_sites`` and ``siting_catchments``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from scipy import sparse

from aksugeo._errors import AksugeoError
from aksugeo.data.layers import (
    CANDIDATE_SITES,
    HOUSEHOLDS,
    PRECINCTS,
    SITING_ASSIGNMENT,
    SITING_CATCHMENTS,
    SITING_FIGURES,
    SITING_SITES,
    open_build,
)
from aksugeo.data.lock import writing
from aksugeo.data.passports import GROUPS
from aksugeo.data.schema import WGS84
from aksugeo.settings import AccessSettings
from aksugeo.siting.models import (
    Solution,
    cover_matrix,
    covered_voters,
    greedy_cover,
    max_cover,
    nearest_open,
)
from aksugeo.walk.access import analyse_access
from aksugeo.walk.distances import walks_within
from aksugeo.walk.network import WalkNetwork, load_network
from aksugeo.walk.snapping import snap_points


def site_table(precincts: gpd.GeoDataFrame,
               candidates: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    """Return the existing precincts, then the candidate sites, as one table of sites.

    Parameters
    ----------
    precincts : geopandas.GeoDataFrame
        ``precinct_id``, ``name``, ``facility_type``, points; ``category_<group>`` when the
        build has passports.
    candidates : geopandas.GeoDataFrame, optional
        ``site_id``, ``name``, ``facility_type``, points; ``accessible_for`` when surveyed.

    Returns
    -------
    geopandas.GeoDataFrame
        ``site_id`` (``P-<precinct>`` for a precinct), ``name``, ``facility_type``,
        ``address`` (a candidate's settlement when the file gives no address), ``existing``,
        ``precinct_id`` (nullable), ``access_<group>`` for each group of
        :data:`aksugeo.data.passports.GROUPS` (a precinct accessible to the group by its
        passport, a candidate surveyed as accessible to it; False where nothing says so),
        points in WGS84.
    """
    access = {f"access_{g}": (precincts[f"category_{g}"] == "accessible").to_numpy()
              if f"category_{g}" in precincts.columns else np.zeros(len(precincts), dtype=bool)
              for g in GROUPS}
    parts = [gpd.GeoDataFrame({
        "site_id": [f"P-{int(p)}" for p in precincts["precinct_id"]],
        "name": precincts["name"].to_numpy(), "facility_type": precincts["facility_type"],
        "address": (precincts["address"].astype(str).to_numpy() if "address" in precincts
                    else ""),
        "existing": True, "precinct_id": pd.array(precincts["precinct_id"], dtype="Int64"),
        **access}, geometry=precincts.geometry.to_crs(WGS84).to_numpy(), crs=WGS84)]
    if candidates is not None and len(candidates):
        said = (candidates["accessible_for"].fillna("").astype(str)
                if "accessible_for" in candidates.columns else pd.Series("", candidates.index))
        groups = [set(filter(None, v.split(","))) for v in said]
        where = next((candidates[c].fillna("").astype(str).to_numpy()
                      for c in ("address", "settlement") if c in candidates.columns), "")
        parts.append(gpd.GeoDataFrame({
            "site_id": candidates["site_id"].to_numpy(), "name": candidates["name"].to_numpy(),
            "facility_type": candidates["facility_type"].to_numpy(), "address": where,
            "existing": False,
            "precinct_id": pd.array([pd.NA] * len(candidates), dtype="Int64"),
            **{f"access_{g}": [g in mine for mine in groups] for g in GROUPS}},
            geometry=candidates.geometry.to_crs(WGS84).to_numpy(), crs=WGS84))
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=WGS84)


def access_floors(sites: gpd.GeoDataFrame) -> list[tuple[np.ndarray, int]]:
    """Return, for each group, its accessible sites and how many of them are open today.

    A proposal keeps at least as many sites open that each group can use: it closes a
    precinct accessible to a group only when it opens another that is too (the constraint
    ``at_least`` of :func:`aksugeo.siting.models.max_cover`).
    """
    existing = sites["existing"].to_numpy(dtype=bool)
    floors = []
    for g in GROUPS:
        mask = sites[f"access_{g}"].to_numpy(dtype=bool)
        if (mask & existing).any():
            floors.append((mask, int((mask & existing).sum())))
    return floors


def walk_matrix(net: WalkNetwork, households: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, *,
                limit_m: float, settings: AccessSettings | None = None) -> sparse.csr_matrix:
    """Return the walk in metres from each site to each household, kept within ``limit_m``.

    Parameters
    ----------
    net : WalkNetwork
        The walking network.
    households, sites : geopandas.GeoDataFrame
        Points (any CRS).
    limit_m : float
        Walks longer than this are left out (the largest band, in metres).
    settings : AccessSettings, optional
        For ``max_snap_m``.

    Returns
    -------
    scipy.sparse.csr_matrix
        ``(len(sites), len(households))``; a stored entry is a walk (0 included), a missing one
        means farther than ``limit_m`` or no walk.
    """
    settings = settings or AccessSettings()
    to = snap_points(net, households.geometry, max_m=settings.max_snap_m,
                     min_component_nodes=settings.min_component_nodes)
    src = snap_points(net, sites.geometry, max_m=settings.max_snap_m,
                      min_component_nodes=settings.min_component_nodes)
    return walks_within(net, to, src, limit_m=limit_m)


def figures(walk_m: np.ndarray, voters: np.ndarray, settings: AccessSettings,
            bands_min: tuple[int, ...] | None = None) -> dict[str, float]:
    """Return the figures of one scenario from every household's walk (metres, inf: none).

    Parameters
    ----------
    walk_m : numpy.ndarray
        Each household's walk to the site it goes to.
    voters : numpy.ndarray
        Voters per household.
    settings : AccessSettings
        The speeds.
    bands_min : tuple of int, optional
        The bands counted: the settings' bands after the first by default (10, 15, 20).

    Returns
    -------
    dict
        ``within_<m>_pct`` and ``within_<m>_reduced_pct`` (voters, %), ``mean_min`` and
        ``p95_min`` (voter-weighted walk, minutes, normal speed), ``no_walk_voters``.
    """
    w = np.asarray(voters, dtype=float)
    ok = np.isfinite(walk_m)
    out: dict[str, float] = {}
    for m in settings.bands_min[1:] if bands_min is None else bands_min:
        for suffix, reduced in (("", False), ("_reduced", True)):
            inside = ok & (walk_m <= settings.metres(m, reduced=reduced))
            out[f"within_{m}{suffix}_pct"] = round(100 * w[inside].sum() / w.sum(), 2)
    minutes = walk_m[ok] / settings.metres(1)
    order = np.argsort(minutes)
    cum = np.cumsum(w[ok][order])
    out["mean_min"] = round(float(np.average(minutes, weights=w[ok])), 2)
    out["p95_min"] = round(float(minutes[order][np.searchsorted(cum, 0.95 * cum[-1])]), 2)
    out["no_walk_voters"] = float(w[~ok].sum())
    return out


@dataclass
class Scenario:
    """A siting proposal and its figures.

    Attributes
    ----------
    sites : geopandas.GeoDataFrame
        Every site with ``open`` and ``added``.
    solution : Solution
        What the model found.
    table : pandas.DataFrame
        One row per state (``today, as assigned``; ``nearest precinct``; ``proposed``), the
        columns of :func:`figures`.
    catchments : geopandas.GeoDataFrame
        The catchments of the open sites (WGS84).
    ranking : pandas.DataFrame or None
        For ``merge``: each existing precinct and the voters closing it pushes beyond the
        minutes, fewest first.
    settings : AccessSettings
        How the walks were measured (the build's own settings unless others were given).
    assignment : pandas.DataFrame or None
        Each household's precinct in the proposal: ``household_id``, ``precinct_id`` (an
        open site's ``proposed_precinct_id``), ``walk_m`` (to it; missing when none),
        ``how`` (``nearest walk``; ``kept`` its precinct when it has no walk and the precinct
        stays; else ``nearest straight line``).
    """

    sites: gpd.GeoDataFrame
    solution: Solution
    table: pd.DataFrame
    catchments: gpd.GeoDataFrame
    ranking: pd.DataFrame | None = None
    settings: AccessSettings = field(default_factory=AccessSettings)
    assignment: pd.DataFrame | None = None


def _merge(walks: sparse.csr_matrix, voters: np.ndarray, fixed: np.ndarray, radius_m: float,
           sites: gpd.GeoDataFrame, existing_walk_m: np.ndarray,
           metres_per_min: float) -> tuple[Solution, pd.DataFrame]:
    """Close each existing precinct in turn: voters pushed beyond the radius, walking added.

    ``existing_walk_m`` is every household's walk to every existing precinct (precincts x
    households, inf where none), for the walking the closure adds (its voters go to their
    next-nearest precinct); ties in voters pushed beyond are broken by it. A closure is
    proposed only when the precincts its voters go to serve every group it served
    (``keeps_access`` in the ranking).
    """
    start = time.perf_counter()
    cover = cover_matrix(walks, radius_m)
    base = covered_voters(cover, voters, fixed)
    rank = np.argsort(existing_walk_m, axis=0, kind="stable")
    order = np.take_along_axis(existing_walk_m, rank, axis=0)
    first, second = order[0], order[1] if len(order) > 1 else np.full(order.shape[1], np.inf)
    nearest, after = rank[0], rank[1] if len(rank) > 1 else rank[0]
    w = np.asarray(voters, dtype=float)
    existing = np.flatnonzero(fixed)
    # which groups each existing precinct serves (its passport says it is accessible to them)
    serves = np.column_stack([sites[f"access_{g}"].to_numpy(dtype=bool)[existing]
                              for g in GROUPS])
    rows = []
    for k, j in enumerate(existing):
        left = fixed.copy()
        left[j] = False
        moved = (nearest == k) & np.isfinite(first)
        added = float((w[moved] * (second[moved] - first[moved])).sum()) / metres_per_min
        # the precincts its voters go to serve every group it served
        kept = bool(serves[after[moved]][:, serves[k]].all()) if moved.any() else True
        rows.append({"site": j, "precinct_id": sites["precinct_id"].iloc[j],
                     "name": sites["name"].iloc[j],
                     "pushed_beyond": base - covered_voters(cover, voters, left),
                     "voters_moved": int(w[moved].sum()),
                     "added_voter_min": round(added, 1), "keeps_access": kept})
    ranking = pd.DataFrame(rows).sort_values(["pushed_beyond", "added_voter_min"],
                                             kind="stable")
    allowed = ranking[ranking["keeps_access"]]
    if allowed.empty:
        raise AksugeoError("no precinct can close without leaving some of its voters with "
                           "disabilities a precinct they cannot use; nothing to merge")
    best = fixed.copy()
    best[int(allowed["site"].iloc[0])] = False
    solution = Solution(best, covered_voters(cover, voters, best), 0.0,
                        time.perf_counter() - start, "enumeration")
    return solution, ranking.drop(columns="site").reset_index(drop=True)


def _inputs(db: Path, settings: AccessSettings | None,
            ) -> tuple[AccessSettings, gpd.GeoDataFrame, gpd.GeoDataFrame, WalkNetwork]:
    """Read what a scenario needs from a build: its settings, households, sites, network.

    The walking settings are the build's own (speeds, snap limit, fragments), so a scenario
    walks as the build did, unless ``settings`` are given.
    """
    built = open_build(db)
    settings = settings or built.settings
    if not built.has_layer(CANDIDATE_SITES):
        raise AksugeoError(f"{db}: no candidate sites; add candidate_sites.geojson to the data "
                           "directory and run `aksugeo build`")
    sites = site_table(built.spatial(PRECINCTS), built.spatial(CANDIDATE_SITES))
    source = built.network_path
    if source is None:
        raise AksugeoError(f"{db}: the network the build walked on "
                           f"({built.meta.get('network_path') or '?'}) is not there")
    return settings, built.spatial(HOUSEHOLDS), sites, load_network(source)


def _proposed_numbers(sites: gpd.GeoDataFrame) -> pd.Series:
    """Return the open sites' numbers: a precinct keeps its own; an added site gets the next."""
    numbers = sites["precinct_id"].astype("Int64").where(sites["open"])
    start = int(sites["precinct_id"].max()) + 1 if sites["precinct_id"].notna().any() else 1
    added = np.flatnonzero(sites["added"].to_numpy(dtype=bool))
    numbers.iloc[added] = np.arange(start, start + len(added))
    return numbers


def _proposed_assignment(homes: gpd.GeoDataFrame, sites: gpd.GeoDataFrame,
                         site_new: np.ndarray, walk_new: np.ndarray) -> pd.DataFrame:
    """Each household's precinct in a proposal: its nearest open site by walking.

    A household with no walk to any open site keeps its precinct when it stays open; else it
    goes to the nearest open site as the crow flies. Nobody is left without a precinct.
    """
    opened = sites[sites["open"].to_numpy(dtype=bool)]
    numbers = opened["proposed_precinct_id"].to_numpy(dtype=np.int64)
    out = np.where(site_new >= 0, numbers[np.maximum(site_new, 0)], -1)
    how = np.where(site_new >= 0, "nearest walk", "").astype(object)
    none = np.flatnonzero(site_new < 0)
    if len(none):
        own = homes["precinct_id"].to_numpy(dtype=np.int64)[none]
        keep = np.isin(own, numbers)
        out[none[keep]] = own[keep]
        how[none[keep]] = "kept"
        far = none[~keep]
        if len(far):
            crs = homes.estimate_utm_crs()
            tree = shapely.STRtree(opened.geometry.to_crs(crs).to_numpy())
            near = tree.query_nearest(homes.geometry.iloc[far].to_crs(crs).to_numpy(),
                                      all_matches=False)[1]
            out[far] = numbers[near]
            how[far] = "nearest straight line"
    return pd.DataFrame({"household_id": homes["household_id"].astype(str).to_numpy(),
                         "precinct_id": pd.array(out, dtype="Int64"),
                         "walk_m": np.where(np.isfinite(walk_new), walk_new, np.nan),
                         "how": how.astype(str)})


def _write(db: Path, scenario: Scenario, note: str) -> None:
    """Put the proposal into the GeoPackage, replacing an earlier one (holding its lock)."""
    states = {"today, as assigned": "today", "nearest precinct": "nearest", "proposed": "proposed"}
    table = scenario.table.rename(index=states).rename_axis("state").reset_index()
    with writing(db, "aksugeo siting"):
        for layer, frame in ((SITING_SITES, scenario.sites.astype({"precinct_id": "float64"})),
                             (SITING_CATCHMENTS, scenario.catchments)):
            frame.to_file(db, layer=layer, driver="GPKG", engine="pyogrio",
                          layer_options={"OVERWRITE": "YES"}, metadata={"scenario": note})
        pyogrio.write_dataframe(table, db, layer=SITING_FIGURES, driver="GPKG",
                                layer_options={"OVERWRITE": "YES"}, metadata={"scenario": note})
        if scenario.assignment is not None:
            pyogrio.write_dataframe(scenario.assignment, db, layer=SITING_ASSIGNMENT,
                                    driver="GPKG", layer_options={"OVERWRITE": "YES"},
                                    metadata={"scenario": note})


def propose(db: str | Path, *, minutes: float, add: int = 0, move: int = 0,
            merge: bool = False, method: str = "highs", settings: AccessSettings | None = None,
            write: bool = True) -> Scenario:
    """Propose where precincts should stand: add, move or merge, most voters within ``minutes``.

    Parameters
    ----------
    db : str or Path
        The GeoPackage ``aksugeo build`` wrote (from a data directory with
        ``candidate_sites.geojson``).
    minutes : float
        The walk that counts as covered, at the normal speed.
    add : int
        Add this many sites among the candidates, every existing precinct kept.
    move : int
        Let up to this many existing precincts move to candidate sites (as many open).
    merge : bool
        Close the existing precinct that pushes the fewest voters beyond ``minutes`` (every
        precinct is tried; the ranking comes with the scenario).
    method : str
        ``highs`` (exact MILP) or ``greedy`` (greedy + swap).
    settings : AccessSettings, optional
        Speeds (the build's by default).
    write : bool
        Write ``siting_sites`` and ``siting_catchments`` into ``db``.

    Returns
    -------
    Scenario
        The proposal and its figures.
    """
    db = Path(db)
    settings, homes, sites, net = _inputs(db, settings)
    radius_m = settings.metres(minutes)
    fixed = sites["existing"].to_numpy(dtype=bool)
    hsnap = snap_points(net, homes.geometry, max_m=settings.max_snap_m,  # once for all walks
                        min_component_nodes=settings.min_component_nodes)

    def walks_to(chosen: np.ndarray, limit_m: float = np.inf) -> sparse.csr_matrix:
        snap = snap_points(net, sites[chosen].geometry, max_m=settings.max_snap_m,
                           min_component_nodes=settings.min_component_nodes)
        return walks_within(net, hsnap, snap, limit_m=limit_m)

    walks = walks_to(np.ones(len(sites), dtype=bool), radius_m)
    existing = walks_to(fixed)  # every walk to today's precincts: figures and merges
    voters = homes["voters"].to_numpy(dtype=float)
    ranking = None
    n_existing = int(fixed.sum())
    if merge:
        coo = existing.tocoo()
        dense = np.full(existing.shape, np.inf)
        dense[coo.row, coo.col] = coo.data
        solution, ranking = _merge(walks, voters, fixed, radius_m, sites, dense,
                                   settings.metres(1))
    elif move:
        if method != "highs":
            raise AksugeoError("--move is solved exactly (method highs)")
        solution = max_cover(walks, voters, p=n_existing, radius_m=radius_m,
                             keep=(fixed, n_existing - move), at_least=access_floors(sites))
    elif method == "highs":
        solution = max_cover(walks, voters, p=n_existing + add, radius_m=radius_m, fixed=fixed)
    elif method == "greedy":
        solution = greedy_cover(walks, voters, p=n_existing + add, radius_m=radius_m,
                                fixed=fixed)
    else:
        raise AksugeoError(f"unknown method {method!r}: highs or greedy")
    rows = {"today, as assigned": figures(homes["walk_assigned_m"].fillna(np.inf).to_numpy(),
                                          voters, settings)}
    everyone = np.ones(n_existing, dtype=bool)
    rows["nearest precinct"] = figures(nearest_open(existing, everyone)[0], voters, settings)
    proposed = np.ones(int(solution.open.sum()), dtype=bool)  # the rows of walks_to(open)
    walk_new, site_new = nearest_open(walks_to(solution.open), proposed)
    rows["proposed"] = figures(walk_new, voters, settings)
    table = pd.DataFrame(rows).T
    sites = sites.assign(open=solution.open, added=solution.open & ~fixed,
                         closed=fixed & ~solution.open)
    sites["proposed_precinct_id"] = _proposed_numbers(sites)
    opened = sites[solution.open].assign(precinct_id=lambda f: np.arange(len(f)) + 1)
    # the access engine draws the catchments of the new set (who is assigned does not matter)
    catch = analyse_access(net, homes.assign(precinct_id=1), opened, settings=settings,
                           isochrones=False).catchments
    catch = catch.merge(opened[["precinct_id", "site_id"]], on="precinct_id").drop(
        columns="precinct_id").to_crs(WGS84)
    scenario = Scenario(sites, solution, table, catch, ranking, settings,
                        _proposed_assignment(homes, sites, site_new, walk_new))
    if write:
        what = "merge" if merge else f"move {move}" if move else f"add {add}"
        _write(db, scenario, f"{what} at {minutes:g} min ({solution.method})")
    return scenario


@dataclass
class Move:
    """What moving one precinct to another building changes (:func:`move_precinct`).

    Attributes
    ----------
    precinct_id : int
        The precinct moved.
    old, new : pandas.Series
        The site it leaves and the one it moves to (``name``, ``access_<group>``, point).
    voters : pandas.DataFrame
        Its own voters (the households the akim's decision assigns it), walking to the old
        site and to the new: rows ``before`` and ``after``, the columns of :func:`figures`.
    everyone : pandas.DataFrame
        The same for every voter of the build, each walking to the precinct assigned.
    access : pandas.DataFrame
        By group: ``before`` and ``after`` (whether the site is accessible to the group),
        ``lost`` (it was and will not be).
    changed : geopandas.GeoDataFrame
        The households whose nearest precinct changes: ``household_id``, ``address``,
        ``voters``, ``precinct_id`` (assigned), ``nearest_before``, ``nearest_after``,
        ``walk_before_min``, ``walk_after_min``; points in WGS84.
    settings : AccessSettings
        How the walks were measured.
    """

    precinct_id: int
    old: pd.Series
    new: pd.Series
    voters: pd.DataFrame
    everyone: pd.DataFrame
    access: pd.DataFrame
    changed: gpd.GeoDataFrame
    settings: AccessSettings

    @property
    def lost_groups(self) -> list[str]:
        """Return the groups the old site served and the new one does not."""
        return [str(g) for g in self.access.index[self.access["lost"]]]


def move_precinct(db: str | Path, precinct_id: int, *, site_id: str | None = None,
                  point: tuple[float, float] | None = None, name: str = "",
                  accessible_for: tuple[str, ...] = ()) -> Move:
    """Return what moving a precinct to a candidate site, or to any point, changes.

    The households the akim's decision assigns the precinct stay its voters and walk to the
    new site; every other voter walks as today. The nearest precinct of a household may
    change (it is then listed), which is what a redrawing of the boundaries would weigh.

    Parameters
    ----------
    db : str or Path
        A build with candidate sites.
    precinct_id : int
        The precinct to move.
    site_id : str, optional
        A candidate site (``candidate_sites``) to move it to.
    point : (lon, lat), optional
        Or any point (WGS84): a building the planner found, with its ``name`` and the groups
        it is ``accessible_for``.

    Raises
    ------
    AksugeoError
        For an unknown precinct or site, or neither or both of ``site_id`` and ``point``.
    """
    db = Path(db)
    settings, homes, sites, net = _inputs(db, None)
    existing = sites[sites["existing"]].reset_index(drop=True)
    mine = existing.index[existing["precinct_id"] == int(precinct_id)]
    if not len(mine):
        known = existing["precinct_id"].astype(int)
        raise AksugeoError(f"{db}: no precinct {precinct_id} (precincts {known.min()}-"
                           f"{known.max()})")
    if (site_id is None) == (point is None):
        raise AksugeoError("say where to move the precinct: a candidate site or a point")
    if site_id is not None:
        chosen = sites[sites["site_id"] == site_id]
        if not len(chosen):
            raise AksugeoError(f"{db}: no candidate site {site_id!r}")
        new = chosen.iloc[0].copy()
    else:
        unknown = set(accessible_for) - set(GROUPS)
        if unknown:
            raise AksugeoError(f"unknown groups {sorted(unknown)}: {', '.join(GROUPS)}")
        lon, lat = cast("tuple[float, float]", point)
        new = gpd.GeoDataFrame({"site_id": ["new"], "name": [name or "—"],
                                **{f"access_{g}": [g in accessible_for] for g in GROUPS}},
                               geometry=gpd.points_from_xy([lon], [lat]), crs=WGS84).iloc[0]
    k = int(mine[0])
    old = existing.iloc[k]
    hsnap = snap_points(net, homes.geometry, max_m=settings.max_snap_m,
                        min_component_nodes=settings.min_component_nodes)
    after_sites = existing.geometry.to_numpy().copy()
    after_sites[k] = new.geometry
    walks = {}
    for state, geoms in (("before", existing.geometry), ("after", gpd.GeoSeries(
            after_sites, crs=WGS84))):
        snap = snap_points(net, geoms, max_m=settings.max_snap_m,
                           min_component_nodes=settings.min_component_nodes)
        coo = walks_within(net, hsnap, snap, limit_m=np.inf).tocoo()
        dense = np.full((len(geoms), len(homes)), np.inf)
        dense[coo.row, coo.col] = coo.data
        walks[state] = dense
    voters = homes["voters"].to_numpy(dtype=float)
    assigned = homes["precinct_id"].to_numpy()
    row = {int(p): i for i, p in enumerate(existing["precinct_id"].astype(int))}
    index = np.array([row.get(int(p), -1) if pd.notna(p) else -1 for p in assigned])
    ours = index == k
    own, everyone = {}, {}
    for state, dense in walks.items():
        walk = np.where(index >= 0, dense[np.maximum(index, 0), np.arange(len(homes))], np.inf)
        everyone[state] = figures(walk, voters, settings)
        own[state] = figures(walk[ours], voters[ours], settings) if ours.any() else {}
    near = {state: np.argmin(dense, axis=0) for state, dense in walks.items()}
    reach = {state: dense.min(axis=0) for state, dense in walks.items()}
    moved = (near["before"] != near["after"]) & np.isfinite(reach["after"])
    ids = existing["precinct_id"].astype(int).to_numpy()
    minute = settings.metres(1)
    changed = homes.loc[moved, ["household_id", "address", "voters", "precinct_id",
                                "geometry"]].assign(
        nearest_before=ids[near["before"][moved]], nearest_after=ids[near["after"][moved]],
        walk_before_min=np.round(reach["before"][moved] / minute, 1),
        walk_after_min=np.round(reach["after"][moved] / minute, 1)).to_crs(WGS84)
    access = pd.DataFrame({"before": [bool(old[f"access_{g}"]) for g in GROUPS],
                           "after": [bool(new[f"access_{g}"]) for g in GROUPS]}, index=GROUPS)
    access["lost"] = access["before"] & ~access["after"]
    return Move(int(precinct_id), old, new, pd.DataFrame(own).T, pd.DataFrame(everyone).T,
                access, gpd.GeoDataFrame(changed.reset_index(drop=True), crs=WGS84), settings)
