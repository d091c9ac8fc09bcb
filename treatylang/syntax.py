"""The syntax tree: frozen attrs classes; spans never take part in equality."""

from __future__ import annotations

import datetime as dt

import attrs

from .source import Span


def _span():
    return attrs.field(default=None, eq=False, repr=False, kw_only=True)


# ---- terms and durations -------------------------------------------------------------
@attrs.frozen
class Var:
    name: str
    span: Span = _span()

    def __str__(self) -> str:
        return self.name


@attrs.frozen
class Const:
    """A constant: an actor id or an enumeration value."""

    name: str
    span: Span = _span()

    def __str__(self) -> str:
        return self.name


Term = Var | Const


@attrs.frozen
class Duration:
    amount: int
    unit: str  # day | week | month | year (singular)
    span: Span = _span()

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}{'' if self.amount == 1 else 's'}"


# ---- header --------------------------------------------------------------------------
@attrs.frozen
class OnSignature:
    span: Span = _span()


@attrs.frozen
class OnDate:
    date: dt.date
    span: Span = _span()


@attrs.frozen
class AfterEvents:
    """In force when `count` events of type `event` have happened, plus an optional delay."""

    count: int
    event: str
    delay: Duration | None = None
    span: Span = _span()


EntryIntoForce = OnSignature | OnDate | AfterEvents


@attrs.frozen
class Language:
    code: str
    original: bool = False
    span: Span = _span()


@attrs.frozen
class Party:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    span: Span = _span()


@attrs.frozen
class ActorDecl:
    """An actor the treaty names that is not a party (an organisation, a third State...)."""

    id: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    span: Span = _span()


# ---- vocabulary ----------------------------------------------------------------------
@attrs.frozen
class ActorType:
    cardinality: str = ""  # "" one, "+" one or more, "*" zero or more, "?" optional
    span: Span = _span()

    @property
    def is_list(self) -> bool:
        return self.cardinality in ("+", "*")

    @property
    def required(self) -> bool:
        return self.cardinality in ("", "+")

    def __str__(self) -> str:
        return "actor" + self.cardinality


@attrs.frozen
class EnumType:
    values: tuple[str, ...]
    span: Span = _span()

    is_list = False
    required = True

    def __str__(self) -> str:
        return "|".join(self.values)


@attrs.frozen
class Param:
    name: str
    type: ActorType | EnumType
    default: str | None = None
    span: Span = _span()

    @property
    def required(self) -> bool:
        return self.default is None and self.type.required


@attrs.frozen
class EventDecl:
    """An event type a scenario may contain, or (is_fact) a fact only rules may deem."""

    name: str
    params: tuple[Param, ...]
    description: str | None = None
    is_fact: bool = False
    span: Span = _span()

    def param(self, name: str) -> Param | None:
        for p in self.params:
            if p.name == name:
                return p
        return None


# ---- rules ---------------------------------------------------------------------------
@attrs.frozen
class ArgAny:
    span: Span = _span()


@attrs.frozen
class ArgConst:
    """One of several constants (`object: forces|vessel`)."""

    values: tuple[str, ...]
    span: Span = _span()


@attrs.frozen
class PatternArg:
    name: str
    value: Var | ArgAny | ArgConst
    span: Span = _span()


@attrs.frozen
class Pattern:
    event: str
    args: tuple[PatternArg, ...]
    span: Span = _span()


@attrs.frozen
class IsKind:
    """`X is a member`, `X is not a state`..."""

    term: Term
    negated: bool
    kind: str
    span: Span = _span()


@attrs.frozen
class IsSame:
    left: Term
    negated: bool
    right: Term
    span: Span = _span()


@attrs.frozen
class AllAmong:
    """`every member is among approved_by`: unanimity over a list argument of the trigger."""

    arg: str
    span: Span = _span()


@attrs.frozen
class ShareAmong:
    """`at least 2/3 of members are among approved_by`."""

    numerator: int
    denominator: int
    arg: str
    span: Span = _span()


@attrs.frozen
class DateTest:
    op: str  # before | after | on | on_or_after | on_or_before
    date: dt.date
    span: Span = _span()


@attrs.frozen
class Either:
    left: "Condition"
    right: "Condition"
    span: Span = _span()


Condition = IsKind | IsSame | AllAmong | ShareAmong | DateTest | Either


@attrs.frozen
class Quantifier:
    domain: str  # "member"
    var: str
    excluding: tuple[Term, ...] = ()
    span: Span = _span()


@attrs.frozen
class NormConclusion:
    bearer: Term
    modality: str  # obligation | permission | prohibition
    action: str
    preposition: str | None = None
    counterparty: Term | None = None
    means: tuple[str, ...] = ()
    means_in_order: bool = False
    purpose: str | None = None
    span: Span = _span()


@attrs.frozen
class Deem:
    pattern: Pattern
    span: Span = _span()


@attrs.frozen
class MembershipChange:
    who: Term
    change: str  # joins | leaves
    delay: Duration | None = None
    span: Span = _span()


Conclusion = NormConclusion | Deem | MembershipChange


@attrs.frozen
class BreachClause:
    pattern: Pattern
    where: tuple[Condition, ...] = ()
    span: Span = _span()


@attrs.frozen
class Rule:
    name: str
    article: str
    exception_to: str | None = None
    trigger: Pattern | None = None
    where: tuple[Condition, ...] = ()
    quantifiers: tuple[Quantifier, ...] = ()
    conclusion: Conclusion | None = None
    unless: tuple[tuple[Condition, ...], ...] = ()
    breach: BreachClause | None = None
    reading: str | None = None  # the interpretation chosen where the text is contested
    span: Span = _span()

    @property
    def kind(self) -> str:
        """exception | norm | deem | membership | empty."""
        if self.exception_to is not None:
            return "exception"
        c = self.conclusion
        if isinstance(c, NormConclusion):
            return "norm"
        if isinstance(c, Deem):
            return "deem"
        if isinstance(c, MembershipChange):
            return "membership"
        return "empty"


@attrs.frozen
class Text:
    language: str
    body: str
    span: Span = _span()


@attrs.frozen
class Article:
    number: str  # "6", "4bis"; "preamble" for the preamble
    title: str | None = None
    texts: tuple[Text, ...] = ()
    notes: tuple[str, ...] = ()
    uncertain: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()
    span: Span = _span()

    def text(self, language: str | None = None) -> str | None:
        for t in self.texts:
            if language is None or t.language == language:
                return t.body
        return self.texts[0].body if self.texts else None


@attrs.frozen
class Header:
    id: str
    title: str
    signed: dt.date | None = None
    place: str | None = None
    entry_into_force: EntryIntoForce | None = None
    languages: tuple[Language, ...] = ()
    depositary: str | None = None
    span: Span = _span()


@attrs.frozen
class TreatyFile:
    """A whole .treaty file."""

    header: Header | None
    parties: tuple[Party, ...] = ()
    actors: tuple[ActorDecl, ...] = ()
    events: tuple[EventDecl, ...] = ()
    preamble: Article | None = None
    articles: tuple[Article, ...] = ()
    file: str = attrs.field(default="<string>", eq=False)
    source: str = attrs.field(default="", eq=False, repr=False)

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(r for a in self.articles for r in a.rules)
