"""The data every stage hands on: scenario events and actors, deemed facts, and results.

Plain data: nothing here evaluates, explains or renders. The engine fills a Result; explanations and
renderers read it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Callable, NamedTuple

import attrs

if TYPE_CHECKING:  # types only: the model sits below the stages that fill it
    from treatylang.ir.compiled import CompiledRule, CompiledTreaty
    from treatylang.engine.timeline import Timeline

ACTOR_KINDS = ("state", "organization", "armed_group")


class Event:
    """A scenario event, or a fact a rule deemed from one (then `deemed_by` and `parent` are set).

    `args` holds every parameter of the event's type (None for an optional one left out, () for an empty
    list, the default for an enumeration): the generated handlers read them without checking.
    """

    __slots__ = ("id", "type", "date", "args", "index", "span", "deemed_by", "parent", "binding")

    def __init__(self, id, type, date, args, index, span=None, deemed_by=None, parent=None, binding=None):
        self.id = id
        self.type = type
        self.date = date
        self.args = args
        self.index = index
        self.span = span
        self.deemed_by = deemed_by
        self.parent = parent
        self.binding = binding

    def __repr__(self) -> str:
        return f"<{self.type} {self.id} {self.date}>"


@attrs.frozen
class Actor:
    id: str
    name: str
    kind: str


@attrs.frozen
class Scenario:
    title: str
    file: str
    events: tuple  # of Event, in (date, file order)
    actors: dict = attrs.field(factory=dict, eq=False)  # id -> Actor, scenario-declared only
    as_of: dt.date | None = None
    note: str | None = None
    expect: Any = attrs.field(default=None, eq=False)  # the positioned `expect` node, for `treaty test`
    treaty_path: str | None = None
    source: str = attrs.field(default="", eq=False, repr=False)
    kinds: dict = attrs.field(factory=dict, eq=False, repr=False)  # every actor id -> kind


def _of_rule(attribute: str, doc: str = "") -> property:
    """A field read from the conclusion's rule: results stay one small tuple each."""
    return property(lambda self: getattr(self.source, attribute), doc=doc)


class Norm(NamedTuple):
    """A norm borne by a member. Compact: what the rule says (modality, action, article...) is read from it."""

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


class Breach(NamedTuple):
    """Conduct a standing prohibition forbids, by its author."""

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


class Result:
    """What a scenario engages under a treaty. `norms`, `breaches`, `effects` are in evaluation order."""

    def __init__(self, treaty, scenario, as_of, timeline, norms, breaches, effects, not_in_force,
                 standing: Callable[[], list] = list):
        self.treaty: CompiledTreaty = treaty
        self.scenario: Scenario = scenario
        self.as_of: dt.date | None = as_of
        self.timeline: Timeline = timeline
        self.norms: list[Norm] = norms
        self.breaches: list[Breach] = breaches
        self.effects: list[Effect] = effects
        self.not_in_force: list[Event] = not_in_force  # events dated before the treaty bound anyone
        self._standing = None
        self._standing_fn = standing  # the engine's: standing norms are computed on first use

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

    def sorted_norms(self) -> list[Norm]:
        order = {e.id: i for i, e in enumerate(self.scenario.events)}
        art = self.treaty.article_sort_key
        return sorted(self.norms, key=lambda n: (n.date, order.get(n.event, -1), n.bearer, art(n.article), n.source.index, n.counterparty or ""))

    def sorted_breaches(self) -> list[Breach]:
        order = {e.id: i for i, e in enumerate(self.scenario.events)}
        art = self.treaty.article_sort_key
        return sorted(self.breaches, key=lambda b: (b.date, order.get(b.event, -1), b.party, art(b.article), b.source.index))

    def to_json(self, explain: bool = True) -> dict:
        from treatylang.render.report import result_to_json

        return result_to_json(self, explain=explain)


