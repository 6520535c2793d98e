"""The main job: validate a data directory and write the GeoPackage of results with a summary."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from aksugeo._errors import AksugeoError
from aksugeo.access import AccessResult, analyse_access, band_statistics, closer_precincts
from aksugeo.coverage import coverage_summary, household_coverage
from aksugeo.io import Dataset, load_dataset, write_geopackage
from aksugeo.network import load_network, network_from_place
from aksugeo.schema import WGS84
from aksugeo.settings import AccessSettings

GPKG_NAME = "aksugeo.gpkg"


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
        last = self.access.settings.bands_min[-1]
        lines = [
            f"data: {ds.data_dir}{'  (SYNTHETIC data set)' if ds.synthetic else ''}",
            f"metric CRS: {ds.metric_crs.to_string()}",
            f"precincts:  {len(p):>7,}  ({n_urban} urban, {len(p) - n_urban} rural)",
            (f"households: {len(h):>7,}  ({kinds.get('apartment', 0):,} apartment buildings, "
             f"{kinds.get('private', 0):,} private houses)"),
            f"voters:     {int(h['voters'].sum()):>7,}",
            "walking to the assigned precinct (4.5 km/h; reduced mobility 3 km/h):",
        ]
        lines += [(f"  voters within {minutes} min: {self.voters_within(minutes):6.1%}"
                   f"   reduced mobility: {self.voters_within(minutes, reduced=True):6.1%}")
                  for minutes in (10, 15)]
        lines += [
            (f"  beyond {last} min: {self._all(f'voters_beyond_{last}'):,} voters in "
             f"{self._all(f'households_beyond_{last}'):,} households"),
            "  households by status: " + ", ".join(f"{k} {v:,}" for k, v in status.items()),
            f"canvass coverage as of {self.as_of.date().isoformat()} (last visit date):",
            self.coverage.rename(index={"apartment": "apartment buildings",
                                        "private": "private houses"}).to_string(),
            f"wrote {self.gpkg}: layers {', '.join(self.layers)}",
        ]
        return "\n".join(lines)


def build(data_dir: str | Path, out_dir: str | Path, *,
          settings: AccessSettings | None = None, network: str | Path | None = None,
          place: str | None = None) -> BuildReport:
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
                            study_area=area)
    as_of = ds.visits["date"].max()
    households = ds.households.join(household_coverage(ds.households, ds.visits, as_of))
    households = households.join(access.households)
    reduced = band_statistics(ds.households, access.households, settings=settings, reduced=True)
    stats = band_statistics(ds.households, access.households, settings=settings).join(
        reduced.drop(columns=["voters", "households", "voters_no_walk"]).add_suffix("_reduced"))
    layers: dict[str, pd.DataFrame] = {
        "precincts": ds.precincts,
        "households": households,
        "visits": ds.visits,
        "isochrones": access.isochrones.to_crs(WGS84),
        "catchments": access.catchments.to_crs(WGS84),
        "access_by_precinct": stats.rename_axis("precinct").reset_index().astype(
            {"precinct": str}),
        "closer_precinct": closer_precincts(ds.households, access.households),
    }
    if ds.boundary is not None:
        layers["boundary"] = ds.boundary
    meta = {"synthetic": ds.synthetic, "source": ds.metadata.get("source", ""),
            "data_dir": str(ds.data_dir), "coverage_as_of": as_of.date().isoformat(),
            "network": net.source, "metric_crs": net.crs.to_string(),
            "speed_kmh": settings.speed_kmh, "reduced_speed_kmh": settings.reduced_speed_kmh}
    gpkg = write_geopackage(layers, Path(out_dir) / GPKG_NAME, metadata=meta)
    return BuildReport(gpkg, list(layers), ds, coverage_summary(ds.households, ds.visits, as_of),
                       as_of, access, stats)
