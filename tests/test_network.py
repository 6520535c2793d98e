"""The walking network: pedestrian rules, lengths, PBF, the cache, errors."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import numpy as np
import osmium
import osmnx as ox
import pytest
from pyproj import Geod
from scipy.sparse.csgraph import dijkstra

from aksugeo import AksugeoError
from aksugeo.walk import network as network_module
from aksugeo.walk.network import load_network
from aksugeo.walk.pedestrian import is_walkable

OSM = Path(__file__).resolve().parent / "input_data" / "osm" / "walk_rules.osm"


def test_fixture_network_keeps_exactly_the_walkable_segments() -> None:
    net = load_network(OSM, cache=False)
    # grid rows 3+3+3, west column 2, east column (foot=yes) 2, footway 2, trunk with a
    # sidewalk 1, island 1
    assert net.n_edges == 17
    assert sorted(net.node_id.tolist()) == [*range(1, 13), 40, 41, 50]
    assert int(net.component.max()) + 1 == 2  # the island stands apart
    assert net.crs.to_epsg() == 32643
    pairs = {tuple(sorted(p)) for p in zip(net.node_id[net.u].tolist(),
                                           net.node_id[net.v].tolist(), strict=True)}
    assert (5, 6) in pairs  # the one-way street, walkable both ways
    assert (3, 7) not in pairs  # private service road
    assert (6, 11) not in pairs  # foot=no


def test_lengths_are_ellipsoidal_not_spherical() -> None:
    net = load_network(OSM, cache=False)
    graph = ox.graph_from_xml(OSM, bidirectional=True, simplify=False, retain_all=True)
    geod = Geod(ellps="WGS84")
    for e in range(net.n_edges):
        a, b = int(net.node_id[net.u[e]]), int(net.node_id[net.v[e]])
        na, nb = graph.nodes[a], graph.nodes[b]
        assert abs(geod.inv(na["x"], na["y"], nb["x"], nb["y"])[2] - net.length_m[e]) < 1e-6
        # osmnx's haversine on the 6,371,009 m sphere is short at 52 N: by 0.06% north-south
        # (the meridian's radius there is 6,375 km) to 0.32% east-west (6,391 km)
        ratio = net.length_m[e] / graph[a][b][0]["length"]
        assert 1.0005 < ratio < 1.0035


def test_pbf_reads_like_xml(tmp_path: Path) -> None:
    pbf = tmp_path / "walk_rules.osm.pbf"
    with osmium.SimpleWriter(str(pbf)) as writer:
        for obj in osmium.FileProcessor(str(OSM)):
            writer.add(obj)
    a, b = load_network(OSM, cache=False), load_network(pbf, cache=False)
    assert np.array_equal(a.node_id, b.node_id)
    assert np.array_equal(a.u, b.u)
    assert np.array_equal(a.v, b.v)
    assert np.allclose(a.length_m, b.length_m, atol=1e-6)
    assert np.allclose(a.x, b.x, atol=1e-3)


def test_cache_is_used_and_a_changed_file_is_read_again(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    data, cache = tmp_path / "data", tmp_path / "cache"
    data.mkdir()
    monkeypatch.setenv("AKSUGEO_CACHE_DIR", str(cache))
    path = data / "walk.osm"
    shutil.copy(OSM, path)
    data.chmod(0o555)  # the user's folder may be read-only: nothing is written beside the file
    first = load_network(path)
    assert sorted(p.name for p in data.iterdir()) == ["walk.osm"]
    assert len(list(cache.glob("*.walk.npz"))) == 1
    reads = []
    real = network_module._read_osm  # noqa: SLF001  (counting the reads of the file)
    monkeypatch.setattr(network_module, "_read_osm",
                        lambda p: reads.append(p) or real(p))
    again = load_network(path)
    assert reads == []  # from the cache
    assert np.array_equal(again.u, first.u)
    assert again.crs == first.crs
    text = path.read_text(encoding="utf-8").replace('<tag k="highway" v="construction"/>',
                                                    '<tag k="highway" v="path"/>')
    data.chmod(0o755)
    path.write_text(text, encoding="utf-8")
    changed = load_network(path)
    assert reads == [path]  # the file changed, so it was read again
    assert changed.n_edges == first.n_edges + 1


def test_missing_and_broken_files_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(AksugeoError, match="network file not found"):
        load_network(tmp_path / "none.osm")
    bad = tmp_path / "bad.osm"
    bad.write_text("<osm><node id='1'", encoding="utf-8")
    with pytest.raises(AksugeoError, match="not readable as OpenStreetMap data"):
        load_network(bad, cache=False)
    empty = tmp_path / "empty.osm"
    empty.write_text('<osm version="0.6"><node id="1" lat="52" lon="76.9"/></osm>',
                     encoding="utf-8")
    with pytest.raises(AksugeoError, match="no walkable street"):
        load_network(empty, cache=False)


# --- real extracts (tests/input_data/osm/real, ODbL) ---------------------------------------

REAL = Path(__file__).resolve().parent / "input_data" / "osm" / "real"
HELSINKI = REAL / "helsinki_centre.osm.pbf"
PRIVATE_GATE = 581077544  # barrier=gate, access=no: "There is no public entrance from this gate."


def file_contents(path: Path) -> tuple[dict[int, tuple[float, float]], list[tuple[dict, list]]]:
    """Every node's location and every way's tags and node refs, as the file holds them."""
    nodes: dict[int, tuple[float, float]] = {}
    ways: list[tuple[dict, list]] = []
    for obj in osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY):
        if obj.is_node():
            nodes[obj.id] = (obj.location.lon, obj.location.lat)
        else:
            ways.append((dict(obj.tags), [n.ref for n in obj.nodes]))
    return nodes, ways


def edge_pairs(net: network_module.WalkNetwork) -> set[tuple[int, int]]:
    a, b = net.node_id[net.u], net.node_id[net.v]
    return set(zip(np.minimum(a, b).tolist(), np.maximum(a, b).tolist(), strict=True))


@pytest.fixture(scope="module")
def helsinki() -> network_module.WalkNetwork:
    return load_network(HELSINKI, cache=False)


def test_a_clipped_extract_reads_alike_as_pbf_xml_and_bz2(
        helsinki: network_module.WalkNetwork, tmp_path: Path) -> None:
    for name in ("helsinki.osm", "helsinki.osm.bz2"):
        with osmium.SimpleWriter(str(tmp_path / name)) as writer:
            for obj in osmium.FileProcessor(str(HELSINKI)):
                writer.add(obj)
        other = load_network(tmp_path / name, cache=False)
        assert np.array_equal(other.node_id, helsinki.node_id)
        assert np.array_equal(other.u, helsinki.u)
        assert np.array_equal(other.v, helsinki.v)
        assert np.allclose(other.length_m, helsinki.length_m, atol=1e-6)
        assert other.clipped_ways == helsinki.clipped_ways
        assert other.barrier_nodes == helsinki.barrier_nodes


def test_segments_touching_missing_nodes_are_dropped_and_counted(
        helsinki: network_module.WalkNetwork) -> None:
    nodes, ways = file_contents(HELSINKI)
    want: set[tuple[int, int]] = set()
    clipped = 0
    for tags, refs in ways:
        if not is_walkable(tags):
            continue
        clipped += any(r not in nodes for r in refs)
        want |= {(min(a, b), max(a, b)) for a, b in itertools.pairwise(refs)
                 if a in nodes and b in nodes and a != b}
    assert clipped == helsinki.clipped_ways == 187
    assert edge_pairs(helsinki) == want
    # and each edge is measured between its two real nodes, on the ellipsoid
    ids = helsinki.node_id
    lon1, lat1 = np.array([nodes[i] for i in ids[helsinki.u]]).T
    lon2, lat2 = np.array([nodes[i] for i in ids[helsinki.v]]).T
    geod = Geod(ellps="WGS84")
    assert np.allclose(geod.inv(lon1, lat1, lon2, lat2)[2], helsinki.length_m, atol=1e-6)
    assert helsinki.length_m.max() < 400  # no invented edge across missing nodes


def test_a_private_gate_ends_the_ways_that_meet_it(helsinki: network_module.WalkNetwork) -> None:
    copies = np.flatnonzero(helsinki.node_id == PRIVATE_GATE)
    assert len(copies) == 2  # one per way end at the gate
    degree = np.bincount(np.concatenate([helsinki.u, helsinki.v]), minlength=helsinki.n_nodes)
    assert (degree[copies] == 1).all()
    # the walk from one side of the gate to the other goes round, or nowhere
    dist = dijkstra(helsinki.csr, indices=int(copies[0]))
    through = np.hypot(*np.diff(np.column_stack([helsinki.x[copies], helsinki.y[copies]]),
                                axis=0)[0])
    assert dist[copies[1]] > through + 50
    # a gate with no access tag (and the bollards) are passed through: one node each
    plain_gates = [n for n, tags in gate_tags().items() if tags == {"barrier": "gate"}]
    present = [g for g in plain_gates if g in set(helsinki.node_id.tolist())]
    assert present
    for gate in present:
        assert (helsinki.node_id == gate).sum() == 1
    assert helsinki.barrier_nodes == 18


def gate_tags() -> dict[int, dict[str, str]]:
    return {o.id: dict(o.tags) for o in osmium.FileProcessor(str(HELSINKI), osmium.osm.NODE)
            if o.tags.get("barrier") == "gate"}


def test_every_real_extract_loads(tmp_path: Path) -> None:
    sizes = {p.name: load_network(p, cache=False).n_edges
             for p in sorted([*REAL.glob("*.osm.pbf"), *REAL.glob("*.osm.bz2")])}
    assert sizes == {"finland_26.93_60.52_26.97_60.54.osm.pbf": 1249,
                     "helsinki_centre.osm.pbf": 7911, "moorgate.osm.pbf": 1780,
                     "wendlingen-bahnhof.osm.pbf": 544, "west_oakland.osm.bz2": 197}
