"""Load the built gazetteer for matching (placeholder until the build lands)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_PATH = Path(__file__).with_name("data") / "gazetteer.sqlite"


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """The loaded gazetteer."""

    path: Path


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """Load the gazetteer from ``path`` (default: the one ``gazetteer build`` writes)."""
    return Gazetteer(path=path or DEFAULT_PATH)
