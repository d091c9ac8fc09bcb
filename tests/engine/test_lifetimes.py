"""Lifetimes of norms and breaches of obligations (ir/lifetimes.py, engine/lifetimes.py): the checks, the
result's rows and statuses on `as_of`, `expect:` items that assert them, and both engine paths."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

import treatylang
from treatylang.casebook.runner import check_expectations
from treatylang.engine.evaluate import evaluate
from treatylang.scenario.load import scenario_from_dict
from treatylang.testing import outcome

HEAD = """treaty t "Pact" signed 2020-01-01 in force on signature
party astoria "Astoria"
party belmont "Belmont"
party cordova "Cordova"
actor dorado "Dorado" kind state
event attack(target: actor, by: actor)
event measures(about: actor)
event assistance(by: actor, to: actor)
event refusal(party: actor, to: actor)
fact danger(to: actor)
"""

RULE = """article 5 "Assistance"
  rule assist:
    when attack(target: V, by: A)
    for each member M other than V:
    M must assist V
    breached by refusal(party: M, to: V)
    ends when measures(about: V)
    discharged by assistance(by: M, to: V)
    breached if not discharged within 30 days
  rule deem_danger:
    when attack(target: V, by: A)
    deem danger(to: V)
"""


@pytest.fixture(scope="module")
def pact():
    return treatylang.parse_treaty(HEAD + RULE, "pact.treaty")


def _scenario(pact, events, as_of=None, expect=None):
    data = {"title": "t", "events": events}
    if as_of:
        data["as_of"] = as_of
    if expect:
        data["expect"] = expect
    return scenario_from_dict(data, pact)


ATTACK = {"id": "e1", "type": "attack", "date": "2024-03-01", "target": "astoria", "by": "dorado"}


def _rows(result, key):
    return {(r["bearer"] if "bearer" in r else r["party"]): r for r in result.to_json()[key]} if key == "norms" \
        else result.to_json()[key]


@pytest.mark.parametrize("interpret", [False, True], ids=["generated", "interpreted"])
def test_ended_discharged_and_live_on_as_of(pact, interpret):
    events = [ATTACK, {"id": "help", "type": "assistance", "date": "2024-03-10", "by": "belmont", "to": "astoria"},
              {"id": "e3", "type": "measures", "date": "2024-05-01", "about": "astoria"}]
    late = _rows(evaluate(pact, _scenario(pact, events, "2024-06-01"), interpret=interpret), "norms")
    assert (late["belmont"]["status"], late["belmont"]["ended"], late["belmont"]["ended_by"]) == \
        ("discharged", "2024-03-10", "help")
    assert (late["cordova"]["status"], late["cordova"]["ended"], late["cordova"]["ended_by"]) == \
        ("ended", "2024-05-01", "e3")
    early = _rows(evaluate(pact, _scenario(pact, events, "2024-04-01"), interpret=interpret), "norms")
    assert early["cordova"]["status"] == "live" and early["cordova"]["ended"] is None  # the Council acts later


def test_measures_about_another_state_end_nothing(pact):
    events = [ATTACK, {"id": "e2", "type": "measures", "date": "2024-03-02", "about": "belmont"}]
    rows = _rows(evaluate(pact, _scenario(pact, events, "2024-03-20")), "norms")
    assert {r["status"] for r in rows.values()} == {"live"}


def test_breach_rows_name_the_norm_and_how(pact):
    events = [ATTACK, {"id": "no", "type": "refusal", "date": "2024-03-05", "party": "cordova", "to": "astoria"},
              {"id": "help", "type": "assistance", "date": "2024-03-31", "by": "belmont", "to": "astoria"}]
    breaches = evaluate(pact, _scenario(pact, events, "2024-06-01")).to_json()["breaches"]
    got = sorted(((b["party"], b["event"], b["date"], b["norm_event"], b["deadline"], b["modality"]) for b in breaches),
                 key=repr)
    assert got == sorted([("cordova", None, "2024-04-01", "e1", "2024-03-31", "obligation"),
                          ("cordova", "no", "2024-03-05", "e1", None, "obligation")], key=repr)


def test_no_breach_by_delay_before_the_deadline_passed(pact):
    assert evaluate(pact, _scenario(pact, [ATTACK], "2024-03-31")).breaches == []
    assert len(evaluate(pact, _scenario(pact, [ATTACK], "2024-04-01")).breaches) == 2  # Belmont and Cordova


def test_the_result_does_not_depend_on_the_order_of_same_day_events(pact):
    same_day = {"id": "e2", "type": "measures", "date": "2024-03-01", "about": "astoria"}
    a = evaluate(pact, _scenario(pact, [ATTACK, same_day], "2024-06-01"))
    b = evaluate(pact, _scenario(pact, [same_day, ATTACK], "2024-06-01"))
    assert outcome(a) == outcome(b)
    assert {n.row()["status"] for n in a.norms} == {"ended"} and a.breaches == []


CASE = """title: The Council acts about Astoria
treaty: pact.treaty
as_of: 2024-06-01
events:
  - {id: e1, type: attack, date: 2024-03-01, target: astoria, by: dorado}
  - {id: e3, type: measures, date: 2024-03-20, about: astoria}
expect:
"""


@pytest.mark.parametrize("expect, failures", [
    ("  norms: [{bearer: belmont, action: assist, status: ended, ended: 2024-03-20, ended_by: e3}]\n  breaches: []\n", 0),
    ("  norms: [{bearer: belmont, action: assist, status: live}]\n", 1),
    ("  breaches: [{party: belmont, deadline: 2024-03-31}]\n", 1),  # the norm ended before its deadline
])
def test_expect_items_assert_status_and_breaches(tmp_path, expect, failures):
    (tmp_path / "pact.treaty").write_text(HEAD + RULE)
    (tmp_path / "case.yaml").write_text(CASE + expect)
    scenario = treatylang.load_scenario(str(tmp_path / "case.yaml"))
    assert len(check_expectations(evaluate(scenario.treaty, scenario))) == failures


def test_text_shows_the_end_and_explain_says_why(pact):
    from treatylang.render.text import render_text
    events = [ATTACK, {"id": "e3", "type": "measures", "date": "2024-03-20", "about": "astoria"}]
    result = evaluate(pact, _scenario(pact, events, "2024-06-01"))
    text = render_text(result, explain=True)
    assert "; ended 2024-03-20: measures e3 (art. 5)" in text
    assert "so it ended on 2024-03-20: the measures e3 on 2024-03-20 (about: Astoria)" in text


def _errors(rule: str) -> str:
    with pytest.raises(treatylang.TreatyError) as info:
        treatylang.parse_treaty(HEAD + textwrap.dedent(rule), "bad.treaty")
    return str(info.value)


@pytest.mark.parametrize("rule, needle", [
    ("""article 1 "X"
      rule r:
        for each member M:
        M must assist
        ends when measures(about: M)
    """, "bad.treaty:15:9: error: 'ends when' needs a norm an event gives rise to (a rule with 'when')"),
    ("""article 1 "X"
      rule r:
        when attack(target: V, by: A)
        for each member M other than V:
        M may assist V
        discharged by assistance(by: M, to: V)
    """, "error: only an obligation ('must') is discharged; 'discharged by' cannot follow 'may'"),
    ("""article 1 "X"
      rule r:
        when attack(target: V, by: A)
        for each member M other than V:
        M must assist V
        breached if not discharged within 10 days
    """, "error: 'breached if not discharged within' needs a 'discharged by EVENT(...)' clause"),
    ("""article 1 "X"
      rule r:
        when attack(target: V, by: A)
        for each member M other than V:
        M may assist V
        breached by refusal(party: M, to: V)
    """, "error: only an obligation ('must') or a prohibition ('must not') can be breached"),
    ("""article 1 "X"
      rule r:
        when attack(target: V, by: A)
        for each member M other than V:
        M must assist V
        breached by refusal(party: V, to: V)
    """, "error: the breach pattern must name the bearer M (who breached?)"),
    ("""article 1 "X"
      rule r:
        when attack(target: V, by: A)
        for each member M other than V:
        M must assist V
        ends when danger(to: V)
      rule d:
        when attack(target: V, by: A)
        deem danger(to: V)
    """, "error: 'danger' is a fact rules deem; 'ends when' looks for a later event of the scenario"),
    ("""article 1 "X"
      rule d:
        when attack(target: V, by: A)
        deem danger(to: V)
        ends when measures(about: V)
    """, "error: 'ends when' is a clause of a norm ('must', 'may', 'must not'), not of a deem"),
    ("""article 1 "X"
      rule r:
        when attack(target: V, by: A)
        for each member M other than V:
        M must assist V
        ends when measures(about: V
    """, "error: unexpected"),
    ("""article 1 "X"
      rule r:
        for each member M:
        M must not threaten
        breached by refusal(party: M, to: _)
        breached by attack(by: M, target: _)
    """, "error: a standing norm takes one 'breached by'; write another rule for other conduct"),
])
def test_checks_say_what_to_write(rule, needle):
    assert needle in _errors(rule)


def test_a_clause_linked_to_nothing_is_a_warning(pact):
    text = HEAD + RULE.replace("ends when measures(about: V)", "ends when measures(about: X)")
    treaty = treatylang.parse_treaty(text, "w.treaty")
    assert any("shares no variable with the rule" in w.message for w in treaty.warnings)


def test_a_standing_obligation_can_be_breached_by_conduct():
    text = HEAD + """article 1 "X"
  rule consult:
    for each member M:
    M must consult
    breached by refusal(party: M, to: _)
  rule deem_danger:
    when attack(target: V, by: A)
    deem danger(to: V)
  rule act:
    when danger(to: V)
    for each member M other than V:
    M may act
"""
    treaty = treatylang.parse_treaty(text, "s.treaty")
    events = [{"id": "r", "type": "refusal", "date": "2024-01-02", "party": "belmont", "to": "astoria"}]
    result = evaluate(treaty, scenario_from_dict({"title": "t", "events": events}, treaty))
    assert [(b.party, b.event, b.row()["modality"], b.row()["norm_event"]) for b in result.breaches] == \
        [("belmont", "r", "obligation", None)]
    assert dt.date(2024, 1, 2) == result.breaches[0].date


def test_a_norm_may_have_several_breached_by(tmp_path):
    text = HEAD + RULE.replace("    breached by refusal(party: M, to: V)\n",
                               "    breached by refusal(party: M, to: V)\n    breached by attack(target: V, by: M)\n")
    treaty = treatylang.parse_treaty(text, "two.treaty")
    events = [ATTACK, {"id": "e2", "type": "attack", "date": "2024-03-02", "target": "astoria", "by": "belmont"},
              {"id": "e3", "type": "refusal", "date": "2024-03-03", "party": "cordova", "to": "astoria"}]
    result = evaluate(treaty, _scenario(treaty, events, "2024-03-10"))
    got = {(b.party, b.event, b.norm.event) for b in result.breaches}
    # Belmont's attack breaches its duty to assist Astoria (of e1); Cordova refuses
    assert got == {("belmont", "e2", "e1"), ("cordova", "e3", "e1"), ("cordova", "e3", "e2")}
