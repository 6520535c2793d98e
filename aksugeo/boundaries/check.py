"""Check a decision against a registry: what ``aksugeo boundaries check`` and the build run.

:func:`places_for` gathers the names a decision may use (the registry's, the map's, the renames
table's); :func:`check_decision` reads a decision file and applies it; :func:`conflict_layer` and
:func:`assignment_layer` are what a build keeps of it (``boundary_conflicts``, points where a
household is concerned; ``decision_assignment``, a row per household).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from aksugeo.boundaries.decision import Decision, parse_decision
from aksugeo.boundaries.documents import read_text
from aksugeo.boundaries.match import NOTES, Applied, apply_decision
from aksugeo.boundaries.places import Places
from aksugeo.data.schema import WGS84
from aksugeo.geocode.gazetteer import GAZETTEER_SOURCES, build_gazetteer

# the files of a data directory that hold the akim's decision, by language
DECISION_FILES = {"ru": "boundaries_ru.txt", "kk": "boundaries_kk.txt"}


def decisions_in(data_dir: str | Path) -> list[Path]:
    """Return the decision files a data directory holds (``boundaries_ru.txt``, ...)."""
    return [p for name in DECISION_FILES.values() if (p := Path(data_dir) / name).is_file()]


def places_for(households: pd.DataFrame, network_path: str | Path | None,
               renames: pd.DataFrame | None) -> Places:
    """Return the names a decision may use: the registry's, the map's (OSM XML), the renames'."""
    gazetteer = None
    if network_path is not None and str(network_path).endswith(GAZETTEER_SOURCES) \
            and Path(network_path).is_file():
        gazetteer = build_gazetteer(network_path)
    return Places.of(households, gazetteer, renames)


@dataclass
class Check:
    """A decision file applied to a registry."""

    source: str
    decision: Decision
    applied: Applied

    def lines(self, limit: int | None = None) -> list[str]:
        """Return the problems as ``file:precinct N:rule k: ...``, at most ``limit`` per kind."""
        out: list[str] = []
        shown: dict[str, int] = {}
        for p in self.applied.problems:
            shown[p.kind] = shown.get(p.kind, 0) + 1
            if limit is None or shown[p.kind] <= limit:
                out.append(p.line(self.source))
        for kind, n in shown.items():
            if limit is not None and n > limit:
                out.append(f"{self.source}: ... and {n - limit:,} more {kind}")
        return out

    def counts(self) -> dict[str, int]:
        """Return the number of problems of each kind."""
        counts: dict[str, int] = {}
        for p in self.applied.problems:
            counts[p.kind] = counts.get(p.kind, 0) + 1
        return counts

    @property
    def rules(self) -> int:
        """Return the number of rules read."""
        return sum(len(e.rules) for e in self.decision.entries)

    def summary(self) -> str:
        """Return one line: precincts, rules, and the conflicts by kind."""
        counts = self.counts()
        conflicts = {k: v for k, v in counts.items() if k not in NOTES}
        said = ", ".join(f"{k} {v:,}" for k, v in conflicts.items()) or "none"
        notes = ", ".join(f"{k} {v:,}" for k, v in counts.items() if k in NOTES)
        return (f"{self.source}: {len(self.decision.entries)} precincts, {self.rules:,} rules; "
                f"conflicts: {said}" + (f"; notes: {notes}" if notes else ""))


def check_decision(path: str | Path, households: pd.DataFrame, places: Places,
                   precinct_ids: list[int] | None = None) -> Check:
    """Read a decision file (text or Word) and apply it to the households.

    Raises
    ------
    AksugeoError
        When the file cannot be read.
    """
    decision = parse_decision(read_text(path))
    return Check(Path(path).name, decision,
                 apply_decision(decision, households, places, precinct_ids=precinct_ids))


def conflict_layer(checks: list[Check], households: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return every check's problems, at the household's point where one is concerned (WGS84)."""
    points = households.to_crs(WGS84).set_index("household_id").geometry
    frames = [c.applied.table(c.source).assign(source=c.source) for c in checks]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["kind", "precinct_id", "rule", "text", "household_id", "message", "source"])
    geometry = [points.get(h) if isinstance(h, str) else None for h in table["household_id"]]
    return gpd.GeoDataFrame(table, geometry=geometry, crs=WGS84)


def assignment_layer(check: Check) -> pd.DataFrame:
    """Return each household's precinct by the decision (``precinct_id``) and its status."""
    return check.applied.assignment.assign(source=check.source)
