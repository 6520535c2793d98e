"""The dashboard's cached loaders: what a page needs, computed once per build and shared.

The caches live in the server process, so every session finds the layers ready. Each loader
is keyed by the GeoPackage's path and modification time (``stamp``): an import of visits
changes the file, and the page then reads it afresh. What they return is shared: read it, do
not change it. :func:`warm` fills the caches the first page uses; the server calls it before
it starts serving (:mod:`aksugeo.app.server`), so the first planner does not wait either.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import geopandas as gpd
import pandas as pd
import shapely

from aksugeo.app import dashboard as dash
from aksugeo.app import sheets
from aksugeo.app.maps import (
    SIMPLIFY_M,
    Parts,
    View,
    base,
    conflict_markers,
    heat_points,
    json_text,
    light_geojson,
    overlays,
)
from aksugeo.app.sheets import TeamLists
from aksugeo.boundaries.commands import write_annex
from aksugeo.canvass.state import Canvass, open_canvass
from aksugeo.data.io import read_renames, renames_in
from aksugeo.data.layers import (
    BOUNDARY_CONFLICTS,
    CANDIDATE_SITES,
    COVERAGE,
    GAPS,
    PRECINCTS,
    SITING_ASSIGNMENT,
    SITING_CATCHMENTS,
    SITING_FIGURES,
    SITING_SITES,
    open_build,
)
from aksugeo.data.schema import WGS84
from aksugeo.geocode.gazetteer import build_gazetteer
from aksugeo.geocode.geocoder import Geocoder
from aksugeo.passport.public import export_public
from aksugeo.siting.scenarios import Move, move_precinct, site_table
from aksugeo.walk.network import WalkNetwork, load_network

P = ParamSpec("P")
R = TypeVar("R")


def _kept(maxsize: int = 8) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Keep a loader's results in this process, shared by every session and read-only.

    Not Streamlit's caches: the server fills these before it starts serving
    (:func:`warm`), when Streamlit's runtime does not exist yet, and each session then finds
    them ready. Keyed by the arguments: a build's path and stamp, a day.
    """
    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        return functools.lru_cache(maxsize=maxsize)(fn)  # type: ignore[return-value]
    return wrap


def stamp(path: Path) -> int:
    """Return the file's modification time in nanoseconds (0 when it is missing)."""
    return path.stat().st_mtime_ns if path.is_file() else 0


@_kept()
def data(path: str, stamp: int) -> dash.DashboardData:  # noqa: ARG001  (the cache key)
    """Return the build's layers."""
    return dash.load(path)


@_kept()
def canvass(path: str, stamp: int) -> Canvass:  # noqa: ARG001
    """Return the build's canvass layers."""
    return open_canvass(path)


@_kept()
def network(source: str) -> WalkNetwork:
    """Return the walking network of an OSM file."""
    return load_network(source)


@_kept()
def geocoder(source: str, renames: str = "") -> Geocoder:
    """Return the offline geocoder of an OSM file, for the search box.

    ``renames``: the build's renames table (``street_renames.csv``), when it has one: old
    street names are found too.
    """
    gaz = build_gazetteer(source)
    if renames:
        gaz, _ = gaz.with_renames(read_renames(renames))
    return Geocoder(gaz)


@_kept()
def streets(source: str) -> dict[str, Any]:
    """Return the street network as one light GeoJSON feature."""
    net = network(source)
    # one merged feature: 70 KB for Aksu where 3,000 edge features weigh 600 KB
    merged = shapely.line_merge(shapely.MultiLineString(list(net.lines)))
    return light_geojson(gpd.GeoDataFrame(geometry=[merged], crs=net.crs), [], simplify_m=2.0)


@_kept()
def _features(path: str, stamp: int, layer: str) -> dict[int, list[dict[str, Any]]]:
    """Return a layer's light GeoJSON features by precinct, drawn once per build.

    A filter then only picks the precincts' features: no geometry is simplified again.
    """
    d = data(path, stamp)
    if layer == "catchments":
        frame, columns, simplify_m = d.catchments, ["precinct_id"], SIMPLIFY_M
    else:  # the walking bands, largest first so the nearer ones are drawn on top
        frame = {"bands_reduced": d.isochrones_reduced,
                 "bands_wheelchair": d.isochrones_wheelchair}.get(layer, d.isochrones)
        if frame is None:  # an older build: no step-free bands
            return {}
        frame = frame.sort_values("minutes", ascending=False, kind="stable")
        columns, simplify_m = ["precinct_id", "minutes"], 8.0
    out: dict[int, list[dict[str, Any]]] = {}
    for feature in light_geojson(frame, columns, simplify_m=simplify_m)["features"]:
        out.setdefault(int(feature["properties"]["precinct_id"]), []).append(feature)
    return out


def _collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def bands(path: str, stamp: int, reduced: bool, band: int,
          ids: tuple[int, ...], step_free: bool = False) -> dict[str, Any]:
    """Return the walking bands up to ``band`` minutes of the precincts ``ids``.

    At the reduced-mobility speed when ``reduced``; the step-free bands (by wheelchair, from
    the accessible entrances) when ``step_free``.
    """
    per = _features(path, stamp, "bands_wheelchair" if step_free else
                    "bands_reduced" if reduced else "bands")
    chosen = [f for pid in ids for f in per.get(pid, []) if f["properties"]["minutes"] <= band]
    chosen.sort(key=lambda f: -f["properties"]["minutes"])  # stable: precincts keep their order
    return _collection(chosen)


def catchments(path: str, stamp: int, ids: tuple[int, ...]) -> dict[str, Any]:
    """Return the catchments of the precincts ``ids``."""
    per = _features(path, stamp, "catchments")
    return _collection([f for pid in ids for f in per.get(pid, [])])


@_kept(maxsize=32)
def areas(path: str, stamp: int, source: str,
          day: str) -> tuple[dict[str, Any], dict[str, Any], bytes]:
    """Return the coverage and gap polygons as of ``day`` (and the gaps as a GeoJSON file)."""
    d = data(path, stamp)
    if (day == d.meta.get("coverage_as_of")
            and str(len(d.visits)) == d.meta.get("visits_logged")):
        # the build drew these very polygons: read them (3 s saved on the first page)
        coverage, gaps = d.build.spatial(COVERAGE), d.build.spatial(GAPS)
    else:
        drawn = canvass(path, stamp).areas(network(source), day)
        coverage, gaps = drawn.coverage, drawn.gaps
    gaps = gaps[["gap_id", "precinct_id", "uncovered_households", "uncovered_doors",
                 "geometry"]]
    return (light_geojson(coverage, ["precinct_id", "status"]),
            light_geojson(gaps, ["gap_id", "precinct_id", "uncovered_households",
                                 "uncovered_doors"]),
            gaps.to_crs(WGS84).to_json(drop_id=True).encode("utf-8"))


@_kept(maxsize=32)
def coverage(path: str, stamp: int, as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Return each household's coverage as of a day (:func:`dash.coverage`)."""
    return dash.coverage(data(path, stamp), as_of)


@_kept(maxsize=64)
def daily(path: str, stamp: int, filters: dash.Filters) -> pd.DataFrame:
    """Return coverage day by day for the precincts ``filters`` keep (:func:`dash.daily`)."""
    return dash.daily(data(path, stamp), filters)


@_kept(maxsize=64)
def precinct_table(path: str, stamp: int, band: int, reduced: bool, as_of: pd.Timestamp | None,
                   group: str | None, lang: str, step_free: bool = False) -> pd.DataFrame:
    """Return every precinct's row of the table (:func:`dash.precinct_table`).

    For a filter's band, speed (or step-free walks), day and group; the other filters only
    pick rows (:func:`precinct_table_of`), so a change of area or category computes nothing.
    """
    filters = dash.Filters(band_min=band, reduced=reduced, as_of=as_of, group=group,
                           step_free=step_free)
    return dash.precinct_table(data(path, stamp), filters, coverage(path, stamp, as_of), lang)


def precinct_table_of(path: str, stamp: int, filters: dash.Filters, lang: str) -> pd.DataFrame:
    """Return :func:`dash.precinct_table` for ``filters``.

    The rows of the precincts it keeps, in the same order (a subset of a sorted table is sorted).
    """
    d = data(path, stamp)
    whole = precinct_table(path, stamp, filters.band(d), filters.reduced, filters.as_of,
                           filters.group, lang, filters.step_free)
    return whole[whole["precinct_id"].isin(dash.select(d, filters))].reset_index(drop=True)


@_kept()
def map_base(path: str, stamp: int, lang: str, tiles: bool) -> str:
    """Return the main map's base (streets, legend, tiles) as JSON text."""
    d = data(path, stamp)
    source = d.meta.get("network_path", "")
    lines = streets(source) if Path(source).is_file() else None
    return json_text(base(lines, View.of_build(d.settings, lang, tiles=tiles)))


@_kept(maxsize=16)
def map_parts(path: str, stamp: int, band: int, reduced: bool, day: str, lang: str,
              selected: int | None, step_free: bool = False) -> Parts:
    """Return the main map's overlays for every precinct, split by precinct (:class:`Parts`).

    The walking bands up to ``band`` minutes (at the reduced-mobility speed when ``reduced``),
    catchments, canvass coverage and gaps as of ``day`` (ISO), households and the precincts'
    markers (``selected`` drawn larger). A filter picks its precincts' parts.
    """
    d = data(path, stamp)
    ids = tuple(int(i) for i in d.precincts["precinct_id"])
    layers = {"bands": bands(path, stamp, reduced, band, ids, step_free),
              "catchments": catchments(path, stamp, ids)}
    source = d.meta.get("network_path", "")
    if Path(source).is_file():
        layers["coverage"], layers["gaps"], _ = areas(path, stamp, source, day)
    view = View.of_build(d.settings, lang, band_min=band, reduced=reduced, selected=selected)
    if step_free:  # the bands' name says whose they are
        view = dataclasses.replace(view, reduced=False,
                                   speeds=(dash.step_free_speed(d.settings, lang),
                                           view.speeds[1]))
    return Parts.of(overlays(d.precincts, layers, heat_points(d.households), view,
                             conflicts(path, stamp, lang)))


@_kept()
def conflicts(path: str, stamp: int, lang: str) -> list[dict[str, Any]]:
    """Return the akim's decision's conflicts at households as map markers (none: [])."""
    built = open_build(path)
    if not built.has_layer(BOUNDARY_CONFLICTS):
        return []
    return conflict_markers(built.spatial(BOUNDARY_CONFLICTS), data(path, stamp).households,
                            lang)


def map_parts_of(path: str, stamp: int, filters: dash.Filters, lang: str) -> Parts:
    """Return :func:`map_parts` for the band, speed, day and selection of ``filters``."""
    d = data(path, stamp)
    day = (filters.as_of if filters.as_of is not None else d.days[1]).date().isoformat()
    return map_parts(path, stamp, filters.band_min or d.figure_bands[-1], filters.reduced, day,
                     lang, filters.precinct, filters.step_free)


@_kept(maxsize=16)
def team_lists(path: str, stamp: int, source: str, precinct_id: int, day: str,
               doors: int) -> TeamLists:
    """Return a precinct's households not visited by ``day`` (ISO), by street and by turf."""
    return sheets.team_lists(canvass(path, stamp), network(source), precinct_id,
                             as_of=pd.Timestamp(day), doors=doors)


@_kept(maxsize=32)
def move(path: str, stamp: int, precinct_id: int, site_id: str | None,  # noqa: ARG001
         point: tuple[float, float] | None = None, name: str = "",
         groups: tuple[str, ...] = ()) -> Move:
    """Return what moving a precinct to a candidate site (or a point) changes."""
    return move_precinct(path, precinct_id, site_id=site_id, point=point, name=name,
                         accessible_for=groups)


@_kept()
def candidates(path: str, stamp: int) -> gpd.GeoDataFrame | None:  # noqa: ARG001
    """Return the build's candidate sites (WGS84, with ``access_<group>``), or None."""
    built = open_build(path)
    if not built.has_layer(CANDIDATE_SITES):
        return None
    sites = site_table(built.spatial(PRECINCTS).iloc[:0], built.spatial(CANDIDATE_SITES))
    return sites[~sites["existing"].astype(bool)].reset_index(drop=True)


@_kept(maxsize=4)
def public_zip(path: str, stamp: int) -> bytes:  # noqa: ARG001
    """Return the public export as a ZIP archive."""
    buf = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(buf, "w",
                                                               zipfile.ZIP_DEFLATED) as zf:
        export_public(path, tmp)
        for f in sorted(Path(tmp).rglob("*")):
            if f.is_file():
                zf.write(f, f.relative_to(tmp).as_posix())
    return buf.getvalue()


@_kept(maxsize=4)
def has_proposal_assignment(path: str, stamp: int) -> bool:  # noqa: ARG001
    """Return whether the build holds a siting proposal's assignment of households."""
    return open_build(path).has_layer(SITING_ASSIGNMENT)


@_kept(maxsize=4)
def proposal_annex(path: str, stamp: int, lang: str) -> dict[str, bytes]:  # noqa: ARG001
    """Return the siting proposal's decision and what it changes for whom, by file name.

    ``boundaries_<lang>.docx`` (and .txt, .html), ``segments.csv``, ``changes.csv``,
    ``notices_<lang>.html``: what ``aksugeo boundaries write --from siting`` writes.
    """
    with tempfile.TemporaryDirectory() as tmp:
        annex = write_annex(path, "siting", [lang], tmp)
        return {f.name: f.read_bytes() for f in annex.files}


@_kept(maxsize=4)
def scenario(path: str, stamp: int,  # noqa: ARG001
             ) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, pd.DataFrame, str] | None:
    """Return the siting proposal in the GeoPackage (sites, catchments, figures, what it is)."""
    built = open_build(path)
    if not all(built.has_layer(n) for n in (SITING_SITES, SITING_CATCHMENTS, SITING_FIGURES)):
        return None
    note = built.layer_meta(SITING_SITES).get("scenario", "")
    return (built.spatial(SITING_SITES), built.spatial(SITING_CATCHMENTS),
            built.layer(SITING_FIGURES), note)


def warm(path: str) -> None:
    """Fill the caches the first page uses (all precincts, the build's band, the last day).

    Parameters
    ----------
    path : str
        The GeoPackage, written exactly as the page is given it (``--gpkg``).
    """
    gpkg = Path(path)
    if not gpkg.is_file():
        return
    key = stamp(gpkg)
    d = data(path, key)
    for layer in ("bands", "bands_reduced", "catchments"):
        _features(path, key, layer)
    source = d.meta.get("network_path", "")
    if Path(source).is_file():
        streets(source)
        areas(path, key, source, d.days[1].date().isoformat())


def renames_of(data: dash.DashboardData) -> str:
    """Return the path of the build's renames table (empty when its data directory has none)."""
    folder = data.meta.get("data_dir", "")
    return str(renames_in(folder) or "") if folder else ""
