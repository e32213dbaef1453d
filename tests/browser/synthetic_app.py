"""A Streamlit page that renders the app's views over synthetic events (browser benchmark, XSS).

Run as ``streamlit run tests/browser/synthetic_app.py`` with ``TM_SYNTHETIC_EVENTS=<n>`` and
``TM_SYNTHETIC_XSS=1`` to put the XSS payload into the first event.
"""

import os
import sys
from pathlib import Path

ROOT = Path(os.environ.get("TM_ROOT") or Path(__file__).resolve().parents[2])
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import streamlit as st  # noqa: E402
from synthetic_events import install_export_stand_ins, synthetic_analyses, synthetic_events  # noqa: E402

install_export_stand_ins()
import app  # noqa: E402

st.set_page_config(page_title="合成事件", layout="wide")
documents, df = synthetic_events(
    int(os.environ.get("TM_SYNTHETIC_EVENTS", "2000")), xss=os.environ.get("TM_SYNTHETIC_XSS") == "1"
)
app.render_views(df, synthetic_analyses(documents))
