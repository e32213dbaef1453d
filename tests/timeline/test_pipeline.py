"""analyse: every layer over one document; never raises on odd text, offsets always well formed."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gazetteer.index import DEFAULT_PATH, Gazetteer, load_gazetteer
from timeline.model import Document
from timeline.pipeline import analyse

if not DEFAULT_PATH.exists():  # pragma: no cover - depends on `make data`
    pytest.skip(f"gazetteer not built: {DEFAULT_PATH}", allow_module_level=True)

ROOT = Path(__file__).resolve().parents[2]
LINES = [
    line
    for path in sorted((ROOT / "seeds").glob("*.txt"))
    for line in path.read_text("utf-8").splitlines()
    if line.strip()
]
# what real pages hold besides prose: astral characters, quotes, full-width digits, markup, blanks
NOISE = ["𠀀", "😀", "“", "”", "《", "》", "２０２４年", "\u3000", "\t", "**", "##", "", "\n", "村", "路", "年"]


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def _document(pieces: list[str]) -> Document:
    text = "\n".join(pieces)
    return Document("fuzz", "fuzz", text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.one_of(
            st.sampled_from(LINES),
            st.sampled_from(LINES).map(lambda s: s[: len(s) // 2]),
            st.sampled_from(NOISE),
        ),
        max_size=12,
    )
)
def test_pipeline_offsets_are_well_formed_on_any_mix(gazetteer: Gazetteer, pieces: list[str]) -> None:
    doc = _document(pieces)
    got = analyse(doc, gazetteer)
    n = len(doc.text)
    for article in got.articles:
        assert 0 <= article.start <= article.end <= n
    for mention in (*got.dates, *got.places):
        assert 0 <= mention.start < mention.end <= n
        article = got.articles[mention.article]
        assert article.start <= mention.start and mention.end <= article.end
    for place in got.places:
        for part in place.components:
            assert place.start <= part.start < part.end <= place.end
    for event in got.events:
        assert 0 <= event.sentence_start <= event.evidence_start < event.evidence_end <= event.sentence_end <= n
