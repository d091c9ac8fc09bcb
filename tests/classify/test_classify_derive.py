"""Each ATOP variable, derived from small treaties of our own making that differ in one provision."""

import pytest

import treatylang
from treatylang.classify import VARIABLES, ClassifyError, classify

from conftest import ROOT

HEAD = """treaty pact "A pact"
  signed 2020-01-01
  in force on signature

party astoria "Astoria" codes iso XAS, cow 991
party belmont "Belmont" codes iso XBE, cow 992
party corvina "Corvina" codes iso XCO, cow 993

place mainland "the Mainland"
place far_isles "the Far Isles"
"""

ATTACK = 'event armed_attack(on: place+, by: actor)\n'
COVERED = """
article 3 "The area"
  rule covered:
    when armed_attack(on: P of V, by: A)
    where V is a member, P is in mainland
    deem attack_covered(victim: V, by: A)
fact attack_covered(victim: actor, by: actor)
"""
ASSIST = """
article 4 "Assistance"
  rule assist:
    when attack_covered(victim: V, by: A)
    for each member M other than V:
    M must assist V
    unless M is A
"""
NO_FORCE = """
article 1 "Non-aggression"
  rule no_force:
    for each member M:
    M must not use_force
"""


def _classify(text, **kw):
    return classify(treatylang.parse_treaty(HEAD + text, "pact.treaty"), **kw)


def _values(c, member="astoria"):
    return {k: v.value for k, v in c.members[member].values.items()}


def test_the_three_harbours():
    c = _classify(ATTACK + NO_FORCE + COVERED + ASSIST + """
event consultation_request(by: actor, about: actor)
article 2 "Consultation"
  rule consult:
    when consultation_request(by: R, about: T)
    where R is a member, T is a member
    members together must consult_together on T
""")
    for m in ("astoria", "belmont", "corvina"):
        v = _values(c, m)
        assert [k for k in VARIABLES if v[k]] == ["defense", "nonagg", "consul", "active", "defcon", "defcoloc"], m
    x = c.members["belmont"].values
    assert "Belmont must assist" in x["defense"].why and "[art. 4, assist; via art. 3 covered]" in x["defense"].why
    assert "the Mainland" in x["defcoloc"].why and "the Far Isles" in x["defcoloc"].why and "gives none" in x["defcoloc"].why
    assert "standing" in x["nonagg"].why and "no_force" in x["nonagg"].why
    assert "consultation_request" in x["consul"].why and "members together" in x["consul"].why
    assert not x["defconum"].decided and x["defconum"].value == 0
    assert all(x[k].decided for k in VARIABLES if k != "defconum")
    assert c.members["astoria"].cow == 991 and c.members["astoria"].iso == "XAS"


def test_a_duty_wherever_the_attack_has_no_location_condition():
    c = _classify(ATTACK + """
fact attack_covered(victim: actor, by: actor)
article 3 "Any attack"
  rule covered:
    when armed_attack(on: P of V, by: A)
    where V is a member
    deem attack_covered(victim: V, by: A)
""" + ASSIST)
    v = _values(c)
    assert v["defense"] == 1 and v["defcoloc"] == 0 and v["defcon"] == 0
    assert "whatever the place" in c.members["astoria"].values["defcoloc"].why


def test_a_named_adversary():
    c = _classify(ATTACK + 'actor ruritania "Ruritania" kind state\n' + """
article 4 "Against Ruritania"
  rule assist:
    when armed_attack(on: P of V, by: A)
    where V is a member, A is ruritania
    for each member M other than V:
    M must assist V
""")
    v = _values(c)
    assert v["defense"] == 1 and v["defcoadv"] == 1 and v["defcon"] == 1 and v["defcoloc"] == 0
    assert "Ruritania" in c.members["astoria"].values["defcoadv"].why


def test_no_named_state_no_specific_adversary():
    c = _classify(ATTACK + COVERED + ASSIST)
    assert _values(c)["defcoadv"] == 0
    assert "no rule names a State outside the treaty" in c.members["astoria"].values["defcoadv"].why


@pytest.mark.parametrize("argument, variable", [("in_self_defence", "defconpr"), ("demands_refused", "defcodem"),
                                                ("during_the_war", "defcocon")])
def test_a_condition_on_an_argument_of_the_attack(argument, variable):
    value = "no" if variable == "defconpr" else "yes"
    c = _classify(f"event armed_attack(on: place+, by: actor, {argument}: yes|no = unknown)\n" + f"""
article 4 "Assistance"
  rule assist:
    when armed_attack(on: P of V, by: A, {argument}: {value})
    where V is a member
    for each member M other than V:
    M must assist V
""")
    v = _values(c)
    assert v["defense"] == 1 and v[variable] == 1 and v["defcon"] == 1
    assert sum(v[k] for k in ("defconpr", "defcodem", "defcocon")) == 1
    assert f"'{argument}'" in c.members["astoria"].values[variable].why


def test_non_aggression_only():
    c = _classify(ATTACK + """
article 1 "Non-aggression"
  rule no_attack:
    for each member M:
    for each member O other than M:
    M must not use_force against O
    breached by armed_attack(on: P of O, by: M)
""")
    v = _values(c)
    assert [k for k in VARIABLES if v[k]] == ["nonagg"]
    assert c.members["astoria"].values["defcoloc"].why == "no defence obligation"


def test_non_aggression_read_from_a_breach():
    c = _classify(ATTACK + """
article 1 "Borders"
  rule borders:
    for each member M:
    for each member O other than M:
    M must not cross_the_borders_of O
    breached by armed_attack(on: P of O, by: M)
""")
    x = c.members["belmont"].values["nonagg"]  # Belmont is the other member of the scenarios around Astoria
    assert x.value == 1 and "breaches art. 1 (borders)" in x.why


def test_neutrality():
    c = _classify(ATTACK + """
article 5 "Neutrality"
  rule no_help_to_the_attacker:
    when armed_attack(on: P of V, by: A)
    where V is a member
    for each member M other than V:
    M must not assist A
""")
    v = _values(c)
    assert v["neutral"] == 1 and v["defense"] == 0 and v["active"] == 0
    assert "no support to the attacker" in c.members["astoria"].values["neutral"].why


def test_an_organ_of_consultation_meets():
    c = _classify("""
organ organ_of_consultation "the Organ of Consultation"
event aggression(against: actor, by: actor?)
article 6 "Consultation"
  rule meet:
    when aggression(against: V)
    where V is a member
    organ_of_consultation must meet_immediately on V
""")
    x = c.members["corvina"].values["consul"]
    assert x.value == 1 and "organ of the treaty (the Organ of Consultation)" in x.why


def test_a_general_promise_to_consult_does_not_count():
    c = _classify("""
event consultation_request(by: actor, about: actor)
article 2 "Consultation"
  rule consult_regularly:
    for each member M:
    M must consult_regularly
""")
    x = c.members["astoria"].values["consul"]
    assert x.value == 0 and "general promise" in x.why


def test_an_obligation_to_use_force_unprovoked_is_offense():
    c = _classify("""
organ council "the Council"
event decision(by: actor, against: actor)
article 7 "Joint action"
  rule strike:
    when decision(by: council, against: A)
    where A is not a member
    for each member M:
    M must use_force against A
""")
    v = _values(c)
    assert v["offense"] == 1 and v["active"] == 1 and v["defense"] == 0
    assert "decision(" in c.members["astoria"].values["offense"].why


def test_one_member_alone_owes_defence_asymmetry():
    c = _classify(ATTACK + """
article 4 "Protection"
  rule protect:
    when armed_attack(on: P of V, by: A)
    where V is a member, V is not belmont
    belmont must defend V
""")
    assert _values(c, "belmont")["defense"] == 1 and _values(c, "astoria")["defense"] == 0
    assert all(_values(c, m)["asymm"] == 1 for m in ("astoria", "belmont", "corvina"))
    assert "differs from" in c.members["astoria"].values["asymm"].why


def test_a_report_is_not_support():
    c = _classify(ATTACK + """
article 5 "Report"
  rule report:
    when armed_attack(on: P of V, by: A)
    where V is a member
    for each member M other than V:
    M must report_assistance_needs to V
""")
    assert _values(c)["defense"] == 0


def test_no_author_no_decision():
    c = _classify("""
event invasion(of: actor)
article 4 "Assistance"
  rule assist:
    when invasion(of: V)
    where V is a member
    for each member M other than V:
    M must assist V
""")
    x = c.members["astoria"].values["defense"]
    assert x.value == 0 and not x.decided and "`by`" in x.why


def test_a_list_of_attackers_decides_the_number():
    c = _classify("event armed_attack(on: place+, by: actor+)\n" + COVERED.replace("by: A)\n    where", "by: A)\n    where", 1)
                  + ASSIST)
    x = c.members["astoria"].values["defconum"]
    assert x.decided and x.value == 0


def test_entry_by_ratifications_and_a_state_classified_with_member():
    text = HEAD.replace("in force on signature", "in force after 2 ratification events") + """
event ratification(party: actor)
actor dorado "Dorado" kind state codes cow 994
""" + ATTACK + COVERED + ASSIST
    t = treatylang.parse_treaty(text, "pact.treaty")
    c = classify(t, [*t.parties, "dorado"])
    assert list(c.members) == ["astoria", "belmont", "corvina", "dorado"]
    assert c.members["dorado"].cow == 994 and c.members["dorado"].values["defense"].value == 1
    assert c.date.isoformat() == "2020-01-02"


def test_before_entry_into_force_is_refused():
    with pytest.raises(ClassifyError, match="not in force on 2019-06-01"):
        _classify(ATTACK + ASSIST.replace("attack_covered", "armed_attack").replace("victim: V, by: A", "on: P of V, by: A"),
                  as_of=__import__("datetime").date(2019, 6, 1))


def test_a_treaty_never_in_force_is_refused():
    t = treatylang.parse_treaty(HEAD.replace("in force on signature", "in force after 2 ratification events")
                                + "event ratification(party: actor, kind: firm|provisional)\n", "pact.treaty")
    c = classify(t)  # the first value of a required enumeration is given: it enters into force
    assert c.date.isoformat() == "2020-01-02"


# ---- the library's treaties --------------------------------------------------------------------------------
CORE = ("defense", "nonagg", "consul", "active", "defcon", "defcoloc")


@pytest.mark.parametrize("name", ["anzus", "rio"])
def test_the_library_treaties_have_the_core_obligations(name):
    c = classify(treatylang.load_treaty(ROOT / "examples" / "treaties" / f"{name}.treaty"))
    for m, x in c.members.items():
        assert all(x.values[k].value == 1 for k in CORE), (m, {k: x.values[k].why for k in CORE})
        assert x.values["offense"].value == 0 and x.values["neutral"].value == 0 and x.values["asymm"].value == 0
    rio = name == "rio"
    assert all(x.values["defconpr"].value == int(rio) for x in c.members.values())


def test_the_date_of_the_scenarios_decides_a_dated_article():
    text = ATTACK + """
article 4 "Assistance" until 2021-12-31
  rule assist:
    when armed_attack(on: P of V, by: A)
    where V is a member
    for each member M other than V:
    M must assist V
"""
    import datetime as dt

    assert _values(_classify(text))["defense"] == 1  # 2020-01-02: the article applies
    later = _classify(text, as_of=dt.date(2022, 6, 1))
    assert later.date == dt.date(2022, 6, 1) and _values(later)["defense"] == 0
    assert "assist" in later.notes[0]  # the rule no scenario engages is listed


def test_the_north_atlantic_treaty_with_greece_and_turkey():
    t = treatylang.load_treaty(ROOT / "examples" / "treaties" / "north_atlantic.treaty")
    c = classify(t, [*t.parties, "greece", "turkey"])
    assert len(c.members) == 30
    for m, x in c.members.items():
        assert all(x.values[k].value == 1 for k in CORE), (m, {k: x.values[k].why for k in CORE})
        assert [k for k in VARIABLES if x.values[k].value] == ["defense", "nonagg", "consul", *CORE[3:]], m
    turkey = c.members["turkey"]
    assert turkey.cow == 640 and "art. 5, assist_party_attacked" in turkey.values["defense"].why
