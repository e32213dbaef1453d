"""Find time expressions in an article and resolve them to intervals (placeholder)."""

from __future__ import annotations

from timeline.model import Article, TimeMention


def find_dates(article: Article) -> tuple[TimeMention, ...]:
    """Time mentions of ``article``, resolved against its reference date, in text order."""
    return ()
