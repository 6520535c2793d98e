"""The package imports lightly and exposes its error family."""

from __future__ import annotations

import subprocess
import sys

import aksugeo


def test_import_loads_no_ui_packages() -> None:
    code = ("import sys, aksugeo, aksugeo.io, aksugeo.build, aksugeo.coverage, aksugeo.passport, "
            "aksugeo.export, aksugeo.dashboard, aksugeo.report; "
            "print(sorted(m for m in ('streamlit', 'folium', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_errors_are_builtins_too() -> None:
    assert issubclass(aksugeo.ValidationError, ValueError)
    assert issubclass(aksugeo.ValidationError, aksugeo.AksugeoError)
    assert issubclass(aksugeo.CRSError, ValueError)
    err = aksugeo.ValidationError([aksugeo.Problem("f.csv", "line 3", "date", "bad")])
    assert "f.csv:line 3:date: bad" in str(err)
