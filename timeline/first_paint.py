"""A session's first page in two runs: the map and the timeline first, the rest once they are drawn.

The first page of a session is the slow one: the browser fetches a script chunk for every kind of
element on it, six at a time from a single-threaded server, and renders them on one main thread.
When the first run draws the whole page, the ~37 chunks of the inputs, filters, source view,
table and downloads queue ahead of the map's and the chart's. So the app's first run of a session
draws the title, the counts, the map, the timeline and the sidebar's headers (the page has its
final layout from the start), with a watcher: a components-v2 element (in the page, no iframe,
``first_paint.js``) that sets a trigger once the browser has drawn the map and the chart. That
trigger's run, and every run after it, draws the whole page. The map and the chart keep their
places and keys, so the browser keeps them.

Measured on the seeds (fresh server, cold browser, 2-core machine, old and new app interleaved,
6 pairs): map and timeline drawn at a median 2.6 s instead of 4.3 s, the whole page at 4.1 s
instead of 4.6 s. With a CPU hog beside them (4 pairs): views 4.0 s instead of 6.3 s, the whole
page 6.3 s instead of 6.6 s (too noisy to call: 5.6-7.2 s against 5.4-7.9 s).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import streamlit as st

LOG = logging.getLogger("timeline_mapper.first_paint")
#: Session-state key of the browser's report (:func:`last_report`): set once it has drawn the
#: session's first page or stopped waiting.
REPORTED = "first_paint_reported"
#: The watcher's widget key; its trigger value is the report.
WATCHER_KEY = "first_paint"
#: Selector chains the watcher waits for; every selector but the last picks a same-origin iframe
#: to look into. The folium map has drawn once Leaflet has made its container in the component.
MAP_DRAWN = ("iframe[title='streamlit_folium.st_folium']", ".leaflet-container")
CHART_DRAWN = ("[data-testid='stVegaLiteChart'] svg, [data-testid='stVegaLiteChart'] canvas",)
#: The watcher reports after this long in any case: a view that never draws (a browser that
#: blocks the iframe, a Streamlit that renames its test ids) must not hold back the inputs.
PATIENCE_MS = 5000
#: Seconds after which Streamlit's own timer ends the first page if the watcher never reported
#: (its script blocked or broken): the watcher's patience and a second for the round trip.
FALLBACK_S = PATIENCE_MS / 1000 + 1
_SHOWN_AT = "first_paint_shown_at"
#: The report kept when the browser's own is missing or unreadable: the views were not seen.
_UNSEEN = {"drawn": False, "waited_ms": -1}

_WATCHER = st.components.v2.component(
    "timeline_mapper_first_paint", js=Path(__file__).with_name("first_paint.js").read_text(encoding="utf-8")
)


def pending() -> bool:
    """Whether this session's browser has not yet reported its first page drawn."""
    return REPORTED not in st.session_state


def report_when_drawn(drawn: Sequence[Sequence[str]]) -> None:
    """Place the watcher: the browser reruns the app once every chain in ``drawn`` matches.

    With nothing to wait for (no views drawn: an error, no events) it reports at once. Beside
    it, a fragment on Streamlit's timer (:func:`_fallback`) ends the first page should the
    watcher never report.
    """
    _WATCHER(
        key=WATCHER_KEY,
        data={"wait_for": [list(chain) for chain in drawn], "patience_ms": PATIENCE_MS},
        on_painted_change=_reported,
    )
    st.session_state[_SHOWN_AT] = time.monotonic()
    _fallback()


def last_report() -> dict[str, Any] | None:
    """What the browser reported, or None before its report.

    ``{"drawn": bool, "waited_ms": int}``: ``drawn`` is false when it stopped waiting after
    :data:`PATIENCE_MS`.
    """
    report = st.session_state.get(REPORTED)
    return report if isinstance(report, dict) else None


def _reported() -> None:
    """The trigger's callback, before the run it starts: keep the report, end the first page."""
    value = st.session_state.get(WATCHER_KEY) or {}
    report = value.get("painted") if isinstance(value, Mapping) else None
    report = dict(report if isinstance(report, Mapping) else _UNSEEN)
    st.session_state[REPORTED] = report
    if report.get("drawn"):
        LOG.info("first page: views drawn after %s ms", report.get("waited_ms"))
    else:  # the rest came after PATIENCE_MS: the selectors no longer match what is drawn?
        LOG.warning("first page: views not seen drawn (%s); the rest of the page was drawn anyway", report)


@st.fragment(run_every=FALLBACK_S)
def _fallback() -> None:
    """End the first page without the watcher's report once it has been up for :data:`FALLBACK_S`.

    Streamlit reruns this fragment on its timer; in the full run that draws it, it has only just
    been shown and does nothing.
    """
    shown = st.session_state.get(_SHOWN_AT)
    if not pending() or shown is None or time.monotonic() - shown < FALLBACK_S - 0.5:
        return
    st.session_state[REPORTED] = dict(_UNSEEN)
    LOG.warning("first page: the watcher never reported; the rest of the page was drawn after %.0f s", FALLBACK_S)
    st.rerun()
