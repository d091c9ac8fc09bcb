"""The syntax tree: frozen attrs classes; spans never take part in equality.

No `from __future__ import annotations` here: the field types are evaluated once, as the classes are
made, so the cache's codec (lang/tree_json.py) reads them without evaluating a text per field at each
start (a forward reference is quoted where it is made)."""

import datetime as dt

import attrs

from treatylang.infra.nodes import node
from treatylang.source.spans import Span


# Plain (dict) classes, not slotted ones: they are quicker to define at import and to fill when read back from the
# cache (a slotted attrs class restores its fields one by one in Python). Their repr, equality and hash are
# shared functions (infra/nodes.py): attrs compiles only each class's __init__ at import.
_node = node


def _span():
    return attrs.field(default=None, eq=False, repr=False, kw_only=True)


# ---- terms and durations -------------------------------------------------------------
@_node
class Var:
    name: str
    span: Span = _span()

    def __str__(self) -> str:
        return self.name


@_node
class Const:
    """A constant: an actor id or an enumeration value."""

    name: str
    span: Span = _span()

    def __str__(self) -> str:
        return self.name


Term = Var | Const


@_node
class Duration:
    amount: int
    unit: str  # day | week | month | year (singular)
    span: Span = _span()

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}{'' if self.amount == 1 else 's'}"


# ---- header --------------------------------------------------------------------------
@_node
class OnSignature:
    span: Span = _span()


@_node
class OnDate:
    date: dt.date
    span: Span = _span()


@_node
class AfterEvents:
    """In force when `count` events of type `event` have happened, plus an optional delay."""

    count: int
    event: str
    delay: Duration | None = None
    including: tuple[str, ...] = ()  # parties that must be among the ratifying ones
    entered: dt.date | None = None  # `entered DATE`: the recorded date, when a scenario states no such event
    span: Span = _span()


EntryIntoForce = OnSignature | OnDate | AfterEvents


@_node
class Language:
    code: str
    original: bool = False
    span: Span = _span()


@_node
class Code:
    """`iso USA` or `cow 2` in `codes ...`: a State's code in a standard list, as written (checks read it)."""

    system: str  # iso | cow (lang/checks.py CODE_SYSTEMS)
    value: str
    span: Span = _span()

    def parsed(self) -> "str | int | None":
        """The value (an ISO code a str, a COW number an int), or None when malformed (checks refuse it)."""
        v = self.value
        if self.system == "iso":
            return v if len(v) == 3 and v.isascii() and v.isalpha() and v.isupper() else None
        if self.system == "cow":
            return int(v) if v.isascii() and v.isdigit() and not v.startswith("0") and int(v) <= 999 else None
        return None


@_node
class Party:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    qualities: tuple[str, ...] = ()  # `is european_state, ...`
    joined: dt.date | None = None  # `joined DATE`: not a signatory; a member from DATE (docs/time.md)
    left: dt.date | None = None  # `left DATE`: not a member from DATE on (docs/time.md)
    codes: tuple[Code, ...] = ()  # `codes iso USA, cow 2`: to match the State in data sets (docs/language.md)
    span: Span = _span()


@_node
class ActorDecl:
    """An actor the treaty names that is not a party (an organisation, a third State...)."""

    id: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    qualities: tuple[str, ...] = ()
    codes: tuple[Code, ...] = ()  # as a party's: a State that may become one
    span: Span = _span()


@_node
class OrganDecl:
    """`organ organ_of_consultation "Organ of Consultation"`: an organ of the treaty, not a third party: it may
    bear duties (`organ_of_consultation must meet`) and be the author (`by:`) of a decision event."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    span: Span = _span()


@_node
class Quality:
    """`quality european_state "a European State"`: a quality actors or places may have."""

    name: str
    description: str
    span: Span = _span()


@_node
class PlaceDecl:
    """`place alaska "Alaska" of united_states in north_america is north_of_tropic`."""

    id: str
    name: str
    of: str | None = None  # the State whose territory it is; None for a region or the high seas
    within: tuple[str, ...] = ()  # the places directly containing it (containment is transitive)
    qualities: tuple[str, ...] = ()
    span: Span = _span()


# the keys every event of a scenario has besides its arguments (DESIGN §4): no argument may be named so
EVENT_KEYS = ("id", "type", "date", "until", "note")


# ---- vocabulary ----------------------------------------------------------------------
class _Counted:
    """`actor+`, `place?`: a noun and its cardinality ("" one, "+" one or more, "*" zero or more, "?" optional)."""

    noun = ""

    @property
    def is_list(self) -> bool:
        return self.cardinality in ("+", "*")

    @property
    def required(self) -> bool:
        return self.cardinality in ("", "+")

    def __str__(self) -> str:
        return self.noun + self.cardinality


@_node
class ActorType(_Counted):
    noun = "actor"
    cardinality: str = ""
    span: Span = _span()


@_node
class PlaceType(_Counted):
    """`place`, `place?`, `place+`, `place*`: a parameter whose values are place ids."""

    noun = "place"
    cardinality: str = ""
    span: Span = _span()


@_node
class EnumType:
    """`a|b|c`: one value; `(a|b|c)+` or `(a|b|c)*`: a list of values (one or more, zero or more)."""

    values: tuple[str, ...]
    cardinality: str = ""
    span: Span = _span()

    @property
    def is_list(self) -> bool:
        return self.cardinality in ("+", "*")

    @property
    def required(self) -> bool:
        return self.cardinality in ("", "+")

    def __str__(self) -> str:
        return f"({'|'.join(self.values)}){self.cardinality}" if self.cardinality else "|".join(self.values)


@_node
class Param:
    name: str
    type: ActorType | PlaceType | EnumType
    default: str | None = None
    span: Span = _span()

    @property
    def required(self) -> bool:
        return self.default is None and self.type.required

    @property
    def unknowable(self) -> bool:
        """Declared `= unknown`: left out of a scenario, the value is unknown, not none."""
        return self.default == UNKNOWN_DEFAULT


UNKNOWN_DEFAULT = "unknown"


@_node
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
@_node
class ArgAny:
    span: Span = _span()


@_node
class ArgConst:
    """One of several constants (`object: forces|vessel`)."""

    values: tuple[str, ...]
    span: Span = _span()


@_node
class ArgPlaceOf:
    """`on: P of V`: P the place (each one of a list), V the State whose territory it is."""

    place: str
    state: str
    span: Span = _span()


@_node
class PatternArg:
    name: str
    value: Var | ArgAny | ArgConst | ArgPlaceOf
    span: Span = _span()


@_node
class Pattern:
    event: str
    args: tuple[PatternArg, ...]
    span: Span = _span()


@_node
class IsKind:
    """`X is a member`, `X is not a state`..."""

    term: Term
    negated: bool
    kind: str
    span: Span = _span()


@_node
class IsIn:
    """`P is in north_america`, `P is not in europe`: containment of places, transitive."""

    term: Term
    negated: bool
    region: str
    span: Span = _span()


@_node
class IsSame:
    left: Term
    negated: bool
    right: Term
    span: Span = _span()


@_node
class AllAmong:
    """`every member is among approved_by`: unanimity over a list argument of the trigger."""

    arg: str
    span: Span = _span()


@_node
class ShareAmong:
    """`at least 2/3 of members are among approved_by`; with `of members other than S, T`, of the members
    entitled to vote once S and T are left out (S bound to a list argument: all of it)."""

    numerator: int
    denominator: int
    arg: str
    excluding: tuple[Term, ...] = ()
    span: Span = _span()


@_node
class DateTest:
    op: str  # before | after | on | on_or_after | on_or_before
    date: dt.date
    span: Span = _span()


@_node
class DateFromEntry:
    """`date is on or after 20 years after entry into force`: a date relative to the scenario's entry into force."""

    op: str  # as DateTest
    delay: Duration
    span: Span = _span()


@_node
class Either:
    left: "Condition"
    right: "Condition"
    span: Span = _span()


Condition = IsKind | IsIn | IsSame | AllAmong | ShareAmong | DateTest | DateFromEntry | Either


@_node
class AllOf:
    """`all of S` in `other than`: every element of the list argument S was bound from (`is_var`), or of the
    list argument named (`all of supported_by`)."""

    name: str
    is_var: bool = True
    span: Span = _span()


@_node
class Quantifier:
    domain: str  # "member"
    var: str
    excluding: tuple[Var | Const | AllOf, ...] = ()
    span: Span = _span()


@_node
class Together:
    """`members together must consult`: one collective bearer, the members on the date taken together."""

    span: Span = _span()

    def __str__(self) -> str:
        return "members together"


@_node
class NormConclusion:
    bearer: Term | Together
    modality: str  # obligation | permission | prohibition
    action: str
    preposition: str | None = None
    counterparty: Term | None = None
    means: tuple[str, ...] = ()
    means_in_order: bool = False
    purpose: str | None = None
    means_all: bool = False  # `means all of a, b`: owed all together, not alternatives
    means_including: tuple[str, ...] = ()  # `... including armed_force`: means named as included
    means_from: str | None = None  # `means from measures`: the trigger's list argument whose values are owed
    span: Span = _span()


@_node
class Deem:
    pattern: Pattern
    span: Span = _span()


@_node
class MembershipChange:
    who: Term
    change: str  # joins | leaves
    delay: Duration | None = None
    not_before: Duration | None = None  # `, not before D after entry into force`: the later of the two dates
    span: Span = _span()


Conclusion = NormConclusion | Deem | MembershipChange


@_node
class BreachClause:
    pattern: Pattern
    where: tuple[Condition, ...] = ()
    span: Span = _span()


@_node
class EndsWhen:
    """`ends when council_measures(about: V)`: a later scenario event that ends the norm."""

    pattern: Pattern
    span: Span = _span()


@_node
class DischargedBy:
    """`discharged by assistance(by: M, to: V)`: a later scenario event that performs the obligation."""

    pattern: Pattern
    span: Span = _span()


@_node
class Deadline:
    """`breached if not discharged within 30 days`: an obligation not performed in time is breached."""

    within: Duration
    span: Span = _span()


Lifetime = EndsWhen | DischargedBy | Deadline


@_node
class Earlier:
    """`after invitation(of: S) within 30 days such that ...`: an earlier scenario event the trigger needs."""

    pattern: Pattern
    within: Duration | None = None
    such_that: tuple[Condition, ...] = ()
    span: Span = _span()


@_node
class Quote:
    """`quote "phrase"`: the phrase of its article's text a rule encodes (checked to occur in it)."""

    phrase: str
    span: Span = _span()


@_node
class Asymmetry:
    """`asymmetric [for P, ...] "why"`: the rule treats parties unequally on purpose (the parties it singles
    out, if named); `treaty verify` reports the differences it makes as declared, not as failures."""

    reason: str
    parties: tuple[str, ...] = ()  # empty: any party the rule's conclusions differ on
    span: Span = _span()


@_node
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
    after: Earlier | None = None  # `when P after P2 ...`
    quote: Quote | None = None
    lifetime: tuple[Lifetime | BreachClause, ...] = ()  # and any `breached by` after the first
    asymmetric: Asymmetry | None = None
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


@_node
class Text:
    language: str
    body: str
    span: Span = _span()


# how sure an article's text is: `source KIND "where it comes from"`, KIND one of these (and its words)
SOURCE_KINDS = {"verbatim": "verbatim", "paraphrase": "paraphrase", "press_summary": "press summary only"}


@_node
class Source:
    """`source paraphrase "French quoted in ..."`: how sure the article's text is, and where it comes from."""

    kind: str  # a key of SOURCE_KINDS (checked)
    note: str
    span: Span = _span()


@_node
class Review:
    """`reviewed "by whom, when"` or `unreviewed ["why"]`: whether the article's rules were reviewed."""

    reviewed: bool
    note: str | None = None
    span: Span = _span()


@_node
class Article:
    number: str  # "6", "4bis"; "preamble" for the preamble
    title: str | None = None
    texts: tuple[Text, ...] = ()
    notes: tuple[str, ...] = ()
    uncertain: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()
    valid_from: dt.date | None = None  # `from D`: a version of the article, applying from D (inclusive)
    valid_until: dt.date | None = None  # `until D`: applying until D (inclusive)
    source: Source | None = None  # how sure its text is (None: not declared)
    review: Review | None = None  # whether its rules were reviewed (None: not declared)
    span: Span = _span()

    @property
    def label(self) -> str:
        """'article 6', or 'the preamble': as messages and explanations name it."""
        return "the preamble" if self.number == "preamble" else f"article {self.number}"

    @property
    def versioned(self) -> bool:
        return self.valid_from is not None or self.valid_until is not None

    def text(self, language: str | None = None) -> str | None:
        for t in self.texts:
            if language is None or t.language == language:
                return t.body
        return self.texts[0].body if self.texts else None


# ---- shared vocabularies ---------------------------------------------------------------
@_node
class VocabularyDecl:
    """`vocabulary collective_defence "..."`: the first line of a vocabulary file (no treaty header there)."""

    id: str
    title: str
    span: Span = _span()


@_node
class ValueReading:
    """`vessels as vessel`: a value of the vocabulary's enumeration read as one of the treaty's."""

    source: str
    target: str
    span: Span = _span()


@_node
class ArgReading:
    """`against: target`: the treaty's argument `param` takes the vocabulary's argument `source`."""

    param: str
    source: str
    values: tuple[ValueReading, ...] = ()
    span: Span = _span()


@_node
class EventReading:
    """`read armed_attack as aggression(against: target) in article 1`: the vocabulary's event `source`
    is read as the treaty's event `target`; arguments not named are taken by name."""

    source: str
    target: str
    args: tuple[ArgReading, ...] = ()
    article: str | None = None
    span: Span = _span()


@_node
class Uses:
    """`uses collective_defence` and its `read` lines: a scenario in the vocabulary's terms runs under the treaty."""

    vocabulary: str
    readings: tuple[EventReading, ...] = ()
    span: Span = _span()


@_node
class Header:
    id: str
    title: str
    signed: dt.date | None = None
    place: str | None = None
    entry_into_force: EntryIntoForce | None = None
    languages: tuple[Language, ...] = ()
    depositary: str | None = None
    terminated: dt.date | None = None  # `terminated DATE`: binds no one from DATE on (docs/time.md)
    span: Span = _span()


@_node
class TreatyFile:
    """A whole .treaty file."""

    header: Header | None
    parties: tuple[Party, ...] = ()
    actors: tuple[ActorDecl, ...] = ()
    events: tuple[EventDecl, ...] = ()
    preamble: Article | None = None
    articles: tuple[Article, ...] = ()
    qualities: tuple[Quality, ...] = ()
    places: tuple[PlaceDecl, ...] = ()
    organs: tuple[OrganDecl, ...] = ()
    uses: tuple[Uses, ...] = ()
    vocabulary: VocabularyDecl | None = None  # set in a vocabulary file only
    file: str = attrs.field(default="<string>", eq=False)
    source: str = attrs.field(default="", eq=False, repr=False)

    @property
    def blocks(self) -> tuple[Article, ...]:
        """The preamble (if any), then every article block (a dated version is a block), in file order."""
        return self.articles if self.preamble is None else (self.preamble, *self.articles)

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Every rule of the treaty: the preamble's (article "preamble") first, then the articles' in order."""
        return tuple(r for a in self.blocks for r in a.rules)
