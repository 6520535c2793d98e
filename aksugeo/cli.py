"""The ``aksugeo`` command line: thin calls into the library, clear errors, no tracebacks."""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aksugeo import __version__
from aksugeo._cache import cache_dir
from aksugeo._errors import AksugeoError, ValidationError
from aksugeo.i18n import DEFAULT_LANGUAGE, LANGUAGES
from aksugeo.settings import DEFAULT_DB, AccessSettings


def _validate(args: argparse.Namespace) -> int:
    from aksugeo._errors import Problem
    from aksugeo.data.io import validate
    from aksugeo.walk.network import load_network

    dataset, problems = validate(args.data_dir)
    if dataset is not None and dataset.network_path is not None:
        # the street network too: a truncated or foreign file is found now, not by the build
        try:
            load_network(dataset.network_path)
        except (AksugeoError, OSError, ValueError, RuntimeError) as exc:
            where = str(dataset.network_path)
            problems.append(Problem(where, "-", "-", str(exc).removeprefix(f"{where}: ")))
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
    from aksugeo.walk.profiles import profiles_of

    settings = AccessSettings(speed_kmh=args.speed_kmh, reduced_speed_kmh=args.reduced_speed_kmh,
                              bands_min=tuple(args.bands), max_snap_m=args.max_snap_m,
                              profiles=tuple(args.profile or ()))
    profiles_of(settings)  # every change names a profile and a field: checked before building
    report = build(args.data_dir, args.out, settings=settings, network=args.network,
                   place=args.place)
    print(report.summary())
    return 0


def _geocode(args: argparse.Namespace) -> int:
    from urllib.parse import urlparse

    from aksugeo.geocode.geocoder import geocode_file
    from aksugeo.geocode.online import OnlineGeocoder

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
                          settlement=args.settlement, geo_out=args.geo, online=online,
                          renames=args.renames)
    print(report)
    return 0


def _canvass_import(args: argparse.Namespace) -> int:
    from aksugeo.canvass.visitlog import import_visits

    report = import_visits(args.input, args.db)
    print(report)
    return 0


def _canvass_status(args: argparse.Namespace) -> int:
    from aksugeo.canvass.coverage import progress_figure
    from aksugeo.canvass.state import open_canvass
    from aksugeo.data.io import write_csv

    can = open_canvass(args.db)
    if args.precinct is not None:
        can.known(args.precinct)
    day = can.as_of(args.as_of)
    table = can.table(day)
    print(f"canvass coverage as of {day.date().isoformat()} "
          f"(visits {can.visits['date'].min().date()} to {can.visits['date'].max().date()})")
    whole = {str(k): (float(v) if str(k).endswith("_pct") else int(v))
             for k, v in table.loc["all"].to_dict().items()}
    for kind, label in (("apartment", "apartment buildings"), ("private", "private houses")):
        print(f"  {label + ':':<21}{whole[f'{kind}_covered']:>6,} of "
              f"{whole[f'{kind}_households']:,}")
    print(f"  {'households:':<21}{whole['covered']:>6,} of {whole['households']:,} "
          f"({whole['covered_pct']}%)")
    print(f"  {'voters:':<21}{whole['voters_covered']:>6,} of {whole['voters']:,} "
          f"({whole['voters_covered_pct']}%)")
    for wave in (1, 2):
        print(f"  {f'first reached in wave {wave}:':<21}{whole[f'wave{wave}_covered']:>6,} "
              f"households, {whole[f'wave{wave}_voters']:,} voters")
    shown = table if args.precinct is None else table.loc[[str(args.precinct), "all"]]
    cols = ["households", "covered", "covered_pct", "voters", "voters_covered",
            "voters_covered_pct", "apartment_covered", "private_covered", "wave1_covered",
            "wave2_covered"]
    print(shown[cols].to_string())
    if args.csv:
        daily = can.progress(by_precinct=True)
        write_csv(daily[daily["date"] <= day], args.csv)
        print(f"wrote the coverage by day to {args.csv}")
    if args.chart:
        visits = can.visits[can.visits["date"] <= day]
        fig = progress_figure(can.households, visits, precinct=args.precinct)
        fig.savefig(args.chart)
        print(f"wrote the chart to {args.chart}")
    return 0


def _canvass_turfs(args: argparse.Namespace) -> int:
    from aksugeo.canvass.state import open_canvass
    from aksugeo.data.io import write_csv
    from aksugeo.data.schema import WGS84

    can = open_canvass(args.db)
    net = can.network(args.network)
    result = can.turfs(net, args.precinct, doors=args.doors, as_of=args.as_of)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    day = can.as_of(args.as_of).date().isoformat()
    if result.turfs.empty:
        if can.known(args.precinct) == 0:
            print(f"precinct {args.precinct} has no households in the data; no turf")
        else:
            print(f"precinct {args.precinct}: every household was visited by {day}; no turf")
        return 0
    path = out / f"turfs_{args.precinct}.geojson"
    result.turfs.assign(precinct_id=args.precinct, as_of=day).to_crs(WGS84).to_file(
        path, driver="GeoJSON", engine="pyogrio", COORDINATE_PRECISION=7)
    cols = ["order", "household_id", "address", "kind", "dwellings", "voters", "leg_m",
            "walk_m", "reach"]
    for turf_id, part in result.stops.groupby("turf_id", sort=True):
        write_csv(part[cols], out / f"turf_{turf_id}.csv", encoding="utf-8-sig")
    print(f"precinct {args.precinct}, households not visited by {day}: "
          f"{len(result.stops):,} ({int(result.stops['dwellings'].sum()):,} doors) in "
          f"{len(result.turfs)} turfs of about {args.doors} doors")
    print(result.turfs.drop(columns="geometry").to_string(index=False))
    print(f"wrote {path} and {len(result.turfs)} walk lists turf_*.csv to {out}")
    return 0


def _export_public(args: argparse.Namespace) -> int:
    from aksugeo.passport.public import export_public

    written = export_public(args.db, args.out)
    meta = json.loads(written["metadata"].read_text(encoding="utf-8"))
    for layer, info in meta["layers"].items():
        size_kb = written[layer].stat().st_size / 1024
        print(f"{layer:>16}: {info['features']:>4} features  {size_kb:7,.0f} KB  {written[layer]}")
    print(f"wrote {written['metadata']} and the layers' JSON Schemas in {Path(args.out) / 'schema'}"
          f"{'  (SYNTHETIC data)' if meta['synthetic'] else ''}")
    return 0


def _export_site(args: argparse.Namespace) -> int:
    from aksugeo.site import export_site

    site = export_site(args.db, args.out, hours=args.hours)
    print(f"wrote the public site: {site.files} files, {site.bytes / 1e6:.1f} MB "
          f"({site.gzip_bytes / 1e6:.2f} MB gzipped) in {site.out}")
    print(f"open {site.index.resolve()} in a browser, or serve the folder: "
          f"python -m http.server -d {site.out} 8000")
    return 0


def _report(args: argparse.Namespace) -> int:
    from aksugeo.passport.report import write_report

    written = write_report(args.db, args.out, lang=args.lang, precincts=args.precinct)
    print(f"wrote {len(written) - 2} passport sheets, {written[-2].name} (all sheets, for "
          f"printing) and the summary {written[-1]}")
    return 0


def _siting(args: argparse.Namespace) -> int:
    from aksugeo.siting.scenarios import propose

    if (args.add > 0) + (args.move > 0) + args.merge != 1:
        raise AksugeoError("say what to propose: exactly one of --add N, --move K or --merge")
    sc = propose(args.db, minutes=args.minutes, add=args.add, move=args.move,
                 merge=args.merge, method=args.method)
    s = sc.solution
    gap = "no bound (heuristic)" if s.gap != s.gap else f"gap {100 * s.gap:.2f} %"
    what = ("merge" if args.merge else f"move up to {args.move} precincts" if args.move
            else f"add {args.add} precincts")
    print(f"{what}, voters within {args.minutes:g} min as the objective "
          f"({s.method}, {gap}, {s.seconds:.2f} s): {s.objective:,.0f} voters covered")
    for sign, column in (("+", "added"), ("-", "closed")):
        for _, row in sc.sites[sc.sites[column]].iterrows():
            print(f"  {sign} {row['site_id']}  {row['name']}  ({row['facility_type']})  "
                  f"lon {row.geometry.x:.5f} lat {row.geometry.y:.5f}")
    if sc.ranking is not None:
        print("closing one precinct: voters pushed beyond the minutes, fewest first")
        print(sc.ranking.head(10).to_string(index=False))
    cols = [c for c in sc.table.columns if c.startswith("within")] + ["mean_min", "p95_min"]
    print(sc.table[cols].to_string())
    print(f"wrote layers siting_sites, siting_catchments and siting_figures to {args.db}")
    return 0


def _boundaries_check(args: argparse.Namespace) -> int:
    from aksugeo.boundaries.commands import check_build, decision_walking
    from aksugeo.data.layers import open_build

    result = check_build(args.db, args.decision, write=not args.no_write)
    for line in result.lines(limit=args.limit or None):
        print(line)
    print(result.summary())
    if args.walks and (walking := decision_walking(open_build(args.db), result)) is not None:
        for line in walking.lines():
            print(line)
    if not args.no_write:
        print(f"wrote layers boundary_conflicts and decision_assignment to {args.db}")
    return 1 if result.applied.conflicts else 0


def _boundaries_write(args: argparse.Namespace) -> int:
    from aksugeo.boundaries.commands import write_annex

    annex = write_annex(args.db, args.source, args.lang, args.out)
    for line in annex.problems:
        print(line)
    print(f"{annex.precincts} precincts, {annex.rules:,} rules from the {args.source}'s "
          "assignment")
    for path in annex.files:
        print(f"wrote {path}")
    return 1 if annex.problems else 0


def _generate(args: argparse.Namespace) -> int:
    from aksugeo.synth import generate

    counts = generate(Path(args.out), reference_dir=args.reference, seed=args.seed)
    for key, value in counts.items():
        print(f"{key:>20}: {value:,}")
    return 0


def _app(args: argparse.Namespace) -> int:
    import signal

    from aksugeo.app.server import command

    cmd = command(args.db, address=args.address, port=args.port)
    print(f"dashboard on http://{args.address}:{args.port}  (Ctrl+C stops it)", flush=True)
    server = subprocess.Popen(cmd, env=os.environ.copy())  # noqa: S603

    def stop(signum: int, _frame: object) -> None:
        # the server goes with us, whatever stops us: it would keep the port otherwise
        server.terminate()
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.terminate()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if server.poll() is None:
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


DB_HELP = f"the GeoPackage written by aksugeo build (default: {DEFAULT_DB})"


def _number(kind: type, *, low: float, high: float = math.inf,
            low_open: bool = False) -> Callable[[str], Any]:
    """Return an argparse type: a finite ``kind`` in [low, high] (or (low, high])."""
    def parse(text: str) -> Any:  # noqa: ANN401
        try:
            value = kind(text)
        except ValueError:
            what = "a whole number" if kind is int else "a number"
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if not math.isfinite(value) or value < low or (low_open and value == low) \
                or value > high:
            bound = (f"above {low:g}" if low_open else f"at least {low:g}")
            if high < math.inf:
                bound += f" and at most {high:g}"
            raise argparse.ArgumentTypeError(f"{text!r}: must be {bound}")
        return value
    parse.__name__ = kind.__name__  # argparse names the type in its message
    return parse


POSITIVE = _number(float, low=0, low_open=True)  # speeds, metres, minutes
COUNT = _number(int, low=1)  # how many: precincts to add, doors per turf, minutes of a band
PORT = _number(int, low=1, high=65535)
DEFAULTS = AccessSettings()  # the command line's defaults are the settings class's


def _canvass_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("canvass", help="the door-to-door canvass: import visits, status, turfs",
                       description="Work with the visit log in the built GeoPackage.")
    can = p.add_subparsers(dest="canvass_command", required=True, metavar="ACTION")
    db_help = DB_HELP
    q = can.add_parser("import", help="import a team's visits CSV or XLSX into the log",
                       description="Check every row (household, date, wave, outcome, counts); "
                       "add the good rows in one transaction, skip visits already logged (the "
                       "same household, day and team), and write the rejected rows with their "
                       "reasons to INPUT.rejected.csv beside the input.")
    q.add_argument("input", type=Path, help="CSV (UTF-8 or Windows-1251, , or ;) or XLSX "
                   "with household_id,date,wave,team,outcome,voters_reached[,visit_id]")
    q.add_argument("--db", type=Path, default=DEFAULT_DB, help=db_help)
    q.set_defaults(func=_canvass_import)
    q = can.add_parser("status", help="coverage as of a date, per precinct, by kind and wave",
                       description="Print households and voters covered as of a date, in all "
                       "and per precinct, by kind and by wave; optionally write the coverage "
                       "by day (CSV) and its chart (PNG).")
    q.add_argument("--db", type=Path, default=DEFAULT_DB, help=db_help)
    q.add_argument("--as-of", help="last day counted, YYYY-MM-DD (default: the last visit)")
    q.add_argument("--precinct", type=int, help="show this precinct (and draw it on the chart)")
    q.add_argument("--csv", type=Path, help="write the coverage by day and precinct to this CSV")
    q.add_argument("--chart", type=Path, help="write the coverage-over-time chart (PNG)")
    q.set_defaults(func=_canvass_status)
    q = can.add_parser("turfs", help="split a precinct's unvisited households into turfs",
                       description="Cut the households of a precinct not visited by a date "
                       "into turfs of about N doors (an apartment building counts its "
                       "apartments), each a stretch of one walk along the streets; write "
                       "OUT/turfs_<precinct>.geojson and one walk list turf_<id>.csv per turf.")
    q.add_argument("--precinct", type=int, required=True, help="precinct number")
    q.add_argument("--doors", type=COUNT, default=60, help="doors per turf (default: 60)")
    q.add_argument("--as-of", help="households not visited by this day (default: last visit)")
    q.add_argument("--out", type=Path, required=True, help="output directory")
    q.add_argument("--network", type=Path, help="OSM file (default: the one the build used)")
    q.add_argument("--db", type=Path, default=DEFAULT_DB, help=db_help)
    q.set_defaults(func=_canvass_turfs)


def _boundaries_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("boundaries", help="the akim's decision: check it, write it",
                       description="Precinct boundaries as the law writes them: the akim's "
                       "decision listing each precinct's streets and house numbers (Russian "
                       "or Kazakh).")
    bnd = p.add_subparsers(dest="boundaries_command", required=True, metavar="ACTION")
    q = bnd.add_parser("check", help="apply a decision to the registry; list the conflicts",
                       description="Read the decision (.txt in UTF-8 or Windows-1251, or "
                       ".docx), give every household of the build its precinct by the text, and "
                       "list as DECISION:precinct N:rule k: ... the fragments not read, "
                       "streets and settlements not known, rules that take no address, "
                       "addresses two precincts take or none does, and households whose "
                       "registry precinct differs. Writes the layers boundary_conflicts and "
                       "decision_assignment into the build. Exit 0 when the decision and the "
                       "registry agree, 1 otherwise.")
    q.add_argument("decision", type=Path, help="the decision's text (.txt or .docx)")
    q.add_argument("--db", type=Path, default=DEFAULT_DB, help=DB_HELP)
    q.add_argument("--limit", type=_number(int, low=0), default=50,
                   help="lines shown per kind of conflict (default: 50; 0: all)")
    q.add_argument("--no-write", action="store_true", help="do not write into the build")
    q.add_argument("--walks", action="store_true", help="also the walking figures of the "
                   "decision's assignment beside the registry's (the build's network and speeds)")
    q.set_defaults(func=_boundaries_check)
    q = bnd.add_parser("write", help="write the decision's annex of an assignment",
                       description="Write the rules that give every household its precinct "
                       "(whole settlements and streets, house ranges, odd and even sides) as "
                       "text, Word and HTML in each language, and as street segments "
                       "(segments.csv: precinct_id, settlement, street, from, to, side).")
    q.add_argument("--from", dest="source", choices=("registry", "siting"), default="registry",
                   help="today's assignment (registry) or the last `aksugeo siting` proposal")
    q.add_argument("--lang", nargs="+", choices=("ru", "kk"), default=["ru", "kk"],
                   help="languages (default: ru kk)")
    q.add_argument("--out", type=Path, required=True, help="output directory")
    q.add_argument("--db", type=Path, default=DEFAULT_DB, help=DB_HELP)
    q.set_defaults(func=_boundaries_write)


def _output_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    db_help = DB_HELP
    p = sub.add_parser("export", help="the public export: GeoJSON with no personal data",
                       description="Write layers for the public accessibility map.")
    exp = p.add_subparsers(dest="export_command", required=True, metavar="WHAT")
    q = exp.add_parser("public", help="precincts, isochrones, catchments, coverage by block",
                       description="Write RFC 7946 GeoJSON layers (precincts with their "
                       "passports and categories, isochrone bands, catchments, canvass coverage "
                       "by street block), a JSON Schema of each and metadata.json. No "
                       "household-level data; counts under 5 are null.")
    q.add_argument("--db", type=Path, default=DEFAULT_DB, help=db_help)
    q.add_argument("--out", type=Path, required=True, help="output directory")
    q.set_defaults(func=_export_public)
    q = exp.add_parser("site", help="the public accessibility map: a static site",
                       description="Write a static site (HTML, CSS, JS and data, Leaflet "
                       "vendored) where a voter finds their precinct by address, the walk there "
                       "and whether they can get in, in Russian, Kazakh and English. It works "
                       "from any static web server and opened from the folder, with no request "
                       "off the machine; it holds only what `export public` publishes.")
    q.add_argument("--db", type=Path, default=DEFAULT_DB, help=db_help)
    q.add_argument("--out", type=Path, required=True, help="output directory")
    q.add_argument("--hours", default="07:00–20:00",
                   help="the polling hours the pages state (default: %(default)s)")
    q.set_defaults(func=_export_site)

    p = sub.add_parser("report", help="printable passport sheets and a summary (HTML, A4)",
                       description="Write one A4 HTML sheet per precinct (map of its catchment, "
                       "isochrones and entrance, the passport, failed items and remedies, "
                       "walking figures), all sheets in one file for printing, and a one-page "
                       "summary for the commission.")
    p.add_argument("--db", type=Path, default=DEFAULT_DB, help=db_help)
    p.add_argument("--out", type=Path, required=True, help="output directory")
    p.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE,
                   help="language of the sheets (default: ru)")
    p.add_argument("--precinct", type=int, nargs="+", help="only these precincts")
    p.set_defaults(func=_report)


def _siting_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("siting", help="where to add precincts so that more voters walk less",
                       description="Propose new precincts among the candidate sites (the "
                       "existing ones kept): the most voters within MINUTES of a precinct "
                       "(maximal covering, solved exactly with HiGHS); print the figures before "
                       "and after and write the sites and their catchments to the GeoPackage.")
    p.add_argument("--add", type=COUNT, default=0, help="add this many precincts")
    p.add_argument("--move", type=COUNT, default=0,
                   help="let up to this many precincts move to candidate sites")
    p.add_argument("--merge", action="store_true",
                   help="which precinct could close with the fewest voters pushed beyond")
    p.add_argument("--minutes", type=POSITIVE, default=15,
                   help="covered within (default: 15)")
    p.add_argument("--method", choices=["highs", "greedy"], default="highs",
                   help="exact MILP (default) or greedy + swap for large cases")
    p.add_argument("--db", type=Path, default=DEFAULT_DB, help=DB_HELP)
    p.set_defaults(func=_siting)


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
    p.add_argument("--speed-kmh", type=POSITIVE, default=DEFAULTS.speed_kmh,
                   help=f"walking speed (default: {DEFAULTS.speed_kmh:g})")
    p.add_argument("--reduced-speed-kmh", type=POSITIVE, default=DEFAULTS.reduced_speed_kmh,
                   help=f"reduced-mobility walking speed (default: "
                   f"{DEFAULTS.reduced_speed_kmh:g})")
    p.add_argument("--bands", type=COUNT, nargs="+", default=list(DEFAULTS.bands_min),
                   metavar="MIN", help="isochrone bands in minutes (default: "
                   f"{' '.join(str(b) for b in DEFAULTS.bands_min)})")
    p.add_argument("--max-snap-m", type=POSITIVE, default=DEFAULTS.max_snap_m,
                   help="farther than this from a street, a building is off-network "
                   f"(default: {DEFAULTS.max_snap_m:g})")
    p.add_argument("--profile", action="append", metavar="PROFILE.FIELD=VALUE",
                   help="change a mobility profile's speed or factor, as many times as needed: "
                   "wheelchair.speed_kmh=3.5, wheelchair.steep_pct=6, "
                   "winter.cleared_streets=no (the README's profile tables)")
    p.set_defaults(func=_build)

    p = sub.add_parser("geocode", help="addresses to points, offline, with a report",
                       description="Geocode the addresses of a CSV (or XLSX) table offline "
                       "against a gazetteer built from OpenStreetMap data. Every input row and "
                       "column is kept; lon, lat, method, confidence, status, matched_address, "
                       "bound_m "
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
    p.add_argument("--renames", type=Path, default=None, help="CSV of streets renamed "
                   "(settlement, old_name, new_name, renamed_on), so that old names are found "
                   "(default: street_renames.csv of --registry's data directory, or of data/)")
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
                   default=cache_dir() / "online_geocode.sqlite",
                   help="where online answers are kept, so none is asked twice")
    p.set_defaults(func=_geocode)

    _canvass_parser(sub)

    _output_parsers(sub)

    _siting_parser(sub)
    _boundaries_parser(sub)

    p = sub.add_parser("generate", help="regenerate the synthetic Aksu data set",
                       description="Write the synthetic Aksu data set, deterministically: the "
                       "same seed gives the same bytes.")
    p.add_argument("--out", required=True, help="data directory to write")
    p.add_argument("--seed", type=int, default=2019, help="random seed (default: 2019)")
    p.add_argument("--reference", type=Path, default=None,
                   help="folder with the real boundary and KATO list "
                        "(default: the ones aksugeo ships)")
    p.set_defaults(func=_generate)

    p = sub.add_parser("app", help="start the planners' dashboard on 127.0.0.1",
                       description="Start the Streamlit dashboard.")
    p.add_argument("--db", "--gpkg", dest="db", default=DEFAULT_DB, help=DB_HELP)
    p.add_argument("--address", default="127.0.0.1", help="address to listen on")
    p.add_argument("--port", type=PORT, default=8501, help="port (default: 8501)")
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
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # a usage error (argparse printed it) is exit 1, as bad input
        return 0 if exc.code in (0, None) else 1
    try:
        return int(args.func(args))
    except ValidationError as exc:
        for p in exc.problems:
            print(p)
        print(f"{len(exc.problems)} problem(s) found; nothing was written", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader (| head) stopped listening: nothing to say
        sys.stderr.close()
        return 0
    except (AksugeoError, OSError) as exc:
        print(f"aksugeo: error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:
        if os.environ.get("AKSUGEO_DEBUG"):
            raise
        print(f"aksugeo: error: {_unexpected(args, exc)}", file=sys.stderr)
        return 1


def _unexpected(args: argparse.Namespace, exc: Exception) -> str:
    """Say what went wrong that no check foresaw: a damaged GeoPackage, or else a bug.

    Every foreseen problem has its own message; this is the last line, so that even then the
    user reads one sentence, not a library's traceback (``AKSUGEO_DEBUG=1`` shows it).
    """
    import sqlite3

    from aksugeo.data.io import DAMAGED

    db = getattr(args, "db", None)
    if db is not None and Path(db).is_file():
        try:
            with sqlite3.connect(f"file:{Path(db)}?mode=ro", uri=True) as con:
                # the damage may lie in the very text SQLite reports: read it as it comes
                con.text_factory = lambda b: b.decode("utf-8", "replace")
                state = [str(r[0]) for r in con.execute("PRAGMA integrity_check(5)")]
        except (sqlite3.Error, UnicodeDecodeError) as err:
            state = [str(err)]
        if state != ["ok"]:
            return f"{db}: SQLite finds {'; '.join(state)}: {DAMAGED}"
        where = f" on {db} (its content may have been changed by hand or damaged)"
    else:
        where = ""
    command = " ".join(str(getattr(args, k)) for k in (
        "command", "canvass_command", "export_command", "boundaries_command")
        if getattr(args, k, None))
    return (f"`aksugeo {command}` stopped{where}: {type(exc).__name__}: {exc}. This is not a "
            "check we wrote: run it again with AKSUGEO_DEBUG=1 to see where, and report it")


if __name__ == "__main__":
    sys.exit(main())
