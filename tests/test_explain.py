"""Why and why not, in words a student can read aloud."""

from treatylang.explain.why import because
from treatylang.explain.why_not import why_not

ACTORS = {"ecowas": {"name": "ECOWAS", "kind": "organization"}, "jnim": {"name": "JNIM", "kind": "armed_group"},
          "chad": {"name": "Chad", "kind": "state"}}


def texts(reasons, event=None):
    return [r.text for r in reasons if event is None or r.event == event]


def test_because_walks_from_event_to_article(run):
    r = run([{"id": "x", "type": "attack", "date": "2023-10-01", "target": "niger", "by": "ecowas"}], ACTORS)
    mali = next(n for n in r.norms if n.bearer == "mali")
    steps = because(mali, r)
    assert steps[0] == "event x on 2023-10-01: attack (target: Niger, by: ECOWAS, object: territory)"
    assert "condition held: Niger is a member on 2023-10-01" in steps
    assert "Mali is a member on 2023-10-01, other than Niger (M)" in steps
    assert ("so, by article 6 (Collective defence), rule aggression_against_all, it is deemed: "
            "aggression (against: Mali, victim: Niger, by: ECOWAS)") in steps
    assert "the exception does not apply: Mali is not ECOWAS (M ≠ A)" in steps
    assert any(s.startswith("so, by article 6 (Collective defence), rule duty_of_assistance: Mali must assist Niger") for s in steps)
    assert any(s.startswith('article 6 says: "Any attack on the sovereignty') for s in steps)
    assert any(s.startswith("reading adopted for rule duty_of_assistance: Contested") for s in steps)


def test_because_of_a_breach_and_an_effect(run):
    r = run([{"type": "blockade", "date": "2023-10-01", "target": "niger", "by": "mali", "by_armed_forces": "yes"},
             {"type": "denunciation", "date": "2024-01-01", "party": "niger"}])
    assert any("Mali breached the prohibition to blockade" in s for s in because(r.breaches[0], r))
    effect_steps = because(r.effects[0], r)
    assert any("Niger ceases to be a member from 2024-07-01" in s for s in effect_steps)
    assert any(s.startswith("uncertain text:") for s in effect_steps)


def test_why_not_the_victim(run):
    r = run([{"type": "attack", "date": "2023-10-01", "target": "niger", "by": "ecowas"}], ACTORS)
    said = texts(why_not(r, "niger", article="6"))
    assert any("Niger is the attack's 'target' (V); the rule binds each member other than V" in t for t in said)
    assert any("the attack's object is territory; the rule covers only vessel or aircraft" in t for t in said)


def test_why_not_before_entry_into_force_and_for_a_non_member(run):
    r = run([{"type": "attack", "date": "2023-09-01", "target": "niger", "by": "ecowas"},
             {"type": "terrorism", "date": "2023-10-01", "in": "mali"}], ACTORS)
    assert texts(why_not(r, "mali", article="6")) == [
        "the treaty was not in force on that date (it entered into force on 2023-09-16)"]
    chad = texts(why_not(r, "chad", article="4"), event="e2")
    assert chad == ["Chad was not a member on 2023-10-01; a treaty binds only its parties"]


def test_why_not_says_unknown_when_a_fact_is_missing(run):
    r = run([{"type": "attack", "date": "2023-10-01", "target": "niger", "by": "jnim"}], ACTORS)
    reasons = [x for x in why_not(r, "burkina", article="8") if x.rule.name == "no_harbouring_armed_groups"]
    assert [x.status for x in reasons] == ["unknown"]
    assert "unknown: the rule needs the attack's 'launched_from' and 'permitted', which the scenario does not give" in reasons[0].text


def test_why_not_a_failed_unanimity(run):
    r = run([{"type": "accession", "date": "2024-01-01", "state": "chad", "approved_by": ["mali"]},
             {"type": "attack", "date": "2024-02-01", "target": "chad", "by": "ecowas"}], ACTORS)
    said = texts(why_not(r, "mali", article="6"))
    assert any("the condition fails: Chad is not a member on 2024-02-01" in t for t in said)


def test_why_not_says_no_when_what_is_known_already_decides(run):
    r = run([{"type": "attack", "date": "2023-10-01", "target": "niger", "by": "ecowas"}], ACTORS)
    reasons = [x for x in why_not(r, "burkina", article="8") if x.rule.name == "no_harbouring_armed_groups"]
    assert [x.status for x in reasons] == ["no"]
    assert "ECOWAS is not an armed group (whatever the attack's 'launched_from' and 'permitted')" in reasons[0].text


def test_why_not_with_no_reason_says_whether_the_events_reach_the_article(run):
    """Review finding #30: "every rule that could give it a norm did" only when the bearer has a norm there."""
    from treatylang.explain.why_not import render_why_not
    r = run([{"type": "terrorism", "date": "2023-10-01", "in": "mali"}], ACTORS)
    assert render_why_not(r, "mali", article="6").splitlines()[1] == (
        "  no rule of article 6 that gives norms is triggered by the events of this scenario")
    assert render_why_not(r, "mali", article="4").splitlines()[1] == (
        "  every rule that could give it a norm did (article 4)")
    assert render_why_not(r, "mali", article="11").splitlines()[1] == "  article 11 has no rule that gives norms"
    assert render_why_not(r, "mali", article="1").splitlines()[1] == "  article 1 has no rule that gives norms"


def test_why_not_gives_the_reading_of_the_rule_whose_condition_decided(run):
    """Review finding #31: rebels attacking their own State from its soil breach nothing, and why-not says
    which reading makes it so, beside the condition that failed."""
    r = run([{"type": "attack", "date": "2023-10-01", "target": "mali", "by": "jnim", "launched_from": "mali",
              "permitted": "yes"}], ACTORS)
    reasons = [x for x in why_not(r, "mali", article="8") if x.rule.name == "no_harbouring_armed_groups"]
    assert [x.status for x in reasons] == ["no"]
    assert "Mali is Mali (T = M)" in reasons[0].text
    assert reasons[0].text.endswith(f"(reading: {reasons[0].rule.reading})")


def test_a_breach_quotes_the_limb_of_article_8_it_encodes_and_its_status(run):
    """Review finding #28: the quote reaches the limb applied, not the first 160 characters of article 8."""
    r = run([{"type": "attack", "date": "2023-10-01", "target": "niger", "by": "jnim", "launched_from": "mali",
              "permitted": "yes"}], ACTORS)
    steps = because(next(b for b in r.breaches if b.rule == "no_harbouring_armed_groups"), r)
    said = [s for s in steps if s.startswith("article 8 says: ")]
    assert said == ['article 8 says: "… and not to "permettre" armed groups, irregular armed forces or mercenaries '
                    'to attack "un pays du champ" from the territory of a party."']
    status = steps[steps.index(said[0]) + 1]
    assert status.startswith("status of article 8: its text is a paraphrase; its rules have not been reviewed (")


def test_a_duty_through_article_7_quotes_article_7_and_article_6_whole(run):
    r = run([{"type": "attack", "date": "2023-10-01", "target": "niger", "by": "ecowas", "object": "vessel"}], ACTORS)
    steps = because(next(n for n in r.norms if n.bearer == "mali"), r)
    quotes = [s for s in steps if " says: " in s]
    assert [q.split(" says: ")[0] for q in quotes] == ["article 7", "article 6"]
    assert quotes[1].endswith('"including the use of armed force", to restore and ensure security within the '
                              'space of the Alliance."')  # the whole sentence, never a cut at a character count
    assert sum(s.startswith("status of article 6:") for s in steps) == 1
    assert sum(s.startswith("status of article 7:") for s in steps) == 1


def test_a_reviewed_article_says_only_how_sure_its_text_is(run):
    r = run([{"type": "terrorism", "date": "2023-10-01", "in": "mali"}])
    steps = because(r.norms[0], r)
    assert "status of article 4: its text is a paraphrase" in steps  # reviewed: nothing said of its rules


def test_a_verbatim_reviewed_article_has_no_status_line():
    import treatylang
    from pathlib import Path

    pact = Path(__file__).parent.parent / "examples" / "pacts"
    scenario = treatylang.load_scenario(pact / "northwind_threat_and_attack.yaml")
    r = treatylang.evaluate(scenario.treaty, scenario)
    steps = [s for n in r.norms for s in because(n, r)]
    assert any(s.startswith("article 2 says: ") for s in steps)
    assert not any(s.startswith("status of article 2") for s in steps)  # verbatim and reviewed
