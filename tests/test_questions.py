"""The planner's four questions, asked of the dashboard in headless Chromium, in Russian and
in Kazakh, by clicks and typing only, each answer checked against the build (issue 21).

(a) which precincts have the most voters beyond 15 minutes; (b) which streets and houses of a
precinct are not yet canvassed; (c) which precincts wheelchair users cannot vote in, and the
remedy; (d) what moving a precinct to another building changes, for a memo to the akimat.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Locator, expect

from aksugeo.app import dashboard as dash
from aksugeo.app.sheets import move_summary, street_of
from aksugeo.build import BuildReport
from aksugeo.canvass.coverage import household_coverage
from aksugeo.i18n import catalogue, count, text
from aksugeo.siting.scenarios import move_precinct

from .browser import Session, chromium, dashboard, session

LANGS = ["ru", "kk"]


@pytest.fixture(scope="module")
def server(shipped_build: BuildReport,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dash.DashboardData]]:
    folder = tmp_path_factory.mktemp("questions")
    db = Path(shutil.copy(shipped_build.gpkg, folder / "aksugeo.gpkg"))
    with dashboard(db, folder) as url:
        yield url, dash.load(db)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


@contextmanager
def planner(browser: Browser, url: str, lang: str) -> Iterator[Session]:
    """Open the dashboard in a fresh session and switch it to ``lang``, as a planner does."""
    with session(browser, url) as s:
        s.open()
        s.language(lang)
        yield s


def _speed(lang: str) -> str:
    return text(lang, "app.speed_normal", speed="4,5")


# how a planner gets to each answer, from the first page: clicks and typing only; each returns
# where the answer stands (the tests check it; AKSUGEO_SCREENSHOTS=<folder> also photographs
# it, on a laptop's screen and a phone's, for the README)
def ask_a(s: Session, t: dict[str, str], data: dash.DashboardData) -> Locator:
    return s.page.get_by_test_id("stText").filter(has_text="№")


def _pick(s: Session, label: str, typed: str, option: str, *, boxes: int = 1) -> None:
    """Type into the select ``label`` (the last of ``boxes`` so labelled) and pick ``option``."""
    box = s.page.get_by_test_id("stSelectbox").filter(has_text=label)
    expect(box).to_have_count(boxes)
    box.last.click()
    s.page.keyboard.type(typed)
    s.page.get_by_role("option", name=option, exact=True).click()


def ask_b(s: Session, t: dict[str, str], data: dash.DashboardData) -> Locator:
    s.tab(t["app.tab_lists"])
    name = data.precincts.set_index("precinct_id").loc[590, "name"]
    _pick(s, t["app.lists_precinct"], "590", f"№ 590 · {name}")
    return s.page.get_by_test_id("stMarkdown").filter(
        has_text=t["app.lists_summary"].split("{")[0])


def ask_c(s: Session, t: dict[str, str], data: dash.DashboardData) -> Locator:
    s.tab(t["app.tab_access"])
    # the tab's own group box (the one beside the map follows it)
    _pick(s, t["app.group"], t["group.wheelchair"][:6], t["group.wheelchair"], boxes=2)
    return s.page.get_by_test_id("stMarkdown").filter(has_text=t["group.wheelchair"])


def ask_d(s: Session, t: dict[str, str], data: dash.DashboardData) -> Locator:
    s.tab(t["app.tab_move"])
    name = data.precincts.set_index("precinct_id").loc[586, "name"]
    _pick(s, t["app.move_precinct"], "586", f"№ 586 · {name}")
    return s.page.get_by_test_id("stText").filter(has_text=t["app.move_line_voters"][:20])


SHOTS = os.environ.get("AKSUGEO_SCREENSHOTS")
SCREENS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}


def photograph(browser: Browser, url: str, lang: str, data: dash.DashboardData,
               ask: Callable[[Session, dict[str, str], dash.DashboardData], Locator],
               name: str) -> None:
    """With AKSUGEO_SCREENSHOTS set, photograph the answer on each screen (Russian only)."""
    if not SHOTS or lang != "ru":
        return
    for screen, size in SCREENS.items():
        with session(browser, url, **size) as s:
            s.open()
            answer = ask(s, catalogue(lang), data)
            expect(answer.first).to_be_visible()
            # the answer near the top of the screen, under its tab's name
            answer.first.evaluate("e => { e.scrollIntoView({block: 'start'}); "
                                  "window.scrollBy(0, -170); }")
            s.page.wait_for_timeout(1500)  # the maps settle
            s.page.screenshot(path=Path(SHOTS) / f"question_{name}_{screen}.png")


@pytest.mark.parametrize("lang", LANGS)
def test_a_which_precincts_have_most_voters_beyond_15_minutes(
        lang: str, server: tuple[str, dash.DashboardData], browser: Browser) -> None:
    url, data = server
    table = dash.precinct_table(data, dash.Filters(band_min=15), dash.coverage(data, None), lang)
    h = data.households
    far = h[(h["status"] == "ok") & (h["walk_assigned_min"] > 15)].groupby("precinct_id")[
        "voters"].sum().sort_values(ascending=False, kind="stable")
    top = table.head(3)
    assert top["precinct_id"].tolist() == far.index[:3].tolist()  # the table's own order
    most = "; ".join(f"№ {r.precinct_id} · {r.name} — {count(lang, r.beyond)}"
                     for r in top.itertuples())
    with planner(browser, url, lang) as s:
        # the first tab, open at first, answers in a sentence before its table
        expect(ask_a(s, catalogue(lang), data)).to_have_text(text(
            lang, "app.most_beyond", minutes=15, speed=_speed(lang), precincts=most))
        assert s.metric(text(lang, "app.metric_beyond", minutes=15, speed=_speed(lang))) == \
            count(lang, int(far.sum()))
    photograph(browser, url, lang, data, ask_a, "a")


@pytest.mark.parametrize("lang", LANGS)
def test_b_which_houses_of_a_precinct_are_not_canvassed(
        lang: str, server: tuple[str, dash.DashboardData], browser: Browser,
        tmp_path: Path) -> None:
    url, data = server
    t = catalogue(lang)
    precinct = 590
    cov = household_coverage(data.households, data.visits, data.days[1])
    h = data.households
    todo = h[(h["precinct_id"] == precinct).to_numpy() & ~cov["covered"].to_numpy()]
    with planner(browser, url, lang) as s:
        # the planner types the precinct's number into the list's box and picks it
        summary = ask_b(s, t, data)
        streets = {street_of(a)[0] for a in todo["address"]}
        expect(summary).to_contain_text(
            text(lang, "app.lists_summary", households=count(lang, len(todo)),
                 doors=count(lang, todo["dwellings"].sum()),
                 voters=count(lang, todo["voters"].sum()), streets=len(streets),
                 turfs="").rstrip("."))
        book = load_workbook(io.BytesIO(
            s.download(t["app.download_lists_xlsx"], tmp_path).read_bytes()))
        # the streets sheet: every street with every house still to visit
        rows = list(book[book.sheetnames[0]].iter_rows(min_row=2, values_only=True))
        assert {r[0] for r in rows} == streets
        houses = {(r[0], h) for r in rows for h in str(r[1]).split(", ")}
        assert houses == {street_of(a) for a in todo["address"]}
        # a sheet per walk: together, each household not visited once
        walked = [r[1] for n in book.sheetnames[1:]
                  for r in book[n].iter_rows(min_row=2, values_only=True)]
        assert sorted(walked) == sorted(todo["address"])
        sheets = s.download(t["app.download_sheets"], tmp_path).read_text(encoding="utf-8")
        assert sheets.count('<section class="page">') == len(book.sheetnames)
    photograph(browser, url, lang, data, ask_b, "b")


@pytest.mark.parametrize("lang", LANGS)
def test_c_which_precincts_wheelchair_users_cannot_enter_and_the_remedy(
        lang: str, server: tuple[str, dash.DashboardData], browser: Browser,
        tmp_path: Path) -> None:
    url, data = server
    t = catalogue(lang)
    ref = dash.accessibility_table(data, dash.Filters(group="wheelchair"), lang)
    closed = sorted(ref.loc[ref["category"] == "not_accessible", "precinct_id"].unique())
    assert closed == [580, 586, 591]
    with planner(browser, url, lang) as s:
        expect(ask_c(s, t, data)).to_contain_text(
            text(lang, "app.access_summary", group=t["group.wheelchair"], closed=3,
                 partly=7, total=40).split("**")[1])
        book = load_workbook(io.BytesIO(s.download(t["app.download_xlsx"], tmp_path)
                                        .read_bytes()))
        rows = pd.DataFrame(list(book.active.iter_rows(min_row=2, values_only=True)),
                            columns=[c.value for c in book.active[1]])
        assert rows[t["app.col_precinct_id"]].tolist() == ref["precinct_id"].tolist()
        assert rows[t["app.col_remedy"]].tolist() == ref["remedy"].tolist()
        assert rows[t["app.col_responsible"]].fillna("").tolist() == ref["responsible"].tolist()
        letter = s.download(t["app.download_letter"], tmp_path).read_text(encoding="utf-8")
        assert text(lang, "app.letter_title", group=t["group.wheelchair"]) in letter
        for pid in closed:
            assert f"<td>{pid}</td>" in letter
        # the figures beside the map follow the group
        assert s.metric(text(lang, "app.metric_accessible_for",
                             group=t["group.wheelchair"])) == "30 / 40"
    photograph(browser, url, lang, data, ask_c, "c")


@pytest.mark.parametrize("lang", LANGS)
def test_d_what_to_tell_the_akimat_about_moving_a_precinct(
        lang: str, server: tuple[str, dash.DashboardData], browser: Browser,
        tmp_path: Path) -> None:
    url, data = server
    t = catalogue(lang)
    move = move_precinct(data.db, 586, site_id="C-038")
    name = data.precincts.set_index("precinct_id").loc[586, "name"]
    with planner(browser, url, lang) as s:
        expect(ask_d(s, t, data)).to_have_count(1)
        # the nearest candidate comes first: the clinic next door, accessible to every group
        target = s.page.get_by_test_id("stSelectbox").filter(has_text=t["app.move_to"])
        expect(target).to_have_count(1)  # the list of the precinct chosen before has gone
        expect(target.get_by_role("combobox")).to_have_value(re.compile("^C-038 · "))
        for line in move_summary(move, lang):
            expect(s.page.get_by_test_id("stText").filter(has_text=line[:30])).to_have_text(line)
        expect(s.page.locator(".aksugeo-map .move-added")).to_have_count(1)
        memo = s.download(t["app.download_memo"], tmp_path).read_text(encoding="utf-8")
        assert text(lang, "app.move_title", precinct=586, old=name,
                    new=move.new["name"]).replace("«", "&laquo;") in memo.replace(
            "«", "&laquo;")
        for line in move_summary(move, lang):
            assert line in memo
        # another building, by its address: the offline geocoder finds it
        expect(target).to_have_count(1)
        target.click()
        s.page.keyboard.type(t["app.move_other"][:8])  # the list is long: typing narrows it
        s.page.get_by_role("option", name=t["app.move_other"], exact=True).click()
        s.page.get_by_label(t["app.move_address"]).fill("с. Торткудук, ул. Пушкина, 10")
        s.page.keyboard.press("Enter")
        expect(s.page.get_by_test_id("stText").filter(
            has_text=t["app.move_line_changed"][:20])).to_have_count(1)
        # a building nobody surveyed: the groups the house of culture served are lost, said so
        lost = s.page.get_by_test_id("stAlert").filter(has_text=t["group.deaf_hard_of_hearing"])
        expect(lost).to_contain_text(t["group.cognitive"])
        expect(lost).not_to_contain_text(t["group.wheelchair"])  # it never served them
    photograph(browser, url, lang, data, ask_d, "d")
