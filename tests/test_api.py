"""The package imports lightly and exposes its error family."""

from __future__ import annotations

import subprocess
import sys

import pytest

import aksugeo


def test_import_loads_no_ui_packages() -> None:
    code = ("import sys, aksugeo, aksugeo.data.io, aksugeo.build, aksugeo.canvass.coverage, "
            "aksugeo.passport.rules, aksugeo.passport.public, aksugeo.app.dashboard, "
            "aksugeo.passport.report; "
            "print(sorted(m for m in ('streamlit', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_errors_are_builtins_too() -> None:
    assert issubclass(aksugeo.ValidationError, ValueError)
    assert issubclass(aksugeo.ValidationError, aksugeo.AksugeoError)
    assert issubclass(aksugeo.CRSError, ValueError)
    err = aksugeo.ValidationError([aksugeo.Problem("f.csv", "line 3", "date", "bad")])
    assert "f.csv:line 3:date: bad" in str(err)


def test_the_public_api_is_the_package() -> None:
    code = ("import sys, aksugeo; "
            "print(sorted(m for m in ('geopandas', 'streamlit', 'matplotlib', "
            "'osmnx') if m in sys.modules)); "
            "print(aksugeo.open_build.__module__, aksugeo.analyse_access.__module__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out[0] == "[]"  # nothing heavy until a function is used
    assert out[1] == "aksugeo.data.layers aksugeo.walk.access"
    assert set(aksugeo._API) <= set(aksugeo.__all__)  # noqa: SLF001
    for name in aksugeo.__all__:
        assert getattr(aksugeo, name) is not None, name
    assert "open_build" in dir(aksugeo)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = aksugeo.nope
