"""The page is matched once: an article's candidates taken from it equal the article's own match.

``find_places`` relies on this (articles start and end at line breaks, which no name, chain or
unit crosses); these tests check it on every article of the seeds and the unseen pages with the
real gazetteer, for the first pass and for the scoped second pass that reuses the page's scan.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gazetteer.index import DEFAULT_PATH, Gazetteer, load_gazetteer
from gazetteer.match import compile_matcher, match_places
from timeline.articles import split_articles
from timeline.ingest import read_path
from timeline.places import _page_matches, _within

if not DEFAULT_PATH.exists():  # pragma: no cover - depends on `make data`
    pytest.skip(f"gazetteer not built: {DEFAULT_PATH}", allow_module_level=True)

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests" / "fixtures" / "unseen").glob("*.txt"))


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_places_page_candidates_equal_each_articles_own_match(gazetteer: Gazetteer, path: Path) -> None:
    doc = read_path(path)
    matcher = compile_matcher(gazetteer)
    for article in split_articles(doc):
        text = doc.folded[article.start : article.end]
        from_page = _within(_page_matches(doc.folded, matcher), article.start, article.end)
        assert from_page == match_places(text, matcher), f"article {article.index}"


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_places_second_pass_on_the_page_scan_equals_a_fresh_scan(gazetteer: Gazetteer, path: Path) -> None:
    doc = read_path(path)
    matcher = compile_matcher(gazetteer)
    for article in split_articles(doc):
        text = doc.folded[article.start : article.end]
        # a county of the page as scope, so that village names are matched too
        scope = [p.id for c in match_places(text, matcher) for p in c.last.candidates if p.level == "county"][:3]
        match_places(doc.folded, matcher)  # the page's scan is the matcher's last one
        reused = match_places(text, matcher, scope, page=(doc.folded, article.start))
        matcher.last_hits = None
        assert reused == match_places(text, matcher, scope), f"article {article.index}"


def test_places_articles_start_and_end_at_line_breaks() -> None:
    """The invariant the page reuse rests on, over every page at hand."""
    for path in PAGES:
        doc = read_path(path)
        for article in split_articles(doc):
            assert article.start == 0 or doc.folded[article.start - 1] == "\n", (path.name, article.index)
            assert article.end == len(doc.folded) or "\n" in doc.folded[article.end - 1 : article.end + 1]
