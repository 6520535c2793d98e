"""Mobility profiles: how walkers with different needs use the same walking network.

Each profile is a table of rules in one place (:data:`PROFILES`), applied to the tags the
reader keeps of every way and of the nodes at its ends (:func:`way_codes`, :func:`node_codes`).
A profile gives every edge a *cost* in metres at the profile's speed (the edge's length times
its factors, plus its penalty) or closes it; the search engine runs on these costs exactly as on
lengths, on the same nodes and edges (:func:`profile_network`). The README quotes the tables
word for word (a test compares).

**walk** (the build's walking speed, 4.5 km/h unless set): every walkable way at its length
(the pedestrian rule, :mod:`aksugeo.walk.pedestrian`).

**reduced** (the build's reduced-mobility speed, 3 km/h unless set): every walkable way; steps
cost 3 times their length.

**wheelchair** (4 km/h, as Valhalla's wheelchair costing):

- *steps* (``highway=steps``): closed, unless ``ramp=yes``, ``ramp:wheelchair=yes`` or
  ``wheelchair=yes``;
- *a raised kerb* (a node ``kerb=raised``, or ``kerb:height`` above 3 cm, at either end;
  not a bus stop's boarding kerb): closed;
- *a barrier* (a node ``barrier=stile``, ``kissing_gate``, ``turnstile``,
  ``full-height_turnstile``, ``step``, or ``wheelchair=no``, at either end): closed;
- *not for wheelchairs* (``wheelchair=no``): closed;
- *steep* (``incline`` above 8 %, a number in % or degrees): 4 times the length;
- *a loose surface* (``surface`` gravel, dirt, ground, grass, sand, mud, earth, unpaved,
  pebblestone, woodchips, fine_gravel, compacted): 2 times the length;
- *made for wheelchairs* (``wheelchair=yes`` or ``designated``): 0.9 times the length.

A wheelchair walk's *known share* is the share of its length over ways whose relevant tags are
known: ``wheelchair``, else ``surface`` (and for steps, a ramp tag; for a crossing, a kerb tag
at its ends).

**winter** (the walking speed): footways, paths and tracks (not cleared) cost 1.3 times their
length, and every road too when streets are not cleared (``cleared_streets`` off); unlit ways
(``lit=no``) 1.2 times; loose surfaces 1.5 times; the factors multiply.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from dataclasses import fields as dataclass_fields

import numpy as np

from aksugeo._errors import SettingsError
from aksugeo.settings import AccessSettings

# the tags of ways and nodes the profiles read (the reader keeps these as codes)
PROFILE_WAY_TAGS = ("highway", "surface", "incline", "wheelchair", "ramp", "ramp:wheelchair",
                    "lit", "footway")
PROFILE_NODE_TAGS = ("kerb", "kerb:height", "barrier", "wheelchair", "highway",
                     "public_transport")

UNKNOWN = -1
NO_KERB = -2  # a node that is no kerb
# highway kinds, by what a profile does with them
ROADS = frozenset({"primary", "primary_link", "secondary", "secondary_link", "tertiary",
                   "tertiary_link", "unclassified", "residential", "living_street", "service",
                   "trunk", "trunk_link"})
ROAD, PATH, STEPS = 0, 1, 2
LOOSE = frozenset({"gravel", "dirt", "ground", "grass", "sand", "mud", "earth", "unpaved",
                   "pebblestone", "woodchips", "fine_gravel", "compacted"})
WHEELCHAIR_BARRIERS = frozenset({"stile", "kissing_gate", "turnstile", "full-height_turnstile",
                                 "step"})
RAISED_KERB_M = 0.03
# the codes of a way, in this order (one small integer each; incline in % or NaN)
WAY_FIELDS = ("kind", "surface", "incline_pct", "wheelchair", "ramp", "lit", "crossing")
# the codes of a node
NODE_FIELDS = ("kerb", "barrier")


def _yes_no(value: str | None) -> int:
    if value is None:
        return UNKNOWN
    return 1 if value in ("yes", "designated", "limited") else 0 if value == "no" else UNKNOWN


def _incline(value: str | None) -> float:
    """Return an ``incline`` tag as an absolute percent (NaN: none, or up/down only)."""
    if value is None:
        return math.nan
    m = re.fullmatch(r"\s*([-+]?\d+(?:[.,]\d+)?)\s*(%|°)?\s*", value)
    if m is None:
        return math.nan
    number = float(m.group(1).replace(",", "."))
    return abs(math.tan(math.radians(number)) * 100 if m.group(2) == "°" else number)


def way_codes(tags: Mapping[str, str]) -> tuple[float, ...]:
    """Return the codes of :data:`WAY_FIELDS` for a way's tags (-1 or NaN: not tagged)."""
    highway = tags.get("highway")
    kind = STEPS if highway == "steps" else ROAD if highway in ROADS else PATH
    surface = tags.get("surface")
    loose = UNKNOWN if surface is None else int(surface in LOOSE)
    wheelchair = tags.get("wheelchair")
    chair = (UNKNOWN if wheelchair is None else 2 if wheelchair == "designated"
             else _yes_no(wheelchair))
    ramps = [tags.get("ramp:wheelchair"), tags.get("ramp")]
    ramp = 1 if "yes" in ramps else 0 if "no" in ramps else UNKNOWN
    crossing = int(tags.get("footway") == "crossing" or highway == "crossing")
    return (kind, loose, _incline(tags.get("incline")), chair, ramp,
            _yes_no(tags.get("lit")), crossing)


def node_codes(tags: Mapping[str, str]) -> tuple[int, int] | None:
    """Return the codes of :data:`NODE_FIELDS` for a node's tags; None when it has none.

    ``kerb``: 1 raised, 0 lowered or flush (or no higher than 3 cm), -1 a kerb of unknown
    height; ``barrier``: 1 when a wheelchair cannot pass. A bus stop's or platform's ``kerb``
    is the kerb one boards from (a raised one helps a wheelchair in), not one to cross: it is
    read over (as mapped at Wendlingen's bus station).
    """
    boarding = tags.get("highway") == "bus_stop" or tags.get("public_transport") == "platform"
    kerb_type = None if boarding else tags.get("kerb")
    height = None if boarding else tags.get("kerb:height")
    kerb = None
    if height is not None:
        m = re.fullmatch(r"\s*(\d+(?:[.,]\d+)?)\s*(cm|mm|m)?\s*", height)
        if m is not None:
            metres = float(m.group(1).replace(",", ".")) / {"cm": 100, "mm": 1000, "m": 1,
                                                              None: 1}[m.group(2)]
            if m.group(2) is None and metres > 1:  # "12": centimetres, as written on kerbs
                metres /= 100
            kerb = int(metres > RAISED_KERB_M)
    if kerb is None and kerb_type is not None:
        kerb = 1 if kerb_type == "raised" else 0 if kerb_type in (
            "lowered", "flush", "no", "rolled") else UNKNOWN
    if kerb is None and tags.get("barrier") == "kerb":
        kerb = UNKNOWN
    barrier = int(tags.get("barrier") in WHEELCHAIR_BARRIERS or tags.get("wheelchair") == "no")
    if kerb is None and not barrier:
        return None
    return (NO_KERB if kerb is None else kerb, barrier)


def edge_kerbs(kerb_u: np.ndarray, kerb_v: np.ndarray, crossing: np.ndarray) -> np.ndarray:
    """Return each edge's kerb from the kerb codes of its ends (:data:`NO_KERB`: no kerb there).

    1 when either end is a raised kerb; else -1 when either is a kerb of unknown height, or
    when the edge is a crossing with no kerb mapped at either end; else 0.
    """
    raised = (kerb_u == 1) | (kerb_v == 1)
    unknown = (kerb_u == UNKNOWN) | (kerb_v == UNKNOWN) | (
        (crossing == 1) & (kerb_u == NO_KERB) & (kerb_v == NO_KERB))
    return np.where(raised, 1, np.where(unknown, UNKNOWN, 0)).astype(np.int8)


@dataclass(frozen=True)
class EdgeTags:
    """The profile codes of every edge of a network (aligned to its ``u``, ``v``).

    ``kerb`` and ``barrier`` come from the nodes at the edge's ends (:func:`edge_kerbs`).
    """

    kind: np.ndarray
    surface: np.ndarray
    incline_pct: np.ndarray
    wheelchair: np.ndarray
    ramp: np.ndarray
    lit: np.ndarray
    crossing: np.ndarray
    kerb: np.ndarray
    barrier: np.ndarray

    @classmethod
    def unknown(cls, n: int) -> EdgeTags:
        """Return the codes of ``n`` edges nothing is known of (a network built from arrays)."""
        minus = np.full(n, UNKNOWN, dtype=np.int8)
        return cls(np.full(n, PATH, dtype=np.int8), minus, np.full(n, np.nan, np.float32),
                   minus, minus, minus, np.zeros(n, np.int8), np.zeros(n, np.int8),
                   np.zeros(n, np.int8))

    def arrays(self) -> dict[str, np.ndarray]:
        """Return the codes by name (to save them)."""
        return {f"tag_{k}": getattr(self, k) for k in self.__dataclass_fields__}

    @classmethod
    def from_arrays(cls, saved: Mapping[str, np.ndarray]) -> EdgeTags:
        """Read codes saved by :meth:`arrays`."""
        return cls(**{k: np.asarray(saved[f"tag_{k}"]) for k in cls.__dataclass_fields__})

    def take(self, index: np.ndarray) -> EdgeTags:
        """Return the codes of the edges ``index``."""
        return replace(self, **{k: getattr(self, k)[index] for k in self.__dataclass_fields__})


@dataclass(frozen=True)
class Profile:
    """How one kind of walker uses the network (see the module's tables).

    Attributes
    ----------
    name : str
        ``walk``, ``reduced``, ``wheelchair``, ``winter``.
    speed_kmh : float
        The speed minutes are counted at.
    steps_factor : float
        What steps cost, times their length (inf: closed).
    closes_for_wheelchair : bool
        Close raised kerbs, wheelchair barriers, ``wheelchair=no`` and steps without a ramp.
    steep_pct, steep_factor : float
        Ways steeper than ``steep_pct`` cost ``steep_factor`` times their length.
    loose_factor : float
        Loose surfaces, times their length.
    made_for_factor : float
        Ways tagged ``wheelchair=yes``/``designated``, times their length.
    path_factor, unlit_factor : float
        Winter: footways, paths and tracks; unlit ways.
    cleared_streets : bool
        Winter: roads are cleared (else they cost ``path_factor`` too).
    """

    name: str
    speed_kmh: float
    steps_factor: float = 1.0
    closes_for_wheelchair: bool = False
    steep_pct: float = math.inf
    steep_factor: float = 1.0
    loose_factor: float = 1.0
    made_for_factor: float = 1.0
    path_factor: float = 1.0
    unlit_factor: float = 1.0
    cleared_streets: bool = True

    def costing(self) -> tuple[object, ...]:
        """Return what this profile's costs depend on (not its name nor its speed)."""
        return tuple(getattr(self, f.name) for f in dataclass_fields(self)
                     if f.name not in ("name", "speed_kmh"))

    def costs(self, length_m: np.ndarray, tags: EdgeTags) -> np.ndarray:
        """Return each edge's cost in metres at this profile's speed (inf: closed)."""
        factor = np.ones(len(length_m))
        steps = tags.kind == STEPS
        if self.closes_for_wheelchair:
            ramped = steps & ((tags.ramp == 1) | (tags.wheelchair >= 1))
            closed = ((steps & ~ramped) | (tags.kerb == 1) | (tags.barrier == 1)
                      | (tags.wheelchair == 0))
            factor[closed] = math.inf
            factor[tags.wheelchair >= 1] *= self.made_for_factor
        else:
            factor[steps] *= self.steps_factor
        factor[np.nan_to_num(tags.incline_pct, nan=0.0) > self.steep_pct] *= self.steep_factor
        factor[tags.surface == 1] *= self.loose_factor
        uncleared = tags.kind != ROAD if self.cleared_streets else np.ones(len(factor), bool)
        factor[uncleared] *= self.path_factor
        factor[tags.lit == 0] *= self.unlit_factor
        return np.asarray(length_m, dtype=float) * factor

    def known(self, tags: EdgeTags) -> np.ndarray:
        """Return whether the tags this profile reads are known, for each edge."""
        if not self.closes_for_wheelchair:
            return np.ones(len(tags.kind), dtype=bool)
        known = (tags.wheelchair != UNKNOWN) | (tags.surface != UNKNOWN)
        steps = tags.kind == STEPS
        known &= ~steps | (tags.ramp != UNKNOWN) | (tags.wheelchair != UNKNOWN)
        crossing = tags.crossing == 1
        known &= ~crossing | (tags.kerb != UNKNOWN)
        return known


def profiles_of(settings: AccessSettings | None = None) -> dict[str, Profile]:
    """Return the profiles with the settings' changes (``AccessSettings.profiles``) made.

    Each change is ``profile.field=value``: a number (positive; ``inf`` closes, for a factor)
    or, for ``cleared_streets`` and ``closes_for_wheelchair``, yes/no.

    Raises
    ------
    SettingsError
        Naming the change that names no profile or field, or gives a value that does not fit.
    """
    out = dict(PROFILES)
    if settings is not None:  # the walk's speeds are the build's (--speed-kmh and the like)
        for name in ("walk", "winter"):
            out[name] = replace(out[name], speed_kmh=settings.speed_kmh)
        out["reduced"] = replace(out["reduced"], speed_kmh=settings.reduced_speed_kmh)
    for change in settings.profiles if settings is not None else ():
        head, value = change.split("=", 1)
        name, key = head.split(".", 1)
        if name not in out:
            raise SettingsError(f"{change!r}: no profile {name!r} (one of "
                                f"{', '.join(PROFILES)})")
        fields = {f.name: f.type for f in dataclass_fields(Profile) if f.name != "name"}
        if key not in fields:
            raise SettingsError(f"{change!r}: a profile has no {key!r} (one of "
                                f"{', '.join(fields)})")
        current = getattr(out[name], key)
        if isinstance(current, bool):
            if value.lower() not in ("yes", "no", "true", "false", "1", "0"):
                raise SettingsError(f"{change!r}: {key} is yes or no")
            parsed: float | bool = value.lower() in ("yes", "true", "1")
        else:
            try:
                parsed = float(value)
            except ValueError:
                raise SettingsError(f"{change!r}: {key} is a number") from None
            if not parsed > 0:
                raise SettingsError(f"{change!r}: {key} must be positive")
        out[name] = replace(out[name], **{key: parsed})  # type: ignore[arg-type]
    return out


def profiles_json(settings: AccessSettings | None = None) -> str:
    """Return every profile's speed and factors as JSON (what a build records)."""
    import json  # noqa: PLC0415
    from dataclasses import asdict  # noqa: PLC0415

    return json.dumps({name: {k: (v if not isinstance(v, float) or math.isfinite(v) else None)
                              for k, v in asdict(p).items() if k != "name"}
                       for name, p in profiles_of(settings).items()}, sort_keys=True)


PROFILES: dict[str, Profile] = {
    "walk": Profile("walk", 4.5),
    "reduced": Profile("reduced", 3.0, steps_factor=3.0),
    "wheelchair": Profile("wheelchair", 4.0, closes_for_wheelchair=True, steep_pct=8.0,
                          steep_factor=4.0, loose_factor=2.0, made_for_factor=0.9),
    "winter": Profile("winter", 4.5, path_factor=1.3, unlit_factor=1.2, loose_factor=1.5),
}
