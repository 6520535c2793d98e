"""The analysis notebooks run top to bottom on the shipped data, offline, and say what they must."""

from __future__ import annotations

import html
import os
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from .conftest import DATA, ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# what each notebook must print, from the published figures and the shipped data
SAYS = {
    "01_walking_access.ipynb": ["synthetic: True | metric CRS: EPSG:32643",
                                "voters within 15 min:  99.6%",
                                "78 households, 197 voters beyond 20 minutes"],
    "02_canvassing_coverage.ipynb": ["apartment buildings covered: 248",
                                     "private houses covered:      4,619"],
    "03_accessibility.ipynb": ["40 passports"],
}


CHARTS = {"01_walking_access.ipynb": 1, "02_canvassing_coverage.ipynb": 2,
          "03_accessibility.ipynb": 1}


def test_the_text_is_russian_with_an_english_version() -> None:
    for path in NOTEBOOKS:
        book = nbformat.read(path, as_version=4)
        for cell in (c for c in book.cells if c.cell_type == "markdown"):
            russian, _, english = cell.source.partition("> **English.**")
            assert re.search("[а-яё]{4}", russian, re.IGNORECASE), (path.name, cell.source[:40])
            assert english.strip(), (path.name, cell.source[:40])
            assert not re.search("[а-яё]", english.replace("`", ""), re.IGNORECASE) or \
                "Аксу" in english


def test_there_are_three_stored_without_outputs() -> None:
    assert [p.name for p in NOTEBOOKS] == list(SAYS)
    for path in NOTEBOOKS:
        book = nbformat.read(path, as_version=4)
        nbformat.validate(book)
        code = [c for c in book.cells if c.cell_type == "code"]
        assert all(not c.outputs and c.execution_count is None for c in code), path.name
        source = "\n".join(c.source for c in code)
        assert not re.search(r"\baksugeo\._", source), "private modules are not the public API"
        assert any(c.cell_type == "markdown" for c in book.cells)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_top_to_bottom(path: Path, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # the kernel is this interpreter (the venv's), writing its build to a temporary folder
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("AKSUGEO_DATA", str(DATA))
    monkeypatch.setenv("AKSUGEO_OUT", str(tmp_path / "out"))
    # charts inline, as in Jupyter (importing Streamlit in an earlier test sets MPLBACKEND=Agg)
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    book = nbformat.read(path, as_version=4)
    NotebookClient(book, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()  # raises on error
    printed = "\n".join(o.get("text", "") for c in book.cells if c.cell_type == "code"
                        for o in c.outputs if o.get("output_type") == "stream")
    for line in SAYS[path.name]:
        assert line in printed, (path.name, line)
    # every chart is drawn, none printed as "<Figure size 880x462>"
    outputs = [o for c in book.cells if c.cell_type == "code" for o in c.outputs]
    assert not any("<Figure size" in str(o.get("data", {}).get("text/plain", "")) + o.get(
        "text", "") and "image/png" not in o.get("data", {}) for o in outputs)
    charts = sum("image/png" in o.get("data", {}) for o in outputs)
    assert charts == CHARTS[path.name], (path.name, charts)
    # categories in words, never as codes (a table read by a planner)
    tables = "\n".join(o["data"].get("text/html", "") for o in outputs if "data" in o
                       and "srcdoc" not in o["data"].get("text/html", ""))
    assert not re.search(r"\b(partly_accessible|not_accessible)\b", tables), path.name
    # a map sits in an iframe's srcdoc, escaped
    page = html.unescape("\n".join(o["data"].get("text/html", "") for c in book.cells
                                    if c.cell_type == "code" for o in c.outputs if "data" in o))
    assert "aksugeoMap.draw(" in page, "a map"
    # maps and charts need nothing from the network: no script or stylesheet from elsewhere
    assert not re.search(r"""<(?:script|link)[^>]+(?:src|href)=["']https?://""", page), path.name
    assert any("image/png" in o.get("data", {}) for c in book.cells if c.cell_type == "code"
               for o in c.outputs), "a chart"
