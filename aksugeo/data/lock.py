"""One writer at a time on a build's GeoPackage: builds, imports, uploads and siting take turns.

Every command that writes a build's GeoPackage (``aksugeo build`` replacing it, ``canvass
import`` and the dashboard's upload adding visits, ``siting`` adding its layers) holds
:func:`writing` while it writes: an advisory lock on ``<file>.lock`` beside it (``filelock``:
``flock`` on POSIX, released by the system when a process dies, even by ``kill -9``), with
``<file>.lock.json`` saying who holds it. A second writer waits for the first, saying whom it
waits for, and fails with that name when it has waited ``timeout_s``. Readers take no lock:
a build replaces the file in one rename, so a reader sees the old file or the new one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from aksugeo._errors import AksugeoError

#: How long a writer waits for another by default: a build of a city takes minutes.
WAIT_S = 900.0


class BusyError(AksugeoError):
    """Another writer held the GeoPackage for longer than we could wait."""


def lock_path(gpkg: str | Path) -> Path:
    """Return the lock file of a GeoPackage (``<name>.lock`` beside it)."""
    gpkg = Path(gpkg)
    return gpkg.with_name(f"{gpkg.name}.lock")


def _info_path(gpkg: str | Path) -> Path:
    """Return the file beside the lock that says who holds it."""
    return lock_path(gpkg).with_suffix(".lock.json")


def holder(gpkg: str | Path) -> str:
    """Say who holds the GeoPackage's lock ("another aksugeo command" when none says)."""
    info = _info_path(gpkg)
    try:
        who = json.loads(info.read_text(encoding="utf-8"))
        return (f"{who['what']} (pid {who['pid']} on {who['host']}, since "
                f"{who['since']} UTC)")
    except (OSError, ValueError, KeyError, TypeError):
        return "another aksugeo command"


@contextlib.contextmanager
def writing(gpkg: str | Path, what: str, *, timeout_s: float = WAIT_S,
            waiting: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the GeoPackage's writer lock while the block writes it.

    Parameters
    ----------
    gpkg : str or Path
        The GeoPackage (it may not exist yet: a first build).
    what : str
        What is writing, for whoever waits (``aksugeo build``, ``canvass import team.csv``).
    timeout_s : float
        How long to wait for another writer.
    waiting : callable, optional
        Told once, in words, whom we wait for (the command line prints it to stderr).

    Raises
    ------
    BusyError
        When another writer still holds it after ``timeout_s``: nothing was written.
    """
    path = lock_path(gpkg)
    path.parent.mkdir(parents=True, exist_ok=True)
    info = _info_path(gpkg)
    lock = FileLock(path, thread_local=False)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        who = holder(gpkg)
        (waiting or _stderr)(f"{gpkg}: waiting for {who} to finish writing it")
        try:
            lock.acquire(timeout=timeout_s)
        except Timeout:
            raise BusyError(f"{gpkg}: {holder(gpkg)} is still writing it after "
                            f"{timeout_s:.0f} s of waiting; nothing was written: try again "
                            "when it is done") from None
    try:
        info.write_text(json.dumps({
            "what": what, "pid": os.getpid(), "host": socket.gethostname(),
            "since": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")}),
            encoding="utf-8")
        yield
    finally:
        info.unlink(missing_ok=True)
        lock.release()


def _stderr(message: str) -> None:
    print(f"aksugeo: {message}", file=sys.stderr, flush=True)
