"""The public accessibility map: a static site where a voter finds their precinct and the walk.

:func:`export_site` writes, from a build, a folder that any static web server serves and that a
browser also opens straight from the disk (a USB stick), with no request off the machine:

- ``index.html`` (the language chooser) and ``ru/``, ``kk/``, ``en/index.html``: one page per
  language, every precinct written out in text (its building, address, hours, categories for
  each group of voters, what falls short and the election-day measure, the public-service desk,
  the booth, the nearest precinct fully accessible for each group);
- ``site.js``, ``site.css`` and the vendored Leaflet: the address search, the walk along the
  streets (computed in the browser on the public street network, as the engine walks), the map;
- ``data/``: the public export (:func:`aksugeo.passport.public.export_public`, unchanged), and
  ``site.js``, what the pages read (:mod:`aksugeo.site.payload`).

Privacy: the pages show only what the public export publishes, and the payload holds no
household's id, point or address (see :mod:`aksugeo.site.payload`).
"""

from __future__ import annotations

import gzip
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aksugeo
from aksugeo.data.layers import open_build
from aksugeo.passport.public import export_public
from aksugeo.site.pages import LANGUAGES, language_chooser, page
from aksugeo.site.payload import payload

STATIC = Path(__file__).parent / "static"
VENDOR = Path(aksugeo.__file__).parent / "app" / "static" / "vendor" / "leaflet-1.9.4"
DEFAULT_HOURS = "07:00–20:00"  # the election law: 7 to 20 local time (a commission may open
# some precincts at 6: --hours)


@dataclass(frozen=True)
class Site:
    """A site written by :func:`export_site`: its folder, pages and size."""

    out: Path
    pages: list[Path]
    files: int
    bytes: int
    gzip_bytes: int

    @property
    def index(self) -> Path:
        """The page to open first."""
        return self.out / "index.html"


def _script(name: str, value: Any) -> str:  # noqa: ANN401
    """Return ``value`` as a script that sets ``window[name]`` (safe inside any HTML page)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    # a string may hold "</script>" or U+2028: escaped, it stays one JSON string
    text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029",
                                                                               "\\u2029")
    return f"window[{json.dumps(name)}]={text};\n"


def _sizes(out: Path) -> tuple[int, int, int]:
    files = [p for p in out.rglob("*") if p.is_file()]
    raw = sum(p.stat().st_size for p in files)
    packed = sum(len(gzip.compress(p.read_bytes(), compresslevel=9)) for p in files)
    return len(files), raw, packed


def export_site(db: str | Path, out_dir: str | Path, *, hours: str = DEFAULT_HOURS) -> Site:
    """Write the public site of a build into ``out_dir`` (see the module).

    Parameters
    ----------
    db : str or Path
        The GeoPackage ``aksugeo build`` wrote.
    out_dir : str or Path
        The site's folder (created; what an earlier export wrote there is replaced).
    hours : str
        The polling hours the pages state.

    Returns
    -------
    Site
        Where it is, and its size.

    Raises
    ------
    AksugeoError
        When the build lacks what the site needs (a layer, the street network it walked on).
    """
    built = open_build(db)
    out = Path(out_dir)
    for old in ("data", "vendor", "ru", "kk", "en"):
        shutil.rmtree(out / old, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    public = export_public(built.path, out / "data")
    layers = {name: json.loads(public[name].read_text(encoding="utf-8"))
              for name in ("precincts", "isochrones", "catchments")}
    meta = json.loads(public["metadata"].read_text(encoding="utf-8"))
    data = payload(built)
    data["layers"] = layers
    data["meta"] = {k: meta[k] for k in ("synthetic", "source", "built_at", "coverage_as_of",
                                         "walking_speed_kmh", "reduced_speed_kmh",
                                         "bands_min", "licence")}
    data["meta"]["hours"] = hours
    (out / "data" / "site.js").write_text(_script("AKSUGEO_SITE", data), encoding="utf-8")
    shutil.copytree(VENDOR, out / "vendor" / VENDOR.name)
    for name in ("site.js", "site.css"):
        shutil.copy2(STATIC / name, out / name)
    pages = []
    for lang in LANGUAGES:
        (out / lang).mkdir(exist_ok=True)
        path = out / lang / "index.html"
        path.write_text(page(data, lang), encoding="utf-8")
        pages.append(path)
    (out / "index.html").write_text(language_chooser(data), encoding="utf-8")
    files, raw, packed = _sizes(out)
    return Site(out, pages, files, raw, packed)


__all__ = ["DEFAULT_HOURS", "Site", "export_site"]
