"""The shipped synthetic Aksu data set: published figures, determinism, and that it behaves."""

from __future__ import annotations

import bz2
import hashlib
import json
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import osmnx as ox
import pandas as pd
import pytest
from scipy.spatial import cKDTree

from aksugeo.canvass.coverage import coverage_summary
from aksugeo.data.io import Dataset
from aksugeo.synth import generate

from .conftest import DATA

GENERATED = [
    "precincts.geojson",
    "households/apartment_buildings.geojson",
    "households/private_houses.geojson",
    "canvass/visits.csv",
    "addresses_raw.csv",
    "network/aksu.osm.bz2",
    "passports.csv",
    "passport_remedies.csv",
    "MANIFEST.json",
]


def test_precinct_figures(shipped: Dataset) -> None:
    p = shipped.precincts
    assert len(p) == 40
    assert p["area_type"].value_counts().to_dict() == {"urban": 22, "rural": 18}
    assert p["facility_type"].value_counts().to_dict() == {"education": 31, "culture": 6,
                                                           "other": 3}
    assert int(p["con_desk"].sum()) == 37
    assert bool(p["accessible_booth"].all())


def test_voters_add_up(shipped: Dataset) -> None:
    h = shipped.households
    assert int(h["voters"].sum()) == 53_413
    sums = h.groupby("precinct_id")["voters"].sum()
    assert shipped.precincts.set_index("precinct_id")["voters"].equals(
        sums.reindex(shipped.precincts["precinct_id"]).rename("voters"))


def test_canvass_figures_as_of_27_may(shipped: Dataset) -> None:
    cov = coverage_summary(shipped.households, shipped.visits, "2019-05-27")
    assert cov.loc["apartment", "covered"] == 248
    assert cov.loc["private", "covered"] == 4_619
    # the registry holds more of each: real gaps remain
    assert cov.loc["apartment", "households"] > 248
    assert cov.loc["private", "households"] > 4_619
    v = shipped.visits
    assert v["date"].min() == pd.Timestamp("2019-05-12")
    assert v["date"].max() == pd.Timestamp("2019-05-27")
    wave = np.where(v["date"] >= pd.Timestamp("2019-05-22"), 2, 1)
    assert (v["wave"].to_numpy() == wave).all()
    assert set(v["outcome"]) == {"talked", "not_home", "refused"}


def test_generator_is_deterministic_and_made_the_shipped_files(tmp_path: Path) -> None:
    generate(tmp_path / "a", reference_dir=DATA / "reference")
    for rel in GENERATED:
        assert (tmp_path / "a" / rel).read_bytes() == (DATA / rel).read_bytes(), rel


def test_another_seed_gives_another_city(tmp_path: Path) -> None:
    counts = generate(tmp_path / "b", reference_dir=DATA / "reference", seed=7)
    assert counts["voters"] == 53_413
    assert counts["precincts"] == 40
    assert (tmp_path / "b" / "precincts.geojson").read_bytes() != \
        (DATA / "precincts.geojson").read_bytes()


def test_labelled_synthetic_everywhere(shipped: Dataset) -> None:
    for rel in GENERATED[:3]:
        meta = json.loads((DATA / rel).read_text(encoding="utf-8"))["metadata"]
        assert meta["synthetic"] is True
        assert "SYNTHETIC" in meta["source"]
    with bz2.open(DATA / "network/aksu.osm.bz2", "rt", encoding="utf-8") as fh:
        head = fh.read(2000)
    assert "synthetic data, not OpenStreetMap" in head
    assert "<note>SYNTHETIC DATA" in head
    manifest = json.loads((DATA / "MANIFEST.json").read_text(encoding="utf-8"))
    assert manifest["synthetic"] is True
    for rel, digest in manifest["files"].items():
        assert hashlib.sha256((DATA / rel).read_bytes()).hexdigest() == digest, rel
    assert shipped.synthetic


@pytest.fixture(scope="module")
def walk_edges() -> tuple[nx.MultiDiGraph, gpd.GeoDataFrame]:
    graph = ox.graph_from_xml(DATA / "network/aksu.osm.bz2", bidirectional=True,
                              retain_all=True, simplify=False)
    walk = [(u, v, k) for u, v, k, d in graph.edges(keys=True, data=True)
            if "highway" in d and d.get("access") != "private"]
    sub = ox.project_graph(graph.edge_subgraph(walk).copy(), to_crs="EPSG:32643")
    return sub, ox.graph_to_gdfs(sub, nodes=False)


def test_network_is_one_walkable_piece_near_every_household(
        shipped: Dataset, walk_edges: tuple[nx.MultiDiGraph, gpd.GeoDataFrame]) -> None:
    graph, edges = walk_edges
    assert nx.number_connected_components(graph.to_undirected()) == 1
    assert shipped.metric_crs.to_epsg() == 32643  # chosen from the data, not written down
    homes = shipped.households.to_crs(32643)
    _, dist = edges.sindex.nearest(homes.geometry, return_distance=True, return_all=False)
    assert len(dist) == len(homes)
    assert dist.max() < 100  # every building stands within 100 m of a street or path
    _, pdist = edges.sindex.nearest(shipped.precincts.to_crs(32643).geometry, return_all=False,
                                    return_distance=True)
    assert pdist.max() < 60


def test_city_and_villages_look_like_aksu(shipped: Dataset,
                                          walk_edges: tuple[nx.MultiDiGraph,
                                                            gpd.GeoDataFrame]) -> None:
    _, edges = walk_edges
    boundary = shipped.boundary.to_crs(32643).union_all()
    assert shipped.households.to_crs(32643).within(boundary).all()
    city = shipped.precincts[shipped.precincts["area_type"] == "urban"].to_crs(4326)
    assert np.allclose(city.geometry.x.mean(), 76.92, atol=0.03)
    assert np.allclose(city.geometry.y.mean(), 52.04, atol=0.03)
    rural = shipped.precincts[shipped.precincts["area_type"] == "rural"]
    assert rural["settlement"].nunique() == 18  # each rural precinct in a village of its own
    assert rural["district"].nunique() == 6
    kinds = edges["highway"].value_counts()
    for hw in ("primary", "secondary", "tertiary", "residential", "service", "footway",
               "unclassified", "track"):
        assert kinds.get(hw, 0) > 0, hw
    storeys = {int(b) for b in shipped.households.loc[
        shipped.households["kind"] == "apartment", "dwellings"]}
    assert {45, 60, 90, 144} <= storeys  # 5- and 9-storey blocks


def test_gaps_lie_in_whole_blocks_not_random_dots(shipped: Dataset) -> None:
    h = shipped.households.to_crs(32643)
    h = h[h["kind"] == "private"]
    covered = h["household_id"].isin(shipped.visits["household_id"]).to_numpy()
    xy = h.geometry.get_coordinates().to_numpy()
    _, nn = cKDTree(xy).query(xy, k=2)
    same = covered[nn[:, 1]] == covered
    # uncovered houses are next to uncovered houses far more than chance (~ 0.27) would give
    assert same[~covered].mean() > 0.9


def test_some_households_are_far_or_closer_to_another_precinct(shipped: Dataset) -> None:
    h = shipped.households.to_crs(32643)
    p = shipped.precincts.to_crs(32643).set_index("precinct_id")
    tree = cKDTree(p.geometry.get_coordinates().to_numpy())
    xy = h.geometry.get_coordinates().to_numpy()
    _, nearest = tree.query(xy)
    assigned = p.index.get_indexer(h["precinct_id"])
    d_assigned = np.hypot(*(xy - p.geometry.get_coordinates().to_numpy()[assigned]).T)
    assert 6 <= int((d_assigned > 3000).sum()) < 200  # hamlets and registry errors
    assert (nearest != assigned).sum() > 50  # boundaries follow streets, not Voronoi cells


def test_addresses_come_in_clerks_styles(shipped: Dataset) -> None:
    raw = shipped.addresses
    assert raw is not None
    assert sorted(raw["household_id"]) == sorted(shipped.households["household_id"])
    text = raw["address"]
    for marker in ("г. Аксу, ул.", "көшесі", "ul. ", "мкр", "шағын аудан", "с. ", "кв. ",
                   "пәтер", "köşesı", "дом "):
        assert text.str.contains(marker, regex=False).any(), marker
    # typos: some street names in the raw list appear in no canonical address
    streets = shipped.households["address"].str.extract(r"ул\. ([^,]+),")[0].dropna().unique()
    raw_streets = text.str.extract(r"^г\. Аксу, ул\. ([^,]+),")[0].dropna().unique()
    assert len(set(raw_streets) - set(streets)) > 5
