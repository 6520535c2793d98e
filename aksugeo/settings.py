"""Settings of the analyses: speeds, bands, limits; gap sizes. Dataclasses, passed explicitly.

Defaults:

- ``speed_kmh = 4.5``: an adult's walking pace.
- ``reduced_speed_kmh = 3.0``: a voter with reduced mobility (a cane, a walker, a pram).
- ``bands_min = (5, 10, 15, 20)``: the isochrone and statistics bands, in minutes.
- ``max_snap_m = 300``: a building farther than this from any walkable street is ``off_network``.
- ``min_component_nodes = 50``: a piece of the network with fewer nodes is a fragment, snapped
  past when a larger piece is within ``max_snap_m`` (Valhalla asks for 50 reachable nodes).
- ``isochrone_cell_m = 10``: isochrones are drawn from the walk on a grid of cells this wide.
- ``catchment_sample_m = 20``: spacing of the points along streets that catchments are cut from.

A build records both (:func:`settings_json`) and every reader of the build gets them back typed.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TypeVar

from aksugeo._errors import SettingsError

S = TypeVar("S")

GPKG_NAME = "aksugeo.gpkg"
DEFAULT_DB = Path("out") / GPKG_NAME  # where a build goes, and every command looks, by default


def _positive(value: float) -> bool:
    """Whether a setting is a finite number above zero (NaN and infinity are not)."""
    return isinstance(value, (int, float)) and math.isfinite(value) and value > 0


@dataclass(frozen=True)
class AccessSettings:
    """How walking access is measured (see the module docstring for the defaults)."""

    speed_kmh: float = 4.5
    reduced_speed_kmh: float = 3.0
    bands_min: tuple[int, ...] = (5, 10, 15, 20)
    max_snap_m: float = 300.0
    min_component_nodes: int = 50
    isochrone_cell_m: float = 10.0
    catchment_sample_m: float = 20.0
    step_free_min: int = 15  # a wheelchair walk longer than this counts as no step-free route
    # changes to the mobility profiles' speeds and factors (aksugeo.walk.profiles), each
    # "profile.field=value": "wheelchair.speed_kmh=3.5", "winter.cleared_streets=no"
    profiles: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Refuse settings that make no sense."""
        if not all(_positive(v) for v in (self.speed_kmh, self.reduced_speed_kmh)):
            raise SettingsError(f"walking speeds must be positive numbers, got "
                                f"{self.speed_kmh} and {self.reduced_speed_kmh}")
        bands = list(self.bands_min)
        if not bands or bands != sorted(set(bands)) or bands[0] <= 0:
            raise SettingsError(f"bands must be positive and rising, got {self.bands_min}")
        if self.min_component_nodes < 1:
            raise SettingsError("min_component_nodes must be at least 1")
        if not _positive(self.step_free_min):
            raise SettingsError(f"step_free_min must be positive, got {self.step_free_min}")
        for change in self.profiles:
            if re.fullmatch(r"[a-z_]+\.[a-z_]+=\S+", str(change)) is None:
                raise SettingsError(f"a change to a profile is written profile.field=value "
                                    f"(wheelchair.speed_kmh=3.5), got {change!r}")
        if not all(_positive(v) for v in (self.max_snap_m, self.isochrone_cell_m,
                                          self.catchment_sample_m)):
            raise SettingsError("max_snap_m, isochrone_cell_m and catchment_sample_m must be "
                                "positive numbers")

    @property
    def last_band(self) -> int:
        """The largest band, in minutes: "beyond" counts start there."""
        return int(self.bands_min[-1])

    def metres(self, minutes: float, *, reduced: bool = False) -> float:
        """Return how far one walks in ``minutes`` at the normal (or reduced) speed."""
        speed = self.reduced_speed_kmh if reduced else self.speed_kmh
        return minutes * speed * 1000.0 / 60.0

    def minutes(self, metres: float, *, reduced: bool = False) -> float:
        """Return how long ``metres`` take at the normal (or reduced) speed."""
        speed = self.reduced_speed_kmh if reduced else self.speed_kmh
        return metres / (speed * 1000.0 / 60.0)


@dataclass(frozen=True)
class GapSettings:
    """How the canvass's covered areas and gaps are drawn: blocks and lots.

    Attributes
    ----------
    threshold : float
        A block (per precinct) is covered when this share of its households is visited.
    lot_m : float
        In a block larger than ``max_block_ha`` (open land between villages, a field the
        streets ring), a building's lot reaches at most this far from it, in metres.
    max_block_ha : float
        Blocks up to this size are split whole between their buildings.
    """

    threshold: float = 0.8
    lot_m: float = 60.0
    max_block_ha: float = 25.0

    def __post_init__(self) -> None:
        """Check the values."""
        if not (math.isfinite(self.threshold) and 0 < self.threshold <= 1):
            raise SettingsError(f"threshold must be in (0, 1], got {self.threshold}")
        if not (_positive(self.lot_m) and _positive(self.max_block_ha)):
            raise SettingsError(f"lot_m and max_block_ha must be positive, got {self.lot_m} "
                                f"and {self.max_block_ha}")


def settings_json(settings: object) -> str:
    """Return a settings dataclass as JSON: how a build records the settings it used."""
    return json.dumps(asdict(settings), sort_keys=True)  # type: ignore[call-overload]


def settings_from_json(cls: type[S], text: str | None) -> S:
    """Read settings written by :func:`settings_json` back, typed; the defaults when absent.

    Parameters
    ----------
    cls : type
        The settings dataclass (:class:`AccessSettings`, :class:`GapSettings`).
    text : str or None
        What :func:`settings_json` wrote, or None for a build that recorded nothing.

    Returns
    -------
    The settings, checked as on construction.

    Raises
    ------
    SettingsError
        When the text is not such a record.
    """
    if not text:
        return cls()
    try:
        values = json.loads(text)
        names = {f.name: f.type for f in fields(cls)}  # type: ignore[arg-type]
        kept = {k: (tuple(v) if isinstance(v, list) else v) for k, v in values.items()
                if k in names}
        return cls(**kept)
    except (ValueError, TypeError) as exc:
        raise SettingsError(f"the build's recorded settings are not readable: {exc}") from exc
