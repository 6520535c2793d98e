"""Benchmark of offline geocoding: 100,000 addresses, against Nominatim's public policy.

The addresses are the shipped clerks' list rewritten with other flat numbers until there
are 100,000 different ones (each distinct address is matched once, so none is a repeat).
The time is the whole ``Geocoder.geocode`` call on a gazetteer built beforehand (its build,
once per OSM file, is timed apart). Nominatim's public service allows one request a second.

Usage: ``python benchmarks/geocode.py [--write BENCHMARKS.md]``.
"""

from __future__ import annotations

import argparse
import platform
import re
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _markdown import update_section  # noqa: E402

from aksugeo.geocode.gazetteer import build_gazetteer  # noqa: E402
from aksugeo.geocode.geocoder import Geocoder  # noqa: E402

N = 100_000


def addresses(n: int) -> pd.Series:
    """``n`` different addresses in the clerks' styles."""
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


def main() -> None:
    """Time the geocoding of 100,000 addresses and report it."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", type=Path, help="write the result into this Markdown file")
    args = ap.parse_args()
    osm = ROOT / "data" / "network" / "aksu.osm.bz2"
    t0 = time.perf_counter()
    gaz = build_gazetteer(osm, cache=False)
    build_s = time.perf_counter() - t0
    todo = addresses(N)
    coder = Geocoder(gaz)
    t0 = time.perf_counter()
    result = coder.geocode(todo)
    run_s = time.perf_counter() - t0
    rate = len(todo) / run_s
    nominatim_h = len(todo) / 1.0 / 3600
    statuses = ", ".join(f"{k} {v:,}" for k, v in result["status"].value_counts().items())
    text = "\n".join([
        "## Geocoding (`python benchmarks/geocode.py --write BENCHMARKS.md`)", "",
        (f"Machine: {platform.machine()}, Python {platform.python_version()}. "
        f"{len(todo):,} different addresses in the clerks' styles; gazetteer built from the "
        f"shipped OSM file in {build_s:.1f} s (once per file, then read from its cache)."), "",
        "| geocoder | addresses | time | addresses per second | ratio |",
        "|---|---|---|---|---|",
        (f"| aksugeo, offline | {len(todo):,} | {run_s:.1f} s | {rate:,.0f} | "
        f"{nominatim_h * 3600 / run_s:,.0f}x |"),
        (f"| Nominatim public service, 1 request/s policy | {len(todo):,} | "
        f"{nominatim_h:.1f} h | 1 | 1x |"), "",
        f"Answers: {statuses}.", ""])
    print(text)
    if args.write:
        update_section(args.write, "geocode", text)


if __name__ == "__main__":
    main()
