"""Where prepared files are kept: one cache folder, never beside the user's own files.

The folder is ``AKSUGEO_CACHE_DIR`` when set, else ``$XDG_CACHE_HOME/aksugeo``, else
``~/.cache/aksugeo``. Entries are named by the SHA-256 of the file they were made from, so a
changed file is read again, and the same file met in two folders is prepared once.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def cache_dir() -> Path:
    """Return the cache folder (made when first written to, not here)."""
    env = os.environ.get("AKSUGEO_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "aksugeo"


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file, read in blocks: the key of its cache entries."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cache_path(sha: str, suffix: str) -> Path:
    """Return the cache entry for the file with hash ``sha`` (``<sha>.<suffix>``)."""
    return cache_dir() / f"{sha[:32]}.{suffix}"
