"""Place mentions of an article: gazetteer matches resolved from context (placeholder)."""

from __future__ import annotations

from gazetteer.index import Gazetteer
from timeline.model import Article, PlaceMention


def find_places(article: Article, gazetteer: Gazetteer) -> tuple[PlaceMention, ...]:
    """Place mentions of ``article``, each resolved to one gazetteer entry or flagged."""
    return ()
