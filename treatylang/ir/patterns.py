"""Event patterns: `attack(target: V, by: _, object: forces|vessel)`, one step per argument.

A variable on a list argument ranges over its elements (`raid(on: V)` matches once per actor raided); `_`
matches anything, or nothing; a missing argument matches no other step.

An argument the scenario leaves unknown (UNKNOWN, only for a parameter declared `= unknown`): a step that
tests it (constants, or a variable already bound) passes *conditionally*: the binding records what was
wanted (an Open, under the key OPEN) and what it concludes is conditional; a step that would bind a
variable from it cannot match (no invented values); `_` matches it.
"""

from __future__ import annotations

import functools

from treatylang.infra.nodes import node

from treatylang.ir.conditions import Binding, Namer, whole_list_key
from treatylang.ir.places import place_of
from treatylang.ir.wording import argument_of, words
from treatylang.ir.unknown import OPEN, UNKNOWN, Open


def _opened(bindings: list, fact: str, arg: str, among: bool, wanted) -> list:
    """The bindings, each recording that it holds only if `fact`'s `arg` is (among) `wanted`."""
    out = []
    for b in bindings:
        nb = dict(b)
        w = wanted(b) if callable(wanted) else wanted
        nb[OPEN] = (*b.get(OPEN, ()), Open(fact, arg, among, w))
        out.append(nb)
    return out


def _unknown_expr(gx, scope, expr: str):
    """'static' when the expression is the unknown itself, 'dynamic' when it may be (an argument of the
    scenario event declared `= unknown`), else None (a deemed fact's copy of a bound variable never is)."""
    if expr == "_UNK":
        return "static"
    return "dynamic" if scope.root and expr in gx.unknowable else None


def _emit_open(gx, scope, kind, expr: str, fact: str, arg: str, among: bool, wanted) -> None:
    """Record in the generated code the open fact of a conditional step: (the Open, the test that it is
    open or None when it always is). `wanted`: an expression, or the values themselves (a tuple), when the
    step tests constants: the Open is then made once, a constant."""
    if isinstance(wanted, tuple):
        made = gx.const(Open(fact, arg, among, wanted))
    else:
        made = f"_Open({gx.const(fact)}, {gx.const(arg)}, {gx.const(among)}, {wanted})"
    scope.opens.append((made, None if kind == "static" else f"{expr} is _UNK"))


def _as_tuple(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


def _as_list(value) -> tuple:
    """A list argument's value as a tuple: none given is the empty list."""
    return () if value is None else _as_tuple(value)


class Step:
    """One argument of a pattern. Subclasses give match, emit and why_not."""

    arg: str
    variable: str | None = None
    is_list = False  # list steps are emitted after single-valued ones, so these tests stay outside loops
    unknowable = False  # the parameter is declared `= unknown` (a field of each step class)

    def match(self, value, bindings: list) -> list:
        """The bindings that survive this argument's value (`value` is None when the event lacks it)."""
        raise NotImplementedError

    def emit(self, gx, scope, expr: str | None) -> None:
        """Tests and loops over the argument's expression (None: the fact never carries it)."""
        raise NotImplementedError

    def why_not(self, value, want: dict, name: Namer, event: str) -> tuple[str, str] | None:
        """A reason this value rules the match out ("no"), or None."""
        raise NotImplementedError

    @property
    def needs_value(self) -> bool:
        return True


@node
class Bind(Step):
    """A variable on a single-valued argument: binds it, or tests it if already bound."""

    arg: str
    variable: str
    optional: bool = False  # the parameter may be absent from a scenario event
    unknowable: bool = False  # the parameter is declared `= unknown`

    def match(self, value, bindings, fact=""):
        if value is None:
            return []
        var = self.variable
        if value is UNKNOWN:
            bound = [b for b in bindings if var in b]
            return _opened(bound, fact, self.arg, False, lambda b: (b[var],))
        return [b for b in bindings if b.setdefault(var, value) == value]

    def emit(self, gx, scope, expr):
        if expr is None:
            return gx.fail()
        unknown = _unknown_expr(gx, scope, expr)
        if unknown:
            if self.variable not in scope.vars:
                if unknown == "static":
                    return gx.fail()
                gx.test(f"{expr} is not _UNK")
            else:
                v = scope.vars[self.variable]
                _emit_open(gx, scope, unknown, expr, scope.fact, self.arg, False, f"({v},)")
                if unknown == "static":
                    return None
                return gx.test(f"({expr} == {v} or {expr} is _UNK)")
        if self.variable in scope.vars:
            return gx.test(f"{expr} == {scope.vars[self.variable]}")
        if self.optional and scope.root:
            gx.test(f"{expr} is not None")
        scope.vars[self.variable] = expr

    def why_not(self, value, want, name, event):
        wanted = want.get(self.variable)
        if value is UNKNOWN:
            return None
        if wanted is not None and value is not None and wanted != value:
            return "no", f"{name(wanted)} is not {argument_of(event, self.arg)} ({name(value)} is)"
        return None


@node
class BindEach(Step):
    """A variable on a list argument: ranges over its elements (or tests membership if already bound)."""

    arg: str
    variable: str
    unknowable: bool = False
    is_list = True

    def match(self, value, bindings, fact=""):
        if value is None:
            return []
        var, grown = self.variable, []
        if value is UNKNOWN:
            return _opened([b for b in bindings if var in b], fact, self.arg, True, lambda b: (b[var],))
        for b in bindings:
            old = b.get(var)
            if old is not None:
                if old in value:
                    grown.append(b)
                continue
            for item in value:
                nb = dict(b)
                nb[var] = item
                grown.append(nb)
        return grown

    def emit(self, gx, scope, expr):
        if expr is None:
            return gx.fail()
        unknown = _unknown_expr(gx, scope, expr)
        if unknown and self.variable in scope.vars:
            v = scope.vars[self.variable]
            _emit_open(gx, scope, unknown, expr, scope.fact, self.arg, True, f"({v},)")
            return None if unknown == "static" else gx.test(f"({v} in {expr} or {expr} is _UNK)")
        if unknown == "static":
            return gx.fail()  # a loop over the unknown: nothing to bind (the dynamic case loops over nothing)
        if self.variable in scope.vars:
            return gx.test(f"{scope.vars[self.variable]} in {expr}")
        name = scope.fresh(self.variable)
        gx.loop(name, expr)
        scope.vars[self.variable] = name
        scope.loops.add(name)

    def why_not(self, value, want, name, event):
        wanted = want.get(self.variable)
        if value is UNKNOWN:
            return None
        if wanted is not None and value is not None and wanted not in value:
            return "no", f"{name(wanted)} is not {argument_of(event, self.arg)} ({name(value)} is)"
        return None


@node
class OneOf(Step):
    """Constants on a single-valued argument: `object: forces|vessel`."""

    arg: str
    values: tuple  # as written: explanations list them in this order
    unknowable: bool = False

    def match(self, value, bindings, fact=""):
        if value is UNKNOWN:
            return _opened(bindings, fact, self.arg, self.is_list, tuple(self.values))
        return bindings if value in self.values else []

    def emit(self, gx, scope, expr):
        if expr is None:
            return gx.fail()
        unknown = _unknown_expr(gx, scope, expr)
        if unknown:
            _emit_open(gx, scope, unknown, expr, scope.fact, self.arg, self.is_list, tuple(self.values))
            if unknown == "static":
                return None
        values = frozenset(self.values)
        if unknown:
            gx.test(f"({expr} in {gx.const(values)} or {expr} is _UNK)")
            if scope.root:
                scope.root_tests.append((self.arg, values | {UNKNOWN}))
            return None
        gx.test(f"{expr} in {gx.const(values)}")
        if scope.root:
            scope.root_tests.append((self.arg, values))

    def why_not(self, value, want, name, event):
        if value is not None and value is not UNKNOWN and value not in self.values:
            return "no", self._covers(value, name, event)
        return None

    def _covers(self, value, name, event):
        return (f"the {words(event)}'s {words(self.arg)} is {name(value)}; "
                f"the rule covers only {' or '.join(name(v) for v in self.values)}")


@node
class AnyOf(OneOf):
    """Constants on a list argument: matches when one of the listed values is among them."""

    is_list = True

    def match(self, value, bindings, fact=""):
        if value is UNKNOWN:
            return _opened(bindings, fact, self.arg, True, tuple(self.values))
        return bindings if value is not None and not frozenset(self.values).isdisjoint(value) else []

    def emit(self, gx, scope, expr):
        if expr is None:
            return gx.fail()
        unknown = _unknown_expr(gx, scope, expr)
        if unknown:
            _emit_open(gx, scope, unknown, expr, scope.fact, self.arg, True, tuple(self.values))
            if unknown == "static":
                return None
            return gx.test(f"(not {gx.const(frozenset(self.values))}.isdisjoint({expr}) or {expr} is _UNK)")
        gx.test(f"not {gx.const(frozenset(self.values))}.isdisjoint({expr})")

    def why_not(self, value, want, name, event):
        if value is not None and value is not UNKNOWN and frozenset(self.values).isdisjoint(value):
            return "no", self._covers(value, name, event)
        return None


@node
class Anything(Step):
    """`_`: any value, or none at all."""

    arg: str
    unknowable: bool = False

    def match(self, value, bindings, fact=""):
        return bindings

    def emit(self, gx, scope, expr):
        return None

    def why_not(self, value, want, name, event):
        return None

    @property
    def needs_value(self) -> bool:
        return False


@node
class PlaceOf(Step):
    """`on: P of V`: P each place given (one, or each of a list), V the State whose territory it is.

    A place that is no State's territory (a region, the high seas) gives no V: no match for it. A variable
    already bound is tested: P among the places, V the State of one of them. Places left unknown match
    nothing: the step binds, and no value is invented.
    """

    arg: str
    variable: str  # P
    state: str  # V
    is_list: bool = False
    unknowable: bool = False

    def match(self, value, bindings, fact=""):
        if value is None or value is UNKNOWN:
            return []
        items = value if isinstance(value, tuple) else (value,)
        var, state, grown = self.variable, self.state, []
        for b in bindings:
            for item in items:
                if var in b and b[var] != item:
                    continue
                of = place_of(item)
                if of is None or (state in b and b[state] != of):
                    continue
                nb = dict(b)
                nb[var] = item
                nb[state] = of
                grown.append(nb)
        return grown

    def emit(self, gx, scope, expr):
        if expr is None:
            return gx.fail()
        unknown = _unknown_expr(gx, scope, expr)
        if unknown == "static":
            return gx.fail()
        if unknown:
            gx.test(f"{expr} is not _UNK")
        if self.variable in scope.vars:
            place = scope.vars[self.variable]
            gx.test(f"{place} {'in' if self.is_list else '=='} {expr}")
        elif self.is_list:
            place = scope.fresh(self.variable)
            gx.loop(place, expr)
            scope.vars[self.variable] = place
            scope.loops.add(place)
        else:
            place = expr
            scope.vars[self.variable] = place
        of = f"getattr({place}, 'of', None)"  # ir.places.place_of, without a Python call per place
        if self.state in scope.vars:
            gx.test(f"{of} == {scope.vars[self.state]}")
        else:  # the State, looked up once here: the rule's later loops read it many times
            state = scope.fresh(self.state)
            gx.flush()
            gx.emit(f"{state} = {of}")
            gx.test(f"{state} is not None")
            scope.vars[self.state] = state

    def why_not(self, value, want, name, event):
        if value is None or value is UNKNOWN:
            return None
        items = value if isinstance(value, tuple) else (value,)
        wanted_place, wanted_state = want.get(self.variable), want.get(self.state)
        if wanted_place is not None:
            if wanted_place not in items:
                return "no", f"{name(wanted_place)} is not {argument_of(event, self.arg)} ({name(value)} is)"
            items = tuple(i for i in items if i == wanted_place)
        ofs = [place_of(i) for i in items]
        if items and all(of is None for of in ofs):
            return "no", "; ".join(f"{name(i)} is no State's territory" for i in items)
        if wanted_state is not None and wanted_state not in ofs:
            return "no", (f"no place among {argument_of(event, self.arg)} ({name(value)}) "
                          f"is the territory of {name(wanted_state)}")
        return None


STEPS = (Bind, BindEach, OneOf, AnyOf, Anything, PlaceOf)


@node
class Pattern:
    """An event or fact type and one step per argument named, in the order written."""

    event: str
    steps: tuple
    keeps: tuple = ()  # list arguments whose whole list each binding carries (for `other than all of S`)

    def match(self, args: dict, binding: Binding | None = None) -> list[Binding]:
        bindings = [dict(binding) if binding else {}]
        for arg in self.keeps:
            whole = _as_list(args.get(arg))
            for b in bindings:
                b[whole_list_key(arg)] = whole
        for step in self.ordered:
            bindings = step.match(args.get(step.arg), bindings, self.event)
            if not bindings:
                return []
        return bindings

    def missing(self, args: dict) -> list[str]:
        """Arguments the pattern needs that the event does not give (for "unknown" explanations); an argument
        declared `= unknown` that the scenario states as none is known, not missing."""
        return [s.arg for s in self.steps if s.needs_value and
                (args.get(s.arg) is UNKNOWN or (args.get(s.arg) is None and not s.unknowable))]

    def variables(self) -> dict[str, str]:
        """Each variable the pattern binds -> the argument it stands for."""
        out = {}
        for s in self.steps:
            if s.variable is not None:
                out.setdefault(s.variable, s.arg)
            if isinstance(s, PlaceOf):
                out.setdefault(s.state, s.arg)
        return out

    @functools.cached_property
    def ordered(self) -> tuple:
        """The steps in the order both engines take them: single-valued before lists (so list tests stay
        outside loops), and arguments that may be unknown last (so a variable they test is bound elsewhere)."""
        return tuple(sorted(self.steps, key=lambda s: (s.unknowable, s.is_list)))

    def emit(self, gx, scope, args: dict) -> None:
        scope.fact = self.event
        for arg in self.keeps:
            expr = args.get(arg)
            scope.vars[whole_list_key(arg)] = f"({expr} or ())" if expr is not None else "()"
        for step in self.ordered:
            step.emit(gx, scope, args.get(step.arg))

    def why_not(self, args: dict, name: Namer, want: dict | None = None) -> tuple[str, str]:
        """Why an event did not match: what it says decides first ("no"); a missing argument is "unknown"."""
        want = want or {}
        for step in self.steps:  # the wanted values first, then the constants
            if step.variable is not None:
                said = step.why_not(args.get(step.arg), want, name, self.event)
                if said:
                    return said
        for step in self.steps:
            if step.variable is None:
                said = step.why_not(args.get(step.arg), want, name, self.event)
                if said:
                    return said
        for step in self.steps:
            if step.unknowable and step.needs_value and args.get(step.arg) is None and step.arg in args:
                return "no", (f"{argument_of(self.event, step.arg)} is known to be none "
                              "(the scenario says so: not unknown)")
        missing = self.missing(args)
        if missing:
            needed = " and ".join(f"'{m}'" for m in missing)
            return "unknown", (f"unknown: the rule needs the {words(self.event)}'s {needed}, "
                               "which the scenario does not give")
        return "no", "the event does not match the rule's pattern"
