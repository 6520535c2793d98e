"""The online fallback, against a Nominatim-like server of the test's own on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest

from aksugeo import AksugeoError
from aksugeo.geocode.gazetteer import build_gazetteer
from aksugeo.geocode.geocoder import Geocoder
from aksugeo.geocode.online import OnlineGeocoder

from .conftest import DATA


class FakeNominatim(BaseHTTPRequestHandler):
    """Answers /search like Nominatim: one place for 'Тестовая', nothing for the rest."""

    seen: list[tuple[float, str, str]] = []  # noqa: RUF012  (shared by the server's threads)

    def do_GET(self) -> None:
        url = urlparse(self.path)
        query = parse_qs(url.query).get("q", [""])[0]
        self.seen.append((time.monotonic(), query, self.headers.get("User-Agent", "")))
        body = [] if "Тестовая" not in query else [{
            "place_id": 1, "lat": "52.0512", "lon": "76.9433",
            "display_name": "Тестовая улица 1, Аксу", "boundingbox": ["52.05", "52.06",
                                                                    "76.94", "76.95"],
            "importance": 0.5}]
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_: object) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def server() -> Iterator[str]:
    FakeNominatim.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeNominatim)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_what_stays_unmatched_is_asked_online_once(server: str, tmp_path: Path) -> None:
    gaz = build_gazetteer(DATA / "network" / "aksu.osm.bz2")
    cache = tmp_path / "answers.sqlite"
    online = OnlineGeocoder("aksugeo tests", cache, domain=server, scheme="http")
    addresses = pd.Series(["г. Аксу, ул. Тестовая, д. 1", "г. Аксу, ул. Неведомая, д. 2",
                           "г. Аксу, ул. Строителей, д. 4"])
    first = Geocoder(gaz, online=online).geocode(addresses)
    assert first["method"].tolist()[0] == "online"
    assert (first["lon"].iloc[0], first["lat"].iloc[0]) == pytest.approx((76.9433, 52.0512))
    assert first["method"].iloc[2] != "online"  # matched offline: never asked
    queries = [q for _, q, _ in FakeNominatim.seen]
    assert len(queries) == 2
    assert all(agent == "aksugeo tests" for *_, agent in FakeNominatim.seen)
    times = [t for t, _, _ in FakeNominatim.seen]
    assert times[1] - times[0] >= 0.95  # one request a second, as Nominatim asks
    again = Geocoder(gaz, online=OnlineGeocoder("aksugeo tests", cache, domain=server,
                                                scheme="http")).geocode(addresses)
    assert len(FakeNominatim.seen) == 2  # every answer, "not found" too, came from the cache
    pd.testing.assert_frame_equal(first, again)


def test_online_needs_a_user_agent(tmp_path: Path) -> None:
    with pytest.raises(AksugeoError, match="user agent"):
        OnlineGeocoder(" ", tmp_path / "c.sqlite")


def test_an_unreachable_service_leaves_the_offline_answers(tmp_path: Path) -> None:
    gaz = build_gazetteer(DATA / "network" / "aksu.osm.bz2")
    online = OnlineGeocoder("aksugeo tests", tmp_path / "c.sqlite", domain="127.0.0.1:9",
                            scheme="http")
    result = Geocoder(gaz, online=online).geocode(pd.Series(["г. Аксу, ул. Неведомая, д. 2"]))
    assert result["method"].iloc[0] == "settlement_centroid"
    assert result["status"].iloc[0] == "approximate"
    assert "online geocoder unreachable" in result["reason"].iloc[0]
