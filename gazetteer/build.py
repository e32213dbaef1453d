"""``gazetteer build``: write the SQLite gazetteer (placeholder)."""

from __future__ import annotations

import argparse
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from gazetteer.index import DEFAULT_PATH


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="gazetteer")
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build the SQLite gazetteer")
    build.add_argument("--out", type=Path, default=DEFAULT_PATH)
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    sqlite3.connect(args.out).close()
    return 0
