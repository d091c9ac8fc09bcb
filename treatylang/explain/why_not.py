"""Why not? For a State, every rule that could have given it a norm and did not, with the reason.

The reasons come from re-running the compiled rules step by step for the wanted bearer: the failed
pattern, the failed condition (with its values), the exclusion in a `for each`, the exception that
defeated the conclusion, the treaty not in force, or the State not a member. A condition that needs a
fact the scenario does not give is "unknown", not "no".
"""

from __future__ import annotations

from typing import NamedTuple

from treatylang.lang import syntax as s
from treatylang.ir.compiled import CompiledRule, Env
from treatylang.source.diagnostics import UsageError, did_you_mean
from treatylang.engine.evaluate import deemed_facts
from treatylang.model import Result
from treatylang.explain.why import Namer, article_label, describe_condition, describe_event, words


class Reason(NamedTuple):
    event: str | None
    rule: CompiledRule
    status: str  # "no" | "unknown"
    text: str


def _role(rule: CompiledRule, var: str) -> str:
    """What a variable stands for, in words: "the raid's 'target'"."""
    patterns = [rule.syntax.trigger, rule.syntax.breach.pattern if rule.syntax.breach else None]
    for pattern in patterns:
        for a in pattern.args if pattern is not None else ():
            if isinstance(a.value, s.Var) and a.value.name == var:
                return f"the {words(pattern.event)}'s '{a.name}'"
    return var


def _roles(rule: CompiledRule, conditions) -> str:
    """What the variables of some conditions stand for: "(M is the raid's 'on'; A is the raid's 'by')"."""
    names = []
    for c in conditions:
        for t in (getattr(c, "left", None), getattr(c, "right", None), getattr(c, "term", None)):
            if isinstance(t, s.Var) and t.name not in names:
                names.append(t.name)
    said = [f"{v} is {_role(rule, v)}" for v in names if _role(rule, v) != v]
    return f" ({'; '.join(said)})" if said else ""


def _pattern_failure(matcher, pattern: s.Pattern, args: dict, name: Namer, want=None) -> tuple[str, str]:
    """Why an event did not match a rule's pattern.

    What the event says decides first ("no"); only if nothing it says rules the match out is a missing
    argument reported as "unknown".
    """
    for a in pattern.args:
        if isinstance(a.value, s.Var) and want and a.value.name in want and args.get(a.name) is not None:
            given = args[a.name]
            if want[a.value.name] not in (given if isinstance(given, tuple) else (given,)):
                return "no", (f"{name(want[a.value.name])} is not the {words(pattern.event)}'s '{a.name}' "
                              f"({name(given)} is)")
    for a in pattern.args:
        if isinstance(a.value, s.ArgConst):
            value = args.get(a.name)
            values = value if isinstance(value, tuple) else (value,)
            if not any(v in a.value.values for v in values):
                return "no", (f"the {words(pattern.event)}'s {words(a.name)} is {name(value)}; "
                              f"the rule covers only {' or '.join(words(v) for v in a.value.values)}")
    missing = matcher.missing(args)
    if missing:
        needed = " and ".join(f"'{m}'" for m in missing)
        return "unknown", (f"unknown: the rule needs the {words(pattern.event)}'s {needed}, "
                           "which the scenario does not give")
    return "no", "the event does not match the rule's pattern"


class _WhyNot:
    def __init__(self, result: Result, bearer: str, counterparty: str | None):
        self.result = result
        self.treaty = result.treaty
        self.bearer = bearer
        self.counterparty = counterparty
        self.name = Namer(result.treaty, result.scenario)
        self.deemers: dict[str, list[CompiledRule]] = {}
        for r in self.treaty.rules:
            if r.kind == "deem":
                self.deemers.setdefault(r.fact_type, []).append(r)
        self._facts = {}

    def facts(self, root):
        if root.id not in self._facts:
            self._facts[root.id] = deemed_facts(self.result, root)
        return self._facts[root.id]

    def reachable(self, event_type: str, wanted: str, seen=()) -> bool:
        if event_type == wanted:
            return True
        return any(
            self.reachable(event_type, d.trigger.event, seen + (wanted,))
            for d in self.deemers.get(wanted, ()) if d.trigger and wanted not in seen
        )

    def no_membership(self, date) -> str:
        """Why a change that would have made the bearer a member did not happen (before `date`), if one was tried."""
        result = self.result
        joined = {(e.event, e.party) for e in result.effects if e.change == "joins"}
        for event in result.scenario.events:
            if event.date > date:
                break
            for rule in self.treaty.membership_rules.get(event.type, ()):
                if rule.change != "joins" or (event.id, self.bearer) in joined:
                    continue
                members, order = result.timeline.at(event.date)
                env = Env(event.date, members, order, result.scenario.kinds, event)
                for b in rule.trigger.match(event.args):
                    if rule.who(b) != self.bearer:
                        continue
                    for c, test in zip(rule.syntax.where, rule.where):
                        if not test(b, env):
                            return (f" (event {event.id} on {event.date.isoformat()} ({words(event.type)}) had no effect under "
                                    f"{article_label(self.treaty, rule.article)}: "
                                    f"{describe_condition(c, b, env, self.name, False)})")
        return ""

    def want_of(self, rule: CompiledRule) -> dict:
        want = {}
        c = rule.conclusion
        if isinstance(c, s.NormConclusion):
            if isinstance(c.bearer, s.Var):
                want[c.bearer.name] = self.bearer
            if self.counterparty is not None and isinstance(c.counterparty, s.Var):
                want[c.counterparty.name] = self.counterparty
        return want

    def goal(self, rule: CompiledRule, root, env: Env, want: dict, depth=0) -> list[tuple[str, str]]:
        """Why `rule` drew no conclusion with the variables in `want` from event `root`."""
        name = self.name
        if rule.trigger is None:
            sources = [None]
        elif rule.trigger.event == root.type:
            sources = [root]
        else:
            sources = [f for f in self.facts(root) if f.type == rule.trigger.event]
            # only the facts that could give the wanted values
            wanted_sources = [f for f in sources if any(
                all(b.get(k, v) == v for k, v in want.items()) for b in rule.trigger.match(f.args))]
            if not wanted_sources:
                return self.no_fact(rule, root, env, want, depth)
            sources = wanted_sources
        reasons = []
        for source in sources:
            env.event = source
            if source is None:
                bindings = [{}]
            else:
                bindings = rule.trigger.match(source.args)
                if not bindings:
                    reasons.append(_pattern_failure(rule.trigger, rule.syntax.trigger, source.args, name, want))
                    continue
            consistent = [b for b in bindings if all(b.get(k, v) == v for k, v in want.items())]
            if not consistent:
                for b in bindings[:1]:
                    k = next(k for k, v in want.items() if b.get(k, v) != v)
                    reasons.append(("no", f"{name(want[k])} is not {_role(rule, k)} ({k} is {name(b[k])})"))
                continue
            for b in consistent:
                reasons.extend(self.judge(rule, b, env, want))
        return reasons

    def breach(self, rule: CompiledRule, event, env: Env) -> list[tuple[str, str]]:
        """Why the bearer did not breach a standing prohibition by this event."""
        matcher, conditions = rule.breach
        pattern = rule.syntax.breach.pattern
        env.event = event
        bindings = matcher.match(event.args)
        if not bindings:
            failure = _pattern_failure(matcher, pattern, event.args, self.name, self.want_of(rule))
            if failure[0] == "unknown":  # does what the event does say already rule it out?
                settled = self.settled_without(matcher, rule.syntax.breach.where, conditions, event, env)
                if settled:
                    return [settled]
            return [failure]
        want = self.want_of(rule)
        consistent = [b for b in bindings if all(b.get(k, v) == v for k, v in want.items())]
        if not consistent:
            k = next(k for k, v in want.items() if bindings[0].get(k, v) != v)
            return [("no", f"{self.name(want[k])} is not {_role(rule, k)} ({self.name(bindings[0][k])} is)")]
        reasons = []
        for b in consistent:
            for c, test in zip(rule.syntax.breach.where, conditions):
                held = test(b, env)
                if not held:
                    reasons.append(("unknown" if held is None else "no",
                                    f"{'unknown: cannot tell whether' if held is None else 'the condition fails:'} "
                                    f"{describe_condition(c, b, env, self.name, held is None or False)}"))
                    break
            else:
                reasons.extend(self.judge(rule, b, env, want))
        return reasons

    def settled_without(self, matcher, conditions_syntax, conditions, event, env):
        """A condition that fails on the arguments the event gives, whatever the missing ones would be."""
        absent = object()
        missing = matcher.missing(event.args)
        filled = {**event.args, **{m: absent for m in missing}}
        for b in matcher.match(filled):
            known = {k: v for k, v in b.items() if v is not absent}
            for c, test in zip(conditions_syntax, conditions):
                if test(known, env) is False:
                    return ("no", f"the condition fails: {describe_condition(c, known, env, self.name, False)} "
                                  f"(whatever the {words(event.type)}'s {' and '.join(repr(m) for m in missing)})")
        return None

    def judge(self, rule: CompiledRule, b: dict, env: Env, want: dict) -> list[tuple[str, str]]:
        name = self.name
        for c, test in zip(rule.syntax.where, rule.where):
            held = test(b, env)
            if held is None:
                return [("unknown", f"unknown: cannot tell whether {describe_condition(c, b, env, name, True)}")]
            if not held:
                return [("no", f"the condition fails: {describe_condition(c, b, env, name, False)}")]
        b = dict(b)
        for q, (var, excluding) in zip(rule.syntax.quantifiers, rule.quantifiers):
            if var in want:
                value = want[var]
                for t, get in zip(q.excluding, excluding):
                    if get(b) == value:
                        role = _role(rule, t.name) if isinstance(t, s.Var) else t.name
                        return [("no", f"{name(value)} is {role} ({t}); the rule binds each member other than {t}")]
                if value not in env.members:
                    return [("no", f"{name(value)} is not a member on {env.date.isoformat()}")]
                b[var] = value
            elif var not in b:
                b[var] = env.member_order[0] if env.member_order else None
        hit = rule.suppressed_by(b, env)
        if hit is not None:
            conditions = rule.syntax.unless[hit] if isinstance(hit, int) else hit.syntax.where
            said = " and ".join(describe_condition(c, b, env, name, True) for c in conditions) + _roles(rule, conditions)
            if isinstance(hit, int):
                return [("no", f"excepted by the rule's own 'unless': {said}"
                               + (f" (reading: {rule.syntax.reading})" if rule.syntax.reading else ""))]
            return [("no", f"excepted by {article_label(self.treaty, hit.article)}, rule {hit.name}: {said}")]
        if rule.kind == "norm":
            bearer = rule.bearer(b)
            if bearer != self.bearer:
                return [("no", f"the rule binds {name(bearer)}, not {name(self.bearer)}")]
            cp = rule.counterparty(b)
            if self.counterparty is not None and cp != self.counterparty:
                owed = f"is owed to {name(cp)}" if cp is not None else "is owed to no one in particular"
                return [("no", f"the norm {owed}, not {name(self.counterparty)}")]
            if bearer not in env.members:
                return [("no", f"{name(bearer)} is not a member on {env.date.isoformat()}; a treaty binds only its parties")]
        return []

    def no_fact(self, rule: CompiledRule, root, env: Env, want: dict, depth: int) -> list[tuple[str, str]]:
        """No fact of the type the rule needs was deemed with the wanted values: ask the deeming rules why."""
        fact_type = rule.trigger.event
        wanted_args = {a.name: want[a.value.name] for a in rule.syntax.trigger.args
                       if isinstance(a.value, s.Var) and a.value.name in want}
        shown = ", ".join(f"{words(k)}: {self.name(v)}" for k, v in wanted_args.items())
        head = f"no {words(fact_type)} ({shown}) was deemed" if shown else f"no {words(fact_type)} was deemed"
        deemers = [d for d in self.deemers.get(fact_type, ()) if d.trigger and self.reachable(root.type, d.trigger.event)]
        if not deemers or depth > 8:
            return [("no", f"{head}: no rule deems it from a {words(root.type)}")]
        reasons = []
        for d in deemers:
            sub_want = {var: wanted_args[arg] for arg, var, _ in d.fact_args if var is not None and arg in wanted_args}
            for status, text in self.goal(d, root, env, sub_want, depth + 1):
                reasons.append((status, f"{head}: under {article_label(self.treaty, d.article)}, rule {d.name}, {text}"))
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
    reasons: list[Reason] = []
    for event in scenario.events:
        members, order = result.timeline.at(event.date)
        for rule in rules:
            if rule.trigger is None or (rule.name, event.id) in got or not w.reachable(event.type, rule.trigger.event):
                continue
            if event in result.not_in_force:
                start = result.entry_into_force
                reasons.append(Reason(event.id, rule, "no", "the treaty was not in force on that date"
                                      + (f" (it entered into force on {start.isoformat()})" if start else "")))
            elif who not in members:
                reasons.append(Reason(event.id, rule, "no", f"{w.name(who)} was not a member on {event.date.isoformat()}; "
                                                            "a treaty binds only its parties" + w.no_membership(event.date)))
            else:
                env = Env(event.date, members, order, scenario.kinds, event)
                for status, text in dict.fromkeys(w.goal(rule, event, env, w.want_of(rule))):
                    reasons.append(Reason(event.id, rule, status, text))
        for rule in breach_rules:
            if rule.breach[0].event != event.type or (rule.name, event.id) in breached:
                continue
            if event in result.not_in_force or who not in members:
                continue  # said above for the norms; a breach needs a member bound on that date
            env = Env(event.date, members, order, scenario.kinds, event)
            for status, text in dict.fromkeys(w.breach(rule, event, env)):
                reasons.append(Reason(event.id, rule, status, "not in breach: " + text))
    members, order = result.timeline.at(result.as_of)
    for rule in rules:
        if rule.trigger is not None or (rule.name, None) in got:
            continue
        if who not in members:
            reasons.append(Reason(None, rule, "no", f"{w.name(who)} is not a member on {result.as_of}; "
                                                    "a treaty binds only its parties"))
            continue
        env = Env(result.as_of, members, order, scenario.kinds, None)
        for status, text in w.goal(rule, None, env, w.want_of(rule)):
            reasons.append(Reason(None, rule, status, text))
    return reasons


def _resolve(result: Result, name: str, option: str) -> str:
    found = result.treaty.resolve_actor(name)
    if found is None:
        for a in result.scenario.actors.values():
            if name.casefold() in (a.id.casefold(), a.name.casefold()):
                found = a.id
    if found is None:
        known = sorted(set(result.treaty.aliases.values()) | set(result.scenario.actors))
        hint = did_you_mean(name, known)
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
        else:
            lines.append("  every rule that could give it a norm did" + (f" (article {article})" if article else ""))
    events = {e.id: e for e in result.scenario.events}
    current = object()
    for r in reasons:
        if r.event != current:
            current = r.event
            if r.event is None:
                lines.append(f"  at all times (standing norms, on {result.as_of}):")
            else:
                e = events[r.event]
                lines.append(f"  event {e.id} on {e.date.isoformat()}: {describe_event(e, name)}")
        c = r.rule.conclusion
        verb = {"obligation": "must", "permission": "may", "prohibition": "must not"}[c.modality]
        lines.append(f"    {article_label(result.treaty, r.rule.article)}, rule {r.rule.name} "
                     f"({verb} {words(c.action)}): {r.text}")
    return "\n".join(lines) + "\n"
