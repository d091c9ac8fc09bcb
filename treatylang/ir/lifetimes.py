"""What happens to a norm after an event gave rise to it: an event that ends it, one that performs it, and
its breach by a later event or by a deadline passed.

Each clause finds its later event with the matcher of `after` (ir.procedures.LaterEvent), linked to the norm
by the variables they share. They are judged once every event has been judged, by the one lifetime pass
(engine/lifetimes.py), on the binding the norm's own path (generated code or interpreter) recorded for it.
"""

from __future__ import annotations

import datetime as dt

from treatylang.infra.nodes import node

from treatylang.ir.conditions import Binding, Namer
from treatylang.ir.procedures import LATER, EarlierIndex, LaterEvent
from treatylang.ir.wording import iso, words
from treatylang.source.dates import add_duration

CLAUSE = {"ended": "ends when", "discharged": "discharged by"}
PAST = {"ended": "ended", "discharged": "was discharged"}


def _before(e, other) -> bool:
    """`e` comes before `other` in the scenario's order (date, then file order)."""
    return (e.date, e.index) < (other.date, other.index)


def event_words(e, b: Binding, later: LaterEvent, name: Namer) -> str:
    """'the council measures e3 on 2025-03-01 (about: Norway)': a later event as the clause matched it."""
    args = later.pattern.variables()
    shown = ", ".join(f"{words(arg)}: {name(b[v])}" for v, arg in args.items() if v in b)
    return f"the {words(e.type)} {e.id} on {e.date.isoformat()}" + (f" ({shown})" if shown else "")


@node(eq=False)
class EndOfNorm:
    """`ends when P` (the norm ends: status "ended") or `discharged by P` (an obligation performed:
    status "discharged"): the first later event that matches, on or after the norm's date."""

    status: str  # ended | discharged
    later: LaterEvent

    def find(self, index: EarlierIndex, norm, b: Binding):
        """(the event that ends the norm, the binding with it), or None."""
        return self.later.first(index, norm.trigger, b)

    def describe(self, end, name: Namer) -> str:
        """The step of an explanation: the event that ended the norm, and the clause it met."""
        said = event_words(end.event, end.binding, self.later, name)
        return (f"so it {PAST[self.status]} on {end.event.date.isoformat()}: {said} "
                f"meets the rule's '{CLAUSE[self.status]} {self.later.event}'")

    def why_not(self, index: EarlierIndex, norm, b: Binding, as_of: dt.date, name: Namer) -> str:
        """Why the norm is still live on `as_of` under this clause: no such event, or only after `as_of`."""
        found = self.find(index, norm, b)
        if found is not None:
            e, nb = found
            return f"not {self.status}: {event_words(e, nb, self.later, name)} comes after {iso(as_of)}"
        said = self.later.why_not(b, norm.trigger, index, name)
        return f"not {self.status}: {said[1] if said else 'no event meets it'}"


@node(eq=False)
class BreachOfNorm:
    """`breached by P [where C]` on a norm an event gave rise to (a later event is the conduct that breaches
    it, before the norm ended), or `breached if not discharged within D` (nothing discharged it by the
    deadline, and the deadline passed before `as_of`)."""

    later: LaterEvent | None = None
    within: object = None  # a syntax Duration, for a breach by delay

    def deadline(self, norm) -> dt.date | None:
        """The last day to discharge the obligation (the norm's date plus the duration, that day included)."""
        return add_duration(norm.date, self.within.amount, self.within.unit)

    def find(self, index: EarlierIndex, norm, b: Binding, end, as_of: dt.date):
        """(the breaching event or None, the last day missed or None, the binding), or None for no breach.

        `end`: the model.End that ended or discharged the norm, if any (whatever `as_of`)."""
        if self.later is not None:
            for nb in self.later.find(index, norm.trigger, b):
                e = nb[LATER]
                if e.date > as_of or (end is not None and not _before(e, end.event)):
                    break
                return e, None, nb
            return None
        due = self.deadline(norm)
        if due is None or due >= as_of or (end is not None and end.event.date <= due):
            return None
        return None, due, b

    def describe(self, breach, binding: Binding, name: Namer) -> str:
        """The step of an explanation: the event that breached the norm, or the deadline that passed."""
        if breach.trigger is not None:
            return f"then {event_words(breach.trigger, binding, self.later, name)} meets the rule's 'breached by " \
                   f"{self.later.event}'"
        return (f"nothing discharged it by {breach.missed.isoformat()} ({self.within} after "
                f"{breach.norm.date.isoformat()}): 'breached if not discharged within {self.within}'")

    def why_not(self, index: EarlierIndex, norm, b: Binding, end, as_of: dt.date, name: Namer) -> str:
        """Why a live or ended norm was not breached under this clause."""
        if self.later is not None:
            for nb in self.later.find(index, norm.trigger, b):
                e = nb[LATER]
                if e.date > as_of:
                    return f"{event_words(e, nb, self.later, name)} comes after {iso(as_of)}"
                return f"{event_words(e, nb, self.later, name)} came once the norm had {end.status}"
            said = self.later.why_not(b, norm.trigger, index, name)
            return said[1] if said else f"no {words(self.later.event)} meets it"
        due = self.deadline(norm)
        if end is not None and due is not None and end.event.date <= due:
            return f"{end.status} on {end.event.date.isoformat()}, by the deadline {due.isoformat()}"
        return (f"the deadline {iso(due) or 'never'} ({self.within} after {norm.date.isoformat()}) has not passed "
                f"on {iso(as_of)}")


LIFETIMES = (EndOfNorm, BreachOfNorm)
