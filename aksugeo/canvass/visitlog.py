"""The visit log: the canvass's visits in the ``visits`` table of the GeoPackage (SQLite).

One record per household, team and day: that triple is the visit's stable key, so importing
the same file twice, or two exports that overlap, adds nothing twice. A second knock by the same
team on the same day is one visit; the day's outcome is what the team records.

An import checks every row, writes the good ones in one SQLite transaction (``BEGIN
IMMEDIATE``: a killed or failed import leaves the table as it was) while it holds the
GeoPackage's writer lock (:mod:`aksugeo.data.lock`: a second import, or a build about to
replace the file, waits for it, then lands too), and writes the rejected rows with their
reasons to ``<input>.rejected.csv`` beside the input.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from aksugeo._errors import AksugeoError
from aksugeo.data import _validate as v
from aksugeo.data.io import damaged, existing_gpkg, read_table, read_visit_log, write_csv
from aksugeo.data.lock import WAIT_S, writing
from aksugeo.data.schema import VISITS, Layer

TABLE = "visits"
KEY_FIELDS = ("household_id", "date", "team")
#: Columns an imported file must have; ``visit_id`` is kept when given.
REQUIRED = ("household_id", "date", "wave", "team", "outcome", "voters_reached")
#: The schema an imported row is checked by: the log's columns but visit_id.
_IMPORTED = Layer(VISITS.name, "", tuple(f for f in VISITS.fields if f.name in REQUIRED), None,
                  VISITS.description)
COLUMNS = ("visit_key", "visit_id", *REQUIRED, "source", "imported_at")
BUSY_TIMEOUT_S = 120.0
_INSERT = f'INSERT INTO "{TABLE}" ({", ".join(COLUMNS)}) VALUES ({", ".join("?" * len(COLUMNS))})'
_DDL = f"""
CREATE TABLE IF NOT EXISTS "{TABLE}" (
  "fid" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  "visit_key" TEXT NOT NULL,
  "visit_id" TEXT,
  "household_id" TEXT NOT NULL,
  "date" DATE NOT NULL,
  "wave" INTEGER NOT NULL,
  "team" TEXT NOT NULL,
  "outcome" TEXT NOT NULL,
  "voters_reached" INTEGER NOT NULL CHECK ("voters_reached" >= 0),
  "source" TEXT,
  "imported_at" DATETIME
);
CREATE UNIQUE INDEX IF NOT EXISTS "{TABLE}_visit_key" ON "{TABLE}" ("visit_key");
CREATE INDEX IF NOT EXISTS "{TABLE}_household_date" ON "{TABLE}" ("household_id", "date");
"""
_HOUSEHOLDS = "households"


def visit_key(household_id: str, date: str, team: str) -> str:
    """Return the stable key of a visit: its household, ISO day and team."""
    return f"{household_id.strip()}|{date.strip()}|{' '.join(team.split()).casefold()}"


@dataclass
class ImportReport:
    """What an import did, row by row counted.

    Attributes
    ----------
    source : Path
        The file imported.
    rows : int
        Data rows in it.
    imported : int
        Rows added to the log.
    already : int
        Rows the log held already (the same visit, the same values), or repeated in the file.
    rejected : int
        Rows refused, each with its reason in ``rejected_path``.
    rejected_path : Path or None
        The ``*.rejected.csv`` written beside the input (None when nothing was rejected).
    total : int
        Visits in the log after the import.
    note : str
        How the file was read when it was not plain UTF-8 CSV.
    """

    source: Path
    rows: int
    imported: int
    already: int
    rejected: int
    rejected_path: Path | None
    total: int
    note: str = ""

    def __str__(self) -> str:
        """Return the report as the command prints it."""
        lines = [f"{self.source}: {self.rows:,} rows{f' ({self.note})' if self.note else ''}",
                 f"  imported:         {self.imported:>7,}",
                 f"  already in log:   {self.already:>7,}",
                 f"  rejected:         {self.rejected:>7,}"]
        if self.rejected_path is not None:
            lines.append(f"  rejected rows and reasons: {self.rejected_path}")
        lines.append(f"visits in the log: {self.total:,}")
        return "\n".join(lines)


@contextlib.contextmanager
def connect(db: str | Path) -> Iterator[sqlite3.Connection]:
    """Open the GeoPackage for the visit log, waiting for another writer rather than failing.

    Parameters
    ----------
    db : str or Path
        The GeoPackage (it must exist: ``aksugeo build`` writes it).

    Yields
    ------
    sqlite3.Connection
        In autocommit mode; transactions are begun explicitly.
    """
    path = existing_gpkg(db)
    con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        with damaged(path, TABLE):
            yield con
    finally:
        con.close()


def create_table(con: sqlite3.Connection) -> None:
    """Create the ``visits`` attribute table and register it in the GeoPackage, if missing."""
    exists = con.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?",
                         (TABLE,)).fetchone()
    if exists:
        cols = {r[1] for r in con.execute(f'PRAGMA table_info("{TABLE}")')}
        if "visit_key" not in cols:
            raise AksugeoError(f"table {TABLE!r} is not an aksugeo visit log (no visit_key "
                               "column); rebuild the GeoPackage with `aksugeo build`")
        return
    now = _gpkg_now()
    for statement in filter(str.strip, _DDL.split(";")):  # executescript would commit
        con.execute(statement)
    con.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, "
                "last_change) VALUES (?, 'attributes', ?, ?, ?)",
                (TABLE, TABLE, VISITS.description, now))
    has_counts = con.execute("SELECT 1 FROM sqlite_master WHERE name='gpkg_ogr_contents'"
                             ).fetchone()
    if has_counts:  # GDAL keeps feature counts there; keep them right as GDAL's triggers do
        con.execute("INSERT INTO gpkg_ogr_contents (table_name, feature_count) VALUES (?, 0)",
                    (TABLE,))
        for op, sign in (("INSERT", "+"), ("DELETE", "-")):
            con.execute(
                f'CREATE TRIGGER "trigger_{op.lower()}_feature_count_{TABLE}" AFTER {op} ON '
                f'"{TABLE}" BEGIN UPDATE gpkg_ogr_contents SET feature_count = feature_count '
                f"{sign} 1 WHERE lower(table_name) = lower('{TABLE}'); END")


def read_visits(db: str | Path) -> pd.DataFrame:
    """Return the visit log of a GeoPackage, ``date`` as ``datetime64`` (one row per visit).

    The data layer's reader (:func:`aksugeo.data.io.read_visit_log`), waiting for a writer as
    the log's own connections do.
    """
    return read_visit_log(db, timeout_s=BUSY_TIMEOUT_S)


def _households(con: sqlite3.Connection, db: Path) -> dict[str, int]:
    if not con.execute("SELECT 1 FROM sqlite_master WHERE name=?", (_HOUSEHOLDS,)).fetchone():
        raise AksugeoError(f"{db}: no {_HOUSEHOLDS!r} layer to check visits against; run "
                           "`aksugeo build` first")
    return dict(con.execute(f'SELECT household_id, voters FROM "{_HOUSEHOLDS}"').fetchall())


def _lines(table: pd.DataFrame) -> list[int]:
    """Return the line of the file each row was read from (the header is line 1)."""
    return table.attrs.get("lines") or [i + 2 for i in range(len(table))]


def check_rows(table: pd.DataFrame, voters: dict[str, int]) -> tuple[pd.DataFrame, list[str]]:
    """Check each row of a visits table; return the typed rows and each row's reason.

    Parameters
    ----------
    table : pandas.DataFrame
        The rows as text, with the columns of :data:`REQUIRED` (``visit_id`` optional).
    voters : dict
        Known household id -> its voters.

    Returns
    -------
    rows : pandas.DataFrame
        The typed values (``date`` as ISO text) with ``visit_key``.
    reasons : list of str
        ``""`` for a good row, else every problem of the row as ``field: message``.
    """
    labels = [f"line {n}" for n in _lines(table)]
    records = [{str(k): val for k, val in r.items()} for r in table.to_dict("records")]
    rows, problems = v.check_fields(records, _IMPORTED, "", labels)
    problems += v.visit_refs(rows, voters, "", labels)
    # a row with the wrong number of fields: only that is said (its values may have slid)
    shape = table.attrs.get("shape") or {}
    slid = {labels[i] for i in shape}
    problems = [p for p in problems if p.record not in slid]
    problems += [v.Problem("", labels[i], "fields", why) for i, why in shape.items()]
    why: dict[str, list[str]] = {}
    for p in problems:  # by record, in field order, then the cross-references
        why.setdefault(p.record, []).append(f"{p.field}: {p.message}")
    reasons = ["; ".join(why.get(label, [])) for label in labels]
    given = "visit_id" in table.columns
    rows.insert(0, "visit_id", [str(r["visit_id"]).strip() or None if given else None
                                for r in records])
    rows["date"] = [d.isoformat() if d is not None else None for d in rows["date"]]
    rows["visit_key"] = [
        visit_key(str(h), str(d), str(t)) if not r else None
        for h, d, t, r in zip(rows["household_id"], rows["date"], rows["team"], reasons,
                              strict=True)]
    return rows, reasons


_COMPARED = ("wave", "outcome", "voters_reached")


def _conflict(row: dict[str, object], held: tuple[object, ...], where: str) -> str:
    diffs = [f"{name} {held[i]!r} there, {row[name]!r} here"
             for i, name in enumerate(_COMPARED) if held[i] != row[name]]
    return (f"visit_key: the same household, day and team is already logged ({where}) with "
            f"other values: {', '.join(diffs)}") if diffs else ""


def insert_rows(con: sqlite3.Connection, rows: pd.DataFrame, *, source: str,
                progress: Callable[[int, int], None] | None = None,
                batch_rows: int = 5000) -> tuple[int, int, list[str]]:
    """Insert checked visits inside the caller's transaction; compare repeats with the log.

    Parameters
    ----------
    con : sqlite3.Connection
        In a transaction begun with ``BEGIN IMMEDIATE``.
    rows : pandas.DataFrame
        Checked rows with ``visit_key`` (see :func:`check_rows`).
    source : str
        Where they came from, stored with each visit.
    progress : callable, optional
        Called with (rows written, rows to write) after each batch.
    batch_rows : int
        Rows per ``executemany`` batch.

    Returns
    -------
    imported, already : int
        Rows added, and rows the log (or an earlier row) held already with the same values.
    reasons : list of str
        Per row, ``""`` or why it conflicts with what the log holds.
    """
    held = {r[0]: r[1:] for r in con.execute(
        f'SELECT visit_key, {", ".join(_COMPARED)} FROM "{TABLE}"')}
    first_line: dict[str, int] = {}
    new, reasons, already = [], [], 0
    now = _gpkg_now()
    for i, record in enumerate(rows.to_dict("records")):
        row = {str(k): val for k, val in record.items()}
        key = str(row["visit_key"])
        if key in held:
            where = (f"row {first_line[key] + 1} of this file" if key in first_line
                     else "in the log")
            reason = _conflict(row, held[key], where)
            already += not reason
            reasons.append(reason)
            continue
        held[key] = tuple(row[name] for name in _COMPARED)
        first_line[key] = i
        new.append((*(row[c] for c in COLUMNS[:-2]), source, now))
        reasons.append("")
    for start in range(0, len(new), batch_rows):
        con.executemany(_INSERT, new[start:start + batch_rows])
        if progress is not None:
            progress(min(start + batch_rows, len(new)), len(new))
    return len(new), already, reasons


def _gpkg_now() -> str:
    """Return the time now as GeoPackage DATETIME text: ``YYYY-MM-DDTHH:MM:SS.SSSZ``, UTC."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _touch(con: sqlite3.Connection) -> None:
    con.execute("UPDATE gpkg_contents SET last_change = ? WHERE table_name = ?",
                (_gpkg_now(), TABLE))


#: How teams write an outcome, in Russian and Kazakh (lower case, ё as е), -> its code
OUTCOME_WORDS: dict[str, str] = {
    **dict.fromkeys(("поговорили", "поговорил", "поговорила", "разговор", "беседа",
                     "состоялся разговор", "сөйлесті", "сөйлестік", "әңгімелесті",
                     "әңгіме болды"), "talked"),
    **dict.fromkeys(("нет дома", "не застали", "никого нет", "никого не было", "не открыли",
                     "үйде жоқ", "үйде ешкім жоқ", "ешкім жоқ", "есік ашылмады"), "not_home"),
    **dict.fromkeys(("отказ", "отказались", "отказался", "отказалась", "отказ от разговора",
                     "бас тартты", "бас тартты."), "refused"),
}
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})")
_STAMP = re.compile(r"(\d{4}-\d{2}-\d{2})[ T]00:00(:00)?")


def as_teams_write(table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Read dates and outcomes as teams write them: ``28.05.2019``, ``поговорили``, ``үйде жоқ``.

    Dates ``dd.mm.yyyy`` (or ``dd.mm.yy``, the 2000s), as Russian and Kazakh write them, and the
    ``2019-05-28 00:00:00`` a spreadsheet's date cell becomes, are turned into ISO days;
    outcomes in words (:data:`OUTCOME_WORDS`, any case) into their codes. Anything else is left
    as written, for the checks to refuse with the line named.

    Returns
    -------
    table : pandas.DataFrame
        A copy, with the dates and outcomes it could read rewritten.
    notes : list of str
        What was read how (``12 dates written dd.mm.yyyy``), for the import's report.
    """
    out = table.copy()
    notes = []
    if "date" in out.columns:
        def iso(text: str) -> str:
            value = str(text).strip()
            if hit := _DOTTED.fullmatch(value):
                day, month, year = (int(g) for g in hit.groups())
                year += 2000 if year < 100 else 0  # dd.mm.yy: the 2000s
                try:
                    return dt.date(year, month, day).isoformat()
                except ValueError:  # 31.02.2019: refused as the team wrote it
                    return str(text)
            if hit := _STAMP.fullmatch(value):
                return hit.group(1)
            return str(text)
        dates = out["date"].map(iso)
        changed = int((dates != out["date"]).sum())
        if changed:
            notes.append(f"{changed:,} dates written dd.mm.yyyy read as days")
        out["date"] = dates
    if "outcome" in out.columns:
        words = out["outcome"].map(
            lambda o: OUTCOME_WORDS.get(" ".join(str(o).lower().replace("ё", "е").split()), o))
        changed = int((words != out["outcome"]).sum())
        if changed:
            notes.append(f"{changed:,} outcomes written in words read as codes")
        out["outcome"] = words
    out.attrs = dict(table.attrs)
    return out, notes


def rejected_path(source: str | Path) -> Path:
    """Return where the rejected rows of ``source`` go: ``<name>.rejected.csv`` beside it."""
    source = Path(source)
    return source.with_name(f"{source.stem}.rejected.csv")


def import_visits(source: str | Path, db: str | Path, *,
                  progress: Callable[[int, int], None] | None = None,
                  batch_rows: int = 5000, wait_s: float = WAIT_S) -> ImportReport:
    """Import a team's visits CSV (or XLSX) into the GeoPackage's visit log.

    Parameters
    ----------
    source : str or Path
        The file, with columns household_id, date (YYYY-MM-DD), wave, team, outcome,
        voters_reached and optionally visit_id; UTF-8 or Windows-1251, ``,`` or ``;``.
    db : str or Path
        The GeoPackage written by ``aksugeo build``.
    progress : callable, optional
        Called with (rows written, rows to write) while the transaction is open.
    batch_rows : int
        Rows per insert batch.
    wait_s : float
        How long to wait for another writer of the GeoPackage (a build, an import).

    Returns
    -------
    ImportReport
        Counts of imported, already logged and rejected rows.

    Raises
    ------
    AksugeoError
        When the file cannot be read or lacks a column, or another writer held the
        GeoPackage for ``wait_s`` (:class:`aksugeo.data.lock.BusyError`); nothing is imported then.
    """
    source, db = Path(source), Path(db)
    written, note = read_table(source)
    written.columns = [str(c).strip() for c in written.columns]
    table, notes = as_teams_write(written)
    note = "; ".join(filter(None, [note, *notes]))
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        raise AksugeoError(f"{source}: column(s) missing: {', '.join(missing)} (a visits file "
                           f"has {', '.join(('visit_id', *REQUIRED))}); nothing was imported")
    with writing(db, f"canvass import {source.name}", timeout_s=wait_s), connect(db) as con:
        rows, reasons = check_rows(table, _households(con, db))
        good = [i for i, r in enumerate(reasons) if not r]
        con.execute("BEGIN IMMEDIATE")  # one writer at a time; others wait for the lock
        try:
            create_table(con)
            imported, already, conflicts = insert_rows(
                con, rows.iloc[good], source=source.name, progress=progress,
                batch_rows=batch_rows)
            _touch(con)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        total = int(con.execute(f'SELECT count(*) FROM "{TABLE}"').fetchone()[0])
    for i, reason in zip(good, conflicts, strict=True):
        reasons[i] = reason
    bad = [i for i, r in enumerate(reasons) if r]
    out = rejected_path(source)
    out.unlink(missing_ok=True)  # a stale list from an earlier run would mislead
    if bad:
        rejected = written.iloc[bad].copy()  # as the team wrote them
        lines = _lines(table)
        rejected.insert(0, "line", [lines[i] for i in bad])
        rejected["reason"] = [reasons[i] for i in bad]
        write_csv(rejected, out)
    return ImportReport(source, len(table), imported, already, len(bad), out if bad else None,
                        total, note)


def log_rows(visits: pd.DataFrame) -> pd.DataFrame:
    """Return validated visits (a data directory's log) as rows of the log, with their keys.

    Parameters
    ----------
    visits : pandas.DataFrame
        With the columns of :data:`REQUIRED`, ``visit_id``, and ``date`` as dates.

    Returns
    -------
    pandas.DataFrame
        ``visit_key``, ``visit_id`` and :data:`REQUIRED`, ``date`` as ISO text.
    """
    rows = visits[["visit_id", *REQUIRED]].copy()
    rows["date"] = pd.to_datetime(rows["date"]).dt.strftime("%Y-%m-%d")
    rows.insert(0, "visit_key", [visit_key(h, d, t) for h, d, t in zip(
        rows["household_id"], rows["date"], rows["team"], strict=True)])
    return rows


def previous_log(db: str | Path) -> pd.DataFrame:
    """Return every visit an earlier GeoPackage logged (empty when there is none).

    ``aksugeo build`` replaces the GeoPackage; every visit of the old one carries over, a
    household's that has left the data too: a visit, once accepted, is never deleted.

    Parameters
    ----------
    db : str or Path
        The GeoPackage about to be replaced (it may not exist).

    Returns
    -------
    pandas.DataFrame
        Every column of the log (``date`` as ISO text), in the order they were logged.
    """
    empty = pd.DataFrame(columns=list(COLUMNS))
    db = Path(db)
    if not db.is_file():
        return empty
    with connect(db) as con:
        has = con.execute(f"SELECT group_concat(name) FROM pragma_table_info('{TABLE}')"
                          ).fetchone()[0]
        if not has or "visit_key" not in has.split(","):
            return empty
        return pd.read_sql_query(f'SELECT {", ".join(COLUMNS)} FROM "{TABLE}" ORDER BY fid',
                                 con)


def write_log(db: str | Path, kept: pd.DataFrame, rows: pd.DataFrame, *,
              source: str) -> list[str]:
    """Create the visit log in a new GeoPackage: the carried visits, then ``rows`` imported.

    Parameters
    ----------
    db : str or Path
        The GeoPackage being written.
    kept : pandas.DataFrame
        Visits carried over (all of them: :func:`previous_log`), with every column of the log.
    rows : pandas.DataFrame
        New rows (see :func:`log_rows`), imported as by :func:`import_visits`.
    source : str
        Where ``rows`` came from.

    Returns
    -------
    list of str
        Per row of ``rows``, ``""`` or why it conflicts with a kept visit.
    """
    with connect(db) as con:
        con.execute("BEGIN IMMEDIATE")
        try:
            create_table(con)
            con.executemany(
                _INSERT,
                kept[list(COLUMNS)].astype(object).where(kept.notna(), None)
                .itertuples(index=False, name=None))
            _, _, reasons = insert_rows(con, rows, source=source)
            _touch(con)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return reasons


def merged_log(kept: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """Return what :func:`write_log` stores, as a frame: kept visits first, then new keys."""
    frame = pd.concat([kept, rows], ignore_index=True).drop_duplicates("visit_key")
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.astype({"wave": "int64", "voters_reached": "int64"}).reset_index(drop=True)
