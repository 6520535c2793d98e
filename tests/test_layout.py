"""The package's layers: imports flow one way, data -> walk, geocode -> canvass, passport,
siting -> app, cli.

Every ``import`` in every module of the package is read (those inside functions too), and a module
may import only from its own subpackage or from a layer below its own. Two subpackages of one
layer (walk and geocode; canvass, passport and siting) do not import each other.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import aksugeo

PACKAGE = Path(aksugeo.__file__).parent
# subpackage (or top-level module) -> its layer; lower layers never import higher ones
LAYERS = {
    "_errors": 0, "_cache": 0, "_threads": 0, "settings": 0, "i18n": 0, "styles": 0,
    "data": 1,
    "walk": 2, "geocode": 2,
    "canvass": 3, "passport": 3, "siting": 3, "boundaries": 3,
    "build": 4, "synth": 4,
    "app": 5, "site": 5,
    "cli": 6, "__main__": 7,
}
CORE = 0


def _group(module: str) -> str:
    """The subpackage or top-level module a dotted ``aksugeo.x.y`` name belongs to."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _defined_in(name: str) -> str:
    """Where ``from aksugeo import name`` takes the name from: a subpackage, or the public API."""
    if (PACKAGE / name).is_dir() or (PACKAGE / f"{name}.py").is_file():
        return f"aksugeo.{name}"
    if name in aksugeo._API:  # noqa: SLF001
        return aksugeo._API[name]  # noqa: SLF001
    if name in {"__version__", "AksugeoError", "CRSError", "Problem", "SettingsError",
                "ValidationError"}:
        return "aksugeo._errors"
    raise AssertionError(f"aksugeo has no {name!r} (a module that moved?)")


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every aksugeo module a file imports, with its line."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("aksugeo")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.startswith("aksugeo"):
            for alias in node.names:
                if node.module == "aksugeo":
                    found.append((node.lineno, _defined_in(alias.name)))
                else:
                    found.append((node.lineno, node.module))
    return found


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or
                  p.parent != PACKAGE)


def test_every_part_of_the_package_has_a_layer() -> None:
    parts = {p.name if p.is_dir() else p.stem for p in PACKAGE.iterdir()
             if (p.is_dir() and (p / "__init__.py").is_file()) or p.suffix == ".py"}
    assert parts - {"__init__"} == set(LAYERS)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_flow_down(path: Path) -> None:
    rel = path.relative_to(PACKAGE)
    group = rel.parts[0] if len(rel.parts) > 1 else rel.stem
    layer = LAYERS[group]
    wrong = []
    for line, module in _imports(path):
        other = _group(module)
        if other in {group, ""}:
            continue
        if LAYERS[other] >= layer and not (layer == CORE and LAYERS[other] == CORE):
            wrong.append(f"{rel}:{line} imports {module} (layer {LAYERS[other]} >= {layer})")
    assert not wrong, "\n".join(wrong)


def test_the_rule_catches_an_upward_import(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("from aksugeo.passport.rules import assess\nimport aksugeo.app.maps\n"
                     "from aksugeo import open_build, walk\n", encoding="utf-8")
    assert [m for _, m in _imports(probe)] == ["aksugeo.passport.rules", "aksugeo.app.maps",
                                               "aksugeo.data.layers", "aksugeo.walk"]
    probe.write_text("from aksugeo import appcache\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="no 'appcache'"):
        _imports(probe)
