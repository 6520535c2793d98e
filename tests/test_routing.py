"""The searches: the nearest-precinct search against one search per precinct, on random networks.

The multi-source search once dropped a precinct that started farther above the lowest start than
its circle of buckets spans (a long snap, a precinct far along its edge). The property below
holds for any network, any snaps up to the limit and any households.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely import points as make_points

from aksugeo.settings import AccessSettings
from aksugeo.walk.access import household_access
from aksugeo.walk.distances import walks_within
from aksugeo.walk.network import WalkNetwork, load_network
from aksugeo.walk.routing import walk_nodes, walk_path
from aksugeo.walk.snapping import foot_xy, snap_points

from .reference import reference_graph

CRS = "EPSG:32643"
X0, Y0 = 500_000.0, 5_800_000.0
MAX_SNAP_M = 300.0


def line_network(n: int, step_m: float) -> WalkNetwork:
    """A straight street of ``n`` edges, ``step_m`` long each."""
    x = np.arange(n + 1) * step_m + X0
    return WalkNetwork.from_arrays(x, np.full(n + 1, Y0), np.arange(n), np.arange(1, n + 1),
                                   crs=CRS)


def frame(xy: np.ndarray, **cols: object) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(cols, geometry=make_points(xy), crs=CRS)


def test_a_precinct_far_off_its_street_is_still_found() -> None:
    # the case: precinct 2 snaps from 100 m off the street at the far end; the
    # household is assigned to it, walks 126 m to it, and 177 m to precinct 1
    net = line_network(20, 10.0)
    pre = frame(np.array([[X0, Y0 + 1], [X0 + 200, Y0 + 100]]), precinct_id=[1, 2])
    hh = frame(np.array([[X0 + 175, Y0 + 1]]), precinct_id=[2])
    out = household_access(net, hh, pre)
    assert out["walk_assigned_m"].iloc[0] == 126.0
    assert out["nearest_precinct_id"].iloc[0] == 2
    assert out["walk_nearest_m"].iloc[0] == 126.0


@st.composite
def cases(draw: st.DrawFn) -> tuple[WalkNetwork, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """A random planar-ish network, precincts snapped from up to the limit, households."""
    n_nodes = draw(st.integers(4, 40))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    span = draw(st.sampled_from([100.0, 400.0, 2000.0]))
    x = rng.uniform(0, span, n_nodes) + X0
    y = rng.uniform(0, span, n_nodes) + Y0
    # each node joined to a few of its nearest: short edges, some long ones, some components
    k = draw(st.integers(1, 3))
    d = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :])
    np.fill_diagonal(d, np.inf)
    near = np.argsort(d, axis=1)[:, :k]
    u = np.repeat(np.arange(n_nodes), k)
    v = near.ravel()
    extra = draw(st.integers(0, 5))  # a few long edges across the area
    u = np.concatenate([u, rng.integers(0, n_nodes, extra)])
    v = np.concatenate([v, rng.integers(0, n_nodes, extra)])
    keep = u != v
    net = WalkNetwork.from_arrays(x, y, u[keep], v[keep], crs=CRS)
    n_pre = draw(st.integers(1, 6))
    # precincts anywhere around the network, up to the snap limit from it and beyond
    pre_xy = np.column_stack([rng.uniform(-MAX_SNAP_M, span + MAX_SNAP_M, n_pre) + X0,
                              rng.uniform(-MAX_SNAP_M, span + MAX_SNAP_M, n_pre) + Y0])
    n_hh = draw(st.integers(1, 30))
    hh_xy = np.column_stack([rng.uniform(-50, span + 50, n_hh) + X0,
                             rng.uniform(-50, span + 50, n_hh) + Y0])
    pre = frame(pre_xy, precinct_id=np.arange(1, n_pre + 1))
    hh = frame(hh_xy, precinct_id=rng.integers(1, n_pre + 1, n_hh))
    return net, pre, hh


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_nearest_is_the_least_of_the_single_precinct_walks(
        case: tuple[WalkNetwork, gpd.GeoDataFrame, gpd.GeoDataFrame]) -> None:
    net, pre, hh = case
    opts = AccessSettings(max_snap_m=MAX_SNAP_M, min_component_nodes=1)
    out = household_access(net, hh, pre, settings=opts)
    # one precinct at a time: every household assigned to it, the bounded search's walk
    single = np.column_stack([
        household_access(net, hh.assign(precinct_id=pid), pre.iloc[[i]],
                         settings=opts)["walk_assigned_m"].to_numpy()
        for i, pid in enumerate(pre["precinct_id"])])
    least = np.where(np.isfinite(single), single, np.inf).min(axis=1, initial=np.inf)
    has_one = np.isfinite(least)
    ok = out["status"].to_numpy() == "ok"
    got = out["walk_nearest_m"].to_numpy(dtype=float)
    # every household on the network with a precinct in reach has it, at the least walk
    on_net = ~np.isnan(out["snap_m"].to_numpy(dtype=float)) & (out["snap_m"] <= MAX_SNAP_M)
    np.testing.assert_allclose(got[on_net & has_one], least[on_net & has_one], rtol=0,
                               atol=1e-6)
    assert np.isnan(got[on_net & ~has_one]).all()
    nearest_id = out["nearest_precinct_id"].to_numpy(dtype=float)
    assert not np.isnan(nearest_id[on_net & has_one]).any()
    # the nearest precinct's own walk is the one reported
    cols = pd.Index(pre["precinct_id"]).get_indexer(nearest_id[on_net & has_one].astype(int))
    np.testing.assert_allclose(single[np.flatnonzero(on_net & has_one), cols],
                               got[on_net & has_one], atol=1e-6)
    # nearest is never longer than assigned
    assigned = out["walk_assigned_m"].to_numpy(dtype=float)
    assert (got[ok] <= assigned[ok] + 1e-9).all()


# --- the walk between two snapped points, drawn -----------------------------------------------

HELSINKI = Path(__file__).parent / "input_data" / "osm" / "real" / "helsinki_centre.osm.pbf"


@pytest.fixture(scope="module")
def helsinki() -> WalkNetwork:
    return load_network(HELSINKI)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.floats(0.05, 0.95), st.floats(0.05, 0.95)), min_size=2,
                max_size=2))
def test_the_drawn_walk_is_the_measured_walk_on_a_real_city(
        helsinki: WalkNetwork, where: list[tuple[float, float]]) -> None:
    # turfs drew their walks with scipy beside the project's engine; now one search draws the
    # walk walks_within measures: its length, edge by edge, against networkx
    net = helsinki
    x0, x1, y0, y1 = net.x.min(), net.x.max(), net.y.min(), net.y.max()
    xy = np.array([[x0 + fx * (x1 - x0), y0 + fy * (y1 - y0)] for fx, fy in where])
    snap = snap_points(net, gpd.GeoSeries(make_points(xy), crs=net.crs), max_m=MAX_SNAP_M)
    if not snap.ok.all():
        return
    walk_m = float(walks_within(net, snap, snap).toarray()[0, 1])
    graph = reference_graph(net, {"p": snap})
    assert walk_m == pytest.approx(nx.shortest_path_length(graph, ("p", 0), ("p", 1),
                                                           weight="weight"), abs=1e-6)
    coords = walk_path(net, snap, 0, 1, walk_m=walk_m)
    assert coords[0] == pytest.approx(foot_xy(net, snap, 0))
    assert coords[-1] == pytest.approx(foot_xy(net, snap, 1))
    # every step between the feet is an edge of the network (or the shared edge itself),
    # and the steps add up to the walk: lengths are geodesic, coordinates planar UTM
    chain = walk_nodes(net, snap, 0, 1, walk_m=walk_m)
    assert coords[1:-1] == list(zip(net.x[chain].tolist(), net.y[chain].tolist(), strict=True))
    g = net.csr
    along = 0.0
    for a, b in itertools.pairwise(chain):
        row = slice(g.indptr[a], g.indptr[a + 1])
        assert b in g.indices[row]
        along += float(g.data[row][list(g.indices[row]).index(b)])
    planar = shapely.LineString(coords).length
    assert planar + snap.snap_m.sum() == pytest.approx(walk_m, rel=2e-3, abs=0.5)
    assert along <= walk_m + 1e-6
