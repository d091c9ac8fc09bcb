"""Random treaties drawn from the grammar's constructs, random scenarios: every path gives the same answer.

The generated code (results), the reference interpreter (the IR's own eval3/match/expand), the traced
handlers (explanations) and why-not must agree and never fail on a treaty that passes the checks.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import treatylang
from treatylang.engine.evaluate import evaluate
from treatylang.explain.why import because
from treatylang.explain.why_not import why_not
from treatylang.ir.conditions import CONDITIONS, Condition
from treatylang.model import UNKNOWN
from treatylang.testing import outcome, scenarios

HEADER = """treaty t "Generated" signed 2020-01-01 in force on signature
quality qa "a Qa State"
quality qn "northern"
party pa "Pa" is qa
party pb "Pb" is qa, qn
party pc "Pc"
place region "the Region"
place zone "the Zone" in region is qn
place ta "Pa's land" of pa in zone
place ta2 "Pa's coast" of pa
place tb "Pb's land" of pb in region is qn
place tc "Pc's land" of pc
place sea "the high seas" in region
event raid(on: place+, by: actor)
actor org "Org" kind organization
event strike(target: actor+, by: actor, with: actor?, kind: land|sea = land)
event pressure(on: actor, by: actor, measures: (m1|m2|m3)*, backers: actor*)
organ council "the Council"
event join(state: actor, approved_by: actor*)
event leave(party: actor)
fact harm(to: actor, from: actor, helpers: actor*, kind: land|sea = land)
fact grave(to: actor, from: actor?)
"""

# the same vocabulary with arguments a scenario may leave unknown (`= unknown`): conditional results
UNKNOWN_HEADER = (HEADER.replace("with: actor?, kind: land|sea = land)", "with: actor? = unknown, kind: land|sea = unknown)")
                  .replace("backers: actor*)", "backers: actor* = unknown)")
                  .replace("helpers: actor*,", "helpers: actor* = unknown,")
                  .replace("from: actor?)", "from: actor? = unknown)"))
assert UNKNOWN_HEADER.count("= unknown") == 5

UNKNOWN_RULES = [  # a constant test, a bound variable on a list and on a single argument, through a deem
    'article 2 "Sea"\n  rule u0:\n    when strike(target: V, kind: sea)\n    where V is a member\n'
    '    for each member M other than V:\n    M must help V',
    'article 3 "Backers"\n  rule u1:\n    when pressure(on: V, by: A, backers: A)\n    deem harm(to: V, from: A)',
    'article 4 "With"\n  rule u2:\n    for each member M:\n    M must not lend_forces\n'
    '    breached by strike(target: M, with: M)',
]

# what each event or fact type lets a pattern bind: argument -> list argument?
TYPES = {
    "strike": {"target": True, "by": False, "with": False, "kind": None},
    "pressure": {"on": False, "by": False, "backers": True},
    "harm": {"to": False, "from": False, "helpers": True, "kind": None},
    "grave": {"to": False, "from": False},
    "raid": {"on": "place", "by": False},
}
DEEMS = {"raid": ["harm", "grave"], "strike": ["harm", "grave"], "pressure": ["harm", "grave"], "harm": ["grave"], "grave": []}
LISTS = {"strike": "target", "pressure": "backers", "harm": "helpers"}
VARS = ["X", "Y", "Z"]


@st.composite
def patterns(draw, types, plain=False):
    """A pattern over one of `types`; returns (text, event type, {var: list-ness}).

    `plain` patterns name only variables (or leave arguments out): they match more often.
    """
    etype = draw(st.sampled_from(types))
    parts, bound = [], {}
    for arg, is_list in TYPES[etype].items():
        choices = ["var", "skip"] if plain else ["var", "var", "var", "var", "skip", "any", "const"]
        choice = draw(st.sampled_from(choices))
        if choice == "skip" or (is_list is None and choice == "var"):
            continue
        if is_list == "place":  # `on: P of X`: P a place (not an actor variable), X its State
            var = draw(st.sampled_from(VARS))
            parts.append(f"{arg}: P of {var}")
            bound.setdefault(var, False)
            bound["P"] = "place"
        elif is_list is None:  # an enumeration
            parts.append(f"{arg}: {draw(st.sampled_from(['land', 'sea', 'land|sea']))}")
        elif choice == "var":
            fresh = [v for v in VARS if v not in bound]
            var = draw(st.sampled_from(fresh + [v for v in VARS if v in bound]))  # a new variable first
            parts.append(f"{arg}: {var}")
            bound.setdefault(var, is_list)
        elif choice == "any":
            parts.append(f"{arg}: _")
        else:
            parts.append(f"{arg}: {draw(st.sampled_from(['pa', 'pb', 'org']))}")
    return f"{etype}({', '.join(parts)})", etype, bound


@st.composite
def conditions(draw, vars_, etype, depth=0):
    every = vars_
    places = "P" in vars_
    vars_ = [v for v in vars_ if v != "P"]
    if places and (not vars_ or draw(st.booleans())):
        if draw(st.booleans()):
            return f"P is {draw(st.sampled_from(['', 'not ']))}in {draw(st.sampled_from(['region', 'zone', 'tb']))}"
        return f"P is {draw(st.sampled_from(['', 'not ']))}{draw(st.sampled_from(['qn', 'a qa']))}"
    if vars_ and draw(st.integers(0, 5)) == 0:
        return f"{draw(st.sampled_from(vars_))} is {draw(st.sampled_from(['', 'not ']))}{draw(st.sampled_from(['an qa', 'qn']))}"
    options = ["member", "kind", "same", "date", "from_entry"]
    if etype in LISTS and etype in ("strike", "pressure"):
        options += ["all", "share"]
    if depth < 2:
        options.append("either")
    kind = draw(st.sampled_from(options)) if vars_ else draw(st.sampled_from(["date", "from_entry"] + [o for o in options if o in ("all", "share")]))
    neg = draw(st.sampled_from(["", "not "]))
    v = draw(st.sampled_from(vars_)) if vars_ else None
    if kind == "member":
        return f"{v} is {neg}a member"
    if kind == "kind":
        return f"{v} is {neg}{draw(st.sampled_from(['a state', 'an organization', 'an armed_group']))}"
    if kind == "same":
        other = draw(st.sampled_from(vars_ + ["pa", "org"]))
        return f"{v} is {neg}{other}"
    if kind == "date":
        return f"date is {draw(st.sampled_from(['before', 'after', 'on or after']))} 2020-06-01"
    if kind == "from_entry":
        op = draw(st.sampled_from(["before", "after", "on", "on or after", "on or before"]))
        return f"date is {op} {draw(st.integers(0, 4))} {draw(st.sampled_from(['days', 'months', 'weeks']))} after entry into force"
    if kind == "all":
        return f"every member is among {LISTS[etype]}"
    if kind == "share":
        others = ""  # `other than X, Y`: the States concerned left out of the count (a list variable: all of it)
        if vars_ and draw(st.booleans()):
            others = f" other than {', '.join(draw(st.lists(st.sampled_from(vars_), min_size=1, max_size=2, unique=True)))}"
        return f"at least {draw(st.sampled_from(['1/2', '2/3', '50%']))} of members{others} are among {LISTS[etype]}"
    left = draw(conditions(every, etype, depth + 1))
    right = draw(conditions(every, etype, depth + 1))
    return f"either {left} or {right}"


@st.composite
def triggered_rules(draw, index, types, deem_chance=0.5, plain=False):
    pattern, etype, bound = draw(patterns(types, plain))
    root_fact = etype in ("harm", "grave")  # a norm on a deemed fact: its lifetime too (by its scenario event)
    if etype in ("strike", "pressure") and draw(st.integers(0, 2)) == 0:  # an earlier event (`after`)
        earlier, etype2, bound2 = draw(patterns(["strike", "pressure"], plain))
        pattern += f" after {earlier}"
        if draw(st.booleans()):
            pattern += f" within {draw(st.sampled_from(['0 days', '3 days', '1 week', '1 month']))}"
        if etype2 == "pressure" and draw(st.booleans()):
            pattern += " such that " + draw(st.sampled_from(
                ["every member is among backers", "at least 1/2 of members are among backers", "date is after 2020-06-01"]))
        bound = {**bound2, **bound}
    singles = [v for v, is_list in bound.items()]
    actors = [v for v in singles if v != "P"]  # P is a place: no conclusion or quantifier names it
    lines = [f"  rule r{index}:", f"    when {pattern}"]
    where = [] if plain else draw(st.lists(conditions(singles, etype), max_size=1))
    if where:
        lines.append(f"    where {' and '.join(where)}")
    scope, quantified = list(actors), []
    for q in draw(st.lists(st.sampled_from(["M", "N"]), max_size=2, unique=True)):
        whole = ["all of target"] if etype == "strike" else []  # the whole list, never unknown in either header
        excl = draw(st.lists(st.sampled_from(scope + whole), max_size=1)) if scope else []
        lines.append(f"    for each member {q}" + (f" other than {', '.join(excl)}" if excl else "") + ":")
        scope.append(q)
        quantified.append(q)
    if not scope:
        assume(False)
    norm = None
    if DEEMS[etype] and draw(st.floats(0, 1)) < deem_chance:
        fact = draw(st.sampled_from(DEEMS[etype]))
        if fact == "harm":
            args = [f"to: {draw(st.sampled_from(scope))}", f"from: {draw(st.sampled_from(scope))}"]
            if draw(st.booleans()):
                args.append(f"helpers: {draw(st.sampled_from(scope))}")
            if draw(st.booleans()):
                args.append("kind: sea")
        else:
            args = [f"to: {draw(st.sampled_from(scope))}"]
            if draw(st.booleans()):
                args.append(f"from: {draw(st.sampled_from(scope))}")
        lines.append(f"    deem {fact}({', '.join(args)})")
    else:
        bearer = draw(st.sampled_from(quantified + actors + ["council", "members together"]))  # a member first
        modal = draw(st.sampled_from(["must", "may", "must not"]))
        cp = draw(st.sampled_from(scope + [None]))
        means = " means from measures" if etype == "pressure" and "after" not in pattern and draw(st.booleans()) else ""
        lines.append(f"    {bearer} {modal} act{index}" + (f" toward {cp}" if cp else "") + means)
        norm = (modal, bearer)
    if not plain and draw(st.integers(0, 3)) == 0:
        lines.append(f"    unless {draw(conditions(scope + (['P'] if 'P' in bound else []), etype))}")
    if norm is not None and draw(st.integers(0, 2)) == 0:
        lines += draw(lifetime_clauses(*norm, scope))
    return "\n".join(lines)


@st.composite
def later_pattern(draw, scope, must_name=None):
    """A scenario event pattern over the rule's variables (the link) and fresh ones: for lifetime clauses."""
    etype = draw(st.sampled_from(["strike", "pressure"]))
    parts = []
    for arg, is_list in TYPES[etype].items():
        if is_list is None:
            continue
        choice = draw(st.sampled_from(scope + ["W", "_", "skip"]))
        if choice != "skip":
            parts.append(f"{arg}: {choice}")
    if must_name is not None and not any(p.endswith(f": {must_name}") for p in parts):
        arg = draw(st.sampled_from([a for a, is_list in TYPES[etype].items() if is_list is not None]))
        parts = [p for p in parts if not p.startswith(f"{arg}:")] + [f"{arg}: {must_name}"]
    return f"{etype}({', '.join(parts)})"


@st.composite
def lifetime_clauses(draw, modal, bearer, scope):
    """`ends when`, `discharged by`, `breached by`, `breached if not discharged within` after a norm."""
    out = []
    if draw(st.booleans()):
        out.append(f"    ends when {draw(later_pattern(scope))}")
    if modal != "may" and draw(st.booleans()):
        out.append(f"    breached by {draw(later_pattern(scope, bearer))}")
    if modal == "must" and draw(st.booleans()):
        out.append(f"    discharged by {draw(later_pattern(scope))}")
        if draw(st.booleans()):
            out.append(f"    breached if not discharged within {draw(st.sampled_from(['0 days', '3 days', '1 month']))}")
    return draw(st.permutations(out))


@st.composite
def standing_prohibitions(draw, index):
    """`for each member M: for each member O other than M: M must not wrong O breached by ...`."""
    etype = draw(st.sampled_from([t for t in TYPES if t != "raid"]))
    actor_args = [a for a, is_list in TYPES[etype].items() if is_list is not None]
    by, against = draw(st.permutations(actor_args))[:2]
    parts = [f"{by}: M", f"{against}: O"]
    if "kind" in TYPES[etype] and draw(st.booleans()):
        parts.append(f"kind: {draw(st.sampled_from(['land', 'sea']))}")
    lines = [f"  rule r{index}:", "    for each member M:", "    for each member O other than M:",
             "    M must not wrong O", f"    breached by {etype}({', '.join(parts)})"]
    if draw(st.booleans()):
        lines[-1] += f" where {draw(st.sampled_from(['M is a member', 'O is a member', 'O is not a state']))}"
    return "\n".join(lines)


MEMBERSHIP = """article 90 "Accession"
  rule accession:
    when join(state: S, approved_by: _)
    where S is not a member and every member is among approved_by
    S becomes a member
article 91 "Withdrawal"
  rule withdrawal:
    when leave(party: P)
    where P is a member
    P ceases to be a member 30 days after
"""


@st.composite
def treaties(draw):
    """Rules on scenario events (deeming facts more often than not), rules on the facts, prohibitions."""
    body, index = ['article 1 "Rules"'], 0
    plain = draw(st.booleans())
    for types, count, deem_chance in ((["strike", "pressure", "raid"], (1, 2), 0.6), (["harm"], (1, 2), 0.4),
                                      (["grave"], (1, 1), 0.0)):
        for _ in range(draw(st.integers(*count))):
            body.append(draw(triggered_rules(index, types, deem_chance, plain)))
            index += 1
    for _ in range(draw(st.integers(0, 2))):
        body.append(draw(standing_prohibitions(index)))
        index += 1
    if draw(st.booleans()):
        target = draw(st.integers(0, index - 1))
        body.append(f"  rule e{target}:\n    exception to r{target}\n    where {draw(conditions(['M'], 'harm'))}")
    header = UNKNOWN_HEADER if draw(st.booleans()) else HEADER
    if header is UNKNOWN_HEADER:  # rules sure to test unknown arguments (the drawn ones seldom do)
        body += draw(st.lists(st.sampled_from(UNKNOWN_RULES), max_size=3, unique=True))
    versions = draw(st.sampled_from(["", "dated", "split"]))  # article versions by date
    if versions == "dated":
        body[0] += draw(st.sampled_from([" until 2020-03-31", " from 2020-02-01", " from 2020-02-01 until 2020-04-30"]))
    elif versions == "split" and len(body) > 2:
        at = draw(st.integers(2, len(body) - 1))
        body[0] += " until 2020-02-29"
        body.insert(at, 'article 1 "Rules (amended)" from 2020-03-01')
    membership = MEMBERSHIP
    if draw(st.booleans()):  # the later of two dates
        membership = membership.replace("30 days after", "30 days after, not before 2 months after entry into force")
    text = header + "\n".join(body) + "\n" + (membership if draw(st.booleans()) else "")
    try:
        return text, treatylang.parse_treaty(text, "generated.treaty")
    except treatylang.TreatyError:
        assume(False)


def conditional_rows(result) -> frozenset:
    """The conditional conclusions as plain rows (each with its open facts), to compare two results."""
    return frozenset((c.kind, repr(sorted(c.item.row().items())), c.depends_on) for c in result.conditional)


@st.composite
def leaving_unknown(draw, scenario):
    """The scenario with some `= unknown` arguments left out (unknown) instead of stated."""
    for e in scenario.events:
        for p in scenario.treaty.events[e.type].params:
            if p.default == "unknown" and draw(st.booleans()):
                e.args = {**e.args, p.name: UNKNOWN}
    return scenario


def _events(result):
    return {e.id: e for e in result.scenario.events}


@settings(max_examples=400, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(st.data())
def test_every_path_agrees_on_random_treaties(data):
    text, treaty = data.draw(treaties())
    types = data.draw(st.sampled_from([["strike", "pressure", "raid"], ["strike", "pressure", "raid"], None]))
    scenario = data.draw(scenarios(treaty, min_events=1, max_events=4, outsiders=2, event_types=types,
                                   before_entry=data.draw(st.sampled_from([False, False, True]))))
    scenario = data.draw(leaving_unknown(scenario))
    for event in scenario.events:  # some continuing situations (`until`)
        event.until = data.draw(st.sampled_from([None, None, None, dt.date.max, event.date + dt.timedelta(days=5)]))
    generated = evaluate(treaty, scenario)
    interpreted = evaluate(treaty, scenario, interpret=True)
    assert outcome(generated) == outcome(interpreted), text
    assert conditional_rows(generated) == conditional_rows(interpreted), text
    for item in [*generated.norms, *generated.breaches, *generated.effects, *generated.standing,
                 *generated.conditional]:
        steps = because(item, generated)
        assert steps and "object at 0x" not in " ".join(steps), text
        if item in generated.norms or item in generated.breaches:  # the traced path found the derivation
            binding, origin = generated.derivation(item)
            norm = getattr(item, "norm", None)  # the breach of a norm an event gave rise to: the norm's event
            assert origin is not None and origin.id == (norm.event if norm is not None else item.event), text
    for actor in (*treaty.parties, *scenario.actors):
        for reason in why_not(generated, actor):
            assert reason.status in ("no", "unknown", "conditional") and reason.text, text


def _conditions_in(condition):
    yield type(condition)
    for part in (getattr(condition, "left", None), getattr(condition, "right", None)):
        if isinstance(part, Condition):
            yield from _conditions_in(part)


def test_the_generator_reaches_every_kind_of_rule_and_every_condition():
    """The strategy above is only as good as its reach: every kind of rule, and every condition of the IR.

    A new condition class fails this test until the generator above can write it.
    """
    seen, conditions = set(), set()

    @settings(max_examples=400, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(treaties())
    def collect(drawn):
        text, treaty = drawn
        seen.update(r.kind for r in treaty.rules)
        seen.update("breach" for r in treaty.rules if r.breach is not None)
        seen.update("unless" for r in treaty.rules if r.unless)
        seen.update("versioned" for r in treaty.rules if r.version is not None)
        seen.update("not_before" for r in treaty.rules if getattr(r.conclusion, "not_before", None) is not None)
        seen.update("after" for r in treaty.rules if r.after is not None)
        seen.update("all_of" for r in treaty.rules for q in r.quantifiers for x in q.excluding
                    if type(x).__name__ == "AllOf")
        seen.update(c.status for r in treaty.rules for c in r.ends)
        seen.update("late breach" if c.later is not None else "deadline" for r in treaty.rules for c in r.late_breaches)
        for r in treaty.rules:
            groups = [r.where, *(d.conditions for d in r.unless), r.breach.where if r.breach else ()]
            conditions.update(k for group in groups for c in group for k in _conditions_in(c))

    collect()
    assert {"norm", "deem", "exception", "membership", "breach", "unless", "versioned", "not_before",
            "after", "all_of", "ended", "discharged", "late breach", "deadline"} <= seen, seen
    assert conditions == set(CONDITIONS), {c.__name__ for c in set(CONDITIONS) - conditions}
