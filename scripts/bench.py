"""Benchmark the whole pipeline against jionlp + cpca on the same texts, in one run.

Usage: ``python scripts/bench.py [PATH ...] [--repeat N] [--rounds N] [--gold DIR]`` (``make bench`` passes
``seeds``). Prints characters per second for the whole pipeline (articles, dates, places,
events), for ``jionlp.ner.extract_time`` and ``cpca.transform_text_with_addrs`` on the same
texts (each method in its own worker process, the three taking turns in rounds; best CPU time
of each), the ratio of the pipeline to the two peers combined, the share of each layer, and the
cold start (import + gazetteer load + first article) measured in a fresh interpreter. With gold
files beside the inputs (``--gold``) it also prints the scores, so speed and quality come from
one run.
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = ROOT.parent / "shared" / "eval" / "seeds-gold"

COLD_START = """
import time
t0 = time.perf_counter()
from pathlib import Path
from gazetteer.index import load_gazetteer
from timeline.ingest import read_document
from timeline.pipeline import analyse
t1 = time.perf_counter()
gazetteer = load_gazetteer()
t2 = time.perf_counter()
analysis = analyse(read_document(Path({path!r}).read_bytes(), "cold"), gazetteer)
t3 = time.perf_counter()
print(f"{{t1 - t0:.3f}} {{t2 - t1:.3f}} {{t3 - t2:.3f}} {{len(analysis.events)}}")
"""


def _files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.txt")) if path.is_dir() else [path])
    return files


def _timed(fn: Callable[[], object], repeat: int) -> float:
    """Best CPU seconds of ``repeat`` runs: the work is single-threaded, and CPU time is far less
    disturbed than wall time by other processes on a shared machine (same clock for every method)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


class _Worker:
    """One method timed in its own interpreter (``bench.py --worker METHOD PATH...``).

    Each library gets a process of its own, so no library's heap and caches slow another's (with
    jionlp loaded beside it, the pipeline ran 5-15 % slower in the same process).
    """

    def __init__(self, method: str, files: list[Path]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--worker", method, *map(str, files)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )

    def best_of(self, runs: int) -> float:
        """Best CPU seconds of ``runs`` runs in a row."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"{runs}\n")
        self.process.stdin.flush()
        for line in self.process.stdout:  # libraries may print banners: only our line counts
            if line.startswith(_BEST):
                return float(line.removeprefix(_BEST))
        raise RuntimeError(f"benchmark worker died: {self.process.args!r}")

    def close(self) -> None:
        """Stop the worker."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)


_BEST = "best-seconds "


def _method(name: str, files: list[Path]) -> Callable[[], object]:
    """The timed call of one method over the texts of ``files`` (loaded and warmed up once)."""
    warnings.filterwarnings("ignore")
    # jionlp logs a traceback at ERROR for every expression it cannot parse; it still returns.
    logging.disable(logging.ERROR)
    from timeline.ingest import read_document

    docs = [read_document(path.read_bytes(), path.name) for path in files]
    texts = [doc.text for doc in docs]
    if name == "pipeline":
        from gazetteer.index import load_gazetteer
        from timeline.pipeline import analyse

        gazetteer = load_gazetteer()
        return lambda: [analyse(doc, gazetteer) for doc in docs]
    if name == "jionlp":
        import jionlp

        base = time.time()
        return lambda: [jionlp.ner.extract_time(text, time_base=base) for text in texts]
    if name == "cpca":
        import cpca

        return lambda: [cpca.transform_text_with_addrs(text) for text in texts]
    raise ValueError(f"unknown method {name!r}")


def _serve(name: str, files: list[Path]) -> int:
    """Worker loop: read a run count per line, answer the best CPU seconds of that many runs."""
    fn = _method(name, files)
    fn()  # warm-up: lazy loads (dictionaries, automata) belong to the cold start, not throughput
    for line in sys.stdin:
        print(f"{_BEST}{_timed(fn, int(line))}", flush=True)
    return 0


def _timed_apart(methods: list[str], files: list[Path], repeat: int, rounds: int) -> list[float]:
    """Best CPU seconds of each method, each in its own worker, taking turns in ``rounds`` rounds.

    Within a round each method runs ``repeat`` times in a row (warm, as in a batch of articles),
    so a busy spell of the machine hits all methods alike.
    """
    workers = [_Worker(method, files) for method in methods]
    try:
        best = [float("inf")] * len(workers)
        for _ in range(rounds):
            for i, worker in enumerate(workers):
                best[i] = min(best[i], worker.best_of(repeat))
        return best
    finally:
        for worker in workers:
            worker.close()


def _cold_start(path: Path) -> tuple[float, list[str]]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", COLD_START.format(path=str(path))],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    wall = time.perf_counter() - start
    return wall, done.stdout.split()


def _scores(files: list[Path], analyses: Sequence[object], gold_dir: Path) -> str | None:
    from timeline.annotate import to_gold_dict
    from timeline.score import FileScore, format_scores, score_document
    from timeline.score import Scores as ScoreSet

    scored = []
    for path, analysis in zip(files, analyses, strict=True):
        gold_path = gold_dir / f"{path.stem}.json"
        if gold_path.is_file():
            gold = json.loads(gold_path.read_text("utf-8"))
            scored.append(score_document(path.stem, gold, to_gold_dict(analysis, path.name)))  # type: ignore[arg-type]
    if not scored:
        return None
    total = FileScore("total")
    for item in scored:
        total = total + item
    return str(format_scores(ScoreSet(tuple(scored), total)))


def _layer_times(docs: list[Any], gazetteer: Any, repeat: int) -> tuple[float, float, float, float]:
    """Seconds of each layer alone over the same articles (articles, dates, places, events)."""
    from timeline.articles import split_articles
    from timeline.dates import find_dates
    from timeline.events import find_events
    from timeline.places import find_places

    articles = [a for doc in docs for a in split_articles(doc)]
    t_articles = _timed(lambda: [split_articles(doc) for doc in docs], repeat)
    t_dates = _timed(lambda: [find_dates(a) for a in articles], repeat)
    t_places = _timed(lambda: [find_places(a, gazetteer) for a in articles], repeat)
    found = [(a, find_dates(a), find_places(a, gazetteer)) for a in articles]
    t_events = _timed(lambda: [find_events(a, d, p) for a, d, p in found], repeat)
    return t_articles, t_dates, t_places, t_events


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[ROOT / "seeds"])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per method and round (best is kept)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds over all methods")
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="gold folder for the quality lines")
    parser.add_argument("--worker", choices=("pipeline", "jionlp", "cpca"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    files = _files(args.paths)
    if args.worker:
        return _serve(args.worker, files)
    if not files:
        parser.error("no input files")

    # Cold start first, before this process warms any cache of its own.
    wall, parts = _cold_start(files[0])
    runs = args.repeat * args.rounds
    t_pipe, t_jio, t_cpca = _timed_apart(["pipeline", "jionlp", "cpca"], files, args.repeat, args.rounds)

    from gazetteer.index import load_gazetteer
    from timeline.ingest import read_document
    from timeline.pipeline import analyse

    gazetteer = load_gazetteer()
    docs = [read_document(path.read_bytes(), path.name) for path in files]
    chars = sum(len(doc.text) for doc in docs)
    analyses = [analyse(doc, gazetteer) for doc in docs]
    t_articles, t_dates, t_places, t_events = _layer_times(docs, gazetteer, runs)

    peers = t_jio + t_cpca
    print(f"inputs: {len(files)} files, {chars} characters, best CPU time of {runs} runs ({args.rounds} rounds)")
    print(f"{'method':38} {'seconds':>8} {'chars/s':>10}")
    for name, seconds in (
        ("timeline pipeline (all four layers)", t_pipe),
        ("jionlp.ner.extract_time", t_jio),
        ("cpca.transform_text_with_addrs", t_cpca),
        ("peers combined (jionlp + cpca)", peers),
    ):
        print(f"{name:38} {seconds:8.3f} {chars / seconds:10.0f}")
    print(f"ratio pipeline / peers combined: {peers / t_pipe:.2f}x (goal >= 3x)")
    print(
        "layers (s): "
        f"articles {t_articles:.3f}, dates {t_dates:.3f}, places {t_places:.3f}, events {t_events:.3f} "
        f"(events: {chars / t_events:.0f} chars/s)"
    )
    imports, load, first, events = parts
    print(
        f"cold start: {wall:.2f} s wall in a fresh interpreter (import {imports} s + gazetteer {load} s "
        f"+ first document {first} s, {events} events; goal <= 1.5 s)"
    )
    scores = _scores(files, analyses, args.gold) if args.gold.is_dir() else None
    if scores:
        print(scores)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
