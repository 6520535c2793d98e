"""Benchmark of offline geocoding: this version against the previous one, and Nominatim's policy.

Two inputs: the shipped clerks' list as it is (6,515 households, nearly one address per
building), and 100,000 different addresses made from it with other flat numbers (a city's
list: many flats to a building). Each version runs in its own process, on the same inputs: the
gazetteer is built from the shipped OSM file first (timed apart), then the whole
``Geocoder.geocode`` call is timed. The previous version is the commit ``--previous`` (by
default the last one before issue 20's speed work), checked out with ``git worktree`` in a
temporary folder; the answers of both are compared row by row. Nominatim's public service
allows one request a second.

Usage: ``python benchmarks/geocode.py [--previous REV] [--write BENCHMARKS.md]``.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _markdown import table_section  # noqa: E402

N = 100_000
PREVIOUS = "b24900c"  # the geocoder of issue 16, before issue 20 made it faster
OSM = ROOT / "data" / "network" / "aksu.osm.bz2"
COMPARED = ("status", "method", "lon", "lat")


def addresses(n: int) -> pd.Series:
    """``n`` different addresses in the clerks' styles (flats of the shipped list's buildings)."""
    raw = pd.read_csv(ROOT / "data" / "addresses_raw.csv", dtype=str)["address"]
    out, k = [], 0
    while len(out) < n:
        for a in raw:
            # another flat in the same building, or another spelling of "no flat"
            if re.search(r"(кв\.?|квартира|kv\.?|пәтер|päter|-)\s*\d+", a):
                out.append(re.sub(r"\d+$", str(1000 + k), a) if a[-1].isdigit() else a)
            else:
                out.append(f"{a}, кв. {1000 + k}")
            if len(out) == n:
                break
        k += 1
    return pd.Series(out).drop_duplicates().reset_index(drop=True)


def worker(tree: Path, inputs: Path, out: Path) -> None:
    """Geocode each input file with the aksugeo of ``tree``; write times and answers."""
    sys.path.insert(0, str(tree))
    from aksugeo.geocode.gazetteer import build_gazetteer  # noqa: PLC0415
    from aksugeo.geocode.geocoder import Geocoder  # noqa: PLC0415

    t0 = time.perf_counter()
    gaz = build_gazetteer(OSM, cache=False)
    report: dict[str, object] = {"build_s": time.perf_counter() - t0}
    for name in ("shipped", "flats"):
        todo = pd.read_csv(inputs / f"{name}.csv", dtype=str)["address"]
        coder = Geocoder(gaz)  # fresh: nothing remembered from the other input
        t0 = time.perf_counter()
        result = coder.geocode(todo)
        report[f"{name}_s"] = time.perf_counter() - t0
        result[list(COMPARED)].to_csv(out / f"{name}.csv", index=False)
    (out / "times.json").write_text(json.dumps(report), encoding="utf-8")


def run(tree: Path, inputs: Path, out: Path) -> dict[str, float]:
    """Run :func:`worker` in a fresh process; return its times."""
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, __file__, "--worker", str(tree), str(inputs), str(out)],
                   check=True, cwd=tree, stderr=subprocess.DEVNULL)
    return json.loads((out / "times.json").read_text(encoding="utf-8"))


def differing(a: Path, b: Path) -> int:
    """Return how many rows two runs answered differently (status, method or point)."""
    x, y = pd.read_csv(a, dtype=str).fillna(""), pd.read_csv(b, dtype=str).fillna("")
    return int((x != y).any(axis=1).sum())


def main() -> None:
    """Time both versions on both inputs and report them."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--previous", default=PREVIOUS, help="the commit to compare with")
    ap.add_argument("--write", type=Path, help="write the result into this Markdown file")
    ap.add_argument("--worker", nargs=3, type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        inputs = work / "inputs"
        inputs.mkdir()
        shipped = pd.read_csv(ROOT / "data" / "addresses_raw.csv", dtype=str)["address"]
        shipped.to_frame().to_csv(inputs / "shipped.csv", index=False)
        addresses(N).to_frame("address").to_csv(inputs / "flats.csv", index=False)
        old_tree = work / "previous"
        git = shutil.which("git") or "git"
        subprocess.run([git, "-C", str(ROOT), "worktree", "add", "--detach", "-f",
                        str(old_tree), args.previous], check=True, capture_output=True)
        try:
            old = run(old_tree, inputs, work / "old")
            new = run(ROOT, inputs, work / "new")
        finally:
            subprocess.run([git, "-C", str(ROOT), "worktree", "remove", "--force",
                            str(old_tree)], check=False, capture_output=True)
        changed = {n: differing(work / "old" / f"{n}.csv", work / "new" / f"{n}.csv")
                   for n in ("shipped", "flats")}
    counts = {"shipped": len(shipped), "flats": N}
    what = {"shipped": "the shipped list (one address a household)",
            "flats": "100,000 flats of its buildings"}
    rows = []
    for name in ("shipped", "flats"):
        n = counts[name]
        rows.append(f"| {what[name]} | {n:,} | {old[f'{name}_s']:.1f} s, "
                    f"{n / old[f'{name}_s']:,.0f}/s | {new[f'{name}_s']:.1f} s, "
                    f"{n / new[f'{name}_s']:,.0f}/s | {old[f'{name}_s'] / new[f'{name}_s']:.1f}x |"
                    f" {changed[name]:,} | {n / 3600:.1f} h |")
    table_section(
        args.write, "geocode",
        "Geocoding (`python benchmarks/geocode.py --write BENCHMARKS.md`)",
        f"Machine: {platform.machine()}, Python {platform.python_version()}. This version "
        f"against the previous one (commit `{args.previous}`), each in its own process on the "
        f"same inputs; the gazetteer built from the shipped OSM file first ({new['build_s']:.1f} "
        f"s here, {old['build_s']:.1f} s before; once per file, then read from its cache). "
        "Ratio = previous time / this time. Answers changed = rows whose status, method or "
        "point differ between the two. Nominatim = its public service at its policy's one "
        "request a second.",
        ["input", "addresses", "previous", "this version", "ratio", "answers changed",
         "Nominatim"], rows)


if __name__ == "__main__":
    main()
