"""The public export: RFC 7946, the schemas' whitelist, no household-level data, small counts."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import jsonschema
import numpy as np
import pytest
import shapely
from shapely.geometry import shape

from aksugeo.build import BuildReport
from aksugeo.cli import main
from aksugeo.data.io import Dataset, read_geopackage
from aksugeo.passport.public import MIN_COUNT, WHITELIST, export_public

LAYERS = ("precincts", "isochrones", "catchments", "coverage_blocks")


@pytest.fixture(scope="module")
def public(shipped_build: BuildReport, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("public")
    assert main(["export", "public", "--db", str(shipped_build.gpkg), "--out", str(out)]) == 0
    return out


def load(public: Path, layer: str) -> dict[str, Any]:
    return json.loads((public / f"{layer}.geojson").read_text(encoding="utf-8"))


def positions(coords: Any) -> list[list[float]]:
    if isinstance(coords[0], (int, float)):
        return [coords]
    return [p for c in coords for p in positions(c)]


def polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    return []


@pytest.mark.parametrize("layer", LAYERS)
def test_layers_are_rfc7946(public: Path, layer: str) -> None:
    doc = load(public, layer)
    assert doc["type"] == "FeatureCollection"
    assert "crs" not in doc  # RFC 7946 section 4: no crs member
    assert doc["features"]
    for feat in doc["features"]:
        assert feat["type"] == "Feature"
        for x, y in positions(feat["geometry"]["coordinates"]):
            assert -180 <= x <= 180 and -90 <= y <= 90  # noqa: PT018
            assert 75.5 < x < 77.5 and 51.5 < y < 52.8, (x, y)  # noqa: PT018  (Aksu, lon first)
            assert round(x, 6) == x and round(y, 6) == y  # noqa: PT018
        for poly in polygons(feat["geometry"]):
            for i, ring in enumerate(poly):
                assert ring[0] == ring[-1] and len(ring) >= 4  # noqa: PT018
                # section 3.1.6: exterior rings counter-clockwise, holes clockwise
                assert shapely.LinearRing(ring).is_ccw == (i == 0), (feat["id"], i)
        geom = shape(feat["geometry"])
        assert geom.is_valid and not geom.is_empty, (layer, feat["id"])  # noqa: PT018
    ids = [f["id"] for f in doc["features"]]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("layer", LAYERS)
def test_layers_validate_against_their_schema_and_nothing_else(public: Path, layer: str) -> None:
    doc = load(public, layer)
    schema = json.loads((public / "schema" / f"{layer}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(doc, schema)
    allowed = {p.name for p in WHITELIST[layer]}
    item = schema["properties"]["features"]["items"]["properties"]["properties"]
    assert set(item["properties"]) == allowed
    assert item["additionalProperties"] is False
    for feat in doc["features"]:
        assert set(feat["properties"]) == allowed
        assert set(feat) == {"type", "id", "geometry", "properties"}
    # the schema refuses what is not on the whitelist, and a crs member
    leaky = json.loads(json.dumps(doc))
    leaky["features"][0]["properties"]["household_id"] = "PH-00001"
    with pytest.raises(jsonschema.ValidationError, match="household_id"):
        jsonschema.validate(leaky, schema)
    with_crs = dict(doc, crs={"type": "name", "properties": {"name": "EPSG:32643"}})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(with_crs, schema)


def test_no_household_level_data(public: Path, shipped: Dataset) -> None:
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(public.rglob("*.json*")))
    assert not re.search(r"\b(AB-\d{4}|PH-\d{5})\b", text)
    # no household's address (a precinct's building is no household)
    addresses = set(shipped.households["address"]) - set(shipped.precincts["address"])
    found = [a for a in addresses if json.dumps(a, ensure_ascii=False)[1:-1] in text]
    assert found == []
    # the only points are the precincts
    points = [f for layer in LAYERS for f in load(public, layer)["features"]
              if f["geometry"]["type"] == "Point"]
    assert len(points) == 40
    got = np.array(sorted(f["geometry"]["coordinates"] for f in points))
    want = np.array(sorted([p.x, p.y] for p in shipped.precincts.geometry))
    assert np.abs(got - want).max() <= 1.0e-6  # rounded to 6 decimals


def test_no_count_under_five_and_none_by_subtraction(public: Path) -> None:
    pairs = {"precincts": [("households_covered", "households"),
                           *((f"voters_within_{m}{s}", "voters")
                             for m in (10, 15, 20) for s in ("", "_reduced"))],
             "coverage_blocks": [("households_covered", "households")]}
    withheld = 0
    for layer in LAYERS:
        counts = [p.name for p in WHITELIST[layer] if p.count]
        for feat in load(public, layer)["features"]:
            props = feat["properties"]
            for name in counts:
                value = props[name]
                assert value is None or value >= MIN_COUNT, (layer, feat["id"], name, value)
                withheld += value is None
            for part, total in pairs.get(layer, []):
                if props[part] is not None and props[total] is not None:
                    assert props[total] - props[part] == 0 or \
                        props[total] - props[part] >= MIN_COUNT, (feat["id"], part)
    assert withheld > 0  # the rule had work to do on the shipped data


def test_coverage_figures_against_the_households(public: Path,
                                                 shipped_build: BuildReport) -> None:
    homes = read_geopackage(shipped_build.gpkg, "households")
    per = homes.groupby("precinct_id").agg(n=("household_id", "size"), c=("covered", "sum"))
    shown = 0
    for feat in load(public, "precincts")["features"]:
        props = feat["properties"]
        n, c = per.loc[props["precinct_id"], ["n", "c"]]
        assert props["households"] == (n if n >= MIN_COUNT else None)
        if props["households_covered"] is not None:
            shown += 1
            assert props["households_covered"] == c
            assert props["coverage_pct"] == round(100 * c / n, 1)
        else:
            assert c < MIN_COUNT or 0 < n - c < MIN_COUNT
            assert props["coverage_pct"] is None
        assert props["coverage_as_of"] == "2019-05-27"
    assert shown >= 20
    blocks = homes[homes["block_id"] >= 0].groupby("block_id").agg(
        n=("household_id", "size"), c=("covered", "sum"))
    published = load(public, "coverage_blocks")["features"]
    assert {f["properties"]["block_id"] for f in published} == set(
        blocks.index[blocks["n"] >= MIN_COUNT])
    for feat in published:
        props = feat["properties"]
        n, c = blocks.loc[props["block_id"], ["n", "c"]]
        assert props["households"] == n
        assert props["status"] == ("covered" if c / n >= 0.8 else "gap")
        assert props["households_covered"] in (c, None)


def test_simplified_polygons_keep_their_topology(public: Path,
                                                 shipped_build: BuildReport) -> None:
    catch = [shape(f["geometry"]) for f in load(public, "catchments")["features"]]
    metric = gpd.GeoSeries(catch, crs=4326).to_crs(32643).to_numpy()
    tree = shapely.STRtree(metric)
    a, b = tree.query(metric, predicate="intersects")
    keep = a < b
    overlap = shapely.area(shapely.intersection(metric[a[keep]], metric[b[keep]]))
    assert overlap.max() < 1.0  # m2: neighbours share edges, they do not overlap
    original = read_geopackage(shipped_build.gpkg, "catchments").to_crs(32643)
    assert shapely.area(metric).sum() == pytest.approx(original.area.sum(), rel=0.005)
    # each precinct's bands tile its 20-minute reach without overlapping
    bands = load(public, "isochrones")["features"]
    by_precinct: dict[int, list[Any]] = {}
    for f in bands:
        by_precinct.setdefault(f["properties"]["precinct_id"], []).append(f)
    assert len(by_precinct) == 40
    for pid, feats in by_precinct.items():
        rings = gpd.GeoSeries([shape(f["geometry"]) for f in feats], crs=4326).to_crs(32643)
        assert [f["properties"]["minutes"] for f in feats] == [5, 10, 15, 20]
        assert [f["properties"]["minutes_from"] for f in feats] == [0, 5, 10, 15]
        total = rings.area.sum()
        assert rings.union_all().area == pytest.approx(total, rel=0.002), pid


def test_metadata_and_stable_bytes(public: Path, shipped_build: BuildReport,
                                   tmp_path: Path) -> None:
    meta = json.loads((public / "metadata.json").read_text(encoding="utf-8"))
    assert meta["synthetic"] is True
    assert "SYNTHETIC" in meta["source"]
    assert meta["crs"].startswith("EPSG:4326")
    assert meta["metric_crs"] == "EPSG:32643"
    assert meta["coverage_as_of"] == "2019-05-27"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", meta["built_at"])
    assert "synthetic" in meta["licence"]["street_network"]
    for layer in LAYERS:
        info = meta["layers"][layer]
        assert info["features"] == len(load(public, layer)["features"])
        assert (public / info["schema"]).is_file()
    again = export_public(shipped_build.gpkg, tmp_path)
    for layer in LAYERS:
        assert again[layer].read_bytes() == (public / f"{layer}.geojson").read_bytes()
    sizes = {layer: (public / f"{layer}.geojson").stat().st_size for layer in LAYERS}
    assert sum(sizes.values()) < 1.5e6, sizes  # small enough for a phone on the public map
    assert np.isclose(meta["walking_speed_kmh"], 4.5)


def test_missing_database_is_a_clear_error(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "public", "--db", str(tmp_path / "none.gpkg"), "--out",
                 str(tmp_path / "p")]) == 1
    err = capsys.readouterr().err
    assert "none.gpkg: no such GeoPackage; run `aksugeo build` first" in err


def test_the_export_publishes_the_builds_bands(custom_build: BuildReport,
                                              tmp_path: Path) -> None:
    # once: a build with bands 5, 20, 30 published null for 'voters_within_10' and nothing
    # for 30 minutes, and the metadata kept 4.5 km/h in the isochrones' description
    written = export_public(custom_build.gpkg, tmp_path)
    props = load(tmp_path, "precincts")["features"][0]["properties"]
    assert {"voters_within_20", "voters_within_30", "voters_within_30_reduced"} <= set(props)
    assert "voters_within_10" not in props
    schema = json.loads((tmp_path / "schema" / "isochrones.schema.json").read_text("utf-8"))
    minutes = schema["properties"]["features"]["items"]["properties"]["properties"]
    assert "(3.6 km/h)" in minutes["properties"]["minutes"]["description"]
    meta = json.loads(written["metadata"].read_text(encoding="utf-8"))
    assert meta["walking_speed_kmh"] == 3.6
    assert meta["bands_min"] == [5, 20, 30]
    precincts = read_geopackage(custom_build.gpkg, "precincts").set_index("precinct_id")
    for feature in load(tmp_path, "precincts")["features"]:
        p = feature["properties"]
        if p["voters_within_30"] is not None:
            assert p["voters_within_30"] == precincts.loc[p["precinct_id"], "voters_within_30"]
