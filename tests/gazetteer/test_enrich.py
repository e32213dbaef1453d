from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from source_fixtures import fixture_sources

from gazetteer.assemble import assemble_rows
from gazetteer.build import main, read_geocode_cache, write_sqlite
from gazetteer.enrich import query_of
from gazetteer.index import load_gazetteer
from gazetteer.model import GeoPrecision

# query → answer of the stub Nominatim: inside 薛城区, far outside it, or an HTTP error
ANSWERS = {
    "常庄街道": {"lat": "34.7728", "lon": "117.2636", "display_name": "常庄街道"},
    "兴城街道": {"lat": "39.9", "lon": "116.4", "display_name": "elsewhere"},
}


class _Stub(BaseHTTPRequestHandler):
    requests: list[str] = []  # noqa: RUF012

    def do_GET(self) -> None:
        query = parse_qs(urlparse(self.path).query).get("q", [""])[0]
        type(self).requests.append(query)
        first = query.split(",")[0]
        if first == "东华门街道":
            self.send_error(500, "boom")
            return
        body = json.dumps([ANSWERS[first]] if first in ANSWERS else []).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def stub() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Stub.requests = []
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_enrich_query_of_path() -> None:
    assert query_of("山东省/枣庄市/薛城区/常庄街道") == "常庄街道, 薛城区, 枣庄市, 山东省, 中国"


def test_enrich_against_stub_caches_applies_and_reports(
    stub: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = assemble_rows(fixture_sources())
    db = tmp_path / "g.sqlite"
    write_sqlite(rows, db, {"manifest": "{}"})
    argv = ["enrich", "--db", str(db), "--geocoder", "nominatim", "--url", stub, "--delay", "0"]
    assert main(argv) == 1  # one place failed: reported, exit status says so
    err = capsys.readouterr().err
    assert "1 of" in err
    assert "outside county 370403" in err  # 兴城街道 answer lies in Beijing
    assert "no result" in err  # 张范街道 under the zone: the stub knows nothing
    assert "北京市/东城区/东华门街道: GeocoderServiceError" in err  # HTTP 500, after one retry
    gaz = load_gazetteer(db)
    town = gaz.by_path("山东省/枣庄市/薛城区/常庄街道")
    assert town is not None
    assert (town.lon, town.lat, town.geo_precision) == (117.2636, 34.7728, GeoPrecision.OWN)
    village = gaz.by_path("山东省/枣庄市/薛城区/常庄街道/吴庄村")
    assert village is not None
    assert (village.lon, village.geo_precision) == (117.2636, GeoPrecision.TOWNSHIP)
    cached = {row[0]: row for row in read_geocode_cache(db)}
    assert cached["山东省/枣庄市/薛城区/兴城街道"][6].startswith("point ")
    # a second run asks only for what is not cached yet
    before = len(_Stub.requests)
    main(argv)
    assert len(_Stub.requests) == before


def test_enrich_cache_survives_rebuild(stub: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("gazetteer.build.read_sources", lambda *_: fixture_sources())
    db = tmp_path / "g.sqlite"
    assert main(["build", "--out", str(db), "--township-points", ""]) == 0
    main(["enrich", "--db", str(db), "--geocoder", "nominatim", "--url", stub, "--delay", "0"])
    assert main(["build", "--out", str(db), "--township-points", ""]) == 0
    town = load_gazetteer(db).by_path("山东省/枣庄市/薛城区/常庄街道")
    assert town is not None
    assert town.geo_precision is GeoPrecision.OWN
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM geocode_cache").fetchone()[0] >= 1
