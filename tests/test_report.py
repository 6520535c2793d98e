"""Printable passport sheets and the summary: what they say, and that each prints on one A4 page."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest

from aksugeo.build import BuildReport, build
from aksugeo.cli import main
from aksugeo.data.io import read_geopackage
from aksugeo.i18n import catalogue, count
from aksugeo.passport.report import write_report
from aksugeo.passport.rules import GROUPS, words

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHEETS = [560, 580, 586, 593]


class Cells(HTMLParser):
    """Collect the text of every table row, by the table's class."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[list[str]]] = {}
        self.table: list[str] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for key in ("src", "href"):
            if a.get(key) and re.match(r"(https?:)?//", a[key] or ""):
                self.external.append(a[key] or "")
        if tag == "table":
            self.table.append(a.get("class") or "")
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows.setdefault(self.table[-1], []).append(self.row)
            self.row = None
        elif tag == "table":
            self.table.pop()

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def ru(n: int) -> str:
    """A count as the sheets write it in Russian, as read back (spaces between groups)."""
    return count("ru", n).replace("\u00a0", " ")


def cells(path: Path) -> Cells:
    parser = Cells()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def report_dir(shipped_build: BuildReport, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    assert main(["report", "--db", str(shipped_build.gpkg), "--out", str(out), "--precinct",
                 *map(str, SHEETS)]) == 0
    return out


def test_sheets_say_what_the_passport_and_the_walks_say(report_dir: Path,
                                                        shipped_build: BuildReport) -> None:
    t = catalogue("ru")
    precincts = read_geopackage(shipped_build.gpkg, "precincts").set_index("precinct_id")
    remedies = read_geopackage(shipped_build.gpkg, "passport_remedies")
    for pid in SHEETS:
        row = precincts.loc[pid]
        page = cells(report_dir / f"precinct_{pid}.html")
        text = (report_dir / f"precinct_{pid}.html").read_text(encoding="utf-8")
        assert f"Паспорт доступности избирательного участка № {pid}" in text
        assert t["report.synthetic"] in text
        assert page.external == []  # one self-contained file: the map is inline SVG
        assert text.count("<svg") == 1
        categories = page.rows["categories"]
        assert categories[0][1] == t[f"category.{row['category']}"]
        assert [r[1] for r in categories[1:]] == [
            t[f"category.{row[f'category_{g}']}"] for g in
            ("wheelchair", "reduced_mobility", "blind_low_vision", "deaf_hard_of_hearing",
             "cognitive")]
        failed = [k for k in (row["failed_items"] or "").split(",") if k]
        got = page.rows.get("failed", [])[1:]
        assert [r[0] for r in got] == [words(k, "ru") for k in failed]
        mine = remedies[remedies["precinct_id"] == pid].set_index("item")
        for k, r in zip(failed, got, strict=True):
            if k in mine.index:
                assert r[1:] == [mine.loc[k, "remedy"], t[f"state.{mine.loc[k, 'state']}"]]
            else:
                assert r[1:] == [t["remedy.none"], ""]
        if not failed:
            assert t["report.none_failed"] in text
        walking = page.rows["walking"]
        for minutes, line in zip((5, 10, 15, 20), walking[1:5], strict=True):
            normal, reduced = (int(row[f"voters_within_{minutes}{s}"])
                               for s in ("", "_reduced"))
            assert line[1].startswith(f"{ru(normal)} (")  # 2 199, as Russian writes it
            assert line[2].startswith(f"{ru(reduced)} (")
        passport = {r[0]: r[1] for r in page.rows["passport"]}
        assert passport[t["field.door_width_cm"]] == str(int(row["door_width_cm"]))
        assert passport[t["field.lift"]] == t["value.yes" if row["lift"] else "value.no"]
    # precinct 580's door is 80 cm, with no remedy recorded: not accessible to wheelchairs
    assert precincts.loc[580, "door_width_cm"] == 80
    assert precincts.loc[580, "category_wheelchair"] == "not_accessible"


def test_summary_lists_every_precinct_and_adds_up(report_dir: Path,
                                                  shipped_build: BuildReport) -> None:
    t = catalogue("ru")
    precincts = read_geopackage(shipped_build.gpkg, "precincts").set_index("precinct_id")
    page = cells(report_dir / "index.html")
    rows = page.rows["summary"][1:]
    assert [int(r[0]) for r in rows] == sorted(precincts.index)
    marks = {"accessible": "●", "partly_accessible": "◐", "not_accessible": "○"}
    for r in rows:
        p = precincts.loc[int(r[0])]
        # the category in words, and each group's by a mark as well as a colour
        groups = "".join(marks[p[f"category_{g}"]] for g in GROUPS)
        assert r[2] == f"{marks[p['category']]} {t[f'category.{p.category}']}"
        assert r[3] == groups
        assert r[5] == ru(int(p["voters"]))
    # the remedies, with who and by when, where the passport fails
    by_id = {int(r[0]): r for r in rows}
    move = "перенос участка в здание школы (перенос участка), акимат г. Аксу, ТИК, 01.06.2019"
    assert by_id[586][4] == (f"нет пути без ступеней от улицы: {move}; ступени на входе без "
                             f"пандуса: {move}; нет доступного туалета: мера не указана")
    overall = page.rows["totals"][1]
    assert overall[1:] == ["27 (38 359 изб.)", "9 (12 468 изб.)", "4 (2 586 изб.)"]
    html = (report_dir / "index.html").read_text(encoding="utf-8")
    assert html.count('href="precinct_') == len(SHEETS)  # links to the sheets written


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_each_sheet_prints_on_one_a4_page(shipped_build: BuildReport, tmp_path: Path,
                                          lang: str) -> None:
    assert CHROMIUM, "no chromium to print with: `make test` installs Debian's chromium"
    main(["report", "--db", str(shipped_build.gpkg), "--out", str(tmp_path), "--lang", lang,
          "--precinct", "562", "586", "591", "599"])
    for name, pages in (("precinct_591.html", 1), ("passports.html", 4), ("index.html", 1)):
        pdf = tmp_path / f"{name}.pdf"
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                        "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                        (tmp_path / name).as_uri()], check=True, capture_output=True,
                       timeout=120)
        reader = pypdf.PdfReader(pdf)
        assert len(reader.pages) == pages, (lang, name)
        box = reader.pages[0].mediabox
        size_mm = (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4))
        assert size_mm == (210, 297)  # A4


def test_clear_errors(shipped_build: BuildReport, mini: Path, tmp_path: Path,
                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--db", str(shipped_build.gpkg), "--out", str(tmp_path),
                 "--precinct", "12"]) == 1
    assert "no precinct 12 (there are 560 to 599)" in capsys.readouterr().err
    no_passports = build(mini, tmp_path / "mini_out").gpkg
    assert main(["report", "--db", str(no_passports), "--out", str(tmp_path / "r")]) == 1
    assert "the precincts have no accessibility passports" in capsys.readouterr().err
    assert main(["report", "--out", str(tmp_path), "--lang", "de"]) == 1  # a usage error
    assert "invalid choice: 'de'" in capsys.readouterr().err


def test_sheets_follow_the_builds_bands_and_speeds(custom_build: BuildReport,
                                                    tmp_path: Path) -> None:
    # once: KeyError 'voters_within_10' for a build without a 10-minute band, and 4.5 km/h
    # printed whatever speed the build used (bands 5, 20, 30 at 3.6 km/h here)
    built = custom_build
    written = write_report(built.gpkg, tmp_path / "report", lang="ru", precincts=[586])
    sheet = written[0].read_text(encoding="utf-8")
    for minutes in (5, 20, 30):
        assert f"до {minutes} мин" in sheet
    assert "до 10 мин" not in sheet
    assert "пешком, 3,6 км/ч" in sheet  # the Russian decimal comma
    row = read_geopackage(built.gpkg, "precincts").set_index("precinct_id").loc[586]
    assert count("ru", int(row["voters_within_30"])) in sheet
    summary = written[-1].read_text(encoding="utf-8")
    assert "В 20 мин, маломобильные" in summary  # the band nearest 15 minutes
