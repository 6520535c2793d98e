/* A table as a Streamlit component (st.components.v2: in the page, no iframe): a real HTML
 * table, light to draw and read by screen readers, sorted by a click on a column's header.
 * Every text goes in as text (textContent), never as HTML. The page sends
 *   {caption, columns: [{label, numeric, wide}], rows: [[text, ...]], keys: [[sort key, ...]]}
 * as JSON text; a column's sort keys are numbers (or null) where it is numeric, else text.
 * The order the reader chose is kept across reruns (per table), until the columns change. */
var aksugeoTables = new WeakMap();

function aksugeoTableStyle() {
  if (document.getElementById("aksugeo-table-style")) return;
  var style = document.createElement("style");
  style.id = "aksugeo-table-style";
  style.textContent = [
    ".aksugeo-table{max-height:440px;overflow:auto;border:1px solid rgba(49,51,63,.2);",
    "border-radius:.5rem;font-size:.875rem}",
    ".aksugeo-table:focus-visible{outline:2px solid #1c4e80;outline-offset:2px}",
    ".aksugeo-table table{border-collapse:collapse;width:100%}",
    ".aksugeo-table caption{text-align:left;padding:.25rem .5rem;color:rgba(49,51,63,.75)}",
    ".aksugeo-table th,.aksugeo-table td{padding:.25rem .5rem;border-bottom:1px solid ",
    "rgba(49,51,63,.1);text-align:left;vertical-align:top}",
    ".aksugeo-table th{position:sticky;top:0;background:#f0f2f6;z-index:1}",
    ".aksugeo-table th button{all:unset;cursor:pointer;font-weight:600}",
    ".aksugeo-table th button:focus-visible{outline:2px solid #1c4e80}",
    ".aksugeo-table td{min-width:7rem}",
    ".aksugeo-table td.wide{min-width:18rem}",
    ".aksugeo-table .num{min-width:0;text-align:right;white-space:nowrap;",
    "font-variant-numeric:tabular-nums}"
  ].join("");
  document.head.appendChild(style);
}

function aksugeoCompare(a, b) {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;  // the empty last, whichever the direction
  if (b === null || b === undefined) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b));
}

function aksugeoDrawTable(root, spec) {
  var state = aksugeoTables.get(root);
  var shape = JSON.stringify(spec.columns);
  if (!state || state.shape !== shape) state = {shape: shape, column: null, descending: false};
  aksugeoTables.set(root, state);
  var order = spec.rows.map(function (_, i) { return i; });
  if (state.column !== null) {
    var c = state.column, sign = state.descending ? -1 : 1;
    order.sort(function (i, j) {
      var ki = spec.keys[i][c], kj = spec.keys[j][c];
      if (ki === null || kj === null) return aksugeoCompare(ki, kj);
      return sign * aksugeoCompare(ki, kj) || i - j;
    });
  }
  var box = document.createElement("div");
  box.className = "aksugeo-table";
  box.tabIndex = 0;  // a keyboard scrolls it
  box.setAttribute("role", "region");
  box.setAttribute("aria-label", spec.caption);
  var table = document.createElement("table");
  var caption = document.createElement("caption");
  caption.textContent = spec.caption;
  table.appendChild(caption);
  var head = document.createElement("tr");
  spec.columns.forEach(function (column, c) {
    var th = document.createElement("th");
    th.scope = "col";
    if (column.numeric) th.className = "num";
    th.setAttribute("aria-sort", state.column !== c ? "none"
                    : state.descending ? "descending" : "ascending");
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = column.label + (state.column !== c ? "" : state.descending ? " ↓" : " ↑");
    button.addEventListener("click", function () {
      // a first click sorts numbers largest first and words from A; a second turns it round
      state.descending = state.column === c ? !state.descending : !!column.numeric;
      state.column = c;
      aksugeoDrawTable(root, spec);
      var again = root.querySelectorAll("th button")[c];
      if (again) again.focus();
    });
    th.appendChild(button);
    head.appendChild(th);
  });
  var thead = document.createElement("thead");
  thead.appendChild(head);
  table.appendChild(thead);
  var body = document.createElement("tbody");
  order.forEach(function (i) {
    var tr = document.createElement("tr");
    spec.rows[i].forEach(function (value, c) {
      var td = document.createElement(c === 0 ? "th" : "td");
      if (c === 0) td.scope = "row";
      if (spec.columns[c].numeric) td.className = "num";
      else if (spec.columns[c].wide) td.className = "wide";
      td.textContent = value;
      tr.appendChild(td);
    });
    body.appendChild(tr);
  });
  table.appendChild(body);
  box.appendChild(table);
  var scroll = root.firstChild ? root.firstChild.scrollTop : 0;
  root.replaceChildren(box);
  box.scrollTop = scroll;
}

export default function (component) {
  aksugeoTableStyle();
  var spec = typeof component.data === "string" ? JSON.parse(component.data) : component.data;
  aksugeoDrawTable(component.parentElement, spec);
}
