"""Time relative to the treaty: `including` in entry into force, dates after entry into force, the later of two
dates for membership changes, article versions by date; and keywords that begin a longer word."""

from __future__ import annotations

import datetime as dt

import pytest

import treatylang
from treatylang.lang.parser import parse_treaty_source

HEAD = '''treaty t "T"
  signed 2020-01-01
  in force after 2 ratification events including belmont, corvina
party astoria "Astoria"
party belmont "Belmont"
party corvina "Corvina"
event ratification(party: actor)
event attack(target: actor, by: actor)
'''

RULE = '''  rule {name}:
    when attack(target: V, by: A)
    for each member M other than V:
    M must assist V
'''


def _errors(text: str) -> str:
    with pytest.raises(treatylang.TreatyError) as e:
        treatylang.parse_treaty(text, "t.treaty")
    return str(e.value)


@pytest.mark.parametrize("word", ["including", "inxyz", "online", "order", "atlantic", "annex", "island"])
def test_a_keyword_that_begins_a_longer_word_is_not_split_off(word):
    """Where a keyword (`in`, `on`, `or`, `at`, `a`, `an`) may follow but no name may, a longer word is read
    whole: the error names the word, not its tail (`including` was read as `in` + `cluding`)."""
    text = f'treaty t "T"\n  signed 2020-01-01\n  {word} force on signature\n'
    message = _errors(text)
    assert f"unexpected '{word}'" in message, message


def test_names_that_begin_with_keywords_stand_wherever_a_name_may():
    text = '''treaty t "T" signed 2020-01-01 in force on signature
party online "Online"
party order "Order"
party atlantic "Atlantic"
party annex "Annex"
event attack(target: actor, by: actor)
article 1 "A"
  rule r:
    when attack(target: V, by: atlantic)
    where V is annex or V is online
    for each member M other than order, V:
    M must assist V
'''
    text = text.replace("V is annex or V is online", "either V is annex or V is online")
    tree = parse_treaty_source(text, "t.treaty")
    rule = tree.rules[0]
    assert [p.id for p in tree.parties] == ["online", "order", "atlantic", "annex"]
    assert rule.trigger.args[1].value.values == ("atlantic",)
    assert rule.where[0].left.right.name == "annex" and rule.where[0].right.right.name == "online"
    assert [t.name for t in rule.quantifiers[0].excluding] == ["order", "V"]


def test_entry_into_force_waits_for_the_named_parties():
    """In force on the later of the Nth distinct ratification and the last named party's."""
    treaty = treatylang.parse_treaty(HEAD + 'article 1 "A"\n' + RULE.format(name="r"), "t.treaty")
    ev = treatylang.model.Event
    events = [ev("a", "ratification", dt.date(2020, 2, 1), {"party": "astoria"}, 0),
              ev("b", "ratification", dt.date(2020, 3, 1), {"party": "belmont"}, 1)]
    assert treaty.entry(events)[0] is None  # two ratifications, but Corvina is named and has not
    events.append(ev("c", "ratification", dt.date(2020, 5, 1), {"party": "corvina"}, 2))
    start, first, joins = treaty.entry(events)
    assert start == dt.date(2020, 5, 1) and set(first) == {"astoria", "belmont", "corvina"} and joins == []


def test_including_names_parties_only():
    text = HEAD.replace("including belmont, corvina", "including belmnt, carthage") + 'actor carthage "C" kind state\n'
    message = _errors(text + 'article 1 "A"\n' + RULE.format(name="r"))
    assert "'belmnt' in 'including' is not a declared party" in message and "belmont" in message
    assert "'carthage' in 'including' is an actor, not a party" in message


def test_versions_of_an_article_need_disjoint_dates():
    ok = HEAD + 'article 6 "Old" until 2022-06-30\n' + RULE.format(name="a") + \
        'article 6 "New" from 2022-07-01\n' + RULE.format(name="b")
    treaty = treatylang.parse_treaty(ok, "t.treaty")
    assert [r.version.range() for r in treaty.rules] == ["until 2022-06-30", "from 2022-07-01"]
    overlap = ok.replace("from 2022-07-01", "from 2022-06-30")
    message = _errors(overlap)
    assert "t.treaty:14:1:" in message and "overlaps the one at line 9: both apply on 2022-06-30" in message
    undated = ok.replace(' until 2022-06-30', '').replace(' from 2022-07-01', '')
    assert "article '6' is declared twice" in _errors(undated)
    backwards = HEAD + 'article 6 "Old" from 2022-06-30 until 2022-01-01\n' + RULE.format(name="a")
    assert "the range ends before it starts" in _errors(backwards)


def test_the_new_syntax_round_trips_through_the_tree_cache():
    from treatylang.lang import tree_json

    text = HEAD + 'event notice(by: actor)\narticle 6 "Old" from 2020-01-01 until 2022-06-30\n' + \
        RULE.format(name="a").replace("    for each", "    where date is on or before 3 months after entry into force\n    for each") + \
        '  rule leave:\n    when notice(by: P)\n    P ceases to be a member 1 year after, not before 20 years after entry into force\n'
    tree = parse_treaty_source(text, "t.treaty")
    data = tree_json.dumps("t.treaty", text, tree, [])
    back, _ = tree_json.loads(data, "t.treaty", text)
    assert back == tree and tree_json.dumps("t.treaty", text, back, []) == data
    article = back.articles[0]
    assert (article.valid_from, article.valid_until) == (dt.date(2020, 1, 1), dt.date(2022, 6, 30))
    assert back.header.entry_into_force.including == ("belmont", "corvina")
    assert back.rules[1].conclusion.not_before.amount == 20


def test_a_word_glued_to_a_keyword_is_no_longer_read_as_two():
    """`onsignature` used to lex as `on` + `signature` (a valid header); a word is one token."""
    message = _errors('treaty t "T"\n  signed 2020-01-01\n  in force onsignature\n')
    assert "unexpected 'onsignature'" in message, message


def test_versions_in_force_on_different_dates_do_not_conflict():
    """An amendment that turns a duty into a prohibition is no normative conflict: the versions never meet."""
    text = HEAD + 'article 6 "Old" until 2022-06-30\n' + RULE.format(name="a") + \
        'article 6 "New" from 2022-07-01\n' + RULE.format(name="b").replace("must assist", "must not assist")
    assert not [w for w in treatylang.parse_treaty(text, "t.treaty").warnings if "conflict" in str(w)]
    overlapping = text.replace('article 6 "New" from 2022-07-01', 'article 7 "New"')
    assert [w for w in treatylang.parse_treaty(overlapping, "t.treaty").warnings if "conflict" in str(w)]


def test_a_standing_norm_of_a_version_binds_only_on_as_of_dates_in_its_range():
    text = '''treaty t "T" signed 2020-01-01 in force on signature
party astoria "Astoria"
party belmont "Belmont"
article 2 "Non-aggression (as amended)" from 2022-07-01
  rule no_force:
    for each member M:
    for each member O other than M:
    M must not use_force against O
'''
    treaty = treatylang.parse_treaty(text, "t.treaty")
    from treatylang.scenario.load import scenario_from_dict

    sc = scenario_from_dict({"title": "s", "events": []}, treaty)
    before = treatylang.evaluate(treaty, sc, dt.date(2022, 6, 30))
    after = treatylang.evaluate(treaty, sc, dt.date(2022, 7, 1))
    assert before.standing == [] and len(after.standing) == 2
    rows = after.to_json()["standing"]
    assert {(r["article"], r["article_version"]) for r in rows} == {("2", "from 2022-07-01")}
    for interpret in (False, True):
        assert len(treatylang.evaluate(treaty, sc, dt.date(2022, 7, 1), interpret=interpret).standing) == 2
