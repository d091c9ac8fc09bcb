"""The data every stage hands on: scenario events and actors, deemed facts, and results.

Plain data: nothing here evaluates, explains or renders. The engine fills a Result; explanations and
renderers read it.
"""

from __future__ import annotations

import datetime as dt
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Callable, NamedTuple

import attrs

from treatylang.ir.unknown import UNKNOWN, Open, open_set  # noqa: F401 (results carry them)
from treatylang.ir.wording import TOGETHER

if TYPE_CHECKING:  # types only: the model sits below the stages that fill it
    from treatylang.ir.rules import Rule as CompiledRule
    from treatylang.ir.treaty import CompiledTreaty

ACTOR_KINDS = ("state", "organization", "armed_group")


def iso(d: dt.date | None) -> str | None:
    """A date as results show it (ISO 8601), None kept: the one date format of rows, JSON and reports."""
    return d.isoformat() if d is not None else None


class Event:
    """A scenario event (a deemed fact is a Fact; both have `parent` and `deemed_by`, None here).

    `args` holds every parameter of the event's type (None for an optional one left out, () for an empty
    list, the default for an enumeration): the generated handlers read them without checking.
    """

    __slots__ = ("id", "type", "date", "args", "index", "span", "deemed_by", "parent", "binding", "until", "since",
                 "reading")

    def __init__(self, id, type, date, args, index, span=None, deemed_by=None, parent=None, binding=None,
                 until=None, since=None, reading=None):
        self.id = id
        self.type = type
        self.date = date
        self.args = args
        self.index = index
        self.span = span
        self.deemed_by = deemed_by
        self.parent = parent
        self.binding = binding
        self.until = until  # a continuing situation's last day (dt.date.max: ongoing), else None
        self.since = since  # set on the copy judged from entry into force: the day the situation began
        self.reading = reading  # the ir.vocabulary.EventReading it was stated through (a vocabulary's term), if any

    def judged_on(self, date: dt.date) -> "Event":
        """This continuing situation as judged from `date` (entry into force; VCLT art. 28)."""
        return Event(self.id, self.type, date, self.args, self.index, self.span, until=self.until, since=self.date,
                     reading=self.reading)

    def __repr__(self) -> str:
        return f"<{self.type} {self.id} {self.date}>"


class Fact:
    """A fact a rule deemed from a scenario event (or from another fact): dated and identified like its event."""

    __slots__ = ("id", "type", "date", "args", "index", "span", "deemed_by", "parent", "binding", "until", "since")

    def __init__(self, root, type, args, deemed_by, parent, binding):
        self.id = root.id
        self.type = type
        self.date = root.date
        self.args = args
        self.index = root.index
        self.until = root.until
        self.since = root.since
        self.span = None
        self.deemed_by = deemed_by  # the IR rule that deemed it
        self.parent = parent  # the event or fact that rule matched
        self.binding = binding  # that rule's variables

    def __repr__(self) -> str:
        return f"<fact {self.type} from {self.id}>"


@attrs.frozen
class Actor:
    id: str
    name: str
    kind: str


def _names_of(scenario: Scenario) -> dict:
    return {name.casefold(): a.id for a in scenario.actors.values() for name in (a.id, a.name)}


@attrs.frozen
class Scenario:
    """A validated scenario, bound to the treaty it was validated against (`treaty`; None when generated)."""

    title: str
    file: str
    events: tuple  # of Event, in (date, file order)
    actors: dict = attrs.field(factory=dict, eq=False)  # id -> Actor, scenario-declared only
    as_of: dt.date | None = None
    note: str | None = None
    treaty: CompiledTreaty | None = attrs.field(default=None, eq=False, repr=False)
    treaty_path: str | None = None  # the file its `treaty:` key names, if any
    kinds: dict = attrs.field(factory=dict, eq=False, repr=False)  # every actor id -> kind (ir.places.World)
    places: dict = attrs.field(factory=dict, eq=False, repr=False)  # the scenario's own places: id -> name
    # the names of the scenario's own actors (id, name, aka), casefolded -> id
    names: dict = attrs.field(default=attrs.Factory(_names_of, takes_self=True), eq=False, repr=False)
    members: tuple = ()  # the scenario's `members:`: (date, ids), the members on that date, in date order

    def resolve_actor(self, name: str, treaty: CompiledTreaty | None = None) -> str | None:
        """The id of the actor `name` names (an id, alias or display name, any case), or None."""
        return resolve_actor(name, treaty if treaty is not None else self.treaty, self.names)

    def known_actors(self, treaty: CompiledTreaty | None = None) -> list[str]:
        """Every actor id a name may resolve to (the treaty's, then the scenario's), sorted: for did-you-mean."""
        return known_actors(treaty if treaty is not None else self.treaty, self.actors)


def resolve_actor(name: str, treaty: CompiledTreaty | None, names: dict) -> str | None:
    """Actor resolution, the one definition: the treaty's names first, then a scenario's own (`names`)."""
    key = name.strip().casefold()
    found = treaty.resolve_actor(key) if treaty is not None else None
    return found if found is not None else names.get(key)


def known_actors(treaty: CompiledTreaty | None, actors) -> list[str]:
    return sorted(set(treaty.aliases.values() if treaty is not None else ()) | set(actors))


def _version(rule) -> str | None:
    """The date range of the article version a rule is in (`from 1952-02-15`), or None for an undated article."""
    version = getattr(rule, "version", None)
    return version.range() if version is not None else None


def _of_rule(attribute: str, doc: str = "") -> property:
    """A field read from the conclusion's rule: results stay one small tuple each."""
    return property(lambda self: getattr(self.source, attribute), doc=doc)


def _span_of(event) -> dict:
    """A continuing situation's keys in a row: `until` (a date or "ongoing") and, when it began before the
    date it is judged from (entry into force), `since`. Nothing for an ordinary event."""
    until = event.until if event is not None else None  # None: a standing norm
    if until is None:
        return {}
    out = {"until": "ongoing" if until == dt.date.max else until.isoformat()}
    if event.since is not None:
        out["since"] = event.since.isoformat()
    return out


class End(NamedTuple):
    """How a norm ended on or before `as_of`: the later event an `ends when` or `discharged by` clause found."""

    status: str  # ended | discharged
    event: Event
    clause: Any  # the ir.lifetimes.EndOfNorm
    binding: dict  # the norm's binding, extended by the event's


def _built_from_one_tuple(cls):
    """The namedtuple `cls`, remade so that `cls((field, ...))` builds one with the tuple's own constructor.

    The generated handlers build one per conclusion, millions on a large scenario; a namedtuple's
    constructor (one argument per field) is a Python call, `tuple.__new__(cls, fields)` a slower C one
    than the type's own. The class is made anew without `__new__` (removing it from a class leaves the
    slow path in place); copies and pickles pass the fields as one tuple; `_make` and `_replace` work as
    before.
    """
    body = {k: v for k, v in vars(cls).items() if k not in ("__new__", "__getnewargs__", "__dict__", "__weakref__")}
    body["__getnewargs__"] = _fields_tuple
    return type(cls.__name__, (tuple,), body)


def _fields_tuple(self) -> tuple:
    return (tuple(self),)


@_built_from_one_tuple
class Norm(NamedTuple):
    """A norm borne by a member. Compact: what the rule says (modality, action, article...) is read from it.

    Built from one tuple, every field given: `Norm((bearer, counterparty, source, trigger, date, end))`."""

    bearer: str
    counterparty: str | None
    source: CompiledRule
    trigger: Event | None  # the scenario event (None for a standing norm); derivations are rebuilt on demand
    date: dt.date  # the event's date, or for a standing norm the first day it binds the bearer
    end: End | None = None  # set by the lifetime pass (engine/lifetimes.py) when it ended by `as_of`

    modality = _of_rule("modality", "obligation | permission | prohibition")
    action = _of_rule("action")
    article = _of_rule("article")
    rule = _of_rule("name", "the rule's name")
    @property
    def means(self) -> tuple:
        """As the rule writes them, or (`means from`) as the triggering event's decision sets them."""
        return self.source.conclusion.means_of(self.trigger)

    @property
    def event(self) -> str | None:
        return self.trigger.id if self.trigger is not None else None

    @property
    def means_in_order(self) -> bool:
        return self.source.conclusion.means_in_order

    @property
    def means_all(self) -> bool:
        return self.source.conclusion.means_all

    @property
    def means_including(self) -> tuple:
        return self.source.conclusion.means_including

    @property
    def purpose(self) -> str | None:
        return self.source.conclusion.purpose

    @property
    def preposition(self) -> str | None:
        return self.source.conclusion.preposition

    def row(self, together: tuple | None = None) -> dict:
        """The norm as plain data: its entry in `norms` or `standing` of DESIGN §5 (without `because`).

        `together`: for a collective norm (bearer "members"), the members on its date, listed after `bearer`.
        """
        who = {"bearer": self.bearer} if together is None else {"bearer": self.bearer, "together": list(together)}
        return {**who, "modality": self.modality, "action": self.action,
                "counterparty": self.counterparty, "article": self.article,
                "article_version": _version(self.source), "rule": self.rule, "event": self.event, "date": iso(self.date),
                **_span_of(self.trigger), "means": list(self.means),
                "means_in_order": self.means_in_order, "means_all": self.means_all,
                "means_including": list(self.means_including), "purpose": self.purpose,
                **(_LIVE if self.end is None else _end_of(self.end))}

    def key(self) -> tuple:
        """The fields of `row()` named by NORM_ROW_KEYS, in that order, built directly: `treaty verify`
        compares millions of them. tests/test_testing.py checks it against `row()` on every casebook case."""
        bearer, counterparty, source, trigger, date, end = self
        said = source.conclusion  # what the rule's `modality` and `action` read
        return (bearer, said.modality, said.action, counterparty, source.article, source.name,
                None if trigger is None else trigger.id, None if date is None else date.isoformat(),
                *(_LIVE_KEY if end is None else (end.status, iso(end.event.date), end.event.id)))


_LIVE = {"status": "live", "ended": None, "ended_by": None}  # a norm's lifetime keys, while it is live
_LIVE_KEY = ("live", None, None)  # the same, in `Norm.key`


def _end_of(end: End) -> dict:
    """A norm's lifetime keys once it ended: `status` ended | discharged, and the date and event that did it."""
    return {"status": end.status, "ended": iso(end.event.date), "ended_by": end.event.id}


@_built_from_one_tuple
class Breach(NamedTuple):
    """Conduct a standing norm forbids, by its author; or the breach of a norm an event gave rise to (`norm`):
    by a later event (`trigger`), or by letting its deadline pass (`missed`, the last day, and no event).
    Built from one tuple: `Breach((party, source, trigger, norm, missed))`."""

    party: str
    source: CompiledRule
    trigger: Event | None
    norm: Norm | None = None  # the norm breached, when an event gave rise to it (engine/lifetimes.py)
    missed: dt.date | None = None  # the last day to discharge it, for a breach by delay

    article = _of_rule("article")
    rule = _of_rule("name", "the rule's name")

    @property
    def event(self) -> str | None:
        return self.trigger.id if self.trigger is not None else None

    @property
    def date(self) -> dt.date:
        """The day of the breaching event, or the first day after the deadline."""
        return self.trigger.date if self.trigger is not None else self.missed + dt.timedelta(days=1)

    def row(self) -> dict:
        """The breach as plain data: its entry in `breaches` of DESIGN §5 (without `because`)."""
        norm = self.norm
        return {"party": self.party, "article": self.article, "article_version": _version(self.source),
                "rule": self.rule, "event": self.event, "date": iso(self.date), **_span_of(self.trigger),
                "modality": self.source.modality, "norm_event": norm.event if norm is not None else None,
                "deadline": iso(self.missed)}

    def key(self) -> tuple:
        """The fields of `row()` named by BREACH_ROW_KEYS, in that order, built directly (as `Norm.key`)."""
        party, source, trigger, norm, missed = self
        return (party, source.article, source.name, None if trigger is None else trigger.id, self.date.isoformat(),
                None if norm is None or norm.trigger is None else norm.trigger.id,
                None if missed is None else missed.isoformat())


class Effect(NamedTuple):
    party: str
    change: str  # joins | leaves
    start: dt.date  # the first day the change holds
    article: str
    rule: str
    event: str
    date: dt.date  # the event's date
    source: CompiledRule
    binding: dict
    origin: Event
    members_before: tuple  # the members the rule saw (before this change)

    def row(self) -> dict:
        """The effect as plain data: its entry in `effects` of DESIGN §5 (without `because`)."""
        return {"party": self.party, "change": self.change, "from": iso(self.start), "article": self.article,
                "article_version": _version(self.source), "rule": self.rule, "event": self.event, "date": iso(self.date)}

    def key(self) -> tuple:
        """The fields of `row()` named by EFFECT_ROW_KEYS, in that order, built directly (as `Norm.key`)."""
        return (self.party, self.change, iso(self.start), self.article, self.rule, self.event)


@_built_from_one_tuple
class Conditional(NamedTuple):
    """A norm or breach that holds if the open facts hold (each an Open); `item` is the Norm or Breach.
    Built from one tuple: `Conditional((item, depends_on))`."""

    item: Any
    depends_on: tuple

    @property
    def kind(self) -> str:
        return "norm" if isinstance(self.item, Norm) else "breach"

    @property
    def key(self) -> tuple:
        i = self.item
        return (i.source.index, i.bearer, i.counterparty) if isinstance(i, Norm) else ("breach", i.source.index, i.party)

    @property
    def event(self) -> str:
        return self.item.event

    @property
    def date(self) -> dt.date:
        return self.item.date

    @property
    def source(self):
        return self.item.source

    @property
    def who(self) -> str:
        """The bearer of a conditional norm, the party of a conditional breach."""
        return self.item.bearer if isinstance(self.item, Norm) else self.item.party

    def row(self, together: tuple | None = None) -> dict:
        """The entry in `conditional`: the usual row of its kind, the kind, and what it depends on."""
        own = self.item.row(together) if together is not None else self.item.row()
        return {"kind": self.kind, **own,
                "depends_on": [{"event": self.item.event, "fact": o.fact, "argument": o.arg,
                                "among": o.among, "wanted": list(o.wanted)} for o in self.depends_on]}


_first = itemgetter(0)


def settle_conditional(found, norms, breaches) -> list:
    """The conditional conclusions of one event to report: each (conclusion, open facts) once, none also
    established (`norms`, `breaches`: the event's own), and none whose open facts include another
    alternative's for the same conclusion (it says no more).

    Within one event a Norm or Breach tuple stands for its conclusion (rule, bearer, counterparty; the event
    and its date are the same), so tuple hashing does the work. Open facts come as `open_set` tuples (one
    order), so equal sets are equal tuples."""
    items = set(map(_first, found))
    if len(items) == len(found) and items.isdisjoint(norms) and items.isdisjoint(breaches):
        return list(found)  # the usual case: each conclusion once, none established
    alts = dict.fromkeys(found)  # each (conclusion, open facts) once, the first first
    established = items.intersection(norms) | items.intersection(breaches)
    by_item: dict = {}  # conclusion -> its alternatives, the first first
    for c in alts:
        if c[0] not in established:
            by_item.setdefault(c[0], []).append(c)
    out = []
    for cs in by_item.values():
        if len(cs) == 1:
            out.append(cs[0])
            continue
        sets = [frozenset(c[1]) for c in cs]
        out += [c for c, s in zip(cs, sets) if not any(other < s for other in sets)]
    return out


class Selection(NamedTuple):
    """What a view of a result keeps (`Result.select`): bearer ids and article numbers, None for all."""

    bearers: frozenset | None
    articles: frozenset | None


class SummaryGroup(NamedTuple):
    """One line of a result's summary: the members bearing the same norm, or the parties in breach of the
    same article (`Result.summary`). `source` is the first rule of the group (for its wording)."""

    kind: str  # norm | breach
    article: str
    article_version: str | None
    modality: str | None  # None for a breach
    action: str | None
    counterparty: str | None
    who: tuple  # bearer (or party) ids, sorted
    source: Any
    status: str = "live"  # of a norm group on as_of: live, ended or discharged (each its own group)

    def row(self) -> dict:
        """The group as plain data: a row of `summary` in the JSON result."""
        if self.kind == "breach":
            return {"article": self.article, "article_version": self.article_version, "parties": list(self.who)}
        return {"article": self.article, "article_version": self.article_version, "modality": self.modality,
                "action": self.action, "counterparty": self.counterparty, "bearers": list(self.who),
                "status": self.status}


class Result:
    """What a scenario engages under a treaty. `norms`, `breaches`, `effects` are in evaluation order."""

    __slots__ = ("treaty", "scenario", "as_of", "timeline", "norms", "breaches", "effects", "not_in_force",
                 "conditional", "earlier", "later", "_standing", "_standing_fn", "_derive", "selection", "_whole",
                 "__weakref__")

    def __init__(self, treaty, scenario, as_of, timeline, norms, breaches, effects, not_in_force,
                 standing: Callable[[], list] = list, derive: Callable | None = None, conditional=(), earlier=None,
                 later=None):
        self.treaty: CompiledTreaty = treaty
        self.scenario: Scenario = scenario
        self.as_of: dt.date | None = as_of
        self.timeline = timeline  # an engine Timeline: who is a member on which date
        self.norms: list[Norm] = norms
        self.breaches: list[Breach] = breaches
        self.effects: list[Effect] = effects
        self.not_in_force: list[Event] = not_in_force  # events dated before the treaty bound anyone
        self.conditional: list[Conditional] = list(conditional)  # hold only if facts the scenario leaves open do
        self.earlier = earlier  # the engine's index of earlier events, for explaining rules with `after`
        self.later = later  # the same index, for explaining the lifetimes of norms (None: the treaty has none)
        self._standing = None
        self._standing_fn = standing  # the engine's: standing norms are computed on first use
        self._derive = derive  # the engine's: replays an event through the path that produced the result
        self.selection: Selection | None = None  # set on a view made by `select`: what it keeps
        self._whole: Result | None = None  # the result a view was selected from (None: not a view)

    @property
    def entry_into_force(self) -> dt.date | None:
        return self.timeline.start

    def readings(self) -> list[tuple[Any, list[str]]]:
        """(reading, the ids of the events stated through it), for each reading of a shared vocabulary's event
        that changes something (a name, an argument), in the order of the events: every report says them."""
        found: dict = {}
        for e in self.scenario.events:
            if e.reading is not None and e.reading.differs:
                found.setdefault(id(e.reading), (e.reading, []))[1].append(e.id)
        return list(found.values())

    def readings_json(self) -> list[dict]:
        return [{"events": ids, **reading.to_json()} for reading, ids in self.readings()]

    @property
    def members(self) -> tuple[str, ...]:
        return self.timeline.at(self.as_of)[1]

    @property
    def standing(self) -> list[Norm]:
        """Norms with no trigger, binding each member on `as_of` (computed on first use)."""
        if self._standing is None:
            self._standing = self._standing_fn()
        return self._standing

    def select(self, bearers=None, articles=None) -> Result:
        """A view that keeps only the conclusions of these bearers (ids) and articles (None: every one).

        Membership (`members`, the timeline) and the events are the whole result's; explanations of what is
        kept are the same as in the whole result (`--bearer`, `--article` of `treaty eval`).
        """
        bearers = frozenset(bearers) if bearers is not None else None
        articles = frozenset(articles) if articles is not None else None

        def keep(who, article) -> bool:
            return (bearers is None or who in bearers) and (articles is None or article in articles)

        whole = self.whole
        view = Result(self.treaty, self.scenario, self.as_of, self.timeline,
                      [n for n in whole.norms if keep(n.bearer, n.article)],
                      [b for b in whole.breaches if keep(b.party, b.article)],
                      [e for e in whole.effects if keep(e.party, e.article)], whole.not_in_force,
                      standing=lambda: [n for n in whole.standing if keep(n.bearer, n.article)],
                      derive=whole._derive, earlier=whole.earlier,
                      conditional=[c for c in whole.conditional if keep(c.who, c.source.article)])
        view.selection = Selection(bearers, articles)
        view._whole = whole
        return view

    @property
    def whole(self) -> "Result":
        """The result a view was selected from; the result itself when it is not a view (kept as None, not as
        a reference to itself: a result must not hold itself in a cycle, or freeing it waits for the
        garbage collector)."""
        return self._whole or self

    def quiet_events(self) -> list[Event]:
        """The scenario's events that engaged nothing at all (no norm, breach, effect or conditional
        conclusion for anyone), in the scenario's order: judged on the whole result, whatever a view keeps.
        Ratifications that only count toward entry into force are not among them (the header says it)."""
        whole = self.whole
        engaged = {n.event for n in whole.norms} | {b.event for b in whole.breaches}
        engaged |= {e.event for e in whole.effects} | {c.event for c in whole.conditional}
        engaged |= {n.end.event.id for n in whole.norms if n.end is not None}  # it ended or discharged a norm
        treaty = self.treaty
        counted = getattr(treaty.entry_into_force, "event", None)  # ratifications: they act through entry
        if counted is not None and any(counted in rules for rules in
                                       (treaty.triggered, treaty.membership_rules, treaty.breach_rules)):
            counted = None  # a rule reads them too: judged like any event
        return [e for e in self.scenario.events if e.id not in engaged and e.type != counted]

    def summary(self) -> tuple[list[SummaryGroup], list[SummaryGroup]]:
        """(norm groups, breach groups): the norms the events engage grouped by article, modality, action,
        counterparty and status on as_of (live, ended, discharged), each with its bearers; the breaches grouped by article, with the parties in breach.

        Groups come in the treaty's article order, then in the order of their first norm (or breach).
        """
        art = self.treaty.article_sort_key
        norms: dict = {}
        for n in self.sorted_norms():
            key = (n.article, _version(n.source), n.modality, n.action, n.counterparty,
                   "live" if n.end is None else n.end.status)
            norms.setdefault(key, (n.source, set()))[1].add(n.bearer)
        breaches: dict = {}
        for b in self.sorted_breaches():
            breaches.setdefault((b.article, _version(b.source)), (b.source, set()))[1].add(b.party)

        def groups(found: dict, kind: str) -> list[SummaryGroup]:
            made = [SummaryGroup(kind, k[0], k[1], *(k[2:5] if kind == "norm" else (None, None, None)),
                                 tuple(sorted(who)), rule, *k[5:]) for k, (rule, who) in found.items()]
            return [g for _, g in sorted(enumerate(made), key=lambda ig: (art(ig[1].article), ig[0]))]

        return groups(norms, "norm"), groups(breaches, "breach")

    def derivation(self, conclusion) -> tuple[dict, Any]:
        """(binding, the event or deemed Fact the rule matched) for a norm, breach or effect of this result."""
        return self._derive(conclusion, self)

    def sorted_norms(self) -> list[Norm]:
        order = {e.id: i for i, e in enumerate(self.scenario.events)}
        art = self.treaty.article_sort_key
        return sorted(self.norms, key=lambda n: (n.date, order.get(n.event, -1), n.bearer, art(n.article), n.source.index, n.counterparty or ""))

    def sorted_breaches(self) -> list[Breach]:
        order = {e.id: i for i, e in enumerate(self.scenario.events)}
        art = self.treaty.article_sort_key
        return sorted(self.breaches, key=lambda b: (b.date, order.get(b.event, -1), b.party, art(b.article), b.source.index))

    def sorted_conditional(self) -> list[Conditional]:
        order = {e.id: i for i, e in enumerate(self.scenario.events)}
        art = self.treaty.article_sort_key
        return sorted(self.conditional, key=lambda c: (c.date, order.get(c.event, -1), c.kind, art(c.source.article),
                                                       c.source.index, repr(c.key), repr(c.depends_on)))

    def summary_json(self, because: Callable[[Any, Result], list[str]] | None = None) -> dict:
        """The `summary` of the JSON result: the groups of `summary()` as rows, and the events that engaged
        nothing (with `because`: why, in one clause, under the event's "because")."""
        norms, breaches = self.summary()
        quiet = [{"event": e.id, "date": iso(e.date)} for e in self.quiet_events()]
        if because is not None:
            quiet = [{**row, "because": because(e, self)} for row, e in zip(quiet, self.quiet_events())]
        return {"norms": [g.row() for g in norms], "breaches": [g.row() for g in breaches], "unengaged": quiet}

    def to_json(self, because: Callable[[Any, Result], list[str]] | None = None) -> dict:
        """The result as the dict of DESIGN §5, built from the rows of its norms, breaches and effects.

        `because`, when given, is called as `because(item, result)` for each norm, standing norm, breach and
        effect, and its steps go under the item's "because" key (treatylang.render.json passes
        treatylang.explain.why.because for `--explain`). Without it there is no "because" key: the model
        explains nothing itself. Given an Event (of `summary`'s "unengaged"), `because` says why it engaged nothing.
        """

        def row(item) -> dict:
            """A collective norm's row (also a conditional one's) lists the members on its date (`together`)."""
            norm = item.item if type(item) is Conditional else item
            if type(norm) is Norm and norm.bearer == TOGETHER:
                return item.row(self.timeline.at(norm.date if norm.trigger is not None else self.as_of)[1])
            return item.row()

        def rows(items) -> list[dict]:
            if because is None:
                return [row(item) for item in items]
            return [{**row(item), "because": because(item, self)} for item in items]

        read = self.readings_json()
        return {
            "treaty": {"id": self.treaty.id, "title": self.treaty.title, "status": self.treaty.status.to_json()},
            "scenario": {"title": self.scenario.title, "file": self.scenario.file},
            **({"readings": read} if read else {}),  # only for events stated in a vocabulary's terms
            "as_of": iso(self.as_of),
            "entry_into_force": iso(self.entry_into_force),
            "terminated": iso(self.timeline.end),
            "members": list(self.members),
            "norms": rows(self.sorted_norms()),
            "standing": rows(self.standing),
            "breaches": rows(self.sorted_breaches()),
            "effects": rows(self.effects),
            "not_in_force": [e.id for e in self.not_in_force],
            "conditional": rows(self.sorted_conditional()),
            "summary": self.summary_json(because),
        }


