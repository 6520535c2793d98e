"""Lists for the canvass teams, and what moving a precinct changes, to read and to print.

Lists: a precinct's households not visited yet, by street and by turf.

What a team leader takes out on the day: the streets with the house numbers still to visit,
and walks of about N doors each (:func:`aksugeo.canvass.turfs.cut_turfs`, the same turfs as
``aksugeo canvass turfs``) with their stops in walking order. As tables for the page, as an
Excel workbook (a sheet for the streets, one per turf) and as A4 walk sheets to print, each
with a small map of its turf; texts in the page's language. A move
(:func:`aksugeo.siting.scenarios.move_precinct`): its figures, accessibility and the households
whose nearest precinct changes, as tables and as a one-page memo for the akimat.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pandas as pd
import shapely

from aksugeo.canvass.state import Canvass
from aksugeo.canvass.turfs import Turfs
from aksugeo.data.io import xlsx_bytes
from aksugeo.i18n import catalogue, count, day, number, text
from aksugeo.passport.report import Page, Section, document_html
from aksugeo.siting.scenarios import Move
from aksugeo.walk.network import WalkNetwork

# a segment of an address that is its house (and flat): "д. 12", "дом 12а", "12/1", "кв. 5"
_HOUSE = re.compile(r"^(?:д\.?|дом|үй|house)\s*\S+$|^\d+\s*[а-яёәғқңөұүһіa-z]?(?:[/-]\d+)?$|"
                    r"^(?:кв\.?|пәтер|apt\.?)\s*\S+$", re.IGNORECASE)
_NUMBER = re.compile(r"(\d+)(.*)")


def street_of(address: str) -> tuple[str, str]:
    """Return an address's street (as written, with its settlement) and its house number.

    ``"г. Аксу, ул. Полевая, д. 1"`` -> ``("г. Аксу, ул. Полевая", "1")``; an address with no
    house part keeps the whole address as its street and an empty house.
    """
    parts = [p.strip() for p in str(address).split(",") if p.strip()]
    cut = next((i for i, p in enumerate(parts) if i and _HOUSE.match(p)), len(parts))
    house = re.sub(r"^(?:д\.?|дом|үй|house)\s*", "", parts[cut], flags=re.IGNORECASE) \
        if cut < len(parts) else ""
    return ", ".join(parts[:cut]), house


def _house_key(house: str) -> tuple[int, str]:
    m = _NUMBER.match(house)
    return (int(m.group(1)), m.group(2)) if m else (10**9, house)


@dataclass(frozen=True)
class TeamLists:
    """What is left to visit in one precinct as of a day.

    Attributes
    ----------
    precinct_id : int
    as_of : pandas.Timestamp
        Visits up to this day count.
    stops : pandas.DataFrame
        One row per household not visited, in walking order within each turf:
        ``turf_id``, ``order``, ``household_id``, ``address``, ``street``, ``house``,
        ``kind``, ``dwellings``, ``voters``, ``walk_m``, ``reach``, ``x`` and ``y`` (in the
        network's metric CRS).
    turfs : Turfs
        The turfs themselves (polygons, walks), for the maps.
    """

    precinct_id: int
    as_of: pd.Timestamp
    stops: pd.DataFrame
    turfs: Turfs

    @property
    def streets(self) -> pd.DataFrame:
        """Return the streets still to visit, by name.

        Columns ``street``, ``houses`` (the numbers, in order), ``households``, ``doors``,
        ``voters``.
        """
        rows = []
        for street, part in self.stops.groupby("street", sort=True):
            houses = sorted(dict.fromkeys(part["house"]), key=_house_key)
            rows.append({"street": street, "houses": ", ".join(h for h in houses if h),
                         "households": len(part), "doors": int(part["dwellings"].sum()),
                         "voters": int(part["voters"].sum())})
        return pd.DataFrame(rows, columns=["street", "houses", "households", "doors", "voters"])


def team_lists(can: Canvass, net: WalkNetwork, precinct_id: int, *, as_of: pd.Timestamp,
               doors: int = 60) -> TeamLists:
    """Return the lists of a precinct's households not visited by ``as_of``.

    Parameters
    ----------
    can : Canvass
        The build's canvass (:func:`aksugeo.canvass.state.open_canvass`).
    net : WalkNetwork
        The build's walking network.
    precinct_id : int
        The precinct.
    as_of : pandas.Timestamp
        Visits up to this day count.
    doors : int
        About how many doors a turf has.
    """
    cut = can.turfs(net, precinct_id, doors=doors, as_of=as_of)
    stops = cut.stops.copy()
    where = [street_of(a) for a in stops["address"]]
    stops["street"] = [w[0] for w in where]
    stops["house"] = [w[1] for w in where]
    homes = can.households.set_index("household_id").geometry.to_crs(net.crs)
    points = homes.loc[stops["household_id"]]
    stops["x"], stops["y"] = points.x.to_numpy(), points.y.to_numpy()
    columns = ["turf_id", "order", "household_id", "address", "street", "house", "kind",
               "dwellings", "voters", "walk_m", "reach", "x", "y"]
    return TeamLists(int(precinct_id), pd.Timestamp(as_of),
                     stops[columns].reset_index(drop=True), cut)


def _kind(kind: str, lang: str) -> str:
    return catalogue(lang).get(f"app.kind_{kind}", kind)


def street_table(lists: TeamLists, lang: str) -> pd.DataFrame:
    """Return :attr:`TeamLists.streets` with its columns named in ``lang``."""
    t = catalogue(lang)
    return lists.streets.rename(columns={
        "street": t["app.col_street"], "houses": t["app.col_houses"],
        "households": t["app.col_households"], "doors": t["app.col_doors"],
        "voters": t["app.col_voters"]})


def turf_table(lists: TeamLists, lang: str) -> pd.DataFrame:
    """Return each turf in ``lang``: its doors, households, voters, walk in minutes."""
    t = catalogue(lang)
    turfs = lists.turfs.turfs
    return pd.DataFrame({
        t["app.col_turf"]: turfs["turf_id"].astype(str),
        t["app.col_doors"]: turfs["doors"].astype(int),
        t["app.col_households"]: turfs["households"].astype(int),
        t["app.col_voters"]: turfs["voters"].astype(int),
        t["app.col_walk_min"]: turfs["walk_min"].round(0).astype(int)})


def stop_table(lists: TeamLists, lang: str, turf_id: str | None = None) -> pd.DataFrame:
    """Return the stops (of one turf, or all) in walking order, in ``lang``.

    With a column to tick and one for notes, as a team fills it in on the street.
    """
    t = catalogue(lang)
    s = lists.stops if turf_id is None else lists.stops[lists.stops["turf_id"] == turf_id]
    return pd.DataFrame({
        t["app.col_turf"]: s["turf_id"].astype(str), t["app.col_order"]: s["order"].astype(int),
        t["app.col_address"]: s["address"],
        t["app.col_kind"]: [_kind(k, lang) for k in s["kind"]],
        t["app.col_doors"]: s["dwellings"].astype(int),
        t["app.col_voters"]: s["voters"].astype(int),
        t["app.col_visited"]: "☐", t["app.col_note"]: ""})


def lists_xlsx(lists: TeamLists, lang: str) -> bytes:
    """Return the workbook: the streets, then one sheet per turf (its stops in order)."""
    t = catalogue(lang)
    sheets = {t["app.sheet_streets"]: street_table(lists, lang)}
    for turf_id in lists.turfs.turfs["turf_id"]:
        sheets[f"{t['app.col_turf']} {turf_id}"] = stop_table(lists, lang, turf_id).drop(
            columns=t["app.col_turf"])
    return xlsx_bytes(sheets)


def turf_svg(lists: TeamLists, turf_id: str, net: WalkNetwork, lang: str) -> str:
    """Return a small map of one turf: streets, its lots, its walk, its stops numbered."""
    from matplotlib.figure import Figure  # noqa: PLC0415 (no plotting package on import)

    turfs = lists.turfs
    row = turfs.turfs[turfs.turfs["turf_id"] == turf_id].iloc[0]
    stops = lists.stops[lists.stops["turf_id"] == turf_id]
    points = [shapely.Point(x, y) for x, y in zip(stops["x"], stops["y"], strict=True)]
    x0, y0, x1, y1 = shapely.union(row.geometry, shapely.MultiPoint(points)).buffer(60).bounds
    half = max(x1 - x0, y1 - y0) / 2
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    extent = (cx - half, cy - half, cx + half, cy + half)
    fig = Figure(figsize=(5.6, 5.6), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    near = net.lines[net.tree.query(shapely.box(*extent))]
    for line in shapely.get_parts(shapely.clip_by_rect(near, *extent)):
        if isinstance(line, shapely.LineString):
            xs, ys = line.xy
            ax.plot(xs, ys, color="#9a9a9a", linewidth=0.5, zorder=1)
    for part in shapely.get_parts(row.geometry):
        if isinstance(part, shapely.Polygon):
            xs, ys = part.exterior.xy
            ax.fill(xs, ys, color="#fdd49e", alpha=0.5, linewidth=0, zorder=2)
    path = turfs.paths[turfs.turfs["turf_id"].eq(turf_id).to_numpy()]
    for geom in path:
        for line in shapely.get_parts(geom):
            if isinstance(line, shapely.LineString):
                xs, ys = line.xy
                ax.plot(xs, ys, color="#d7301f", linewidth=1.4, zorder=3)
    for order, pt in zip(stops["order"], points, strict=True):
        ax.plot(pt.x, pt.y, "o", markersize=9, color="white", markeredgecolor="#d7301f",
                zorder=4)
        ax.text(pt.x, pt.y, str(int(order)), ha="center", va="center", fontsize=5.5, zorder=5)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal")
    ax.set_axis_off()
    bar = min((b for b in (50, 100, 200, 250, 500, 1000) if b >= half / 3), default=1000)
    ax.plot([extent[0] + half * 0.08, extent[0] + half * 0.08 + bar],
            [extent[1] + half * 0.08] * 2, color="black", linewidth=2.5)
    ax.text(extent[0] + half * 0.08 + bar / 2, extent[1] + half * 0.11,
            text(lang, "report.metres", metres=bar), ha="center", fontsize=7)
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]


def walk_sheets_html(lists: TeamLists, net: WalkNetwork, lang: str, *, name: str,
                     synthetic: bool) -> str:
    """Return A4 walk sheets: the streets left on the first page, then one page per turf."""
    t = catalogue(lang)
    when = day(lang, lists.as_of)
    streets = street_table(lists, lang)
    pages = [Page(
        title=text(lang, "app.sheet_title", precinct=lists.precinct_id, name=name),
        dated=text(lang, "app.sheet_as_of", day=when),
        paragraphs=[text(lang, "app.sheet_summary", households=count(lang, len(lists.stops)),
                         doors=count(lang, int(lists.stops["dwellings"].sum())),
                         turfs=len(lists.turfs.turfs))],
        sections=[Section(t["app.sheet_streets"], list(streets.columns),
                          streets.to_numpy().tolist())])]
    for turf in lists.turfs.turfs.itertuples():
        stops = stop_table(lists, lang, str(turf.turf_id)).drop(columns=t["app.col_turf"])
        pages.append(Page(
            title=f"{t['app.col_turf']} {turf.turf_id}",
            dated=text(lang, "app.sheet_turf", doors=int(turf.doors),
                       households=int(turf.households), voters=int(turf.voters),
                       minutes=number(lang, round(float(turf.walk_min)))) + f" · {when}",
            figure=turf_svg(lists, str(turf.turf_id), net, lang),
            sections=[Section("", list(stops.columns), stops.to_numpy().tolist())],
            signature=t["app.sheet_sign"]))
    return document_html(pages, lang=lang, synthetic=synthetic)


def _figure(lang: str, table: pd.DataFrame, state: str, key: str) -> str:
    return number(lang, round(float(table[key].loc[state]), 1))


def move_tables(move: Move, lang: str) -> dict[str, pd.DataFrame]:
    """Return what a move changes as tables in ``lang``.

    ``figures`` (the precinct's voters and every voter, before and after), ``access`` (by
    group), ``streets`` (the households whose nearest precinct changes, by street).
    """
    t = catalogue(lang)
    speed, slow = (number(lang, move.settings.speed_kmh),
                   number(lang, move.settings.reduced_speed_kmh))
    rows = []
    for key, label in (("within_10_pct", text(lang, "app.move_within", minutes=10, speed=speed)),
                       ("within_15_pct", text(lang, "app.move_within", minutes=15, speed=speed)),
                       ("within_15_reduced_pct",
                        text(lang, "app.move_within", minutes=15, speed=slow)),
                       ("mean_min", t["app.fig_mean"]), ("p95_min", t["app.fig_p95"])):
        for who, table in ((t["app.move_own"], move.voters), (t["app.move_all"], move.everyone)):
            if key in table.columns:
                rows.append({t["app.move_figure"]: f"{label} · {who}",
                             t["app.state_before"]: _figure(lang, table, "before", key),
                             t["app.state_after"]: _figure(lang, table, "after", key)})
    yes, no = t["value.yes"], t["value.no"]
    access = pd.DataFrame({
        t["app.group"]: [t[f"group.{g}"] for g in move.access.index],
        t["app.state_before"]: [yes if v else no for v in move.access["before"]],
        t["app.state_after"]: [yes if v else no for v in move.access["after"]]})
    ch = move.changed.assign(street=[street_of(a)[0] for a in move.changed["address"]])
    streets = ch.groupby(["street", "nearest_before", "nearest_after"], as_index=False).agg(
        households=("household_id", "size"), voters=("voters", "sum"))
    streets = pd.DataFrame({
        t["app.col_street"]: streets["street"],
        t["app.move_nearest_before"]: [f"№ {p}" for p in streets["nearest_before"]],
        t["app.move_nearest_after"]: [f"№ {p}" for p in streets["nearest_after"]],
        t["app.col_households"]: streets["households"].astype(int),
        t["app.col_voters"]: streets["voters"].astype(int)})
    return {"figures": pd.DataFrame(rows), "access": access, "streets": streets}


def move_summary(move: Move, lang: str) -> list[str]:
    """Return the move in a few sentences, in ``lang``."""
    t = catalogue(lang)
    own = move.voters
    lines = [text(lang, "app.move_line_voters",
                  before=_figure(lang, own, "before", "within_15_pct"),
                  after=_figure(lang, own, "after", "within_15_pct"),
                  speed=number(lang, move.settings.speed_kmh))] if "within_15_pct" in own else []
    lost = move.lost_groups
    lines.append(text(lang, "app.move_line_lost", groups=", ".join(t[f"group.{g}"] for g in lost))
                 if lost else t["app.move_line_kept"])
    lines.append(text(lang, "app.move_line_changed", households=count(lang, len(move.changed)),
                      voters=count(lang, int(move.changed["voters"].sum()))))
    return lines


def move_memo(move: Move, lang: str, *, synthetic: bool) -> str:
    """Return a one-page memo for the akimat on moving a precinct, to print."""
    t = catalogue(lang)
    tables = move_tables(move, lang)
    page = Page(
        title=text(lang, "app.move_title", precinct=move.precinct_id, old=move.old["name"],
                   new=move.new["name"]),
        to=t["app.letter_to"], sender=t["app.letter_from"], dated=day(lang, pd.Timestamp.now()),
        paragraphs=move_summary(move, lang),
        sections=[Section(t["app.move_figures"], list(tables["figures"].columns),
                          tables["figures"].to_numpy().tolist()),
                  Section(t["app.tab_access"], list(tables["access"].columns),
                          tables["access"].to_numpy().tolist()),
                  Section(t["app.move_changed"], list(tables["streets"].columns),
                          tables["streets"].to_numpy().tolist())],
        signature=t["app.letter_sign"])
    return document_html([page], lang=lang, synthetic=synthetic)
