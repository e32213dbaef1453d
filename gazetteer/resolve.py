"""Candidates + context → one Place per mention, with confidence and runner-up (pure).

Never first match: ``文化路街道`` exists in several cities and ``市中区`` in 枣庄, 济南 and 乐山.
A candidate is scored by the chain it sits in, the article's dateline place, the places
mentioned around it (a candidate whose container is mentioned wins, one that contains mentioned
places gains), the province the article is about, a level prior, and the distance to the
article's focus. Two rounds: unambiguous mentions set the focus first, then every resolved
mention informs the others.
"""

from __future__ import annotations

import math
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from gazetteer.match import Candidate, Matcher, Part
from gazetteer.model import GeoPrecision, Level, Place

#: Prior for ambiguous names: larger units are mentioned far more often than small ones.
LEVEL_PRIOR = {
    Level.COUNTRY: 0.6,
    Level.PROVINCE: 0.5,
    Level.CITY: 0.45,
    Level.COUNTY: 0.35,
    Level.ZONE: 0.2,
    Level.TOWNSHIP: 0.15,
    Level.COMMUNITY: 0.05,
    Level.VILLAGE: 0.0,
}
#: Confidence of a mention with one option, by how its name matched.
KIND_CONFIDENCE = {"full": 0.95, "short": 0.85, "generic": 0.8, "alias": 0.8, "variant": 0.7, "unlisted": 0.6}
_DISTANCE_SCALE_KM = 100.0


@dataclass(frozen=True, slots=True)
class Resolution:
    """The chosen place of one candidate; ``supported`` is False for a likely false hit."""

    candidate: Candidate
    place: Place | None
    parts: tuple[Place | None, ...]
    confidence: float
    runner_up: Place | None
    note: str
    supported: bool


@dataclass(frozen=True, slots=True)
class _Focus:
    """What the rest of the article mentions; ``exclude`` is the mention being resolved."""

    mentioned: Counter[int]  # place id → mentions
    inside: Counter[int]  # place id → mentions of places strictly inside it
    top_province: int | None
    top_city: int | None
    centroid: tuple[float, float] | None
    dateline: Place | None
    exclude: int | None = None
    page_province: int | None = None  # the province the page's unambiguous mentions name most

    def count(self, pid: int) -> int:
        """Mentions of ``pid`` other than the excluded one."""
        return self.mentioned[pid] - (1 if pid == self.exclude else 0)


def resolve_places(
    text: str,
    candidates: Sequence[Candidate],
    matcher: Matcher,
    dateline: int | None = None,
    page_province: int | None = None,
) -> tuple[Resolution, ...]:
    """Resolve every candidate of one article; ``dateline`` indexes the dateline's candidate.

    ``text`` is the text the candidates' offsets point into (for naming unlisted units);
    ``page_province`` (the province the whole page is about) weakly favours options inside it.
    """
    options = [_chain_options(c, matcher) for c in candidates]
    chosen: list[Place | None] = [opts[0] if len(opts) == 1 else None for opts in options]
    total = _focus(chosen, matcher, chosen[dateline] if dateline is not None else None, page_province)
    for _ in range(2):
        picks: dict[tuple[tuple[int, ...], int | None], Place] = {}  # same options, same context
        new: list[Place | None] = []
        for opts, own in zip(options, chosen, strict=True):
            key = (tuple(p.id for p in opts), own.id if own else None)
            if opts and key not in picks:
                focus = _without(total, own, matcher)
                picks[key] = opts[0] if len(opts) == 1 else max(opts, key=lambda p: _score(p, focus, matcher))
            new.append(picks[key] if opts else None)
        if all(a is b for a, b in zip(new, chosen, strict=True)):
            break  # a fixed point: ``total`` already describes ``chosen``
        chosen = new
        total = _focus(chosen, matcher, chosen[dateline] if dateline is not None else None, page_province)
    date_place = chosen[dateline] if dateline is not None else None
    # only credible mentions (chains, full names, large units) vouch for weak ones
    strong = [
        p if p is not None and _is_strong(text, c, p, matcher) else None
        for c, p in zip(candidates, chosen, strict=True)
    ]
    credible = _focus(strong, matcher, date_place)
    out: list[Resolution | None] = []
    contexts: dict[tuple[int | None, int | None], tuple[_Focus, _Focus]] = {}
    ranks: dict[tuple[object, ...], list[tuple[float, Place]]] = {}
    for cand, opts, own, own_strong in zip(candidates, options, chosen, strong, strict=True):
        if not _listed_parts(cand):
            out.append(None)  # stand-alone unit: placed once the others are known
            continue
        ctx = (own.id if own else None, own_strong.id if own_strong else None)
        if ctx not in contexts:
            contexts[ctx] = (_without(total, own, matcher), _without(credible, own_strong, matcher))
        focus, vouch = contexts[ctx]
        ranked = _ranked(opts, focus, ctx, ranks, matcher)
        out.append(_resolution(text, cand, ranked, focus=focus, credible=vouch, matcher=matcher))
    known = {text[r.candidate.last.start : r.candidate.last.end]: r.place for r in out if r and r.place}
    container = _focus_container([r.place for r in out if r and r.place], matcher)
    return tuple(r or _standalone(text, c, known, container) for r, c in zip(out, candidates, strict=True))


def _standalone(text: str, cand: Candidate, known: dict[str, Place], container: Place | None) -> Resolution:
    """A unit named only by its suffix: the same name in a chain of the article, else the focus."""
    surface = text[cand.start : cand.end]
    if surface in known:
        return Resolution(cand, known[surface], (known[surface],), 0.6, None, "same name as a chained mention", True)
    if container is None:
        note = f"unresolved: {surface} is not in the gazetteer and the article has no focus region"
        return Resolution(cand, None, (None,), 0.0, None, note, True)
    place = _unlisted_place(text, cand, container)
    note = f"unlisted: {surface} is not in the gazetteer; placed under the article's focus {container.name}"
    return Resolution(cand, place, (place,), 0.4, None, note, True)


#: Admin levels a stand-alone unit may be placed under, coarse to fine.
_CONTAINER_LEVELS = (Level.CITY, Level.COUNTY, Level.TOWNSHIP)


def _focus_container(places: Sequence[Place], matcher: Matcher) -> Place | None:
    """The finest admin unit most of the article's mentions lie in (city → county → township)."""
    gaz = matcher.gazetteer
    counts: Counter[int] = Counter()
    for place in places:
        counts.update(_containers(place, matcher))
    cities = [pid for pid in counts if gaz.places[pid].level is Level.CITY]
    if not cities:
        return None
    current = max(cities, key=lambda pid: counts[pid])
    while True:
        kids = [pid for pid in counts if gaz.places[pid].parent_id == current]
        if not kids:
            return gaz.places[current]
        best = max(kids, key=lambda pid: counts[pid])
        if 2 * counts[best] < counts[current]:
            return gaz.places[current]
        current = best


def _containers(place: Place, matcher: Matcher) -> tuple[int, ...]:
    """Ids of the cities, counties and townships among ``place`` and its containers (memoised)."""
    got = matcher.container_memo.get(place.id)
    if got is None:
        chain = [place, *matcher.ancestor_chain(place)]
        got = tuple({q.id for q in chain if q.level in _CONTAINER_LEVELS and q.id >= 0})
        if place.id >= 0:  # an unlisted unit's id is a hash of its path: not cached
            matcher.container_memo[place.id] = got
    return got


def _listed_parts(cand: Candidate) -> tuple[Part, ...]:
    parts = cand.parts
    if len(parts) == 1:  # most mentions: skip building a tuple
        return parts if parts[0].candidates else ()
    return tuple(p for p in parts if p.candidates)


def _chain_options(cand: Candidate, matcher: Matcher) -> list[Place]:
    """Candidates of the finest listed part that agree with the most earlier parts."""
    listed = _listed_parts(cand)
    if not listed:
        return []
    last = listed[-1]
    if len(listed) == 1:
        return list(last.candidates)  # no earlier part to agree with

    def consistency(place: Place) -> int:
        ids = matcher.ancestor_ids(place)
        return sum(1 for part in listed[:-1] if any(q.id in ids for q in part.candidates))

    best = max(consistency(p) for p in last.candidates)
    return [p for p in last.candidates if consistency(p) == best]


def _focus(
    chosen: Sequence[Place | None], matcher: Matcher, dateline: Place | None, page_province: int | None = None
) -> _Focus:
    ids: list[int] = []
    above_ids: list[int] = []
    province_ids: list[int] = []
    city_ids: list[int] = []
    points: list[tuple[float, float]] = []
    memo = matcher.focus_memo
    for place in chosen:
        if place is None or place.id < 0:
            continue
        ids.append(place.id)
        above, province, in_cities, point = memo.get(place.id) or _focus_facts(place, matcher)
        above_ids.extend(above)
        province_ids.append(province)
        city_ids.extend(in_cities)
        if point is not None:
            points.append(point)
    # counted at C speed; ties still go to the first mentioned (insertion order)
    mentioned, inside = Counter(ids), Counter(above_ids)
    provinces, cities = Counter(province_ids), Counter(city_ids)
    centroid = None
    if points:
        centroid = (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
    top_province = provinces.most_common(1)[0][0] if provinces else None
    top_city = cities.most_common(1)[0][0] if cities else None
    return _Focus(mentioned, inside, top_province, top_city, centroid, dateline, page_province=page_province)


_FocusFacts = tuple[tuple[int, ...], int, tuple[int, ...], tuple[float, float] | None]


def _focus_facts(place: Place, matcher: Matcher) -> _FocusFacts:
    """What one mention of ``place`` adds to a focus (memoised on the matcher per place id)."""
    got: _FocusFacts | None = matcher.focus_memo.get(place.id)
    if got is None:
        chain = matcher.ancestor_chain(place)
        point = None
        if place.lat is not None and place.lon is not None and place.level is not Level.COUNTRY:
            point = (place.lat, place.lon)
        got = (
            tuple(q.id for q in chain),
            (chain[-1] if chain else place).id,
            tuple(q.id for q in (place, *chain) if q.level is Level.CITY),
            point,
        )
        matcher.focus_memo[place.id] = got
    return got


def _without(focus: _Focus, place: Place | None, matcher: Matcher) -> _Focus:
    """``focus`` minus one mention of ``place`` (a mention never supports itself)."""
    if place is None or focus.mentioned[place.id] <= 0:
        return focus
    f = focus  # built directly: dataclasses.replace is slow on this hot path
    return _Focus(f.mentioned, f.inside, f.top_province, f.top_city, f.centroid, f.dateline, place.id, f.page_province)


def _is_strong(text: str, cand: Candidate, place: Place, matcher: Matcher) -> bool:
    """Whether a mention is credible without context: a chain, a large unit, a complete name."""
    if len(cand.parts) > 1 or place.level in _LARGE_LEVELS:
        return True
    last = _listed_parts(cand)[-1] if _listed_parts(cand) else cand.last
    kind = last.kind_of(place)
    if place.level is Level.COUNTY:
        return kind == "full"
    if place.level in _NAMED_LEVELS:
        # a zone or POI named after its container (枣庄经济开发区) is distinctive; a bare
        # descriptive name (新能源产业园) needs the article to mention its region
        return (kind == "full" and _is_named_after_container(place, matcher)) or _has_zone_designation(
            text[last.start : last.end], place, matcher
        )
    return kind in {"full", "alias"} and text[last.start : last.end].endswith(_designations(matcher))


def _designations(matcher: Matcher) -> tuple[str, ...]:
    """Unit words that make a name complete (街道, 镇, 村, 社区)."""
    return tuple(w for r in matcher.rules.suffixes if r.level in _DESIGNATED for w in r.words)


_LARGE_LEVELS = frozenset({Level.COUNTRY, Level.PROVINCE, Level.CITY, Level.FOREIGN})
_NAMED_LEVELS = frozenset({Level.ZONE, Level.POI, Level.ROAD, Level.RIVER})


def _has_zone_designation(surface: str, place: Place, matcher: Matcher) -> bool:
    """Whether a zone is spelled <name><official designation> (东湖高新区, 雄安新区): distinctive."""
    if place.level is not Level.ZONE:
        return False
    word = next((w for w in matcher.rules.generic_zone if surface.endswith(w)), None)
    return word is not None and len(surface) - len(word) >= 2


def _is_named_after_container(place: Place, matcher: Matcher) -> bool:
    """Whether ``place``'s name starts with the stem of a container's name (枣庄 of 枣庄市)."""
    for container in matcher.ancestor_chain(place):
        if container.level not in _LARGE_LEVELS | {Level.COUNTY}:
            continue
        stem = container.name[:2]
        if place.name.startswith(stem):
            return True
    return False


def _score(place: Place, focus: _Focus, matcher: Matcher) -> float:
    ids = matcher.ancestor_ids(place)
    score = LEVEL_PRIOR.get(place.level, 0.0)
    if focus.dateline is not None and (focus.dateline.id in ids or place.id in matcher.ancestor_ids(focus.dateline)):
        score += 2.0
    above = sum(focus.count(pid) for pid in ids if pid != place.id)
    score += 1.5 * math.log1p(above) + 2.0 * math.log1p(focus.count(place.id))
    score += 1.0 * math.log1p(focus.inside[place.id])
    if focus.top_province is not None and focus.top_province in ids:
        score += 0.5
    if focus.page_province is not None and focus.page_province in ids:
        score += 0.3
    if focus.centroid is not None and place.lat is not None and place.lon is not None:
        km = _km(focus.centroid, (place.lat, place.lon))
        score += 0.8 * math.exp(-km / _DISTANCE_SCALE_KM)
    return score


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (lat, lon) points (haversine, mean Earth radius).

    >>> round(_km((34.81, 117.32), (36.65, 117.12)))
    205
    """
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, h)))


def _has_support(place: Place, focus: _Focus, matcher: Matcher) -> bool:
    """Whether the article mentions ``place`` elsewhere, a container of it, or a place inside it."""
    ids = matcher.ancestor_ids(place)
    if focus.dateline is not None and (focus.dateline.id in ids or place.id in matcher.ancestor_ids(focus.dateline)):
        return True
    return focus.inside[place.id] > 0 or any(focus.count(pid) > 0 for pid in ids)


def _is_supported(text: str, cand: Candidate, best: Place, kind: str, *, focus: _Focus, matcher: Matcher) -> bool:
    """Whether a mention is credible: a chain, a large unit, a complete name, or backed by context.

    Bare short forms of small units (常庄, 市南) are ordinary words as often as places, so they
    need the article to mention a related place; a county short form also passes inside the
    article's province. ``kind`` is how the name of ``best`` matched.
    """
    if len(cand.parts) > 1 or best.level in {Level.COUNTRY, Level.PROVINCE, Level.FOREIGN}:
        return True
    if _has_support(best, focus, matcher):
        return True
    last = _listed_parts(cand)[-1]
    if kind != "full" and text[last.start : last.end] in matcher.rules.needs_context:
        return False  # a common word (白银 'silver') needs a related mention
    return _supported_alone(text, cand, best, kind, focus=focus, matcher=matcher)


def _supported_alone(text: str, cand: Candidate, best: Place, kind: str, *, focus: _Focus, matcher: Matcher) -> bool:
    """Whether a mention no related place supports is still credible (see ``_is_supported``)."""
    if focus.top_city is not None and focus.top_city in matcher.ancestor_ids(best):
        return True  # inside the city the article is about
    if best.level is Level.CITY:
        return kind == "full" or not best.name.endswith(_PREFECTURE_SUFFIXES)
    if best.level is Level.COUNTY:
        in_province = focus.top_province is not None and focus.top_province in matcher.ancestor_ids(best)
        return kind == "full" or in_province
    return _is_strong(text, cand, best, matcher)


#: Prefecture designations whose short forms are ordinary words too often (文山 of 文山州).
_PREFECTURE_SUFFIXES = ("自治州", "地区", "盟")
_DESIGNATED = frozenset({Level.TOWNSHIP, Level.VILLAGE, Level.COMMUNITY})


def _ranked(
    opts: list[Place],
    focus: _Focus,
    context: tuple[int | None, int | None],
    memo: dict[tuple[object, ...], list[tuple[float, Place]]],
    matcher: Matcher,
) -> list[tuple[float, Place]]:
    """Options with their scores, best first (memoised: a page repeats its names)."""
    key = (tuple(p.id for p in opts), *context)
    got = memo.get(key)
    if got is None:
        got = [(0.0, opts[0])] if len(opts) == 1 else [(_score(p, focus, matcher), p) for p in opts]
        got.sort(key=lambda sp: -sp[0])
        memo[key] = got
    return got


def _resolution(
    text: str, cand: Candidate, ranked: list[tuple[float, Place]], *, focus: _Focus, credible: _Focus, matcher: Matcher
) -> Resolution:
    listed = _listed_parts(cand)
    if not ranked:
        note = f"unresolved: {text[cand.start : cand.end]} has no gazetteer entry"
        return Resolution(cand, None, tuple(None for _ in cand.parts), 0.0, None, note, True)
    best = ranked[0][1]
    runner = ranked[1][1] if len(ranked) > 1 else None
    kind = listed[-1].kind_of(best)
    confidence = KIND_CONFIDENCE.get(kind, 0.6)
    notes: list[str] = []
    if runner is not None:
        scores = [sp[0] for sp in ranked]
        total = sum(math.exp(s - scores[0]) for s in scores)
        confidence *= 1.0 / total
        notes.append(f"ambiguous: {len(ranked)} places named {text[listed[-1].start : listed[-1].end]}")
    supported = _is_supported(text, cand, best, kind, focus=credible, matcher=matcher)
    if listed[-1].kind == "variant":
        notes.append(f"variant spelling of {best.name}")
    parts: list[Place | None] = []
    for part in cand.parts:
        parts.append(_part_place(part, best, focus, matcher) if part.candidates else None)
    place = best
    if not cand.last.candidates:
        place = _unlisted_place(text, cand, best)
        parts[-1] = place
        notes.append(f"unlisted: {place.name} is not in the gazetteer; placed under {best.name}")
        confidence = min(confidence, KIND_CONFIDENCE["unlisted"])
    return Resolution(cand, place, tuple(parts), round(confidence, 3), runner, "; ".join(notes), supported)


def _part_place(part: Part, best: Place, focus: _Focus, matcher: Matcher) -> Place:
    if len(part.candidates) == 1:
        return part.candidates[0]
    ids = matcher.ancestor_ids(best)
    inside = [p for p in part.candidates if p.id in ids]
    pool = inside or list(part.candidates)
    return pool[0] if len(pool) == 1 else max(pool, key=lambda p: _score(p, focus, matcher))


def _unlisted_place(text: str, cand: Candidate, parent: Place) -> Place:
    """A unit the gazetteer lacks, kept under its parent with the parent's point (flagged)."""
    last = cand.last
    name = text[last.start : last.end]
    if len(cand.parts) >= 2 and last.body == 0:
        name = text[cand.parts[-2].start : last.end]  # 沙沟镇敬老院: named after its container
    path = f"{parent.path}/{name}"
    inherited = GeoPrecision.TOWNSHIP if parent.level is Level.TOWNSHIP else GeoPrecision.REGION
    return Place(
        id=-(zlib.crc32(path.encode("utf-8")) + 1),
        name=name,
        level=last.level,
        parent_id=parent.id,
        path=path,
        adcode=parent.adcode,
        lon=parent.lon,
        lat=parent.lat,
        geo_precision=max(parent.geo_precision, inherited),
        source=f"unlisted unit under {parent.source}",
    )
