"""The reference interpreter: the IR's own `eval3`/`match`/`expand`, one event at a time.

It is the oracle the generated code is tested against (tests/engine/test_differential.py), and the source
of the deemed facts that "why not" inspects. Results come from the generated code (codegen.py).
"""

from __future__ import annotations

from treatylang.ir.conditions import Env
from treatylang.ir.unknown import OPEN
from treatylang.model import Breach, Conditional, Fact, Norm, open_set


def fire(treaty, root, env: Env, norms: list, breaches: list, seen: set, facts: list | None = None,
         trace: dict | None = None, conditional: list | None = None) -> None:
    """Judge one scenario event: norms and deemed facts from it, and breaches by it or by its facts.

    `facts` collects deemed facts; `trace` maps each conclusion's key to (binding, the event or fact it
    matched), first derivation first. `conditional` collects the conclusions that hold only if facts the
    scenario leaves unknown do (a binding with open facts: see treatylang.ir.patterns); None drops them.
    """
    members = env.members
    stack = [root]
    while stack:
        event = stack.pop()
        env.event = event
        start = {OPEN: event.binding[OPEN]} if event.binding and OPEN in event.binding else None
        for rule in treaty.triggered.get(event.type, ()):
            for full in rule.bindings(event.args, env, start):
                if rule.kind == "norm":
                    bearer, counterparty = rule.conclusion.apply(full)
                    if not rule.conclusion.binds(bearer, members):  # only its members (pacta tertiis), organs
                        continue
                    key = (rule.index, bearer, counterparty)
                    if OPEN in full:
                        _conditional(conditional, trace, key, full, event,
                                     Norm((bearer, counterparty, rule, root, root.date, None)))
                        continue
                    if key in seen:
                        continue
                    seen.add(key)
                    if trace is not None:
                        trace[key] = (full, event)
                    norms.append(Norm((bearer, counterparty, rule, root, root.date, None)))
                else:
                    fact = Fact(root, rule.conclusion.fact, rule.conclusion.apply(full), rule, event, full)
                    stack.append(fact)
                    if facts is not None:
                        facts.append(fact)
            env.event = event
        for rule in treaty.breach_rules.get(event.type, ()):
            for full in rule.breaches(event.args, env, start):
                party = rule.conclusion.bearer.value(full)
                key = ("breach", rule.index, party)
                if party in members and OPEN in full:
                    _conditional(conditional, trace, key, full, event, Breach((party, rule, root, None, None)))
                    continue
                if party not in members or key in seen:
                    continue
                seen.add(key)
                if trace is not None:
                    trace[key] = (full, event)
                breaches.append(Breach((party, rule, root, None, None)))


def _conditional(found, trace, key, full, event, item) -> None:
    """A conclusion with open facts: kept apart (evaluate settles them once the event is judged)."""
    opens = open_set(full[OPEN])
    if found is not None:
        found.append(Conditional((item, opens)))
    if trace is not None:
        trace.setdefault(("conditional", key, opens), (full, event))
