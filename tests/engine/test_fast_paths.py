"""The generated code's shortcuts, each against the reference interpreter and the plain meaning: a place
list's State visited once (`once_`), conditional results that need no settling (and the test that makes
them conditional made once, before the loops), the settling itself, the collector paused around
evaluation, results built from one tuple, the earlier-event index filed only when a rule looks in it."""

from __future__ import annotations

import copy
import datetime as dt
import gc
import pickle

import treatylang
from treatylang.engine.evaluate import evaluate, handler
from treatylang.infra.gc_pause import paused_gc
from treatylang.model import Breach, Conditional, Norm, Open, settle_conditional
from treatylang.testing import outcome

TREATY = """treaty pact "Pact" signed 2020-01-01 in force on signature
party astoria "Astoria"
party belmont "Belmont"
party carthage "Carthage"
place region "the Region"
place a_north "North Astoria" of astoria in region
place a_south "South Astoria" of astoria in region
place b_land "Belmont" of belmont in region
place sea "the high seas"
event raid(on: place+, by: actor, armed: yes|no = unknown)
article 1 "Defence"
  rule defend:
    when raid(on: P of V, by: A, armed: yes)
    where P is in region, V is a member
    for each member M other than V:
    M must assist V
    unless M is A
article 2 "Places"
  rule guard:
    when raid(on: P of V)
    where V is a member
    for each member M other than V:
    M must guard P
  rule watch:
    when raid(on: P of V)
    where V is a member
    for each member M other than V:
    M must watch V
    unless P is a_south
"""


def _scenario(treaty, events):
    return treatylang.scenario_from_dict({"title": "t", "actors": {"x": {"kind": "state"}}, "events": events}, treaty)


def _norms(result):
    return sorted((n.bearer, n.rule, n.counterparty, n.event) for n in result.norms)


def test_two_places_of_one_state_give_each_duty_once_without_a_seen_set():
    treaty = treatylang.parse_treaty(TREATY, "pact.treaty")
    scenario = _scenario(treaty, [
        {"type": "raid", "date": "2021-01-01", "on": ["a_north", "a_south", "b_land", "sea"], "by": "x", "armed": "yes"}])
    generated, interpreted = evaluate(treaty, scenario), evaluate(treaty, scenario, interpret=True)
    assert outcome(generated) == outcome(interpreted)
    defend = [n for n in _norms(generated) if n[1] == "defend"]
    assert defend == sorted([("belmont", "defend", "astoria", "e1"), ("carthage", "defend", "astoria", "e1"),
                             ("astoria", "defend", "belmont", "e1"), ("carthage", "defend", "belmont", "e1")])
    source = handler(treaty, "raid").__source__
    assert "once_" in source  # `defend` reads V, not P: one pass per State
    # `guard` names the place: it goes on per place (both of Astoria's), and needs no dedupe either
    guard = [n for n in _norms(generated) if n[1] == "guard"]
    assert ("belmont", "guard", "a_north", "e1") in guard and ("belmont", "guard", "a_south", "e1") in guard
    assert len(guard) == 3 * 2


def test_a_place_read_after_the_conditions_keeps_each_place_its_pass():
    """`unless P is a_south` reads P after the loops: a State seen first through a_south must still be
    watched through a_north."""
    treaty = treatylang.parse_treaty(TREATY, "pact.treaty")
    scenario = _scenario(treaty, [{"type": "raid", "date": "2021-01-01", "on": ["a_south", "a_north"], "by": "x"}])
    generated, interpreted = evaluate(treaty, scenario), evaluate(treaty, scenario, interpret=True)
    assert outcome(generated) == outcome(interpreted)
    assert [n for n in _norms(generated) if n[1] == "watch"] == [("belmont", "watch", "astoria", "e1"),
                                                                  ("carthage", "watch", "astoria", "e1")]
    source = handler(treaty, "raid").__source__
    assert "once_2" not in source and "seen.add((2, " in source  # rule 2 (watch) keeps its `seen` set


def test_explanations_of_a_state_visited_once_name_its_first_place():
    treaty = treatylang.parse_treaty(TREATY, "pact.treaty")
    scenario = _scenario(treaty, [{"type": "raid", "date": "2021-01-01", "on": ["a_north", "a_south"], "by": "x",
                                   "armed": "yes"}])
    result = evaluate(treaty, scenario)
    norm = next(n for n in result.norms if n.rule == "defend")
    binding, _ = result.derivation(norm)
    assert binding["P"] == "a_north" and binding["V"] == "astoria"


def test_conditional_results_of_distinct_conclusions_skip_settling_and_agree():
    treaty = treatylang.parse_treaty(TREATY, "pact.treaty")
    run = handler(treaty, "raid")
    assert run.settled  # each conclusion of `defend` comes once per event, conditional or established
    source = run.__source__  # whether `armed` is unknown is asked once, before the loop over the members
    assert source.index("if a_armed is _UNK:") < source.index("for v0_M in order:")
    scenario = _scenario(treaty, [
        {"type": "raid", "date": "2021-01-01", "on": ["a_north", "a_south"], "by": "x"},  # armed unknown
        {"type": "raid", "date": "2021-01-02", "on": ["b_land"], "by": "x", "armed": "yes"}])
    generated, interpreted = evaluate(treaty, scenario), evaluate(treaty, scenario, interpret=True)
    assert generated.to_json() == interpreted.to_json()
    cond = sorted((c.item.bearer, c.item.counterparty, c.event) for c in generated.conditional)
    assert cond == [("belmont", "astoria", "e1"), ("carthage", "astoria", "e1")]


def _norm(bearer, rule, event):
    return Norm((bearer, None, rule, event, event.date, None))


class _Rule:
    def __init__(self, index):
        self.index = index


def test_settling_drops_repeats_the_established_and_the_alternatives_that_say_more():
    event = treatylang.model.Event("e1", "raid", dt.date(2021, 1, 1), {}, 0)
    rule = _Rule(1)
    a, b, c = _norm("astoria", rule, event), _norm("belmont", rule, event), _norm("carthage", rule, event)
    small, large = (Open("raid", "armed", False, ("yes",)),), (Open("raid", "armed", False, ("yes",)),
                                                               Open("raid", "by", False, ("x",)))
    found = [Conditional((a, small)), Conditional((a, small)), Conditional((b, large)), Conditional((b, small)),
             Conditional((c, small))]
    assert settle_conditional(found, [c], []) == [Conditional((a, small)), Conditional((b, small))]
    assert settle_conditional(found[:1], [], []) == found[:1]
    breach = Breach(("astoria", rule, event, None, None))
    assert settle_conditional([Conditional((breach, small))], [], [breach]) == []


def test_evaluation_leaves_the_collector_as_it_found_it():
    treaty = treatylang.parse_treaty(TREATY, "pact.treaty")
    scenario = _scenario(treaty, [{"type": "raid", "date": "2021-01-01", "on": ["b_land"], "by": "x", "armed": "yes"}])
    assert gc.isenabled()
    evaluate(treaty, scenario)
    assert gc.isenabled()
    gc.disable()
    try:
        evaluate(treaty, scenario)
        with paused_gc():
            with paused_gc():
                assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_results_are_built_from_one_tuple_and_copy_and_pickle_as_namedtuples():
    event = treatylang.model.Event("e1", "raid", dt.date(2021, 1, 1), {}, 0)
    n = Norm(("astoria", "belmont", None, event, event.date, None))
    assert (n.bearer, n.counterparty, n.date) == ("astoria", "belmont", event.date)
    assert copy.copy(n) == n and n._replace(bearer="carthage").bearer == "carthage"
    assert Norm._fields == ("bearer", "counterparty", "source", "trigger", "date", "end")
    plain = Norm(("a", "b", None, None, event.date, None))
    assert pickle.loads(pickle.dumps(plain)) == plain and type(pickle.loads(pickle.dumps(plain))) is Norm
    assert repr(plain).startswith("Norm(bearer='a', counterparty='b'")


AFTER = """treaty pact "Pact" signed 2020-01-01 in force on signature
party astoria "Astoria"
party belmont "Belmont"
event attack(target: actor, by: actor)
event request(by: actor)
article 1 "Help on request"
  rule help:
    when request(by: V) after attack(target: V) within 30 days
    where V is a member
    for each member M other than V:
    M must help V
"""


def test_the_earlier_event_index_is_filed_only_when_a_rule_looks_in_it():
    treaty = treatylang.parse_treaty(AFTER, "pact.treaty")
    quiet = evaluate(treaty, _scenario(treaty, [{"type": "attack", "date": "2021-01-01", "target": "astoria", "by": "x"}]))
    assert quiet.earlier is not None and quiet.earlier._by_type is None
    asked = evaluate(treaty, _scenario(treaty, [{"type": "attack", "date": "2021-01-01", "target": "astoria", "by": "x"},
                                                {"type": "request", "date": "2021-01-10", "by": "astoria"}]))
    assert [(n.bearer, n.counterparty) for n in asked.norms] == [("belmont", "astoria")]
    assert asked.earlier._by_type is not None


def test_a_result_and_its_views_are_freed_without_the_garbage_collector():
    """No reference cycle through a Result: dropping one frees it at once (else every evaluation leaves its
    conclusions for the collector to scan, which cost a third of the time of a mid-sized scenario)."""
    import weakref
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    treaty = treatylang.load_treaty(root / "specs" / "aes_charter.treaty")
    scenario = treatylang.load_scenario(root / "examples" / "member_attacks_member.yaml", treaty)
    collecting = gc.isenabled()
    gc.disable()
    try:
        result = evaluate(treaty, scenario)
        view = treatylang.select(result, bearers=["mali"])
        refs = weakref.ref(result), weakref.ref(view)
        del result, view
        assert [r() for r in refs] == [None, None]
    finally:
        if collecting:
            gc.enable()
