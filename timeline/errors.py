"""The TimelineError family: one root, coded, each class also a builtin a caller expects.

The app catches only ``TimelineError`` at its edge and shows ``user_message`` (Chinese, actionable);
tests assert on ``code``, which never changes once published.
"""

from __future__ import annotations


class TimelineError(Exception):
    """Root of every error this package raises on purpose."""

    code = "T000"

    def __init__(self, message: str, *, user_message: str | None = None) -> None:
        super().__init__(f"[{self.code}] {message}")
        self.message = message
        self.user_message = user_message or message


class InputError(TimelineError, ValueError):
    """The input (a file, an upload, pasted text, an option) cannot be used."""

    code = "T100"


class UndecodableInput(InputError):
    """Bytes that are neither UTF-8 (with or without BOM) nor GB18030 text."""

    code = "T101"


class InputTooLarge(InputError):
    """More bytes than the configured bound."""

    code = "T102"


class EmptyInput(InputError):
    """Nothing but whitespace."""

    code = "T103"


class BadDate(InputError):
    """A user-supplied date that is not YYYY-MM-DD."""

    code = "T104"


class ExportError(TimelineError, ValueError):
    """An export failed its own validation (coordinates, order, NaN)."""

    code = "T300"
