"""The syntax tree (treatylang.lang.syntax): what a TreatyFile holds."""

import pytest

import treatylang
from treatylang.lang.checks import check
from treatylang.lang.parser import parse_treaty_source

HEAD = '''treaty t "T" signed 2020-01-01 in force on signature
party pa "A"
party b "B"
event attack(target: actor, by: actor)
'''

PREAMBLE_RULE = HEAD + '''preamble
  text en "The parties, resolved to help each other, agree as follows."
  rule help_in_preamble:
    when attack(target: V, by: A)
    for each member M other than V:
    M must assist V
article 1 "Consultation"
  rule consult:
    when attack(target: V)
    for each member M other than V:
    M must consult V
'''


def test_preamble_rules_are_rules_of_the_treaty():
    tree = parse_treaty_source(PREAMBLE_RULE, "p.treaty")
    assert [(r.name, r.article) for r in tree.rules] == [("help_in_preamble", "preamble"), ("consult", "1")]
    assert tree.rules[0].span.article == "preamble"
    assert tree.preamble.rules == tree.rules[:1]


def test_an_error_in_a_preamble_rule_is_reported_where_it_is():
    text = PREAMBLE_RULE.replace("M must assist V", "M must assist W")
    with pytest.raises(treatylang.TreatyError) as info:
        treatylang.parse_treaty(text, "p.treaty")
    [error] = info.value.errors
    assert (error.span.line, error.span.column) == (10, 19)
    assert "variable W is not bound" in error.message
    assert error.format().startswith("p.treaty:10:19: error: variable W is not bound")
    assert "(in the preamble)" in error.format()


def test_preamble_rules_are_checked_with_the_others():
    """A name only a preamble rule uses is used; an exception may except a preamble rule."""
    text = PREAMBLE_RULE + '''  rule not_the_attacker:
    exception to help_in_preamble
    where M is A
'''
    assert [d.message for d in check(parse_treaty_source(text, "p.treaty"))] == []


def test_a_second_preamble_is_an_error():
    text = HEAD + 'preamble\n  note "one"\npreamble\n  note "two"\n'
    with pytest.raises(treatylang.TreatyError) as info:
        parse_treaty_source(text, "p.treaty")
    assert [(d.span.line, d.message) for d in info.value.errors] == [(7, "a second preamble; a treaty has one")]


def test_a_file_without_preamble_has_the_articles_rules():
    tree = parse_treaty_source(PREAMBLE_RULE.replace("preamble\n", "article 9\n", 1), "p.treaty")
    assert [(r.name, r.article) for r in tree.rules] == [("help_in_preamble", "9"), ("consult", "1")]


def test_preamble_rules_are_evaluated():
    treaty = treatylang.parse_treaty(PREAMBLE_RULE, "p.treaty")
    scenario = treatylang.scenario_from_dict(
        {"title": "t", "events": [{"type": "attack", "date": "2021-01-01", "target": "b", "by": "pa"}]}, treaty)
    norms = {(n.bearer, n.action, n.counterparty, n.article, n.rule) for n in treatylang.evaluate(treaty, scenario).norms}
    assert ("pa", "assist", "b", "preamble", "help_in_preamble") in norms


def test_nodes_print_as_attrs_would_print_them():
    """syntax.py shares one __repr__ among its classes (cheaper to import than attrs' generated ones)."""
    import attrs

    from treatylang.lang import syntax as s

    tree = parse_treaty_source(PREAMBLE_RULE, "p.treaty")
    nodes = [tree, tree.header, tree.parties[0], tree.events[0], tree.events[0].params[0], tree.preamble,
             *tree.rules, tree.rules[0].trigger, tree.rules[0].quantifiers[0], tree.rules[0].conclusion,
             s.Duration(6, "month"), s.IsKind(s.Var("V"), False, "member")]
    for node in nodes:
        twin = attrs.make_class(type(node).__qualname__, {a.name: attrs.field(repr=a.repr) for a in attrs.fields(type(node))},
                                frozen=True, slots=False)
        assert repr(node) == repr(twin(**{a.name: getattr(node, a.name) for a in attrs.fields(type(node))}))
