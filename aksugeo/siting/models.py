"""Location models on a walking matrix, in the style of PySAL spopt.

A model runs on a plain sparse walking matrix (sites x households, metres, kept within the
largest band): :func:`aksugeo.siting.scenarios.walk_matrix` builds it from the build's network,
:func:`from_cost_matrix` from spopt's dense clients x facilities cost matrix.

- :func:`max_cover`: the maximal covering location problem (MCLP): the most voters within
  ``radius_m`` of some open site with ``p`` sites open, the fixed ones among them; solved
  exactly as a MILP with HiGHS (:func:`scipy.optimize.milp`), which reports its gap, or by
  :func:`greedy_cover`, a greedy + swap heuristic for large cases.
- :func:`p_median` (least total voter walking, optional capacity) and :func:`set_cover`
  (fewest sites covering everyone), exact.
- :func:`nearest_open`: each household's walk to its nearest open site.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from aksugeo._errors import AksugeoError
from aksugeo.walk.routing import improve


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


def cover_matrix(walk_m: sparse.csr_matrix, radius_m: float) -> sparse.csr_matrix:
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
              keep: tuple[np.ndarray, int] | None = None,
              at_least: Sequence[tuple[np.ndarray, int]] = ()) -> Solution:
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
    at_least : sequence of (mask, int)
        More such floors: at least so many of each mask's sites open (the sites accessible to
        each group of voters with disabilities: no fewer than today,
        :func:`aksugeo.siting.scenarios.access_floors`).

    Returns
    -------
    Solution
        The open sites, the voters covered, the solver's gap.
    """
    n_sites = walk_m.shape[0]
    fixed = np.zeros(n_sites, dtype=bool) if fixed is None else np.asarray(fixed, dtype=bool)
    _check(n_sites, p, fixed)
    start = time.perf_counter()
    cover = cover_matrix(walk_m, radius_m).tocsc()
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
    for mask, least in ([keep] if keep is not None else []) + list(at_least):
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
    cover = cover_matrix(walk_m, radius_m).tocsc()
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
    cover = cover_matrix(walk_m, radius_m).tocsr()
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
