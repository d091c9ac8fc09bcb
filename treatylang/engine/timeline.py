"""Who is a member on which date: entry into force, then every change of membership (pass 1 of evaluation).

Same-day rule (a contract, docs/time.md): the membership changes that events of one date would make are
all judged against the membership at the start of that date (after every change taking effect on it from
earlier events, before any change made by events of that date), then applied together. So two States
acceding on one day, each approved by every member, both join, whatever the order of the scenario's lines.
"""

from __future__ import annotations

import bisect
import datetime as dt
from itertools import groupby
from operator import attrgetter, itemgetter

from treatylang.ir.conditions import Env
from treatylang.ir.procedures import EarlierIndex
from treatylang.ir.unknown import OPEN
from treatylang.model import Effect


DATES_REMEMBERED = 64  # answers of `Timeline.at` one timeline keeps


class Timeline:
    """The parties from entry into force, then each effect in order. Only build_timeline changes one, while
    it builds it: results may then share it (see there)."""

    _EMPTY = (frozenset(), ())
    changes: list | tuple = ()  # (from, order, party, change): a list from the first change (most have none)

    def __init__(self, parties, start: dt.date | None, initial: tuple | None = None, end: dt.date | None = None):
        self.parties = tuple(parties)
        self.start = start
        self.end = end if start is not None and end is not None and end > start else None  # `terminated`
        self.initial = initial or (frozenset(self.parties), tuple(sorted(self.parties)))
        self.day_start: dict = {}  # date -> the members its membership events were judged against
        self.sources: dict = {}  # (party, date, change) -> "joined" | "left" | "members": changes no rule made
        self._cache = None
        self._on: dict = {}  # date -> `at(date)`, remembered: evaluation asks for the same dates again and again

    def add(self, party: str, change: str, start: dt.date, source: str | None = None) -> None:
        """`source`: where a change not made by a rule comes from (`joined` or `members`), for why-not."""
        if not self.changes:
            self.changes = []
        self.changes.append((start, len(self.changes), party, change))
        if source is not None:
            self.sources[(party, start, change)] = source
        self._cache = None
        self._on = {}

    def set_members(self, date: dt.date, members) -> None:
        """The scenario's `members:` on `date`: whoever else was a member leaves, whoever is listed joins."""
        now = self.at(date)[0]
        for party in sorted(set(members) - now):
            self.add(party, "joins", date, "members")
        for party in sorted(now - set(members)):
            self.add(party, "leaves", date, "members")

    def declared_change(self, party: str, after: dt.date | None = None):
        """(date, change, source) of the first change of `party` that the treaty's `joined` or the scenario's
        `members:` made (after `after`, when given), or None."""
        for start, _, who, change in self._segments()[2]:
            source = self.sources.get((who, start, change))
            if who == party and source is not None and (after is None or start > after):
                return start, change, source
        return None

    def _segments(self):
        """(dates, members from each, the changes in order), made once per change."""
        if self._cache is None:
            members = set(self.parties)
            dates: list[dt.date] = []
            snapshots = []
            ordered = sorted(self.changes)
            for start, _, party, change in ordered:
                if change == "joins":
                    members.add(party)
                else:
                    members.discard(party)
                snapshot = (frozenset(members), tuple(sorted(members)))
                if dates and dates[-1] == start:
                    snapshots[-1] = snapshot
                else:
                    dates.append(start)
                    snapshots.append(snapshot)
            self._cache = (dates, snapshots, ordered)
        return self._cache

    def at(self, date: dt.date | None) -> tuple[frozenset, tuple]:
        """The members on `date` (a set and the same sorted), empty before entry into force and from the
        treaty's termination on."""
        found = self._on.get(date)
        if found is None:
            found = self._members_on(date)
            if len(self._on) < DATES_REMEMBERED:
                self._on[date] = found
        return found

    def _members_on(self, date: dt.date | None) -> tuple[frozenset, tuple]:
        if date is None or self.start is None or date < self.start or (self.end is not None and date >= self.end):
            return self._EMPTY
        if not self.changes:
            return self.initial
        dates, snapshots, _ = self._segments()
        i = bisect.bisect_right(dates, date)
        return snapshots[i - 1] if i else self.initial

    def member_since(self, party: str, date: dt.date) -> dt.date | None:
        """The first day of the membership period that includes `date`."""
        if party not in self.at(date)[0]:
            return None
        since = self.start if party in self.parties else None
        for start, _, who, change in self._segments()[2]:
            if start > date:
                break
            if who == party:
                since = start if change == "joins" else None
        return max(since, self.start) if since is not None else self.start

    def at_start_of(self, date: dt.date) -> tuple[frozenset, tuple]:
        """The members a membership event of `date` is judged against (the same-day rule)."""
        return self.day_start.get(date) or self.at(date)

    def history(self) -> list[tuple[dt.date, str, str]]:
        return [(start, party, change) for start, _, party, change in self._segments()[2]]


MEMO_LIMIT = 4_096  # timelines a treaty remembers (engine.timeline.build_timeline) before it starts again


def build_timeline(treaty, scenario) -> tuple[Timeline, list[Effect]]:
    """Entry into force and every change of membership, date by date (see the same-day rule above).

    A timeline is not changed once built, so scenarios that must have the same one share it: one with no
    membership event and no `members:`, under a treaty in force on a fixed date, has the one timeline its
    treaty then has (evaluation's common case); and scenarios whose membership events are the same (what
    `treaty verify` and `treaty classify` try: many events after the same ones) share one, remembered by
    the treaty (`_shared_key` says when that holds).
    """
    rules = treaty.membership_rules
    changing = [e for e in scenario.events if e.type in rules] if rules else ()
    quiet = not scenario.members and not changing
    if quiet and treaty.entry_into_force.fixed:
        shared = treaty.quiet_timeline
        if shared is None:
            shared = treaty.quiet_timeline = _entry_timeline(treaty, scenario.events)
        return shared, []
    key = _shared_key(treaty, scenario, changing) if not quiet else None
    if key is not None:
        found = treaty.timelines.get(key)
        if found is not None and found[0] is scenario.kinds:
            return found[1], list(found[2])
    timeline, effects = _changes(treaty, scenario, quiet)
    if key is not None:
        if len(treaty.timelines) >= MEMO_LIMIT:  # bounded memory
            treaty.timelines.clear()
        treaty.timelines[key] = (scenario.kinds, timeline, tuple(effects))  # kinds kept: its id stays its own
    return timeline, effects


def _shared_key(treaty, scenario, changing):
    """What a scenario's timeline depends on, when that is only its membership events (`changing`) and the
    actors' kinds (object identity: scenarios of one space share theirs): the treaty in force on a fixed
    date, no `members:`, no membership rule reading earlier events (`after`), no membership event naming a
    place (`CompiledTreaty.membership_places`). None otherwise, or for an argument that cannot be compared."""
    if scenario.members or treaty.membership_after or treaty.membership_places or not treaty.entry_into_force.fixed:
        return None
    try:
        return id(scenario.kinds), tuple([(e.id, e.index, e.type, e.date, e.until, e.since, tuple(e.args.items()))
                                          for e in changing])
    except TypeError:  # an unhashable argument
        return None


def _changes(treaty, scenario, quiet: bool) -> tuple[Timeline, list[Effect]]:
    """The timeline made anew: entry into force, then the changes of membership day by day."""
    rules = treaty.membership_rules
    timeline = _entry_timeline(treaty, scenario.events)
    effects: list[Effect] = []
    if timeline.start is None or quiet:
        return timeline, effects
    end = timeline.end
    relevant = [e for e in scenario.events if e.type in rules and e.date >= timeline.start
                and (end is None or e.date < end)] if rules else ()
    if not (relevant or scenario.members):
        return timeline, effects
    # the scenario's `members:` on a date (one before entry into force counts from it), before that date's events
    snapshots = {max(d, timeline.start): ids for d, ids in scenario.members}
    if not rules:
        for date in sorted(snapshots):
            timeline.set_members(date, snapshots[date])
        return timeline, effects
    kinds = scenario.kinds
    earlier = None
    if treaty.membership_after:
        # `after`: an earlier event's `such that` sees the members at the start of its day, as its own
        # membership events do (docs/time.md)
        earlier = EarlierIndex(scenario.events, timeline.start, timeline.at_start_of, kinds)
    days = [(date, list(same_day)) for date, same_day in groupby(relevant, key=_date_of)]
    if snapshots:
        days = sorted(days + [(d, []) for d in snapshots if d not in {day for day, _ in days}], key=_first)
    for date, same_day in days:
        if date in snapshots:
            timeline.set_members(date, snapshots[date])
        members, order = timeline.at(date)  # the start of the day: nothing of this date applied yet
        timeline.day_start[date] = (members, order)
        made = []
        for event in same_day:
            env = Env(date, members, order, kinds, event, timeline.start, earlier)
            for rule in rules[event.type]:
                concluded = set()  # with `after`, several earlier events may give the same change: one effect
                for full in rule.bindings(event.args, env):
                    if OPEN in full:
                        continue  # a change of membership is never conditional: an unknown fact changes nothing
                    who, begins = rule.conclusion.apply(full, date, timeline.start)
                    if rule.after is not None:
                        if (who, begins) in concluded:
                            continue
                        concluded.add((who, begins))
                    if begins is None:
                        continue  # takes effect after 9999-12-31: never (docs/time.md, durations)
                    change = rule.conclusion.change
                    if change == "leaves" and _already_leaving(effects + made, who, date):
                        continue  # a second notice during a notice period starts nothing new
                    made.append(Effect(who, change, begins, rule.article, rule.name, event.id, date, rule, full,
                                       event, order))
        for effect in made:
            timeline.add(effect.party, effect.change, effect.start)
        effects.extend(made)
    return timeline, effects


_date_of, _first = attrgetter("date"), itemgetter(0)


def _entry_timeline(treaty, events) -> Timeline:
    """Entry into force, and the joins and departures the treaty declares or its counting gives."""
    start, first, joins = treaty.entry(events)
    timeline = Timeline(first, start, treaty.initial_members if first == treaty.signatories else None,
                        treaty.terminated)
    if joins:
        declared = dict(treaty.joined)
        for party, date in joins:  # later ratifications, and parties the treaty declares `joined DATE`
            if date is not None:  # None: bound only after 9999-12-31, never
                timeline.add(party, "joins", date, "joined" if party in declared else None)
    for party, date in treaty.left:  # parties the treaty declares `left DATE`: from DATE on, not members
        if timeline.start is not None:
            timeline.add(party, "leaves", max(date, timeline.start), "left")
    return timeline


def _already_leaving(effects: list, party: str, date: dt.date) -> bool:
    """True when `party` has given notice that takes effect after `date` and has not rejoined since."""
    pending = False
    for e in effects:
        if e.party == party:
            pending = e.change == "leaves" and e.start > date
    return pending
