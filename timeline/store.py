"""Embedded SQLite store of analyses, keyed by document content hash and pipeline version.

Re-running ``extract`` over the same files, or opening them in the app, reuses earlier results:
the key is ``(Document.id, pipeline version, publication date option)``. The pipeline version
hashes the package version and every rule/data file the layers read, so editing a trigger or a
date pattern invalidates old rows instead of serving stale events. Rows are JSON (never pickle:
the file may be shared), rebuilt into the same frozen dataclasses on the way out.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import importlib.metadata
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from gazetteer.index import Gazetteer
from gazetteer.model import GeoPrecision, Level, Place
from timeline.model import (
    Article,
    Document,
    Event,
    EventType,
    Kind,
    PlaceMention,
    Precision,
    ReferenceDate,
    Role,
    Status,
    TimeMention,
)
from timeline.pipeline import Analysis, analyse

__all__ = ["DEFAULT_STORE", "Store", "pipeline_version"]

DEFAULT_STORE = Path("build") / "timeline-store.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS analyses (
    doc_id TEXT NOT NULL,
    version TEXT NOT NULL,
    publication TEXT NOT NULL,
    source TEXT NOT NULL,
    created TEXT NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (doc_id, version, publication)
)
"""
_DATA_DIRS = (Path(__file__).with_name("data"), Path(__file__).parents[1] / "gazetteer" / "data")


@functools.cache
def pipeline_version() -> str:
    """Package version plus a hash of every rule and data file the pipeline reads.

    The gazetteer database is hashed by size and modification time (it is large and rebuilt by a
    command); the small rule files by content.
    """
    digest = hashlib.sha256()
    for folder in _DATA_DIRS:
        for path in sorted(folder.glob("*")) if folder.is_dir() else ():
            digest.update(path.name.encode())
            if path.suffix == ".sqlite":
                stat = path.stat()
                digest.update(f"{stat.st_size}:{stat.st_mtime_ns}".encode())
            elif path.is_file():
                digest.update(path.read_bytes())
    try:
        version = importlib.metadata.version("timeline-mapper")
    except importlib.metadata.PackageNotFoundError:
        version = "0"
    return f"{version}+{digest.hexdigest()[:12]}"


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _place_to_json(place: Place | None) -> dict[str, Any] | None:
    if place is None:
        return None
    return {
        "id": place.id,
        "name": place.name,
        "level": str(place.level),
        "parent_id": place.parent_id,
        "path": place.path,
        "adcode": place.adcode,
        "lon": place.lon,
        "lat": place.lat,
        "geo_precision": int(place.geo_precision),
        "source": place.source,
    }


def _place_from_json(data: dict[str, Any] | None) -> Place | None:
    if data is None:
        return None
    return Place(**{**data, "level": Level(data["level"]), "geo_precision": GeoPrecision(data["geo_precision"])})


def _mention_to_json(m: PlaceMention) -> dict[str, Any]:
    return {
        "start": m.start,
        "end": m.end,
        "level": str(m.level),
        "place": _place_to_json(m.place),
        "role": str(m.role),
        "confidence": m.confidence,
        "article": m.article,
        "components": [_mention_to_json(c) for c in m.components],
        "runner_up": _place_to_json(m.runner_up),
        "note": m.note,
    }


def _mention_from_json(doc: Document, d: dict[str, Any]) -> PlaceMention:
    return PlaceMention(
        doc,
        d["start"],
        d["end"],
        Level(d["level"]),
        _place_from_json(d["place"]),
        Role(d["role"]),
        d["confidence"],
        d["article"],
        tuple(_mention_from_json(doc, c) for c in d["components"]),
        _place_from_json(d["runner_up"]),
        d["note"],
    )


def _time_to_json(m: TimeMention) -> dict[str, Any]:
    return {
        "start": m.start,
        "end": m.end,
        "value": m.value,
        "first_day": m.first_day.isoformat() if m.first_day else None,
        "last_day": m.last_day.isoformat() if m.last_day else None,
        "precision": str(m.precision),
        "kind": str(m.kind),
        "confidence": m.confidence,
        "article": m.article,
        "note": m.note,
    }


def _time_from_json(doc: Document, d: dict[str, Any]) -> TimeMention:
    return TimeMention(
        doc,
        d["start"],
        d["end"],
        d["value"],
        _day(d["first_day"]),
        _day(d["last_day"]),
        Precision(d["precision"]),
        Kind(d["kind"]),
        d["confidence"],
        d["article"],
        d["note"],
    )


def _article_to_json(a: Article) -> dict[str, Any]:
    ref = a.reference
    return {
        "index": a.index,
        "start": a.start,
        "end": a.end,
        "title_start": a.title_start,
        "title_end": a.title_end,
        "reference": None
        if ref is None
        else {
            "value": ref.value,
            "precision": str(ref.precision),
            "evidence": ref.evidence,
            "confidence": ref.confidence,
            "source": ref.source,
        },
    }


def _article_from_json(doc: Document, d: dict[str, Any]) -> Article:
    ref = d["reference"]
    reference = None if ref is None else ReferenceDate(**{**ref, "precision": Precision(ref["precision"])})
    return Article(doc, d["index"], d["start"], d["end"], d["title_start"], d["title_end"], reference)


def _event_to_json(e: Event) -> dict[str, Any]:
    data = {name: getattr(e, name) for name in Event.__slots__ if name not in ("doc", "date", "place")}
    data.update(type=str(e.type), status=str(e.status))
    data["date_mention"] = _time_to_json(e.date) if e.date is not None else None
    data["place"] = _mention_to_json(e.place) if e.place is not None else None
    return data


def _event_from_json(doc: Document, d: dict[str, Any]) -> Event:
    fields = {k: v for k, v in d.items() if k not in ("date_mention", "place")}
    return Event(
        doc=doc,
        **{**fields, "type": EventType(d["type"]), "status": Status(d["status"])},
        date=_time_from_json(doc, d["date_mention"]) if d["date_mention"] else None,
        place=_mention_from_json(doc, d["place"]) if d["place"] else None,
    )


def analysis_to_json(analysis: Analysis) -> str:
    """Serialise an analysis (document text included) as JSON."""
    doc = analysis.doc
    return json.dumps(
        {
            "doc": {"id": doc.id, "source": doc.source, "text": doc.text},
            "articles": [_article_to_json(a) for a in analysis.articles],
            "dates": [_time_to_json(m) for m in analysis.dates],
            "places": [_mention_to_json(m) for m in analysis.places],
            "events": [_event_to_json(e) for e in analysis.events],
        },
        ensure_ascii=False,
    )


def analysis_from_json(text: str) -> Analysis:
    """Rebuild the analysis :func:`analysis_to_json` wrote."""
    data = json.loads(text)
    doc = Document(**data["doc"])
    return Analysis(
        doc,
        tuple(_article_from_json(doc, a) for a in data["articles"]),
        tuple(_time_from_json(doc, m) for m in data["dates"]),
        tuple(_mention_from_json(doc, m) for m in data["places"]),
        tuple(_event_from_json(doc, e) for e in data["events"]),
    )


class Store:
    """An SQLite file of analyses; use as a context manager so the connection is closed."""

    def __init__(self, path: Path = DEFAULT_STORE, version: str | None = None) -> None:
        self.path = Path(path)
        self.version = version or pipeline_version()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path)
        self._db.execute(_SCHEMA)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def get(self, doc_id: str, publication: dt.date | None = None) -> Analysis | None:
        """The stored analysis of ``doc_id`` for this pipeline version, or None."""
        row = self._db.execute(
            "SELECT payload FROM analyses WHERE doc_id = ? AND version = ? AND publication = ?",
            (doc_id, self.version, publication.isoformat() if publication else ""),
        ).fetchone()
        return analysis_from_json(row[0]) if row else None

    def put(self, analysis: Analysis, publication: dt.date | None = None) -> None:
        """Keep ``analysis`` (replacing an earlier one with the same key)."""
        with self._transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO analyses VALUES (?, ?, ?, ?, ?, ?)",
                (
                    analysis.doc.id,
                    self.version,
                    publication.isoformat() if publication else "",
                    analysis.doc.source,
                    dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    analysis_to_json(analysis),
                ),
            )

    def analyse(self, doc: Document, gazetteer: Gazetteer | None, publication: dt.date | None = None) -> Analysis:
        """The stored analysis of ``doc``, or a fresh one that is then stored."""
        analysis = self.get(doc.id, publication)
        if analysis is None:
            analysis = analyse(doc, gazetteer, publication)
            self.put(analysis, publication)
        return analysis

    def count(self) -> int:
        """How many analyses of this pipeline version are stored."""
        return int(self._db.execute("SELECT COUNT(*) FROM analyses WHERE version = ?", (self.version,)).fetchone()[0])

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self._db:
            yield
