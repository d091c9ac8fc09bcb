"""Procedures across events: `when deposit(by: S) after invitation(of: S) within 1 year such that ...`.

`EarlierEvent` holds the whole meaning of `after`: which earlier scenario events count (date on or before
the trigger's, within the duration if given, never the trigger itself), the link (the variables the two
patterns share), the `such that` conditions judged on the earlier event's date, the generated code, and the
words of explanations. `EarlierIndex` is what a handler looks earlier events up in: per event type, the
scenario's events sorted by date, so a lookup is a bisect.

Continuing situations (`until:` in a scenario): an event that began before entry into force and continues
on or after it is judged from entry into force (VCLT art. 28); as an earlier event its whole span counts.
"""

from __future__ import annotations

import bisect
import datetime as dt

from treatylang.infra.nodes import node

from treatylang.ir.conditions import Binding, Env, Namer
from treatylang.ir.patterns import Pattern
from treatylang.ir.unknown import OPEN
from treatylang.ir.wording import iso, words
from treatylang.source.dates import add_duration

ONGOING = dt.date.max  # `until: ongoing`
EARLIER = "@after"  # the binding key that holds the earlier event (not a variable name: never shown as one)


def judged_from(event, start: dt.date | None) -> dt.date | None:
    """The date an event is judged on: its own; entry into force for a situation continuing into it; None
    when it is not judged at all (before entry into force, and over by then)."""
    if start is None:
        return None
    if event.date >= start:
        return event.date
    until = event.until
    return start if until is not None and until >= start else None


def describe_until(until: dt.date) -> str:
    return "ongoing" if until == ONGOING else until.isoformat()


class EarlierIndex:
    """The scenario's events by type, sorted by date (file order within a date), for one evaluation pass.

    `at(date)` gives the members an earlier event's `such that` is judged against.
    """

    def __init__(self, events, start, at, kinds):
        self.start, self.at, self.kinds = start, at, kinds
        self.linked: dict = {}  # (earlier-event construct, link variables) -> link values -> {event: matches}
        self.events = events
        self._by_type: dict | None = None  # filed on the first look-up: an evaluation may need none

    @property
    def by_type(self) -> dict[str, tuple[list, list]]:
        if self._by_type is None:
            self._file()
        return self._by_type

    @property
    def continuing(self) -> dict[str, list]:
        """Events with `until`, by type: a window may reach them from far back."""
        if self._by_type is None:
            self._file()
        return self._continuing

    def _file(self) -> None:
        by_type: dict[str, tuple[list, list]] = {}
        continuing: dict[str, list] = {}
        for e in self.events:
            dates, evs = by_type.setdefault(e.type, ([], []))
            dates.append(e.date)
            evs.append(e)
            if e.until is not None:
                continuing.setdefault(e.type, []).append(e)
        for dates, evs in by_type.values():  # scenario events come sorted; keep it true for any caller
            if any(a > b for a, b in zip(dates, dates[1:])):
                order = sorted(range(len(evs)), key=lambda i: (dates[i], evs[i].index))
                evs[:] = [evs[i] for i in order]
                dates[:] = [dates[i] for i in order]
        self._by_type, self._continuing = by_type, continuing

    def with_members(self, at) -> "EarlierIndex":
        other = object.__new__(EarlierIndex)
        other.__dict__.update(self.__dict__)
        other.at = at
        return other


def _lower_bound(date: dt.date, within) -> dt.date:
    """A date on or before the earliest start an instant earlier event may have (exact for days and weeks)."""
    days = within.amount * {"day": 1, "week": 7, "month": 31, "year": 366}[within.unit]
    try:
        return date - dt.timedelta(days=days)
    except OverflowError:
        return dt.date.min


@node(eq=False)
class EarlierEvent:
    """`after PATTERN [within DURATION] [such that CONDITIONS]`: an earlier scenario event the rule needs."""

    pattern: Pattern
    within: object = None  # a syntax Duration, or None
    such_that: tuple = ()

    key = EARLIER  # where a binding holds the event found
    direction = "before"  # its date is on or before the trigger's

    @property
    def event(self) -> str:
        return self.pattern.event

    def in_window(self, e, date: dt.date) -> bool:
        """True when `e` began on or before `date` and (with `within`) `date` is at most the duration after
        its end: `within 30 days` includes the 30th day. A continuing event ends on its `until`."""
        if e.date > date:
            return False
        if self.within is None:
            return True
        end = e.until or e.date
        if end == ONGOING or end >= date:
            return True
        last = add_duration(end, self.within.amount, self.within.unit)
        return last is None or date <= last

    def candidates(self, event, index: EarlierIndex) -> list:
        """Earlier events of the type in the window, other than `event` itself, in date order."""
        found = index.by_type.get(self.event)
        if not found:
            return []
        dates, evs = found
        hi = bisect.bisect_right(dates, event.date)
        out = []
        lo = 0
        if self.within is not None:
            lower = _lower_bound(event.date, self.within)
            lo = bisect.bisect_left(dates, lower)
            out = [e for e in index.continuing.get(self.event, ()) if e.date < lower]  # spans reaching forward
        out += evs[lo:hi]
        return [e for e in out if e.index != event.index and self.in_window(e, event.date)]

    def env_of(self, e, index: EarlierIndex) -> Env | None:
        judged = judged_from(e, index.start)
        if judged is None:
            return None
        members, order = index.at(judged)
        return Env(judged, members, order, index.kinds, e, index.start, index)

    def find(self, index: EarlierIndex, event, b: Binding) -> list[Binding]:
        """Each binding extended by an earlier event that matches it and whose `such that` holds."""
        if index is None:
            return []
        out = []
        for e, matched in self.matching(event, index, b):
            if self.such_that:  # judged on the earlier event's date (its members then)
                env = self.env_of(e, index)
                if env is None:
                    continue
                matched = [nb for nb in matched if all(c.eval3(nb, env) for c in self.such_that)]
            elif judged_from(e, index.start) is None:
                continue
            for nb in matched:
                nb[self.key] = e
                out.append(nb)
        return out

    def matching(self, event, index: EarlierIndex, b: Binding):
        """(earlier event, the pattern's bindings on it that extend `b`), in date order, for the events in
        the window. The events of the type are matched once per evaluation, with nothing bound, and filed by
        the values of the variables `b` binds (the link): a request finds the attacks on its requester at
        once. A pattern that may test an unknown is matched afresh on each event in the window instead: a
        bound variable makes its test conditional, which an unbound match cannot see."""
        if self.unknowable:
            for e in self.candidates(event, index):
                matched = self.pattern.match(e.args, b)
                if matched:
                    yield e, matched
            return
        link = tuple(v for v in self.pattern.variables() if v in b)
        table = index.linked.get((id(self), link))
        if table is None:
            table = index.linked[(id(self), link)] = {}
            for e in (index.by_type.get(self.event) or ((), ()))[1]:
                for m in self.pattern.match(e.args):
                    table.setdefault(tuple(m[v] for v in link), {}).setdefault(e, []).append(m)
        for e, found in table.get(tuple(b[v] for v in link), {}).items():
            if e.index != event.index and self.in_window(e, event.date):
                yield e, [{**b, **m} for m in found]

    @property
    def unknowable(self) -> bool:
        return any(s.unknowable for s in self.pattern.steps)

    def expand(self, bindings: list, env: Env) -> list:
        """The interpreter's step: bindings after the earlier event (env.event is the trigger)."""
        out = []
        for b in bindings:
            out += self.find(env.earlier, env.event, b)
        return out

    def exists(self, index: EarlierIndex, event, b: Binding) -> bool:
        """Whether an earlier event gives `b` a binding (the rule reads none of the variables it binds)."""
        return bool(self.find(index, event, b))

    def emit(self, gx, scope, bind: bool = True) -> None:
        """A loop over the earlier events' bindings, the variables only the earlier pattern binds read from
        them; or, when the rest of the rule reads none of them (`bind` False), one test that one exists."""
        shared = [v for v in self.pattern.variables() if v in scope.vars]
        given = "{" + ", ".join(f"{gx.const(v)}: {scope.vars[v]}" for v in shared) + "}"
        if not bind:
            return gx.test(f"{gx.const(self)}.exists(earlier, ev, {given})")
        x = scope.fresh("after")
        gx.loop(x, f"{gx.const(self)}.find(earlier, ev, {given})")
        scope.loops.add(x)
        for v in self.pattern.variables():
            if v not in scope.vars:
                scope.vars[v] = f"{x}[{gx.const(v)}]"
        scope.vars[EARLIER] = f"{x}[{gx.const(EARLIER)}]"

    def _window(self) -> str:
        return f" (within {self.within.amount} {self.within.unit}{'s' if self.within.amount != 1 else ''})" \
            if self.within is not None else ""

    def describe(self, b: Binding, index: EarlierIndex | None, name: Namer) -> list[str]:
        """The steps an explanation shows: the earlier event, then each `such that` as it held."""
        e = b.get(EARLIER)
        if e is None:
            return []
        until = e.until
        span = "" if until is None else ", still ongoing" if until == ONGOING else f", continuing until {until.isoformat()}"
        steps = [f"after the {words(e.type)} {e.id} on {e.date.isoformat()}{span}{self._window()}"]
        env = self.env_of(e, index) if index is not None else None
        if env is not None:
            steps += [f"condition held on {iso(env.date)}: {c.describe(b, env, name)}" for c in self.such_that]
        return steps

    def why_not(self, b: Binding, event, index: EarlierIndex | None, name: Namer) -> tuple[str, str] | None:
        """Why no earlier event gave the rule a binding from `b`: none of the type and link; one too long
        before; or its `such that` failed. None when one does."""
        if self.find(index, event, b):
            return None
        link = {v: b[v] for v in self.pattern.variables() if v in b}
        args = self.pattern.variables()
        shown = ", ".join(f"{words(args[v])}: {name(x)}" for v, x in link.items())
        what = f"{words(self.event)}{f' ({shown})' if shown else ''}"
        found = (index.by_type.get(self.event) if index is not None else None) or ([], [])
        side = (lambda e: e.date >= event.date) if self.direction == "after" else (lambda e: e.date <= event.date)
        linked = [e for e in found[1] if e.index != event.index and side(e) and self.pattern.match(e.args, b)]
        if not linked:
            return "no", f"no {what} on or {self.direction} {event.date.isoformat()}"
        late = [e for e in linked if not self.in_window(e, event.date)]
        if len(late) == len(linked):
            e = late[-1]
            end = e.until
            days = (event.date - (end or e.date)).days
            said = f"ended on {end.isoformat()}, {days} days before" if end else f"was {days} days before"
            return "no", (f"the {words(e.type)} {e.id} {said}, more than "
                          f"{self.within.amount} {self.within.unit}{'s' if self.within.amount != 1 else ''}")
        for e in linked:
            if e in late:
                continue
            env = self.env_of(e, index)
            if env is None:
                return "no", f"the {words(e.type)} {e.id} on {e.date.isoformat()} is before entry into force"
            for nb in self.pattern.match(e.args, b):
                for c in self.such_that:
                    said = c.why_not(nb, env, name)
                    if said:
                        lead = "after the" if self.direction == "before" else "the"
                        return said[0], f"{lead} {words(e.type)} {e.id} on {e.date.isoformat()}: {said[1]}"
        return "no", f"no {what} on or {self.direction} {event.date.isoformat()} fits"


LATER = "@later"  # the binding key that holds the later event a norm's lifetime clause found


@node(eq=False)
class LaterEvent(EarlierEvent):
    """A later scenario event linked to a norm by the variables they share: what ends, performs or breaches
    it (ir/lifetimes.py). The same matcher as `after`, looking forward: on or after the norm's date (the
    same day included, in any file order), never the norm's own event; `such that` is judged on its date."""

    key = LATER
    direction = "after"

    def in_window(self, e, date: dt.date) -> bool:
        return e.date >= date

    def candidates(self, event, index: EarlierIndex) -> list:
        dates, evs = index.by_type.get(self.event) or ([], [])
        return [e for e in evs[bisect.bisect_left(dates, event.date):] if e.index != event.index]

    def find(self, index: EarlierIndex, event, b: Binding) -> list[Binding]:
        """As `after` finds, less the bindings that hold only on facts the scenario leaves open (an event that
        may not match ends or breaches nothing)."""
        return [nb for nb in super().find(index, event, b) if OPEN not in nb]

    def first(self, index: EarlierIndex, event, b: Binding):
        """(the earliest later event that matches `b`, its binding), or None."""
        found = self.find(index, event, b)
        return (found[0][LATER], found[0]) if found else None


PROCEDURES = (EarlierEvent,)
