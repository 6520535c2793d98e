"""aksugeo's walking engine against OSRM and Valhalla, and plain scipy, on real OSM extracts.

In one run, on the same real extract (``tests/input_data/osm/real``), the same points:

- **agreement**: every precinct-to-household walk (a full matrix), ours against OSRM's
  (osrm-bindings, its ``foot.lua`` profile, contraction hierarchies) and Valhalla's (pyvalhalla,
  pedestrian costing at our speed, ``timedistancematrix``). All three start from the same points
  on the streets: aksugeo snaps the households and precincts first, and the peers get those
  snapped points, so that the comparison is of the networks and the searches, not of snapping;
- **nearest + assigned**: every household's walk to its nearest and its assigned precinct,
  ours (``household_access``, from WGS84 points, snapping included) against the peers' matrix
  of the same points (which gives both);
- **isochrones**: 15-minute polygons of 100 precincts, ours against Valhalla's;
- **end to end against plain scipy** on 500 and 100,000 households: snapping included on both
  sides; scipy's is the pipeline an analyst writes with scipy alone (``cKDTree`` to the nearest
  node, ``csgraph.dijkstra`` from the precincts, read off with numpy).

The peers ship wheels for Python 3.12 only: this script makes a virtual environment for them
(``.peers-venv``) with a 3.12 interpreter it finds on the machine (or ``AKSUGEO_PEERS_PYTHON``)
and runs ``_peers_worker.py`` there. Where there is none, it says so and times the rest.

Usage: ``python benchmarks/peers.py [--quick] [--write BENCHMARKS.md]``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import geopandas as gpd
import numpy as np
import pyproj
import shapely

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _markdown import update_section  # noqa: E402

from aksugeo.settings import AccessSettings  # noqa: E402
from aksugeo.walk.access import analyse_access, household_access  # noqa: E402
from aksugeo.walk.distances import walks_within  # noqa: E402
from aksugeo.walk.network import WalkNetwork, load_network  # noqa: E402
from aksugeo.walk.snapping import snap_points  # noqa: E402

REAL = ROOT / "tests" / "input_data" / "osm" / "real"
EXTRACTS = {"Helsinki centre": REAL / "helsinki_centre.osm.pbf",
            "south-east Finland town": REAL / "finland_26.93_60.52_26.97_60.54.osm.pbf"}
PEERS_VENV = ROOT / ".peers-venv"
SPEED_KMH = 4.5
ISO_MINUTES = 15
T = TypeVar("T")


def best_of(run: Callable[[], T], repeats: int = 5) -> tuple[T, float]:
    """Return ``run()``'s result and its best time over repeats (while under a second)."""
    times, spent, result = [], 0.0, None
    while len(times) < repeats and (not times or spent < 1.0):
        t0 = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - t0)
        spent += times[-1]
    return result, min(times)  # type: ignore[return-value]


# -- the peers' environment --------------------------------------------------------------------
def find_python312() -> str | None:
    """A Python 3.12 interpreter on this machine, or None."""
    env = os.environ.get("AKSUGEO_PEERS_PYTHON")
    candidates = [env] if env else []
    candidates += [*sorted(str(p) for p in Path.home().glob(".pyenv/versions/3.12*/bin/python")),
                   "/usr/bin/python3.12", "/usr/local/bin/python3.12", shutil.which("python3.12")]
    for c in candidates:
        if not c or not Path(c).is_file():
            continue
        probe = subprocess.run([c, "-c", "import sys; print(sys.version_info[:2] == (3, 12))"],
                               capture_output=True, text=True, check=False)
        if probe.stdout.strip() == "True":  # a pyenv shim may exist and not run
            return c
    return None


def peers_python() -> tuple[str | None, str]:
    """The peers' venv interpreter (made when missing), and a note of what was done."""
    py = PEERS_VENV / "bin" / "python"
    if py.is_file():
        return str(py), "existing .peers-venv"
    base = find_python312()
    if base is None:
        return None, "no Python 3.12 interpreter on this machine: OSRM and Valhalla not run"
    subprocess.run([base, "-m", "venv", str(PEERS_VENV)], check=True)
    uv = shutil.which("uv") or str(Path(sys.executable).parent / "uv")
    subprocess.run([uv, "pip", "install", "--quiet", "--python", str(py), "osrm-bindings",
                    "pyvalhalla"], check=True)
    return str(py), f"made .peers-venv with {base}"


# -- inputs ------------------------------------------------------------------------------------
def scatter(net: WalkNetwork, n: int, seed: int) -> np.ndarray:
    """``n`` building points 5 to 40 m off random streets (metric CRS)."""
    rng = np.random.default_rng(seed)
    main = ~net.fragment_edges(AccessSettings().min_component_nodes)
    w = net.length_m * main
    e = rng.choice(net.n_edges, n, p=w / w.sum())
    t = rng.random(n)
    x0, y0 = net.x[net.u[e]], net.y[net.u[e]]
    dx, dy = net.x[net.v[e]] - x0, net.y[net.v[e]] - y0
    norm = np.maximum(np.hypot(dx, dy), 1e-9)
    side = rng.uniform(5, 40, n) * rng.choice([-1, 1], n)
    return np.column_stack([x0 + t * dx - dy / norm * side, y0 + t * dy + dx / norm * side])


def frames(net: WalkNetwork, n_homes: int, n_pre: int, seed: int,
           ) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Households and precincts in WGS84; each household assigned to the precinct nearest in
    a straight line, one in ten to another at random (as registries are)."""
    from scipy.spatial import cKDTree  # noqa: PLC0415

    hxy, pxy = scatter(net, n_homes, seed), scatter(net, n_pre, seed + 1)
    rng = np.random.default_rng(seed + 2)
    assigned = cKDTree(pxy).query(hxy)[1]
    moved = rng.random(n_homes) < 0.1
    assigned[moved] = rng.integers(0, n_pre, moved.sum())
    pre = gpd.GeoDataFrame({"precinct_id": np.arange(1, n_pre + 1)},
                           geometry=shapely.points(pxy), crs=net.crs).to_crs(4326)
    homes = gpd.GeoDataFrame({"precinct_id": assigned + 1}, geometry=shapely.points(hxy),
                             crs=net.crs).to_crs(4326)
    return homes, pre


def on_street(net: WalkNetwork, pts: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The points moved onto the street where aksugeo snaps them (WGS84)."""
    snap = snap_points(net, pts.geometry, max_m=AccessSettings().max_snap_m)
    feet = shapely.line_interpolate_point(net.lines[snap.edge], snap.offset_m / np.maximum(
        net.length_m[snap.edge], 1e-12), normalized=True)
    return pts.set_geometry(gpd.GeoSeries(feet, crs=net.crs).to_crs(4326).to_numpy())


# -- the plain-scipy anchor --------------------------------------------------------------------
def plain_scipy(net: WalkNetwork, homes: gpd.GeoDataFrame, pre: gpd.GeoDataFrame,
                ) -> tuple[np.ndarray, np.ndarray]:
    """Nearest and assigned walks the way one writes them with scipy alone."""
    from scipy.sparse.csgraph import dijkstra  # noqa: PLC0415
    from scipy.spatial import cKDTree  # noqa: PLC0415

    tree = cKDTree(np.column_stack([net.x, net.y]))
    hxy = homes.geometry.to_crs(net.crs).get_coordinates().to_numpy()
    pxy = pre.geometry.to_crs(net.crs).get_coordinates().to_numpy()
    dh, hn = tree.query(hxy)
    dp, pn = tree.query(pxy)
    full = dijkstra(net.csr, directed=False, indices=pn)
    k = np.searchsorted(pre["precinct_id"].to_numpy(), homes["precinct_id"].to_numpy())
    walk = full + dp[:, None]
    return walk[:, hn].min(axis=0) + dh, walk[k, hn] + dh


# -- one extract -------------------------------------------------------------------------------
def agreement(ours: np.ndarray, peer: np.ndarray) -> dict:
    """How many pairs agree within 1% (or 2 m for short walks), and the rest by kind."""
    both = np.isfinite(ours) & np.isfinite(peer)
    with np.errstate(invalid="ignore"):
        close = both & (np.abs(ours - peer) <= np.maximum(0.01 * ours, 2.0))
    close |= ~np.isfinite(ours) & ~np.isfinite(peer)  # no walk either way: agreed
    n = ours.size
    return {"pairs": int(n), "agree": int(close.sum()), "share": float(close.sum() / n),
            "peer_longer": int((both & ~close & (peer > ours)).sum()),
            "peer_shorter": int((both & ~close & (peer < ours)).sum()),
            "only_ours": int((np.isfinite(ours) & ~np.isfinite(peer)).sum()),
            "only_peer": int((~np.isfinite(ours) & np.isfinite(peer)).sum()),
            "neither": int((~np.isfinite(ours) & ~np.isfinite(peer)).sum()),
            "median_rel": float(np.median(np.abs(ours[both] - peer[both])
                                          / np.maximum(ours[both], 1.0)))}


SLOW_SURFACES = frozenset({"fine_gravel", "gravel", "pebblestone", "mud", "sand"})


def our_path(net: WalkNetwork, ps: object, i: int, hs: object, j: int) -> list[int]:
    """The OSM node ids of the shortest walk from point ``i`` of ``ps`` to ``j`` of ``hs``."""
    from scipy.sparse.csgraph import dijkstra  # noqa: PLC0415

    ea, eb = int(ps.edge[i]), int(hs.edge[j])  # type: ignore[attr-defined]
    starts = [int(net.u[ea]), int(net.v[ea])]
    d, pred = dijkstra(net.csr, directed=False, indices=starts, return_predecessors=True)
    off_a, off_b = ps.offset_m[i], hs.offset_m[j]  # type: ignore[attr-defined]
    first = [off_a, net.length_m[ea] - off_a]
    last = {int(net.u[eb]): off_b, int(net.v[eb]): net.length_m[eb] - off_b}
    _, s, t = min((first[s] + d[s, t] + add, s, t) for s in (0, 1) for t, add in last.items())
    path, x = [], t
    while x != starts[s] and x >= 0:
        path.append(int(net.node_id[x]))
        x = pred[s, x]
    return [int(net.node_id[starts[s]]), *path[::-1]]


def explain(net: WalkNetwork, path: Path, hs: object, ps: object, routes: list[dict],
            gap_m: np.ndarray) -> dict:
    """Why OSRM's walk differs where it does, pair by pair.

    OSRM's foot profile routes by time: 2 s at each traffic signal (``highway=traffic_signals``),
    and gravel, pebbles, sand or mud walked at 75% or 50% of the speed. For every pair that
    differs, the shortest walk (ours, rebuilt from scipy's predecessors) and OSRM's route are
    both costed by those weights: where OSRM's costs no more, OSRM chose the faster way. Else,
    where OSRM put a point more than a metre from where we put it on the street (its waypoint's
    distance from the coordinate we gave), the two walks start or end apart.
    """
    import osmium  # noqa: PLC0415

    signals: set[int] = set()
    surface: dict[tuple[int, int], float] = {}
    where: dict[int, tuple[float, float]] = {}
    factor = {"fine_gravel": 0.75, "gravel": 0.75, "pebblestone": 0.75, "mud": 0.5, "sand": 0.5}
    for obj in osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY):
        if isinstance(obj, osmium.osm.Node):
            where[obj.id] = (obj.location.lon, obj.location.lat)
            if obj.tags.get("highway") == "traffic_signals":  # what foot.lua reads
                signals.add(obj.id)
        elif obj.tags.get("surface") in factor:
            refs = [n.ref for n in obj.nodes]
            for a, b in itertools.pairwise(refs):
                surface[(min(a, b), max(a, b))] = factor[obj.tags["surface"]]
    signal_m = 2.0 * 5.0 / 3.6  # 2 s at foot.lua's 5 km/h
    geod = pyproj.Geod(ellps="WGS84")

    def cost(nodes: list[int], *, weighted: bool = True) -> float:
        total = signal_m * sum(n in signals for n in nodes) if weighted else 0.0
        for a, b in itertools.pairwise(nodes):
            if a in where and b in where:
                length = geod.inv(*where[a], *where[b])[2]
                slow = surface.get((min(a, b), max(a, b)), 1.0) if weighted else 1.0
                total += length / slow
        return total

    kinds = {"OSRM's route is faster by foot.lua's weights (signals, surfaces)": 0,
             "OSRM puts a point more than 1 m from ours": 0,
             "the same route, OSRM measures its two end pieces up to 3 m longer": 0,
             "unexplained": 0}
    for r in routes:
        ours = our_path(net, ps, int(r["i"]), hs, int(r["j"]))
        # each walk is its node path and two pieces of edge at its ends; the pieces differ by
        # the length gap less the paths' difference, and are weighed as plain walking
        inner = r["nodes"][1:-1]
        pieces = gap_m[r["i"], r["j"]] - cost(inner, weighted=False) + cost(ours, weighted=False)
        slack = cost(ours) - cost(inner) - pieces
        if slack >= -1.0:
            key = "OSRM's route is faster by foot.lua's weights (signals, surfaces)"
        elif max(r["snap_m"]) > 1.0:
            key = "OSRM puts a point more than 1 m from ours"
        elif inner == ours and abs(gap_m[r["i"], r["j"]]) < 3.0:
            key = "the same route, OSRM measures its two end pieces up to 3 m longer"
        else:
            key = "unexplained"
        kinds[key] += 1
        if key == "unexplained" and os.environ.get("AKSUGEO_PEERS_DEBUG"):
            print("unexplained", r["i"], r["j"], ours[:3], ours[-3:], r["nodes"][:3],
                  r["nodes"][-3:], cost(ours), cost(r["nodes"][1:-1]), r["snap_m"])
    return kinds


def run_extract(name: str, path: Path, py: str | None, quick: bool) -> dict:
    net = load_network(path)
    out: dict = {"name": name, "file": path.name, "nodes": net.n_nodes, "edges": net.n_edges,
                 "clipped_ways": net.clipped_ways, "barriers": net.barrier_nodes}
    n_homes, n_pre = (500, 20) if quick else (2000, 20)
    homes, pre = frames(net, n_homes, n_pre, seed=7)
    iso_pre = frames(net, 1, 100, seed=11)[1]
    settings = AccessSettings(bands_min=(ISO_MINUTES,), speed_kmh=SPEED_KMH)
    household_access(net, homes, pre)  # compiled and warm, as a long-running user is
    acc, out["ours_access_s"] = best_of(lambda: household_access(net, homes, pre))
    # the polygons alone: the searches for them take a millisecond
    one = homes.iloc[:1].assign(precinct_id=1)
    _, out["ours_iso_s"] = best_of(lambda: analyse_access(
        net, one, iso_pre, settings=settings, catchments=False), repeats=3)
    # agreement: the matrix of walks between the same points on the streets
    h_on, p_on = on_street(net, homes), on_street(net, pre)
    hs = snap_points(net, h_on.geometry, max_m=300)
    ps = snap_points(net, p_on.geometry, max_m=300)
    ours = walks_within(net, hs, ps).toarray()
    ours[ours == 0] = np.inf  # missing entries of the sparse matrix: no walk
    ours -= hs.snap_m[None, :] + ps.snap_m[:, None]  # the peers start on the street
    out["snap_residual_m"] = float(max(hs.snap_m.max(), ps.snap_m.max()))
    if py is not None:
        with tempfile.TemporaryDirectory() as tmp:
            coords = np.vstack([p_on.get_coordinates().to_numpy(),
                                h_on.get_coordinates().to_numpy(),
                                iso_pre.get_coordinates().to_numpy()])
            job = {"pbf": str(path), "workdir": tmp, "points": coords.round(7).tolist(),
                   "ours": [[float(d) if np.isfinite(d) else None for d in row]
                            for row in ours],
                   "sources": list(range(n_pre)),
                   "targets": list(range(n_pre, n_pre + n_homes)),
                   "iso_sources": list(range(n_pre + n_homes, len(coords))),
                   "iso_minutes": ISO_MINUTES, "speed_kmh": SPEED_KMH,
                   "repeats": 1 if quick else 3}
            (Path(tmp) / "job.json").write_text(json.dumps(job))
            subprocess.run([py, str(Path(__file__).parent / "_peers_worker.py"),
                            str(Path(tmp) / "job.json"), str(Path(tmp) / "out.json")],
                           check=True, capture_output=True)
            peers = json.loads((Path(tmp) / "out.json").read_text())
        for peer in ("osrm", "valhalla"):
            got = np.array([[np.inf if d is None else d for d in row]
                            for row in peers[peer]["distances"]], dtype=float)
            out[f"{peer}_agreement"] = agreement(ours, got)
            out[f"{peer}_matrix"] = got
        osrm_m = np.array([[np.inf if d is None else d for d in row]
                           for row in peers["osrm"]["distances"]], dtype=float)
        out["osrm_routes"] = explain(net, path, hs, ps, peers["osrm"]["routes"], osrm_m - ours)
        out["osrm_s"] = peers["osrm"]["table_s"]
        out["osrm_prepare_s"] = peers["osrm"]["prepare_s"]
        out["valhalla_s"] = peers["valhalla"]["matrix_s"]
        out["valhalla_prepare_s"] = peers["valhalla"]["prepare_s"]
        out["valhalla_iso_s"] = peers["valhalla"]["isochrone_s"]
        out["versions"] = {k: peers[k] for k in ("python", "osrm_bindings", "pyvalhalla")}
    out["ours_matrix"] = ours
    out["homes"], out["precincts"] = n_homes, n_pre
    out["check_ok"] = int((acc["status"] == "ok").sum())
    # end to end against plain scipy
    for n in ((500,) if quick else (500, 100_000)):
        h, p = frames(net, n, 20, seed=n)
        _, ours_s = best_of(lambda h=h, p=p: household_access(net, h, p))
        _, scipy_s = best_of(lambda h=h, p=p: plain_scipy(net, h, p))
        out[f"e2e_{n}"] = (ours_s, scipy_s)
    return out


def report(results: list[dict], note: str) -> str:
    lines = [
        ("## Real extracts: OSRM, Valhalla and scipy (`python benchmarks/peers.py --write "
         "BENCHMARKS.md`)"), "",
        (f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
         f"{platform.python_version()}; peers: {note}."), "",
    ]
    v = next((r["versions"] for r in results if "versions" in r), None)
    if v:
        lines += [(f"Peers in their own venv on Python {v['python']}: osrm-bindings "
                   f"{v['osrm_bindings']} (`foot.lua`, CH), pyvalhalla {v['pyvalhalla']} "
                   f"(pedestrian costing at {SPEED_KMH} km/h, `timedistancematrix`). All three "
                   "engines get the same points, on the streets where aksugeo snaps them."), ""]
    lines += [("| extract | nodes / edges | clipped ways | barriers | pairs | agree with OSRM "
               "(1% or 2 m) | agree with Valhalla | OSRM longer / shorter / no route | "
               "Valhalla longer / shorter / no route | no walk in any |"), "|" + "---|" * 10]
    for r in results:
        if "osrm_agreement" not in r:
            continue
        o, va = r["osrm_agreement"], r["valhalla_agreement"]
        lines.append(
            f"| {r['name']} | {r['nodes']:,} / {r['edges']:,} | {r['clipped_ways']} | "
            f"{r['barriers']} | {o['pairs']:,} | {o['share']:.1%} | {va['share']:.1%} | "
            f"{o['peer_longer']} / {o['peer_shorter']} / {o['only_ours']} | "
            f"{va['peer_longer']} / {va['peer_shorter']} / {va['only_ours']} | "
            f"{o['neither']} |")
    for r in results:
        if "osrm_routes" in r:
            parts = ", ".join(f"{k}: {v}" for k, v in r["osrm_routes"].items())
            lines.append(f"\n{r['name']}, the pairs that differ from OSRM ({parts}).")
    lines += ["", (
        "**Why the walks differ.** aksugeo walks the shortest way under the rule of "
        "`aksugeo/walk/pedestrian.py`, the same ways and barriers as OSRM's `foot.lua` (one "
        "deliberate difference, trunk roads with a sidewalk, does not occur in these "
        "extracts). OSRM routes by time, not length: `foot.lua` adds 2 s at every traffic "
        "signal and walks gravel, pebbles, sand and mud at 75% or 50% of the speed, so where "
        "the shortest walk crosses more signals or slow surfaces OSRM takes a longer, faster "
        "way. The script rebuilds both routes of every pair that differs, costs both by "
        "foot.lua's weights and counts those where OSRM's is no dearer (above); the rest are "
        "pairs where OSRM puts a point more than a metre from where we put it on the street "
        "(its waypoint's distance from the coordinate given), or where both take the same "
        "route through the same nodes and OSRM's two end pieces, from the points to the first "
        "and last node, come out up to 3 m longer than our offsets along the same edges. "
        "OSRM is never shorter. "
        "*No walk in any*: pairs between pieces of the network that no path joins (in the "
        "Finnish town a motorway and the extract's edge cut it), where no engine finds a "
        "route. Valhalla's matrix gives the length of its least-cost route under its "
        "pedestrian costing, which weighs ways by kind (factors for walkways, sidewalks, "
        "alleys, driveways, service roads, steps) and builds its graph by rules of its own; "
        "so its lengths follow preferred rather than shortest ways and differ widely from "
        "both OSRM's and ours. Valhalla is here the anchor of speed, for matrices and "
        "isochrones; agreement is required of OSRM, which walks by a rule we share.")]
    lines += ["", ("Times in seconds, best of up to five runs; ratio = the other's time / "
                   "aksugeo's (above 1: aksugeo faster)."), "",
              "| extract | task | aksugeo | other | other's time | ratio | aim |",
              "|---|---|---|---|---|---|---|"]
    for r in results:
        task = f"nearest + assigned, {r['homes']:,} households x {r['precincts']} precincts"
        if "osrm_s" in r:
            lines.append(f"| {r['name']} | {task} | {r['ours_access_s']:.4f} | OSRM CH table "
                         f"(prepare {r['osrm_prepare_s']:.1f} s apart) | {r['osrm_s']:.4f} | "
                         f"{r['osrm_s'] / r['ours_access_s']:.1f} | 4 |")
            lines.append(f"| {r['name']} | {task} | {r['ours_access_s']:.4f} | Valhalla "
                         f"matrix | {r['valhalla_s']:.4f} | "
                         f"{r['valhalla_s'] / r['ours_access_s']:.1f} | 10 |")
            ratio = r["valhalla_iso_s"] / r["ours_iso_s"]
            lines.append(f"| {r['name']} | {ISO_MINUTES}-minute isochrones of 100 precincts | "
                         f"{r['ours_iso_s']:.3f} | Valhalla isochrone | "
                         f"{r['valhalla_iso_s']:.3f} | {ratio:.1f} | 1 |")
        for key in sorted(k for k in r if k.startswith("e2e_")):
            ours_s, scipy_s = r[key]
            n = int(key[4:])
            lines.append(f"| {r['name']} | end to end, {n:,} households x 20 precincts, WGS84 "
                         f"in, snapping included | {ours_s:.4f} | plain scipy | {scipy_s:.4f} | "
                         f"{scipy_s / ours_s:.1f} | 2 |")
    lines += ["", (
        "*Aim*: the ratio issue 14 asks for. On the Finnish town's 1,172-node network, 500 "
        "households are done by plain scipy in about 6 ms in all (a search over so small a "
        "graph costs next to nothing); our call spends most of its 5 ms building the result "
        "table with its statuses and snapping two sets of points, so the end-to-end ratio "
        "there stays near 1.2; it holds at 100,000 households on the same town and at both "
        "sizes on the Helsinki centre, the densely mapped extract the aims were set on.")]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small inputs, one extract")
    parser.add_argument("--write", type=Path, help="rewrite this file's section")
    parser.add_argument("--dump", type=Path, help="save the matrices (npz) for inspection")
    args = parser.parse_args()
    py, note = peers_python()
    names = list(EXTRACTS)[:1] if args.quick else list(EXTRACTS)
    results = [run_extract(n, EXTRACTS[n], py, args.quick) for n in names]
    if args.dump:
        np.savez(args.dump, **{f"{i}_{k}": r[k] for i, r in enumerate(results)
                               for k in ("ours_matrix", "osrm_matrix", "valhalla_matrix")
                               if k in r})
    text = report(results, note)
    print(text)
    if args.write:
        update_section(args.write, "peers", text)


if __name__ == "__main__":
    main()
