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
