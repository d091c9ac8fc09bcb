"""Why not? For a State, every rule that could have given it a norm and did not, with the reason.

The reasons come from asking each IR construct in turn, for the wanted bearer: the pattern that failed,
the condition that failed (with its values), the exclusion in a `for each`, the exception that defeated
the conclusion, the treaty not in force, or the State not a member. A condition that needs a fact the
scenario does not give is "unknown", not "no"; a conclusion that depends on an `= unknown` argument the
scenario leaves out is "conditional".
"""

from __future__ import annotations

from typing import NamedTuple

from treatylang.engine.evaluate import deemed_facts
from treatylang.engine.lifetimes import ends_of
from treatylang.explain.phrases import Namer, article_label, depends_on, describe_event
from treatylang.ir.conditions import ArticleVersion, Env
from treatylang.ir.procedures import EarlierIndex
from treatylang.ir.rules import Deem, Rule
from treatylang.ir.wording import VERBS, argument_of, iso, words
from treatylang.model import UNKNOWN, Result
from treatylang.source.diagnostics import UsageError, did_you_mean
from treatylang.source.safe_text import escape_lines

MAX_DEPTH = 8  # deeming levels followed back


class Reason(NamedTuple):
    event: str | None
    rule: Rule
    status: str  # "no" | "unknown" | "conditional" (concluded only if facts the scenario leaves open hold)
    text: str


def _role(rule: Rule, var: str) -> str:
    """What a variable stands for, in words: "the raid's 'target'"."""
    for pattern in (rule.trigger, rule.breach.pattern if rule.breach else None):
        if pattern is not None and var in pattern.variables():
            return argument_of(pattern.event, pattern.variables()[var])
    return var


def _roles(rule: Rule, conditions) -> str:
    """What the variables of some conditions stand for: "(M is the raid's 'on'; A is the raid's 'by')"."""
    names = list(dict.fromkeys(v for c in conditions for v in c.variables()))
    said = [f"{v} is {_role(rule, v)}" for v in names if _role(rule, v) != v]
    return f" ({'; '.join(said)})" if said else ""


def _consistent(bindings: list, want: dict) -> list:
    return [b for b in bindings if all(b.get(k, v) == v for k, v in want.items())]


class _WhyNot:
    def __init__(self, result: Result, bearer: str, counterparty: str | None):
        self.result = result
        self.treaty = result.treaty
        self.bearer = bearer
        self.counterparty = counterparty
        self.name = Namer(result.treaty, result.scenario)
        self._facts: dict = {}

    def facts(self, root):
        if root.id not in self._facts:
            self._facts[root.id] = deemed_facts(self.result, root)
        return self._facts[root.id]

    def want_of(self, rule: Rule) -> dict:
        return rule.conclusion.wanted(self.bearer, self.counterparty) if rule.kind == "norm" else {}

    def no_membership(self, date) -> str:
        """Why a change that would have made the bearer a member did not happen (before `date`), if one was tried."""
        result = self.result
        joined = {(e.event, e.party) for e in result.effects if e.change == "joins"}
        for event in result.scenario.events:
            if event.date > date:
                break
            for rule in self.treaty.membership_rules.get(event.type, ()):
                if rule.conclusion.change != "joins" or (event.id, self.bearer) in joined:
                    continue
                members, order = result.timeline.at_start_of(event.date)
                env = Env(event.date, members, order, result.scenario.kinds, event, result.entry_into_force)
                for b in rule.trigger.match(event.args):
                    if rule.conclusion.who.value(b) != self.bearer:
                        continue
                    if rule.after is not None:  # judged as the membership pass judged it (at the start of days)
                        index = EarlierIndex(result.scenario.events, result.timeline.start,
                                             result.timeline.at_start_of, result.scenario.kinds)
                        said = rule.after.why_not(b, event, index, self.name)
                        if said:
                            label = article_label(self.treaty, rule.article)
                            return (f" (event {event.id} on {event.date.isoformat()} ({words(event.type)}) had no "
                                    f"effect under {label}: {said[1]})")
                    for c in rule.where:
                        if not c.eval3(b, env):
                            label = article_label(self.treaty, rule)
                            return rule.conclusion.why_not(c, b, env, event, label, self.name)
        return ""

    def goal(self, rule: Rule, root, env: Env, want: dict, depth=0) -> list[tuple[str, str]]:
        """Why `rule` drew no conclusion with the variables in `want` from event `root`."""
        if rule.trigger is None:
            sources = [None]
        elif rule.trigger.event == root.type:
            sources = [root]
        else:
            sources = [f for f in self.facts(root) if f.type == rule.trigger.event]
            sources = [f for f in sources if _consistent(rule.trigger.match(f.args), want)]  # could give the wanted values
            if not sources:
                return self.no_fact(rule, root, env, want, depth)
        reasons = []
        for source in sources:
            env.event = source
            bindings = [{}] if source is None else rule.trigger.match(source.args)
            if not bindings:
                reasons.append(rule.trigger.why_not(source.args, self.name, want))
                continue
            consistent = _consistent(bindings, want)
            if not consistent:
                b = bindings[0]
                k = next(k for k, v in want.items() if b.get(k, v) != v)
                reasons.append(("no", f"{self.name(want[k])} is not {_role(rule, k)} ({k} is {self.name(b[k])})"))
                continue
            for b in consistent:
                if rule.after is not None:  # the earlier event the rule needs (ir/procedures.py)
                    index = self.result.earlier
                    said = rule.after.why_not(b, source, index, self.name)
                    if said:
                        reasons.append(said)
                        continue
                    later = _consistent(rule.after.find(index, source, b), want)
                    if not later:
                        reasons.append(("no", f"no earlier {words(rule.after.event)} gives the wanted values"))
                    for nb in later:
                        reasons.extend(self.judge(rule, nb, env, want))
                    continue
                reasons.extend(self.judge(rule, b, env, want))
        return reasons

    def breach(self, rule: Rule, event, env: Env) -> list[tuple[str, str]]:
        """Why the bearer did not breach a standing prohibition by this event (or a fact deemed from it)."""
        clause = rule.breach
        if clause.pattern.event != event.type:
            sources = [f for f in self.facts(event) if f.type == clause.pattern.event]
            if not sources:
                return [("no", f"{Deem.none_deemed(clause.pattern.event, {}, self.name)}: "
                               f"no rule deems it from this {words(event.type)}")]
            return [reason for fact in sources for reason in self.breach(rule, fact, env)]
        env.event = event
        bindings = clause.pattern.match(event.args)
        want = self.want_of(rule)
        if not bindings:
            failure = clause.pattern.why_not(event.args, self.name, want)
            if failure[0] == "unknown":  # does what the event does say already rule it out?
                settled = self.settled_without(clause.pattern, clause.where, event, env)
                if settled:
                    return [settled]
            return [failure]
        consistent = _consistent(bindings, want)
        if not consistent:
            k = next(k for k, v in want.items() if bindings[0].get(k, v) != v)
            return [("no", f"{self.name(want[k])} is not {_role(rule, k)} ({self.name(bindings[0][k])} is)")]
        reasons = []
        for b in consistent:
            late = []
            for c in clause.where:
                if not all(v in b for v in c.variables()):
                    late.append(c)  # reads a `for each` variable: judged once the quantifiers bind it
                    continue
                said = c.why_not(b, env, self.name)
                if said:
                    reasons.append(_with_reading(said, c, rule))
                    break
            else:
                reasons.extend(self.judge(rule, b, env, want, late))
        return reasons

    def settled_without(self, pattern, conditions, event, env):
        """A condition that fails on the arguments the event gives, whatever the missing ones would be."""
        absent = object()
        missing = pattern.missing(event.args)
        filled = dict(event.args)
        for step in pattern.steps:
            if step.arg in missing and not (step.variable is None and event.args.get(step.arg) is UNKNOWN):
                filled[step.arg] = (absent,) if step.is_list else absent  # a constant test on an unknown passes
        for b in pattern.match(filled):
            known = {k: v for k, v in b.items() if v is not absent}
            for c in conditions:
                if c.eval3(known, env) is False:
                    return ("no", f"the condition fails: {c.describe(known, env, self.name, False)} "
                                  f"(whatever the {words(event.type)}'s {' and '.join(repr(m) for m in missing)})")
        return None

    def judge(self, rule: Rule, b: dict, env: Env, want: dict, late=()) -> list[tuple[str, str]]:
        name = self.name
        for c in rule.where:
            said = c.why_not(b, env, name)
            if said:
                return [_with_reading(said, c, rule)]
        b = dict(b)
        for q in rule.quantifiers:
            value = want.get(q.var, b.get(q.var))  # wanted, or already bound by the pattern
            if value is None:
                b[q.var] = env.member_order[0] if env.member_order else None
                continue
            said = q.why_not(b, env, value, name, lambda v: _role(rule, v))
            if said:
                return [said]
            b[q.var] = value
        for c in late:
            said = c.why_not(b, env, name)
            if said:
                return [_with_reading(said, c, rule)]
        hit = rule.defeated_by(b, env)
        if hit is not None:
            label = lambda a: article_label(self.treaty, a)  # noqa: E731
            return [("no", hit.why_not(b, env, name, label, lambda cs: _roles(rule, cs), rule.reading))]
        if rule.kind == "norm":
            said = rule.conclusion.why_not(b, env, self.bearer, self.counterparty, name)
            if said:
                return [said]
        return []

    def no_fact(self, rule: Rule, root, env: Env, want: dict, depth: int) -> list[tuple[str, str]]:
        """No fact of the type the rule needs was deemed with the wanted values: ask the deeming rules why."""
        fact_type = rule.trigger.event
        wanted_args = {s.arg: want[s.variable] for s in rule.trigger.steps if s.variable in want}
        head = Deem.none_deemed(fact_type, wanted_args, self.name)
        deemers = [d for d in self.treaty.deemers.get(fact_type, ())
                   if d.trigger and self.treaty.reachable(root.type, d.trigger.event)]
        if not deemers or depth > MAX_DEPTH:
            return [("no", f"{head}: no rule deems it from a {words(root.type)}")]
        reasons = []
        for d in deemers:
            for status, text in self.goal(d, root, env, d.conclusion.sub_want(wanted_args), depth + 1):
                reasons.append((status, f"{head}: under {article_label(self.treaty, d)}, rule {d.name}, {text}"))
        return reasons or [("no", head)]


def why_not(result: Result, bearer: str, article: str | None = None, counterparty: str | None = None) -> list[Reason]:
    treaty, scenario = result.treaty, result.scenario
    who = _resolve(result, bearer, "--why-not")
    cp = _resolve(result, counterparty, "--counterparty") if counterparty is not None else None
    if article is not None and article not in treaty.articles:
        hint = did_you_mean(article, treaty.articles)
        raise UsageError(f"the treaty has no article '{article}'" + (f"; {hint}" if hint else ""))
    w = _WhyNot(result, who, cp)
    rules = [r for r in treaty.rules if r.kind == "norm" and (article is None or r.article == article)]
    got = {(n.rule, n.event) for n in result.norms if n.bearer == who and (cp is None or n.counterparty == cp)}
    got |= {(n.rule, None) for n in result.standing if n.bearer == who and (cp is None or n.counterparty == cp)}
    breach_rules = [r for r in rules if r.breach is not None]
    breached = {(b.rule, b.event) for b in result.breaches if b.party == who}
    conditional = _conditional_of(result, who, cp, w.name)
    reasons: list[Reason] = []
    for event in scenario.events:
        members, order = result.timeline.at(event.date)
        for rule in rules:
            if rule.trigger is None or (rule.name, event.id) in got or not treaty.reachable(event.type, rule.trigger.event):
                continue
            if event in result.not_in_force:
                start = result.entry_into_force
                reasons.append(Reason(event.id, rule, "no", "the treaty was not in force on that date"
                                      + (f" (it entered into force on {start.isoformat()})" if start else "")
                                      + _not_yet(result, event.date, w.name)))
            elif (rule.name, event.id) in conditional:
                for text in conditional[(rule.name, event.id)]:
                    reasons.append(Reason(event.id, rule, "conditional", text))
            elif who not in members:
                reasons.append(Reason(event.id, rule, "no", f"{w.name(who)} was not a member on {event.date.isoformat()}; "
                                                            "a treaty binds only its parties" + w.no_membership(event.date)))
            else:
                env = Env(event.date, members, order, scenario.kinds, event, result.entry_into_force)
                for status, text in dict.fromkeys(w.goal(rule, event, env, w.want_of(rule))):
                    reasons.append(Reason(event.id, rule, status, text))
        for rule in breach_rules:
            if (rule.name, event.id) in breached or not treaty.reachable(event.type, rule.breach.pattern.event):
                continue
            if event in result.not_in_force or who not in members:
                continue  # said above for the norms; a breach needs a member bound on that date
            if ("breach", rule.name, event.id) in conditional:
                for text in conditional[("breach", rule.name, event.id)]:
                    reasons.append(Reason(event.id, rule, "conditional", "not established, " + text))
                continue
            env = Env(event.date, members, order, scenario.kinds, event, result.entry_into_force)
            for status, text in dict.fromkeys(w.breach(rule, event, env)):
                reasons.append(Reason(event.id, rule, status, "not in breach: " + text))
    later = _not_breached(result, who, rules)
    if later:  # under their events, in the scenario's order
        order = {e.id: i for i, e in enumerate(scenario.events)}
        reasons = sorted(reasons + later, key=lambda r: order[r.event])
    members, order = result.timeline.at(result.as_of)
    for rule in rules:
        if rule.trigger is not None or (rule.name, None) in got:
            continue
        if who not in members:
            reasons.append(Reason(None, rule, "no", f"{w.name(who)} is not a member on {result.as_of}; "
                                                    "a treaty binds only its parties"))
            continue
        env = Env(result.as_of, members, order, scenario.kinds, None, result.entry_into_force)
        for status, text in w.goal(rule, None, env, w.want_of(rule)):
            reasons.append(Reason(None, rule, status, text))
    return reasons


def _not_breached(result: Result, who: str, rules) -> list[Reason]:
    """Why the bearer's norms with `breached by` / `breached if not discharged within` were not breached
    (ir/lifetimes.py), under the event of each; placed in event order with the other reasons."""
    if result.later is None:
        return []
    name = Namer(result.treaty, result.scenario)
    wanted = {r.name for r in rules if r.late_breaches}
    found = {(id(b.norm), b.trigger is None) for b in result.breaches if b.norm is not None}
    out = []
    for n in result.sorted_norms():
        if n.bearer != who or n.rule not in wanted:
            continue
        binding = result.derivation(n)[0]
        end = ends_of(n.source, n, binding, result.later)
        for clause in n.source.late_breaches:
            if (id(n), clause.later is None) in found:
                continue
            said = clause.why_not(result.later, n, binding, end, result.as_of, name)
            out.append(Reason(n.event, n.source, "no", "not in breach: " + said))
    return out


def _not_yet(result: Result, date, name: Namer) -> str:
    """What entry into force still waited for on `date` (for entry by ratifications: who had not ratified)."""
    entry = result.treaty.entry_into_force
    if entry.fixed:
        return ""
    return ": " + entry.why_not(result.scenario.events, result.treaty.parties, date, name)


def _conditional_of(result: Result, who: str, cp, name: Namer) -> dict:
    """(rule, event) or ("breach", rule, event) -> what the bearer's conditional conclusions depend on."""
    out: dict = {}
    for c in result.sorted_conditional():
        i = c.item
        if c.kind == "norm" and i.bearer == who and (cp is None or i.counterparty == cp):
            key = (i.rule, i.event)
        elif c.kind == "breach" and i.party == who:
            key = ("breach", i.rule, i.event)
        else:
            continue
        out.setdefault(key, []).append(f"conditional: it {depends_on(c, name)}")
    return out


def _with_reading(said: tuple[str, str], condition, rule: Rule) -> tuple[str, str]:
    """A condition of the rule decided the answer: the reading adopted for the rule is part of the reason."""
    if said[0] != "no" or not rule.reading or isinstance(condition, ArticleVersion):
        return said
    return said[0], f"{said[1]} (reading: {rule.reading})"


def _resolve(result: Result, name: str, option: str) -> str:
    found = result.scenario.resolve_actor(name, result.treaty)
    if found is None:
        hint = did_you_mean(name, result.scenario.known_actors(result.treaty))
        raise UsageError(f"{option}: unknown actor '{name}'" + (f"; {hint}" if hint else ""))
    return found


def render_why_not(result: Result, bearer: str, article=None, counterparty=None) -> str:
    reasons = why_not(result, bearer, article, counterparty)
    name = Namer(result.treaty, result.scenario)
    who = _resolve(result, bearer, "--why-not")
    lines = [f"Why not {name(who)}? ({result.scenario.title})"]
    if not reasons:
        if not any(r.kind == "norm" and (article is None or r.article == article) for r in result.treaty.rules):
            lines.append(f"  article {article} has no rule that gives norms" if article else "  the treaty has no rule that gives norms")
        elif any(n.bearer == who and (article is None or n.article == article)
                 for n in (*result.norms, *result.standing)):
            lines.append("  every rule that could give it a norm did" + (f" (article {article})" if article else ""))
        else:  # no event of the scenario reaches a rule that gives norms (of the article)
            where = f"of article {article} " if article else ""
            lines.append(f"  no rule {where}that gives norms is triggered by the events of this scenario")
    events = {e.id: e for e in result.scenario.events}
    current = object()
    for r in reasons:
        if r.event != current:
            current = r.event
            if r.event is None:
                lines.append(f"  at all times (standing norms, on {iso(result.as_of)}):")
            else:
                e = events[r.event]
                lines.append(f"  event {e.id} on {e.date.isoformat()}: {describe_event(e, name)}")
        c = r.rule.conclusion
        lines.append(f"    {article_label(result.treaty, r.rule)}, rule {r.rule.name} "
                     f"({VERBS[c.modality]} {words(c.action)}): {r.text}")
    return "\n".join(escape_lines(lines)) + "\n"  # each line escaped: no input can start a line of its own
