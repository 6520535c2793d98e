"""The public export: RFC 7946, the schemas' whitelist, no household-level data, small counts."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import jsonschema
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import shape

from aksugeo.build import BuildReport, build
from aksugeo.cli import main
from aksugeo.data.io import Dataset, read_geopackage, read_metadata
from aksugeo.passport.disclosure import BASE, MIN_COUNT, new_key, published
from aksugeo.passport.public import WHITELIST, export_public

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


def test_every_count_is_withheld_or_a_multiple_of_five(public: Path) -> None:
    withheld = 0
    for layer in LAYERS:
        counts = [p.name for p in WHITELIST[layer] if p.count]
        for feat in load(public, layer)["features"]:
            props = feat["properties"]
            for name in counts:
                value = props[name]
                assert value is None or (value >= MIN_COUNT and value % BASE == 0), \
                    (layer, feat["id"], name, value)
                withheld += value is None
    assert withheld > 0  # the rule had work to do on the shipped data


def _truth(gpkg: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The true counts behind the export: per precinct, and per published block."""
    homes = read_geopackage(gpkg, "households")
    precincts = read_geopackage(gpkg, "precincts").set_index("precinct_id")
    per = homes.groupby("precinct_id").agg(households=("household_id", "size"),
                                           households_covered=("covered", "sum"))
    precincts = precincts.join(per)
    blocks = homes[homes["block_id"] >= 0].groupby("block_id").agg(
        households=("household_id", "size"), households_covered=("covered", "sum"))
    return precincts, blocks


def _window(value: int | None) -> tuple[int, int]:
    """What a published figure tells an attacker who knows the rule: the true count's range."""
    return (0, MIN_COUNT - 1) if value is None else (value - BASE + 1, value + BASE - 1)


def test_an_attacker_finds_no_count_from_1_to_4(public: Path,
                                                shipped_build: BuildReport) -> None:
    # once: households - the sum of its blocks gave 1 (precinct 578), covered 346 - 343 = 3,
    # a covered block with its count withheld pinned it at 5 of 5..7, and voters_within_20 -
    # voters_within_20_reduced = 1. The attacker here takes every difference of two figures
    # that share a precinct or a block, and every total less the sum of its published blocks,
    # and bounds the true value with the rule; a true value from 1 to 4 must never be the only
    # thing the bounds allow.
    precincts, blocks = _truth(shipped_build.gpkg)
    names = [p.name for p in WHITELIST["precincts"] if p.count]
    block_cells: dict[int, list[tuple[int | None, int]]] = {}
    published_blocks: dict[int, list[dict[str, Any]]] = {}
    for feat in load(public, "coverage_blocks")["features"]:
        props = feat["properties"]
        published_blocks.setdefault(props["precinct_id"], []).append(props)
        true = blocks.loc[props["block_id"]]
        block_cells[props["block_id"]] = [(props[n], int(true[n]))
                                          for n in ("households", "households_covered")]
    relations: list[tuple[list[tuple[int, int | None, int]], str]] = []
    for feat in load(public, "precincts")["features"]:
        props = feat["properties"]
        true = precincts.loc[props["precinct_id"]]
        family = [(props[n], int(true[n])) for n in names]
        relations.extend(([(1, *family[a]), (-1, *family[b])],
                          f"{props['precinct_id']}: {names[a]} - {names[b]}")
                         for a in range(len(family)) for b in range(len(family)) if a != b)
        mine = published_blocks.get(props["precinct_id"], [])
        for n in ("households", "households_covered"):
            terms = [(1, props[n], int(true[n]))]
            terms += [(-1, blk[n], int(blocks.loc[blk["block_id"], n])) for blk in mine]
            relations.append((terms, f"{props['precinct_id']}: {n} - its blocks"))
    for block_id, (h, c) in block_cells.items():
        relations.append(([(1, *h), (-1, *c)], f"block {block_id}: not visited"))
    small = 0
    for terms, what in relations:
        truth = sum(sign * t for sign, _, t in terms)
        low = sum(_window(v)[0] if sign > 0 else -_window(v)[1] for sign, v, _ in terms)
        high = sum(_window(v)[1] if sign > 0 else -_window(v)[0] for sign, v, _ in terms)
        assert low <= truth <= high, what  # the bounds are right: the attacker is not fooled
        if 1 <= truth < MIN_COUNT:
            small += 1
            assert low <= 0 or high >= MIN_COUNT, (what, truth, low, high)
    assert small > 20  # the shipped data has small differences to hide: the test had work


def test_coverage_figures_against_the_households(public: Path,
                                                 shipped_build: BuildReport) -> None:
    precincts, blocks = _truth(shipped_build.gpkg)
    shown = 0
    for feat in load(public, "precincts")["features"]:
        props = feat["properties"]
        n, c = precincts.loc[props["precinct_id"], ["households", "households_covered"]]
        for value, true in ((props["households"], n), (props["households_covered"], c)):
            assert value is None if true < MIN_COUNT else abs(value - true) < BASE
        if props["households_covered"] is not None and props["households"] is not None:
            shown += 1  # the share is the published figures'
            assert props["coverage_pct"] == round(
                100 * props["households_covered"] / props["households"], 1)
        else:
            assert props["coverage_pct"] is None
        assert props["coverage_as_of"] == "2019-05-27"
    assert shown >= 20
    published = load(public, "coverage_blocks")["features"]
    assert {f["properties"]["block_id"] for f in published} == set(
        blocks.index[blocks["households"] >= MIN_COUNT])
    for feat in published:
        props = feat["properties"]
        n = blocks.loc[props["block_id"], "households"]
        assert abs(props["households"] - n) < BASE
        share = (props["households_covered"] or 0) / props["households"]
        assert props["status"] == ("covered" if share >= 0.8 else "gap")


def test_the_rounding_key_stays_with_the_build_and_out_of_the_export(
        public: Path, shipped_build: BuildReport, mini: Path, tmp_path: Path) -> None:
    key = read_metadata(shipped_build.gpkg)["disclosure_key"]
    assert re.fullmatch(r"[0-9a-f]{32}", key)
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(public.rglob("*.json*")))
    assert key not in text
    first = build(mini, tmp_path / "out")
    again = build(mini, tmp_path / "out")  # a rebuild keeps the key: re-exports agree
    assert read_metadata(first.gpkg)["disclosure_key"] == read_metadata(again.gpkg)[
        "disclosure_key"]
    other = build(mini, tmp_path / "elsewhere")
    assert read_metadata(other.gpkg)["disclosure_key"] != read_metadata(again.gpkg)[
        "disclosure_key"]


def test_rounding_is_unbiased_and_keyed() -> None:
    keys = [new_key() for _ in range(400)]
    for value in (5, 7, 11, 1018):
        seen = [published(value, k) for k in keys]
        assert set(seen) <= {value - value % BASE, value - value % BASE + BASE}
        assert abs(np.mean(seen) - value) < 0.8  # unbiased: 400 keys, sd of the mean < 0.13
        assert len({published(value, keys[0]) for _ in range(3)}) == 1  # repeatable
    assert [published(v, keys[0]) for v in (None, float("nan"), 0, 1, 4)] == [None] * 5
    assert published(1020, keys[0]) == 1020


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
        if p["voters_within_30"] is not None:  # rounded to base 5: within 4 of the truth
            true = precincts.loc[p["precinct_id"], "voters_within_30"]
            assert abs(p["voters_within_30"] - true) < BASE
