"""Checks of input layers that collect every problem as ``file:record:field: message``.

Nothing here raises on bad data: each check returns the typed values it could read and the
list of :class:`~aksugeo._errors.Problem` it found, so that one run reports all of them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError as ProjCRSError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from aksugeo._errors import Problem
from aksugeo.data.schema import Field, Layer

_TRUE = {"true", "yes", "1", "да", "иә"}
_FALSE = {"false", "no", "0", "нет", "жоқ"}
STUDY_AREA_MARGIN_DEG = 0.05  # about 4 km: a precinct just over the boundary line is fine


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or (
        isinstance(value, str) and not value.strip())


def read_geojson(path: Path, shown: str) -> tuple[list[dict[str, Any]], dict[str, Any],
                                                  list[Problem]]:
    """Read a GeoJSON FeatureCollection's features without interpreting them.

    Parameters
    ----------
    path : Path
        The file.
    shown : str
        The file's name as messages show it.

    Returns
    -------
    features : list of dict
        The raw features (empty when the file cannot be read).
    head : dict
        The collection's other members (``crs``, ``metadata``, ``name``).
    problems : list of Problem
        Why the file could not be read, if it could not.
    """
    if not path.is_file():
        return [], {}, [Problem(shown, "-", "-", "file not found")]
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        return [], {}, [Problem(shown, "-", "-", f"not UTF-8 text ({exc.reason})")]
    except json.JSONDecodeError as exc:
        return [], {}, [Problem(shown, f"line {exc.lineno}", "-", f"not valid JSON: {exc.msg}")]
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        return [], {}, [Problem(shown, "-", "-", "not a GeoJSON FeatureCollection")]
    feats = doc.get("features")
    if not isinstance(feats, list):
        return [], {}, [Problem(shown, "-", "features", "missing or not a list")]
    head = {k: v for k, v in doc.items() if k not in ("features", "type")}
    problems = [Problem(shown, f"feature {i + 1}", "-", "not a GeoJSON Feature object")
                for i, f in enumerate(feats) if not isinstance(f, dict)]
    return [f if isinstance(f, dict) else {} for f in feats], head, problems


def check_crs(head: dict[str, Any], shown: str) -> list[Problem]:
    """Check that a GeoJSON file is in WGS84 lon/lat (no ``crs`` member, or a WGS84 one)."""
    member = head.get("crs")
    if member is None:
        return []
    name = member.get("properties", {}).get("name") if isinstance(member, dict) else None
    try:
        crs = CRS.from_user_input(name)
    except (ProjCRSError, TypeError):
        return [Problem(shown, "-", "crs", f"unreadable CRS {name!r}; expected WGS84 (EPSG:4326)")]
    if crs.equals(CRS.from_epsg(4326), ignore_axis_order=True):
        return []
    code = crs.to_string()
    return [Problem(shown, "-", "crs", f"CRS is {code}; expected WGS84 lon/lat (EPSG:4326), "
                    "as GeoJSON requires: reproject the file")]


def read_geometries(features: list[dict[str, Any]], shown: str, geom_type: str,
                    ) -> tuple[list[BaseGeometry | None], list[Problem]]:
    """Turn each feature's geometry into shapely, or say why it cannot be used."""
    geoms: list[BaseGeometry | None] = []
    problems: list[Problem] = []
    for i, feat in enumerate(features):
        rec = f"feature {i + 1}"
        raw = feat.get("geometry")
        geom: BaseGeometry | None = None
        if raw is None:
            problems.append(Problem(shown, rec, "geometry", "missing geometry"))
        else:
            try:
                geom = shape(raw)
            except (ValueError, TypeError, AttributeError, KeyError, IndexError,
                    shapely.errors.GEOSException) as exc:
                problems.append(Problem(shown, rec, "geometry", f"invalid geometry: {exc}"))
        if geom is not None:
            if geom.is_empty:
                problems.append(Problem(shown, rec, "geometry", "empty geometry"))
                geom = None
            elif geom.geom_type != geom_type:
                problems.append(Problem(shown, rec, "geometry",
                                        f"expected a {geom_type}, got a {geom.geom_type}"))
                geom = None
            elif not np.isfinite(shapely.get_coordinates(geom)).all() or not geom.is_valid:
                problems.append(Problem(shown, rec, "geometry", "invalid geometry"))
                geom = None
        geoms.append(geom)
    return geoms, problems


def check_locations(geoms: list[BaseGeometry | None], shown: str,
                    study_area: BaseGeometry | None, centre: tuple[float, float] | None,
                    ) -> list[Problem]:
    """Find points out of the lon/lat range, with lat/lon swapped, or outside the study area.

    Parameters
    ----------
    geoms : list
        Points in what should be WGS84 lon/lat (None where unreadable).
    shown : str
        The file's name as messages show it.
    study_area : shapely geometry, optional
        The boundary of the study area in WGS84.
    centre : tuple of float, optional
        Where most points lie (lon, lat): used to spot swapped points when there is no boundary.

    Returns
    -------
    list of Problem
        One a misplaced point.
    """
    problems = []
    area = study_area.buffer(STUDY_AREA_MARGIN_DEG) if study_area is not None else None
    for i, g in enumerate(geoms):
        if g is None:
            continue
        x, y = g.x, g.y
        rec = f"feature {i + 1}"
        if not (-180 <= x <= 180 and -90 <= y <= 90):
            problems.append(Problem(shown, rec, "geometry", f"coordinates ({x:g}, {y:g}) are "
                                    "outside the lon/lat range: not WGS84 (projected metres?)"))
        elif area is not None and not area.contains(g):
            swapped = area.contains(shapely.Point(y, x))
            problems.append(Problem(shown, rec, "geometry", (
                f"coordinates ({x:g}, {y:g}) look swapped: write lon first, then lat"
                if swapped else f"({x:g}, {y:g}) lies outside the study area boundary")))
        elif area is None and centre is not None:
            far = abs(x - centre[0]) + abs(y - centre[1]) > 2
            if far and abs(y - centre[0]) + abs(x - centre[1]) <= 2:
                problems.append(Problem(shown, rec, "geometry", f"coordinates ({x:g}, {y:g}) "
                                        "look swapped: write lon first, then lat"))
    return problems


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    return None


def _as_float(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().replace(",", "."))  # 77,05 as Russian Excel writes
        except ValueError:
            return None
    else:
        return None
    return number if np.isfinite(number) else None


def _as_bool(value: object) -> bool | None:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    return None


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:  # 2019-13-01: the right shape, not a day
            return None
    return None


_EXPECTED = {"int": "a whole number", "float": "a number", "bool": "true or false",
             "date": "a date YYYY-MM-DD"}


def convert(field: Field, value: object) -> tuple[object, str | None]:
    """Return the typed value and None, or None and what is wrong with it.

    An optional field left empty gives None and None.
    """
    if _missing(value):
        return None, "missing value" if field.required else None
    converted: object
    if field.dtype == "int":
        converted = _as_int(value)
    elif field.dtype == "float":
        converted = _as_float(value)
    elif field.dtype == "bool":
        converted = _as_bool(value)
    elif field.dtype == "date":
        converted = _as_date(value)
    else:
        converted = str(value).strip() if not isinstance(value, (dict, list)) else None
    if converted is None:
        return None, f"expected {_EXPECTED.get(field.dtype, 'text')}, got {value!r}"
    if field.allowed is not None and converted not in field.allowed:
        allowed = ", ".join(str(a) for a in field.allowed)
        return None, f"{converted!r} is not one of: {allowed}"
    if field.minimum is not None and isinstance(converted, int) and converted < field.minimum:
        return None, f"must be >= {field.minimum}, got {converted}"
    if field.pattern is not None and not re.fullmatch(field.pattern, str(converted)):
        return None, f"{converted!r} is not valid: {field.description}"
    return converted, None


def check_fields(records: list[dict[str, Any]], layer: Layer, shown: str,
                 labels: list[str], *,
                 header: Iterable[str] | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Type every field of every record by the layer's schema, collecting what is wrong.

    Parameters
    ----------
    records : list of dict
        One dict of raw values per record.
    layer : Layer
        The schema.
    shown : str
        The file's name as messages show it.
    labels : list of str
        How messages name each record (``feature 3``, ``line 7``).
    header : iterable of str, optional
        The columns a CSV file has (a file with no rows says by its header alone what it
        lacks); the records' keys otherwise.

    Returns
    -------
    table : pandas.DataFrame
        The typed values (object columns), None where a value was wrong; one row per record.
    problems : list of Problem
        Everything that was wrong.
    """
    problems: list[Problem] = []
    if header is not None:
        present = set(header)
    else:
        present = set().union(*(r.keys() for r in records)) if records else set(layer.columns)
    columns: dict[str, list[object]] = {}
    for field in layer.fields:
        if field.name not in present:
            if field.required:  # an optional column may be left out: every value empty
                problems.append(Problem(shown, "-", field.name, "column missing"))
            columns[field.name] = [None] * len(records)
            continue
        values = []
        first_at: dict[object, str] = {}
        for rec, label in zip(records, labels, strict=True):
            value, why = convert(field, rec.get(field.name))
            if why is not None:
                problems.append(Problem(shown, label, field.name, why))
            elif value is None:
                pass  # an optional field left empty
            elif field.unique and value in first_at:
                problems.append(Problem(shown, label, field.name,
                                        f"duplicate value {value!r} (first at {first_at[value]})"))
            elif field.unique:
                first_at[value] = label
            values.append(value)
        columns[field.name] = values
    # object columns keep each value as it was typed: a None beside ints must not make them
    # floats (messages would say 500.0)
    table = pd.DataFrame({name: pd.Series(values, dtype=object)
                          for name, values in columns.items()}, columns=layer.columns)
    return table, problems


def delimiter(header: str) -> str:
    """Return a CSV header line's delimiter: ``,``, or ``;`` as Excel writes in Russian locales.

    Parameters
    ----------
    header : str
        The first line of the file.

    Returns
    -------
    str
        ``,``, ``;`` or a tab: the one the header holds most of (a comma on a tie).
    """
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: (counts[sep], sep == ","))


@dataclass
class CsvText:
    """A CSV file's rows as text, each with its line number and what is wrong with its shape."""

    sep: str  # the delimiter its header line holds
    header: list[str]
    rows: list[list[str]]
    lines: list[int]  # the line each row starts on (the header is line 1)
    shape: dict[int, str]  # row index -> why its field count is wrong


def split_csv(text: str) -> CsvText:
    """Split CSV text into rows with the csv module: ``,``, ``;`` or tab, quotes honoured.

    A row with more or fewer fields than the header is kept, its extra fields dropped or its
    missing ones empty, and named in ``shape``: its values may have slid into the wrong
    columns, so its checks cannot be trusted. Blank lines are skipped.
    """
    sep = delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    header: list[str] = []
    rows: list[list[str]] = []
    lines: list[int] = []
    shape: dict[int, str] = {}
    start = 1
    for record in reader:
        if not header:
            header = [h.strip() for h in record]
        elif any(cell.strip() for cell in record):
            if len(record) != len(header):
                shape[len(rows)] = (f"{len(record)} fields where the header has "
                                    f"{len(header)} (a value holding the separator needs "
                                    "quotes)")
            rows.append([*record[:len(header)], *[""] * (len(header) - len(record))])
            lines.append(start)
        start = reader.line_num + 1
    return CsvText(sep, header, rows, lines, shape)


def read_csv_records(path: Path, shown: str) -> tuple[list[dict[str, Any]], list[str],
                                                      list[Problem], list[str] | None]:
    """Read a CSV file as text records, with the line number of each (the header is line 1).

    Returns the records, their labels, what is wrong with the file, and its header (None
    when it could not be read).
    """
    if not path.is_file():
        return [], [], [Problem(shown, "-", "-", "file not found")], None
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[:exc.start].count(b"\n") + 1
        return [], [], [Problem(shown, f"line {line}", "-", f"not UTF-8 text (byte "
                                f"0x{exc.object[exc.start]:02x}); save the file as UTF-8")], None
    except OSError as exc:
        return [], [], [Problem(shown, "-", "-", f"cannot be read: {exc.strerror or exc}")], None
    parsed = split_csv(text)
    if not parsed.header:
        return [], [], [Problem(shown, "-", "-", "the file is empty: a CSV file starts with "
                                "its header")], None
    labels = [f"line {n}" for n in parsed.lines]
    problems = [Problem(shown, labels[i], "-", why) for i, why in parsed.shape.items()]
    records = [dict(zip(parsed.header, row, strict=True)) for row in parsed.rows]
    return records, labels, problems, parsed.header


def unknown_refs(values: Iterable[object], known: set[object], shown: str, labels: list[str],
                 field: str, what: str) -> list[Problem]:
    """Report every value that does not name a known record of another layer."""
    return [Problem(shown, label, field, f"unknown {what} {v!r}")
            for v, label in zip(values, labels, strict=True)
            if v is not None and v not in known]


def visit_refs(visits: pd.DataFrame, voters: dict[str, int], shown: str,
               labels: list[str], *, today: dt.date | None = None) -> list[Problem]:
    """Report visits of unknown households, reaching more voters than live there, or to come.

    Parameters
    ----------
    visits : pandas.DataFrame
        Typed visits (``household_id``, ``voters_reached``; None where a value was wrong).
    voters : dict
        Known household id -> its voters.
    shown : str
        The file's name as messages show it.
    labels : list of str
        How messages name each record.
    today : datetime.date, optional
        No visit is dated after it (today, UTC, by default): a date to come is a typing slip.

    Returns
    -------
    list of Problem
        In record order, the unknown household before the count.
    """
    problems = unknown_refs(visits["household_id"], set(voters), shown, labels,
                            "household_id", "household")
    last = today or dt.datetime.now(dt.UTC).date()
    for when, label in zip(visits["date"], labels, strict=True):
        day = when.date() if isinstance(when, dt.datetime) else when  # a Timestamp too
        if isinstance(day, dt.date) and day > last:
            problems.append(Problem(shown, label, "date", f"{day.isoformat()} is after today "
                                    f"({last.isoformat()}): a visit cannot be dated ahead"))
    for hid, reached, label in zip(visits["household_id"], visits["voters_reached"], labels,
                                   strict=True):
        held = voters.get(hid)
        if reached is not None and held is not None and reached > held:
            problems.append(Problem(shown, label, "voters_reached", f"{reached} is more than "
                                    f"the household's {held} voters"))
    return problems
