"""One pool of threads for the process: the compiled kernels release the GIL and run on it."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
_POOL: ThreadPoolExecutor | None = None  # made once: making one costs a millisecond
_LOCK = threading.Lock()


def threads() -> int:
    """How many threads searches run on: ``AKSUGEO_THREADS``, else the CPUs available."""
    env = os.environ.get("AKSUGEO_THREADS")
    return max(1, int(env)) if env else max(1, len(os.sched_getaffinity(0)))


def pool() -> ThreadPoolExecutor:
    """Return the process's pool, made when first needed."""
    global _POOL  # noqa: PLW0603  (one pool for the process)
    with _LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(max_workers=threads(), thread_name_prefix="aksugeo")
        return _POOL


def run_parts(fn: Callable[[T], R], parts: Iterable[T]) -> list[R]:
    """Run ``fn`` on each part, on the pool when there are several."""
    items = list(parts)
    if len(items) <= 1:
        return [fn(p) for p in items]
    return list(pool().map(fn, items))
