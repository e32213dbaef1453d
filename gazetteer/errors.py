"""Gazetteer errors: coded, each also the builtin a caller expects."""

from __future__ import annotations

from timeline.errors import TimelineError


class GazetteerError(TimelineError):
    """Root of gazetteer errors."""

    code = "G000"


class GazetteerMissing(GazetteerError, FileNotFoundError):
    """The SQLite gazetteer is missing or was built by another schema version."""

    code = "G001"
