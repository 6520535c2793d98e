"""The dashboard's map, drawn with folium, that works with no internet.

Leaflet and its heat-map plugin are served by the app itself (``static/vendor``, fetched from
the npm registry by ``static/vendor/fetch.sh``), never from a CDN: :func:`offline` points a
folium element at them. With ``tiles=False`` the street network is the base layer, so the map
is readable with no tile server; OpenStreetMap tiles are an option for when there is internet.

Layers: precincts (markers coloured by accessibility category, a popup with the passport and
the walking figures), walking bands, catchments, canvass coverage and gaps as of a day,
households as a density of voters (never thousands of markers), streets. A legend and a layer
control come with them. Texts come from the catalogues of :mod:`aksugeo.i18n`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, Figure, MacroElement, Template
from folium.plugins import HeatMap

from aksugeo.data.schema import WGS84
from aksugeo.i18n import catalogue, text
from aksugeo.passport.rules import GROUPS, ITEM_KEYS, words
from aksugeo.styles import BAND_COLOURS, CATEGORY_COLOURS, COVERED, GAP, NO_CATEGORY

STATIC_URL = "/app/static/vendor"  # where Streamlit serves the repository's static/vendor
DECIMALS = 5  # about 1 m: plenty for a screen, and the page stays light
SIMPLIFY_M = 4.0


def offline(element: folium.Map | HeatMap, static_url: str = STATIC_URL) -> None:
    """Point a folium map (or plugin) at the app's own copies of Leaflet and its plugins.

    Parameters
    ----------
    element : folium element
        A :class:`folium.Map` or :class:`folium.plugins.HeatMap`.
    static_url : str
        Where ``static/vendor`` is served.
    """
    if isinstance(element, folium.Map):
        # folium's popups set their content with jQuery
        element.default_js = [("leaflet", f"{static_url}/leaflet-1.9.4/leaflet.js"),
                              ("jquery", f"{static_url}/jquery-3.7.1/jquery.min.js")]
        element.default_css = [("leaflet_css", f"{static_url}/leaflet-1.9.4/leaflet.css")]
    elif isinstance(element, HeatMap):
        element.default_js = [("leaflet-heat.js",
                               f"{static_url}/leaflet.heat-0.2.0/leaflet-heat.js")]


VENDOR = Path(__file__).resolve().parent / "static" / "vendor"
_INLINE_JS = ("leaflet-1.9.4/leaflet.js", "jquery-3.7.1/jquery.min.js")
_INLINE_CSS = ("leaflet-1.9.4/leaflet.css",)


def embedded(m: folium.Map) -> folium.Map:
    """Put Leaflet itself into the map's page, for a notebook or a file read with no network.

    A notebook shows a folium map in an iframe of its own, where the app's ``/app/static`` is
    not there; with the scripts inlined (about 240 KB) the map needs nothing from anywhere.
    Plugins are not inlined: draw such maps without them.

    Parameters
    ----------
    m : folium.Map
        The map (changed in place).

    Returns
    -------
    folium.Map
        The same map.

    Raises
    ------
    FileNotFoundError
        When the vendored files are not beside the package (an install without the repository).
    """
    m.default_js, m.default_css = [], []
    root = m.get_root()
    if not isinstance(root, Figure):
        msg = "the map is not in a folium figure"
        raise TypeError(msg)
    header = root.header
    for i, rel in enumerate(_INLINE_CSS):
        css = (VENDOR / rel).read_text(encoding="utf-8")
        header.add_child(Element(f"<style>{css}</style>"), name=f"aksugeo_css_{i}")
    for i, rel in enumerate(_INLINE_JS):
        js = (VENDOR / rel).read_text(encoding="utf-8")
        header.add_child(Element(f"<script>{js}</script>"), name=f"aksugeo_js_{i}")
    return m


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


def _popup(row: pd.Series, lang: str, speeds: tuple[str, str]) -> str:
    """Return the popup of a precinct: its passport at a glance, its walking figures."""
    t = catalogue(lang)
    cat = row.get("category")
    lines = [f"<b>№ {int(row['precinct_id'])} · {html.escape(str(row['name']))}</b>",
             html.escape(str(row["address"]))]
    if isinstance(cat, str):
        lines.append(f"<b>{t['app.category']}:</b> {t['category.' + cat]}")
        lines += [f"&nbsp;· {t['group.' + g]}: {t['category.' + str(row[f'category_{g}'])]}"
                  for g in GROUPS]
        failed = [words(k, lang) for k in str(row.get("failed_items") or "").split(",")
                  if k in ITEM_KEYS]
        if failed:
            lines.append(f"<b>{t['app.failed']}:</b> " + html.escape("; ".join(failed)))
    lines.append(f"<b>{t['field.con_desk']}:</b> "
                 f"{t['value.yes'] if row.get('con_desk') else t['value.no']}")
    voters = max(int(row["voters"]), 1)
    lines.append(f"<b>{t['report.voters']}:</b> {int(row['voters']):,}")
    for minutes in (10, 15):
        normal, reduced = (int(row.get(f"voters_within_{minutes}{s}", 0) or 0)
                           for s in ("", "_reduced"))
        lines.append(f"{text(lang, 'report.within', minutes=minutes)}: "
                     f"{100 * normal / voters:.0f} % ({speeds[0]}), "
                     f"{100 * reduced / voters:.0f} % ({speeds[1]})")
    return "<br>".join(lines)


def _legend(lang: str, band_min: int, reduced: bool) -> MacroElement:
    t = catalogue(lang)
    rows = [f'<div><span style="background:{c}"></span>{t["category." + k]}</div>'
            for k, c in CATEGORY_COLOURS.items()]
    rows += [f'<div><span style="background:{BAND_COLOURS[m]};border-radius:0"></span>'
             f'{text(lang, "report.map_band", minutes=m)}</div>'
             for m in sorted(BAND_COLOURS) if m <= band_min]
    rows += [(f'<div><span style="background:{COVERED};border-radius:0"></span>'
              f'{t["app.layer_covered"]}</div>'),
             (f'<div><span style="background:{GAP};border-radius:0"></span>'
              f'{t["app.layer_gaps"]}</div>')]
    speed = t["app.speed_reduced" if reduced else "app.speed_normal"]
    body = (f'<div class="aksugeo-legend"><b>{t["app.legend"]}</b> ({html.escape(speed)})'
            + "".join(rows) + "</div>")
    style = ("<style>.aksugeo-legend{position:absolute;bottom:24px;right:10px;z-index:9999;"
             "background:rgba(255,255,255,.92);padding:6px 8px;font:12px sans-serif;"
             "border:1px solid #999;border-radius:4px}.aksugeo-legend span{display:inline-block;"
             "width:11px;height:11px;border-radius:50%;margin-right:5px;"
             "border:1px solid #333;vertical-align:-1px}</style>")
    legend = MacroElement()
    legend._template = Template(  # noqa: SLF001  (branca's way to add raw HTML to a map)
        "{% macro html(this, kwargs) %}" + style + body + "{% endmacro %}")
    return legend


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
        Whether the bands are at the reduced-mobility speed (for the legend).
    selected : int, optional
        The precinct to highlight.
    center, zoom : optional
        Where the map opens (the precincts' middle by default).
    tiles : bool
        Draw OpenStreetMap tiles under the layers (needs the internet).
    speeds : tuple of str
        The walking speeds, as the popups write them.
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
    static_url: str = STATIC_URL


def dashboard_map(precincts: gpd.GeoDataFrame, layers: dict[str, dict[str, Any]],
                  heat: Iterable[tuple[float, float, float]], view: View) -> folium.Map:
    """Return the dashboard's map.

    Parameters
    ----------
    precincts : geopandas.GeoDataFrame
        The precincts to mark (WGS84), with ``category`` when passports exist.
    layers : dict
        GeoJSON mappings (from :func:`light_geojson`) by name: ``streets``, ``catchments``
        (``precinct_id``), ``bands`` (``precinct_id``, ``minutes``), ``coverage``
        (``precinct_id``, ``status``), ``gaps`` (``gap_id``, ``precinct_id``,
        ``uncovered_households``, ``uncovered_doors``); a missing one is left out.
    heat : iterable of (lat, lon, weight)
        Households for the density layer, weighted by voters.
    view : View
        Language, band, speed, selection, where the map opens, tiles.

    Returns
    -------
    folium.Map
        The map, with its layer control and legend.
    """
    lang, band_min, static_url = view.lang, view.band_min, view.static_url
    t = catalogue(lang)
    x0, y0, x1, y1 = precincts.total_bounds if len(precincts) else (76.9, 52.0, 77.0, 52.1)
    center = view.center or ((y0 + y1) / 2, (x0 + x1) / 2)
    # polygons on a canvas (thousands of ring vertices draw fast); precincts stay DOM markers
    m = folium.Map(location=center, zoom_start=view.zoom, tiles=None, control_scale=True,
                   prefer_canvas=True)
    if view.center is None and len(precincts) > 1:
        m.fit_bounds([(y0, x0), (y1, x1)], padding=(20, 20))
    offline(m, static_url)
    if view.tiles:
        folium.TileLayer("OpenStreetMap", name=t["app.layer_tiles"], overlay=False).add_to(m)
    if "streets" in layers:
        folium.GeoJson(layers["streets"], name=t["app.layer_streets"], style_function=lambda _: {
            "color": "#8c8c8c", "weight": 1.2, "opacity": 0.9}, interactive=False).add_to(m)
    if "catchments" in layers:
        folium.GeoJson(layers["catchments"], name=t["app.layer_catchments"],
                       style_function=lambda _: {"color": "#222", "weight": 1.4,
                                                 "dashArray": "5 4", "fill": False},
                       tooltip=folium.GeoJsonTooltip(["precinct_id"], [t["app.precinct"]]),
                       ).add_to(m)
    if "bands" in layers:
        folium.GeoJson(layers["bands"], name=text(lang, "app.layer_bands", minutes=band_min),
                       style_function=lambda f: {
                           "color": BAND_COLOURS.get(int(f["properties"]["minutes"]), "#999"),
                           "weight": 0, "fillOpacity": 0.35},
                       interactive=False).add_to(m)
    if "coverage" in layers:
        folium.GeoJson(layers["coverage"], name=t["app.layer_covered"],
                       style_function=lambda f: {
                           "color": COVERED if f["properties"]["status"] == "covered" else GAP,
                           "weight": 0.5, "fillOpacity": 0.25}, interactive=False,
                       show=False).add_to(m)
    if "gaps" in layers:
        folium.GeoJson(layers["gaps"], name=t["app.layer_gaps"],
                       style_function=lambda _: {"color": GAP, "weight": 1.5,
                                                 "fillOpacity": 0.35},
                       tooltip=folium.GeoJsonTooltip(
                           ["precinct_id", "uncovered_households", "uncovered_doors"],
                           [t["app.precinct"], t["app.gap_households"], t["app.gap_doors"]]),
                       ).add_to(m)
    points = [list(p) for p in heat]
    if points:
        density = HeatMap(points, name=t["app.layer_households"], radius=14, blur=16,
                          min_opacity=0.25, show=False)
        offline(density, static_url)
        density.add_to(m)
    marks = folium.FeatureGroup(name=t["app.layer_precincts"])
    for _, row in precincts.iterrows():
        pid = int(row["precinct_id"])
        colour = CATEGORY_COLOURS.get(str(row.get("category")), NO_CATEGORY)
        size = 26 if pid == view.selected else 18
        border = 3 if pid == view.selected else 1.5
        icon = folium.DivIcon(
            html=(f'<div style="width:{size}px;height:{size}px;border-radius:50%;'
                  f'background:{colour};border:{border}px solid #000;box-sizing:border-box">'
                  "</div>"),
            icon_size=(size, size), icon_anchor=(size // 2, size // 2),
            class_name=f"precinct-marker precinct-{pid}")
        folium.Marker((row.geometry.y, row.geometry.x), icon=icon,
                      tooltip=f"№ {pid} · {row['name']}",
                      popup=folium.Popup(_popup(row, lang, view.speeds), max_width=360),
                      ).add_to(marks)
    marks.add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    m.get_root().add_child(_legend(lang, band_min, view.reduced))
    return m


def scenario_map(sites: gpd.GeoDataFrame, catchments: gpd.GeoDataFrame,
                 view: View) -> folium.Map:
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
    folium.Map
        The map, with a layer control.
    """
    t = catalogue(view.lang)
    shown = sites[sites["open"].astype(bool) | sites["closed"].astype(bool)]
    x0, y0, x1, y1 = shown.total_bounds
    m = folium.Map(location=view.center or ((y0 + y1) / 2, (x0 + x1) / 2), zoom_start=view.zoom,
                   tiles=None, control_scale=True, prefer_canvas=True)
    offline(m, view.static_url)
    if view.center is None:
        m.fit_bounds([(y0, x0), (y1, x1)], padding=(20, 20))
    folium.GeoJson(light_geojson(catchments, ["site_id"]), name=t["app.layer_catchments"],
                   style_function=lambda _: {"color": "#222", "weight": 1.2, "dashArray": "5 4",
                                             "fillColor": "#6baed6", "fillOpacity": 0.12},
                   tooltip=folium.GeoJsonTooltip(["site_id"], [t["app.site"]])).add_to(m)
    group = folium.FeatureGroup(name=t["app.scenario_sites"])
    for _, row in shown.iterrows():
        kind = ("added" if bool(row["added"]) else "closed" if bool(row["closed"]) else "kept")
        colour = {"added": "#2166ac", "closed": "#bbbbbb", "kept": "#1a9850"}[kind]
        size = 22 if kind != "kept" else 14
        icon = folium.DivIcon(
            html=(f'<div style="width:{size}px;height:{size}px;border-radius:50%;'
                  f'background:{colour};border:2px solid #000;box-sizing:border-box"></div>'),
            icon_size=(size, size), icon_anchor=(size // 2, size // 2),
            class_name=f"siting-{kind}")
        folium.Marker((row.geometry.y, row.geometry.x), icon=icon,
                      tooltip=f"{t['app.scenario_' + kind]}: {row['site_id']} · {row['name']}",
                      ).add_to(group)
    group.add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    return m
