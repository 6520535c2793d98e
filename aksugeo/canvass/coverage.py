"""Canvassing coverage: which households the door-to-door canvass has reached, as of a date.

A household is covered once it has at least one visit on or before the date, whatever the
outcome (see :mod:`aksugeo.data.schema`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from aksugeo._errors import AksugeoError
from aksugeo.data.schema import KINDS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

WAVES = (1, 2)


def household_coverage(households: pd.DataFrame, visits: pd.DataFrame,
                       as_of: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """Return, for every household, whether it is covered as of a date, and its first visit.

    Parameters
    ----------
    households : pandas.DataFrame
        With ``household_id``.
    visits : pandas.DataFrame
        With ``household_id`` and ``date`` (datetime64).
    as_of : str or Timestamp, optional
        The last day counted; the last visit date by default.

    Returns
    -------
    pandas.DataFrame
        ``covered`` (bool), ``first_visit`` (datetime64, NaT when not covered), ``visits``
        (count) and
        ``first_wave`` (the wave of the first visit, 0 when not covered).
    """
    day = as_of_day(visits, as_of)
    seen = visits[visits["date"] <= day].sort_values(["date", "wave"], kind="stable")
    if seen.empty:  # before the canvass starts (mapping an empty log would not type)
        return pd.DataFrame({"covered": False,
                             "first_visit": pd.Series(pd.NaT, index=households.index,
                                                      dtype="datetime64[ns]"),
                             "visits": 0, "first_wave": 0}, index=households.index).astype(
            {"visits": "int64", "first_wave": "int64"})
    firsts = seen.drop_duplicates("household_id").set_index("household_id")
    count = seen.groupby("household_id").size()
    hid = households["household_id"]
    out = pd.DataFrame({"first_visit": hid.map(firsts["date"]), "visits": hid.map(count),
                        "first_wave": hid.map(firsts["wave"])}, index=households.index)
    out["visits"] = out["visits"].fillna(0).astype("int64")
    out["first_wave"] = out["first_wave"].fillna(0).astype("int64")
    out["first_visit"] = pd.to_datetime(out["first_visit"])
    out["covered"] = out["visits"] > 0
    return out[["covered", "first_visit", "visits", "first_wave"]]


def as_of_day(visits: pd.DataFrame, as_of: str | pd.Timestamp | None) -> pd.Timestamp:
    """Return the day coverage is counted to: ``as_of``, or the last visit's day.

    Raises
    ------
    AksugeoError
        When ``as_of`` is not a date, or there is no visit and no date.
    """
    if as_of is None:
        if visits.empty:
            raise AksugeoError("the visit log is empty: give the date to count coverage to")
        return pd.Timestamp(visits["date"].max()).normalize()
    if isinstance(as_of, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", as_of.strip()):
        raise AksugeoError(f"as of {as_of!r}: not a date; write YYYY-MM-DD")
    try:
        return pd.Timestamp(as_of).normalize()
    except ValueError as exc:
        raise AksugeoError(f"as of {as_of!r}: not a date; write YYYY-MM-DD") from exc


def coverage_summary(households: pd.DataFrame, visits: pd.DataFrame,
                     as_of: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """Return households and voters covered, by kind and in all, as of a date.

    Parameters
    ----------
    households : pandas.DataFrame
        With ``household_id``, ``kind`` and ``voters``.
    visits : pandas.DataFrame
        With ``household_id`` and ``date``.
    as_of : str or Timestamp, optional
        The last day counted; the last visit date by default.

    Returns
    -------
    pandas.DataFrame
        Indexed by kind (``apartment``, ``private``, ``all``): ``households``,
        ``covered``, ``covered_pct``, ``voters``, ``voters_covered``.
    """
    cov = household_coverage(households, visits, as_of)
    frame = pd.DataFrame({"kind": households["kind"], "voters": households["voters"],
                          "covered": cov["covered"]})
    frame["voters_covered"] = frame["voters"].where(frame["covered"], 0)
    rows = {}
    for kind in (*KINDS, "all"):
        part = frame if kind == "all" else frame[frame["kind"] == kind]
        rows[kind] = {"households": len(part), "covered": int(part["covered"].sum()),
                      "voters": int(part["voters"].sum()),
                      "voters_covered": int(part["voters_covered"].sum())}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out["covered_pct"] = (100 * out["covered"] / out["households"].clip(lower=1)).round(1)
    return out[["households", "covered", "covered_pct", "voters", "voters_covered"]]


def coverage_table(households: pd.DataFrame, visits: pd.DataFrame,
                   as_of: str | pd.Timestamp | None = None, *,
                   by: str = "precinct_id") -> pd.DataFrame:
    """Return coverage per group (precinct by default) and in all, by kind and by wave.

    Parameters
    ----------
    households : pandas.DataFrame
        With ``household_id``, ``kind``, ``voters`` and the ``by`` column.
    visits : pandas.DataFrame
        The visit log (``household_id``, ``date``, ``wave``).
    as_of : str or Timestamp, optional
        The last day counted; the last visit date by default.
    by : str
        The column to group by.

    Returns
    -------
    pandas.DataFrame
        One row per group and a last row ``all``: ``households``, ``covered``,
        ``covered_pct``, ``voters``, ``voters_covered``, ``voters_covered_pct``; per kind
        ``<kind>_households`` and ``<kind>_covered`` (buildings or houses); per wave
        ``wave<w>_covered`` (households first reached in that wave) and ``wave<w>_voters``.
    """
    cov = household_coverage(households, visits, as_of)
    frame = pd.DataFrame({"group": households[by].astype(str), "kind": households["kind"],
                          "voters": households["voters"], "covered": cov["covered"],
                          "first_wave": cov["first_wave"]})
    frame["voters_covered"] = frame["voters"].where(frame["covered"], 0)
    for kind in KINDS:
        frame[f"{kind}_households"] = frame["kind"] == kind
        frame[f"{kind}_covered"] = frame[f"{kind}_households"] & frame["covered"]
    for wave in WAVES:
        frame[f"wave{wave}_covered"] = frame["first_wave"] == wave
        frame[f"wave{wave}_voters"] = frame["voters"].where(frame["first_wave"] == wave, 0)
    frame["households"] = 1
    counts = [c for c in frame.columns if c not in ("group", "kind", "first_wave")]
    per = frame.groupby("group", sort=False)[counts].sum()
    per = per.loc[sorted(per.index, key=_natural)]
    per.loc["all"] = per.sum()
    per = per.astype("int64")
    per["covered_pct"] = (100 * per["covered"] / per["households"].clip(lower=1)).round(1)
    per["voters_covered_pct"] = (100 * per["voters_covered"]
                                 / per["voters"].clip(lower=1)).round(1)
    per.index.name = by
    first = ["households", "covered", "covered_pct", "voters", "voters_covered",
             "voters_covered_pct"]
    return per[first + [c for c in per.columns if c not in first]]


def _natural(label: str) -> tuple[int, str]:
    return (int(label), "") if label.isdigit() else (1 << 62, label)


def progress(households: pd.DataFrame, visits: pd.DataFrame, *,
             by: str | None = None) -> pd.DataFrame:
    """Return coverage day by day, for the whole area or per group, wave by wave.

    Parameters
    ----------
    households : pandas.DataFrame
        With ``household_id``, ``voters`` and the ``by`` column.
    visits : pandas.DataFrame
        The visit log (``household_id``, ``date``, ``wave``).
    by : str, optional
        Also break the figures down by this column (``precinct_id``); the rows of the whole
        area have ``all`` there.

    Returns
    -------
    pandas.DataFrame
        One row per day from the first visit to the last (and group): ``date``, ``wave``
        (the waves out that day, ``1``, ``2``, ``1+2``; empty on a day with no visit),
        ``visits``, ``new_households``, ``covered``, ``covered_pct``, ``voters_covered``,
        ``voters_covered_pct``; counts are cumulative except ``visits`` and
        ``new_households``.
    """
    if visits.empty:
        raise AksugeoError("the visit log is empty: no progress to show")
    days = pd.date_range(visits["date"].min(), visits["date"].max(), freq="D")
    cov = household_coverage(households, visits)
    groups = {"all": np.ones(len(households), dtype=bool)}
    if by is not None:
        keys = households[by].astype(str).to_numpy()
        groups |= {g: keys == g for g in sorted(set(keys), key=_natural)}
    visit_group = (visits["household_id"].map(households.set_index("household_id")[by]
                                              .astype(str)) if by else None)
    waves = visits.groupby("date")["wave"].agg(lambda w: "+".join(map(str, sorted(set(w)))))
    parts = []
    for name, mask in groups.items():
        first = cov["first_visit"][mask]
        voters = households["voters"].to_numpy()[mask]
        new = first.value_counts().reindex(days, fill_value=0)
        new_voters = pd.Series(voters, index=first.index).groupby(first).sum().reindex(
            days, fill_value=0)
        mine = visits if visit_group is None or name == "all" else visits[visit_group == name]
        part = pd.DataFrame({
            "date": days, "wave": waves.reindex(days, fill_value="").to_numpy(),
            "visits": mine.groupby("date").size().reindex(days, fill_value=0).to_numpy(),
            "new_households": new.to_numpy(), "covered": new.cumsum().to_numpy(),
            "voters_covered": new_voters.cumsum().to_numpy()})
        part["covered_pct"] = (100 * part["covered"] / max(int(mask.sum()), 1)).round(1)
        part["voters_covered_pct"] = (100 * part["voters_covered"]
                                      / max(int(voters.sum()), 1)).round(1)
        if by is not None:
            part.insert(0, by, name)
        parts.append(part)
    cols = [*([by] if by else []), "date", "wave", "visits", "new_households", "covered",
            "covered_pct", "voters_covered", "voters_covered_pct"]
    return pd.concat(parts, ignore_index=True)[cols]


def progress_figure(households: pd.DataFrame, visits: pd.DataFrame, *,
                    precinct: int | str | None = None, title: str | None = None) -> Figure:
    """Return the coverage-over-time chart: share of households and voters reached, by day.

    The same figure serves the CLI (saved as PNG), the dashboard and the notebooks. Wave 2's
    days are shaded; with ``precinct``, its line is drawn over the whole area's.

    Parameters
    ----------
    households : pandas.DataFrame
        With ``household_id``, ``kind``, ``voters``, ``precinct_id``.
    visits : pandas.DataFrame
        The visit log.
    precinct : int or str, optional
        A precinct to draw over the whole area.
    title : str, optional
        The chart's title.

    Returns
    -------
    matplotlib.figure.Figure
        Not attached to pyplot (safe in threads and servers).
    """
    import matplotlib as mpl  # noqa: PLC0415 (the library loads no plotting package on import)
    from matplotlib.figure import Figure  # noqa: PLC0415

    fig = Figure(figsize=(8, 4.2), dpi=110, layout="constrained")
    ax = fig.add_subplot()
    colors = mpl.colormaps["tab10"]
    whole = progress(households, visits)
    for i, kind in enumerate(KINDS):
        part = progress(households[households["kind"] == kind], visits)
        label = "apartment buildings" if kind == "apartment" else "private houses"
        ax.plot(part["date"], part["covered_pct"], color=colors(i + 1), lw=1.4, marker=".",
                label=label)
    ax.plot(whole["date"], whole["covered_pct"], color="black", lw=2.2, marker="o", ms=3,
            label="all households")
    ax.plot(whole["date"], whole["voters_covered_pct"], color="black", lw=1, ls="--",
            label="all voters")
    if precinct is not None:
        mine = households[households["precinct_id"].astype(str) == str(precinct)]
        if not mine.empty:
            part = progress(mine, visits)
            ax.plot(part["date"], part["covered_pct"], color=colors(3), lw=2.2, marker="o",
                    ms=3, label=f"precinct {precinct}")
    second = whole[whole["wave"].str.contains("2")]
    if not second.empty:
        ax.axvspan(second["date"].min() - pd.Timedelta(hours=12),
                   second["date"].max() + pd.Timedelta(hours=12), color="0.92", zorder=0,
                   label="wave 2")
    ax.set_ylim(0, 100)
    ax.set_ylabel("covered by the end of the day, %")
    ax.set_xlabel("day of the canvass")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    ax.set_title(title or "Door-to-door canvass: coverage by day", fontsize=11)
    fig.autofmt_xdate()
    return fig
