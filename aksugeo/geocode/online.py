"""An online geocoder for what stays unmatched offline: off by default, polite, cached.

Any geopy geocoder serves (Nominatim by default). Requests go out at most once per
``min_delay_s`` (Nominatim's public policy: one a second), carry the user's own user agent,
and every answer, a "not found" too, is kept in an SQLite cache so that no address is asked
twice, across runs.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from aksugeo._errors import AksugeoError


class OnlineGeocoder:
    """Look addresses up with a geopy geocoder, once each, at a polite pace.

    Parameters
    ----------
    user_agent : str
        Who is asking: Nominatim's policy wants an identifying user agent.
    cache_path : str or Path
        The SQLite file answers are kept in.
    domain : str
        The Nominatim server (``nominatim.openstreetmap.org``).
    scheme : str
        ``https`` (or ``http`` for a local server).
    min_delay_s : float
        At least this long between two requests.
    country_codes : str, optional
        Limit answers to these countries (``kz``).
    """

    def __init__(self, user_agent: str, cache_path: str | Path, *,
                 domain: str = "nominatim.openstreetmap.org", scheme: str = "https",
                 min_delay_s: float = 1.0, country_codes: str | None = "kz") -> None:
        if not user_agent or not user_agent.strip():
            raise AksugeoError("the online geocoder needs a user agent that says who you are")
        try:
            from geopy.extra.rate_limiter import RateLimiter  # noqa: PLC0415
            from geopy.geocoders import Nominatim  # noqa: PLC0415
        except ImportError as exc:
            raise AksugeoError("the online geocoder needs geopy: pip install 'aksugeo[online]'"
                               ) from exc
        self._geopy = Nominatim(user_agent=user_agent, domain=domain, scheme=scheme,
                                timeout=10)
        self._lookup: Callable[..., object] = RateLimiter(
            self._geopy.geocode, min_delay_seconds=min_delay_s, max_retries=1,
            swallow_exceptions=False)
        self.country_codes = country_codes
        self.requests = 0
        path = Path(cache_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS answers (query TEXT PRIMARY KEY, "
                         "answer TEXT)")
        self._lock = threading.Lock()

    def lookup(self, query: str) -> tuple[float, float, str] | None:
        """Return ``(lon, lat, display name)`` for an address, or None when not found.

        Raises
        ------
        AksugeoError
            When the service cannot be reached (the answer is then not cached).
        """
        with self._lock:
            row = self._db.execute("SELECT answer FROM answers WHERE query = ?",
                                   (query,)).fetchone()
            if row is not None:
                found = json.loads(row[0])
                return None if found is None else (found[0], found[1], found[2])
            try:
                loc = self._lookup(query, country_codes=self.country_codes)
            except Exception as exc:  # geopy raises its own and requests' errors
                raise AksugeoError(f"online geocoder unreachable: {exc}") from exc
            finally:
                self.requests += 1
            answer = None if loc is None else (
                float(loc.longitude), float(loc.latitude),  # type: ignore[attr-defined]
                str(loc.address))  # type: ignore[attr-defined]
            self._db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?)",
                             (query, json.dumps(answer, ensure_ascii=False)))
            self._db.commit()
            return answer

    def close(self) -> None:
        """Close the cache."""
        self._db.close()
