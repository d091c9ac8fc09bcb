"""Facts a scenario leaves unknown: the value that stands for them, and the open facts a conditional
conclusion depends on. Below the IR and the results, which both use them."""

from __future__ import annotations

from typing import NamedTuple


class _Unknown:
    """The value of an argument the scenario does not settle (a parameter declared `= unknown`, left out).

    Not None: None means "none" for an `actor?`. It reads as an empty list and is false, so list tests and
    `every member is among` never hold on it; pattern steps that test it pass only conditionally
    (treatylang.ir.patterns). One instance, `UNKNOWN`.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "unknown"

    def __bool__(self) -> bool:
        return False

    def __iter__(self):
        return iter(())

    def __contains__(self, item) -> bool:
        return False

    def __reduce__(self):
        return "UNKNOWN"


UNKNOWN = _Unknown()

OPEN = "?open"  # the binding key of a conditional match's open facts (never a variable's name)


class Open(NamedTuple):
    """A fact a conditional conclusion depends on: that argument `arg` of the `fact` (an event or deemed fact
    type) is (or, `among`, includes) one of `wanted`."""

    fact: str
    arg: str
    among: bool
    wanted: tuple


def open_set(opens) -> tuple:
    """The open facts of one derivation, without repeats, in one order (generated code and interpreter agree)."""
    if len(opens) == 1:  # the usual case: nothing to order
        return tuple(opens)
    return tuple(sorted(set(opens), key=repr))
