"""Measure the public site against its budgets: size, time to the map and list, a search.

    python benchmarks/site.py [--db out/aksugeo.gpkg] [--runs 5] [--write BENCHMARKS.md]
                              [--screenshot docs/site.png]

The site is written from the build (``aksugeo export site``) and served from loopback by
Python's static server. Each run opens the Russian page in a fresh browser context (nothing
cached) and reads, from the page itself, when the map's 40 markers and the list were both
shown (``performance.now()`` when the script marks the page ready, from the start of the
navigation), then types 50 addresses (Russian, Kazakh and Latin forms, some with a typo) and
reads how long each search took to answer on the page (the lookup, the walks and the answer
written). The budgets (issue 19): at most 2 MB gzipped in all, the map and list within 1 s, a
search within 100 ms. No anchor is named; ratio = measured / budget.
"""

from __future__ import annotations

import gzip
import json
import platform
import random
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the browser helpers live with the tests

from playwright.sync_api import Browser, sync_playwright  # noqa: E402

from aksugeo import __version__  # noqa: E402
from aksugeo.site import export_site  # noqa: E402
from benchmarks._markdown import page_benchmark_args, table_section  # noqa: E402
from tests.browser import launch, static_server  # noqa: E402

BUDGETS = {"gzip_mb": 2.0, "ready_ms": 1000.0, "search_ms": 100.0}


def queries(data: dict, n: int = 50, seed: int = 19) -> list[str]:
    """Addresses of houses the site knows, in the forms voters type them."""
    rng = random.Random(seed)
    names, town = data["names"], data["town"]
    cyr = data["skeleton"]["cyr"]
    out = []
    rows = rng.sample(data["ranges"], n)
    for k, row in enumerate(rows):
        street = names["streets"][row[0]]
        where = names["settlements"][street["s"]]
        bare = street["ru"].split(" ", 1)[-1]
        n_ = row[3]
        form = k % 4
        prefix = "" if street["s"] == town else where["ru"] + ", "
        if form == 0:
            out.append(f"{prefix}{street['ru']}, д. {n_}")
        elif form == 1:
            out.append(f"{'' if street['s'] == town else where['kk'] + ', '}{street['kk']} {n_}")
        elif form == 2:
            latin = "".join(cyr.get(c, c) for c in bare.lower()).capitalize()
            out.append(f"ul. {latin} {n_}")
        else:
            typo = bare[:2] + bare[3] + bare[2] + bare[4:] if len(bare) >= 6 else bare
            out.append(f"{prefix}{typo} {n_}")
    return out


def one_run(browser: Browser, url: str, addresses: list[str], screenshot: Path | None,
            ) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("html[data-ready='1']")
    ready = page.evaluate("window.aksugeoSite.readyMs")
    markers = page.evaluate("document.querySelectorAll('.pin').length")
    items = page.evaluate("document.querySelectorAll('#precincts > li').length")
    times = []
    for q in addresses:
        page.fill("#q", q)
        page.click("#search button[type=submit]")
        page.wait_for_function("window.aksugeoSite.lastSearchMs !== null")
        times.append(page.evaluate("window.aksugeoSite.lastSearchMs"))
    context.close()
    if screenshot is not None:  # the README's picture: the answer and its walk on the map
        context = browser.new_context(viewport={"width": 1100, "height": 1750})
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("html[data-ready='1']")
        page.select_option("#group", "wheelchair")
        page.fill("#q", addresses[0])
        page.click("#search button[type=submit]")
        page.check("#show-bands")
        page.wait_for_timeout(800)
        page.screenshot(path=screenshot, full_page=False)
        context.close()
    return {"ready_ms": ready, "markers": markers, "items": items, "search_ms": times}


def main() -> None:
    """Run the benchmark and print (or write) its section."""
    args = page_benchmark_args(__doc__, "site", ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        site = export_site(args.db, Path(tmp) / "site")
        text = (site.out / "data" / "site.js").read_text(encoding="utf-8")
        data = json.loads(text[text.index("=") + 1:].rstrip().rstrip(";"))
        addresses = queries(data)
        parts = {"data/site.js": [site.out / "data" / "site.js"],
                 "the open data (data/*.geojson, schemas)": [
                     p for p in (site.out / "data").rglob("*")
                     if p.is_file() and p.name != "site.js"],
                 "Leaflet": list((site.out / "vendor").rglob("*.*")),
                 "pages, script, styles": [p for p in site.out.rglob("*")
                                           if p.suffix in (".html", ".css")
                                           or (p.name == "site.js" and p.parent == site.out)]}
        sizes = {k: sum(len(gzip.compress(p.read_bytes(), 9)) for p in v if p.is_file())
                 for k, v in parts.items()}
        with static_server(site.out) as url, sync_playwright() as pw:
            browser = launch(pw)
            runs = [one_run(browser, f"{url}/ru/index.html", addresses,
                            args.screenshot if i == 0 else None) for i in range(args.runs)]
            browser.close()
    ready = [r["ready_ms"] for r in runs]
    searches = [t for r in runs for t in r["search_ms"]]
    first = [r["search_ms"][0] for r in runs]
    total_mb = site.gzip_bytes / 1e6
    rows = [
        f"| the whole site, gzipped (MB) | {total_mb:.2f} | | | 2 | {total_mb / 2:.2f} |",
        *(f"| ... {k} (MB) | {v / 1e6:.2f} | | | | |" for k, v in sizes.items()),
        (f"| map (40 markers) and list (40 precincts) shown, from the navigation (ms) | "
         f"{statistics.median(ready):.0f} | {min(ready):.0f} | {max(ready):.0f} | 1000 | "
         f"{statistics.median(ready) / 1000:.2f} |"),
        (f"| a search answered: lookup, walks, answer written (ms, {len(searches)} searches) | "
         f"{statistics.median(searches):.1f} | {min(searches):.1f} | {max(searches):.1f} | "
         f"100 | {statistics.median(searches) / 100:.2f} |"),
        (f"| ... the first search of a page (ms) | {statistics.median(first):.1f} | "
         f"{min(first):.1f} | {max(first):.1f} | 100 | {max(first) / 100:.2f} (max) |"),
    ]
    if not all(r["markers"] == 40 and r["items"] == 40 for r in runs):
        raise SystemExit("the page did not show its 40 markers and 40 precincts")
    intro = (f"`python benchmarks/site.py --runs {args.runs}` on the shipped build: "
             f"{site.files} files; Debian's Chromium, headless, on loopback (Python's static "
             f"server); {args.runs} runs, each a fresh browser context; aksugeo {__version__}, "
             f"{platform.machine()}, Python {platform.python_version()}. Ratio = measured / "
             "budget (issue 19; no anchor named).")
    table_section(args.write, "site", "The public site: size and speed against its budgets",
                  intro, ["what", "median", "min", "max", "budget", "ratio"], rows)


if __name__ == "__main__":
    main()
