"""IR → one Python function per event type, generated once per treaty: the path that produces results.

Each IR construct writes its own code (`emit`); this module only lays out the function: the event's
arguments, then each rule that matches it, with the rules that match the facts it deems inlined below
(and the prohibitions those facts may breach), tests gathered into one `if` before the next loop or
statement. A handler appends one Norm or Breach tuple per conclusion. The traced variant, made on demand
for explanations, also records each conclusion's derivation: the chain of rules and their bindings.

Only names the grammar allows reach the source (checked by `identifier`); every value is passed as a constant
of the namespace (`_Emitter.const`). The file name given to `compile`, a label, is checked names too.
"""

from __future__ import annotations

import re

import attrs

from treatylang.ir.conditions import IsMember, Var, all_among, share_among
from treatylang.model import UNKNOWN, Breach, Conditional, Norm, Open, open_set

MAX_LOOPS = 18  # CPython refuses more than 20 statically nested blocks
MAX_INDENT = 90  # and more than 100 levels of indentation
_NAME = re.compile(r"[a-z][a-z0-9_]*|[A-Z][A-Za-z0-9_]*", re.ASCII)  # the grammar's NAME and VAR


def identifier(name: str) -> str:
    """A name of the IR (an event type, a parameter, a variable) as part of a Python identifier in generated code. Every
    value the code uses is a constant of its namespace (`_Emitter.const`); names are the only text of the
    treaty in its source, and only names the grammar allows: checked here, not assumed."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValueError(f"not a name the generated code may use: {name!r}")
    return name


class TooDeep(Exception):
    """The rules of one event type nest deeper than Python compiles; the interpreter runs them instead."""


class _Scope:
    """Where each rule variable's value lives in the generated code, and what ranges over loops."""

    def __init__(self, depth: int, args: dict, root: bool, loops=(), members=()):
        self.depth = depth
        self.args = args  # argument -> expression, for the event or fact being matched
        self.root = root  # matching the scenario event itself (optional arguments may be None)
        self.vars: dict[str, str] = {}
        self.loops: set[str] = set(loops)
        self.members: set[str] = set(members)  # expressions known to be members here
        self.root_tests: list = []  # (argument, values) tested on the scenario event: to see exclusive paths
        self.opens: list[tuple] = []  # the open facts of conditional steps: (Open expression, guard or None)
        self.fact = ""  # the event or fact type being matched
        self.collapsed: tuple | None = None  # (the loops a `once` test stands for, its key expressions)

    def fresh(self, var: str) -> str:
        return f"v{self.depth}_{identifier(var)}"


class _Dead(Exception):
    """A pattern can never match on this path (the fact never carries an argument it needs)."""


class _Emitter:
    def __init__(self, treaty, traced: bool):
        self.treaty = treaty
        self.traced = traced
        self.lines: list[str] = []
        self.indent = 1
        self.loops = 0
        self.pending: list[str] = []
        self.statements = 0
        self.globals = {"Norm": Norm, "Breach": Breach,
                        "_all_among": all_among, "_share_among": share_among,
                        "_UNK": UNKNOWN, "_Open": Open, "_open_set": open_set, "_Cond": Conditional}
        self.unknowable: set[str] = set()  # expressions of the handler that may hold UNKNOWN
        self._const_ids: dict = {}
        self.plan: dict | None = None
        self.needs_dedupe: dict = {}
        self.paths_to: dict = {}  # (kind, rule index) -> (root tests, injective) of each path, in the first pass
        self.distinct: dict = {}  # (kind, rule index) -> its conclusions never repeat within one event
        self.unsettled = False  # a conditional conclusion may repeat or be established too (model.settle_conditional)
        self._chain: tuple = ()  # (rule, scope) from the scenario event's rule down to the current one
        self.branch: str | None = None  # "conditional" or "established" inside norm_both_ways

    # ---- what the IR's emit methods call --------------------------------------------------
    def const(self, value) -> str:
        key = (type(value).__name__, id(value) if type(value).__name__ == "Rule" else value)
        if key not in self._const_ids:
            name = f"K{len(self._const_ids)}"
            self._const_ids[key] = name
            self.globals[name] = value
        return self._const_ids[key]

    def test(self, expr: str) -> None:
        self.pending.append(expr)

    def fail(self) -> None:
        raise _Dead

    def loop(self, var: str, iterable: str) -> None:
        self.flush()
        self.emit(f"for {var} in {iterable}:")
        self.indent += 1
        self.loops += 1
        if self.loops > MAX_LOOPS:
            raise TooDeep

    # ---- layout ------------------------------------------------------------------------------
    def emit(self, text: str) -> None:
        self.lines.append("    " * self.indent + text)

    def flush(self) -> None:
        if self.pending:
            self.emit(f"if {' and '.join(self.pending)}:")
            self.pending = []
            self.indent += 1
            if self.indent > MAX_INDENT:
                raise TooDeep

    def checkpoint(self):
        return len(self.lines), list(self.pending), self.indent, self.loops, self.statements

    def restore(self, mark, keep_lines: bool) -> None:
        lines, pending, indent, loops, statements = mark
        if not keep_lines or self.statements == statements:  # a dead path, or loops with nothing inside
            del self.lines[lines:]
        self.pending, self.indent, self.loops = pending, indent, loops

    def conclude(self, kind: str, key: str, injective: bool, rule, statement: str, chain) -> None:
        """The statement of one conclusion, guarded by a `seen` set where the same key can recur.

        On a path with conditional steps, the conclusion is conditional when one of them met an unknown.
        """
        if self.plan is not None and self.branch != "established":  # every path to it, conditional or not
            self.paths_to.setdefault((kind, rule.index), []).append((self.root_tests(), injective))
        opens = [o for _, s in chain for o in s.opens]
        if opens:
            return self.conclude_conditional(kind, key, injective, rule, statement, chain, opens)
        self.conclude_established(kind, key, injective, rule, statement, chain)

    def conclude_conditional(self, kind, key, injective, rule, statement, chain, opens) -> None:
        """Conditional when one of the path's conditional steps met an unknown (tested first, so that the
        established case pays one test), else established. `opens`: (Open expression, guard or None)."""
        if self.branch == "established":  # the loops written for the established case (norm_both_ways)
            return self.conclude_established(kind, key, injective, rule, statement, chain)
        dynamic = [guard for _, guard in opens if guard is not None]
        if self.plan is None and not self.distinct.get((kind, rule.index), False):
            self.unsettled = True  # the same conclusion may come twice, or be established too: settle them
        self.flush()
        if len(dynamic) == len(opens) and self.branch is None:
            self.emit(f"if {' or '.join(dynamic)}:")
            self.indent += 1
        if len(opens) == 1 and opens[0][0] in self.globals:  # one constant Open: the set is a constant too
            made = self.const(open_set((self.globals[opens[0][0]],)))
        else:
            parts = ", ".join(f"({made} if {guard} else None)" if guard else made for made, guard in opens)
            made = f"_open_set(({parts},))" if not dynamic else f"_open_set([o for o in ({parts},) if o is not None])"
        self.emit(f"_o = {made}")
        item = statement[statement.index("(") + 1:-1]  # the Norm or Breach the append statement makes
        self.emit(f"cond_append(_Cond(({item}, _o)))")
        if self.traced:
            self.emit(f"trace_append((('conditional', {key}, _o), ({self._links(chain)},)))")
        if len(dynamic) < len(opens) or self.branch == "conditional":  # always conditional here
            self.statements += 1
            return
        self.indent -= 1
        self.emit("else:")
        self.indent += 1
        self.conclude_established(kind, key, injective, rule, statement, chain)

    def _links(self, chain) -> str:
        return ", ".join(f"({self.const(r)}, {{{', '.join(f'{self.const(v)}: {x}' for v, x in s.vars.items())}}})"
                         for r, s in chain)

    def conclude_established(self, kind, key, injective, rule, statement, chain) -> None:
        if self.plan is not None:
            self.plan.setdefault((kind, rule.index), []).append((self.root_tests(), injective))
        elif self.needs_dedupe.get((kind, rule.index), True):
            self.test(f"{key} not in seen")
            self.flush()
            self.emit(f"seen.add({key})")
            self.sets.add("seen")
        self.flush()
        self.emit(statement)
        if self.traced:
            self.emit(f"trace_append(({key}, ({self._links(chain)},)))")
        self.statements += 1

    def root_tests(self) -> tuple:
        return tuple(t for _, s in self._chain for t in s.root_tests)

    # ---- rules -------------------------------------------------------------------------------
    def path(self, rule, args: dict, root: bool, depth: int, outer, body) -> None:
        """Emit `body(scope, chain)` for one rule on one derivation path; drop it if it can never conclude."""
        mark = self.checkpoint()
        parent = outer[-1][1] if outer else None
        scope = _Scope(depth, args, root, parent.loops if parent else (), parent.members if parent else ())
        chain = (*outer, (rule, scope))
        saved, self._chain = self._chain, chain
        try:
            body(scope, chain)
        except _Dead:
            self.restore(mark, keep_lines=False)
        else:
            self.restore(mark, keep_lines=True)
        finally:
            self._chain = saved

    def rule(self, rule, args: dict, root: bool, depth: int, outer) -> None:
        def body(scope, chain):
            rule.trigger.emit(self, scope, args)
            where = list(rule.where)
            if rule.after is not None:  # the conditions the trigger settles first: they spare the look-up
                only_earlier = rule.after.pattern.variables().keys() - scope.vars.keys()
                for c in [c for c in where if not only_earlier & set(c.variables())]:
                    self.where_test(c, scope)
                    where.remove(c)
                rule.after.emit(self, scope, self.traced or bool(only_earlier & _read_after_match(rule)))
            for c in where:
                self.where_test(c, scope)
            if rule.kind == "norm" and not outer:
                self.once(rule, scope, (rule.conclusion.bearer, rule.conclusion.counterparty))
            if rule.kind == "norm":
                return self.norm_both_ways(rule, scope, chain)
            for q in rule.quantifiers:
                q.emit(self, scope)
            self.defeaters(rule, scope)
            fact = rule.conclusion  # a deem: the rules that match the fact, and the prohibitions it may breach
            fact_args = fact.emit(self, scope)
            for consumer in self.treaty.triggered.get(fact.fact, ()):
                self.rule(consumer, fact_args, False, depth + 1, chain)
            for prohibition in self.treaty.breach_rules.get(fact.fact, ()):
                self.breach(prohibition, fact_args, False, depth + 1, chain)

        self.path(rule, args, root, depth, outer, body)

    def norm_both_ways(self, rule, scope, chain) -> None:
        """The quantifiers, defeaters and conclusion of a norm rule. When unknowns make the path's
        conclusions conditional and tests on the scenario event say when, the test is made once before the
        loops, which are written twice (conditional, then established), not once per conclusion."""
        guards = [guard for _, s in chain for _, guard in s.opens]
        if not guards or None in guards:
            return self.quantified_norm(rule, scope, chain)
        self.flush()
        saved = (dict(scope.vars), set(scope.loops), set(scope.members), self.loops, self.indent)
        for branch, head in (("conditional", f"if {' or '.join(dict.fromkeys(guards))}:"), ("established", "else:")):
            scope.vars, scope.loops, scope.members = dict(saved[0]), set(saved[1]), set(saved[2])
            self.loops, self.indent = saved[3], saved[4]
            self.emit(head)
            self.indent += 1
            self.branch = branch
            try:
                self.quantified_norm(rule, scope, chain)
            finally:
                self.branch = None
        self.loops, self.indent = saved[3], saved[4]

    def quantified_norm(self, rule, scope, chain) -> None:
        for q in rule.quantifiers:
            q.emit(self, scope)
        self.defeaters(rule, scope)
        self.norm(rule, scope, chain)

    def once(self, rule, scope, concluded_by: tuple) -> None:
        """Where the event's list loops bind values the rest of the rule never reads (the places of
        `on: P of V` once V is known), go on once per value of what it does read: what follows would only
        conclude the same again. Emitted only when that makes each conclusion of the rule distinct, so that
        it needs no `seen` set (the test is the hand-written loop's `if v in seen: continue`)."""
        reads = _read_after_conditions(rule)
        exprs = {scope.vars[v] for v in reads if v in scope.vars}
        unread = scope.loops - exprs
        if not unread or any(made not in self.globals for made, _ in scope.opens):
            return  # nothing to skip; or an open fact that may name an unread value
        roots = set(scope.args.values())
        key = sorted(x for x in exprs if x not in roots)  # what the rest reads that may vary between iterations
        concluded = {t.name for t in concluded_by if isinstance(t, Var)}  # the terms of the conclusion's key
        ranged = {q.var for q in rule.quantifiers if q.var not in scope.vars}
        if not ranged <= concluded or not {x for v, x in scope.vars.items() if v in concluded} >= set(key):
            return  # the conclusions would still repeat: the `seen` set stays
        name = f"once_{rule.index}"
        value = f"({', '.join(key)},)" if len(key) > 1 else key[0] if key else "None"
        self.test(f"{value} not in {name}")
        self.flush()
        self.emit(f"{name}.add({value})")
        self.sets.add(name)
        scope.collapsed = (frozenset(scope.loops), frozenset(key))

    def where_test(self, c, scope) -> None:
        self.test(c.emit(self, scope))
        if isinstance(c, IsMember) and not c.negated:
            scope.members.add(c.term.emit(scope))

    def defeaters(self, rule, scope) -> None:
        """The rule's own `unless` clauses and its exceptions, as tests that must fail."""
        for d in rule.defeaters:
            self.test(d.emit(self, scope))

    def norm(self, rule, scope, chain) -> None:
        bearer, cp = rule.conclusion.emit(self, scope)
        rule.conclusion.emit_binds(self, scope, bearer)  # a treaty binds only its members (and its organs)
        key = f"({rule.index}, {bearer}, {cp})"
        statement = f"norms_append(Norm(({bearer}, {cp}, {self.const(rule)}, ev, date, None)))"
        self.conclude("norm", key, _loops(scope) <= {bearer, cp}, rule, statement, chain)

    def breach(self, rule, args: dict, root: bool, depth: int, outer) -> None:
        def body(scope, chain):
            rule.breach.pattern.emit(self, scope, args)
            for c in rule.where:
                self.test(c.emit(self, scope))
            for q in rule.quantifiers:
                q.emit(self, scope)
            for c in rule.breach.where:  # after the quantifiers: it may use their variables
                self.test(c.emit(self, scope))
            self.defeaters(rule, scope)
            party = rule.conclusion.bearer.emit(scope)
            if party not in scope.members:
                self.test(f"{party} in members")
            key = f"('breach', {rule.index}, {party})"
            statement = f"breaches_append(Breach(({party}, {self.const(rule)}, ev, None, None)))"
            self.conclude("breach", key, scope.loops <= {party}, rule, statement, chain)

        self.path(rule, args, root, depth, outer, body)

    def handler(self, event_type: str) -> str:
        decl = self.treaty.events[event_type]
        self.lines, self.indent, self.loops, self.pending, self.sets = [], 1, 0, [], set()
        head = ["date = ev.date; args = ev.args"]
        args = {}
        for p in decl.params:
            args[p.name] = f"a_{identifier(p.name)}"
            head.append(f"{args[p.name]} = args[{self.const(p.name)}]")
        self.unknowable = {args[p.name] for p in decl.params if p.unknowable}
        for rule in self.treaty.triggered.get(event_type, ()):
            self.rule(rule, args, True, 0, ())
        for rule in self.treaty.breach_rules.get(event_type, ()):
            self.breach(rule, args, True, 0, ())
        head += [f"{name} = set()" for name in sorted(self.sets)]
        extra = "".join(f", {name}" for name in (("trace_append",) if self.traced else ()) + extra_params(self.treaty))
        body = ["    " + h for h in head] + self.lines + ["    return None"]
        return "\n".join([f"def handle_{identifier(event_type)}(ev, members, order, kinds, norms_append, "
                          f"breaches_append{extra}):",
                          *body, ""])


def _loops(scope) -> set:
    """What the conclusion's statement runs once per value of: the loops around it, or for those a `once`
    test stands for, the values of its key."""
    if scope.collapsed is None:
        return scope.loops
    return (scope.loops - scope.collapsed[0]) | scope.collapsed[1]


def extra_args(treaty, entry, cond_append, earlier) -> tuple:
    """What a handler takes after the two append functions (and a traced one's trace_append), in order, as
    the treaty's rules need them: the date of entry into force (rules that read it), the conditional
    conclusions' append (`= unknown` parameters), the scenario's events by type (rules with `after`,
    ir/procedures.py). Passed by position; evaluated once per evaluation, so plainly written."""
    out = (entry,) if treaty.uses_entry_date else ()
    if treaty.uses_unknown:
        out += (cond_append,)
    if treaty.uses_after:
        out += (earlier,)
    return out


def extra_params(treaty) -> tuple:
    """The names of those parameters, in the same order."""
    return extra_args(treaty, "entry", "cond_append", "earlier")


def _vars_in(x, out: set) -> set:
    """The variables read anywhere in `x` (IR nodes, tuples and lists of them)."""
    if isinstance(x, Var):
        out.add(x.name)
    elif isinstance(x, (tuple, list)):
        for item in x:
            _vars_in(item, out)
    elif attrs.has(type(x)):
        for f in attrs.fields(type(x)):
            _vars_in(getattr(x, f.name), out)
    return out


def _read_after_conditions(rule) -> set:
    """The variables a norm rule reads once its `where` has held: its quantifiers, defeaters and conclusion."""
    out = _vars_in((rule.quantifiers, rule.conclusion, rule.unless, [e.rule.where for e in rule.exceptions]), set())
    out.update(q.var for q in rule.quantifiers)
    return out


def _read_after_match(rule) -> set:
    """The variables a rule reads once its patterns have matched: where an earlier event binds none of them,
    the generated code only asks whether one exists."""
    return _vars_in(rule.where, _read_after_conditions(rule))


def _exclusive(a: tuple, b: tuple) -> bool:
    """Two derivation paths can never both run: they test one argument of the event against disjoint values."""
    tests_b: dict = {}
    for arg, values in b:
        tests_b.setdefault(arg, []).append(values)
    return any(values.isdisjoint(other) for arg, values in a for other in tests_b.get(arg, ()))


def _distinct(paths) -> bool:
    """Conclusions along these paths never repeat within one event: each path injective, no two able to run
    on the same event."""
    return all(ok for _, ok in paths) and all(_exclusive(paths[i][0], paths[j][0])
                                               for i in range(len(paths)) for j in range(i + 1, len(paths)))


def generate_handler(treaty, event_type: str, traced: bool = False):
    """The handler for one event type; its source is kept on the function as `__source__`.

    Raises TooDeep when Python could not compile it.
    """
    em = _Emitter(treaty, traced)
    em.plan = {}
    try:
        em.handler(event_type)  # a first pass to see which conclusions can recur and need a `seen` set
        em.needs_dedupe = {key: not _distinct(paths) for key, paths in em.plan.items()}
        em.distinct = {key: _distinct(paths) for key, paths in em.paths_to.items()}
        em.plan = None
        source = em.handler(event_type)
    except RecursionError as e:  # a deeming chain longer than the emitter's recursion allows
        raise TooDeep from e
    namespace = dict(em.globals)
    try:
        exec(compile(source, f"<{identifier(treaty.id)}: {identifier(event_type)}>", "exec"), namespace)
    except (SyntaxError, RecursionError, MemoryError) as e:  # nesting Python's compiler will not take
        raise TooDeep from e
    run = namespace[f"handle_{event_type}"]
    run.__source__ = source
    run.settled = not em.unsettled  # its conditional conclusions need no settling (engine.evaluate)
    return run
