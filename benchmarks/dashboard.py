"""Time the dashboard in headless Chromium: goto to a rendered map, and a filter change.

    python benchmarks/dashboard.py [--db out/aksugeo.gpkg] [--runs 5] [--write BENCHMARKS.md]
                                   [--screenshot docs/dashboard.png]

Each run starts a fresh server on a copy of the build (so the first visit finds every cache
cold), opens the page (first visit), opens it again (the next visit: Streamlit's caches warm),
then picks "rural" in the area filter and waits for the metrics and for the map's 18 markers
(timed from the pick, checked on every animation frame).
The aims (issue 15): the first visit shows the map in at most 2 s, a filter redraws the map in
at most 0.5 s. No anchor is named, so the ratio column compares each median with its aim.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the browser helpers live with the tests

from playwright.sync_api import sync_playwright  # noqa: E402

from aksugeo import __version__  # noqa: E402
from aksugeo.app.server import start  # noqa: E402
from aksugeo.i18n import catalogue  # noqa: E402
from benchmarks._markdown import table_section  # noqa: E402
from tests.browser import launch, session  # noqa: E402

AIMS = {"first_visit_s": 2.0, "next_visit_s": 2.0, "filter_metrics_s": 0.5,
        "filter_map_s": 0.5}
WHAT = {"first_visit_s": "goto -> map with 40 markers, first visit (server caches cold)",
        "next_visit_s": "goto -> map with 40 markers, next visit (caches warm)",
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


def main() -> None:
    """Run the benchmark and print (or write) its section."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=ROOT / "out" / "aksugeo.gpkg")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write", type=Path, help="rewrite this file's dashboard section")
    parser.add_argument("--screenshot", type=Path, help="save the page of the first run")
    args = parser.parse_args()
    runs = [one_run(args.db, args.screenshot if i == 0 else None) for i in range(args.runs)]
    rows = []
    for key, aim in AIMS.items():
        values = [r[key] for r in runs]
        median = statistics.median(values)
        rows.append(f"| {WHAT[key]} | {median:.2f} | {min(values):.2f} | {max(values):.2f} | "
                    f"{aim:g} | {median / aim:.2f} |")
    table_section(
        args.write, "dashboard",
        "Dashboard in the browser (`python benchmarks/dashboard.py --write BENCHMARKS.md`)",
        f"aksugeo {__version__}, shipped Aksu build, {args.runs} runs, each on a fresh server; "
        f"Debian Chromium headless via Playwright; {platform.machine()}, "
        f"{platform.python_version()}. Ratio = median / aim (below 1 meets the aim).",
        ["step", "median s", "min s", "max s", "aim s", "ratio"], rows)


if __name__ == "__main__":
    main()
