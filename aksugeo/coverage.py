"""Canvassing coverage: which households the door-to-door canvass has reached, as of a date.

A household is covered once it has at least one visit on or before the date, whatever the
outcome (see :mod:`aksugeo.schema`).
"""

from __future__ import annotations

import pandas as pd

from aksugeo.schema import KINDS


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
        ``covered`` (bool), ``first_visit`` (datetime64, NaT when not covered) and ``visits``
        (count), aligned to ``households``' index.
    """
    day = pd.Timestamp(as_of) if as_of is not None else visits["date"].max()
    seen = visits[visits["date"] <= day]
    first = seen.groupby("household_id")["date"].min()
    count = seen.groupby("household_id").size()
    hid = households["household_id"]
    out = pd.DataFrame({"first_visit": hid.map(first), "visits": hid.map(count)},
                       index=households.index)
    out["visits"] = out["visits"].fillna(0).astype("int64")
    out["covered"] = out["visits"] > 0
    return out[["covered", "first_visit", "visits"]]


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
