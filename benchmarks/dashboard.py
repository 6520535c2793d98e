"""Time the dashboard in headless Chromium: goto to a rendered map, and a filter change.

    python benchmarks/dashboard.py [--db out/aksugeo.gpkg] [--runs 5] [--write BENCHMARKS.md]
                                   [--screenshot docs/dashboard.png]

Each run starts a fresh server on a copy of the build and a fresh browser, opens the page (the
first visit: the server has filled its caches and rehearsed the page before answering, the
browser has nothing cached), opens it again (the next visit: the browser's cache warm),
then picks "rural" in the area filter and waits for the metrics and for the map's 18 markers
(timed from the pick, checked on every animation frame).
The aims (issue 15): the first visit shows the map in at most 2 s, a filter redraws the map in
at most 0.5 s. No anchor is named; in the same run, the same steps are timed on Streamlit alone
(``benchmarks/_floor_page.py``: the first screen's widgets, no data, no map library), the floor
any Streamlit page meets on this machine. Ratios: median / aim, and median / floor.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the browser helpers live with the tests

from playwright.sync_api import sync_playwright  # noqa: E402

from aksugeo import __version__  # noqa: E402
from aksugeo.app.server import free_port, start, wait_ready  # noqa: E402
from aksugeo.i18n import catalogue  # noqa: E402
from benchmarks._markdown import page_benchmark_args, table_section  # noqa: E402
from tests.browser import Session, launch, session  # noqa: E402

AIMS = {"first_visit_s": 2.0, "next_visit_s": 2.0, "filter_metrics_s": 0.5,
        "filter_map_s": 0.5}
WHAT = {"first_visit_s": "goto -> map with 40 markers, first visit (fresh browser)",
        "next_visit_s": "goto -> map with 40 markers, next visit (browser cache warm)",
        "filter_metrics_s": "filter 'rural' -> metrics updated",
        "filter_map_s": "filter 'rural' -> map redrawn with 18 markers"}


def one_run(db: Path, screenshot: Path | None) -> dict[str, float]:
    """Time one fresh server: two visits and a filter change."""
    t = catalogue("ru")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(shutil.copy(db, Path(tmp) / "aksugeo.gpkg"))
        proc, url = start(copy)
        try:
            with sync_playwright() as pw:
                browser = launch(pw)
                with session(browser, url) as s:
                    times = {"first_visit_s": s.open(), "next_visit_s": s.open()}
                    # timed from the pick in the opened list, to the metrics and to the markers
                    begin = s.choose(t["app.area_type"], t["area.rural"], multi=True)
                    s.wait_metric(t["app.metric_accessible"], "11 / 18")
                    times["filter_metrics_s"] = time.perf_counter() - begin
                    s.wait_markers(18)
                    times["filter_map_s"] = time.perf_counter() - begin
                if screenshot is not None:  # the README's picture: the city, up close
                    with session(browser, url, height=1250) as s:
                        s.open()
                        s.choose(t["app.area_type"], t["area.urban"], multi=True)
                        s.wait_markers(22)
                        s.page.wait_for_timeout(2500)
                        s.page.screenshot(path=screenshot)
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return times


FLOOR_PAGE = Path(__file__).with_name("_floor_page.py")


def floor_run() -> dict[str, float]:
    """Time the same steps on Streamlit alone (the page of ``_floor_page.py``)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(FLOOR_PAGE), "--server.address",
         "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        wait_ready(url, proc=proc)
        with sync_playwright() as pw:
            browser = launch(pw)
            with session(browser, url) as s:
                s.page.goto(url)  # Streamlit's first run of a page, as the dashboard's server
                s.page.locator(".precinct-marker").first.wait_for()  # rehearses its own
            with session(browser, url) as s:
                times = {"first_visit_s": _goto(s), "next_visit_s": _goto(s)}
                begin = s.choose("Тип местности", "rural", multi=True)
                s.wait_metric("Участки", "18 / 18")
                times["filter_metrics_s"] = time.perf_counter() - begin
                s.page.wait_for_function(
                    "() => document.querySelectorAll('.precinct-marker').length === 18",
                    polling="raf")
                times["filter_map_s"] = time.perf_counter() - begin
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return times


def _goto(s: Session) -> float:
    start_s = time.perf_counter()
    s.page.goto(s.url)
    s.page.locator(".precinct-marker").first.wait_for()
    return time.perf_counter() - start_s


def main() -> None:
    """Run the benchmark and print (or write) its section."""
    args = page_benchmark_args(__doc__, "dashboard", ROOT)
    runs, floors = [], []
    for i in range(args.runs):  # in turn, so both see the same machine
        runs.append(one_run(args.db, args.screenshot if i == 0 else None))
        floors.append(floor_run())
    rows = []
    for key, aim in AIMS.items():
        values = [r[key] for r in runs]
        median = statistics.median(values)
        floor = statistics.median(f[key] for f in floors)
        rows.append(f"| {WHAT[key]} | {median:.2f} | {min(values):.2f} | {max(values):.2f} | "
                    f"{aim:g} | {median / aim:.2f} | {floor:.2f} | {median / floor:.2f} |")
    table_section(
        args.write, "dashboard",
        "Dashboard in the browser (`python benchmarks/dashboard.py --write BENCHMARKS.md`)",
        f"aksugeo {__version__}, shipped Aksu build, {args.runs} runs, each on a fresh server "
        f"and a fresh browser; Debian Chromium headless via Playwright; {platform.machine()}, "
        f"{platform.python_version()}, {os.cpu_count()} CPUs. Aim ratio = median / aim (below 1 "
        "meets the aim). Streamlit alone = the same steps, in the same runs, on a page with the "
        "first screen's widgets and nothing computed (`benchmarks/_floor_page.py`): the floor "
        "of any Streamlit page here; floor ratio = median / that.",
        ["step", "median s", "min s", "max s", "aim s", "aim ratio", "Streamlit alone s",
         "floor ratio"], rows)


if __name__ == "__main__":
    main()
