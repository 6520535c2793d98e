"""The pedestrian rule: which OpenStreetMap ways a walker may use and which nodes stop them.

One rule, in one place, modelled on OSRM's foot profile (``profiles/foot.lua`` of
osrm-backend 26, with its ``lib/way_handlers.lua`` and ``lib/access.lua``), so that our walks
can be checked against OSRM's on the same extract. The README quotes it word for word.

**Ways.** A way is walkable when all of these hold:

1. *Its walker's access allows it.* The access is the way's ``foot`` tag, else its ``access``
   tag (a value listing several, ``no;destination``, counts as its most permissive part, as
   OSRM resolves it). Access ``no``, ``private``, ``agricultural``, ``forestry``,
   ``delivery`` or ``use_sidepath`` closes the way.
2. *It is not blocked.* Never walkable: ``highway=proposed``, ``motorroad=yes``,
   ``impassable=yes``, ``status=impassable``; and a road whose sidewalk is drawn as its own
   way (``sidewalk``, ``sidewalk:both``, ``sidewalk:left`` or ``sidewalk:right`` =
   ``separate``), unless its access is given and allows walking (the sidewalk is walked
   instead).
3. *It is a kind walkers use*: ``highway`` one of :data:`WALK_HIGHWAYS` (roads up to
   ``primary``, ``service``, ``track``, ``path``, ``footway``, ``pedestrian``, ``steps``,
   ``platform``, ``pier``, ...), or ``railway=platform``, ``man_made=pier``,
   ``amenity=parking`` or ``amenity=parking_entrance``; or any other way with one of those
   keys or ``public_transport`` (``trunk``, ``motorway``, ``cycleway``, ``bridleway``,
   ``corridor``, ``trail``, ``construction``, ``public_transport=platform`` ...) whose access
   is given and allows walking (``highway=cycleway`` + ``foot=yes``). Unlike OSRM, a
   ``trunk`` or ``trunk_link`` road with a sidewalk tagged on it (``sidewalk`` = ``yes``,
   ``both``, ``left`` or ``right``) is walkable too: the roads through Kazakh villages are
   often trunk roads with a pavement.

Closed ways tagged ``area=yes`` (a square) are walked along their outline, as OSRM does with
area meshing off. One-way tags do not bind walkers. Ferries are not walked.

**Barriers** (nodes). A node stops a walker when its access (``foot``, else ``access``) is
one of the closing values above (``barrier=gate`` + ``access=private``); or, with no access
tag, when it is ``barrier=yes``, ``wall`` or ``fence`` (except a rising bollard and an
audible livestock fence). Gates, bollards, lift gates and kerbs without an access tag are
passable, as in OSRM. A barrier splits the network: every way that meets it ends there.
"""

from __future__ import annotations

from collections.abc import Mapping

WALK_HIGHWAYS = frozenset({
    "primary", "primary_link", "secondary", "secondary_link", "tertiary", "tertiary_link",
    "unclassified", "residential", "living_street", "service", "track", "path", "steps",
    "pedestrian", "platform", "footway", "pier",
})
OTHER_WALK_KINDS = frozenset({
    ("railway", "platform"), ("man_made", "pier"),
    ("amenity", "parking"), ("amenity", "parking_entrance"),
})
# keys of which a way needs one to be considered at all (OSRM's prefetched tags)
WAY_KEYS = ("highway", "railway", "public_transport", "man_made", "amenity", "bridge", "route",
            "platform")
ACCESS_OPEN = frozenset({"yes", "foot", "permissive", "designated"})
ACCESS_CLOSED = frozenset({
    "no", "private", "agricultural", "forestry", "delivery", "use_sidepath",
})
SIDEWALK_KEYS = ("sidewalk", "sidewalk:both", "sidewalk:left", "sidewalk:right")
SIDEWALK_ON_ROAD = frozenset({"yes", "both", "left", "right"})
TRUNK = frozenset({"trunk", "trunk_link"})
BARRIERS = frozenset({"yes", "wall", "fence"})
# every tag the rule reads: readers keep these and no more
WAY_TAGS = (*WAY_KEYS, "foot", "access", "area", "motorroad", "impassable", "status",
            *SIDEWALK_KEYS)
NODE_TAGS = ("barrier", "foot", "access", "bollard", "sensory")


def walker_access(tags: Mapping[str, str]) -> str | None:
    """Return the access that binds a walker: ``foot``, else ``access`` (None when neither).

    A value listing several (``no;destination``) counts as its most permissive part, ranked
    open, then closed, then any other value, as OSRM's ``resolve_access`` does.
    """
    value = tags.get("foot") or tags.get("access")
    if value is None or ";" not in value:
        return value
    parts = [p.strip() for p in value.split(";")]
    rank = {p: (2 if p in ACCESS_OPEN else 1 if p in ACCESS_CLOSED else 0) for p in parts}
    return max(parts, key=lambda p: rank[p])


def is_walkable(tags: Mapping[str, str]) -> bool:
    """Return whether a pedestrian may use an OSM way with these tags (see the module).

    Parameters
    ----------
    tags : Mapping
        The way's OSM tags.

    Returns
    -------
    bool
        True when walkable.
    """
    access = walker_access(tags)
    if not any(k in tags for k in WAY_KEYS) or access in ACCESS_CLOSED or _blocked(tags, access):
        return False
    highway = tags.get("highway")
    if highway in WALK_HIGHWAYS or any(tags.get(k) == v for k, v in OTHER_WALK_KINDS):
        return True
    if highway in TRUNK and any(tags.get(k) in SIDEWALK_ON_ROAD for k in SIDEWALK_KEYS):
        return True
    return access is not None  # any other way, opened by its access tag


def _blocked(tags: Mapping[str, str], access: str | None) -> bool:
    """Return whether a way is blocked whatever its kind (rule 2 of the module)."""
    if (tags.get("highway") == "proposed" or tags.get("motorroad") == "yes"
            or tags.get("impassable") == "yes" or tags.get("status") == "impassable"):
        return True
    return access is None and any(tags.get(k) == "separate" for k in SIDEWALK_KEYS)


def is_barrier(tags: Mapping[str, str]) -> bool:
    """Return whether an OSM node with these tags stops a walker (see the module).

    Parameters
    ----------
    tags : Mapping
        The node's OSM tags.

    Returns
    -------
    bool
        True when a walker may not pass the node.
    """
    access = tags.get("foot") or tags.get("access")
    if access is not None:
        return access in ACCESS_CLOSED
    barrier = tags.get("barrier")
    if barrier not in BARRIERS:
        return False
    rising_bollard = tags.get("bollard") == "rising"
    audible_fence = barrier == "fence" and tags.get("sensory") in ("audible", "audio")
    return not (rising_bollard or audible_fence)
