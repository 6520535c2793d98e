"""The pedestrian rule, tag by tag, as OSRM's foot profile decides (and our one deviation)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aksugeo.walk import pedestrian
from aksugeo.walk.pedestrian import is_barrier, is_walkable, walker_access

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.mark.parametrize(("tags", "walkable"), [
    # the kinds walkers use
    *[({"highway": h}, True) for h in (
        "primary", "primary_link", "secondary", "secondary_link", "tertiary", "tertiary_link",
        "unclassified", "residential", "living_street", "service", "track", "path", "steps",
        "pedestrian", "platform", "footway", "pier")],
    ({"railway": "platform"}, True),
    ({"public_transport": "platform"}, False),  # a stop's area outline: OSRM walks it not
    ({"public_transport": "platform", "foot": "yes"}, True),
    ({"man_made": "pier"}, True),
    ({"amenity": "parking"}, True),
    ({"highway": "residential", "oneway": "yes"}, True),
    ({"highway": "pedestrian", "area": "yes"}, True),  # a square, walked along its outline
    ({"highway": "platform", "foot": "yes"}, True),
    # other kinds: closed unless their access opens them
    *[({"highway": h}, False) for h in (
        "motorway", "motorway_link", "trunk", "trunk_link", "cycleway", "bridleway",
        "corridor", "trail", "construction", "elevator", "bus_guideway", "raceway")],
    ({"highway": "cycleway", "foot": "yes"}, True),
    ({"highway": "cycleway", "foot": "designated"}, True),
    ({"highway": "cycleway", "access": "yes"}, True),
    ({"highway": "corridor", "foot": "permissive"}, True),
    ({"highway": "construction", "foot": "yes"}, True),
    ({"highway": "motorway", "foot": "yes"}, True),
    # our deviation: a trunk road with a pavement tagged on it
    ({"highway": "trunk", "sidewalk": "both"}, True),
    ({"highway": "trunk_link", "sidewalk:left": "yes"}, True),
    ({"highway": "trunk", "sidewalk": "no"}, False),
    ({"highway": "motorway", "sidewalk": "both"}, False),
    # access closes any kind
    ({"highway": "footway", "foot": "no"}, False),
    ({"highway": "service", "access": "private"}, False),
    ({"highway": "service", "access": "private", "foot": "yes"}, True),
    ({"highway": "service", "access": "no", "foot": "permissive"}, True),
    ({"highway": "track", "access": "agricultural"}, False),
    ({"highway": "track", "access": "forestry"}, False),
    ({"highway": "service", "access": "delivery"}, False),
    ({"highway": "primary", "foot": "use_sidepath"}, False),
    ({"highway": "path", "access": "no;permissive"}, True),  # its most permissive part
    ({"highway": "path", "access": "no;destination"}, False),
    ({"highway": "service", "access": "destination"}, True),
    # blocked ways
    ({"highway": "proposed"}, False),
    ({"highway": "proposed", "foot": "yes"}, False),
    ({"highway": "primary", "motorroad": "yes"}, False),
    ({"highway": "path", "impassable": "yes"}, False),
    ({"highway": "path", "status": "impassable"}, False),
    ({"highway": "secondary", "sidewalk": "separate"}, False),
    ({"highway": "secondary", "sidewalk:both": "separate"}, False),
    ({"highway": "secondary", "sidewalk:right": "separate"}, False),
    ({"highway": "secondary", "sidewalk": "separate", "foot": "yes"}, True),
    ({"highway": "secondary", "sidewalk": "both"}, True),
    # not ways for walking at all
    ({"building": "yes"}, False),
    ({"waterway": "river"}, False),
    ({"landuse": "grass", "access": "yes"}, False),
    ({}, False),
])
def test_ways(tags: dict[str, str], walkable: bool) -> None:
    assert is_walkable(tags) is walkable


@pytest.mark.parametrize(("tags", "barrier"), [
    ({"barrier": "gate"}, False),
    ({"barrier": "gate", "access": "private"}, True),
    ({"barrier": "gate", "access": "no"}, True),
    ({"barrier": "gate", "access": "no", "foot": "yes"}, False),
    ({"barrier": "gate", "access": "permissive"}, False),
    ({"barrier": "gate", "access": "conditional=yes @ (Mo-Fr 08:00-20:00)"}, False),
    ({"barrier": "gate", "foot": "private"}, True),
    ({"barrier": "lift_gate"}, False),
    ({"barrier": "bollard"}, False),
    ({"barrier": "kerb"}, False),
    ({"barrier": "yes"}, True),
    ({"barrier": "wall"}, True),
    ({"barrier": "fence"}, True),
    ({"barrier": "fence", "sensory": "audible"}, False),
    ({"barrier": "yes", "bollard": "rising"}, False),
    ({"barrier": "fence", "access": "yes"}, False),
    ({"highway": "crossing"}, False),
    ({"access": "private"}, True),  # any node closed to walkers, as OSRM reads it
    ({}, False),
])
def test_nodes(tags: dict[str, str], barrier: bool) -> None:
    assert is_barrier(tags) is barrier


def test_walker_access_prefers_foot() -> None:
    assert walker_access({"foot": "yes", "access": "no"}) == "yes"
    assert walker_access({"access": "no"}) == "no"
    assert walker_access({"highway": "path"}) is None


def test_the_readme_states_the_rule_word_for_word() -> None:
    # the README's "Walking access" section quotes the module docstring's rule
    doc = pedestrian.__doc__ or ""
    rule = doc[doc.index("**Ways.**"):].strip()
    readme = README.read_text(encoding="utf-8")

    def words(text: str) -> str:
        return re.sub(r"\s+", " ", text.replace("``", "`").replace(":data:", "")).strip()

    assert words(rule) in words(readme)
