"""The lifetime pass: once every event is judged, what became of each norm an event gave rise to.

The one place results look past a norm's own event (ir/lifetimes.py holds the meaning of each clause):
- the first event that ends or discharges it (`ends when`, `discharged by`), whatever `as_of`; on or
  before `as_of` it is the norm's `end` (not live on `as_of`);
- its breaches: the first breaching event before that end and on or before `as_of` (`breached by`), or
  a deadline that passed before `as_of` with nothing discharging it by then (`breached if not discharged
  within`).
Each norm is judged on the binding its own path recorded (Result.derivation): the generated code's traced
handler, or the interpreter's trace. Conditional norms (open facts) are not judged.
"""

from __future__ import annotations

from treatylang.model import Breach, End


def ends_of(rule, norm, binding, index):
    """The first model.End any of the rule's `ends when` / `discharged by` clauses finds, or None."""
    found = []
    for clause in rule.ends:
        hit = clause.find(index, norm, binding)
        if hit is not None:
            found.append(End(clause.status, hit[0], clause, hit[1]))
    return min(found, key=lambda end: (end.event.date, end.event.index), default=None)


def judge_lifetimes(norms: list, as_of, index, binding_of) -> list:
    """Set each norm's `end` in place (those ended on or before `as_of`); the breaches of norms, in order.

    `binding_of(norm)`: the binding under which the norm arose."""
    breaches = []
    for i, norm in enumerate(norms):
        rule = norm.source
        if not (rule.ends or rule.late_breaches):
            continue
        binding = binding_of(norm)
        end = ends_of(rule, norm, binding, index)
        if end is not None and end.event.date <= as_of:
            norms[i] = norm._replace(end=end)
        for clause in rule.late_breaches:
            hit = clause.find(index, norm, binding, end, as_of)
            if hit is not None:
                breaches.append(Breach((norm.bearer, rule, hit[0], norms[i], hit[1])))
    return breaches
