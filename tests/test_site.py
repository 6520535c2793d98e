"""The public accessibility map (issue 19): the static site in Debian's headless Chromium.

Written from the shipped build once per module; opened from the folder (file://) and from a
static server on loopback. The page's script is compared with the Python it follows (the name
key, the house number), its walks with the engine's, and every page state is checked with
axe-core (vendored from npm under tests/input_data/vendor/).
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from playwright.sync_api import Browser, Page

from aksugeo.boundaries.commands import build_places
from aksugeo.boundaries.houses import house
from aksugeo.build import BuildReport
from aksugeo.cli import main
from aksugeo.data.layers import HOUSEHOLDS, open_build
from aksugeo.geocode.address import skeleton
from aksugeo.i18n import catalogue, text
from aksugeo.site import export_site
from aksugeo.site.pages import LANGUAGES, page
from aksugeo.site.payload import assignment
from aksugeo.walk.distances import walks_within
from aksugeo.walk.network import load_network
from aksugeo.walk.snapping import OK, Snap, snap_points

from .browser import chromium, static_server

AXE = Path(__file__).parent / "input_data" / "vendor" / "axe-core-4.14.1" / "axe.min.js"
BUDGET_GZIP_BYTES = 2_000_000


@dataclass
class Written:
    """The site of the shipped build, and what it was made of."""

    out: Path
    db: Path
    data: dict[str, Any]
    gzip_bytes: int


def _data(out: Path) -> dict[str, Any]:
    text_ = (out / "data" / "site.js").read_text(encoding="utf-8")
    return json.loads(text_[text_.index("=") + 1:].rstrip().rstrip(";"))


@pytest.fixture(scope="module")
def site(shipped_build: BuildReport, tmp_path_factory: pytest.TempPathFactory) -> Written:
    out = tmp_path_factory.mktemp("site")
    written = export_site(shipped_build.gpkg, out)
    return Written(out, shipped_build.gpkg, _data(out), written.gzip_bytes)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def served(site: Written) -> Iterator[str]:
    with static_server(site.out) as url:
        yield url


def _open(browser: Browser, url: str, *, width: int = 1280, height: int = 900,
          reduced_motion: bool = False) -> tuple[Page, list[str], list[str]]:
    """Open a page; return it, every URL it asked for, and every error it logged."""
    context = browser.new_context(viewport={"width": width, "height": height},
                                  reduced_motion="reduce" if reduced_motion else "no-preference")
    p = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    p.on("request", lambda r: requests.append(r.url))
    p.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.goto(url)
    p.wait_for_selector("html[data-ready='1']", timeout=30_000)
    return p, requests, errors


def _search(p: Page, query: str, group: str = "") -> None:
    p.select_option("#group", group)
    p.fill("#q", query)
    p.click("#search button[type=submit]")
    p.wait_for_function("document.getElementById('answer').childElementCount > 0")


# -- the files ---------------------------------------------------------------------------------
def test_the_site_is_whole_and_small(site: Written) -> None:
    for lang in LANGUAGES:
        assert (site.out / lang / "index.html").is_file()
    for name in ("index.html", "site.js", "site.css", "data/site.js", "data/precincts.geojson",
                 "data/metadata.json", "vendor/leaflet-1.9.4/leaflet.js"):
        assert (site.out / name).is_file(), name
    packed = sum(len(gzip.compress(p.read_bytes(), compresslevel=9))
                 for p in site.out.rglob("*") if p.is_file())
    assert packed == site.gzip_bytes <= BUDGET_GZIP_BYTES
    # every page names only files of the site: no CDN, nothing off the machine
    for path in site.out.rglob("*.html"):
        refs = re.findall(r'(?:src|href)="([^"#]+)', path.read_text(encoding="utf-8"))
        for ref in refs:
            if ref == "data:,":  # no icon (else a browser asks the server for /favicon.ico)
                continue
            assert not re.match(r"[a-z]+:", ref), (path, ref)
            assert (path.parent / ref).resolve().is_file(), (path, ref)
    assert len(site.data["layers"]["precincts"]["features"]) == 40


def test_the_cli_writes_the_site_and_says_where(shipped_build: BuildReport, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "site", "--db", str(shipped_build.gpkg), "--out",
                 str(tmp_path / "s"), "--hours", "08:00–20:00"]) == 0
    out = capsys.readouterr().out
    assert f"open {(tmp_path / 's' / 'index.html').resolve()}" in out
    assert "08:00–20:00" in (tmp_path / "s" / "kk" / "index.html").read_text(encoding="utf-8")


# -- privacy -----------------------------------------------------------------------------------
def test_no_household_id_address_or_point_is_on_the_site(site: Written) -> None:
    homes = open_build(site.db).spatial(HOUSEHOLDS)
    texts = {p: p.read_text(encoding="utf-8") for p in site.out.rglob("*")
             if p.is_file() and p.suffix in (".html", ".js", ".json", ".geojson", ".css")}
    everything = "\n".join(texts.values())
    ids = set(homes["household_id"].astype(str))
    assert not {m for m in re.findall(r"[A-Z]{2}-\d{4,5}", everything) if m in ids}
    # no registry address, whole (a precinct's own building may share a street, not a house)
    precinct_addresses = {str(f["properties"]["address"])
                          for f in site.data["layers"]["precincts"]["features"]}
    for address in set(homes["address"].astype(str)) - precinct_addresses:
        # whole: "д. 1" is not in "д. 11"
        assert address not in everything or re.search(
            re.escape(address) + r"(?![\w/])", everything) is None, address
    # no household point, as the files write coordinates (6 decimals, about 0.1 m; at 5, a
    # polygon's vertex may fall within a metre of a house by chance)
    pairs = set(re.findall(r"(-?\d{1,3}\.\d+),\s*(-?\d{1,3}\.\d+)", everything))
    written = {(round(float(a), 6), round(float(b), 6)) for a, b in pairs}
    points = {(round(x, 6), round(y, 6)) for x, y in zip(homes.geometry.x, homes.geometry.y,
                                                       strict=True)}
    assert len(written) > 10_000  # the streets, the bands, the precincts
    assert not written & points
    # the pages' counts obey the disclosure rule: multiples of 5, or "fewer than 5"
    for lang in LANGUAGES:
        page_text = texts[site.out / lang / "index.html"].split('<script type="application')[0]
        label = re.escape(text(lang, "site.voters", voters="@")).replace("@", "([^<.]+)")
        shown = re.findall(label, page_text)
        assert len(shown) == 40
        for value in shown:
            written = value.replace("\u00a0", "").replace(",", "")
            assert written == text(lang, "site.fewer_than", n=5) or int(written) % 5 == 0


def _covers(rows: list[list[Any]], settlement: int, street: int, key: list[int]) -> int | None:
    """The precinct the segments give a house (the page's precinctOf, in Python)."""
    side = 1 if key[0] % 2 else 2
    for p, s, a, sd, first, last in rows:
        if s != settlement:
            continue
        if a == -1:
            return int(p)
        if a != street:
            continue
        if first is None:
            if sd in (0, side):
                return int(p)
            continue
        if last is None:
            if first == key:
                return int(p)
            continue
        if sd not in (0, side):
            continue
        low = key[0] >= first[0] if first[1:] == [0, 0, 0, 0] else key >= first
        high = key[0] <= last[0] if last[1:] == [0, 0, 0, 0] else key <= last
        if low and high:
            return int(p)
    return None


def test_every_house_number_the_site_holds_is_in_the_public_segments(site: Written) -> None:
    # the address ranges name a street's first and last house on an edge: each is an address
    # the published boundaries already cover, none the registry alone would reveal
    names = site.data["names"]["streets"]
    for area, side, _, n0, _, n1, _, _ in site.data["ranges"]:
        for n in (n0, n1):
            assert n % 2 == (1 if side == 1 else 0)
            assert _covers(site.data["segments"], names[area]["s"], area, [n, 0, 0, 0, 0]) \
                is not None, (names[area]["ru"], n)


# -- the page's script against the Python it follows -------------------------------------------
NAMES_ALPHABET = ("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәіңғүұқөһ"
                  "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯӘІҢҒҮҰҚӨҺ"
                  "abcdefghijklmnopqrstuvwxyzäğñöūüışçáóúíéABCDEFGHIJKLMNOPQRSTUVWXYZ"
                  "0123456789 .,-/'’«»\"№")


def test_the_pages_name_key_and_house_number_are_the_pythons(site: Written,
                                                                browser: Browser) -> None:
    p, _, _ = _open(browser, (site.out / "ru" / "index.html").as_uri())
    names = [s[k] for s in site.data["names"]["streets"] for k in ("ru", "kk")]
    names += [s[k] for s in site.data["names"]["settlements"] for k in ("ru", "kk")]
    names += ["Jeñıs", "Evgen'evka", "Королёва", "Qalqaman auyly", "Ул. Ленина, д. 12а кв. 5"]
    got = p.evaluate("xs => xs.map(x => window.aksugeoSite.skeleton(x))", names)
    assert got == [skeleton(n) for n in names]
    houses = ["12", "12а", "12 А", "12-a", "12A", "5/1", "7 корп. 2", "7к3", "7 стр 1",
              "14«В»", "12 Б", "0", "abc", "12ы", "", "3-5", "12 б/2"]
    got = p.evaluate("xs => xs.map(x => { const h = window.aksugeoSite.house(x); "
                     "return h ? h.key : null; })", houses)
    assert got == [None if house(h) is None else list(house(h).key) for h in houses]

    @settings(max_examples=300, deadline=None, database=None)
    @given(st.lists(st.text(alphabet=NAMES_ALPHABET, max_size=24), min_size=20, max_size=20))
    def same(values: list[str]) -> None:
        keys = p.evaluate("xs => xs.map(x => window.aksugeoSite.skeleton(x))", values)
        assert keys == [skeleton(v) for v in values]
        numbers = p.evaluate("xs => xs.map(x => { const h = window.aksugeoSite.house(x); "
                             "return h ? h.key : null; })", values)
        assert numbers == [None if house(v) is None else list(house(v).key) for v in values]

    same()


# -- finding a precinct by address ---------------------------------------------------------------
def _latin(ru: str, cyr: dict[str, str]) -> str:
    return "".join(cyr.get(c, cyr.get(c.lower(), c).capitalize() if c.isupper() else c)
                   for c in ru)


_FORMS: dict[Path, pd.DataFrame] = {}


def _queries(site: Written, n: int = 200) -> pd.DataFrame:
    """Addresses of ``n`` households in four forms, and the precinct each should find.

    The same households in the same order for every ``n`` (the first ``n`` of one sample of
    200, made once per site).
    """
    if site.out not in _FORMS:
        _FORMS[site.out] = _forms(site, 200)
    return _FORMS[site.out].head(n)


def _forms(site: Written, n: int) -> pd.DataFrame:
    built = open_build(site.db)
    homes = built.spatial(HOUSEHOLDS)
    places = build_places(built)
    precinct_of, _ = assignment(built, homes)
    names = site.data["names"]
    area_index = {(names["settlements"][s["s"]]["ru"], s["ru"]): i
                  for i, s in enumerate(names["streets"])}
    town = names["settlements"][site.data["town"]]["ru"]
    cyr = site.data["skeleton"]["cyr"]
    rows = []
    sample = homes.sample(n=n, random_state=19)
    for hid, address, settlement in zip(sample["household_id"], sample["address"],
                                        sample["settlement"], strict=True):
        a = places.address(address, settlement)
        if a.area is None or a.house is None:
            continue
        s_ru = places.settlement_name(settlement, "ru")
        street = area_index.get((s_ru, places.name(settlement, a.area, "ru")))
        if street is None:
            continue
        ru, kk = names["streets"][street]["ru"], names["streets"][street]["kk"]
        bare = re.sub(r"^(ул\.|улица|пер\.|переулок|пр\.|проспект)\s+", "", ru)
        where_ru = "" if settlement == town else f"{s_ru}, "
        where_kk = "" if settlement == town else f"{places.settlement_name(settlement, 'kk')}, "
        number = a.house.text
        typo = bare[:2] + bare[3] + bare[2] + bare[4:] if len(bare) >= 6 else bare
        rows.append({
            "household_id": hid, "precinct": int(precinct_of[hid]), "street": street,
            "ru": f"{where_ru}{ru}, д. {number}", "kk": f"{where_kk}{kk} {number}",
            "latin": f"{_latin(where_ru, cyr)}ul. {_latin(bare, cyr)} {number}",
            "typo": f"{where_ru}{typo} {number}"})
    return pd.DataFrame(rows)


def test_an_address_in_russian_kazakh_latin_or_with_a_typo_finds_its_precinct(
        site: Written, browser: Browser) -> None:
    queries = _queries(site)
    assert len(queries) >= 180
    p, _, _ = _open(browser, (site.out / "ru" / "index.html").as_uri())
    for form in ("ru", "kk", "latin", "typo"):
        got = p.evaluate("qs => qs.map(q => { const r = window.aksugeoSite.lookup(q, ''); "
                         "return [r.status, r.precinct === undefined ? null : r.precinct]; })",
                         queries[form].tolist())
        found = [g[1] for g in got]
        right = sum(f == e for f, e in zip(found, queries["precinct"], strict=True))
        wrong = [(q, g, e) for q, g, e in zip(queries[form], got, queries["precinct"],
                                              strict=True) if g[1] != e]
        # every exact form finds its precinct; a typo may leave two streets to choose from
        # (the page then offers both), never a wrong precinct
        if form == "typo":
            assert all(g[0] in ("did_you_mean", "which_settlement") for _, g, _ in wrong), \
                wrong[:5]
            assert right >= 0.9 * len(queries), wrong[:5]
        else:
            assert not wrong, wrong[:5]


def test_the_walk_is_the_engines_from_the_same_start(site: Written, browser: Browser) -> None:
    queries = _queries(site, 120)
    p, _, _ = _open(browser, (site.out / "ru" / "index.html").as_uri())
    got = p.evaluate("qs => qs.map(q => { const r = window.aksugeoSite.lookup(q, 'wheelchair'); "
                     "return r.status !== 'ok' ? null : [r.precinct, r.start.edge, "
                     "r.start.offset, r.start.approach, r.walk.metres, "
                     "r.stepFree ? r.stepFree.metres : null]; })", queries["ru"].tolist())
    built = open_build(site.db)
    net = load_network(built.network_path)
    doors = site.data["doors"]
    door_points = gpd.GeoSeries(gpd.points_from_xy(doors["lon"], doors["lat"]), crs="EPSG:4326")
    door_snap = snap_points(net, door_points, max_m=built.settings.max_snap_m)
    index = {pid: i for i, pid in enumerate(doors["id"])}
    homes = built.spatial(HOUSEHOLDS).set_index("household_id")
    own_points = homes.loc[queries["household_id"]].geometry
    own_snap = snap_points(net, own_points, max_m=built.settings.max_snap_m)
    ratios, own = [], []
    for k, g in enumerate(got):
        assert g is not None, queries["ru"].iloc[k]
        pid, edge, offset, approach, js_m, _ = g
        start = Snap(np.array([edge]), np.array([offset]), np.array([float(approach)]),
                     np.array([OK]), np.array([False]))
        engine = walks_within(net, start, door_snap).toarray()[index[pid], 0]
        ratios.append(js_m / engine)
        mine = walks_within(net, own_snap, door_snap).toarray()[index[pid], k]
        own.append(js_m / mine)
    # from the same start, the page walks exactly as the engine does
    assert np.allclose(ratios, 1.0, atol=0.01)
    # from the house itself (which the site does not know), within 5 % for nine in ten
    own = np.abs(np.array(own) - 1)
    assert np.quantile(own, 0.9) <= 0.05, np.quantile(own, [0.5, 0.9, 1])


# -- accessibility: axe-core on every page state, in every language -----------------------------
def _axe(p: Page) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page; return its violations."""
    if not p.evaluate("typeof window.axe !== 'undefined'"):
        p.add_script_tag(path=str(AXE))
    result = p.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
        resultTypes: ['violations']})""")
    return [{"id": v["id"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


def _states(p: Page, site: Written, lang: str) -> Iterator[str]:
    """Put the page through its states, one after another; yield each one's name."""
    queries = _queries(site, 40)
    yield "opened"
    _search(p, queries["ru"].iloc[0])
    yield "found"
    p.check("#show-bands")
    p.check("#show-catchments")
    yield "layers shown"
    inaccessible = [f["properties"] for f in site.data["layers"]["precincts"]["features"]
                    if f["properties"]["category_wheelchair"] != "accessible"]
    street = site.data["names"]["streets"]
    row = next(r for r in site.data["ranges"]
               if _covers(site.data["segments"], street[r[0]]["s"], r[0], [r[3], 0, 0, 0, 0])
               in {int(q["precinct_id"]) for q in inaccessible})
    town = site.data["names"]["settlements"][street[row[0]]["s"]]["ru"]
    _search(p, f"{town}, {street[row[0]]['ru']}, {row[3]}", "wheelchair")
    yield "found, not accessible for a wheelchair"
    p.select_option("#f-group", "wheelchair")
    p.select_option("#f-minutes", str(site.data["meta"]["bands_min"][-1]))
    yield "list filtered"
    _search(p, "Несуществующая улица 5")
    yield "not found"
    _search(p, f"{town}, {street[row[0]]['ru']}, 9999")
    yield "a house the boundaries do not list"
    _search(p, f"{town}, {street[row[0]]['ru']}")
    yield "no house number"
    ambiguous = next(s["ru"] for s in street
                     if sum(x["ru"] == s["ru"] for x in street) > 1
                     and all(x["s"] != site.data["town"] for x in street if x["ru"] == s["ru"]))
    _search(p, f"{ambiguous} 3")
    yield "which settlement"
    p.goto(p.url.split("#")[0] + "#p" + str(int(inaccessible[0]["precinct_id"])))
    p.reload()
    p.wait_for_selector("html[data-ready='1']")
    p.click(f"#p{int(inaccessible[0]['precinct_id'])} summary")
    yield "a precinct's permalink, its details open"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_finds_no_violation_in_any_state(site: Written, served: str, browser: Browser,
                                             lang: str) -> None:
    # served (axe reads the style sheets, which a page opened from the disk may not fetch)
    p, _, errors = _open(browser, f"{served}/{lang}/index.html")
    seen = []
    for state in _states(p, site, lang):
        violations = _axe(p)
        assert not violations, (lang, state, violations)
        seen.append(state)
    assert len(seen) == 10
    assert not errors


def test_axe_on_the_language_chooser(served: str, browser: Browser) -> None:
    p = browser.new_context().new_page()
    p.goto(f"{served}/index.html")
    assert not _axe(p)
    links = p.locator("a[hreflang]")
    assert links.count() == 3


# -- keyboard, phone, zoom, motion -----------------------------------------------------------
def _focused(p: Page) -> dict[str, str]:
    return p.evaluate("""() => { const e = document.activeElement;
        return {tag: e.tagName.toLowerCase(), id: e.id, cls: String(e.className),
                text: (e.textContent || '').trim().slice(0, 300),
                inMap: !!e.closest('#map')}; }""")


def test_a_keyboard_alone_finds_a_precinct_and_reads_its_accessibility(
        site: Written, served: str, browser: Browser) -> None:
    q = _queries(site, 30).iloc[3]
    p, _, errors = _open(browser, f"{served}/en/index.html")
    p.keyboard.press("Tab")
    assert "skip" in _focused(p)["cls"]  # the first stop: the skip link, shown when focused
    assert p.locator("a.skip").bounding_box()["y"] >= 0  # type: ignore[index]
    p.keyboard.press("Enter")
    p.keyboard.press("Tab")
    assert _focused(p)["id"] == "q"
    p.keyboard.type(q["latin"])
    p.keyboard.press("Tab")
    assert _focused(p)["id"] == "group"
    p.keyboard.press("ArrowDown")  # the first group: wheelchair users
    assert p.eval_on_selector("#group", "e => e.value") == "wheelchair"
    p.keyboard.press("Tab")
    assert _focused(p)["tag"] == "button"
    p.keyboard.press("Enter")
    p.wait_for_function("document.activeElement && document.activeElement.id === 'answer-h'")
    heading = _focused(p)["text"]
    assert heading.endswith(f"№ {q['precinct']}")
    answer = p.inner_text("#answer")
    t = catalogue("en")
    assert t["site.access"] in answer
    assert t["group.wheelchair"] in answer
    props = next(f["properties"] for f in site.data["layers"]["precincts"]["features"]
                 if f["properties"]["precinct_id"] == q["precinct"])
    assert t[f"category.{props['category_wheelchair']}"] in answer
    # on through the answer and the map: the map does not keep the focus
    stops = []
    for _ in range(60):
        p.keyboard.press("Tab")
        stops.append(_focused(p))
        if stops[-1]["id"] == "f-group":
            break
    assert stops[-1]["id"] == "f-group", [s["id"] or s["tag"] for s in stops]
    assert any(s["id"] == "map" for s in stops)
    assert sum(s["inMap"] for s in stops) <= 6  # the map, its two zoom buttons, its credits
    for _ in range(3):  # and back
        p.keyboard.press("Shift+Tab")
    assert _focused(p)["id"] != "f-group"
    assert not errors


@pytest.mark.parametrize(("width", "height"), [(360, 740), (640, 450)])
def test_no_sideways_scrolling_on_a_phone_or_at_200_percent(site: Written, served: str,
                                                            browser: Browser, width: int,
                                                            height: int) -> None:
    # 640 x 450 CSS pixels is a 1280 x 900 window at 200 % zoom
    p, _, _ = _open(browser, f"{served}/kk/index.html", width=width, height=height)
    _search(p, _queries(site, 10)["kk"].iloc[0], "wheelchair")
    p.check("#show-bands")
    overflow = p.evaluate("document.documentElement.scrollWidth - "
                          "document.documentElement.clientWidth")
    assert overflow <= 0
    for selector in ("#q", "#search button", "#map", "#precincts"):
        box = p.locator(selector).bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= width + 0.5


def test_less_motion_for_those_who_ask(site: Written, browser: Browser) -> None:
    url = (site.out / "ru" / "index.html").as_uri()
    calm, _, _ = _open(browser, url, reduced_motion=True)
    busy, _, _ = _open(browser, url)
    options = ("['zoomAnimation', 'fadeAnimation', 'markerZoomAnimation', 'inertia']"
               ".map(k => window.aksugeoSite.map.options[k])")
    assert calm.evaluate(options) == [False] * 4
    assert busy.evaluate(options) == [True] * 4


# -- requests, links, languages --------------------------------------------------------------
def test_no_request_leaves_the_machine(site: Written, served: str, browser: Browser) -> None:
    q = _queries(site, 10)
    for url, origin in ((f"{served}/ru/index.html", served),
                        ((site.out / "ru" / "index.html").as_uri(), "file://")):
        p, requests, errors = _open(browser, url)
        _search(p, q["ru"].iloc[1], "wheelchair")
        p.check("#show-bands")
        p.check("#show-catchments")
        p.click("a.lang[hreflang=kk]")
        p.wait_for_selector("html[data-ready='1'][lang=kk]")
        assert requests
        assert all(r.startswith((origin, "data:")) for r in requests), requests
        assert not errors


def test_a_permalink_opens_a_precinct_and_the_language_links_keep_it(
        site: Written, served: str, browser: Browser) -> None:
    pid = int(site.data["layers"]["precincts"]["features"][7]["properties"]["precinct_id"])
    p, _, _ = _open(browser, f"{served}/ru/index.html#p{pid}")
    assert p.evaluate("location.hash") == f"#p{pid}"
    assert "chosen" in (p.locator(".pin.chosen").get_attribute("class") or "")
    assert p.locator(".pin.chosen").inner_text().strip().endswith(str(pid))
    assert p.get_attribute("a.lang[hreflang=kk]", "href") == f"../kk/index.html#p{pid}"
    # a search's link opens the same answer in another language
    q = _queries(site, 10).iloc[2]
    _search(p, q["ru"], "wheelchair")
    href = p.get_attribute("a.lang[hreflang=kk]", "href")
    assert href is not None
    assert "&g=wheelchair" in href
    p.click("a.lang[hreflang=kk]")
    p.wait_for_selector("html[lang=kk][data-ready='1']")
    p.wait_for_function("document.getElementById('answer').childElementCount > 0")
    assert p.inner_text("#answer-h").endswith(f"№ {q['precinct']} учаске")
    assert p.eval_on_selector("#group", "e => e.value") == "wheelchair"
    assert catalogue("kk")["site.access"] in p.inner_text("#answer")


def test_clerks_hostile_names_stay_text(site: Written, browser: Browser, tmp_path: Path) -> None:
    import shutil  # noqa: PLC0415

    from aksugeo.site import _script  # noqa: PLC0415

    data = json.loads(json.dumps(site.data))
    hostile = "</script><img src=x onerror=alert(1)>{{7*7}}\u2028"
    feature = data["layers"]["precincts"]["features"][0]
    feature["properties"]["name"] = hostile
    feature["properties"]["address"] = '"><svg onload=alert(2)>'
    data["names"]["streets"][0]["ru"] = "<b>ул. Злая</b>"
    out = tmp_path / "s"
    shutil.copytree(site.out, out)
    (out / "data" / "site.js").write_text(_script("AKSUGEO_SITE", data), encoding="utf-8")
    html_ = page(data, "ru")
    assert "<img src=x" not in html_
    assert "<svg onload" not in html_
    (out / "ru" / "index.html").write_text(html_, encoding="utf-8")
    assert "</script><img" not in (out / "data" / "site.js").read_text(encoding="utf-8")
    p, _, errors = _open(browser, (out / "ru" / "index.html").as_uri())
    pid = int(feature["properties"]["precinct_id"])
    assert hostile.replace("\u2028", "") in p.inner_text(f"#p{pid}").replace("\u2028", "")
    assert p.evaluate("document.querySelectorAll('#main img, #main svg[onload]').length") == 0
    assert p.evaluate("window.AKSUGEO_SITE.layers.precincts.features[0].properties.name") \
        == hostile
    assert not errors


def test_every_text_the_script_and_pages_use_is_in_every_catalogue() -> None:
    from aksugeo import site as site_package  # noqa: PLC0415

    root = Path(site_package.__file__).parent
    used = set(re.findall(r"""\bt\(\s*["']((?:site|group|category|item|state)\.[\w.]+)["']""",
                          (root / "static" / "site.js").read_text(encoding="utf-8")))
    used |= set(re.findall(r"""["'](site\.(?!css|js)[\w]+)["']""",
                           (root / "pages.py").read_text(encoding="utf-8")))
    assert len(used) >= 40
    for lang in LANGUAGES:
        missing = {k for k in used if k not in catalogue(lang)}
        assert not missing, (lang, missing)
    # and each catalogue has the same site texts, with the same fields
    keys = {lang: {k for k in catalogue(lang) if k.startswith("site.")} for lang in LANGUAGES}
    assert keys["ru"] == keys["kk"] == keys["en"]
    for k in keys["en"]:
        fields = {lang: set(re.findall(r"\{(\w+)\}", catalogue(lang)[k])) for lang in LANGUAGES}
        assert fields["ru"] == fields["kk"] == fields["en"], k


def test_a_build_with_no_passports_and_no_decision(mini: Path, tmp_path: Path) -> None:
    # the small fixture: two precincts, no passports, no akim's decision
    from aksugeo.build import build  # noqa: PLC0415

    built = build(mini, tmp_path / "out")
    site = export_site(built.gpkg, tmp_path / "site")
    data = _data(site.out)
    assert data["assignment"] == "registry"
    assert data["segments"]
    page_ru = (site.out / "ru" / "index.html").read_text(encoding="utf-8")
    listed = page_ru.split('<script type="application')[0]
    assert listed.count(text("ru", "site.no_passport")) == 5 * len(
        data["layers"]["precincts"]["features"])
    assert text("ru", "site.registry") in listed
