"""aksugeo build end to end: the layers it writes, another network, offline, bad settings."""

from __future__ import annotations

import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

from aksugeo._errors import SettingsError
from aksugeo.build import build
from aksugeo.cli import main
from aksugeo.data.io import read_geopackage, read_metadata
from aksugeo.settings import AccessSettings, GapSettings, settings_from_json, settings_json
from aksugeo.walk.access import HOUSEHOLD_COLUMNS, STATUSES

from .conftest import DATA

OSM = Path(__file__).resolve().parent / "input_data" / "osm" / "walk_rules.osm"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(DATA, tmp_path_factory.mktemp("out")).gpkg


def test_every_household_comes_out_with_its_walk(built: Path) -> None:
    homes = read_geopackage(built, "households")
    assert len(homes) == 6_515
    assert set(HOUSEHOLD_COLUMNS) <= set(homes.columns)
    assert (homes["status"] == "ok").all()
    assert homes["walk_assigned_m"].notna().all()
    assert (homes["walk_nearest_m"] <= homes["walk_assigned_m"] + 1e-9).all()
    assert homes.crs.to_epsg() == 4326


def test_isochrone_and_catchment_layers(built: Path) -> None:
    iso = read_geopackage(built, "isochrones")
    assert isinstance(iso, gpd.GeoDataFrame)
    assert iso.crs.to_epsg() == 4326
    assert len(iso) == 160
    assert sorted(iso["minutes"].unique()) == [5, 10, 15, 20]
    assert iso.is_valid.all()
    catch = read_geopackage(built, "catchments")
    assert sorted(catch["precinct_id"]) == list(range(560, 600))
    stats = read_geopackage(built, "access_by_precinct")
    overall = stats[stats["precinct"] == "all"].iloc[0]
    assert overall["voters"] == 53_413
    assert overall["voters_within_20"] + overall["voters_beyond_20"] == 53_413
    assert overall["voters_within_15_reduced"] <= overall["voters_within_15"]
    meta = pyogrio.read_info(built, layer="isochrones")["layer_metadata"]
    assert meta["metric_crs"] == "EPSG:32643"
    assert meta["speed_kmh"] == "4.5"


def test_another_network_is_refused_or_reached(mini: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    # the fixture streets lie 4 km from the fixture's city houses: all off the network, and
    # the build says so rather than write a GeoPackage of nobody (issue 16)
    assert main(["build", str(mini), "--out", str(tmp_path), "--network", str(OSM)]) == 1
    assert "6 of 6 households stand farther than 300 m" in capsys.readouterr().err
    assert not (tmp_path / "aksugeo.gpkg").exists()
    # allowed to snap that far (as the message suggests), every household comes out
    assert main(["build", str(mini), "--out", str(tmp_path), "--network", str(OSM),
                 "--max-snap-m", "6000"]) == 0
    homes = read_geopackage(tmp_path / "aksugeo.gpkg", "households")
    assert len(homes) == 6
    assert (homes["snap_m"] > 300).all()
    assert homes["status"].isin(STATUSES).all()  # each with a status that says why
    assert (homes["status"] == "off_network").sum() <= 3  # most on it, or it had stopped


def test_place_download_fails_fast_and_clearly_offline(mini: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str],
                                                       ) -> None:
    start = time.perf_counter()
    assert main(["build", str(mini), "--out", str(tmp_path), "--place", "Aksu, Kazakhstan"]) == 1
    assert time.perf_counter() - start < 30  # osmnx's own pauses would wait a minute
    err = capsys.readouterr().err
    assert "could not download the network of 'Aksu, Kazakhstan'" in err
    assert "Traceback" not in err
    assert not (tmp_path / "aksugeo.gpkg").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--bands", "10", "5"], "bands must be positive and rising"),
    (["--speed-kmh", "0"], "--speed-kmh: '0': must be above 0"),
    (["--max-snap-m", "-1"], "--max-snap-m: '-1': must be above 0"),
])
def test_bad_settings_are_clear_errors(mini: Path, tmp_path: Path, args: list[str],
                                       message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(mini), "--out", str(tmp_path), *args]) == 1
    assert message in capsys.readouterr().err


def test_other_speeds_and_bands(mini: Path, tmp_path: Path) -> None:
    report = build(mini, tmp_path, settings=AccessSettings(speed_kmh=6.0, bands_min=(3, 7)))
    iso = read_geopackage(report.gpkg, "isochrones")
    assert sorted(iso["minutes"].unique()) == [3, 7]
    homes = read_geopackage(report.gpkg, "households")
    ok = homes["status"] == "ok"
    assert ((homes.loc[ok, "walk_assigned_min"] * 100 - homes.loc[ok, "walk_assigned_m"]).abs()
            < 1e-6).all()


def test_the_summary_and_the_record_follow_the_settings(mini: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    # once: "(4.5 km/h; reduced mobility 3 km/h)" whatever the speed, and a KeyError on
    # 'voters_within_10' for bands without 10; the settings were not recorded
    args = ["build", str(mini), "--out", str(tmp_path), "--bands", "5", "20", "30",
            "--speed-kmh", "3.6", "--max-snap-m", "250"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "(3.6 km/h; reduced mobility 3 km/h, steps 3 times their length)" in out
    assert "voters within 20 min" in out
    assert "voters within 30 min" in out
    assert "beyond 30 min" in out
    assert "within 10 min" not in out
    assert f"rows in {mini / 'canvass' / 'visits.csv'}" in out
    meta = read_metadata(tmp_path / "aksugeo.gpkg")
    recorded = settings_from_json(AccessSettings, meta["access_settings"])
    assert recorded == AccessSettings(speed_kmh=3.6, bands_min=(5, 20, 30), max_snap_m=250.0)
    assert settings_from_json(GapSettings, meta["gap_settings"]) == GapSettings()
    precincts = read_geopackage(tmp_path / "aksugeo.gpkg", "precincts")
    assert {"voters_within_5", "voters_within_20", "voters_within_30",
            "voters_beyond_30"} <= set(precincts.columns)


def test_recorded_settings_are_read_back_typed_or_refused() -> None:
    settings = AccessSettings(speed_kmh=3.6, bands_min=(5, 20, 30), min_component_nodes=20)
    assert settings_from_json(AccessSettings, settings_json(settings)) == settings
    assert settings_from_json(AccessSettings, None) == AccessSettings()  # an older build
    with pytest.raises(SettingsError, match="not readable"):
        settings_from_json(AccessSettings, "{not json")
    with pytest.raises(SettingsError, match="bands"):
        settings_from_json(AccessSettings, '{"bands_min": [20, 5]}')


def test_a_build_snaps_each_point_once(mini: Path, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # once, not three times: the walks, the reduced-speed isochrones, the accessible walks; the
    # step-free bands snap the precincts' doors on the wheelchair's network, and no household
    from aksugeo.walk import access, distances, snapping  # noqa: PLC0415

    calls: list[int] = []

    def counted(net: object, points: gpd.GeoSeries, **kw: object) -> snapping.Snap:
        calls.append(len(points))
        return snapping.snap_points(net, points, **kw)  # type: ignore[arg-type]

    for module in (access, distances):
        monkeypatch.setattr(module, "snap_points", counted)
    ids = set(gpd.read_file(mini / "precincts.geojson")["precinct_id"])
    for name in ("passports.csv", "passport_remedies.csv"):  # the mini precincts' own
        table = pd.read_csv(DATA / name, dtype=str, keep_default_na=False)
        table[table["precinct_id"].astype(int).isin(ids)].to_csv(mini / name, index=False)
    report = build(mini, tmp_path)
    homes, precincts = len(report.dataset.households), len(report.dataset.precincts)
    assert sorted(c for c in calls if c) == sorted([homes, precincts, precincts])
    walks = read_geopackage(report.gpkg, "households")
    assert "walk_accessible_m" in walks.columns
    assert len(read_geopackage(report.gpkg, "isochrones_reduced")) == 4 * precincts
