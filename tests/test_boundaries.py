"""Precinct boundaries as the law writes them: the akim's decision read, applied and written.

The rule forms are checked one by one against expectations written by hand
(tests/input_data/boundaries/rule_forms.csv), not produced by the parser; the round trip
(assignment -> text -> assignment) on the shipped registry in both languages and on random
registries; and every kind of conflict on a registry small enough to reason about.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aksugeo import AksugeoError
from aksugeo.boundaries.changes import changed_addresses, notices_html
from aksugeo.boundaries.decision import WHOLE_SIDE, parse_decision
from aksugeo.boundaries.describe import describe, render
from aksugeo.boundaries.documents import SEGMENT_COLUMNS, from_segments, html_document, read_text
from aksugeo.boundaries.houses import House, Item, house
from aksugeo.boundaries.match import KINDS, apply_decision
from aksugeo.boundaries.places import Places
from aksugeo.boundaries.walks import walking_figures
from aksugeo.build import BuildReport
from aksugeo.cli import main
from aksugeo.data.io import Dataset, read_geopackage
from aksugeo.data.layers import BOUNDARY_CONFLICTS, DECISION_ASSIGNMENT
from aksugeo.geocode.gazetteer import build_gazetteer
from aksugeo.siting.scenarios import propose
from aksugeo.walk.network import load_network

from .conftest import DATA

FORMS = Path(__file__).parent / "input_data" / "boundaries" / "rule_forms.csv"


def _forms() -> list[dict[str, str]]:
    with FORMS.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _written(items: tuple[Item, ...]) -> str:
    out = []
    for i in items:
        text = i.first.text if i.last is None else f"{i.first.text}-{i.last.text}"
        out.append(text + ("" if i.side == "both" else f" {i.side}"))
    return "; ".join(out)


@pytest.mark.parametrize("form", _forms(), ids=lambda f: f"{f['lang']}:{f['text']}")
def test_each_rule_form_reads_as_written_by_hand(form: dict[str, str]) -> None:
    head = "Избирательный участок № 7\n" if form["lang"] == "ru" else "№ 7 сайлау учаскесі\n"
    label = "Границы: " if form["lang"] == "ru" else "Шекаралары: "
    decision = parse_decision(head + label + form["text"])
    assert decision.problems == []
    [entry] = decision.entries
    assert entry.precinct_id == 7
    [rule] = entry.rules
    assert (rule.settlement or "") == form["settlement"]
    assert rule.kind == form["kind"]
    name = {"street": rule.street, "micro": rule.micro, "settlement": None}[rule.kind]
    assert (name or "") == form["name"]
    assert rule.whole == (form["whole"] == "yes")
    assert _written(rule.items) == form["items"].replace(str(WHOLE_SIDE), str(WHOLE_SIDE))


def test_every_form_of_the_table_is_in_both_languages() -> None:
    kinds = {(f["lang"], f["kind"], f["whole"]) for f in _forms()}
    for lang in ("ru", "kk"):
        for kind in ("settlement", "street", "micro"):
            for whole in ("yes", "no"):
                assert (lang, kind, whole) in kinds


@pytest.mark.parametrize(("before", "after"), [
    ("5", "5/1"), ("5/1", "5/2"), ("5/2", "5а"), ("12", "12а"), ("12а", "12б"), ("12б", "13"),
    ("7", "7к2"), ("7к2", "7к10"), ("9", "10"), ("99", "100")])
def test_house_numbers_sort_as_a_street_numbers_them(before: str, after: str) -> None:
    a, b = house(before), house(after)
    assert a is not None
    assert b is not None
    assert a < b
    assert sorted([b, a]) == [a, b]


@pytest.mark.parametrize(("written", "text"), [
    ("12А", "12а"), ("12 А", "12а"), ("12-А", "12а"), ("12«А»", "12а"), ("12A", "12а"),
    ("7 корп. 2", "7к2"), ("5/1", "5/1"), ("5 / 1", "5/1")])
def test_house_numbers_are_read_in_one_form(written: str, text: str) -> None:
    h = house(written)
    assert h is not None
    assert h.text == text


def test_what_a_range_takes() -> None:
    h = {t: house(t) for t in ("1", "2", "24", "25", "25а", "25/1", "26", "27")}
    both = Item(h["1"], h["25"], "both")
    assert [t for t, x in h.items() if both.covers(x)] == ["1", "2", "24", "25", "25а", "25/1"]
    odd = Item(h["1"], h["25а"], "odd")  # an end with a letter is exact
    assert [t for t, x in h.items() if odd.covers(x)] == ["1", "25", "25а", "25/1"]
    single = Item(h["25"])
    assert [t for t, x in h.items() if single.covers(x)] == ["25"]


# --- the shipped registry: its own assignment, written and read back in both languages


@pytest.fixture(scope="module")
def places(shipped: Dataset) -> Places:
    assert shipped.network_path is not None
    return Places.of(shipped.households, build_gazetteer(shipped.network_path),
                     shipped.renames)


@pytest.mark.parametrize("lang", ["ru", "kk"])
@pytest.mark.parametrize("words_every", [0, 3])
def test_the_registry_round_trips_through_the_text(shipped: Dataset, places: Places, lang: str,
                                                   words_every: int) -> None:
    homes = shipped.households
    decision = describe(homes, homes.set_index("household_id")["precinct_id"], places,
                        shipped.precincts)
    assert decision.problems == []
    text = render(decision, places, lang, words_every=words_every)
    back = parse_decision(text)
    assert back.problems == []
    applied = apply_decision(back, homes, places,
                             precinct_ids=shipped.precincts["precinct_id"].tolist())
    assert applied.problems == []
    assert (applied.assignment["status"] == "one").all()
    assert applied.assignment["precinct_id"].tolist() == homes["precinct_id"].tolist()
    assert len(back.entries) == len(shipped.precincts) == 40


def test_the_kazakh_text_uses_the_maps_kazakh_names(shipped: Dataset, places: Places) -> None:
    homes = shipped.households
    decision = describe(homes, homes.set_index("household_id")["precinct_id"], places,
                        shipped.precincts)
    kk = render(decision, places, "kk")
    assert "Егістік көшесі" in kk  # улица Полевая's name:kk on the map
    assert "Ақсу қаласы" in kk
    assert "улица" not in kk
    assert "ул." not in kk.split("Орталығы")[0]


# --- random registries: whatever the assignment, the text gives it back


_STREETS = ("Абая", "Ленина", "Мира", "Садовая", "Победы")


@st.composite
def _registries(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(1, 60))
    rows = {}
    for _ in range(n):
        town = draw(st.sampled_from(["г. Аксу", "с. Калкаман"]))
        street = draw(st.sampled_from([*_STREETS, "мкр 3", ""]))
        number = draw(st.integers(1, 40))
        suffix = draw(st.sampled_from(["", "", "", "А", "Б", "/1", "/2", " корп. 2"]))
        if street.startswith("мкр"):
            place = f"{street}, д. {number}{suffix}"
        elif street:
            place = f"ул. {street}, д. {number}{suffix}"
        else:
            place = f"д. {number}{suffix}"
        address = f"{town}, {place}"
        rows.setdefault(address, (town, draw(st.integers(1, 4))))
    return pd.DataFrame({"household_id": [f"H{i}" for i in range(len(rows))],
                         "address": list(rows), "settlement": [v[0] for v in rows.values()],
                         "precinct_id": [v[1] for v in rows.values()]})


@settings(max_examples=150, deadline=None)
@given(homes=_registries(), lang=st.sampled_from(["ru", "kk"]), words=st.sampled_from([0, 2]))
def test_any_assignment_round_trips_through_the_text(homes: pd.DataFrame, lang: str,
                                                     words: int) -> None:
    places = Places.of(homes)
    decision = describe(homes, homes.set_index("household_id")["precinct_id"], places)
    assert decision.problems == []
    back = parse_decision(render(decision, places, lang, words_every=words))
    assert back.problems == []
    applied = apply_decision(back, homes, places)
    assert applied.problems == []
    assert applied.assignment["precinct_id"].tolist() == homes["precinct_id"].tolist()


# --- conflicts, each kind


REGISTRY = pd.DataFrame([
    ("H1", "г. Аксу, ул. Абая, д. 1", 1), ("H2", "г. Аксу, ул. Абая, д. 2", 1),
    ("H3", "г. Аксу, ул. Абая, д. 3", 1), ("H4", "г. Аксу, ул. Абая, д. 4", 2),
    ("H5", "г. Аксу, ул. Ленина, д. 5", 2), ("H6", "г. Аксу, мкр 5, д. 1", 2),
    ("H7", "с. Калкаман, ул. Мира, д. 1", 3), ("H8", "с. Калкаман, ул. Мира, д. 2А", 3),
    ("H9", "г. Аксу, ул. Абая", 1)], columns=["household_id", "address", "precinct_id"])
REGISTRY["settlement"] = REGISTRY["address"].str.split(",").str[0]
RENAMES = pd.DataFrame({"settlement": ["г. Аксу"], "old_name": ["улица Кирова"],
                        "new_name": ["улица Ленина"], "renamed_on": ["2007-06-12"]})
DECISION = """Решение акима города Аксу

Избирательный участок № 1
Центр: СОШ №1, г. Аксу, ул. Абая, д. 10
Границы: г. Аксу: ул. Абая, дома № 1-3; ул. Кирова полностью; ул. Несуществующая № 1-5;
ул. Абая № 100-200; ###.

Избирательный участок № 2
Центр: СОШ №2, г. Аксу, ул. Абая, д. 12
Границы: ул. Абая № 3-4; с. Неведомое полностью.

Избирательный участок № 3
Границы: с. Калкаман: ул. Мира, д. 1.

Избирательный участок № 3
Границы: с. Калкаман: ул. Мира, д. 1.

Избирательный участок № 9
Границы: г. Аксу: мкр 7.
"""


def test_every_kind_of_conflict_is_found_where_it_is() -> None:
    places = Places.of(REGISTRY, renames=RENAMES)
    applied = apply_decision(parse_decision(DECISION), REGISTRY, places,
                             precinct_ids=[1, 2, 3, 4])
    found = {(p.kind, p.precinct_id, p.k) for p in applied.problems}
    assert found == {
        ("unparsed", 1, 5),
        ("unknown_precinct", 9, None), ("missing_precinct", 4, None),
        ("repeated_precinct", 3, None),
        ("unknown_settlement", 2, 2),
        ("unknown_street", 1, 3),
        ("no_address", 1, 4), ("no_address", 9, 1),
        ("old_name", 1, 2),
        ("claimed_twice", 1, 1),  # H3: Абая 1-3 and Абая 3-4
        ("unclaimed", None, None),  # H6 (мкр 5) and H8 (Мира 2А)
        ("address_unread", None, None),  # H9: no house number
        ("registry_differs", 1, 2),  # H5 is 2 in the registry, 1 by the old name of its street
    }
    assert {p.kind for p in applied.problems} <= set(KINDS)
    by_kind = {k: [p for p in applied.problems if p.kind == k] for k in KINDS}
    assert [p.text for p in by_kind["unclaimed"]] == ["г. Аксу, мкр 5, д. 1",
                                                      "с. Калкаман, ул. Мира, д. 2А"]
    assert "H3" in str(by_kind["claimed_twice"][0])
    assert "precinct 2 (rule 1)" in str(
        by_kind["claimed_twice"][0])
    assert str(by_kind["unknown_street"][0]).startswith("decision:precinct 1:rule 3: ")
    status = applied.assignment.set_index("household_id")["status"].to_dict()
    assert status == {"H1": "one", "H2": "one", "H3": "twice", "H4": "one", "H5": "one",
                      "H6": "none", "H7": "one", "H8": "none", "H9": "unread"}
    assert applied.assignment.set_index("household_id")["precinct_id"].dropna().to_dict() == {
        "H1": 1, "H2": 1, "H4": 2, "H5": 1, "H7": 3}
    assert len(applied.conflicts) == len(applied.problems) - 1  # the old name is a note


def test_a_text_without_any_precinct_is_one_problem() -> None:
    decision = parse_decision("Решение акима об образовании избирательных участков")
    assert decision.entries == []
    [problem] = decision.problems
    assert "no precinct heading" in str(problem)


def test_a_house_is_the_same_whether_read_from_the_registry_or_the_text() -> None:
    places = Places.of(REGISTRY)
    read = places.address("с. Калкаман, ул. Мира, д. 2А", "с. Калкаман")
    assert read.area == "street:mira"
    assert read.house == house("2 А") == House((2, 1, 0, 0, 0), "2а")


# --- the shipped decision, the build, the commands


PLANTED = {  # what the generator wrote into the shipped decision on purpose (aksugeo.synth)
    ("unknown_street", 563, 5), ("old_name", 563, 2), ("claimed_twice", 560, 1),
    ("unclaimed", None, None)}


def test_the_build_checks_the_shipped_decision_in_both_languages(
        shipped_build: BuildReport) -> None:
    conflicts = read_geopackage(shipped_build.gpkg, BOUNDARY_CONFLICTS)
    for source in ("boundaries_ru.txt", "boundaries_kk.txt"):
        mine = conflicts[conflicts["source"] == source]
        found = {(k, None if pd.isna(p) else int(p), None if pd.isna(r) else int(r))
                 for k, p, r in zip(mine["kind"], mine["precinct_id"], mine["rule"],
                                    strict=True)}
        assert found == PLANTED
        assert mine["kind"].value_counts().to_dict() == {
            "unknown_street": 1, "old_name": 1, "claimed_twice": 1, "unclaimed": 2}
        households = mine.dropna(subset=["household_id"])
        assert sorted(households["household_id"]) == ["AB-0007", "PH-00250", "PH-01335"]
        assert households.geometry.notna().all()
    text = (DATA / "boundaries_ru.txt").read_text(encoding="utf-8")
    assert "с № " in text
    assert " 1-" in text
    assert "улица Кирова" in text  # the old name
    assert "Леина" in text  # the typo
    kk = (DATA / "boundaries_kk.txt").read_text(encoding="utf-8")
    assert "-ден " in kk
    assert "дейін" in kk
    assert "Киров көшесі" in kk
    summary = shipped_build.summary()
    assert ("akim's decision: boundaries_ru.txt: 40 precincts, 152 rules; conflicts: "
            "unknown_street 1, claimed_twice 1, unclaimed 2; notes: old_name 1") in summary


def test_the_decisions_assignment_is_the_registrys_but_where_planted(
        shipped_build: BuildReport) -> None:
    got = read_geopackage(shipped_build.gpkg, DECISION_ASSIGNMENT).set_index("household_id")
    homes = shipped_build.dataset.households.set_index("household_id")
    assert got["status"].value_counts().to_dict() == {"one": 6512, "none": 2, "twice": 1}
    one = got[got["status"] == "one"]
    assert (one["precinct_id"].astype(int) == homes.loc[one.index, "precinct_id"]).all()
    assert sorted(got.index[got["status"] != "one"]) == ["AB-0007", "PH-00250", "PH-01335"]


@pytest.fixture(scope="module")
def db(shipped_build: BuildReport, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(shutil.copy(shipped_build.gpkg, tmp_path_factory.mktemp("bnd") / "a.gpkg"))


def test_check_prints_each_conflict_where_it_is(db: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["boundaries", "check", str(DATA / "boundaries_ru.txt"), "--db", str(db)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert ("boundaries_ru.txt:precinct 563:rule 5: no street 'Леина' in г. Аксу (did you mean "
            "'ул. Ленина'?): 'ул. Леина, чётная сторона дома № 86'") in out
    assert ("boundaries_ru.txt:precinct 560:rule 1: household AB-0007: also in precinct 561 "
            "(rule 2): 'г. Аксу, ул. Победы, д. 1'") in out
    assert ("boundaries_ru.txt: household PH-00250: in no precinct: "
            "'г. Аксу, ул. Луговая, д. 63'") in out
    assert out[-1] == f"wrote layers boundary_conflicts and decision_assignment to {db}"


def test_written_annex_reads_back_to_the_registry(db: Path, tmp_path: Path,
                                                  shipped: Dataset, places: Places,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["boundaries", "write", "--db", str(db), "--out", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["boundaries_kk.docx", "boundaries_kk.html", "boundaries_kk.txt",
                     "boundaries_ru.docx", "boundaries_ru.html", "boundaries_ru.txt",
                     "segments.csv"]
    capsys.readouterr()
    for name in ("boundaries_kk.docx", "boundaries_ru.txt"):  # Word as well as text
        assert main(["boundaries", "check", str(tmp_path / name), "--db", str(db),
                     "--no-write"]) == 0
        assert capsys.readouterr().out.strip().endswith("rules; conflicts: none")
    # the street segments, read back, give the same assignment
    frame = pd.read_csv(tmp_path / "segments.csv", encoding="utf-8-sig", dtype=str)
    assert list(frame.columns) == SEGMENT_COLUMNS
    applied = apply_decision(from_segments(frame), shipped.households, places)
    assert applied.problems == []
    assert applied.assignment["precinct_id"].tolist() == \
        shipped.households["precinct_id"].tolist()
    page = (tmp_path / "boundaries_kk.html").read_text(encoding="utf-8")
    assert page.count("<section>") == 40


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("what", [{"add": 2}, {"move": 2}, {"merge": True}],
                         ids=["add", "move", "merge"])
def test_every_siting_scenario_round_trips_through_the_text(
        db: Path, shipped: Dataset, places: Places, what: dict[str, int | bool]) -> None:
    scenario = propose(db, minutes=15, write=False, **what)  # type: ignore[arg-type]
    assert scenario.assignment is not None
    proposal = scenario.assignment.set_index("household_id")["precinct_id"]
    assert proposal.notna().all()
    opened = set(scenario.sites.loc[scenario.sites["open"], "proposed_precinct_id"].astype(int))
    assert set(proposal.astype(int)) <= opened
    homes = shipped.households
    decision = describe(homes, proposal, places)
    assert decision.problems == []
    for lang in ("ru", "kk"):
        back = apply_decision(parse_decision(render(decision, places, lang, words_every=3)),
                              homes, places)
        assert back.problems == [] or {p.kind for p in back.problems} == {"registry_differs"}
        assert back.assignment["precinct_id"].tolist() == proposal.loc[
            homes["household_id"]].tolist()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_what_a_proposal_changes_for_whom(db: Path, tmp_path: Path,
                                          shipped_build: BuildReport) -> None:
    scenario = propose(db, minutes=15, add=2)
    assert main(["boundaries", "write", "--from", "siting", "--db", str(db), "--out",
                 str(tmp_path), "--lang", "kk"]) == 0
    changed = pd.read_csv(tmp_path / "changes.csv", encoding="utf-8-sig")
    assert scenario.assignment is not None
    proposal = scenario.assignment.set_index("household_id")
    homes = shipped_build.dataset.households.set_index("household_id")
    moved = proposal.index[proposal["precinct_id"].astype(int) != homes.loc[
        proposal.index, "precinct_id"]]
    assert sorted(changed["household_id"]) == sorted(moved)
    assert (changed.set_index("household_id")["precinct_after"] ==
            proposal.loc[changed["household_id"], "precinct_id"].astype(int)).all()
    walks = shipped_build.access.households.set_index(
        shipped_build.dataset.households["household_id"])["walk_assigned_m"]
    assert np.allclose(changed["walk_before_m"], walks.loc[changed["household_id"]].round(0),
                       equal_nan=True)
    notices = (tmp_path / "notices_kk.html").read_text(encoding="utf-8")
    assert notices.count("<section class=notice>") == changed["address"].nunique()
    added = scenario.sites[scenario.sites["added"]]
    assert set(added["proposed_precinct_id"].astype(int)) <= set(changed["precinct_after"])


def test_every_text_in_the_documents_is_escaped(tmp_path: Path) -> None:
    homes = REGISTRY.drop(index=8).assign(voters=2)
    places = Places.of(homes)
    hostile = pd.DataFrame({"precinct_id": [1, 2, 3], "name": ["<script>alert(1)</script>",
                                                                "A & B", '"q"'],
                            "address": ["г. Аксу, ул. Абая, д. 10", "x", "y"]})
    decision = describe(homes, homes.set_index("household_id")["precinct_id"], places, hostile)
    page = html_document(decision, places, "ru", note="<b>note</b>")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "A &amp; B" in page
    assert "<b>note" not in page
    changed = changed_addresses(homes, homes.set_index("household_id")["precinct_id"],
                                homes.set_index("household_id")["precinct_id"] % 3 + 1,
                                pd.Series(dtype=float), pd.Series(dtype=float),
                                metres_per_min=75.0)
    changed.loc[0, "address"] = "<img src=x onerror=alert(1)>"
    notices = notices_html(changed, {1: "<i>x</i>", 2: "y", 3: "z"}, places, "ru",
                           speed_kmh=4.5)
    assert "<img" not in notices
    assert "<i>" not in notices


def test_a_decision_is_read_from_text_in_either_encoding_or_word(tmp_path: Path) -> None:
    text = DECISION
    (tmp_path / "a.txt").write_bytes(text.encode("cp1251"))
    (tmp_path / "b.txt").write_bytes(text.encode("utf-8-sig"))
    assert read_text(tmp_path / "a.txt") == read_text(tmp_path / "b.txt") == text
    (tmp_path / "c.txt").write_bytes(b"\x00\x01binary")
    with pytest.raises(AksugeoError, match="not a text file"):
        read_text(tmp_path / "c.txt")
    (tmp_path / "d.docx").write_bytes(b"PK\x03\x04broken")
    with pytest.raises(AksugeoError, match="not a readable Word document"):
        read_text(tmp_path / "d.docx")
    with pytest.raises(AksugeoError, match="no such file"):
        read_text(tmp_path / "missing.txt")


@pytest.mark.parametrize(("row", "field"), [
    ({"precinct_id": "x"}, "precinct_id"), ({"side": "left"}, "side"),
    ({"from": "abc"}, "from")])
def test_a_bad_segment_names_its_row_and_field(row: dict[str, str], field: str) -> None:
    good = {"precinct_id": "1", "settlement": "г. Аксу", "street": "ул. Абая", "from": "1",
            "to": "5", "side": "both"}
    frame = pd.DataFrame([good, good | row])
    with pytest.raises(AksugeoError, match=rf"^segments.csv:3:{field}"):
        from_segments(frame)


def test_walking_figures_of_the_decisions_assignment(shipped_build: BuildReport) -> None:
    net = load_network(DATA / "network" / "aksu.osm.bz2")
    homes, precincts = shipped_build.dataset.households, shipped_build.dataset.precincts
    settings = shipped_build.access.settings
    registry = walking_figures(net, homes, precincts,
                               homes.set_index("household_id")["precinct_id"], settings)
    for m in settings.bands_min:  # the registry's figures are the build's
        assert registry[f"voters_within_{m}"] == shipped_build._all(f"voters_within_{m}")  # noqa: SLF001
    assert registry["voters_no_precinct"] == 0
    decided = read_geopackage(shipped_build.gpkg, DECISION_ASSIGNMENT).set_index(
        "household_id")["precinct_id"]
    decision = walking_figures(net, homes, precincts, decided, settings)
    planted = homes[homes["household_id"].isin(["AB-0007", "PH-00250", "PH-01335"])]
    assert decision["households_no_precinct"] == 3
    assert decision["voters_no_precinct"] == int(planted["voters"].sum())
    assert decision["voters"] == registry["voters"] == 53413
    for m in settings.bands_min:
        assert decision[f"voters_within_{m}"] <= registry[f"voters_within_{m}"]


@pytest.mark.parametrize(("written", "now"), [
    ("улица Комсомольская", "Кабанбай батыра"),  # OSM's old_name
    ("Комсомол көшесі", "Кабанбай батыра"),  # OSM's old_name:kk
    ("ул. Кирова", "Валиханова"),  # only in the clerk's renames table
    ("Киров көшесі", "Валиханова"),
    ("Егістік көшесі", "Полевая"),  # OSM's name:kk
    ("Полевая", "Полевая"), ("проспект Габдуллина", "Габдуллина")])
def test_a_street_is_found_by_any_of_its_names(places: Places, written: str, now: str) -> None:
    assert places.street("г. Аксу", written) == places.street("г. Аксу", now) is not None
