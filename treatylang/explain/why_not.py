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
from treatylang.selection import resolve_actor, resolve_articles
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
        self.condensed = False  # no_fact gives the deeming rule's own reason, noted in rule_of
        self.rule_of: dict = {}  # (status, text) -> the rule whose reason it is

    def facts(self, root):
        if root.id not in self._facts:
            self._facts[root.id] = deemed_facts(self.result, root)
        return self._facts[root.id]

    def want_of(self, rule: Rule) -> dict:
        if self.bearer is None:  # asked about no bearer in particular (why_nothing, why_not_deemed)
            return {}
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
                failed = self.membership_failure(rule, event, self.bearer)
                if failed is not None:
                    return f" ({rule.conclusion.no_effect(event, article_label(self.treaty, rule), failed)})"
        return self.declared_membership(date)

    def declared_membership(self, date) -> str:
        """The membership history no rule made that explains why the bearer is not a member on `date`: the
        treaty's `joined DATE` or `left DATE`, or the scenario's `members:` (docs/time.md)."""
        timeline, said = self.result.timeline, ""
        for start, _, who, change in sorted(timeline.changes):
            source = timeline.sources.get((who, start, change))
            if who != self.bearer or source is None:
                continue
            if start <= date and change == "leaves":
                said = (f" (it left on {start.isoformat()}: `left` in its party declaration)" if source == "left"
                        else f" (the scenario's `members:` on {start.isoformat()} does not list it)")
            elif start > date and change == "joins":
                return said or (f" (it is a member only from {start.isoformat()}: "
                                + ("`joined` in its party declaration)" if source == "joined"
                                   else "the scenario's `members:` lists it then)"))
        return said

    def membership_failure(self, rule: Rule, event, who: str | None) -> str | None:
        """Why `rule` changed no membership by `event` (for `who`; None: for whoever it names), judged as the
        membership pass judged it (at the start of the day): the earlier event or the condition that failed."""
        result = self.result
        members, order = result.timeline.at_start_of(event.date)
        env = Env(event.date, members, order, result.scenario.kinds, event, result.entry_into_force)
        for b in rule.trigger.match(event.args):
            if who is not None and rule.conclusion.who.value(b) != who:
                continue
            if rule.after is not None:
                index = EarlierIndex(result.scenario.events, result.timeline.start,
                                     result.timeline.at_start_of, result.scenario.kinds)
                said = rule.after.why_not(b, event, index, self.name)
                if said:
                    return said[1]
            for c in rule.where:
                if not c.eval3(b, env):
                    return c.describe(b, env, self.name, False)
        return None

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
        if self.bearer is None:
            return self.judge_any(rule, b, env, late)
        name = self.name
        failed = _first_failing(rule, rule.where, b, env, name)
        if failed:
            return failed
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
        failed = _first_failing(rule, late, b, env, name)
        if failed:
            return failed
        hit = rule.defeated_by(b, env)
        if hit is not None:
            return [self.excepted(rule, hit, b, env)]
        if rule.kind == "norm":
            said = rule.conclusion.why_not(b, env, self.bearer, self.counterparty, name)
            if said:
                return [said]
        return []

    def judge_any(self, rule: Rule, b: dict, env: Env, late=()) -> list[tuple[str, str]]:
        """Why the rule bound no member at all: a condition, every member excluded, or each one excepted
        (the first reason; empty when it binds one)."""
        name = self.name
        failed = _first_failing(rule, rule.where, b, env, name)
        if failed:
            return failed
        full = rule.expand(b, env)
        if not full:  # the `for each` left no member: the first one's exclusion says why
            b = dict(b)
            for q in rule.quantifiers:
                value = b.get(q.var, env.member_order[0] if env.member_order else None)
                said = q.why_not(b, env, value, name, lambda v: _role(rule, v)) if value is not None else None
                if said:
                    return [said]
                b[q.var] = value
            return [("no", "no member is bound on that date")]
        first = None
        for fb in full:
            failed = _first_failing(rule, late, fb, env, name)
            hit = rule.defeated_by(fb, env) if not failed else None
            if not failed and hit is None:
                return []  # it binds this member
            if first is None:
                first = failed or [self.excepted(rule, hit, fb, env)]
        return first

    def excepted(self, rule: Rule, hit, b: dict, env: Env) -> tuple[str, str]:
        """The `unless` or exception rule that defeated the conclusion, with its conditions."""
        label = lambda a: article_label(self.treaty, a)  # noqa: E731
        said = hit.why_not(b, env, self.name, label, lambda cs: _roles(rule, cs), rule.reading)
        return "no", said + _declared(getattr(hit, "rule", rule))  # an exception rule's own, or the rule's

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
                if self.condensed:  # the deepest rule's own reason, and the rule it is of
                    self.rule_of.setdefault((status, text), d)
                    reasons.append((status, text))
                    continue
                reasons.append((status, f"{head}: under {article_label(self.treaty, d)}, rule {d.name}, {text}"))
        return reasons or [("no", head)]


def why_not(result: Result, bearer: str, article=None, counterparty: str | None = None) -> list[Reason]:
    """Every rule (of `article`: a number, several, or None for all) that could have given `bearer` a norm,
    or found it in breach, and did not, with the reason."""
    treaty, scenario = result.treaty, result.scenario
    who = _resolve(result, bearer, "--why-not")
    cp = _resolve(result, counterparty, "--counterparty") if counterparty is not None else None
    articles = resolve_articles(treaty, article)
    w = _WhyNot(result, who, cp)
    rules = [r for r in treaty.rules if r.kind == "norm" and (articles is None or r.article in articles)]
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
                reasons.append(Reason(event.id, rule, "no", "the treaty was not in force on that date"
                                      + _when_in_force(result, event.date) + _not_yet(result, event.date, w.name)))
            elif (rule.name, event.id) in conditional:
                for text in conditional[(rule.name, event.id)]:
                    reasons.append(Reason(event.id, rule, "conditional", text))
            elif who not in members and who not in treaty.organs:  # an organ of the treaty is no third party
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
        start, end = result.entry_into_force, result.timeline.end
        if (start is None or (result.as_of is not None and result.as_of < start)  # not yet in force: not a matter
                or (end is not None and result.as_of is not None and result.as_of >= end)):  # of pacta tertiis
            reasons.append(Reason(None, rule, "no", f"the treaty was not in force on {result.as_of}"
                                  + _when_in_force(result, result.as_of) + _not_yet(result, result.as_of, w.name)))
            continue
        if who not in members and who not in treaty.organs:
            reasons.append(Reason(None, rule, "no", f"{w.name(who)} is not a member on {result.as_of}; "
                                                    "a treaty binds only its parties"
                                  + w.declared_membership(result.as_of)))
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
    entry, end = result.treaty.entry_into_force, result.timeline.end
    if entry.fixed or (end is not None and date is not None and date >= end):
        return ""
    return ": " + entry.why_not(result.scenario.events, result.treaty.signatories, date, name)


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


def _first_failing(rule: Rule, conditions, b: dict, env: Env, name: Namer) -> list[tuple[str, str]]:
    """[the first of the conditions that fails, with the rule's reading], or [] when all hold."""
    for c in conditions:
        said = c.why_not(b, env, name)
        if said:
            return [_with_reading(said, c, rule)]
    return []


def _with_reading(said: tuple[str, str], condition, rule: Rule) -> tuple[str, str]:
    """A condition of the rule decided the answer: the reading adopted for the rule is part of the reason."""
    if said[0] != "no" or isinstance(condition, ArticleVersion):
        return said
    return said[0], said[1] + (f" (reading: {rule.reading})" if rule.reading else "") + _declared(rule)


def _declared(rule: Rule) -> str:
    """A rule that treats parties unequally on purpose says so where it leaves a party out."""
    return f" (declared asymmetric: {rule.asymmetric.reason})" if rule.asymmetric is not None else ""


_resolve = resolve_actor


def membership_reasons(result: Result, bearer: str, article=None) -> list[Reason]:
    """Each change of membership the scenario tried for `bearer` (an accession, a notice) that did not
    happen, with the condition that failed (the rules of `article` only, when given)."""
    treaty = result.treaty
    who = _resolve(result, bearer, "--why-not")
    articles = resolve_articles(treaty, article)
    w = _WhyNot(result, who, None)
    done = {(e.event, e.rule) for e in result.effects if e.party == who}
    reasons = []
    for event in result.scenario.events:
        for rule in treaty.membership_rules.get(event.type, ()):
            if (event.id, rule.name) in done or (articles is not None and rule.article not in articles):
                continue
            failed = w.membership_failure(rule, event, who)
            if failed is not None:
                reasons.append(Reason(event.id, rule, "no", failed))
    return reasons


def _when_in_force(result: Result, date) -> str:
    """' (it entered into force on D)', or ' (it terminated on D)' for a date from its termination on."""
    start, end = result.entry_into_force, result.timeline.end
    if end is not None and date is not None and date >= end:
        return f" (it terminated on {end.isoformat()})"
    return f" (it entered into force on {start.isoformat()})" if start else ""


def why_nothing(result: Result, event) -> str:
    """Why an event engaged nothing, in one clause: the treaty not in force, no member, no rule for its
    type, or the first failing condition the why-not machinery finds, with the article it is in.

    "no norm: outside art. 6 (the condition fails: ...)"; asked of no bearer in particular."""
    treaty = result.treaty
    if event in result.not_in_force:
        return "no member is bound: the treaty was not in force" + (
            _when_in_force(result, event.date) or " (it does not enter into force in this scenario)")
    if result.entry_into_force is not None and event.date < result.entry_into_force:  # a continuing situation: judged from entry into force
        event = event.judged_on(result.entry_into_force)
    norm_rules = [r for r in treaty.rules if r.kind == "norm" and r.trigger is not None
                  and treaty.reachable(event.type, r.trigger.event)]
    breach_rules = [r for r in treaty.rules if r.breach is not None
                    and treaty.reachable(event.type, r.breach.pattern.event)]
    membership = treaty.membership_rules.get(event.type, ())
    if not (norm_rules or breach_rules or membership):
        if any(r.after is not None and r.after.event == event.type for r in treaty.rules):
            return (f"no rule is triggered by an event of type {event.type}; it counts only as the earlier "
                    "event of a rule with `after`")
        lifetime = sorted({r.article for r in treaty.rules for c in (*r.ends, *r.late_breaches)
                           if c.later is not None and c.later.event == event.type}, key=str)
        if lifetime:
            return (f"it ended, discharged or breached no norm: no norm of art. {', '.join(lifetime)} it could "
                    "end or breach was in force for the parties it names")
        return f"no rule of this treaty matches an event of type {event.type}"
    w = _WhyNot(result, None, None)
    w.condensed = True
    for rule in membership:
        failed = w.membership_failure(rule, event, None)
        if failed is not None:
            return f"no change of membership: outside art. {rule.article} ({failed})"
    members, order = result.timeline.at(event.date)
    if not members:
        return f"no member is bound: the treaty had no members on {event.date.isoformat()}"
    for kind, rules in (("no norm", norm_rules), ("no breach", breach_rules)):
        reasons = []  # (out of its dates, kind, status, text, deciding rule), in the treaty's order
        for rule in rules:
            env = Env(event.date, members, order, result.scenario.kinds, event, result.entry_into_force)
            found = w.goal(rule, event, env, {}) if kind == "no norm" else w.breach(rule, event, env)
            for status, text in found:
                if status != "conditional":
                    decided = w.rule_of.get((status, text), rule)
                    dated = decided.version is not None and not decided.version.eval3({}, env)
                    reasons.append((dated, kind, status, text, decided))
        if reasons:  # the first reason of a rule in force on the date: a version out of its dates says little
            _, kind, status, text, decided = min(reasons, key=lambda r: r[0])
            article = decided.article
            text = text.removesuffix(_declared(decided))  # one clause: these are in the why-not report
            if decided.reading:
                text = text.removesuffix(f" (reading: {decided.reading})")
            if status == "unknown":
                return f"{kind}: not known under art. {article} ({text.removeprefix('unknown: ')})"
            return f"{kind}: outside art. {article} ({text})"
    return "no norm: the rules it reaches bind no member"


def why_not_deemed(result: Result, fact: str, article=None) -> list[Reason]:
    """For each event from which a `fact` could be deemed and was not, why, rule by rule (the deeming
    rules of `article` only, when given)."""
    treaty = result.treaty
    if fact not in treaty.deemers:
        hint = did_you_mean(fact, treaty.deemers)
        known = ", ".join(sorted(treaty.deemers)) or "none"
        raise UsageError(f"--why-not-deemed: no rule of the treaty deems '{fact}' (facts deemed: {known})"
                         + (f"; {hint}" if hint else ""))
    articles = resolve_articles(treaty, article)
    w = _WhyNot(result, None, None)
    reasons = []
    for event in result.scenario.events:
        rules = [d for d in treaty.deemers[fact] if d.trigger is not None and treaty.reachable(event.type, d.trigger.event)
                 and (articles is None or d.article in articles)]
        if not rules:
            continue
        if event in result.not_in_force:
            for d in rules:
                reasons.append(Reason(event.id, d, "no", "the treaty was not in force on that date"))
            continue
        if any(f.type == fact for f in w.facts(event)):
            continue  # deemed: `treaty eval --explain` shows how
        members, order = result.timeline.at(event.date)
        for d in rules:
            env = Env(event.date, members, order, result.scenario.kinds, event, result.entry_into_force)
            for status, text in dict.fromkeys(w.goal(d, event, env, {})):
                reasons.append(Reason(event.id, d, status, text))
    return reasons


def _event_lines(reasons, result: Result, name: Namer, label) -> list[str]:
    """Reasons grouped under their events: '  event E on D: ...' then '    LABEL: reason'."""
    events = {e.id: e for e in result.scenario.events}
    lines, current = [], object()
    for r in reasons:
        if r.event != current:
            current = r.event
            if r.event is None:
                lines.append(f"  at all times (standing norms, on {iso(result.as_of)}):")
            else:
                e = events[r.event]
                lines.append(f"  event {e.id} on {e.date.isoformat()}: {describe_event(e, name)}")
                if e.reading is not None and e.reading.differs:  # stated in a shared vocabulary's terms
                    lines.append(f"    {e.reading.describe()}")
        lines.append(f"    {article_label(result.treaty, r.rule)}, rule {r.rule.name} ({label(r.rule)}): {r.text}")
    return lines


def _norm_label(rule: Rule) -> str:
    c = rule.conclusion
    return f"{VERBS[c.modality]} {words(c.action)}"


def _membership_label(rule: Rule) -> str:
    return "becomes a member" if rule.conclusion.change == "joins" else "ceases to be a member"


def render_why_not(result: Result, bearer: str, article=None, counterparty=None) -> str:
    """The why-not report of `bearer`: its missing norms and breaches, then the changes of its membership
    the scenario tried that did not happen."""
    reasons = why_not(result, bearer, article, counterparty)
    articles = resolve_articles(result.treaty, article)
    shown = f"article {', '.join(sorted(articles, key=result.treaty.article_sort_key))}" if articles else None
    name = Namer(result.treaty, result.scenario)
    who = _resolve(result, bearer, "--why-not")
    lines = [f"Why not {name(who)}? ({result.scenario.title})"]
    membership = membership_reasons(result, bearer, article)
    if not reasons:
        if not any(r.kind == "norm" and (articles is None or r.article in articles) for r in result.treaty.rules):
            if not membership:
                lines.append(f"  {shown} has no rule that gives norms" if shown else "  the treaty has no rule that gives norms")
            deemed = sorted({r.conclusion.fact for r in result.treaty.rules
                             if r.kind == "deem" and (articles is None or r.article in articles)})
            if deemed:  # its rules deem facts that other articles' norms need: ask about those
                lines.append(f"  its rules deem {', '.join(deemed)}: ask `--why-not-deemed {deemed[0]}`")
        elif any(n.bearer == who and (articles is None or n.article in articles)
                 for n in (*result.norms, *result.standing)):
            lines.append("  every rule that could give it a norm did" + (f" ({shown})" if shown else ""))
        else:  # no event of the scenario reaches a rule that gives norms (of the article)
            where = f"of {shown} " if shown else ""
            lines.append(f"  no rule {where}that gives norms is triggered by the events of this scenario")
    lines += _event_lines(reasons, result, name, _norm_label)
    if membership:
        lines.append(f"Why did the membership of {name(who)} not change?")
        lines += _event_lines(membership, result, name, _membership_label)
    return "\n".join(escape_lines(lines)) + "\n"  # each line escaped: no input can start a line of its own


def render_why_not_deemed(result: Result, fact: str, article=None) -> str:
    """Why no `fact` was deemed from each event that could have given one."""
    reasons = why_not_deemed(result, fact, article)
    name = Namer(result.treaty, result.scenario)
    lines = [f"Why was no {words(fact)} deemed? ({result.scenario.title})"]
    if not reasons:
        lines.append(f"  every event that could give a {words(fact)} gave one" if any(
            result.treaty.reachable(e.type, fact) for e in result.scenario.events)
                     else f"  no event of this scenario can give a {words(fact)}")
    lines += _event_lines(reasons, result, name, lambda r: f"deem {words(fact)}")
    return "\n".join(escape_lines(lines)) + "\n"
