"""Printable accessibility passports: one A4 sheet per precinct and a summary for the commission.

:func:`write_report` reads the built GeoPackage and writes HTML that prints on A4 from any
browser: ``precinct_<id>.html`` for each precinct (a map of its catchment, walking bands and
entrance; the categories; the passport; the failed items and their remedies; the walking
figures), ``passports.html`` with every sheet (one per page, for printing all at once), and
``index.html``, the one-page summary. Maps are inline SVG drawn with matplotlib, so a sheet is
one self-contained file that needs no network. Texts come from the catalogues of
:mod:`aksugeo.i18n`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import jinja2
import numpy as np
import pandas as pd
import shapely

from aksugeo._errors import AksugeoError
from aksugeo.data.layers import (
    CATCHMENTS,
    HOUSEHOLDS,
    ISOCHRONES,
    PASSPORT_REMEDIES,
    PRECINCTS,
    open_build,
)
from aksugeo.data.schema import PASSPORTS
from aksugeo.i18n import DEFAULT_LANGUAGE, catalogue, count, day, number, percent, speeds, text
from aksugeo.passport.rules import (
    CATEGORIES,
    GROUPS,
    ITEM_KEYS,
    remedy_plans,
    remedy_text,
    words,
)
from aksugeo.settings import AccessSettings
from aksugeo.styles import CATEGORY_COLOURS, CATEGORY_MARKS, NO_CATEGORY, band_colours
from aksugeo.walk.network import WalkNetwork, load_network
from aksugeo.walk.profiles import profiles_of

if TYPE_CHECKING:
    from matplotlib.axes import Axes

MAP_MARGIN_M = 150.0
SHOWN_FIELDS = [f.name for f in PASSPORTS.fields
                if f.name not in ("precinct_id", "entrance_lon", "entrance_lat")]


@dataclass
class _Built:
    """What the sheets are made from, read once."""

    precincts: gpd.GeoDataFrame  # metric CRS
    isochrones: gpd.GeoDataFrame
    catchments: gpd.GeoDataFrame
    households: pd.DataFrame
    remedies: pd.DataFrame | None
    meta: dict[str, str]
    net: WalkNetwork | None
    settings: AccessSettings  # what the build recorded (the defaults if it recorded none)
    as_of: str  # the canvass's day: the last visit in the log, imports since the build included


def _share(part: float, whole: float, lang: str) -> str:
    return percent(lang, 100 * part / max(whole, 1), digits=0)


def summary_band(settings: AccessSettings) -> int:
    """Return the band the one-page summary shows: 15 minutes, or the build's nearest to it."""
    return min(settings.bands_min, key=lambda m: (abs(m - 15), m))


def _read(db: Path) -> _Built:
    built = open_build(db)
    crs = built.meta.get("metric_crs") or "EPSG:3857"
    precincts = built.spatial(PRECINCTS)
    if "category" not in precincts.columns:
        raise AksugeoError(f"{built.path}: the precincts have no accessibility passports; add "
                           "passports.csv to the data directory and run `aksugeo build`")
    remedies = built.layer(PASSPORT_REMEDIES) if built.has_layer(PASSPORT_REMEDIES) else None
    source = built.network_path
    net = load_network(source) if source is not None else None
    visits = built.visits
    as_of = (visits["date"].max().date().isoformat() if len(visits)
             else built.meta.get("coverage_as_of", ""))
    return _Built(precincts.to_crs(crs), built.spatial(ISOCHRONES).to_crs(crs),
                  built.spatial(CATCHMENTS).to_crs(crs), built.layer(HOUSEHOLDS), remedies,
                  built.meta, net, built.settings, as_of)


def _scale_bar(ax: Axes, extent: tuple[float, float, float, float], lang: str) -> None:
    x0, y0, x1, _ = extent
    span = x1 - x0
    bar = min((b for b in (100, 200, 250, 500, 1000, 2000, 5000) if b >= span / 6),
              default=5000)
    x, y = x0 + span * 0.04, y0 + span * 0.04
    ax.plot([x, x + bar], [y, y], color="black", linewidth=2.5, solid_capstyle="butt")
    ax.text(x + bar / 2, y + span * 0.012, text(lang, "report.metres", metres=bar),
            ha="center", va="bottom", fontsize=7)


def _extent(row: pd.Series, bands: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    """Return a square around the 20-minute reach (a catchment may run far into the steppe)."""
    reach = bands.union_all() if len(bands) else row.geometry.buffer(500)
    x0, y0, x1, y1 = shapely.union(reach, row.geometry).buffer(MAP_MARGIN_M).bounds
    half = max(x1 - x0, y1 - y0) / 2
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return cx - half, cy - half, cx + half, cy + half


def map_svg(built: _Built, precinct_id: int, lang: str) -> str:
    """Return the SVG map of one precinct: streets, walking bands, catchment, entrance.

    Parameters
    ----------
    built : _Built
        The layers read from the GeoPackage.
    precinct_id : int
        The precinct.
    lang : str
        Language of the legend.

    Returns
    -------
    str
        An ``<svg>`` element.
    """
    from matplotlib.figure import Figure  # noqa: PLC0415 (no plotting package on import)
    from matplotlib.lines import Line2D  # noqa: PLC0415
    from matplotlib.patches import Patch  # noqa: PLC0415

    row = built.precincts.set_index("precinct_id").loc[precinct_id]
    bands = built.isochrones[built.isochrones["precinct_id"] == precinct_id].sort_values(
        "minutes", ascending=False)
    extent = _extent(row, bands)
    fig = Figure(figsize=(3.7, 3.7), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    box = shapely.box(*extent)
    if built.net is not None:
        lines = built.net.lines
        near = lines[built.net.tree.query(box)]
        for line in shapely.get_parts(shapely.clip_by_rect(near, *extent)):
            if isinstance(line, shapely.LineString):
                xs, ys = line.xy
                ax.plot(xs, ys, color="#9a9a9a", linewidth=0.4, zorder=1)
    handles: list[Any] = []
    colours = band_colours(built.settings.bands_min)
    for minutes, geom in bands[["minutes", "geometry"]].itertuples(index=False):
        colour = colours.get(int(minutes), NO_CATEGORY)
        gpd.GeoSeries([geom]).plot(ax=ax, color=colour, alpha=0.45, linewidth=0, zorder=2)
        handles.append(Patch(color=colour, alpha=0.6,
                             label=text(lang, "report.map_band", minutes=int(minutes))))
    catch = built.catchments[built.catchments["precinct_id"] == precinct_id]
    catch.boundary.plot(ax=ax, color="black", linewidth=1.1, linestyle="--", zorder=3)
    ax.plot(row.geometry.x, row.geometry.y, "o", markersize=9, zorder=4,
            color=CATEGORY_COLOURS.get(row["category"], NO_CATEGORY), markeredgecolor="black")
    handles = [*handles[::-1],
               Line2D([], [], color="black", linestyle="--", label=text(
                   lang, "report.map_catchment")),
               Line2D([], [], marker="o", color="w", markeredgecolor="black",
                      markerfacecolor=CATEGORY_COLOURS.get(row["category"], NO_CATEGORY),
                      markersize=8, label=text(lang, "report.map_precinct"))]
    if pd.notna(row.get("entrance_lon")) and pd.notna(row.get("entrance_lat")):
        door = gpd.GeoSeries(gpd.points_from_xy([row["entrance_lon"]], [row["entrance_lat"]]),
                             crs=4326).to_crs(built.precincts.crs).iloc[0]
        ax.plot(door.x, door.y, "^", markersize=7, color="white", markeredgecolor="black",
                zorder=5)
        handles.append(Line2D([], [], marker="^", color="w", markeredgecolor="black",
                              markersize=7, label=text(lang, "report.map_entrance")))
    if built.net is not None:
        handles.append(Line2D([], [], color="#9a9a9a", linewidth=0.8,
                              label=text(lang, "report.map_streets")))
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal")
    ax.set_axis_off()
    _scale_bar(ax, extent, lang)
    ax.legend(handles=handles, loc="best", fontsize=6, framealpha=0.85)
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]


def _value(value: object, lang: str) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return text(lang, "value.none")
    if isinstance(value, (bool, np.bool_)):
        return text(lang, "value.yes" if value else "value.no")
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value).removesuffix("T00:00:00")


def _sheet(built: _Built, row: pd.Series, lang: str) -> dict[str, Any]:
    """Everything one sheet shows, as text."""
    pid = int(row["precinct_id"])
    homes = built.households[built.households["precinct_id"] == pid]
    failed = [k for k in str(row["failed_items"] or "").split(",") if k]
    fixes = {k: (fix.remedy, text(lang, f"state.{fix.state}"))
             for k, fix in remedy_plans(built.remedies, lang).get(pid, {}).items()}
    settings = built.settings
    normal_speed, reduced_speed = speeds(lang, settings.speed_kmh, settings.reduced_speed_kmh)
    voters = int(row["voters"])
    walking = []
    for minutes in settings.bands_min:
        within = [int(row[f"voters_within_{minutes}{s}"]) for s in ("", "_reduced")]
        walking.append({"label": text(lang, "report.within", minutes=minutes),
                        "normal": f"{count(lang, within[0])} ({_share(within[0], voters, lang)})",
                        "reduced": f"{count(lang, within[1])} ({_share(within[1], voters, lang)})"})
    if "walk_accessible_m" in homes.columns:
        passes = int(homes["passes_precinct_id"].notna().sum())
        far = int(row.get(f"voters_accessible_beyond_{settings.last_band}_reduced", 0))
    else:
        passes, far = 0, 0
    cat = catalogue(lang)
    return {
        "id": pid,
        "title": text(lang, "report.passport_title", precinct=pid),
        "name": row["name"], "address": row["address"],
        "kind": f"{cat['facility.' + row['facility_type']]}, {cat['area.' + row['area_type']]}",
        "category": row["category"], "category_text": cat["category." + row["category"]],
        "colour": CATEGORY_COLOURS[row["category"]],
        "groups": [{"name": cat[f"group.{g}"], "category": row[f"category_{g}"],
                    "text": cat["category." + row[f"category_{g}"]],
                    "colour": CATEGORY_COLOURS[row[f"category_{g}"]]} for g in GROUPS],
        "failed": [{"item": words(k, lang), "remedy": fixes.get(k, (cat["remedy.none"], ""))[0],
                    "state": fixes.get(k, ("", ""))[1]} for k in failed if k in ITEM_KEYS],
        "passport": [{"label": cat[f"field.{name}"],
                      "value": _value(row.get(name if name != "booth_accessible"
                                              else "accessible_booth"), lang)}
                     for name in SHOWN_FIELDS],
        "voters": count(lang, voters), "households": count(lang, len(homes)),
        "speed_normal": normal_speed, "speed_reduced": reduced_speed,
        "walking": walking, "passes": count(lang, passes), "accessible_far": count(lang, far),
        "accessible_far_label": text(lang, "report.accessible_far", minutes=settings.last_band),
        "no_step_free": (count(lang, int(row[f"voters_no_step_free_{settings.step_free_min}"]))
                         if f"voters_no_step_free_{settings.step_free_min}" in row.index
                         else None),
        "no_step_free_label": text(
            lang, "report.no_step_free", minutes=settings.step_free_min,
            speed=number(lang, profiles_of(settings)["wheelchair"].speed_kmh)),
        "map": map_svg(built, pid, lang),
    }


_ENV = jinja2.Environment(loader=jinja2.PackageLoader("aksugeo.passport", "templates"),
                          autoescape=jinja2.select_autoescape(["html", "j2"]),
                          undefined=jinja2.StrictUndefined, trim_blocks=True,
                          lstrip_blocks=True)


@dataclass(frozen=True)
class Section:
    """A table in a printed document: a heading, its columns, its rows (text or numbers)."""

    heading: str
    columns: Sequence[str]
    rows: Sequence[Sequence[object]]


@dataclass(frozen=True)
class Page:
    """One A4 page (or more, when its tables are long) of a printed document.

    ``figure`` is an SVG the toolkit drew itself (:func:`map_svg`, a walk sheet's map): it is
    the only part written as it is; every other text is escaped.
    """

    title: str
    paragraphs: Sequence[str] = ()
    sections: Sequence[Section] = ()
    to: str = ""
    sender: str = ""
    dated: str = ""
    signature: str = ""
    figure: str = ""


def document_html(pages: Sequence[Page], *, lang: str, synthetic: bool) -> str:
    """Return a document that prints on A4: a letter, a memo, walk sheets.

    Parameters
    ----------
    pages : sequence of Page
        Each starts on a new sheet.
    lang : str
        The document's language (the page's ``lang``, hyphenation).
    synthetic : bool
        Mark every page as made from synthetic data.
    """
    return _ENV.get_template("document.html.j2").render(
        lang=lang, t=catalogue(lang), synthetic=synthetic, pages=pages,
        title=pages[0].title if pages else "")


def _page(lang: str, built: _Built) -> dict[str, Any]:
    synthetic = built.meta.get("synthetic") == "True"
    return {"lang": lang, "t": catalogue(lang), "synthetic": synthetic,
            "built": text(lang, "report.built", built=day(lang, built.meta.get("built_at", "")[:10])
                          if built.meta.get("built_at") else "",
                          as_of=day(lang, built.as_of) if built.as_of else "")}


def _summary(built: _Built, lang: str) -> dict[str, Any]:
    p = built.precincts.sort_values("precinct_id")
    cat = catalogue(lang)
    band = summary_band(built.settings)
    plans = remedy_plans(built.remedies, lang)
    rows = [{"id": int(r["precinct_id"]), "name": r["name"], "settlement": r["settlement"],
             "category": r["category"], "text": cat[f"category.{r['category']}"],
             "colour": CATEGORY_COLOURS[r["category"]],
             "groups": [{"colour": CATEGORY_COLOURS[r[f"category_{g}"]],
                         "mark": CATEGORY_MARKS[r[f"category_{g}"]],
                         "title": f"{cat[f'group.{g}']}: {cat['category.' + r[f'category_{g}']]}"}
                        for g in GROUPS],
             "mark": CATEGORY_MARKS[r["category"]],
             "failed": "; ".join(words(k, lang) for k in str(r["failed_items"] or "").split(",")
                                 if k in ITEM_KEYS),
             "voters": count(lang, int(r["voters"])),
             "within_reduced": _share(r[f"voters_within_{band}_reduced"], r["voters"], lang),
             "remedies": "; ".join(
                 remedy_text(k, plans.get(int(r["precinct_id"]), {}).get(k), lang, who=True)
                 for k in str(r["failed_items"] or "").split(",") if k in ITEM_KEYS)}
            for _, r in p.iterrows()]
    totals = []
    for column, label in [("category", cat["report.overall"]),
                          *((f"category_{g}", cat[f"group.{g}"]) for g in GROUPS)]:
        cells = [text(lang, "report.totals_cell", precincts=int((p[column] == c).sum()),
                      voters=count(lang, int(p.loc[p[column] == c, "voters"].sum())))
                 for c in CATEGORIES]
        totals.append({"label": label, "cells": cells})
    groups = ", ".join(cat[f"group.{g}"] for g in GROUPS)
    return {"rows": rows, "totals": totals, "dots": text(lang, "report.dots", groups=groups),
            "within_reduced": text(lang, "report.col_within_reduced", minutes=band),
            "categories": [{"text": cat[f"category.{c}"], "colour": CATEGORY_COLOURS[c],
                            "mark": CATEGORY_MARKS[c]} for c in CATEGORIES]}


def write_report(db: str | Path, out_dir: str | Path, *, lang: str = DEFAULT_LANGUAGE,
                 precincts: Sequence[int] | None = None) -> list[Path]:
    """Write the passport sheets and the summary as HTML that prints on A4.

    Parameters
    ----------
    db : str or Path
        The GeoPackage ``aksugeo build`` wrote (with passports in the data).
    out_dir : str or Path
        The folder to write into (created when missing).
    lang : str
        ``ru`` (default), ``kk`` or ``en``.
    precincts : sequence of int, optional
        Only these precincts' sheets (the summary always lists every precinct).

    Returns
    -------
    list of Path
        The sheets, then ``passports.html`` (all sheets), then ``index.html`` (the summary).

    Raises
    ------
    AksugeoError
        When the GeoPackage is missing, has no passports, or a precinct is unknown.
    """
    catalogue(lang)  # refuses an unknown language before any work
    built = _read(Path(db))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    known = built.precincts["precinct_id"].astype(int).tolist()
    chosen = sorted(known) if precincts is None else list(precincts)
    unknown = [p for p in chosen if p not in known]
    if unknown:
        raise AksugeoError(f"{db}: no precinct {', '.join(map(str, unknown))} (there are "
                           f"{min(known)} to {max(known)})")
    page = _page(lang, built)
    rows = built.precincts.set_index(built.precincts["precinct_id"].astype(int))
    sheets = [_sheet(built, rows.loc[pid], lang) for pid in chosen]
    written = []
    for sheet in sheets:
        path = out / f"precinct_{sheet['id']}.html"
        path.write_text(_ENV.get_template("sheets.html.j2").render(page, sheets=[sheet]),
                        encoding="utf-8")
        written.append(path)
    every = out / "passports.html"
    every.write_text(_ENV.get_template("sheets.html.j2").render(page, sheets=sheets),
                     encoding="utf-8")
    summary = out / "index.html"
    summary.write_text(_ENV.get_template("summary.html.j2").render(
        page, **_summary(built, lang), sheets=chosen), encoding="utf-8")
    return [*written, every, summary]
