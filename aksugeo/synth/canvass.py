"""The synthetic canvass: visits from 12 to 27 May 2019, with gaps that lie whole blocks at a time.

Each precinct's teams sweep across it from one side, and have got a precinct-specific share of
the way by 27 May; what they have not reached yet is the gap. The households covered are the
ones earliest in that sweep, so exactly the published numbers of apartment buildings and private
houses are covered, and what is left lies in whole quadrants, blocks and streets.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

COVERED_BY_KIND = {"apartment": 248, "private": 4_619}  # by 27 May 2019
FIRST_DAY = dt.date(2019, 5, 12)
LAST_DAY = dt.date(2019, 5, 27)
WAVE_2_FROM = dt.date(2019, 5, 22)
OUTCOMES = ("talked", "not_home", "refused")


def sweep_scores(households: pd.DataFrame, rng: np.random.Generator) -> pd.Series:
    """Return each household's place in its precinct's sweep, less the precinct's progress.

    Negative scores come first; a whole unit (block, quadrant) shares one score but for a
    tiny tie-break, so the cut between covered and not falls between units.

    Parameters
    ----------
    households : pandas.DataFrame
        With ``precinct_id``, ``unit``, metric ``x`` and ``y``.
    rng : numpy.random.Generator
        Source of each precinct's direction and progress.

    Returns
    -------
    pandas.Series
        The score, aligned to ``households``.
    """
    pids = np.sort(households["precinct_id"].unique())
    angle = pd.Series(rng.uniform(0, 2 * np.pi, len(pids)), index=pids)
    progress = pd.Series(rng.uniform(0.45, 1.05, len(pids)), index=pids)
    a = households["precinct_id"].map(angle)
    s = households["x"] * np.cos(a) + households["y"] * np.sin(a)
    g = s.groupby(households["precinct_id"])
    rank = (s - g.transform("min")) / (g.transform("max") - g.transform("min")).clip(lower=1.0)
    unit_rank = rank.groupby([households["precinct_id"], households["unit"]]).transform("mean")
    return unit_rank - households["precinct_id"].map(progress) + 1e-4 * rank


def covered_mask(households: pd.DataFrame, scores: pd.Series) -> np.ndarray:
    """Mark as covered the published number of each kind, earliest in the sweep first."""
    covered = np.zeros(len(households), dtype=bool)
    for kind, target in COVERED_BY_KIND.items():
        idx = np.flatnonzero((households["kind"] == kind).to_numpy())
        order = idx[np.argsort(scores.to_numpy()[idx], kind="stable")]
        covered[order[:target]] = True
    return covered


def _day(first: dt.date, offset: int) -> dt.date:
    return min(LAST_DAY, max(FIRST_DAY, first + dt.timedelta(days=offset)))


def make_visits(households: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Return the visit log: one row per visit, dated along each precinct's sweep.

    Parameters
    ----------
    households : pandas.DataFrame
        The registry with ``household_id``, ``kind``, ``precinct_id``, ``unit``, ``voters``,
        ``dwellings`` and metric ``x``, ``y``.
    rng : numpy.random.Generator
        Source of dates, outcomes and teams.

    Returns
    -------
    pandas.DataFrame
        ``visit_id``, ``household_id``, ``date``, ``wave``, ``team``, ``outcome``,
        ``voters_reached``.
    """
    scores = sweep_scores(households, rng)
    covered = covered_mask(households, scores)
    span = (LAST_DAY - FIRST_DAY).days
    # the sweep position of each covered household, 0..1 within what its precinct covered
    pos = scores.where(covered)
    g = pos.groupby(households["precinct_id"])
    pos = (pos - g.transform("min")) / (g.transform("max") - g.transform("min")).clip(lower=1e-9)
    rows = []
    for i in np.flatnonzero(covered):
        h = households.iloc[i]
        first = _day(FIRST_DAY, round(pos.iloc[i] * span) + int(rng.integers(-1, 2)))
        team = f"{h['precinct_id']}-{1 + sum(map(ord, h['unit'])) % 3}"
        voters = int(h["voters"])
        if h["kind"] == "apartment":
            n = 1 + (h["dwellings"] > 60) + (h["dwellings"] > 100)
            for k in range(n):
                reached = int(rng.binomial(max(1, voters // n), 0.5))
                rows.append((h["household_id"], _day(first, k), team, "talked", reached))
            continue
        outcome = OUTCOMES[int(rng.choice(3, p=[0.7, 0.22, 0.08]))]
        reached = max(1, int(rng.binomial(voters, 0.6))) if outcome == "talked" else 0
        rows.append((h["household_id"], first, team, outcome, reached))
        if outcome == "not_home" and (LAST_DAY - first).days >= 2 and rng.random() < 0.6:
            again = OUTCOMES[int(rng.choice(3, p=[0.65, 0.25, 0.1]))]
            reached = max(1, int(rng.binomial(voters, 0.6))) if again == "talked" else 0
            rows.append((h["household_id"], _day(first, int(rng.integers(2, 4))), team, again,
                         reached))
    visits = pd.DataFrame(rows, columns=["household_id", "date", "team", "outcome",
                                         "voters_reached"])
    visits = visits.drop_duplicates(["household_id", "date"]).sort_values(
        ["date", "household_id"], kind="stable").reset_index(drop=True)
    visits["wave"] = np.where(visits["date"] >= WAVE_2_FROM, 2, 1)
    visits["date"] = visits["date"].map(dt.date.isoformat)
    visits.insert(0, "visit_id", [f"V{i:06d}" for i in range(1, len(visits) + 1)])
    return visits[["visit_id", "household_id", "date", "wave", "team", "outcome",
                   "voters_reached"]]
