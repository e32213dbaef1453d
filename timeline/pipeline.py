"""Compose the layers: Document → articles → dates, places → events. Pure, no I/O."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gazetteer.index import Gazetteer
from timeline.articles import split_articles
from timeline.dates import find_dates
from timeline.events import find_events
from timeline.model import Article, Document, Event, PlaceMention, TimeMention
from timeline.places import find_places


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything extracted from one document, each layer in text order."""

    doc: Document
    articles: tuple[Article, ...]
    dates: tuple[TimeMention, ...]
    places: tuple[PlaceMention, ...]
    events: tuple[Event, ...]


def analyse(doc: Document, gazetteer: Gazetteer | None, publication_date: dt.date | None = None) -> Analysis:
    """Run every layer over ``doc``; without a gazetteer the place layer is empty."""
    articles = split_articles(doc, publication_date)
    dates: list[TimeMention] = []
    places: list[PlaceMention] = []
    events: list[Event] = []
    for article in articles:
        article_dates = find_dates(article)
        article_places = find_places(article, gazetteer) if gazetteer is not None else ()
        dates.extend(article_dates)
        places.extend(article_places)
        events.extend(find_events(article, article_dates, article_places))
    return Analysis(doc, articles, tuple(dates), tuple(places), tuple(events))
