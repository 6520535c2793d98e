"""The walking network: pedestrian rules, lengths, PBF, the cache, errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import osmium
import osmnx as ox
import pytest

from aksugeo import AksugeoError
from aksugeo import network as network_module
from aksugeo.network import is_walkable, load_network

OSM = Path(__file__).resolve().parent / "input_data" / "osm" / "walk_rules.osm"


@pytest.mark.parametrize(("tags", "walkable"), [
    ({"highway": "residential"}, True),
    ({"highway": "residential", "oneway": "yes"}, True),
    ({"highway": "footway"}, True),
    ({"highway": "trunk"}, True),
    ({"highway": "motorway"}, False),
    ({"highway": "motorway_link"}, False),
    ({"highway": "construction"}, False),
    ({"highway": "footway", "foot": "no"}, False),
    ({"highway": "service", "access": "private"}, False),
    ({"highway": "service", "access": "private", "foot": "yes"}, True),
    ({"highway": "primary", "foot": "use_sidepath"}, False),
    ({"building": "yes"}, False),
    ({"waterway": "river"}, False),
])
def test_pedestrian_rules(tags: dict[str, str], walkable: bool) -> None:
    assert is_walkable(tags) is walkable


def test_fixture_network_keeps_exactly_the_walkable_segments() -> None:
    net = load_network(OSM, cache=False)
    # grid rows 3+3+3, west column 2, east column (foot=yes) 2, footway 2, trunk 1, island 1
    assert net.n_edges == 17
    assert sorted(net.node_id.tolist()) == [*range(1, 13), 40, 41, 50]
    assert int(net.component.max()) + 1 == 2  # the island stands apart
    assert net.crs.to_epsg() == 32643
    pairs = {tuple(sorted(p)) for p in zip(net.node_id[net.u].tolist(),
                                           net.node_id[net.v].tolist(), strict=True)}
    assert (5, 6) in pairs  # the one-way street, walkable both ways
    assert (3, 7) not in pairs  # private service road
    assert (6, 11) not in pairs  # foot=no


def test_lengths_match_osmnx() -> None:
    net = load_network(OSM, cache=False)
    graph = ox.graph_from_xml(OSM, bidirectional=True, simplify=False, retain_all=True)
    ours = dict(zip(zip(net.node_id[net.u].tolist(), net.node_id[net.v].tolist(), strict=True),
                    net.length_m.tolist(), strict=True))
    for (a, b), length in ours.items():
        assert abs(graph[a][b][0]["length"] - length) < 0.01


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
    path = tmp_path / "walk.osm"
    shutil.copy(OSM, path)
    first = load_network(path)
    assert (tmp_path / "walk.osm.walk.npz").is_file()
    reads = []
    real = network_module._read_xml  # noqa: SLF001  (counting the reads of the file)
    monkeypatch.setattr(network_module, "_read_xml",
                        lambda p: reads.append(p) or real(p))
    again = load_network(path)
    assert reads == []  # from the cache
    assert np.array_equal(again.u, first.u)
    assert again.crs == first.crs
    text = path.read_text(encoding="utf-8").replace('<tag k="highway" v="construction"/>',
                                                    '<tag k="highway" v="path"/>')
    path.write_text(text, encoding="utf-8")
    changed = load_network(path)
    assert reads == [path]  # the file changed, so it was read again
    assert changed.n_edges == first.n_edges + 1


def test_missing_and_broken_files_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(AksugeoError, match="network file not found"):
        load_network(tmp_path / "none.osm")
    bad = tmp_path / "bad.osm"
    bad.write_text("<osm><node id='1'", encoding="utf-8")
    with pytest.raises(AksugeoError, match="not readable as OpenStreetMap XML"):
        load_network(bad, cache=False)
    empty = tmp_path / "empty.osm"
    empty.write_text('<osm version="0.6"><node id="1" lat="52" lon="76.9"/></osm>',
                     encoding="utf-8")
    with pytest.raises(AksugeoError, match="no walkable street"):
        load_network(empty, cache=False)
