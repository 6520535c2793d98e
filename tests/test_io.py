"""Validation of every problem type on small broken fixtures, and the GeoPackage round trip."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest

from aksugeo import ValidationError
from aksugeo.build import build
from aksugeo.cli import main
from aksugeo.data.io import load_dataset, read_geopackage, validate

PRE = "precincts.geojson"
APT = "households/apartment_buildings.geojson"
HOUSE = "households/private_houses.geojson"
VIS = "canvass/visits.csv"
ADDR = "addresses_raw.csv"


def edit_json(root: Path, rel: str, change: Callable[[dict[str, Any]], None]) -> None:
    path = root / rel
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def prop(rel: str, i: int, key: str, value: object) -> Callable[[Path], None]:
    def run(root: Path) -> None:
        edit_json(root, rel, lambda d: d["features"][i]["properties"].__setitem__(key, value))
    return run


def geom(rel: str, i: int, value: object) -> Callable[[Path], None]:
    def run(root: Path) -> None:
        edit_json(root, rel, lambda d: d["features"][i].__setitem__("geometry", value))
    return run


def cell(rel: str, row: int, col: str, value: str) -> Callable[[Path], None]:
    def run(root: Path) -> None:
        table = pd.read_csv(root / rel, dtype=str, keep_default_na=False)
        table.loc[row, col] = value
        table.to_csv(root / rel, index=False)
    return run


def drop_column(rel: str, key: str) -> Callable[[Path], None]:
    def run(root: Path) -> None:
        edit_json(root, rel, lambda d: [f["properties"].pop(key) for f in d["features"]])
    return run


def set_crs(root: Path) -> None:
    edit_json(root, PRE, lambda d: d.__setitem__(
        "crs", {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32643"}}))


def write(rel: str, text: str) -> Callable[[Path], None]:
    def run(root: Path) -> None:
        (root / rel).write_text(text, encoding="utf-8")
    return run


def remove(rel: str) -> Callable[[Path], None]:
    return lambda root: (root / rel).unlink()


# (mutation, file, record, field, message start)
CASES = {
    "unknown precinct": (prop(APT, 0, "precinct_id", 999), APT, "feature 1", "precinct_id",
                         "unknown precinct 999 (not in"),
    "duplicate precinct id": (prop(PRE, 1, "precinct_id", 560), PRE, "feature 2", "precinct_id",
                              "duplicate value 560 (first at feature 1)"),
    "duplicate household id across files": (
        prop(HOUSE, 0, "household_id", "AB-0001"), HOUSE, "feature 1", "household_id",
        "duplicate value 'AB-0001' (also in"),
    "duplicate household id in a file": (
        prop(APT, 1, "household_id", "AB-0001"), APT, "feature 2", "household_id",
        "duplicate value 'AB-0001' (first at feature 1)"),
    "missing geometry": (geom(APT, 2, None), APT, "feature 3", "geometry", "missing geometry"),
    "empty geometry": (geom(PRE, 0, {"type": "Point", "coordinates": []}), PRE, "feature 1",
                       "geometry", "empty geometry"),
    "broken geometry": (geom(PRE, 0, {"type": "Point", "coordinates": ["a", "b"]}), PRE,
                        "feature 1", "geometry", "invalid geometry"),
    "not a point": (geom(HOUSE, 0, {"type": "Polygon", "coordinates": [
        [[76.9, 52.0], [76.91, 52.0], [76.91, 52.01], [76.9, 52.0]]]}), HOUSE, "feature 1",
        "geometry", "expected a Point, got a Polygon"),
    "projected coordinates": (geom(HOUSE, 1, {"type": "Point", "coordinates": [630100, 5767200]}),
                              HOUSE, "feature 2", "geometry",
                              "coordinates (630100, 5.7672e+06) are outside the lon/lat range"),
    "swapped lat/lon": (geom(APT, 0, {"type": "Point", "coordinates": [52.04, 76.92]}), APT,
                        "feature 1", "geometry", "coordinates (52.04, 76.92) look swapped"),
    "outside the study area": (geom(PRE, 1, {"type": "Point", "coordinates": [71.4, 51.1]}),
                               PRE, "feature 2", "geometry",
                               "(71.4, 51.1) lies outside the study area boundary"),
    "wrong CRS": (set_crs, PRE, "-", "crs", "CRS is EPSG:32643; expected WGS84 lon/lat"),
    "negative voters": (prop(HOUSE, 2, "voters", -3), HOUSE, "feature 3", "voters",
                        "must be >= 0, got -3"),
    "voters not a number": (prop(APT, 1, "voters", "many"), APT, "feature 2", "voters",
                            "expected a whole number, got 'many'"),
    "precinct voters not its households' sum": (
        prop(PRE, 0, "voters", 352), PRE, "feature 1", "voters",
        "is 352 but the precinct's households hold 351 voters"),
    "kind in the wrong file": (prop(APT, 0, "kind", "private"), APT, "feature 1", "kind",
                               "'private' in the file of apartment buildings"),
    "unknown area type": (prop(PRE, 1, "area_type", "town"), PRE, "feature 2", "area_type",
                          "'town' is not one of: urban, rural"),
    "bool that is not": (prop(PRE, 0, "con_desk", "maybe"), PRE, "feature 1", "con_desk",
                         "expected true or false, got 'maybe'"),
    "malformed KATO": (prop(PRE, 0, "kato", "5516"), PRE, "feature 1", "kato",
                       "'5516' is not valid"),
    "KATO not in the classifier": (prop(PRE, 1, "kato", "551699999"), PRE, "feature 2", "kato",
                                   "KATO code 551699999 is not in"),
    "unknown district": (prop(PRE, 1, "district", "Нет такого с.о."), PRE, "feature 2",
                         "district", "'Нет такого с.о.' is neither 'city' nor a rural district"),
    "column missing": (drop_column(PRE, "voters"), PRE, "-", "voters", "column missing"),
    "visit of an unknown household": (cell(VIS, 0, "household_id", "PH-99999"), VIS, "line 2",
                                      "household_id", "unknown household 'PH-99999'"),
    "date that does not parse": (cell(VIS, 1, "date", "2019-13-01"), VIS, "line 3", "date",
                                 "expected a date YYYY-MM-DD, got '2019-13-01'"),
    "date in another format": (cell(VIS, 2, "date", "27.05.2019"), VIS, "line 4", "date",
                               "expected a date YYYY-MM-DD, got '27.05.2019'"),
    "unknown outcome": (cell(VIS, 3, "outcome", "maybe"), VIS, "line 5", "outcome",
                        "'maybe' is not one of: talked, not_home, refused"),
    "unknown wave": (cell(VIS, 4, "wave", "3"), VIS, "line 6", "wave", "3 is not one of: 1, 2"),
    "negative visit count": (cell(VIS, 0, "voters_reached", "-1"), VIS, "line 2",
                             "voters_reached", "must be >= 0, got -1"),
    "more voters reached than live there": (
        cell(VIS, 1, "voters_reached", "50"), VIS, "line 3", "voters_reached",
        "50 is more than the household's"),
    "duplicate visit id": (cell(VIS, 1, "visit_id", "V000331"), VIS, "line 3", "visit_id",
                           "duplicate value 'V000331' (first at line 2)"),
    "address of an unknown household": (cell(ADDR, 0, "household_id", "XX-1"), ADDR, "line 2",
                                        "household_id", "unknown household 'XX-1'"),
    "missing file": (remove(VIS), VIS, "-", "-", "file not found"),
    "not JSON": (write(PRE, '{"type": "FeatureCollection", "features": [}'), PRE, "line 1", "-",
                 "not valid JSON"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_problem_is_named(case: str, mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mutate, rel, record, field, message = CASES[case]
    mutate(mini)
    code = main(["validate", str(mini)])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    expected = f"{(mini / rel).as_posix()}:{record}:{field}: {message}"
    assert any(line.startswith(expected) for line in out), (expected, out)


def test_valid_fixture_passes(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(mini)]) == 0
    assert "valid (2 precincts, 6 households, 5 visits)" in capsys.readouterr().out


def test_every_problem_is_listed_not_only_the_first(mini: Path) -> None:
    prop(HOUSE, 2, "voters", -3)(mini)
    cell(VIS, 1, "date", "2019-13-01")(mini)
    cell(VIS, 3, "outcome", "maybe")(mini)
    geom(APT, 2, None)(mini)
    with pytest.raises(ValidationError) as info:
        load_dataset(mini)
    fields = sorted((Path(p.file).name, p.record, p.field) for p in info.value.problems)
    # the house's -3 voters also unbalance its precinct's total: a second, real problem
    assert fields == [
        ("apartment_buildings.geojson", "feature 3", "geometry"),
        ("precincts.geojson", "feature 2", "voters"),
        ("private_houses.geojson", "feature 3", "voters"),
        ("visits.csv", "line 3", "date"),
        ("visits.csv", "line 5", "outcome"),
    ]


def test_build_refuses_bad_data_and_writes_nothing(mini: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    cell(VIS, 1, "date", "2019-13-01")(mini)
    assert main(["build", str(mini), "--out", str(tmp_path / "out")]) == 1
    assert not (tmp_path / "out" / "aksugeo.gpkg").exists()
    assert "nothing was written" in capsys.readouterr().err


def test_geopackage_round_trip(mini: Path, tmp_path: Path) -> None:
    report = build(mini, tmp_path / "out")
    ds = report.dataset
    layers = dict(pyogrio.list_layers(report.gpkg))
    # no passports.csv in the fixture: no accessibility layers
    assert sorted(layers) == ["access_by_precinct", "blocks", "boundary", "catchments",
                              "closer_precinct", "coverage", "coverage_by_day",
                              "coverage_by_precinct", "gaps", "households", "isochrones",
                              "isochrones_reduced", "isochrones_wheelchair", "precincts",
                              "visits"]
    assert layers["visits"] is None  # an attribute table, no geometry
    precincts = read_geopackage(report.gpkg, "precincts")
    assert isinstance(precincts, gpd.GeoDataFrame)
    assert precincts.crs.to_epsg() == 4326
    pd.testing.assert_frame_equal(
        precincts[ds.precincts.columns].drop(columns="geometry").reset_index(drop=True),
        pd.DataFrame(ds.precincts.drop(columns="geometry")).reset_index(drop=True),
        check_dtype=False)
    assert np.allclose(precincts.geometry.get_coordinates(),
                       ds.precincts.geometry.get_coordinates())
    households = read_geopackage(report.gpkg, "households")
    assert households["household_id"].tolist() == ds.households["household_id"].tolist()
    assert households["voters"].sum() == ds.households["voters"].sum() == 356
    # as of the last visit (22 May), AB-0003 and the three houses were visited
    covered = dict(zip(households["household_id"], households["covered"], strict=True))
    assert [h for h, c in covered.items() if c] == ["AB-0003", "PH-01616", "PH-01617",
                                                    "PH-01618"]
    visits = read_geopackage(report.gpkg, "visits")
    assert not isinstance(visits, gpd.GeoDataFrame)
    assert visits["visit_id"].tolist() == ds.visits["visit_id"].tolist()
    days = pd.to_datetime(visits["date"]).dt.strftime("%Y-%m-%d").tolist()
    assert days == ["2019-05-13", "2019-05-19", "2019-05-20", "2019-05-20",
                                       "2019-05-22"]
    meta = pyogrio.read_info(report.gpkg, layer="precincts")["layer_metadata"]
    assert meta["synthetic"] == "True"


def test_missing_geopackage_layer_is_a_clear_error(tmp_path: Path, mini: Path) -> None:
    report = build(mini, tmp_path / "out")
    with pytest.raises(Exception, match="no layer 'turfs'"):
        read_geopackage(report.gpkg, "turfs")
    problems = validate(tmp_path / "nowhere")[1]
    expected = f"{(tmp_path / 'nowhere').as_posix()}:-:-: data directory not found"
    assert [str(p) for p in problems] == [expected]


def test_excel_semicolon_csv_is_read(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = pd.read_csv(mini / VIS, dtype=str)
    table.to_csv(mini / VIS, sep=";", index=False)
    assert main(["validate", str(mini)]) == 0
    assert "5 visits" in capsys.readouterr().out


def test_cp1251_csv_gets_a_clear_message(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (mini / ADDR).read_text(encoding="utf-8")
    (mini / ADDR).write_bytes(text.encode("cp1251"))
    assert main(["validate", str(mini)]) == 1
    out = capsys.readouterr().out
    assert f"{(mini / ADDR).as_posix()}:line 2:-: not UTF-8 text (byte 0x" in out
    assert "save the file as UTF-8" in out
