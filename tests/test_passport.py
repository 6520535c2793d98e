"""Accessibility passports: checks on load, the category rules item by item, and the walks."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from aksugeo.build import BuildReport
from aksugeo.cli import main
from aksugeo.data.io import Dataset, read_geopackage
from aksugeo.data.passports import read_passports, records
from aksugeo.data.schema import PASSPORTS
from aksugeo.i18n import LANGUAGES, catalogue
from aksugeo.passport.rules import (
    ACCESSIBLE,
    GROUPS,
    ITEM_KEYS,
    NOT_ACCESSIBLE,
    PARTLY,
    assess,
    voters_by_category,
)
from aksugeo.walk.distances import ON_THE_WAY_DETOUR_M, accessible_walks
from aksugeo.walk.network import load_network
from aksugeo.walk.snapping import snap_points

from .conftest import DATA
from .reference import reference_graph

W, M, B, D, C = GROUPS

# The checklist, as the issue and the accessibility surveys put it, written out apart from the
# library's table: item -> (fails when, groups kept out, groups hindered).
CHECKLIST: dict[str, tuple[Callable[[dict], bool], set[str], set[str]]] = {
    "parking": (lambda p: p["parking_spaces"] == 0, set(), {W, M}),
    "route": (lambda p: not p["route_step_free"], {W}, {M, B}),
    "entrance": (lambda p: p["entrance_steps"] > 0 and not p["ramp"], {W}, {M}),
    "ramp_slope": (lambda p: p["ramp"] and p["ramp_slope_1_in"] < 12, set(), {W, M}),
    "handrails": (lambda p: (p["entrance_steps"] > 0 or p["ramp"]) and not p["handrails"],
                  set(), {M, B}),
    "door_width": (lambda p: p["door_width_cm"] < 90, {W}, {M}),
    "voting_floor": (lambda p: p["voting_floor"] != 1 and not p["lift"], {W}, {M}),
    "toilet": (lambda p: not p["toilet_accessible"], set(), {W}),
    "lighting": (lambda p: not p["lighting_adequate"], set(), {B, D}),
    "booth": (lambda p: not p["booth_accessible"], {W}, {M}),
    "magnifier": (lambda p: not p["magnifier"], set(), {B}),
    "braille": (lambda p: not p["braille_template"], {B}, set()),
    "sign_language": (lambda p: not p["sign_language"], set(), {D}),
    "signage": (lambda p: not p["signage"], set(), {B, D, C}),
    "easy_read": (lambda p: not p["easy_read"], set(), {C}),
    "winter_clearing": (lambda p: not p["winter_clearing"], set(), {W, M, B}),
    "transit": (lambda p: bool(p["transit_stop"]) and p["transit_stop_m"] > 500, set(), {M, B}),
}


def expected_categories(passport: dict, temporary: set[str]) -> dict[str, str]:
    failed = [k for k, (fails, _, _) in CHECKLIST.items() if fails(passport)]
    out = {}
    for g in GROUPS:
        kept_out = [k for k in failed if g in CHECKLIST[k][1] and k not in temporary]
        touched = [k for k in failed if g in CHECKLIST[k][1] | CHECKLIST[k][2]]
        out[g] = NOT_ACCESSIBLE if kept_out else PARTLY if touched else ACCESSIBLE
    rank = [ACCESSIBLE, PARTLY, NOT_ACCESSIBLE]
    out["overall"] = max(out.values(), key=rank.index)
    return out


def test_checklist_covers_every_item() -> None:
    assert set(CHECKLIST) == set(ITEM_KEYS)


def test_categories_follow_the_rules_on_every_shipped_precinct(shipped: Dataset) -> None:
    got = assess(shipped.passports, shipped.remedies)
    assert shipped.remedies is not None
    temporary = shipped.remedies[shipped.remedies["state"] == "temporary_measure"]
    for passport in records(shipped.passports):
        pid = passport["precinct_id"]
        temp = set(temporary.loc[temporary["precinct_id"] == pid, "item"])
        want = expected_categories(passport, temp)
        failed = [k for k, (fails, _, _) in CHECKLIST.items() if fails(passport)]
        assert got.loc[pid, "failed_items"] == ",".join(failed), pid
        assert got.loc[pid, "category"] == want["overall"], pid
        for g in GROUPS:
            assert got.loc[pid, f"category_{g}"] == want[g], (pid, g)
    # the synthetic passports are varied: most accessible, some with gaps
    assert got["category"].value_counts().to_dict() == {ACCESSIBLE: 27, PARTLY: 9,
                                                        NOT_ACCESSIBLE: 4}


@pytest.mark.parametrize("item", ITEM_KEYS)
def test_each_item_alone_sets_the_groups_it_affects(item: str, shipped: Dataset) -> None:
    """Break one item of a fully accessible passport; with and without a temporary measure."""
    base = records(shipped.passports[shipped.passports["precinct_id"] == 560])[0]
    assert not any(fails(base) for fails, _, _ in CHECKLIST.values())
    broken = dict(base)
    broken |= {
        "parking": {"parking_spaces": 0}, "route": {"route_step_free": False},
        "entrance": {"entrance_steps": 3, "ramp": False, "ramp_slope_1_in": None},
        "ramp_slope": {"entrance_steps": 2, "ramp": True, "ramp_slope_1_in": 10},
        "handrails": {"entrance_steps": 2, "handrails": False},
        "door_width": {"door_width_cm": 85}, "voting_floor": {"voting_floor": 2, "lift": False},
        "toilet": {"toilet_accessible": False}, "lighting": {"lighting_adequate": False},
        "booth": {"booth_accessible": False}, "magnifier": {"magnifier": False},
        "braille": {"braille_template": False}, "sign_language": {"sign_language": False},
        "signage": {"signage": False}, "easy_read": {"easy_read": False},
        "winter_clearing": {"winter_clearing": False},
        "transit": {"transit_stop": "ост. «Школа»", "transit_stop_m": 650},
    }[item]
    table = pd.DataFrame([broken]).astype({"ramp_slope_1_in": "Int64"})
    _, kept_out, hindered = CHECKLIST[item]
    for remedy_state in ("relocate", "temporary_measure"):
        remedies = pd.DataFrame([{"precinct_id": 560, "item": item, "remedy": "x",
                                  "state": remedy_state}])
        row = assess(table, remedies).loc[560]
        assert row["failed_items"] == item
        for g in GROUPS:
            if g in kept_out:
                want = NOT_ACCESSIBLE if remedy_state == "relocate" else PARTLY
            else:
                want = PARTLY if g in hindered else ACCESSIBLE
            assert row[f"category_{g}"] == want, (item, remedy_state, g)


def test_failed_items_in_words_in_every_language(shipped: Dataset) -> None:
    for lang in LANGUAGES:
        got = assess(shipped.passports, shipped.remedies, lang=lang).loc[586]
        words = [catalogue(lang)[f"item.{k}"] for k in ("route", "entrance", "toilet")]
        assert got["failed"] == "; ".join(words)
        assert got[f"failed_{W}"] == "; ".join(words)  # all three hinder or stop wheelchairs
        assert catalogue(lang)["remedy.none"] in got["remedies"]  # no remedy for the toilet
        assert catalogue(lang)["state.relocate"] in got["remedies"]


def test_catalogues_have_the_same_keys() -> None:
    keys = {lang: set(catalogue(lang)) for lang in LANGUAGES}
    for lang in LANGUAGES:
        assert keys[lang] == keys["en"], (lang, keys[lang] ^ keys["en"])
    for k in ITEM_KEYS:
        assert f"item.{k}" in keys["en"]
    for f in PASSPORTS.fields[1:]:
        assert f"field.{f.name}" in keys["en"]


def test_voters_by_category_add_up(shipped: Dataset) -> None:
    table = voters_by_category(assess(shipped.passports, shipped.remedies), shipped.precincts)
    for col in ["voters", *(f"voters_{g}" for g in GROUPS)]:
        assert table[col].sum() == 53_413
    for col in ["precincts", *(f"precincts_{g}" for g in GROUPS)]:
        assert table[col].sum() == 40
    # by hand: the voters of the four precincts not accessible
    assessed = assess(shipped.passports, shipped.remedies)
    closed = assessed.index[assessed["category"] == NOT_ACCESSIBLE]
    voters = shipped.precincts.set_index("precinct_id").loc[closed, "voters"].sum()
    assert table.loc[NOT_ACCESSIBLE, "voters"] == voters


# --- checks on load: (change to passports.csv or remedies, record, field, message start)
def _set(row: int, **values: str) -> Callable[[pd.DataFrame], None]:
    def run(t: pd.DataFrame) -> None:
        for k, v in values.items():
            t.loc[row, k] = v
    return run


PASSPORT_CASES = {
    "ramp without gradient": (_set(1, ramp_slope_1_in=""), "line 3", "ramp_slope_1_in",
                              "missing value: a ramp needs its gradient"),
    "desk disagrees with the precinct list": (
        _set(0, con_desk="False"), "line 2", "con_desk", "is False but"),
    "unknown precinct": (_set(2, precinct_id="999"), "line 4", "precinct_id",
                         "unknown precinct 999"),
    "a precinct without a passport": (_set(2, precinct_id="999"), "-", "precinct_id",
                                      "no passport for precinct 562"),
    "stop without its walk": (_set(0, transit_stop_m=""), "line 2", "transit_stop_m",
                              "missing value: the walk from"),
    "entrance far away": (_set(0, entrance_lon="76.99"), "line 2", "entrance_lon",
                          "the entrance (76.99, 52.0363) is"),
    "door width in metres": (_set(0, door_width_cm="0.9"), "line 2", "door_width_cm",
                             "expected a whole number, got '0.9'"),
    "inspection date": (_set(0, inspected_on="08.04.2019"), "line 2", "inspected_on",
                        "expected a date YYYY-MM-DD"),
}
REMEDY_CASES = {
    "unknown item": (_set(0, item="ramp_width"), "line 2", "item", "'ramp_width' is not one of"),
    "unknown state": (_set(0, state="done"), "line 2", "state", "'done' is not one of"),
    "remedy of a passing item": (_set(0, item="parking"), "line 2", "item",
                                 "'parking' passes in"),
    "two remedies of one item": (_set(1, item="entrance"), "line 3", "item",
                                 "a second remedy for 'entrance' at precinct 562"),
}


@pytest.mark.parametrize(("case", "table"), [(c, "passports") for c in PASSPORT_CASES]
                         + [(c, "remedies") for c in REMEDY_CASES])
def test_each_passport_problem_is_named(case: str, table: str, shipped: Dataset,
                                        tmp_path: Path) -> None:
    for name in ("passports.csv", "passport_remedies.csv"):
        shutil.copy(DATA / name, tmp_path / name)
    rel = "passports.csv" if table == "passports" else "passport_remedies.csv"
    change, record, field, message = (PASSPORT_CASES | REMEDY_CASES)[case]
    frame = pd.read_csv(tmp_path / rel, dtype=str, keep_default_na=False)
    change(frame)
    frame.to_csv(tmp_path / rel, index=False)
    _, _, problems = read_passports(tmp_path, shipped.precincts, "precincts.geojson")
    lines = [str(p) for p in problems]
    want = f"{(tmp_path / rel).as_posix()}:{record}:{field}: {message}"
    assert any(line.startswith(want) for line in lines), (want, lines)


def test_validate_names_a_bad_passport_and_build_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    frame = pd.read_csv(data / "passports.csv", dtype=str, keep_default_na=False)
    frame.loc[4, "lift"] = "maybe"
    frame.to_csv(data / "passports.csv", index=False)
    assert main(["build", str(data), "--out", str(tmp_path / "out")]) == 1
    out = capsys.readouterr()
    want = f"{(data / 'passports.csv').as_posix()}:line 6:lift: expected true or false, got"
    assert f"{want} 'maybe'" in out.out
    assert "Traceback" not in out.out + out.err
    assert not (tmp_path / "out" / "aksugeo.gpkg").exists()


def test_passports_are_optional(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    (data / "passports.csv").unlink()
    (data / "passport_remedies.csv").unlink()
    assert main(["validate", str(data)]) == 0
    capsys.readouterr()


# --- walks to the nearest fully accessible precinct, and precincts passed on the way
def test_accessible_walks_against_networkx(shipped_build: BuildReport,
                                           shipped: Dataset) -> None:
    homes = read_geopackage(shipped_build.gpkg, "households")
    precincts = read_geopackage(shipped_build.gpkg, "precincts")
    accessible = (precincts["category"] == ACCESSIBLE).to_numpy()
    net = load_network(DATA / "network" / "aksu.osm.bz2")
    hsnap = snap_points(net, shipped.households.geometry, max_m=300)
    psnap = snap_points(net, shipped.precincts.geometry, max_m=300)
    graph = reference_graph(net, {"h": hsnap, "p": psnap})
    ids = shipped.precincts["precinct_id"].to_numpy()
    dist = [nx.single_source_dijkstra_path_length(graph, ("p", k), weight="weight")
            for k in range(len(ids))]
    walks = accessible_walks(net, shipped.households, shipped.precincts, accessible)
    # the layer holds the same figures
    assert np.allclose(homes["walk_accessible_m"], walks["walk_accessible_m"])
    rng = np.random.default_rng(6)
    sample = np.concatenate([rng.choice(len(homes), 150, replace=False),
                             np.flatnonzero(walks["passes_precinct_id"].notna())])
    own_k = pd.Index(ids).get_indexer(shipped.households["precinct_id"])
    for h in sample:
        d = np.array([dist[k].get(("h", int(h)), np.inf) for k in range(len(ids))])
        best = np.argmin(np.where(accessible, d, np.inf))
        assert walks["walk_accessible_m"].iloc[h] == pytest.approx(d[best], abs=0.05)
        assert walks["accessible_precinct_id"].iloc[h] == ids[best]
        p = own_k[h]
        via = [d[q] - psnap.snap_m[q] + dist[q][("p", int(p))] - psnap.snap_m[q]
               if q != p else np.inf for q in range(len(ids))]
        on_way = [q for q in range(len(ids)) if via[q] <= d[p] + ON_THE_WAY_DETOUR_M]
        got = walks["passes_precinct_id"].iloc[h]
        if on_way:
            assert got == ids[min(on_way, key=lambda q: d[q])]
        else:
            assert pd.isna(got)
    # a household assigned to a fully accessible precinct never walks farther to one
    own_ok = accessible[own_k]
    assert (walks["walk_accessible_m"][own_ok]
            <= homes["walk_assigned_m"][own_ok] + 1e-6).all()
    assert walks["passes_precinct_id"].notna().sum() > 0  # the registry's odd assignments
