"""The generated alliance with the language's newer constructs in it: places and qualities, facts left
unknown, a rule that needs an earlier event, dates counted from entry into force and an article in force
from a date. Deterministic (seeded), like gen.py.

The rules stand beside the Charter's; their events are new types, so the Charter's own figures are not
touched, and a scenario mixes both.
"""

from __future__ import annotations

import random

import datetime as dt

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
        '  text en "A member attacked may ask for help within 30 days, once the pact has been in force 30 days."',
        '  rule help_on_request:',
        '    when request(by: V) after incursion(on: P of V) within 30 days',
        '    where V is a member, date is on or after 30 days after entry into force',
        '    for each member M other than V:',
        '    M must answer_request_of V',
        '',
        'article 20 "Frontline (benchmark)" from 2023-10-08',
        '  text en "From 8 October 2023, the members may reinforce a frontline region attacked."',
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


# ---- the same rules, written by hand (the reference for correctness and speed) ----------------------
RULES = frozenset({"incursion_in_space", "help_on_request", "reinforce_frontline"})  # the articles added here
ENTRY = dt.date(2023, 9, 16)  # the Charter's entry into force (on signature)
REQUESTS_FROM = ENTRY + dt.timedelta(days=30)
FRONTLINE_FROM = dt.date(2023, 10, 8)
WITHIN = dt.timedelta(days=30)


def prepare_constructs(data: dict, members) -> tuple:
    """(members, owner of each place, frontline places, incursions, requests), the dates parsed: not timed."""
    members = tuple(members)
    owner = {f"r_{m}": m for m in members}
    frontline = frozenset(f"r_{m}" for i, m in enumerate(members) if i % 3 == 0)
    incursions, requests = [], []
    for ev in data["events"]:
        date = dt.date.fromisoformat(ev["date"])
        if ev["type"] == "incursion":
            on = tuple(dict.fromkeys(ev["on"]))
            incursions.append((ev["id"], date, on, ev["by"], ev.get("armed_forces")))
        elif ev["type"] == "request":
            requests.append((ev["id"], date, ev["by"]))
    return members, owner, frontline, tuple(incursions), tuple(requests)


def evaluate_constructs(p) -> tuple[list, list]:
    """(established norms, conditional norms) as (bearer, modality, action, counterparty, article, rule, event)."""
    members, owner, frontline, incursions, requests = p
    member_set = frozenset(members)
    norms, conditional = [], []
    for eid, date, on, by, armed in incursions:
        if armed != "no":
            out = norms if armed == "yes" else conditional
            seen = set()
            for place in on:
                v = owner.get(place)  # every owned place is in the space; the high seas is no one's
                if v is None or v in seen:
                    continue
                seen.add(v)
                for m in members:
                    if m != v and m != by:
                        out.append((m, "obligation", "assist_against_incursion", v, "18", "incursion_in_space", eid))
        if date >= FRONTLINE_FROM:
            seen = set()
            for place in on:
                v = owner.get(place)
                if place in frontline and v not in seen:
                    seen.add(v)
                    for m in members:
                        if m != v:
                            norms.append((m, "permission", "reinforce", v, "20", "reinforce_frontline", eid))
    for eid, date, v in requests:
        if date < REQUESTS_FROM or v not in member_set:
            continue
        if any(date - WITHIN <= d <= date and any(owner.get(pl) == v for pl in on) for _, d, on, _, _ in incursions):
            for m in members:
                if m != v:
                    norms.append((m, "obligation", "answer_request_of", v, "19", "help_on_request", eid))
    return norms, conditional
