"""Organs, decisions by a share that leaves out the States concerned, means set by a decision, collective
duties: the checks, and the answers both engine paths give (docs/language.md, "Organs, decisions and
collective duties")."""

from __future__ import annotations

import datetime as dt

import pytest

import treatylang
from treatylang.explain.why import because
from treatylang.explain.why_not import why_not
from treatylang.testing import make_scenario
from treatylang.verify.properties import places_refusal

PARTIES = ["argentina", "bolivia", "brazil", "chile", "colombia", "costa_rica", "cuba", "dominican_republic",
           "ecuador", "el_salvador", "guatemala", "haiti", "honduras", "mexico", "nicaragua", "panama", "paraguay",
           "peru", "united_states", "uruguay", "venezuela"]  # 21 parties, invented order of votes below

TREATY = "\n".join([
    'treaty rio_like "A treaty with an Organ of Consultation" signed 1947-09-02 in force on signature',
    *(f'party {p} "{p.replace("_", " ").title()}"' for p in PARTIES),
    'organ organ_of_consultation "Organ of Consultation" aka "OC"',
    'actor league "League" kind organization',
    'event attack(target: actor, by: actor)',
    'event decision(by: actor, concerning: actor+, voted_for: actor*, against: actor,'
    ' measures: (break_relations|suspend_trade|armed_force)+)',
    'article 6 "Meeting"',
    '  rule meet:',
    '    when attack(target: V)',
    '    where V is a member',
    '    organ_of_consultation must meet on V',
    'article 4 "Consultation"',
    '  rule consult:',
    '    when attack(target: V)',
    '    where V is a member',
    '    members together must consult on V',
    'article 17 "Voting"',
    '  rule measures:',
    '    when decision(by: organ_of_consultation, concerning: S, against: A, voted_for: _)',
    '    where at least 2/3 of members other than S are among voted_for',
    '    for each member M other than A:',
    '    M must apply_measures against A means from measures',
    '',
])


@pytest.fixture(scope="module")
def treaty():
    return treatylang.parse_treaty(TREATY, "rio_like.treaty")


def _decision(treaty, votes: int, concerning=("peru", "ecuador")):
    voters = [p for p in PARTIES if p not in concerning][:votes]
    args = {"by": "organ_of_consultation", "concerning": tuple(concerning), "voted_for": tuple(voters),
            "against": "ecuador", "measures": ("break_relations", "suspend_trade")}
    return make_scenario(treaty, [("decision", dt.date(1970, 3, 1), args)])


@pytest.mark.parametrize("interpret", [False, True], ids=["generated", "interpreted"])
def test_thirteen_of_the_nineteen_entitled_carry_the_decision(treaty, interpret):
    """Rio arts 17-18: two thirds of the 19 parties left once the two concerned are excluded."""
    result = treatylang.evaluate(treaty, _decision(treaty, 13), interpret=interpret)
    bound = sorted(n.bearer for n in result.norms)
    assert bound == sorted(p for p in PARTIES if p != "ecuador")
    assert {n.means for n in result.norms} == {("break_relations", "suspend_trade")}
    row = result.norms[0].row()
    assert row["means"] == ["break_relations", "suspend_trade"] and row["means_all"] is True


def test_twelve_fall_short_and_why_not_counts_the_entitled(treaty):
    result = treatylang.evaluate(treaty, _decision(treaty, 12))
    assert result.norms == []
    texts = [r.text for r in why_not(result, "argentina") if r.rule.name == "measures"]
    assert texts == ["the condition fails: 12 of the 19 members entitled to vote (21 members on 1970-03-01, "
                     "less Ecuador and Peru) are among the decision's 'voted_for'; at least 2/3 were needed"]


def test_a_list_variable_leaves_out_its_whole_list(treaty):
    """Three States concerned: 18 entitled to vote; 12 votes are two thirds, 11 fall short."""
    concerned = ("peru", "ecuador", "chile")
    assert treatylang.evaluate(treaty, _decision(treaty, 12, concerned)).norms  # 12 of 18 is two thirds
    assert not treatylang.evaluate(treaty, _decision(treaty, 11, concerned)).norms


def test_organ_and_collective_norms(treaty):
    scenario = make_scenario(treaty, [("attack", dt.date(1970, 1, 1), {"target": "peru", "by": "league"})])
    result = treatylang.evaluate(treaty, scenario)
    assert sorted((n.bearer, n.action) for n in result.norms) == [("members", "consult"),
                                                                  ("organ_of_consultation", "meet")]
    assert result.norms == treatylang.evaluate(treaty, scenario, interpret=True).norms
    rows = {r["bearer"]: r for r in result.to_json()["norms"]}
    assert rows["members"]["together"] == sorted(PARTIES) and "together" not in rows["organ_of_consultation"]
    collective = next(n for n in result.norms if n.bearer == "members")
    assert any(step.startswith("the members together on 1970-01-01: Argentina, Bolivia") for step in
               because(collective, result))
    said = {r.rule.name: r.text for r in why_not(result, "chile")}
    assert said["consult"].startswith("the rule binds the members together (Argentina,")
    assert said["consult"].endswith("not Chile alone")
    assert "not a member" not in " ".join(r.text for r in why_not(result, "organ_of_consultation"))


def test_verify_judges_lists_of_values_and_organs(treaty, tmp_path):
    assert places_refusal(treaty) is None
    from treatylang.verify.properties import Space

    space = Space(treaty, [("state", ())])
    decision = next(d for d in space.types if d.name == "decision")
    listed = next(p for p in decision.params if p.name == "measures")
    values = [v for v, *_ in space._values(decision, listed, ())]
    assert values and all(isinstance(v, tuple) and v for v in values)  # `+`: never an empty list
    small = "\n".join([
        'treaty council_pact "A pact with a council" signed 1990-01-01 in force on signature',
        'party north "North"', 'party south "South"', 'party east "East"',
        'organ council "the Council"',
        'event attack(target: actor, by: actor)',
        'event decision(by: actor, on: actor)',
        'article 1 "Meeting"',
        '  rule meet:', '    when attack(target: V)', '    where V is a member', '    council must meet on V',
        'article 2 "Assistance"',
        '  rule assist:', '    when decision(by: council, on: V)', '    where V is a member',
        '    for each member M other than V:', '    M must assist V', ''])
    path = tmp_path / "council.treaty"
    path.write_text(small, encoding="utf-8")
    from treatylang import cli

    assert places_refusal(treatylang.load_treaty(path)) is None
    assert cli.main(["verify", str(path), "--no-progress"]) == 0  # the council is named in events: both rules fire


@pytest.mark.parametrize("rule, message", [
    ("league must mediate", "'league' is not a party: a treaty binds only its parties"),
    ("M must act means from target", "'target' is not a list of values of 'attack'"),
    ("M must act means break_relations means from measures", "either as written"),
])
def test_checks(rule, message):
    head = TREATY.split("article 6")[0]
    when = "decision(by: organ_of_consultation)" if "measures" in rule and "from target" not in rule else "attack(target: V)"
    text = head + f'article 1 "X"\n  rule r:\n    when {when}\n    for each member M:\n    {rule}\n'
    with pytest.raises(treatylang.TreatyError) as e:
        treatylang.parse_treaty(text, "bad.treaty")
    assert message in str(e.value)


def test_a_standing_norm_cannot_take_its_means_from_an_event():
    head = TREATY.split("article 6")[0]
    with pytest.raises(treatylang.TreatyError, match="reads the triggering event: the rule needs a 'when'"):
        treatylang.parse_treaty(head + 'article 1 "X"\n  rule r:\n    for each member M:\n'
                                       '    M must act means from measures\n', "bad.treaty")


def test_an_optional_list_of_values_is_refused():
    with pytest.raises(treatylang.TreatyError, match="a list of values is"):
        treatylang.parse_treaty('treaty t "T" signed 2020-01-01 in force on signature\nparty a "A"\n'
                                'event e(by: actor, m: (x|y)?)\narticle 1 "X"\n  rule r:\n    when e(by: B)\n'
                                '    where B is a member\n    B must act means from m\n', "bad.treaty")


def test_scenario_lists_of_values_are_checked(treaty, tmp_path):
    (tmp_path / "rio_like.treaty").write_text(TREATY)
    (tmp_path / "s.yaml").write_text(
        "title: t\ntreaty: rio_like.treaty\nevents:\n  - {type: decision, date: 1970-03-01, by: OC, concerning: peru,"
        " against: peru, measures: [break_relatons]}\n")
    with pytest.raises(treatylang.TreatyError, match="'break_relatons' is not a value of 'measures'"):
        treatylang.load_scenario(tmp_path / "s.yaml")
    (tmp_path / "s.yaml").write_text(
        "title: t\ntreaty: rio_like.treaty\nevents:\n  - {type: decision, date: 1970-03-01, by: OC, concerning: peru,"
        " against: peru, measures: suspend_trade}\n")
    event = treatylang.load_scenario(tmp_path / "s.yaml").events[0]
    assert event.args["measures"] == ("suspend_trade",) and event.args["by"] == "organ_of_consultation"


def test_a_casebook_expects_a_collective_norm_and_an_organ_s(tmp_path, capsys):
    from treatylang import cli

    (tmp_path / "rio_like.treaty").write_text(TREATY)
    (tmp_path / "c.yaml").write_text(
        "title: c\ntreaty: rio_like.treaty\nevents:\n  - {id: a1, type: attack, date: 1970-01-01, target: peru, by: chile}\n"
        "expect:\n  norms:\n    - {bearer: members, action: consult, counterparty: peru}\n    - {bearer: OC, action: meet}\n"
        "  absent:\n    - {bearer: chile, action: consult}\n")
    assert cli.main(["test", str(tmp_path / "c.yaml")]) == 0
    assert "1 passed, 0 failed" in capsys.readouterr().out


def test_standing_norms_of_an_organ_and_of_the_members_together():
    text = TREATY.split("article 6")[0] + ('article 1 "Standing"\n  rule report:\n    organ_of_consultation must report\n'
                                           '  rule meet:\n    members together must meet_yearly\n')
    treaty = treatylang.parse_treaty(text, "standing.treaty")
    result = treatylang.evaluate(treaty, make_scenario(treaty, [], as_of=dt.date(1980, 1, 1)))
    rows = result.to_json()["standing"]
    assert [(r["bearer"], r["action"], r["date"]) for r in rows] == [("members", "meet_yearly", "1947-09-02"),
                                                                     ("organ_of_consultation", "report", "1947-09-02")]
    assert rows[0]["together"] == sorted(PARTIES)


def test_an_organ_s_prohibition_is_breached_by_its_own_conduct_only_when_an_event_gave_rise_to_it():
    head = TREATY.split("article 6")[0] + 'event intervention(by: actor, in: actor)\n'
    rule = ('article 1 "X"\n  rule r:\n    when attack(target: V)\n    where V is a member\n'
            '    organ_of_consultation must not intervene in V\n    breached by intervention(by: {by}, in: V)\n')
    treaty = treatylang.parse_treaty(head + rule.format(by="organ_of_consultation"), "ok.treaty")
    events = [("attack", dt.date(1970, 3, 1), {"target": "peru", "by": "league"}),
              ("intervention", dt.date(1970, 3, 5), {"by": "organ_of_consultation", "in": "peru"}),
              ("intervention", dt.date(1970, 3, 6), {"by": "league", "in": "peru"})]
    for interpret in (False, True):
        result = treatylang.evaluate(treaty, make_scenario(treaty, events), interpret=interpret)
        assert [(b.party, b.event) for b in result.breaches] == [("organ_of_consultation", "e2")]
    for bad, message in ((rule.format(by="B"), "must name the organ organ_of_consultation"),
                         (rule.format(by="organ_of_consultation").replace("    when attack(target: V)\n    where V is a member\n", "").replace("in V", "").replace(", in: V", ""),
                          "a standing norm borne by an organ cannot be 'breached by'")):
        with pytest.raises(treatylang.TreatyError) as e:
            treatylang.parse_treaty(head + bad, "bad.treaty")
        assert message in str(e.value)
