"""Walking access against networkx's Dijkstra on the same graph, statuses, statistics."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod

from aksugeo.data.io import Dataset
from aksugeo.settings import AccessSettings
from aksugeo.walk.access import (
    HOUSEHOLD_COLUMNS,
    AccessResult,
    analyse_access,
    band_statistics,
    closer_precincts,
    household_access,
)
from aksugeo.walk.network import WalkNetwork, load_network
from aksugeo.walk.profiles import profiles_of
from aksugeo.walk.snapping import Snap, snap_points

from .conftest import DATA
from .reference import node_distances, reference_graph

OSM = Path(__file__).resolve().parent / "input_data" / "osm" / "walk_rules.osm"
TOL_M = 0.01


def points(lonlat: list[tuple[float, float] | None], **cols: list[object]) -> gpd.GeoDataFrame:
    geoms = [shapely.Point(p) if p else None for p in lonlat]
    return gpd.GeoDataFrame(cols, geometry=geoms, crs="EPSG:4326")


def check_against_networkx(net: WalkNetwork, households: gpd.GeoDataFrame,
                           precincts: gpd.GeoDataFrame, access: pd.DataFrame) -> int:
    """Assert every walk equals networkx's; return how many walks were compared."""
    settings = AccessSettings()
    hs = snap_points(net, households.geometry, max_m=settings.max_snap_m)
    ps = snap_points(net, precincts.geometry, max_m=settings.max_snap_m)
    graph = reference_graph(net, {"h": hs, "p": ps})
    pid = precincts["precinct_id"].to_numpy()
    assigned = pd.Index(pid).get_indexer(households["precinct_id"])
    compared = 0
    for k in np.flatnonzero(ps.ok):
        dist = nx.single_source_dijkstra_path_length(graph, ("p", int(k)), weight="weight")
        for i in np.flatnonzero((assigned == k) & hs.ok):
            want = dist.get(("h", int(i)), np.inf)
            got = access["walk_assigned_m"].iloc[i]
            if np.isfinite(want):
                assert abs(got - want) <= TOL_M, (i, got, want)
                compared += 1
            else:
                assert access["status"].iloc[i] == "unreachable"
    sources = {("p", int(k)) for k in np.flatnonzero(ps.ok)}
    near, path = nx.multi_source_dijkstra(graph, sources, weight="weight")
    for i in np.flatnonzero(hs.ok):
        want = near.get(("h", int(i)), np.nan)
        got = access["walk_nearest_m"].iloc[i]
        if np.isnan(want):
            assert np.isnan(got)
            continue
        assert abs(got - want) <= TOL_M, (i, got, want)
        # the engine's nearest precinct is as near as networkx's (ties may differ)
        mine = int(np.flatnonzero(pid == access["nearest_precinct_id"].iloc[i])[0])
        d_mine = nx.dijkstra_path_length(graph, ("p", mine), ("h", int(i)), weight="weight")
        assert abs(d_mine - want) <= TOL_M
        assert path[("h", int(i))][0] in sources
    return compared


@pytest.fixture(scope="module")
def fixture_net() -> WalkNetwork:
    return load_network(OSM, cache=False)


def fixture_case() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    precincts = points([(76.9007, 52.00005), (76.9045, 52.0018), (76.98, 52.0)],
                       precinct_id=[1, 2, 3])
    homes = [
        (76.9016, 52.0003),   # 0: by the southern street, precinct 1
        (76.9032, 52.0010),   # 1: on the one-way street (walked both ways)
        (76.9046, 52.0014),   # 2: by the east column, precinct 2
        (76.9004, 52.0027),   # 3: north-west, nearer to precinct 1 or 2?
        (76.9011, 52.00008),  # 4: on precinct 1's own edge
        (76.9509, 52.0001),   # 5: on the island: no path to precinct 1
        (76.9600, 52.0100),   # 6: a kilometre from any street
        None,                 # 7: not geocoded
        (76.9022, 52.0016),   # 8: assigned to the precinct off the network
        (76.9002, 52.0029),   # 9: by the trunk road, assigned far away
    ]
    households = points(homes, household_id=[f"h{i}" for i in range(10)],
                        precinct_id=[1, 1, 2, 2, 1, 1, 1, 1, 3, 2],
                        voters=[3, 2, 4, 1, 2, 5, 1, 2, 3, 1])
    households.index = [f"row{i}" for i in range(10)]  # the result keeps any index
    return households, precincts


def test_fixture_walks_equal_networkx(fixture_net: WalkNetwork) -> None:
    households, precincts = fixture_case()
    access = household_access(fixture_net, households, precincts)
    assert list(access.columns) == list(HOUSEHOLD_COLUMNS)
    assert access.index.tolist() == households.index.tolist()
    assert access["status"].tolist() == ["ok", "ok", "ok", "ok", "ok", "unreachable",
                                         "off_network", "not_geocoded",
                                         "precinct_off_network", "ok"]
    assert check_against_networkx(fixture_net, households, precincts, access) == 6
    # household 4 shares precinct 1's edge: the walk runs straight along it
    assert access["walk_assigned_m"].iloc[4] < 60
    off = access.iloc[6]
    assert off["snap_m"] > 300
    assert np.isnan(off["walk_assigned_m"])
    assert np.isnan(access["snap_m"].iloc[7])
    assert pd.isna(access["nearest_precinct_id"].iloc[5])  # no precinct on the island


def test_minutes_follow_the_speeds(fixture_net: WalkNetwork) -> None:
    households, precincts = fixture_case()
    slow = AccessSettings(speed_kmh=3.6, reduced_speed_kmh=1.8)
    access = household_access(fixture_net, households, precincts, settings=slow)
    ok = access["status"] == "ok"
    assert np.allclose(access.loc[ok, "walk_assigned_min"],
                       access.loc[ok, "walk_assigned_m"] / 60.0)
    assert np.allclose(access.loc[ok, "walk_assigned_min_reduced"],
                       access.loc[ok, "walk_assigned_m"] / 30.0)


def test_band_statistics_count_exactly(fixture_net: WalkNetwork) -> None:
    households, precincts = fixture_case()
    access = household_access(fixture_net, households, precincts)
    stats = band_statistics(households, access)
    minutes = access["walk_assigned_min"]
    ok = access["status"] == "ok"
    for band in (5, 10, 15, 20):
        want = int(households["voters"][ok & (minutes <= band)].sum())
        assert stats.loc["all", f"voters_within_{band}"] == want
    assert stats.loc["all", "voters_no_walk"] == 5 + 1 + 2 + 3  # households 5 to 8
    assert stats.loc["all", "voters"] == 24
    assert stats.loc[1, "households"] == 6


@pytest.fixture(scope="module")
def aksu(shipped: Dataset) -> tuple[WalkNetwork, AccessResult]:
    net = load_network(DATA / "network/aksu.osm.bz2")
    area = shipped.boundary.to_crs(net.crs).union_all()
    return net, analyse_access(net, shipped.households, shipped.precincts, study_area=area)


def test_shipped_walks_equal_networkx(shipped: Dataset,
                                      aksu: tuple[WalkNetwork, AccessResult]) -> None:
    net, result = aksu
    access = result.households
    assert len(access) == len(shipped.households) == 6_515
    assert (access["status"] == "ok").all()
    assert check_against_networkx(net, shipped.households, shipped.precincts, access) == 6_515


def test_snap_distance_is_the_distance_to_the_nearest_street(
        shipped: Dataset, aksu: tuple[WalkNetwork, AccessResult]) -> None:
    net, result = aksu
    sample = shipped.households.to_crs(net.crs).geometry.to_numpy()[::37]
    brute = shapely.distance(sample[:, None], net.lines[None, :]).min(axis=1)
    assert np.allclose(result.households["snap_m"].to_numpy()[::37], brute, atol=1e-6)


def test_closer_precincts_are_really_closer(shipped: Dataset,
                                            aksu: tuple[WalkNetwork, AccessResult]) -> None:
    _, result = aksu
    closer = closer_precincts(shipped.households, result.households)
    assert len(closer) > 50
    assert (closer["nearest_precinct_id"] != closer["precinct_id"]).all()
    assert np.allclose(closer["saving_m"], closer["walk_assigned_m"] - closer["walk_nearest_m"])
    assert closer["saving_m"].is_monotonic_decreasing
    # the registry errors: city houses assigned across town walk kilometres more than needed
    assert (closer["saving_m"] > 2_000).sum() >= 6


def reference_walks(net: WalkNetwork, node_dist: np.ndarray, ps: Snap, k: int,
                    pts: gpd.GeoSeries) -> np.ndarray:
    """The walk from precinct ``k`` to each point, from networkx's node distances."""
    hs = snap_points(net, pts, max_m=300)
    e = np.maximum(hs.edge, 0)
    walk = hs.snap_m + np.minimum(hs.offset_m + node_dist[net.u[e]],
                                  net.length_m[e] - hs.offset_m + node_dist[net.v[e]])
    own = hs.edge == ps.edge[k]
    walk[own] = np.minimum(walk[own], hs.snap_m[own] + ps.snap_m[k]
                           + np.abs(hs.offset_m[own] - ps.offset_m[k]))
    return np.where(hs.ok, walk, np.inf)


def test_isochrones_hold_the_places_whose_walk_is_short_enough(
        shipped: Dataset, aksu: tuple[WalkNetwork, AccessResult]) -> None:
    net, result = aksu
    iso = result.isochrones
    assert len(iso) == 40 * 4
    assert sorted(iso["minutes"].unique()) == [5, 10, 15, 20]
    assert iso.is_valid.all()
    ps = snap_points(net, shipped.precincts.geometry, max_m=300)
    graph = reference_graph(net, {"p": ps})
    xy = shipped.precincts.to_crs(net.crs).get_coordinates().to_numpy()
    rng = np.random.default_rng(0)
    for k in (0, 18, 25):  # a microdistrict, the private houses, a village
        dist = node_distances(graph, ("p", k), net.n_nodes)
        pid = shipped.precincts["precinct_id"].iloc[k]
        mine = iso[iso["precinct_id"] == pid].set_index("minutes").geometry
        # 4,000 places within 1.6 km of the precinct, each walked by the reference
        pts = xy[k] + rng.uniform(-1600, 1600, (4000, 2))
        walk = reference_walks(net, dist, ps, k, gpd.GeoSeries(shapely.points(pts),
                                                               crs=net.crs))
        for minutes in (5, 10, 15, 20):
            dist_m = minutes * 75.0
            inside = shapely.contains_xy(mine[minutes], pts[:, 0], pts[:, 1])
            wrong = inside != (walk <= dist_m)
            # drawn from the walk on a 10 m grid: a place is misplaced only near the polygon's
            # edge, within two cells' diagonals (where the walk changes fast: a street's end,
            # or the line between two streets the places on either side walk from)
            edge_m = shapely.distance(mine[minutes].boundary, shapely.points(pts[wrong]))
            assert (edge_m <= 2 * 10 * np.sqrt(2)).all()
            assert wrong.mean() <= 0.005
        for small, big in ((5, 10), (10, 15), (15, 20)):  # nested, to overlay noise of 1 mm
            assert mine[big].buffer(1e-3).contains(mine[small])


def test_households_lie_in_the_isochrones_their_walks_say(
        shipped: Dataset, aksu: tuple[WalkNetwork, AccessResult]) -> None:
    # the count: 593 + 200 of 20,727 were wrong with buffered streets
    net, result = aksu
    wrong, total = misplaced(result, shipped.households.to_crs(net.crs))
    assert total == 4 * len(shipped.households)
    assert wrong / total <= 0.005


def misplaced(result: AccessResult, homes: gpd.GeoDataFrame) -> tuple[int, int]:
    """Households on the wrong side of one of their precinct's isochrones, and all counted.

    Wrong: outside a band its walk is within, or inside one its walk passes by over 5%.
    """
    iso = result.isochrones.set_index(["precinct_id", "minutes"]).geometry
    walk = result.households["walk_assigned_m"].to_numpy()
    x, y = homes.geometry.x.to_numpy(), homes.geometry.y.to_numpy()
    pid = homes["precinct_id"].to_numpy()
    wrong = total = 0
    for minutes in result.settings.bands_min:
        dist_m = result.settings.metres(minutes)
        for p in np.unique(pid):
            mask = pid == p
            inside = shapely.contains_xy(iso[(p, minutes)], x[mask], y[mask])
            w = walk[mask]
            wrong += int(((w <= dist_m) & ~inside).sum() + (inside & (w > 1.05 * dist_m)).sum())
            total += int(mask.sum())
    return wrong, total


def test_village_isochrones_stay_in_their_village(shipped: Dataset,
                                                  aksu: tuple[WalkNetwork, AccessResult]) -> None:
    net, result = aksu
    homes = shipped.households.to_crs(net.crs)
    rural = shipped.precincts[shipped.precincts["area_type"] == "rural"]
    iso = result.isochrones.set_index(["precinct_id", "minutes"]).geometry
    for pid, settlement in zip(rural["precinct_id"], rural["settlement"], strict=True):
        poly = iso[(pid, 20)]
        inside = homes[homes.within(poly)]
        assert len(inside) > 0
        assert set(inside["settlement"]) == {settlement}, pid


def test_catchments_split_the_land_by_nearest_precinct(
        shipped: Dataset, aksu: tuple[WalkNetwork, AccessResult]) -> None:
    net, result = aksu
    catch = result.catchments.set_index("precinct_id").geometry
    assert len(catch) == 40
    assert catch.is_valid.all()
    assert abs(catch.area.sum() - shapely.union_all(catch.to_numpy()).area) < 1.0  # no overlap
    homes = shipped.households.to_crs(net.crs).reset_index(drop=True)
    nearest = result.households["nearest_precinct_id"].to_numpy()
    zones = gpd.GeoDataFrame({"zone": catch.index}, geometry=catch.to_numpy(), crs=net.crs)
    hits = gpd.sjoin(homes, zones, predicate="within")
    in_own = (hits["zone"].to_numpy() == nearest[hits.index]).sum()
    assert in_own >= 0.99 * len(homes)
    for pid, point in zip(shipped.precincts["precinct_id"],
                          shipped.precincts.to_crs(net.crs).geometry, strict=True):
        assert catch[pid].contains(point), pid


def test_a_footbridge_over_a_road_does_not_join_it() -> None:
    net = load_network(OSM.with_name("footbridge.osm"), cache=False)
    assert net.n_nodes == 6  # no node where the bridge crosses the road
    precinct = points([(76.9045, 51.99995)], precinct_id=[1])
    home = points([(76.90162, 51.9995)], precinct_id=[1], voters=[2])
    access = household_access(net, home, precinct)
    assert access["status"].iloc[0] == "ok"
    # by the bridge's north end, the footway to the road's west end, and along the road
    ellipsoid = Geod(ellps="WGS84")  # edges are geodesics on the ellipsoid
    legs = [(76.9015, 51.9995, 76.9015, 52.0009), (76.9015, 52.0009, 76.9, 52.0009),
            (76.9, 52.0009, 76.9, 52.0), (76.9, 52.0, 76.9045, 52.0)]
    along = sum(ellipsoid.inv(a, b, c, d)[2] for a, b, c, d in legs)
    snaps = access["snap_m"].iloc[0] + snap_points(net, precinct.geometry, max_m=300).snap_m[0]
    assert abs(access["walk_assigned_m"].iloc[0] - (along + snaps)) < 0.5
    assert access["walk_assigned_m"].iloc[0] > 600  # not the 60 m straight down to the road
    assert check_against_networkx(net, home, precinct, access) == 1


# --- real extracts (tests/input_data/osm/real, ODbL) ---------------------------------------

HELSINKI = OSM.parent / "real" / "helsinki_centre.osm.pbf"


@pytest.fixture(scope="module")
def helsinki() -> WalkNetwork:
    return load_network(HELSINKI, cache=False)


def random_points(net: WalkNetwork, n: int, seed: int, **cols: object) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    x = rng.uniform(net.x.min(), net.x.max(), n)
    y = rng.uniform(net.y.min(), net.y.max(), n)
    return gpd.GeoDataFrame(cols, geometry=gpd.points_from_xy(x, y), crs=net.crs)


def test_real_walks_equal_networkx(helsinki: WalkNetwork) -> None:
    precincts = random_points(helsinki, 12, 1, precinct_id=np.arange(1, 13))
    rng = np.random.default_rng(2)
    households = random_points(helsinki, 400, 3, precinct_id=rng.integers(1, 13, 400))
    access = household_access(helsinki, households, precincts)
    assert check_against_networkx(helsinki, households, precincts, access) > 300


def test_points_on_fragments_are_snapped_past_them(helsinki: WalkNetwork) -> None:
    fragment = helsinki.fragment_edges(50)
    assert 0 < fragment.sum() < helsinki.n_edges / 10
    # a point half a metre off the middle of every fragment edge that is its nearest edge
    mid = shapely.line_interpolate_point(helsinki.lines[fragment], 0.5, normalized=True)
    pts = gpd.GeoSeries(shapely.points(shapely.get_coordinates(mid) + np.array([0.0, 0.5])),
                        crs=helsinki.crs)
    pts = pts[fragment[snap_points(helsinki, pts, max_m=300, min_component_nodes=1).edge]]
    pts = pts.reset_index(drop=True)
    assert len(pts) > 20
    moved = snap_points(helsinki, pts, max_m=300)
    assert moved.ok.all()
    assert moved.moved.all()
    assert not fragment[moved.edge].any()
    # snapped to the nearest street off fragments: no such street nearer
    main = helsinki.lines[~fragment]
    nearest = shapely.distance(main[None, :], np.asarray(pts)[:, None]).min(axis=1)
    np.testing.assert_allclose(moved.snap_m, nearest, atol=1e-6)
    # a household there reaches a precinct on the main network; without the rule it cannot
    precinct = random_points(helsinki, 1, 5, precinct_id=[1])
    homes = gpd.GeoDataFrame({"precinct_id": np.ones(len(pts), dtype=int)}, geometry=pts)
    with_rule = household_access(helsinki, homes, precinct)
    assert (with_rule["status"] == "ok").all(), with_rule["status"].value_counts()
    without = household_access(helsinki, homes, precinct,
                               settings=AccessSettings(min_component_nodes=1))
    assert (without["status"] == "unreachable").all()


def test_real_isochrones_agree_with_the_walks(helsinki: WalkNetwork) -> None:
    rng = np.random.default_rng(4)
    precincts = random_points(helsinki, 10, 6, precinct_id=np.arange(1, 11))
    homes = random_points(helsinki, 3000, 7, precinct_id=rng.integers(1, 11, 3000))
    result = analyse_access(helsinki, homes, precincts, catchments=False)
    assert result.isochrones.is_valid.all()
    wrong, total = misplaced(result, homes)
    assert total == 4 * len(homes)
    assert wrong / total <= 0.005


def test_reduced_isochrones_are_the_reduced_profiles(shipped: Dataset,
                                                     aksu: tuple[WalkNetwork, AccessResult],
                                                     ) -> None:
    # the same bands as a whole analysis, at the slower speed, of the reduced profile's network
    # (the shipped town's steps weighed 3 times): the reduced bands reuse the precincts' snaps
    net, _ = aksu
    both = analyse_access(net, shipped.households, shipped.precincts, catchments=False,
                          reduced_isochrones=True)
    slow = AccessSettings(speed_kmh=AccessSettings().reduced_speed_kmh)
    view = net.for_profile(profiles_of()["reduced"])
    assert view is not net  # the town has steps
    alone = analyse_access(view, shipped.households, shipped.precincts, settings=slow,
                           catchments=False).isochrones
    mine = both.isochrones_reduced.set_index(["precinct_id", "minutes"]).geometry
    theirs = alone.set_index(["precinct_id", "minutes"]).geometry
    assert len(mine) == len(theirs) == 160
    for key, geom in theirs.items():
        assert mine[key].symmetric_difference(geom).area <= 1e-6 * max(geom.area, 1.0), key
    # and slower means smaller
    normal = both.isochrones.set_index(["precinct_id", "minutes"]).geometry
    assert all(normal[k].buffer(1e-3).contains(mine[k]) for k in mine.index)
