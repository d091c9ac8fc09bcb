"""Terms and conditions: tests on a binding, three-valued (True, False, or None when a value is unknown)."""

from __future__ import annotations

import datetime as dt
from typing import Callable

import attrs

from treatylang.ir.wording import indefinite, iso, words

Binding = dict  # variable name -> value (actor id or enumeration value)
Namer = Callable[[object], str]  # actor id -> display name (explain.phrases.Namer)


class Env:
    """What a condition may look at: the date, the members on it, actor kinds, the triggering event."""

    __slots__ = ("date", "members", "member_order", "kinds", "event", "earlier")

    def __init__(self, date, members, member_order, kinds, event=None, earlier=None):
        self.date = date
        self.members = members
        self.member_order = member_order
        self.kinds = kinds
        self.event = event
        self.earlier = earlier  # an ir.procedures.EarlierIndex, for rules with `after`


# ---- terms ---------------------------------------------------------------------------
@attrs.frozen(slots=False)
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


@attrs.frozen(slots=False)
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


@attrs.frozen(slots=False)
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


@attrs.frozen(slots=False)
class HasKind(Condition):
    """`X is a state`, `X is not an armed_group`: the kind the treaty or the scenario gives an actor."""

    term: Term
    kind: str
    negated: bool = False

    def eval3(self, b, env):
        v = self.term.value(b)
        return None if v is None else (env.kinds.get(v) == self.kind) != self.negated

    def emit(self, gx, scope):
        return f"(kinds.get({self.term.emit(scope)}) {'!=' if self.negated else '=='} {self.kind!r})"

    def describe(self, b, env, name, holds=True):
        positive = (holds is True) != self.negated
        return f"{name(self.term.value(b))} is {'' if positive else 'not '}{indefinite(self.kind)}"

    def variables(self):
        return self.term.variables()


@attrs.frozen(slots=False)
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
    return f"the {words(env.event.type)}'s '{arg}'" if env.event is not None else f"'{arg}'"


def all_among(members, given) -> bool:
    given = given or ()
    return all(m in given for m in members)


def share_among(members, given, num: int, den: int) -> bool:
    given = given or ()
    return sum(1 for m in members if m in given) * den >= num * len(members)


@attrs.frozen(slots=False)
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


@attrs.frozen(slots=False)
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


_DATE_OPS = {
    "before": ("<", lambda d, w: d < w), "after": (">", lambda d, w: d > w), "on": ("==", lambda d, w: d == w),
    "on_or_after": (">=", lambda d, w: d >= w), "on_or_before": ("<=", lambda d, w: d <= w),
}


@attrs.frozen(slots=False)
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


@attrs.frozen(slots=False)
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


CONDITIONS = (IsMember, HasKind, Same, AllAmong, ShareAmong, DateIs, Either)


def all_hold(conditions, b: Binding, env: Env) -> bool:
    for c in conditions:
        if not c.eval3(b, env):
            return False
    return True
