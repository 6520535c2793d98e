"""What the planners read and take away: numbers in their style, workbooks, letters, and the
accessibility of each precinct for each group with its remedies (issue 21)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from aksugeo.app import dashboard as dash
from aksugeo.app.dashboard import reason_words
from aksugeo.app.sheets import lists_xlsx, street_of, team_lists, walk_sheets_html
from aksugeo.build import BuildReport
from aksugeo.canvass.coverage import household_coverage
from aksugeo.canvass.state import Canvass, open_canvass
from aksugeo.canvass.visitlog import import_visits
from aksugeo.data.io import xlsx_bytes
from aksugeo.i18n import count, day, percent, text
from aksugeo.passport.report import Page, Section, document_html
from aksugeo.passport.rules import BY_KEY, GROUPS, assess, remedy_plans
from aksugeo.walk.network import WalkNetwork

from .conftest import DATA


def test_numbers_and_days_are_written_as_each_language_writes_them() -> None:
    assert count("ru", 53413) == "53\u00a0413" == count("kk", 53413.0)
    assert count("en", 53413) == "53,413"
    assert percent("ru", 93.94) == "93,9\u00a0%"
    assert percent("en", 93.94) == "93.9%"
    assert day("kk", pd.Timestamp("2019-05-27 13:00")) == "27.05.2019"
    assert day("ru", "2019-06-09") == day("ru", dt.date(2019, 6, 9)) == "09.06.2019"
    assert day("en", dt.date(2019, 6, 9)) == "2019-06-09"


@given(st.lists(st.text(max_size=40), min_size=1, max_size=8))
@settings(max_examples=40, deadline=None)
def test_a_workbook_keeps_every_text_as_text(texts: list[str]) -> None:
    # a clerk's "=HYPERLINK(...)" must reach Excel as the words typed, never as a formula
    frame = pd.DataFrame({"text": texts, "n": range(len(texts))})
    book = load_workbook(io.BytesIO(xlsx_bytes({"a:b/c": frame})))
    sheet = book.active
    assert sheet.title == "a b c"
    rows = list(sheet.iter_rows(min_row=2))
    assert [r[1].value for r in rows] == list(range(len(texts)))
    for cell, typed in zip((r[0] for r in rows), texts, strict=True):
        assert cell.data_type != "f"  # never a formula
        # openpyxl reads an empty string back as None; everything else comes back as typed
        assert (cell.value or "") == _as_excel_keeps(typed)


def _as_excel_keeps(typed: str) -> str:
    # XML 1.0 cannot carry most control characters: openpyxl refuses them, so xlsx_bytes drops
    # them, and line ends are LF (XML reads a CR as one)
    typed = typed.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in typed if c in "\t\n" or ord(c) >= 32)


def test_a_printed_document_shows_hostile_text_as_text() -> None:
    hostile = "</td><script>alert(1)</script>{{7*7}}"
    html = document_html([Page(hostile, [hostile], [Section(hostile, [hostile], [[hostile, 5]])],
                               to=hostile, signature=hostile)], lang="ru", synthetic=True)
    assert "<script>alert(1)" not in html
    # the title twice (tab and heading), a paragraph, a heading, a column, a cell, to, signed
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;{{7*7}}") == 8
    assert "СИНТЕТИЧЕСКИЕ" in html.upper()


@pytest.fixture(scope="module")
def data(shipped_build: BuildReport) -> dash.DashboardData:
    return dash.load(shipped_build.gpkg)


def test_the_remedies_come_in_the_language_asked_for(data: dash.DashboardData) -> None:
    raw = pd.read_csv(DATA / "passport_remedies.csv", dtype=str)
    assert data.remedies is not None
    for lang, column in (("ru", "remedy"), ("kk", "remedy_kk"), ("en", "remedy")):
        plans = remedy_plans(data.remedies, lang)
        for row in raw.itertuples():
            fix = plans[int(row.precinct_id)][row.item]
            assert fix.remedy == getattr(row, column)
            assert (fix.responsible, fix.due, fix.state) == (row.responsible, row.due, row.state)
    # and the Kazakh passport writes the Kazakh remedy (it kept the Russian one)
    passports = pd.read_csv(DATA / "passports.csv")
    kk = assess(passports, data.remedies, lang="kk")
    assert "сайлау күніне жылжымалы пандус" in kk.loc[562, "remedies"]
    assert "переносной пандус" not in kk.loc[562, "remedies"]


@pytest.mark.parametrize("group", [None, *GROUPS])
def test_the_accessibility_panel_lists_what_keeps_each_group_out(
        group: str | None, data: dash.DashboardData) -> None:
    table = dash.accessibility_table(data, dash.Filters(group=group), "ru")
    column = f"category_{group}" if group else "category"
    p = data.precincts.set_index("precinct_id")
    # exactly the precincts not accessible to the group, each with its failed items that
    # affect the group, and every such item of theirs
    assert set(table["precinct_id"]) == set(p.index[p[column] != "accessible"])
    groups = (group,) if group else GROUPS
    for pid, rows in table.groupby("precinct_id"):
        failed = [k for k in p.loc[pid, "failed_items"].split(",")
                  if any(g in BY_KEY[k].barrier + BY_KEY[k].hindrance for g in groups)]
        assert sorted(rows["item"]) == sorted(failed)
        assert set(rows["category"]) == {p.loc[pid, column]}
    closed = table.drop_duplicates("precinct_id")
    assert list(closed["category"]) == sorted(closed["category"],
                                              key=lambda c: c != "not_accessible")
    if group == "wheelchair":  # the three wheelchair barriers of the shipped data
        assert sorted(closed.loc[closed["category"] == "not_accessible", "precinct_id"]) == \
            [580, 586, 591]
        row = table[(table["precinct_id"] == 586) & (table["item"] == "entrance")].iloc[0]
        assert (row["remedy"], row["responsible"], row["due"]) == (
            "перенос участка в здание школы", "акимат г. Аксу, ТИК", "01.06.2019")
        assert row["effect"] == text("ru", "app.effect_barrier")
        door = table[table["precinct_id"] == 580].iloc[0]
        assert door["remedy"] == text("ru", "remedy.none")  # no remedy recorded: said so


@pytest.mark.parametrize(("address", "street", "house"), [
    ("г. Аксу, ул. Полевая, д. 1", "г. Аксу, ул. Полевая", "1"),
    ("с. Уштерек, ул. Абая, д. 11А", "с. Уштерек, ул. Абая", "11А"),
    ("г. Аксу, мкр 16, д. 4", "г. Аксу, мкр 16", "4"),
    ("г. Аксу, 5 мкр., 3", "г. Аксу, 5 мкр.", "3"),
    ("с. Достык, ул. Абая, 12/1, кв. 5", "с. Достык, ул. Абая", "12/1"),
    ("с. Достык", "с. Достык", ""),
])
def test_an_address_splits_into_its_street_and_house(address: str, street: str,
                                                     house: str) -> None:
    assert street_of(address) == (street, house)


@given(st.text(max_size=60))
def test_a_street_is_always_the_start_of_its_address(address: str) -> None:
    street, house = street_of(address)
    written = ", ".join(p.strip() for p in address.split(",") if p.strip())
    assert written.startswith(street)
    assert house in written[len(street):]
    assert bool(street) == bool(written)  # an address has a street unless it is blank


@pytest.fixture(scope="module")
def canvass(shipped_build: BuildReport) -> tuple[Canvass, WalkNetwork]:
    can = open_canvass(shipped_build.gpkg)
    return can, can.network()


@pytest.mark.parametrize("precinct", [575, 590, 594])
def test_the_walk_lists_are_the_households_not_visited(
        precinct: int, canvass: tuple[Canvass, WalkNetwork]) -> None:
    can, net = canvass
    day = pd.Timestamp("2019-05-24")
    lists = team_lists(can, net, precinct, as_of=day, doors=50)
    h = can.households
    cov = household_coverage(h, can.visits, day)
    todo = h.loc[(h["precinct_id"] == precinct).to_numpy() & ~cov["covered"].to_numpy()]
    assert len(todo) > 0
    assert sorted(lists.stops["household_id"]) == sorted(todo["household_id"])  # each once
    # by street: every household counted once, every house listed under its street
    streets = lists.streets
    assert streets["households"].sum() == len(todo)
    assert streets["doors"].sum() == todo["dwellings"].sum()
    assert streets["voters"].sum() == todo["voters"].sum()
    for address in todo["address"]:
        street, house = street_of(address)
        assert house in streets.set_index("street").loc[street, "houses"].split(", ")
    # by walk: the order runs 1..n in each, and the turfs' figures add up
    for _, stops in lists.stops.groupby("turf_id"):
        assert stops["order"].tolist() == list(range(1, len(stops) + 1))
    assert lists.turfs.turfs["households"].sum() == len(todo)
    # the workbook: the streets, then each walk's stops in order, as text
    book = load_workbook(io.BytesIO(lists_xlsx(lists, "kk")))
    assert len(book.sheetnames) == 1 + len(lists.turfs.turfs)
    walked = [row[1] for name in book.sheetnames[1:]
              for row in book[name].iter_rows(min_row=2, values_only=True)]
    assert sorted(walked) == sorted(lists.stops["address"])
    # the sheets to print: the streets, then a page with a map per walk
    html = walk_sheets_html(lists, net, "ru", name="СОШ", synthetic=True)
    assert html.count('<section class="page">') == 1 + len(lists.turfs.turfs)
    assert html.count("<svg") == len(lists.turfs.turfs)


def test_the_imports_reasons_read_in_the_pages_language(tmp_path: Path,
                                                         shipped_build: BuildReport) -> None:
    # a team's file with every kind of mistake; the reasons the import writes, in Kazakh
    db = Path(shutil.copy(shipped_build.gpkg, tmp_path / "a.gpkg"))
    bad = tmp_path / "team.csv"
    bad.write_text("household_id;date;wave;team;outcome;voters_reached\n"
                   "PH-99999;27.05.2019;1;Т1;поговорили;1\n"
                   "AB-0001;;1;Т1;поговорили;1\n"
                   "AB-0001;27.05.2019;1;Т1;поговорили;999\n"
                   "AB-0001;27.05.2039;1;Т1;поговорили;1\n"
                   "AB-0001;27.05.2019;1;Т1;спали;1\n", encoding="utf-8")
    report = import_visits(bad, db)
    rejected = pd.read_csv(report.rejected_path, dtype=str)
    said = [reason_words(r, "kk") for r in rejected["reason"]]
    assert said[0] == "үй шаруашылығы: құрастыруда жоқ: 'PH-99999'"
    assert said[1] == "күні: толтырылмаған"
    assert said[2].startswith("табылған сайлаушылар: 999 үй шаруашылығындағы")
    assert said[3] == "күні: 2039-05-27 әлі келмеген"
    assert said[4].startswith("нәтиже: рұқсат етілмеген мән 'спали'")
    assert not any(w in " ".join(said) for w in ("missing", "unknown", "expected", "after"))
    # what no pattern knows stays as the import wrote it, never lost
    assert reason_words("team: something new", "ru") == "бригада: something new"
