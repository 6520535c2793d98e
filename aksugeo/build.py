"""The main job: validate a data directory and write the GeoPackage of results with a summary."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry

from aksugeo._errors import AksugeoError
from aksugeo.boundaries.check import (
    Check,
    assignment_layer,
    check_decision,
    conflict_layer,
    decisions_in,
    places_for,
)
from aksugeo.canvass import visitlog
from aksugeo.canvass.areas import CoverageAreas, coverage_areas
from aksugeo.canvass.coverage import coverage_summary, coverage_table, household_coverage, progress
from aksugeo.data.io import Dataset, load_dataset, read_metadata, write_csv, write_geopackage
from aksugeo.data.layers import (
    BOUNDARY_CONFLICTS,
    DECISION_ASSIGNMENT,
    DISCLOSURE_KEY,
    GPKG_NAME,
    ISOCHRONES_WHEELCHAIR,
)
from aksugeo.data.lock import writing
from aksugeo.data.schema import VISITS, WGS84
from aksugeo.passport.disclosure import new_key
from aksugeo.passport.rules import ACCESSIBLE, CATEGORIES, assess, voters_by_category
from aksugeo.settings import AccessSettings, GapSettings, settings_json
from aksugeo.walk.access import AccessResult, analyse_access, band_statistics, closer_precincts
from aksugeo.walk.distances import accessible_walks
from aksugeo.walk.network import WalkNetwork, load_network, network_from_place
from aksugeo.walk.profiles import profiles_json, profiles_of
from aksugeo.walk.stepfree import Plain, doors, known_share, profile_walks


@dataclass
class BuildReport:
    """What :func:`build` wrote and the figures it printed."""

    gpkg: Path
    layers: list[str]
    dataset: Dataset
    coverage: pd.DataFrame
    as_of: pd.Timestamp
    access: AccessResult
    stats: pd.DataFrame
    areas: CoverageAreas
    log: str
    accessibility: pd.DataFrame | None = None
    decisions: list[Check] = field(default_factory=list)
    households: pd.DataFrame | None = None  # the households' step-free walks

    def _steps_words(self) -> str:
        """Return what the reduced-mobility walk makes of steps (the reduced profile)."""
        factor = profiles_of(self.access.settings)["reduced"].steps_factor
        return "" if factor == 1 else f", steps {_kmh(factor)} times their length"

    def voters_within(self, minutes: int, *, reduced: bool = False) -> float:
        """Return the share (0-1) of all voters within ``minutes`` of their precinct."""
        suffix = "_reduced" if reduced else ""
        return self._all(f"voters_within_{minutes}{suffix}") / self._all("voters")

    def _all(self, column: str) -> int:
        return int(self.stats[column].to_numpy()[self.stats.index.get_loc("all")])

    def summary(self) -> str:
        """Return the summary table as text, for the terminal."""
        ds = self.dataset
        p, h = ds.precincts, ds.households
        n_urban = int((p["area_type"] == "urban").sum())
        kinds = h["kind"].value_counts()
        status = self.access.households["status"].value_counts()
        settings = self.access.settings
        last = settings.last_band
        visited = int(self.coverage["covered"].to_numpy()[self.coverage.index.get_loc("all")])
        day_note = "last visit date" if visited else "no visit yet"
        lines = [
            f"data: {ds.data_dir}{'  (SYNTHETIC data set)' if ds.synthetic else ''}",
            f"metric CRS: {ds.metric_crs.to_string()}",
            *self._network_lines(),
            f"precincts:  {len(p):>7,}  ({n_urban} urban, {len(p) - n_urban} rural)",
            *self._empty_lines(),
            (f"households: {len(h):>7,}  ({kinds.get('apartment', 0):,} apartment buildings, "
             f"{kinds.get('private', 0):,} private houses)"),
            f"voters:     {int(h['voters'].sum()):>7,}",
            (f"walking to the assigned precinct ({_kmh(settings.speed_kmh)} km/h; reduced "
             f"mobility {_kmh(settings.reduced_speed_kmh)} km/h{self._steps_words()}):"),
        ]
        lines += [(f"  voters within {minutes} min: {self.voters_within(minutes):6.1%}"
                   f"   reduced mobility: {self.voters_within(minutes, reduced=True):6.1%}")
                  for minutes in settings.bands_min[1:] or settings.bands_min]
        lines += [
            (f"  beyond {last} min: {self._all(f'voters_beyond_{last}'):,} voters in "
             f"{self._all(f'households_beyond_{last}'):,} households"),
            "  households by status: " + ", ".join(f"{k} {v:,}" for k, v in status.items()),
            f"canvass coverage as of {self.as_of.date().isoformat()} ({day_note}):",
            self.coverage.rename(index={"apartment": "apartment buildings",
                                        "private": "private houses"}).to_string(),
            (f"  gaps: {len(self.areas.gaps):,} areas holding "
             f"{int(self.areas.gaps['uncovered_households'].sum()):,} households not visited "
             f"({int(self.areas.gaps['uncovered_doors'].sum()):,} doors)"),
            *self._accessibility_lines(),
            *self._step_free_lines(),
            *[f"akim's decision: {c.summary()}" for c in self.decisions],
            f"visit log: {self.log}",
            f"wrote {self.gpkg}: layers {', '.join(self.layers)}",
        ]
        return "\n".join(lines)


    def _empty_lines(self) -> list[str]:
        """Name the precincts no household of the data belongs to (their figures are 0)."""
        ds = self.dataset
        empty = sorted(set(ds.precincts["precinct_id"].astype(int))
                       - set(ds.households["precinct_id"].astype(int)))
        if not empty:
            return []
        names = ", ".join(str(e) for e in empty)
        return [f"  with no households in the data (every figure 0): {names}"]

    def _network_lines(self) -> list[str]:
        net = self.access.network
        return [(f"network: {net['nodes']:,} nodes, {net['edges']:,} edges; "
                 f"{net['clipped_ways']:,} ways clipped at the extract's edge, "
                 f"{net['barrier_nodes']:,} barriers; snapped past fragments: "
                 f"{net['households_past_fragments']:,} households, "
                 f"{net['precincts_past_fragments']:,} precincts")]

    def _step_free_lines(self) -> list[str]:
        h = self.households
        if h is None or "walk_wheelchair_min" not in h:
            return []
        m = self.access.settings.step_free_min
        voters = self.dataset.households["voters"].to_numpy()
        within = (h["walk_wheelchair_min"] <= m).to_numpy()
        none = (h["wheelchair_status"] == "no_step_free_route").to_numpy()
        known = known_share(h)
        doors = int((h["walk_wheelchair_to"] == "entrance").sum())
        speed = profiles_of(self.access.settings)["wheelchair"].speed_kmh
        return [(f"wheelchair walks ({_kmh(speed)} km/h, steps and raised kerbs avoided, to the "
                 f"accessible entrance for {doors:,} of {len(h):,} households): voters with no "
                 "step-free "
                 f"route within {m} min: {int(voters[~within].sum()):,} "
                 f"({int(none.sum()):,} households with none at all); "
                 f"{known:.0f}% of the routes' length has known tags")]

    def _accessibility_lines(self) -> list[str]:
        if self.accessibility is None:
            return ["accessibility: no passports.csv in the data: no categories"]
        by = self.accessibility.to_dict("index")
        counts = ", ".join(f"{c.replace('_', ' ')} {by[c]['precincts']} "
                           f"({by[c]['voters']:,} voters)" for c in CATEGORIES)
        return [f"accessibility passports: {counts}"]


def precinct_layer(ds: Dataset, stats: pd.DataFrame, assessment: pd.DataFrame | None,
                   walks: pd.DataFrame | None,
                   settings: AccessSettings | None = None) -> pd.DataFrame:
    """Return the precincts with their passport, categories and walking figures.

    Parameters
    ----------
    ds : Dataset
        The data (precincts, households, passports).
    stats : pandas.DataFrame
        Band statistics per precinct, normal and reduced speed (``..._reduced``).
    assessment : pandas.DataFrame, optional
        From :func:`aksugeo.passport.rules.assess`.
    walks : pandas.DataFrame, optional
        From :func:`aksugeo.walk.distances.accessible_walks`, aligned to the households.
    settings : AccessSettings, optional
        The bands and speeds of the build (the last band counts the accessible walks).

    Returns
    -------
    geopandas.GeoDataFrame
        One row a precinct, in the input's order.
    """
    settings = settings or AccessSettings()
    out = ds.precincts.copy()
    figures = [c for c in stats.columns if c.startswith(("voters_within", "voters_beyond"))]
    by_id = stats.drop(index="all")[figures]
    by_id.index = by_id.index.astype("int64")
    out = out.join(by_id, on="precinct_id")
    # a precinct with no households in the data has no voters to count: none within, none
    # beyond (not NaN, which the report, the export and the page cannot print)
    out[figures] = out[figures].fillna(0).astype("int64")
    if assessment is None or ds.passports is None or walks is None:
        return out
    passport = ds.passports.drop(columns=["con_desk", "booth_accessible"]).set_index(
        "precinct_id")
    out = out.join(passport, on="precinct_id").join(assessment, on="precinct_id")
    last = settings.last_band
    far = ds.households["voters"].where(~(walks["walk_accessible_min_reduced"] <= last), 0)
    out[f"voters_accessible_beyond_{last}_reduced"] = out["precinct_id"].map(
        far.groupby(ds.households["precinct_id"]).sum()).fillna(0).astype("int64")
    return out


def _accessibility(net: WalkNetwork, ds: Dataset, access: AccessResult,
                   ) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """Categories of every precinct, and every household's walk to an accessible one."""
    settings = access.settings
    if ds.passports is None:
        return None, None
    assessment = assess(ds.passports, ds.remedies)
    for lang in ("ru", "kk"):  # the words in the planners' languages too
        words = assess(ds.passports, ds.remedies, lang=lang)[["failed", "remedies"]]
        assessment = assessment.join(words.add_suffix(f"_{lang}"))
    accessible = (assessment["category"].reindex(ds.precincts["precinct_id"]) == ACCESSIBLE)
    walks = accessible_walks(net, ds.households, ds.precincts, accessible.to_numpy(),
                             settings=settings, snaps=access.snaps)
    return assessment, walks


def build(data_dir: str | Path, out_dir: str | Path, *,
          settings: AccessSettings | None = None, network: str | Path | None = None,
          place: str | None = None, gap_settings: GapSettings | None = None) -> BuildReport:
    """Validate ``data_dir``, measure walking access, and write ``out_dir/aksugeo.gpkg``.

    Parameters
    ----------
    data_dir : str or Path
        The input data directory (with a street network in ``network/``).
    out_dir : str or Path
        Where the GeoPackage goes (created when missing).
    settings : AccessSettings, optional
        Speeds, bands and limits of the walking analysis.
    network : str or Path, optional
        An OSM file (``.osm``, ``.osm.bz2``, ``.osm.pbf``) to walk on instead of the one in
        ``data_dir/network``.
    place : str, optional
        Download the network of this place with osmnx instead (needs the internet).
    gap_settings : GapSettings, optional
        Block threshold and lot size of the coverage and gap polygons.

    Returns
    -------
    BuildReport
        The file, its layers, and the figures of the summary.

    Raises
    ------
    ValidationError
        When the input has problems; nothing is written then.
    AksugeoError
        When there is no street network.
    """
    settings = settings or AccessSettings()
    ds = load_dataset(data_dir)
    source = network if network is not None else ds.network_path
    if place is not None:
        net = network_from_place(place)
    elif source is not None:
        net = load_network(source)
    else:
        raise AksugeoError(f"{ds.data_dir}/network: no street network (.osm, .osm.bz2, "
                           ".osm.pbf) to walk on; give one with --network or --place")
    area = ds.boundary.to_crs(net.crs).union_all() if ds.boundary is not None else None
    access = analyse_access(net, ds.households, ds.precincts, settings=settings,
                            study_area=area, reduced_isochrones=True)
    _check_overlap(ds, net, access, settings)
    gpkg_path = Path(out_dir) / GPKG_NAME
    log_file = Path(ds.data_dir) / VISITS.path
    rows = visitlog.log_rows(ds.visits)
    # the visits of the log being replaced carry over, all of them, a household's that left the
    # data too (kept, and counted again if it returns). This first look takes no lock: teams go
    # on importing while the build computes, and what they add is read again before the end.
    carried = visitlog.previous_log(gpkg_path)
    canvass = _Canvass.of(ds, net, area, carried, rows, gap_settings)
    assessment, walks = _accessibility(net, ds, access)
    step_free = _step_free(net, ds, access, assessment, settings)
    step_free_bands = _step_free_bands(net, ds, settings, area)
    reduced = band_statistics(ds.households, access.households, settings=settings, reduced=True)
    stats = band_statistics(ds.households, access.households, settings=settings).join(
        reduced.drop(columns=["voters", "households", "voters_no_walk"]).add_suffix("_reduced"))
    # the akim's decision, where the data has it: every household's precinct by the text, and
    # where the text and the registry disagree (aksugeo boundaries check)
    decisions = _decisions(ds, source if place is None else None)
    conflicts: list[str] = []
    with writing(gpkg_path, "aksugeo build"):
        now = visitlog.previous_log(gpkg_path)
        key = _disclosure_key(gpkg_path)
        if not now["visit_key"].reset_index(drop=True).equals(
                carried["visit_key"].reset_index(drop=True)):
            # visits were imported while the build computed: count them too
            carried = now
            canvass = _Canvass.of(ds, net, area, carried, rows, gap_settings)
        layers = _layers(ds, access, canvass, assessment, walks, stats, settings, step_free)
        by_category = None
        if assessment is not None and ds.remedies is not None:
            by_category = voters_by_category(assessment, ds.precincts)
            layers["accessibility_by_category"] = by_category.reset_index()
            layers["passport_remedies"] = ds.remedies
        layers[ISOCHRONES_WHEELCHAIR] = step_free_bands
        if ds.boundary is not None:
            layers["boundary"] = ds.boundary
        if decisions:
            layers[BOUNDARY_CONFLICTS] = conflict_layer(decisions, ds.households)
            layers[DECISION_ASSIGNMENT] = assignment_layer(decisions[0])
        meta = {"synthetic": ds.synthetic, "source": ds.metadata.get("source", ""),
                "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "data_dir": str(ds.data_dir), "coverage_as_of": canvass.as_of.date().isoformat(),
                "visits_logged": len(canvass.visits) + len(canvass.orphaned),
                "network": net.source,
                "network_path": str(Path(source).resolve()) if place is None and source else "",
                "metric_crs": net.crs.to_string(),
                "gap_threshold": (gap_settings or GapSettings()).threshold,
                "speed_kmh": settings.speed_kmh,
                "reduced_speed_kmh": settings.reduced_speed_kmh,
                # every field, read back typed by aksugeo.settings.settings_from_json
                "access_settings": settings_json(settings),
                "gap_settings": settings_json(gap_settings or GapSettings()),
                # the mobility profiles' speeds and factors (aksugeo.walk.profiles)
                "profiles": profiles_json(settings),
                # the secret the public export rounds its counts with, kept from build to build
                # (aksugeo.passport.disclosure); never published
                DISCLOSURE_KEY: key}

        def add_log(tmp: Path) -> None:
            conflicts.extend(visitlog.write_log(tmp, carried, rows, source=str(log_file)))

        gpkg = write_geopackage(layers, gpkg_path, metadata=meta, finalize=add_log)
    log = _log_note(Path(out_dir), canvass, rows, conflicts, log_file)
    return BuildReport(gpkg, [*layers, visitlog.TABLE], ds,
                       coverage_summary(ds.households, canvass.visits, canvass.as_of),
                       canvass.as_of, access, stats, canvass.areas, log, by_category, decisions,
                       step_free)


def _step_free(net: WalkNetwork, ds: Dataset, access: AccessResult,
               assessment: pd.DataFrame | None, settings: AccessSettings) -> pd.DataFrame:
    """Return every household's wheelchair walk: to its precinct's door, and the nearest.

    The nearest precinct a wheelchair user can enter, by the passports' categories.
    """
    accessible = None
    if assessment is not None and "category_wheelchair" in assessment:
        accessible = (assessment["category_wheelchair"].reindex(ds.precincts["precinct_id"])
                      == ACCESSIBLE).to_numpy()
    return profile_walks(net, ds.households, ds.precincts, profile="wheelchair",
                         passports=ds.passports, accessible=accessible, settings=settings,
                         plain=Plain(access.households["status"].to_numpy(), access.snaps[0]))


def _step_free_bands(net: WalkNetwork, ds: Dataset, settings: AccessSettings,
                     area: BaseGeometry | None) -> gpd.GeoDataFrame:
    """Return the step-free bands: the isochrones of the wheelchair profile from the doors."""
    rule = profiles_of(settings)["wheelchair"]
    points, _ = doors(ds.precincts, ds.passports)
    at_doors = ds.precincts.set_geometry(points.to_numpy()).set_crs("EPSG:4326",
                                                                      allow_override=True)
    # the bands need the precincts' searches only: no household is snapped again for them
    result = analyse_access(net.for_profile(rule), ds.households.iloc[:0], at_doors,
                            settings=dataclasses.replace(settings, speed_kmh=rule.speed_kmh),
                            study_area=area, catchments=False)
    return result.isochrones.to_crs(WGS84)


def _no_step_free(households: pd.DataFrame, step_free: pd.DataFrame,
                  settings: AccessSettings) -> pd.Series:
    """Voters per precinct with no step-free route within ``settings.step_free_min``."""
    within = step_free["walk_wheelchair_min"] <= settings.step_free_min
    return households["voters"].where(~within, 0).groupby(households["precinct_id"]).sum()


def _decisions(ds: Dataset, network: str | Path | None) -> list[Check]:
    """Check each decision file of the data directory against its registry."""
    paths = decisions_in(ds.data_dir)
    if not paths:
        return []
    places = places_for(ds.households, network, ds.renames)
    ids = ds.precincts["precinct_id"].astype(int).tolist()
    return [check_decision(p, ds.households, places, ids) for p in paths]


@dataclass
class _Canvass:
    """The canvass as a build counts it: the log's visits of the data's households."""

    visits: pd.DataFrame  # carried visits of known households, then the data's new rows
    orphaned: pd.DataFrame  # carried visits of households no longer in the data (kept)
    carried: int  # visits in the log being replaced
    as_of: pd.Timestamp
    coverage: pd.DataFrame
    areas: CoverageAreas

    @classmethod
    def of(cls, ds: Dataset, net: WalkNetwork, area: BaseGeometry | None,
           carried: pd.DataFrame, rows: pd.DataFrame,
           gap_settings: GapSettings | None) -> _Canvass:
        mine = carried["household_id"].isin(set(ds.households["household_id"]))
        visits = visitlog.merged_log(carried[mine], rows)
        # before the canvass starts the log is empty: coverage is counted to today, and is nil
        as_of = (visits["date"].max() if len(visits)
                 else pd.Timestamp(dt.datetime.now(dt.UTC).date()))
        cov = household_coverage(ds.households, visits, as_of)
        areas = coverage_areas(net, ds.households, cov["covered"].to_numpy(), area=area,
                               settings=gap_settings)
        return cls(visits, carried[~mine].reset_index(drop=True), len(carried), as_of, cov,
                   areas)


def _layers(ds: Dataset, access: AccessResult, canvass: _Canvass,
            assessment: pd.DataFrame | None, walks: pd.DataFrame | None, stats: pd.DataFrame,
            settings: AccessSettings, step_free: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Return the build's layers, in the order they are written."""
    visits, as_of, areas = canvass.visits, canvass.as_of, canvass.areas
    households = (ds.households.join(canvass.coverage).join(access.households)
                  .join(areas.households))
    if walks is not None:
        households = households.join(walks)
    households = households.join(step_free)
    precincts = precinct_layer(ds, stats, assessment, walks, settings)
    precincts[f"voters_no_step_free_{settings.step_free_min}"] = precincts["precinct_id"].map(
        _no_step_free(ds.households, step_free, settings)).fillna(0).astype("int64")
    layers: dict[str, pd.DataFrame] = {
        "precincts": precincts,
        "households": households,
        "isochrones": access.isochrones.to_crs(WGS84),
        # the same bands at the reduced-mobility speed, from the same searches
        "isochrones_reduced": access.isochrones_reduced.to_crs(WGS84),
        "catchments": access.catchments.to_crs(WGS84),
        "access_by_precinct": stats.rename_axis("precinct").reset_index().astype(
            {"precinct": str}),
        "closer_precinct": closer_precincts(ds.households, access.households),
        "coverage": areas.coverage.to_crs(WGS84),
        "gaps": areas.gaps.to_crs(WGS84),
        "coverage_by_precinct": coverage_table(ds.households, visits, as_of).reset_index(),
        "coverage_by_day": (progress(ds.households, visits, by="precinct_id") if len(visits)
                            else pd.DataFrame({"precinct_id": pd.Series(dtype=str),
                                               "date": pd.Series(dtype="datetime64[ns]"),
                                               "covered": pd.Series(dtype="int64")})),
        "blocks": areas.blocks.to_crs(WGS84),
    }
    if ds.candidates is not None:
        layers["candidate_sites"] = ds.candidates
    return layers


#: More households than this share off the network: the network is of another place
FOREIGN_SHARE = 0.5


def _check_overlap(ds: Dataset, net: WalkNetwork, access: AccessResult,
                   settings: AccessSettings) -> None:
    """Stop when most households stand off the network: it is not the data's place."""
    status = access.households["status"]
    located = status != "not_geocoded"
    off = int((status[located] == "off_network").sum())
    if not located.any() or off <= FOREIGN_SHARE * int(located.sum()):
        return
    nodes = gpd.GeoSeries(gpd.points_from_xy([net.x.min(), net.x.max()],
                                             [net.y.min(), net.y.max()]), crs=net.crs)
    (nx0, ny0), (nx1, ny1) = ((p.x, p.y) for p in nodes.to_crs(WGS84))
    hx0, hy0, hx1, hy1 = ds.households.to_crs(WGS84).total_bounds
    raise AksugeoError(
        f"{net.source or 'the network'}: {off:,} of {int(located.sum()):,} households stand "
        f"farther than {settings.max_snap_m:g} m from its streets: it is not the data's place. "
        f"The households lie in lon {hx0:.4f} to {hx1:.4f}, lat {hy0:.4f} to {hy1:.4f}; the "
        f"network in lon {nx0:.4f} to {nx1:.4f}, lat {ny0:.4f} to {ny1:.4f}. Give the OSM "
        "file of the place (--network), or a larger --max-snap-m if the streets are sparse")


def _disclosure_key(gpkg: Path) -> str:
    """Return the key of the GeoPackage being replaced, or a new one for a first build."""
    if gpkg.is_file():
        with contextlib.suppress(AksugeoError, OSError, ValueError):
            key = read_metadata(gpkg).get(DISCLOSURE_KEY, "")
            if len(key) == 32 and all(c in "0123456789abcdef" for c in key):
                return key
    return new_key()


def _kmh(speed: float) -> str:
    """Return a speed as people write it: 4.5, 3, 3.6."""
    return f"{speed:g}"


def _log_note(out_dir: Path, canvass: _Canvass, rows: pd.DataFrame, conflicts: list[str],
              log_file: Path) -> str:
    """Say where the log's visits came from; write out what could not go in."""
    total = len(canvass.visits) + len(canvass.orphaned)
    note = (f"{total:,} visits ({canvass.carried:,} kept from the earlier build, "
            f"{len(rows):,} rows in {log_file})")
    rejected, lost = out_dir / "visits.rejected.csv", out_dir / "visits.orphaned.csv"
    rejected.unlink(missing_ok=True)
    lost.unlink(missing_ok=True)
    bad = [i for i, r in enumerate(conflicts) if r]
    if bad:
        write_csv(rows.iloc[bad].assign(reason=[conflicts[i] for i in bad]), rejected)
        note += f"; {len(bad):,} rows conflict with logged visits: {rejected}"
    if len(canvass.orphaned):
        write_csv(canvass.orphaned, lost)
        note += (f"; {len(canvass.orphaned):,} visits of households no longer in the data stay "
                 f"in the log, not counted (counted again if the household returns; listed in "
                 f"{lost})")
    return note
