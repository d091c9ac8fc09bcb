"""Procedures across events (`after`, docs/language.md) and continuing situations (`until`, docs/time.md)."""

import pytest

import treatylang
from treatylang import cli
from treatylang.engine.evaluate import evaluate
from treatylang.explain.why import because

NATO_TEXT = '''
treaty nato "North Atlantic Treaty (three founders)"
  signed 1949-04-04
  in force on 1949-08-24

party belgium "Belgium"
party canada "Canada"
party france "France"
actor greece "Greece" kind state
actor turkey "Turkey" kind state
actor spain "Spain" kind state

event invitation(of: actor+, approved_by: actor*)
event deposit(by: actor)
event armed_attack(target: actor, by: actor)

article 10 "Accession"
  rule accession:
    when deposit(by: S) after invitation(of: S) such that every member is among approved_by
    S becomes a member

article 5 "Collective defence"
  rule assist:
    when armed_attack(target: V, by: A)
    where V is a member
    for each member M other than V:
    M must assist V
'''
NATO = treatylang.parse_treaty(NATO_TEXT, "nato.treaty")
FOUNDERS = ["belgium", "canada", "france"]


def run(events, interpret=False):
    scenario = treatylang.scenario_from_dict({"title": "t", "events": events}, NATO)
    return evaluate(NATO, scenario, interpret=interpret)


def joins(result):
    return sorted((e.party, e.start.isoformat()) for e in result.effects if e.change == "joins")


DEPOSITS = [{"type": "deposit", "date": "1952-02-18", "by": s} for s in ("greece", "turkey", "spain")]
INVITATION = {"type": "invitation", "date": "1951-10-22", "of": ["greece", "turkey"], "approved_by": FOUNDERS}


@pytest.mark.parametrize("order", [(0, 1, 2), (1, 0, 2), (2, 1, 0)])
@pytest.mark.parametrize("interpret", [False, True])
def test_states_invited_by_all_members_who_deposit_on_one_day_all_join_in_any_file_order(order, interpret):
    """The review's (d)1: unanimity is judged on the invitation's date, so co-depositors do not block each
    other; Spain, never invited, does not join."""
    result = run([INVITATION, *(DEPOSITS[i] for i in order)], interpret)
    assert joins(result) == [("greece", "1952-02-18"), ("turkey", "1952-02-18")]


def test_an_invitation_short_of_unanimity_or_after_the_deposit_gives_no_membership():
    split = dict(INVITATION, approved_by=["belgium", "canada"])
    late = dict(INVITATION, date="1952-02-19")
    assert joins(run([split, *DEPOSITS])) == []
    assert joins(run([*DEPOSITS, late])) == []


def test_a_member_that_joined_after_the_invitation_is_not_counted_against_it():
    """Members on the invitation's date, not the deposit's: Greece's later vote is not needed for Spain."""
    invite_spain = {"type": "invitation", "date": "1953-01-01", "of": ["spain"], "approved_by": FOUNDERS}
    result = run([INVITATION, DEPOSITS[0], {"type": "deposit", "date": "1953-06-01", "by": "spain"}, invite_spain])
    assert joins(result) == [("greece", "1952-02-18")]  # the 1953 invitation came without Greece's approval
    assert "every member on 1951-10-22 (Belgium, Canada, France)" in "\n".join(because(result.effects[0], result))


def test_a_continuing_attack_begun_before_entry_into_force_is_judged_from_it():
    """VCLT art. 28: an occupation begun on 1949-06-01 and still ongoing engages art. 5 from 1949-08-24;
    one that ended before entry into force engages nothing."""
    events = [{"id": "occupation", "type": "armed_attack", "date": "1949-06-01", "until": "ongoing",
               "target": "france", "by": "spain"},
              {"id": "raid", "type": "armed_attack", "date": "1949-06-01", "until": "1949-08-23",
               "target": "canada", "by": "spain"}]
    for interpret in (False, True):
        result = run(events, interpret)
        rows = result.to_json()["norms"]
        assert {(r["bearer"], r["counterparty"], r["date"], r["since"], r["until"]) for r in rows} == {
            ("belgium", "france", "1949-08-24", "1949-06-01", "ongoing"),
            ("canada", "france", "1949-08-24", "1949-06-01", "ongoing")}
        assert [e.id for e in result.not_in_force] == ["raid"]
    steps = because(result.norms[0], result)
    assert "continuing since 1949-06-01; judged from 1949-08-24, when the treaty entered into force" in steps
    assert result.as_of.isoformat() == "1949-08-24", "the default as_of is the last date an event is judged on"
    assert list(result.members) == FOUNDERS


def test_a_treaty_without_after_generates_the_handlers_it_did():
    """No `after` anywhere: no `earlier` parameter, nothing new in the hot path."""
    charter = treatylang.load_treaty(treatylang.bundled_charter_path())
    scenario = treatylang.scenario_from_dict({"title": "t", "events": [
        {"type": "attack", "date": "2024-01-01", "target": "niger", "by": "mali"}]}, charter)
    evaluate(charter, scenario)
    assert charter.handlers and all("earlier" not in h.__source__ for h in charter.handlers.values())


def check(tmp_path, capsys, text):
    path = tmp_path / "t.treaty"
    path.write_text(text, encoding="utf-8")
    status = cli.main(["check", str(path)])
    return status, capsys.readouterr().err


HEAD = '''treaty t "T"
  signed 2000-01-01
  in force on signature
party astoria "Astoria"
party belmont "Belmont"
event attack(target: actor, by: actor)
event request(by: actor, approved_by: actor*)
fact aggression(victim: actor)
article 1
'''


def test_check_locates_a_misspelt_earlier_event_an_unbound_variable_and_a_fact(tmp_path, capsys):
    status, err = check(tmp_path, capsys, HEAD + '''  rule r1:
    when request(by: V) after atack(target: V) within 30 days
    for each member M other than V:
    M may assist V
  rule r2:
    when request(by: V) after attack(target: V) such that X is a state
    for each member M other than V:
    M may assist V
  rule r3:
    when request(by: V) after aggression(victim: V)
    for each member M other than V:
    M may assist V
''')
    assert status == 2
    assert "t.treaty:11:31: error: unknown event type 'atack'" in err and "did you mean 'attack'?" in err
    assert "t.treaty:15:59: error: variable X is not bound" in err
    assert "t.treaty:19:31: error: 'aggression' is a fact rules deem" in err


def test_the_earlier_events_variables_are_usable_in_the_rest_of_the_rule(tmp_path, capsys):
    status, err = check(tmp_path, capsys, HEAD + '''  rule r:
    when request(by: V) after attack(target: V, by: A)
    where A is not a member
    for each member M other than V, A:
    M may assist V
  rule d:
    when attack(target: V)
    deem aggression(victim: V)
''')
    assert status == 0, err


def test_until_before_the_events_date_is_a_located_error(tmp_path, capsys):
    path = tmp_path / "s.yaml"
    path.write_text("title: t\ntreaty: nato.treaty\nevents:\n"
                    "  - {type: armed_attack, date: 1950-01-02, until: 1950-01-01, target: france, by: spain}\n")
    (tmp_path / "nato.treaty").write_text(NATO_TEXT)
    status = cli.main(["eval", str(path)])
    err = capsys.readouterr().err
    assert status == 2
    assert "s.yaml:4:51: error: 'until' (1950-01-01) is before the event's date (1950-01-02)" in err


NOTICE = treatylang.parse_treaty('''
treaty t "Notices" signed 2020-01-01 in force on signature
party astoria "Astoria"
party belmont "Belmont"
event attack(target: actor, by: actor)
event notice(by: actor)
article 1
  rule second_notice:
    when notice(by: P) after notice(by: P) within 10 days
    for each member M other than P:
    M must consult P
  rule after_attack:
    when notice(by: P) after attack(target: P, by: A)
    where A is not P
    for each member M other than P:
    M must assist P
''', "t.treaty")


@pytest.mark.parametrize("interpret", [False, True])
def test_an_event_is_never_its_own_earlier_event_and_several_earlier_events_conclude_once(interpret):
    events = [{"id": "a1", "type": "attack", "date": "2024-01-01", "target": "astoria", "by": "belmont"},
              {"id": "a2", "type": "attack", "date": "2024-01-02", "target": "astoria", "by": "belmont"},
              {"id": "n1", "type": "notice", "date": "2024-01-05", "by": "astoria"},
              {"id": "n2", "type": "notice", "date": "2024-01-20", "by": "astoria"}]
    scenario = treatylang.scenario_from_dict({"title": "t", "events": events}, NOTICE)
    result = evaluate(NOTICE, scenario, interpret=interpret)
    assert sorted((n.event, n.action) for n in result.norms) == [("n1", "assist"), ("n2", "assist")]
    first = next(n for n in result.norms if n.event == "n1")
    assert "after the attack a1 on 2024-01-01" in because(first, result)


def test_why_not_names_the_invitation_that_lacked_unanimity():
    from treatylang.explain.why_not import why_not
    split = dict(INVITATION, approved_by=["belgium", "canada"])
    attack = {"type": "armed_attack", "date": "1952-03-01", "target": "belgium", "by": "spain"}
    reasons = [r.text for r in why_not(run([split, DEPOSITS[0], attack]), "greece")]
    assert any("after the invitation e1 on 1951-10-22: the condition fails: not every member on 1951-10-22 is "
               "among the invitation's 'approved_by': France is missing" in r for r in reasons), reasons
