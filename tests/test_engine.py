"""The engine on the Charter's contract (DESIGN §7) and on a treaty of another kind."""

import datetime as dt
import re
from pathlib import Path

import treatylang


from conftest import breach_set, norm_set

ECOWAS = {"ecowas": {"name": "ECOWAS", "kind": "organization"}}
ARMED = {"csp": {"name": "CSP-PSD", "kind": "armed_group"}}


def assist(bearer, victim, event="e1"):
    return (bearer, "obligation", "assist", victim, "6", "duty_of_assistance", event)


def test_attack_on_a_member_obliges_every_other_member(run):
    r = run([{"type": "attack", "date": "2023-10-01", "target": "niger", "by": "ecowas"}], ECOWAS)
    assert norm_set(r) == {assist("burkina_faso", "niger"), assist("mali", "niger")}
    n = r.norms[0]
    assert n.means == ("individual", "collective", "armed_force") and n.date == dt.date(2023, 10, 1)
    assert r.breaches == []


def test_attackers_of_every_kind_engage_article_6(run):
    for actors in (ECOWAS, ARMED, {"x": {"kind": "state"}}):
        by = next(iter(actors))
        r = run([{"type": "attack", "date": "2023-10-01", "target": "mali", "by": by}], actors)
        assert norm_set(r) == {assist("burkina_faso", "mali"), assist("niger", "mali")}


def test_several_targets_each_a_victim_and_victims_owe_each_other(run):
    r = run([{"type": "attack", "date": "2023-10-01", "target": ["niger", "mali"], "by": "ecowas"}], ECOWAS)
    assert norm_set(r) == {assist("burkina_faso", "niger"), assist("mali", "niger"),
                           assist("burkina_faso", "mali"), assist("niger", "mali")}


def test_member_attacking_member_breaches_article_8_and_owes_no_assistance_against_itself(run):
    r = run([{"type": "attack", "date": "2023-10-01", "target": "niger", "by": "mali"}])
    assert norm_set(r) == {assist("burkina_faso", "niger")}
    assert breach_set(r) == {("mali", "8", "non_aggression", "e1")}


def test_blockade_by_a_member_is_a_breach_only_by_armed_forces(run):
    """Art. 8 (ii): "par les forces armées"; unknown, the breach and the art. 6 duty are conditional."""
    blockade = {"type": "blockade", "date": "2023-10-01", "target": "niger", "by": "burkina"}
    r = run([{**blockade, "by_armed_forces": "yes"}])
    assert breach_set(r) == {("burkina_faso", "8", "no_blockade", "e1")}
    assert norm_set(r) == {assist("mali", "niger")}  # a blockade is read as an aggression (art. 6 with art. 8)
    r = run([{**blockade, "by_armed_forces": "no"}])
    assert r.breaches == [] and r.norms == [] and r.conditional == []
    r = run([blockade])
    assert r.breaches == [] and r.norms == []
    assert {(c.kind, c.item.article) for c in r.conditional} == {("breach", "8"), ("norm", "6")}


def test_article_7_ships_aircraft_anywhere_forces_abroad_only_national(run):
    """Art. 7: forces outside the Alliance's space only "à titre national"; ships and aircraft "en tous lieux"."""
    attack = {"type": "attack", "date": "2023-10-01", "target": "mali", "by": "csp"}
    for more in ({"object": "vessel"}, {"object": "aircraft"}, {"object": "forces", "deployment": "alliance_space"},
                 {"object": "forces", "deployment": "national_abroad"}):
        r = run([{**attack, **more}], ARMED)
        assert norm_set(r) == {assist("burkina_faso", "mali"), assist("niger", "mali")}
        binding, fact = r.derivation(r.norms[0])
        assert fact.deemed_by.article == "7" and fact.type == "aggression"
    r = run([{**attack, "object": "forces", "deployment": "multinational_abroad"}], ARMED)
    assert r.norms == [] and r.conditional == []
    r = run([{**attack, "object": "forces"}], ARMED)
    assert r.norms == [] and {c.item.bearer for c in r.conditional} == {"burkina_faso", "niger"}


def test_attack_on_a_non_member_engages_nothing(run):
    r = run([{"type": "attack", "date": "2023-10-01", "target": "chad", "by": "ecowas"}],
            {**ECOWAS, "chad": {"name": "Chad", "kind": "state"}})
    assert r.norms == [] and r.breaches == []


def test_article_4_every_member_fights_terrorism_and_crime_there(run):
    r = run([{"type": "terrorism", "date": "2023-10-01", "in": "niger"},
             {"type": "organized_crime", "date": "2023-10-02", "in": "mali"}])
    assert {(n.bearer, n.action, n.counterparty, n.article) for n in r.norms} == {
        (m, "fight_terrorism", "niger", "4") for m in ("burkina_faso", "mali", "niger")} | {
        (m, "fight_organized_crime", "mali", "4") for m in ("burkina_faso", "mali", "niger")}


def test_article_5_rebellion_peaceful_means_first(run):
    r = run([{"type": "rebellion", "date": "2023-10-01", "in": "mali", "by": "csp"}], ARMED)
    assert {n.bearer for n in r.norms} == {"burkina_faso", "mali", "niger"}
    n = r.norms[0]
    assert n.article == "5" and n.means == ("peaceful_and_diplomatic", "armed_force") and n.means_in_order


def test_armed_group_attacking_from_a_members_territory_breaches_only_if_permitted(run):
    """Art. 8 (iv) "permettre": the host is in breach only when it permitted the attack."""
    attack = {"type": "attack", "date": "2023-10-01", "target": "niger", "by": "csp", "launched_from": "mali"}
    r = run([{**attack, "permitted": "yes"}], ARMED)
    assert breach_set(r) == {("mali", "8", "no_harbouring_armed_groups", "e1")}
    r = run([{**attack, "permitted": "no"}], ARMED)
    assert r.breaches == [] and r.conditional == []
    r = run([attack], ARMED)
    assert r.breaches == [] and [(c.kind, c.item.party, c.item.rule) for c in r.conditional] == [
        ("breach", "mali", "no_harbouring_armed_groups")]


def test_events_before_entry_into_force_engage_nothing(run):
    r = run([{"type": "attack", "date": "2023-09-15", "target": "niger", "by": "ecowas"},
             {"type": "attack", "date": "2023-09-16", "target": "niger", "by": "ecowas"}], ECOWAS)
    assert {n.event for n in r.norms} == {"e2"}
    assert [e.id for e in r.not_in_force] == ["e1"]


CHAD = {"chad": {"name": "Chad", "kind": "state"}, **ECOWAS}


def test_accession_by_unanimity_makes_a_member_from_that_date(run):
    r = run([{"type": "accession", "date": "2024-03-01", "state": "chad", "approved_by": ["mali", "niger", "burkina_faso"]},
             {"type": "attack", "date": "2024-03-01", "target": "chad", "by": "ecowas"},
             {"type": "attack", "date": "2024-04-01", "target": "niger", "by": "ecowas"}], CHAD)
    assert [(e.party, e.change, e.start) for e in r.effects] == [("chad", "joins", dt.date(2024, 3, 1))]
    assert {("mali", "chad"), ("chad", "niger")} <= {(n.bearer, n.counterparty) for n in r.norms}
    assert r.members == ("burkina_faso", "chad", "mali", "niger")


def test_accession_without_unanimity_has_no_effect(run):
    r = run([{"type": "accession", "date": "2024-03-01", "state": "chad", "approved_by": ["mali", "niger"]},
             {"type": "attack", "date": "2024-04-01", "target": "chad", "by": "ecowas"}], CHAD)
    assert r.effects == [] and r.norms == [] and "chad" not in r.members


def test_denunciation_ends_membership_six_months_after_notification(run):
    r = run([{"type": "denunciation", "date": "2024-01-28", "party": "niger"},
             {"type": "attack", "date": "2024-07-27", "target": "niger", "by": "ecowas"},   # during notice
             {"type": "attack", "date": "2024-07-28", "target": "mali", "by": "ecowas"},    # from that day on
             {"type": "attack", "date": "2024-07-28", "target": "niger", "by": "ecowas"}], ECOWAS)
    assert [(e.party, e.change, e.start) for e in r.effects] == [("niger", "leaves", dt.date(2024, 7, 28))]
    by_event = {}
    for n in r.norms:
        by_event.setdefault(n.event, set()).add((n.bearer, n.counterparty))
    assert by_event["e2"] == {("burkina_faso", "niger"), ("mali", "niger")}  # still owed during notice
    assert by_event["e3"] == {("burkina_faso", "mali")}                      # no longer owing
    assert "e4" not in by_event                                               # no longer owed
    assert r.members == ("burkina_faso", "mali")


def test_members_are_those_on_as_of(run):
    events = [{"type": "denunciation", "date": "2024-01-28", "party": "niger"},
              {"type": "attack", "date": "2024-09-01", "target": "mali", "by": "ecowas"}]
    assert run(events, ECOWAS, as_of="2024-07-27").members == ("burkina_faso", "mali", "niger")
    assert run(events, ECOWAS).members == ("burkina_faso", "mali")


def test_standing_prohibitions_bind_each_member(run):
    r = run([])
    pairs = {(n.bearer, n.counterparty) for n in r.standing if n.rule == "non_aggression"}
    assert pairs == {(a, b) for a in ("burkina_faso", "mali", "niger") for b in ("burkina_faso", "mali", "niger") if a != b}
    assert all(n.event is None and n.modality == "prohibition" for n in r.standing)


def test_evaluate_is_repeatable_and_pure(run, charter):
    events = [{"type": "attack", "date": "2023-10-01", "target": ["niger", "mali"], "by": "ecowas"},
              {"type": "rebellion", "date": "2023-11-01", "in": "mali"}]
    a, b = run(events, ECOWAS), run(events, ECOWAS)
    assert a.to_json() == b.to_json()


PACT = """
treaty pact "A two-party pact" signed 2001-05-01 in force on signature
party north "Northland"
party south "Southland"
event raid(on: actor, raider: actor)
event exit_notice(who: actor)
article 1 "Help"
  text en "Each helps the other when raided."
  rule help:
    when raid(on: X, raider: R)
    where X is a member
    for each member H other than X, R:
    H must help X
article 2 "Exit"
  text en "A party may leave with a year's notice."
  rule leave:
    when exit_notice(who: P)
    P ceases to be a member 1 year after
"""


def test_the_engine_knows_no_treaty():
    treaty = treatylang.parse_treaty(PACT, "pact.treaty")
    data = {"title": "raid", "actors": {"pirates": {"kind": "armed_group"}}, "events": [
        {"type": "raid", "date": "2002-01-01", "on": "north", "raider": "pirates"},
        {"type": "exit_notice", "date": "2002-02-01", "who": "south"},
        {"type": "raid", "date": "2003-02-01", "on": "north", "raider": "pirates"}]}
    r = treatylang.evaluate(treaty, treatylang.scenario_from_dict(data, treaty))
    assert {(n.bearer, n.action, n.counterparty, n.event) for n in r.norms} == {("south", "help", "north", "e1")}
    assert r.members == ("north",)


def test_no_charter_name_in_engine_code():
    names = ["niger", "mali", "burkina", "aggression", "attack", "blockade", "rebellion", "terrorism",
             "organized_crime", "accession", "denunciation", "duty_of_assistance", "aes"]
    package = Path(treatylang.__file__).parent
    offenders = []
    for path in sorted(package.glob("*.py")):
        text = path.read_text().lower()
        for name in names:
            if re.search(rf"\b{name}\b", text):
                offenders.append(f"{path.name}: {name}")
    assert not offenders
