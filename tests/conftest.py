"""Shared fixtures. Every test runs with the network shut: only loopback and Unix sockets."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from aksugeo.build import BuildReport, build
from aksugeo.data.io import Dataset, load_dataset
from aksugeo.settings import AccessSettings

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
MINI = Path(__file__).resolve().parent / "input_data" / "mini"

_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: object) -> None:
    if self.family == socket.AF_UNIX or (
        isinstance(address, tuple) and str(address[0]) in ("127.0.0.1", "::1", "localhost")
    ):
        return _real_connect(self, address)  # type: ignore[arg-type]
    raise OSError(f"test tried to reach the network: {address!r}")


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


@pytest.fixture(scope="session")
def shipped_build(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    """``aksugeo build`` of the shipped data, once per session (read it, do not write to it)."""
    return build(DATA, tmp_path_factory.mktemp("shipped_out"))


CUSTOM_SETTINGS = AccessSettings(bands_min=(5, 20, 30), speed_kmh=3.6, max_snap_m=250.0)


@pytest.fixture(scope="session")
def custom_build(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    """The shipped data built with other bands, speed and snap limit (read it, do not write)."""
    return build(DATA, tmp_path_factory.mktemp("custom_out"), settings=CUSTOM_SETTINGS)


@pytest.fixture(scope="session")
def shipped() -> Dataset:
    """The shipped synthetic Aksu data set, loaded and validated once."""
    return load_dataset(DATA)


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the small valid fixture, with the real boundary and KATO list."""
    dst = tmp_path / "mini"
    shutil.copytree(MINI, dst)
    shutil.copytree(DATA / "reference", dst / "reference")
    # the fixture's buildings stand on the shipped streets (prepared once: the cache is by hash)
    shutil.copytree(DATA / "network", dst / "network")
    return dst
