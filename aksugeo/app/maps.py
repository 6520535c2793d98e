"""The dashboard's map: one description in Python, drawn by Leaflet, working with no internet.

The page, a notebook and a saved file draw the same map from the same description (a JSON
mapping, :func:`map_spec`): ``static/map/aksugeo-map.js`` draws it with Leaflet, and the page
hands it each rerun's description to apply in place (:mod:`aksugeo.app.component`), so a filter
swaps overlays and never reloads the map. Leaflet and its heat-map plugin are served by the app
itself (``static/vendor``, fetched from the npm registry by ``static/vendor/fetch.sh``), never
from a CDN; a notebook's or a file's map carries them inside its page (:class:`MapDocument`).
With ``tiles=False`` the street network is the base layer, so the map is readable with no tile
server; OpenStreetMap tiles are an option for when there is internet.

Layers: precincts (markers coloured by accessibility category, a popup with the passport and
the walking figures), walking bands, catchments, canvass coverage and gaps as of a day,
households as a density of voters (never thousands of markers), streets. A legend and a layer
control come with them. Texts come from the catalogues of :mod:`aksugeo.i18n`; the data's texts
travel as JSON and the script sets them as text, so a clerk's ``<script>`` stays words.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from aksugeo.app.dashboard import figure_bands
from aksugeo.data.schema import WGS84
from aksugeo.i18n import catalogue, speeds, text
from aksugeo.passport.rules import GROUPS, ITEM_KEYS, words
from aksugeo.settings import AccessSettings
from aksugeo.siting.scenarios import Move
from aksugeo.styles import (
    CATEGORY_COLOURS,
    CATEGORY_SHAPES,
    CONFLICT,
    COVERED,
    GAP,
    NO_CATEGORY,
    band_colours,
)

STATIC = Path(__file__).resolve().parent / "static"
VENDOR = STATIC / "vendor"
MAP_JS = STATIC / "map" / "aksugeo-map.js"
STATIC_URL = "/app/static/vendor"  # where Streamlit serves the package's static/vendor
DECIMALS = 5  # about 1 m: plenty for a screen, and the page stays light
SIMPLIFY_M = 4.0
HEIGHT_PX = 620
STREETS_STYLE = {"color": "#8c8c8c", "weight": 1.2, "opacity": 0.9}
OSM_TILES = {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
             "attribution": "© OpenStreetMap contributors"}
SITE_COLOURS = {"added": "#2166ac", "closed": "#bbbbbb", "kept": "#1a9850"}


def light_geojson(frame: gpd.GeoDataFrame, columns: Sequence[str], *,
                  simplify_m: float = SIMPLIFY_M) -> dict[str, Any]:
    """Return a layer as a GeoJSON mapping, simplified and rounded for the browser.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Any CRS; simplified in its UTM zone.
    columns : sequence of str
        The properties to keep.
    simplify_m : float
        Simplification tolerance, metres (topology kept per feature).

    Returns
    -------
    dict
        A FeatureCollection in WGS84.
    """
    if frame.empty:
        return {"type": "FeatureCollection", "features": []}
    metric = frame.to_crs(frame.estimate_utm_crs())
    geoms = shapely.simplify(metric.geometry.to_numpy(), simplify_m, preserve_topology=True)
    out = gpd.GeoDataFrame(frame[list(columns)].copy(),
                           geometry=gpd.GeoSeries(geoms, crs=metric.crs).to_crs(WGS84).values,
                           crs=WGS84)
    out["geometry"] = shapely.transform(out.geometry.to_numpy(),
                                        lambda xy: np.round(xy, DECIMALS))
    out = out[~out.geometry.is_empty]
    return out.__geo_interface__


@dataclass(frozen=True)
class View:
    """How the map is shown.

    Attributes
    ----------
    lang : str
        Language of the layer names, legend, tooltips and popups.
    band_min : int
        The largest walking band drawn.
    reduced : bool
        Whether the bands are at the reduced-mobility speed (for the layer's name).
    selected : int, optional
        The precinct to highlight.
    center, zoom : optional
        Where the map opens (framing the precincts by default).
    tiles : bool
        Draw OpenStreetMap tiles under the layers (needs the internet).
    speeds : tuple of str
        The walking speeds, as the popups write them ("4.5 km/h", "3 km/h").
    bands_min : tuple of int
        The build's bands (the legend's colours).
    figure_bands : tuple of int
        The bands the popups quote (voters within so many minutes).
    static_url : str
        Where the app serves Leaflet.
    """

    lang: str = "ru"
    band_min: int = 15
    reduced: bool = False
    selected: int | None = None
    center: tuple[float, float] | None = None
    zoom: int = 10
    tiles: bool = False
    speeds: tuple[str, str] = ("4.5 km/h", "3 km/h")
    bands_min: tuple[int, ...] = (5, 10, 15, 20)
    figure_bands: tuple[int, ...] = (10, 15)
    static_url: str = STATIC_URL

    @classmethod
    def of_build(cls, settings: AccessSettings, lang: str, **kwargs: Any) -> View:  # noqa: ANN401
        """Return the view of a build: its bands and its speeds, in ``lang``."""
        bands = tuple(settings.bands_min)
        return cls(lang=lang, speeds=speeds(lang, settings.speed_kmh, settings.reduced_speed_kmh),
                   bands_min=bands,
                   figure_bands=figure_bands(settings), **kwargs)


def _popup(row: pd.Series, view: View) -> dict[str, Any]:
    """Return the popup of a precinct: its passport at a glance, its walking figures.

    ``{"title": ..., "lines": [[label, value, indent], ...]}``: plain text, set as text.
    """
    lang = view.lang
    t = catalogue(lang)
    cat = row.get("category")
    lines: list[list[Any]] = [["", str(row["address"]), False]]
    if isinstance(cat, str):
        lines.append([t["app.category"], t["category." + cat], False])
        lines += [[t["group." + g], t["category." + str(row[f"category_{g}"])], True]
                  for g in GROUPS]
        failed = [words(k, lang) for k in str(row.get("failed_items") or "").split(",")
                  if k in ITEM_KEYS]
        if failed:
            lines.append([t["app.failed"], "; ".join(failed), False])
    lines.append([t["field.con_desk"], t["value.yes"] if row.get("con_desk") else t["value.no"],
                  False])
    voters = max(int(row["voters"]), 1)
    lines.append([t["report.voters"], f"{int(row['voters']):,}", False])
    for minutes in view.figure_bands:
        normal, reduced = (int(row.get(f"voters_within_{minutes}{s}", 0) or 0)
                           for s in ("", "_reduced"))
        lines.append([text(lang, "report.within", minutes=minutes),
                      (f"{100 * normal / voters:.0f} % ({view.speeds[0]}), "
                       f"{100 * reduced / voters:.0f} % ({view.speeds[1]})"), False])
    return {"title": f"№ {int(row['precinct_id'])} · {row['name']}", "lines": lines}


def legend(view: View) -> dict[str, Any]:
    """Return the legend: categories, the build's bands, covered and gap (no filter changes it)."""
    lang = view.lang
    t = catalogue(lang)
    rows = [{"colour": c, "label": t["category." + k], "square": False,
             "shape": CATEGORY_SHAPES.get(k, "full")} for k, c in CATEGORY_COLOURS.items()]
    rows += [{"colour": colour, "label": text(lang, "report.map_band", minutes=m), "square": True}
             for m, colour in band_colours(view.bands_min).items()]
    rows += [{"colour": COVERED, "label": t["app.layer_covered"], "square": True},
             {"colour": GAP, "label": t["app.layer_gaps"], "square": True}]
    return {"title": t["app.legend"], "rows": rows}


def base(streets: dict[str, Any] | None, view: View) -> dict[str, Any]:
    """Return the part of the map that no filter changes: streets, tiles, legend.

    Parameters
    ----------
    streets : dict or None
        The street network as GeoJSON (always shown; it is the base when there are no tiles).
    view : View
        Language, tiles, the build's bands.

    Returns
    -------
    dict
        The ``base`` of :func:`map_spec`.
    """
    return {"streets": streets, "streets_style": STREETS_STYLE,
            "tiles": OSM_TILES if view.tiles else None, "legend": legend(view),
            "collapsed": False}


def framed(bounds: Sequence[float]) -> dict[str, Any]:
    """Return a view that frames WGS84 ``(x0, y0, x1, y1)`` (Leaflet fits it to the map's size)."""
    x0, y0, x1, y1 = (round(float(v), DECIMALS) for v in bounds)
    return {"bounds": [[y0, x0], [y1, x1]]}


def centred(lat: float, lon: float, zoom: int) -> dict[str, Any]:
    """Return a view centred on a point at a web-map zoom."""
    return {"center": [round(float(lat), DECIMALS), round(float(lon), DECIMALS)],
            "zoom": int(zoom)}


def map_spec(base_layers: dict[str, Any], overlay_layers: list[dict[str, Any]],
             where: dict[str, Any], *, height_px: int = HEIGHT_PX,
             static_url: str = STATIC_URL) -> dict[str, Any]:
    """Return the whole description the map script draws (JSON-serialisable).

    Parameters
    ----------
    base_layers : dict
        From :func:`base` (or ``{}``).
    overlay_layers : list of dict
        From :func:`overlays`, in drawing order.
    where : dict
        From :func:`framed` or :func:`centred`; the map moves only when this changes.
    height_px : int
        The map's height on the page.
    static_url : str
        Where the page serves ``static/vendor``.
    """
    return {"height": height_px, "static_url": static_url, "base": base_layers,
            "overlays": overlay_layers, "view": where}


def json_text(value: object) -> str:
    """Return a part of a map's description as compact JSON text (kept by the page's caches)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def map_text(base_text: str, overlays_text: str, where: dict[str, Any], *,
             parts: dict[str, str] | None = None, height_px: int = HEIGHT_PX,
             static_url: str = STATIC_URL) -> str:
    """Return :func:`map_spec`'s description as JSON text, from parts already written as JSON.

    The page keeps the base and each filter's overlays as text, so a rerun writes only the
    view; the map script reads the text as it reads the mapping. ``parts`` (reference -> JSON
    text, :class:`Parts`) go with it for the script to keep.
    """
    head = json_text({"height": height_px, "static_url": static_url, "view": where})
    kept = ",".join(f'"{ref}":{value}' for ref, value in (parts or {}).items())
    return f'{head[:-1]},"base":{base_text},"overlays":{overlays_text},"parts":{{{kept}}}}}'


def part_ref(value_text: str) -> str:
    """Return the reference of a part: a hash of its JSON text (the same text, the same part)."""
    return hashlib.blake2b(value_text.encode("utf-8"), digest_size=10).hexdigest()


_DATA = {"shapes": "data", "markers": "items", "heat": "points"}


def _precinct_of(kind: str, item: Any) -> Any:  # noqa: ANN401
    if kind == "shapes":
        return item["properties"].get("precinct_id")
    return item["id"] if kind == "markers" else item[3]


@dataclass(frozen=True)
class Parts:
    """A map's overlays for every precinct, each split by precinct into parts sent once.

    A filter keeps some precincts: :meth:`pick` gives the overlays with the references of
    their parts, and the parts. The page sends a part only the first time, the map script
    keeps it, and a filter that only keeps fewer or other precincts sends a few references
    and adds or removes their layers (no layer is drawn again, no geometry sent again).

    Attributes
    ----------
    heads : tuple of (dict, dict)
        Each overlay's description without its data, and its parts' references by precinct.
    texts : dict
        Each part's JSON text by its reference (:func:`part_ref`).
    """

    heads: tuple[tuple[dict[str, Any], dict[int, str]], ...]
    texts: dict[str, str]

    @classmethod
    def of(cls, overlay_list: list[dict[str, Any]]) -> Parts:
        """Split :func:`overlays`' layers by precinct (what has no precinct is left out)."""
        heads, texts = [], {}
        for o in overlay_list:
            kind = o["kind"]
            whole = o[_DATA[kind]]
            groups: dict[int, list[Any]] = {}
            for item in whole["features"] if kind == "shapes" else whole:
                pid = _precinct_of(kind, item)
                if pid is not None:
                    groups.setdefault(int(pid), []).append(item)
            refs = {}
            for pid, group in groups.items():
                value = json_text(group)
                refs[pid] = ref = part_ref(value)
                texts[ref] = value
            heads.append(({k: v for k, v in o.items() if k != _DATA[kind]}, refs))
        return cls(tuple(heads), texts)

    def pick(self, ids: Iterable[int]) -> tuple[str, dict[str, str]]:
        """Return the overlays of precincts ``ids`` as JSON text, and the parts they use."""
        chosen = sorted({int(i) for i in ids})
        out: list[dict[str, Any]] = []
        used: dict[str, str] = {}
        for head, refs in self.heads:
            mine = [refs[i] for i in chosen if i in refs]
            out.append({**head, "parts": mine})
            used |= {ref: self.texts[ref] for ref in mine}
        return json_text(out), used


def _shapes(key: str, name: str, data: dict[str, Any], style: dict[str, Any], *,
            show: bool = True, colour_by: str | None = None,
            colours: dict[str, str] | None = None,
            tooltip: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    return {"key": key, "name": name, "show": show, "kind": "shapes", "data": data,
            "style": style, "colour_by": colour_by, "colours": colours or {},
            "tooltip": [list(x) for x in tooltip] if tooltip else None}


def conflict_markers(conflicts: gpd.GeoDataFrame, homes: pd.DataFrame,
                     lang: str) -> list[dict[str, Any]]:
    """Return the akim's decision's conflicts at households as markers (WGS84).

    ``conflicts`` is a build's ``boundary_conflicts`` layer (the first decision file's rows;
    those at a household); each marker belongs to the conflict's precinct, else to the
    household's registry precinct. Texts are set as text by the map script.
    """
    t = catalogue(lang)
    if conflicts.empty:
        return []
    first = conflicts[(conflicts["source"] == conflicts["source"].iloc[0])
                      & conflicts.geometry.notna() & ~conflicts.geometry.is_empty]
    registry = dict(zip(homes["household_id"].astype(str), homes["precinct_id"], strict=True))
    items = []
    for row in first.itertuples(index=False):
        own = registry.get(str(row.household_id))
        pid = row.precinct_id if not pd.isna(row.precinct_id) else own
        if pid is None or pd.isna(pid):
            continue
        what = t.get(f"conflict.{row.kind}", str(row.kind))
        lines = [["", str(row.text), False]]
        if not pd.isna(row.precinct_id):
            lines.append([t["app.precinct"], f"№ {int(row.precinct_id)}", False])
        if not pd.isna(row.rule):
            lines.append([t["app.decision_rule"], str(int(row.rule)), False])
        lines.append([t["app.decision_file"], str(row.source), False])
        items.append({"id": int(pid), "lat": round(row.geometry.y, DECIMALS),
                      "lon": round(row.geometry.x, DECIMALS), "colour": CONFLICT,
                      "shape": "full", "size": 12, "border": 1.5,
                      "cls": f"conflict-marker conflict-{row.kind}", "passive": True,
                      "tooltip": f"{what}: {row.text}",
                      "popup": {"title": what, "lines": lines}})
    return items


def overlays(precincts: gpd.GeoDataFrame, layers: dict[str, dict[str, Any]],
             heat: Iterable[Sequence[float]], view: View,
             conflicts: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Return the layers a filter changes, in drawing order.

    Parameters
    ----------
    precincts : geopandas.GeoDataFrame
        The precincts to mark (WGS84), with ``category`` when passports exist.
    layers : dict
        GeoJSON mappings (from :func:`light_geojson`) by name: ``catchments``
        (``precinct_id``), ``bands`` (``precinct_id``, ``minutes``), ``coverage``
        (``precinct_id``, ``status``), ``gaps`` (``gap_id``, ``precinct_id``,
        ``uncovered_households``, ``uncovered_doors``); a missing one is left out.
    heat : iterable of (lat, lon, weight, precinct_id)
        Households for the density layer, weighted by voters (:func:`heat_points`).
    view : View
        Language, band, speed, selection.
    conflicts : list of dict, optional
        The decision's conflicts as markers (:func:`conflict_markers`), drawn under the
        precincts.

    Returns
    -------
    list of dict
        The ``overlays`` of :func:`map_spec`; each has a ``key`` under which the map keeps the
        planner's choice to show or hide it.
    """
    lang, band_min = view.lang, view.band_min
    t = catalogue(lang)
    out: list[dict[str, Any]] = []
    if "bands" in layers:
        speed = view.speeds[1] if view.reduced else view.speeds[0]
        out.append(_shapes(
            "bands", f"{text(lang, 'app.layer_bands', minutes=band_min)} ({speed})",
            layers["bands"], {"weight": 0, "fillOpacity": 0.35}, colour_by="minutes",
            colours={str(m): c for m, c in band_colours(view.bands_min).items()}))
    if "catchments" in layers:
        out.append(_shapes(
            "catchments", t["app.layer_catchments"], layers["catchments"],
            {"color": "#222", "weight": 1.4, "dashArray": "5 4", "fill": False},
            tooltip=[("precinct_id", t["app.precinct"])]))
    if "coverage" in layers:
        out.append(_shapes(
            "coverage", t["app.layer_covered"], layers["coverage"],
            {"weight": 0.5, "fillOpacity": 0.25}, show=False, colour_by="status",
            colours={"covered": COVERED, "gap": GAP}))
    if "gaps" in layers:
        out.append(_shapes(
            "gaps", t["app.layer_gaps"], layers["gaps"],
            {"color": GAP, "weight": 1.5, "fillOpacity": 0.35},
            tooltip=[("precinct_id", t["app.precinct"]),
                     ("uncovered_households", t["app.gap_households"]),
                     ("uncovered_doors", t["app.gap_doors"])]))
    points = [list(p) for p in heat]
    if points:
        out.append({"key": "households", "name": t["app.layer_households"], "show": False,
                    "kind": "heat", "points": points})
    if conflicts:
        out.append({"key": "conflicts", "name": t["app.layer_conflicts"], "show": True,
                    "kind": "markers", "items": conflicts})
    items = []
    for _, row in precincts.iterrows():
        pid = int(row["precinct_id"])
        chosen = pid == view.selected
        items.append({"id": pid, "lat": round(row.geometry.y, DECIMALS),
                      "lon": round(row.geometry.x, DECIMALS),
                      "colour": CATEGORY_COLOURS.get(str(row.get("category")), NO_CATEGORY),
                      "shape": CATEGORY_SHAPES.get(str(row.get("category")), "full"),
                      "size": 26 if chosen else 18, "border": 3 if chosen else 1.5,
                      "cls": f"precinct-marker precinct-{pid}",
                      "tooltip": f"№ {pid} · {row['name']}", "popup": _popup(row, view)})
    out.append({"key": "precincts", "name": t["app.layer_precincts"], "show": True,
                "kind": "markers", "items": items})
    return out


def heat_points(households: pd.DataFrame) -> list[list[Any]]:
    """Return households as ``[lat, lon, voters, precinct_id]`` for the density layer (WGS84).

    The precinct (None for none) lets the page send each precinct's points once
    (:class:`Parts`).
    """
    lat = np.round(households.geometry.y.to_numpy(), DECIMALS).tolist()
    lon = np.round(households.geometry.x.to_numpy(), DECIMALS).tolist()
    voters = households["voters"].to_numpy(dtype=float).tolist()
    precinct = [None if pd.isna(p) else int(p) for p in households["precinct_id"]]
    return [list(row) for row in zip(lat, lon, voters, precinct, strict=True)]


def _script_json(value: object) -> str:
    """Return JSON that is safe inside an HTML ``<script>`` (no ``</script>``, no U+2028)."""
    written = json_text(value)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        written = written.replace(char, escape)
    return written


@dataclass(frozen=True)
class MapDocument:
    """A map as a page of its own, Leaflet inside it: for a notebook, or a file to hand out.

    A notebook shows it in an iframe (``_repr_html_``) where the app's ``/app/static`` is not
    there; with Leaflet, its heat plugin and the map script inlined (about 250 KB) the map needs
    nothing from anywhere. :meth:`save` writes the same page to a file.

    Attributes
    ----------
    spec : dict
        From :func:`map_spec`.
    title : str
        The page's title.
    """

    spec: dict[str, Any]
    title: str = "aksugeo"

    def html(self) -> str:
        """Return the whole page."""
        scripts = "".join(
            f"<script>{(VENDOR / rel).read_text(encoding='utf-8')}</script>"
            for rel in ("leaflet-1.9.4/leaflet.js", "leaflet.heat-0.2.0/leaflet-heat.js"))
        css = (VENDOR / "leaflet-1.9.4" / "leaflet.css").read_text(encoding="utf-8")
        return ("<!DOCTYPE html><html><head><meta charset='utf-8'>"
                "<meta name='viewport' content='width=device-width, initial-scale=1'>"
                f"<title>{html.escape(self.title)}</title><style>{css}"
                "html,body{margin:0;padding:0}</style>" + scripts +
                f"<script>{MAP_JS.read_text(encoding='utf-8')}</script></head><body>"
                "<div id='aksugeo-map'></div><script>aksugeoMap.draw(document.getElementById("
                f"'aksugeo-map'), {_script_json(self.spec)}, {{}});</script></body></html>")

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path``; return it."""
        out = Path(path)
        out.write_text(self.html(), encoding="utf-8")
        return out

    def _repr_html_(self) -> str:
        height = int(self.spec.get("height", HEIGHT_PX)) + 10
        return (f'<iframe srcdoc="{html.escape(self.html(), quote=True)}" '
                f'style="width:100%;height:{height}px;border:none" '
                'sandbox="allow-scripts"></iframe>')


def dashboard_map(precincts: gpd.GeoDataFrame, layers: dict[str, dict[str, Any]],
                  heat: Iterable[Sequence[float]], view: View) -> MapDocument:
    """Return the dashboard's map whole, for a notebook or a file.

    Parameters
    ----------
    precincts : geopandas.GeoDataFrame
        The precincts to mark (WGS84); the map frames them (or opens at ``view.center``).
    layers : dict
        ``streets`` and the layers of :func:`overlays`.
    heat : iterable of (lat, lon, weight, precinct_id)
        Households for the density layer (:func:`heat_points`).
    view : View
        Language, band, speed, selection, where the map opens, tiles.

    Returns
    -------
    MapDocument
    """
    if view.center is not None:
        where = centred(*view.center, view.zoom)
    else:
        where = framed(precincts.total_bounds if len(precincts) else (76.9, 52.0, 77.0, 52.1))
    return MapDocument(map_spec(base(layers.get("streets"), view),
                                overlays(precincts, layers, heat, view), where,
                                static_url=view.static_url))


def scenario_map(sites: gpd.GeoDataFrame, catchments: gpd.GeoDataFrame,
                 view: View) -> dict[str, Any]:
    """Return the map of a siting proposal: its sites (added, kept, closed) and catchments.

    Parameters
    ----------
    sites : geopandas.GeoDataFrame
        ``siting_sites`` of the GeoPackage: ``site_id``, ``name``, ``open``, ``added``,
        ``closed``, points (WGS84).
    catchments : geopandas.GeoDataFrame
        ``siting_catchments``: ``site_id``, polygons.
    view : View
        Language and where the map opens.

    Returns
    -------
    dict
        The map's description (:func:`map_spec`; :class:`MapDocument` draws it on its own).
    """
    t = catalogue(view.lang)
    shown = sites[sites["open"].astype(bool) | sites["closed"].astype(bool)]
    items = []
    for _, row in shown.iterrows():
        kind = ("added" if bool(row["added"]) else "closed" if bool(row["closed"]) else "kept")
        size = 22 if kind != "kept" else 14
        items.append({"id": str(row["site_id"]), "lat": round(row.geometry.y, DECIMALS),
                      "lon": round(row.geometry.x, DECIMALS), "colour": SITE_COLOURS[kind],
                      "size": size, "border": 2, "cls": f"siting-{kind}",
                      "tooltip": f"{t['app.scenario_' + kind]}: {row['site_id']} · {row['name']}",
                      "popup": None})
    layers = [
        _shapes("siting_catchments", t["app.layer_catchments"],
                light_geojson(catchments, ["site_id"]),
                {"color": "#222", "weight": 1.2, "dashArray": "5 4", "fillColor": "#6baed6",
                 "fillOpacity": 0.12}, tooltip=[("site_id", t["app.site"])]),
        {"key": "siting_sites", "name": t["app.scenario_sites"], "show": True,
         "kind": "markers", "items": items}]
    where = (centred(*view.center, view.zoom) if view.center is not None
             else framed(shown.total_bounds))
    return map_spec({"collapsed": True}, layers, where, height_px=420,
                    static_url=view.static_url)


def move_map(move: Move, view: View, streets: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the map of a move: the old and the new building, and where the nearest changes.

    Parameters
    ----------
    move : Move
        From :func:`aksugeo.siting.scenarios.move_precinct`.
    view : View
        Language.
    streets : dict, optional
        The street network as GeoJSON, drawn under them.

    Returns
    -------
    dict
        The map's description (:func:`map_spec`).
    """
    t = catalogue(view.lang)
    items = []
    for kind, state, site in (("closed", "app.state_before", move.old),
                              ("added", "app.state_after", move.new)):
        items.append({"id": f"move-{kind}", "lat": round(site.geometry.y, DECIMALS),
                      "lon": round(site.geometry.x, DECIMALS), "colour": SITE_COLOURS[kind],
                      "size": 22, "border": 2, "cls": f"move-{kind}",
                      "tooltip": f"{t[state]}: {site['name']}", "popup": None})
    changed = move.changed
    layers: list[dict[str, Any]] = []
    if len(changed):
        layers.append({"key": "move_changed", "name": t["app.layer_move_changed"], "show": True,
                       "kind": "heat", "points": heat_points(changed)})
    layers.append({"key": "move_sites", "name": t["app.layer_move_sites"], "show": True,
                   "kind": "markers", "items": items})
    points = [move.old.geometry, move.new.geometry, *changed.geometry]
    x0, y0, x1, y1 = shapely.MultiPoint(points).bounds
    pad = 0.004  # degrees, about 300 m: the two buildings' streets around them
    return map_spec({"streets": streets, "streets_style": STREETS_STYLE, "collapsed": True},
                    layers, framed((x0 - pad, y0 - pad, x1 + pad, y1 + pad)), height_px=420,
                    static_url=view.static_url)
