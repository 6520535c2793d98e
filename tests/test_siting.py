"""Siting: the covering model against spopt and brute force, figures against the access engine."""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path

import numpy as np
import pulp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from spopt.locate import LSCP, MCLP, PMedian

from aksugeo.build import BuildReport
from aksugeo.cli import main
from aksugeo.data.io import Dataset, read_geopackage
from aksugeo.data.passports import GROUPS
from aksugeo.settings import AccessSettings
from aksugeo.siting.models import from_cost_matrix, greedy_cover, max_cover, p_median, set_cover
from aksugeo.siting.scenarios import figures, move_precinct, propose, site_table, walk_matrix
from aksugeo.walk.access import analyse_access
from aksugeo.walk.network import load_network

from .conftest import DATA

SETTINGS = AccessSettings()


@pytest.fixture(scope="module")
def db(shipped_build: BuildReport, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(shutil.copy(shipped_build.gpkg, tmp_path_factory.mktemp("siting") / "a.gpkg"))


def spopt_objective(walk_m: sparse.csr_matrix, voters: np.ndarray, p: int, radius_m: float,
                    fixed: np.ndarray) -> float:
    cost = np.full(walk_m.shape[::-1], 1e9)  # clients x facilities; unreachable: far away
    coo = walk_m.tocoo()
    cost[coo.col, coo.row] = coo.data
    model = MCLP.from_cost_matrix(cost, voters, radius_m, p,
                                  predefined_facilities_arr=fixed.astype(int))
    model.solve(pulp.PULP_CBC_CMD(msg=False))
    return float(pulp.value(model.problem.objective))


# spopt builds its model with PuLP calls PuLP 4 deprecates (one warning per variable)
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_add_two_at_15_minutes_equals_spopt(shipped: Dataset, db: Path) -> None:
    scenario = propose(db, minutes=15, add=2)
    net = load_network(DATA / "network" / "aksu.osm.bz2")
    sites = site_table(shipped.precincts, shipped.candidates)
    radius = SETTINGS.metres(15)
    walks = walk_matrix(net, shipped.households, sites, limit_m=radius)
    fixed = sites["existing"].to_numpy()
    voters = shipped.households["voters"].to_numpy(dtype=float)
    want = spopt_objective(walks, voters, int(fixed.sum()) + 2, radius, fixed)
    assert scenario.solution.objective == want
    assert scenario.solution.gap == 0.0
    assert int(scenario.sites["added"].sum()) == 2
    assert scenario.sites.loc[scenario.sites["existing"], "open"].all()
    # the heuristic finds the same on this case, never more
    greedy = greedy_cover(walks, voters, p=int(fixed.sum()) + 2, radius_m=radius, fixed=fixed)
    assert greedy.objective <= want
    assert greedy.objective == want


def test_exact_model_against_brute_force() -> None:
    rng = np.random.default_rng(9)
    for _ in range(5):
        dense = rng.uniform(0, 2000, size=(9, 60))
        dense[rng.random(dense.shape) < 0.5] = 0  # 0: no walk stored
        walks = sparse.csr_matrix(dense)
        voters = rng.integers(1, 40, size=60).astype(float)
        fixed = np.zeros(9, dtype=bool)
        fixed[0] = True
        reach = (dense > 0) & (dense <= 900)  # stored and within the radius
        best = max(voters[reach[[0, *combo]].any(axis=0)].sum()
                   for combo in itertools.combinations(range(1, 9), 2))
        got = max_cover(walks, voters, p=3, radius_m=900, fixed=fixed)
        assert got.objective == best
        assert got.open[0]
        assert int(got.open.sum()) == 3


def test_figures_against_the_access_engine(shipped: Dataset, db: Path) -> None:
    scenario = propose(db, add=2, minutes=15, write=False)
    net = load_network(DATA / "network" / "aksu.osm.bz2")
    voters = shipped.households["voters"].to_numpy(dtype=float)
    opened = scenario.sites[scenario.sites["open"]].assign(
        precinct_id=lambda f: np.arange(len(f)) + 1)
    for label, precincts in (("nearest precinct", shipped.precincts),
                             ("proposed", opened)):
        access = analyse_access(net, shipped.households.assign(
            precinct_id=int(precincts["precinct_id"].iloc[0])), precincts, isochrones=False,
            catchments=False).households
        walk = access["walk_nearest_m"].to_numpy()
        row = scenario.table.loc[label]
        for minutes in (10, 15, 20):
            for suffix, reduced in (("", False), ("_reduced", True)):
                inside = np.nan_to_num(walk, nan=np.inf) <= SETTINGS.metres(minutes,
                                                                            reduced=reduced)
                share = round(100 * voters[inside].sum() / voters.sum(), 2)
                assert row[f"within_{minutes}{suffix}_pct"] == pytest.approx(share, abs=0.011)
        ok = np.isfinite(walk)
        mean = np.average(walk[ok] / SETTINGS.metres(1), weights=voters[ok])
        assert row["mean_min"] == pytest.approx(mean, abs=0.006)
    # the objective is the proposal's voters within 15 minutes
    assert scenario.table.loc["proposed", "within_15_pct"] == pytest.approx(
        round(100 * scenario.solution.objective / voters.sum(), 2))
    # today's figures are the build's
    stats = read_geopackage(db, "access_by_precinct").set_index("precinct")
    assert scenario.table.loc["today, as assigned", "within_15_pct"] == pytest.approx(
        round(100 * stats.loc["all", "voters_within_15"] / stats.loc["all", "voters"], 2))


def test_siting_command_writes_the_proposal(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["siting", "--add", "2", "--minutes", "15", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "53,322 voters covered" in out
    assert "gap 0.00 %" in out
    sites = read_geopackage(db, "siting_sites")
    assert len(sites) == 40 + 43
    assert int(sites["added"].sum()) == 2
    catchments = read_geopackage(db, "siting_catchments")
    assert len(catchments) == 42
    table = read_geopackage(db, "siting_figures").set_index("state")
    assert table.loc["proposed", "within_15_pct"] == pytest.approx(
        round(100 * 53_322 / 53_413, 2))
    assert catchments.geometry.is_valid.all()
    assert set(sites.loc[sites["added"].astype(bool), "site_id"]) <= set(catchments["site_id"])


def test_clear_errors(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["siting", "--add", "200", "--db", str(db)]) == 1
    assert "cannot open 240 sites: 40 are fixed open and there are 83" in capsys.readouterr().err
    assert main(["siting", "--add", "1", "--db", str(tmp_path / "none.gpkg")]) == 1
    assert "no such GeoPackage" in capsys.readouterr().err


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_p_median_and_set_cover_equal_spopt() -> None:
    rng = np.random.default_rng(4)
    cost = rng.uniform(50, 3000, size=(150, 12))  # clients x facilities, every pair walkable
    voters = rng.integers(1, 30, size=150).astype(float)
    walks = from_cost_matrix(cost)  # spopt's input, as spopt takes it
    assert (walks.toarray() == cost.T).all()
    fixed = np.zeros(12, dtype=bool)
    fixed[0] = True
    ours = p_median(walks, voters, p=4, fixed=fixed)
    model = PMedian.from_cost_matrix(cost, voters, 4, predefined_facilities_arr=fixed.astype(int))
    model.solve(pulp.PULP_CBC_CMD(msg=False))
    assert ours.objective == pytest.approx(pulp.value(model.problem.objective), rel=1e-9)
    assert ours.open[0]
    assert ours.gap == 0.0
    # a capacity the free solution breaks costs walking; one it keeps costs nothing
    nearest = np.flatnonzero(ours.open)[np.argmin(cost[:, ours.open], axis=1)]
    loads = np.bincount(nearest, weights=voters, minlength=12)
    tight = p_median(walks, voters, p=4, fixed=fixed, capacity=0.9 * loads.max())
    assert tight.objective > ours.objective + 1e-6
    loose = p_median(walks, voters, p=4, fixed=fixed, capacity=loads.max())
    assert loose.objective == pytest.approx(ours.objective, rel=1e-9)
    cover, unreachable = set_cover(walks, radius_m=1500)
    lscp = LSCP.from_cost_matrix(cost, 1500).solve(pulp.PULP_CBC_CMD(msg=False))
    assert not unreachable.any()
    assert cover.objective == pulp.value(lscp.problem.objective)


def test_move_and_merge(shipped: Dataset, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = propose(db, minutes=15, add=0, merge=True, write=False)
    # closing the first-ranked precinct: the voters it pushes beyond 15 min, by the engine
    net = load_network(DATA / "network" / "aksu.osm.bz2")
    voters = shipped.households["voters"].to_numpy(dtype=float)
    left = shipped.precincts[shipped.precincts["precinct_id"]
                             != before.ranking["precinct_id"].iloc[0]]
    access = analyse_access(net, shipped.households.assign(
        precinct_id=int(left["precinct_id"].iloc[0])), left, isochrones=False,
        catchments=False).households
    inside = np.nan_to_num(access["walk_nearest_m"].to_numpy(), nan=np.inf) <= \
        SETTINGS.metres(15)
    assert before.solution.objective == voters[inside].sum()
    assert before.ranking["pushed_beyond"].is_monotonic_increasing
    assert int(before.sites["closed"].sum()) == 1
    assert main(["siting", "--move", "3", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    sites = read_geopackage(db, "siting_sites")
    assert int(sites["open"].sum()) == 40
    assert int(sites["closed"].sum()) == int(sites["added"].sum()) <= 3
    covered = int(re.search(r"([\d,]+) voters covered", out).group(1).replace(",", ""))
    assert covered >= 53_217  # never fewer than with every precinct where it is
    assert main(["siting", "--add", "1", "--merge", "--db", str(db)]) == 1
    assert "say what to propose: exactly one of --add N, --move K or --merge" in \
        capsys.readouterr().err


@given(seed=st.integers(0, 10_000))
@settings(max_examples=25, deadline=None)
def test_a_floor_of_accessible_sites_holds_and_costs_what_brute_force_says(seed: int) -> None:
    # the accessibility constraint: at least k of the masked sites open; against enumeration
    rng = np.random.default_rng(seed)
    dense = rng.uniform(0, 2000, size=(7, 40))
    dense[rng.random(dense.shape) < 0.5] = 0
    walks = sparse.csr_matrix(dense)
    voters = rng.integers(1, 40, size=40).astype(float)
    mask = rng.random(7) < 0.5
    least = int(min(mask.sum(), rng.integers(0, 3)))
    reach = (dense > 0) & (dense <= 900)
    best = max((voters[reach[list(c)].any(axis=0)].sum()
                for c in itertools.combinations(range(7), 3) if mask[list(c)].sum() >= least),
               default=None)
    if best is None:
        return
    got = max_cover(walks, voters, p=3, radius_m=900, at_least=[(mask, least)])
    assert int((got.open & mask).sum()) >= least
    assert got.objective == best


def test_moving_never_closes_a_precinct_a_group_could_use_unless_its_new_site_can(
        db: Path) -> None:
    # once: `--move 1` closed a precinct accessible to every group for a building no survey
    # found accessible to anyone
    for move in (1, 3):
        scenario = propose(db, minutes=15, move=move, write=False)
        sites = scenario.sites
        for g in GROUPS:
            usable = sites[f"access_{g}"].to_numpy(dtype=bool)
            assert (usable & sites["open"].to_numpy()).sum() >= \
                (usable & sites["existing"].to_numpy()).sum(), (move, g)
    merged = propose(db, minutes=15, merge=True, write=False)
    closed = merged.sites.loc[merged.sites["closed"], "precinct_id"].iloc[0]
    ranking = merged.ranking.set_index("precinct_id")
    assert ranking.loc[closed, "keeps_access"]
    assert not ranking["keeps_access"].all() or ranking.index[0] == closed


def test_moving_a_precinct_to_where_it_stands_changes_nothing(db: Path) -> None:
    p = read_geopackage(db, "precincts").to_crs(4326).set_index("precinct_id")
    here = p.loc[586].geometry
    same = move_precinct(db, 586, point=(here.x, here.y), name="the same")
    assert same.voters.loc["before"].equals(same.voters.loc["after"])
    assert same.everyone.loc["before"].equals(same.everyone.loc["after"])
    assert same.changed.empty
    assert not same.access["after"].any()  # a point nobody surveyed serves no group


def test_a_move_walks_as_the_build_and_changes_only_the_precincts_own_walks(db: Path) -> None:
    homes = read_geopackage(db, "households")
    voters = homes["voters"].to_numpy(dtype=float)
    move = move_precinct(db, 586, site_id="C-038")
    # before: every voter walks as the build's access engine measured
    today = figures(homes["walk_assigned_m"].fillna(np.inf).to_numpy(), voters, SETTINGS)
    assert move.everyone.loc["before"].to_dict() == pytest.approx(today)
    ours = (homes["precinct_id"] == 586).to_numpy()
    mine = figures(homes.loc[ours, "walk_assigned_m"].fillna(np.inf).to_numpy(), voters[ours],
                   SETTINGS)
    assert move.voters.loc["before"].to_dict() == pytest.approx(mine)
    # the Torткудук house of culture (steps, no ramp) to the clinic next door: every group
    # keeps or gains a precinct it can use
    assert move.lost_groups == []
    assert move.access["after"].all()
    assert not move.access["before"]["wheelchair"]
    # a building across the district serves the precinct's voters worse
    far = move_precinct(db, 586, site_id="C-026")
    assert far.voters.loc["after", "within_15_pct"] < move.voters.loc["after", "within_15_pct"]
    assert len(far.changed) > 0
    # a household's nearest changes only to or from the precinct moved
    c = far.changed
    assert ((c["nearest_before"] == 586) | (c["nearest_after"] == 586)).all()
    assert (c["nearest_before"] == 586).any()
    assert (c["nearest_after"] == 586).any()  # C-026 stands in Достык, among 585's voters
