"""Load and validate a data directory; write and read the GeoPackage of results.

:func:`load_dataset` reads every layer of :mod:`aksugeo.data.schema`, checks each record and every
cross-reference, and either returns a :class:`Dataset` or raises a
:class:`~aksugeo.ValidationError` that lists all the problems found.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from aksugeo._errors import AksugeoError, Problem, ValidationError
from aksugeo.data import _validate as v
from aksugeo.data.passports import read_passports
from aksugeo.data.projection import metric_crs
from aksugeo.data.schema import (
    ADDRESSES_RAW,
    CANDIDATE_SITES,
    HOUSEHOLD_LAYERS,
    NETWORK_DIR,
    NETWORK_SUFFIXES,
    PASSPORT_REMEDIES,
    PASSPORTS,
    PRECINCTS,
    REFERENCE_DIR,
    STREET_RENAMES,
    VISITS,
    WGS84,
    Layer,
)


@dataclass
class Dataset:
    """The validated layers of a data directory, in WGS84.

    Attributes
    ----------
    data_dir : Path
        Where the layers were read from.
    precincts : geopandas.GeoDataFrame
        One row per precinct, typed by the schema.
    households : geopandas.GeoDataFrame
        Apartment buildings then private houses, one row each.
    visits : pandas.DataFrame
        The visit log; ``date`` as ``datetime64``.
    addresses : pandas.DataFrame or None
        Raw addresses, when the file exists.
    boundary : geopandas.GeoDataFrame or None
        The study area, when ``reference/`` holds a boundary.
    metadata : dict
        The ``metadata`` member of the precincts file (source, synthetic flag).
    passports : pandas.DataFrame or None
        The accessibility passports, one row a precinct, when ``passports.csv`` exists;
        ``inspected_on`` as ``datetime64``, optional numbers as nullable integers or floats.
    remedies : pandas.DataFrame or None
        The remedies of failed passport items (empty when the file is missing).
    candidates : geopandas.GeoDataFrame or None
        Public buildings that could host a precinct, when ``candidate_sites.geojson`` exists.
    renames : pandas.DataFrame or None
        Streets renamed (``street_renames.csv``: ``settlement``, ``old_name``, ``new_name``,
        ``renamed_on``), when the file exists.
    """

    data_dir: Path
    precincts: gpd.GeoDataFrame
    households: gpd.GeoDataFrame
    visits: pd.DataFrame
    addresses: pd.DataFrame | None = None
    boundary: gpd.GeoDataFrame | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    passports: pd.DataFrame | None = None
    remedies: pd.DataFrame | None = None
    candidates: gpd.GeoDataFrame | None = None
    renames: pd.DataFrame | None = None

    @property
    def metric_crs(self) -> CRS:
        """The UTM CRS of the data's centre, for work in metres."""
        return metric_crs(self.households if len(self.households) else self.precincts)

    @property
    def network_path(self) -> Path | None:
        """The street network file in ``network/``, if there is one."""
        folder = self.data_dir / NETWORK_DIR
        found = sorted(p for p in folder.glob("*") if p.name.endswith(NETWORK_SUFFIXES))
        return found[0] if found else None

    @property
    def synthetic(self) -> bool:
        """Whether the data set says it is synthetic."""
        return bool(self.metadata.get("synthetic", False))


def _shown(data_dir: Path, layer: Layer) -> str:
    return (data_dir / layer.path).as_posix()


def _boundary(data_dir: Path) -> tuple[gpd.GeoDataFrame | None, list[Problem]]:
    found = sorted((data_dir / REFERENCE_DIR).glob("*boundary*.geojson"))
    if not found:
        return None, []
    try:
        gdf = gpd.read_file(found[0])
    except (pyogrio.errors.DataSourceError, ValueError) as exc:
        return None, [Problem(found[0].as_posix(), "-", "-", f"unreadable boundary: {exc}")]
    return gdf.to_crs(WGS84) if gdf.crs is not None else gdf.set_crs(WGS84), []


def _kato_codes(data_dir: Path) -> dict[str, str] | None:
    found = sorted((data_dir / REFERENCE_DIR).glob("kato*.csv"))
    if not found:
        return None
    with found[0].open(encoding="utf-8-sig") as fh:
        return {row["code"]: row["name"] for row in csv.DictReader(fh, delimiter=";")}


def _point_layer(data_dir: Path, layer: Layer, study_area: BaseGeometry | None,
                 ) -> tuple[gpd.GeoDataFrame, list[str], dict[str, Any], list[Problem]]:
    shown = _shown(data_dir, layer)
    feats, head, problems = v.read_geojson(data_dir / layer.path, shown)
    problems += v.check_crs(head, shown)
    labels = [f"feature {i + 1}" for i in range(len(feats))]
    props = [f.get("properties") or {} for f in feats]
    table, found = v.check_fields(props, layer, shown, labels)
    problems += found
    geoms, found = v.read_geometries(feats, shown, layer.geometry or "Point")
    problems += found
    if not any(p.field == "crs" for p in problems):
        pts = [g for g in geoms if g is not None]
        centre = None
        if pts:
            xs = sorted(g.x for g in pts)
            ys = sorted(g.y for g in pts)
            centre = (xs[len(xs) // 2], ys[len(ys) // 2])
        problems += v.check_locations(geoms, shown, study_area, centre)
    gdf = gpd.GeoDataFrame(table, geometry=gpd.GeoSeries(geoms, crs=WGS84))
    return gdf, labels, head.get("metadata") or {}, problems


def _check_precincts(precincts: gpd.GeoDataFrame, labels: list[str], shown: str,
                     kato: dict[str, str] | None, kato_file: str) -> list[Problem]:
    if kato is None:
        return []
    problems = []
    districts = {name for code, name in kato.items() if code.endswith("000")}
    for code, district, label in zip(precincts["kato"], precincts["district"], labels,
                                     strict=True):
        if code is not None and code not in kato:
            problems.append(Problem(shown, label, "kato", f"KATO code {code} is not in "
                                    f"{kato_file}"))
        if district is not None and district != "city" and district not in districts:
            problems.append(Problem(shown, label, "district", f"{district!r} is neither 'city' "
                                    f"nor a rural district of {kato_file}"))
    return problems


def _file_level(p: Problem) -> bool:
    """Whether a problem is with a file as a whole (unreadable, empty), not one record."""
    return p.field == "-"


def _unreadable(found: list[Problem]) -> bool:
    return any(_file_level(p) for p in found)


def _check_households(households: gpd.GeoDataFrame, labels: list[str], shown: list[str],
                      precincts: gpd.GeoDataFrame | None, plabels: list[str],
                      pshown: str) -> list[Problem]:
    problems = []
    first: dict[object, tuple[str, str]] = {}
    known = set(precincts["precinct_id"].dropna()) if precincts is not None else None
    for hid, kind, pid, want, label, where in zip(
            households["household_id"], households["kind"], households["precinct_id"],
            households["_file_kind"], labels, shown, strict=True):
        if kind is not None and kind != want:
            problems.append(Problem(where, label, "kind", f"{kind!r} in the file of "
                                    f"{HOUSEHOLD_LAYERS[want].description.lower()}"))
        if pid is not None and known is not None and pid not in known:
            problems.append(Problem(where, label, "precinct_id", f"unknown precinct {pid} "
                                    f"(not in {pshown})"))
        if hid is not None and hid in first and first[hid][0] != where:
            # duplicates within one file are the field check's; this catches them across files
            problems.append(Problem(where, label, "household_id", f"duplicate value {hid!r} "
                                    f"(also in {first[hid][0]} {first[hid][1]})"))
        elif hid is not None:
            first.setdefault(hid, (where, label))
    if precincts is None:
        return problems
    sums = households.groupby("precinct_id")["voters"].sum()
    for pid, voters, label in zip(precincts["precinct_id"], precincts["voters"], plabels,
                                  strict=True):
        held = int(sums.get(pid, 0))
        if pid is not None and voters is not None and voters != held:
            problems.append(Problem(pshown, label, "voters", f"is {voters} but the precinct's "
                                    f"households hold {held} voters"))
    return problems


def _optional_layers(data_dir: Path, area: BaseGeometry | None,
                     ) -> tuple[gpd.GeoDataFrame | None, pd.DataFrame | None, list[Problem]]:
    """Read the candidate sites and the renames table, where the data directory has them."""
    candidates, renames, problems = None, None, []
    if (data_dir / CANDIDATE_SITES.path).is_file():
        candidates, _, _, found = _point_layer(data_dir, CANDIDATE_SITES, area)
        problems += found
    if renames_in(data_dir) is not None:
        renames, _, found = _csv_layer(data_dir, STREET_RENAMES)
        problems += found
    return candidates, renames, problems


def renames_in(data_dir: str | Path) -> Path | None:
    """Return a data directory's renames table (``street_renames.csv``), None when it has none."""
    path = Path(data_dir) / STREET_RENAMES.path
    return path if path.is_file() else None


def read_renames(path: str | Path) -> pd.DataFrame:
    """Read a renames table (:data:`aksugeo.data.schema.STREET_RENAMES`), checked field by field.

    Parameters
    ----------
    path : str or Path
        The CSV file (``settlement``, ``old_name``, ``new_name``, ``renamed_on``).

    Returns
    -------
    pandas.DataFrame
        One row a rename; empty optional cells as None.

    Raises
    ------
    ValidationError
        Naming the file, line and field of every problem.
    """
    path = Path(path)
    if not path.is_file():
        raise AksugeoError(f"{path}: file not found")
    table, _, problems = _csv_layer(path.parent, replace(STREET_RENAMES, path=path.name))
    if problems:
        raise ValidationError(problems)
    return table


def _csv_layer(data_dir: Path, layer: Layer) -> tuple[pd.DataFrame, list[str], list[Problem]]:
    shown = _shown(data_dir, layer)
    records, labels, problems, header = v.read_csv_records(data_dir / layer.path, shown)
    if header is None:  # unreadable: said once, and no column is reported missing for it
        header = list(layer.columns)
    table, found = v.check_fields(records, layer, shown, labels, header=header)
    return table, labels, problems + found


def validate(data_dir: str | Path) -> tuple[Dataset | None, list[Problem]]:
    """Read and check every layer of a data directory, collecting every problem.

    Parameters
    ----------
    data_dir : str or Path
        The data directory (see :mod:`aksugeo.data.schema` for its layout).

    Returns
    -------
    dataset : Dataset or None
        The layers, None when there were problems.
    problems : list of Problem
        Every problem found, in file and record order.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return None, [Problem(data_dir.as_posix(), "-", "-", "data directory not found")]
    boundary, problems = _boundary(data_dir)
    area = boundary.union_all() if boundary is not None else None
    precincts, plabels, meta, found = _point_layer(data_dir, PRECINCTS, area)
    problems += found
    # an unreadable file is said once; what refers to it is not checked against it (a cut-off
    # precincts file once buried its one line under 6,555 "unknown precinct" lines)
    precincts_read = not _unreadable(found)
    kato = _kato_codes(data_dir)
    problems += _check_precincts(precincts, plabels, _shown(data_dir, PRECINCTS), kato,
                                 f"{REFERENCE_DIR}/kato*.csv")
    parts, hlabels, hshown = [], [], []
    households_read = True
    for kind, layer in HOUSEHOLD_LAYERS.items():
        gdf, labels, _, found = _point_layer(data_dir, layer, area)
        problems += found
        households_read &= not _unreadable(found)
        parts.append(gdf.assign(_file_kind=kind))
        hlabels += labels
        hshown += [_shown(data_dir, layer)] * len(gdf)
    households = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=WGS84)
    problems += _check_households(households, hlabels, hshown,
                                  precincts if precincts_read and households_read else None,
                                  plabels, _shown(data_dir, PRECINCTS))
    households = households.drop(columns="_file_kind")
    voters = dict(zip(households["household_id"], households["voters"], strict=True))
    visits, vlabels, found = _csv_layer(data_dir, VISITS)
    problems += found
    vshown = _shown(data_dir, VISITS)
    if households_read:
        problems += v.visit_refs(visits, voters, vshown, vlabels)
    addresses = None
    if (data_dir / ADDRESSES_RAW.path).is_file():
        addresses, alabels, found = _csv_layer(data_dir, ADDRESSES_RAW)
        problems += found
        if households_read:
            problems += v.unknown_refs(addresses["household_id"], set(voters),
                                       _shown(data_dir, ADDRESSES_RAW), alabels,
                                       "household_id", "household")
    passports, remedies, found = read_passports(data_dir, precincts if precincts_read else None,
                                                _shown(data_dir, PRECINCTS))
    problems += found
    candidates, renames, found = _optional_layers(data_dir, area)
    problems += found
    if problems:  # an unreadable file first, then by file and record
        return None, sorted(set(problems), key=lambda p: (not _file_level(p), p.file,
                                                          _num(p.record), p.field))
    precincts = precincts.astype({"precinct_id": "int64", "voters": "int64", "con_desk": bool,
                                  "accessible_booth": bool})
    households = households.astype({"precinct_id": "int64", "voters": "int64",
                                    "dwellings": "int64"})
    visits = visits.astype({"wave": "int64", "voters_reached": "int64"})
    visits["date"] = pd.to_datetime(visits["date"])
    if passports is not None:
        passports = _typed(passports, PASSPORTS)
        remedies = _typed(remedies, PASSPORT_REMEDIES) if remedies is not None else None
    return Dataset(data_dir, precincts, households, visits, addresses, boundary, meta,
                   passports, remedies, candidates, renames), []


_DTYPES: dict[str, Any] = {"int": "Int64", "float": "Float64", "bool": "boolean", "str": object}


def _typed(table: pd.DataFrame, layer: Layer) -> pd.DataFrame:
    """Give a checked table's object columns their schema types (nullable where optional)."""
    out = table.copy()
    for f in layer.fields:
        if f.dtype == "date":
            out[f.name] = pd.to_datetime(out[f.name])
        elif f.dtype == "bool" and f.required:
            out[f.name] = out[f.name].astype(bool)
        elif f.dtype == "int" and f.required:
            out[f.name] = out[f.name].astype("int64")
        else:
            out[f.name] = out[f.name].astype(_DTYPES[f.dtype])
    return out


def _num(record: str) -> int:
    digits = "".join(ch for ch in record if ch.isdigit())
    return int(digits) if digits else -1


def load_dataset(data_dir: str | Path) -> Dataset:
    """Load a data directory, validated.

    Parameters
    ----------
    data_dir : str or Path
        The data directory.

    Returns
    -------
    Dataset
        The typed layers in WGS84.

    Raises
    ------
    ValidationError
        Listing every problem found, when there is any.
    """
    dataset, problems = validate(data_dir)
    if problems or dataset is None:
        raise ValidationError(problems)
    return dataset


def write_geopackage(layers: dict[str, pd.DataFrame], path: str | Path, *,
                     metadata: dict[str, Any] | None = None,
                     finalize: Callable[[Path], None] | None = None) -> Path:
    """Write tables and GeoDataFrames as the layers of one GeoPackage, replacing the file.

    Parameters
    ----------
    layers : dict
        Layer name -> GeoDataFrame (a spatial layer) or DataFrame (an attribute table), written
        in order.
    path : str or Path
        The ``.gpkg`` file.
    metadata : dict, optional
        Stored with every layer (``source``, ``synthetic``).
    finalize : callable, optional
        Called with the temporary file once the layers are in, before it replaces ``path``
        (to add tables GDAL does not write, such as the visit log).

    Returns
    -------
    Path
        The file written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # a name of its own (two writers never share one), removed if anything fails
    handle, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".partial.gpkg",
                                    dir=path.parent)
    os.close(handle)
    tmp = Path(name)
    tmp.unlink()  # GDAL creates the file itself
    try:
        _write_layers(layers, tmp, metadata, finalize)
        tmp.replace(path)  # readers never see a half-written file
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _write_layers(layers: dict[str, pd.DataFrame], tmp: Path, metadata: dict[str, Any] | None,
                  finalize: Callable[[Path], None] | None) -> None:
    meta = {k: str(val) for k, val in (metadata or {}).items()}
    for name, table in layers.items():
        frame = table.copy()
        for col in frame.columns:
            if pd.api.types.is_datetime64_any_dtype(frame[col]):
                frame[col] = frame[col].dt.strftime("%Y-%m-%d")
        if isinstance(frame, gpd.GeoDataFrame):
            frame.to_file(tmp, layer=name, driver="GPKG", engine="pyogrio", metadata=meta)
        else:
            pyogrio.write_dataframe(frame, tmp, layer=name, driver="GPKG", metadata=meta)
    if finalize is not None:
        finalize(tmp)


#: What a spreadsheet takes a cell starting with as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: object) -> object:
    """Return a text cell a spreadsheet would read as a formula with a ``'`` before it.

    Numbers and other values pass as they are: a negative number stays a number.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(frame: pd.DataFrame, *, sep: str = ",") -> str:
    """Return a table as CSV text, every text cell a spreadsheet would run as a formula neutralised.

    Every CSV the toolkit writes for people to open (walk lists, rejected and orphaned rows,
    the dashboard's downloads) goes through here: a clerk's ``=HYPERLINK(...)`` or
    ``=cmd|' /C calc'!A0`` arrives in the spreadsheet as text. ``sep=";"`` writes what Excel
    set to Russian or Kazakh opens in columns.
    """
    out = frame.copy()
    out.columns = [neutralised(str(c)) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralised)
    # lines end in CRLF, as RFC 4180 has it: a cell holding a bare CR is then quoted too
    return str(out.to_csv(index=False, sep=sep, lineterminator="\r\n"))


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """Return tables as an Excel workbook, one sheet each, every text cell kept as text.

    A text cell is written as a string even when it starts with ``=`` (openpyxl would store a
    formula): what a clerk typed stays what the reader sees (less the control characters an
    XML file cannot hold; line ends written as LF). Headers bold, frozen and
    filterable; columns wide enough for their text (up to 60 characters).

    Parameters
    ----------
    sheets : mapping of str to pandas.DataFrame
        Sheet name (cut to Excel's 31 characters) -> table.
    """
    from openpyxl import Workbook  # noqa: PLC0415  (only the downloads need it)
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # noqa: PLC0415
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, frame in sheets.items():
        sheet = book.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", name)[:31] or "sheet")
        sheet.append([str(c) for c in frame.columns])
        for values in frame.itertuples(index=False):
            sheet.append([None if _missing(v) else v.item() if hasattr(v, "item")
                          else _cell_text(v, ILLEGAL_CHARACTERS_RE) if isinstance(v, str) else v
                          for v in values])
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, never a formula
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for i, column in enumerate(frame.columns, start=1):
            longest = max([len(str(column)), *(len(str(v)) for v in frame[column].head(500))])
            sheet.column_dimensions[get_column_letter(i)].width = min(longest + 2, 60)
        sheet.freeze_panes = "A2"
        if len(frame.columns):
            sheet.auto_filter.ref = sheet.dimensions
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _cell_text(value: str, illegal: re.Pattern[str]) -> str:
    """Return text as a workbook keeps it: line ends as LF (XML reads CR so), no control bytes."""
    return illegal.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False


def write_csv(frame: pd.DataFrame, path: str | Path, *, encoding: str = "utf-8") -> Path:
    """Write :func:`csv_text` to ``path`` (``utf-8-sig``: with a BOM, for Excel and Cyrillic)."""
    Path(path).write_text(csv_text(frame), encoding=encoding, newline="")
    return Path(path)


def existing_gpkg(path: str | Path) -> Path:
    """Return ``path`` as a Path when the file is there; else the one error for a missing build."""
    path = Path(path)
    if not path.is_file():
        raise AksugeoError(f"{path}: no such GeoPackage; run `aksugeo build` first")
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise AksugeoError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if head != b"SQLite format 3\x00":  # every GeoPackage is an SQLite database
        raise AksugeoError(f"{path}: not a GeoPackage (not an SQLite database); give the file "
                           "`aksugeo build` wrote")
    return path


def read_geopackage(path: str | Path, layer: str) -> pd.DataFrame:
    """Read one layer of a GeoPackage written by :func:`write_geopackage`.

    Parameters
    ----------
    path : str or Path
        The ``.gpkg`` file.
    layer : str
        The layer's name.

    Returns
    -------
    geopandas.GeoDataFrame or pandas.DataFrame
        A GeoDataFrame for a spatial layer, a DataFrame for an attribute table.

    Raises
    ------
    AksugeoError
        When the file or the layer does not exist.
    """
    path = existing_gpkg(path)
    with damaged(path, layer):
        names = [str(n) for n, _ in pyogrio.list_layers(path)]
        if layer not in names:
            raise AksugeoError(f"{path}: no layer {layer!r} (it has: {', '.join(names)})")
        info = pyogrio.read_info(path, layer=layer)
        if info["geometry_type"] is None:
            return pyogrio.read_dataframe(path, layer=layer, read_geometry=False)
        return gpd.read_file(path, layer=layer, engine="pyogrio")


#: What to do about a damaged GeoPackage
DAMAGED = ("the file is damaged: build it again with `aksugeo build` (keep a copy first: the "
           "imported visits are in it)")
#: What GDAL and SQLite raise on a damaged file
# a damaged file: what GDAL and SQLite say, and text in it that is no longer UTF-8
_DAMAGE = (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError,
           pyogrio.errors.FieldError, pyogrio.errors.GeometryError, pyogrio.errors.FeatureError,
           sqlite3.DatabaseError, UnicodeDecodeError)


@contextlib.contextmanager
def damaged(path: Path, what: str) -> Iterator[None]:
    """Turn GDAL's or SQLite's error on a damaged GeoPackage into one that names the file.

    Raises
    ------
    AksugeoError
        ``<file>: <what> cannot be read (<the library's words>); the file is damaged: build it
        again with `aksugeo build` (imported visits live in it: keep a copy first)``.
    """
    try:
        yield
    except _DAMAGE as exc:
        raise AksugeoError(f"{path}: {what!r} cannot be read ({exc}); {DAMAGED}") from None


def read_spatial(path: str | Path, layer: str) -> gpd.GeoDataFrame:
    """Read one spatial layer of a GeoPackage written by :func:`write_geopackage`.

    Parameters
    ----------
    path : str or Path
        The ``.gpkg`` file.
    layer : str
        The layer's name.

    Returns
    -------
    geopandas.GeoDataFrame
        The layer.

    Raises
    ------
    AksugeoError
        When the file or the layer does not exist, or the layer has no geometry.
    """
    frame = read_geopackage(path, layer)
    if not isinstance(frame, gpd.GeoDataFrame):
        raise AksugeoError(f"{path}: layer {layer!r} has no geometry; rebuild with aksugeo "
                           "build")
    return frame


def read_metadata(path: str | Path, layer: str = "precincts") -> dict[str, str]:
    """Return the metadata :func:`write_geopackage` stored with a layer (source, synthetic flag).

    Parameters
    ----------
    path : str or Path
        The ``.gpkg`` file.
    layer : str
        The layer whose metadata to read.

    Returns
    -------
    dict
        Key -> value, as text.
    """
    info = pyogrio.read_info(path, layer=layer)
    return {str(k): str(val) for k, val in (info.get("layer_metadata") or {}).items()}


def read_table(path: str | Path) -> tuple[pd.DataFrame, str]:
    """Read a CSV (or XLSX) table as text, whatever Excel or a clerk saved it as.

    UTF-8 (with or without a byte-order mark) or, failing that, Windows-1251; comma,
    semicolon or tab separated. Every cell is kept as text; no row is dropped.

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    table : pandas.DataFrame
        The rows, all columns as strings.
    note : str
        How the file was read, when it was not plain UTF-8 (``read as Windows-1251``).

    Raises
    ------
    AksugeoError
        When the file is missing, empty or not a table.
    """
    path = Path(path)
    if not path.is_file():
        raise AksugeoError(f"{path}: file not found")
    if path.suffix.lower() in (".xlsx", ".xls"):
        try:
            return pd.read_excel(path, dtype=str, keep_default_na=False), ""
        except (ValueError, ImportError) as exc:
            raise AksugeoError(f"{path}: not a readable spreadsheet ({exc})") from exc
    raw = path.read_bytes()
    if not raw.strip():
        raise AksugeoError(f"{path}: the file is empty")
    note = ""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text, note = raw.decode("cp1251"), "read as Windows-1251 (not UTF-8)"
        except UnicodeDecodeError as exc:
            line = raw[:exc.start].count(b"\n") + 1
            raise AksugeoError(f"{path}: line {line}: byte 0x{raw[exc.start]:02x} is neither "
                               "UTF-8 nor Windows-1251 text; save the file as CSV UTF-8"
                               ) from None
    parsed = v.split_csv(text)
    if not parsed.header:
        raise AksugeoError(f"{path}: not a CSV table (a header line, then rows)")
    table = pd.DataFrame(parsed.rows, columns=parsed.header, dtype=str)
    table.attrs["lines"] = parsed.lines  # for messages: the line of each row
    table.attrs["shape"] = parsed.shape  # rows whose field count is wrong, and why
    if parsed.sep != ",":
        note = "; ".join(filter(None, [note, f"separated by {parsed.sep!r}"]))
    return table, note


VISIT_LOG = "visits"  # the table of the visit log in a build's GeoPackage


def read_visit_log(path: str | Path, *, timeout_s: float = 30.0) -> pd.DataFrame:
    """Return the visit log of a build's GeoPackage, ``date`` as ``datetime64``.

    Parameters
    ----------
    path : str or Path
        The GeoPackage.
    timeout_s : float
        How long to wait for a writer (an import) to finish.

    Returns
    -------
    pandas.DataFrame
        One row per visit, in the order they were logged.

    Raises
    ------
    AksugeoError
        When the file is missing or has no visit log.
    """
    path = existing_gpkg(path)
    with damaged(path, VISIT_LOG):
        con = sqlite3.connect(path, timeout=timeout_s)
        try:
            if not con.execute("SELECT 1 FROM sqlite_master WHERE name=?",
                               (VISIT_LOG,)).fetchone():
                raise AksugeoError(f"{path}: no {VISIT_LOG!r} table; run `aksugeo build` first")
            frame = pd.read_sql_query(f'SELECT * FROM "{VISIT_LOG}" ORDER BY fid',  # noqa: S608
                                      con)
        finally:
            con.close()
    frame = frame.drop(columns="fid")
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.astype({"wave": "int64", "voters_reached": "int64"})
