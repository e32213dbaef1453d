"""Length-preserving text folds, so extractors match on folded text and report original offsets.

Every function here returns a string of exactly the same length as its input: offsets found in
the folded text are offsets into the original. NFKC is deliberately not used: it changes lengths
(``……`` → ``......``), which would break every span.
"""

from __future__ import annotations

# Full-width ASCII block U+FF01..U+FF5E maps to U+0021..U+007E; U+3000 is the ideographic space.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20
# Dashes and tildes used as range marks in Chinese print; all fold to ASCII '-' (one char each).
_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−～〜"), ord("-"))
# Chinese numeral digits fold to ASCII digits only where they are single characters (〇 → 0).
_ZERO = {ord("〇"): ord("0"), ord("○"): ord("0"), ord("Ｏ"): ord("0")}

_WIDTH_TABLE = {**_FULLWIDTH, **_DASHES}


def fold_width(text: str) -> str:
    """Fold full-width ASCII, the ideographic space and dash variants to ASCII, same length.

    >>> fold_width("２０２３年１０月—１１月，ＡＢ")
    '2023年10月-11月,AB'
    """
    return text.translate(_WIDTH_TABLE)


def fold_digits(text: str) -> str:
    """Fold width, then the circle zeros (〇, ○) used in years such as 二〇二三, same length.

    >>> fold_digits("二〇二三年")
    '二0二三年'
    """
    return fold_width(text).translate(_ZERO)
