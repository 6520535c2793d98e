"""What ``aksugeo boundaries check`` and ``aksugeo boundaries write`` do with a build."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyogrio

from aksugeo._errors import AksugeoError
from aksugeo.boundaries.changes import changed_addresses, notices_html
from aksugeo.boundaries.check import (
    Check,
    assignment_layer,
    check_decision,
    conflict_layer,
    places_for,
)
from aksugeo.boundaries.describe import centres as centres_of
from aksugeo.boundaries.describe import describe, render
from aksugeo.boundaries.documents import docx_document, html_document, segments
from aksugeo.boundaries.places import Places
from aksugeo.boundaries.walks import walking_figures
from aksugeo.data.io import read_renames, renames_in, write_csv
from aksugeo.data.layers import (
    ACCESS_BY_PRECINCT,
    BOUNDARY_CONFLICTS,
    DECISION_ASSIGNMENT,
    HOUSEHOLDS,
    PRECINCTS,
    SITING_ASSIGNMENT,
    SITING_SITES,
    Build,
    open_build,
)
from aksugeo.data.lock import writing
from aksugeo.settings import AccessSettings
from aksugeo.walk.network import load_network

SOURCES = ("registry", "siting")


def build_places(built: Build) -> Places:
    """Return the names a decision may use in a build: its registry's, map's and renames'."""
    table = renames_in(built.data_dir) if built.data_dir is not None else None
    renames = read_renames(table) if table is not None else None
    return places_for(built.spatial(HOUSEHOLDS), built.network_path, renames)


@dataclass
class Walking:
    """The walking figures of the decision's assignment beside the registry's."""

    decision: dict[str, int]
    registry: dict[str, int]
    settings: AccessSettings

    def lines(self) -> list[str]:
        """Return the figures as lines for the terminal."""
        def shares(f: dict[str, int]) -> str:
            return " / ".join(f"{f[f'voters_within_{m}'] / max(f['voters'], 1):.1%}"
                              for m in self.settings.bands_min)

        bands = "/".join(str(m) for m in self.settings.bands_min)
        d = self.decision
        return [(f"walking ({self.settings.speed_kmh:g} km/h), voters within {bands} min: "
                f"decision {shares(d)}; registry {shares(self.registry)}"),
                (f"  by the decision, {d['households_no_precinct']:,} households "
                f"({d['voters_no_precinct']:,} voters) have no one precinct")]


def decision_walking(built: Build, check: Check) -> Walking | None:
    """Return the walking figures of a checked decision's assignment, and the registry's.

    None when the build's network is no longer there.
    """
    if built.network_path is None:
        return None
    net = load_network(built.network_path)
    homes, precincts = built.spatial(HOUSEHOLDS), built.spatial(PRECINCTS)
    settings = built.settings
    decided = check.applied.assignment.set_index("household_id")["precinct_id"]
    # the registry's are the build's own figures (its row "all"): not walked again
    every = built.layer(ACCESS_BY_PRECINCT).set_index("precinct").loc["all"].to_dict()
    registry = {"voters": int(every["voters"]),
                **{f"voters_within_{m}": int(every[f"voters_within_{m}"])
                   for m in settings.bands_min}}
    return Walking(walking_figures(net, homes, precincts, decided, settings), registry,
                   settings)


def check_build(db: str | Path, decision: str | Path, *, write: bool = True) -> Check:
    """Check a decision file against a build's registry; keep the result in the build.

    Parameters
    ----------
    db : str or Path
        The GeoPackage of ``aksugeo build``.
    decision : str or Path
        The decision (``.txt`` or ``.docx``, Russian or Kazakh).
    write : bool
        Write the layers ``boundary_conflicts`` and ``decision_assignment`` into ``db``.
    """
    built = open_build(db)
    homes = built.spatial(HOUSEHOLDS)
    ids = built.spatial(PRECINCTS)["precinct_id"].astype(int).tolist()
    result = check_decision(decision, homes, build_places(built), ids)
    if write:
        with writing(built.path, "aksugeo boundaries check"):
            conflict_layer([result], homes).to_file(
                built.path, layer=BOUNDARY_CONFLICTS, driver="GPKG", engine="pyogrio",
                layer_options={"OVERWRITE": "YES"})
            pyogrio.write_dataframe(assignment_layer(result), built.path,
                                    layer=DECISION_ASSIGNMENT, driver="GPKG",
                                    layer_options={"OVERWRITE": "YES"})
    return result


@dataclass
class Annex:
    """What ``aksugeo boundaries write`` wrote."""

    files: list[Path]
    precincts: int
    rules: int
    problems: list[str]


def assignment_of(built: Build, source: str) -> pd.Series:
    """Return each household's precinct by ``source`` (``registry`` or ``siting``)."""
    homes = built.spatial(HOUSEHOLDS)
    if source == "registry":
        return homes.set_index("household_id")["precinct_id"].astype("Int64")
    if source == "siting":
        if not built.has_layer(SITING_ASSIGNMENT):
            raise AksugeoError(f"{built.path}: no siting proposal in this build; run "
                               "`aksugeo siting --add/--move/--merge` first")
        table = built.layer(SITING_ASSIGNMENT)
        return table.set_index("household_id")["precinct_id"].astype("Int64")
    raise AksugeoError(f"unknown source {source!r}: {' or '.join(SOURCES)}")


def write_annex(db: str | Path, source: str, langs: list[str], out: str | Path) -> Annex:
    """Write the decision's annex of an assignment: text, Word, HTML and street segments.

    Parameters
    ----------
    db : str or Path
        The build.
    source : str
        ``registry`` (today's assignment) or ``siting`` (the last proposal's; then also
        ``changes.csv``, the addresses whose precinct changes, and ``notices_<lang>.html``,
        a notice per address).
    langs : list of str
        ``ru``, ``kk``.
    out : str or Path
        The folder; it gets ``boundaries_<lang>.txt``, ``.docx``, ``.html`` and
        ``segments.csv``.
    """
    built = open_build(db)
    places = build_places(built)
    homes = built.spatial(HOUSEHOLDS)
    precincts = built.spatial(PRECINCTS)
    if source == "siting":
        precincts = _siting_centres(built, precincts)
    decision = describe(homes, assignment_of(built, source), places, precincts)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    note = ("SYNTHETIC data set: not a real decision. " if built.synthetic else "") + (
        "Proposal: " if source == "siting" else "")
    files = []
    for lang in langs:
        text = render(decision, places, lang)
        path = out / f"boundaries_{lang}.txt"
        path.write_text(text, encoding="utf-8")
        files.append(path)
        path = out / f"boundaries_{lang}.html"
        path.write_text(html_document(decision, places, lang, note=note), encoding="utf-8")
        files.append(path)
        path = out / f"boundaries_{lang}.docx"
        path.write_bytes(docx_document(decision, places, lang, note=note))
        files.append(path)
    path = out / "segments.csv"
    write_csv(segments(decision, places, langs[0] if langs else "ru"), path,
              encoding="utf-8-sig")
    files.append(path)
    if source == "siting":
        files += _changes(built, homes, precincts, places, langs, out)
    return Annex(files, len(decision.entries),
                 sum(len(e.rules) for e in decision.entries),
                 [str(p) for p in decision.problems])


def _changes(built: Build, homes: pd.DataFrame, centres: pd.DataFrame, places: Places,
             langs: list[str], out: Path) -> list[Path]:
    """Write what a proposal changes for whom: changes.csv and a notice per address."""
    proposal = built.layer(SITING_ASSIGNMENT).set_index("household_id")
    own = homes.set_index("household_id")
    settings = built.settings
    changed = changed_addresses(homes, own["precinct_id"], proposal["precinct_id"],
                                own["walk_assigned_m"], proposal["walk_m"],
                                metres_per_min=settings.metres(1))
    path = out / "changes.csv"
    write_csv(changed, path, encoding="utf-8-sig")
    files = [path]
    where = centres_of(centres)
    for lang in langs:
        path = out / f"notices_{lang}.html"
        path.write_text(notices_html(changed, where, places, lang, speed_kmh=settings.speed_kmh,
                                     synthetic=built.synthetic), encoding="utf-8")
        files.append(path)
    return files


def _siting_centres(built: Build, precincts: pd.DataFrame) -> pd.DataFrame:
    """Return the centres of a proposal: today's precincts that stay, and the sites it opens."""
    sites = built.spatial(SITING_SITES)
    opened = sites[sites["open"].astype(bool)]
    names = precincts.set_index("precinct_id")
    rows = []
    for s in opened.drop(columns="geometry").to_dict("records"):
        p = int(s["proposed_precinct_id"])
        address = names.at[p, "address"] if p in names.index else str(s.get("address") or "")
        rows.append({"precinct_id": p, "name": s["name"], "address": address})
    return pd.DataFrame(rows, columns=["precinct_id", "name", "address"])
