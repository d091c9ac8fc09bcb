"""`asymmetric [for P, ...] "why"` on a rule: parsed into the syntax tree and the IR, checked (the parties it
names exist; a rule that names no party treats all alike, a warning), and said by `--explain`."""

import pytest

import treatylang
from treatylang.explain.why import because
from treatylang.lang import syntax as s
from treatylang.scenario.load import scenario_from_dict

PACT = '''treaty t "T" signed 2024-03-01 in force on signature
party arland "Arland"
party brenia "Brenia"
party corvia "Corvia"
event attack(target: actor, by: actor)
article 1 "Assistance"
  rule assist:
    when attack(target: V, by: A)
    where V is a member
    for each member M other than V:
    M must assist V
    unless M is corvia
    reading "Assistance is owed to the party attacked."
    {clause}
'''


def rule_of(text: str, strict: bool = False):
    treaty = treatylang.parse_treaty(text, "a.treaty", strict=strict)
    return treaty.syntax.rules[0], treaty


def diagnostics(text: str, strict: bool = False) -> list[str]:
    with pytest.raises(treatylang.TreatyError) as info:
        treatylang.parse_treaty(text, "a.treaty", strict=strict)
    return [f"{d.span.line}: {d.message}" + (f" ({d.hint})" if d.hint else "") for d in info.value.diagnostics]


def test_the_clause_gives_its_reason_and_the_parties_it_singles_out():
    rule, treaty = rule_of(PACT.format(clause='asymmetric for corvia, brenia "Corvia is neutral (art. 2)"'))
    assert rule.asymmetric == s.Asymmetry("Corvia is neutral (art. 2)", ("corvia", "brenia"))
    assert rule.reading == "Assistance is owed to the party attacked."  # beside `reading`, after it
    assert treaty.rules[0].asymmetric is rule.asymmetric
    plain, _ = rule_of(PACT.format(clause='asymmetric "Corvia is neutral"'))
    assert plain.asymmetric == s.Asymmetry("Corvia is neutral", ())
    assert rule_of(PACT.format(clause=""))[0].asymmetric is None


def test_an_unknown_party_is_an_error_with_a_suggestion():
    assert diagnostics(PACT.format(clause='asymmetric for corvai "x"')) == [
        "14: unknown party 'corvai' in 'asymmetric for' (did you mean 'corvia'?)"]


def test_a_rule_that_names_no_party_is_warned_about_and_strict_refuses_it():
    text = PACT.format(clause='asymmetric "x"').replace("    unless M is corvia\n", "")
    treaty = treatylang.parse_treaty(text, "a.treaty")  # a warning only
    assert any("is declared asymmetric but names no party, place or quality" in d.message for d in treaty.warnings)
    assert any("rule 'assist' is declared asymmetric" in m for m in diagnostics(text, strict=True))
    named = PACT.format(clause='asymmetric "x"')  # names corvia: no warning
    assert not any("asymmetric" in d.message for d in treatylang.parse_treaty(named, "a.treaty").warnings)


def test_explain_states_the_declaration_beside_the_reading():
    _, treaty = rule_of(PACT.format(clause='asymmetric for corvia "Corvia is neutral (art. 2)"'))
    scenario = scenario_from_dict({
        "title": "t", "actors": {"raider": {"name": "Raider", "kind": "state"}},
        "events": [{"type": "attack", "date": "2024-03-02", "target": "arland", "by": "raider"}]}, treaty)
    result = treatylang.evaluate(treaty, scenario)
    [norm] = result.norms
    steps = because(norm, result)
    assert steps[-2:] == ["reading adopted for rule assist: Assistance is owed to the party attacked.",
                          "declared asymmetric (singling out Corvia): Corvia is neutral (art. 2)"]


def test_the_declaration_round_trips_through_the_cache_encoding():
    from treatylang.lang import tree_json

    text = PACT.format(clause='asymmetric for corvia "Corvia is neutral"')
    treaty = treatylang.parse_treaty(text, "a.treaty")
    tree, _ = tree_json.loads(tree_json.dumps("a.treaty", text, treaty.syntax, treaty.warnings), "a.treaty", text)
    assert tree == treaty.syntax and tree.rules[0].asymmetric == s.Asymmetry("Corvia is neutral", ("corvia",))


def test_why_not_gives_the_declaration_for_the_party_left_out():
    from treatylang.explain.why_not import why_not

    for clause, excepted in (('asymmetric for corvia "Corvia is neutral (art. 2)"', "excepted by the rule's own"),
                             ("", "excepted by article 2 (Neutrality), rule neutrality")):
        text = PACT.format(clause=clause)
        if not clause:  # the same, as a declared exception in its own article
            text = text.replace("    unless M is corvia\n", "") + (
                'article 2 "Neutrality"\n  rule neutrality:\n    exception to assist\n    where M is corvia\n'
                '    asymmetric "Corvia is neutral (art. 2)"\n')
        treaty = treatylang.parse_treaty(text, "a.treaty")
        scenario = scenario_from_dict({
            "title": "t", "actors": {"raider": {"name": "Raider", "kind": "state"}},
            "events": [{"type": "attack", "date": "2024-03-02", "target": "arland", "by": "raider"}]}, treaty)
        [reason] = why_not(treatylang.evaluate(treaty, scenario), "corvia")
        assert reason.text.startswith(excepted), reason
        assert reason.text.endswith(" (declared asymmetric: Corvia is neutral (art. 2))"), reason
