"""Qualities and places: the facts about actors and places a treaty declares and a scenario adds to.

A place value in an event is a `PlaceId`: the place's id (a str, so it compares, hashes and prints as
one) that also knows the State whose territory it is (`of`, None for a region or the high seas), so a
pattern step reads it with no look-up. Qualities and containment reach conditions through `World`, the
scenario's `kinds` mapping (every actor id -> kind) extended with them: code that reads only kinds is
unchanged, and only the rules that test a quality or a containment read the rest.
"""

from __future__ import annotations

_EMPTY: dict = {}


class PlaceId(str):
    """A place id that knows whose territory it is (`of`: an actor id, or None)."""

    of: str | None = None

    def __new__(cls, ident: str, of: str | None = None):
        self = super().__new__(cls, ident)
        self.of = of
        return self

    def __reduce__(self):
        return PlaceId, (str(self), self.of)


def place_of(value) -> str | None:
    """The State whose territory a place value is (None: no State's, or not a place)."""
    return getattr(value, "of", None)


class World(dict):
    """Every actor id -> kind (as a plain kinds dict), plus `qualities` (actor or place id -> frozenset of
    quality names) and `within` (place id -> frozenset of the places containing it, itself included)."""

    def __init__(self, kinds=(), qualities=None, within=None):
        super().__init__(kinds)
        self.qualities = qualities or {}
        self.within = within or {}


def qualities_of(kinds, ident) -> frozenset | tuple:
    return getattr(kinds, "qualities", _EMPTY).get(ident, ())


def within_of(kinds, place) -> frozenset | tuple:
    """The places containing `place`, itself included (an undeclared value is in itself only)."""
    return getattr(kinds, "within", _EMPTY).get(place) or (place,)


def closure(direct: dict) -> dict:
    """place -> every place containing it, transitively, itself included (cycles are harmless)."""
    out = {}
    for place in direct:
        seen, todo = {place}, list(direct.get(place, ()))
        while todo:
            p = todo.pop()
            if p not in seen:
                seen.add(p)
                todo.extend(direct.get(p, ()))
        out[place] = frozenset(seen)
    return out


def make_world(treaty, kinds: dict, places: dict | None = None, actor_qualities: dict | None = None) -> World:
    """The treaty's places and qualities with a scenario's added: `places` id -> (name, of, in, is)."""
    qualities = {i: frozenset(q) for i, q in treaty.actor_qualities.items()}
    direct = {}
    for p in treaty.places.values():
        direct[p.id] = p.within
        qualities[p.id] = frozenset(p.qualities)
    for ident, (_name, _of, within, quals) in (places or {}).items():
        direct[ident] = tuple(within)
        qualities[ident] = frozenset(quals)
    for ident, quals in (actor_qualities or {}).items():
        qualities[ident] = frozenset(quals)
    return World(kinds, {k: v for k, v in qualities.items() if v}, closure(direct))


def renamed(world, mapping: dict) -> dict:
    """The kinds (and a World's qualities) with actors renamed; places keep their ids."""
    kinds = {mapping.get(i, i): k for i, k in world.items()}
    if not isinstance(world, World):
        return kinds
    return World(kinds, {mapping.get(i, i): q for i, q in world.qualities.items()}, world.within)
