"""A finished build: opened one way, its layers by name, its settings read back typed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely import Point

from aksugeo import AksugeoError
from aksugeo.build import BuildReport
from aksugeo.canvass.state import open_canvass
from aksugeo.data.layers import HOUSEHOLDS, PRECINCTS, open_build
from aksugeo.settings import AccessSettings, GapSettings
from aksugeo.siting.scenarios import propose

from .conftest import CUSTOM_SETTINGS, DATA


def test_a_build_opens_with_its_layers_and_settings(shipped_build: BuildReport) -> None:
    built = open_build(shipped_build.gpkg)
    assert open_build(shipped_build.gpkg.parent).path == built.path  # the folder will do
    assert built.settings == AccessSettings()
    assert built.gap_settings == GapSettings()
    assert built.synthetic
    assert built.data_dir == DATA
    assert built.network_path is not None
    assert built.network_path.is_file()
    assert built.has_layer(PRECINCTS)
    assert not built.has_layer("no_such_layer")
    assert set(shipped_build.layers) <= set(built.layers)
    homes = built.spatial(HOUSEHOLDS)
    assert len(homes) == 6515
    assert built.spatial(HOUSEHOLDS) is homes  # read once
    with pytest.raises(AksugeoError, match="no layer 'no_such_layer' in this build"):
        built.layer("no_such_layer")
    # its visit log: every row of the data's log, typed
    visits = built.visits
    logged = pd.read_csv(DATA / "canvass" / "visits.csv", dtype=str)
    assert len(visits) == len(logged) == 5446
    assert visits["date"].dtype.kind == "M"
    assert list(visits["household_id"]) == list(logged["household_id"])


def test_what_is_not_a_build_is_said_clearly(tmp_path: Path) -> None:
    with pytest.raises(AksugeoError, match="no such GeoPackage; run `aksugeo build` first"):
        open_build(tmp_path / "none.gpkg")
    text = tmp_path / "notes.gpkg"
    text.write_text("these are my notes", encoding="utf-8")
    with pytest.raises(AksugeoError, match="not a GeoPackage"):
        open_build(text)
    other = tmp_path / "other.gpkg"
    gpd.GeoDataFrame({"a": [1]}, geometry=[Point(0, 0)], crs=4326).to_file(other, layer="x")
    with pytest.raises(AksugeoError, match="not a build of aksugeo"):
        open_build(other)
    with sqlite3.connect(tmp_path / "empty.gpkg") as con:
        con.execute("CREATE TABLE t (a)")
    with pytest.raises(AksugeoError, match="not a GeoPackage"):
        open_build(tmp_path / "empty.gpkg")


def test_turfs_and_siting_walk_as_the_build_did(custom_build: BuildReport) -> None:
    # once: turfs walked at 4.5 km/h and siting snapped within 300 m whatever the build used
    report, settings = custom_build, CUSTOM_SETTINGS
    can = open_canvass(report.gpkg)
    assert can.settings == settings
    net = can.network()
    turfs = can.turfs(net, 586, doors=60)
    assert len(turfs.turfs)
    per_minute = turfs.turfs["walk_m"] / turfs.turfs["walk_min"]
    assert ((per_minute - 60.0).abs() < 0.6).all()  # 3.6 km/h is 60 m a minute
    scenario = propose(report.gpkg, minutes=15, add=1, write=False)
    assert scenario.settings == settings
