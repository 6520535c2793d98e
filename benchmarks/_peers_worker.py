"""The peer engines' half of ``benchmarks/peers.py``: OSRM and Valhalla, in their own venv.

osrm-bindings and pyvalhalla ship wheels for Python 3.12 only, so ``peers.py`` runs this file
with a 3.12 interpreter from a virtual environment of its own and exchanges JSON with it.
It imports nothing of aksugeo.

Input (a JSON file): ``pbf`` (the extract), ``workdir``, ``points`` ([lon, lat], snapped to the
streets by aksugeo, so that every engine starts from the same place), ``sources`` and
``targets`` (indices into points), ``iso_sources`` (indices), ``iso_minutes``, ``speed_kmh``,
``repeats``; optionally ``engines`` (which to run) and ``pedestrian_options`` (Valhalla's
pedestrian costing options, ``{"type": "wheelchair"}``). Output (a JSON file, the second
argument; the engines log to stdout): per engine, its preparation and query times and its
answers (metres, ``null`` where it found no route).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import osrm
import valhalla


def best(run: Callable[[], object], repeats: int) -> tuple[object, float]:
    times, result = [], None
    for _ in range(max(1, repeats)):
        t0 = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - t0)
    return result, min(times)


def run_osrm(job: dict, work: Path) -> dict:
    profile = Path(osrm.__file__).parent / "share" / "profiles" / "foot.lua"
    pbf = work / "osrm" / "extract.osm.pbf"
    pbf.parent.mkdir(parents=True, exist_ok=True)
    pbf.write_bytes(Path(job["pbf"]).read_bytes())
    base = pbf.with_suffix("").with_suffix("")
    t0 = time.perf_counter()
    for cmd in (["extract", "-p", str(profile), str(pbf)], ["contract", f"{base}.osrm"]):
        subprocess.run([sys.executable, "-m", "osrm", *cmd], check=True, capture_output=True)
    prepare_s = time.perf_counter() - t0
    engine = osrm.OSRM(storage_config=f"{base}.osrm", algorithm="CH", use_shared_memory=False,
                       max_locations_distance_table=100_000)
    coords = [tuple(p) for p in job["points"]]
    params = osrm.TableParameters(coordinates=coords, sources=job["sources"],
                                  destinations=job["targets"], annotations=["distance"])
    res, table_s = best(lambda: engine.Table(params), job["repeats"])
    dist = [[None if d is None else float(d) for d in row] for row in res["distances"]]
    # the route of every pair that differs from aksugeo's walk by more than 1% (and 2 m)
    routes = []
    for i, src in enumerate(job["sources"]):
        for j, dst in enumerate(job["targets"]):
            ours, theirs = job["ours"][i][j], dist[i][j]
            if ours is None or theirs is None or abs(ours - theirs) <= max(0.01 * ours, 2.0):
                continue
            res = engine.Route(osrm.RouteParameters(
                coordinates=[coords[src], coords[dst]], overview="false",
                annotations=["nodes"]))
            route = res["routes"][0]
            routes.append({"i": i, "j": j, "duration_s": float(route["duration"]),
                           "nodes": [int(n) for n in route["legs"][0]["annotation"]["nodes"]],
                           "snap_m": [float(w["distance"]) for w in res["waypoints"]]})
    return {"prepare_s": prepare_s, "table_s": table_s, "distances": dist, "routes": routes}


def run_valhalla(job: dict, work: Path) -> dict:
    tiles = work / "valhalla" / "tiles"
    tiles.mkdir(parents=True, exist_ok=True)
    config = json.loads(subprocess.run(
        [sys.executable, "-m", "valhalla.valhalla_build_config", "--mjolnir-tile-dir",
         str(tiles), "--mjolnir-tile-extract", "", "--mjolnir-traffic-extract", "",
         "--mjolnir-admin", "", "--mjolnir-timezone", ""],
        check=True, capture_output=True, text=True).stdout)
    config["service_limits"]["pedestrian"]["max_matrix_location_pairs"] = 10_000_000
    config["service_limits"]["pedestrian"]["max_matrix_distance"] = 10_000_000
    config["service_limits"]["isochrone"]["max_locations"] = 1000
    config["thor"]["source_to_target_algorithm"] = "timedistancematrix"
    cfg = work / "valhalla" / "valhalla.json"
    cfg.write_text(json.dumps(config))
    binary = Path(subprocess.run([sys.executable, "-m", "valhalla", "print_bin_path"],
                                 check=True, capture_output=True, text=True).stdout.strip())
    t0 = time.perf_counter()
    subprocess.run([str(binary / "valhalla_build_tiles"), "-c", str(cfg), job["pbf"]],
                   check=True, capture_output=True)
    prepare_s = time.perf_counter() - t0
    actor = valhalla.Actor(str(cfg))
    pts = job["points"]
    # the pedestrian costing at our speed; its options (``"type": "wheelchair"``) from the job
    costing = {"pedestrian": {"walking_speed": job["speed_kmh"],
                              **job.get("pedestrian_options", {})}}

    def loc(i: int) -> dict:
        return {"lon": pts[i][0], "lat": pts[i][1]}

    matrix_req = {"sources": [loc(i) for i in job["sources"]],
                  "targets": [loc(i) for i in job["targets"]],
                  "costing": "pedestrian", "costing_options": costing, "units": "kilometers"}
    res, matrix_s = best(lambda: actor.matrix(matrix_req), job["repeats"])
    dist = [[None if c.get("distance") is None else 1000.0 * c["distance"] for c in row]
            for row in res["sources_to_targets"]]

    def isochrones() -> list[dict]:
        return [actor.isochrone({"locations": [loc(i)], "costing": "pedestrian",
                                 "costing_options": costing, "polygons": True,
                                 "contours": [{"time": job["iso_minutes"]}]})
                for i in job["iso_sources"]]

    iso, iso_s = best(isochrones, job["repeats"]) if job["iso_sources"] else ([], 0.0)
    return {"prepare_s": prepare_s, "matrix_s": matrix_s, "distances": dist,
            "isochrone_s": iso_s, "isochrones": [r["features"][0]["geometry"] for r in iso]}


def main() -> None:
    job = json.loads(Path(sys.argv[1]).read_text())
    work = Path(job["workdir"])
    engines = job.get("engines", ["osrm", "valhalla"])
    out = {"python": sys.version.split()[0], "osrm_bindings": _version("osrm-bindings"),
           "pyvalhalla": _version("pyvalhalla")}
    if "osrm" in engines:
        out["osrm"] = run_osrm(job, work)
    if "valhalla" in engines:
        out["valhalla"] = run_valhalla(job, work)
    Path(sys.argv[2]).write_text(json.dumps(out))


def _version(dist: str) -> str:
    return version(dist)


if __name__ == "__main__":
    main()
