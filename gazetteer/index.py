"""The loaded gazetteer: places by id, names → places, parent/child links (read-only).

``load_gazetteer`` reads the SQLite file ``gazetteer build`` writes; ``Gazetteer.from_places``
builds the same object in memory (tests, small custom gazetteers). The matcher compiles
``names`` into an Aho-Corasick automaton; the resolver walks ``parent``/``children``.

The file holds ~700,000 places (most of them villages): building them all as Python objects takes
seconds, so a loaded gazetteer is lazy. ``places``, ``names`` and ``children`` are Mappings backed
by indexed SQLite queries with a per-key cache; ``names.items()`` is one ordered scan, each Name
carries its place's ``level`` (filter before touching ``places``), and ``places.at_level`` reads
one level with one query. Ids are 1…N in parent-first order and stable for one build (one
``manifest.json``), not across builds.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
from collections.abc import ItemsView, Iterable, Iterator, Mapping, Sequence, ValuesView
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gazetteer.model import GeoPrecision, Level, Place

if TYPE_CHECKING:
    from gazetteer.errors import GazetteerMissing

DEFAULT_PATH = Path(__file__).with_name("data") / "gazetteer.sqlite"
SCHEMA_VERSION = 1
BUILD_COMMAND = "gazetteer build --out gazetteer/data/gazetteer.sqlite  (or: make data)"


@dataclass(frozen=True, slots=True)
class Name:
    """One surface form of a place: its full name, a short form (薛城) or an alias (塔塔埠).

    ``level`` repeats the place's level so that callers can filter millions of names without
    constructing their places (None only when built without it).
    """

    text: str
    place_id: int
    kind: str  # "full" | "short" | "alias"
    level: Level | None = None


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Places and their names. ``names`` maps a surface form to every Name that spells it."""

    places: Mapping[int, Place]
    names: Mapping[str, tuple[Name, ...]]
    children: Mapping[int, tuple[int, ...]] = field(default_factory=dict)
    path: Path | None = None
    zones: Mapping[int, tuple[int, ...]] = field(default_factory=dict)  # zone id → ids of townships it administers
    attribution: tuple[str, ...] = ()  # credits to show wherever the points are displayed (CC BY sources)

    @classmethod
    def from_places(
        cls,
        places: Iterable[Place],
        names: Iterable[Name],
        path: Path | None = None,
        zones: Mapping[int, tuple[int, ...]] | None = None,
    ) -> Gazetteer:
        """Index places and names in memory; children are derived from ``parent_id``."""
        by_id = {p.id: p for p in places}
        by_text: dict[str, list[Name]] = {}
        for given in names:
            name = given
            if name.level is None and name.place_id in by_id:
                name = dataclasses.replace(name, level=by_id[name.place_id].level)
            by_text.setdefault(name.text, []).append(name)
        kids: dict[int, list[int]] = {}
        for p in by_id.values():
            if p.parent_id is not None:
                kids.setdefault(p.parent_id, []).append(p.id)
        return cls(
            places=by_id,
            names={k: tuple(v) for k, v in by_text.items()},
            children={k: tuple(v) for k, v in kids.items()},
            path=path,
            zones=dict(zones or {}),
        )

    def lookup(self, text: str) -> tuple[Place, ...]:
        """Every place spelled ``text`` (full, short or alias), without ranking."""
        return tuple(self.places[n.place_id] for n in self.names.get(text, ()))

    def ancestors(self, place: Place) -> tuple[Place, ...]:
        """Containers of ``place`` from its parent up to the province."""
        chain: list[Place] = []
        parent = place.parent_id
        while parent is not None and parent in self.places:
            chain.append(self.places[parent])
            parent = self.places[parent].parent_id
        return tuple(chain)

    def by_path(self, path: str) -> Place | None:
        """The place whose admin path is ``path`` (None when absent)."""
        if isinstance(self.places, SqlPlaces):
            return self.places.by_path(path)
        return next((p for p in self.places.values() if p.path == path), None)


_PLACE_COLUMNS = "id, name, level, parent_id, path, adcode, lon, lat, geo_precision, source_id"
_LEVELS = {lvl.value: lvl for lvl in Level}
_PRECISIONS = {int(p): p for p in GeoPrecision}


def _place(row: tuple[Any, ...], sources: list[str]) -> Place:
    pid, name, level, parent, path, adcode, lon, lat, precision, source = row
    return Place(pid, name, _LEVELS[level], parent, path, adcode, lon, lat, _PRECISIONS[precision], sources[source])


class SqlDatabase:
    """The read-only SQLite connection the lazy mappings share; a lock serialises queries across threads."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._lock = threading.Lock()

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """All rows of one query."""
        with self._lock:
            rows: list[tuple[Any, ...]] = self._conn.execute(sql, params).fetchall()
            return rows

    def row(self, sql: str, params: Sequence[object] = ()) -> tuple[Any, ...] | None:
        """The first row of one query, or None."""
        with self._lock:
            row: tuple[Any, ...] | None = self._conn.execute(sql, params).fetchone()
            return row


class SqlPlaces(Mapping[int, Place]):
    """Places by id, read from SQLite on demand.

    Ids are 1…N. Lookups go to SQLite by primary key (tens of microseconds each) and are cached;
    ``at_level`` reads a whole level in one query and ``values`` the whole table. Nothing reads
    the whole table behind a caller's back: that costs seconds, which a page render must not pay.
    """

    def __init__(self, db: SqlDatabase, count: int) -> None:
        self._db, self._count = db, count
        self._sources = [text for _, text in db.rows("SELECT id, text FROM sources ORDER BY id")]
        self._cache: dict[int, Place] = {}
        self._complete = False

    def __getitem__(self, key: int) -> Place:
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        if self._complete or not isinstance(key, int) or not 1 <= key <= self._count:
            raise KeyError(key)
        row = self._db.row(f"SELECT {_PLACE_COLUMNS} FROM places WHERE id = ?", (key,))
        if row is None:
            raise KeyError(key)
        place = self._cache[key] = _place(row, self._sources)
        return place

    def _read_all(self) -> None:
        cache, sources = self._cache, self._sources
        for row in self._db.rows(f"SELECT {_PLACE_COLUMNS} FROM places"):
            if row[0] not in cache:
                cache[row[0]] = _place(row, sources)
        self._complete = True

    def __contains__(self, key: object) -> bool:
        return isinstance(key, int) and 1 <= key <= self._count

    def __iter__(self) -> Iterator[int]:
        return iter(range(1, self._count + 1))

    def __len__(self) -> int:
        return self._count

    def values(self) -> ValuesView[Place]:
        """All places (one bulk read)."""
        if not self._complete:
            self._read_all()
        return self._cache.values()

    def at_level(self, *levels: Level) -> tuple[Place, ...]:
        """Every place of the given levels, read with one indexed query."""
        marks = ",".join("?" * len(levels))
        sql = f"SELECT {_PLACE_COLUMNS} FROM places WHERE level IN ({marks}) ORDER BY id"
        cache, sources = self._cache, self._sources
        found = []
        for row in self._db.rows(sql, [lv.value for lv in levels]):
            place = cache.get(row[0])
            if place is None:
                place = cache[row[0]] = _place(row, sources)
            found.append(place)
        return tuple(found)

    def by_path(self, path: str) -> Place | None:
        """The place at ``path``, or None."""
        query = (
            "SELECT p.id FROM names n JOIN places p ON p.id = n.place_id"
            " WHERE n.text = ? AND n.kind = 'full' AND p.path = ?"
        )
        row = self._db.row(query, (path.rsplit("/", 1)[-1], path))
        return None if row is None else self[row[0]]


class SqlNames(Mapping[str, tuple[Name, ...]]):
    """Surface form → Names, read from SQLite on demand; iteration and ``items()`` are one scan.

    The distinct texts are stored once as a newline-joined blob, so ``len``, ``iter`` and ``in``
    need no query; ``items()`` streams the text-sorted table instead of one query per key.
    """

    def __init__(self, db: SqlDatabase, texts: list[str]) -> None:
        self._db, self._texts = db, texts
        self._set: frozenset[str] | None = None
        self._cache: dict[str, tuple[Name, ...]] = {}

    def __getitem__(self, key: str) -> tuple[Name, ...]:
        hit = self._cache.get(key)
        if hit is None:
            rows = self._db.rows("SELECT text, place_id, kind, level FROM names WHERE text = ?", (key,))
            if not rows:
                raise KeyError(key)
            hit = self._cache[key] = tuple(Name(t, p, k, _LEVELS[lv]) for t, p, k, lv in rows)
        return hit

    def __contains__(self, key: object) -> bool:
        if self._set is None:
            self._set = frozenset(self._texts)
        return key in self._set

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)

    def items(self) -> ItemsView[str, tuple[Name, ...]]:
        """Every (text, names) pair, streamed from one ordered scan."""
        return _ScanItems(self)

    def scan(self) -> Iterator[tuple[str, tuple[Name, ...]]]:
        """Stream (text, names) in text order (the table is written sorted by text)."""
        levels = _LEVELS
        current: str | None = None
        group: list[Name] = []
        for text, place_id, kind, level in self._db.rows(
            "SELECT text, place_id, kind, level FROM names ORDER BY rowid"
        ):
            if text != current:
                if current is not None:
                    yield current, tuple(group)
                current, group = text, []
            group.append(Name(text, place_id, kind, levels[level]))
        if current is not None:
            yield current, tuple(group)


class _ScanItems(ItemsView[str, tuple[Name, ...]]):
    _mapping: SqlNames

    def __iter__(self) -> Iterator[tuple[str, tuple[Name, ...]]]:
        return self._mapping.scan()


class SqlChildren(Mapping[int, tuple[int, ...]]):
    """Parent id → child ids (only parents that have children are keys)."""

    def __init__(self, db: SqlDatabase) -> None:
        self._db = db
        self._cache: dict[int, tuple[int, ...]] = {}
        self._keys: tuple[int, ...] | None = None

    def __getitem__(self, key: int) -> tuple[int, ...]:
        hit = self._cache.get(key)
        if hit is None:
            rows = self._db.rows("SELECT id FROM places WHERE parent_id = ? ORDER BY id", (key,))
            if not rows:
                raise KeyError(key)
            hit = self._cache[key] = tuple(r[0] for r in rows)
        return hit

    def _all_keys(self) -> tuple[int, ...]:
        if self._keys is None:
            rows = self._db.rows("SELECT DISTINCT parent_id FROM places WHERE parent_id IS NOT NULL ORDER BY 1")
            self._keys = tuple(r[0] for r in rows)
        return self._keys

    def __iter__(self) -> Iterator[int]:
        return iter(self._all_keys())

    def __len__(self) -> int:
        return len(self._all_keys())


def _missing(path: Path, why: str) -> GazetteerMissing:
    # imported here: gazetteer.errors pulls in the timeline package, which imports this module
    from gazetteer.errors import GazetteerMissing  # noqa: PLC0415

    return GazetteerMissing(
        f"gazetteer {path}: {why}; run `{BUILD_COMMAND}`",
        user_message=f"地名库不可用（{why}）。请运行 `{BUILD_COMMAND}` 重新生成。",
    )


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """Open the SQLite gazetteer ``gazetteer build`` writes (default: ``gazetteer/data/gazetteer.sqlite``).

    Places and names are read lazily, so loading takes milliseconds whatever the size.

    Raises:
        GazetteerMissing: the file is absent, not a gazetteer, or built by another schema version.
    """
    path = path or DEFAULT_PATH
    if not path.is_file():
        raise _missing(path, "file not found")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        meta = dict(
            conn.execute("SELECT key, value FROM meta WHERE key IN ('schema_version', 'place_count', 'attribution')")
        )
    except sqlite3.DatabaseError as exc:
        raise _missing(path, f"not a gazetteer ({exc})") from exc
    if meta.get("schema_version") != str(SCHEMA_VERSION):
        conn.close()
        raise _missing(path, f"schema version {meta.get('schema_version')} != {SCHEMA_VERSION}")
    (blob,) = conn.execute("SELECT value FROM meta WHERE key = 'name_texts'").fetchone()
    zones: dict[int, list[int]] = {}
    for zone, member in conn.execute("SELECT zone_id, place_id FROM zone_members ORDER BY zone_id, place_id"):
        zones.setdefault(zone, []).append(member)
    db = SqlDatabase(conn)
    return Gazetteer(
        places=SqlPlaces(db, int(meta["place_count"])),
        names=SqlNames(db, blob.split("\n") if blob else []),
        children=SqlChildren(db),
        path=path,
        zones={k: tuple(v) for k, v in zones.items()},
        attribution=tuple(meta.get("attribution", "").split("\n")) if meta.get("attribution") else (),
    )
