/* aksugeo's public accessibility map: the address search, the walk along the streets, the map.
 *
 * Everything runs in the page, on data/site.js (window.AKSUGEO_SITE, written by
 * aksugeo.site.payload): no request leaves the machine. The page's text (the precinct list) is
 * written by aksugeo.site.pages and works without this script; this script adds to it.
 *
 * Each function that the Python side also has (skeleton, house) follows it exactly; the tests
 * compare the two on the same inputs.
 */
(function () {
  "use strict";

  var D = window.AKSUGEO_SITE;
  var T = JSON.parse(document.getElementById("strings").textContent);
  var LANG = T.lang;
  var NBSP = "\u00a0";
  var own = Object.prototype.hasOwnProperty;
  var reduceMotion = !!(window.matchMedia &&
                        window.matchMedia("(prefers-reduced-motion: reduce)").matches);

  // -- words ---------------------------------------------------------------------------------
  function t(key, fields) {
    var s = own.call(T, key) ? T[key] : key;
    Object.keys(fields || {}).forEach(function (k) {
      s = s.split("{" + k + "}").join(String(fields[k]));
    });
    return s;
  }
  function num(v) { var s = String(v); return LANG === "en" ? s : s.replace(".", ","); }
  function cnt(v) {
    var s = Math.round(v).toLocaleString("en-US");
    return LANG === "en" ? s : s.replace(/,/g, NBSP);
  }
  function metres(v) {
    if (v < 1000) { return t("site.metres", {n: cnt(Math.round(v / 10) * 10)}); }
    return t("site.km", {n: num(Math.round(v / 100) / 10)});
  }
  function minutes(costM, kmh) { return Math.max(1, Math.round(costM / (kmh * 1000 / 60))); }
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { e.textContent = attrs[k]; } else { e.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) {
      e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return e;
  }

  // -- names: the same key as aksugeo.geocode.address.skeleton --------------------------------
  var SK = D.skeleton;
  var KEPT = {};
  SK.kept_marks.forEach(function (m) { KEPT[m] = true; });
  var APOSTROPHES = new RegExp(SK.apostrophes, "g");
  var MARK = /\p{Mn}/u;

  function skeleton(text) {
    var kept = "";
    for (var ch of String(text).normalize("NFD")) {
      if (!MARK.test(ch) || own.call(KEPT, ch)) { kept += ch; }
    }
    kept = kept.normalize("NFC").replace(APOSTROPHES, "");
    var out = "";
    for (var c of kept.toLowerCase()) {
      out += own.call(SK.cyr, c) ? SK.cyr[c] : (own.call(SK.kk_latin, c) ? SK.kk_latin[c] : c);
    }
    SK.fold.forEach(function (pair) { out = out.split(pair[0]).join(pair[1]); });
    out = out.replace(/[^a-z0-9]+/g, " ").replace(/([a-z])\1+/g, "$1");
    return out.split(/\s+/).filter(Boolean).join(" ");
  }

  // -- house numbers: the same key as aksugeo.boundaries.houses.house -------------------------
  var ALPHABET = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәіңғүұқөһ";
  var LOOK_ALIKE = {a: "а", b: "в", c: "с", e: "е", k: "к", o: "о", p: "р", x: "х"};
  var FORM = /^(\d+)([^\d/кс]?)(?:\/(\d+))?(?:к(\d+))?(?:с(\d+))?$/;

  function house(value) {
    if (value === null || value === undefined) { return null; }
    var v = String(value).replace(/[«»"“”']/g, "");
    v = v.replace(/(?<=\d)[\s-]+(?=[\p{L}\p{Nl}\p{No}])/gu, "");
    var h = v.trim().toLowerCase().split(/\s+/).join("");
    if (!/^\d+$/.test(h)) {
      h = h.replace(/(корпус|корп|к)\.?/g, "к").replace(/(строение|стр)\.?/g, "с");
    }
    h = h.replace(/[abcekopx]/g, function (c) { return LOOK_ALIKE[c]; });
    var m = FORM.exec(h);
    if (!m) { return null; }
    var letter = m[2];
    if (letter && ALPHABET.indexOf(letter) < 0) { return null; }
    return {key: [parseInt(m[1], 10), letter ? ALPHABET.indexOf(letter) + 1 : 0,
                  parseInt(m[3] || "0", 10), parseInt(m[4] || "0", 10),
                  parseInt(m[5] || "0", 10)], text: h};
  }
  function cmp(a, b) {
    for (var i = 0; i < 5; i++) { if (a[i] !== b[i]) { return a[i] < b[i] ? -1 : 1; } }
    return 0;
  }
  function bare(k) { return k[1] === 0 && k[2] === 0 && k[3] === 0 && k[4] === 0; }

  // -- the address typed: settlement, street (or microdistrict) and house -------------------
  var WORDS = {};
  Object.keys(D.words).forEach(function (role) {
    WORDS[role] = {};
    D.words[role].forEach(function (w) { WORDS[role][w] = true; });
  });
  var NAMES = D.names;
  var SETTLEMENT_KEYS = [];
  NAMES.settlements.forEach(function (s, i) {
    s.keys.forEach(function (k) { SETTLEMENT_KEYS.push([k, i]); });
  });
  SETTLEMENT_KEYS.sort(function (a, b) { return b[0].length - a[0].length; });

  function parse(query) {
    var q = " " + String(query).toLowerCase().replace(/[,;]+/g, " , ") + " ";
    // a flat is not part of the address the precinct goes by
    q = q.replace(/\s(кв|квартира|kv|kvartira)\.?\s*\d+\S*/gu, " ")
         .replace(/\d+\s*(пәтер|päter|pater)(?=\s)/gu, " ");
    // a house word glued to its number: д.12, d12
    q = q.replace(/(\s)(д|дом|d|dom|№)\.?\s*(?=\d)/gu, "$1 ");
    var micro = null;
    var mm = /(\d+)\s*-?\s*(?:й\s+)?(мкрн|мкр-н|мкр|м-н|микрорайона?|шағын\s+ауданы?|shağyn\s+audany?|shagyn\s+audany?|mkrn|mkr|mikrorayon|mikrorajon)\.?(?=\s)/u.exec(q) ||
             /(мкрн|мкр-н|мкр|м-н|микрорайона?|шағын\s+ауданы?|shağyn\s+audany?|shagyn\s+audany?|mkrn|mkr|mikrorayon|mikrorajon)\.?\s*(\d+)/u.exec(q);
    if (mm) {
      micro = /^\d+$/.test(mm[1]) ? mm[1] : mm[2];
      q = q.slice(0, mm.index) + " " + q.slice(mm.index + mm[0].length);
    }
    // the house: the last number, with what may follow it (a letter, /2, корп. 3)
    var houseText = null;
    var hm = null, re = /(\d+(?:\s*[-]?\s*[\p{L}](?![\p{L}]))?(?:\/\d+)?(?:\s*(?:корпус|корп|к)\.?\s*\d+)?(?:\s*(?:строение|стр)\.?\s*\d+)?)(?=[\s,])/gu;
    var found;
    while ((found = re.exec(q)) !== null) { hm = found; }
    if (hm) {
      houseText = hm[1];
      q = q.slice(0, hm.index) + " " + q.slice(hm.index + hm[0].length);
    }
    // the settlement: the longest of its names written as words of the query
    var words = q.split(/\s+/).filter(function (w) { return w && w !== ","; });
    var keys = words.map(function (w) { return skeleton(w); });
    var settlement = null;
    for (var n = 3; n >= 1 && settlement === null; n--) {
      for (var i = 0; i + n <= keys.length && settlement === null; i++) {
        var key = keys.slice(i, i + n).join(" ");
        for (var j = 0; j < SETTLEMENT_KEYS.length; j++) {
          if (SETTLEMENT_KEYS[j][0] === key) {
            settlement = SETTLEMENT_KEYS[j][1];
            // the settlement's type words around it go with it
            var a = i, b = i + n;
            if (a > 0 && own.call(WORDS.settlement, keys[a - 1])) { a--; }
            if (b < keys.length && own.call(WORDS.settlement, keys[b])) { b++; }
            keys.splice(a, b - a);
            break;
          }
        }
      }
    }
    var street = keys.filter(function (k) {
      return k && !own.call(WORDS.street, k) && !own.call(WORDS.house, k) &&
             !own.call(WORDS.flat, k);
    }).join(" ");
    return {settlement: settlement, street: street, micro: micro, house: houseText};
  }

  // -- names found with a typo: the optimal string alignment distance -------------------------
  function distance(a, b) {
    var n = a.length, m = b.length;
    if (Math.abs(n - m) > 3) { return 99; }
    var d = [];
    for (var i = 0; i <= n; i++) { d.push(new Array(m + 1).fill(0)); d[i][0] = i; }
    for (var j = 0; j <= m; j++) { d[0][j] = j; }
    for (i = 1; i <= n; i++) {
      for (j = 1; j <= m; j++) {
        var c = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + c);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[n][m];
  }
  function allowed(key) { return key.length <= 4 ? 1 : key.length <= 8 ? 2 : 3; }

  /** The streets the words may name: the best-scored, with their distance. */
  function streetsFor(p) {
    var best = 99, hits = [];
    NAMES.streets.forEach(function (s, i) {
      if (p.settlement !== null && s.s !== p.settlement) { return; }
      var score = 99;
      if (p.micro !== null) {
        score = s.micro === p.micro ? 0 : 99;
      } else if (p.street) {
        s.keys.forEach(function (k) {
          var d = k === p.street ? 0 : distance(k, p.street);
          if (d < score) { score = d; }
        });
        if (score > allowed(p.street)) { score = 99; }
      }
      if (score < best) { best = score; hits = [i]; } else if (score === best && score < 99) {
        hits.push(i);
      }
    });
    return {score: best, streets: hits};
  }

  // -- the precinct a house is in, by the decision's segments ---------------------------------
  function precinctOf(settlement, street, key) {
    var side = key[0] % 2 ? 1 : 2;
    for (var i = 0; i < D.segments.length; i++) {
      var r = D.segments[i];
      if (r[1] !== settlement) { continue; }
      if (r[2] === -1) { return r[0]; }
      if (r[2] !== street) { continue; }
      var first = r[4], last = r[5];
      if (first === null) {
        if (r[3] === 0 || r[3] === side) { return r[0]; }
        continue;
      }
      if (last === null) {
        if (cmp(first, key) === 0) { return r[0]; }
        continue;
      }
      if (r[3] !== 0 && r[3] !== side) { continue; }
      var low = bare(first) ? key[0] >= first[0] : cmp(key, first) >= 0;
      var high = bare(last) ? key[0] <= last[0] : cmp(key, last) <= 0;
      if (low && high) { return r[0]; }
    }
    return null;
  }

  // -- where the house stands on the network: the address ranges -----------------------------
  var NET = D.network;
  var NN = NET.nodes.length / 2, NE = NET.u.length;

  function startOf(street, key) {
    var n = key[0], side = n % 2 ? 1 : 2;
    var rows = D.ranges.filter(function (r) { return r[0] === street && r[1] === side; });
    if (!rows.length) {
      rows = D.ranges.filter(function (r) { return r[0] === street; });
    }
    var inside = rows.filter(function (r) { return r[3] <= n && n <= r[5]; });
    if (inside.length) {
      inside.sort(function (a, b) { return (a[5] - a[3]) - (b[5] - b[3]); });
      var r = inside[0];
      var f = r[5] === r[3] ? 0 : (n - r[3]) / (r[5] - r[3]);
      return {edge: r[2], offset: r[4] + (r[6] - r[4]) * f, approach: r[7],
              exact: n === r[3] || n === r[5]};
    }
    if (rows.length) {  // beyond every range: at the nearest number's place
      var nearest = null, gap = Infinity;
      rows.forEach(function (r) {
        [[r[3], r[4]], [r[5], r[6]]].forEach(function (end) {
          if (Math.abs(end[0] - n) < gap) { gap = Math.abs(end[0] - n); nearest = [r, end[1]]; }
        });
      });
      return {edge: nearest[0][2], offset: nearest[1], approach: nearest[0][7], exact: false};
    }
    for (var e = 0; e < NE; e++) {  // a street no house of the list stands on: its middle
      if (NET.street[e] === street) {
        return {edge: e, offset: NET.m[e] / 2, approach: 0, exact: false};
      }
    }
    return null;
  }

  // -- walking: Dijkstra on the profile's costs, as the engine walks -------------------------
  var HEAD = new Int32Array(NN).fill(-1), NEXT = new Int32Array(2 * NE), TO = new Int32Array(2 * NE);
  for (var e0 = 0; e0 < NE; e0++) {
    TO[2 * e0] = NET.v[e0]; NEXT[2 * e0] = HEAD[NET.u[e0]]; HEAD[NET.u[e0]] = 2 * e0;
    TO[2 * e0 + 1] = NET.u[e0]; NEXT[2 * e0 + 1] = HEAD[NET.v[e0]]; HEAD[NET.v[e0]] = 2 * e0 + 1;
  }
  function costs(profile) {
    var c = Float64Array.from(NET.m);
    var extra = profile === "walk" ? {} : NET[profile];
    Object.keys(extra).forEach(function (k) { c[+k] = extra[k] === null ? Infinity : extra[k]; });
    return c;
  }
  var COST = {walk: costs("walk"), reduced: costs("reduced"), wheelchair: costs("wheelchair")};

  function Heap() { this.k = []; this.v = []; }
  Heap.prototype.push = function (key, val) {
    var k = this.k, v = this.v, i = k.length;
    k.push(key); v.push(val);
    while (i > 0) {
      var p = (i - 1) >> 1;
      if (k[p] <= key) { break; }
      k[i] = k[p]; v[i] = v[p]; i = p;
    }
    k[i] = key; v[i] = val;
  };
  Heap.prototype.pop = function () {
    var k = this.k, v = this.v, top = v[0], topk = k[0], lk = k.pop(), lv = v.pop();
    if (k.length) {
      var i = 0, n = k.length;
      for (;;) {
        var l = 2 * i + 1, r = l + 1, m = i, mk = lk;
        if (l < n && k[l] < mk) { m = l; mk = k[l]; }
        if (r < n && k[r] < mk) { m = r; }
        if (m === i) { break; }
        k[i] = k[m]; v[i] = v[m]; i = m;
      }
      k[i] = lk; v[i] = lv;
    }
    return [topk, top];
  };

  /** Costs from a point on an edge to every node, and the edge each was reached by. */
  function search(profile, start) {
    var c = COST[profile], len = NET.m;
    var dist = new Float64Array(NN).fill(Infinity), via = new Int32Array(NN).fill(-1);
    var e = start.edge, f = len[e] > 0 ? c[e] / len[e] : 1;
    var heap = new Heap();
    if (!isFinite(c[e])) { return null; }
    [[NET.u[e], start.offset * f], [NET.v[e], (len[e] - start.offset) * f]].forEach(function (s) {
      if (s[1] < dist[s[0]]) { dist[s[0]] = s[1]; heap.push(s[1], s[0]); }
    });
    while (heap.k.length) {
      var top = heap.pop(), d = top[0], node = top[1];
      if (d > dist[node]) { continue; }
      for (var a = HEAD[node]; a >= 0; a = NEXT[a]) {
        var w = c[a >> 1];
        if (!isFinite(w)) { continue; }
        var nd = d + w, to = TO[a];
        if (nd < dist[to]) { dist[to] = nd; via[to] = a; heap.push(nd, to); }
      }
    }
    return {profile: profile, start: start, dist: dist, via: via};
  }

  /** The walk of a search to a door ([edge, offset in the profile's costs, snap m]). */
  function walkTo(found, door) {
    if (!found || !door) { return null; }
    var c = COST[found.profile], len = NET.m, e = door[0], q = door[1], snap = door[2];
    var st = found.start, f = len[e] > 0 ? c[e] / len[e] : 1;
    var viaU = found.dist[NET.u[e]] + q, viaV = found.dist[NET.v[e]] + (c[e] - q);
    var cost = Math.min(viaU, viaV), end = viaU <= viaV ? NET.u[e] : NET.v[e];
    var qm = f > 0 ? q / f : q;  // the door's offset in metres
    var straight = null;
    if (st.edge === e) {  // on the same edge: straight along it
      var fs = len[e] > 0 ? c[e] / len[e] : 1, along = Math.abs(st.offset * fs - q);
      if (along < cost) { straight = along; cost = along; }
    }
    if (!isFinite(cost)) { return null; }
    var pieces = [], points = [], m = 0, costM = cost + snap + (st.approach || 0);
    var startPt = pointOn(st.edge, st.offset), doorPt = pointOn(e, qm);
    if (straight !== null) {
      m = Math.abs(st.offset - qm);
      pieces.push([NET.street[e], m]);
      points = [startPt, doorPt];
    } else {
      var edges = [], node = end;
      while (found.via[node] >= 0) {  // back along the search tree to where it left the start
        var arc = found.via[node];
        edges.push(arc >> 1);
        node = TO[arc ^ 1];
      }
      edges.reverse();
      var head = node === NET.u[st.edge] ? st.offset : len[st.edge] - st.offset;
      pieces.push([NET.street[st.edge], head]);
      points.push(startPt, nodePt(node));
      m += head;
      var at = node;
      edges.forEach(function (x) {
        pieces.push([NET.street[x], len[x]]);
        m += len[x];
        at = NET.u[x] === at ? NET.v[x] : NET.u[x];
        points.push(nodePt(at));
      });
      var tail = end === NET.u[e] ? qm : len[e] - qm;
      pieces.push([NET.street[e], tail]);
      m += tail;
      points.push(doorPt);
    }
    m += snap + (st.approach || 0);
    return {metres: m, cost: costM, pieces: merge(pieces), points: points};
  }
  function merge(pieces) {
    var out = [];
    pieces.forEach(function (p) {
      if (p[1] <= 0.05) { return; }
      if (out.length && out[out.length - 1][0] === p[0]) { out[out.length - 1][1] += p[1]; } else {
        out.push([p[0], p[1]]);
      }
    });
    return out;
  }
  function nodePt(n) { return [NET.nodes[2 * n + 1], NET.nodes[2 * n]]; }
  function pointOn(e, offsetM) {
    var a = nodePt(NET.u[e]), b = nodePt(NET.v[e]), f = NET.m[e] > 0 ? offsetM / NET.m[e] : 0;
    f = Math.max(0, Math.min(1, f));
    return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f];
  }

  // -- the precincts ---------------------------------------------------------------------------
  var PRECINCTS = {};
  D.layers.precincts.features.forEach(function (f) {
    PRECINCTS[f.properties.precinct_id] = f;
  });
  var DOOR = {};
  D.doors.id.forEach(function (id, i) {
    DOOR[id] = {walk: D.doors.walk[i], wheelchair: D.doors.wheelchair[i], to: D.doors.to[i],
                at: [D.doors.lat[i], D.doors.lon[i]]};
  });
  var SPEED = NET.speeds;

  function streetName(i) {
    if (i === null || i === undefined || i < 0) { return t("site.unnamed"); }
    var s = NAMES.streets[i];
    return (LANG === "kk" && s.kk) ? s.kk : s.ru;
  }
  function settlementName(i) {
    var s = NAMES.settlements[i];
    return (LANG === "kk" && s.kk) ? s.kk : s.ru;
  }
  function routeText(walk) {
    return t("site.route", {steps: walk.pieces.map(function (p) {
      return t("site.route_step", {street: streetName(p[0]), metres: metres(p[1])});
    }).join("; ")});
  }

  /** Everything the page says of an address: parsed, found, its precinct and the walks. */
  function lookup(query, group) {
    var p = parse(query);
    var out = {query: query, parsed: p};
    if (!p.street && p.micro === null) { out.status = "no_street"; return out; }
    var found = streetsFor(p);
    if ((found.score === 99 || !found.streets.length) && p.settlement !== null) {
      // no such street in the settlement written: the settlements that have one
      var elsewhere = streetsFor({settlement: null, street: p.street, micro: p.micro});
      out.candidates = elsewhere.streets;
      out.status = elsewhere.streets.length ? "not_in_settlement" : "no_street";
      return out;
    }
    out.candidates = found.streets;
    if (found.score === 99 || !found.streets.length) { out.status = "no_street"; return out; }
    var towns = {};
    found.streets.forEach(function (i) { towns[NAMES.streets[i].s] = true; });
    var street = null;
    if (Object.keys(towns).length > 1) {
      // with no settlement written, the town's street: the others are offered beside it
      var inTown = found.streets.filter(function (i) { return NAMES.streets[i].s === D.town; });
      if (p.settlement !== null || inTown.length !== 1) {
        out.status = "which_settlement"; return out;
      }
      street = inTown[0];
      out.others = found.streets.filter(function (i) { return i !== street; });
    } else if (found.streets.length > 1 && found.score > 0) {
      out.status = "did_you_mean"; return out;
    } else {
      street = found.streets[0];
    }
    var settlement = NAMES.streets[street].s;
    out.street = street; out.settlement = settlement; out.typo = found.score > 0;
    if (p.house === null) { out.status = "no_house"; return out; }
    var h = house(p.house);
    if (h === null) { out.status = "no_house"; return out; }
    out.house = h.text;
    out.key = h.key;
    var precinct = precinctOf(settlement, street, h.key);
    if (precinct === null) { out.status = "house_missing"; return out; }
    out.status = "ok";
    out.precinct = precinct;
    var start = startOf(street, h.key);
    out.start = start;
    if (start) {
      var plain = search("walk", start);
      var slow = search("reduced", start);
      out.walk = walkTo(plain, DOOR[precinct].walk);
      out.reduced = walkTo(slow, DOOR[precinct].walk);
      out.searches = {walk: plain};
      if (group === "wheelchair") {
        var chair = search("wheelchair", start);
        out.searches.wheelchair = chair;
        out.stepFree = walkTo(chair, DOOR[precinct].wheelchair);
      }
      out.nearest = nearestFor(group, out.searches[group === "wheelchair" ? "wheelchair" : "walk"],
                               precinct);
      out.minutesTo = {};
      Object.keys(DOOR).forEach(function (id) {
        var w = walkTo(plain, DOOR[id].walk);
        out.minutesTo[id] = w ? w.cost / (SPEED.walk * 1000 / 60) : Infinity;
        // the precinct nearest on foot (whose catchment the address is in)
        if (w && (!out.closest || w.cost < out.closest.walk.cost)) {
          out.closest = {id: +id, walk: w};
        }
      });
    }
    return out;
  }

  function categoryKey(group) { return group ? "category_" + group : "category"; }

  /** The nearest precinct fully accessible for a group (every group: "" ), by its walk. */
  function nearestFor(group, found, precinct) {
    var best = null;
    Object.keys(PRECINCTS).forEach(function (id) {
      var pr = PRECINCTS[id].properties;
      if (pr[categoryKey(group)] !== "accessible" || +id === precinct) { return; }
      var w = walkTo(found, DOOR[id][group === "wheelchair" ? "wheelchair" : "walk"]);
      if (w && (best === null || w.cost < best.walk.cost)) { best = {id: +id, walk: w}; }
    });
    return best;
  }

  // -- the answer, in words ---------------------------------------------------------------------
  var answer = document.getElementById("answer");
  var groupBox = document.getElementById("group");
  var input = document.getElementById("q");

  function categoryWords(value) {
    return own.call(D.marks, value) ? D.marks[value] + " " + t("category." + value)
      : t("site.no_passport");
  }
  function itemWords(key) { return t("item." + key); }  // the page wrote its numbers in

  function accessBlock(id, group) {
    var pr = PRECINCTS[id].properties;
    var box = el("div", {"class": "access"}, [el("h4", {text: t("site.access")})]);
    var groups = group ? [group] : D.groups;
    var dl = el("dl", {"class": "groups"});
    groups.forEach(function (g) {
      dl.appendChild(el("div", {}, [el("dt", {text: t("group." + g)}),
                                    el("dd", {text: categoryWords(pr["category_" + g])})]));
    });
    box.appendChild(dl);
    var failed = (pr.failed_items || "").split(",").filter(Boolean);
    var plans = D.remedies[String(id)] || {};
    var relevant = failed.filter(function (k) {
      if (!group) { return true; }
      var item = D.items.filter(function (it) { return it.key === k; })[0];
      return item && (item.barrier.indexOf(group) >= 0 || item.hindrance.indexOf(group) >= 0);
    });
    if (relevant.length) {
      box.appendChild(el("p", {text: t("site.missing", {items: relevant.map(itemWords).join("; ")})}));
      var ul = el("ul");
      relevant.forEach(function (k) {
        if (plans[k]) {
          ul.appendChild(el("li", {text: t("site.measure", {item: itemWords(k), remedy: plans[k][LANG],
                                                              state: t("state." + plans[k].state)})}));
        }
      });
      if (ul.childNodes.length) { box.appendChild(ul); }
    } else if (group) {
      box.appendChild(el("p", {text: t("site.fully", {group: t("group." + group)})}));
    }
    box.appendChild(el("p", {text: t(pr.con_desk ? "site.desk_yes" : "site.desk_no") + " " +
                                    t(pr.accessible_booth ? "site.booth_yes" : "site.booth_no")}));
    return box;
  }

  function show(result) {
    answer.textContent = "";
    var p = result.parsed;
    if (result.status === "no_street") {
      answer.appendChild(el("p", {text: t("site.not_found", {query: result.query})}));
      answer.appendChild(el("p", {text: t("site.example", {example: exampleText()})}));
      return;
    }
    if (result.status === "which_settlement" || result.status === "did_you_mean" ||
        result.status === "not_in_settlement") {
      var head = result.status === "did_you_mean" ? t("site.did_you_mean")
        : result.status === "not_in_settlement"
          ? t("site.not_in_settlement", {settlement: settlementName(p.settlement),
                                         street: streetName(result.candidates[0])})
          : t("site.which_settlement", {street: streetName(result.candidates[0])});
      answer.appendChild(el("p", {text: head}));
      answer.appendChild(choices(result.candidates, p.house));
      return;
    }
    var where = settlementName(result.settlement) + ", " + streetName(result.street);
    if (result.status === "no_house") {
      answer.appendChild(el("p", {text: t("site.house_needed", {example: where + ", 12"})}));
      return;
    }
    if (result.status === "house_missing") {
      answer.appendChild(el("p", {text: t("site.house_missing", {house: result.house,
                                                                   street: where})}));
      return;
    }
    var id = result.precinct, pr = PRECINCTS[id].properties;
    var address = where + ", " + result.house;
    answer.appendChild(el("h3", {id: "answer-h", tabindex: "-1",
                                 text: t("site.answer_for", {address: address, n: id})}));
    answer.appendChild(el("p", {}, [el("strong", {text: pr.name || ""}), ", " + (pr.address || "")]));
    answer.appendChild(el("p", {text: t("site.hours", {hours: D.meta.hours}) + "."}));
    if (result.walk) {
      var door = DOOR[id].to === "entrance" ? "site.walk_entrance" : "site.walk_building";
      var speeds = [t("site.minutes_at", {minutes: minutes(result.walk.cost, SPEED.walk), speed: num(SPEED.walk)})];
      if (result.reduced) {
        speeds.push(t("site.minutes_at", {minutes: minutes(result.reduced.cost, SPEED.reduced),
                                           speed: num(SPEED.reduced)}));
      }
      answer.appendChild(el("p", {"class": "walk", text: t(door, {metres: metres(result.walk.metres)}) +
                                                        " (" + speeds.join("; ") + ")."}));
      answer.appendChild(el("p", {"class": "route", text: routeText(result.walk)}));
      if (!result.start.exact) { answer.appendChild(el("p", {"class": "hint", text: t("site.approximate")})); }
    }
    var group = groupBox.value;
    if (group === "wheelchair") {
      answer.appendChild(el("p", {"class": "walk", text: result.stepFree
        ? t("site.step_free", {metres: metres(result.stepFree.metres),
                               minutes: minutes(result.stepFree.cost, SPEED.wheelchair),
                               speed: num(SPEED.wheelchair)})
        : t("site.no_step_free")}));
    }
    answer.appendChild(accessBlock(id, group));
    if (pr[categoryKey(group)] !== "accessible") {
      var near = result.nearest;
      var who = group ? t("group." + group) : t("site.group_any");
      if (near) {
        var np = PRECINCTS[near.id].properties;
        var speed = group === "wheelchair" ? SPEED.wheelchair : SPEED.walk;
        var fields = {group: who, n: near.id, name: np.name || "", address: np.address || ""};
        answer.appendChild(el("p", {"class": "nearest", text:
          t(group ? "site.nearest" : "site.nearest_all", fields) + "; " +
          t("site.nearest_walk", {metres: metres(near.walk.metres),
                                  minutes: minutes(near.walk.cost, speed), speed: num(speed)}) + "."}));
      } else {
        answer.appendChild(el("p", {text: t("site.nearest_none", {group: who})}));
      }
    }
    if (result.closest && result.closest.id !== id) {
      answer.appendChild(el("p", {text: t("site.closer", {n: result.closest.id, own: id,
                                                          metres: metres(result.closest.walk.metres)})}));
    }
    var link = el("a", {href: "#p" + id, text: t("site.permalink", {n: id})});
    answer.appendChild(el("p", {}, [link]));
    if (result.others && result.others.length) {
      answer.appendChild(el("p", {text: t("site.also_in", {street: streetName(result.street)})}));
      answer.appendChild(choices(result.others, result.house));
    }
  }

  function choices(streets, houseText) {
    var ul = el("ul", {"class": "choices"});
    streets.slice(0, 12).forEach(function (i) {
      var s = NAMES.streets[i];
      var text = settlementName(s.s) + ", " + streetName(i) + (houseText ? ", " + houseText : "");
      var b = el("button", {type: "button", text: text});
      b.addEventListener("click", function () { input.value = text; run(false); });
      ul.appendChild(el("li", {}, [b]));
    });
    return ul;
  }

  function exampleText() {
    var s = NAMES.streets.filter(function (x) { return /^ул/.test(x.ru); })[0];
    return s ? (LANG === "kk" && s.kk ? s.kk : s.ru.replace(/^ул\.?\s*/, "")) + " 12" : "12";
  }

  // -- the map -------------------------------------------------------------------------------
  var map = null, routeLayer = null, bandLayer = null, catchLayer = null, markers = {};
  var chosen = null, lastResult = null;

  function initMap() {
    var box = document.getElementById("map");
    if (!window.L || !box) { return; }
    map = L.map(box, {preferCanvas: true, zoomControl: false, attributionControl: true,
                      zoomAnimation: !reduceMotion, fadeAnimation: !reduceMotion,
                      markerZoomAnimation: !reduceMotion, inertia: !reduceMotion,
                      minZoom: 9, maxZoom: 19});
    L.control.zoom({zoomInTitle: t("site.zoom_in"), zoomOutTitle: t("site.zoom_out")}).addTo(map);
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution(D.meta.licence.street_network.replace(/[<>&]/g, ""));
    var lines = [];
    for (var e = 0; e < NE; e++) { lines.push([nodePt(NET.u[e]), nodePt(NET.v[e])]); }
    L.polyline(lines, {color: "#6b6b6b", weight: 1.5, opacity: 0.8, interactive: false}).addTo(map);
    var bounds = L.latLngBounds([]);
    Object.keys(PRECINCTS).forEach(function (id) {
      var f = PRECINCTS[id], c = f.geometry.coordinates, cat = f.properties.category || "none";
      var mark = own.call(D.marks, cat) ? D.marks[cat] : "";
      var icon = L.divIcon({className: "pin pin-" + cat, iconSize: [34, 22], iconAnchor: [17, 11],
                            html: "<span aria-hidden=\"true\">" + mark + " " + id + "</span>"});
      var m = L.marker([c[1], c[0]], {icon: icon, keyboard: false, title: "", alt: ""});
      m.on("click", function () { choose(+id, true); });
      m.addTo(map);
      markers[id] = m;
      bounds.extend([c[1], c[0]]);
    });
    map.fitBounds(bounds.pad(0.05), {animate: false});
    box.removeAttribute("tabindex");
    box.setAttribute("tabindex", "0");
  }

  function drawBands() {
    if (!map) { return; }
    if (bandLayer) { map.removeLayer(bandLayer); bandLayer = null; }
    if (!document.getElementById("show-bands").checked || chosen === null) { return; }
    var colours = ["#253494", "#2c7fb8", "#41b6c4", "#a1dab4"], dash = [null, "6 4", "2 4", "1 6"];
    var rings = D.layers.isochrones.features.filter(function (f) {
      return f.properties.precinct_id === chosen;
    });
    bandLayer = L.geoJSON({type: "FeatureCollection", features: rings}, {
      interactive: false,
      style: function (f) {
        var k = Math.min(rings.indexOf(f), colours.length - 1);
        return {color: colours[k], weight: 2, dashArray: dash[k], fillOpacity: 0.18 - 0.03 * k};
      }}).addTo(map);
  }
  function drawCatchments() {
    if (!map) { return; }
    if (catchLayer) { map.removeLayer(catchLayer); catchLayer = null; }
    if (!document.getElementById("show-catchments").checked) { return; }
    catchLayer = L.geoJSON(D.layers.catchments, {interactive: false,
      style: function () { return {color: "#4a1486", weight: 1.5, fill: false, dashArray: "4 3"}; }}).addTo(map);
  }
  function drawRoute(result) {
    if (!map) { return; }
    if (routeLayer) { map.removeLayer(routeLayer); routeLayer = null; }
    if (!result || !result.walk) { return; }
    var group = groupBox.value, layers = [];
    var walk = group === "wheelchair" && result.stepFree ? result.stepFree : result.walk;
    layers.push(L.polyline(walk.points, {color: "#08306b", weight: 5, opacity: 0.9}));
    layers.push(L.circleMarker(walk.points[0], {radius: 6, color: "#08306b", fillColor: "#fff",
                                                fillOpacity: 1, weight: 3}));
    routeLayer = L.layerGroup(layers).addTo(map);
    map.fitBounds(L.latLngBounds(walk.points).pad(0.2), {animate: !reduceMotion});
  }

  function choose(id, fromMap) {
    chosen = id;
    Object.keys(markers).forEach(function (k) {
      var icon = markers[k].getElement && markers[k].getElement();
      if (icon) { icon.classList.toggle("chosen", +k === id); }
    });
    drawBands();
    if (fromMap) {
      var item = document.getElementById("p" + id);
      if (item) { item.scrollIntoView({behavior: reduceMotion ? "auto" : "smooth", block: "nearest"}); }
    }
    announce(t("site.chosen", {n: id}));
  }
  var live = null;
  function announce(text) {
    if (!live) {
      live = el("p", {"class": "visually-hidden", role: "status", "aria-live": "polite"});
      document.getElementById("map-section").appendChild(live);
    }
    live.textContent = text;
  }

  // -- the list's filters -------------------------------------------------------------------
  function filterList() {
    var g = document.getElementById("f-group").value;
    var mBox = document.getElementById("f-minutes");
    var limit = mBox.value ? +mBox.value : null;
    var items = document.querySelectorAll("#precincts > li"), shown = 0;
    items.forEach(function (li) {
      var id = +li.getAttribute("data-id"), pr = PRECINCTS[id].properties;
      var ok = !g || pr["category_" + g] === "accessible";
      var away = lastResult && lastResult.minutesTo ? lastResult.minutesTo[id] : null;
      if (limit !== null && away !== null) { ok = ok && away <= limit; }
      li.hidden = !ok;
      var note = li.querySelector(".away");
      if (away !== null && isFinite(away)) {
        if (!note) { note = el("p", {"class": "away"}); li.querySelector("article").appendChild(note); }
        note.textContent = t("site.minutes_from_you", {minutes: Math.max(1, Math.round(away))});
      } else if (note) { note.remove(); }
      if (ok) { shown++; }
    });
    document.getElementById("shown").textContent = t("site.shown", {shown: shown, total: items.length});
  }

  // -- the page's address (language, search, precinct) --------------------------------------
  function hashState() {
    var h = location.hash.replace(/^#/, ""), out = {};
    if (/^p\d+$/.test(h)) { out.p = +h.slice(1); return out; }
    h.split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i > 0) {
        try { out[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1)); } catch (err) { /* kept out */ }
      }
    });
    return out;
  }
  function keepHashInLanguageLinks() {
    document.querySelectorAll("a.lang").forEach(function (a) {
      var base = a.getAttribute("href").split("#")[0];
      a.setAttribute("href", base + location.hash);
    });
  }

  function run(fromHash) {
    var t0 = performance.now();
    var result = lookup(input.value, groupBox.value);
    lastResult = result;
    show(result);
    var t1 = performance.now();
    window.aksugeoSite.lastSearchMs = t1 - t0;
    var mBox = document.getElementById("f-minutes");
    mBox.disabled = !(result.status === "ok" && result.minutesTo);
    document.getElementById("f-minutes-hint").hidden = !mBox.disabled;
    filterList();
    if (result.status === "ok") {
      drawRoute(result);
      choose(result.precinct, false);
      var head = document.getElementById("answer-h");
      if (head && !fromHash) { head.focus({preventScroll: false}); }
    }
    if (!fromHash) {
      var state = "q=" + encodeURIComponent(input.value) +
                  (groupBox.value ? "&g=" + encodeURIComponent(groupBox.value) : "");
      history.replaceState(null, "", "#" + state);
      keepHashInLanguageLinks();
    }
    return result;
  }

  function start() {
    initMap();
    document.getElementById("search").addEventListener("submit", function (ev) {
      ev.preventDefault(); run(false);
    });
    document.getElementById("show-bands").addEventListener("change", drawBands);
    document.getElementById("show-catchments").addEventListener("change", drawCatchments);
    document.getElementById("f-group").addEventListener("change", filterList);
    document.getElementById("f-minutes").addEventListener("change", filterList);
    document.querySelectorAll("button.show").forEach(function (b) {
      b.addEventListener("click", function () {
        var id = +b.getAttribute("data-id");
        choose(id, false);
        if (map) {
          var c = PRECINCTS[id].geometry.coordinates;
          map.setView([c[1], c[0]], Math.max(map.getZoom(), 16), {animate: !reduceMotion});
        }
        history.replaceState(null, "", "#p" + id);
        keepHashInLanguageLinks();
      });
    });
    window.addEventListener("hashchange", function () { fromHash(); keepHashInLanguageLinks(); });
    fromHash();
    keepHashInLanguageLinks();
    document.documentElement.setAttribute("data-ready", "1");
    window.aksugeoSite.readyMs = performance.now();
    // one search nobody sees, once the page is shown: the first real one is then as quick
    setTimeout(function () { lookup(exampleText(), "wheelchair"); }, 0);
  }
  function fromHash() {
    var s = hashState();
    if (s.g && D.groups.indexOf(s.g) >= 0) { groupBox.value = s.g; }
    if (s.q) { input.value = s.q; run(true); }
    if (s.p && PRECINCTS[s.p]) {
      choose(s.p, false);
      if (map) {
        var c = PRECINCTS[s.p].geometry.coordinates;
        map.setView([c[1], c[0]], 16, {animate: false});
      }
    }
  }

  window.aksugeoSite = {skeleton: skeleton, house: house, parse: parse, lookup: lookup,
                        search: run, startOf: startOf, walkTo: walkTo, lastSearchMs: null,
                        readyMs: null};
  start();
  window.aksugeoSite.map = map;
}());
