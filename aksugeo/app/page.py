"""The planners' dashboard: one page, everything on a map. Thin over aksugeo.app.dashboard and maps.

Started by ``aksugeo app [--db out/aksugeo.gpkg]`` (or ``streamlit run aksugeo/app/page.py --
--gpkg ...`` from a checkout). It reads the built GeoPackage (building it from ``data/`` first
when it is missing) through cached loaders, so that panning, clicking and filtering never
recompute the network. Leaflet is served from ``static/`` beside this page (static serving on):
no CDN, no internet.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import html
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import streamlit as st

from aksugeo import AksugeoError
from aksugeo.app import cache, sheets
from aksugeo.app import dashboard as dash
from aksugeo.app.component import cells_text, html_table, leaflet_map, parted_map
from aksugeo.app.maps import View, centred, framed, move_map, scenario_map
from aksugeo.data.io import csv_text, xlsx_bytes
from aksugeo.data.layers import DEFAULT_DB
from aksugeo.data.schema import AREA_TYPES, FACILITY_TYPES
from aksugeo.geocode.gazetteer import GAZETTEER_SOURCES
from aksugeo.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGE_NAMES,
    LANGUAGES,
    catalogue,
    count,
    number,
    percent,
    text,
)
from aksugeo.i18n import day as day_text
from aksugeo.passport.report import Page, Section, document_html
from aksugeo.passport.rules import CATEGORIES, GROUPS
from aksugeo.styles import CATEGORY_MARKS
from aksugeo.walk.profiles import profiles_of

# the figures under the map: three a row on a screen, one a row on a phone (the page's own
# list style indents a <dl>: not this one)
_CSS = """<style>
.aksugeo-figures {display: grid; margin: 0; padding: 0 !important; gap: 0.75rem 1.5rem;
  grid-template-columns: repeat(auto-fit, minmax(max(15rem, 30%), 1fr))}
.aksugeo-figure dt {font-size: 0.875rem; font-weight: 400}
.aksugeo-figure dd {font-size: 2.25rem; line-height: 1.25; margin: 0}
</style>"""


def _paths() -> tuple[Path, Path]:
    args = argparse.ArgumentParser(add_help=False)
    args.add_argument("--gpkg", type=Path, default=Path(DEFAULT_DB))
    args.add_argument("--data", type=Path, default=Path("data"))
    parsed = args.parse_known_args(sys.argv[1:])[0]
    return parsed.gpkg, parsed.data


def _ensure_build(gpkg: Path, data_dir: Path, t: dict[str, str]) -> None:
    if gpkg.is_file():
        return
    if not data_dir.is_dir():
        st.error(f"{gpkg}: {t['app.no_build']}")
        st.stop()
    from aksugeo.build import build

    with st.spinner(t["app.building"]):
        try:
            build(data_dir, gpkg.parent)
        except AksugeoError as exc:
            st.error(str(exc))
            st.stop()


def _lists_tab() -> None:
    """Show the households of a precinct not visited yet, by street and by walk, to take out."""
    if not Path(network_source).is_file():
        st.info(text(lang, "app.no_network", path=network_source))
        return
    ids_all = sorted(names)
    st.session_state.setdefault("lists_precinct", precinct if precinct is not None
                                else ids_all[0])
    left, right = st.columns([3, 1])
    chosen = left.selectbox(t["app.lists_precinct"], ids_all, key="lists_precinct",
                            format_func=lambda p: f"№ {p} · {names[p]}")
    doors = right.number_input(t["app.lists_doors"], min_value=10, max_value=400, value=60,
                               step=10, key="lists_doors")
    st.caption(text(lang, "app.lists_hint", day=day_text(lang, as_of), doors=doors))
    lists = cache.team_lists(str(gpkg), stamp, network_source, int(chosen), as_of.isoformat(),
                             int(doors))
    if lists.stops.empty:
        mine = int((data.households["precinct_id"] == chosen).sum())
        st.success(text(lang, "app.lists_done" if mine else "app.lists_none",
                        day=day_text(lang, as_of), precinct=chosen))
        return
    streets = sheets.street_table(lists, lang)
    st.markdown(text(lang, "app.lists_summary", households=count(lang, len(lists.stops)),
                     doors=count(lang, int(lists.stops["dwellings"].sum())),
                     voters=count(lang, int(lists.stops["voters"].sum())),
                     streets=len(streets), turfs=len(lists.turfs.turfs)))
    d1, d2 = st.columns(2)
    d1.download_button(t["app.download_lists_xlsx"], sheets.lists_xlsx(lists, lang),
                       on_click="ignore", file_name=f"walk_lists_{chosen}_{as_of.isoformat()}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key="lists_xlsx")
    d2.download_button(t["app.download_sheets"],
                       lambda: sheets.walk_sheets_html(lists, cache.network(network_source),
                                                       lang, name=names[chosen],
                                                       synthetic=data.synthetic),
                       on_click="ignore",
                       file_name=f"walk_sheets_{chosen}_{as_of.isoformat()}.html",
                       mime="text/html", key="lists_sheets")
    st.dataframe(streets, hide_index=True, width="stretch", key="lists_streets")
    st.dataframe(sheets.turf_table(lists, lang), hide_index=True, width="stretch",
                 key="lists_turfs")
    st.dataframe(sheets.stop_table(lists, lang).drop(
        columns=[t["app.col_visited"], t["app.col_note"]]), hide_index=True, width="stretch",
        key="lists_stops")


def _groups_text(site: pd.Series) -> str:
    """Return whom a site is accessible to, in words."""
    mine = [g for g in GROUPS if bool(site[f"access_{g}"])]
    if len(mine) == len(GROUPS):
        return t["app.move_groups_all"]
    return ", ".join(t[f"group.{g}"] for g in mine) or t["app.move_groups_none"]


def _move_tab() -> None:
    """Show what moving a precinct to another building changes, and a memo for the akimat."""
    sites = cache.candidates(str(gpkg), stamp)
    if sites is None or not Path(network_source).is_file():
        st.info(t["app.scenario_none"])
        return
    ids_all = sorted(names)
    st.session_state.setdefault("move_precinct", precinct if precinct is not None
                                else ids_all[0])
    left, right = st.columns(2)
    chosen = left.selectbox(t["app.move_precinct"], ids_all, key="move_precinct",
                            format_func=lambda p: f"№ {p} · {names[p]}")
    here = data.precincts[data.precincts["precinct_id"] == chosen]
    crs = data.precincts.estimate_utm_crs()
    km = sites.geometry.to_crs(crs).distance(here.geometry.to_crs(crs).iloc[0]) / 1000
    order = list(sites.index[km.argsort(kind="stable").to_numpy()[:12]])
    target = right.selectbox(
        t["app.move_to"], [*order, -1], key=f"move_to_{chosen}",
        format_func=lambda i: t["app.move_other"] if i == -1 else text(
            lang, "app.move_site", site=sites.at[i, "site_id"], name=sites.at[i, "name"],
            km=number(lang, round(float(km.iloc[i]), 1)), groups=_groups_text(sites.loc[i])))
    if target == -1:
        address = st.text_input(t["app.move_address"], key="move_address")
        groups = st.multiselect(t["app.move_address_groups"], GROUPS, key="move_groups",
                                format_func=lambda g: t[f"group.{g}"])
        geocoder = (cache.geocoder(network_source, cache.renames_of(data))
                    if network_source.endswith(GAZETTEER_SOURCES) else None)
        place = dash.search(data, address, geocoder) if address else None
        if place is None:
            if address:
                st.info(t["app.move_address_none"])
            return
        move = cache.move(str(gpkg), stamp, int(chosen), None, (place.lon, place.lat),
                          place.label, tuple(groups))
    else:
        move = cache.move(str(gpkg), stamp, int(chosen), str(sites.at[target, "site_id"]))
    lines = sheets.move_summary(move, lang)
    for line in lines:
        (st.warning if move.lost_groups and line == lines[1] else st.text)(line)
    tables = sheets.move_tables(move, lang)
    m_left, m_right = st.columns([3, 2])
    with m_left:
        leaflet_map(move_map(move, View(lang), cache.streets(network_source)), key="move_map")
    with m_right:
        st.dataframe(tables["figures"], hide_index=True, width="stretch", key="move_figures")
        st.dataframe(tables["access"], hide_index=True, width="stretch", key="move_access")
    st.caption(t["app.move_changed"])
    st.dataframe(tables["streets"], hide_index=True, width="stretch", key="move_streets")
    d1, d2 = st.columns(2)
    d1.download_button(t["app.download_memo"],
                       sheets.move_memo(move, lang, synthetic=data.synthetic),
                       on_click="ignore",
                       file_name=f"move_{chosen}.html", mime="text/html", key="move_memo")
    d2.download_button(t["app.download_xlsx"], xlsx_bytes({t["app.move_changed"][:31]: tables[
        "streets"], t["app.move_figures"][:31]: tables["figures"]}),
        on_click="ignore", file_name=f"move_{chosen}.xlsx", key="move_xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# the tabs below the map, by name: their labels in every language
TAB_LABELS = {"precincts": "app.table_title", "lists": "app.tab_lists",
              "access": "app.tab_access", "move": "app.tab_move", "canvass": "app.tab_canvass",
              "siting": "app.scenario_title", "downloads": "app.downloads"}
# what the address of the page keeps (a view link): the filters, the language, the tab
LINKED = ("lang", "precinct", "area", "facility", "group", "categories", "band", "profile",
          "as_of", "tab")


def _tab_in(lang: str) -> str | None:
    """Return the name of the tab open in ``lang`` (None: the first)."""
    label = st.session_state.get(f"tab_{lang}")
    return next((n for n, key in TAB_LABELS.items() if catalogue(lang)[key] == label), None)


def _language_changed() -> None:
    """Keep the open tab across a change of language (its label changes with it)."""
    new, old = st.session_state["lang"], st.session_state.get("_lang_before", DEFAULT_LANGUAGE)
    name = _tab_in(old)
    if name is not None:
        st.session_state[f"tab_{new}"] = catalogue(new)[TAB_LABELS[name]]


def _from_link(stage: str, **known: Any) -> None:  # noqa: ANN401
    """Set the widgets from the page's address, once a session (a view link opened).

    ``stage`` ``lang`` before the language box; ``filters`` once the build is read, with what
    is allowed (``precincts``, ``bands``, ``days``). A value that does not fit is left out.
    """
    done = st.session_state.setdefault("_from_link", set())
    if stage in done:
        return
    done.add(stage)
    q = st.query_params
    state = st.session_state
    if stage == "lang":
        if q.get("lang") in LANGUAGES:
            state["lang"] = q["lang"]
        return
    with contextlib.suppress(ValueError):
        if "precinct" in q and int(q["precinct"]) in known["precincts"]:
            state["precinct"] = int(q["precinct"])
    for key, allowed in (("area", AREA_TYPES), ("facility", FACILITY_TYPES),
                         ("categories", CATEGORIES)):
        chosen = [v for v in q.get_all(key) if v in allowed]
        if chosen:
            state[key] = chosen
    if q.get("group") in GROUPS:
        state["group"] = state["access_group"] = q["group"]
    with contextlib.suppress(ValueError):
        if "band" in q and int(q["band"]) in known["bands"]:
            state["band"] = int(q["band"])
    if q.get("profile") in ("walk", "reduced", "wheelchair"):
        state["profile"] = q["profile"]
    elif q.get("step_free") == "1" or q.get("reduced") == "1":  # the links of earlier versions
        state["profile"] = "wheelchair" if q.get("step_free") == "1" else "reduced"
    with contextlib.suppress(ValueError):
        first, last = known["days"]
        if "as_of" in q and first <= dt.date.fromisoformat(q["as_of"]) <= last:
            state["as_of"] = dt.date.fromisoformat(q["as_of"])
    lang = state.get("lang", DEFAULT_LANGUAGE)
    if q.get("tab") in TAB_LABELS:
        state[f"tab_{lang}"] = catalogue(lang)[TAB_LABELS[q["tab"]]]


def _to_link(opened: str | None) -> None:
    """Write the view into the page's address, so that it reopens the same view."""
    state = st.session_state
    view: dict[str, str | list[str]] = {}
    if state.get("lang", DEFAULT_LANGUAGE) != DEFAULT_LANGUAGE:
        view["lang"] = state["lang"]
    for key in ("precinct", "group", "band"):
        if state.get(key) is not None:
            view[key] = str(state[key])
    for key in ("area", "facility", "categories"):
        if state.get(key):
            view[key] = list(state[key])
    if state.get("profile", "walk") != "walk":
        view["profile"] = state["profile"]
    if state.get("as_of") is not None:
        view["as_of"] = state["as_of"].isoformat()
    if opened is not None and opened != "precincts":
        view["tab"] = opened
    state["_lang_before"] = state.get("lang", DEFAULT_LANGUAGE)
    now = {k: st.query_params.get_all(k) for k in st.query_params}
    if now != {k: [v] if isinstance(v, str) else v for k, v in view.items()}:
        st.query_params.from_dict(view)


def _same_group(source: str, target: str) -> None:
    """Keep the group beside the map and the group of the accessibility tab the same."""
    st.session_state[target] = st.session_state.get(source)


# --- the page: title and language; the map with the filters beside it (below it on a phone);
# the figures; one tab per task
st.set_page_config(page_title="aksugeo", layout="wide", initial_sidebar_state="collapsed")
st.markdown(_CSS, unsafe_allow_html=True)  # our own constant: no data in it
head, language = st.columns([5, 1], vertical_alignment="center")
_from_link("lang")
st.session_state.setdefault("lang", DEFAULT_LANGUAGE)
lang: str = language.selectbox("Язык · Тіл · Language", list(LANGUAGES),
                               format_func=lambda code: LANGUAGE_NAMES[code], key="lang",
                               label_visibility="collapsed",
                               on_change=_language_changed) or DEFAULT_LANGUAGE
t = catalogue(lang)
gpkg, data_dir = _paths()
head.subheader(t["app.title"], anchor=False)
_ensure_build(gpkg, data_dir, t)
try:
    data = cache.data(str(gpkg), cache.stamp(gpkg))
except AksugeoError as exc:
    st.error(str(exc))
    st.stop()
stamp = cache.stamp(gpkg)
if data.synthetic:
    head.caption(f"⚠ {t['app.synthetic']}")
network_source = data.meta.get("network_path", "")
settings = data.settings  # the build's bands and speeds are the page's
bands_min = tuple(int(b) for b in settings.bands_min)
speed_words = {False: text(lang, "app.speed_normal", speed=number(lang, settings.speed_kmh)),
               True: text(lang, "app.speed_reduced",
                          speed=number(lang, settings.reduced_speed_kmh))}
names = dict(zip(data.precincts["precinct_id"].astype(int), data.precincts["name"], strict=True))
_from_link("filters", precincts=set(names), bands=bands_min,
           days=tuple(d.date() for d in data.days))
where_map, panel = st.columns([3, 1.25], gap="medium")

# beside the map: search, then the filters
with panel:
    query = st.text_input(t["app.search"], key="query", placeholder=t["app.search_hint"])
    found = None
    if query:
        geocoder = None
        if Path(network_source).is_file() and network_source.endswith(GAZETTEER_SOURCES):
            try:  # the gazetteer reads OSM XML; without it the households' own addresses serve
                geocoder = cache.geocoder(network_source, cache.renames_of(data))
            except AksugeoError:
                geocoder = None
        found = dash.search(data, query, geocoder)
        if found is None:
            st.info(t["app.search_none"])
        else:
            st.success(found.label)
            if found.precinct_id is not None and st.session_state.get("searched") != query:
                st.session_state["searched"] = query
                st.session_state["precinct"] = found.precinct_id
    precinct = st.selectbox(t["app.precinct"], [None, *sorted(names)], key="precinct",
                            format_func=lambda p: t["app.all"] if p is None
                            else f"№ {p} · {names[p]}")
    areas_chosen = st.multiselect(t["app.area_type"], AREA_TYPES, key="area",
                                  format_func=lambda a: t[f"area.{a}"], placeholder=t["app.any"])
    facilities = st.multiselect(t["app.facility_type"], FACILITY_TYPES, key="facility",
                                format_func=lambda f: t[f"facility.{f}"],
                                placeholder=t["app.any"])
    group = st.selectbox(t["app.group"], [None, *GROUPS], key="group",
                         format_func=lambda g: t["app.group_all"] if g is None
                         else t[f"group.{g}"], on_change=_same_group,
                         args=("group", "access_group"))
    categories = st.multiselect(t["app.category"], CATEGORIES, key="categories",
                                format_func=lambda c: f"{CATEGORY_MARKS[c]} {t[f'category.{c}']}",
                                placeholder=t["app.any"])
    st.session_state.setdefault("band", data.figure_bands[-1])
    band = st.select_slider(t["app.band"], bands_min, key="band")
    # who walks: the mobility profile and its speed (the wheelchair's when the build has its walks)
    walkers = ["walk", "reduced"] + (["wheelchair"] if "walk_wheelchair_min"
                                     in data.households.columns else [])
    if st.session_state.get("profile") not in walkers:
        st.session_state["profile"] = "walk"
    walker_words = {"walk": speed_words[False], "reduced": speed_words[True],
                    "wheelchair": text(lang, "app.step_free", speed=number(
                        lang, profiles_of(settings)["wheelchair"].speed_kmh))}
    walker = st.radio(t["app.speed"], walkers, key="profile", format_func=walker_words.get)
    reduced, step_free = walker == "reduced", walker == "wheelchair"
    if step_free:
        st.caption(t["app.step_free_bands"])
    first, last = (d.date() for d in data.days)
    if first == last:  # one day of visits, or none yet: nothing to slide
        as_of = last
        st.caption(f"{t['app.as_of']}: {day_text(lang, as_of)}")
    else:
        st.session_state.setdefault("as_of", last)
        as_of = st.slider(t["app.as_of"], min_value=first, max_value=last, key="as_of",
                          format="DD.MM.YYYY" if lang != "en" else "YYYY-MM-DD")
    tiles = st.checkbox(t["app.tiles"], value=False, key="tiles")

filters = dash.Filters(precinct, tuple(areas_chosen), tuple(facilities), tuple(categories),
                       band, reduced, pd.Timestamp(as_of), group, step_free)
covered = cache.coverage(str(gpkg), stamp, filters.as_of)
figures = dash.metrics(data, filters, covered)
ids = tuple(int(i) for i in dash.select(data, filters))
kept = data.precincts[data.precincts["precinct_id"].isin(ids)]
# the map is drawn once; each rerun hands it a new description, which it applies in place
# (an unchanged layer is kept, the view moves only when where it looks changes)
if found is not None:
    where = centred(found.lat, found.lon, found.zoom)
elif precinct is not None and len(kept):
    where = centred(kept.geometry.y.iloc[0], kept.geometry.x.iloc[0], 15)
else:
    where = framed(kept.total_bounds if len(kept) else data.precincts.total_bounds)


def _picked() -> None:
    """Choose the clicked marker's precinct before the rerun (so the page runs once)."""
    clicked = (st.session_state.get("map") or {}).get("clicked")
    if clicked is not None and int(clicked) in names:
        st.session_state["precinct"] = int(clicked)


with where_map:
    parted_map(cache.map_base(str(gpkg), stamp, lang, tiles),
               cache.map_parts_of(str(gpkg), stamp, filters, lang), ids, where,
               key="map", on_click=_picked)

# the figures of what the filters keep, voters as counts beside their shares
@dataclass(frozen=True)
class _Figure:
    label: str
    value: str


def _figures() -> list[_Figure]:
    """Return the figures under the map, as the page writes them."""
    out = []
    for m in data.figure_bands:
        share = percent(lang, figures[f"within_{m}_pct"])
        out.append(_Figure(text(lang, "app.metric_within", minutes=m, speed=speed_now),
                           text(lang, "app.value_share", share=share,
                                count=count(lang, figures[f"within_{m}"]))))
    out.append(_Figure(text(lang, "app.metric_beyond", minutes=band, speed=speed_now),
                       count(lang, figures["beyond"])))
    out.append(_Figure(text(lang, "app.metric_coverage", day=day_text(lang, as_of)),
                       text(lang, "app.value_of", share=percent(lang, figures["coverage_pct"]),
                            count=count(lang, figures["covered"]),
                            total=count(lang, figures["households"]))))
    out.append(_Figure(t["app.metric_accessible"] if group is None
                       else text(lang, "app.metric_accessible_for", group=t[f"group.{group}"]),
                       f"{figures['accessible']} / {figures['precincts']}"))
    out.append(_Figure(t["app.metric_voters"], count(lang, figures["voters"])))
    return out


def _figures_html(shown: list[_Figure]) -> str:
    """Return the figures as one HTML list of terms (label) and values, every text escaped."""
    return "<dl class='aksugeo-figures'>" + "".join(
        f"<div class='aksugeo-figure'><dt>{html.escape(f.label)}</dt>"
        f"<dd>{html.escape(f.value)}</dd></div>" for f in shown) + "</dl>"


speed_now = dash.step_free_speed(settings, lang) if step_free else speed_words[reduced]
shown_figures = _figures()
# one element for the six (as st.metric they were fourteen, 0.1 s of each filter's redraw)
st.html(_figures_html(shown_figures))
if figures["unknown"]:
    st.caption(text(lang, "app.unknown", count=count(lang, figures["unknown"])))
if step_free:  # how much of the step-free routes the map's tags vouch for
    st.caption(text(lang, "app.step_free_known",
                    share=percent(lang, dash.known_share(data, filters))))

def _precinct_table(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the precincts' figures as the page shows them, in the page's language."""
    table = cache.precinct_table_of(str(gpkg), stamp, filters, lang) if table is None else table
    shown = table.assign(
        area_type=table["area_type"].map(lambda a: t[f"area.{a}"]),
        facility_type=table["facility_type"].map(lambda f: t[f"facility.{f}"]),
        category=table["category"].map(
            lambda c: f"{CATEGORY_MARKS[c]} {t[f'category.{c}']}" if c in CATEGORY_MARKS else ""))
    labels = {c: text(lang, f"app.col_{c}", minutes=band) for c in shown.columns
              if f"app.col_{c}" in t}
    if group is not None:
        labels["category"] = f"{t['app.col_category']}: {t[f'group.{group}']}"
    return shown.rename(columns=labels)


def _texts(widths: dict[str, Literal["small", "medium"]]) -> dict[str, Any]:
    """Return column settings that give text columns these widths."""
    return {c: st.column_config.TextColumn(width=w) for c, w in widths.items()}


def _precincts_tab() -> None:
    table = cache.precinct_table_of(str(gpkg), stamp, filters, lang)
    far = table[table["beyond"] > 0].head(3)
    if len(far):  # the answer first: where most voters walk longer than the band
        most = "; ".join(f"№ {pid} · {name} — {count(lang, n)}" for pid, name, n in zip(
            far["precinct_id"], far["name"], far["beyond"].astype(int), strict=True))
        st.text(text(lang, "app.most_beyond", minutes=band, speed=speed_now, precincts=most))
    else:
        st.text(text(lang, "app.none_beyond", minutes=band, speed=speed_now))
    shown = _precinct_table(table)
    st.caption(text(lang, "app.table_hint", minutes=band))
    html_table(shown, key="table", lang=lang, caption=t["app.table_title"])


def _canvass_tab() -> None:
    st.subheader(t["app.chart_title"])
    days = cache.daily(str(gpkg), stamp, filters)
    # a Vega-Lite description of our own: st.line_chart validates its Altair chart on every
    # run (0.3 s of each filter's rerun)
    st.vega_lite_chart(dash.daily_long(days, {"covered_pct": t["app.chart_households"],
                                              "voters_covered_pct": t["app.chart_voters"]}),
                       dash.daily_chart(), width="stretch")
    st.subheader(t["app.upload_title"])
    st.download_button(t["app.upload_template"], dash.visits_template(data, lang, covered),
                       on_click="ignore",
                       file_name="visits_template.csv", mime="text/csv", key="template")
    # Streamlit writes its drop zone in English ("Drag and drop", "200MB per file"): our own
    # words in its place (a catalogue's text, escaped for a CSS string)
    st.html(f"<style>[data-testid='stFileUploaderDropzoneInstructions'] {{display: none}}"
            f"[data-testid='stFileUploaderDropzone'] button {{font-size: 0}}"
            f"[data-testid='stFileUploaderDropzone'] button::after {{content: "
            f"{_css_string(t['app.upload_choose'])}; font-size: 0.9rem}}</style>")
    st.caption(t["app.upload_hint"])
    upload = st.file_uploader(t["app.upload"], type=["csv", "xlsx"], key="upload")
    if upload is not None and st.button(t["app.upload_button"], key="import"):
        from aksugeo.canvass.visitlog import import_visits

        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / Path(upload.name).name
            source.write_bytes(upload.getvalue())
            try:
                # a build may hold the file for a while: wait a minute, then say who holds it
                report = import_visits(source, gpkg, wait_s=60)
            except AksugeoError as exc:
                st.session_state["import_note"] = ("error", str(exc), None)
            else:
                rejected = (pd.read_csv(report.rejected_path, dtype=str)
                            if report.rejected_path is not None else None)
                note = text(lang, "app.upload_done", imported=report.imported,
                            already=report.already, rejected=report.rejected, total=report.total)
                st.session_state["import_note"] = ("ok", note, rejected)
        st.rerun()
    if "import_note" in st.session_state:
        kind, note, rejected = st.session_state["import_note"]
        (st.success if kind == "ok" else st.error)(note)
        if rejected is not None and len(rejected):
            st.caption(t["app.upload_rejected"])
            shown = rejected.assign(reason=[dash.reason_words(r, lang)
                                            for r in rejected["reason"].fillna("")])
            st.dataframe(shown.rename(columns={"reason": t["app.col_reason"]}),
                         hide_index=True, key="rejected", width="stretch",
                         column_config={t["app.col_reason"]: st.column_config.TextColumn(
                             width="large")})


def _siting_tab() -> None:
    """Show the siting proposal of `aksugeo siting` beside today's figures."""
    proposal = cache.scenario(str(gpkg), stamp)
    if proposal is None:
        st.caption(t["app.scenario_none"])
        return
    sites, catchments, scenario_figures, note = proposal
    st.caption(text(lang, "app.scenario_note", scenario=note))
    s_left, s_right = st.columns([3, 2])
    with s_left:
        leaflet_map(scenario_map(sites, catchments, View(lang)), key="scenario_map")
    with s_right:
        columns = {f"within_{m}_pct": text(lang, "app.fig_within", minutes=m)
                   for m in bands_min[1:]}
        columns[f"within_{data.figure_bands[-1]}_reduced_pct"] = text(
            lang, "app.fig_within_reduced", minutes=data.figure_bands[-1])
        columns |= {"mean_min": t["app.fig_mean"], "p95_min": t["app.fig_p95"]}
        shown_figures = scenario_figures.set_index("state")[
            [c for c in columns if c in scenario_figures.columns]].rename(
            index=lambda s: t[f"app.state_{s}"], columns=columns)
        st.dataframe(shown_figures.T, width="stretch", key="scenario_figures")
    if cache.has_proposal_assignment(str(gpkg), stamp):
        # the proposal as the akim's decision would write it, and what changes for whom
        writes = lang if lang in ("ru", "kk") else "ru"

        def annex(name: str) -> Callable[[], bytes]:
            return lambda: cache.proposal_annex(str(gpkg), stamp, writes)[name]

        a1, a2, a3 = st.columns(3)
        a1.download_button(t["app.download_decision"], annex(f"boundaries_{writes}.docx"),
                           on_click="ignore", file_name=f"boundaries_{writes}.docx",
                           key="proposal_decision", mime="application/vnd.openxmlformats-"
                           "officedocument.wordprocessingml.document")
        a2.download_button(t["app.download_changes"], annex("changes.csv"), on_click="ignore",
                           file_name="changes.csv", mime="text/csv", key="proposal_changes")
        a3.download_button(t["app.download_notices"], annex(f"notices_{writes}.html"),
                           on_click="ignore", file_name=f"notices_{writes}.html",
                           mime="text/html", key="proposal_notices")


def _accessibility_tab() -> None:
    """Which precincts a group cannot use, what fails, and what is done about it, by whom."""
    st.session_state.setdefault("access_group", group)
    chosen = st.selectbox(t["app.group"], [None, *GROUPS], key="access_group",
                          format_func=lambda g: t["app.group_all"] if g is None
                          else t[f"group.{g}"], on_change=_same_group,
                          args=("access_group", "group"))
    mine = dash.Filters(precinct, tuple(areas_chosen), tuple(facilities), (), band, reduced,
                        pd.Timestamp(as_of), chosen, step_free)
    table = dash.accessibility_table(data, mine, lang)
    whom = t[f"group.{chosen}"] if chosen else t["app.group_all"]
    worst = table.drop_duplicates("precinct_id")
    closed = int((worst["category"] == "not_accessible").sum())
    partly = int((worst["category"] == "partly_accessible").sum())
    st.markdown(text(lang, "app.access_summary", group=whom, closed=closed, partly=partly,
                     total=len(dash.select(data, mine))))
    shown = pd.DataFrame({
        t["app.col_precinct_id"]: table["precinct_id"],
        t["app.col_name"]: table["name"] + " · " + table["address"],
        t["app.col_category"]: [f"{CATEGORY_MARKS[c]} {t[f'category.{c}']}"
                                for c in table["category"]],
        t["app.col_item"]: table["failed"], t["app.col_effect"]: table["effect"],
        t["app.col_remedy"]: table["remedy"], t["app.col_state"]: table["state"],
        t["app.col_responsible"]: table["responsible"], t["app.col_due"]: table["due"]})
    widths: dict[str, Literal["small", "medium"]] = {
        t["app.col_name"]: "medium", t["app.col_category"]: "small",
        t["app.col_item"]: "medium", t["app.col_effect"]: "small",
        t["app.col_remedy"]: "medium", t["app.col_state"]: "small",
        t["app.col_responsible"]: "small", t["app.col_due"]: "small"}
    st.dataframe(shown, hide_index=True, width="stretch", key="access_table",
                 column_config=_texts(widths))
    left, right = st.columns(2)
    left.download_button(t["app.download_xlsx"], xlsx_bytes({t["app.tab_access"]: shown}),
                         on_click="ignore",
                         file_name=f"accessibility_{chosen or 'all'}.xlsx", key="access_xlsx",
                         mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    letter = Page(
        title=text(lang, "app.letter_title", group=whom),
        to=t["app.letter_to"], sender=t["app.letter_from"],
        dated=day_text(lang, pd.Timestamp.now()),
        paragraphs=[text(lang, "app.letter_body", group=whom, closed=closed, partly=partly),
                    t["app.letter_ask"]],
        sections=[Section("", list(shown.columns), shown.astype(str).to_numpy().tolist())],
        signature=t["app.letter_sign"])
    right.download_button(t["app.download_letter"],
                          document_html([letter], lang=lang, synthetic=data.synthetic),
                          on_click="ignore",
                          file_name=f"letter_akimat_{chosen or 'all'}.html", mime="text/html",
                          key="access_letter")


def _css_string(words: str) -> str:
    """Return text as a CSS string literal (every character not a letter or digit escaped)."""
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in words) + '"'


def _print_view(table: pd.DataFrame) -> str:
    """Return the view as a document to print: the filters, the figures, the precincts."""
    chosen = [f"{t['app.area_type']}: {', '.join(t[f'area.{a}'] for a in areas_chosen)}"
              if areas_chosen else "",
              f"{t['app.facility_type']}: {', '.join(t[f'facility.{f}'] for f in facilities)}"
              if facilities else "",
              f"{t['app.group']}: {t[f'group.{group}']}" if group else "",
              f"{t['app.precinct']}: № {precinct} · {names[precinct]}" if precinct else ""]
    figures_rows = [[m.label, m.value] for m in _figures()]
    return document_html([Page(
        title=t["app.title"], dated=text(lang, "app.print_as_of", day=day_text(lang, as_of),
                                          speed=speed_now),
        paragraphs=[c for c in chosen if c],
        sections=[Section(t["app.print_figures"], ["", ""], figures_rows),
                  Section(t["app.table_title"], list(table.columns), cells_text(table, lang))])],
        lang=lang, synthetic=data.synthetic)


def _downloads_tab() -> None:
    d0, d1, d2, d3, d4 = st.columns(5)
    table = _precinct_table()
    st.download_button(t["app.download_print"], _print_view(table), on_click="ignore",
                       file_name=f"aksugeo_view_{as_of.isoformat()}.html", mime="text/html",
                       key="print_view")
    d0.download_button(t["app.download_table_xlsx"], xlsx_bytes({t["app.table_title"]: table}),
                       on_click="ignore", file_name=f"precincts_{as_of.isoformat()}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    # Excel set to Russian or Kazakh splits a CSV at semicolons (its comma is the decimal one)
    d1.download_button(t["app.download_table"],
                       csv_text(table, sep="," if lang == "en" else ";").encode("utf-8-sig"),
                       on_click="ignore",
                       file_name=f"precincts_{as_of.isoformat()}.csv", mime="text/csv")
    public_precincts = kept.drop(columns=[c for c in ("inspected_by",) if c in kept.columns])
    d2.download_button(t["app.download_precincts"],
                       public_precincts.to_json(drop_id=True).encode("utf-8"),
                       on_click="ignore",
                       file_name="precincts.geojson", mime="application/geo+json")
    gaps_file = (cache.areas(str(gpkg), stamp, network_source, as_of.isoformat())[2]
                 if Path(network_source).is_file() else None)
    d3.download_button(t["app.download_gaps"], gaps_file or b'{"type":"FeatureCollection",'
                       b'"features":[]}', on_click="ignore",
                       file_name=f"gaps_{as_of.isoformat()}.geojson",
                       mime="application/geo+json")
    d4.download_button(t["app.download_public"], lambda: cache.public_zip(str(gpkg), stamp),
                       on_click="ignore", file_name="aksugeo_public.zip", mime="application/zip")


# below the map, one tab per task; only the open tab runs (and is sent to the browser), so a
# filter's rerun and the first visit carry the table, not every section
TABS = {"precincts": _precincts_tab, "lists": _lists_tab, "access": _accessibility_tab,
        "move": _move_tab, "canvass": _canvass_tab, "siting": _siting_tab,
        "downloads": _downloads_tab}
opened = None
for (name, draw), tab in zip(TABS.items(), st.tabs([t[TAB_LABELS[n]] for n in TABS],
                                                   key=f"tab_{lang}", on_change="rerun"),
                             strict=True):
    if tab.open:
        opened = name
        with tab:
            draw()
_to_link(opened)

built_at = data.meta.get("built_at", "")[:10]
st.caption(text(lang, "app.footer", built=day_text(lang, built_at) if built_at else ""))
