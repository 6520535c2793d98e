"""The main job: validate a data directory and write the GeoPackage of results with a summary."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from aksugeo.coverage import coverage_summary, household_coverage
from aksugeo.io import Dataset, load_dataset, write_geopackage

GPKG_NAME = "aksugeo.gpkg"


@dataclass
class BuildReport:
    """What :func:`build` wrote and the figures it printed."""

    gpkg: Path
    layers: list[str]
    dataset: Dataset
    coverage: pd.DataFrame
    as_of: pd.Timestamp

    def summary(self) -> str:
        """Return the summary table as text, for the terminal."""
        ds = self.dataset
        p, h = ds.precincts, ds.households
        n_urban = int((p["area_type"] == "urban").sum())
        kinds = h["kind"].value_counts()
        lines = [
            f"data: {ds.data_dir}{'  (SYNTHETIC data set)' if ds.synthetic else ''}",
            f"metric CRS: {ds.metric_crs.to_string()}",
            f"precincts:  {len(p):>7,}  ({n_urban} urban, {len(p) - n_urban} rural)",
            (f"households: {len(h):>7,}  ({kinds.get('apartment', 0):,} apartment buildings, "
             f"{kinds.get('private', 0):,} private houses)"),
            f"voters:     {int(h['voters'].sum()):>7,}",
            f"canvass coverage as of {self.as_of.date().isoformat()} (last visit date):",
            self.coverage.rename(index={"apartment": "apartment buildings",
                                        "private": "private houses"}).to_string(),
            f"wrote {self.gpkg}: layers {', '.join(self.layers)}",
        ]
        return "\n".join(lines)


def build(data_dir: str | Path, out_dir: str | Path) -> BuildReport:
    """Validate ``data_dir`` and write ``out_dir/aksugeo.gpkg``.

    Parameters
    ----------
    data_dir : str or Path
        The input data directory.
    out_dir : str or Path
        Where the GeoPackage goes (created when missing).

    Returns
    -------
    BuildReport
        The file, its layers, and the figures of the summary.

    Raises
    ------
    ValidationError
        When the input has problems; nothing is written then.
    """
    ds = load_dataset(data_dir)
    as_of = ds.visits["date"].max()
    households = ds.households.join(household_coverage(ds.households, ds.visits, as_of))
    layers: dict[str, pd.DataFrame] = {
        "precincts": ds.precincts,
        "households": households,
        "visits": ds.visits,
    }
    if ds.boundary is not None:
        layers["boundary"] = ds.boundary
    meta = {"synthetic": ds.synthetic, "source": ds.metadata.get("source", ""),
            "data_dir": str(ds.data_dir), "coverage_as_of": as_of.date().isoformat()}
    gpkg = write_geopackage(layers, Path(out_dir) / GPKG_NAME, metadata=meta)
    return BuildReport(gpkg, list(layers), ds, coverage_summary(ds.households, ds.visits, as_of),
                       as_of)
