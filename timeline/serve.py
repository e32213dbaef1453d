"""Serve the app: process-wide caches and a warm start (``python -m timeline.serve``, ``make run``).

Streamlit runs every session's script in one server process, so work that does not depend on
the session (loading the gazetteer, analysing an input, reading map shapes, the first import of
pandas/Altair/folium) is done once per process here. :func:`main` does it for the bundled seeds
*before* it starts Streamlit, so the server is reported up only when the first visitor can be
served without paying for it; the time it took is printed.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import inspect
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from gazetteer.index import Gazetteer, load_gazetteer
from timeline import build, pipeline
from timeline.ingest import read_document

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
SEEDS = ROOT / "seeds"
#: Distinct inputs (content, source name, publication date) whose analyses are kept.
MAX_ANALYSES = 512
#: Distinct sets of analyses whose event tables are kept.
MAX_TIMELINES = 32


@functools.cache
def gazetteer() -> Gazetteer:
    """The gazetteer, loaded once per process (thread-safe: its queries share one lock)."""
    return load_gazetteer()


@functools.lru_cache(maxsize=MAX_ANALYSES)
def analyse_input(source: str, data: bytes, published: dt.date | None) -> pipeline.Analysis:
    """Analyse one input, once per distinct ``(source, data, published)`` in this process.

    Raises:
        TimelineError: the input cannot be read (not cached; the next call raises again).
    """
    return pipeline.analyse(read_document(data, source), gazetteer(), published)


def timeline_of(analyses: Sequence[pipeline.Analysis]) -> pd.DataFrame:
    """The event table of ``analyses`` (:func:`timeline.build.build_timeline`), a copy of its own.

    Built once per distinct set of analyses in this process.
    """
    return _timeline_of(tuple(analyses)).copy()


@functools.lru_cache(maxsize=MAX_TIMELINES)
def _timeline_of(analyses: tuple[pipeline.Analysis, ...]) -> pd.DataFrame:
    return build.build_timeline(analyses)


def clear_caches() -> None:
    """Forget every cached analysis and table, and the gazetteer (tests swap the pipeline)."""
    analyse_input.cache_clear()
    _timeline_of.cache_clear()
    gazetteer.cache_clear()


def seed_inputs() -> list[tuple[str, bytes]]:
    """The bundled seeds as ``(file name, bytes)``, in name order."""
    return [(path.name, path.read_bytes()) for path in sorted(SEEDS.glob("*.txt"))]


@dataclass(frozen=True, slots=True)
class Warmup:
    """What :func:`warm` did, in seconds per phase."""

    imports: float
    analyses: float
    views: float

    @property
    def total(self) -> float:
        """All phases together."""
        return self.imports + self.analyses + self.views


def warm() -> Warmup:
    """Do the seeds' first page once without a browser: imports, analyses, map and chart.

    The views are built and serialised as the app does (Altair's schema validation and folium's
    templates compile on first use) and thrown away; only the process-wide caches are kept.
    """
    started = time.perf_counter()
    # Altair and folium: their first import is most of a cold first page. Not streamlit_folium:
    # it registers its component only when imported inside a script run.
    import pyarrow as pa  # noqa: PLC0415  (Streamlit sends tables and chart data as Arrow)

    from timeline.chart import DATASET, LANE_LABELS, build_chart  # noqa: PLC0415
    from timeline.mapview import build_map, county_names  # noqa: PLC0415

    imported = time.perf_counter()
    analyses = [analyse_input(name, data, None) for name, data in seed_inputs()]
    analysed = time.perf_counter()
    df = timeline_of(analyses)
    if not df.empty:
        layers = build_map(df, df, None)
        for group in layers.overlays:
            group.add_to(layers.base)
        layers.base.get_root().render()
        names = county_names(df["adcode"].tolist())
        for lane in LANE_LABELS:  # the spec templates, and the rows as Arrow
            pa.Table.from_pandas(build_chart(df, lane, None, names).spec["datasets"][DATASET])
    return Warmup(imported - started, analysed - imported, time.perf_counter() - analysed)


def main(argv: Sequence[str] | None = None) -> None:
    """Warm up, then run ``streamlit run app.py`` in this process with ``argv`` as its options.

    Runs from the repository root so ``.streamlit/config.toml`` (static serving of the vendored
    Leaflet, upload limit) applies wherever it is started from.
    """
    options = list(sys.argv[1:] if argv is None else argv)
    os.chdir(ROOT)
    warmup = warm()
    print(
        f"timeline-mapper: warmed up in {warmup.total:.1f} s (imports {warmup.imports:.1f} s, "
        f"seeds {warmup.analyses:.1f} s, views {warmup.views:.1f} s)",
        flush=True,
    )
    from streamlit.web import cli  # noqa: PLC0415

    settle()
    cli.main(args=["run", str(APP), *options], prog_name="streamlit")


def settle() -> None:
    """Leave the warmed-up process ready for its first session: two costs moved out of it.

    - ``inspect.getmodule`` maps every loaded module's file on its first call on a frame.
      Streamlit makes that call when the app first imports streamlit_folium (naming its
      component), inside the first session's script run: 0.07-0.2 s there, done here instead.
    - Streamlit collects garbage after every script run (``runner.postScriptGC``); the warm-up's
      long-lived objects (imports, gazetteer, caches) are frozen out of that collection, which
      then takes ~0 instead of ~0.08 s of CPU per run. Garbage made since is still collected;
      warm-up objects freed later (the seeds' analyses, were 512 newer inputs to evict them) are
      freed by reference counting, only cycles among them would stay.
    """
    inspect.getmodule(inspect.currentframe())
    gc.collect()
    gc.freeze()


if __name__ == "__main__":
    main()
