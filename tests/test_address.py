"""Parsing and normalising addresses as clerks write them."""

from __future__ import annotations

import csv

import pytest

from aksugeo.geocode.address import TOKENS, nominative_aliases, parse_address, skeleton

from .conftest import ROOT

SETTLEMENTS = ["Аксу", "Калкаман", "Алгабас"]


@pytest.mark.parametrize(("text", "want"), [
    ("г. Аксу, ул. Ленина, д. 12, кв. 5", ("Аксу", "Ленина", None, "12", "5")),
    ("Ленина 12", (None, "Ленина", None, "12", None)),
    ("Ленина 12-5", (None, "Ленина", None, "12", "5")),
    ("Ленин көшесі, 12 үй", (None, "Ленин", None, "12", None)),
    ("Ақсу қаласы, Абай көшесі, 12 үй, 5 пәтер", ("Ақсу", "Абай", None, "12", "5")),
    ("ul. Lenina 12", (None, "Lenina", None, "12", None)),
    ("g. Aksu, ul. Lenina 12, kv. 3", ("Aksu", "Lenina", None, "12", "3")),
    ("Abai köşesı, 12", (None, "Abai", None, "12", None)),
    ("Kalkaman auyly, Abai köşesı, 7", ("Kalkaman", "Abai", None, "7", None)),
    ("г. Аксу, мкр. 5, д. 3, кв. 7", ("Аксу", None, "5", "3", "7")),
    ("5 мкр, 12-34", (None, None, "5", "12", "34")),
    ("мкр5 д9 кв133", (None, None, "5", "9", "133")),
    ("5 шағын аудан, 12 үй, 34 пәтер", (None, None, "5", "12", "34")),
    ("с. Калкаман, ул. Абая, д. 7", ("Калкаман", "Абая", None, "7", None)),
    ("Калкаман, Абая 7", ("Калкаман", "Абая", None, "7", None)),
    ("с Калкаман ул Абая д7", ("Калкаман", "Абая", None, "7", None)),
    ("ул Победы д3 кв54", (None, "Победы", None, "3", "54")),
    ("ул. Абая, д. 12А", (None, "Абая", None, "12а", None)),
    ("ул. Абая, д. 12/1", (None, "Абая", None, "12/1", None)),
    ("ул. Абая, д. 12 корп. 2", (None, "Абая", None, "12к2", None)),
    ("12, ул. Абая, г. Аксу", ("Аксу", "Абая", None, "12", None)),
    ("г. Аксу, улица Королёва, дом 3, квартира 8", ("Аксу", "Королева", None, "3", "8")),
    ("с. Коктас, д. 7", ("Коктас", None, None, "7", None)),
    ("проспект Абая 10", (None, "Абая", None, "10", None)),
])
def test_parse(text: str, want: tuple[str | None, ...]) -> None:
    p = parse_address(text, SETTLEMENTS)
    assert (p.settlement, p.street, p.micro, p.house, p.flat) == want
    assert p.raw == text


@pytest.mark.parametrize(("a", "b"), [
    ("Абая", "Abaya"), ("Абай", "Abai"), ("Жеңіс", "Jeñıs"), ("Королёва", "Koroleva"),
    ("Құрылысшылар", "Qūrylysşylar"), ("Шевченко", "Shevchenko"), ("Ленина", "ЛЕНИНА"),
    ("Толе би", "Töle bi"), ("Әуезов", "Auezov"), ("Бухар жырау", "Bukhar zhyrau"),
])
def test_same_skeleton(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)


def test_different_names_stay_apart() -> None:
    names = ["Абая", "Абай", "Ленина", "Сатпаева", "Садовая", "Степная", "Строителей"]
    skeletons = [skeleton(n) for n in names]
    assert len(set(skeletons)) == len(names)


@pytest.mark.parametrize(("genitive", "nominative"), [
    ("Ленина", "Ленин"), ("Абая", "Абай"), ("Сатпаева", "Сатпаев"), ("Маметовой", "Маметова"),
    ("Достоевского", "Достоевский"), ("Кабанбай батыра", "Кабанбай батыр"),
])
def test_nominative_aliases(genitive: str, nominative: str) -> None:
    assert nominative in nominative_aliases(genitive)


FORMS = ROOT / "tests" / "input_data" / "addresses" / "clerks_forms.csv"


@pytest.mark.parametrize("row", list(csv.DictReader(FORMS.open(encoding="utf-8"))),
                         ids=lambda r: r["form"])
def test_clerks_forms(row: dict[str, str]) -> None:
    # written by hand, as clerks write them (issue 20), not by the generator of the shipped list
    p = parse_address(row["text"], [*SETTLEMENTS, "Евгеньевка"])
    got = (p.settlement, p.street, p.micro, p.house, p.flat)
    assert got == tuple(row[k] or None for k in ("settlement", "street", "micro", "house",
                                                  "flat")), row["form"]


def test_accents_and_apostrophes_belong_to_the_word() -> None:
    assert skeleton("Mútkenov") == skeleton("Муткенов")
    assert skeleton("Evgen'evka") == skeleton("Евгеньевка")
    assert skeleton("Йыл") != skeleton("Иыл") or skeleton("й") == skeleton("и")


def _written(word: str) -> str:
    """A token of the grammar's table as a clerk writes it (``шағын\\s+ауданы?`` -> words)."""
    return word.replace(r"\s+", " ").replace("?", "")


# each role of the grammar's table, an address that writes one of its words ({w}), and what the
# parser must read from it
READ_BY_ROLE = [
    ("house_before", "Аксу, Абая, {w}. 12", "house", "12"),
    ("house_after", "Аксу, Абая, 12 {w}", "house", "12"),
    ("flat_before", "Аксу, Абая 12, {w}. 7", "flat", "7"),
    ("flat_after", "Аксу, Абая 12, 7 {w}", "flat", "7"),
    ("microdistrict", "Аксу, {w} 5, 12", "micro", "5"),
    ("settlement_after", "Калкаман {w}, Абай көшесі, 12", "settlement", "Калкаман"),
    ("settlement_before", "{w}. Калкаман, ул. Абая, 12", "settlement", "Калкаман"),
    ("street", "Аксу, {w}. Абая, 12", "street", "Абая"),
    ("country", "{w}, г. Аксу, ул. Абая, 12", "street", "Абая"),
    ("region", "Павлодарская {w}., г. Аксу, ул. Абая, 12", "street", "Абая"),
    ("district", "Аксуский {w}, г. Аксу, ул. Абая, 12", "street", "Абая"),
]


@pytest.mark.parametrize("lang", ["ru", "kk", "latin"])
@pytest.mark.parametrize(("role", "template", "part", "expected"), READ_BY_ROLE)
def test_every_word_of_the_grammar_table_is_read(lang: str, role: str, template: str,
                                                 part: str, expected: str) -> None:
    # the parser's patterns are built from TOKENS alone: each word of each role is read so
    for w in TOKENS[role][lang]:
        got = parse_address(template.format(w=_written(w)), ["Аксу"])
        assert getattr(got, part) == expected, (role, w, got)
        if role in ("country", "region", "district"):  # the postal head is dropped
            assert (got.settlement, got.house) == ("Аксу", "12"), (role, w, got)
