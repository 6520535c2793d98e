"""Statistical disclosure control: no published count from 1 to 4, not even by subtraction.

The rule, as census offices apply it (Statistics Canada and Stats NZ round at random to a
base; the UK's ONS rounds to base 5), for every count of voters or households in a public
output:

- a count under :data:`MIN_COUNT` (5), zero included, is withheld (``null``);
- any other count is rounded at random to base :data:`BASE` (5): ``5q + r`` with ``0 < r < 5``
  becomes ``5q + 5`` with probability ``r / 5``, else ``5q`` (unbiased); a multiple of 5 stays;
- every total is rounded on its own, never summed from its rounded parts; shares (the
  canvass's %) and statuses (a block covered or not) are computed from the published counts.

The randomness is keyed, not drawn: a secret key and the count's value decide the rounding.
The key is made by the first build of a GeoPackage, carried over by every later build (like
the visit log) and never published. So re-exports publish the same figures (no averaging of
repeated releases to find ``r``), a count equal to its total is published equal to it, and
nobody without the key can tell which way a figure went.

Why it protects: every published count is a multiple of 5, so every sum or difference of
published counts is one too; and a true count lies within 4 of its published figure, so a
difference of published figures places the true difference in a window of 9 values, which
always holds 0 or 5 and more beside any count from 1 to 4 (``tests/test_export.py`` attacks
the shipped export with every difference and sum of figures that share a total).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from typing import Any

import pandas as pd

MIN_COUNT = 5
BASE = 5


def new_key() -> str:
    """Return a fresh secret key (hex) for a GeoPackage's published figures."""
    return secrets.token_hex(16)


def _uniform(value: int, key: str) -> float:
    """Return a number in [0, 1) fixed by the key and the value (HMAC-SHA256)."""
    digest = hmac.new(bytes.fromhex(key), str(value).encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


def published(value: Any, key: str) -> int | None:  # noqa: ANN401  (a count, or NaN/None)
    """Return a count as it may be published: None under 5, else randomly rounded to base 5.

    Parameters
    ----------
    value : int, float or None
        The true count (None or NaN: unknown, published as None).
    key : str
        The GeoPackage's secret key (:func:`new_key`).
    """
    if value is None or pd.isna(value) or int(value) < MIN_COUNT:
        return None
    n = int(value)
    low, rest = divmod(n, BASE)
    up = rest and _uniform(n, key) < rest / BASE
    return (low + 1) * BASE if up else low * BASE


def protect(values: Iterable[Any], key: str) -> list[int | None]:
    """Return :func:`published` of each count."""
    return [published(v, key) for v in values]


def share_pct(part: Iterable[Any], whole: Iterable[Any]) -> list[float | None]:
    """Return ``100 * part / whole`` to 0.1 from published counts (None where either is)."""
    return [None if p is None or w is None or pd.isna(p) or pd.isna(w) or not w
            else round(100 * float(p) / float(w), 1) for p, w in zip(part, whole, strict=True)]
