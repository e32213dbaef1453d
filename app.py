"""Streamlit app: composes the pipeline into a timeline and a map (placeholder)."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Timeline Mapper", layout="wide")
st.title("新闻事件时间线地图 Timeline Mapper")
