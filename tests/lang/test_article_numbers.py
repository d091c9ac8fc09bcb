"""Article numbers as treaties print them: 6, 4bis, Roman (IV) and paragraphs modelled alone (42(7))."""

import pytest

import treatylang
from treatylang.cli import main
from treatylang.selection import resolve_articles
from treatylang.source.diagnostics import UsageError

HEAD = '''treaty anz "A pact"
  signed 1951-09-01
  in force on signature
party aus "Australia"
party nzl "New Zealand"
event attack(target: actor, by: actor)
'''
RULES = '''article IV "Action"
  text en "Each party would act to meet the common danger."
  rule act:
    when attack(target: V, by: A)
    where V is a member
    for each member M other than V, A:
    M must act_to_meet_danger
article 42(7) "Aid"
  text en "Aid."
  rule aid:
    when attack(target: V, by: A)
    where V is a member
    for each member M other than V, A:
    M must aid V
article 42(7)(a) "A sub-paragraph"
  note "Nothing to evaluate."
'''
TREATY = treatylang.parse_treaty(HEAD + RULES, "anz.treaty")


def test_roman_numbers_and_paragraphs_are_article_numbers():
    assert sorted(TREATY.articles, key=TREATY.article_sort_key) == ["IV", "42(7)", "42(7)(a)"]
    scenario = treatylang.scenario_from_dict({"title": "t", "actors": {"x": {"name": "X"}}, "events": [
        {"type": "attack", "date": "2000-01-01", "target": "aus", "by": "x"}]}, TREATY)
    result = treatylang.evaluate(TREATY, scenario)
    assert sorted((n.action, n.article) for n in result.norms) == [("act_to_meet_danger", "IV"), ("aid", "42(7)")]


def test_an_article_number_selects_its_paragraphs():
    assert resolve_articles(TREATY, ["42"]) == {"42(7)", "42(7)(a)"}
    assert resolve_articles(TREATY, ["42(7)"]) == {"42(7)", "42(7)(a)"}
    assert resolve_articles(TREATY, ["IV"]) == {"IV"}
    with pytest.raises(UsageError, match="no article '4'"):
        resolve_articles(TREATY, ["4"])


@pytest.mark.parametrize("number", ["iv", "42(", "42()", "(7)"])
def test_malformed_numbers_are_located_errors(number, tmp_path, capsys):
    path = tmp_path / "bad.treaty"
    path.write_text(HEAD + f'article {number} "X"\n  note "n"\n', encoding="utf-8")
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "bad.treaty:7:" in err and "Traceback" not in err
