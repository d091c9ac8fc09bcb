"""Entry into force: from which date, and for which parties, the treaty binds."""

from __future__ import annotations

import datetime as dt

import attrs

from treatylang.source.dates import add_duration


@attrs.frozen(slots=False)
class OnDate:
    """`in force on signature` or `in force on DATE`: every party is bound from that date."""

    date: dt.date | None

    fixed = True

    def entry(self, events, parties: tuple) -> tuple[dt.date | None, tuple, list]:
        return self.date, parties, []

    def describe(self) -> str:
        return f"in force on {self.date.isoformat()}" if self.date else "never in force (no date)"


@attrs.frozen(slots=False)
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

    fixed = False
    date = None

    def _later(self, date: dt.date) -> dt.date:
        return add_duration(date, self.delay.amount, self.delay.unit) if self.delay else date

    def entry(self, events, parties: tuple) -> tuple[dt.date | None, tuple, list]:
        ratified: dict[str, dt.date] = {}
        for e in events:
            who = e.args.get(self.actor_arg) if self.actor_arg and e.type == self.event else None
            if who in parties and who not in ratified:
                ratified[who] = e.date
        if self.count < 1 or len(ratified) < self.count:
            return None, (), []
        order = sorted(ratified, key=lambda p: ratified[p])
        start = self._later(ratified[order[self.count - 1]])
        if start is None:  # the delay ends after 9999-12-31: never in force (source/dates.py)
            return None, (), []
        later = {p: self._later(ratified[p]) for p in order}  # None: bound only after 9999-12-31, never
        first = tuple(p for p in order if later[p] is not None and later[p] <= start)
        joins = [(p, later[p]) for p in order if p not in first and later[p] is not None]
        return start, first, joins

    def describe(self) -> str:
        delay = f"{self.delay} after " if self.delay else "after "
        return f"in force {delay}{self.count} {self.event} events (distinct parties)"


ENTRIES = (OnDate, AfterRatifications)
