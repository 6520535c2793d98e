"""The walking figures of any assignment: the decision's, as well as the registry's.

The same engine and settings as the build (:func:`aksugeo.walk.access.analyse_access`), each
household walking to the precinct the assignment gives it. A household the assignment gives no
precinct (in none, or in two) is counted apart, never dropped.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from aksugeo.settings import AccessSettings
from aksugeo.walk.access import analyse_access, band_statistics
from aksugeo.walk.network import WalkNetwork


def walking_figures(net: WalkNetwork, households: gpd.GeoDataFrame,
                    precincts: gpd.GeoDataFrame, precinct_of: pd.Series,
                    settings: AccessSettings) -> dict[str, int]:
    """Return voters within each band of the precinct ``precinct_of`` gives each household.

    Parameters
    ----------
    net : WalkNetwork
        The walking network (the build's).
    households : geopandas.GeoDataFrame
        ``household_id``, ``voters``, points.
    precincts : geopandas.GeoDataFrame
        ``precinct_id``, points.
    precinct_of : pandas.Series
        Each household's precinct by the assignment, indexed by ``household_id`` (missing:
        none).
    settings : AccessSettings
        The speeds and bands (the build's).

    Returns
    -------
    dict
        ``voters``, ``voters_within_<m>`` for each band, ``voters_no_walk`` (a precinct but no
        walk to it), ``voters_no_precinct`` and ``households_no_precinct``.
    """
    assigned = precinct_of.reindex(households["household_id"].astype(str)).to_numpy()
    has = pd.notna(assigned)
    homes = households[has].assign(precinct_id=assigned[has].astype(int))
    known = homes["precinct_id"].isin(set(precincts["precinct_id"].astype(int)))
    homes = homes[known.to_numpy()]
    access = analyse_access(net, homes, precincts, settings=settings, isochrones=False,
                            catchments=False)
    stats = band_statistics(homes, access.households, settings=settings)
    row = stats.loc["all"].to_dict()
    out = {"voters": int(households["voters"].sum())}
    out |= {f"voters_within_{m}": int(row[f"voters_within_{m}"]) for m in settings.bands_min}
    out["voters_no_walk"] = int(row["voters_no_walk"])
    missing = households[~households["household_id"].astype(str).isin(
        set(homes["household_id"].astype(str)))]
    out["voters_no_precinct"] = int(missing["voters"].sum())
    out["households_no_precinct"] = len(missing)
    return out
