"""The dashboard end to end in headless Chromium, offline, against a running app on 127.0.0.1.

One server for the module (on a copy of the shipped build); each test opens its own browser
context, so its own Streamlit session. The upload test writes to the copy's visit log and runs
last but one; the last test checks every request of every test stayed on this machine.
"""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from aksugeo.app import dashboard as dash
from aksugeo.app.maps import View, dashboard_map
from aksugeo.build import BuildReport, build
from aksugeo.canvass.visitlog import read_visits
from aksugeo.data.io import read_geopackage
from aksugeo.i18n import catalogue, count, percent, text
from aksugeo.passport.report import write_report
from aksugeo.siting.scenarios import propose

from .browser import chromium, dashboard, session
from .conftest import DATA

REQUESTS: list[str] = []
TIMES: dict[str, float] = {}


@pytest.fixture(scope="module")
def server(shipped_build: BuildReport,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("app")
    db = Path(shutil.copy(shipped_build.gpkg, folder / "aksugeo.gpkg"))
    propose(db, minutes=15, add=2)  # a siting scenario: its map sits below the main one
    with dashboard(db, folder) as url:
        yield url, db


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


def within(lang: str, minutes: int, *, reduced: bool = False) -> str:
    speed = text(lang, "app.speed_reduced", speed="3") if reduced else \
        text(lang, "app.speed_normal", speed="4,5" if lang != "en" else "4.5")
    return text(lang, "app.metric_within", minutes=minutes, speed=speed)


def shown(lang: str, ref: dict[str, float], minutes: int) -> str:
    """A metric of voters within so many minutes as the page writes it."""
    return text(lang, "app.value_share", share=percent(lang, ref[f"within_{minutes}_pct"]),
                count=count(lang, ref[f"within_{minutes}"]))


def reference(db: Path, filters: dash.Filters) -> dict[str, float]:
    data = dash.load(db)
    return dash.metrics(data, filters, dash.coverage(data, None))


def test_map_renders_with_every_precinct(server: tuple[str, Path], browser: Browser,
                                         tmp_path: Path) -> None:
    url, db = server
    t = catalogue("ru")
    with session(browser, url) as s:
        TIMES["first_visit_s"] = s.open()  # the server's first session: caches are cold
        assert s.markers() == 40
        legend = s.map.locator(".aksugeo-legend")
        expect(legend).to_contain_text(t["category.not_accessible"])
        # streets are the base (always on); the overlays a filter swaps are in the control,
        # the canvass coverage and the household density hidden until asked for
        layers = s.map.locator(".leaflet-control-layers-overlays label")
        expect(layers).to_have_count(7)
        # the akim's decision's conflicts at their households, shown
        expect(layers.filter(has_text=t["app.layer_conflicts"]).locator("input")).to_be_checked()
        expect(s.map.locator(".conflict-marker")).to_have_count(3)
        expect(layers.first).to_contain_text(text("ru", "app.layer_bands", minutes=15))
        expect(layers.filter(has_text=t["app.layer_covered"]).locator("input")).not_to_be_checked()
        expect(layers.filter(has_text=t["app.layer_gaps"]).locator("input")).to_be_checked()
        # the category is a shape as well as a colour: 586 (not accessible) is a ring, 562
        # (partly) half filled, 560 (accessible) filled
        styles = {pid: s.map.locator(f".precinct-{pid} .aksugeo-dot").evaluate(
            "d => [getComputedStyle(d).backgroundColor, getComputedStyle(d).backgroundImage]")
            for pid in (586, 562, 560)}
        assert styles[586][0] == "rgb(255, 255, 255)"
        assert "linear-gradient" in styles[562][1]
        assert styles[560][0] not in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")
        assert styles[560][1] == "none"
        ref = reference(db, dash.Filters())
        assert s.metric(within("ru", 10)) == shown("ru", ref, 10)
        assert s.metric(t["app.metric_accessible"]) == f"{ref['accessible']} / 40"
        TIMES["next_visit_s"] = s.open()
        assert s.markers() == 40
        s.tab(t["app.scenario_title"])
        scenario = s.page.locator(".aksugeo-map").nth(1)
        expect(scenario.locator(".siting-added")).to_have_count(2)
        s.page.screenshot(path=tmp_path / "dashboard.png")
        REQUESTS.extend(s.requests)
    assert (tmp_path / "dashboard.png").stat().st_size > 50_000


def test_switching_language_changes_the_labels(server: tuple[str, Path],
                                               browser: Browser) -> None:
    url, _ = server
    with session(browser, url) as s:
        s.open()
        for lang, name in (("kk", "Қазақша"), ("en", "English")):
            t = catalogue(lang)
            s.choose("Язык · Тіл · Language", name)
            expect(s.page.get_by_role("heading", level=3)).to_have_text(t["app.title"])
            expect(s.page.locator(".aksugeo-figure").first).to_contain_text(within(lang, 10))
            expect(s.map.locator(".leaflet-control-layers-overlays")).to_contain_text(
                t["app.layer_precincts"])
            expect(s.page.get_by_test_id("stMultiSelect").first).to_contain_text(
                t["app.area_type"])
        REQUESTS.extend(s.requests)


def test_a_filter_changes_the_metrics_and_the_map(server: tuple[str, Path],
                                                  browser: Browser) -> None:
    url, db = server
    t = catalogue("ru")
    rural = reference(db, dash.Filters(area_types=("rural",)))
    assert rural["precincts"] == 18
    with session(browser, url) as s:
        s.open()
        # the planner shows the coverage layer: a filter must keep it shown
        s.map.locator(".leaflet-control-layers-overlays label").filter(
            has_text=t["app.layer_covered"]).locator("input").check()
        s.map.evaluate("m => { m.dataset.probe = 'kept'; }")
        start = s.choose(t["app.area_type"], t["area.rural"], multi=True)
        s.wait_metric(t["app.metric_accessible"], f"{rural['accessible']} / {rural['precincts']}")
        TIMES["filter_metrics_s"] = time.perf_counter() - start
        s.wait_markers(18)
        TIMES["filter_map_s"] = time.perf_counter() - start
        # the table below keeps the same precincts, the most voters beyond the band first
        table = dash.precinct_table(dash.load(db), dash.Filters(area_types=("rural",)),
                                    dash.coverage(dash.load(db), None), "ru")
        expect(s.page.locator(".aksugeo-table tbody tr")).to_have_count(18)
        assert s.page.locator(".aksugeo-table tbody th").all_inner_texts() == [
            str(i) for i in table["precinct_id"]]
        assert s.metric(within("ru", 10)) == shown("ru", rural, 10)
        assert s.metric(within("ru", 15)) == shown("ru", rural, 15)
        normal = text("ru", "app.speed_normal", speed="4,5")
        assert s.metric(text("ru", "app.metric_beyond", minutes=15, speed=normal)) == \
            count("ru", rural["beyond"])
        # the map was not drawn again, only its overlays swapped; the coverage layer stayed on
        assert s.map.evaluate("m => m.dataset.probe") == "kept"
        expect(s.map.locator(".leaflet-control-layers-overlays label").filter(
            has_text=t["app.layer_covered"]).locator("input")).to_be_checked()
        # the reduced-mobility speed lowers the share within 10 minutes
        slow = reference(db, dash.Filters(area_types=("rural",), reduced=True))
        s.page.get_by_test_id("stRadio").get_by_text(
            text("ru", "app.speed_reduced", speed="3")).click()
        s.wait_metric(within("ru", 10, reduced=True), shown("ru", slow, 10))
        assert slow["within_10_pct"] < rural["within_10_pct"]
        # parts the script lost (as a rerun's message it never drew) are asked for and sent again
        s.page.evaluate("() => window.aksugeoMap.parts.clear()")
        s.choose(t["app.area_type"], t["area.urban"], multi=True)
        s.wait_markers(40)
        assert s.page.evaluate("() => window.aksugeoMap.parts.size") > 40
        REQUESTS.extend(s.requests)


def test_clicking_a_precinct_selects_it(server: tuple[str, Path], browser: Browser) -> None:
    url, db = server
    t = catalogue("ru")
    one = reference(db, dash.Filters(precinct=586))
    with session(browser, url) as s:
        s.open()
        s.map.locator(".precinct-586").click()
        box = s.page.get_by_test_id("stSelectbox").filter(
            has_text=t["app.precinct"]).get_by_role("combobox")
        expect(box).to_have_value(re.compile("^№ 586 · "))
        s.wait_metric(t["app.metric_accessible"], f"{one['accessible']} / 1")
        expect(s.map.locator(".precinct-marker")).to_have_count(1)
        # one click: the precinct is chosen and its popup stays open through the page's rerun
        expect(s.map.locator(".leaflet-popup-content", has_text="№ 586 · ")).to_have_count(1)
        # the search box finds a precinct by its number, and an address
        s.page.get_by_label(t["app.search"]).fill("590")
        s.page.keyboard.press("Enter")
        expect(box).to_have_value(re.compile("^№ 590 · "))
        REQUESTS.extend(s.requests)


def test_a_clerks_hostile_name_is_shown_as_text(server: tuple[str, Path], browser: Browser,
                                                tmp_path: Path) -> None:
    # a name and an address as a hostile clerk might type them: no dialog opens, no element is
    # made from them, and the map shows them as they were typed
    _, db = server
    data = dash.load(db)
    p = data.precincts.head(2).copy()
    name = "</script><img src=x onerror=alert(1)>{{7*7}}"
    address = '"><svg onload=alert(2)>\u2028\'); alert(3); //'
    p.loc[p.index[0], "name"], p.loc[p.index[0], "address"] = name, address
    page = dashboard_map(p, {}, [], View.of_build(data.settings, "en")).save(
        tmp_path / "map.html")
    context = browser.new_context()
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tab.goto(page.as_uri())
    pid = int(p["precinct_id"].iloc[0])
    marker = tab.locator(f".precinct-{pid}")
    marker.hover()
    expect(tab.locator(".leaflet-tooltip")).to_have_text(f"№ {pid} · {name}")
    marker.click()
    popup = tab.locator(".leaflet-popup-content")
    expect(popup).to_contain_text(name)
    expect(popup).to_contain_text(address.replace("\u2028", "").split("'")[0][:10])
    assert tab.locator("img[src=x], svg[onload]").count() == 0
    tab.wait_for_timeout(300)
    assert dialogs == []
    context.close()


def test_a_table_shows_its_cells_as_text_and_sorts_by_a_header(browser: Browser) -> None:
    # the page's tables are the script of aksugeo/app/static/table/table.js: cells are set as
    # text; a click on a header sorts by it (numbers largest first, the empty last), and again
    # the other way; the reader's order is kept when the page sends the table again
    script = (Path(dash.__file__).parent / "static" / "table" / "table.js").read_text(
        encoding="utf-8").replace("export default function", "window.drawTable = function")
    hostile = "</script><img src=x onerror=alert(1)>{{7*7}}"
    spec = json.dumps({"caption": "t", "columns": [{"label": "№", "numeric": True},
                                                   {"label": "name", "numeric": False},
                                                   {"label": "voters", "numeric": True}],
                       "rows": [["1", hostile, "10"], ["2", "b", ""], ["3", "a", "30"]],
                       "keys": [[1, hostile, 10], [2, "b", None], [3, "a", 30]]})
    context = browser.new_context()
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tab.set_content("<div id=box></div>")
    tab.add_script_tag(content=script)
    draw = "s => window.drawTable({data: s, parentElement: document.getElementById('box')})"
    tab.evaluate(draw, spec)
    rows = tab.locator("tbody tr")
    assert rows.nth(0).locator("td").first.inner_text() == hostile
    assert tab.locator("img[src=x]").count() == 0

    def ids() -> list[str]:
        return tab.locator("tbody th").all_inner_texts()

    voters = tab.get_by_role("button", name="voters")
    voters.click()
    assert ids() == ["3", "1", "2"]
    assert tab.locator("th[aria-sort=descending]").inner_text().startswith("voters")
    tab.get_by_role("button", name="voters").click()
    assert ids() == ["1", "3", "2"]  # the empty last either way
    tab.get_by_role("button", name="name").click()
    assert ids() == ["1", "3", "2"]  # words from A ('<' before letters)
    tab.evaluate(draw, spec)  # a rerun sends the same table: the reader's order stays
    assert ids() == ["1", "3", "2"]
    assert dialogs == []
    context.close()


def test_the_printed_report_shows_a_hostile_name_as_text(browser: Browser, mini: Path,
                                                         tmp_path: Path) -> None:
    # the report's pages and their map (an SVG put in as it is) with a clerk's hostile name
    # and address: no script runs, and the words are shown as typed
    name = "<script>alert(1)</script><img src=x onerror=alert(2)>{{7*7}}"
    address = '"><svg onload=alert(3)> ${alert(4)}'
    for name_csv in ("passports.csv", "passport_remedies.csv"):  # the mini precincts' rows
        rows = (DATA / name_csv).read_text(encoding="utf-8").splitlines()
        (mini / name_csv).write_text("\n".join(
            [rows[0], *(r for r in rows[1:] if r.split(",")[0] in ("560", "582"))]) + "\n",
            encoding="utf-8")
    path = mini / "precincts.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["features"][0]["properties"].update(name=name, address=address)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    gpkg = build(mini, tmp_path / "out").gpkg
    pages = write_report(gpkg, tmp_path / "report", lang="ru")
    assert len(pages) >= 2
    context = browser.new_context()
    dialogs: list[str] = []
    context.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    shown = 0
    for page_path in pages:
        tab = context.new_page()
        tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        tab.goto(Path(page_path).resolve().as_uri())
        tab.wait_for_load_state("load")
        assert tab.locator("img[src=x], svg[onload], body script").count() == 0
        body = tab.locator("body").inner_text()
        shown += name in body  # as typed: the braces too, so no template ran on it
        tab.close()
    tab = context.new_page()
    tab.goto(Path(pages[0]).resolve().as_uri())
    tab.wait_for_timeout(300)
    context.close()
    assert dialogs == []
    assert shown >= 1


def test_an_upload_goes_through_the_import_and_updates_coverage(
        server: tuple[str, Path], browser: Browser, tmp_path: Path) -> None:
    url, db = server
    t = catalogue("ru")
    homes = read_geopackage(db, "households")
    fresh = homes.loc[~homes["covered"].astype(bool), "household_id"].head(40).tolist()
    before = len(read_visits(db))
    upload = tmp_path / "team_7.csv"
    with upload.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["household_id", "date", "wave", "team", "outcome", "voters_reached"])
        w.writerows([h, "2019-05-27", 2, "Бригада 7", "talked", 1] for h in fresh)
        w.writerow(["PH-99999", "2019-05-27", 2, "Бригада 7", "talked", 1])
    covered = int(homes["covered"].astype(bool).sum()) + len(fresh)
    want = text("ru", "app.value_of", share=percent("ru", 100 * covered / len(homes)),
                count=count("ru", covered), total=count("ru", len(homes)))
    with session(browser, url) as s:
        s.open()
        label = t["app.metric_coverage"].split("{")[0]
        assert s.metric(label) != want
        s.tab(t["app.tab_canvass"])
        # the drop zone speaks the page's language, not Streamlit's English
        zone = s.page.get_by_test_id("stFileUploaderDropzone")
        expect(zone.get_by_test_id("stFileUploaderDropzoneInstructions")).to_be_hidden()
        assert zone.locator("button").evaluate(
            "b => getComputedStyle(b, '::after').content") == f'"{t["app.upload_choose"]}"'
        for imported, already in ((40, 0), (0, 40)):  # the second time, nothing new
            s.page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(upload)
            s.page.get_by_role("button", name=t["app.upload_button"], exact=True).click()
            note = t["app.upload_done"].format(imported=imported, already=already, rejected=1,
                                               total=before + 40)
            expect(s.page.get_by_test_id("stAlert").filter(has_text=note)).to_be_visible(
                timeout=90_000)
            expect(s.page.get_by_test_id("stDataFrame").last).to_contain_text("PH-99999")
            s.wait_metric(label, want)
            assert len(read_visits(db)) == before + 40
        REQUESTS.extend(s.requests)


def test_on_a_phone_the_map_comes_first(server: tuple[str, Path], browser: Browser) -> None:
    # once: the sidebar covered 77% of a phone's screen and stayed open
    url, _ = server
    t = catalogue("ru")
    with session(browser, url, width=390, height=844) as s:
        s.open()
        assert s.page.get_by_test_id("stSidebar").count() == 0
        box = s.map.bounding_box()
        first_filter = s.page.get_by_test_id("stSelectbox").filter(
            has_text=t["app.precinct"]).bounding_box()
        assert box is not None
        assert first_filter is not None
        assert box["y"] < 400  # the title, then the map
        assert box["width"] > 330
        assert first_filter["y"] > box["y"] + box["height"]  # the filters under it
        # the layer list folded into its button, not over the map
        expect(s.map.locator(".leaflet-control-layers")).not_to_have_class(
            re.compile("leaflet-control-layers-expanded"))
        expect(s.map.locator(".leaflet-control-layers-list")).to_be_hidden()
        REQUESTS.extend(s.requests)


def test_the_address_is_a_link_to_the_view(server: tuple[str, Path], browser: Browser) -> None:
    url, _ = server
    with session(browser, url) as s:
        s.open()
        s.choose(catalogue("ru")["app.area_type"], catalogue("ru")["area.rural"], multi=True)
        s.wait_markers(18)
        expect(s.page).to_have_url(re.compile(r"[?&]area=rural"))
        link = s.page.url
    with session(browser, link + "&lang=kk") as s:  # a colleague opens it, in Kazakh
        s.page.goto(s.url)
        s.wait_markers(18)
        expect(s.page.get_by_role("heading", level=3)).to_have_text(catalogue("kk")["app.title"])
        REQUESTS.extend(s.requests)


def test_the_view_prints_as_it_shows(server: tuple[str, Path], browser: Browser,
                                     tmp_path: Path) -> None:
    url, db = server
    t = catalogue("kk")
    rural = reference(db, dash.Filters(area_types=("rural",)))
    with session(browser, url) as s:
        s.open()
        s.language("kk")
        s.choose(t["app.area_type"], t["area.rural"], multi=True)
        s.wait_markers(18)
        s.tab(t["app.downloads"])
        page = s.download(t["app.download_print"], tmp_path).read_text(encoding="utf-8")
        # the figures as the page shows them, the filter said, the 18 precincts listed
        assert html.escape(shown("kk", rural, 10)) in page
        assert f"{t['app.area_type']}: {t['area.rural']}" in page
        assert page.count("<tr>") == (1 + 6) + (1 + 18)  # figures (head, six), precincts
        assert "1\u00a0189" in page  # № 585's voters, as Kazakh writes them
        assert t["report.synthetic"] in page
        REQUESTS.extend(s.requests)


def test_no_request_left_the_machine(server: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = server
    assert len(REQUESTS) > 100
    away = [u for u in REQUESTS if not u.startswith((url, "data:", "blob:", "about:"))]
    assert away == []
    # what the browser asked for the map came from the app itself
    assert any(u.endswith("/app/static/vendor/leaflet-1.9.4/leaflet.js") for u in REQUESTS)
    (tmp_path / "times.json").write_text(json.dumps(TIMES), encoding="utf-8")
    print("dashboard timings (s):", json.dumps(TIMES))

