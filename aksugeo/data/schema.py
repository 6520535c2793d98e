"""The schema of every input layer: columns, types, allowed values, units. One place for it.

A data directory holds::

    precincts.geojson                     polling precincts (Point, WGS84)
    households/apartment_buildings.geojson  apartment buildings (Point at the building centroid)
    households/private_houses.geojson     private houses (Point)
    canvass/visits.csv                    the door-to-door visit log
    addresses_raw.csv                     household addresses as clerks write them
    street_renames.csv                    optional: streets renamed, by their old names
    network/*.osm, *.osm.bz2, *.osm.pbf   the street network as OpenStreetMap data
    reference/*boundary*.geojson          optional: the study area, for location checks
    passports.csv                         optional: each precinct's accessibility passport
    passport_remedies.csv                 optional: the remedy of each item a passport fails
    candidate_sites.geojson               optional: public buildings that could host a precinct

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
REMEDY_STATES = ("none_needed", "temporary_measure", "relocate")
# a group of voters with disabilities (aksugeo.data.passports.GROUPS), in a pattern
_GROUP = "(?:wheelchair|reduced_mobility|blind_low_vision|deaf_hard_of_hearing|cognitive)"


@dataclass(frozen=True)
class Field:
    """One column of a layer.

    Attributes
    ----------
    name : str
        Column name.
    dtype : str
        ``int``, ``float``, ``str``, ``bool`` or ``date`` (ISO ``YYYY-MM-DD``).
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
    required : bool
        Whether every record needs a value (an optional field may be left empty).
    """

    name: str
    dtype: str
    description: str
    allowed: tuple[object, ...] | None = None
    minimum: int | None = None
    unique: bool = False
    pattern: str | None = None
    required: bool = True


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
STREET_RENAMES = Layer(
    "street_renames",
    "street_renames.csv",
    (
        Field("settlement", "str", "Where the street is, as addresses write it (empty: any "
              "settlement that has a street of the new name)", required=False),
        Field("old_name", "str", "The name the street had, with or without its type word "
              "(улица Кирова)"),
        Field("new_name", "str", "The name it has now, as the map (OSM) writes it "
              "(улица Валиханова)"),
        Field("renamed_on", "date", "The day of the decision, YYYY-MM-DD", required=False),
    ),
    None,
    "Streets renamed: the old names registries still write, for geocoding",
)

PASSPORTS = Layer(
    "passports",
    "passports.csv",
    (
        Field("precinct_id", "int", "The precinct", minimum=1, unique=True),
        Field("parking_spaces", "int", "Parking spaces for disabled drivers within 50 m of "
              "the entrance", minimum=0),
        Field("route_step_free", "bool", "A step-free route (no kerbs or steps, firm surface) "
              "from the street or stop to the entrance"),
        Field("entrance_steps", "int", "Steps at the entrance (0: a level entrance)", minimum=0),
        Field("ramp", "bool", "A permanent ramp at the entrance"),
        Field("ramp_slope_1_in", "int", "The ramp's gradient as 1:N (12 is 1:12; a larger N is "
              "gentler); empty without a ramp", minimum=1, required=False),
        Field("handrails", "bool", "Handrails on both sides of the entrance steps or ramp"),
        Field("door_width_cm", "int", "Clear width of the entrance door, cm", minimum=0),
        Field("voting_floor", "int", "Floor of the voting room (1: the ground floor)", minimum=0),
        Field("lift", "bool", "A lift to the voting room's floor"),
        Field("toilet_accessible", "bool", "A toilet a wheelchair user can use"),
        Field("lighting_adequate", "bool", "Even lighting on the route, at the entrance and in "
              "the voting room"),
        Field("booth_accessible", "bool", "A voting booth for voters with disabilities (lowered "
              "writing surface, room for a wheelchair)"),
        Field("magnifier", "bool", "A magnifier or large-print ballot sample for low-vision "
              "voters"),
        Field("braille_template", "bool", "A Braille ballot template for blind voters"),
        Field("sign_language", "bool", "Sign-language help (an interpreter on site or by video)"),
        Field("signage", "bool", "Clear, high-contrast signs from the entrance to the voting room"),
        Field("easy_read", "bool", "Easy-to-read voting instructions with pictures"),
        Field("con_desk", "bool", "A public-service-centre desk on election day"),
        Field("transit_stop", "str", "The nearest public-transport stop; empty when there is none",
              required=False),
        Field("transit_stop_m", "int", "Walk from that stop to the entrance, m", minimum=0,
              required=False),
        Field("winter_clearing", "bool", "The route is cleared of snow and ice, with someone "
              "responsible"),
        Field("entrance_lon", "float", "Longitude of the accessible entrance (WGS84); empty: the "
              "precinct's point", required=False),
        Field("entrance_lat", "float", "Latitude of the accessible entrance (WGS84)",
              required=False),
        Field("inspected_on", "date", "Day of the last inspection, YYYY-MM-DD"),
        Field("inspected_by", "str", "Who inspected (name, role or organisation)"),
    ),
    None,
    "The accessibility passport of each precinct, one row a precinct",
)
PASSPORT_REMEDIES = Layer(
    "passport_remedies",
    "passport_remedies.csv",
    (
        Field("precinct_id", "int", "The precinct", minimum=1),
        Field("item", "str", "The passport item that fails (see aksugeo.passport.rules.ITEMS)"),
        Field("remedy", "str", "What is done about it, in words (as the commission writes)"),
        Field("state", "str", "none_needed, temporary_measure or relocate",
              allowed=REMEDY_STATES),
        Field("remedy_kk", "str", "The remedy in Kazakh (shown in Kazakh in its place)",
              required=False),
        Field("remedy_en", "str", "The remedy in English", required=False),
        Field("responsible", "str", "Who carries it out (organisation or post)",
              required=False),
        Field("due", "date", "By when, YYYY-MM-DD", required=False),
    ),
    None,
    "The remedy of each item a passport fails, and its state",
)

CANDIDATE_SITES = Layer(
    "candidate_sites",
    "candidate_sites.geojson",
    (
        Field("site_id", "str", "Stable id of the site", unique=True),
        Field("name", "str", "The building (Детский сад №5, Клуб)"),
        Field("settlement", "str", "Settlement as addresses write it"),
        Field("facility_type", "str", "education, culture or other", allowed=FACILITY_TYPES),
        Field("accessible_for", "str", "The groups of voters with disabilities the building "
              "is accessible to, as surveyed, comma-separated (wheelchair, reduced_mobility, "
              "blind_low_vision, deaf_hard_of_hearing, cognitive); empty: none or not surveyed",
              pattern=rf"{_GROUP}(?:,{_GROUP})*", required=False),
    ),
    "Point",
    "Public buildings that could host a precinct, for siting",
)

HOUSEHOLD_LAYERS = {"apartment": APARTMENT_BUILDINGS, "private": PRIVATE_HOUSES}
LAYERS = (PRECINCTS, APARTMENT_BUILDINGS, PRIVATE_HOUSES, VISITS, ADDRESSES_RAW, STREET_RENAMES,
          PASSPORTS, PASSPORT_REMEDIES, CANDIDATE_SITES)
NETWORK_DIR = "network"
NETWORK_SUFFIXES = (".osm", ".osm.bz2", ".osm.pbf", ".xml")
REFERENCE_DIR = "reference"
