"""Benchmark of the walking-access engine against scipy.sparse.csgraph, networkx and pandana.

For each graph (the shipped Aksu network; jittered street grids of about 50,000 and 500,000
nodes) and each number of precincts (40, 1,000), with 100,000 households, it times in one run:

(a) nearest precinct of every node (the catchment labels) in one multi-source pass;
(b) the 15-minute (1,125 m) reachable set of every precinct;
(c) every household's walk to its assigned precinct.

Every engine gets the same snapped inputs and works on the same graph. Each engine runs in a
worker process of its own, so that its peak memory (max RSS) is its own. networkx's (c) runs
one full search per precinct: it is timed on a sample of precincts and scaled up (marked ``~``).
pandana starts searches at nodes, not along edges; its contraction-hierarchy build is timed
apart. Results are checked against ours where the engines compute the same thing.

Usage: ``python benchmarks/access.py [--quick] [--write BENCHMARKS.md]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _markdown import update_section  # noqa: E402

from aksugeo.walk.network import WalkNetwork, load_network  # noqa: E402
from aksugeo.walk.routing import bounded_searches, nearest_source  # noqa: E402
from aksugeo.walk.snapping import Snap, snap_points  # noqa: E402

LIMIT_M = 1125.0  # 15 minutes at 4.5 km/h
T = TypeVar("T")
N_HOUSEHOLDS = 100_000
ENGINES = ("aksugeo", "scipy", "networkx", "pandana")
NX_SAMPLE = 20  # precincts networkx runs (c) for, then scaled up
PANDANA_BUDGET_S = 300.0  # two runs: its 500k contraction hierarchy took over 600 s


def best_of(run: Callable[[], T]) -> tuple[T, float]:
    """Return ``run()``'s result and its best time over repeats (as timeit does).

    Repeats while the runs so far took under a second, at most five times: the same rule for
    every engine, so a fast call is not measured by its noisiest run.
    """
    times, spent, result = [], 0.0, None
    while len(times) < 5 and (not times or spent < 1.0):
        t0 = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - t0)
        spent += times[-1]
    return result, min(times)  # type: ignore[return-value]


def grid_network(side: int, seed: int = 0) -> WalkNetwork:
    """A street grid of ``side`` x ``side`` nodes ~100 m apart, jittered, 10% of links gone."""
    rng = np.random.default_rng(seed)
    ii, jj = np.meshgrid(np.arange(side), np.arange(side), indexing="ij")
    x = ii.ravel() * 100.0 + rng.uniform(-15, 15, ii.size) + 600_000
    y = jj.ravel() * 100.0 + rng.uniform(-15, 15, ii.size) + 5_700_000
    idx = np.arange(ii.size).reshape(side, side)
    u = np.concatenate([idx[:-1, :].ravel(), idx[:, :-1].ravel()])
    v = np.concatenate([idx[1:, :].ravel(), idx[:, 1:].ravel()])
    keep = rng.random(len(u)) > 0.1
    return WalkNetwork.from_arrays(x, y, u[keep], v[keep], crs="EPSG:32643")


def network(name: str) -> WalkNetwork:
    if name == "aksu":
        return load_network(ROOT / "data/network/aksu.osm.bz2")
    return grid_network({"grid50k": 224, "grid500k": 707}[name])


def scatter(net: WalkNetwork, n: int, seed: int) -> Snap:
    """``n`` buildings 5 to 40 m off random streets, snapped like real ones."""
    import geopandas as gpd  # noqa: PLC0415

    rng = np.random.default_rng(seed)
    e = rng.choice(net.n_edges, n, p=net.length_m / net.length_m.sum())
    t = rng.random(n)
    x0, y0 = net.x[net.u[e]], net.y[net.u[e]]
    dx, dy = net.x[net.v[e]] - x0, net.y[net.v[e]] - y0
    norm = np.maximum(np.hypot(dx, dy), 1e-9)
    side = rng.uniform(5, 40, n) * rng.choice([-1, 1], n)
    px = x0 + t * dx - dy / norm * side
    py = y0 + t * dy + dx / norm * side
    pts = gpd.GeoSeries(gpd.points_from_xy(px, py), crs=net.crs)
    return snap_points(net, pts, max_m=300)


def inputs(net: WalkNetwork, n_precincts: int) -> tuple[Snap, Snap, np.ndarray]:
    """Households, precincts, and each household's assigned precinct (the nearest in a line)."""
    from scipy.spatial import cKDTree  # noqa: PLC0415

    homes = scatter(net, N_HOUSEHOLDS, 1)
    pre = scatter(net, n_precincts, 2)
    hx = _foot(net, homes)
    px = _foot(net, pre)
    assigned = cKDTree(px).query(hx)[1]
    return homes, pre, assigned


def _foot(net: WalkNetwork, snap: Snap) -> np.ndarray:
    e = snap.edge
    f = snap.offset_m / net.length_m[e]
    return np.column_stack([net.x[net.u[e]] + f * (net.x[net.v[e]] - net.x[net.u[e]]),
                            net.y[net.u[e]] + f * (net.y[net.v[e]] - net.y[net.u[e]])])


def _walk(net: WalkNetwork, homes: Snap, du: np.ndarray, dv: np.ndarray) -> np.ndarray:
    e = homes.edge
    return homes.snap_m + np.minimum(homes.offset_m + du, net.length_m[e] - homes.offset_m + dv)


def _targets(net: WalkNetwork, homes: Snap, assigned: np.ndarray,
             n_pre: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    order = np.argsort(assigned, kind="stable")
    per = np.bincount(assigned, minlength=n_pre)
    ptr = np.concatenate([[0], np.cumsum(2 * per)]).astype(np.int64)
    e = homes.edge[order]
    return order, ptr, np.column_stack([net.u[e], net.v[e]]).ravel()


# -- the engines -----------------------------------------------------------------------------
def run_aksugeo(net: WalkNetwork, homes: Snap, pre: Snap, assigned: np.ndarray) -> dict:
    which = np.arange(len(pre))
    t0 = time.perf_counter()
    nearest_source(net, pre, np.arange(1))
    # warm up as a long-running user would be: compiled, and each thread's scratch made
    bounded_searches(net, pre, np.arange(min(len(pre), 200)), limit_m=10.0)
    out = {"compile_s": time.perf_counter() - t0}
    (dist, label), out["a"] = best_of(lambda: nearest_source(net, pre, which))
    found, out["b"] = best_of(lambda: bounded_searches(net, pre, which, limit_m=LIMIT_M))

    def walks() -> np.ndarray:
        order, ptr, nodes = _targets(net, homes, assigned, len(pre))
        got = bounded_searches(net, pre, which, limit_m=-1, target_ptr=ptr, target_node=nodes)
        walk = np.empty(len(assigned))
        walk[order] = _walk(net, _take(homes, order), got.target_dist[0::2],
                            got.target_dist[1::2])
        return walk

    walk, out["c"] = best_of(walks)
    out["check"] = {"a_dist": dist, "a_label": label, "b_count": np.diff(found.reach_ptr),
                    "c_walk": walk}
    return out


def _take(snap: Snap, idx: np.ndarray) -> Snap:
    return Snap(snap.edge[idx], snap.offset_m[idx], snap.snap_m[idx], snap.status[idx],
                snap.moved[idx])


def _augmented(net: WalkNetwork, pre: Snap) -> object:
    from scipy import sparse  # noqa: PLC0415

    n, k = net.n_nodes, len(pre)
    e = pre.edge
    base = net.csr.tocoo()
    virt = n + np.arange(k)
    rows = np.concatenate([base.row, virt, virt])
    cols = np.concatenate([base.col, net.u[e], net.v[e]])
    w = np.concatenate([base.data, pre.snap_m + pre.offset_m,
                        pre.snap_m + net.length_m[e] - pre.offset_m])
    return sparse.csr_matrix((w, (rows, cols)), shape=(n + k, n + k))


def run_scipy(net: WalkNetwork, homes: Snap, pre: Snap, assigned: np.ndarray) -> dict:
    from scipy.sparse.csgraph import dijkstra  # noqa: PLC0415

    n, k = net.n_nodes, len(pre)
    graph = _augmented(net, pre)
    virt = n + np.arange(k)
    batch = max(1, (256 << 20) // (8 * (n + k)))
    out: dict = {}
    dist, out["a"] = best_of(lambda: dijkstra(graph, indices=virt, min_only=True))

    def reach() -> list[int]:
        counts = []
        for s in range(0, k, batch):
            rows = dijkstra(graph, indices=virt[s:s + batch], limit=LIMIT_M)[:, :n]
            counts += [int(np.isfinite(r).sum()) for r in rows]
        return counts

    counts, out["b"] = best_of(reach)

    def walks() -> np.ndarray:
        walk = np.empty(len(assigned))
        for s in range(0, k, batch):
            rows = dijkstra(graph, indices=virt[s:s + batch])
            mine = np.flatnonzero((assigned >= s) & (assigned < s + batch))
            e = homes.edge[mine]
            r = assigned[mine] - s
            walk[mine] = _walk(net, _take(homes, mine), rows[r, net.u[e]], rows[r, net.v[e]])
        return walk

    walk, out["c"] = best_of(walks)
    out["check"] = {"a_dist": np.asarray(dist)[:n], "b_count": np.array(counts), "c_walk": walk}
    return out


def run_networkx(net: WalkNetwork, homes: Snap, pre: Snap,  # noqa: ARG001
                 assigned: np.ndarray) -> dict:  # noqa: ARG001
    import networkx as nx  # noqa: PLC0415

    t0 = time.perf_counter()
    graph = nx.Graph()
    graph.add_weighted_edges_from(zip(net.u.tolist(), net.v.tolist(), net.length_m.tolist(),
                                      strict=True))
    n = net.n_nodes
    for k in range(len(pre)):
        e = pre.edge[k]
        graph.add_edge(n + k, int(net.u[e]), weight=pre.snap_m[k] + pre.offset_m[k])
        graph.add_edge(n + k, int(net.v[e]),
                       weight=pre.snap_m[k] + net.length_m[e] - pre.offset_m[k])
    out: dict = {"setup_s": time.perf_counter() - t0}
    sources = set(range(n, n + len(pre)))
    near, out["a"] = best_of(lambda: nx.multi_source_dijkstra_path_length(graph, sources))
    counts, out["b"] = best_of(lambda: [sum(1 for key in nx.single_source_dijkstra_path_length(
        graph, n + k, cutoff=LIMIT_M) if key < n) for k in range(len(pre))])
    sample = np.random.default_rng(3).choice(len(pre), min(NX_SAMPLE, len(pre)), replace=False)
    t0 = time.perf_counter()
    for k in sample:
        nx.single_source_dijkstra_path_length(graph, n + int(k))
    out["c"] = (time.perf_counter() - t0) * len(pre) / len(sample)
    out["c_scaled"] = len(sample) < len(pre)
    dist = np.full(n, np.inf)
    keys = np.fromiter((key for key in near if key < n), dtype=np.int64)
    dist[keys] = [near[key] for key in keys.tolist()]
    out["check"] = {"a_dist": dist, "b_count": np.array(counts)}
    return out


def run_pandana(net: WalkNetwork, homes: Snap, pre: Snap, assigned: np.ndarray) -> dict:
    import pandana  # noqa: PLC0415
    import pandas as pd  # noqa: PLC0415

    t0 = time.perf_counter()
    pnet = pandana.Network(pd.Series(net.x), pd.Series(net.y), pd.Series(net.u),
                           pd.Series(net.v), pd.DataFrame({"w": net.length_m}), twoway=True)
    out: dict = {"setup_s": time.perf_counter() - t0}
    # pandana starts at nodes: each precinct and household at the nearer end of its edge
    pnode = np.where(pre.offset_m <= net.length_m[pre.edge] / 2, net.u[pre.edge],
                     net.v[pre.edge])
    hnode = np.where(homes.offset_m <= net.length_m[homes.edge] / 2, net.u[homes.edge],
                     net.v[homes.edge])
    pnet.set_pois("precinct", 1e7, 1, pd.Series(net.x[pnode]), pd.Series(net.y[pnode]))
    _, out["a"] = best_of(lambda: pnet.nearest_pois(1e7, "precinct", num_pois=1,
                                                    include_poi_ids=True))
    _, out["b"] = best_of(lambda: pnet.nodes_in_range(pnode.tolist(), LIMIT_M))
    _, out["c"] = best_of(lambda: pnet.shortest_path_lengths(pnode[assigned].tolist(),
                                                             hnode.tolist()))
    out["check"] = {}
    return out


RUNNERS = {"aksugeo": run_aksugeo, "scipy": run_scipy, "networkx": run_networkx,
           "pandana": run_pandana}


def worker(engine: str, graph: str, n_precincts: int, out_path: Path) -> None:
    """Run one engine on one input; write its timings, checks and peak memory."""
    t0 = time.perf_counter()
    net = network(graph)
    homes, pre, assigned = inputs(net, n_precincts)
    setup = time.perf_counter() - t0
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    res = RUNNERS[engine](net, homes, pre, assigned)
    res["rss_base_mb"] = base_rss
    res["rss_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    res["nodes"], res["edges"], res["inputs_s"] = net.n_nodes, net.n_edges, setup
    np.savez(out_path.with_suffix(".npz"), **dict(res.pop("check")))
    out_path.write_text(json.dumps(res), encoding="utf-8")


def million(out_path: Path) -> None:
    """A run of 1,000,000 households on the 500k grid with 1,000 precincts (ours only)."""
    global N_HOUSEHOLDS  # noqa: PLW0603  (one worker process, one size)
    N_HOUSEHOLDS = 1_000_000
    net = network("grid500k")
    homes, pre, assigned = inputs(net, 1000)
    res = run_aksugeo(net, homes, pre, assigned)
    res.pop("check")
    res["rss_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out_path.write_text(json.dumps(res), encoding="utf-8")


def isochrone_split() -> dict:
    """On the shipped data: the searches of (b) against building the isochrone polygons."""
    from aksugeo.data.io import load_dataset  # noqa: PLC0415
    from aksugeo.walk.isochrones import StreetField, isochrone_polygons  # noqa: PLC0415

    ds = load_dataset(ROOT / "data")
    net = load_network(ds.network_path)
    pre = snap_points(net, ds.precincts.geometry, max_m=300)
    which = np.arange(len(pre))
    bounded_searches(net, pre, which[:1], limit_m=10.0)
    t0 = time.perf_counter()
    found = bounded_searches(net, pre, which, limit_m=1500.0)
    search = time.perf_counter() - t0
    t0 = time.perf_counter()
    streets = StreetField(net, 10.0, 300.0, 50)
    for k in which:
        nodes, dist = found.reached(int(k))
        isochrone_polygons(net, nodes, dist, pre, int(k), [375.0, 750.0, 1125.0, 1500.0],
                           streets=streets)
    return {"search_s": search, "polygons_s": time.perf_counter() - t0, "precincts": len(pre)}


def _versions() -> str:
    import importlib.metadata as md  # noqa: PLC0415

    names = ("numpy", "scipy", "numba", "networkx", "pandana", "shapely", "osmnx")
    have = []
    for name in names:
        try:
            have.append(f"{name} {md.version(name)}")
        except md.PackageNotFoundError:
            have.append(f"{name} (not installed)")
    return ", ".join(have)


def _spawn(args: list[str], out: Path, timeout_s: float | None = None) -> dict | None:
    cmd = [sys.executable, __file__, *args, str(out)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, check=False,
                              timeout=timeout_s)
    except subprocess.TimeoutExpired:
        print(f"  {' '.join(args)}: not done in {timeout_s:.0f} s, stopped")
        return {"timeout_s": timeout_s}
    if done.returncode != 0:
        print(f"  {' '.join(args)} failed: {done.stderr.strip().splitlines()[-1:]}")
        return None
    return json.loads(out.read_text(encoding="utf-8"))


def _agree(tmp: Path, tag: str, engine: str) -> str:
    ours = np.load(tmp / f"{tag}-aksugeo.npz")
    path = tmp / f"{tag}-{engine}.npz"
    if engine == "aksugeo" or not path.exists():
        return ""
    theirs = np.load(path)
    notes = []
    for key in ("a_dist", "c_walk"):
        if key in theirs:
            a, b = ours[key], theirs[key]
            fin = np.isfinite(a) & np.isfinite(b)
            same_reach = np.array_equal(np.isfinite(a), np.isfinite(b))
            notes.append(f"{key[0]}: max |diff| {np.abs(a[fin] - b[fin]).max():.1e} m"
                         + ("" if same_reach else " (reach differs!)"))
    if "b_count" in theirs:
        notes.append("b: sets equal" if np.array_equal(ours["b_count"], theirs["b_count"])
                     else "b: set sizes differ!")
    return "; ".join(notes)


def main() -> None:
    """Run every engine on every input and print (and optionally write) the ratio table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="the shipped and 50k graphs only")
    ap.add_argument("--write", type=Path, help="write the results into this Markdown file")
    ap.add_argument("--no-million", action="store_true", help="skip the 1,000,000 run")
    args = ap.parse_args()
    graphs = ["aksu", "grid50k"] if args.quick else ["aksu", "grid50k", "grid500k"]
    tmp = ROOT / "out" / "bench"
    tmp.mkdir(parents=True, exist_ok=True)
    rows, notes = [], []
    for graph in graphs:
        gave_up: set[str] = set()
        for n_pre in (40, 1000):
            tag = f"{graph}-{n_pre}"
            results = {}
            for engine in ENGINES:
                if engine in gave_up:
                    continue
                print(f"running {engine} on {tag} ...", flush=True)
                budget = PANDANA_BUDGET_S if engine == "pandana" else None
                res = _spawn(["--worker", engine, graph, str(n_pre)],
                             tmp / f"{tag}-{engine}.json", budget)
                if res is not None and "timeout_s" in res:
                    gave_up.add(engine)  # the same graph: the same hierarchy to build
                    notes.append(f"{engine} on {graph}: stopped after {res['timeout_s']:.0f} s "
                                 "without finishing (building its contraction hierarchy); "
                                 "not run on this graph again.")
                elif res is not None:
                    results[engine] = res
            if "aksugeo" not in results:
                continue
            ours = results["aksugeo"]
            for engine, res in results.items():
                rows.append({"graph": graph, "nodes": ours["nodes"], "precincts": n_pre,
                             "engine": engine, **{op: res[op] for op in "abc"},
                             "ratio": {op: res[op] / ours[op] for op in "abc"},
                             "scaled": res.get("c_scaled", False),
                             "setup_s": res.get("setup_s", res.get("compile_s", 0.0)),
                             "rss": res["rss_peak_mb"] - res["rss_base_mb"],
                             "agree": _agree(tmp, tag, engine)})
    split = isochrone_split()
    big = None if args.no_million or args.quick else _spawn(["--million"], tmp / "million.json")
    text = report(rows, split, big, notes)
    print(text)
    if args.write:
        update_section(args.write, "access", text)


def report(rows: list[dict], split: dict, big: dict | None, notes: list[str]) -> str:
    """The results as Markdown."""
    lines = [
        "## Walking access (`python benchmarks/access.py --write BENCHMARKS.md`)", "",
        (f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
         f"{platform.python_version()}; {_versions()}."), "",
        ("Times in seconds, in one run, on the same snapped inputs (100,000 households). (a) "
         "nearest precinct of every node, one multi-source pass; (b) the 15-minute (1,125 m) "
         "reachable set of every precinct; (c) every household's walk to its assigned "
         "precinct. *Ratio* = that engine's time / aksugeo's (higher: aksugeo faster). *Setup*: "
         "aksugeo's one-off JIT compile, networkx's graph build, pandana's contraction-hierarchy"
         " build. *Memory*: the worker's peak RSS above its inputs. `~`: networkx (c) timed on "
         f"{NX_SAMPLE} precincts and scaled. pandana starts at the nearer node, not on the "
         "edge, so its answers are close, not equal. Each time is the best of up to five runs "
         "while they take under a second together (one run for slower ones), for every engine "
         "alike."), "",
        ("| graph | nodes | precincts | engine | (a) s | (b) s | (c) s | ratio a | ratio b "
         "| ratio c | setup s | memory MB | agreement with aksugeo |"),
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        c = f"~{r['c']:.3f}" if r["scaled"] else f"{r['c']:.3f}"
        rc = f"~{r['ratio']['c']:.1f}" if r["scaled"] else f"{r['ratio']['c']:.1f}"
        lines.append(
            f"| {r['graph']} | {r['nodes']:,} | {r['precincts']:,} | {r['engine']} "
            f"| {r['a']:.3f} | {r['b']:.3f} | {c} | {r['ratio']['a']:.1f} "
            f"| {r['ratio']['b']:.1f} | {rc} | {r['setup_s']:.2f} | {r['rss']:.0f} "
            f"| {r['agree']} |")
    lines += [f"\n{note}" for note in notes]
    lines += ["", (f"Isochrones on the shipped data ({split['precincts']} precincts, 4 bands): "
                   f"searches {split['search_s']:.3f} s, polygons {split['polygons_s']:.3f} s."),
              ""]
    if big:
        lines += [(f"1,000,000 households on the 500k grid, 1,000 precincts (aksugeo): (a) "
                   f"{big['a']:.3f} s, (b) {big['b']:.3f} s, (c) {big['c']:.3f} s, peak RSS "
                   f"{big['rss_peak_mb']:.0f} MB."), ""]
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3], int(sys.argv[4]), Path(sys.argv[5]))
    elif len(sys.argv) > 1 and sys.argv[1] == "--million":
        million(Path(sys.argv[2]))
    else:
        main()
