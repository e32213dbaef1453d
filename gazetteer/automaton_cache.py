"""The compiled matcher state, cached in a pickle beside the SQLite gazetteer.

Reading every name of a SQLite gazetteer takes seconds while unpickling the compiled automaton
takes a few hundredths, so the first run writes the state and later runs read it. The cache is
keyed by the gazetteer file's size and mtime and by a digest of the rules; any mismatch or
unreadable file means a recompile, never an error.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pickle
from pathlib import Path
from typing import Any

from gazetteer.match_rules import MatchRules


def _cache_key(path: Path, rules: MatchRules) -> tuple[int, int, int, str]:
    stat = path.stat()
    # sets are sorted: their repr follows the per-process string hash
    plain = json.dumps(dataclasses.asdict(rules), sort_keys=True, default=sorted, ensure_ascii=False)
    digest = hashlib.sha256(plain.encode("utf-8")).hexdigest()
    return _CACHE_VERSION, stat.st_size, stat.st_mtime_ns, digest


_CACHE_VERSION = 2  # 2: keys are byte-split (match._units)


def _cache_path(path: Path) -> Path:
    return path.with_name(path.stem + ".matcher.pickle")


def read_cache(path: Path | None, rules: MatchRules) -> Any:
    """The cached (automaton, village aliases, generic zone ids) of ``path``, or None."""
    if path is None or not path.is_file() or not _cache_path(path).is_file():
        return None
    try:
        with _cache_path(path).open("rb") as fh:
            key, state = pickle.load(fh)  # our own artefact, written beside the gazetteer
    except (OSError, pickle.UnpicklingError, EOFError, ValueError):
        return None
    return state if key == _cache_key(path, rules) else None


def write_cache(path: Path | None, rules: MatchRules, state: Any) -> None:
    """Store the compiled state beside the gazetteer; an unwritable directory only costs speed."""
    if path is None or not path.is_file():
        return
    target = _cache_path(path)
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    try:
        with tmp.open("wb") as fh:
            pickle.dump((_cache_key(path, rules), state), fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(target)
    except OSError:
        tmp.unlink(missing_ok=True)
