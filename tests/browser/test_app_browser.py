"""The app in Debian's headless Chromium: map, timeline, district click, source view, downloads,
uploads and XSS (issue 6). Figures (render times) are printed; run with ``-s`` to see them.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections import Counter
from pathlib import Path

import pytest
from playwright.sync_api import expect
from synthetic_events import synthetic_events

from timeline.export import validate_export
from timeline.ui_state import Filters, filter_events

pytestmark = pytest.mark.browser

MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
CHART_DOTS = "[data-testid='stVegaLiteChart'] path[aria-roledescription='point']"
SOURCE = "[data-testid='source-sentence']"
FIRST_RENDER_GOAL = 5.0
FIRST_RENDER_SERVERS = 3
# Run in every frame of a page (Playwright init script): notes when this frame first shows a
# drawn map polygon (the folium iframe) or timeline dot (the app page), by the page's clock.
VIEW_CLOCK = """
(() => {
  const drawn = "path.leaflet-interactive, [data-testid='stVegaLiteChart'] path[aria-roledescription='point']";
  const look = () => {
    const element = document.querySelector(drawn);
    if (element && element.getBoundingClientRect().width > 0) {
      window.viewDrawnAt = performance.timeOrigin + performance.now();
    } else {
      setTimeout(look, 20);
    }
  };
  look();
})();
"""
XSS_ARTICLE = (
    "枣庄召开新闻发布会\n\n"
    "10月18日，枣庄市召开<img src=x onerror=alert(1)>新闻发布会${alert(1)}，介绍`信用建设`情况。\n"
)
# JavaScript run inside the map iframe: zoom to the county polygon ``code``, as a user zooms in
# before clicking a small county on a map fitted to every event.
_ZOOM_TO_COUNTY = """
(code) => {
  const map = window.map || window.map_div;
  map.eachLayer((layer) => {
    if (layer.feature && layer.feature.properties && layer.feature.properties.adcode === code && layer._path) {
      map.fitBounds(layer.getBounds(), {animate: false});
    }
  });
}
"""
# JavaScript run inside the map iframe: a pixel inside the county polygon ``code`` where the
# polygon itself (not a marker or cluster on top of it) receives the click.
_POINT_IN_COUNTY = """
(code) => {
  const map = window.map || window.map_div;
  let target = null;
  map.eachLayer((layer) => {
    if (layer.feature && layer.feature.properties && layer.feature.properties.adcode === code && layer._path) {
      target = layer;
    }
  });
  if (!target) { return []; }
  const b = target.getBounds();
  const points = [];
  for (let i = 1; i < 12; i++) {
    for (let j = 1; j < 12; j++) {
      const p = map.latLngToContainerPoint([
        b.getSouth() + (b.getNorth() - b.getSouth()) * i / 12, b.getWest() + (b.getEast() - b.getWest()) * j / 12]);
      const rect = map.getContainer().getBoundingClientRect();
      const x = rect.left + p.x, y = rect.top + p.y;
      if (document.elementFromPoint(x, y) === target._path) { points.push([x, y]); }
    }
  }
  return points;
}
"""


def new_page(chromium, url):
    """A new tab (its own browser context) watching dialogs and requests off ``url``'s host."""
    page = chromium.new_page(viewport={"width": 1500, "height": 1400}, accept_downloads=True)
    dialogs: list[str] = []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    external: list[str] = []
    # Blob URLs of the page's own origin are objects in its memory, not requests (Streamlit loads
    # components-v2 scripts through them).
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith((url, f"blob:{url}")) else None)
    return page, dialogs, external


def plain_page(chromium):
    """A new tab without the request and dialog listeners, for timing: the listener of every
    request costs the first render 0.2-0.3 s here (the render-offline test checks requests)."""
    return chromium.new_page(viewport={"width": 1500, "height": 1400})


def open_page(chromium, url):
    page, dialogs, external = new_page(chromium, url)
    page.goto(url)
    return page, dialogs, external


def wait_idle(page, timeout=120_000):
    """Wait until no script run is in progress (Streamlit's running indicator is gone)."""
    page.locator("[data-testid='stStatusWidget']").wait_for(state="detached", timeout=timeout)


def wait_views(page, timeout=120_000):
    """Wait until the map polygons and the timeline dots are drawn."""
    page.frame_locator(MAP_FRAME).last.locator("path.leaflet-interactive >> visible=true").first.wait_for(
        timeout=timeout
    )
    page.locator(CHART_DOTS).first.wait_for(timeout=timeout)


def wait_rendered(page, timeout=120_000):
    """Wait until the script run is over and the map polygons and timeline dots are drawn."""
    wait_idle(page, timeout)
    wait_views(page, timeout)


def wait_complete(page, timeout=120_000):
    """Wait for the whole page: the views, then the sidebar (its search box) and the events table,
    which a session's first page draws in the run the browser starts once the views are drawn."""
    wait_rendered(page, timeout)
    page.locator("[data-testid='stSidebar'] [data-testid='stTextInput']").wait_for(timeout=timeout)
    page.locator(".events-table").first.wait_for(timeout=timeout)
    wait_idle(page, timeout)


def counts(page):
    text = page.get_by_text(re.compile(r"\d+ / \d+ 条事件")).first.inner_text()
    shown, total = re.search(r"(\d+) / (\d+) 条事件", text).groups()
    return int(shown), int(total)


def wait_counts(page, predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = counts(page)
            if predicate(value):
                return value
        except Exception:  # the header is re-rendered while the script reruns
            pass
        time.sleep(0.2)
    raise AssertionError(f"counts never satisfied the condition; last {counts(page)}")


def download_geojson(page):
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="下载 GeoJSON").click()
    collection = json.loads(Path(info.value.path()).read_text("utf-8"))
    validate_export(collection)
    return collection


def map_frame(page):
    """The map's frame: the last folium component frame, as ``MAP_FRAME``'s ``.last`` picks."""
    return [f for f in page.frames if "streamlit_folium" in f.url][-1]


def click_county(page, adcode, attempts=3):
    """Click inside county ``adcode`` until the app reports it selected (a click made while a
    rerun remounts the map is lost, as it would be for a user); returns when the click that
    took was made (``time.monotonic()``)."""
    for attempt in range(attempts):
        wait_idle(page)
        frame = map_frame(page)
        frame.evaluate(_ZOOM_TO_COUNTY, adcode)
        time.sleep(0.5)  # markercluster re-clusters after the zoom
        points = frame.evaluate(_POINT_IN_COUNTY, adcode)
        assert points, f"no clickable point inside county {adcode}"
        x, y = points[(attempt * 7) % len(points)]
        box = page.locator(MAP_FRAME).last.bounding_box()
        clicked = time.monotonic()
        page.mouse.click(box["x"] + x, box["y"] + y)
        try:
            page.get_by_text("区县：").first.wait_for(timeout=15_000)
            return clicked
        except Exception:
            continue
    raise AssertionError(f"clicking county {adcode} never selected it")


def open_expander(page, label, text, attempts=3):
    """Open the expander ``label`` until its body (holding ``text``) shows; a click made while
    the map's first report reruns the script is lost, as it would be for a user."""
    details = page.locator("[data-testid='stExpanderDetails']").filter(has_text=text)
    for _ in range(attempts):
        wait_idle(page)
        page.get_by_text(label).click()
        try:
            details.wait_for(timeout=10_000)
            return details
        except Exception:
            continue
    raise AssertionError(f"the expander {label} never opened")


def busiest_county(collection):
    codes = Counter(
        (f["properties"]["adcode"] or "")[:6]
        for f in collection["features"]
        if f["geometry"] and len(f["properties"]["adcode"] or "") >= 6 and not f["properties"]["adcode"].endswith("00")
    )
    return codes.most_common(1)[0][0]


def test_browser_seeds_render_offline(chromium, real_app, screenshots):
    page, dialogs, external = open_page(chromium, real_app.url)
    wait_complete(page)
    page.screenshot(path=screenshots / "seeds-first-render.png", full_page=True)
    page.close()
    assert not dialogs
    assert external == [], "the page requested something off the local server"


def drawn_after(page):
    """Seconds from the page's navigation to the map polygons and the timeline dots drawn, by the
    page's own clock (:data:`VIEW_CLOCK`): the test's waits resolve up to ~1 s after the fact (a
    locator into a frame that does not exist yet is retried with growing pauses)."""
    wait_views(page)
    at = [
        frame.wait_for_function("() => window.viewDrawnAt", timeout=10_000).json_value()
        for frame in (page, map_frame(page))
    ]
    return (max(at) - page.evaluate("() => performance.timeOrigin")) / 1000


def test_browser_seeds_first_render_within_goal(chromium, fresh_apps):
    """The issue's metric: the first visit to a freshly started server renders the seeds (map and
    timeline) within 5 s. The machine is shared, so it is the median of three fresh servers.

    The rest of the page (inputs, filters, source, table, downloads) follows in a second run
    (``timeline.first_paint``); its time is reported, as are the times the test saw each."""
    views, seen, complete = [], [], []
    for run in range(FIRST_RENDER_SERVERS):
        server = fresh_apps()
        page = plain_page(chromium)
        page.add_init_script(VIEW_CLOCK)
        started = time.monotonic()
        page.goto(server.url)
        views.append(drawn_after(page))
        seen.append(time.monotonic() - started)
        wait_complete(page)
        complete.append(time.monotonic() - started)
        page.close()
        if run < FIRST_RENDER_SERVERS - 1:
            server.stop()  # one server at a time, as on a fresh start
    page = plain_page(chromium)  # a second visit: that server again
    page.add_init_script(VIEW_CLOCK)
    page.goto(server.url)
    warm = drawn_after(page)
    page.close()
    print(
        f"\nserver healthy after {server.ready_after:.1f} s; first render of seeds on fresh servers: "
        f"{', '.join(f'{t:.1f}' for t in views)} s (median {statistics.median(views):.1f} s; the test saw them at "
        f"{', '.join(f'{t:.1f}' for t in seen)} s), whole page seen at "
        f"{', '.join(f'{t:.1f}' for t in complete)} s (median {statistics.median(complete):.1f} s); "
        f"second visit {warm:.1f} s"
    )
    assert statistics.median(views) <= FIRST_RENDER_GOAL


def test_browser_first_page_draws_the_views_then_the_rest(chromium, real_app):
    """A new session's first page: the map and the timeline, then (once the browser has drawn
    them, not after the watcher's patience) the rest, with the map's iframe kept: the second run
    must not unmount it (a frame detached) and load the map again."""
    page, dialogs, _ = new_page(chromium, real_app.url)
    frames: list[tuple[str, float]] = []
    started = time.monotonic()
    page.on(
        "framenavigated",
        lambda f: frames.append(("loaded", time.monotonic() - started)) if "st_folium" in f.url else None,
    )
    page.on("framedetached", lambda f: frames.append(("detached", time.monotonic() - started)))
    page.goto(real_app.url)
    wait_complete(page)
    assert [event for event, _ in frames] == ["loaded"], f"the map's frame: {frames}"
    assert "views not seen drawn" not in Path(real_app.log.name).read_text(), "the watcher missed the views"
    shown, total = counts(page)
    assert shown == total > 0
    uploader = page.locator("[data-testid='stSidebar'] [data-testid='stFileUploader']")
    uploader.wait_for(timeout=30_000)  # its script chunk may still be loading
    assert uploader.count() == 1
    assert not dialogs
    page.close()


def test_browser_district_click_filters_timeline_and_export(chromium, real_app, screenshots):
    page, dialogs, _ = open_page(chromium, real_app.url)
    wait_complete(page)
    everything = download_geojson(page)
    shown, total = counts(page)
    assert shown == total == len(everything["features"])
    adcode = busiest_county(everything)
    click_county(page, adcode)
    shown, _ = wait_counts(page, lambda c: c[0] < c[1])
    wait_rendered(page)
    page.screenshot(path=screenshots / "district-selected.png", full_page=True)
    filtered = download_geojson(page)
    assert len(filtered["features"]) == shown > 0
    assert all((f["properties"]["adcode"] or "").startswith(adcode) for f in filtered["features"])
    assert page.locator(CHART_DOTS).count() <= shown
    page.get_by_role("button", name="清除区县选择").click()
    wait_counts(page, lambda c: c[0] == c[1] == total)
    assert not dialogs
    page.close()


def test_browser_click_event_shows_its_sentence(chromium, real_app, screenshots):
    page, _, _ = open_page(chromium, real_app.url)
    wait_complete(page)
    dots = page.locator(CHART_DOTS)
    target = dots.nth(dots.count() // 2)
    label = target.get_attribute("aria-label")
    title = re.search(r"事件: (.*?);", label).group(1)
    target.click()
    page.locator(SOURCE).filter(has_text=title).wait_for(timeout=30_000)
    source = page.locator(SOURCE)
    assert source.locator("mark").count() >= 1
    page.get_by_text("查看全文").click()
    page.screenshot(path=screenshots / "event-source.png", full_page=True)
    page.close()


def test_browser_uploads_gb18030_and_binary(chromium, real_app, screenshots, tmp_path):
    good = tmp_path / "gb18030新闻.txt"
    good.write_bytes("市政府召开发布会\n\n10月18日，枣庄市薛城区召开新闻发布会，介绍信用建设情况。\n".encode("gb18030"))
    bad = tmp_path / "binary.txt"
    bad.write_bytes(bytes(range(256)) * 8)
    page, dialogs, _ = open_page(chromium, real_app.url)
    wait_complete(page)
    _, before = counts(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files([str(good), str(bad)])
    error = page.locator("[data-testid='stAlertContentError']").filter(has_text="binary.txt")
    try:
        error.wait_for(timeout=90_000)
    finally:
        page.screenshot(path=screenshots / "upload-errors.png", full_page=True)
    assert "gb18030新闻.txt" not in page.locator("[data-testid='stAlertContentError']").all_inner_texts().__str__()
    wait_rendered(page)
    _, after = wait_counts(page, lambda c: c[1] >= before)
    wait_idle(page)
    page.screenshot(path=screenshots / "upload-errors.png", full_page=True)
    print(f"\nupload: {before} events before, {after} after the GB18030 file")
    assert "Traceback" not in page.content()
    assert not dialogs
    page.close()


def test_browser_xss_article_is_shown_literally(chromium, real_app, screenshots):
    page, dialogs, _ = open_page(chromium, real_app.url)
    wait_complete(page)
    page.get_by_text("包括示例新闻（seeds）").click()
    page.get_by_text("没有找到事件").wait_for(timeout=60_000)
    page.locator("textarea").first.fill(XSS_ARTICLE)
    page.locator("textarea").first.press("Control+Enter")
    page.get_by_text("查看全文").wait_for(timeout=60_000)
    article = open_expander(page, "查看全文", "枣庄召开新闻发布会")
    sentence = "10月18日，枣庄市召开<img src=x onerror=alert(1)>新闻发布会${alert(1)}，介绍`信用建设`情况。"
    assert sentence in article.inner_text()
    assert sentence in page.locator(SOURCE).inner_text()
    assert page.locator("img[src='x']").count() == 0
    time.sleep(1)
    page.screenshot(path=screenshots / "xss-real-pipeline.png", full_page=True)
    assert dialogs == []
    page.close()


def test_browser_synthetic_xss_in_popup_tooltip_chart_and_source(chromium, synthetic_app, screenshots):
    page, dialogs, external = open_page(chromium, synthetic_app.url)
    wait_complete(page)
    payload = "<img src=x onerror=alert(1)> ${alert(1)} `tick` \\back"
    frame = next(f for f in page.frames if "streamlit_folium" in f.url)
    popup_text = frame.evaluate(
        """() => new Promise((resolve) => {
            const map = window.map || window.map_div;
            map.eachLayer((layer) => {
              if (!(layer instanceof L.MarkerClusterGroup)) { return; }
              layer.getLayers().forEach((marker) => {
                const content = marker.getPopup() && marker.getPopup().getContent();
                if (typeof content === 'string' && content.includes('onerror')) {
                  layer.zoomToShowLayer(marker, () => {
                    marker.openPopup();
                    marker.openTooltip();
                    setTimeout(() => resolve(document.querySelector('.leaflet-popup-content').innerText), 300);
                  });
                }
              });
            });
        })"""
    )
    assert payload in popup_text
    assert frame.locator(".leaflet-popup-content img, .leaflet-tooltip img").count() == 0
    search = page.get_by_label("搜索标题、原句、地点")
    search.fill("onerror")
    search.press("Enter")
    wait_counts(page, lambda c: c[0] == 1)
    expect(page.locator(CHART_DOTS)).to_have_count(1, timeout=30_000)
    assert payload in page.locator(CHART_DOTS).first.get_attribute("aria-label")
    page.locator(CHART_DOTS).first.click()
    page.locator(SOURCE).filter(has_text="onerror").wait_for(timeout=30_000)
    assert payload in page.locator(SOURCE).inner_text()
    page.screenshot(path=screenshots / "xss-synthetic.png", full_page=True)
    assert dialogs == []
    assert external == []
    page.close()


def test_browser_2000_synthetic_events_render_and_filter(chromium, synthetic_app, screenshots):
    page, _, _ = new_page(chromium, synthetic_app.url)
    started = time.monotonic()
    page.goto(synthetic_app.url)
    wait_rendered(page)
    rendered = time.monotonic() - started
    shown, total = counts(page)
    assert shown == total == 2000
    page.screenshot(path=screenshots / "synthetic-2000.png", full_page=True)
    started = time.monotonic()
    page.get_by_label("搜索标题、原句、地点").fill("滕州市")
    page.get_by_label("搜索标题、原句、地点").press("Enter")
    shown, _ = wait_counts(page, lambda c: c[0] < total)
    filtered = time.monotonic() - started
    started = click_county(page, "370403")
    wait_counts(page, lambda c: c[0] == 0)
    clicked = time.monotonic() - started
    print(
        f"\n2,000 synthetic events: first render {rendered:.1f} s, text filter {filtered:.1f} s, district click {clicked:.1f} s"
    )
    events = synthetic_events(2000, xss=True)[1]
    assert shown == len(filter_events(events, Filters(query="滕州市")))
    page.close()
