"""The reference interpreter: the IR's own `eval3`/`match`/`expand`, one event at a time.

It is the oracle the generated code is tested against (tests/engine/test_differential.py), and the source
of the deemed facts that "why not" inspects. Results come from the generated code (codegen.py).
"""

from __future__ import annotations

from treatylang.ir.conditions import Env
from treatylang.model import Breach, Fact, Norm


def fire(treaty, root, env: Env, norms: list, breaches: list, seen: set, facts: list | None = None,
         trace: dict | None = None) -> None:
    """Judge one scenario event: norms and deemed facts from it, and breaches by it or by its facts.

    `facts` collects deemed facts; `trace` maps each conclusion's key to (binding, the event or fact it
    matched), first derivation first.
    """
    members = env.members
    stack = [root]
    while stack:
        event = stack.pop()
        env.event = event
        for rule in treaty.triggered.get(event.type, ()):
            for full in rule.bindings(event.args, env):
                if rule.kind == "norm":
                    bearer, counterparty = rule.conclusion.apply(full)
                    if bearer not in members:  # a treaty binds only its members (pacta tertiis)
                        continue
                    key = (rule.index, bearer, counterparty)
                    if key in seen:
                        continue
                    seen.add(key)
                    if trace is not None:
                        trace[key] = (full, event)
                    norms.append(Norm(bearer, counterparty, rule, root, root.date))
                else:
                    fact = Fact(root, rule.conclusion.fact, rule.conclusion.apply(full), rule, event, full)
                    stack.append(fact)
                    if facts is not None:
                        facts.append(fact)
            env.event = event
        for rule in treaty.breach_rules.get(event.type, ()):
            for full in rule.breaches(event.args, env):
                party = rule.conclusion.bearer.value(full)
                key = ("breach", rule.index, party)
                if party not in members or key in seen:
                    continue
                seen.add(key)
                if trace is not None:
                    trace[key] = (full, event)
                breaches.append(Breach(party, rule, root))
