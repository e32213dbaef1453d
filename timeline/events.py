"""Detect events in an article and bind each to a date and a place (placeholder)."""

from __future__ import annotations

from collections.abc import Sequence

from timeline.model import Article, Event, PlaceMention, TimeMention


def find_events(article: Article, dates: Sequence[TimeMention], places: Sequence[PlaceMention]) -> tuple[Event, ...]:
    """Events stated in ``article``, bound to its date and place mentions."""
    return ()
