"""The Charter's legal structure, checked over generated scenarios (DESIGN §10)."""

import datetime as dt
import json

from hypothesis import given, settings, strategies as st

import treatylang

from conftest import CHARTER

TREATY = treatylang.load_treaty(CHARTER)
MEMBERS = ("burkina_faso", "mali", "niger")
OUTSIDERS = {"ecowas": "organization", "csp": "armed_group", "chad": "state"}
ACTORS = {a: {"kind": k} for a, k in OUTSIDERS.items()}
START = dt.date(2023, 9, 16)
EVENT_TYPES = sorted(n for n, d in TREATY.events.items() if not d.is_fact)


def run(events, as_of=None):
    data = {"title": "p", "actors": ACTORS, "events": events}
    if as_of:
        data["as_of"] = as_of
    return treatylang.evaluate(TREATY, treatylang.scenario_from_dict(data, TREATY))


@st.composite
def events(draw, min_size=0, max_size=5, distinct_dates=False, before=False):
    """Events of every type the Charter declares, over members and outsiders of each kind."""
    actors = st.sampled_from(MEMBERS + tuple(OUTSIDERS))
    n = draw(st.integers(min_size, max_size))
    low = -120 if before else 0
    days = draw(st.lists(st.integers(low, 500), min_size=n, max_size=n, unique=distinct_dates))
    out = []
    for i, day in enumerate(days):
        decl = TREATY.events[draw(st.sampled_from(EVENT_TYPES))]
        event = {"id": f"ev{i}", "type": decl.name, "date": (START + dt.timedelta(days=day)).isoformat()}
        for p in decl.params:
            if hasattr(p.type, "values"):
                event[p.name] = draw(st.sampled_from(p.type.values))
            elif p.type.is_list:
                event[p.name] = draw(st.lists(actors, min_size=1 if p.type.required else 0, max_size=3, unique=True))
            elif p.type.required or draw(st.booleans()):
                event[p.name] = draw(actors)
        out.append(event)
    return out


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(MEMBERS), st.sampled_from(sorted(OUTSIDERS)), st.sampled_from(["territory", "forces", "vessel", "aircraft"]))
def test_symmetry_every_other_member_bears_the_same_norms_toward_the_victim(victim, attacker, obj):
    r = run([{"type": "attack", "date": "2023-10-01", "target": victim, "by": attacker, "object": obj,
              "deployment": "alliance_space"}])  # forces: within the Alliance's space (article 7)
    norms_of = {m: {(n.modality, n.action, n.counterparty, n.article, n.rule) for n in r.norms if n.bearer == m}
                for m in MEMBERS if m != victim}
    first, *others = norms_of.values()
    assert first and all(other == first for other in others)
    assert not any(n.bearer == victim for n in r.norms)


@settings(max_examples=150, deadline=None)
@given(st.permutations(MEMBERS), st.sampled_from(sorted(OUTSIDERS) + list(MEMBERS)),
       st.sampled_from(["attack", "blockade"]))
def test_reciprocity_if_a_owes_b_when_b_is_attacked_b_owes_a_when_a_is(pair, attacker, kind):
    a, b = pair[0], pair[1]
    def owed(target):
        stated = {"by_armed_forces": "yes"} if kind == "blockade" else {}  # art. 8: "par les forces armées"
        r = run([{"type": kind, "date": "2023-10-01", "target": target, "by": attacker, **stated}])
        return {(n.bearer, n.counterparty, n.modality, n.action, n.rule) for n in r.norms}
    if attacker in (a, b):
        return  # the attacker owes nothing against itself: reciprocity is between innocent members
    a_owes_b = (a, b, "obligation", "assist", "duty_of_assistance") in owed(b)
    b_owes_a = (b, a, "obligation", "assist", "duty_of_assistance") in owed(a)
    assert a_owes_b == b_owes_a


@settings(max_examples=200, deadline=None)
@given(events(before=True), st.permutations(MEMBERS))
def test_renaming_the_members_renames_the_result_and_changes_nothing_else(evs, perm):
    mapping = dict(zip(MEMBERS, perm))

    def rename(value):
        if isinstance(value, list):
            return [mapping.get(v, v) for v in value]
        return mapping.get(value, value)

    renamed = [{k: (rename(v) if k not in ("id", "type", "date", "object") else v) for k, v in e.items()} for e in evs]
    before, after = run(evs), run(renamed)

    def rows(result, f=lambda x: x):
        return (sorted((f(n.bearer), n.modality, n.action, f(n.counterparty), n.article, n.rule, n.event) for n in result.norms),
                sorted((f(b.party), b.article, b.rule, b.event) for b in result.breaches),
                sorted((f(e.party), e.change, e.start) for e in result.effects),
                sorted(f(m) for m in result.members))

    assert rows(after) == rows(before, lambda x: mapping.get(x, x))


@settings(max_examples=200, deadline=None)
@given(events(before=True, max_size=6))
def test_time_no_norm_before_entry_into_force_nor_by_or_to_a_non_member(evs):
    r = run(evs)
    dates = {e.id: e.date for e in r.scenario.events}
    for n in r.norms:
        assert dates[n.event] >= START
        members, _ = r.timeline.at(dates[n.event])
        assert n.bearer in members
        assert n.counterparty is None or n.counterparty in members
    for b in r.breaches:
        assert b.party in r.timeline.at(dates[b.event])[0]


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_determinism_event_order_with_distinct_dates_changes_nothing(data):
    evs = data.draw(events(min_size=1, max_size=5, distinct_dates=True))
    shuffled = data.draw(st.permutations(evs))
    one, two = run(evs).to_json(), run(shuffled).to_json()
    one["scenario"] = two["scenario"] = None
    assert json.dumps(one, sort_keys=True) == json.dumps(two, sort_keys=True)
