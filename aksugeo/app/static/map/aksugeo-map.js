/* aksugeo's map: Leaflet drawn from one JSON description, and updated in place.
 *
 * The dashboard mounts it as a Streamlit component (no iframe: the page's Leaflet is loaded
 * once and the map is never reloaded); a notebook or a saved file runs it in a page of its own
 * with Leaflet inlined. aksugeoMap.draw(root, spec, events) draws the map the first time and,
 * called again with a new spec, changes only what changed: an overlay whose description is the
 * same keeps its layer, the view moves only when the spec's view changes, and the layers the
 * planner showed or hid in the layer control stay as they were left.
 *
 * spec = {height, base: {streets, tiles, legend, collapsed}, overlays: [...], view}
 *   overlay: {key, name, show, kind: "shapes" | "markers" | "heat", ...}
 *     shapes:  {data (GeoJSON), style, colour_by, colours, tooltip: [[property, label]]}
 *     markers: {items: [{id, lat, lon, colour, size, border, cls, tooltip, popup}]}
 *              popup = {title, lines: [[label, value, indent]]}
 *     heat:    {points: [[lat, lon, weight]]}
 *   view: {bounds: [[s, w], [n, e]]} or {center: [lat, lon], zoom}
 * events = {click: function (id)}: a marker was clicked.
 *
 * Every text from the data reaches the page as text: DOM nodes with textContent, or escaped
 * where Leaflet writes a string as HTML (the layer control's names).
 */
var aksugeoMap = (function () {
  "use strict";

  var states = new WeakMap();
  var CSS = [
    ".aksugeo-legend{background:rgba(255,255,255,.92);padding:6px 8px;font:12px sans-serif;",
    "border:1px solid #999;border-radius:4px;line-height:1.5}",
    ".aksugeo-legend span{display:inline-block;width:11px;height:11px;border-radius:50%;",
    "margin-right:5px;border:1px solid #333;vertical-align:-1px}",
    ".aksugeo-legend span.square{border-radius:0}",
    ".aksugeo-popup{font:12px sans-serif;line-height:1.45}.aksugeo-popup .indent{padding-left:1em}",
    ".aksugeo-dot{border-radius:50%;border-style:solid;border-color:#000;box-sizing:border-box}"
  ].join("");

  function esc(value) {
    return String(value).replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function addStyle() {
    if (document.getElementById("aksugeo-map-css")) { return; }
    var style = el("style");
    style.id = "aksugeo-map-css";
    style.textContent = CSS;
    document.head.appendChild(style);
  }

  function popupNode(p) {
    var box = el("div", "aksugeo-popup");
    box.appendChild(el("b", null, p.title));
    p.lines.forEach(function (line) {
      var row = el("div", line[2] ? "indent" : null);
      if (line[0]) { row.appendChild(el("b", null, line[0] + ": ")); }
      row.appendChild(document.createTextNode(String(line[1])));
      box.appendChild(row);
    });
    return box;
  }

  function fieldsNode(fields, props) {
    var box = el("div");
    fields.forEach(function (f) {
      var row = el("div");
      row.appendChild(el("b", null, f[1] + ": "));
      row.appendChild(document.createTextNode(String(props[f[0]])));
      box.appendChild(row);
    });
    return box;
  }

  function pane(s, key, z) {
    var name = "aksugeo-" + key.replace(/[^a-z0-9_-]/gi, "");
    if (!s.map.getPane(name)) {
      s.map.createPane(name);
      s.renderers[name] = L.canvas({pane: name});
    }
    s.map.getPane(name).style.zIndex = String(z);
    return name;
  }

  function shapes(s, o, paneName) {
    var layer = L.geoJSON(o.data, {
      pane: paneName,
      renderer: s.renderers[paneName],
      interactive: Boolean(o.tooltip),
      style: function (f) {
        var st = Object.assign({}, o.style || {});
        if (o.colour_by) {
          st.color = (o.colours || {})[String(f.properties[o.colour_by])] || "#999999";
        }
        return st;
      }
    });
    if (o.tooltip) {
      layer.bindTooltip(function (l) { return fieldsNode(o.tooltip, l.feature.properties); },
                        {sticky: true});
    }
    return layer;
  }

  function markers(s, o) {
    var group = L.featureGroup();
    o.items.forEach(function (p) {
      var dot = el("div", "aksugeo-dot");
      dot.style.width = dot.style.height = p.size + "px";
      dot.style.borderWidth = p.border + "px";
      dot.style.background = p.colour;
      var icon = L.divIcon({html: dot, className: p.cls, iconSize: [p.size, p.size],
                            iconAnchor: [p.size / 2, p.size / 2]});
      var marker = L.marker([p.lat, p.lon], {icon: icon, keyboard: true, title: p.tooltip});
      marker.aksugeoId = p.id;
      marker.bindTooltip(el("span", null, p.tooltip));
      if (p.popup) { marker.bindPopup(popupNode(p.popup), {maxWidth: 360}); }
      marker.on("click", function () {
        s.openId = p.id;
        if (s.events && s.events.click) { s.events.click(p.id); }
      });
      group.addLayer(marker);
    });
    return group;
  }

  function make(s, o, i) {
    if (o.kind === "markers") { return markers(s, o); }
    if (o.kind === "heat") {
      return L.heatLayer(o.points, {radius: 14, blur: 16, minOpacity: 0.25});
    }
    return shapes(s, o, pane(s, o.key, 410 + i));
  }

  var Legend = null;

  function legend(s, spec) {
    if (s.legend) { s.map.removeControl(s.legend); s.legend = null; }
    if (!spec) { return; }
    if (Legend === null) {
      Legend = L.Control.extend({
        options: {position: "bottomright"},
        onAdd: function () {
          var box = el("div", "aksugeo-legend");
          box.appendChild(el("b", null, this.options.spec.title));
          this.options.spec.rows.forEach(function (r) {
            var row = el("div");
            var key = el("span", r.square ? "square" : null);
            key.style.background = r.colour;
            row.appendChild(key);
            row.appendChild(document.createTextNode(r.label));
            box.appendChild(row);
          });
          L.DomEvent.disableClickPropagation(box);
          return box;
        }
      });
    }
    s.legend = new Legend({spec: spec}).addTo(s.map);
  }

  function base(s, b) {
    var text = JSON.stringify(b);
    if (text === s.baseText) { return; }
    s.baseText = text;
    if (s.streets) { s.map.removeLayer(s.streets); s.streets = null; }
    if (s.tiles) { s.map.removeLayer(s.tiles); s.tiles = null; }
    if (b.tiles) {
      s.tiles = L.tileLayer(b.tiles.url, {attribution: esc(b.tiles.attribution), maxZoom: 19})
        .addTo(s.map);
    }
    if (b.streets) {
      var name = pane(s, "streets", 390);
      s.streets = L.geoJSON(b.streets, {pane: name, renderer: s.renderers[name],
                                        interactive: false, style: b.streets_style || {}})
        .addTo(s.map);
    }
    legend(s, b.legend);
    if (s.control) { s.map.removeControl(s.control); }
    s.control = L.control.layers(null, null, {collapsed: Boolean(b.collapsed)}).addTo(s.map);
  }

  function overlays(s, list) {
    var map = s.map;
    var next = {};
    s.swapping = true;
    try {
      list.forEach(function (o, i) {
        var text = JSON.stringify(o);
        var old = s.overlays[o.key];
        var layer;
        if (old && old.text === text) {
          layer = old.layer;
        } else {
          if (old) {
            if (old.layer.eachLayer) {  // a popup open on a marker leaves with it
              old.layer.eachLayer(function (m) { if (m.closePopup) { m.closePopup(); } });
            }
            map.removeLayer(old.layer);
          }
          layer = make(s, o, i);
          layer.aksugeoKey = o.key;
        }
        next[o.key] = {text: text, layer: layer};
        if (!(o.key in s.shown)) { s.shown[o.key] = o.show !== false; }
      });
      Object.keys(s.overlays).forEach(function (k) {
        if (!(k in next)) { map.removeLayer(s.overlays[k].layer); }
      });
      // the control lists the overlays in the spec's order, under their current names
      // (the layers of the last overlays; a control made anew by base() has none of them,
      // and removing what a control lacks does nothing)
      Object.keys(s.overlays).forEach(function (k) { s.control.removeLayer(s.overlays[k].layer); });
      list.forEach(function (o) {
        var layer = next[o.key].layer;
        s.control.addOverlay(layer, esc(o.name));
        if (s.shown[o.key]) {
          if (!map.hasLayer(layer)) { layer.addTo(map); }
        } else if (map.hasLayer(layer)) {
          map.removeLayer(layer);
        }
      });
      s.overlays = next;
      if (s.openId !== null) {  // the popup the planner opened stays open across a redraw
        Object.keys(next).forEach(function (k) {
          var layer = next[k].layer;
          if (layer.eachLayer && map.hasLayer(layer)) {
            layer.eachLayer(function (m) {
              if (m.aksugeoId === s.openId && m.getPopup && m.getPopup() && !m.isPopupOpen()) {
                m.openPopup();
              }
            });
          }
        });
      }
    } finally {
      s.swapping = false;
    }
  }

  function view(s, v) {
    var text = JSON.stringify(v);
    if (text === s.viewText) { return; }
    s.viewText = text;
    if (v.bounds) {
      s.map.fitBounds(v.bounds, {padding: [24, 24], maxZoom: v.max_zoom || 16, animate: false});
    } else {
      s.map.setView(v.center, v.zoom, {animate: false});
    }
  }

  function create(root, spec) {
    addStyle();
    var box = el("div", "aksugeo-map");
    box.style.height = (spec.height || 620) + "px";
    box.style.width = "100%";
    root.appendChild(box);
    var map = L.map(box, {preferCanvas: true});
    L.control.scale({imperial: false}).addTo(map);
    var s = {map: map, box: box, overlays: {}, shown: {}, renderers: {},
             swapping: false, openId: null, events: {}, control: null, legend: null, streets: null,
             tiles: null, baseText: null, viewText: null};
    map.on("overlayadd overlayremove", function (e) {
      if (!s.swapping && e.layer && e.layer.aksugeoKey) {
        s.shown[e.layer.aksugeoKey] = e.type === "overlayadd";
      }
    });
    map.on("popupclose", function () { if (!s.swapping) { s.openId = null; } });
    if (window.ResizeObserver) {
      new ResizeObserver(function () { map.invalidateSize(); }).observe(box);
    }
    return s;
  }

  function draw(root, spec, events) {
    var s = states.get(root);
    if (!s) {
      s = create(root, spec);
      states.set(root, s);
    }
    s.box.style.height = (spec.height || 620) + "px";
    view(s, spec.view);
    base(s, spec.base || {});
    s.events = events || {};
    overlays(s, spec.overlays || []);
    return s.map;
  }

  return {draw: draw, esc: esc};
})();
