"""The dashboard page runs on a built GeoPackage (Streamlit's AppTest, no browser yet)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from aksugeo.build import build

from .conftest import DATA, ROOT


def test_page_shows_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report = build(DATA, tmp_path)
    # AppTest has no command line: the page reads --gpkg from argv as `streamlit run` passes it
    monkeypatch.setattr(sys, "argv", ["app.py", "--gpkg", str(report.gpkg)])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Участков"] == "40"
    assert metrics["Избирателей"] == "53 413"
    assert metrics["Обход на 2019-05-27"] == "74.7%"
    assert "SYNTHETIC" in at.warning[0].value


def test_page_says_what_to_do_without_a_build(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["app.py", "--gpkg", str(tmp_path / "none.gpkg")])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert "run `aksugeo build` first" in at.error[0].value
