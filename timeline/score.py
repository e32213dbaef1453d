"""Score predictions against gold (placeholder until the scorer lands)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def score_dirs(gold: Path, pred: Path) -> dict[str, Any]:
    """Scores of every prediction file against its gold file."""
    return {}


def format_scores(scores: dict[str, Any]) -> str:
    """A compact table of scores."""
    return "no scores yet"
