"""Terms and conditions: tests on a binding, three-valued (True, False, or None when a value is unknown)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Callable

from treatylang.infra.nodes import node

from treatylang.ir.places import qualities_of, within_of
from treatylang.ir.wording import and_list, argument_of, indefinite, iso, words
from treatylang.source.dates import add_duration

Binding = dict  # variable name -> value (actor id or enumeration value)
Namer = Callable[[object], str]  # actor id -> display name (explain.phrases.Namer)


class Env:
    """What a condition may look at: the date, the members on it, actor kinds, the triggering event, and the
    scenario's date of entry into force (None: not in force), which dates relative to it need."""

    __slots__ = ("date", "members", "member_order", "kinds", "event", "entry", "earlier")

    def __init__(self, date, members, member_order, kinds, event=None, entry=None, earlier=None):
        self.date = date
        self.members = members
        self.member_order = member_order
        self.kinds = kinds
        self.event = event
        self.entry = entry
        self.earlier = earlier  # an ir.procedures.EarlierIndex, for rules with `after`


# ---- terms ---------------------------------------------------------------------------
@node
class Var:
    name: str

    def value(self, b: Binding):
        return b.get(self.name)

    def emit(self, scope) -> str:
        return scope.vars[self.name]

    def variables(self) -> tuple:
        return (self.name,)

    def __str__(self) -> str:
        return self.name


@node
class Const:
    """An actor id or an enumeration value written in the rule."""

    name: str

    def value(self, b: Binding):
        return self.name

    def emit(self, scope) -> str:
        return repr(self.name)

    def variables(self) -> tuple:
        return ()

    def __str__(self) -> str:
        return self.name


def whole_list_key(arg: str) -> str:
    """The binding key under which a pattern keeps the whole list of `arg` (never a variable's name)."""
    return f"*{arg}"


@node
class AllOf:
    """`other than all of S` (or `all of supported_by`): every element of a list argument of the trigger, as
    the event gives it. A variable on a list argument ranges over its elements; this names the whole list."""

    arg: str  # the list argument of the trigger
    written: str  # as written: the variable S, or the argument's name
    event: str  # the trigger's event or fact type (for the words)

    def values(self, b: Binding) -> tuple:
        return b.get(whole_list_key(self.arg), ())

    def emit(self, scope) -> str:
        return scope.vars[whole_list_key(self.arg)]

    def variables(self) -> tuple:
        return ()

    def words(self) -> str:
        return f"all of {argument_of(self.event, self.arg)}"

    def __str__(self) -> str:
        return f"all of {self.written}"


Term = Var | Const


# ---- conditions ----------------------------------------------------------------------
class Condition:
    """A test on a binding. Subclasses give eval3, emit and describe; why_not follows from them."""

    def eval3(self, b: Binding, env: Env) -> bool | None:
        raise NotImplementedError

    def emit(self, gx, scope) -> str:
        """The test as a Python expression over the generated handler's locals."""
        raise NotImplementedError

    def describe(self, b: Binding, env: Env, name: Namer, holds: bool | None = True) -> str:
        """The condition in words with its values, stated as it turned out."""
        raise NotImplementedError

    def variables(self) -> tuple:
        """The variables the condition reads, in the order written."""
        return ()

    def why_not(self, b: Binding, env: Env, name: Namer) -> tuple[str, str] | None:
        """("no" | "unknown", reason) when the condition does not hold; None when it does."""
        held = self.eval3(b, env)
        if held:
            return None
        if held is None:
            return "unknown", f"unknown: cannot tell whether {self.describe(b, env, name, True)}"
        return "no", f"the condition fails: {self.describe(b, env, name, False)}"


@node
class IsMember(Condition):
    """`X is a member`: on the date of the event being judged."""

    term: Term
    negated: bool = False

    def eval3(self, b, env):
        v = self.term.value(b)
        return None if v is None else (v in env.members) != self.negated

    def emit(self, gx, scope):
        return f"({self.term.emit(scope)} {'not in' if self.negated else 'in'} members)"

    def describe(self, b, env, name, holds=True):
        positive = (holds is True) != self.negated
        return f"{name(self.term.value(b))} is {'' if positive else 'not '}a member on {iso(env.date)}"

    def variables(self):
        return self.term.variables()


@node
class HasKind(Condition):
    """`X is a state`, `X is not an armed_group`: the kind the treaty or the scenario gives an actor."""

    term: Term
    kind: str
    negated: bool = False

    def eval3(self, b, env):
        v = self.term.value(b)
        return None if v is None else (env.kinds.get(v) == self.kind) != self.negated

    def emit(self, gx, scope):
        return f"(kinds.get({self.term.emit(scope)}) {'!=' if self.negated else '=='} {gx.const(self.kind)})"

    def describe(self, b, env, name, holds=True):
        positive = (holds is True) != self.negated
        return f"{name(self.term.value(b))} is {'' if positive else 'not '}{indefinite(self.kind)}"

    def variables(self):
        return self.term.variables()


@node
class Same(Condition):
    """`P is Q`, `P is not Q`."""

    left: Term
    right: Term
    negated: bool = False

    def eval3(self, b, env):
        x, y = self.left.value(b), self.right.value(b)
        return None if x is None or y is None else (x == y) != self.negated

    def emit(self, gx, scope):
        return f"({self.left.emit(scope)} {'!=' if self.negated else '=='} {self.right.emit(scope)})"

    def describe(self, b, env, name, holds=True):
        same = (holds is True) != self.negated
        left, right = name(self.left.value(b)), name(self.right.value(b))
        return f"{left} is {'' if same else 'not '}{right} ({self.left} {'=' if same else '≠'} {self.right})"

    def variables(self):
        return tuple(dict.fromkeys((*self.left.variables(), *self.right.variables())))


def _given(env: Env, arg: str) -> tuple:
    return tuple((env.event.args.get(arg) or ()) if env.event is not None else ())


def _among(env: Env, arg: str) -> str:
    return argument_of(env.event.type, arg) if env.event is not None else f"'{arg}'"


def all_among(members, given) -> bool:
    given = given or ()
    return all(m in given for m in members)


def share_among(members, given, num: int, den: int) -> bool:
    given = given or ()
    return sum(1 for m in members if m in given) * den >= num * len(members)


@node
class AllAmong(Condition):
    """`every member is among approved_by`: unanimity of the members on the date, over a list argument."""

    arg: str

    def eval3(self, b, env):
        return all_among(env.members, _given(env, self.arg))

    def emit(self, gx, scope):
        return f"_all_among(members, {scope.args.get(self.arg, 'None')})"

    def describe(self, b, env, name, holds=True):
        given = set(_given(env, self.arg))
        if holds:
            return f"every member on {iso(env.date)} ({name(list(env.member_order))}) is among {_among(env, self.arg)}"
        missing = [m for m in env.member_order if m not in given]
        verb = "is" if len(missing) == 1 else "are"
        return f"not every member on {iso(env.date)} is among {_among(env, self.arg)}: {name(missing)} {verb} missing"


@node
class ShareAmong(Condition):
    """`at least 2/3 of members are among approved_by`."""

    numerator: int
    denominator: int
    arg: str

    def eval3(self, b, env):
        return share_among(env.members, _given(env, self.arg), self.numerator, self.denominator)

    def emit(self, gx, scope):
        given = scope.args.get(self.arg, "None")
        return f"_share_among(members, {given}, {self.numerator}, {self.denominator})"

    def describe(self, b, env, name, holds=True):
        given = set(_given(env, self.arg))
        yes = sum(1 for m in env.members if m in given)
        return (f"{yes} of the {len(env.members)} members on {iso(env.date)} are among {_among(env, self.arg)}; "
                f"at least {self.numerator}/{self.denominator} {'are' if holds else 'were'} needed")


@node
class ListOf:
    """`other than S` where S is bound to each element of a list argument: the whole list is left out."""

    name: str  # the variable
    arg: str  # the list argument of the event or fact matched that binds it

    def values(self, b: Binding, env: Env) -> tuple:
        return _given(env, self.arg)

    def emit(self, scope) -> str:
        return f"tuple({scope.args[self.arg]} or ())"

    def variables(self) -> tuple:
        return (self.name,)

    def __str__(self) -> str:
        return self.name


def _excluded(terms, b: Binding, env: Env) -> set:
    out = set()
    for t in terms:
        out.update(t.values(b, env) if isinstance(t, ListOf) else (t.value(b),))
    return out


def share_among_others(members, given, excluded, num: int, den: int) -> bool:
    """The share of the members entitled to vote (the members less the excluded) among `given`; false when
    no member is entitled to vote (nothing can be decided)."""
    given = given or ()
    entitled = [m for m in members if m not in excluded]
    return bool(entitled) and sum(1 for m in entitled if m in given) * den >= num * len(entitled)


@node
class ShareAmongOthers(Condition):
    """`at least 2/3 of members other than S are among voted_for`: the States concerned excluded from the vote
    (Rio art. 18); S a list variable leaves out every element of its list."""

    numerator: int
    denominator: int
    arg: str
    excluding: tuple  # of Term or ListOf

    def eval3(self, b, env):
        return share_among_others(env.members, _given(env, self.arg), _excluded(self.excluding, b, env),
                                  self.numerator, self.denominator)

    def emit(self, gx, scope):
        gx.globals.setdefault("_share_among_others", share_among_others)
        given = scope.args.get(self.arg, "None")
        parts = " + ".join(t.emit(scope) if isinstance(t, ListOf) else f"({t.emit(scope)},)" for t in self.excluding)
        return f"_share_among_others(members, {given}, set({parts}), {self.numerator}, {self.denominator})"

    def describe(self, b, env, name, holds=True):
        given, excluded = set(_given(env, self.arg)), _excluded(self.excluding, b, env)
        entitled = [m for m in env.member_order if m not in excluded]
        less = [name(m) for m in env.member_order if m in excluded]
        yes = sum(1 for m in entitled if m in given)
        on = f"{len(env.members)} members on {iso(env.date)}"
        if less:
            basis = f"{on}, less {and_list(less)}"
        else:
            basis = f"{on}; {name(sorted(excluded, key=str))} {'is' if len(excluded) == 1 else 'are'} not among them"
        return (f"{yes} of the {len(entitled)} members entitled to vote ({basis}) {'is' if yes == 1 else 'are'} among "
                f"{_among(env, self.arg)}; "
                f"at least {self.numerator}/{self.denominator} {'are' if holds else 'were'} needed")

    def variables(self):
        return tuple(dict.fromkeys(v for t in self.excluding for v in t.variables()))


_DATE_OPS = {
    "before": ("<", lambda d, w: d < w), "after": (">", lambda d, w: d > w), "on": ("==", lambda d, w: d == w),
    "on_or_after": (">=", lambda d, w: d >= w), "on_or_before": ("<=", lambda d, w: d <= w),
}


@node
class DateIs(Condition):
    """`date is on or after 2024-01-01`: the date of the event being judged."""

    op: str  # a key of _DATE_OPS
    date: dt.date

    def eval3(self, b, env):
        return _DATE_OPS[self.op][1](env.date, self.date)

    def emit(self, gx, scope):
        return f"(date {_DATE_OPS[self.op][0]} {gx.const(self.date)})"

    def describe(self, b, env, name, holds=True):
        return f"the date {iso(env.date)} is {'' if holds else 'not '}{words(self.op)} {self.date.isoformat()}"


def from_entry(entry, amount: int, unit: str):
    """The date `amount unit` after entry into force; None when not in force (or after 9999-12-31)."""
    return None if entry is None else add_duration(entry, amount, unit)


_from_entry_once = lru_cache(maxsize=256)(from_entry)  # generated code asks once per event for the same date


def date_from_entry(date, entry, op: str, amount: int, unit: str) -> bool:
    """`date is OP N units after entry into force`: false when the treaty is not in force (no such date)."""
    when = from_entry(entry, amount, unit)
    return when is not None and _DATE_OPS[op][1](date, when)


@node
class DateFromEntry(Condition):
    """`date is on or after 20 years after entry into force`: the date of the event being judged, against a
    date counted from the entry into force of the treaty in this scenario (known only per scenario)."""

    op: str  # a key of _DATE_OPS
    delay: object  # a syntax Duration

    def eval3(self, b, env):
        return date_from_entry(env.date, env.entry, self.op, self.delay.amount, self.delay.unit)

    def emit(self, gx, scope):
        gx.globals["_from_entry"] = _from_entry_once
        when = f"_from_entry(entry, {gx.const(self.delay.amount)}, {gx.const(self.delay.unit)})"
        return f"((_when := {when}) is not None and date {_DATE_OPS[self.op][0]} _when)"

    def describe(self, b, env, name, holds=True):
        when = from_entry(env.entry, self.delay.amount, self.delay.unit)
        if env.entry is None:
            return f"the date {iso(env.date)} is {words(self.op)} {self.delay} after entry into force (not in force)"
        shown = when.isoformat() if when is not None else "a date after 9999-12-31"
        return (f"the date {iso(env.date)} is {'' if holds else 'not '}{words(self.op)} {shown} "
                f"({self.delay} after entry into force on {env.entry.isoformat()})")

    def why_not(self, b, env, name):
        if env.entry is None:
            return "no", (f"the condition fails: the treaty is not in force, so there is no date {self.delay} "
                          "after its entry into force")
        return super().why_not(b, env, name)


@node
class ArticleVersion(Condition):
    """The dates a version of an article applies (`article 6 "..." from D1 until D2`, inclusive): the rules of
    that block conclude only on events (and standing norms only on as-of dates) in the range. Lowered as the
    first condition of each of the block's rules, so every path (generated code, interpreter, membership
    pass, explanations) reads the range here."""

    number: str
    title: str | None
    valid_from: dt.date | None
    valid_until: dt.date | None

    def eval3(self, b, env):
        d = env.date
        return (self.valid_from is None or d >= self.valid_from) and (self.valid_until is None or d <= self.valid_until)

    def emit(self, gx, scope):
        tests = []
        if self.valid_from is not None:
            tests.append(f"date >= {gx.const(self.valid_from)}")
        if self.valid_until is not None:
            tests.append(f"date <= {gx.const(self.valid_until)}")
        return f"({' and '.join(tests) or 'True'})"

    def range(self) -> str:
        if self.valid_from is not None and self.valid_until is not None:
            return f"from {self.valid_from.isoformat()} until {self.valid_until.isoformat()}"
        if self.valid_from is not None:
            return f"from {self.valid_from.isoformat()}"
        return f"until {self.valid_until.isoformat()}"

    def label(self) -> str:
        """How results and explanations name this version: `article 6 (Territory (1949 text), until 1952-02-14)`."""
        title = f"{self.title}, " if self.title else ""
        return f"article {self.number} ({title}{self.range()})"

    def describe(self, b, env, name, holds=True):
        title = f" ({self.title})" if self.title else ""
        if holds:
            return f"article {self.number}{title} applies on {iso(env.date)} (it applies {self.range()})"
        return f"article {self.number}{title} applies only {self.range()}, not on {iso(env.date)}"


@node
class Either(Condition):
    """`either C or D`: true if one holds; unknown if neither fails for sure and one is unknown."""

    left: Condition
    right: Condition

    def eval3(self, b, env):
        x, y = self.left.eval3(b, env), self.right.eval3(b, env)
        if x or y:
            return True
        return None if x is None or y is None else False

    def emit(self, gx, scope):
        return f"({self.left.emit(gx, scope)} or {self.right.emit(gx, scope)})"

    def describe(self, b, env, name, holds=True):
        if holds is False:  # both sides failed: say each as written
            return f"neither {self.left.describe(b, env, name, True)} nor {self.right.describe(b, env, name, True)}"
        return f"either {self.left.describe(b, env, name, holds)} or {self.right.describe(b, env, name, holds)}"

    def variables(self):
        return tuple(dict.fromkeys((*self.left.variables(), *self.right.variables())))


@node
class IsIn(Condition):
    """`P is in north_america`: containment of places, transitive; a place is in itself."""

    term: Term
    region: str
    negated: bool = False

    def eval3(self, b, env):
        v = self.term.value(b)
        return None if v is None else (self.region in within_of(env.kinds, v)) != self.negated

    def emit(self, gx, scope):
        gx.globals.setdefault("_within_of", within_of)
        return f"({gx.const(self.region)} {'not in' if self.negated else 'in'} _within_of(kinds, {self.term.emit(scope)}))"

    def describe(self, b, env, name, holds=True):
        positive = (holds is True) != self.negated
        return f"{name(self.term.value(b))} is {'' if positive else 'not '}in {name(self.region)}"

    def variables(self):
        return self.term.variables()


@node
class HasQuality(Condition):
    """`V is a european_state`, `P is north_of_tropic`: a quality the treaty declares, which actors and places
    have as the treaty or the scenario says."""

    term: Term
    quality: str
    description: str  # as declared: "a European State", "north of the Tropic of Cancer"
    negated: bool = False

    def eval3(self, b, env):
        v = self.term.value(b)
        return None if v is None else (self.quality in qualities_of(env.kinds, v)) != self.negated

    def emit(self, gx, scope):
        gx.globals.setdefault("_qualities_of", qualities_of)
        return f"({gx.const(self.quality)} {'not in' if self.negated else 'in'} _qualities_of(kinds, {self.term.emit(scope)}))"

    def describe(self, b, env, name, holds=True):
        positive = (holds is True) != self.negated
        return f"{name(self.term.value(b))} is {'' if positive else 'not '}{self.description}"

    def variables(self):
        return self.term.variables()


CONDITIONS = (IsMember, HasKind, Same, AllAmong, ShareAmong, ShareAmongOthers, DateIs, DateFromEntry, ArticleVersion, Either, IsIn,
              HasQuality)


def all_hold(conditions, b: Binding, env: Env) -> bool:
    for c in conditions:
        if not c.eval3(b, env):
            return False
    return True
