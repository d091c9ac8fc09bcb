"""The generated handlers and the reference interpreter must agree on every scenario."""

import datetime as dt

from hypothesis import HealthCheck, given, settings, strategies as st

import treatylang
from treatylang.engine.evaluate import evaluate, handler
from treatylang.explain.why import because

from conftest import CHARTER

CHARTER_TREATY = treatylang.load_treaty(CHARTER)
OUTSIDERS = {"ecowas": "organization", "csp": "armed_group", "chad": "state"}


def scenario_data(treaty, draw):
    actors = list(treaty.parties) + list(OUTSIDERS)
    events = []
    types = sorted(n for n, d in treaty.events.items() if not d.is_fact)
    for i in range(draw(st.integers(0, 5))):
        decl = treaty.events[draw(st.sampled_from(types))]
        event = {"type": decl.name, "date": (dt.date(2023, 9, 10) + dt.timedelta(days=draw(st.integers(0, 400)))).isoformat()}
        for p in decl.params:
            if hasattr(p.type, "values"):
                event[p.name] = draw(st.sampled_from(p.type.values))
            elif p.type.is_list:
                event[p.name] = draw(st.lists(st.sampled_from(actors), min_size=1 if p.type.required else 0, max_size=3, unique=True))
            elif p.type.required or draw(st.booleans()):
                event[p.name] = draw(st.sampled_from(actors))
        events.append(event)
    return {"title": "generated", "events": events,
            "actors": {a: {"kind": k} for a, k in OUTSIDERS.items()}}


def outcome(result):
    return (sorted((n.bearer, n.modality, n.action, n.counterparty, n.article, n.rule, n.event, n.date) for n in result.norms),
            sorted((b.party, b.rule, b.event, b.date) for b in result.breaches),
            [(e.party, e.change, e.start) for e in result.effects])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_generated_code_agrees_with_the_interpreter_on_the_charter(data):
    scenario = treatylang.scenario_from_dict(scenario_data(CHARTER_TREATY, data.draw), CHARTER_TREATY)
    assert outcome(evaluate(CHARTER_TREATY, scenario)) == outcome(evaluate(CHARTER_TREATY, scenario, interpret=True))


def test_explanations_of_generated_norms_name_the_deemed_fact():
    scenario = treatylang.scenario_from_dict(
        {"title": "t", "actors": {"csp": {"kind": "armed_group"}},
         "events": [{"type": "attack", "date": "2023-10-01", "target": "mali", "by": "csp", "object": "forces",
                         "deployment": "alliance_space"}]},
        CHARTER_TREATY)
    result = evaluate(CHARTER_TREATY, scenario)
    steps = because(result.norms[0], result)
    assert any("by article 7 (Aggression, extended), rule aggression_extended_forces, it is deemed: aggression" in s for s in steps)


def test_handlers_are_made_once_and_kept():
    assert handler(CHARTER_TREATY, "attack") is handler(CHARTER_TREATY, "attack")
    assert "def handle_attack" in handler(CHARTER_TREATY, "attack").__source__


LIST_FACT = """treaty t "T" signed 2020-01-01 in force on signature
party astoria "Astoria"
party belmont "Belmont"
event blockade(target: actor, by: actor)
event attack(target: actor+, by: actor)
article 1 "Blockades are attacks"
  rule blockade_is_attack:
    when blockade(target: V, by: A)
    deem attack(target: V, by: A)
  rule help:
    when attack(target: V, by: A)
    where V is a member
    for each member M other than V:
    M must help V
"""


def test_a_deemed_fact_with_a_list_argument_holds_the_one_value():
    treaty = treatylang.parse_treaty(LIST_FACT, "list.treaty")
    scenario = treatylang.scenario_from_dict(
        {"title": "t", "actors": {"x": {"kind": "state"}},
         "events": [{"type": "blockade", "date": "2021-01-01", "target": "astoria", "by": "x"}]}, treaty)
    generated, interpreted = evaluate(treaty, scenario), evaluate(treaty, scenario, interpret=True)
    assert outcome(generated) == outcome(interpreted)
    assert [(n.bearer, n.counterparty) for n in generated.norms] == [("belmont", "astoria")]
    from treatylang.explain.why_not import why_not

    said = [r.text for r in why_not(generated, "astoria")]
    assert said and all("is not a member" not in t for t in said), said
