"""Benchmark the date layer: find_dates chars/s vs ``jionlp.ner.extract_time`` on the same texts.

Usage: ``.venv/bin/python scripts/bench_dates.py [SEED_DIR] [--repeat N]``. Pages are split with
``timeline.articles.split_articles`` (falling back to one article per file if the splitter
fails); jionlp gets each page's text with the same reference time. Both run in this process,
one after the other; import and rule-compile times are printed separately.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _articles(doc, split):  # type: ignore[no-untyped-def]
    from timeline.model import Article

    try:
        return split(doc)
    except Exception as exc:
        print(f"split_articles failed ({exc!r}); one article per file", file=sys.stderr)
        return (Article(doc=doc, index=0, start=0, end=len(doc.text)),)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print chars/s for both extractors and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("seeds", nargs="?", type=Path, default=ROOT / "seeds")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    from timeline.articles import split_articles
    from timeline.date_grammar import load_grammar
    from timeline.dates import find_dates
    from timeline.ingest import read_path

    t1 = time.perf_counter()
    load_grammar()
    t2 = time.perf_counter()
    docs = [read_path(p) for p in sorted(args.seeds.glob("*.txt"))]
    articles = [a for d in docs for a in _articles(d, split_articles)]
    chars = sum(len(a.text) for a in articles)
    page_chars = sum(len(d.text) for d in docs)

    best = float("inf")
    mentions = 0
    for _ in range(args.repeat):
        start = time.perf_counter()
        mentions = sum(len(find_dates(a)) for a in articles)
        best = min(best, time.perf_counter() - start)

    t3 = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):  # and a banner on import
        import jionlp

    # jionlp logs a traceback for every sub-string it cannot parse; that is noise here, not a failure.
    logging.getLogger().setLevel(logging.CRITICAL)

    t4 = time.perf_counter()
    base = time.mktime(dt.date(2023, 10, 19).timetuple())
    with contextlib.redirect_stdout(io.StringIO()):  # jionlp prints a banner when its dictionaries load
        jionlp.ner.extract_time(docs[0].text[:200], time_base=base)  # warm the lazy dictionaries
    t5 = time.perf_counter()
    jio_best = float("inf")
    jio_mentions = 0
    for _ in range(max(1, args.repeat // 2)):
        start = time.perf_counter()
        jio_mentions = sum(len(jionlp.ner.extract_time(d.text, time_base=base)) for d in docs)
        jio_best = min(jio_best, time.perf_counter() - start)

    ours, theirs = chars / best, page_chars / jio_best
    print(f"import timeline.dates: {t1 - t0:.3f}s, compile rules: {t2 - t1:.3f}s")
    print(f"import jionlp: {t4 - t3:.3f}s, first call (lazy load): {t5 - t4:.3f}s")
    print(f"find_dates:          {len(articles)} articles, {chars} chars, {mentions} mentions, {ours:,.0f} chars/s")
    print(f"jionlp extract_time: {len(docs)} pages, {page_chars} chars, {jio_mentions} mentions, {theirs:,.0f} chars/s")
    print(f"ratio (ours / jionlp): {ours / theirs:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
