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

    __slots__ = ("id", "type", "date", "args", "index", "span", "deemed_by", "parent", "binding", "until", "since")

    def __init__(self, id, type, date, args, index, span=None, deemed_by=None, parent=None, binding=None,
                 until=None, since=None):
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

    def judged_on(self, date: dt.date) -> "Event":
        """This continuing situation as judged from `date` (entry into force; VCLT art. 28)."""
        return Event(self.id, self.type, date, self.args, self.index, self.span, until=self.until, since=self.date)

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

    Built from one tuple: `Norm((bearer, counterparty, source, trigger, date))`."""

    bearer: str
    counterparty: str | None
    source: CompiledRule
    trigger: Event | None  # the scenario event (None for a standing norm); derivations are rebuilt on demand
    date: dt.date  # the event's date, or for a standing norm the first day it binds the bearer

    modality = _of_rule("modality", "obligation | permission | prohibition")
    action = _of_rule("action")
    article = _of_rule("article")
    rule = _of_rule("name", "the rule's name")
    means = _of_rule("means")

    @property
    def event(self) -> str | None:
        return self.trigger.id if self.trigger is not None else None

    @property
    def means_in_order(self) -> bool:
        return self.source.conclusion.means_in_order

    @property
    def purpose(self) -> str | None:
        return self.source.conclusion.purpose

    @property
    def preposition(self) -> str | None:
        return self.source.conclusion.preposition

    def row(self) -> dict:
        """The norm as plain data: its entry in `norms` or `standing` of DESIGN §5 (without `because`)."""
        return {"bearer": self.bearer, "modality": self.modality, "action": self.action,
                "counterparty": self.counterparty, "article": self.article,
                "article_version": _version(self.source), "rule": self.rule, "event": self.event, "date": iso(self.date),
                **_span_of(self.trigger), "means": list(self.means),
                "means_in_order": self.means_in_order, "purpose": self.purpose}


@_built_from_one_tuple
class Breach(NamedTuple):
    """Conduct a standing prohibition forbids, by its author. Built from one tuple: `Breach((party, source,
    trigger))`."""

    party: str
    source: CompiledRule
    trigger: Event

    article = _of_rule("article")
    rule = _of_rule("name", "the rule's name")

    @property
    def event(self) -> str:
        return self.trigger.id

    @property
    def date(self) -> dt.date:
        return self.trigger.date

    def row(self) -> dict:
        """The breach as plain data: its entry in `breaches` of DESIGN §5 (without `because`)."""
        return {"party": self.party, "article": self.article, "article_version": _version(self.source),
                "rule": self.rule, "event": self.event, "date": iso(self.date), **_span_of(self.trigger)}


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

    def row(self) -> dict:
        """The entry in `conditional`: the usual row of its kind, the kind, and what it depends on."""
        return {"kind": self.kind, **self.item.row(),
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


class Result:
    """What a scenario engages under a treaty. `norms`, `breaches`, `effects` are in evaluation order."""

    def __init__(self, treaty, scenario, as_of, timeline, norms, breaches, effects, not_in_force,
                 standing: Callable[[], list] = list, derive: Callable | None = None, conditional=(), earlier=None):
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
        self._standing = None
        self._standing_fn = standing  # the engine's: standing norms are computed on first use
        self._derive = derive  # the engine's: replays an event through the path that produced the result

    @property
    def entry_into_force(self) -> dt.date | None:
        return self.timeline.start

    @property
    def members(self) -> tuple[str, ...]:
        return self.timeline.at(self.as_of)[1]

    @property
    def standing(self) -> list[Norm]:
        """Norms with no trigger, binding each member on `as_of` (computed on first use)."""
        if self._standing is None:
            self._standing = self._standing_fn()
        return self._standing

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

    def to_json(self, because: Callable[[Any, Result], list[str]] | None = None) -> dict:
        """The result as the dict of DESIGN §5, built from the rows of its norms, breaches and effects.

        `because`, when given, is called as `because(item, result)` for each norm, standing norm, breach and
        effect, and its steps go under the item's "because" key (treatylang.render.json passes
        treatylang.explain.why.because for `--explain`). Without it there is no "because" key: the model
        explains nothing itself.
        """

        def rows(items) -> list[dict]:
            if because is None:
                return [item.row() for item in items]
            return [{**item.row(), "because": because(item, self)} for item in items]

        return {
            "treaty": {"id": self.treaty.id, "title": self.treaty.title},
            "scenario": {"title": self.scenario.title, "file": self.scenario.file},
            "as_of": iso(self.as_of),
            "entry_into_force": iso(self.entry_into_force),
            "members": list(self.members),
            "norms": rows(self.sorted_norms()),
            "standing": rows(self.standing),
            "breaches": rows(self.sorted_breaches()),
            "effects": rows(self.effects),
            "not_in_force": [e.id for e in self.not_in_force],
            "conditional": rows(self.sorted_conditional()),
        }


