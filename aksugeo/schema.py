"""The schema of every input layer: columns, types, allowed values, units. One place for it.

A data directory holds::

    precincts.geojson                     polling precincts (Point, WGS84)
    households/apartment_buildings.geojson  apartment buildings (Point at the building centroid)
    households/private_houses.geojson     private houses (Point)
    canvass/visits.csv                    the door-to-door visit log
    addresses_raw.csv                     household addresses as clerks write them
    network/*.osm, *.osm.bz2, *.osm.pbf   the street network as OpenStreetMap data
    reference/*boundary*.geojson          optional: the study area, for location checks

Every household is one building: an apartment building (``dwellings`` apartments) or a private
house (``dwellings`` = 1). A household counts as *covered* by the canvass once it has at least
one visit, whatever its outcome: the door was knocked on.
"""

from __future__ import annotations

from dataclasses import dataclass

WGS84 = "EPSG:4326"
OUTCOMES = ("talked", "not_home", "refused")
KINDS = ("apartment", "private")
AREA_TYPES = ("urban", "rural")
FACILITY_TYPES = ("education", "culture", "other")


@dataclass(frozen=True)
class Field:
    """One column of a layer.

    Attributes
    ----------
    name : str
        Column name.
    dtype : str
        ``int``, ``str``, ``bool`` or ``date`` (ISO ``YYYY-MM-DD``).
    description : str
        What the column holds, with its unit.
    allowed : tuple, optional
        The only values allowed.
    minimum : int, optional
        The smallest value allowed (``int`` columns).
    unique : bool
        Whether each value may appear once only.
    pattern : str, optional
        A regular expression every value must match in full (``str`` columns).
    """

    name: str
    dtype: str
    description: str
    allowed: tuple[object, ...] | None = None
    minimum: int | None = None
    unique: bool = False
    pattern: str | None = None


@dataclass(frozen=True)
class Layer:
    """One input layer: where it lives in a data directory and what it holds."""

    name: str
    path: str
    fields: tuple[Field, ...]
    geometry: str | None
    description: str

    @property
    def columns(self) -> list[str]:
        """Column names in schema order."""
        return [f.name for f in self.fields]


_HOUSEHOLD_FIELDS = (
    Field("household_id", "str", "Stable id, unique across both household files", unique=True),
    Field("kind", "str", "apartment (a building) or private (a house)", allowed=KINDS),
    Field("address", "str", "Address in the registry's canonical form"),
    Field("settlement", "str", "Settlement as addresses write it (г. Аксу, с. Калкаман)"),
    Field("precinct_id", "int", "The precinct the household is assigned to"),
    Field("dwellings", "int", "Apartments in the building; 1 for a house", minimum=1),
    Field("voters", "int", "Voters on the list living here", minimum=0),
)

PRECINCTS = Layer(
    "precincts",
    "precincts.geojson",
    (
        Field("precinct_id", "int", "Precinct number", minimum=1, unique=True),
        Field("name", "str", "The building the precinct sits in (СОШ №3)"),
        Field("address", "str", "Address of the building"),
        Field("settlement", "str", "Settlement as addresses write it"),
        Field("district", "str", "city, or the rural district's KATO name"),
        Field("kato", "str", "The settlement's 9-digit KATO code", pattern=r"\d{9}"),
        Field("area_type", "str", "urban or rural", allowed=AREA_TYPES),
        Field("facility_type", "str", "education, culture or other", allowed=FACILITY_TYPES),
        Field("con_desk", "bool", "A public-service-centre desk on election day"),
        Field("accessible_booth", "bool", "A voting booth for voters with disabilities"),
        Field("voters", "int", "Voters on the precinct's list; equals its households' sum",
              minimum=0),
    ),
    "Point",
    "Polling precincts, a point at the building's centroid",
)
APARTMENT_BUILDINGS = Layer("apartment_buildings", "households/apartment_buildings.geojson",
                            _HOUSEHOLD_FIELDS, "Point", "Apartment buildings")
PRIVATE_HOUSES = Layer("private_houses", "households/private_houses.geojson",
                       _HOUSEHOLD_FIELDS, "Point", "Private houses")
VISITS = Layer(
    "visits",
    "canvass/visits.csv",
    (
        Field("visit_id", "str", "Stable id of the visit", unique=True),
        Field("household_id", "str", "The household visited"),
        Field("date", "date", "Day of the visit, YYYY-MM-DD"),
        Field("wave", "int", "Canvass wave, 1 or 2", allowed=(1, 2)),
        Field("team", "str", "The canvassing team"),
        Field("outcome", "str", "talked, not_home or refused", allowed=OUTCOMES),
        Field("voters_reached", "int", "Voters spoken to", minimum=0),
    ),
    None,
    "The door-to-door visit log",
)
ADDRESSES_RAW = Layer(
    "addresses_raw",
    "addresses_raw.csv",
    (
        Field("household_id", "str", "The household the address belongs to"),
        Field("address", "str", "The address as a clerk wrote it"),
    ),
    None,
    "Household addresses as clerks write them, for geocoding",
)

HOUSEHOLD_LAYERS = {"apartment": APARTMENT_BUILDINGS, "private": PRIVATE_HOUSES}
LAYERS = (PRECINCTS, APARTMENT_BUILDINGS, PRIVATE_HOUSES, VISITS, ADDRESSES_RAW)
NETWORK_DIR = "network"
NETWORK_SUFFIXES = (".osm", ".osm.bz2", ".osm.pbf", ".xml")
REFERENCE_DIR = "reference"
