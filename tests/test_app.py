"""The dashboard's logic through Streamlit's AppTest (no browser): figures, filters, languages."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from aksugeo.app import cache
from aksugeo.app import dashboard as dash
from aksugeo.app.maps import View, dashboard_map
from aksugeo.boundaries.commands import check_build
from aksugeo.build import BuildReport, build
from aksugeo.canvass.coverage import household_coverage
from aksugeo.canvass.visitlog import import_visits, read_visits
from aksugeo.i18n import LANGUAGES, catalogue, count, percent, text
from aksugeo.siting.scenarios import propose

from .conftest import DATA, ROOT, figures

PAGE = ROOT / "aksugeo" / "app" / "page.py"


# every part of a map the page sent, by its reference (a hash of its text: shared safely)
PARTS: dict[str, object] = {}
DATA_FIELD = {"shapes": "data", "markers": "items", "heat": "points"}


def app(monkeypatch: pytest.MonkeyPatch, *args: str) -> AppTest:
    # AppTest has no command line: the page reads --gpkg from argv as `streamlit run` passes it
    monkeypatch.setattr(sys, "argv", ["page.py", *args])
    at = AppTest.from_file(str(PAGE), default_timeout=120)
    run = at._run  # noqa: SLF001  (every run, a widget's included, goes through it)

    def run_and_keep(*a: object, **kw: object) -> AppTest:  # as the map script keeps them
        out = run(*a, **kw)  # type: ignore[arg-type]
        for spec in _sent(out):
            PARTS.update(spec.get("parts", {}))
        return out

    at._run = run_and_keep  # type: ignore[method-assign]  # noqa: SLF001
    return at


@pytest.fixture(scope="module")
def db(shipped_build: BuildReport, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(shutil.copy(shipped_build.gpkg, tmp_path_factory.mktemp("app") / "a.gpkg"))


def metrics(at: AppTest) -> dict[str, str]:
    return figures(at)


NORMAL = text("ru", "app.speed_normal", speed="4,5")


def within(minutes: int, speed: str = NORMAL) -> str:
    return text("ru", "app.metric_within", minutes=minutes, speed=speed)


def beyond(minutes: int, speed: str = NORMAL) -> str:
    return text("ru", "app.metric_beyond", minutes=minutes, speed=speed)


def shown(ref: dict[str, float], minutes: int) -> str:
    """A metric of voters within so many minutes as the page writes it in Russian."""
    return text("ru", "app.value_share", share=percent("ru", ref[f"within_{minutes}_pct"]),
                count=count("ru", ref[f"within_{minutes}"]))


def _sent(at: AppTest) -> list[dict]:
    specs = [json.loads(e.proto.json) for e in at.main  # type: ignore[attr-defined]
             if getattr(e, "type", "") == "bidi_component"]
    return [json.loads(s) if isinstance(s, str) else s for s in specs]


def tables(at: AppTest) -> list[dict]:
    """The descriptions the page hands its HTML tables (component.table_text)."""
    return [s for s in _sent(at) if "columns" in s]


def map_specs(at: AppTest) -> list[dict]:
    """The descriptions the page hands its maps (the main map first, then a scenario's).

    The main map's comes as JSON text with references to parts sent once in the session
    (:class:`aksugeo.app.maps.Parts`): here they are put back in place, as the map script
    does, so each description is whole. A scenario's comes whole, as a mapping.
    """
    out = []
    for spec in (s for s in _sent(at) if "base" in s):
        if "part" in spec["base"]:
            spec["base"] = PARTS[spec["base"]["part"]]
        for o in spec["overlays"]:
            if "parts" in o:
                pieces = [x for ref in o.pop("parts") for x in PARTS[ref]]  # type: ignore[attr-defined]
                o[DATA_FIELD[o["kind"]]] = ({"type": "FeatureCollection", "features": pieces}
                                            if o["kind"] == "shapes" else pieces)
        out.append(spec)
    return out


def markers(spec: dict) -> list[dict]:
    return [i for o in spec["overlays"] if o["kind"] == "markers" and o["key"] != "conflicts"
            for i in o["items"]]


def test_page_shows_the_figures_of_the_build(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(monkeypatch, "--gpkg", str(db))
    at.run()
    assert not at.exception
    t = catalogue("ru")
    assert at.subheader[0].value == t["app.title"]
    assert t["app.synthetic"] in at.caption[0].value
    data = dash.load(db)
    ref = dash.metrics(data, dash.Filters(), dash.coverage(data, None))
    got = metrics(at)
    assert got[within(10)] == shown(ref, 10) == "93,9\u00a0% (50\u00a0172)"
    assert got[within(15)] == "99,6\u00a0% (53\u00a0204)"
    assert got[t["app.metric_coverage"].format(day="27.05.2019")] == \
        "74,7\u00a0% (4\u00a0867 из 6\u00a0515)"
    assert got[t["app.metric_accessible"]] == "27 / 40"
    # voters beyond the band the planner chose (15 minutes at first), with a walk
    h = data.households
    assert got[beyond(15)] == "209" == str(
        h.loc[(h["status"] == "ok") & (h["walk_assigned_min"] > 15), "voters"].sum())
    assert got[t["app.metric_voters"]] == "53\u00a0413"
    # the map: every precinct, Leaflet from the app itself, nothing from a CDN
    (spec,) = map_specs(at)
    assert sorted(m["id"] for m in markers(spec)) == sorted(data.precincts["precinct_id"])
    assert [o["key"] for o in spec["overlays"]] == ["bands", "catchments", "coverage", "gaps",
                                                    "households", "conflicts", "precincts"]
    # the akim's decision's conflicts at their households (the three the generator planted)
    (conflicts,) = [o for o in spec["overlays"] if o["key"] == "conflicts"]
    assert sorted((m["id"], m["tooltip"]) for m in conflicts["items"]) == [
        (560, "Адрес в двух участках: г. Аксу, ул. Победы, д. 1"),
        (563, "Адрес вне участков: г. Аксу, ул. Ленина, д. 86"),
        (563, "Адрес вне участков: г. Аксу, ул. Луговая, д. 63")]
    assert spec["static_url"] == "/app/static/vendor"
    assert spec["base"]["tiles"] is None
    assert not re.search(r"https?://", json.dumps(spec))
    # the density layer carries every household's voters, and the view frames every precinct
    (heat,) = [o for o in spec["overlays"] if o["kind"] == "heat"]
    assert len(heat["points"]) == len(data.households)
    assert sum(p[2] for p in heat["points"]) == data.households["voters"].sum()
    x0, y0, x1, y1 = data.precincts.total_bounds
    (south, west), (north, east) = spec["view"]["bounds"]
    assert [south, west, north, east] == pytest.approx([y0, x0, y1, x1], abs=1e-5)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_labels_the_page(lang: str, db: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(monkeypatch, "--gpkg", str(db))
    at.run()
    at.selectbox(key="lang").set_value(lang).run()
    assert not at.exception
    t = catalogue(lang)
    assert at.subheader[0].value == t["app.title"]
    assert t["app.metric_accessible"] in metrics(at)
    assert at.multiselect(key="area").label == t["app.area_type"]
    assert at.multiselect(key="area").options == [t["area.urban"], t["area.rural"]]


def test_filters_change_the_figures(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    t = catalogue("ru")
    data = dash.load(db)
    at = app(monkeypatch, "--gpkg", str(db))
    at.run()
    for key, value, filters in (
            ("area", ["rural"], dash.Filters(area_types=("rural",))),
            ("categories", ["not_accessible"], dash.Filters(area_types=("rural",),
                                                            categories=("not_accessible",)))):
        at.multiselect(key=key).set_value(value).run()
        ref = dash.metrics(data, filters, dash.coverage(data, None))
        got = metrics(at)
        assert got[within(10)] == shown(ref, 10)
        assert got[t["app.metric_accessible"]] == f"{ref['accessible']} / {ref['precincts']}"
    assert got[t["app.metric_accessible"]] == "0 / 3"  # 586, 591, 593: rural, not accessible
    at.multiselect(key="area").set_value([]).run()
    at.multiselect(key="categories").set_value([]).run()
    # an earlier day: coverage counted from the visit log as it stood then
    day = pd.Timestamp("2019-05-20")
    at.slider(key="as_of").set_value(day.date()).run()
    cov = household_coverage(data.households, data.visits, day)
    assert metrics(at)[t["app.metric_coverage"].format(day="20.05.2019")] == text(
        "ru", "app.value_of", share=percent("ru", 100 * cov["covered"].mean()),
        count=count("ru", cov["covered"].sum()), total=count("ru", len(cov)))
    assert not at.exception


def test_a_filter_sends_references_not_the_map_again(db: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # each precinct's part of each layer goes to the browser once a session; a filter that keeps
    # other precincts then sends their references only (it sent 460 KB of layers every time)
    data = dash.load(db)
    at = app(monkeypatch, "--gpkg", str(db))
    at.run()
    (first,) = [s for s in _sent(at) if "base" in s]
    (whole,) = map_specs(at)
    assert set(first["parts"]) == {r for o in first["overlays"] for r in o["parts"]} | {
        first["base"]["part"]}
    at.multiselect(key="area").set_value(["rural"]).run()
    (second,) = [s for s in _sent(at) if "base" in s]
    assert second["parts"] == {}
    assert len(json.dumps(second)) < len(json.dumps(first)) / 20
    (spec,) = map_specs(at)
    rural = data.precincts.loc[data.precincts["area_type"] == "rural", "precinct_id"]
    assert len(rural) == 18
    assert sorted(m["id"] for m in markers(spec)) == sorted(rural)
    # the table picks the same precincts' rows from the whole table, in the same order
    (table,) = tables(at)
    ref = dash.precinct_table(data, dash.Filters(area_types=("rural",)),
                              dash.coverage(data, None), "ru")
    assert [int(k[0]) for k in table["keys"]] == ref["precinct_id"].tolist()
    assert len(table["rows"]) == 18
    voters = [c["label"] for c in table["columns"]].index(catalogue("ru")["app.col_voters"])
    assert [r[voters] for r in table["rows"]] == [count("ru", v) for v in ref["voters"]]
    assert table["columns"][voters]["numeric"]
    assert markers(spec) == [m for m in markers(whole) if m["id"] in set(rural)]
    by_key = {o["key"]: o for o in spec["overlays"]}
    assert {f["properties"]["precinct_id"] for f in by_key["bands"]["data"]["features"]} == \
        set(rural)
    homes = data.households[data.households["precinct_id"].isin(rural)]
    assert len(by_key["households"]["points"]) == len(homes)
    assert sum(p[2] for p in by_key["households"]["points"]) == homes["voters"].sum()
    # a smaller band: only the bands' parts are new, and they stop at 10 minutes
    at.select_slider(key="band").set_value(10).run()
    (third,) = [s for s in _sent(at) if "base" in s]
    assert third["parts"]
    new = [x for part in third["parts"].values() for x in part]
    assert {f["properties"]["minutes"] for f in new} == {5, 10}
    (spec,) = map_specs(at)
    bands = next(o for o in spec["overlays"] if o["key"] == "bands")
    assert len(bands["data"]["features"]) == 2 * 18
    assert not at.exception


def test_the_page_builds_what_is_missing(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    gpkg = tmp_path / "out" / "aksugeo.gpkg"
    at = app(monkeypatch, "--gpkg", str(gpkg), "--data", str(DATA))
    at.run()
    assert not at.exception
    assert gpkg.is_file()
    assert metrics(at)[catalogue("ru")["app.metric_accessible"]] == "27 / 40"


def test_page_says_what_to_do_without_a_build_or_data(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(monkeypatch, "--gpkg", str(tmp_path / "none.gpkg"), "--data",
             str(tmp_path / "nodata"))
    at.run()
    assert not at.exception
    assert at.error[0].value == f"{tmp_path / 'none.gpkg'}: {catalogue('ru')['app.no_build']}"
    assert "`aksugeo build`" in at.error[0].value


def test_every_text_the_page_uses_is_in_every_catalogue() -> None:
    used: set[str] = set()
    for path in (PAGE, *(ROOT / "aksugeo" / "app" / f for f in ("maps.py", "dashboard.py"))):
        source = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bt\[["']([a-z_]+\.[a-z_0-9.]+)["']\]""", source))
        used |= set(re.findall(r"""text\(lang, ["']([a-z_]+\.[a-z_0-9.]+)["']""", source))
    assert len(used) > 40
    for lang in LANGUAGES:
        missing = used - set(catalogue(lang))
        assert not missing, (lang, missing)


def test_the_page_shows_a_siting_scenario(db: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    copy = Path(shutil.copy(db, tmp_path / "s.gpkg"))
    t = catalogue("en")
    at = app(monkeypatch, "--gpkg", str(copy))
    at.run()
    # below the map, only the open tab runs: the scenario is not computed until asked for
    assert [tab.label for tab in at.tabs] == [catalogue("ru")[k] for k in (
        "app.table_title", "app.tab_lists", "app.tab_access", "app.tab_move",
        "app.tab_canvass", "app.scenario_title", "app.downloads")]
    assert catalogue("ru")["app.scenario_none"] not in [c.value for c in at.caption]
    at.session_state["tab_ru"] = catalogue("ru")["app.scenario_title"]
    at.run()
    assert catalogue("ru")["app.scenario_none"] in [c.value for c in at.caption]
    assert len(map_specs(at)) == 1
    scenario = propose(copy, minutes=15, add=2)
    at = app(monkeypatch, "--gpkg", str(copy))
    at.run()
    at.selectbox(key="lang").set_value("en").run()
    at.session_state["tab_en"] = t["app.scenario_title"]
    at.run()
    assert not at.exception
    assert any("add 2 at 15 min (highs)" in c.value for c in at.caption)
    maps = map_specs(at)
    assert len(maps) == 2  # today's map, and the scenario's beside its figures
    kinds = [m["cls"] for m in markers(maps[1])]
    assert kinds.count("siting-added") == 2
    assert kinds.count("siting-kept") + kinds.count("siting-closed") == 40
    label = text("en", "app.fig_within", minutes=15)
    (shown,) = [d.value for d in at.dataframe if label in d.value.index]
    assert shown.loc[label, t["app.state_proposed"]] == \
        scenario.table.loc["proposed", "within_15_pct"]
    # the proposal as the akim's decision writes it, and whose precinct changes
    labels = [b.proto.label for b in at.get("download_button")]
    assert [t["app.download_decision"], t["app.download_changes"],
            t["app.download_notices"]] == labels[:3]
    files = cache.proposal_annex(str(copy), cache.stamp(copy), "ru")  # what the buttons give
    assert sorted(files) == ["boundaries_ru.docx", "boundaries_ru.html", "boundaries_ru.txt",
                             "changes.csv", "notices_ru.html", "segments.csv"]
    assert scenario.assignment is not None
    docx = tmp_path / "d.docx"
    docx.write_bytes(files["boundaries_ru.docx"])
    assert check_build(copy, docx, write=False).applied.assignment["precinct_id"].tolist() == \
        scenario.assignment["precinct_id"].tolist()


def test_the_page_before_the_canvass_starts(mini: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    log = mini / "canvass" / "visits.csv"
    log.write_text(log.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    gpkg = build(mini, tmp_path / "out").gpkg
    at = app(monkeypatch, "--gpkg", str(gpkg))
    at.run()
    assert not at.exception
    t = catalogue("ru")
    (value,) = [v for k, v in metrics(at).items() if k.startswith(t["app.metric_coverage"][:10])]
    assert value.startswith("0,0\u00a0% (0 из ")
    assert not at.slider  # one day: no slider to move


def test_the_page_follows_the_builds_bands_and_speeds(custom_build: BuildReport,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # once: the page wrote 10, 15 and 20 minutes and 4.5 km/h whatever the build used, and a
    # build without a 10-minute band ended in KeyError 'within_10_pct'
    at = app(monkeypatch, "--gpkg", str(custom_build.gpkg))
    at.run()
    assert not at.exception
    data = dash.load(custom_build.gpkg)
    assert data.figure_bands == (5, 20)
    ref = dash.metrics(data, dash.Filters(), dash.coverage(data, None))
    got = metrics(at)
    slow = text("ru", "app.speed_normal", speed="3,6")
    assert got[within(5, slow)] == shown(ref, 5)
    assert got[within(20, slow)] == shown(ref, 20)
    assert got[beyond(20, slow)] == count("ru", ref["beyond"])
    h = data.households
    assert ref["beyond"] == int(h.loc[(h["status"] == "ok") & (h["walk_assigned_min"] > 20),
                                      "voters"].sum())
    assert not any("10" in label or "15" in label for label in got)
    assert list(at.select_slider(key="band").options) == ["5", "20", "30"]
    assert at.select_slider(key="band").value == 20
    assert at.radio(key="profile").options[0] == "обычная (3,6 км/ч)"
    (spec,) = map_specs(at)
    script = json.dumps(spec, ensure_ascii=False)
    assert "пешком, 3,6 км/ч" in script  # the popups' speed
    assert text("ru", "report.within", minutes=20) in script
    assert text("ru", "report.within", minutes=10) not in script
    (table,) = tables(at)
    headers = [c["label"] for c in table["columns"]]
    assert text("ru", "app.col_within_pct", minutes=20) in headers
    assert text("ru", "app.col_beyond", minutes=20) in headers


def test_a_clerks_hostile_name_stays_data_in_the_maps_page(db: Path) -> None:
    # the map's page carries the description as JSON in a script: nothing in it may end the
    # script or start markup (the browser test checks that it is shown as text)
    data = dash.load(db)
    p = data.precincts.head(3).copy()
    p.loc[p.index[0], "name"] = "</script><img src=x onerror=alert(1)>{{7*7}}"
    p.loc[p.index[1], "address"] = '"><svg onload=alert(2)>\u2028'
    view = View.of_build(data.settings, "en", selected=int(p["precinct_id"].iloc[0]))
    page = dashboard_map(p, {}, [], view).html()
    assert "<img src=x" not in page
    assert "<svg onload" not in page
    assert page.count("</script>") == page.count("<script>")  # none ends early
    assert "\u2028" not in page  # a line separator ends a JavaScript string in older engines
    spec = json.loads(re.search(r"getElementById\('aksugeo-map'\), (\{.*\}), \{\}\);</script>",
                                page).group(1))
    items = markers(spec)
    assert items[0]["tooltip"] == f"№ {p['precinct_id'].iloc[0]} · {p['name'].iloc[0]}"
    assert items[0]["popup"]["title"] == items[0]["tooltip"]
    assert items[1]["popup"]["lines"][0][1] == '"><svg onload=alert(2)>\u2028'
    assert items[0]["size"] > items[1]["size"]  # the selected precinct stands out


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_teams_template_imports_as_it_is(lang: str, db: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # issue 21: there was no template; this one is written as a team's spreadsheet writes it
    copy = Path(shutil.copy(db, tmp_path / "t.gpkg"))
    data = dash.load(copy)
    template = dash.visits_template(data, lang, dash.coverage(data, None))
    assert template.startswith("\ufeffhousehold_id;date;".encode())
    path = tmp_path / "template.csv"
    path.write_bytes(template)
    report = import_visits(path, copy)
    assert (report.imported, report.rejected) == (2, 0)
    outcomes = read_visits(copy)["outcome"].tail(2).tolist()
    assert outcomes == ["talked", "not_home"]
    at = app(monkeypatch, "--gpkg", str(copy))
    at.run()
    at.selectbox(key="lang").set_value(lang).run()
    at.session_state[f"tab_{lang}"] = catalogue(lang)["app.tab_canvass"]
    at.run()
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert catalogue(lang)["app.upload_template"] in labels


def test_the_accessibility_tab_answers_for_a_group(db: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # the planner's question (c): which precincts a wheelchair user cannot vote in, and what is
    # done about it; the group chosen in the tab is the group beside the map, and back
    data = dash.load(db)
    t = catalogue("kk")
    at = app(monkeypatch, "--gpkg", str(db))
    at.run()
    at.selectbox(key="lang").set_value("kk").run()
    at.session_state["tab_kk"] = t["app.tab_access"]
    at.run()
    at.selectbox(key="access_group").set_value("wheelchair").run()
    assert not at.exception
    assert at.selectbox(key="group").value == "wheelchair"
    ref = dash.accessibility_table(data, dash.Filters(group="wheelchair"), "kk")
    (table,) = [d.value for d in at.dataframe if t["app.col_remedy"] in d.value.columns]
    assert table[t["app.col_precinct_id"]].tolist() == ref["precinct_id"].tolist()
    assert table[t["app.col_remedy"]].tolist() == ref["remedy"].tolist()
    assert "учаскені мектеп ғимаратына көшіру" in table[t["app.col_remedy"]].tolist()
    assert any(text("kk", "app.access_summary", group=t["group.wheelchair"], closed=3, partly=7,
                    total=40) == m.value for m in at.markdown)
    assert metrics(at)[text("kk", "app.metric_accessible_for", group=t["group.wheelchair"])] \
        == "30 / 40"
    at.selectbox(key="group").set_value(None).run()
    assert at.selectbox(key="access_group").value is None


def test_a_view_link_reopens_the_same_view(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the page's address carries the filters, the language and the tab; a value that does not
    # fit is left out, never an error
    at = app(monkeypatch, "--gpkg", str(db))
    for key, value in (("lang", "kk"), ("area", "rural"), ("band", "10"), ("profile", "reduced"),
                       ("group", "wheelchair"), ("tab", "access"), ("precinct", "99999"),
                       ("as_of", "2019-05-20"), ("categories", "nonsense")):
        at.query_params[key] = value
    at.run()
    assert not at.exception
    t = catalogue("kk")
    assert at.selectbox(key="lang").value == "kk"
    assert at.multiselect(key="area").value == ["rural"]
    assert at.select_slider(key="band").value == 10
    assert at.radio(key="profile").value == "reduced"
    assert at.selectbox(key="group").value == "wheelchair"
    assert at.selectbox(key="precinct").value is None
    assert at.multiselect(key="categories").value == []
    assert at.session_state["tab_kk"] == t["app.tab_access"]
    assert at.selectbox(key="access_group").value == "wheelchair"  # the tab's content ran
    data = dash.load(db)
    ref = dash.metrics(data, dash.Filters(area_types=("rural",), band_min=10, reduced=True,
                                          group="wheelchair"), dash.coverage(
        data, pd.Timestamp("2019-05-20")))
    label = text("kk", "app.metric_accessible_for", group=t["group.wheelchair"])
    assert metrics(at)[label] == f"{ref['accessible']} / {ref['precincts']}"
    # and the page writes the view it shows back into its address
    at.multiselect(key="area").set_value(["urban"]).run()
    assert at.query_params["area"] in ("urban", ["urban"])
    assert at.query_params["tab"] in ("access", ["access"])
    # a change of language keeps the open tab
    at.selectbox(key="lang").set_value("ru").run()
    assert at.session_state["tab_ru"] == catalogue("ru")["app.tab_access"]
    assert not at.exception


def test_the_search_finds_a_street_by_its_old_name(db: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # the build's data directory has the commission's renames table: the search box reads it
    at = app(monkeypatch, "--gpkg", str(db))
    at.run()
    at.text_input(key="query").set_value("г. Аксу, ул. Советская, д. 9").run()
    assert not at.exception
    assert "Богенбай батыра" in at.success[0].value


def test_the_step_free_profile_beside_the_speed(db: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(monkeypatch, "--gpkg", str(db))
    at.run()
    t = catalogue("ru")
    walking = figures(at)
    # one choice of who walks: on foot, with reduced mobility, by wheelchair
    assert at.radio(key="profile").options == [
        text("ru", "app.speed_normal", speed="4,5"), text("ru", "app.speed_reduced", speed="3"),
        text("ru", "app.step_free", speed="4")]
    at.radio(key="profile").set_value("wheelchair").run()
    assert not at.exception
    got = figures(at)
    speed = text("ru", "app.speed_step_free", speed="4")
    h = dash.load(db).households
    ok = h["wheelchair_status"] == "ok"
    for m in (10, 15):
        within = int(h.loc[ok & (h["walk_wheelchair_min"] <= m), "voters"].sum())
        share = percent("ru", round(100 * within / int(h["voters"].sum()), 1))
        label = text("ru", "app.metric_within", minutes=m, speed=speed)
        assert got[label] == text("ru", "app.value_share", share=share, count=count("ru", within))
    beyond = int(h.loc[ok & (h["walk_wheelchair_min"] > 15), "voters"].sum())
    assert got[text("ru", "app.metric_beyond", minutes=15, speed=speed)] == count("ru", beyond)
    # the wheelchair walks are longer: fewer voters within 10 minutes than on foot
    walk_label = text("ru", "app.metric_within", minutes=10,
                      speed=text("ru", "app.speed_normal", speed="4,5"))
    assert walking[walk_label] != got[text("ru", "app.metric_within", minutes=10, speed=speed)]
    assert t["app.step_free_bands"] in [c.value for c in at.caption]
    # how much of these routes the map vouches for, weighted by their metres
    share = dash.known_share(dash.load(db), dash.Filters(step_free=True))
    ok_h = h[ok]
    assert share == round(float((ok_h["walk_wheelchair_known_pct"] * ok_h["walk_wheelchair_m"])
                                .sum() / ok_h["walk_wheelchair_m"].sum()), 1)
    assert text("ru", "app.step_free_known", share=percent("ru", share)) in [
        c.value for c in at.caption]
    assert at.query_params["profile"] in ("wheelchair", ["wheelchair"])  # a view link keeps it
    older = app(monkeypatch, "--gpkg", str(db))
    older.query_params["step_free"] = "1"  # a link written before the choice was one radio
    older.run()
    assert older.radio(key="profile").value == "wheelchair"
    # the map's bands are the step-free ones, from the accessible entrances
    (spec,) = map_specs(at)
    (drawn,) = [o for o in spec["overlays"] if o["key"] == "bands"]
    assert speed in drawn["name"]
    iso = dash.load(db).isochrones_wheelchair
    assert iso is not None
    want = sorted((int(p), int(m)) for p, m in zip(iso["precinct_id"], iso["minutes"],
                                                   strict=True) if m <= 15)
    assert sorted((f["properties"]["precinct_id"], f["properties"]["minutes"])
                  for f in drawn["data"]["features"]) == want
