"""Why a norm, breach or effect arose: its derivation, step by step, from the event to the article.

The derivation comes from the result itself (Result.derivation: the traced run of the path that produced
it); each step is worded by the IR construct it passed through.
"""

from __future__ import annotations

from treatylang.explain.phrases import (Namer, article_label, article_of_rule, depends_on, describe_event,
                                        quoted_passage)
from treatylang.lang.status import article_status
from treatylang.ir.conditions import Env
from treatylang.ir.procedures import LATER, EarlierIndex
from treatylang.model import Breach, Conditional, Effect, Event, Norm


def _after_steps(rule, binding: dict, result, name: Namer, effect: bool) -> list[str]:
    """The earlier event a rule with `after` relied on, and its `such that` as judged on its date."""
    if rule.after is None:
        return []
    at = result.timeline.at_start_of if effect else result.timeline.at  # as the pass that judged it
    return rule.after.describe(binding, EarlierIndex((), result.timeline.start, at, result.scenario.kinds), name)


def _continuing(root) -> list[str]:
    """A continuing situation judged from entry into force says so (docs/time.md)."""
    if root.since is None:
        return []
    return [f"continuing since {root.since.isoformat()}; judged from {root.date.isoformat()}, "
            "when the treaty entered into force"]


def _rule_steps(rule, binding: dict, env: Env, name: Namer, treaty, after=()) -> list[str]:
    steps = list(after)
    steps += [f"condition held: {c.describe(binding, env, name)}" for c in rule.where]
    steps += [q.describe(binding, env, name) for q in rule.quantifiers]
    steps += [d.describe(binding, env, name, lambda a: article_label(treaty, a)) for d in rule.defeaters]
    return steps


def _conclusion(item, rule, name: Namer, entry=None) -> str:
    if isinstance(item, Norm):
        c = rule.conclusion
        line = c.describe(item.bearer, item.counterparty, name)
        means = c.describe_means(item.means)
        if means:
            line += f", {means}"
        if c.purpose:
            line += f", to {c.purpose}"
        return line
    if isinstance(item, Effect):
        return rule.conclusion.describe(item.party, item.start, name, item.date, entry)
    return rule.breach.describe(item.party, rule.action, name, rule.modality)


def _lifetime_steps(norm, binding: dict, result, name: Namer) -> list[str]:
    """What became of a norm with `ends when` / `discharged by`: the event that ended it, or why it is live."""
    rule = norm.source
    if not getattr(rule, "ends", ()) or result.later is None or norm.trigger is None:
        return []
    if norm.end is not None:
        return [norm.end.clause.describe(norm.end, name)]
    said = "; ".join(c.why_not(result.later, norm, binding, result.as_of, name) for c in rule.ends)
    return [f"live on {result.as_of.isoformat()}: {said}"]


def _late_breach_steps(breach, result, name: Namer) -> list[str]:
    """The breach of a norm an event gave rise to: the norm's derivation, then the event or the deadline."""
    norm, rule, treaty = breach.norm, breach.source, result.treaty
    steps = _because(norm, norm, result, name, lifetime=False)
    binding, _ = result.derivation(norm)
    for clause in rule.late_breaches:
        if breach.trigger is None and clause.within is not None:
            steps.append(clause.describe(breach, binding, name))
            break
        if breach.trigger is not None and clause.later is not None and clause.later.event == breach.trigger.type:
            found = [nb for nb in clause.later.find(result.later, norm.trigger, binding) if LATER in nb
                     and nb[LATER] is breach.trigger]
            if found:
                steps.append(clause.describe(breach, found[0], name))
                break
    said = rule.conclusion.describe(norm.bearer, norm.counterparty, name)
    steps.append(f"so, by {article_label(treaty, rule)}, rule {rule.name}: {name(breach.party)} breached the "
                 f"{rule.modality} ({said})")
    return steps


def _says(treaty, rule, passage: str | None, shown: set) -> list[str]:
    """The passage of the article a rule encodes, then the article's status when it is not verbatim and
    reviewed (once per article block: `shown` holds those already stated)."""
    article = article_of_rule(treaty, rule)
    label = article.label if article is not None else f"article {rule.article}"
    steps = [f"{label} says: \"{passage}\""] if passage else []
    status = article_status(article) if article is not None and id(article) not in shown else None
    if status:
        shown.add(id(article))
        steps.append(status)
    return steps


def because(item: Norm | Breach | Effect | Conditional | Event, result) -> list[str]:
    """The derivation of a norm, breach or effect of `result`, in words (of a conditional one: its path,
    then the open facts it depends on; of an event that engaged nothing: why, in one clause)."""
    if isinstance(item, Event):  # an event that engaged nothing: why, in one clause
        from treatylang.explain.why_not import why_nothing  # on use: why_not reads the engine

        return [why_nothing(result.whole, item)]
    treaty, scenario = result.treaty, result.scenario
    name = Namer(treaty, scenario)
    if isinstance(item, Conditional):
        steps = _because(item, item.item, result, name)
        return steps + [f"but the scenario leaves this open: it {depends_on(item, name)}"]
    if isinstance(item, Breach) and item.norm is not None:
        return _late_breach_steps(item, result, name)
    return _because(item, item, result, name)


def _declared(rule, name: Namer) -> list[str]:
    """What the treaty's author declared beside a rule: the reading adopted, an asymmetry intended."""
    steps = [f"reading adopted for rule {rule.name}: {rule.reading}"] if rule.reading else []
    a = rule.asymmetric
    if a is not None:
        whom = f" (singling out {', '.join(map(name, a.parties))})" if a.parties else ""
        steps.append(f"declared asymmetric{whom}: {a.reason}")
    return steps


def _because(derived, item, result, name: Namer, lifetime: bool = True) -> list[str]:
    treaty, scenario = result.treaty, result.scenario
    if isinstance(item, Effect):  # judged on the membership at the start of its date
        members, order = frozenset(item.members_before), item.members_before
    else:
        members, order = result.timeline.at(item.date)
    binding, origin = result.derivation(derived)
    chain = []
    e = origin
    while e is not None:
        chain.append(e)
        e = e.parent
    chain.reverse()
    rule = item.source
    final = quoted_passage(treaty, rule)
    steps: list[str] = []
    shown: set = set()  # the article blocks whose status is stated
    if chain:
        root = chain[0]
        steps.append(f"event {root.id} on {root.date.isoformat()}: {describe_event(root, name)}")
        if root.reading is not None and root.reading.differs:  # stated in a shared vocabulary's terms
            steps.append(root.reading.describe())
        steps += _continuing(root)
    for fact in chain[1:]:
        r = fact.deemed_by
        env = Env(fact.date, members, order, scenario.kinds, fact.parent, result.entry_into_force)
        steps += _rule_steps(r, fact.binding, env, name, treaty, _after_steps(r, fact.binding, result, name, False))
        steps.append(f"so, by {article_label(treaty, r)}, rule {r.name}, it is deemed: "
                     f"{r.conclusion.describe(fact.args, name)}")
        said = quoted_passage(treaty, r)
        if said and said != final:  # the deeming article's own words (the same passage: said once, below)
            steps += _says(treaty, r, said, shown)
        steps += _declared(r, name)
    env = Env(item.date, members, order, scenario.kinds, origin, result.entry_into_force)
    if isinstance(item, Breach):
        steps += [f"condition held: {c.describe(binding, env, name)}" for c in rule.breach.where]
    steps += _rule_steps(rule, binding, env, name, treaty,
                         _after_steps(rule, binding, result, name, isinstance(item, Effect)))
    bearer = rule.conclusion.describe_bearer(env, name) if isinstance(item, Norm) else None
    if bearer:  # a collective bearer: who the members together are on the date
        steps.append(bearer)
    steps.append(f"so, by {article_label(treaty, rule)}, rule {rule.name}: {_conclusion(item, rule, name, result.entry_into_force)}")
    steps += _says(treaty, rule, final, shown)
    steps += _declared(rule, name)
    article = treaty.article_versions.get(rule.name) or treaty.articles.get(rule.article)
    for u in article.uncertain if article is not None else ():
        steps.append(f"uncertain text: {u}")
    if isinstance(item, Norm) and lifetime:
        steps += _lifetime_steps(item, binding, result, name)
    return steps
