"""A Streamlit page that renders the app's views over synthetic events (browser benchmark, XSS).

Run as ``streamlit run synthetic_app.py`` with ``TM_ROOT=<repository>``,
``TM_SYNTHETIC_EVENTS=<n>`` and ``TM_SYNTHETIC_XSS=1`` to put the XSS payload into the first event.
"""

import os
import sys
from pathlib import Path


def main() -> None:
    root = Path(os.environ.get("TM_ROOT") or Path(__file__).resolve().parents[2])
    sys.path[:0] = [str(root), str(root / "tests")]
    import streamlit as st
    from synthetic_events import synthetic_analyses, synthetic_events

    import app

    st.set_page_config(page_title="合成事件", layout="wide")
    count = int(os.environ.get("TM_SYNTHETIC_EVENTS", "2000"))
    documents, df = synthetic_events(count, xss=os.environ.get("TM_SYNTHETIC_XSS") == "1")
    app.render_views(df, synthetic_analyses(documents))


if __name__ == "__main__":
    main()
