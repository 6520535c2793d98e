"""Writers of one GeoPackage take turns, and no visit is ever lost or deleted.

Builds, imports, dashboard uploads and siting hold the GeoPackage's writer lock
(:mod:`aksugeo.data.lock`); a build re-reads the log under the lock before it replaces the file,
and keeps every visit it carries over, a household's that left the data too. Real processes,
the real command line, the mini data set (a build of it takes a few seconds).
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from aksugeo.build import build
from aksugeo.canvass.visitlog import check_rows, connect, import_visits, insert_rows, read_visits
from aksugeo.data.io import csv_text, read_geopackage
from aksugeo.data.layers import open_build
from aksugeo.data.lock import BusyError, holder, lock_path, writing

HEADER = ["household_id", "date", "wave", "team", "outcome", "voters_reached"]
CLI = [sys.executable, "-m", "aksugeo"]


def _visits(path: Path, households: list[str], team: str, day: str = "2019-05-28") -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows([h, day, 2, team, "talked", 1] for h in households)
    return path


def _keys(db: Path) -> list[str]:
    return read_visits(db)["visit_key"].tolist()


@pytest.fixture
def first(mini: Path, tmp_path: Path) -> tuple[Path, Path, list[str]]:
    """The mini data, a first build of it, and its household ids."""
    out = tmp_path / "out"
    gpkg = build(mini, out).gpkg
    ids = read_geopackage(gpkg, "households")["household_id"].tolist()
    return mini, gpkg, ids


def _wait_for(proc: subprocess.Popen[str], text: str, timeout_s: float = 120) -> str:
    """Read the process's stderr until a line holds ``text``; return what was read."""
    assert proc.stderr is not None
    seen = []
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        line = proc.stderr.readline()
        if not line:
            break
        seen.append(line)
        if text in line:
            return "".join(seen)
    raise AssertionError(f"never saw {text!r}: {''.join(seen)}")


def test_a_build_counts_visits_written_while_it_computed(
        first: tuple[Path, Path, list[str]], tmp_path: Path) -> None:
    # once: the build read the log early and replaced the file at the end, and visits imported
    # meanwhile were gone. Here a team's import holds the lock while the build computes; the
    # build waits for it, reads the log again, and carries the new visits over.
    mini, gpkg, ids = first
    before = set(_keys(gpkg))
    late = _visits(tmp_path / "late.csv", ids[:4], "Бригада 9")
    with writing(gpkg, "a team's import"):
        proc = subprocess.Popen([*CLI, "build", str(mini), "--out", str(gpkg.parent)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        said = _wait_for(proc, "waiting for a team's import")
        assert str(gpkg) in said
        # the import's own work, done while the build waits (import_visits would wait too)
        with connect(gpkg) as con:
            rows, reasons = check_rows(
                pd.read_csv(late, dtype=str),
                dict(con.execute("SELECT household_id, voters FROM households").fetchall()))
            assert not any(reasons)
            con.execute("BEGIN IMMEDIATE")
            insert_rows(con, rows, source=late.name)
            con.execute("COMMIT")
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    after = _keys(gpkg)
    assert len(after) == len(set(after)) == len(before) + 4
    assert before < set(after)
    covered = read_geopackage(gpkg, "households").set_index("household_id")["covered"]
    assert covered.loc[ids[:4]].astype(bool).all()  # counted in this build's coverage
    assert not lock_path(gpkg).with_suffix(".lock.json").exists()


def test_builds_imports_and_an_upload_at_once_lose_nothing(
        first: tuple[Path, Path, list[str]], tmp_path: Path) -> None:
    mini, gpkg, ids = first
    expected = set(_keys(gpkg))
    for round_no, delay_s in enumerate((0.0, 1.5, 3.0)):
        files = [_visits(tmp_path / f"r{round_no}_{k}.csv", ids, f"Бригада {round_no}-{k}",
                         day=f"2019-05-{20 + round_no}") for k in range(3)]
        build_proc = subprocess.Popen([*CLI, "build", str(mini), "--out", str(gpkg.parent)],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(delay_s)
        imports = [subprocess.Popen([*CLI, "canvass", "import", str(f), "--db", str(gpkg)],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                   for f in files[:2]]
        uploaded: list[object] = []

        def upload_file(f: Path = files[2], done: list[object] = uploaded) -> None:
            done.append(import_visits(f, gpkg))

        upload = threading.Thread(target=upload_file)  # the dashboard's upload, in a thread
        upload.start()
        for p in [build_proc, *imports]:
            _, err = p.communicate(timeout=300)
            assert p.returncode == 0, err
        upload.join(timeout=300)
        assert len(uploaded) == 1
        expected |= {f"{h}|2019-05-{20 + round_no}|бригада {round_no}-{k}"
                     for h in ids for k in range(3)}
        keys = _keys(gpkg)
        assert len(keys) == len(set(keys))  # none doubled
        assert set(keys) == expected  # none lost
        assert open_build(gpkg).has_layer("precincts")


def test_two_builds_into_one_folder_both_finish(first: tuple[Path, Path, list[str]]) -> None:
    # once: they shared one temporary file; one died with a traceback and the other wrote a
    # GeoPackage without its precincts
    mini, gpkg, _ = first
    procs = [subprocess.Popen([*CLI, "build", str(mini), "--out", str(gpkg.parent)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        assert "Traceback" not in err
    built = open_build(gpkg)
    assert built.has_layer("precincts")
    assert len(built.spatial("precincts")) == 2
    assert list(gpkg.parent.glob(".*partial*")) == []  # no temporary file left behind


def test_a_writer_that_cannot_wait_says_who_holds_the_file(
        first: tuple[Path, Path, list[str]], tmp_path: Path) -> None:
    _, gpkg, ids = first
    before = _keys(gpkg)
    team = _visits(tmp_path / "team.csv", ids[:2], "Бригада 5")
    with writing(gpkg, "aksugeo build"):
        assert holder(gpkg).startswith("aksugeo build (pid ")
        with pytest.raises(BusyError, match=r"aksugeo build \(pid \d+ .*nothing was written"):
            import_visits(team, gpkg, wait_s=0.5)
    assert _keys(gpkg) == before
    assert holder(gpkg) == "another aksugeo command"  # released: nobody says
    assert import_visits(team, gpkg).imported == 2


def test_a_visit_of_a_household_that_left_the_data_is_kept(
        first: tuple[Path, Path, list[str]], tmp_path: Path) -> None:
    # once: the next build moved it to visits.orphaned.csv, and the build after deleted that
    mini, gpkg, _ = first
    gone = "AB-0001"  # a block the data's own visit log does not mention
    import_visits(_visits(tmp_path / "t.csv", [gone], "Бригада 3"), gpkg)
    # the registry renumbers it: the old id leaves the data (same voters, same precinct)
    files = [mini / "households" / "apartment_buildings.geojson", mini / "addresses_raw.csv"]
    originals = [f.read_text(encoding="utf-8") for f in files]
    for f, text in zip(files, originals, strict=True):
        f.write_text(text.replace(gone, "AB-9001"), encoding="utf-8")
    for _ in range(2):  # and the build after that
        report = build(mini, gpkg.parent)
        log = read_visits(gpkg)
        assert (log["household_id"] == gone).sum() == 1
        assert "1 visits of households no longer in the data stay in the log" in report.log
        assert gone not in set(read_geopackage(gpkg, "households")["household_id"])
        listed = pd.read_csv(gpkg.parent / "visits.orphaned.csv", dtype=str)
        assert listed["household_id"].tolist() == [gone]
    for f, text in zip(files, originals, strict=True):  # it comes back: its visit counts
        f.write_text(text, encoding="utf-8")
    report = build(mini, gpkg.parent)
    homes = read_geopackage(gpkg, "households").set_index("household_id")
    assert bool(homes.loc[gone, "covered"])
    assert "no longer in the data" not in report.log
    assert not (gpkg.parent / "visits.orphaned.csv").exists()


HOSTILE = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "+1+2", "-2+3", "@SUM(A1)",
           "\t=1", "\r=1", "ул. Абая, 12"]


def test_csv_cells_a_spreadsheet_would_run_are_text() -> None:
    frame = pd.DataFrame({"address": HOSTILE, "voters": range(len(HOSTILE)),
                                            "=bad column": 1})
    rows = list(csv.reader(io.StringIO(csv_text(frame), newline="")))
    assert rows[0] == ["address", "voters", "'=bad column"]
    cells = [r[0] for r in rows[1:]]
    assert all(c.startswith("'") for c in cells[:-1])
    assert cells[-1] == "ул. Абая, 12"
    assert [r[1] for r in rows[1:]] == [str(i) for i in range(len(HOSTILE))]  # numbers stay


def test_a_rejected_rows_file_holds_no_formula(first: tuple[Path, Path, list[str]],
                                               tmp_path: Path) -> None:
    _, gpkg, ids = first
    bad = tmp_path / "bad.csv"
    with bad.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows([ids[0], "2019-05-28", 2, team, "talked", "x"] for team in HOSTILE)
    report = import_visits(bad, gpkg)
    assert report.rejected == len(HOSTILE)
    assert report.rejected_path is not None
    rows = list(csv.DictReader(report.rejected_path.open(encoding="utf-8")))
    # (reading the clerk's file takes a bare CR for a line end, as spreadsheets do)
    assert [r["team"] for r in rows[:-1]] == ["'" + h.replace("\r", "\n") for h in HOSTILE[:-1]]
    assert rows[-1]["team"] == HOSTILE[-1]
