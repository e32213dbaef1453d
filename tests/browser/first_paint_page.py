"""A page with nothing but the first-paint watcher, for the browser tests of ``timeline/first_paint.js``.

``?wait=<selector>`` (repeatable, one chain: all but the last pick an iframe) is what the
watcher waits for; ``?watcher=broken`` puts a watcher whose script throws in its place, to see
the fallback on Streamlit's timer. The page shows the report once it has come.
"""

import json

import streamlit as st
import streamlit.components.v1 as components

from timeline import first_paint

# The module is the server's, shared by every session: swap its watcher for this run only.
real_watcher = first_paint.__dict__.setdefault("real_watcher", first_paint._WATCHER)
if st.query_params.get("watcher") == "broken":
    first_paint._WATCHER = st.components.v2.component("broken_watcher", js="export default function () { throw 1; }")
else:
    first_paint._WATCHER = real_watcher
st.markdown("first paint test page")
components.html('<p id="inside">inside a frame</p>', height=40)
if first_paint.pending():
    first_paint.report_when_drawn([tuple(st.query_params.get_all("wait"))] if "wait" in st.query_params else [])
else:
    st.code(json.dumps(first_paint.last_report()), language=None)
