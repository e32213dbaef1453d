"""Split a page into articles and give each a reference date (placeholder: one article, no date)."""

from __future__ import annotations

import datetime as dt

from timeline.model import Article, Document


def split_articles(doc: Document, publication_date: dt.date | None = None) -> tuple[Article, ...]:
    """Split ``doc`` into articles; ``publication_date`` (user-given) wins as reference date."""
    text = doc.text
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    return (Article(doc=doc, index=0, start=start, end=end),)
