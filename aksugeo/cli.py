"""The ``aksugeo`` command line: thin calls into the library, clear errors, no tracebacks."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from aksugeo import __version__
from aksugeo._errors import AksugeoError, ValidationError


def _validate(args: argparse.Namespace) -> int:
    from aksugeo.io import validate

    dataset, problems = validate(args.data_dir)
    if problems:
        for p in problems:
            print(p)
        print(f"{len(problems)} problem(s) found in {args.data_dir}", file=sys.stderr)
        return 1
    if dataset is None:  # validate() returns a dataset whenever it finds no problem
        return 1
    print(f"{args.data_dir}: valid ({len(dataset.precincts)} precincts, "
          f"{len(dataset.households)} households, {len(dataset.visits)} visits)")
    return 0


def _build(args: argparse.Namespace) -> int:
    from aksugeo.build import build
    from aksugeo.settings import AccessSettings

    settings = AccessSettings(speed_kmh=args.speed_kmh, reduced_speed_kmh=args.reduced_speed_kmh,
                              bands_min=tuple(args.bands), max_snap_m=args.max_snap_m)
    report = build(args.data_dir, args.out, settings=settings, network=args.network,
                   place=args.place)
    print(report.summary())
    return 0


def _geocode(args: argparse.Namespace) -> int:
    from urllib.parse import urlparse

    from aksugeo.geocode import geocode_file
    from aksugeo.online import OnlineGeocoder

    online = None
    if args.online:
        if not args.user_agent:
            raise AksugeoError("--online needs --user-agent: say who you are (for example "
                               "'aksugeo, Aksu election commission, clerk@example.kz')")
        url = urlparse(args.online_url)
        online = OnlineGeocoder(args.user_agent, args.online_cache, domain=url.netloc,
                                scheme=url.scheme or "https")
    report = geocode_file(args.input, args.out, address_column=args.address_column,
                          osm=args.osm, registry=args.registry, overrides=args.overrides,
                          settlement=args.settlement, geo_out=args.geo, online=online)
    print(report)
    return 0


def _generate(args: argparse.Namespace) -> int:
    from aksugeo.synth import generate

    counts = generate(Path(args.out), reference_dir=args.reference, seed=args.seed)
    for key, value in counts.items():
        print(f"{key:>20}: {value:,}")
    return 0


def _app(args: argparse.Namespace) -> int:
    script = Path(__file__).resolve().parents[1] / "app.py"
    if not script.is_file():
        raise AksugeoError(f"{script}: the dashboard script is not there; run aksugeo app from "
                           "a checkout of the repository (pip install -e .)")
    cmd = [sys.executable, "-m", "streamlit", "run", str(script),
           "--server.address", args.address, "--server.port", str(args.port),
           "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.enableStaticServing", "true", "--", "--gpkg", str(args.gpkg)]
    print(f"dashboard on http://{args.address}:{args.port}  (Ctrl+C stops it)", flush=True)
    try:
        return subprocess.call(cmd, env=os.environ.copy())  # noqa: S603
    except KeyboardInterrupt:
        return 0


def parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``aksugeo`` command."""
    top = argparse.ArgumentParser(
        prog="aksugeo",
        description="Polling precincts, walking access and canvassing on a map.")
    top.add_argument("--version", action="version", version=f"aksugeo {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check every layer and cross-reference of a data dir",
                       description="Check every layer and cross-reference; list every problem "
                       "as file:record:field: message. Exit 0 when valid, 1 otherwise.")
    p.add_argument("data_dir", nargs="?", default="data", help="data directory (default: data)")
    p.set_defaults(func=_validate)

    p = sub.add_parser("build", help="validate, then write OUT/aksugeo.gpkg and a summary",
                       description="Validate the data directory, write OUT_DIR/aksugeo.gpkg "
                       "(one layer per table) and print a summary.")
    p.add_argument("data_dir", nargs="?", default="data", help="data directory (default: data)")
    p.add_argument("--out", default="out", help="output directory (default: out)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--network", type=Path, help="OSM file to walk on (.osm, .osm.bz2, "
                       ".osm.pbf); default: the one in DATA_DIR/network")
    where.add_argument("--place", help="download the network of this place with osmnx "
                       "(needs the internet), e.g. 'Aksu, Pavlodar Region, Kazakhstan'")
    p.add_argument("--speed-kmh", type=float, default=4.5, help="walking speed (default: 4.5)")
    p.add_argument("--reduced-speed-kmh", type=float, default=3.0,
                   help="reduced-mobility walking speed (default: 3.0)")
    p.add_argument("--bands", type=int, nargs="+", default=[5, 10, 15, 20], metavar="MIN",
                   help="isochrone bands in minutes (default: 5 10 15 20)")
    p.add_argument("--max-snap-m", type=float, default=300.0,
                   help="farther than this from a street, a building is off-network "
                   "(default: 300)")
    p.set_defaults(func=_build)

    p = sub.add_parser("geocode", help="addresses to points, offline, with a report",
                       description="Geocode the addresses of a CSV (or XLSX) table offline "
                       "against a gazetteer built from OpenStreetMap data. Every input row and "
                       "column is kept; lon, lat, method, confidence, status, matched_address "
                       "and reason are added.")
    p.add_argument("input", type=Path, help="the table (UTF-8 or Windows-1251; , or ; separated)")
    p.add_argument("--out", type=Path, required=True, help="output CSV")
    p.add_argument("--address-column", default="address", help="column with the addresses "
                   "(default: address)")
    p.add_argument("--overrides", type=Path, help="CSV of address,lon,lat fixed by hand, "
                   "applied first (or address,household_id with --registry)")
    p.add_argument("--osm", type=Path, default=None, help="OSM XML to build the gazetteer "
                   "from (default: data/network/*.osm.bz2)")
    p.add_argument("--registry", type=Path, default=None, help="a data directory whose "
                   "geocoded households also serve as known addresses")
    p.add_argument("--settlement", default=None, help="where addresses without a settlement "
                   "lie (default: the settlement with the most known addresses)")
    p.add_argument("--geo", type=Path, default=None, help="also write the points as GeoJSON "
                   "(.geojson) or GeoPackage (.gpkg)")
    p.add_argument("--online", action="store_true", help="ask an online Nominatim about what "
                   "stays unmatched (off by default; needs the internet and --user-agent)")
    p.add_argument("--user-agent", help="who is asking, as Nominatim's policy requires")
    p.add_argument("--online-url", default="https://nominatim.openstreetmap.org",
                   help="the Nominatim server")
    p.add_argument("--online-cache", type=Path,
                   default=Path.home() / ".cache" / "aksugeo" / "online_geocode.sqlite",
                   help="where online answers are kept, so none is asked twice")
    p.set_defaults(func=_geocode)

    p = sub.add_parser("generate", help="regenerate the synthetic Aksu data set",
                       description="Write the synthetic Aksu data set, deterministically: the "
                       "same seed gives the same bytes.")
    p.add_argument("--out", required=True, help="data directory to write")
    p.add_argument("--seed", type=int, default=2019, help="random seed (default: 2019)")
    p.add_argument("--reference", type=Path, default=None,
                   help="folder with the real boundary and KATO list (default: OUT/reference)")
    p.set_defaults(func=_generate)

    p = sub.add_parser("app", help="start the planners' dashboard on 127.0.0.1",
                       description="Start the Streamlit dashboard.")
    p.add_argument("--gpkg", default="out/aksugeo.gpkg", help="built GeoPackage to show")
    p.add_argument("--address", default="127.0.0.1", help="address to listen on")
    p.add_argument("--port", type=int, default=8501, help="port (default: 8501)")
    p.set_defaults(func=_app)
    return top


def main(argv: list[str] | None = None) -> int:
    """Run the ``aksugeo`` command; return its exit code.

    Parameters
    ----------
    argv : list of str, optional
        The arguments; ``sys.argv[1:]`` by default.

    Returns
    -------
    int
        0 on success, 1 when the input or the request was wrong.
    """
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ValidationError as exc:
        for p in exc.problems:
            print(p)
        print(f"{len(exc.problems)} problem(s) found; nothing was written", file=sys.stderr)
        return 1
    except (AksugeoError, OSError) as exc:
        print(f"aksugeo: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
