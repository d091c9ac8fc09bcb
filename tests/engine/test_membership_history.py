"""Membership histories no accession event states: a treaty's `party X "..." joined DATE` and a scenario's
`members:` on a date (docs/time.md). Both engine paths, as_of, standing norms and why-not read them."""

import pytest

import treatylang
from treatylang.engine.evaluate import evaluate
from treatylang.explain.why_not import why_not
from treatylang.testing import outcome

TREATY = treatylang.parse_treaty('''treaty nordic "Northern Pact"
  signed 1949-04-04
  in force on signature
party norway "Norway"
party denmark "Denmark"
party iceland "Iceland"
party finland "Finland" joined 2023-04-04
party sweden "Sweden" joined 1940-01-01
event attack(target: actor, by: actor)
event accession(state: actor, invited_by: actor*)
article 1 "Assistance"
  text en "Each other party shall assist a party attacked."
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
    breached by attack(by: M, target: O)
article 3 "Accession"
  text en "A State joins when every party invites it."
  rule accede:
    when accession(state: S)
    where S is not a member, every member is among invited_by
    S becomes a member
''', "nordic.treaty")
RUSSIA = {"russia": {"name": "Russia"}, "estonia": {"name": "Estonia"}}


def run(events, members=None, as_of=None):
    data = {"title": "t", "actors": RUSSIA, "events": events}
    if members is not None:
        data["members"] = members
    if as_of is not None:
        data["as_of"] = as_of
    scenario = treatylang.scenario_from_dict(data, TREATY)
    result = evaluate(TREATY, scenario)
    assert outcome(result) == outcome(evaluate(TREATY, scenario, interpret=True))
    return result


def attack(date, target="norway", by="russia"):
    return {"type": "attack", "date": date, "target": target, "by": by}


def bearers(result):
    return sorted(n.bearer for n in result.norms)


def test_a_joined_party_is_a_member_from_its_date_not_before():
    before, after = run([attack("2023-04-03")]), run([attack("2023-04-04")])
    assert bearers(before) == ["denmark", "iceland", "sweden"]
    assert bearers(after) == ["denmark", "finland", "iceland", "sweden"]
    assert "finland" in after.members and "finland" not in before.members


def test_a_joined_date_before_entry_into_force_counts_from_entry_into_force():
    result = run([], as_of="1949-04-04")
    assert "sweden" in result.members
    assert {n.date.isoformat() for n in result.standing if n.bearer == "sweden"} == {"1949-04-04"}


def test_standing_norms_of_a_joined_party_start_on_its_date():
    result = run([], as_of="2024-01-01")
    assert {n.date.isoformat() for n in result.standing if n.bearer == "finland"} == {"2023-04-04"}


def test_a_joined_party_judges_later_accessions():
    invited = ["norway", "denmark", "iceland", "sweden"]
    early = run([{"type": "accession", "date": "2023-01-01", "state": "estonia", "invited_by": invited}])
    late = run([{"type": "accession", "date": "2023-05-01", "state": "estonia", "invited_by": invited}])
    assert [e.party for e in early.effects] == ["estonia"]
    assert late.effects == []  # Finland is a member by then and did not invite Estonia


def test_why_not_names_the_joined_date():
    result = run([attack("2023-04-03")])
    reasons = [r.text for r in why_not(result, "finland") if r.rule.name == "assist"]
    assert reasons == ["Finland was not a member on 2023-04-03; a treaty binds only its parties (it is a member "
                       "only from 2023-04-04: `joined` in its party declaration)"]


def test_scenario_members_replace_the_membership_on_their_date():
    members = {"on": "2020-01-01", "parties": ["norway", "denmark", "estonia"]}
    result = run([attack("2021-06-01"), attack("2019-06-01")], members=members)
    by_event = {(n.trigger.date.isoformat(), n.bearer) for n in result.norms}
    assert by_event == {("2019-06-01", "denmark"), ("2019-06-01", "iceland"), ("2019-06-01", "sweden"),
                        ("2021-06-01", "denmark"), ("2021-06-01", "estonia")}
    assert set(result.members) == {"norway", "denmark", "estonia"}


def test_events_after_the_members_date_still_change_membership():
    members = [{"on": "2020-01-01", "parties": ["norway", "denmark"]}]
    result = run([{"type": "accession", "date": "2021-01-01", "state": "estonia", "invited_by": ["norway", "denmark"]},
                  attack("2021-06-01")], members=members)
    assert bearers(result) == ["denmark", "estonia"]


def test_several_members_dates_in_one_scenario():
    members = [{"on": "2022-01-01", "parties": ["norway"]}, {"on": "2020-01-01", "parties": ["norway", "iceland"]}]
    r2021, r2022 = run([attack("2021-01-01")], members=members), run([attack("2022-01-01")], members=members)
    assert bearers(r2021) == ["iceland"] and bearers(r2022) == []


def test_why_not_names_the_members_key():
    result = run([attack("2021-06-01")], members={"on": "2020-01-01", "parties": ["norway", "denmark"]})
    reasons = [r.text for r in why_not(result, "iceland") if r.rule.name == "assist"]
    assert reasons == ["Iceland was not a member on 2021-06-01; a treaty binds only its parties (the scenario's "
                       "`members:` on 2020-01-01 does not list it)"]


@pytest.mark.parametrize("members, message", [
    ({"on": "2020-01-01"}, "this 'members' entry has no 'parties'"),
    ({"parties": ["norway"]}, "this 'members' entry has no 'on'"),
    ({"on": "2020-02-30", "parties": ["norway"]}, "there is no 30 February 2020"),
    ({"on": "2020-01-01", "parties": ["narnia"]}, "unknown actor 'narnia'"),
    ({"on": "2020-01-01", "parties": [], "by": "x"}, "unknown key 'by'"),
    ([{"on": "2020-01-01", "parties": []}, {"on": "2020-01-01", "parties": []}], "gives 2020-01-01 twice"),
])
def test_bad_members_entries_are_located_errors(members, message):
    with pytest.raises(treatylang.TreatyError) as info:
        treatylang.scenario_from_dict({"title": "t", "members": members, "events": []}, TREATY)
    assert message in str(info.value)


LEFT = treatylang.parse_treaty('''treaty pact "Pact"
  signed 1955-05-14
  in force on signature
party poland "Poland"
party hungary "Hungary"
party albania "Albania" left 1968-09-13
party gdr "German Democratic Republic" joined 1956-01-28 left 1990-09-24
event attack(target: actor, by: actor)
event accession(state: actor, invited_by: actor*)
article 1 "Assistance"
  text en "Each other party shall assist a party attacked."
  rule assist:
    when attack(target: V, by: A)
    where V is a member
    for each member M other than V, A:
    M must assist V
article 2 "Accession"
  text en "A State joins when every party invites it."
  rule accede:
    when accession(state: S)
    where S is not a member, every member is among invited_by
    S becomes a member
''', "pact.treaty")


def run_left(events, as_of=None):
    data = {"title": "t", "actors": {"x": {"name": "X"}}, "events": events}
    if as_of is not None:
        data["as_of"] = as_of
    scenario = treatylang.scenario_from_dict(data, LEFT)
    result = evaluate(LEFT, scenario)
    assert outcome(result) == outcome(evaluate(LEFT, scenario, interpret=True))
    return result


def test_a_party_that_left_is_a_member_until_the_day_before_its_date():
    before = run_left([attack("1968-09-12", target="poland", by="x")])
    on = run_left([attack("1968-09-13", target="poland", by="x")])
    assert bearers(before) == ["albania", "gdr", "hungary"]
    assert bearers(on) == ["gdr", "hungary"]
    assert "albania" in before.members and "albania" not in on.members


def test_joined_and_left_bound_a_membership_period():
    assert "gdr" not in run_left([], as_of="1956-01-27").members
    assert "gdr" in run_left([], as_of="1990-09-23").members
    assert "gdr" not in run_left([], as_of="1990-09-24").members


def test_a_party_that_left_may_join_again_by_a_rule():
    invite = {"type": "accession", "date": "1970-01-01", "state": "albania",
              "invited_by": ["poland", "hungary", "gdr"]}
    result = run_left([invite, attack("1970-02-01", target="poland", by="x")])
    assert bearers(result) == ["albania", "gdr", "hungary"]


def test_why_not_names_the_left_date():
    result = run_left([attack("1970-02-01", target="poland", by="x")])
    reasons = [r.text for r in why_not(result, "albania") if r.rule.name == "assist"]
    assert reasons and all("it left on 1968-09-13: `left` in its party declaration" in t for t in reasons)


def test_verify_does_not_exchange_members_with_declared_histories():
    """A party that `joined` or `left` on its own date is told apart by the treaty: renaming it into a
    signatory is no symmetry, so verify must not report one (it did, before classes kept histories)."""
    from treatylang.verify.properties import Verifier, member_classes

    assert member_classes(LEFT) == [["poland", "hungary"], ["albania"], ["gdr"]]
    verifier = Verifier(LEFT, max_events=1, outsiders=1).verify()
    assert not any(verifier.failures.values())
