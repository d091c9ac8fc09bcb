"""Quantifiers, conclusions, exceptions, breach clauses and the rule that holds them."""

from __future__ import annotations

import datetime as dt
from typing import Iterator

import attrs

from treatylang.infra.nodes import node

from treatylang.ir.conditions import AllOf, Binding, Env, Namer, Term, Var
from treatylang.ir.patterns import Pattern
from treatylang.ir.wording import TOGETHER, VERBS, and_list, iso, words
from treatylang.ir.unknown import UNKNOWN
from treatylang.source.dates import add_duration


# ---- quantifier ------------------------------------------------------------------------
@node
class ForEachMember:
    """`for each member M other than V, all of S:` (a variable already bound is tested, not ranged over).

    `other than V` leaves out V's one value (on a list argument, the element of this match); `all of S` every
    element of the list S comes from."""

    var: str
    excluding: tuple = ()  # of Term or AllOf

    def excluded(self, b: Binding) -> set:
        out = set()
        for t in self.excluding:
            if isinstance(t, AllOf):
                out.update(t.values(b))
            else:
                out.add(t.value(b))
        return out

    def expand(self, bindings: list, env: Env) -> list:
        grown, var = [], self.var
        for cur in bindings:
            excluded = self.excluded(cur)
            if var in cur:
                if cur[var] in env.members and cur[var] not in excluded:
                    grown.append(cur)
                continue
            for m in env.member_order:
                if m not in excluded:
                    nb = dict(cur)
                    nb[var] = m
                    grown.append(nb)
        return grown

    def emit(self, gx, scope) -> None:
        if self.var in scope.vars:
            x = scope.vars[self.var]
            if x not in scope.members:
                gx.test(f"{x} in members")
                scope.members.add(x)
        else:
            x = scope.fresh(self.var)
            gx.loop(x, "order")
            scope.vars[self.var] = x
            scope.loops.add(x)
            scope.members.add(x)
        for t in self.excluding:
            gx.test(f"{x} not in {t.emit(scope)}" if isinstance(t, AllOf) else f"{x} != {t.emit(scope)}")

    def describe(self, b: Binding, env: Env, name: Namer) -> str:
        others = [f"{name(list(t.values(b)))} ({t.words()})" if isinstance(t, AllOf) else name(t.value(b))
                  for t in self.excluding if not isinstance(t, AllOf) or t.values(b)]  # an empty list leaves none out
        tail = f", other than {', '.join(others)}" if others else ""
        return f"{name(b.get(self.var))} is a member on {iso(env.date)}{tail} ({self.var})"

    def why_not(self, b: Binding, env: Env, value, name: Namer, role) -> tuple[str, str] | None:
        """Why the wanted `value` of the variable is not among the members it ranges over."""
        for t in self.excluding:
            if isinstance(t, AllOf):
                if value in t.values(b):
                    return "no", (f"{name(value)} is excluded: {name(list(t.values(b)))} ({t.words()}); "
                                  f"the rule binds each member other than {t}")
            elif t.value(b) == value:
                said = role(t.name) if isinstance(t, Var) else t.name
                return "no", f"{name(value)} is {said} ({t}); the rule binds each member other than {t}"
        if value not in env.members:
            return "no", f"{name(value)} is not a member on {iso(env.date)}"
        return None


def _joined(items: list, conjunction: str) -> str:
    """'a, b or c'."""
    return ", ".join(items[:-1]) + (f" {conjunction} " if len(items) > 1 else "") + items[-1]


# ---- conclusions -----------------------------------------------------------------------
class Conclusion:
    """What a rule concludes. Subclasses say which meanings they have (see tests/ir/test_registry.py)."""


@node
class NormOf(Conclusion):
    """`M must assist V means ... purpose "..."`: an obligation, permission or prohibition borne by a member.

    Means are a list of names; `means_all` says they are owed all together (not as alternatives): so are
    the means a decision sets (`means from measures`, read from the triggering event's list argument).
    """

    bearer: Term
    modality: str  # obligation | permission | prohibition
    action: str
    preposition: str | None = None
    counterparty: Term | None = None
    means: tuple = ()  # every means named, `including` ones last
    means_in_order: bool = False
    purpose: str | None = None
    means_all: bool = False  # `means all of`, or `means from`: owed all together, not as alternatives
    means_including: tuple = ()  # the tail of `means` named after `including`
    means_from: str | None = None  # the triggering event's list argument that holds the means

    @property
    def means_mode(self) -> str:
        """How the means (before `including`) are owed: one_of (alternatives), all_of or in_order."""
        return "in_order" if self.means_in_order else "all_of" if self.means_all else "one_of"

    def apply(self, b: Binding) -> tuple:
        """(bearer, counterparty) for a binding."""
        return self.bearer.value(b), (self.counterparty.value(b) if self.counterparty is not None else None)

    def binds(self, bearer, members) -> bool:
        """Whether the norm binds its bearer: a treaty binds only its members (pacta tertiis)."""
        return bearer in members

    def emit_binds(self, gx, scope, bearer: str) -> None:
        """The generated test of `binds` (none where the bearer is known to be a member already)."""
        if bearer not in scope.members:
            gx.test(f"{bearer} in members")

    def emit(self, gx, scope) -> tuple[str, str]:
        cp = self.counterparty.emit(scope) if self.counterparty is not None else "None"
        return self.bearer.emit(scope), cp

    def means_of(self, trigger) -> tuple:
        """The means of one norm: as written, or the values its triggering event gives (`means from`)."""
        if self.means_from is None:
            return self.means
        return tuple((trigger.args.get(self.means_from) or ()) if trigger is not None else ())

    def describe(self, bearer, counterparty, name: Namer) -> str:
        text = f"{name(bearer)} {VERBS[self.modality]} {words(self.action)}"
        if counterparty is not None:
            text += f" {self.preposition + ' ' if self.preposition else ''}{name(counterparty)}"
        return text

    def describe_bearer(self, env: Env, name: Namer) -> str | None:
        """A step saying who the bearer is, where the binding does not say it already (none here)."""
        return None

    def describe_means(self, means: tuple | None = None) -> str | None:
        """'by a, b or c means' (alternatives), 'by a, b and c means' (all together), 'by a, then b (in order
        of preference)'; then ', including d' for the means named as included. `means`: one norm's, where a
        decision sets them (`means from`)."""
        means = self.means if means is None else means
        if self.means_from is not None and not means:
            return f"by the means the decision sets (its '{self.means_from}': none given)"
        if not means:
            return None
        main = [words(m) for m in means[:len(means) - len(self.means_including)]]
        including = ", including " + _joined([words(m) for m in self.means_including], "and") \
            if self.means_including else ""
        if self.means_in_order:
            return "by " + ", then ".join(main) + " (in order of preference)" + including
        said = "by " + _joined(main, "and" if self.means_all else "or") + " means" + including
        return said + (f" (as the decision's '{self.means_from}' sets them)" if self.means_from else "")

    def wanted(self, bearer: str, counterparty: str | None) -> dict:
        """The variables that would have to take these values for the norm to be the one asked about."""
        want = {}
        if isinstance(self.bearer, Var):
            want[self.bearer.name] = bearer
        if counterparty is not None and isinstance(self.counterparty, Var):
            want[self.counterparty.name] = counterparty
        return want

    def why_not(self, b: Binding, env: Env, bearer: str, counterparty: str | None, name: Namer):
        got, cp = self.apply(b)
        if got != bearer:
            return "no", f"the rule binds {name(got)}, not {name(bearer)}"
        if counterparty is not None and cp != counterparty:
            owed = f"is owed to {name(cp)}" if cp is not None else "is owed to no one in particular"
            return "no", f"the norm {owed}, not {name(counterparty)}"
        if not self.binds(got, env.members):
            return "no", f"{name(got)} is not a member on {iso(env.date)}; a treaty binds only its parties"
        return None


@node
class OrganNormOf(NormOf):
    """`organ_of_consultation must meet`: a duty of an organ the treaty declares (`organ ID "Name"`). The
    organ is no third party: it binds whenever the treaty is in force (its events are judged only then)."""

    def binds(self, bearer, members) -> bool:
        return True

    def emit_binds(self, gx, scope, bearer: str) -> None:
        return None


@node
class CollectiveNormOf(NormOf):
    """`members together must consult`: one norm borne by the members on the date taken together (NATO art. 4
    "The Parties will consult together"), not one per member. Its bearer is TOGETHER."""

    def apply(self, b: Binding) -> tuple:
        return TOGETHER, (self.counterparty.value(b) if self.counterparty is not None else None)

    def binds(self, bearer, members) -> bool:
        return bool(members)

    def emit_binds(self, gx, scope, bearer: str) -> None:
        gx.test("members")

    def emit(self, gx, scope) -> tuple[str, str]:
        cp = self.counterparty.emit(scope) if self.counterparty is not None else "None"
        return repr(TOGETHER), cp

    def describe_bearer(self, env: Env, name: Namer) -> str | None:
        return f"the members together on {iso(env.date)}: {and_list([name(m) for m in env.member_order])}"

    def wanted(self, bearer: str, counterparty: str | None) -> dict:
        want = {}
        if counterparty is not None and isinstance(self.counterparty, Var):
            want[self.counterparty.name] = counterparty
        return want

    def why_not(self, b: Binding, env: Env, bearer: str, counterparty: str | None, name: Namer):
        if bearer != TOGETHER:
            return "no", (f"the rule binds the members together ({and_list([name(m) for m in env.member_order])}), "
                          f"not {name(bearer)} alone")
        return super().why_not(b, env, bearer, counterparty, name)


@node
class Deem(Conclusion):
    """`deem aggression(against: M, victim: V)`: a fact other rules can match, dated like its event."""

    fact: str
    args: tuple  # of (argument, Term)
    lists: frozenset = frozenset()  # arguments of the fact type that hold lists
    defaults: tuple = ()  # (argument, value) the fact type gives when the rule names none

    def apply(self, b: Binding) -> dict:
        """The fact's arguments: a list argument holds the one value given."""
        out = dict(self.defaults)
        for name, term in self.args:
            value = term.value(b)
            out[name] = (value,) if name in self.lists else value
        return out

    def emit(self, gx, scope) -> dict:
        """The fact's arguments as expressions (an argument it does not carry is absent)."""
        out = {name: "_UNK" if value is UNKNOWN else repr(value) for name, value in self.defaults}
        for name, term in self.args:
            value = term.emit(scope)
            out[name] = f"({value},)" if name in self.lists else value
        return out

    def describe(self, args: dict, name: Namer) -> str:
        shown = ", ".join(f"{k}: {name(v)}" for k, v in args.items() if v is not UNKNOWN and v not in (None, ()))
        return f"{words(self.fact)} ({shown})"

    @staticmethod
    def none_deemed(fact: str, wanted_args: dict, name: Namer) -> str:
        """The head of the answer to "why not" when no fact with the wanted arguments was deemed."""
        shown = ", ".join(f"{words(k)}: {name(v)}" for k, v in wanted_args.items())
        return f"no {words(fact)} ({shown}) was deemed" if shown else f"no {words(fact)} was deemed"

    def sub_want(self, wanted_args: dict) -> dict:
        """Wanted fact arguments -> the wanted values of this rule's variables."""
        return {t.name: wanted_args[a] for a, t in self.args if isinstance(t, Var) and a in wanted_args}


@node
class ChangeMembership(Conclusion):
    """`S becomes a member`, `P ceases to be a member 6 months after`, and with `, not before 20 years after
    entry into force`: the change holds from the later of the two dates."""

    who: Term
    change: str  # joins | leaves
    delay: object = None  # a syntax Duration, or None
    not_before: object = None  # a syntax Duration counted from entry into force, or None

    def _dates(self, date: dt.date, entry) -> tuple:
        """(the date the delay gives, the date `not before` gives or None); None for a date after 9999-12-31."""
        own = add_duration(date, self.delay.amount, self.delay.unit) if self.delay else date
        if self.not_before is None:
            return own, None
        floor = add_duration(entry, self.not_before.amount, self.not_before.unit) if entry is not None else None
        return own, floor

    def apply(self, b: Binding, date: dt.date, entry=None) -> tuple[str, dt.date]:
        """(who, the first day the change holds): the later of the delay's date and the `not before` date."""
        own, floor = self._dates(date, entry)
        if self.not_before is not None:
            own = None if own is None or floor is None else max(own, floor)
        return self.who.value(b), own

    def describe(self, party, start: dt.date, name: Namer, date=None, entry=None) -> str:
        said = "becomes a member" if self.change == "joins" else "ceases to be a member"
        text = f"{name(party)} {said} from {start.isoformat()}"
        if self.not_before is None or date is None or entry is None:
            return text
        own, floor = self._dates(date, entry)
        delay = f"{self.delay} after {date.isoformat()}" if self.delay else f"the event's date, {date.isoformat()}"
        floor_said = f"{self.not_before} after entry into force on {entry.isoformat()}"
        if floor is not None and own is not None and floor > own:
            return (f"{text}: the later of {own.isoformat()} ({delay}) and {floor.isoformat()} ({floor_said}); "
                    f"the 'not before' date governs")
        return (f"{text}: the later of {own.isoformat()} ({delay}) and {floor.isoformat()} ({floor_said}); "
                f"the {'delay' if self.delay else 'event'}'s date governs")

    def why_not(self, failed, b: Binding, env: Env, event, label: str, name: Namer) -> str:
        """Why an event meant to change membership had no effect: the condition that failed."""
        return f" ({self.no_effect(event, label, failed.describe(b, env, name, False))})"

    def no_effect(self, event, label: str, reason: str) -> str:
        """'event E on D (accession) had no effect under article 10 (...): REASON'."""
        return f"event {event.id} on {event.date.isoformat()} ({words(event.type)}) had no effect under {label}: {reason}"


CONCLUSIONS = (NormOf, OrganNormOf, CollectiveNormOf, Deem, ChangeMembership)


# ---- exceptions (defeasibility) ------------------------------------------------------------
def _all(conditions, b: Binding, env: Env) -> bool:
    return all(c.eval3(b, env) for c in conditions)


def _failed(conditions, b: Binding, env: Env, name: Namer) -> str:
    """The conditions of an exception that do not hold (one is enough to set it aside), in words."""
    failed = [c for c in conditions if not c.eval3(b, env)] or list(conditions)
    return " and ".join(c.describe(b, env, name, holds=False) for c in failed)


def _emit_not(conditions, gx, scope) -> str:
    return f"not ({' and '.join(c.emit(gx, scope) for c in conditions) or 'True'})"


@node
class Unless:
    """`unless M is A`: the rule's own exception; the conclusion is suppressed where it holds."""

    conditions: tuple

    def holds(self, b: Binding, env: Env) -> bool:
        return _all(self.conditions, b, env)

    def emit(self, gx, scope) -> str:
        """A test that the exception does not apply."""
        return _emit_not(self.conditions, gx, scope)

    def describe(self, b: Binding, env: Env, name: Namer, label) -> str:
        return f"the exception does not apply: {_failed(self.conditions, b, env, name)}"

    def why_not(self, b: Binding, env: Env, name: Namer, label, roles, reading: str | None) -> str:
        said = " and ".join(c.describe(b, env, name, True) for c in self.conditions) + roles(self.conditions)
        return f"excepted by the rule's own 'unless': {said}" + (f" (reading: {reading})" if reading else "")


@node(eq=False)
class ExceptionOf:
    """`rule r: exception to duty where M is A`: another rule (its own article) that defeats this one."""

    rule: "Rule"

    @property
    def conditions(self) -> tuple:
        return self.rule.where

    def holds(self, b: Binding, env: Env) -> bool:
        return _all(self.rule.where, b, env)

    def emit(self, gx, scope) -> str:
        return _emit_not(self.rule.where, gx, scope)

    def describe(self, b: Binding, env: Env, name: Namer, label) -> str:
        said = _failed(self.rule.where, b, env, name)
        return f"the exception in {label(self.rule)}, rule {self.rule.name}, does not apply: {said}"

    def why_not(self, b: Binding, env: Env, name: Namer, label, roles, reading: str | None) -> str:
        said = " and ".join(c.describe(b, env, name, True) for c in self.rule.where) + roles(self.rule.where)
        return f"excepted by {label(self.rule)}, rule {self.rule.name}: {said}"


# ---- breach clause and rule ----------------------------------------------------------------
@node
class BreachClause:
    """`breached by alliance(parties: M, against: O) where ...` on a standing norm: conduct it forbids (a
    standing obligation: conduct that refuses it).

    Its `where` is tested once the rule's quantifiers have bound their variables, so it may use them.
    """

    pattern: Pattern
    where: tuple = ()

    def describe(self, party, action: str, name: Namer, modality: str = "prohibition") -> str:
        return f"{name(party)} breached the {modality} to {words(action)}"


@attrs.define(slots=False, eq=False)
class Rule:
    """A rule ready to run: plain data, with its exceptions attached after lowering."""

    name: str
    article: str
    index: int
    kind: str  # norm | deem | membership | exception | empty
    trigger: Pattern | None = None
    where: tuple = ()
    quantifiers: tuple = ()
    conclusion: Conclusion | None = None
    unless: tuple = ()  # of Unless
    breach: BreachClause | None = None
    reading: str | None = None
    asymmetric: object = None  # a syntax Asymmetry: the rule treats parties unequally on purpose
    quote: str | None = None  # the phrase of its article's text it encodes: explanations quote its sentence
    exception_to: str | None = None
    exceptions: list = attrs.field(factory=list)  # ExceptionOf: exception rules that defeat this one
    span: object = None
    version: object = None  # the ArticleVersion (also its first condition) of a dated article, or None
    after: object = None  # an ir.procedures.EarlierEvent: `when P after P2 ...`
    ends: tuple = ()  # ir.lifetimes.EndOfNorm: `ends when`, `discharged by` (of a norm with a trigger)
    late_breaches: tuple = ()  # ir.lifetimes.BreachOfNorm: `breached by`, `breached if not discharged within`

    # what a Norm reads from its rule
    @property
    def modality(self):
        return self.conclusion.modality

    @property
    def action(self):
        return self.conclusion.action

    @property
    def means(self):
        return self.conclusion.means

    @property
    def key(self):
        return (self.article, self.name)

    def __repr__(self) -> str:
        return f"<rule {self.name} (article {self.article})>"

    def free_quantifiers(self) -> int:
        """How many `for each` range over the members (the others test a variable the pattern bound)."""
        bound = set(self.trigger.variables()) if self.trigger is not None else set()
        if self.after is not None:
            bound |= set(self.after.pattern.variables())
        return sum(1 for q in self.quantifiers if q.var not in bound)

    def expand(self, b: Binding, env: Env) -> list:
        """Bindings after the `for each` quantifiers."""
        bindings = [b]
        for q in self.quantifiers:
            bindings = q.expand(bindings, env)
        return bindings

    @property
    def defeaters(self) -> tuple:
        return (*self.unless, *self.exceptions)

    def defeated_by(self, b: Binding, env: Env):
        """The `unless` clause or the exception that defeats this conclusion, if any."""
        for d in self.defeaters:
            if d.holds(b, env):
                return d
        return None

    def bindings(self, event_args: dict | None, env: Env, start: Binding | None = None) -> Iterator[Binding]:
        """Every binding under which the rule concludes from an event (or, with no trigger, at all).

        `start`: what the binding begins with (the open facts of the fact matched, when it was conditional).
        """
        matched = self.trigger.match(event_args, start) if self.trigger is not None else [{}]
        if self.after is not None:
            matched = self.after.expand(matched, env)
        for b in matched:
            if self.where and not all(c.eval3(b, env) for c in self.where):
                continue
            for full in self.expand(b, env) if self.quantifiers else (b,):
                if (self.unless or self.exceptions) and self.defeated_by(full, env) is not None:
                    continue
                yield full

    def breaches(self, event_args: dict, env: Env, start: Binding | None = None) -> Iterator[Binding]:
        """Every binding under which the event is conduct this rule's prohibition forbids."""
        clause = self.breach
        for b in clause.pattern.match(event_args, start):
            if self.where and not all(c.eval3(b, env) for c in self.where):
                continue
            for full in self.expand(b, env):
                if clause.where and not all(c.eval3(full, env) for c in clause.where):
                    continue
                if (self.unless or self.exceptions) and self.defeated_by(full, env) is not None:
                    continue
                yield full
