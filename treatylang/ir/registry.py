"""Every IR construct and the meanings it must give; tests/ir/test_registry.py holds each class to it.

A construct is a class here and a folder of cases in tests/constructs/ (named as below). Membership
changes and entry into force are judged by the membership pass alone (engine/timeline.py), which is the
one path for effects, so they have no generated code. So are the lifetimes of norms (ends, discharges and
breaches of a norm an event gave rise to) by the lifetime pass (engine/lifetimes.py), on the binding each
norm's own path (generated code or interpreter) recorded.
"""

from __future__ import annotations

from treatylang.ir.conditions import CONDITIONS
from treatylang.ir.entry import ENTRIES
from treatylang.ir.patterns import STEPS
from treatylang.ir.lifetimes import LIFETIMES
from treatylang.ir.procedures import PROCEDURES
from treatylang.ir.vocabulary import EventReading
from treatylang.ir.rules import (BreachClause, ChangeMembership, CollectiveNormOf, Deem, ExceptionOf, ForEachMember, NormOf,
                                 OrganNormOf, Unless)

MEANINGS = {
    "condition": (("eval3", "emit", "describe", "why_not"), CONDITIONS),
    "pattern step": (("match", "emit", "why_not"), STEPS),
    "quantifier": (("expand", "emit", "describe", "why_not"), (ForEachMember,)),
    "norm": (("apply", "emit", "describe", "why_not"), (NormOf, OrganNormOf, CollectiveNormOf)),
    "deem": (("apply", "emit", "describe", "none_deemed"), (Deem,)),
    "membership change": (("apply", "describe", "why_not"), (ChangeMembership,)),
    "exception": (("holds", "emit", "describe", "why_not"), (Unless, ExceptionOf)),
    "breach clause": (("describe",), (BreachClause,)),
    "entry into force": (("entry", "describe", "why_not"), ENTRIES),
    "earlier event": (("find", "expand", "emit", "describe", "why_not"), PROCEDURES),
    "lifetime": (("find", "describe", "why_not"), LIFETIMES),
    "vocabulary reading": (("translate", "describe"), (EventReading,)),
}


def constructs() -> list[tuple[str, type, tuple]]:
    """(category, class, the meanings it must give), for every construct."""
    return [(category, cls, methods) for category, (methods, classes) in MEANINGS.items() for cls in classes]


def folder_name(cls: type) -> str:
    """The construct's folder of cases under tests/constructs/: `IsMember` -> `is_member`."""
    name = cls.__name__
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(name))
