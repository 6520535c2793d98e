"""A decision's documents: read from text or Word; written as Word, HTML and street segments.

Street segments follow the Voting Information Project's form: one row per street range.

Street segments (``segments.csv``): ``precinct_id``, ``settlement``, ``street`` (empty for a
whole settlement or a settlement's houses without street; ``мкр 5`` for a microdistrict),
``from``, ``to`` (house numbers; both empty for the whole street or side; ``to`` empty for one
house), ``side`` (``odd``, ``even`` or ``both``). :func:`from_segments` reads them back into the
same decision.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd

from aksugeo._errors import AksugeoError
from aksugeo.boundaries.decision import WHOLE_SIDE, Decision, Entry, Rule
from aksugeo.boundaries.describe import TITLE, render
from aksugeo.boundaries.houses import House, Item, house
from aksugeo.boundaries.places import Places

SEGMENT_COLUMNS = ["precinct_id", "settlement", "street", "from", "to", "side"]


def read_text(path: str | Path) -> str:
    """Return a decision's text from a ``.txt`` (UTF-8 or Windows-1251) or ``.docx`` file.

    Raises
    ------
    AksugeoError
        When the file is missing or is neither.
    """
    path = Path(path)
    if not path.is_file():
        raise AksugeoError(f"{path}: no such file")
    data = path.read_bytes()
    if path.suffix.lower() == ".docx" or data[:2] == b"PK":
        import docx  # noqa: PLC0415  (only Word files need it)

        try:
            document = docx.Document(io.BytesIO(data))
        except Exception as exc:  # python-docx raises several kinds on a damaged file
            raise AksugeoError(f"{path}: not a readable Word document ({exc})") from exc
        return "\n".join(p.text for p in document.paragraphs)
    if b"\x00" in data[:4096]:
        raise AksugeoError(f"{path}: not a text file (a decision is text or .docx)")
    for encoding in ("utf-8-sig", "cp1251"):  # clerks' Windows machines save in 1251
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AksugeoError(f"{path}: neither UTF-8 nor Windows-1251 text")  # pragma: no cover


def html_document(decision: Decision, places: Places, lang: str = "ru", *,
                  title: str | None = None, note: str = "") -> str:
    """Return the decision's annex as an HTML page (every text escaped), for print or the web."""
    text = render(decision, places, lang, title="")
    title = title or TITLE[lang]
    blocks = [b for b in text.split("\n\n") if b.strip()]
    sections = []
    for block in blocks:
        lines = block.strip().splitlines()
        sections.append(f"<section><h2>{html.escape(lines[0])}</h2>" + "".join(
            f"<p>{html.escape(line)}</p>" for line in lines[1:]) + "</section>")
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>body{{font:11pt/1.4 'PT Serif',serif;"
            "max-width:48rem;margin:2rem auto;padding:0 1rem}h2{font-size:12pt;margin:1.2em 0 "
            ".3em}p{margin:.2em 0;text-align:justify}.note{color:#555;font-size:9pt}"
            "@page{size:A4;margin:2cm}</style></head><body>"
            f"<h1>{html.escape(title)}</h1>"
            + (f'<p class="note">{html.escape(note)}</p>' if note else "")
            + "".join(sections) + "</body></html>")


def docx_document(decision: Decision, places: Places, lang: str = "ru", *,
                  title: str | None = None, note: str = "") -> bytes:
    """Return the decision's annex as a Word document (.docx)."""
    import docx  # noqa: PLC0415

    document = docx.Document()
    document.add_heading(title or TITLE[lang], level=1)
    if note:
        document.add_paragraph(note)
    for block in render(decision, places, lang, title="").split("\n\n"):
        lines = block.strip().splitlines()
        if not lines:
            continue
        document.add_heading(lines[0], level=2)
        for line in lines[1:]:
            document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def segments(decision: Decision, places: Places, lang: str = "ru") -> pd.DataFrame:
    """Return a decision as street segments (see the module), a row per range or house."""
    rows = []
    for entry in decision.entries:
        for rule in entry.rules:
            town = rule.settlement or ""
            if rule.kind == "settlement":
                street = ""
            elif rule.area or rule.micro:
                street = places.name(town, rule.area or f"micro:{rule.micro}", lang)
            else:
                street = str(rule.street)
            if rule.whole:
                rows.append((entry.precinct_id, town, street, "", "", "both"))
            for item in rule.items:
                whole_side = item.last is not None and item.last.number == WHOLE_SIDE
                rows.append((entry.precinct_id, town, street,
                             "" if whole_side else item.first.text,
                             "" if whole_side or item.last is None else item.last.text,
                             item.side))
    return pd.DataFrame(rows, columns=SEGMENT_COLUMNS)


def from_segments(frame: pd.DataFrame, *, source: str = "segments.csv") -> Decision:
    """Read street segments (see the module) back into a decision.

    Raises
    ------
    AksugeoError
        Naming the row and field of a segment that is not one.
    """
    missing = [c for c in SEGMENT_COLUMNS if c not in frame.columns]
    if missing:
        raise AksugeoError(f"{source}: no column {', '.join(missing)}")
    entries: dict[int, Entry] = {}
    for n, row in enumerate(frame.fillna("").astype(str).to_dict("records"), start=2):
        try:
            p = int(float(row["precinct_id"]))
        except ValueError:
            raise AksugeoError(f"{source}:{n}:precinct_id: {row['precinct_id']!r} is not a "
                               "number") from None
        side = row["side"].strip() or "both"
        if side not in ("both", "odd", "even"):
            raise AksugeoError(f"{source}:{n}:side: {side!r} is not odd, even or both")
        first, last, street = row["from"].strip(), row["to"].strip(), row["street"].strip()
        number = re.search(r"\d+", street)
        micro = number.group() if number and (street.lower().startswith("мкр")
                                              or "шағын аудан" in street) else None
        entry = entries.setdefault(p, Entry(p))
        rule = Rule(len(entry.rules) + 1, f"{street} {first}-{last}".strip(),
                    row["settlement"].strip() or None, None if micro or not street else street,
                    micro)
        if not first and side == "both":
            entry.rules.append(replace(rule, whole=True))
            continue
        a = house(first) if first else House((0, 0, 0, 0, 0), "0")
        b = house(last) if last else (None if first else House((WHOLE_SIDE, 0, 0, 0, 0),
                                                                 str(WHOLE_SIDE)))
        if a is None or (last and b is None):
            raise AksugeoError(f"{source}:{n}:from: {first!r} to {last!r} is not a house number")
        entry.rules.append(replace(rule, items=(Item(a, b, side),)))  # type: ignore[arg-type]
    return Decision(list(entries.values()))
