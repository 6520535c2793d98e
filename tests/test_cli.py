"""The command line as a user meets it: help everywhere, clear errors, the build summary."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pyogrio
import pytest

from aksugeo.app.server import free_port, wait_ready
from aksugeo.build import BuildReport
from aksugeo.cli import main

from .conftest import DATA

COMMANDS = ["validate", "build", "generate", "app", "boundaries", "boundaries check",
            "boundaries write"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "aksugeo.cli", *args], capture_output=True,
                          text=True, check=False, timeout=120)


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_on_every_command(command: str) -> None:
    out = run(*command.split(), "--help")
    assert out.returncode == 0
    assert out.stdout.startswith("usage: aksugeo")


def test_bad_data_gives_lines_not_a_traceback(mini: Path) -> None:
    path = mini / "precincts.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["features"][0]["properties"]["voters"] = -1
    path.write_text(json.dumps(doc), encoding="utf-8")
    out = run("validate", str(mini))
    assert out.returncode == 1
    assert "Traceback" not in out.stderr + out.stdout
    assert f"{path.as_posix()}:feature 1:voters: must be >= 0, got -1" in out.stdout
    assert "problem(s) found" in out.stderr


def test_validate_shipped_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(DATA)]) == 0
    assert "valid (40 precincts, 6515 households" in capsys.readouterr().out


def test_build_shipped_data_prints_the_summary(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(DATA), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "(SYNTHETIC data set)" in out
    assert "metric CRS: EPSG:32643" in out
    assert "precincts:       40  (22 urban, 18 rural)" in out
    assert "voters:      53,413" in out
    assert "canvass coverage as of 2019-05-27" in out
    lines = {line.split()[0]: line.split() for line in out.splitlines() if line.strip()}
    assert lines["apartment"][3] == "248"  # "apartment buildings  336  248 ..."
    assert lines["private"][3] == "4619"
    layers = [name for name, _ in pyogrio.list_layers(tmp_path / "aksugeo.gpkg")]
    assert sorted(layers) == [
        "access_by_precinct", "accessibility_by_category", "blocks", "boundary",
        "boundary_conflicts", "candidate_sites", "catchments", "closer_precinct", "coverage",
        "coverage_by_day",
        "coverage_by_precinct", "decision_assignment", "gaps", "households", "isochrones",
        "isochrones_reduced", "isochrones_wheelchair", "passport_remedies", "precincts",
        "visits"]
    assert ("accessibility passports: accessible 27 (38,359 voters), partly accessible 9 "
            "(12,468 voters), not accessible 4 (2,586 voters)") in out
    assert "voters within 15 min:  99.6%" in out
    assert "holding 1,648 households not visited" in out


def test_unknown_data_dir_is_a_clear_error(tmp_path: Path) -> None:
    out = run("build", str(tmp_path / "missing"), "--out", str(tmp_path / "o"))
    assert out.returncode == 1
    assert "data directory not found" in out.stdout
    assert "Traceback" not in out.stderr


def port_is_free(port: int) -> bool:
    """Whether a new server could listen on the port, as Streamlit (tornado) binds it."""
    with socket.socket() as s:
        # SO_REUSEADDR: closed connections in TIME_WAIT do not count, a listener does
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def port_freed(port: int, timeout_s: float = 20.0) -> bool:
    """Wait until nothing listens on the port any more; say whether it came to that."""
    deadline = time.monotonic() + timeout_s
    while not port_is_free(port) and time.monotonic() < deadline:
        time.sleep(0.2)
    return port_is_free(port)


def test_sigterm_to_the_app_stops_its_server(shipped_build: BuildReport) -> None:
    # once: `kill PID` ended aksugeo app and left its Streamlit child serving the port, and the
    # next `make demo` failed with "Port 8501 is not available"
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "aksugeo", "app", "--db",
                             str(shipped_build.gpkg), "--port", str(port)],
                            start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        wait_ready(f"http://127.0.0.1:{port}", timeout_s=120, proc=proc)
        assert not port_is_free(port)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 128 + signal.SIGTERM
        assert port_freed(port)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
