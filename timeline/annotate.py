"""Analysis → the JSON schema of the seeds gold (``../shared/eval/seeds-gold/README.md``)."""

from __future__ import annotations

from typing import Any

from timeline.model import Kind, PlaceMention, Status
from timeline.pipeline import Analysis

SCHEMA_NOTE = "timeline-mapper annotate output; schema of eval/seeds-gold"


def to_gold_dict(analysis: Analysis, file_name: str) -> dict[str, Any]:
    """Serialise an analysis in the gold schema: articles, dates, places, events with offsets."""
    return {
        "file": file_name,
        "articles": [
            {
                "title": a.title,
                "start": a.start,
                "end": a.end,
                "publication_date": a.reference.value if a.reference else None,
                "reference_date_evidence": a.reference.evidence if a.reference else "no date found",
                "reference_date_confidence": a.reference.confidence if a.reference else 0.0,
            }
            for a in analysis.articles
        ],
        "dates": [
            {
                "text": m.text,
                "start": m.start,
                "end": m.end,
                "value": m.value or None,
                "precision": str(m.precision),
                # The gold has no "deadline" kind: a deadline is a point with a note.
                "kind": str(Kind.POINT if m.kind is Kind.DEADLINE else m.kind),
                "article": m.article,
                **({"note": m.note} if m.note else {}),
            }
            for m in analysis.dates
        ],
        "places": [
            {
                **_place_fields(m),
                "role": str(m.role),
                "article": m.article,
                **({"components": [_place_fields(c) for c in m.components]} if m.components else {}),
                **({"note": m.note} if m.note else {}),
            }
            for m in analysis.places
        ],
        "events": [
            {
                "summary": ("planned: " if e.status is Status.PLANNED else "") + e.title,
                "type": str(e.type),
                "status": str(e.status),
                "date": e.date_value,
                "date_text": e.date.text if e.date else None,
                **({"date_text_start": e.date.start, "date_text_end": e.date.end} if e.date else {}),
                "date_source": e.date_source,
                "place": e.place.place.path if e.place and e.place.place else None,
                "evidence_start": e.evidence_start,
                "evidence_end": e.evidence_end,
                "article": e.article,
                "confidence": round(e.confidence, 3),
            }
            for e in analysis.events
        ],
        "notes": [SCHEMA_NOTE],
    }


def _place_fields(m: PlaceMention) -> dict[str, Any]:
    return {
        "text": m.text,
        "start": m.start,
        "end": m.end,
        "level": str(m.level),
        "resolved": m.place.path if m.place else None,
        "adcode": m.place.adcode if m.place else None,
    }
