"""Membership over time: the same-day rule (docs/time.md) and entry into force."""

import pytest

import treatylang
from treatylang.engine.evaluate import evaluate

CHARTER = treatylang.load_treaty(treatylang.bundled_charter_path())
ACTORS = {"chad": {"name": "Chad", "kind": "state"}, "togo": {"name": "Togo", "kind": "state"}}
FOUNDERS = ["burkina_faso", "mali", "niger"]


def accession(state, date="2024-03-01", approved_by=FOUNDERS):
    return {"type": "accession", "date": date, "state": state, "approved_by": approved_by}


@pytest.mark.parametrize("order", [("chad", "togo"), ("togo", "chad")])
def test_two_states_acceding_on_one_day_both_join_in_either_file_order(order):
    scenario = treatylang.scenario_from_dict(
        {"title": "two accessions", "actors": ACTORS, "events": [accession(s) for s in order]}, CHARTER)
    result = evaluate(CHARTER, scenario)
    assert {(e.party, e.change) for e in result.effects} == {("chad", "joins"), ("togo", "joins")}
    assert set(result.members) == {*FOUNDERS, "chad", "togo"}
    assert all(e.members_before == tuple(FOUNDERS) for e in result.effects)


def test_a_later_accession_is_judged_with_the_states_that_joined_before():
    scenario = treatylang.scenario_from_dict({"title": "later", "actors": ACTORS, "events": [
        accession("chad"), accession("togo", date="2024-03-02")]}, CHARTER)
    result = evaluate(CHARTER, scenario)
    assert [(e.party, e.change) for e in result.effects] == [("chad", "joins")]  # Chad did not approve Togo


def test_a_notice_taking_effect_on_a_date_counts_at_the_start_of_that_date():
    scenario = treatylang.scenario_from_dict({"title": "notice", "actors": ACTORS, "events": [
        {"type": "denunciation", "date": "2024-01-15", "party": "niger"},
        accession("chad", date="2024-07-15", approved_by=["burkina_faso", "mali"])]}, CHARTER)
    result = evaluate(CHARTER, scenario)
    assert [(e.party, e.change, e.start.isoformat()) for e in result.effects] == [
        ("niger", "leaves", "2024-07-15"), ("chad", "joins", "2024-07-15")]


def test_scenarios_with_the_same_membership_events_share_one_timeline_and_the_same_results():
    """The timeline is remembered by the membership events and the actors' kinds (one object): a scenario
    that adds a later event to the same accession and notice shares it, and its results are those of a
    timeline made anew; another kinds object (another scenario file) never shares it."""
    from treatylang.engine.timeline import build_timeline
    from treatylang.testing import outcome

    treaty = treatylang.load_treaty(treatylang.bundled_charter_path())
    events = [accession("chad"), {"type": "denunciation", "date": "2024-01-15", "party": "niger"}]
    attack = {"type": "attack", "date": "2024-08-01", "target": ["mali"], "by": "togo"}
    base = treatylang.scenario_from_dict({"title": "t", "actors": ACTORS, "events": events}, treaty)
    later = treatylang.scenario_from_dict({"title": "t", "actors": ACTORS, "events": [*events, attack]}, treaty)
    later = type(later)(**{**{a.name: getattr(later, a.name) for a in later.__attrs_attrs__}, "kinds": base.kinds})
    first, effects = build_timeline(treaty, base)
    shared, shared_effects = build_timeline(treaty, later)
    assert shared is first and shared_effects == effects and shared_effects is not effects
    fresh = treatylang.scenario_from_dict({"title": "t", "actors": ACTORS, "events": [*events, attack]}, treaty)
    assert build_timeline(treaty, fresh)[0] is not first
    assert outcome(evaluate(treaty, later)) == outcome(evaluate(treaty, fresh))
    assert [(e.party, e.change, e.start.isoformat()) for e in effects] == [
        ("niger", "leaves", "2024-07-15"), ("chad", "joins", "2024-03-01")]


def test_members_on_a_date_follow_a_change_added_after_that_date_was_asked():
    """`Timeline.at` remembers its answers; a change added while the timeline is built forgets them."""
    import datetime as dt

    from treatylang.engine.timeline import Timeline

    timeline = Timeline(["astoria", "belmont"], dt.date(2020, 1, 1))
    later = dt.date(2021, 1, 1)
    assert timeline.at(later) == (frozenset({"astoria", "belmont"}), ("astoria", "belmont"))
    timeline.add("carlton", "joins", dt.date(2020, 6, 1))
    assert timeline.at(later) == (frozenset({"astoria", "belmont", "carlton"}), ("astoria", "belmont", "carlton"))
    assert timeline.at(dt.date(2020, 5, 31))[1] == ("astoria", "belmont")
    assert timeline.at(dt.date(2019, 12, 31)) == (frozenset(), ())


def test_a_timeline_is_not_shared_when_a_membership_event_names_a_place():
    """A place id's owner is not part of its equality (a renamed world may give the same id another
    owner), so timelines of membership events naming places are made anew for each scenario."""
    from treatylang.engine.timeline import build_timeline

    treaty = treatylang.parse_treaty("""treaty placed_pact "Pact with accession by region"
  signed 2020-01-01
  in force on signature

party astoria "Astoria"

place north "The North"

event accession(state: actor, from: place)

article 1 "Accession"
  text en "A State of the North may accede."
  rule accede:
    when accession(state: S, from: P)
    where S is a state, S is not a member, P is in north
    S becomes a member
""", "<placed>")
    assert treaty.membership_places and not CHARTER.membership_places
    data = {"title": "t", "actors": {"belmont": {"name": "Belmont", "kind": "state"}},
            "events": [{"type": "accession", "date": "2021-01-01", "state": "belmont", "from": "north"}]}
    scenario = treatylang.scenario_from_dict(data, treaty)
    first, _ = build_timeline(treaty, scenario)
    assert build_timeline(treaty, scenario)[0] is not first and not treaty.timelines
    assert set(evaluate(treaty, scenario).members) == {"astoria", "belmont"}
