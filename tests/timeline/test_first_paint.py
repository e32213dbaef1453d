"""timeline.first_paint: the session flag and the reading of the watcher's report.

The watcher itself runs in the browser (``tests/browser/test_first_paint_browser.py``); the
app's two runs are in ``tests/test_app.py``.
"""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from timeline import first_paint


def _page(value):
    """A script run that receives ``value`` as the watcher's state and reports on it."""

    def script(value):
        import streamlit as st

        from timeline import first_paint

        st.text(f"pending before: {first_paint.pending()}")
        if value != "absent":
            st.session_state[first_paint.WATCHER_KEY] = value
            first_paint._reported()
        st.text(f"pending after: {first_paint.pending()}")
        st.text(f"report: {first_paint.last_report()}")

    return AppTest.from_function(script, args=(value,)).run()


def _texts(at):
    return [t.value for t in at.text]


def test_first_paint_is_pending_until_the_browser_reports():
    at = _page("absent")
    assert _texts(at) == ["pending before: True", "pending after: True", "report: None"]


def test_first_paint_keeps_the_browsers_report():
    at = _page({"painted": {"drawn": True, "waited_ms": 12}})
    assert _texts(at) == ["pending before: True", "pending after: False", "report: {'drawn': True, 'waited_ms': 12}"]


@pytest.mark.parametrize("value", [None, {}, {"painted": True}, "painted"])
def test_first_paint_an_unreadable_report_still_ends_the_wait(value):
    """Whatever the trigger carried, the rest of the page is drawn from then on."""
    at = _page(value)
    assert _texts(at)[1:] == ["pending after: False", "report: {'drawn': False, 'waited_ms': -1}"]


def test_first_paint_watcher_script_is_shipped_beside_the_module():
    script = Path(first_paint.__file__).with_name("first_paint.js").read_text(encoding="utf-8")
    assert script.count("export default function") == 1
    assert 'setTriggerValue("painted"' in script
