"""The generated alliance with the language's newer constructs in it: places and qualities, facts left
unknown, a rule that needs an earlier event, dates counted from entry into force and an article in force
from a date. Deterministic (seeded), like gen.py.

The rules stand beside the Charter's; their events are new types, so the Charter's own figures are not
touched, and a scenario mixes both.
"""

from __future__ import annotations

import random

from gen import alliance_scenario, alliance_treaty, member_ids

OUTSIDERS = ("xs01", "xs02", "xs03", "xa01", "xa02", "xa03")


def constructs_treaty(charter_text: str, n_members: int) -> str:
    """The Charter with `n_members` parties, one place per party (some frontline), and three new articles."""
    members = member_ids(n_members)
    lines = [alliance_treaty(charter_text, n_members), "",
             'quality frontline "a frontline region"',
             'place space "the space of the Alliance"',
             'place high_seas "the high seas"']
    for i, m in enumerate(members):
        quality = " is frontline" if i % 3 == 0 else ""
        lines.append(f'place r_{m} "Region of {m}" of {m} in space{quality}')
    lines += [
        'event incursion(on: place+, by: actor, armed_forces: yes|no = unknown)',
        'event request(by: actor)',
        '',
        'article 18 "Incursions (benchmark)"',
        '  text en "An armed incursion into a region of a member in the space engages the others."',
        '  rule incursion_in_space:',
        '    when incursion(on: P of V, by: A, armed_forces: yes)',
        '    where P is in space, V is a member',
        '    for each member M other than V:',
        '    M must assist_against_incursion V',
        '    unless M is A',
        '',
        'article 19 "Requests (benchmark)"',
        '  text en "A member attacked may ask for help within 30 days, once the pact has been in force a year."',
        '  rule help_on_request:',
        '    when request(by: V) after incursion(on: P of V) within 30 days',
        '    where V is a member, date is on or after 1 year after entry into force',
        '    for each member M other than V:',
        '    M must answer_request_of V',
        '',
        'article 20 "Frontline (benchmark)" from 2023-11-01',
        '  text en "From 1 November 2023, the members reinforce a frontline region attacked."',
        '  rule reinforce_frontline:',
        '    when incursion(on: P of V)',
        '    where P is frontline, V is a member',
        '    for each member M other than V:',
        '    M may reinforce V',
        '']
    return "\n".join(lines)


def constructs_scenario(n_members: int, n_events: int, seed: int = 11) -> dict:
    """Half Charter events (gen.alliance_scenario), half incursions and requests, in date order."""
    base = alliance_scenario(n_members, n_events - n_events // 2, seed=seed)
    rng = random.Random(seed * 7919 + n_members * 31 + n_events)
    members = member_ids(n_members)
    extra, attacked = [], []
    for i in range(n_events // 2):
        date = base["events"][min(i, len(base["events"]) - 1)]["date"]
        if i % 3 == 2 and attacked:  # a request, mostly by a member attacked before (the rule needs one)
            victim = rng.choice(attacked[-10:]) if rng.random() < 0.8 else rng.choice(members)
            extra.append({"id": f"q{i}", "type": "request", "date": date, "by": victim})
            continue
        hit = rng.sample(members, min(len(members), rng.randint(1, 3)))
        attacked += hit
        targets = [f"r_{m}" for m in hit]
        if rng.random() < 0.2:
            targets.append("high_seas")
        event = {"id": f"q{i}", "type": "incursion", "date": date, "on": targets, "by": rng.choice(OUTSIDERS)}
        armed = rng.random()
        if armed < 0.6:
            event["armed_forces"] = "yes"
        elif armed < 0.8:
            event["armed_forces"] = "no"  # else left out: unknown, so the conclusions are conditional
        extra.append(event)
    events = sorted(base["events"] + extra, key=lambda e: e["date"])
    return {**base, "title": f"Generated alliance of {n_members}, {n_events} events, newer constructs",
            "events": events}
