"""Driving the dashboard in Debian's headless Chromium with Playwright (tests and benchmarks).

Streamlit widgets are found by their label text, the map (drawn in the page itself, no iframe)
by its classes; every request the browser makes is recorded, so a test can prove that none left
the machine.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, Playwright, expect, sync_playwright

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
MAP = ".aksugeo-map"  # the dashboard's map first, a siting scenario's below it
TIMEOUT_MS = 90_000
# a rerun takes a moment, and a new map briefly sits beside the old one: wait, do not fail
expect.set_options(timeout=60_000)


def chromium_path() -> str:
    """Return Debian's chromium (``make test`` installs it when it is missing)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        msg = "no chromium: `make test` installs Debian's chromium (apt-get install chromium)"
        raise RuntimeError(msg)
    return found


def launch(pw: Playwright) -> Browser:
    """Start headless Chromium."""
    return pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)


@dataclass
class Session:
    """One browser page on the dashboard, with every URL it asked for."""

    page: Page
    url: str
    requests: list[str] = field(default_factory=list)

    @property
    def map(self) -> Locator:
        """The main map (a siting scenario's map comes after it)."""
        return self.page.locator(MAP).first

    def open(self) -> float:
        """Go to the dashboard; return seconds until the map shows its precinct markers."""
        start = time.perf_counter()
        self.page.goto(self.url)
        self.map.locator(".precinct-marker").first.wait_for(timeout=TIMEOUT_MS)
        return time.perf_counter() - start

    def markers(self) -> int:
        """Return how many precinct markers the map shows."""
        return self.map.locator(".precinct-marker").count()

    def metric(self, label: str) -> str:
        """Return the value of the figure under the map whose label holds ``label``."""
        box = self.page.locator(".aksugeo-figure").filter(has_text=label)
        return box.locator("dd").inner_text().strip()

    def tab(self, label: str) -> None:
        """Open the tab ``label`` below the map (its content runs only when it is open)."""
        self.page.get_by_role("tab", name=label, exact=True).click()

    def choose(self, label: str, option: str, *, multi: bool = False) -> float:
        """Pick ``option`` in the sidebar select (or multiselect) labelled ``label``.

        Returns the ``time.perf_counter()`` of the pick itself (after the list opened), from
        which a benchmark times what the page does with it.
        """
        kind = "stMultiSelect" if multi else "stSelectbox"
        self.page.get_by_test_id(kind).filter(has_text=label).first.click()
        choice = self.page.get_by_role("option", name=option, exact=True)
        choice.wait_for(timeout=TIMEOUT_MS)
        picked = time.perf_counter()
        choice.click()
        if multi:
            self.page.keyboard.press("Escape")
        return picked

    def language(self, lang: str) -> None:
        """Switch the page to ``lang`` (by the language box, as a planner does)."""
        from aksugeo.i18n import LANGUAGE_NAMES, catalogue  # noqa: PLC0415

        if lang != "ru":
            self.choose("Язык · Тіл · Language", LANGUAGE_NAMES[lang])
        expect(self.page.get_by_role("heading", level=3)).to_have_text(
            catalogue(lang)["app.title"])

    def download(self, label: str, folder: Path) -> Path:
        """Click the download button ``label``; return the file, saved in ``folder``."""
        button = self.page.get_by_test_id("stDownloadButton").filter(has_text=label)
        with self.page.expect_download(timeout=TIMEOUT_MS) as info:
            button.get_by_role("button").click()
        path = folder / info.value.suggested_filename
        info.value.save_as(path)
        return path

    def wait_metric(self, label: str, value: str) -> float:
        """Wait until a figure under the map shows ``value``; return the seconds it took.

        Checked on every animation frame (``expect`` backs off to a second between checks,
        too coarse for timing the page).
        """
        start = time.perf_counter()
        self.page.wait_for_function(
            """([label, value]) => [...document.querySelectorAll('.aksugeo-figure')]
                .some(m => m.innerText.includes(label) &&
                      m.querySelector('dd')?.innerText.trim() === value)""",
            arg=[label, value], polling="raf", timeout=TIMEOUT_MS)
        return time.perf_counter() - start

    def wait_markers(self, count: int) -> float:
        """Wait until the map shows ``count`` precinct markers; return the seconds it took.

        Checked on every animation frame.
        """
        start = time.perf_counter()
        self.page.wait_for_function(
            """([sel, n]) => document.querySelector(sel)?.querySelectorAll('.precinct-marker')
                .length === n""", arg=[MAP, count], polling="raf", timeout=TIMEOUT_MS)
        return time.perf_counter() - start


@contextmanager
def chromium() -> Iterator[Browser]:
    """Start headless Chromium for a module's tests; close it after them."""
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def dashboard(db: Path, folder: Path) -> Iterator[str]:
    """Serve the dashboard on ``db`` (its log in ``folder``); yield its address; stop it."""
    from aksugeo.app.server import start  # noqa: PLC0415

    proc, url = start(db, log=folder / "server.log")
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@contextmanager
def session(browser: Browser, url: str, *, width: int = 1500,
            height: int = 1100) -> Iterator[Session]:
    """Open a fresh browser context (its own Streamlit session) on the dashboard."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="ru-RU")
    page = context.new_page()
    s = Session(page, url)
    context.on("request", lambda r: s.requests.append(r.url))
    try:
        yield s
    finally:
        context.close()


@contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """Serve ``folder`` as any static web server would, on loopback; yield its address."""
    import functools  # noqa: PLC0415
    import threading  # noqa: PLC0415
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer  # noqa: PLC0415

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0),
                                functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
