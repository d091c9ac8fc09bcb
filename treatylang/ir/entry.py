"""Entry into force: from which date, and for which parties, the treaty binds."""

from __future__ import annotations

import datetime as dt

from treatylang.infra.nodes import node

from treatylang.ir.wording import words
from treatylang.source.dates import add_duration


@node
class OnDate:
    """`in force on signature` or `in force on DATE`: every party is bound from that date."""

    date: dt.date | None

    fixed = True

    def entry(self, events, parties: tuple) -> tuple[dt.date | None, tuple, list]:
        return self.date, parties, []

    def describe(self) -> str:
        return f"in force on {self.date.isoformat()}" if self.date else "never in force (no date)"

    def why_not(self, events, parties: tuple, date: dt.date, name) -> str:
        """Why the treaty was not in force on `date`, in words."""
        return f"it enters into force on {self.date.isoformat()}" if self.date else "it states no date of entry into force"


@node
class AfterRatifications:
    """`in force 30 days after 2 ratification events`.

    The treaty binds the parties that ratified by the Nth (counting distinct parties: a second
    ratification, or an outsider's, counts for nothing) from that date plus the delay; a party that
    ratifies later is bound from its own ratification plus the same delay.
    """

    count: int
    event: str
    actor_arg: str | None  # the event's single-valued actor argument: who ratifies
    delay: object = None  # a syntax Duration, or None
    including: tuple = ()  # `including belgium, canada`: parties that must be among those that ratified
    entered: dt.date | None = None  # `entered DATE`: the recorded date, for a scenario that states no such event

    fixed = False
    date = None

    def _later(self, date: dt.date) -> dt.date:
        return add_duration(date, self.delay.amount, self.delay.unit) if self.delay else date

    def _ratified(self, events, parties: tuple) -> dict:
        """Each party's first ratification date (an outsider's counts for nothing)."""
        ratified: dict[str, dt.date] = {}
        for e in events:
            who = e.args.get(self.actor_arg) if self.actor_arg and e.type == self.event else None
            if who in parties and who not in ratified:
                ratified[who] = e.date
        return ratified

    def entry(self, events, parties: tuple) -> tuple[dt.date | None, tuple, list]:
        if self.entered is not None and not any(e.type == self.event for e in events):
            return self.entered, parties, []  # the history the treaty records: every signatory from that date
        ratified = self._ratified(events, parties)
        if self.count < 1 or len(ratified) < self.count or any(p not in ratified for p in self.including):
            return None, (), []
        order = sorted(ratified, key=lambda p: ratified[p])
        # the day both hold: N distinct parties have ratified, and every named party among them
        start = self._later(max((ratified[order[self.count - 1]], *(ratified[p] for p in self.including))))
        if start is None:  # the delay ends after 9999-12-31: never in force (source/dates.py)
            return None, (), []
        later = {p: self._later(ratified[p]) for p in order}  # None: bound only after 9999-12-31, never
        first = tuple(p for p in order if later[p] is not None and later[p] <= start)
        joins = [(p, later[p]) for p in order if p not in first and later[p] is not None]
        return start, first, joins

    def describe(self) -> str:
        delay = f"{self.delay} after " if self.delay else "after "
        including = f" including {', '.join(self.including)}" if self.including else ""
        entered = (f" (entered into force on {self.entered.isoformat()}, the date recorded for a scenario that "
                   f"states no {self.event} event)") if self.entered else ""
        return f"in force {delay}{self.count} {self.event} events (distinct parties){including}{entered}"

    def why_not(self, events, parties: tuple, date: dt.date, name) -> str:
        """Why the treaty was not in force on `date`: too few ratifications by then, a named party missing,
        or the delay still running."""
        ratified = {p: d for p, d in self._ratified(events, parties).items() if d <= date}
        missing = [p for p in self.including if p not in ratified]
        said = []
        if len(ratified) < self.count:
            said.append(f"{len(ratified)} of the {self.count} {self.event} events needed had happened")
        if missing:
            verb = "had"
            names = [name(p) for p in missing]
            said.append(f"{', '.join(names[:-1]) + ' and ' if len(names) > 1 else ''}{names[-1]} {verb} not ratified")
        if not said:
            order = sorted(ratified, key=lambda p: ratified[p])
            last = max((ratified[order[self.count - 1]], *(ratified[p] for p in self.including)))
            return f"the {self.delay} from the {words(self.event)} that completed them, on {last.isoformat()}, had not run"
        return " and ".join(said)


ENTRIES = (OnDate, AfterRatifications)
