"""``timeline-mapper``: annotate files in the gold schema, score against gold, extract events.

I/O lives here; every subcommand calls pure functions. A bad file is reported with its error
code and skipped; the batch goes on and the exit status says something failed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from timeline.errors import BadDate, TimelineError


def parse_date_option(value: str) -> dt.date:
    """Parse a ``--date YYYY-MM-DD`` option, with a clear error."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise BadDate(
            f"--date wants YYYY-MM-DD, got {value!r}", user_message=f"日期格式应为 YYYY-MM-DD：{value}"
        ) from exc


def _annotate(args: argparse.Namespace) -> int:
    from gazetteer.index import load_gazetteer
    from timeline.annotate import to_gold_dict
    from timeline.ingest import read_path
    from timeline.pipeline import analyse

    publication = parse_date_option(args.date) if args.date else None
    gazetteer = load_gazetteer()
    args.out.mkdir(parents=True, exist_ok=True)
    failures = 0
    for path in args.files:
        try:
            doc = read_path(path)
        except (TimelineError, OSError) as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            failures += 1
            continue
        analysis = analyse(doc, gazetteer, publication)
        out = args.out / (path.stem + ".json")
        out.write_text(json.dumps(to_gold_dict(analysis, path.name), ensure_ascii=False, indent=1), "utf-8")
        print(out)
    return 1 if failures else 0


def _score(args: argparse.Namespace) -> int:
    from timeline.score import format_scores, score_dirs

    print(format_scores(score_dirs(args.gold, args.pred)))
    return 0


#: File kinds ``extract`` picks up inside a folder (explicitly named files are always read).
TEXT_SUFFIXES = frozenset({".txt", ".md", ".text"})


def _input_files(paths: Sequence[Path]) -> list[Path]:
    """Named files as given, folders walked (sorted) for text files; hidden entries skipped."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES and not any(x.startswith(".") for x in p.parts)
            )
        else:
            files.append(path)
    return files


def _extract(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from gazetteer.index import load_gazetteer
    from timeline.build import build_timeline
    from timeline.export import to_csv, to_geojson
    from timeline.ingest import read_path
    from timeline.pipeline import Analysis
    from timeline.store import DEFAULT_STORE, Store

    publication = parse_date_option(args.date) if args.date else None
    files = _input_files(args.paths)
    gazetteer = load_gazetteer(args.gazetteer)
    analyses: list[Analysis] = []
    failures = 0
    with Store(args.store or DEFAULT_STORE) as store:
        for path in tqdm(files, desc="extract", unit="file", disable=args.quiet or None):
            try:
                doc = read_path(path)
            except (TimelineError, OSError) as exc:
                code = getattr(exc, "code", type(exc).__name__)
                tqdm.write(f"{path}: error {code}: {getattr(exc, 'message', exc)}", file=sys.stderr)
                failures += 1
                continue
            analyses.append(store.analyse(doc, gazetteer, publication))
    frame = build_timeline(analyses)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(to_geojson(frame), ensure_ascii=False), "utf-8")
    if args.csv:
        args.csv.parent.mkdir(parents=True, exist_ok=True)
        args.csv.write_text(to_csv(frame), "utf-8")
    print(
        f"documents: {len(analyses)} (failed: {failures}), articles: {sum(len(a.articles) for a in analyses)}, "
        f"events: {len(frame)}, unplaced: {int(frame['lon'].isna().sum())}, undated: {int(frame['start'].isna().sum())}"
        f" -> {args.out}",
        file=sys.stderr,
    )
    return 1 if failures else 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for the docs test)."""
    parser = argparse.ArgumentParser(prog="timeline-mapper", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    annotate = sub.add_parser("annotate", help="write one gold-schema JSON per input file")
    annotate.add_argument("files", nargs="+", type=Path)
    annotate.add_argument("--out", type=Path, required=True, help="output folder")
    annotate.add_argument("--date", help="publication date YYYY-MM-DD (wins over dates found in the text)")
    annotate.set_defaults(func=_annotate)
    score = sub.add_parser("score", help="precision/recall of predictions against gold")
    score.add_argument("gold", type=Path)
    score.add_argument("pred", type=Path)
    score.set_defaults(func=_score)
    extract = sub.add_parser("extract", help="events of files and folders → GeoJSON (+ CSV), cached in SQLite")
    extract.add_argument("paths", nargs="+", type=Path, help="text files or folders")
    extract.add_argument("-o", "--out", type=Path, required=True, help="GeoJSON output file")
    extract.add_argument("--csv", type=Path, help="also write the events as CSV")
    extract.add_argument("--date", help="publication date YYYY-MM-DD (wins over dates found in the text)")
    extract.add_argument("--store", type=Path, help="SQLite store of analyses (default build/timeline-store.sqlite)")
    extract.add_argument("--gazetteer", type=Path, help="gazetteer SQLite file (default: the one `make data` builds)")
    extract.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    extract.set_defaults(func=_extract)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except TimelineError as exc:
        print(f"error {exc.code}: {exc.message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
