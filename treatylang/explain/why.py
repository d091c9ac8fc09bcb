"""Derivations in words: why a norm arose (`because`), and why one did not (`why_not`).

Explanations are built on demand from what the engine kept (rule, binding, matched event or deemed
fact), so evaluation itself never pays for them.
"""

from __future__ import annotations

import datetime as dt

from treatylang.lang import syntax as s
from treatylang.ir.compiled import CompiledRule, CompiledTreaty, Env

EXCERPT = 160


class Namer:
    """Display names for actor ids (treaty parties and actors, then the scenario's own actors)."""

    def __init__(self, treaty: CompiledTreaty, scenario):
        self.names = dict(treaty.actor_names)
        self.names.update((a.id, a.name) for a in scenario.actors.values())

    def __call__(self, value) -> str:
        if value is None:
            return "(not given)"
        if isinstance(value, (tuple, list)):
            return ", ".join(self(v) for v in value) or "nobody"
        return self.names.get(value, str(value).replace("_", " "))


def words(identifier: str) -> str:
    return identifier.replace("_", " ")


def excerpt(treaty: CompiledTreaty, article: str) -> str | None:
    a = treaty.articles.get(article)
    text = a.text("en") if a is not None else None
    if not text:
        return None
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rsplit(" ", 1)[0] + "…"


def article_label(treaty: CompiledTreaty, article: str) -> str:
    a = treaty.articles.get(article)
    title = f" ({a.title})" if a is not None and a.title else ""
    return f"article {article}{title}"


def describe_event(event, name: Namer) -> str:
    decl_args = ", ".join(f"{k}: {name(v)}" for k, v in event.args.items() if v not in (None, ()))
    return f"{event.type.replace('_', ' ')} ({decl_args})"


def term_value(term: s.Term, binding: dict):
    return binding.get(term.name) if isinstance(term, s.Var) else term.name


def describe_condition(c, binding: dict, env: Env, name: Namer, holds: bool | None = True) -> str:
    """A condition in words with its values, stated as it turned out (held, failed, or unknown)."""
    date = env.date.isoformat() if env.date else "that date"
    if isinstance(c, s.IsKind):
        who = name(term_value(c.term, binding))
        kind = "a member" if c.kind == "member" else f"a{'n' if c.kind[0] in 'aeiou' else ''} {words(c.kind)}"
        positive = (holds is True) != c.negated
        where = f" on {date}" if c.kind == "member" else ""
        return f"{who} is {'' if positive else 'not '}{kind}{where}"
    if isinstance(c, s.IsSame):
        left, right = name(term_value(c.left, binding)), name(term_value(c.right, binding))
        same = (holds is True) != c.negated
        return f"{left} is {'' if same else 'not '}{right} ({c.left} {'=' if same else '≠'} {c.right})"
    if isinstance(c, (s.AllAmong, s.ShareAmong)):
        given = set(env.event.args.get(c.arg) or ()) if env.event else set()
        among = f"the {words(env.event.type)}'s '{c.arg}'" if env.event else f"'{c.arg}'"
        if isinstance(c, s.ShareAmong):
            yes = sum(1 for m in env.members if m in given)
            return (f"{yes} of the {len(env.members)} members on {date} are among {among}; "
                    f"at least {c.numerator}/{c.denominator} {'are' if holds else 'were'} needed")
        missing = [m for m in env.member_order if m not in given]
        if holds:
            return f"every member on {date} ({name(list(env.member_order))}) is among {among}"
        return f"not every member on {date} is among {among}: {name(missing)} {'is' if len(missing) == 1 else 'are'} missing"
    if isinstance(c, s.DateTest):
        op = words(c.op)
        return f"the date {date} is {'' if holds else 'not '}{op} {c.date.isoformat()}"
    if isinstance(c, s.Either):
        return f"either {describe_condition(c.left, binding, env, name, holds)} or {describe_condition(c.right, binding, env, name, holds)}"
    return str(c)


def describe_norm(rule: CompiledRule, bearer, counterparty, name: Namer) -> str:
    c = rule.conclusion
    verb = {"obligation": "must", "permission": "may", "prohibition": "must not"}[c.modality]
    text = f"{name(bearer)} {verb} {words(c.action)}"
    if counterparty is not None:
        text += f" {c.preposition + ' ' if c.preposition else ''}{name(counterparty)}"
    return text


def describe_means(rule: CompiledRule) -> str | None:
    c = rule.conclusion
    if not isinstance(c, s.NormConclusion) or not c.means:
        return None
    if c.means_in_order:
        return "by " + ", then ".join(words(m) for m in c.means) + " (in order of preference)"
    return "by " + ", ".join(words(m) for m in c.means[:-1]) + (" or " if len(c.means) > 1 else "") + words(c.means[-1]) + " means"


def _rule_steps(rule: CompiledRule, binding: dict, event, env: Env, name: Namer, treaty) -> list[str]:
    steps = []
    for c in rule.syntax.where:
        steps.append(f"condition held: {describe_condition(c, binding, env, name)}")
    for q in rule.syntax.quantifiers:
        who = name(binding.get(q.var))
        others = [name(term_value(t, binding)) for t in q.excluding]
        tail = f", other than {', '.join(others)}" if others else ""
        steps.append(f"{who} is a member on {env.date.isoformat() if env.date else 'that date'}{tail} ({q.var})")
    for group in rule.syntax.unless:
        said = " and ".join(describe_condition(c, binding, env, name, holds=False) for c in group)
        steps.append(f"the exception does not apply: {said}")
    for exc in rule.exceptions:
        said = " and ".join(describe_condition(c, binding, env, name, holds=False) for c in exc.syntax.where)
        steps.append(f"the exception in {article_label(treaty, exc.article)}, rule {exc.name}, does not apply: {said}")
    return steps


def because(norm, result) -> list[str]:
    """The derivation of a norm, breach or effect, step by step, from the event to the article."""
    treaty, scenario = result.treaty, result.scenario
    name = Namer(treaty, scenario)
    if hasattr(norm, "members_before"):  # an effect: judged on the membership before it
        members, order = frozenset(norm.members_before), norm.members_before
    else:
        members, order = result.timeline.at(norm.date)
    steps: list[str] = []
    from treatylang.engine.evaluate import derivation

    binding, origin = derivation(norm, result)
    chain = []
    e = origin
    while e is not None:
        chain.append(e)
        e = e.parent
    chain.reverse()
    if chain:
        root = chain[0]
        steps.append(f"event {root.id} on {root.date.isoformat()}: {describe_event(root, name)}")
    for fact in chain[1:]:
        env = Env(fact.date, members, order, scenario.kinds, fact.parent)
        r = fact.deemed_by
        steps.extend(_rule_steps(r, fact.binding, fact.parent, env, name, treaty))
        steps.append(f"so, by {article_label(treaty, r.article)}, rule {r.name}, it is deemed: {describe_event(fact, name)}")
        if r.syntax.reading:
            steps.append(f"reading adopted for rule {r.name}: {r.syntax.reading}")
    rule = norm.source
    env = Env(norm.date, members, order, scenario.kinds, origin)
    if rule.breach is not None and hasattr(norm, "party"):
        for c in rule.syntax.breach.where:
            steps.append(f"condition held: {describe_condition(c, binding, env, name)}")
    steps.extend(_rule_steps(rule, binding, origin, env, name, treaty))
    label = f"{article_label(treaty, rule.article)}, rule {rule.name}"
    if hasattr(norm, "modality"):
        line = f"so, by {label}: {describe_norm(rule, norm.bearer, norm.counterparty, name)}"
        extra = describe_means(rule)
        if extra:
            line += f", {extra}"
        if rule.conclusion.purpose:
            line += f", to {rule.conclusion.purpose}"
        steps.append(line)
    elif hasattr(norm, "change"):
        steps.append(f"so, by {label}: {name(norm.party)} {'becomes a member' if norm.change == 'joins' else 'ceases to be a member'} from {norm.start.isoformat()}")
    else:
        c = rule.conclusion
        steps.append(f"so, by {label}: {name(norm.party)} breached the prohibition to {words(c.action)}")
    text = excerpt(treaty, rule.article)
    if text:
        steps.append(f"article {rule.article} says: \"{text}\"")
    if rule.syntax.reading:
        steps.append(f"reading adopted for rule {rule.name}: {rule.syntax.reading}")
    uncertain = treaty.articles[rule.article].uncertain if rule.article in treaty.articles else ()
    for u in uncertain:
        steps.append(f"uncertain text: {u}")
    return steps
