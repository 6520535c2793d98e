"""Start the dashboard as a local server: for ``aksugeo app``, the browser tests and benchmarks.

Streamlit runs headless on 127.0.0.1 only, with static serving on (the map's Leaflet comes from
``static/`` beside the page) and no usage statistics; :func:`wait_ready` polls its health
endpoint. The server is started through this module (``python -m aksugeo.app.server run
PAGE ...``), which imports the page's libraries and fills its caches before Streamlit starts,
so the first visitor waits for neither.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from aksugeo._errors import AksugeoError

APP = Path(__file__).resolve().with_name("page.py")


def command(gpkg: str | Path, *, address: str = "127.0.0.1", port: int = 8501) -> list[str]:
    """Return the command line that serves the dashboard on ``address:port``.

    Parameters
    ----------
    gpkg : str or Path
        The built GeoPackage to show.
    address : str
        Where to listen (this machine only by default).
    port : int
        The port.

    Returns
    -------
    list of str
        ``python -m aksugeo.app.server run PAGE ... -- --gpkg GPKG``.

    Raises
    ------
    AksugeoError
        When the page is missing from the installed package.
    """
    if not APP.is_file():
        raise AksugeoError(f"{APP}: the dashboard page is missing from the installed package; "
                           "reinstall aksugeo")
    return [sys.executable, "-m", "aksugeo.app.server", "run", str(APP),
            "--server.address", address, "--server.port", str(port), "--server.headless", "true",
            "--browser.gatherUsageStats", "false", "--server.enableStaticServing", "true",
            "--client.toolbarMode", "viewer",
            "--", "--gpkg", str(Path(gpkg).resolve())]


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(gpkg: str | Path, *, port: int | None = None,
          log: Path | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """Start the dashboard in the background and wait until it answers.

    Parameters
    ----------
    gpkg : str or Path
        The built GeoPackage to show.
    port : int, optional
        The port (a free one by default).
    log : Path, optional
        Where the server's output goes (discarded by default).

    Returns
    -------
    process : subprocess.Popen
        The server: stop it with ``terminate()``.
    url : str
        ``http://127.0.0.1:PORT``.
    """
    port = port or free_port()
    out = log.open("wb") if log is not None else subprocess.DEVNULL
    proc = subprocess.Popen(command(gpkg, port=port), stdout=out,  # noqa: S603
                            stderr=subprocess.STDOUT, env=os.environ.copy())
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, proc=proc)
    except AksugeoError:
        proc.terminate()
        raise
    return proc, url


def wait_ready(url: str, *, timeout_s: float = 90.0,
               proc: subprocess.Popen[bytes] | None = None) -> None:
    """Wait until the server at ``url`` says it is healthy.

    Raises
    ------
    AksugeoError
        When it does not within ``timeout_s``, or its process ended.
    """
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if proc is not None and proc.poll() is not None:
            raise AksugeoError(f"the dashboard server stopped (exit {proc.returncode})")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:  # noqa: S310
                if r.read().strip() == b"ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise AksugeoError(f"{url}: the dashboard did not answer within {timeout_s:.0f} s")


def _flag(args: list[str], name: str, default: str) -> str:
    return args[args.index(name) + 1] if name in args[:-1] else default


def _rehearse(page: str, page_args: list[str]) -> None:
    """Run the page once, off screen, so the first visitor's run finds everything loaded.

    A page's first run in a process pays for what it loads on first use (Streamlit's emoji
    table, Vega-Lite, the compiled patterns of pandas and the libraries: about 2 s here); its
    later runs take 0.2 s. Streamlit's AppTest runs the script with no browser and no server.
    """
    from streamlit.testing.v1 import AppTest  # noqa: PLC0415

    argv = sys.argv
    sys.argv = [page, *page_args]  # the page reads --gpkg as `streamlit run` passes it
    try:
        AppTest.from_file(page, default_timeout=120).run()
    finally:
        sys.argv = argv


def _serve() -> int:
    """Import what the page uses, fill its caches, then run Streamlit's command line."""
    import geopandas  # noqa: F401, PLC0415  (loaded once, before the first visitor)
    from streamlit.web import cli  # noqa: PLC0415

    import aksugeo.app.dashboard  # noqa: PLC0415
    import aksugeo.app.maps  # noqa: F401, PLC0415

    args = sys.argv[1:]
    page_args = args[args.index("--") + 1:] if "--" in args else []
    gpkg = _flag(page_args, "--gpkg", "")
    if gpkg:
        # the caches the first page uses, filled before the server answers: the first planner
        # finds them ready (they are this process's, not Streamlit's, so they can be filled now)
        from aksugeo.app import cache  # noqa: PLC0415

        try:
            cache.warm(gpkg)
            _rehearse(args[args.index("run") + 1] if "run" in args else str(APP), page_args)
        except Exception as exc:  # noqa: BLE001  (the page shows the error; serve it)
            print(f"aksugeo: the warm-up failed: {exc}", file=sys.stderr)
    sys.argv = ["streamlit", *args]
    return int(cli.main(standalone_mode=False) or 0)


if __name__ == "__main__":
    sys.exit(_serve())
