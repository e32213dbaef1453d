"""The first-paint watcher (``timeline/first_paint.js``) in Debian's headless Chromium: it reports
once what it waits for is drawn, looks into same-origin iframes, and stops waiting in time."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from timeline import first_paint

pytestmark = pytest.mark.browser


def report(chromium, url):
    """The watcher's report, as the test page shows it after the run the watcher started."""
    page = chromium.new_page()
    try:
        page.goto(url)
        code = page.locator("[data-testid='stCode']")
        code.wait_for(timeout=60_000)
        return json.loads(code.inner_text())
    finally:
        page.close()


def test_watcher_reports_when_an_element_in_a_frame_is_drawn(chromium, first_paint_page):
    """The folium map's case: a chain through a same-origin iframe."""
    got = report(chromium, f"{first_paint_page.url}/?wait=iframe&wait=%23inside")
    assert got["drawn"] is True
    assert got["waited_ms"] < first_paint.PATIENCE_MS


def test_watcher_with_nothing_to_wait_for_reports_at_once(chromium, first_paint_page):
    got = report(chromium, first_paint_page.url)
    assert got["drawn"] is True
    assert got["waited_ms"] < 100


@pytest.mark.parametrize(
    "query",
    [
        "wait=%23never-drawn",  # a view that never draws
        "wait=div&wait=p",  # a chain through something that is not a frame
        "wait=%5Bbroken",  # a selector the browser rejects
    ],
)
def test_watcher_stops_waiting_after_its_patience(chromium, first_paint_page, query):
    """Nothing it waits for holds the rest of the page back for longer."""
    got = report(chromium, f"{first_paint_page.url}/?{query}")
    assert got["drawn"] is False
    assert first_paint.PATIENCE_MS <= got["waited_ms"] < first_paint.PATIENCE_MS + 2_000


def test_watcher_that_never_reports_is_backed_by_streamlits_timer(chromium, first_paint_page):
    """A watcher whose script never runs to its report (blocked, broken) holds the rest of the
    page back for first_paint.FALLBACK_S at most."""
    started = time.monotonic()
    got = report(chromium, f"{first_paint_page.url}/?watcher=broken&wait=%23never-drawn")
    waited = time.monotonic() - started
    assert got == {"drawn": False, "waited_ms": -1}
    assert first_paint.FALLBACK_S <= waited < first_paint.FALLBACK_S + 10
    assert "the watcher never reported" in Path(first_paint_page.log.name).read_text()
