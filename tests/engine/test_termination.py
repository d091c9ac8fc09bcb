"""`terminated DATE`: a treaty that ended as such binds no one from DATE on (docs/time.md)."""

import json

import pytest

import treatylang
from treatylang.cli import main
from treatylang.engine.evaluate import evaluate
from treatylang.explain.why_not import why_not
from treatylang.testing import outcome

TEXT = '''treaty eastern "Eastern Pact"
  signed 1955-05-14
  in force on signature
  terminated 1991-07-01
party poland "Poland"
party hungary "Hungary"
event attack(target: actor, by: actor)
event accession(state: actor, invited_by: actor*)
article 1 "Assistance"
  text en "Each party shall assist a party attacked."
  rule assist:
    when attack(target: V, by: A)
    where V is a member
    for each member M other than V, A:
    M must assist V
article 2 "Non-aggression"
  text en "No party shall use force against another."
  rule no_force:
    for each member M:
    for each member O other than M:
    M must not use_force against O
article 3 "Accession"
  text en "A State joins when every party invites it."
  rule accede:
    when accession(state: S)
    where S is not a member, every member is among invited_by
    S becomes a member
'''
TREATY = treatylang.parse_treaty(TEXT, "eastern.treaty")


def run(events, as_of=None):
    data = {"title": "t", "actors": {"x": {"name": "X"}, "gdr": {"name": "GDR"}}, "events": events}
    if as_of:
        data["as_of"] = as_of
    scenario = treatylang.scenario_from_dict(data, TREATY)
    result = evaluate(TREATY, scenario)
    assert outcome(result) == outcome(evaluate(TREATY, scenario, interpret=True))
    return result


def attack(date, eid):
    return {"id": eid, "type": "attack", "date": date, "target": "poland", "by": "x"}


def test_events_from_the_termination_on_engage_nothing():
    result = run([attack("1991-06-30", "before"), attack("1991-07-01", "after")])
    assert [(n.bearer, n.event) for n in result.norms] == [("hungary", "before")]
    assert [e.id for e in result.not_in_force] == ["after"]
    assert result.to_json()["terminated"] == "1991-07-01"


def test_no_member_and_no_standing_norm_from_the_termination_on():
    assert set(run([], as_of="1991-06-30").members) == {"poland", "hungary"}
    ended = run([], as_of="1991-07-01")
    assert ended.members == () and ended.standing == []


def test_an_accession_after_the_termination_makes_no_member():
    invite = {"type": "accession", "date": "1992-01-01", "state": "gdr", "invited_by": ["poland", "hungary"]}
    result = run([invite], as_of="1992-06-01")
    assert result.effects == [] and result.members == ()


def test_why_not_names_the_termination():
    result = run([attack("1991-07-01", "after")])
    reasons = [r.text for r in why_not(result, "hungary") if r.rule.name == "assist"]
    assert reasons == ["the treaty was not in force on that date (it terminated on 1991-07-01)"]


@pytest.mark.parametrize("header, message", [
    ("  signed 1955-05-14\n  in force on signature\n  terminated 1955-05-14\n", "not after its signature"),
    ("  signed 1955-05-14\n  in force on 1955-06-05\n  terminated 1955-06-01\n", "not after its entry into force"),
])
def test_a_termination_before_the_treaty_binds_is_an_error(header, message, tmp_path, capsys):
    path = tmp_path / "bad.treaty"
    path.write_text('treaty t "T"\n' + header + 'party a "A"\narticle 1\n  note "n"\n', encoding="utf-8")
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "bad.treaty:1:1: error:" in err and message in err


def test_json_and_markdown_show_the_termination(tmp_path, capsys):
    (tmp_path / "eastern.treaty").write_text(TEXT, encoding="utf-8")
    (tmp_path / "s.yaml").write_text("title: t\ntreaty: eastern.treaty\nactors: {x: {name: X}}\nevents:\n"
                                     "  - {id: late, type: attack, date: 1992-01-01, target: poland, by: x}\n",
                                     encoding="utf-8")
    assert main(["eval", str(tmp_path / "s.yaml"), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["terminated"] == "1991-07-01" and data["not_in_force"] == ["late"] and data["norms"] == []
    assert main(["eval", str(tmp_path / "s.yaml"), "--format", "markdown"]) == 0
    md = capsys.readouterr().out
    assert "(terminated 1991-07-01)" in md and "## Events after termination" in md
