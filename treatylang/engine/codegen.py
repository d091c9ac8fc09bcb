"""Compiled rules → one Python function per event type, generated once at load.

The interpreter in engine.py walks closures; this module writes the same logic out as straight-line
Python (nested loops and tests, deemed facts inlined into the rules that match them), so that an
evaluation pays only for the work its events need. Both must agree: tests/test_codegen.py checks it.

A generated handler takes (event, members, order, kinds, append_norm, append_breach) and appends Norm and
Breach tuples: one allocation per conclusion. Bindings and deemed facts are not kept; explanations replay the
event through the interpreter on demand (engine.derivation).
"""

from __future__ import annotations

from treatylang.lang import syntax as s
from treatylang.ir.compiled import CompiledRule, CompiledTreaty


def _all_among(members, given) -> bool:
    given = given or ()
    return all(m in given for m in members)


def _share_among(members, given, num, den) -> bool:
    given = given or ()
    return sum(1 for m in members if m in given) * den >= num * len(members)


class _Scope:
    """Where each rule variable's value lives in the generated code, and what ranges over loops."""

    def __init__(self, depth: int):
        self.depth = depth
        self.vars: dict[str, str] = {}
        self.loops: set[str] = set()
        self.members: set[str] = set()  # expressions known to be members here (no need to test again)

    def fresh(self, var: str) -> str:
        return f"v{self.depth}_{var}"


class _Emitter:
    def __init__(self, treaty: CompiledTreaty, norm_cls, breach_cls):
        self.treaty = treaty
        self.lines: list[str] = []
        self.globals = {"_new": tuple.__new__, "Norm": norm_cls, "Breach": breach_cls,
                        "_all_among": _all_among, "_share_among": _share_among}
        self._const_ids: dict[object, str] = {}
        self.pending: list[str] = []
        self.needs_dedupe: dict[tuple, bool] = {}  # (event type, rule index) -> must a `seen` set guard it
        self.deemers: dict[str, list[CompiledRule]] = {}

    def const(self, value) -> str:
        key = (type(value).__name__, value if not isinstance(value, CompiledRule) else id(value))
        if key not in self._const_ids:
            name = f"K{len(self._const_ids)}"
            self._const_ids[key] = name
            self.globals[name] = value
        return self._const_ids[key]

    def emit(self, indent: int, text: str) -> None:
        self.lines.append("    " * indent + text)

    # ---- expressions -------------------------------------------------------------------
    def term(self, t: s.Term, scope: _Scope) -> str:
        return scope.vars[t.name] if isinstance(t, s.Var) else repr(t.name)

    def condition(self, c, scope: _Scope, trigger_args: dict) -> str:
        if isinstance(c, s.IsKind):
            x = self.term(c.term, scope)
            if c.kind == "member":
                return f"({x} {'not in' if c.negated else 'in'} members)"
            return f"(kinds.get({x}) {'!=' if c.negated else '=='} {c.kind!r})"
        if isinstance(c, s.IsSame):
            return f"({self.term(c.left, scope)} {'!=' if c.negated else '=='} {self.term(c.right, scope)})"
        if isinstance(c, s.AllAmong):
            return f"_all_among(members, {trigger_args.get(c.arg, 'None')})"
        if isinstance(c, s.ShareAmong):
            return f"_share_among(members, {trigger_args.get(c.arg, 'None')}, {c.numerator}, {c.denominator})"
        if isinstance(c, s.DateTest):
            op = {"before": "<", "after": ">", "on": "==", "on_or_after": ">=", "on_or_before": "<="}[c.op]
            return f"(date {op} {self.const(c.date)})"
        if isinstance(c, s.Either):
            return f"({self.condition(c.left, scope, trigger_args)} or {self.condition(c.right, scope, trigger_args)})"
        raise TypeError(c)

    def conjunction(self, conds, scope, trigger_args) -> str:
        return " and ".join(self.condition(c, scope, trigger_args) for c in conds) or "True"

    # ---- tests are gathered and written as one `if` before the next loop or statement ----------
    def test(self, expr: str) -> None:
        self.pending.append(expr)

    def flush(self, indent: int) -> int:
        if self.pending:
            self.emit(indent, f"if {' and '.join(self.pending)}:")
            self.pending = []
            return indent + 1
        return indent

    def loop(self, indent: int, var: str, iterable: str) -> int:
        indent = self.flush(indent)
        self.emit(indent, f"for {var} in {iterable}:")
        return indent + 1

    # ---- patterns ----------------------------------------------------------------------
    def pattern(self, pattern: s.Pattern, args: dict, may_be_none: bool, scope: _Scope, indent: int,
                root_tests: list | None) -> int:
        """Emit the tests and loops of a pattern over argument expressions; return the new indent.

        Single-valued arguments are tested first, so their tests stay outside the loops over lists.
        """
        decl = self.treaty.events[pattern.event]
        steps = sorted(pattern.args, key=lambda a: decl.param(a.name).type.is_list)
        for a in steps:
            expr = args.get(a.name)
            is_list = decl.param(a.name).type.is_list
            v = a.value
            if expr is None:
                self.test("False")
            elif isinstance(v, s.Var):
                if is_list:
                    if v.name in scope.vars:
                        self.test(f"{scope.vars[v.name]} in {expr}")
                    else:
                        name = scope.fresh(v.name)
                        indent = self.loop(indent, name, expr)
                        scope.vars[v.name] = name
                        scope.loops.add(name)
                elif v.name in scope.vars:
                    self.test(f"{expr} == {scope.vars[v.name]}")
                else:
                    if may_be_none and not decl.param(a.name).required:
                        self.test(f"{expr} is not None")
                    scope.vars[v.name] = expr
            elif isinstance(v, s.ArgConst):
                values = frozenset(v.values)
                if is_list:
                    self.test(f"not {self.const(values)}.isdisjoint({expr})")
                else:
                    self.test(f"{expr} in {self.const(values)}")
                    if root_tests is not None and may_be_none:
                        root_tests.append((a.name, values))
        return indent

    def quantifiers(self, rule: CompiledRule, scope: _Scope, indent: int) -> int:
        for q in rule.syntax.quantifiers:
            excluded = [self.term(t, scope) for t in q.excluding]
            if q.var in scope.vars:
                x = scope.vars[q.var]
                if x not in scope.members:
                    self.test(f"{x} in members")
                    scope.members.add(x)
            else:
                x = scope.fresh(q.var)
                indent = self.loop(indent, x, "order")
                scope.vars[q.var] = x
                scope.loops.add(x)
                scope.members.add(x)
            for e in excluded:
                self.test(f"{x} != {e}")
        return indent

    def defeaters(self, rule: CompiledRule, scope, trigger_args) -> None:
        for group in rule.syntax.unless:
            self.test(f"not ({self.conjunction(group, scope, trigger_args)})")
        for exc in rule.exceptions:
            self.test(f"not ({self.conjunction(exc.syntax.where, scope, trigger_args)})")

    # ---- rules ---------------------------------------------------------------------------
    def rule(self, rule: CompiledRule, args: dict, may_be_none: bool, indent: int, depth: int,
             plan, root_tests: list, loops: set, known_members: set) -> None:
        outer = list(self.pending)  # tests of the enclosing rule not yet written: siblings need them too
        scope = _Scope(depth)
        scope.loops = set(loops)
        scope.members = set(known_members)
        tests = list(root_tests)
        indent = self.pattern(rule.syntax.trigger, args, may_be_none, scope, indent, tests)
        if rule.syntax.where:
            self.test(self.conjunction(rule.syntax.where, scope, args))
            for c in rule.syntax.where:
                if isinstance(c, s.IsKind) and c.kind == "member" and not c.negated:
                    scope.members.add(self.term(c.term, scope))
        indent = self.quantifiers(rule, scope, indent)
        self.defeaters(rule, scope, args)
        if rule.kind == "norm":
            c = rule.conclusion
            bearer = self.term(c.bearer, scope)
            cp = self.term(c.counterparty, scope) if c.counterparty is not None else "None"
            if bearer not in scope.members:  # a treaty binds only its members
                self.test(f"{bearer} in members")
            if plan is not None:
                plan.setdefault(rule.index, []).append((tuple(tests), scope.loops <= {bearer, cp}))
            elif self.needs_dedupe.get((self.root_type, rule.index), True):
                key = f"({rule.index}, {bearer}, {cp})"
                self.test(f"{key} not in seen")
                indent = self.flush(indent)
                self.emit(indent, f"seen.add({key})")
            indent = self.flush(indent)
            r = self.const(rule)
            self.emit(indent, f"norms_append(_new(Norm, ({bearer}, {cp}, {r}, ev, date)))")
        elif rule.kind == "deem":
            fact_args = {name: repr(value) for name, value in rule.fact_defaults.items()}
            for name, var, const in rule.fact_args:
                value = scope.vars[var] if var is not None else repr(const)
                fact_args[name] = f"({value},)" if name in rule.fact_lists else value
            for consumer in self.treaty.triggered.get(rule.fact_type, ()):
                self.rule(consumer, fact_args, False, indent, depth + 1, plan, tests, scope.loops, scope.members)
        self.pending = outer

    def breach(self, rule: CompiledRule, args: dict, indent: int) -> None:
        scope = _Scope(0)
        pattern = rule.syntax.breach.pattern
        indent = self.pattern(pattern, args, True, scope, indent, None)
        conds = (*rule.syntax.breach.where, *rule.syntax.where)
        if conds:
            self.test(self.conjunction(conds, scope, args))
        indent = self.quantifiers(rule, scope, indent)
        self.defeaters(rule, scope, args)
        party = self.term(rule.conclusion.bearer, scope)
        if party not in scope.members:
            self.test(f"{party} in members")
        if scope.loops:
            key = f"('breach', {rule.index}, {party})"
            self.test(f"{key} not in seen")
            indent = self.flush(indent)
            self.emit(indent, f"seen.add({key})")
        indent = self.flush(indent)
        self.emit(indent, f"breaches_append(_new(Breach, ({party}, {self.const(rule)}, ev)))")
        self.pending = []

    def handler(self, event_type: str, plan=None) -> None:
        decl = self.treaty.events[event_type]
        self.root_type = event_type
        fn = f"handle_{event_type}"
        self.emit(0, f"def {fn}(ev, members, order, kinds, norms_append, breaches_append):")
        head = len(self.lines)
        self.emit(1, "date = ev.date; args = ev.args")
        args = {}
        for p in decl.params:
            args[p.name] = f"a_{p.name}"
            self.emit(1, f"a_{p.name} = args[{p.name!r}]")
        for rule in self.treaty.triggered.get(event_type, ()):
            self.rule(rule, args, True, 1, 0, plan, [], set(), set())
        for rule in self.treaty.breach_rules.get(event_type, ()):
            self.breach(rule, args, 1)
        if any("seen" in line for line in self.lines[head:]):
            self.lines.insert(head, "    seen = set()")
        self.emit(1, "return None")
        self.emit(0, "")


def _exclusive(a: tuple, b: tuple) -> bool:
    """Two derivation paths can never both run: they test one argument of the event against disjoint values."""
    tests_b = {}
    for arg, values in b:
        tests_b.setdefault(arg, []).append(values)
    return any(values.isdisjoint(other) for arg, values in a for other in tests_b.get(arg, ()))


def generate_handler(treaty: CompiledTreaty, event_type: str, norm_cls, breach_cls):
    """The handler for one event type; its source is kept on the function as `__source__`."""
    em = _Emitter(treaty, norm_cls, breach_cls)
    plan: dict = {}
    em.handler(event_type, plan)
    for rule_index, paths in plan.items():
        injective = all(ok for _, ok in paths)
        disjoint = all(_exclusive(paths[i][0], paths[j][0]) for i in range(len(paths)) for j in range(i + 1, len(paths)))
        em.needs_dedupe[(event_type, rule_index)] = not (injective and disjoint)
    em.lines = []
    em.handler(event_type)
    source = "\n".join(em.lines)
    namespace = dict(em.globals)
    exec(compile(source, f"<{treaty.id}: {event_type}>", "exec"), namespace)
    run = namespace[f"handle_{event_type}"]
    run.__source__ = source
    return run
