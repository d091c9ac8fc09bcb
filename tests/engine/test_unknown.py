"""Unknown facts (`= unknown` arguments) and conditional results: their shape in every output, what they
never do (satisfy an expected established result, change generated code of treaties without them), and a
property: stating an unknown fact only ever settles conditional results, it never concludes anything new."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import treatylang
from treatylang.casebook.runner import check_expectations
from treatylang.engine import codegen
from treatylang.engine.evaluate import evaluate
from treatylang.explain.why_not import why_not
from treatylang.lang.checks import check
from treatylang.lang.parser import parse_treaty_source
from treatylang.model import UNKNOWN

PACT = Path(__file__).resolve().parents[2] / "examples" / "pacts" / "northwind_pact.treaty"  # no `= unknown`
from treatylang.render.json import dumps
from treatylang.render.markdown import render_markdown
from treatylang.render.text import render_text
from treatylang.scenario.yaml_nodes import read_document
from treatylang.testing import _arg_strategy, make_scenario, scenarios

TREATY = """treaty sahel "Sahel Pact" signed 2024-01-01 in force on signature
party mali "Mali"
party niger "Niger"
party chad "Chad"
actor jnim "JNIM" kind armed_group
event attack(target: actor+, by: actor, permitted_by: actor* = unknown, armed_forces: yes|no = unknown, territory_of: actor? = unknown)
fact hosted(host: actor, victim: actor, armed: yes|no = unknown)
article 8 "Territory"
  rule no_staging:
    for each member M:
    M must not permit_attacks
    breached by attack(territory_of: M, permitted_by: M)
  rule assist:
    when attack(target: V, armed_forces: yes)
    where V is a member
    for each member M other than V:
    M must assist V
  rule host:
    when attack(target: V, territory_of: H, armed_forces: yes)
    deem hosted(host: H, victim: V)
  rule host_duty:
    when hosted(host: H, victim: V, armed: _)
    H must investigate_for V
"""


def _treaty():
    return treatylang.parse_treaty(TREATY, "sahel.treaty")


def _result(**args):
    treaty = _treaty()
    given = {"target": ("niger",), "by": "jnim", **args}
    return evaluate(treaty, make_scenario(treaty, [("attack", dt.date(2024, 5, 1), given)]))


def test_conditional_results_are_apart_in_every_output():
    result = _result(territory_of="mali")
    assert result.breaches == [] and result.norms == []
    kinds = {(c.kind, c.item.rule) for c in result.conditional}
    assert kinds == {("breach", "no_staging"), ("norm", "assist"), ("norm", "host_duty")}
    # through a deem, the open fact of the path (armed_forces) is carried to the fact's consumer
    hosted = next(c for c in result.conditional if c.item.rule == "host_duty")
    assert [(o.fact, o.arg, o.wanted) for o in hosted.depends_on] == [("attack", "armed_forces", ("yes",))]
    data = json.loads(dumps([result]))
    assert data["norms"] == [] and data["breaches"] == []
    breach = next(r for r in data["conditional"] if r["kind"] == "breach")
    assert breach["party"] == "mali" and breach["depends_on"] == [
        {"event": "e1", "fact": "attack", "argument": "permitted_by", "among": True, "wanted": ["mali"]}]
    text = render_text(result, explain=True)
    assert "depends on whether Mali is among the attack's 'permitted_by'" in text
    assert "but the scenario leaves this open" in text
    assert "## Conditional" in render_markdown(result) and "depends on whether" in render_markdown(result)


def test_stated_facts_give_established_results_and_known_none_is_no():
    result = _result(territory_of="mali", permitted_by=("mali",), armed_forces="yes")
    assert result.conditional == []
    assert {b.party for b in result.breaches} == {"mali"}
    assert {(n.rule, n.bearer) for n in result.norms} >= {("assist", "mali"), ("host_duty", "mali")}
    at_sea = _result(territory_of=None, permitted_by=(), armed_forces="no")
    assert at_sea.conditional == [] and at_sea.breaches == []
    reasons = {(r.rule.name, r.status) for r in why_not(at_sea, "mali")}
    assert ("no_staging", "no") in reasons and ("assist", "no") in reasons
    unknown = {(r.rule.name, r.status) for r in why_not(_result(territory_of="mali"), "mali")}
    assert ("no_staging", "conditional") in unknown and ("assist", "conditional") in unknown


def test_the_interpreter_gives_the_same_conditional_results():
    treaty = _treaty()
    scenario = make_scenario(treaty, [("attack", dt.date(2024, 5, 1), {"target": ("niger", "chad"), "by": "jnim",
                                                                      "territory_of": "mali"})])
    a, b = evaluate(treaty, scenario), evaluate(treaty, scenario, interpret=True)
    assert a.to_json() == b.to_json() and a.conditional


def test_treaties_without_unknown_get_no_new_code():
    """The handlers of a treaty with no `= unknown` argument read no unknown and collect nothing new."""
    pact = treatylang.load_treaty(PACT)
    assert not pact.uses_unknown
    for event_type in pact.events:
        for traced in (False, True):
            source = codegen.generate_handler(pact, event_type, traced).__source__
            assert "_UNK" not in source and "cond_append" not in source and "_Open" not in source


def test_a_conditional_result_meets_only_a_conditional_expectation(tmp_path):
    (tmp_path / "sahel.treaty").write_text(TREATY)
    case = tmp_path / "case.yaml"
    case.write_text("""title: t
treaty: sahel.treaty
events:
  - {type: attack, date: 2024-05-01, target: niger, by: jnim, territory_of: mali}
expect:
  conditional: [{kind: breach, party: mali, article: "8"}, {kind: norm, bearer: mali, action: assist}]
  breaches: [{party: mali}]
  norms: [{bearer: mali, action: assist}]
""")
    scenario = treatylang.load_scenario(str(case))
    failures = check_expectations(evaluate(scenario.treaty, scenario), read_document(str(case)))
    assert [f.message for f in failures] == ["expected norm not produced", "expected breach not found"]


def test_check_warns_of_a_rule_that_can_only_be_conditional():
    text = TREATY.replace("hosted(host: H, victim: V, armed: _)", "hosted(host: H, victim: V, armed: yes)")
    warnings = [d for d in check(parse_treaty_source(text, "s.treaty")) if d.severity == "warning"]
    assert any("can only ever conclude conditionally" in d.message and "host_duty" in d.message for d in warnings)
    assert not any("conditionally" in d.message for d in check(parse_treaty_source(TREATY, "s.treaty")))


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_stating_an_unknown_fact_settles_conditional_results_and_adds_nothing_new(data):
    treaty = _treaty()
    scenario = data.draw(scenarios(treaty, min_events=1, max_events=3, outsiders=1))
    params = [p for p in treaty.events["attack"].params if p.default == "unknown"]
    for e in scenario.events:
        for p in params:
            if data.draw(st.booleans()):
                e.args = {**e.args, p.name: UNKNOWN}
    before = evaluate(treaty, scenario)
    # only arguments the rules test: stating one a rule binds from (territory_of) may conclude what was not
    # even conditional before (no value is invented for a variable; why-not says "unknown" there)
    open_ = [(e, p) for e in scenario.events for p in params
             if e.args[p.name] is UNKNOWN and p.name in ("permitted_by", "armed_forces")]
    if not open_:
        return
    event, param = data.draw(st.sampled_from(open_))
    pool = [*treaty.parties, "jnim", *scenario.actors]
    event.args = {**event.args, param.name: data.draw(_arg_strategy(st, param, pool))}
    after = evaluate(treaty, scenario)

    def keys(items):
        return {(i.event, type(i).__name__, i.source.index, getattr(i, "bearer", None), getattr(i, "party", None),
                 getattr(i, "counterparty", None)) for i in items}

    established_before, established_after = keys(before.norms + before.breaches), keys(after.norms + after.breaches)
    assert established_before <= established_after
    assert established_after <= established_before | keys(c.item for c in before.conditional)
    assert keys(c.item for c in after.conditional) <= keys(c.item for c in before.conditional)
