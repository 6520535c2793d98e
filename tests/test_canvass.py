"""The canvass: the visit log (imports that lose nothing and add nothing twice), coverage as of
a date, gap polygons along the streets, progress by day, and turfs."""

from __future__ import annotations

import csv
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely

from aksugeo.build import BuildReport, build
from aksugeo.canvass.coverage import coverage_table, progress, progress_figure
from aksugeo.canvass.state import open_canvass
from aksugeo.canvass.turfs import cut
from aksugeo.canvass.visitlog import import_visits, read_visits
from aksugeo.cli import main
from aksugeo.data.io import read_geopackage
from aksugeo.walk.network import load_network
from aksugeo.walk.snapping import snap_points

from .conftest import DATA
from .reference import reference_graph

AS_OF = "2019-05-27"
HEADER = ["visit_id", "household_id", "date", "wave", "team", "outcome", "voters_reached"]


@pytest.fixture(scope="module")
def built(shipped_build: BuildReport) -> Path:
    return shipped_build.gpkg


@pytest.fixture
def db(built: Path, tmp_path: Path) -> Path:
    """A private copy of the built GeoPackage, to import into."""
    return Path(shutil.copy(built, tmp_path / "aksugeo.gpkg"))


def _count(db: Path) -> int:
    with sqlite3.connect(db) as con:
        return int(con.execute("SELECT count(*) FROM visits").fetchone()[0])


def _write(path: Path, rows: list[list[object]], *, header: list[str] = HEADER,
           encoding: str = "utf-8", sep: str = ",") -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        writer = csv.writer(fh, delimiter=sep)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _raw_visits() -> pd.DataFrame:
    return pd.read_csv(DATA / "canvass" / "visits.csv", dtype=str)


# --- the visit log -------------------------------------------------------------------------

def test_build_logs_every_shipped_visit_once(built: Path) -> None:
    log = read_visits(built)
    raw = _raw_visits()
    assert len(log) == len(raw) == 5_446
    assert log["visit_key"].is_unique
    assert sorted(log["visit_id"]) == sorted(raw["visit_id"])
    with sqlite3.connect(built) as con:
        kind = con.execute("SELECT data_type FROM gpkg_contents WHERE table_name='visits'"
                           ).fetchone()[0]
        assert kind == "attributes"
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_reimport_and_overlap_add_nothing_twice(db: Path, tmp_path: Path) -> None:
    raw = _raw_visits()
    before = _count(db)
    # the shipped log itself: every row is already there
    report = import_visits(DATA / "canvass" / "visits.csv", db)
    assert (report.imported, report.already, report.rejected) == (0, 5_446, 0)
    new = [["", "PH-00001", "2019-05-28", "2", "T-9", "talked", "1"],
           ["", "PH-00002", "2019-05-28", "2", "T-9", "not_home", "0"]]
    old = raw.iloc[:3][HEADER].to_numpy().tolist()
    first = _write(tmp_path / "team_a.csv", [*old, new[0]])
    second = _write(tmp_path / "team_b.csv", [new[0], new[1]])  # overlaps the first
    a = import_visits(first, db)
    assert (a.imported, a.already, a.rejected) == (1, 3, 0)
    b = import_visits(second, db)
    assert (b.imported, b.already, b.rejected) == (1, 1, 0)
    again = import_visits(second, db)
    assert (again.imported, again.already) == (0, 2)
    assert _count(db) == before + 2
    assert a.rejected_path is None
    assert not (tmp_path / "team_a.rejected.csv").exists()


def test_rejected_rows_are_kept_with_their_reasons(db: Path, tmp_path: Path) -> None:
    rows = [
        ["", "PH-00001", "2019-05-28", "2", "T-1", "talked", "1"],       # good
        ["", "PH-99999", "2019-05-28", "2", "T-1", "talked", "1"],       # unknown household
        ["", "PH-00002", "2019-02-30", "2", "T-1", "talked", "1"],       # no such day
        ["", "PH-00003", "2019-05-28", "2", "T-1", "knocked", "1"],      # unknown outcome
        ["", "PH-00004", "2019-05-28", "2", "T-1", "talked", "-2"],      # negative count
        ["", "PH-00005", "2019-05-28", "2", "T-1", "talked", "500"],     # more than live there
        ["", "PH-00006", "28/05/2019", "3", "T-1", "talked", "1"],       # two problems
    ]
    before = _count(db)
    report = import_visits(_write(tmp_path / "team.csv", rows), db)
    assert (report.rows, report.imported, report.rejected) == (7, 1, 6)
    assert _count(db) == before + 1
    rejected = pd.read_csv(tmp_path / "team.rejected.csv", dtype=str)
    assert report.rejected_path == tmp_path / "team.rejected.csv"
    assert rejected["line"].tolist() == ["3", "4", "5", "6", "7", "8"]
    assert rejected["household_id"].tolist() == [r[1] for r in rows[1:]]
    reasons = rejected["reason"].tolist()
    assert reasons[0] == "household_id: unknown household 'PH-99999'"
    assert reasons[1].startswith("date: expected a date YYYY-MM-DD")
    assert reasons[2] == "outcome: 'knocked' is not one of: talked, not_home, refused"
    assert reasons[3] == "voters_reached: must be >= 0, got -2"
    assert reasons[4].startswith("voters_reached: 500 is more than the household's")
    assert reasons[5].startswith("date: ")
    assert "; wave: 3 is not one of: 1, 2" in reasons[5]
    # a fixed file imports clean, and the stale list of rejects goes away
    fixed = _write(tmp_path / "team.csv", rows[:1])
    assert import_visits(fixed, db).rejected == 0
    assert not (tmp_path / "team.rejected.csv").exists()


def test_a_changed_visit_is_rejected_not_overwritten(db: Path, tmp_path: Path) -> None:
    raw = _raw_visits().iloc[0]
    changed = [raw["visit_id"], raw["household_id"], raw["date"], raw["wave"], raw["team"],
               "refused" if raw["outcome"] != "refused" else "talked", "0"]
    report = import_visits(_write(tmp_path / "fix.csv", [changed]), db)
    assert (report.imported, report.rejected) == (0, 1)
    reason = pd.read_csv(tmp_path / "fix.rejected.csv")["reason"].iloc[0]
    assert "already logged (in the log)" in reason
    assert f"{raw['outcome']!r} there" in reason
    log = read_visits(db)
    assert log.loc[log["visit_id"] == raw["visit_id"], "outcome"].item() == raw["outcome"]


def test_excel_files_import(db: Path, tmp_path: Path) -> None:
    rows = [["", "PH-00010", "2019-05-28", "2", "Команда 1", "talked", "1"]]
    cp1251 = _write(tmp_path / "excel.csv", rows, encoding="cp1251", sep=";")
    report = import_visits(cp1251, db)
    assert report.imported == 1
    assert "Windows-1251" in report.note
    xlsx = tmp_path / "team.xlsx"
    pd.DataFrame([["", "PH-00011", "2019-05-28", 2, "T-2", "talked", 2]],
                 columns=HEADER).to_excel(xlsx, index=False)
    assert import_visits(xlsx, db).imported == 1
    assert read_visits(db)["team"].iloc[-2] == "Команда 1"


def test_missing_column_imports_nothing(db: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    bad = _write(tmp_path / "bad.csv", [["PH-00001", "2019-05-28"]],
                 header=["household_id", "date"])
    before = _count(db)
    assert main(["canvass", "import", str(bad), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}: column(s) missing: wave, team, outcome, voters_reached" in err
    assert "Traceback" not in err
    assert _count(db) == before


def _big_file(path: Path, day: str, team: str, n: int) -> Path:
    homes = pd.read_csv(DATA / "addresses_raw.csv", dtype=str)["household_id"]
    rows = [["", homes.iloc[i % len(homes)], day, "2", f"{team}-{i // len(homes)}",
             "not_home", "0"] for i in range(n)]
    return _write(path, rows)


_IMPORT_SCRIPT = textwrap.dedent("""
    import sys
    from aksugeo.canvass.visitlog import import_visits

    def said(done, total):
        print(f"written {done} of {total}", flush=True)

    import_visits(sys.argv[1], sys.argv[2], progress=said, batch_rows=200)
    print("committed", flush=True)
""")


def test_a_killed_import_changes_nothing(db: Path, tmp_path: Path) -> None:
    big = _big_file(tmp_path / "big.csv", "2019-05-28", "K", 40_000)
    before = _count(db)
    proc = subprocess.Popen([sys.executable, "-c", _IMPORT_SCRIPT, str(big), str(db)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert first.startswith("written 200 of 40000")  # inside the transaction now
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert _count(db) == before
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # and the next import of the same file lands whole
    assert import_visits(big, db).imported == 40_000
    assert _count(db) == before + 40_000


def test_a_failing_import_rolls_back(db: Path, tmp_path: Path) -> None:
    big = _big_file(tmp_path / "big.csv", "2019-05-28", "F", 5_000)
    before = _count(db)

    def fail(done: int, total: int) -> None:
        if done >= 1_000:
            msg = f"disk full after {done} of {total}"
            raise OSError(msg)

    with pytest.raises(OSError, match="disk full after 1000"):
        import_visits(big, db, progress=fail, batch_rows=500)
    assert _count(db) == before


def test_two_imports_at_once_both_land(db: Path, tmp_path: Path) -> None:
    a = _big_file(tmp_path / "a.csv", "2019-05-28", "A", 20_000)
    b = _big_file(tmp_path / "b.csv", "2019-05-28", "B", 20_000)
    before = _count(db)
    cmd = [sys.executable, "-m", "aksugeo", "canvass", "import"]
    procs = [subprocess.Popen([*cmd, str(f), "--db", str(db)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for f in (a, b)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert all("imported:          20,000" in out for out, _ in outs)
    assert _count(db) == before + 40_000


def test_build_keeps_visits_imported_before(db: Path, tmp_path: Path) -> None:
    extra = _write(tmp_path / "late.csv", [["", "PH-00001", "2019-05-28", "2", "T-9",
                                            "talked", "1"]])
    import_visits(extra, db)
    report = build(DATA, db.parent)
    assert len(read_visits(report.gpkg)) == 5_447
    assert report.as_of == pd.Timestamp("2019-05-28")
    assert "1 kept" not in report.log
    assert "5,447 kept from the earlier build" in report.log


# --- coverage, gaps, progress ----------------------------------------------------------------

def test_published_coverage_as_of_27_may(built: Path) -> None:
    table = read_geopackage(built, "coverage_by_precinct").set_index("precinct_id")
    whole = table.loc["all"]
    assert (whole["apartment_covered"], whole["private_covered"]) == (248, 4_619)
    assert (whole["apartment_households"], whole["private_households"]) == (339, 6_176)
    assert whole["wave1_covered"] + whole["wave2_covered"] == whole["covered"] == 4_867
    per = table.drop(index="all")
    assert len(per) == 40
    assert per["covered"].sum() == 4_867
    assert per["voters_covered"].sum() == whole[
        "voters_covered"]


@pytest.mark.parametrize("day", ["2019-05-12", "2019-05-21", "2019-05-22", AS_OF])
def test_coverage_as_of_a_date_against_the_raw_log(shipped: object, day: str) -> None:
    raw = _raw_visits()
    seen = raw[raw["date"] <= day]
    first = seen.sort_values("date").drop_duplicates("household_id")
    homes = shipped.households  # type: ignore[attr-defined]
    kind = homes.set_index("household_id")["kind"]
    visits = shipped.visits  # type: ignore[attr-defined]
    table = coverage_table(homes, visits, day)
    assert table.loc["all", "covered"] == len(first)
    assert table.loc["all", "apartment_covered"] == int((first["household_id"].map(kind)
                                                         == "apartment").sum())
    for wave in (1, 2):
        assert table.loc["all", f"wave{wave}_covered"] == int((first["wave"] == str(wave)).sum())


def test_progress_by_day_ends_at_the_coverage(shipped: object) -> None:
    homes, visits = shipped.households, shipped.visits  # type: ignore[attr-defined]
    daily = progress(homes, visits, by="precinct_id")
    whole = daily[daily["precinct_id"] == "all"]
    assert len(whole) == 16
    assert whole["date"].is_monotonic_increasing
    assert whole["covered"].iloc[-1] == 4_867
    assert whole["new_households"].sum() == 4_867
    assert whole["visits"].sum() == len(visits)
    assert whole["wave"].tolist() == ["1"] * 10 + ["2"] * 6
    per = daily[daily["precinct_id"] != "all"]
    assert per.groupby("date")["covered"].sum().tolist() == whole["covered"].tolist()


def test_gaps_hold_every_unvisited_household_once(built: Path) -> None:
    homes = read_geopackage(built, "households").to_crs("EPSG:32643")
    gaps = read_geopackage(built, "gaps").to_crs("EPSG:32643")
    coverage = read_geopackage(built, "coverage").to_crs("EPSG:32643")
    assert gaps.is_valid.all()
    assert coverage.is_valid.all()
    assert set(coverage["status"]) == {"covered", "gap"}
    assert not coverage.duplicated(["precinct_id", "status"]).any()
    todo = homes[~homes["covered"]]
    assert len(todo) == 1_648
    pi, gi = shapely.STRtree(gaps.geometry.to_numpy()).query(todo.geometry.to_numpy(),
                                                             predicate="within")
    assert np.array_equal(np.sort(pi), np.arange(len(todo)))  # each in exactly one gap
    assert (gaps["gap_id"].to_numpy()[gi] == todo["gap_id"].to_numpy()[pi]).all()
    assert (gaps["precinct_id"].to_numpy()[gi] == todo["precinct_id"].to_numpy()[pi]).all()
    assert gaps["uncovered_households"].sum() == 1_648
    assert gaps["uncovered_voters"].sum() == todo["voters"].sum()
    assert (gaps["uncovered_households"] > 0).all()
    # the layer has no overlaps: pieces of different precincts or statuses only touch
    geoms = coverage.geometry.to_numpy()
    a, b = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    keep = a < b
    assert shapely.area(shapely.intersection(geoms[a[keep]], geoms[b[keep]])).max() < 1e-3


def test_gaps_follow_streets_not_circles(built: Path) -> None:
    gaps = read_geopackage(built, "gaps").to_crs("EPSG:32643")
    net = load_network(DATA / "network" / "aksu.osm.bz2")
    streets = shapely.union_all(net.lines)
    # a gap's edge lies on the streets for a good part of its length (block-made polygons)
    on_street = shapely.length(shapely.intersection(
        shapely.boundary(gaps.geometry.to_numpy()), shapely.buffer(streets, 0.5)))
    share = on_street / shapely.length(shapely.boundary(gaps.geometry.to_numpy()))
    assert np.median(share) > 0.3


def test_status_command_and_chart(built: Path, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    chart, table = tmp_path / "progress.png", tmp_path / "daily.csv"
    assert main(["canvass", "status", "--db", str(built), "--as-of", "2019-05-27",
                 "--chart", str(chart), "--csv", str(table)]) == 0
    out = capsys.readouterr().out
    assert "apartment buildings:    248 of 339" in out
    assert "private houses:       4,619 of 6,176" in out
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    daily = pd.read_csv(table, dtype={"precinct_id": str})
    assert daily.loc[daily["precinct_id"] == "all", "covered"].iloc[-1] == 4_867
    assert main(["canvass", "status", "--db", str(built), "--as-of", "27 May"]) == 1
    assert "not a date" in capsys.readouterr().err


def test_progress_figure_draws_the_lines(shipped: object) -> None:
    homes, visits = shipped.households, shipped.visits  # type: ignore[attr-defined]
    fig = progress_figure(homes, visits, precinct=571)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["apartment buildings", "private houses", "all households",
                      "all voters", "precinct 571", "wave 2"]
    line = fig.axes[0].get_lines()[2]
    assert line.get_ydata()[-1] == pytest.approx(74.7)


# --- turfs -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("precinct", "doors"), [(590, 60), (595, 25), (561, 60)])
def test_turfs_hold_every_unvisited_household_once(built: Path, precinct: int,
                                                   doors: int) -> None:
    can = open_canvass(built)
    net = can.network()
    result = can.turfs(net, precinct, doors=doors)
    mine = can.households[(can.households["precinct_id"] == precinct)
                          & ~can.coverage()["covered"].to_numpy()]
    assert sorted(result.stops["household_id"]) == sorted(mine["household_id"])
    assert result.turfs["doors"].sum() == mine["dwellings"].sum()
    assert result.turfs["turf_id"].is_unique
    assert result.turfs.is_valid.all()
    counts = result.stops.groupby("turf_id")["order"].agg(["min", "max", "count"])
    assert (counts["min"] == 1).all()
    assert (counts["max"] == counts["count"]).all()
    houses = mine["kind"].eq("private").all()
    if houses:  # houses (1 door each) are cut close to the size asked
        assert result.turfs["doors"].between(doors * 0.5, doors * 1.5).all()
    # every household stands inside its turf's polygon
    where = result.stops.merge(mine[["household_id", "geometry"]], on="household_id")
    polys = result.turfs.set_index("turf_id").geometry.loc[where["turf_id"]].to_numpy()
    pts = gpd.GeoSeries(where["geometry"], crs=4326).to_crs(net.crs).to_numpy()
    assert shapely.covers(polys, pts).all()


def test_turf_walks_against_networkx(built: Path) -> None:
    can = open_canvass(built)
    net = can.network()
    result = can.turfs(net, 590, doors=60)
    stops = result.stops
    homes = can.households.set_index("household_id").loc[stops["household_id"]]
    snap = snap_points(net, homes.geometry.to_crs(net.crs), max_m=300.0)
    graph = reference_graph(net, {"h": snap})
    for i in range(1, len(stops)):
        if stops["turf_id"].iloc[i] != stops["turf_id"].iloc[i - 1]:
            assert stops["leg_m"].iloc[i] == 0
            continue
        ref = nx.dijkstra_path_length(graph, ("h", i - 1), ("h", i), weight="weight")
        assert stops["leg_m"].iloc[i] == pytest.approx(ref, abs=0.06)
    walks = stops.groupby("turf_id")["leg_m"].sum()
    assert result.turfs.set_index("turf_id")["walk_m"].to_numpy() == pytest.approx(
        walks.to_numpy(), abs=0.1)
    # the path drawn is as long as the walk (legs run house to street to house)
    assert shapely.length(result.paths.to_numpy()) == pytest.approx(
        result.turfs["walk_m"].to_numpy(), rel=0.01)


def test_turfs_command_writes_polygons_and_walk_lists(built: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str],
                                                      ) -> None:
    out = tmp_path / "turfs"
    assert main(["canvass", "turfs", "--db", str(built), "--precinct", "590",
                 "--doors", "40", "--out", str(out)]) == 0
    turfs = gpd.read_file(out / "turfs_590.geojson")
    assert turfs.crs.to_epsg() == 4326
    assert turfs.is_valid.all()
    lists = sorted(out.glob("turf_590-*.csv"))
    assert [p.stem for p in lists] == [f"turf_{t}" for t in sorted(turfs["turf_id"])]
    walked = pd.concat([pd.read_csv(p, encoding="utf-8-sig") for p in lists])
    assert list(walked.columns) == ["order", "household_id", "address", "kind", "dwellings",
                                    "voters", "leg_m", "walk_m", "reach"]
    assert walked["household_id"].is_unique
    assert len(walked) == turfs["households"].sum() == 107
    assert "in 3 turfs of about 40 doors" in capsys.readouterr().out
    assert main(["canvass", "turfs", "--db", str(built), "--precinct", "12",
                 "--out", str(out)]) == 1
    assert "no precinct 12 (precincts 560-599)" in capsys.readouterr().err


@pytest.mark.parametrize(("doors", "target", "sizes"), [
    ([1] * 88, 60, [44, 44]),           # two of 44 are nearer 60 than one of 88
    ([1] * 107, 40, [36, 35, 36]),
    ([1] * 30, 60, [30]),
    ([90, 60, 45, 1, 1], 60, [90, 60, 47]),  # a building is never split
])
def test_cut_sizes(doors: list[int], target: int, sizes: list[int]) -> None:
    label = cut(np.array(doors), target)
    assert (np.diff(label) >= 0).all()
    assert np.bincount(label, weights=doors).astype(int).tolist() == sizes


def test_build_before_the_canvass_starts(mini: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """A commission builds before its first visit: an empty log (the header only)."""
    log = mini / "canvass" / "visits.csv"
    log.write_text(log.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert main(["build", str(mini), "--out", str(tmp_path / "out")]) == 0
    assert "(no visit yet)" in capsys.readouterr().out
    homes = read_geopackage(tmp_path / "out" / "aksugeo.gpkg", "households")
    assert not homes["covered"].astype(bool).any()
    assert (homes["area_status"] == "gap").all()
    assert read_visits(tmp_path / "out" / "aksugeo.gpkg").empty


def test_a_teams_file_as_teams_write_it(db: Path, tmp_path: Path) -> None:
    # issue 21: Windows-1251, semicolons, dates 28.05.2019 and outcomes in words: 6 of 6 rows
    # were rejected
    homes = read_geopackage(db, "households")
    fresh = homes.loc[~homes["covered"].astype(bool), "household_id"].head(8).tolist()
    words = ["поговорили", "Нет дома", "ОТКАЗ", "не открыли", "беседа", "не  застали"]
    rows = [["", h, f"2{8 - i % 2}.05.2019" if i != 4 else "29.05.19", "2", "Бригада 7", w,
             "1" if w in ("поговорили", "беседа") else "0"]
            for i, (h, w) in enumerate(zip(fresh, words, strict=False))]
    team = _write(tmp_path / "brigada_7.csv", rows, encoding="cp1251", sep=";")
    before = _count(db)
    report = import_visits(team, db)
    assert (report.imported, report.rejected) == (6, 0), report
    assert "read as Windows-1251" in report.note
    assert "6 dates written dd.mm.yyyy" in report.note
    assert "6 outcomes written in words" in report.note
    log = read_visits(db).set_index("household_id").loc[fresh[:6]]
    assert log["outcome"].tolist() == ["talked", "not_home", "refused", "not_home", "talked",
                                       "not_home"]
    assert log["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2019-05-28", "2019-05-27", "2019-05-28", "2019-05-27", "2019-05-29", "2019-05-27"]
    # and in Kazakh (UTF-8: Windows-1251 has no Kazakh letters)
    kazakh = _write(tmp_path / "brigada_8.csv", [
        ["", fresh[6], "28.05.2019", "2", "8-бригада", "үйде жоқ", "0"],
        ["", fresh[7], "28.05.2019", "2", "8-бригада", "Сөйлесті", "1"]], sep=";")
    assert import_visits(kazakh, db).imported == 2
    assert read_visits(db).set_index("household_id").loc[fresh[6:], "outcome"].tolist() == [
        "not_home", "talked"]
    assert _count(db) == before + 8
    # a day that is not one, and a word we do not know, are refused as written, line named
    bad = _write(tmp_path / "bad.csv", [["", fresh[0], "31.02.2019", "2", "Б-8", "поговорили",
                                         "1"],
                                        ["", fresh[1], "30.05.2019", "2", "Б-8", "может быть",
                                         "0"]], sep=";")
    report = import_visits(bad, db)
    assert report.rejected == 2
    assert report.rejected_path is not None
    out = list(csv.DictReader(report.rejected_path.open(encoding="utf-8")))
    assert out[0]["date"] == "31.02.2019"  # the rejected rows as the team wrote them
    assert "date: expected a date YYYY-MM-DD, got '31.02.2019'" in out[0]["reason"]
    assert "outcome: 'может быть' is not one of: talked, not_home, refused" in out[1]["reason"]
