"""What the planners' dashboard shows, computed apart from Streamlit: load, filter, count, find.

The page (``page.py``) is thin over these functions: :func:`load` reads a built GeoPackage once,
:class:`Filters` is what the sidebar chose, :func:`select` the precincts it keeps,
:func:`metrics` the figures at the top, :func:`precinct_table` the table, :func:`search` the
search box. Nothing here draws; :mod:`aksugeo.app.maps` draws the map.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from aksugeo.canvass.coverage import household_coverage, progress
from aksugeo.canvass.visitlog import REQUIRED
from aksugeo.data.layers import (
    CATCHMENTS,
    HOUSEHOLDS,
    ISOCHRONES,
    ISOCHRONES_REDUCED,
    ISOCHRONES_WHEELCHAIR,
    PASSPORT_REMEDIES,
    PRECINCTS,
    Build,
    open_build,
)
from aksugeo.data.schema import WGS84
from aksugeo.geocode.address import skeleton
from aksugeo.geocode.geocoder import APPROXIMATE, MATCHED, Geocoder
from aksugeo.i18n import catalogue, day, number, text
from aksugeo.passport.rules import (
    ACCESSIBLE,
    BY_KEY,
    GROUPS,
    ITEM_KEYS,
    NOT_ACCESSIBLE,
    remedy_plans,
    words,
)
from aksugeo.settings import AccessSettings
from aksugeo.walk.profiles import profiles_of
from aksugeo.walk.stepfree import known_share as walk_known_share


def figure_bands(settings: AccessSettings) -> tuple[int, ...]:
    """Return the bands the page's figures quote: the two below the last (10, 15 of 5-20)."""
    bands = tuple(int(b) for b in settings.bands_min)
    return bands[-3:-1] if len(bands) > 1 else bands


@dataclass
class DashboardData:
    """The layers of a build, in WGS84, as the dashboard uses them.

    Attributes
    ----------
    build : Build
        The opened build: its path, metadata and settings (bands, speeds).
    precincts, households : geopandas.GeoDataFrame
        With their passports, categories, walks and canvass columns.
    isochrones, isochrones_reduced : geopandas.GeoDataFrame
        ``precinct_id``, ``minutes``, polygon, at the normal and the reduced speed.
    isochrones_wheelchair : geopandas.GeoDataFrame or None
        The same for step-free walks from the accessible entrances (a build that has them).
    catchments : geopandas.GeoDataFrame
        ``precinct_id``, polygon.
    visits : pandas.DataFrame
        The visit log.
    remedies : pandas.DataFrame or None
        What the commission does about failed passport items (``passport_remedies``).
    """

    build: Build
    precincts: gpd.GeoDataFrame
    households: gpd.GeoDataFrame
    isochrones: gpd.GeoDataFrame
    isochrones_reduced: gpd.GeoDataFrame
    catchments: gpd.GeoDataFrame
    visits: pd.DataFrame
    remedies: pd.DataFrame | None = None
    isochrones_wheelchair: gpd.GeoDataFrame | None = None

    @property
    def db(self) -> Path:
        """The GeoPackage."""
        return self.build.path

    @property
    def meta(self) -> dict[str, str]:
        """What the build recorded (synthetic flag, coverage date, network file, settings)."""
        return self.build.meta

    @property
    def settings(self) -> AccessSettings:
        """The build's walking settings: its bands and speeds are the page's."""
        return self.build.settings

    @property
    def figure_bands(self) -> tuple[int, ...]:
        """The bands the figures quote (10 and 15 minutes for the default bands)."""
        return figure_bands(self.settings)

    @property
    def synthetic(self) -> bool:
        """Whether the build's data set says it is synthetic."""
        return self.build.synthetic

    @property
    def days(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """The first and the last day of the visit log (the build's day twice when it is empty)."""
        if self.visits.empty:
            day = pd.Timestamp(self.meta.get("coverage_as_of") or pd.Timestamp.now().date())
            return day, day
        return self.visits["date"].min(), self.visits["date"].max()


def load(db: str | Path) -> DashboardData:
    """Read what the dashboard shows from a built GeoPackage.

    Parameters
    ----------
    db : str or Path
        The GeoPackage ``aksugeo build`` wrote.

    Returns
    -------
    DashboardData
        Its layers, in WGS84.

    Raises
    ------
    AksugeoError
        When the file is missing, is not a build, or lacks a layer (an older build).
    """
    built = open_build(db)
    reduced = ISOCHRONES_REDUCED if built.has_layer(ISOCHRONES_REDUCED) else ISOCHRONES
    return DashboardData(built, built.spatial(PRECINCTS).to_crs(WGS84),
                         built.spatial(HOUSEHOLDS).to_crs(WGS84),
                         built.spatial(ISOCHRONES).to_crs(WGS84),
                         built.spatial(reduced).to_crs(WGS84),
                         built.spatial(CATCHMENTS).to_crs(WGS84), built.visits,
                         built.layer(PASSPORT_REMEDIES) if built.has_layer(PASSPORT_REMEDIES)
                         else None,
                         built.spatial(ISOCHRONES_WHEELCHAIR).to_crs(WGS84)
                         if built.has_layer(ISOCHRONES_WHEELCHAIR) else None)


@dataclass(frozen=True)
class Filters:
    """What the planner chose: which precincts, which band and speed, which day.

    Attributes
    ----------
    precinct : int or None
        One precinct, or all.
    area_types, facility_types, categories : tuple of str
        Keep precincts of these kinds (empty: all). The categories are those of ``group``.
    band_min : int or None
        The walking band, minutes (None: the last of the figures' bands): the map's bands,
        and the voters counted within and beyond it.
    reduced : bool
        Minutes at the reduced-mobility speed.
    as_of : pandas.Timestamp or None
        The canvass as of this day (None: the last visit).
    group : str or None
        The group of voters with disabilities whose accessibility the categories and the
        accessible count are of (one of :data:`aksugeo.passport.rules.GROUPS`); None: overall
        (a precinct is accessible when it is accessible to every group).
    step_free : bool
        Count the wheelchair walks instead (step-free, to the accessible entrance, at the
        wheelchair profile's speed; :mod:`aksugeo.walk.profiles`), where the build has them.
    """

    precinct: int | None = None
    area_types: tuple[str, ...] = ()
    facility_types: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    band_min: int | None = None
    reduced: bool = False
    as_of: pd.Timestamp | None = None
    group: str | None = None
    step_free: bool = False

    @property
    def category_column(self) -> str:
        """The precincts' column the categories are read from."""
        return f"category_{self.group}" if self.group else "category"

    def band(self, data: DashboardData) -> int:
        """Return the walking band, minutes."""
        return int(self.band_min or data.figure_bands[-1])


def select(data: DashboardData, filters: Filters) -> np.ndarray:
    """Return the ids of the precincts the filters keep, in the precincts' order."""
    p = data.precincts
    keep = np.ones(len(p), dtype=bool)
    if filters.precinct is not None:
        keep &= (p["precinct_id"] == filters.precinct).to_numpy()
    for column, chosen in (("area_type", filters.area_types),
                           ("facility_type", filters.facility_types),
                           (filters.category_column, filters.categories)):
        if chosen and column in p.columns:
            keep &= p[column].isin(chosen).to_numpy()
    return p["precinct_id"].to_numpy()[keep].astype(int)


def coverage(data: DashboardData, as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Return each household's coverage as of a day (see :func:`household_coverage`)."""
    return household_coverage(data.households, data.visits, as_of or data.days[1])


def _walks(data: DashboardData, filters: Filters) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return each household's walk (minutes), whether it has one, and its voters."""
    h = data.households
    if filters.step_free and "walk_wheelchair_min" in h:
        return (h["walk_wheelchair_min"].to_numpy(dtype=float),
                (h["wheelchair_status"] == "ok").to_numpy(), h["voters"].to_numpy(dtype=int))
    minutes = h["walk_assigned_min_reduced" if filters.reduced else "walk_assigned_min"]
    return (minutes.to_numpy(dtype=float), (h["status"] == "ok").to_numpy(),
            h["voters"].to_numpy(dtype=int))


def known_share(data: DashboardData, filters: Filters) -> float:
    """Return the share (%) of the kept precincts' step-free routes whose tags are known.

    Weighted by each route's metres (:func:`aksugeo.walk.stepfree.known_share`).
    """
    h = data.households
    if "walk_wheelchair_known_pct" not in h:
        return 0.0
    return walk_known_share(h[h["precinct_id"].isin(select(data, filters))])


def step_free_speed(settings: AccessSettings, lang: str) -> str:
    """Return the step-free profile as the page names its speed (``без ступеней (4 км/ч)``)."""
    return text(lang, "app.speed_step_free",
                speed=number(lang, profiles_of(settings)["wheelchair"].speed_kmh))


def metrics(data: DashboardData, filters: Filters, covered: pd.DataFrame) -> dict[str, float]:
    """Return the figures at the top of the page, for the precincts the filters keep.

    Parameters
    ----------
    data : DashboardData
        The build (its bands are the figures').
    filters : Filters
        The planner's choice (precincts, band, speed, group).
    covered : pandas.DataFrame
        From :func:`coverage`, for the chosen day.

    Returns
    -------
    dict
        For each of ``data.figure_bands``: ``within_<m>`` (voters within so many minutes of
        their precinct at the chosen speed) and ``within_<m>_pct`` (of all their voters);
        ``beyond`` (voters farther than the chosen band), ``unknown`` (voters of households
        with no walk: not geocoded, off the network, unreachable), ``voters``;
        ``covered`` and ``households`` (households visited as of the day, and all),
        ``coverage_pct``; ``accessible`` and ``precincts`` (precincts accessible to the
        chosen group, or to every group, and all kept).
    """
    ids = select(data, filters)
    mine = data.households["precinct_id"].isin(ids).to_numpy()
    minutes, ok, voters = _walks(data, filters)
    ok = ok & mine
    total = int(voters[mine].sum())
    out: dict[str, float] = {}
    for m in data.figure_bands:
        out[f"within_{m}"] = int(voters[ok & (minutes <= m)].sum())
        out[f"within_{m}_pct"] = round(100 * out[f"within_{m}"] / max(total, 1), 1)
    out["beyond"] = int(voters[ok & (minutes > filters.band(data))].sum())
    out["unknown"] = int(voters[mine & ~ok].sum())
    out["voters"] = total
    out["covered"] = int(covered["covered"].to_numpy()[mine].sum())
    out["households"] = int(mine.sum())
    out["coverage_pct"] = round(100 * out["covered"] / out["households"], 1) \
        if out["households"] else 0.0
    kept = data.precincts[data.precincts["precinct_id"].isin(ids)]
    column = filters.category_column
    out["accessible"] = int((kept[column] == ACCESSIBLE).sum()) if column in kept.columns else 0
    out["precincts"] = len(kept)
    return out


def precinct_table(data: DashboardData, filters: Filters, covered: pd.DataFrame,
                   lang: str) -> pd.DataFrame:
    """Return one row per precinct the filters keep, with its figures, for the table.

    Parameters
    ----------
    data : DashboardData
        The build.
    filters : Filters
        The planner's choice.
    covered : pandas.DataFrame
        From :func:`coverage`, for the chosen day.
    lang : str
        Language of the failed items.

    Returns
    -------
    pandas.DataFrame
        ``precinct_id``, ``name``, ``settlement``, ``area_type``, ``facility_type``,
        ``category`` (of the chosen group, or overall), ``failed`` (in words), ``voters``,
        ``within`` and ``within_pct`` (voters within the chosen band at the chosen speed),
        ``beyond`` (voters beyond it), ``households``, ``covered``, ``coverage_pct``; the
        precincts with the most voters beyond the band first.
    """
    ids = select(data, filters)
    minutes, ok, voters = _walks(data, filters)
    band = filters.band(data)
    h = pd.DataFrame({"precinct_id": data.households["precinct_id"].to_numpy(),
                      "covered": covered["covered"].to_numpy().astype(int),
                      "within": np.where(ok & (minutes <= band), voters, 0),
                      "beyond": np.where(ok & (minutes > band), voters, 0)})
    per = h.groupby("precinct_id").agg(households=("covered", "size"), covered=("covered", "sum"),
                                       within=("within", "sum"), beyond=("beyond", "sum"))
    p = data.precincts[data.precincts["precinct_id"].isin(ids)].join(per, on="precinct_id")
    # a precinct with no households in the data: every figure 0, not NaN
    p[list(per.columns)] = p[list(per.columns)].fillna(0)
    failed = p["failed_items"] if "failed_items" in p.columns else pd.Series("", index=p.index)
    column = filters.category_column
    table = pd.DataFrame({
        "precinct_id": p["precinct_id"].astype(int),
        "name": p["name"], "settlement": p["settlement"], "area_type": p["area_type"],
        "facility_type": p["facility_type"],
        "category": p[column] if column in p.columns else None,
        "failed": [_failed_words(str(f or ""), filters.group, lang) for f in failed],
        "voters": p["voters"].astype(int),
        "within": p["within"].astype(int),
        "within_pct": (100 * p["within"] / p["voters"].clip(lower=1)).round(1),
        "beyond": p["beyond"].astype(int),
        "households": p["households"].astype(int),
        "covered": p["covered"].astype(int),
        "coverage_pct": (100 * p["covered"] / p["households"].clip(lower=1)).round(1),
    })
    return table.sort_values(["beyond", "precinct_id"], ascending=[False, True],
                             kind="stable").reset_index(drop=True)


def accessibility_table(data: DashboardData, filters: Filters, lang: str) -> pd.DataFrame:
    """Return what keeps the precincts from being accessible, one row per failed item.

    For the precincts the filters keep that are not accessible to the chosen group (or, with
    no group, to every group): each item they fail that affects the group, whether it keeps
    the group out (a barrier) or only hinders it, and what the commission does about it
    (``passport_remedies``: the remedy in ``lang`` where given, its state, who, by when).

    Returns
    -------
    pandas.DataFrame
        ``precinct_id``, ``name``, ``address``, ``category`` (key), ``item`` (key), ``failed``
        (in words), ``effect`` (in words), ``remedy``, ``state`` (in words), ``responsible``,
        ``due`` (as ``lang`` writes a day); precincts not accessible first.
    """
    column = filters.category_column
    p = data.precincts[data.precincts["precinct_id"].isin(select(data, filters))]
    if column not in p.columns:
        return pd.DataFrame(columns=["precinct_id", "name", "address", "category", "item",
                                     "failed", "effect", "remedy", "state", "responsible", "due"])
    plans = remedy_plans(data.remedies, lang)
    groups = (filters.group,) if filters.group else GROUPS
    rows = []
    for _, row in p[p[column] != ACCESSIBLE].iterrows():
        pid = int(row["precinct_id"])
        for key in str(row.get("failed_items") or "").split(","):
            if key not in ITEM_KEYS:
                continue
            item = BY_KEY[key]
            if not any(g in item.barrier + item.hindrance for g in groups):
                continue
            fix = plans.get(pid, {}).get(key)
            rows.append({
                "precinct_id": pid, "name": row["name"], "address": row["address"],
                "category": row[column], "item": key, "failed": words(key, lang),
                "effect": text(lang, "app.effect_barrier" if any(
                    g in item.barrier for g in groups) else "app.effect_hindrance"),
                "remedy": fix.remedy if fix else text(lang, "remedy.none"),
                "state": text(lang, f"state.{fix.state}") if fix else "",
                "responsible": fix.responsible if fix else "",
                "due": day(lang, fix.due) if fix and fix.due else ""})
    table = pd.DataFrame(rows, columns=["precinct_id", "name", "address", "category", "item",
                                        "failed", "effect", "remedy", "state", "responsible",
                                        "due"])
    order = table["category"].ne(NOT_ACCESSIBLE).astype(int)
    return table.assign(_o=order).sort_values(["_o", "precinct_id"], kind="stable").drop(
        columns="_o").reset_index(drop=True)


def _failed_words(keys: str, group: str | None, lang: str) -> str:
    """Return the failed items in words: all of them, or those that affect ``group``."""
    return "; ".join(words(k, lang) for k in keys.split(",") if k in ITEM_KEYS and (
        group is None or group in BY_KEY[k].barrier + BY_KEY[k].hindrance))


def daily(data: DashboardData, filters: Filters) -> pd.DataFrame:
    """Return coverage day by day for the precincts the filters keep (``date``, ``%``)."""
    if data.visits.empty:
        return pd.DataFrame({"date": [], "covered_pct": [], "voters_covered_pct": []})
    mine = data.households["precinct_id"].isin(select(data, filters))
    days = progress(data.households[mine], data.visits[data.visits["household_id"].isin(
        data.households.loc[mine, "household_id"])])
    last = filters.as_of or data.days[1]
    return days[days["date"] <= last][["date", "covered_pct", "voters_covered_pct"]]


#: How a team writes "talked" in each language (the import reads each, :mod:`visitlog`)
_TALKED = {"ru": "поговорили", "kk": "сөйлесті", "en": "talked"}
_NOT_HOME = {"ru": "нет дома", "kk": "үйде жоқ", "en": "not_home"}


def visits_template(data: DashboardData, lang: str, covered: pd.DataFrame) -> bytes:
    """Return a team's visits file to fill in: the columns the import needs, two example rows.

    As a team's spreadsheet writes it (semicolons, a byte-order mark so Excel reads Cyrillic,
    dates ``dd.mm.yyyy``, outcomes in the page's language); the examples are two households
    of the build not visited yet, so the file imports as it is.
    """
    todo = data.households.loc[~covered["covered"].to_numpy(), "household_id"].head(2).tolist()
    todo += data.households["household_id"].head(2 - len(todo)).tolist()
    day = data.days[1].strftime("%d.%m.%Y")
    team = {"ru": "Бригада 1", "kk": "1-бригада", "en": "Team 1"}.get(lang, "Team 1")
    rows = [[todo[0], day, "1", team, _TALKED.get(lang, "talked"), "1"],
            [todo[1], day, "1", team, _NOT_HOME.get(lang, "not_home"), "0"]]
    text = "\r\n".join(";".join(r) for r in [list(REQUIRED), *rows]) + "\r\n"
    return text.encode("utf-8-sig")


def daily_long(days: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Return :func:`daily`'s columns as rows (``date``, ``series``, ``pct``) for a chart.

    ``names`` gives each column's label; the dates are ISO days.
    """
    long = days.melt(id_vars="date", value_vars=list(names), var_name="series",
                     value_name="pct")
    return long.assign(date=pd.to_datetime(long["date"]).dt.strftime("%Y-%m-%d"),
                       series=long["series"].map(names), pct=long["pct"].round(2))


def daily_chart() -> dict[str, Any]:
    """Return the Vega-Lite description of the daily coverage chart (rows of :func:`daily_long`)."""
    return {"mark": {"type": "line", "point": True},
            "encoding": {"x": {"field": "date", "type": "temporal", "title": None,
                               # days as numbers: no month or weekday names in English
                               "axis": {"format": "%d.%m", "labelAngle": 0}},
                         "y": {"field": "pct", "type": "quantitative", "title": "%"},
                         "color": {"field": "series", "type": "nominal", "title": None,
                                   "legend": {"orient": "bottom"}}}}


@dataclass(frozen=True)
class Found:
    """Where a search landed."""

    lat: float
    lon: float
    zoom: int
    label: str
    precinct_id: int | None


def search(data: DashboardData, query: str, geocoder: Geocoder | None = None) -> Found | None:
    """Find a precinct by number or name, or an address, as a planner types it.

    Parameters
    ----------
    data : DashboardData
        The build.
    query : str
        ``565``, ``№ 565``, ``СОШ №3``, ``ул. Ленина 12``, ``Ленин көшесі 12``.
    geocoder : Geocoder, optional
        The offline geocoder, for addresses in any script and order; without it an address is
        looked up among the households' own.

    Returns
    -------
    Found or None
        Where to zoom, and the precinct when one was found; None when nothing fits.
    """
    query = query.strip()
    if not query:
        return None
    p = data.precincts
    number = re.fullmatch(r"(?:№|N|No\.?|#)?\s*(\d{1,5})", query, flags=re.IGNORECASE)
    hit = p[p["precinct_id"] == int(number.group(1))] if number else p.iloc[:0]
    if not len(hit):
        names = [skeleton(n) for n in p["name"]]
        best = process.extractOne(skeleton(query), names, scorer=fuzz.ratio, score_cutoff=90)
        hit = p.iloc[[best[2]]] if best is not None else hit
    if len(hit):
        row = hit.iloc[0]
        return Found(row.geometry.y, row.geometry.x, 16,
                     f"№ {int(row['precinct_id'])} · {row['name']}", int(row["precinct_id"]))
    if geocoder is not None:
        m = geocoder.match(query)
        # a settlement's centre is no answer to a street address the planner typed
        if m.status in (MATCHED, APPROXIMATE) and m.method != "settlement_centroid":
            lon, lat = geocoder.to_wgs84.transform(m.x, m.y)
            return Found(float(lat), float(lon), 18, m.matched_address, None)
    addresses = [skeleton(a) for a in data.households["address"]]
    best = process.extractOne(skeleton(query), addresses, scorer=fuzz.token_set_ratio,
                              score_cutoff=85)
    if best is None:
        return None
    row = data.households.iloc[best[2]]
    return Found(row.geometry.y, row.geometry.x, 18, str(row["address"]), None)


# the import's reasons (written for the log, in English) as a planner reads them: each
# "field: message" with the field and the message in the page's language, values kept
_WHY = (
    (re.compile(r"missing value"), "app.why_missing"),
    (re.compile(r"expected .+, got (?P<value>.*)"), "app.why_expected"),
    (re.compile(r"unknown household (?P<value>.*)"), "app.why_unknown"),
    (re.compile(r"(?P<value>\S+) is after today.*"), "app.why_future"),
    (re.compile(r"(?P<value>\S+) is more than.*"), "app.why_too_many"),
    (re.compile(r"(?P<value>.+) is not one of: .*"), "app.why_not_allowed"),
    (re.compile(r"must be >= (?P<least>\S+), got (?P<value>\S+)"), "app.why_minimum"),
    (re.compile(r"(?P<value>\d+) fields where the header has (?P<least>\d+).*"),
     "app.why_fields"),
    (re.compile(r"the same household, day and team is already logged .* with other values: "
                r"(?P<value>.*)"), "app.why_conflict"),
)


def reason_words(reason: str, lang: str) -> str:
    """Return an import's reason for refusing a row in ``lang`` (the English, where unknown).

    Parameters
    ----------
    reason : str
        ``field: message; field: message`` as :func:`aksugeo.canvass.visitlog.check_rows`
        and the conflicts with the log write it.
    lang : str
        The page's language.
    """
    out = []
    for part in filter(None, (p.strip() for p in str(reason).split("; "))):
        field, _, message = part.partition(": ")
        name = catalogue(lang).get(f"app.visit_{field}", field)
        for pattern, key in _WHY:
            m = pattern.fullmatch(message)
            if m:
                message = text(lang, key, **{"value": "", "least": "", **m.groupdict()})
                break
        out.append(f"{name}: {message}")
    return "; ".join(out)
