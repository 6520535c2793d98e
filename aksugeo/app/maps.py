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
import json
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
from folium.elements import JSCSSMixin

from aksugeo.app.dashboard import figure_bands
from aksugeo.data.schema import WGS84
from aksugeo.i18n import catalogue, speeds, text
from aksugeo.passport.rules import GROUPS, ITEM_KEYS, words
from aksugeo.settings import AccessSettings
from aksugeo.styles import CATEGORY_COLOURS, COVERED, GAP, NO_CATEGORY, band_colours

STATIC_URL = "/app/static/vendor"  # where Streamlit serves the repository's static/vendor
DECIMALS = 5  # about 1 m: plenty for a screen, and the page stays light
SIMPLIFY_M = 4.0


def offline(element: folium.Map | _Heat, static_url: str = STATIC_URL) -> None:
    """Point a folium map (or plugin) at the app's own copies of Leaflet and its plugins.

    Parameters
    ----------
    element : folium element
        A :class:`folium.Map` or the household density layer.
    static_url : str
        Where ``static/vendor`` is served.
    """
    if isinstance(element, folium.Map):
        # no jQuery: our popups are Leaflet's own (folium's Popup needs it; we draw none), and
        # the page loads each script in turn, so one fewer is the map sooner
        element.default_js = [("leaflet", f"{static_url}/leaflet-1.9.4/leaflet.js")]
        element.default_css = [("leaflet_css", f"{static_url}/leaflet-1.9.4/leaflet.css")]
    elif isinstance(element, _Heat):
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


def _popup(row: pd.Series, view: View) -> str:
    """Return the popup of a precinct: its passport at a glance, its walking figures."""
    lang = view.lang
    t = catalogue(lang)
    cat = row.get("category")
    lines = [f"<b>№ {int(row['precinct_id'])} · {html_text(row['name'])}</b>",
             html_text(row["address"])]
    if isinstance(cat, str):
        lines.append(f"<b>{t['app.category']}:</b> {t['category.' + cat]}")
        lines += [f"&nbsp;· {t['group.' + g]}: {t['category.' + str(row[f'category_{g}'])]}"
                  for g in GROUPS]
        failed = [words(k, lang) for k in str(row.get("failed_items") or "").split(",")
                  if k in ITEM_KEYS]
        if failed:
            lines.append(f"<b>{t['app.failed']}:</b> " + html_text("; ".join(failed)))
    lines.append(f"<b>{t['field.con_desk']}:</b> "
                 f"{t['value.yes'] if row.get('con_desk') else t['value.no']}")
    voters = max(int(row["voters"]), 1)
    lines.append(f"<b>{t['report.voters']}:</b> {int(row['voters']):,}")
    speeds = [html_text(s) for s in view.speeds]
    for minutes in view.figure_bands:
        normal, reduced = (int(row.get(f"voters_within_{minutes}{s}", 0) or 0)
                           for s in ("", "_reduced"))
        lines.append(f"{text(lang, 'report.within', minutes=minutes)}: "
                     f"{100 * normal / voters:.0f} % ({speeds[0]}), "
                     f"{100 * reduced / voters:.0f} % ({speeds[1]})")
    return "<br>".join(lines)


def _legend(view: View) -> MacroElement:
    """Return the legend: categories, the build's bands, covered and gap (no filter changes it)."""
    lang = view.lang
    t = catalogue(lang)
    rows = [f'<div><span style="background:{c}"></span>{t["category." + k]}</div>'
            for k, c in CATEGORY_COLOURS.items()]
    rows += [f'<div><span style="background:{colour};border-radius:0"></span>'
             f'{text(lang, "report.map_band", minutes=m)}</div>'
             for m, colour in band_colours(view.bands_min).items()]
    rows += [(f'<div><span style="background:{COVERED};border-radius:0"></span>'
              f'{t["app.layer_covered"]}</div>'),
             (f'<div><span style="background:{GAP};border-radius:0"></span>'
              f'{t["app.layer_gaps"]}</div>')]
    body = (f'<div class="aksugeo-legend"><b>{t["app.legend"]}</b>' + "".join(rows) + "</div>")
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
        Whether the bands are at the reduced-mobility speed (for the layer's name).
    selected : int, optional
        The precinct to highlight.
    center, zoom : optional
        Where the map opens (the precincts' middle by default).
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


def fit_zoom(bounds: Sequence[float], *, width_px: int = 900, height_px: int = 620) -> int:
    """Return the largest web-map zoom at which ``(x0, y0, x1, y1)`` (WGS84) fits the map."""
    x0, y0, x1, y1 = bounds

    def merc(lat: float) -> float:
        return float(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))

    lon_frac = max((x1 - x0) / 360.0, 1e-9)
    lat_frac = max((merc(y1) - merc(y0)) / (2 * np.pi), 1e-9)
    zoom = min(np.log2(width_px / 256 / lon_frac), np.log2(height_px / 256 / lat_frac))
    return int(np.clip(np.floor(zoom - 0.2), 3, 17))


def base_map(bounds: Sequence[float], streets: dict[str, Any] | None, view: View) -> folium.Map:
    """Return the part of the dashboard's map that no filter changes.

    The map itself (framed on ``bounds``, WGS84 ``x0, y0, x1, y1``), the offline Leaflet, the
    tiles when asked for, the streets, and the legend. The page draws it once; what a filter
    changes comes in :func:`overlays`, which the map swaps without reloading.

    Parameters
    ----------
    bounds : sequence of float
        What the map frames first (all the build's precincts).
    streets : dict or None
        The street network as GeoJSON (always shown; it is the base when there are no tiles).
    view : View
        Language, tiles, the build's bands.

    Returns
    -------
    folium.Map
    """
    t = catalogue(view.lang)
    x0, y0, x1, y1 = bounds
    m = folium.Map(location=((y0 + y1) / 2, (x0 + x1) / 2), zoom_start=fit_zoom(bounds),
                   tiles=None, control_scale=True, prefer_canvas=True)
    offline(m, view.static_url)
    if view.tiles:
        folium.TileLayer("OpenStreetMap", name=t["app.layer_tiles"], overlay=False,
                         control=False).add_to(m)
    if streets is not None:
        streets = {**streets, "features": [dict(f) for f in streets["features"]]}  # a copy
        folium.GeoJson(streets, name=t["app.layer_streets"], style_function=lambda _: {
            "color": "#8c8c8c", "weight": 1.2, "opacity": 0.9}, interactive=False,
            control=False).add_to(m)
    m.get_root().add_child(_legend(view))
    return m


class _Remember(MacroElement):
    """Keep a layer shown or hidden as the planner left it, across the page's redraws.

    The page swaps its overlays on every filter; the planner's choices in the layer control
    are kept by ``key`` in the map's window (``default`` before any choice).
    """

    # a planner's click fires "change" on the control's checkbox (whose layerId is the layer's
    # stamp); the page's own swaps remove layers without one, and must not count as a choice
    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var shown = window.aksugeoShown = window.aksugeoShown || {};
            var keys = window.aksugeoKeys = window.aksugeoKeys || {};
            var layer = {{ this._parent.get_name() }};
            var key = {{ this.key|tojson }};
            keys[L.Util.stamp(layer)] = key;
            if (!(key in shown)) { shown[key] = {{ this.default }}; }
            if (!window.aksugeoWatching) {
                window.aksugeoWatching = true;
                document.addEventListener("change", function (e) {
                    var k = keys[e.target.layerId];
                    if (k !== undefined) { shown[k] = e.target.checked; }
                }, true);
            }
            setTimeout(function () {
                if (!shown[key] && layer._map) { layer._map.removeLayer(layer); }
            }, 0);
        })();
        {% endmacro %}
    """)

    def __init__(self, key: str, default: bool) -> None:
        super().__init__()
        self._name = "Remember"
        self.key = key
        self.default = "true" if default else "false"


def html_text(value: object) -> str:
    """Return text escaped for HTML that folium will also pass through Jinja.

    folium (branca) renders each element's output as a template once more, so a clerk's
    ``{{ 7*7 }}`` would be evaluated: braces become character references too.
    """
    return html.escape(str(value)).replace("{", "&#123;").replace("}", "&#125;")


_JS_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "{": "\\u007b",
               "}": "\\u007d", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def js_literal(value: object) -> str:
    """Return a value as a JavaScript literal safe inside an HTML ``<script>`` that folium renders.

    JSON, with every string's ``<``, ``>`` and ``&`` (no ``</script>`` ends the script), its
    braces (folium renders its output as a Jinja template once more) and the two line separators
    JavaScript does not allow in strings written as escapes.
    """
    if isinstance(value, str):
        written = json.dumps(value, ensure_ascii=False)
        for char, escape in _JS_ESCAPES.items():
            written = written.replace(char, escape)
        return written
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(js_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{js_literal(str(k))}: {js_literal(v)}"
                               for k, v in value.items()) + "}"
    return json.dumps(value)


class _Markers(MacroElement):
    """The precincts' markers, drawn by one loop from their data (not one element each).

    Each item is ``[lat, lon, precinct_id, colour, size_px, border_px, tooltip, popup]``; the
    tooltip and the popup are HTML, escaped where they hold the data's text.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (group) {
            {{ this.items }}.forEach(function (p) {
                var s = p[4];
                var icon = L.divIcon({
                    html: '<div style="width:' + s + 'px;height:' + s + 'px;border-radius:50%;' +
                          'background:' + p[3] + ';border:' + p[5] + 'px solid #000;' +
                          'box-sizing:border-box"></div>',
                    className: "precinct-marker precinct-" + p[2],
                    iconSize: [s, s], iconAnchor: [s / 2, s / 2]});
                L.marker([p[0], p[1]], {icon: icon}).bindTooltip(p[6])
                    .bindPopup(p[7], {maxWidth: 360}).addTo(group);
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, items: list[list[Any]]) -> None:
        super().__init__()
        self._name = "PrecinctMarkers"
        self.items = js_literal(items)


class _Shapes(MacroElement):
    """A GeoJSON layer drawn by Leaflet from the data as one JSON string (not folium's GeoJson).

    folium renders every element's output as a Jinja template once more: the lexer then reads
    every brace of the GeoJSON. As one escaped string the data is text to it, and ``JSON.parse``
    reads it in the browser. ``options``: ``style`` (Leaflet path options), ``colour_by`` and
    ``colours`` (a property's value -> colour), ``tooltip`` (``[property, label]`` pairs, shown
    escaped).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (group) {
            var opts = {{ this.options }};
            var esc = function (v) {
                return String(v).replace(/[&<>"']/g, function (c) {
                    return "&#" + c.charCodeAt(0) + ";"; });
            };
            var layer = L.geoJSON(JSON.parse({{ this.data }}), {
                interactive: opts.tooltip !== null,
                style: function (f) {
                    var s = Object.assign({}, opts.style);
                    if (opts.colour_by !== null) {
                        s.color = opts.colours[String(f.properties[opts.colour_by])] || "#999999";
                    }
                    return s;
                }
            });
            if (opts.tooltip !== null) {
                layer.bindTooltip(function (l) {
                    return opts.tooltip.map(function (t) {
                        return "<b>" + esc(t[1]) + ":</b> " + esc(l.feature.properties[t[0]]);
                    }).join("<br>");
                }, {sticky: true});
            }
            layer.addTo(group);
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, data: dict[str, Any], style: dict[str, Any], *,
                 colour_by: str | None = None, colours: dict[str, str] | None = None,
                 tooltip: list[tuple[str, str]] | None = None) -> None:
        super().__init__()
        self._name = "Shapes"
        self.data = js_literal(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        self.options = js_literal({"style": style, "colour_by": colour_by,
                                   "colours": colours or {},
                                   "tooltip": [list(x) for x in tooltip] if tooltip else None})


class _Heat(JSCSSMixin, MacroElement):
    """Households as a density of voters (leaflet.heat), the points read as one JSON string."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.heatLayer(JSON.parse({{ this.data }}), {radius: 14, blur: 16, minOpacity: 0.25})
            .addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)
    def __init__(self, points: list[list[float]]) -> None:
        super().__init__()
        self._name = "Heat"
        self.default_js = [("leaflet-heat.js",
                            f"{STATIC_URL}/leaflet.heat-0.2.0/leaflet-heat.js")]
        self.data = js_literal(json.dumps(points, separators=(",", ":")))


def overlays(precincts: gpd.GeoDataFrame, layers: dict[str, dict[str, Any]],
             heat: Iterable[tuple[float, float, float]], view: View, *,
             remember: bool = False) -> list[folium.FeatureGroup]:
    """Return the layers a filter changes, one feature group each, in drawing order.

    Parameters
    ----------
    precincts : geopandas.GeoDataFrame
        The precincts to mark (WGS84), with ``category`` when passports exist.
    layers : dict
        GeoJSON mappings (from :func:`light_geojson`) by name: ``catchments``
        (``precinct_id``), ``bands`` (``precinct_id``, ``minutes``), ``coverage``
        (``precinct_id``, ``status``), ``gaps`` (``gap_id``, ``precinct_id``,
        ``uncovered_households``, ``uncovered_doors``); a missing one is left out.
    heat : iterable of (lat, lon, weight)
        Households for the density layer, weighted by voters.
    view : View
        Language, band, speed, selection.
    remember : bool
        Keep each group shown or hidden as the planner left it across redraws (the page:
        streamlit-folium adds every group shown, so the hidden ones hide themselves).

    Returns
    -------
    list of folium.FeatureGroup
    """
    lang, band_min = view.lang, view.band_min
    t = catalogue(lang)
    colours = band_colours(view.bands_min)
    groups: list[folium.FeatureGroup] = []

    def group(key: str, name: str, *, show: bool = True) -> folium.FeatureGroup:
        fg = folium.FeatureGroup(name=name, show=show)
        if remember:
            fg.add_child(_Remember(key, show))
        groups.append(fg)
        return fg

    if "bands" in layers:
        speed = view.speeds[1] if view.reduced else view.speeds[0]
        group("bands", f"{text(lang, 'app.layer_bands', minutes=band_min)} ({speed})").add_child(
            _Shapes(layers["bands"], {"weight": 0, "fillOpacity": 0.35}, colour_by="minutes",
                    colours={str(m): c for m, c in colours.items()}))
    if "catchments" in layers:
        group("catchments", t["app.layer_catchments"]).add_child(
            _Shapes(layers["catchments"], {"color": "#222", "weight": 1.4, "dashArray": "5 4",
                                           "fill": False},
                    tooltip=[("precinct_id", t["app.precinct"])]))
    if "coverage" in layers:
        group("coverage", t["app.layer_covered"], show=False).add_child(
            _Shapes(layers["coverage"], {"weight": 0.5, "fillOpacity": 0.25}, colour_by="status",
                    colours={"covered": COVERED, "gap": GAP}))
    if "gaps" in layers:
        group("gaps", t["app.layer_gaps"]).add_child(
            _Shapes(layers["gaps"], {"color": GAP, "weight": 1.5, "fillOpacity": 0.35},
                    tooltip=[("precinct_id", t["app.precinct"]),
                             ("uncovered_households", t["app.gap_households"]),
                             ("uncovered_doors", t["app.gap_doors"])]))
    points = [list(p) for p in heat]
    if points:
        density = _Heat(points)
        offline(density, view.static_url)
        density.add_to(group("households", t["app.layer_households"], show=False))
    items = []
    for _, row in precincts.iterrows():
        pid = int(row["precinct_id"])
        size = 26 if pid == view.selected else 18
        items.append([round(row.geometry.y, DECIMALS), round(row.geometry.x, DECIMALS), pid,
                      CATEGORY_COLOURS.get(str(row.get("category")), NO_CATEGORY), size,
                      3 if pid == view.selected else 1.5,
                      html_text(f"№ {pid} · {row['name']}"), _popup(row, view)])
    group("precincts", t["app.layer_precincts"]).add_child(_Markers(items))
    return groups


def dashboard_map(precincts: gpd.GeoDataFrame, layers: dict[str, dict[str, Any]],
                  heat: Iterable[tuple[float, float, float]], view: View) -> folium.Map:
    """Return the dashboard's map whole, for a notebook or a file.

    :func:`base_map` and :func:`overlays` on one map, with a layer control.

    Parameters
    ----------
    precincts : geopandas.GeoDataFrame
        The precincts to mark (WGS84); the map frames them (or opens at ``view.center``).
    layers : dict
        ``streets`` and the layers of :func:`overlays`.
    heat : iterable of (lat, lon, weight)
        Households for the density layer.
    view : View
        Language, band, speed, selection, where the map opens, tiles.

    Returns
    -------
    folium.Map
    """
    bounds = precincts.total_bounds if len(precincts) else (76.9, 52.0, 77.0, 52.1)
    m = base_map(bounds, layers.get("streets"), view)
    if view.center is not None:
        m.location, m.options["zoom"] = list(view.center), view.zoom
    elif len(precincts) > 1:
        x0, y0, x1, y1 = bounds
        m.fit_bounds([(y0, x0), (y1, x1)], padding=(20, 20))
    for fg in overlays(precincts, layers, heat, view):
        fg.add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
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
                      tooltip=html_text(f"{t['app.scenario_' + kind]}: {row['site_id']} · "
                                        f"{row['name']}"),
                      ).add_to(group)
    group.add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    return m
