"""`@node`: a frozen attrs class (plain, not slotted) whose repr, equality and hash are shared functions.

attrs writes and compiles each class's methods when the class is made, at import; the `treaty` command
makes some ninety such classes at every start. The repr, `==` and hash are the same for every class, so
they are written once here, and attrs compiles only what differs (`__init__`): about half of each class's
making. They behave as attrs' own: the repr prints what attrs' prints; two nodes are equal when they are
of the same class and their fields with `eq=True` are equal (otherwise NotImplemented); the hash goes with
equality.
"""

from __future__ import annotations

from operator import attrgetter

import attrs

_frozen = attrs.frozen(slots=False, repr=False, eq=False)


def _repr(self) -> str:
    fields = ", ".join(f"{a.name}={getattr(self, a.name)!r}" for a in attrs.fields(type(self)) if a.repr)
    return f"{type(self).__qualname__}({fields})"


def _eq(self, other):
    if other.__class__ is not self.__class__:
        return NotImplemented
    key = self._eq_key
    return key(self) == key(other)


def _hash(self) -> int:
    return hash((self.__class__.__qualname__, self._eq_key(self)))


def _key_of(names: tuple):
    """The fields compared, as one tuple (attrgetter gives a bare value for one name, nothing for none)."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


def node(cls=None, *, eq: bool = True):
    """The class as `attrs.frozen(slots=False, eq=eq)` makes it, with the shared methods (a class's own win).
    `@node(eq=False)`: equal only to itself, hashed by identity, as attrs leaves such a class."""
    if cls is None:
        return lambda c: node(c, eq=eq)
    own = cls.__dict__
    cls = _frozen(cls)
    if "__repr__" not in own:
        cls.__repr__ = _repr
    if eq and "__eq__" not in own:
        cls._eq_key = staticmethod(_key_of(tuple(a.name for a in attrs.fields(cls) if a.eq)))
        cls.__eq__ = _eq
        cls.__hash__ = _hash
    return cls
