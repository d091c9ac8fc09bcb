"""Qualities and places (issue #11, item 2): grammar, checks, lowering, scenario keys, both engines."""

from __future__ import annotations

import pytest

import treatylang
from treatylang.engine.evaluate import evaluate
from treatylang.explain.why_not import why_not
from treatylang.ir import conditions as c
from treatylang.ir import patterns as p
from treatylang.lang import tree_json
from treatylang.scenario.load import scenario_from_dict
from treatylang.testing import outcome, rename_scenario

TREATY = """treaty pact "Pact" signed 2020-01-01 in force on signature
quality european_state "a European State"
quality north_of_tropic "north of the Tropic of Cancer"
party astoria "Astoria" aka "AST" is european_state
party belmont "Belmont"
actor league "League" kind organization is european_state
place north_america "North America"
place alaska "Alaska" of astoria in north_america is north_of_tropic
place hawaii "Hawaii" of astoria
place yukon "Yukon" of belmont in north_america is north_of_tropic
event attack(on: place+, by: actor, near: place? )
article 6 "Area"
  rule area:
    when attack(on: P of V, by: A)
    where V is a member, P is in north_america, P is north_of_tropic, A is not a european_state
    for each member M other than V:
    M must assist V
  rule own_state:
    when attack(on: P of A, by: A)
    for each member M:
    M may protest A
"""


@pytest.fixture(scope="module")
def treaty():
    return treatylang.parse_treaty(TREATY, "pact.treaty")


def _check_errors(text: str) -> list[str]:
    with pytest.raises(treatylang.TreatyError) as e:
        treatylang.parse_treaty(text, "bad.treaty")
    return [d.message + " " + (d.hint or "") for d in e.value.diagnostics]


def test_declarations_parse_with_is_last(treaty):
    tree = treaty.syntax
    assert tree.parties[0].aliases == ("AST",) and tree.parties[0].qualities == ("european_state",)
    assert tree.actors[0].qualities == ("european_state",)
    alaska = tree.places[1]
    assert (alaska.of, alaska.within, alaska.qualities) == ("astoria", ("north_america",), ("north_of_tropic",))
    assert tree.places[0].of is None and str(tree.events[0].params[0].type) == "place+"


def test_lowering_gives_the_new_ir_classes(treaty):
    area, own = treaty.rules
    assert area.trigger.steps[0] == p.PlaceOf("on", "P", "V", True)
    assert c.IsIn(c.Var("P"), "north_america") in area.where
    assert c.HasQuality(c.Var("P"), "north_of_tropic", "north of the Tropic of Cancer") in area.where
    assert c.HasQuality(c.Var("A"), "european_state", "a European State", True) in area.where
    assert own.trigger.variables() == {"P": "on", "A": "on"}


def test_the_tree_round_trips_through_the_cache_encoding(treaty):
    data = tree_json.dumps("pact.treaty", TREATY, treaty.syntax, treaty.warnings)
    tree, _ = tree_json.loads(data, "pact.treaty", TREATY)
    assert tree == treaty.syntax and repr(tree) == repr(treaty.syntax)


@pytest.mark.parametrize("change, expected", [
    ('quality north_of_tropic "n"', "quality 'north_of_tropic' is declared twice"),
    ('quality belmont "b"', "quality 'belmont' has the name of an actor"),
    ('quality hawaii "h"', "quality 'hawaii' has the name of a place"),
    ('quality state "s"', "quality 'state' has the name of a kind"),
    ('place guam "Guam" of astorya', "'of' unknown actor 'astorya'"),
    ('place guam "Guam" in north_amerika', "'in' unknown place 'north_amerika' did you mean 'north_america'?"),
    ('place guam "Guam" is nothern', "unknown quality 'nothern'"),
    ('place belmont "B"', "place 'belmont' has the name of an actor"),
])
def test_declaration_errors(change, expected):
    messages = _check_errors(TREATY.replace("event attack", change + "\nevent attack"))
    assert any(expected in m for m in messages), messages


@pytest.mark.parametrize("where, expected", [
    ("P is in north_amerika", "unknown place 'north_amerika' did you mean 'north_america'?"),
    ("V is north_of_tropik", "unknown actor 'north_of_tropik' or quality did you mean 'north_of_tropic'?"),
    ("V is a european_stat", "unknown kind or quality 'european_stat'"),
    ("V is in north_america", "V is an actor; 'is in' tests a place"),
])
def test_condition_errors(where, expected):
    messages = _check_errors(TREATY.replace("where V is a member,", f"where {where},"))
    assert any(expected in m for m in messages), messages


def test_place_of_needs_a_place_argument():
    messages = _check_errors(TREATY.replace("by: A)\n    where V", "by: A of B)\n    where V"))
    assert any("'A of B' needs a place argument" in m for m in messages), messages


def _scenario(treaty, events, **more):
    return scenario_from_dict({"title": "t", "events": events, **more}, treaty)


def test_generated_code_and_interpreter_agree_and_a_bound_state_is_tested(treaty):
    s = _scenario(treaty, [
        {"id": "a", "type": "attack", "date": "2024-01-01", "on": ["hawaii", "alaska", "yukon"], "by": "carthage"},
        {"id": "b", "type": "attack", "date": "2024-01-02", "on": ["hawaii", "yukon"], "by": "astoria"},
    ], actors={"carthage": {"kind": "state"}})
    r = evaluate(treaty, s)
    assert outcome(r) == outcome(evaluate(treaty, s, interpret=True))
    rows = sorted((n.event, n.rule, n.bearer, n.counterparty) for n in r.norms)
    assert rows == [("a", "area", "astoria", "belmont"), ("a", "area", "belmont", "astoria"),
                    # b: Astoria, a European State, attacks Yukon (no `area`) and its own Hawaii (P of A: A bound)
                    ("b", "own_state", "astoria", "astoria"), ("b", "own_state", "belmont", "astoria")]


def test_scenario_places_and_qualities_add_to_the_treaty_s(treaty):
    s = _scenario(treaty, [{"id": "a", "type": "attack", "date": "2024-01-01", "on": "port", "by": "ruritania"}],
                  actors={"ruritania": {"name": "Ruritania", "is": ["european_state"]}},
                  places={"port": {"name": "Port Belmont", "of": "Belmont", "in": "yukon", "is": "north_of_tropic"}})
    r = evaluate(treaty, s)
    assert [n.rule for n in r.norms] == []  # Ruritania is a European State: `A is not a european_state` fails
    reasons = [x.text for x in why_not(r, "astoria")]
    assert any("Ruritania is a European State" in t for t in reasons), reasons
    s2 = _scenario(treaty, [{"id": "a", "type": "attack", "date": "2024-01-01", "on": "port", "by": "carthage"}],
                   actors={"carthage": {}},
                   places={"port": {"of": "belmont", "in": ["yukon"], "is": ["north_of_tropic"]}})
    assert [(n.bearer, n.counterparty) for n in evaluate(treaty, s2).norms] == [("astoria", "belmont")]


@pytest.mark.parametrize("more, event, expected", [
    ({"actors": {"r": {"is": ["europen_state"]}}}, {}, "unknown quality 'europen_state'"),
    ({"places": {"alaska": {"name": "A"}}}, {}, "'alaska' is already declared by the treaty"),
    ({"places": {"astoria": {}}}, {}, "'astoria' is an actor"),
    ({"places": {"x": {"in": "nowhere"}}}, {}, "unknown place 'nowhere' in 'in'"),
    ({"places": {"x": {"of": "nobody"}}}, {}, "unknown actor 'nobody'"),
    ({"places": {"x": {"colour": "red"}}}, {}, "unknown key 'colour' in place 'x'"),
    ({}, {"on": "hawai"}, "unknown place 'hawai'"),
    ({}, {"on": []}, "'on' needs at least one place"),
    ({}, {"near": ["hawaii", "alaska"]}, "'near' takes one place, not a list"),
])
def test_scenario_errors(treaty, more, event, expected):
    ev = {"type": "attack", "date": "2024-01-01", "on": "hawaii", "by": "astoria", **event}
    with pytest.raises(treatylang.TreatyError) as e:
        _scenario(treaty, [ev], **more)
    assert any(expected in d.message for d in e.value.diagnostics), [d.message for d in e.value.diagnostics]


def test_a_place_with_no_state_gives_no_match_and_why_not_says_so(treaty):
    s = _scenario(treaty, [{"id": "a", "type": "attack", "date": "2024-01-01", "on": "north_america", "by": "x"}],
                  actors={"x": {}})
    r = evaluate(treaty, s)
    assert r.norms == [] and outcome(r) == outcome(evaluate(treaty, s, interpret=True))
    assert any("North America is no State's territory" in x.text for x in why_not(r, "belmont"))


def test_renaming_moves_a_place_s_state_and_an_actor_s_qualities(treaty):
    s = _scenario(treaty, [{"id": "a", "type": "attack", "date": "2024-01-01", "on": ["yukon"], "by": "x"}],
                  actors={"x": {}})
    swap = {"astoria": "belmont", "belmont": "astoria"}
    renamed = rename_scenario(s, swap)
    assert renamed.events[0].args["on"][0].of == "astoria"
    assert "european_state" in renamed.kinds.qualities["belmont"]


def test_verify_judges_a_treaty_with_places(tmp_path, capsys):
    """Places are tried (the treaty's and made-up ones; tests/verify/test_reductions.py has more)."""
    from treatylang.cli import main

    path = tmp_path / "pact.treaty"
    path.write_text(TREATY, encoding="utf-8")
    code = main(["verify", str(path), "--no-progress"])
    out = capsys.readouterr()
    assert code in (0, 1) and "does not handle" not in out.err, out.err
    assert "renaming invariance  ok" in out.out and "symmetry             ok" in out.out, out.out


def test_a_deemed_place_comes_from_a_variable_and_keeps_its_state():
    text = TREATY.replace('article 6 "Area"', '''fact hit(at: place)
article 5 "Deemed"
  rule deemed:
    when attack(on: P of V, by: A)
    deem hit(at: P)
  rule on_hit:
    when hit(at: Q of W)
    for each member M other than W:
    M must consult W
article 6 "Area"''')
    treaty = treatylang.parse_treaty(text, "pact.treaty")
    s = _scenario(treaty, [{"id": "a", "type": "attack", "date": "2024-01-01", "on": "yukon", "by": "x"}],
                  actors={"x": {}})
    r = evaluate(treaty, s)
    assert ("astoria", "belmont") in [(n.bearer, n.counterparty) for n in r.norms if n.rule == "on_hit"]
    assert outcome(r) == outcome(evaluate(treaty, s, interpret=True))
    messages = _check_errors(text.replace("deem hit(at: P)", "deem hit(at: alaska)"))
    assert any("takes a place from a variable" in m for m in messages), messages


def test_a_treaty_file_may_start_with_a_quality_or_a_place():
    from treatylang.scenario.load import not_a_treaty

    assert not_a_treaty('quality q "a Q"\n') is None and not_a_treaty('place p "P"\n') is None
