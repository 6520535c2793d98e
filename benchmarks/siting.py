"""Siting models: aksugeo (HiGHS, greedy + swap) against PySAL spopt (PuLP + CBC).

    python benchmarks/siting.py [--write BENCHMARKS.md] [--households 100000] [--candidates 1000]

Part 1, the shipped Aksu data: the same walking matrix (sites x households, from aksugeo's
engine) goes to both; each model is solved by each, and the objectives and times compared
(ratio = spopt time / aksugeo time). Part 2, the scale run: the households repeated with small
offsets up to ``--households``, ``--candidates`` sites among them, the 40 precincts fixed;
matrix build, the exact MCLP and the greedy heuristic (spopt is left out at this size).
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pulp
from scipy import sparse
from spopt.locate import LSCP, MCLP, PMedian

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aksugeo import __version__  # noqa: E402
from aksugeo.data.io import load_dataset  # noqa: E402
from aksugeo.settings import AccessSettings  # noqa: E402
from aksugeo.siting.models import greedy_cover, max_cover, p_median, set_cover  # noqa: E402
from aksugeo.siting.scenarios import site_table, walk_matrix  # noqa: E402
from aksugeo.walk.network import load_network  # noqa: E402
from benchmarks._markdown import table_section  # noqa: E402

warnings.simplefilter("ignore", DeprecationWarning)  # spopt's PuLP calls, one per variable


def dense(walks: sparse.csr_matrix) -> np.ndarray:
    """Clients x facilities cost matrix for spopt (1e9 where no walk is stored)."""
    out = np.full(walks.shape[::-1], 1e9)
    coo = walks.tocoo()
    out[coo.col, coo.row] = coo.data
    return out


def timed(fn, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
    """Return what ``fn`` returns and the seconds it took."""
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


def spopt_value(model) -> float:  # noqa: ANN001
    """Solve a spopt model with CBC and return its objective."""
    model.solve(pulp.PULP_CBC_CMD(msg=False))
    return float(pulp.value(model.problem.objective))


def aksu_rows() -> list[str]:
    """Each model on the shipped data, by both."""
    ds = load_dataset(ROOT / "data")
    net = load_network(ds.network_path)
    st = AccessSettings()
    sites = site_table(ds.precincts, ds.candidates)
    fixed = sites["existing"].to_numpy()
    voters = ds.households["voters"].to_numpy(dtype=float)
    radius = st.metres(15)
    near, t_near = timed(walk_matrix, net, ds.households, sites, limit_m=radius)
    full, t_full = timed(walk_matrix, net, ds.households, sites, limit_m=np.inf)
    rows = [(f"| Aksu | walking matrix within 15 min ({near.shape[0]} x {near.shape[1]:,}, "
            f"{near.nnz:,} walks) | {t_near:.2f} s | | | |"),
            f"| Aksu | walking matrix, all walks ({full.nnz:,}) | {t_full:.2f} s | | | |"]
    p = int(fixed.sum()) + 2
    ours, t_ours = timed(max_cover, near, voters, p=p, radius_m=radius, fixed=fixed)
    theirs, t_theirs = timed(lambda: spopt_value(MCLP.from_cost_matrix(
        dense(near), voters, radius, p, predefined_facilities_arr=fixed.astype(int))))
    rows.append(f"| Aksu | MCLP, add 2 at 15 min | {t_ours:.2f} s, {ours.objective:,.0f} "
                f"voters (gap {ours.gap:.0%}) | {t_theirs:.2f} s, {theirs:,.0f} | "
                f"{'equal' if ours.objective == theirs else 'DIFFERENT'} | "
                f"{t_theirs / t_ours:.0f}x |")
    greedy, t_greedy = timed(greedy_cover, near, voters, p=p, radius_m=radius, fixed=fixed)
    rows.append(f"| Aksu | MCLP, greedy + swap | {t_greedy:.2f} s, {greedy.objective:,.0f} "
                f"voters | | {greedy.objective / ours.objective:.4f} of optimal | |")
    ours, t_ours = timed(p_median, full, voters, p=p, fixed=fixed)
    theirs, t_theirs = timed(lambda: spopt_value(PMedian.from_cost_matrix(
        dense(full), voters, p, predefined_facilities_arr=fixed.astype(int))))
    rows.append(f"| Aksu | p-median, 42 sites (40 fixed) | {t_ours:.2f} s, "
                f"{ours.objective / 1000:,.1f} voter-km | {t_theirs:.2f} s, "
                f"{theirs / 1000:,.1f} | "
                f"{'equal' if abs(ours.objective - theirs) < 1e-6 * theirs else 'DIFFERENT'} | "
                f"{t_theirs / t_ours:.0f}x |")
    (ours, _), t_ours = timed(set_cover, near, radius_m=radius)
    theirs, t_theirs = timed(lambda: spopt_value(LSCP.from_cost_matrix(dense(near), radius)))
    rows.append(f"| Aksu | set covering at 15 min | {t_ours:.2f} s, {ours.objective:.0f} sites "
                f"| {t_theirs:.2f} s, {theirs:.0f} | "
                f"{'equal' if ours.objective == theirs else 'DIFFERENT'} | "
                f"{t_theirs / t_ours:.0f}x |")
    return rows


def scale_rows(n_homes: int, n_sites: int) -> list[str]:
    """The scale run: many households and candidates on the Aksu network."""
    ds = load_dataset(ROOT / "data")
    net = load_network(ds.network_path)
    st = AccessSettings()
    rng = np.random.default_rng(1000)
    base = ds.households.to_crs(net.crs)
    pick = rng.integers(0, len(base), n_homes)
    xy = base.geometry.get_coordinates().to_numpy()[pick] + rng.uniform(-120, 120, (n_homes, 2))
    homes = gpd.GeoDataFrame(geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=net.crs)
    voters = rng.integers(1, 6, n_homes).astype(float)
    cand = gpd.GeoDataFrame({"site_id": [f"S{i}" for i in range(n_sites)], "name": "site",
                             "facility_type": "other"},
                            geometry=homes.geometry.iloc[rng.choice(n_homes, n_sites,
                                                                    replace=False)].values,
                            crs=net.crs)
    sites = site_table(ds.precincts, cand)
    fixed = sites["existing"].to_numpy()
    radius = st.metres(15)
    walks, t_matrix = timed(walk_matrix, net, homes, sites, limit_m=radius)
    p = int(fixed.sum()) + 10
    exact, t_exact = timed(max_cover, walks, voters, p=p, radius_m=radius, fixed=fixed,
                           time_limit_s=600)
    greedy, t_greedy = timed(greedy_cover, walks, voters, p=p, radius_m=radius, fixed=fixed)
    label = f"{n_sites:,} candidates x {n_homes:,} households"
    return [(f"| scale | walking matrix within 15 min, {label} ({walks.nnz:,} walks) | "
            f"{t_matrix:.1f} s | | | |"),
            (f"| scale | MCLP, add 10 (HiGHS) | {t_exact:.1f} s, {exact.objective:,.0f} voters, "
            f"gap {exact.gap:.2%} | | | |"),
            (f"| scale | MCLP, add 10 (greedy + swap) | {t_greedy:.1f} s, "
            f"{greedy.objective:,.0f} voters | | {greedy.objective / exact.objective:.4f} of "
            "HiGHS | |")]


def main() -> None:
    """Run both parts; print (or write) the section."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", type=Path)
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--candidates", type=int, default=1_000)
    args = parser.parse_args()
    rows = aksu_rows() + scale_rows(args.households, args.candidates)
    table_section(
        args.write, "siting", "Siting (`python benchmarks/siting.py --write BENCHMARKS.md`)",
        f"aksugeo {__version__} (HiGHS through scipy.optimize.milp; greedy + swap) against "
        f"PySAL spopt (PuLP + CBC) on the same walking matrix; {platform.machine()}, Python "
        f"{platform.python_version()}. Ratio = spopt time / aksugeo time.",
        ["data", "task", "aksugeo", "spopt", "objective", "ratio"], rows)


if __name__ == "__main__":
    main()
