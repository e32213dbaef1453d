"""Benchmark the place layer: gazetteer cold load, matcher compile, find_places chars/s vs cpca.

Usage: ``.venv/bin/python scripts/bench_places.py [SEED_DIR] [--repeat N]``. Each seed file is
treated as one article so the figure does not depend on the article splitter. cpca's
``transform_text_with_addrs`` runs on the same texts in the same process for comparison.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from gazetteer.index import load_gazetteer
from gazetteer.match import compile_matcher, match_places, scan
from timeline.ingest import read_path
from timeline.model import Article, Document
from timeline.places import find_places


def _rate(chars: int, seconds: float) -> str:
    return f"{chars / seconds:,.0f} chars/s" if seconds > 0 else "n/a"


def main() -> None:
    """Print load/compile times and throughput of find_places beside cpca."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seeds", nargs="?", default="seeds", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    t0 = time.perf_counter()
    gazetteer = load_gazetteer()
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    compile_matcher(gazetteer)
    compile_s = time.perf_counter() - t0
    print(f"gazetteer cold load: {load_s:.3f} s ({len(gazetteer.places):,} places, {len(gazetteer.names):,} names)")
    print(f"matcher compile:     {compile_s:.3f} s")

    docs: list[Document] = [read_path(p) for p in sorted(args.seeds.glob("*.txt"))]
    articles = [Article(doc, 0, 0, len(doc.text)) for doc in docs]
    chars = sum(len(d.text) for d in docs) * args.repeat
    found = sum(len(find_places(a, gazetteer)) for a in articles)  # warm the scoped automata once
    t0 = time.perf_counter()
    for _ in range(args.repeat):
        for article in articles:
            find_places(article, gazetteer)
    ours = time.perf_counter() - t0
    print(f"find_places:         {_rate(chars, ours)} ({found} mentions in {len(docs)} files, x{args.repeat})")
    matcher = compile_matcher(gazetteer)
    t0 = time.perf_counter()
    for _ in range(args.repeat):
        for doc in docs:
            match_places(doc.folded, matcher)
    print(f"match_places:        {_rate(chars, time.perf_counter() - t0)} (matching only, first pass)")
    t0 = time.perf_counter()
    for _ in range(args.repeat):
        for doc in docs:
            scan(matcher.automaton, doc.folded)
    print(f"automaton scan:      {_rate(chars, time.perf_counter() - t0)} (Aho-Corasick pass alone)")

    import cpca  # imported late: its own index load is not part of our figures

    texts = [d.text for d in docs]
    cpca.transform_text_with_addrs(texts[0])
    t0 = time.perf_counter()
    for _ in range(args.repeat):
        for text in texts:
            cpca.transform_text_with_addrs(text)
    theirs = time.perf_counter() - t0
    print(f"cpca transform_text_with_addrs: {_rate(chars, theirs)}")


if __name__ == "__main__":
    main()
