"""Shared fixtures. Every test runs with the network shut: only loopback and Unix sockets."""

from __future__ import annotations

import shutil
import socket
from html.parser import HTMLParser
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

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


class _Figures(HTMLParser):
    """Read the page's figures: each <dt> (label) and the <dd> (value) after it."""

    def __init__(self) -> None:
        super().__init__()
        self.pairs: list[list[str]] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: ARG002
        if tag in ("dt", "dd"):
            self._in = tag
            if tag == "dt":
                self.pairs.append(["", ""])

    def handle_endtag(self, tag: str) -> None:  # noqa: ARG002
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in and self.pairs:
            self.pairs[-1][self._in == "dd"] += data


def figures(at: AppTest) -> dict[str, str]:
    """Return the figures under the dashboard's map, label to value, as the page wrote them."""
    reader = _Figures()
    for element in at.get("html"):
        if "aksugeo-figures" in element.proto.body:
            reader.feed(element.proto.body)
    return dict(map(tuple, reader.pairs))  # type: ignore[arg-type]
