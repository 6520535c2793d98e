/* The dashboard's map as a Streamlit component (st.components.v2: in the page, no iframe).
 * Leaflet and its heat plugin are loaded once from the app's static files; each rerun hands
 * the map its new description, which aksugeoMap.draw applies in place. A click on a marker
 * is sent back to Python as the trigger "clicked" (the precinct's number); parts of the map the
 * page lacks (a rerun's message it never drew) as the trigger "missing", and are sent again. */
var aksugeoChains = new WeakMap();
window.aksugeoMap = aksugeoMap;  // one map script per page (and its parts, for a test to drop)

function aksugeoLoad(url) {
  var loads = window.aksugeoLoads = window.aksugeoLoads || {};
  if (!loads[url]) {
    loads[url] = new Promise(function (resolve, reject) {
      var node;
      if (url.endsWith(".css")) {
        node = document.createElement("link");
        node.rel = "stylesheet";
        node.href = url;
      } else {
        node = document.createElement("script");
        node.src = url;
      }
      node.onload = resolve;
      node.onerror = function () { reject(new Error("aksugeo: could not load " + url)); };
      document.head.appendChild(node);
    });
  }
  return loads[url];
}

export default function (component) {
  // the page sends its description as JSON text (Streamlit writes a mapping out twice a run)
  var spec = typeof component.data === "string" ? JSON.parse(component.data) : component.data;
  var root = component.parentElement;
  var vendor = spec.static_url;
  var ready = Promise.all([aksugeoLoad(vendor + "/leaflet-1.9.4/leaflet.css"),
                           aksugeoLoad(vendor + "/leaflet-1.9.4/leaflet.js")])
    .then(function () { return aksugeoLoad(vendor + "/leaflet.heat-0.2.0/leaflet-heat.js"); });
  var chain = (aksugeoChains.get(root) || Promise.resolve()).then(function () { return ready; })
    .then(function () {
      aksugeoMap.draw(root, spec, {
        click: function (id) { component.setTriggerValue("clicked", id); },
        missing: function (refs) { component.setTriggerValue("missing", refs.length); }
      });
    })
    .catch(function (err) { console.error(err); });
  aksugeoChains.set(root, chain);
}
