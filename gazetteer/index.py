"""The loaded gazetteer: places by id, names → places, parent/child links (read-only).

``load_gazetteer`` reads the SQLite file ``gazetteer build`` writes; ``Gazetteer.from_places``
builds the same object in memory (tests, small custom gazetteers). The matcher compiles
``names`` into an Aho-Corasick automaton; the resolver walks ``parent``/``children``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from gazetteer.model import Place

DEFAULT_PATH = Path(__file__).with_name("data") / "gazetteer.sqlite"


@dataclass(frozen=True, slots=True)
class Name:
    """One surface form of a place: its full name, a short form (薛城) or an alias (塔塔埠)."""

    text: str
    place_id: int
    kind: str  # "full" | "short" | "alias"


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Places and their names. ``names`` maps a surface form to every Name that spells it."""

    places: Mapping[int, Place]
    names: Mapping[str, tuple[Name, ...]]
    children: Mapping[int, tuple[int, ...]] = field(default_factory=dict)
    path: Path | None = None

    @classmethod
    def from_places(cls, places: Iterable[Place], names: Iterable[Name], path: Path | None = None) -> Gazetteer:
        """Index places and names in memory; children are derived from ``parent_id``."""
        by_id = {p.id: p for p in places}
        by_text: dict[str, list[Name]] = {}
        for name in names:
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


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """Load the gazetteer from ``path`` (default: the one ``gazetteer build`` writes).

    Placeholder until the SQLite build lands: returns an empty gazetteer.
    """
    return Gazetteer(places={}, names={}, path=path or DEFAULT_PATH)
