"""Mobility profiles: each rule on a network small enough to reason about, the engine against
networkx with the same weights, and a real extract's steps never on a wheelchair's way.

The small networks are written here by hand: a way straight from A to B (about 100 m east)
carries the tag or node under test; the other way round, A -> C -> D -> B (about 320 m), is a
paved footway that every profile may use.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import shutil
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest

from aksugeo import SettingsError
from aksugeo.build import BuildReport
from aksugeo.cli import main
from aksugeo.data.io import Dataset, read_geopackage
from aksugeo.data.layers import open_build
from aksugeo.i18n import count, text
from aksugeo.settings import AccessSettings
from aksugeo.walk.access import analyse_access
from aksugeo.walk.distances import accessible_walks, walks_within
from aksugeo.walk.network import WalkNetwork, load_network
from aksugeo.walk.profiles import (
    PROFILES,
    STEPS,
    UNKNOWN,
    node_codes,
    profiles_json,
    profiles_of,
    way_codes,
)
from aksugeo.walk.routing import walk_nodes
from aksugeo.walk.snapping import Snap, on_view, snap_points
from aksugeo.walk.stepfree import doors, profile_walks

from .conftest import DATA

REAL = Path(__file__).parent / "input_data" / "osm" / "real"
LAT, LON = 52.04, 76.92
M_LAT, M_LON = 1 / 111_250, 1 / 68_600  # degrees per metre, near 52 N

# A (0, 0), B (100, 0); the way round: C (0, 110), D (100, 110); a middle node M (50, 0)
NODES = {1: (0, 0), 2: (100, 0), 3: (0, 110), 4: (100, 110), 5: (50, 0)}


def _osm(tmp_path: Path, way_tags: dict[str, str], node_tags: dict[str, str]) -> Path:
    def tags(d: dict[str, str]) -> str:
        return "".join(f'<tag k="{k}" v="{v}"/>' for k, v in d.items())

    nodes = "".join(
        f'<node id="{i}" lat="{LAT + y * M_LAT:.7f}" lon="{LON + x * M_LON:.7f}">'
        f'{tags(node_tags) if i == 5 else ""}</node>' for i, (x, y) in NODES.items())
    round_ = {"highway": "footway", "surface": "asphalt", "lit": "yes"}
    text = (f'<osm version="0.6">{nodes}'
            f'<way id="10"><nd ref="1"/><nd ref="5"/><nd ref="2"/>{tags(way_tags)}</way>'
            f'<way id="11"><nd ref="1"/><nd ref="3"/><nd ref="4"/><nd ref="2"/>{tags(round_)}'
            "</way></osm>")
    path = tmp_path / "t.osm"
    path.write_text(text, encoding="utf-8")
    return path


def _cost(net: WalkNetwork, name: str) -> float:
    """The engine's walk from A to B for a profile, in metres at its speed."""
    view = net.for_profile(PROFILES[name])
    at = [int(np.flatnonzero(net.node_id == i)[0]) for i in (1, 2)]  # A and B themselves
    pts = gpd.GeoSeries(gpd.points_from_xy(net.x[at], net.y[at]), crs=net.crs)
    snap = snap_points(view, pts, max_m=50, min_component_nodes=1)
    walk = walks_within(view, snap, snap).toarray()
    return float(walk[0, 1]) if walk[0, 1] else math.inf


def _graph(view: WalkNetwork) -> nx.Graph:
    """networkx's graph of a profile's network: its open edges, the cheaper of parallel ones."""
    g = nx.Graph()
    for a, b, w in zip(view.u, view.v, view.length_m, strict=True):
        if np.isfinite(w) and (not g.has_edge(a, b) or g[a][b]["w"] > w):
            g.add_edge(int(a), int(b), w=float(w))
    return g


def _edges_of(net: WalkNetwork) -> dict[frozenset[int], list[int]]:
    """The edges between each pair of nodes."""
    out: dict[frozenset[int], list[int]] = {}
    for e, (a, b) in enumerate(zip(net.u, net.v, strict=True)):
        out.setdefault(frozenset((int(a), int(b))), []).append(e)
    return out


def _reference(net: WalkNetwork, name: str) -> float:
    """networkx's shortest path A -> B on the same costs."""
    g = _graph(net.for_profile(PROFILES[name]))
    index = {int(n): i for i, n in enumerate(net.node_id)}
    try:
        return float(nx.dijkstra_path_length(g, index[1], index[2], weight="w"))
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return math.inf


def _lengths(net: WalkNetwork) -> tuple[float, float]:
    """The straight way's length, and the way round's."""
    ids = net.node_id
    length = {frozenset((int(ids[a]), int(ids[b]))): w
              for a, b, w in zip(net.u, net.v, net.length_m, strict=True)}
    direct = length[frozenset((1, 5))] + length[frozenset((5, 2))]
    around = sum(length[frozenset(p)] for p in ((1, 3), (3, 4), (4, 2)))
    return direct, around


INF = math.inf
# each case: the straight way's tags, its middle node's tags, and what each profile pays for
# A -> B, as (f_direct, f_around): the walk costs min(f_direct * direct, f_around * around),
# the factors read from the tables of aksugeo.walk.profiles (inf: closed)
CASES = {
    "a step": ({"highway": "steps"}, {},
               {"walk": (1, 1), "reduced": (3, 1), "wheelchair": (INF, 1)}),
    "steps with a ramp": ({"highway": "steps", "ramp": "yes"}, {},
                          {"wheelchair": (1, 1), "reduced": (3, 1)}),
    "steps with a wheelchair ramp": ({"highway": "steps", "ramp:wheelchair": "yes"}, {},
                                     {"wheelchair": (1, 1)}),
    "a raised kerb": ({"highway": "footway"}, {"barrier": "kerb", "kerb": "raised"},
                      {"walk": (1, 1), "wheelchair": (INF, 1)}),
    "a lowered kerb": ({"highway": "footway"}, {"barrier": "kerb", "kerb": "lowered"},
                       {"wheelchair": (1, 1)}),
    "a kerb 5 cm high": ({"highway": "footway"}, {"kerb:height": "5 cm"},
                         {"wheelchair": (INF, 1)}),
    "a kerb 2 cm high": ({"highway": "footway"}, {"kerb:height": "0.02"},
                         {"wheelchair": (1, 1)}),
    "a stile": ({"highway": "footway"}, {"barrier": "stile"},
                {"walk": (1, 1), "wheelchair": (INF, 1)}),
    "a kissing gate": ({"highway": "footway"}, {"barrier": "kissing_gate"},
                       {"wheelchair": (INF, 1)}),
    "an incline of 12 %": ({"highway": "footway", "incline": "12%"}, {},
                           {"walk": (1, 1), "wheelchair": (4, 1)}),
    "an incline of 10 degrees": ({"highway": "footway", "incline": "-10°"}, {},
                                 {"wheelchair": (4, 1)}),
    "an incline of 5 %": ({"highway": "footway", "incline": "5%"}, {}, {"wheelchair": (1, 1)}),
    "wheelchair=no": ({"highway": "footway", "wheelchair": "no"}, {},
                      {"walk": (1, 1), "wheelchair": (INF, 1)}),
    "wheelchair=yes": ({"highway": "footway", "wheelchair": "yes"}, {},
                       {"wheelchair": (0.9, 1)}),
    "a gravel path": ({"highway": "path", "surface": "gravel"}, {},
                      {"walk": (1, 1), "wheelchair": (2, 1), "winter": (1.3 * 1.5, 1.3)}),
    "an unlit street": ({"highway": "residential", "lit": "no"}, {},
                        {"walk": (1, 1), "winter": (1.2, 1.3)}),
    "a lit street": ({"highway": "residential", "lit": "yes"}, {}, {"winter": (1, 1.3)}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_rule_on_a_small_network(tmp_path: Path, case: str) -> None:
    way_tags, node_tags, expected = CASES[case]
    net = load_network(_osm(tmp_path, way_tags, node_tags), cache=False)
    direct, around = _lengths(net)
    assert 95 < direct < 105
    assert 300 < around < 340
    for name, (f_direct, f_around) in expected.items():
        got, ref = _cost(net, name), _reference(net, name)
        assert got == pytest.approx(min(f_direct * direct, f_around * around), rel=1e-9), name
        assert got == pytest.approx(ref, rel=1e-9), name


def test_a_closed_way_is_never_snapped_to(tmp_path: Path) -> None:
    net = load_network(_osm(tmp_path, {"highway": "steps"}, {}), cache=False)
    view = net.for_profile(PROFILES["wheelchair"])
    on_steps = gpd.GeoSeries(gpd.points_from_xy([LON + 50 * M_LON], [LAT + 5 * M_LAT]),
                             crs="EPSG:4326")
    walker, chair = (snap_points(n, on_steps, max_m=200, min_component_nodes=1)
                     for n in (net, view))
    steps = net.edge_tags.kind == STEPS
    assert steps[walker.edge[0]]
    assert not steps[chair.edge[0]]
    assert chair.snap_m[0] > walker.snap_m[0]


@pytest.mark.parametrize(("tags", "codes"), [
    ({"barrier": "kerb", "kerb": "raised"}, (1, 0)), ({"kerb": "lowered"}, (0, 0)),
    ({"barrier": "kerb"}, (-1, 0)), ({"kerb:height": "12"}, (1, 0)),
    ({"kerb:height": "3 cm"}, (0, 0)), ({"kerb:height": "40 mm"}, (1, 0)),
    ({"barrier": "turnstile"}, (-2, 1)), ({"wheelchair": "no"}, (-2, 1)),
    ({"barrier": "gate"}, None), ({}, None)])
def test_node_codes(tags: dict[str, str], codes: tuple[int, int] | None) -> None:
    assert node_codes(tags) == codes


def test_way_codes_read_incline_in_percent_and_degrees() -> None:
    fields = dict(zip(("kind", "surface", "incline_pct"), way_codes({"incline": "-8%"})[:3],
                      strict=False))
    assert fields["incline_pct"] == 8.0
    assert way_codes({"incline": "5°"})[2] == pytest.approx(math.tan(math.radians(5)) * 100)
    assert math.isnan(way_codes({"incline": "up"})[2])


# --- a real extract: Helsinki's centre has 150 segments of steps


@pytest.fixture(scope="module")
def helsinki() -> WalkNetwork:
    return load_network(REAL / "helsinki_centre.osm.pbf")


def test_the_engine_equals_networkx_on_every_profile(helsinki: WalkNetwork) -> None:
    rng = np.random.default_rng(7)
    picks = rng.choice(helsinki.n_nodes, 12, replace=False)
    for name in PROFILES:
        view = helsinki.for_profile(PROFILES[name])
        g = _graph(view)
        pts = gpd.GeoSeries(gpd.points_from_xy(helsinki.x[picks], helsinki.y[picks]),
                            crs=helsinki.crs)
        snap = snap_points(view, pts, max_m=30, min_component_nodes=1)
        at_node = snap.ok & (snap.snap_m < 1e-6)  # points on an open node's own position
        ours = walks_within(view, snap, snap).toarray()
        checked = 0
        for i in np.flatnonzero(at_node):
            lengths = nx.single_source_dijkstra_path_length(g, int(picks[i]), weight="w")
            for j in np.flatnonzero(at_node):
                want = lengths.get(int(picks[j]), math.inf)
                got = ours[i, j] if (ours[i, j] or i == j) else math.inf
                assert got == pytest.approx(want, rel=1e-9, abs=1e-6), (name, i, j)
                checked += 1
        assert checked >= 25, name


def test_no_wheelchair_walk_uses_a_step_or_a_raised_kerb(helsinki: WalkNetwork) -> None:
    tags = helsinki.edge_tags
    assert int((tags.kind == STEPS).sum()) == 150
    view = helsinki.for_profile(PROFILES["wheelchair"])
    closed = ~np.isfinite(view.length_m)
    edge_of = _edges_of(helsinki)
    # the two ends of 20 flights of steps: the plain walk between them takes the steps
    flights = np.flatnonzero(tags.kind == STEPS)[::7][:20]
    ends = np.column_stack([helsinki.u[flights], helsinki.v[flights]]).ravel()
    pts = gpd.GeoSeries(gpd.points_from_xy(helsinki.x[ends], helsinki.y[ends]),
                        crs=helsinki.crs)
    walker = snap_points(helsinki, pts, max_m=100)
    chair = snap_points(view, pts, max_m=100)
    plain = walks_within(helsinki, walker, walker).toarray()
    costs = walks_within(view, chair, chair).toarray()
    used_steps_walking = checked = 0
    for a, b in zip(range(0, len(ends), 2), range(1, len(ends), 2), strict=True):
        if not (walker.ok[a] and walker.ok[b] and chair.ok[a] and chair.ok[b]) \
                or not 0 < costs[a, b] < np.inf:
            continue
        nodes = walk_nodes(view, chair, a, b, walk_m=costs[a, b])
        pairs = [frozenset(p) for p in itertools.pairwise(nodes)]
        edges = [min(edge_of[p], key=lambda e: view.length_m[e]) for p in pairs]
        assert not closed[edges].any()  # no step, raised kerb or barrier on the way
        metres = sum(helsinki.length_m[edges]) + _ends(helsinki, chair, a, b, nodes)
        assert metres >= plain[a, b] - 0.01  # never shorter than the plain walk (to 1 cm)
        walked = walk_nodes(helsinki, walker, a, b, walk_m=plain[a, b])
        used_steps_walking += any(
            tags.kind[min(edge_of[frozenset(p)], key=lambda e: helsinki.length_m[e])] == STEPS
            for p in itertools.pairwise(walked)) or (
            not walked and tags.kind[walker.edge[a]] == STEPS)
        checked += 1
    assert checked >= 10
    assert used_steps_walking >= 5  # the plain walks take the steps: the test has teeth


def _ends(net: WalkNetwork, snap: Snap, a: int, b: int, nodes: list[int]) -> float:
    """Metres from each point to the first and last node of its wheelchair walk (approach
    included), or between the two points along the edge they share when there is no node."""
    cost = net.for_profile(PROFILES["wheelchair"]).length_m

    def metres_along(k: int) -> float:  # the snap's offset is in the profile's cost
        e = snap.edge[k]
        return float(snap.offset_m[k] / cost[e] * net.length_m[e])

    if not nodes:
        return float(snap.snap_m[a] + snap.snap_m[b] + abs(metres_along(a) - metres_along(b)))
    total = 0.0
    for k, node in ((a, nodes[0]), (b, nodes[-1])):
        e = snap.edge[k]
        off = metres_along(k)
        total += snap.snap_m[k] + (off if node == net.u[e] else net.length_m[e] - off)
    return float(total)


# --- walks of a profile, to the door


def test_the_walk_profile_is_the_access_engines_walk(shipped: Dataset) -> None:
    net = load_network(shipped.network_path)
    engine = analyse_access(net, shipped.households, shipped.precincts, isochrones=False,
                            catchments=False).households
    ours = profile_walks(net, shipped.households, shipped.precincts, profile="walk",
                         accessible=np.ones(len(shipped.precincts), dtype=bool))
    assert np.allclose(ours["walk_walk_m"], engine["walk_assigned_m"], rtol=0, atol=1e-6,
                       equal_nan=True)
    assert np.allclose(ours["walk_walk_nearest_m"], engine["walk_nearest_m"], rtol=0,
                       atol=1e-6, equal_nan=True)
    assert (ours["walk_status"] == engine["status"]).all()
    assert (ours["walk_walk_to"] == "building").all()


def test_wheelchair_walks_read_back_along_their_routes(helsinki: WalkNetwork) -> None:
    rng = np.random.default_rng(3)
    homes = gpd.GeoDataFrame({"precinct_id": rng.integers(1, 4, 60)}, geometry=gpd.points_from_xy(
        rng.uniform(24.936, 24.954, 60), rng.uniform(60.164, 60.171, 60)), crs="EPSG:4326")
    sites = gpd.GeoDataFrame({"precinct_id": [1, 2, 3]}, geometry=gpd.points_from_xy(
        [24.940, 24.948, 24.952], [60.165, 60.169, 60.167]), crs="EPSG:4326")
    got = profile_walks(helsinki, homes, sites, profile="wheelchair",
                        accessible=np.array([True, False, True]))
    plain = profile_walks(helsinki, homes, sites, profile="walk")
    ok = got["wheelchair_status"] == "ok"
    assert ok.sum() >= 50
    # never shorter than the plain walk; minutes are the cost at 4 km/h
    assert (got.loc[ok, "walk_wheelchair_m"] >= plain.loc[ok, "walk_walk_m"] - 0.01).all()
    known = got.loc[ok, "walk_wheelchair_known_pct"]
    assert known.between(0, 100).all()
    assert 0 < known.mean() < 100  # Helsinki tags some ways' surfaces, not all
    # the metres summed along the search tree equal the metres of the route read back
    view = helsinki.for_profile(PROFILES["wheelchair"])
    both = pd.concat([homes.geometry, sites.geometry], ignore_index=True)
    snap = snap_points(view, gpd.GeoSeries(both, crs="EPSG:4326"), max_m=300)
    cost = walks_within(view, snap, snap).toarray()
    edge_of = _edges_of(helsinki)
    for h in np.flatnonzero(ok.to_numpy())[:25]:
        t = 60 + int(homes["precinct_id"].iloc[h]) - 1
        assert got["walk_wheelchair_min"].iloc[h] == pytest.approx(cost[t, h] / (4000 / 60))
        nodes = walk_nodes(view, snap, t, h, walk_m=cost[t, h])
        edges = [min(edge_of[frozenset(p)], key=lambda e: view.length_m[e])
                 for p in itertools.pairwise(nodes)]
        metres = sum(helsinki.length_m[edges]) + _ends(helsinki, snap, t, h, nodes)
        assert got["walk_wheelchair_m"].iloc[h] == pytest.approx(metres, abs=0.01)
    # the nearest accessible precinct is 1 or 3, never 2, and no farther than the own one
    nearest = got.loc[ok, "wheelchair_nearest_precinct_id"]
    assert set(nearest.dropna().astype(int)) <= {1, 3}
    own_ok = ok & homes["precinct_id"].isin([1, 3])
    assert (got.loc[own_ok, "walk_wheelchair_nearest_min"]
            <= got.loc[own_ok, "walk_wheelchair_min"] + 1e-9).all()


def _only_steps(tmp_path: Path) -> WalkNetwork:
    """A footway, a flight of steps (about 100 m), a footway: the only way from end to end."""
    path = tmp_path / "steps.osm"
    path.write_text(
        '<osm version="0.6"><node id="1" lat="52.04" lon="76.92"/>'
        '<node id="2" lat="52.04" lon="76.9215"/><node id="3" lat="52.0409" lon="76.9215"/>'
        '<node id="4" lat="52.0409" lon="76.923"/>'
        '<way id="1"><nd ref="1"/><nd ref="2"/><tag k="highway" v="footway"/></way>'
        '<way id="2"><nd ref="2"/><nd ref="3"/><tag k="highway" v="steps"/></way>'
        '<way id="3"><nd ref="3"/><nd ref="4"/><tag k="highway" v="footway"/></way></osm>',
        encoding="utf-8")
    return load_network(path, cache=False)


def test_no_step_free_route_when_only_steps_lead_there(tmp_path: Path) -> None:
    net = _only_steps(tmp_path)
    homes = gpd.GeoDataFrame({"precinct_id": [1, 1]}, geometry=gpd.points_from_xy(
        [76.9229, 76.9201], [52.0409, 52.0400]), crs="EPSG:4326")
    site = gpd.GeoDataFrame({"precinct_id": [1]}, geometry=gpd.points_from_xy([76.9202],
                                                                              [52.04]),
                            crs="EPSG:4326")
    passports = pd.DataFrame({"precinct_id": [1], "entrance_lon": [76.9203],
                              "entrance_lat": [52.04]})
    got = profile_walks(net, homes, site, profile="wheelchair", passports=passports,
                        settings=AccessSettings(min_component_nodes=1))
    assert got["wheelchair_status"].tolist() == ["no_step_free_route", "ok"]
    assert got["walk_wheelchair_to"].tolist() == ["entrance", "entrance"]
    assert np.isnan(got["walk_wheelchair_m"].iloc[0])
    walked = profile_walks(net, homes, site, profile="walk", passports=passports,
                           settings=AccessSettings(min_component_nodes=1))
    assert walked["walk_status"].tolist() == ["ok", "ok"]


def test_the_shipped_towns_wheelchair_walks(shipped: Dataset) -> None:
    net = load_network(shipped.network_path)
    tags = net.edge_tags
    assert int((tags.kind == STEPS).sum()) == 6  # the park (2), the underpass, the footbridge
    assert int((tags.kerb == 1).sum()) > 0
    chair = profile_walks(net, shipped.households, shipped.precincts, profile="wheelchair",
                          passports=shipped.passports)
    plain = profile_walks(net, shipped.households, shipped.precincts, profile="walk",
                          passports=shipped.passports)
    assert (chair["wheelchair_status"] == "ok").all()  # the kerbs and steps have ways round
    assert (chair["walk_wheelchair_to"] == "entrance").all()  # every passport has its door
    assert int((chair["walk_wheelchair_m"] - plain["walk_walk_m"] > 1).sum()) > 100
    view = net.for_profile(PROFILES["wheelchair"])
    closed = ~np.isfinite(view.length_m)
    assert closed[(tags.kind == STEPS) & (tags.ramp != 1)].all()
    assert closed[tags.kerb == 1].all()
    # between the same two points, a wheelchair walk is never shorter than the plain one
    # (a wheelchair may start from another street when the nearest is closed to it)
    homes = snap_points(view, shipped.households.geometry, max_m=300)
    targets = snap_points(view, gpd.GeoSeries(doors_of(shipped), crs="EPSG:4326"), max_m=300)
    own = pd.Index(shipped.precincts["precinct_id"].astype(int)).get_indexer(
        shipped.households["precinct_id"].astype(int))
    same = walks_within(net, on_view(homes, net, view), on_view(targets, net, view))
    plain_same = same.toarray()[own, np.arange(len(own))]
    assert (chair["walk_wheelchair_m"].to_numpy() >= plain_same - 0.01).all()
    # and no wheelchair walk uses a step or a raised kerb: the routes read back are open
    points = gpd.GeoSeries(pd.concat([shipped.households.geometry.to_crs("EPSG:4326"),
                                      gpd.GeoSeries(doors_of(shipped), crs="EPSG:4326")],
                                     ignore_index=True), crs="EPSG:4326")
    snap = snap_points(view, points, max_m=300)
    cost = walks_within(view, snap, snap).toarray()
    edge_of = _edges_of(net)
    n = len(shipped.households)
    extra = (chair["walk_wheelchair_m"] - plain["walk_walk_m"]).to_numpy()
    for h in np.argsort(-extra)[:20]:  # the households sent farthest round
        t = n + int(own[h])
        nodes = walk_nodes(view, snap, t, int(h), walk_m=cost[t, h])
        edges = [min(edge_of[frozenset(p)], key=lambda e: view.length_m[e])
                 for p in itertools.pairwise(nodes)]
        assert nodes
        assert not closed[edges].any()


def doors_of(shipped: Dataset) -> gpd.array.GeometryArray:
    """The shipped precincts' entrances (WGS84), in the precincts' order."""
    return doors(shipped.precincts, shipped.passports)[0].to_numpy()


def test_the_build_keeps_the_wheelchair_walks(shipped_build: BuildReport) -> None:
    homes = read_geopackage(shipped_build.gpkg, "households")
    precincts = read_geopackage(shipped_build.gpkg, "precincts").set_index("precinct_id")
    for column in ("walk_wheelchair_m", "walk_wheelchair_min", "walk_wheelchair_known_pct",
                   "walk_wheelchair_to", "wheelchair_status", "wheelchair_nearest_precinct_id",
                   "walk_wheelchair_nearest_m", "walk_wheelchair_nearest_min"):
        assert column in homes.columns, column
    # per precinct: voters with no step-free route within 15 minutes, recounted
    far = homes["voters"].where(~(homes["walk_wheelchair_min"] <= 15), 0)
    want = far.groupby(homes["precinct_id"]).sum()
    got = precincts["voters_no_step_free_15"]
    assert (got.reindex(want.index) == want).all()
    assert int(got.sum()) > 0
    # the nearest precinct a wheelchair user can enter is one whose passport says so
    accessible = set(precincts.index[precincts["category_wheelchair"] == "accessible"])
    assert set(homes["wheelchair_nearest_precinct_id"].dropna().astype(int)) <= accessible
    assert (homes["walk_wheelchair_nearest_min"] <= homes["walk_wheelchair_min"] + 1e-9)[
        homes["precinct_id"].isin(accessible)].all()
    # the build records the profiles it used, and says what it found
    meta = open_build(shipped_build.gpkg).meta
    assert json.loads(meta["profiles"]) == json.loads(profiles_json())
    assert json.loads(meta["profiles"])["wheelchair"]["speed_kmh"] == 4.0
    summary = shipped_build.summary()
    voters = int(homes.loc[~(homes["walk_wheelchair_min"] <= 15), "voters"].sum())
    assert f"voters with no step-free route within 15 min: {voters:,} " in summary


def test_the_readme_states_the_profiles_word_for_word() -> None:
    from aksugeo.walk import profiles  # noqa: PLC0415

    doc = profiles.__doc__ or ""
    tables = doc[doc.index("**walk**"):].strip()

    def words(text: str) -> str:
        return re.sub(r"\s+", " ", text.replace("``", "`").replace(":mod:", "")).strip()

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert words(tables) in words(readme)


def test_the_passport_sheet_and_the_public_map_say_who_has_no_step_free_route(
        shipped_build: BuildReport, tmp_path: Path) -> None:
    precincts = read_geopackage(shipped_build.gpkg, "precincts").set_index("precinct_id")
    worst = int(precincts["voters_no_step_free_15"].idxmax())
    assert main(["report", "--db", str(shipped_build.gpkg), "--out", str(tmp_path / "r"),
                 "--precinct", str(worst)]) == 0
    sheet = (tmp_path / "r" / f"precinct_{worst}.html").read_text(encoding="utf-8")
    label = text("ru", "report.no_step_free", minutes=15, speed="4")
    value = count("ru", int(precincts.at[worst, "voters_no_step_free_15"]))
    assert re.search(re.escape(label) + r"</td><td class=\"num\">" + re.escape(value), sheet)
    assert main(["export", "public", "--db", str(shipped_build.gpkg), "--out",
                 str(tmp_path / "p")]) == 0
    public = json.loads((tmp_path / "p" / "precincts.geojson").read_text(encoding="utf-8"))
    shown = {f["properties"]["precinct_id"]: f["properties"]["voters_no_step_free_15"]
             for f in public["features"]}
    for pid, n in shown.items():  # the disclosure rule: none under 5, rounded to 5
        true = int(precincts.at[pid, "voters_no_step_free_15"])
        assert n is None or (n >= 5 and n % 5 == 0 and abs(n - true) < 5)
    assert any(n for n in shown.values())


def test_the_profiles_are_settings_the_build_records(mini: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    changes = ("wheelchair.speed_kmh=3", "wheelchair.steep_pct=6", "winter.cleared_streets=no")
    got = profiles_of(AccessSettings(profiles=changes))
    assert got["wheelchair"].speed_kmh == 3.0
    assert got["wheelchair"].steep_pct == 6.0
    assert got["winter"].cleared_streets is False
    assert got["walk"] == PROFILES["walk"]
    for bad, why in (("chair.speed_kmh=3", "no profile 'chair'"),
                     ("wheelchair.pace=3", "a profile has no 'pace'"),
                     ("wheelchair.speed_kmh=fast", "speed_kmh is a number"),
                     ("wheelchair.speed_kmh=-1", "must be positive"),
                     ("winter.cleared_streets=maybe", "is yes or no")):
        with pytest.raises(SettingsError, match=re.escape(why)):
            profiles_of(AccessSettings(profiles=(bad,)))
    with pytest.raises(SettingsError, match=re.escape("profile.field=value")):
        AccessSettings(profiles=("wheelchair speed 3",))
    # the command line takes them, the build walks by them and records them
    shutil.copytree(DATA / "network", mini / "network", dirs_exist_ok=True)
    assert main(["build", str(mini), "--out", str(tmp_path), "--profile",
                 "wheelchair.speed_kmh=3"]) == 0
    assert "wheelchair walks (3 km/h" in capsys.readouterr().out
    meta = open_build(tmp_path / "aksugeo.gpkg").meta
    assert json.loads(meta["profiles"])["wheelchair"]["speed_kmh"] == 3.0
    slow = read_geopackage(tmp_path / "aksugeo.gpkg", "households")
    assert main(["build", str(mini), "--out", str(tmp_path / "d")]) == 0
    usual = read_geopackage(tmp_path / "d" / "aksugeo.gpkg", "households")
    ok = (slow["wheelchair_status"] == "ok").to_numpy()
    assert ok.sum() > 0
    # the same routes (the speed chooses none), their minutes at 3 km/h instead of 4
    assert np.allclose(slow["walk_wheelchair_m"][ok], usual["walk_wheelchair_m"][ok])
    assert np.allclose(slow["walk_wheelchair_min"][ok], usual["walk_wheelchair_min"][ok] * 4 / 3)
    assert main(["build", str(mini), "--out", str(tmp_path), "--profile", "chair.x=1"]) == 1
    assert "no profile 'chair'" in capsys.readouterr().err


# --- more real extracts, with kerbs: around Moorgate (London) and Wendlingen station


@pytest.mark.parametrize(("tags", "codes"), [
    ({"highway": "bus_stop", "kerb": "raised"}, None),  # a boarding kerb, not one to cross
    ({"public_transport": "platform", "kerb:height": "0.16"}, None),
    ({"highway": "crossing", "kerb": "raised"}, (1, 0))])
def test_a_bus_stops_kerb_is_one_to_board_from(tags: dict[str, str],
                                               codes: tuple[int, int] | None) -> None:
    assert node_codes(tags) == codes


def test_wendlingens_raised_kerbs_are_its_bus_stops() -> None:
    net = load_network(REAL / "wendlingen-bahnhof.osm.pbf")
    assert int((net.edge_tags.kind == STEPS).sum()) == 20
    assert int((net.edge_tags.kerb == 1).sum()) == 0  # four kerb=raised, all at bus stops


def test_moorgate_wheelchair_walks_take_no_step_and_equal_networkx() -> None:
    net = load_network(REAL / "moorgate.osm.pbf")
    tags = net.edge_tags
    assert int((tags.kind == STEPS).sum()) == 111
    assert int((tags.kerb == UNKNOWN).sum()) > 0  # crossings with no kerb mapped
    assert int((tags.kerb == 0).sum()) > int((tags.kerb == UNKNOWN).sum())
    view = net.for_profile(PROFILES["wheelchair"])
    closed = ~np.isfinite(view.length_m)
    assert closed[(tags.kind == STEPS) & (tags.ramp != 1)].all()
    edge_of = _edges_of(net)
    flights = np.flatnonzero((tags.kind == STEPS) & (tags.ramp != 1))[::5][:20]
    ends = np.column_stack([net.u[flights], net.v[flights]]).ravel()
    pts = gpd.GeoSeries(gpd.points_from_xy(net.x[ends], net.y[ends]), crs=net.crs)
    chair = snap_points(view, pts, max_m=100, min_component_nodes=1)
    walker = snap_points(net, pts, max_m=100, min_component_nodes=1)
    costs = walks_within(view, chair, chair).toarray()
    same = walks_within(net, on_view(chair, net, view), on_view(chair, net, view)).toarray()
    g = _graph(view)
    checked = 0
    for a, b in zip(range(0, len(ends), 2), range(1, len(ends), 2), strict=True):
        if not (chair.ok[a] and chair.ok[b] and walker.ok[a]) or not 0 < costs[a, b] < np.inf:
            continue  # (no step-free way between some: the steps are the only link)
        nodes = walk_nodes(view, chair, a, b, walk_m=costs[a, b])
        edges = [min(edge_of[frozenset(p)], key=lambda e: view.length_m[e])
                 for p in itertools.pairwise(nodes)]
        assert not closed[edges].any()  # no step, no raised kerb, no barrier
        metres = sum(net.length_m[edges]) + _ends(net, chair, a, b, nodes)
        assert metres >= same[a, b] - 0.01  # never shorter than the plain walk
        if nodes:  # between the route's ends, the cost is networkx's on the same weights
            want = nx.dijkstra_path_length(g, nodes[0], nodes[-1], weight="w")
            assert float(view.length_m[edges].sum()) == pytest.approx(want, rel=1e-9)
        checked += 1
    assert checked >= 10


def test_reduced_mobility_minutes_weigh_the_steps(tmp_path: Path) -> None:
    """The build's reduced-mobility figures are the reduced profile's: steps cost 3 times."""
    net = _only_steps(tmp_path)
    steps_m = float(net.length_m[net.edge_tags.kind == STEPS].sum())
    assert 95 < steps_m < 105
    homes = gpd.GeoDataFrame({"precinct_id": [1, 1]}, geometry=gpd.points_from_xy(
        [76.9229, 76.9205], [52.0409, 52.0400]), crs="EPSG:4326")
    site = gpd.GeoDataFrame({"precinct_id": [1]}, geometry=gpd.points_from_xy([76.9202],
                                                                              [52.04]),
                            crs="EPSG:4326")
    settings = AccessSettings(min_component_nodes=1, reduced_speed_kmh=2.4, bands_min=(5, 10))
    got = analyse_access(net, homes, site, settings=settings, reduced_isochrones=True)
    walk_m = got.households["walk_assigned_m"].to_numpy()
    per_min = 2400 / 60
    # the first walks the steps (2 x their length more), the second only the footway
    expected = [(walk_m[0] + 2 * steps_m) / per_min, walk_m[1] / per_min]
    assert got.households["walk_assigned_min_reduced"].tolist() == pytest.approx(expected,
                                                                                  rel=1e-9)
    # the same walks as the profile gives them snapping afresh, with no help from the engine
    alone = profile_walks(net, homes, site, profile="reduced", settings=settings)
    assert alone["walk_reduced_min"].tolist() == pytest.approx(expected, rel=1e-9)
    assert alone["walk_reduced_m"].tolist() == pytest.approx(walk_m.tolist(), rel=1e-9)
    # the reduced bands are the profile's too: 10 minutes at 2.4 km/h are 400 m of cost, which
    # end just past the top of the steps (the plain walk's 400 m reach the end of the street)
    end = gpd.GeoSeries(gpd.points_from_xy([76.923], [52.0409]), crs="EPSG:4326").to_crs(
        net.crs).iloc[0]
    assert not got.isochrones_reduced.set_index("minutes").geometry.loc[10].contains(end)
    plain = analyse_access(net, homes, site, settings=replace(settings, speed_kmh=2.4))
    assert plain.isochrones.set_index("minutes").geometry.loc[10].contains(end)
    # to the nearest accessible precinct too
    walks = accessible_walks(net, homes, site, np.array([True]), settings=settings)
    assert walks["walk_accessible_min_reduced"].tolist() == pytest.approx(expected, rel=1e-9)


def test_the_walk_profiles_speeds_are_the_builds() -> None:
    slow = profiles_of(AccessSettings(speed_kmh=3.6, reduced_speed_kmh=2.5))
    assert (slow["walk"].speed_kmh, slow["winter"].speed_kmh, slow["reduced"].speed_kmh) == (
        3.6, 3.6, 2.5)
    assert slow["wheelchair"].speed_kmh == PROFILES["wheelchair"].speed_kmh
    assert json.loads(profiles_json(AccessSettings(speed_kmh=3.6)))["walk"]["speed_kmh"] == 3.6


def test_the_shipped_towns_underpass_and_footbridge(shipped: Dataset) -> None:
    """Steps down under the main street and up over the railway: a walk may take them, a
    wheelchair crosses at grade, and neither is shorter than the crossing it doubles."""
    import osmium  # noqa: PLC0415

    assert shipped.network_path is not None
    kinds: dict[str, list[list[int]]] = {"tunnel": [], "bridge": []}
    for way in osmium.FileProcessor(str(shipped.network_path), osmium.osm.WAY):
        for kind, found in kinds.items():
            if way.tags.get(kind) == "yes" and way.tags.get("highway") in ("steps", "footway"):
                found.append([n.ref for n in way.nodes])
    assert [len(v) for v in kinds.values()] == [3, 3]  # steps, the passage, steps
    net = load_network(shipped.network_path)
    chair = net.for_profile(PROFILES["wheelchair"])
    index = {int(n): i for i, n in enumerate(net.node_id)}
    for kind, ways in kinds.items():
        nodes = {n for w in ways for n in w}
        ends = [n for n in nodes if sum(n in w for w in ways) == 1]
        assert len(ends) == 2
        a, b = (index[n] for n in ends)
        g = _graph(net)
        passage = sum(g[index[w[0]]][index[w[1]]]["w"] for w in ways)
        if kind == "bridge":  # from the street, 15 m aside to the foot of each flight
            inner = {index[n] for n in nodes}
            a, b = (next(m for m in g[k] if m not in inner) for k in (a, b))
            passage += g[a][index[ends[0]]]["w"] + g[b][index[ends[1]]]["w"]
        plain = nx.dijkstra_path_length(g, a, b, weight="w")
        by_chair = nx.dijkstra_path_length(_graph(chair), a, b, weight="w")
        if kind == "tunnel":  # as long as the crossing above, to the millimetre (the file's
            # coordinates have 7 decimals): the plain walk is as long either way
            assert plain == pytest.approx(passage, abs=1e-3)
            assert by_chair == pytest.approx(passage, abs=1e-3)
        else:  # the level crossing is shorter than the way over the bridge (metres on the
            # ground, laid out in the town's UTM plane: within its scale factor)
            assert plain == pytest.approx(60.0, rel=1e-3)
            assert passage == pytest.approx(90.0, rel=1e-3)
            assert by_chair == pytest.approx(plain, abs=1e-6)
