"""Siting: where to add a precinct so that more voters walk less (maximal covering, for now).

The array core follows PySAL spopt's split: a model runs on a plain sparse walking matrix
(sites x households, metres, kept within the largest band), built once from bounded searches
on the same engine as walking access, so one network serves every scenario.

- :func:`site_table`: the existing precincts (fixed) and the candidate sites, one table.
- :func:`walk_matrix`: the sparse walking matrix (:func:`from_cost_matrix` takes spopt's
  dense clients x facilities cost matrix instead).
- :func:`max_cover`: spopt's maximal covering location problem (MCLP): the most voters within
  ``radius_m`` of some open site with ``p`` sites open, the fixed ones among them; solved
  exactly as a MILP with HiGHS (:func:`scipy.optimize.milp`), which reports its gap, or by a
  greedy + swap heuristic for large cases.
- :func:`figures`: before/after figures of a set of open sites, every household walking to its
  nearest open site.

- :func:`p_median` (least total voter walking, optional capacity) and :func:`set_cover`
  (fewest sites covering everyone), exact, for analyses in Python.
- :func:`propose`: the ``aksugeo siting --add N | --move K | --merge`` scenarios on a built
  GeoPackage: the model, the figures of today, of the nearest existing precinct and of the
  proposal, and the proposed sites and their catchments written back as layers
  ``siting_sites`` and ``siting_catchments``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from aksugeo._errors import AksugeoError
from aksugeo.access import analyse_access
from aksugeo.distances import walks_within
from aksugeo.layers import CANDIDATE_SITES, HOUSEHOLDS, PRECINCTS, open_build
from aksugeo.network import WalkNetwork, load_network
from aksugeo.routing import improve
from aksugeo.schema import WGS84
from aksugeo.settings import AccessSettings
from aksugeo.snapping import snap_points


def site_table(precincts: gpd.GeoDataFrame,
               candidates: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    """Return the existing precincts, then the candidate sites, as one table of sites.

    Parameters
    ----------
    precincts : geopandas.GeoDataFrame
        ``precinct_id``, ``name``, ``facility_type``, points.
    candidates : geopandas.GeoDataFrame, optional
        ``site_id``, ``name``, ``facility_type``, points.

    Returns
    -------
    geopandas.GeoDataFrame
        ``site_id`` (``P-<precinct>`` for a precinct), ``name``, ``facility_type``,
        ``existing``, ``precinct_id`` (nullable), points in WGS84.
    """
    parts = [gpd.GeoDataFrame({
        "site_id": [f"P-{int(p)}" for p in precincts["precinct_id"]],
        "name": precincts["name"].to_numpy(), "facility_type": precincts["facility_type"],
        "existing": True, "precinct_id": pd.array(precincts["precinct_id"], dtype="Int64")},
        geometry=precincts.geometry.to_crs(WGS84).to_numpy(), crs=WGS84)]
    if candidates is not None and len(candidates):
        parts.append(gpd.GeoDataFrame({
            "site_id": candidates["site_id"].to_numpy(), "name": candidates["name"].to_numpy(),
            "facility_type": candidates["facility_type"].to_numpy(), "existing": False,
            "precinct_id": pd.array([pd.NA] * len(candidates), dtype="Int64")},
            geometry=candidates.geometry.to_crs(WGS84).to_numpy(), crs=WGS84))
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=WGS84)


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


def from_cost_matrix(cost_matrix: np.ndarray, *,
                     limit: float = np.inf) -> sparse.csr_matrix:
    """Turn spopt's input, a dense clients x facilities cost matrix, into the models' matrix.

    Parameters
    ----------
    cost_matrix : numpy.ndarray
        ``(clients, facilities)`` costs (metres, minutes: the models do not mind the unit, as
        long as the radius is in the same one); inf or NaN where a client cannot reach.
    limit : float
        Leave out costs above this (keeps the matrix sparse).

    Returns
    -------
    scipy.sparse.csr_matrix
        ``(facilities, clients)``, as :func:`walk_matrix` returns it.
    """
    cost = np.asarray(cost_matrix, dtype=float).T
    keep = np.isfinite(cost) & (cost <= limit)
    rows, cols = np.nonzero(keep)
    return sparse.csr_matrix((cost[rows, cols], (rows, cols)), shape=cost.shape)


@dataclass(frozen=True)
class Solution:
    """Which sites a model opens, and how well.

    Attributes
    ----------
    open : numpy.ndarray
        Boolean mask over the sites.
    objective : float
        The model's objective (voters covered, for the MCLP).
    gap : float
        The solver's relative MIP gap (0 when proven optimal; NaN for a heuristic).
    seconds : float
        Time spent solving.
    method : str
        ``highs`` or ``greedy+swap``.
    """

    open: np.ndarray
    objective: float
    gap: float
    seconds: float
    method: str


def _coverage(walk_m: sparse.csr_matrix, radius_m: float) -> sparse.csr_matrix:
    """Sites x households, 1 where the walk is within ``radius_m``."""
    cover = walk_m.copy()
    cover.data = (cover.data <= radius_m).astype(np.float64)
    cover.eliminate_zeros()
    return cover.tocsr()


def _check(n_sites: int, p: int, fixed: np.ndarray) -> None:
    if not int(fixed.sum()) <= p <= n_sites:
        raise AksugeoError(f"cannot open {p} sites: {int(fixed.sum())} are fixed open and there "
                           f"are {n_sites} in all")


def max_cover(walk_m: sparse.csr_matrix, voters: np.ndarray, *, p: int, radius_m: float,
              fixed: np.ndarray | None = None, time_limit_s: float = 600.0,
              keep: tuple[np.ndarray, int] | None = None) -> Solution:
    """Solve the maximal covering location problem exactly (a MILP, with HiGHS).

    Maximise the voters within ``radius_m`` of an open site, opening exactly ``p`` sites, the
    ``fixed`` ones among them (spopt's MCLP with ``predefined_facilities_arr``).

    Parameters
    ----------
    walk_m : scipy.sparse.csr_matrix
        Sites x households, metres (from :func:`walk_matrix`).
    voters : numpy.ndarray
        The weight of each household.
    p : int
        Sites open in all.
    radius_m : float
        The service radius, metres (the minutes times the speed).
    fixed : numpy.ndarray, optional
        Boolean mask of sites that stay open (the existing precincts).
    time_limit_s : float
        Give up proving optimality after this long (the gap says how far it got).
    keep : tuple (mask, int), optional
        At least this many of the masked sites stay open (``--move K``: all but K of the
        existing precincts).

    Returns
    -------
    Solution
        The open sites, the voters covered, the solver's gap.
    """
    n_sites = walk_m.shape[0]
    fixed = np.zeros(n_sites, dtype=bool) if fixed is None else np.asarray(fixed, dtype=bool)
    _check(n_sites, p, fixed)
    start = time.perf_counter()
    cover = _coverage(walk_m, radius_m).tocsc()
    reachable = np.flatnonzero(np.diff(cover.indptr) > 0)  # households some site covers
    a = cover[:, reachable].T.tocsr()  # households x sites
    n_z = len(reachable)
    w = np.asarray(voters, dtype=float)[reachable]
    # variables: y (sites, binary), then z (covered households, 0..1)
    c = np.concatenate([np.zeros(n_sites), -w])
    # z_i - sum_j a_ij y_j <= 0
    link = sparse.hstack([-a, sparse.identity(n_z, format="csr")], format="csr")
    count = sparse.csr_matrix(np.concatenate([np.ones(n_sites), np.zeros(n_z)]))
    lower = np.concatenate([fixed.astype(float), np.zeros(n_z)])
    constraints = [LinearConstraint(link, -np.inf, 0.0), LinearConstraint(count, p, p)]
    if keep is not None:
        mask, least = keep
        row = np.concatenate([np.asarray(mask, dtype=float), np.zeros(n_z)])
        constraints.append(LinearConstraint(sparse.csr_matrix(row), least, np.inf))
    res = milp(c, integrality=np.concatenate([np.ones(n_sites), np.zeros(n_z)]),
               bounds=Bounds(lower, np.ones(n_sites + n_z)), constraints=constraints,
               options={"time_limit": time_limit_s, "mip_rel_gap": 0.0})
    if res.x is None:
        raise AksugeoError(f"the covering model found no solution: {res.message}")
    chosen = res.x[:n_sites] > 0.5
    return Solution(chosen, covered_voters(cover, voters, chosen), float(res.mip_gap or 0.0),
                    time.perf_counter() - start, "highs")


def p_median(walk_m: sparse.csr_matrix, voters: np.ndarray, *, p: int,
             fixed: np.ndarray | None = None, capacity: float | None = None,
             time_limit_s: float = 600.0) -> Solution:
    """Solve the p-median problem exactly: the least total voter walking with ``p`` sites open.

    Each household walks to one open site among those ``walk_m`` stores for it (build the
    matrix with a generous limit); spopt's PMedian, with ``fixed`` sites predefined and an
    optional capacity (voters per site).

    Parameters
    ----------
    walk_m : scipy.sparse.csr_matrix
        Sites x households, metres.
    voters : numpy.ndarray
        The weight of each household.
    p : int
        Sites open in all.
    fixed : numpy.ndarray, optional
        Boolean mask of sites that stay open.
    capacity : float, optional
        The most voters one site may serve.
    time_limit_s : float
        Give up proving optimality after this long.

    Returns
    -------
    Solution
        Open sites; ``objective`` is the voter-weighted walk in metres, summed.
    """
    n_sites, n_homes = walk_m.shape
    fixed = np.zeros(n_sites, dtype=bool) if fixed is None else np.asarray(fixed, dtype=bool)
    _check(n_sites, p, fixed)
    start = time.perf_counter()
    coo = walk_m.tocoo()
    reach = np.bincount(coo.col, minlength=n_homes) > 0
    if not reach.all():
        raise AksugeoError(f"{int((~reach).sum())} households have no site within the "
                           "matrix's limit: build it with a larger limit_m")
    w = np.asarray(voters, dtype=float)
    n_x = coo.nnz  # x_k: household coo.col[k] goes to site coo.row[k]
    c = np.concatenate([np.zeros(n_sites), w[coo.col] * coo.data])
    k = np.arange(n_x)
    assign = sparse.csr_matrix((np.ones(n_x), (coo.col, n_sites + k)),
                               shape=(n_homes, n_sites + n_x))
    link = sparse.csr_matrix((np.concatenate([np.ones(n_x), -np.ones(n_x)]),
                              (np.concatenate([k, k]), np.concatenate([n_sites + k, coo.row]))),
                             shape=(n_x, n_sites + n_x))
    count = sparse.csr_matrix(np.concatenate([np.ones(n_sites), np.zeros(n_x)]))
    constraints = [LinearConstraint(assign, 1.0, 1.0), LinearConstraint(link, -np.inf, 0.0),
                   LinearConstraint(count, p, p)]
    if capacity is not None:
        load = sparse.csr_matrix((np.concatenate([w[coo.col], -np.full(n_sites, capacity)]),
                                  (np.concatenate([coo.row, np.arange(n_sites)]),
                                   np.concatenate([n_sites + k, np.arange(n_sites)]))),
                                 shape=(n_sites, n_sites + n_x))
        constraints.append(LinearConstraint(load, -np.inf, 0.0))
    res = milp(c, integrality=np.concatenate([np.ones(n_sites), np.zeros(n_x)]),
               bounds=Bounds(np.concatenate([fixed.astype(float), np.zeros(n_x)]), 1.0),
               constraints=constraints,
               options={"time_limit": time_limit_s, "mip_rel_gap": 0.0})
    if res.x is None:
        raise AksugeoError(f"the p-median model found no solution: {res.message}")
    return Solution(res.x[:n_sites] > 0.5, float(res.fun), float(res.mip_gap or 0.0),
                    time.perf_counter() - start, "highs")


def set_cover(walk_m: sparse.csr_matrix, *, radius_m: float, fixed: np.ndarray | None = None,
              time_limit_s: float = 600.0) -> tuple[Solution, np.ndarray]:
    """Solve the set covering problem exactly: the fewest sites within reach of every household.

    spopt's LSCP: every household within ``radius_m`` of an open site; households no site
    reaches are left out (and returned).

    Parameters
    ----------
    walk_m : scipy.sparse.csr_matrix
        Sites x households, metres.
    radius_m : float
        The service radius, metres.
    fixed : numpy.ndarray, optional
        Boolean mask of sites that stay open.
    time_limit_s : float
        Give up proving optimality after this long.

    Returns
    -------
    solution : Solution
        Open sites; ``objective`` is their number.
    unreachable : numpy.ndarray
        Boolean mask of the households no site can cover.
    """
    n_sites = walk_m.shape[0]
    fixed = np.zeros(n_sites, dtype=bool) if fixed is None else np.asarray(fixed, dtype=bool)
    start = time.perf_counter()
    cover = _coverage(walk_m, radius_m).tocsc()
    reached = np.diff(cover.indptr) > 0
    a = cover[:, np.flatnonzero(reached)].T.tocsr()
    res = milp(np.ones(n_sites), integrality=np.ones(n_sites),
               bounds=Bounds(fixed.astype(float), 1.0),
               constraints=[LinearConstraint(a, 1.0, np.inf)],
               options={"time_limit": time_limit_s, "mip_rel_gap": 0.0})
    if res.x is None:
        raise AksugeoError(f"the set covering model found no solution: {res.message}")
    return (Solution(res.x > 0.5, float(round(res.fun)), float(res.mip_gap or 0.0),
                     time.perf_counter() - start, "highs"), ~reached)


def covered_voters(cover: sparse.spmatrix, voters: np.ndarray, chosen: np.ndarray) -> float:
    """Return the voters within reach of at least one chosen site."""
    hit = np.asarray(cover.tocsr()[np.flatnonzero(chosen)].sum(axis=0)).ravel() > 0
    return float(np.asarray(voters, dtype=float)[hit].sum())


def greedy_cover(walk_m: sparse.csr_matrix, voters: np.ndarray, *, p: int, radius_m: float,
                 fixed: np.ndarray | None = None, swaps: int = 2) -> Solution:
    """Solve the MCLP by greedy addition and then 1-for-1 swaps, for cases too big for a MILP.

    Parameters
    ----------
    walk_m, voters, p, radius_m, fixed
        As for :func:`max_cover`.
    swaps : int
        Rounds of swap improvement (each tries every open, non-fixed site against every closed).

    Returns
    -------
    Solution
        Open sites and voters covered; ``gap`` is NaN (no bound).
    """
    n_sites = walk_m.shape[0]
    fixed = np.zeros(n_sites, dtype=bool) if fixed is None else np.asarray(fixed, dtype=bool)
    _check(n_sites, p, fixed)
    start = time.perf_counter()
    cover = _coverage(walk_m, radius_m).tocsr()
    w = np.asarray(voters, dtype=float)
    chosen = fixed.copy()
    hits = np.asarray(cover[np.flatnonzero(chosen)].sum(axis=0)).ravel()
    while chosen.sum() < p:
        gain = cover @ np.where(hits > 0, 0.0, w)
        gain[chosen] = -1.0
        best = int(np.argmax(gain))
        chosen[best] = True
        hits += cover[best].toarray().ravel()
    value = covered_voters(cover, w, chosen)
    for _ in range(swaps):
        improved = False
        for out in np.flatnonzero(chosen & ~fixed):
            base = chosen.copy()
            base[out] = False
            hits = np.asarray(cover[np.flatnonzero(base)].sum(axis=0)).ravel()
            gain = cover @ np.where(hits > 0, 0.0, w)
            gain[base] = -1.0
            best = int(np.argmax(gain))
            candidate = w[hits > 0].sum() + gain[best]
            if candidate > value + 1e-9:
                base[best] = True
                chosen, value, improved = base, float(candidate), True
        if not improved:
            break
    return Solution(chosen, value, float("nan"), time.perf_counter() - start, "greedy+swap")


def nearest_open(walk_m: sparse.spmatrix, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return each household's walk to its nearest chosen site, and which site (inf, -1: none).

    A walk ``walk_m`` does not store counts as none (not as 0, as a sparse minimum would).
    """
    rows = np.flatnonzero(chosen)
    coo = sparse.csr_matrix(walk_m)[rows].tocoo()
    dist, site = np.full(walk_m.shape[1], np.inf), np.full(walk_m.shape[1], -1)
    improve(dist, site, coo.col, coo.data, rows[coo.row])
    return dist, site


def figures(walk_m: np.ndarray, voters: np.ndarray, settings: AccessSettings,
            bands_min: tuple[int, ...] = (10, 15, 20)) -> dict[str, float]:
    """Return the figures of one scenario from every household's walk (metres, inf: none).

    Parameters
    ----------
    walk_m : numpy.ndarray
        Each household's walk to the site it goes to.
    voters : numpy.ndarray
        Voters per household.
    settings : AccessSettings
        The speeds.
    bands_min : tuple of int
        The bands counted.

    Returns
    -------
    dict
        ``within_<m>_pct`` and ``within_<m>_reduced_pct`` (voters, %), ``mean_min`` and
        ``p95_min`` (voter-weighted walk, minutes, normal speed), ``no_walk_voters``.
    """
    w = np.asarray(voters, dtype=float)
    ok = np.isfinite(walk_m)
    out: dict[str, float] = {}
    for m in bands_min:
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
    """

    sites: gpd.GeoDataFrame
    solution: Solution
    table: pd.DataFrame
    catchments: gpd.GeoDataFrame
    ranking: pd.DataFrame | None = None
    settings: AccessSettings = field(default_factory=AccessSettings)


def _merge(walks: sparse.csr_matrix, voters: np.ndarray, fixed: np.ndarray, radius_m: float,
           sites: gpd.GeoDataFrame, existing_walk_m: np.ndarray,
           metres_per_min: float) -> tuple[Solution, pd.DataFrame]:
    """Close each existing precinct in turn: voters pushed beyond the radius, walking added.

    ``existing_walk_m`` is every household's walk to every existing precinct (precincts x
    households, inf where none), for the walking the closure adds (its voters go to their
    next-nearest precinct); ties in voters pushed beyond are broken by it.
    """
    start = time.perf_counter()
    cover = _coverage(walks, radius_m)
    base = covered_voters(cover, voters, fixed)
    order = np.sort(existing_walk_m, axis=0)
    first, second = order[0], order[1] if len(order) > 1 else np.full(order.shape[1], np.inf)
    nearest = np.argmin(existing_walk_m, axis=0)
    w = np.asarray(voters, dtype=float)
    rows = []
    for k, j in enumerate(np.flatnonzero(fixed)):
        left = fixed.copy()
        left[j] = False
        moved = (nearest == k) & np.isfinite(first)
        added = float((w[moved] * (second[moved] - first[moved])).sum()) / metres_per_min
        rows.append({"site": j, "precinct_id": sites["precinct_id"].iloc[j],
                     "name": sites["name"].iloc[j],
                     "pushed_beyond": base - covered_voters(cover, voters, left),
                     "voters_moved": int(w[moved].sum()),
                     "added_voter_min": round(added, 1)})
    ranking = pd.DataFrame(rows).sort_values(["pushed_beyond", "added_voter_min"],
                                             kind="stable")
    best = fixed.copy()
    best[int(ranking["site"].iloc[0])] = False
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


def _write(db: Path, scenario: Scenario, note: str) -> None:
    """Put the proposal into the GeoPackage, replacing an earlier one."""
    for layer, frame in (("siting_sites", scenario.sites.astype({"precinct_id": "float64"})),
                         ("siting_catchments", scenario.catchments)):
        frame.to_file(db, layer=layer, driver="GPKG", engine="pyogrio",
                      layer_options={"OVERWRITE": "YES"}, metadata={"scenario": note})
    states = {"today, as assigned": "today", "nearest precinct": "nearest", "proposed": "proposed"}
    table = scenario.table.rename(index=states).rename_axis("state").reset_index()
    pyogrio.write_dataframe(table, db, layer="siting_figures", driver="GPKG",
                            layer_options={"OVERWRITE": "YES"}, metadata={"scenario": note})


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
                             keep=(fixed, n_existing - move))
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
    rows["proposed"] = figures(nearest_open(walks_to(solution.open), proposed)[0], voters,
                               settings)
    table = pd.DataFrame(rows).T
    sites = sites.assign(open=solution.open, added=solution.open & ~fixed,
                         closed=fixed & ~solution.open)
    opened = sites[solution.open].assign(precinct_id=lambda f: np.arange(len(f)) + 1)
    # the access engine draws the catchments of the new set (who is assigned does not matter)
    catch = analyse_access(net, homes.assign(precinct_id=1), opened, settings=settings,
                           isochrones=False).catchments
    catch = catch.merge(opened[["precinct_id", "site_id"]], on="precinct_id").drop(
        columns="precinct_id").to_crs(WGS84)
    scenario = Scenario(sites, solution, table, catch, ranking, settings)
    if write:
        what = "merge" if merge else f"move {move}" if move else f"add {add}"
        _write(db, scenario, f"{what} at {minutes:g} min ({solution.method})")
    return scenario
