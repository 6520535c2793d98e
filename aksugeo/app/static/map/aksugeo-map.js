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
 *     markers: {items: [{id, lat, lon, colour, shape, size, border, cls, tooltip, popup,
 *               passive}]}: a passive marker (a note at a place) is not chosen by a click
 *              shape: "full" (default), "half" or "ring"
 *              popup = {title, lines: [[label, value, indent]]}
 *     heat:    {points: [[lat, lon, weight, precinct]]}
 *   view: {bounds: [[s, w], [n, e]]} or {center: [lat, lon], zoom}
 *
 * Parts (the dashboard): instead of its data an overlay may list "parts", references to pieces
 * of it (a precinct's features, markers or points) sent once in spec.parts = {ref: piece} and
 * kept by the page; the base may be {part: ref}. A filter then sends references only, and an
 * overlay whose description is unchanged adds and removes the pieces that come and go, one
 * Leaflet layer each, instead of being drawn anew.
 * events = {click: function (id)}: a marker was clicked; {missing: function (refs)}: parts the
 * page was never sent (or has let go): the sender should send them again.
 *
 * Every text from the data reaches the page as text: DOM nodes with textContent, or escaped
 * where Leaflet writes a string as HTML (the layer control's names).
 */
var aksugeoMap = (function () {
  "use strict";

  var states = new WeakMap();
  var NARROW_PX = 640;
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

  function shapes(s, o, paneName, features) {
    var layer = L.geoJSON({type: "FeatureCollection", features: features}, {
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

  function paint(dot, colour, shape) {
    // a category is a shape as well as a colour: filled, half filled, or a ring
    if (shape === "half") {
      dot.style.background = "linear-gradient(90deg, " + colour + " 50%, #ffffff 50%)";
    } else if (shape === "ring") {
      dot.style.background = "#ffffff";
      dot.style.borderColor = colour;
      dot.style.borderWidth = "4px";
    } else {
      dot.style.background = colour;
    }
  }

  function markers(s, items) {
    var group = L.featureGroup();
    items.forEach(function (p) {
      var dot = el("div", "aksugeo-dot");
      dot.style.width = dot.style.height = p.size + "px";
      dot.style.borderWidth = p.border + "px";
      paint(dot, p.colour, p.shape);
      var icon = L.divIcon({html: dot, className: p.cls, iconSize: [p.size, p.size],
                            iconAnchor: [p.size / 2, p.size / 2]});
      var marker = L.marker([p.lat, p.lon], {icon: icon, keyboard: true, title: p.tooltip});
      marker.bindTooltip(el("span", null, p.tooltip));
      if (p.popup) { marker.bindPopup(popupNode(p.popup), {maxWidth: 360}); }
      if (!p.passive) {  // a precinct's marker: a click chooses it (a note's only opens)
        marker.aksugeoId = p.id;
        marker.on("click", function () {
          s.openId = p.id;
          if (s.events && s.events.click) { s.events.click(p.id); }
        });
      }
      group.addLayer(marker);
    });
    return group;
  }

  function heat(points) {  // [lat, lon, weight, precinct]: the plugin reads three
    return L.heatLayer(points.map(function (p) { return [p[0], p[1], p[2]]; }),
                       {radius: 14, blur: 16, minOpacity: 0.25});
  }

  // --- parts: pieces of overlays sent once, kept by the page (shared by its maps)
  var store = new Map();
  var STORE_MAX = 5000;  // pieces; past it, those the current map does not use are let go
  var DATA = {shapes: "data", markers: "items", heat: "points"};

  function refsOf(spec) {
    var refs = [];
    if (spec.base && spec.base.part) { refs.push(spec.base.part); }
    (spec.overlays || []).forEach(function (o) { (o.parts || []).forEach(function (r) { refs.push(r); }); });
    return refs;
  }

  function pieces(o) {
    // the overlay's description without its data (as text), and its pieces [[ref, piece]]
    var head = Object.assign({}, o);
    if (o.parts) {
      delete head.parts;
      return {head: JSON.stringify(head),
              list: o.parts.filter(function (r) { return store.has(r); })
                .map(function (r) { return [r, store.get(r)]; })};
    }
    var whole = o[DATA[o.kind]];  // data inline (a notebook, a file): one piece
    return {head: JSON.stringify(o),
            list: [["", o.kind === "shapes" ? whole.features : whole]]};
  }

  function leaves(layer, fn) {
    if (layer.eachLayer) { layer.eachLayer(function (l) { leaves(l, fn); }); } else { fn(layer); }
  }

  function drop(map, layer) {  // a popup open on a marker leaves with it
    leaves(layer, function (m) { if (m.closePopup) { m.closePopup(); } });
    if (map.hasLayer(layer)) { map.removeLayer(layer); }
  }

  function update(s, o, i, old) {
    // return {text, layer}: the old layer kept, its pieces added and removed, or a new one
    var p = pieces(o);
    if (o.kind === "heat") {
      var text = p.head + "|" + p.list.map(function (x) { return x[0]; }).join(",");
      if (old && old.text === text) { return old; }
      if (old) { drop(s.map, old.layer); }
      return {text: text, layer: heat([].concat.apply([], p.list.map(function (x) { return x[1]; })))};
    }
    var layer;
    if (old && old.text === p.head) {
      layer = old.layer;
    } else {
      if (old) { drop(s.map, old.layer); }
      layer = L.featureGroup();
      layer.aksugeoPieces = {};
    }
    var paneName = o.kind === "shapes" ? pane(s, o.key, 410 + i) : null;
    var wanted = {};
    p.list.forEach(function (x) { wanted[x[0]] = true; });
    Object.keys(layer.aksugeoPieces).forEach(function (r) {
      if (!wanted[r]) {
        drop(s.map, layer.aksugeoPieces[r]);
        layer.removeLayer(layer.aksugeoPieces[r]);
        delete layer.aksugeoPieces[r];
      }
    });
    p.list.forEach(function (x) {
      if (!(x[0] in layer.aksugeoPieces)) {
        var piece = o.kind === "markers" ? markers(s, x[1]) : shapes(s, o, paneName, x[1]);
        layer.aksugeoPieces[x[0]] = piece;
        layer.addLayer(piece);
      }
    });
    return {text: p.head, layer: layer};
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
            if (r.shape) { paint(key, r.colour, r.shape); } else { key.style.background = r.colour; }
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
    if (b.part) {
      if (!store.has(b.part)) { return; }  // asked for again; the old base stays meanwhile
      b = store.get(b.part);
    }
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
    // on a phone's narrow map the layer list folds into its button, the map stays visible
    s.control = L.control.layers(null, null, {
      collapsed: Boolean(b.collapsed) || s.box.clientWidth < NARROW_PX}).addTo(s.map);
  }

  function overlays(s, list) {
    var map = s.map;
    var next = {};
    s.swapping = true;
    try {
      list.forEach(function (o, i) {
        next[o.key] = update(s, o, i, s.overlays[o.key]);
        next[o.key].layer.aksugeoKey = o.key;
        if (!(o.key in s.shown)) { s.shown[o.key] = o.show !== false; }
      });
      Object.keys(s.overlays).forEach(function (k) {
        if (!(k in next)) { drop(map, s.overlays[k].layer); }
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
          if (map.hasLayer(layer)) {
            leaves(layer, function (m) {
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
    Object.keys(spec.parts || {}).forEach(function (r) { store.set(r, spec.parts[r]); });
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
    var refs = refsOf(spec);
    if (store.size > STORE_MAX) {
      var used = new Set(refs);
      Array.from(store.keys()).forEach(function (r) { if (!used.has(r)) { store.delete(r); } });
    }
    var missing = refs.filter(function (r) { return !store.has(r); });
    if (missing.length && s.events.missing) { s.events.missing(missing); }
    return s.map;
  }

  return {draw: draw, esc: esc, parts: store};
})();
