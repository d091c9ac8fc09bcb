"""Syntax tree → IR, once, after the checks: variables resolved, list-ness known, exceptions attached.

Each syntax construct has one entry in a dispatch table here; tests/ir/test_registry.py fails when a
syntax class has none.
"""

from __future__ import annotations

import attrs

from treatylang.ir import conditions as c
from treatylang.ir import patterns as p
from treatylang.ir import rules as r
from treatylang.ir.entry import AfterRatifications, OnDate
from treatylang.ir.lifetimes import BreachOfNorm, EndOfNorm
from treatylang.ir.procedures import EarlierEvent, LaterEvent
from treatylang.ir.treaty import CompiledTreaty
from treatylang.lang import syntax as s
from treatylang.ir.unknown import UNKNOWN
from treatylang.ir.wording import TOGETHER


def term(t: s.Term) -> c.Term:
    return c.Var(t.name) if isinstance(t, s.Var) else c.Const(t.name)


def _is_kind(x: s.IsKind) -> c.Condition:
    if x.kind == "member":
        return c.IsMember(term(x.term), x.negated)
    return c.HasKind(term(x.term), x.kind, x.negated)


CONDITION_LOWERING = {
    s.IsKind: _is_kind,
    s.IsSame: lambda x: c.Same(term(x.left), term(x.right), x.negated),
    s.IsIn: lambda x: c.IsIn(term(x.term), x.region, x.negated),
    s.AllAmong: lambda x: c.AllAmong(x.arg),
    s.ShareAmong: lambda x, lists=None: (c.ShareAmong(x.numerator, x.denominator, x.arg) if not x.excluding else
                                         c.ShareAmongOthers(x.numerator, x.denominator, x.arg,
                                                            tuple(_share_excluded(t, lists or {}) for t in x.excluding))),
    s.DateTest: lambda x: c.DateIs(x.op, x.date),
    s.DateFromEntry: lambda x: c.DateFromEntry(x.op, x.delay),
    s.Either: lambda x: c.Either(condition(x.left), condition(x.right)),
}


def _share_excluded(t: s.Term, lists: dict):
    """A term of a share's `other than`: a vote is not taken element by element, so a variable bound to each
    element of a list argument stands for the whole list (as `all of S` does in `for each`)."""
    if isinstance(t, s.Var) and t.name in lists:
        return c.ListOf(t.name, lists[t.name])
    return term(t)


def list_variables(x: s.Pattern | None, decls: dict) -> dict:
    """Variable -> the list argument of the pattern that binds it to each of its elements."""
    if x is None or x.event not in decls:
        return {}
    decl = decls[x.event]
    return {a.value.name: a.name for a in x.args
            if isinstance(a.value, s.Var) and decl.param(a.name) is not None and decl.param(a.name).type.is_list}


def _quality_test(x, qualities: dict) -> c.Condition | None:
    """`V is a european_state` or the bare `V is european_state`, when the name is a declared quality."""
    if isinstance(x, s.IsKind) and x.kind in qualities:
        return c.HasQuality(term(x.term), x.kind, qualities[x.kind], x.negated)
    if isinstance(x, s.IsSame) and isinstance(x.right, s.Const) and x.right.name in qualities:
        return c.HasQuality(term(x.left), x.right.name, qualities[x.right.name], x.negated)
    return None


def condition(x, qualities: dict | None = None, lists: dict | None = None) -> c.Condition:
    """`lists`: the variables a list argument of the rule's pattern binds (for `other than S` in a share)."""
    if qualities:
        if isinstance(x, s.Either):
            return c.Either(condition(x.left, qualities, lists), condition(x.right, qualities, lists))
        quality = _quality_test(x, qualities)
        if quality is not None:
            return quality
    if isinstance(x, s.ShareAmong):
        return CONDITION_LOWERING[s.ShareAmong](x, lists)
    return CONDITION_LOWERING[type(x)](x)


def conditions(xs, qualities: dict | None = None, lists: dict | None = None) -> tuple:
    return tuple(condition(x, qualities, lists) for x in xs)


def _step(arg: s.PatternArg, param: s.Param) -> p.Step:
    is_list = param.type.is_list
    v = arg.value
    step = ARG_LOWERING[type(v)](arg.name, v, is_list, not param.required)
    return attrs.evolve(step, unknowable=True) if param.unknowable else step

ARG_LOWERING = {
    s.Var: lambda name, v, is_list, optional: p.BindEach(name, v.name) if is_list else p.Bind(name, v.name, optional),
    s.ArgConst: lambda name, v, is_list, optional: (p.AnyOf if is_list else p.OneOf)(name, tuple(v.values)),
    s.ArgAny: lambda name, v, is_list, optional: p.Anything(name),
    s.ArgPlaceOf: lambda name, v, is_list, optional: p.PlaceOf(name, v.place, v.state, is_list),
}


def pattern(x: s.Pattern, decls: dict) -> p.Pattern:
    decl = decls[x.event]
    return p.Pattern(x.event, tuple(_step(a, decl.param(a.name)) for a in x.args))


def _norm(x: s.NormConclusion, decls, organs=frozenset()) -> r.NormOf:
    """A member's norm, an organ's (a constant bearer the treaty declares an organ), or the members' together."""
    cp = term(x.counterparty) if x.counterparty is not None else None
    if isinstance(x.bearer, s.Together):
        cls, bearer = r.CollectiveNormOf, c.Const(TOGETHER)
    else:
        bearer = term(x.bearer)
        cls = r.OrganNormOf if isinstance(x.bearer, s.Const) and x.bearer.name in organs else r.NormOf
    return cls(bearer, x.modality, x.action, x.preposition, cp, (*x.means, *x.means_including),
               x.means_in_order, x.purpose, x.means_all or x.means_from is not None, tuple(x.means_including),
               x.means_from)


def _deem(x: s.Deem, decls, organs=frozenset()) -> r.Deem:
    decl = decls[x.pattern.event]
    args = []
    for a in x.pattern.args:
        if isinstance(a.value, s.Var):
            args.append((a.name, c.Var(a.value.name)))
        elif isinstance(a.value, s.ArgConst):
            args.append((a.name, c.Const(a.value.values[0])))
        # `_` in a deem gives the argument no value
    lists = frozenset(q.name for q in decl.params if q.type.is_list)
    defaults = tuple((q.name, UNKNOWN if q.unknowable else q.default)
                     for q in decl.params if q.default is not None)
    return r.Deem(x.pattern.event, tuple(args), lists, defaults)


CONCLUSION_LOWERING = {
    s.NormConclusion: _norm,
    s.Deem: _deem,
    s.MembershipChange: lambda x, decls, organs=frozenset(): r.ChangeMembership(term(x.who), x.change, x.delay, x.not_before),
}


def rule(x: s.Rule, index: int, decls: dict, qualities: dict | None = None,
         version: c.ArticleVersion | None = None, organs=frozenset()) -> r.Rule:
    """`version`: the dates of the article version the rule is in, its first condition (one meaning: the range)."""
    conclusion = (CONCLUSION_LOWERING[type(x.conclusion)](x.conclusion, decls, organs)
                  if x.conclusion is not None else None)
    breach, ends, late = None, [], []
    if x.breach is not None and x.trigger is None:  # standing: judged on each event (engine handlers)
        breach = r.BreachClause(pattern(x.breach.pattern, decls),
                                conditions(x.breach.where, qualities, list_variables(x.breach.pattern, decls)))
    for clause in ((x.breach,) if x.breach is not None and x.trigger is not None else ()) + x.lifetime:
        if isinstance(clause, s.BreachClause):  # of a norm an event gave rise to: the lifetime pass
            late.append(BreachOfNorm(LaterEvent(pattern(clause.pattern, decls), None,
                                                conditions(clause.where, qualities,
                                                           list_variables(clause.pattern, decls)))))
        elif isinstance(clause, s.Deadline):
            late.append(BreachOfNorm(within=clause.within))
        else:
            status = "ended" if isinstance(clause, s.EndsWhen) else "discharged"
            ends.append(EndOfNorm(status, LaterEvent(pattern(clause.pattern, decls))))
    quantifiers = tuple(r.ForEachMember(q.var, tuple(_excluded(t, x.trigger) for t in q.excluding))
                        for q in x.quantifiers)
    trigger = pattern(x.trigger, decls) if x.trigger is not None else None
    keeps = tuple(sorted({t.arg for q in quantifiers for t in q.excluding if isinstance(t, c.AllOf)}))
    if keeps:
        trigger = attrs.evolve(trigger, keeps=keeps)
    return r.Rule(
        name=x.name, article=x.article, index=index, kind=x.kind,
        trigger=trigger,
        where=((version,) if version is not None else ()) + conditions(x.where, qualities,
                                                                       list_variables(x.trigger, decls)),
        quantifiers=quantifiers,
        conclusion=conclusion,
        unless=tuple(r.Unless(conditions(g, qualities, list_variables(x.trigger, decls))) for g in x.unless),
        breach=breach, reading=x.reading, asymmetric=x.asymmetric, quote=x.quote.phrase if x.quote is not None else None,
        exception_to=x.exception_to, span=x.span, version=version,
        after=_earlier(x.after, decls) if x.after is not None else None,
        ends=tuple(ends), late_breaches=tuple(late),
    )


def _excluded(t, trigger: s.Pattern | None):
    """A term of `other than`; `all of S` names the list argument S is on (checks made sure it is one)."""
    if not isinstance(t, s.AllOf):
        return term(t)
    arg = next((a.name for a in trigger.args if isinstance(a.value, s.Var) and a.value.name == t.name), None) \
        if t.is_var else t.name
    return c.AllOf(arg, t.name, trigger.event)


def _earlier(x: s.Earlier, decls: dict) -> EarlierEvent:
    return EarlierEvent(pattern(x.pattern, decls), x.within, conditions(x.such_that))


def _after_events(x: s.AfterEvents, header, decls) -> AfterRatifications:
    decl = decls[x.event]
    actor = next((q.name for q in decl.params if isinstance(q.type, s.ActorType) and not q.type.is_list), None)
    return AfterRatifications(x.count, x.event, actor, x.delay, tuple(x.including), x.entered)


ENTRY_LOWERING = {
    s.OnSignature: lambda x, header, decls: OnDate(header.signed),
    s.OnDate: lambda x, header, decls: OnDate(x.date),
    s.AfterEvents: _after_events,
    type(None): lambda x, header, decls: OnDate(header.signed if header else None),
}


def lower(tree: s.TreatyFile, warnings=()) -> CompiledTreaty:
    """The IR of a checked treaty."""
    decls = {e.name: e for e in tree.events}
    header = tree.header
    eif = header.entry_into_force if header else None
    entry = ENTRY_LOWERING[type(eif)](eif, header, decls)
    versions = {id(x): c.ArticleVersion(a.number, a.title, a.valid_from, a.valid_until)
                for a in tree.articles if a.versioned for x in a.rules}
    qualities = {q.name: q.description for q in tree.qualities}
    organs = frozenset(o.id for o in tree.organs)
    rules = [rule(x, i, decls, qualities, versions.get(id(x)), organs) for i, x in enumerate(tree.rules)]
    return CompiledTreaty(tree, rules, entry, warnings)  # its vocabulary, if it `uses` one, is read on first use
