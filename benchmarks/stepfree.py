"""Step-free walking: the profiles' searches against the plain walk's, and our wheelchair walks
against Valhalla's wheelchair costing, on the same real extracts in one run (Helsinki's centre,
and around Moorgate in London, whose crossings map their kerbs).

- **speed**: the same searches (20 precincts to 2,000 households, a full matrix, snapping not
  counted) on the plain walk and on each profile's costs (:meth:`WalkNetwork.for_profile`);
  the ratio is the profile's time over the plain walk's, best of five.
- **Valhalla**: pyvalhalla's pedestrian costing with ``type=wheelchair`` at 4 km/h, from the
  same points on the streets (our wheelchair snap), each household to its assigned precinct;
  its metres against ours (:func:`aksugeo.walk.stepfree.profile_walks`). The two rule sets
  differ (Valhalla reads steps and grades, not kerbs): the table says where they disagree.

Usage: ``python benchmarks/stepfree.py [--write BENCHMARKS.md]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _markdown import table_section
from peers import REAL, best_of, frames, peers_python

from aksugeo.settings import AccessSettings
from aksugeo.walk.distances import walks_within
from aksugeo.walk.network import WalkNetwork, load_network
from aksugeo.walk.profiles import PROFILES, STEPS, UNKNOWN
from aksugeo.walk.snapping import Snap, snap_points
from aksugeo.walk.stepfree import profile_walks

EXTRACTS = {"Helsinki centre": REAL / "helsinki_centre.osm.pbf",
            "Moorgate, London": REAL / "moorgate.osm.pbf"}
DIFFERENCES = (
    "The two wheelchair rules are not the same: aksugeo closes raised kerbs, wheelchair "
    "barriers (stiles, kissing gates, turnstiles) and `wheelchair=no`, and weighs loose "
    "surfaces, steep and made-for ways; Valhalla's costing reads steps, grades and its own "
    "access flags. **Why they part**, measured above on the walks 5 % apart or more: taking "
    "our own rules away (kerbs and barriers open, no factors, or both) brings almost none of "
    "them within 5 % (9 of 911 at Helsinki, none at Moorgate), and without any wheelchair rule "
    "at all our shortest plain walk and Valhalla's foot costing are 5 % apart or more about as "
    "often (48 % and 33 % of the walks, where the wheelchair walks are 51 % and 28 %). So the "
    "difference is how the two engines route, not the wheelchair rules: Valhalla's costing "
    "walks the least-cost way under its preferences for kinds of way (sidewalks, walkways, "
    "alleys, driveways, service roads each weighed by a factor) on a graph it builds by its "
    "own rules, where aksugeo walks the shortest way. The walks only aksugeo finds are all "
    "walks Valhalla's foot costing finds: its wheelchair costing refuses some way near those "
    "points that ours walks; not the steps with a ramp (closing those too, ours still finds "
    "every one)."
)


def feet(net: WalkNetwork, snap: Snap) -> gpd.GeoSeries:
    """Where snapped points meet their streets (WGS84)."""
    frac = snap.offset_m / np.maximum(net.length_m[snap.edge], 1e-12)
    pts = shapely.line_interpolate_point(net.lines[snap.edge], frac, normalized=True)
    return gpd.GeoSeries(pts, crs=net.crs).to_crs(4326)


def speed(net: WalkNetwork, homes: gpd.GeoDataFrame, pre: gpd.GeoDataFrame) -> list[str]:
    rows, base = [], None
    for name, profile in PROFILES.items():
        view = net.for_profile(profile)
        hs = snap_points(view, homes.geometry, max_m=300)
        ps = snap_points(view, pre.geometry, max_m=300)
        walks_within(view, hs, ps)  # compiled and warm
        _, seconds = best_of(lambda v=view, h=hs, p=ps: walks_within(v, h, p))
        base = seconds if name == "walk" else base
        closed = int((~np.isfinite(view.length_m)).sum())
        rows.append(f"| {name} | {profile.speed_kmh:g} | {closed:,} | {seconds * 1000:.1f} | "
                    f"{seconds / base:.2f} |")
    return rows


def _valhalla_matrix(path: Path, coords: np.ndarray, n_pre: int, py: str,
                     options: dict) -> tuple[np.ndarray, dict]:
    """Valhalla's metres from each precinct (the first ``n_pre`` points) to each household."""
    with tempfile.TemporaryDirectory() as tmp:
        job = {"pbf": str(path), "workdir": tmp, "points": coords.round(7).tolist(),
               "sources": list(range(n_pre)), "targets": list(range(n_pre, len(coords))),
               "iso_sources": [], "iso_minutes": 15, "speed_kmh": 4.0, "repeats": 1,
               "engines": ["valhalla"], "pedestrian_options": options}
        (Path(tmp) / "job.json").write_text(json.dumps(job))
        subprocess.run([py, str(Path(__file__).parent / "_peers_worker.py"),
                        str(Path(tmp) / "job.json"), str(Path(tmp) / "out.json")],
                       check=True, capture_output=True)
        got = json.loads((Path(tmp) / "out.json").read_text())
    matrix = np.array([[np.nan if d is None else d for d in row]
                       for row in got["valhalla"]["distances"]], dtype=float)
    return matrix, got


def _relaxed(net: WalkNetwork, homes: gpd.GeoDataFrame, pre: gpd.GeoDataFrame,
             ) -> dict[str, np.ndarray]:
    """Our wheelchair walks with one of our rules Valhalla has no counterpart of taken away."""
    plain_tags = net.edge_tags
    no_kerbs = dataclasses.replace(net, tags=dataclasses.replace(
        plain_tags, kerb=np.zeros_like(plain_tags.kerb),
        barrier=np.zeros_like(plain_tags.barrier)))
    factors = ("wheelchair.loose_factor=1", "wheelchair.steep_factor=1",
               "wheelchair.made_for_factor=1")
    out = {}
    for name, network, changes in (
            ("raised kerbs and barriers open", no_kerbs, ()),
            ("no factors for loose, steep or made-for ways", net, factors),
            ("both", no_kerbs, factors)):
        walks = profile_walks(network, homes, pre, profile="wheelchair",
                              settings=AccessSettings(profiles=changes))
        out[name] = walks["walk_wheelchair_m"].to_numpy()
    return out


def valhalla(net: WalkNetwork, path: Path, homes: gpd.GeoDataFrame, pre: gpd.GeoDataFrame,
             py: str) -> tuple[list[str], dict]:
    view = net.for_profile(PROFILES["wheelchair"])
    hs = snap_points(view, homes.geometry, max_m=300)
    ps = snap_points(view, pre.geometry, max_m=300)
    on_h, on_p = feet(view, hs), feet(view, ps)
    # ours, from the same points on the streets
    ours = profile_walks(net, homes.set_geometry(on_h.to_numpy()),
                         pre.set_geometry(on_p.to_numpy()), profile="wheelchair")
    coords = np.vstack([on_p.get_coordinates().to_numpy(), on_h.get_coordinates().to_numpy()])
    matrix, got = _valhalla_matrix(path, coords, len(pre), py, {"type": "wheelchair"})
    foot, _ = _valhalla_matrix(path, coords, len(pre), py, {})
    own = homes["precinct_id"].to_numpy() - 1
    theirs = matrix[own, np.arange(len(homes))]
    mine = ours["walk_wheelchair_m"].to_numpy()
    both = np.isfinite(mine) & np.isfinite(theirs) & (theirs > 0)
    rel = np.abs(mine[both] - theirs[both]) / theirs[both]
    rows = [
        f"| walks compared (each household to its own precinct) | {len(homes):,} |",
        f"| both find a step-free route | {int(both.sum()):,} |",
        f"| only aksugeo finds one | {int((np.isfinite(mine) & ~np.isfinite(theirs)).sum()):,} |",
        f"| only Valhalla finds one | {int((~np.isfinite(mine) & np.isfinite(theirs)).sum()):,} |",
        f"| median difference, % of Valhalla's metres | {100 * float(np.median(rel)):.2f} |",
        f"| within 5 % of Valhalla's | {100 * float((rel <= 0.05).mean()):.1f} % |",
        f"| within 10 % | {100 * float((rel <= 0.10).mean()):.1f} % |",
        f"| aksugeo longer by more than 10 % | {100 * float(((mine[both] - theirs[both]) / theirs[both] > 0.1).mean()):.1f} % |",  # noqa: E501
    ]
    # why they part: our walks with a rule of ours taken away, on the pairs 5 % apart or more
    apart = both.copy()
    apart[both] = rel > 0.05
    rows.append(f"| **5 % apart or more** | {int(apart.sum()):,} |")
    rows.append(f"| ... of them, aksugeo the longer | {int((apart & (mine > theirs)).sum()):,} |")
    homes_on = homes.set_geometry(on_h.to_numpy())
    pre_on = pre.set_geometry(on_p.to_numpy())
    for name, relaxed in _relaxed(net, homes_on, pre_on).items():
        near = apart & (np.abs(relaxed - theirs) <= 0.05 * np.where(theirs > 0, theirs, 1))
        rows.append(f"| ... within 5 % once ours has {name} | {int(near.sum()):,} |")
    # the same comparison without any wheelchair rule: our shortest walk, Valhalla's on foot
    plain = profile_walks(net, homes_on, pre_on, profile="walk")["walk_walk_m"].to_numpy()
    on_foot = foot[own, np.arange(len(homes))]
    both_foot = np.isfinite(plain) & np.isfinite(on_foot) & (on_foot > 0)
    foot_rel = np.abs(plain[both_foot] - on_foot[both_foot]) / on_foot[both_foot]
    rows.append(f"| without wheelchair rules: our plain walk 5 % apart or more from Valhalla's "
                f"foot costing | {100 * float((foot_rel > 0.05).mean()):.1f} % of "
                f"{int(both_foot.sum()):,} |")
    only_ours = np.isfinite(mine) & ~np.isfinite(theirs)
    walked = only_ours & np.isfinite(on_foot)
    rows.append(f"| of the walks only aksugeo finds, Valhalla's foot costing finds | "
                f"{int(walked.sum()):,} of {int(only_ours.sum()):,} |")
    tags = net.edge_tags
    steps = tags.kind == STEPS
    no_ramps = dataclasses.replace(net, tags=dataclasses.replace(
        tags, ramp=np.where(steps, 0, tags.ramp).astype(tags.ramp.dtype),
        wheelchair=np.where(steps, UNKNOWN, tags.wheelchair).astype(tags.wheelchair.dtype)))
    strict = profile_walks(no_ramps, homes_on, pre_on, profile="wheelchair")[
        "walk_wheelchair_m"].to_numpy()
    rows.append(f"| ... of them, ours finds none once steps with a ramp are closed too | "
                f"{int((only_ours & ~np.isfinite(strict)).sum()):,} |")
    return rows, {k: got[k] for k in ("python", "pyvalhalla")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path, help="rewrite this file's section")
    args = parser.parse_args()
    py, note = peers_python()
    parts = []
    for name, path in EXTRACTS.items():
        net = load_network(path)
        homes, pre = frames(net, 2000, 20, seed=7)
        rows = speed(net, homes, pre)
        intro = (f"{name} ({path.name}: {net.n_nodes:,} nodes, {net.n_edges:,} edges), 20 "
                 "precincts to 2,000 households, a full matrix of walks, snapping not "
                 f"counted; best of 5; x86_64, {platform.python_version()}. Ratio = the "
                 "profile's time / the plain walk's time in the same run (1 is as fast).")
        text = table_section(None, "stepfree", f"{name}", intro,
                             ["profile", "km/h", "edges closed", "searches ms", "ratio"], rows)
        if py is not None:
            vrows, versions = valhalla(net, path, homes, pre, py)
            text += ("\n\nOur wheelchair walks against Valhalla's (pyvalhalla "
                     f"{versions['pyvalhalla']}, Python {versions['python']}, pedestrian "
                     "costing `type=wheelchair`, 4 km/h), from the same points on the streets:"
                     "\n\n| | |\n|---|---|\n" + "\n".join(vrows))
        else:
            text += f"\n\nValhalla not run: {note}."
        parts.append(text.replace(f"## {name}", f"### {name}", 1))
    text = ("## Step-free walking (`python benchmarks/stepfree.py --write BENCHMARKS.md`)\n\n"
            + "\n\n".join(parts) + "\n\n" + DIFFERENCES)
    print(text)
    if args.write:
        from _markdown import update_section  # noqa: PLC0415

        update_section(args.write, "stepfree", text)


if __name__ == "__main__":
    main()
