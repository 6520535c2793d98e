"""The wheel installs and runs: built from this checkout, installed in a fresh virtual environment
outside it, and driven through every command a new user runs (generate, build, export, report,
app), with nothing of the checkout on the path.

Once, ``pip install aksugeo`` gave a package without the page, its Leaflet or the generator's
reference data (they sat beside the package and were found with ``Path(__file__).parents[1]``):
``aksugeo app`` and ``aksugeo generate`` failed.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from aksugeo._errors import AksugeoError
from aksugeo.app.server import free_port, wait_ready

from .conftest import ROOT
from .test_cli import port_freed

UV = Path(sys.executable).with_name("uv")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel of this checkout installed: its bin folder."""
    if not UV.is_file():
        pytest.fail(f"{UV}: uv is missing from the test environment (make dev installs it)")
    tmp = tmp_path_factory.mktemp("wheel")
    # sdist first, the wheel from it (as a package index would): nothing is written in the checkout
    subprocess.run([str(UV), "build", "--quiet", "--out-dir", str(tmp / "dist"),
                    str(ROOT)], check=True, cwd=tmp)
    wheel = next((tmp / "dist").glob("aksugeo-*.whl"))
    venv = tmp / "venv"
    subprocess.run([str(UV), "venv", "--quiet", "--python", sys.executable, str(venv)],
                   check=True, cwd=tmp)
    subprocess.run([str(UV), "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"),
                    str(wheel)], check=True, cwd=tmp, env={**os.environ, "UV_LINK_MODE": "copy"})
    return venv / "bin"


def _env(work: Path) -> dict[str, str]:
    # nothing of the checkout: no PYTHONPATH, caches in the test's own folder
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    return {**env, "AKSUGEO_CACHE_DIR": str(work / "cache")}


def _run(bin_dir: Path, work: Path, *args: str) -> str:
    out = subprocess.run([str(bin_dir / "aksugeo"), *args], cwd=work, env=_env(work),
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, f"aksugeo {' '.join(args)}:\n{out.stdout}\n{out.stderr}"
    assert "Traceback" not in out.stderr
    return out.stdout


def test_the_package_comes_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    # the page's component reads its scripts (map, table) as it is imported: a script the
    # wheel lacks fails here, not in a planner's browser
    code = ("import aksugeo, aksugeo.app.maps as m, aksugeo.app.component; "
            "print(aksugeo.__file__); print(m.VENDOR.is_dir())")
    out = subprocess.run([str(installed / "python"), "-c", code],
                         cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True,
                         check=True)
    where, vendor = out.stdout.split()
    assert Path(where).is_relative_to(installed.parent)
    assert not Path(where).is_relative_to(ROOT)
    assert vendor == "True"


def test_every_command_runs_from_the_installed_wheel(installed: Path, tmp_path: Path) -> None:
    work = tmp_path
    out = _run(installed, work, "generate", "--out", "d")
    assert "53,413" in out  # the published voter count, from the shipped reference data
    assert (work / "d" / "reference" / "aksu_boundary.geojson").is_file()
    shipped = json.loads((ROOT / "data" / "MANIFEST.json").read_text(encoding="utf-8"))
    made = json.loads((work / "d" / "MANIFEST.json").read_text(encoding="utf-8"))
    assert made["files"] == shipped["files"]  # the same bytes as the repository's data set

    out = _run(installed, work, "build", "d", "--out", "o")
    assert "wrote o/aksugeo.gpkg" in out
    _run(installed, work, "export", "public", "--db", "o/aksugeo.gpkg", "--out", "o/public")
    assert json.loads((work / "o" / "public" / "metadata.json").read_text(encoding="utf-8"))
    _run(installed, work, "export", "site", "--db", "o/aksugeo.gpkg", "--out", "o/site")
    for name in ("ru/index.html", "site.js", "site.css", "vendor/leaflet-1.9.4/leaflet.js",
                 "data/site.js"):
        assert (work / "o" / "site" / name).is_file(), name
    _run(installed, work, "report", "--db", "o/aksugeo.gpkg", "--out", "o/report")
    assert len(list((work / "o" / "report").glob("*.html"))) >= 2

    port = free_port()
    log = work / "app.log"
    with log.open("wb") as out_file:
        proc = subprocess.Popen([str(installed / "aksugeo"), "app", "--db", "o/aksugeo.gpkg",
                                 "--port", str(port)], cwd=work, env=_env(work),
                                start_new_session=True, stdout=out_file,
                                stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        try:
            wait_ready(url, timeout_s=120, proc=proc)
        except AksugeoError as exc:
            raise AssertionError(log.read_text(encoding="utf-8", errors="replace")) from exc
        # the page's Leaflet is served from the installed package
        with urllib.request.urlopen(f"{url}/app/static/vendor/leaflet-1.9.4/leaflet.js",  # noqa: S310
                                    timeout=10) as r:
            assert r.status == 200
            assert b"Leaflet" in r.read(4096)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 128 + signal.SIGTERM
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert port_freed(port)
