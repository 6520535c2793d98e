"""Coverage and gap polygons that follow the streets: street blocks and the lots inside them.

The streets enclose *blocks* (the faces of the street network, polygonised, with the study
area's boundary closing the outer ones). Inside a block each household gets a *lot*: its
Voronoi cell among the block's households, clipped to the block and to ``lot_m`` around it,
so lots split a block between its buildings and never cross a street. Land with no building
near it belongs to nobody.

Per block and precinct, the block is *covered* when the share of its households visited reaches
``threshold`` (80% by default): the lots of its visited households are covered area and the
lots of the few it missed are small gaps of their own. Below the threshold the whole block is a
gap, for the team to go back to. So every household not yet visited lies in exactly one gap.
Lots are dissolved per precinct and status (layer ``coverage``); the gap area of a precinct is
split into its connected parts (layer ``gaps``), each with the households and voters inside.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from aksugeo.settings import GapSettings
from aksugeo.walk.network import WalkNetwork

COVERED = "covered"
GAP = "gap"
#: Coordinates are rounded to this grid (metres) so that neighbouring lots share edges exactly.
GRID_M = 0.01


@dataclass
class CoverageAreas:
    """Coverage and gap polygons of one date, in the network's metric CRS.

    Attributes
    ----------
    coverage : geopandas.GeoDataFrame
        One row per precinct and status (``covered``, ``gap``): households, voters, area.
    gaps : geopandas.GeoDataFrame
        One row per connected gap: ``gap_id``, ``precinct_id``, households and voters inside,
        and those of them not visited, doors not knocked on, area.
    households : pandas.DataFrame
        Per household (aligned to the input): ``block_id``, ``area_status`` and ``gap_id``
        (empty when its lot is covered).
    blocks : geopandas.GeoDataFrame
        The street blocks.
    """

    coverage: gpd.GeoDataFrame
    gaps: gpd.GeoDataFrame
    households: pd.DataFrame
    blocks: gpd.GeoDataFrame


def street_blocks(net: WalkNetwork, area: BaseGeometry | None = None) -> gpd.GeoDataFrame:
    """Return the blocks the streets enclose (with ``area``'s boundary closing the outer ones).

    Parameters
    ----------
    net : WalkNetwork
        The walking network.
    area : shapely geometry, optional
        The study area, in the network's CRS.

    Returns
    -------
    geopandas.GeoDataFrame
        ``block_id`` and the polygon of each block, in the network's CRS.
    """
    lines = list(net.lines)
    if area is not None:
        lines += list(shapely.get_parts(shapely.boundary(area)))
    noded = shapely.union_all(lines)  # nodes the lines where they cross
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    faces = faces[shapely.area(faces) > 1.0]
    if area is not None:
        faces = faces[shapely.contains_properly(area, shapely.point_on_surface(faces))]
    order = np.lexsort((shapely.get_x(shapely.centroid(faces)).round(1),
                        -shapely.get_y(shapely.centroid(faces)).round(1)))
    faces = faces[order]
    return gpd.GeoDataFrame({"block_id": np.arange(len(faces), dtype=np.int64)},
                            geometry=shapely.set_precision(faces, GRID_M), crs=net.crs)


def _block_of(points: np.ndarray, blocks: np.ndarray) -> np.ndarray:
    """Return the block holding each point (-1 for none; the first when on an edge)."""
    pi, bi = shapely.STRtree(blocks).query(points, predicate="intersects")
    out = np.full(len(points), -1, dtype=np.int64)
    order = np.argsort(pi, kind="stable")[::-1]  # the first hit of each point written last
    out[pi[order]] = bi[order]
    return out


def household_lots(points: np.ndarray, block: np.ndarray, blocks: np.ndarray, *,
                   lot_m: float, max_block_ha: float = np.inf) -> np.ndarray:
    """Return each household's lot: its Voronoi cell in its block.

    Households at the same spot share one lot; households in no block get a lot among all
    such households, clipped only by ``lot_m``.

    Parameters
    ----------
    points : numpy.ndarray
        Household points (metric CRS).
    block : numpy.ndarray
        Index into ``blocks`` of each household's block, -1 for none.
    blocks : numpy.ndarray
        Block polygons.
    lot_m : float
        The farthest a lot reaches from its building in a block larger than ``max_block_ha``.
    max_block_ha : float
        Blocks up to this size are split whole between their buildings.

    Returns
    -------
    numpy.ndarray
        One polygon per household.
    """
    lots = np.empty(len(points), dtype=object)
    frame = pd.DataFrame({"block": block, "x": shapely.get_x(points),
                          "y": shapely.get_y(points)})
    for key, part in frame.groupby("block", sort=True):
        b = int(key)  # type: ignore[arg-type]
        spots = part[["x", "y"]].drop_duplicates()
        site = part.merge(spots.reset_index(names="spot"), on=["x", "y"], how="left")["spot"]
        sites = shapely.points(spots.to_numpy())
        container = (blocks[b] if b >= 0
                     else shapely.union_all(shapely.buffer(sites, lot_m)))
        if len(sites) == 1:
            cells = np.array([container])
        else:
            cells = shapely.get_parts(shapely.voronoi_polygons(
                shapely.multipoints(sites), extend_to=container, ordered=True))
        by_spot = pd.Series(np.arange(len(spots)), index=spots.index)
        cell = cells[by_spot[site.to_numpy()].to_numpy()]
        if b < 0 or shapely.area(container) > max_block_ha * 1e4:
            reach = shapely.buffer(shapely.points(part[["x", "y"]].to_numpy()), lot_m,
                                   quad_segs=8)
            cell = shapely.intersection(cell, reach)
        lots[part.index.to_numpy()] = shapely.intersection(cell, container, grid_size=GRID_M)
    return np.array([_polygonal(g) for g in lots], dtype=object)


def lots_of(net: WalkNetwork, points: np.ndarray, area: BaseGeometry | None = None, *,
            settings: GapSettings | None = None) -> np.ndarray:
    """Return each point's lot among all the points, in the blocks the streets enclose."""
    settings = settings or GapSettings()
    blocks = street_blocks(net, area).geometry.to_numpy()
    return household_lots(points, _block_of(points, blocks), blocks, lot_m=settings.lot_m,
                          max_block_ha=settings.max_block_ha)


def coverage_areas(net: WalkNetwork, households: gpd.GeoDataFrame, covered: np.ndarray, *,
                   area: BaseGeometry | None = None, settings: GapSettings | None = None,
                   blocks: gpd.GeoDataFrame | None = None) -> CoverageAreas:
    """Return coverage and gap polygons per precinct, from street blocks and lots.

    Parameters
    ----------
    net : WalkNetwork
        The walking network (its CRS is the metric CRS of the result).
    households : geopandas.GeoDataFrame
        With ``household_id``, ``precinct_id``, ``voters``, ``dwellings`` and points.
    covered : numpy.ndarray
        Whether each household has been visited (as of the date wanted).
    area : shapely geometry, optional
        The study area in the network's CRS, closing the outer blocks.
    settings : GapSettings, optional
        Threshold and lot size.
    blocks : geopandas.GeoDataFrame, optional
        Blocks from :func:`street_blocks`, to reuse between dates.

    Returns
    -------
    CoverageAreas
        The ``coverage`` and ``gaps`` layers and each household's block and gap.
    """
    settings = settings or GapSettings()
    covered = np.asarray(covered, dtype=bool)
    blocks = blocks if blocks is not None else street_blocks(net, area)
    pts = households.geometry.to_crs(net.crs).to_numpy()
    block = _block_of(pts, blocks.geometry.to_numpy())
    lots = household_lots(pts, block, blocks.geometry.to_numpy(), lot_m=settings.lot_m,
                          max_block_ha=settings.max_block_ha)
    frame = pd.DataFrame({"block": block, "precinct_id": households["precinct_id"].to_numpy(),
                          "covered": covered}, index=households.index)
    # households in no block form one block each, so one visit covers their own lot only
    alone = frame["block"] < 0
    frame.loc[alone, "block"] = -1 - np.arange(int(alone.sum()))
    share = frame.groupby(["block", "precinct_id"])["covered"].transform("mean")
    status = np.where((share >= settings.threshold) & frame["covered"], COVERED, GAP)
    lot_frame = gpd.GeoDataFrame({
        "precinct_id": frame["precinct_id"].to_numpy(), "status": status,
        "households": 1, "voters": households["voters"].to_numpy(),
        "uncovered_households": (~covered).astype(np.int64),
        "uncovered_voters": np.where(covered, 0, households["voters"].to_numpy()),
        "uncovered_doors": np.where(covered, 0, households["dwellings"].to_numpy())},
        geometry=lots, crs=net.crs)
    coverage = _dissolve(lot_frame)
    gaps, gap_of = _gap_parts(coverage, lot_frame, pts)
    # a part of an under-threshold block that lies apart from its unvisited households
    # holds only visited ones: it is covered ground, not a gap to send a team to
    empty = set(gaps.loc[gaps["uncovered_households"] == 0, "gap_id"])
    if empty:
        status = np.where(np.isin(gap_of, list(empty)), COVERED, status)
        lot_frame["status"] = status
        coverage = _dissolve(lot_frame)
        gaps, gap_of = _gap_parts(coverage, lot_frame, pts)
    per_household = pd.DataFrame({
        "block_id": np.where(block >= 0, block, -1), "area_status": status,
        "gap_id": gap_of}, index=households.index)
    return CoverageAreas(coverage, gaps, per_household, blocks)


_COUNTS = ("households", "voters", "uncovered_households", "uncovered_voters",
           "uncovered_doors")


def _dissolve(lots: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    rows: list[dict[str, object]] = []
    geoms: list[BaseGeometry] = []
    for (pid, status), part in lots.groupby(["precinct_id", "status"], sort=True):
        geom = _polygonal(shapely.union_all(part.geometry.to_numpy(), grid_size=GRID_M))
        # lots clipped one by one may overlap by slivers a few mm wide where they meet;
        # taking away what earlier groups hold makes the layer free of overlaps
        near = [g for g in geoms if shapely.intersects(g, geom)]
        if near:
            geom = _polygonal(shapely.difference(geom, shapely.union_all(near)))
        geoms.append(geom)
        rows.append({"precinct_id": pid, "status": status,
                     **{c: int(part[c].sum()) for c in _COUNTS}})
    out = gpd.GeoDataFrame(rows, geometry=geoms, crs=lots.crs)
    out["area_ha"] = (out.geometry.area / 1e4).round(2)
    return out


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Keep the polygons of a geometry (a union may leave stray lines or points)."""
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.multipolygons(shapely.get_parts(parts)) if parts else shapely.Polygon()


def _gap_parts(coverage: gpd.GeoDataFrame, lots: gpd.GeoDataFrame, points: np.ndarray,
               ) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """Split each precinct's gap area into connected parts; name each household's part."""
    gap_area = coverage[coverage["status"] == GAP]
    parts = gap_area[["precinct_id", "geometry"]].explode(index_parts=False)
    parts = parts.reset_index(drop=True)
    cx, cy = parts.geometry.centroid.x.round(0), parts.geometry.centroid.y.round(0)
    parts = parts.assign(_cy=-cy, _cx=cx).sort_values(["precinct_id", "_cy", "_cx"])
    # typed even when there is no gap (every household visited): the joins below need text
    parts["gap_id"] = pd.Series([f"{pid}-{k + 1:03d}" for pid, k in zip(
        parts["precinct_id"], parts.groupby("precinct_id").cumcount(), strict=True)],
        index=parts.index, dtype=object)
    parts = parts.drop(columns=["_cy", "_cx"]).reset_index(drop=True)
    gap_of = np.full(len(lots), "", dtype=object)
    in_gap = np.flatnonzero((lots["status"] == GAP).to_numpy())
    # a household's point lies in its lot: the gap part of its precinct holding the point
    tree = shapely.STRtree(parts.geometry.to_numpy())
    li, pi = tree.query(points[in_gap], predicate="intersects")
    same = parts["precinct_id"].to_numpy()[pi] == lots["precinct_id"].to_numpy()[in_gap][li]
    li, pi = li[same], pi[same]
    li, first = np.unique(li, return_index=True)  # on a corner two parts touch: the first
    pi = pi[first]
    gap_of[in_gap[li]] = parts["gap_id"].to_numpy()[pi]
    counts = lots.iloc[in_gap[li]][list(_COUNTS)].assign(gap_id=gap_of[in_gap[li]])
    sums = counts.groupby("gap_id")[list(_COUNTS)].sum()
    sums.index = sums.index.astype(object)
    gaps = parts.join(sums, on="gap_id")
    gaps[list(_COUNTS)] = gaps[list(_COUNTS)].fillna(0).astype("int64")
    gaps["area_ha"] = (gaps.geometry.area / 1e4).round(2)
    cols = ["gap_id", "precinct_id", *_COUNTS, "area_ha", "geometry"]
    return gpd.GeoDataFrame(gaps[cols], geometry="geometry", crs=coverage.crs), gap_of
