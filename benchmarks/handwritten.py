"""Hand-written plain-Python evaluation of articles 4-8 of the AES Charter.

This is the baseline treatylang is compared with: what a programmer would
write by hand for exactly these articles, without a rule engine.

``prepare(data, members)`` turns the scenario dict into plain tuples (not
timed, like ``treatylang.scenario_from_dict``); ``evaluate(prepared)``
returns ``(norms, breaches)``, two lists of tuples without duplicates:

    norm   = (bearer, modality, action, counterparty, article, rule, event)
    breach = (party, article, rule, event)
"""

from __future__ import annotations

import gc
from typing import NamedTuple

# ---------------------------------------------------------------------------
# Names (keep aligned with specs/aes_charter.treaty, charter.lp, charter.pl)
# ---------------------------------------------------------------------------
OBLIGATION = "obligation"
ASSIST = ("assist", "6", "duty_of_assistance")                 # action, article, rule
TERRORISM = ("fight_terrorism", "4", "fight_terrorism")
ORGANIZED_CRIME = ("fight_organized_crime", "4", "fight_organized_crime")
REBELLION = ("work_to_manage_and_settle_rebellion", "5", "manage_and_settle_rebellion")
THREAT = ("work_to_prevent_manage_and_settle_threat", "5", "prevent_manage_and_settle_threat")
ART8 = "8"
NON_AGGRESSION = "non_aggression"
NO_BLOCKADE = "no_blockade"
NO_LENT_TERRITORY = "no_attack_from_lent_territory"
NO_HARBOURING = "no_harbouring_armed_groups"
NO_THREAT = "no_threat"
NO_ARMED_BANDS = "no_armed_bands"
# objects of an attack that are deemed an attack on all: art. 6 (territory)
# and art. 7 (forces, vessels, aircraft); both lead to the duty of assistance
DEEMED_OBJECTS = {"territory": "6", "forces": "7", "vessel": "7", "aircraft": "7"}
# art. 7: forces are covered in the Alliance's space, abroad only "à titre national"
COVERED_DEPLOYMENTS = frozenset({"alliance_space", "national_abroad"})
YES = "yes"  # a stated fact; a fact left out is unknown and gives only conditional results (not counted here)
ARMED_GROUP = "armed_group"
STATE = "state"

# scenario field names (see gen.py)
_ID, _TYPE, _TARGET, _BY, _OBJECT, _FROM, _IN, _SUPPORTED = (
    "id", "type", "target", "by", "object", "launched_from", "in", "supported_by")
_PERMITTED, _MADE_AVAILABLE, _DEPLOYMENT, _ARMED = ("permitted", "made_available", "deployment", "by_armed_forces")


class Prepared(NamedTuple):
    members: tuple          # member ids, in treaty order
    member_set: frozenset
    kinds: dict             # actor id -> kind, for outsiders
    events: tuple           # (type, id, targets, by, object, launched_from, in, supported_by,
                            #  permitted, made_available, deployment, by_armed_forces)


def _as_tuple(x) -> tuple:
    if x is None:
        return ()
    if isinstance(x, str):
        return (x,)
    return tuple(dict.fromkeys(x))  # de-duplicated, order kept


def prepare(data: dict, members) -> Prepared:
    kinds = {aid: (a or {}).get("kind") for aid, a in (data.get("actors") or {}).items()}
    events = []
    for ev in data.get("events") or ():
        events.append((ev[_TYPE], ev[_ID], _as_tuple(ev.get(_TARGET)), ev.get(_BY),
                       ev.get(_OBJECT) or "territory", ev.get(_FROM), ev.get(_IN),
                       _as_tuple(ev.get(_SUPPORTED)), ev.get(_PERMITTED), ev.get(_MADE_AVAILABLE),
                       ev.get(_DEPLOYMENT), ev.get(_ARMED)))
    members = tuple(members)
    return Prepared(members, frozenset(members), kinds, tuple(events))


def evaluate(p: Prepared):
    members, is_member, kinds = p.members, p.member_set, p.kinds
    norms = []
    breaches = []
    add_norm = norms.append
    for (typ, eid, targets, by, obj, launched_from, where, supported,
         permitted, made_available, deployment, armed) in p.events:
        if typ == "attack":
            # art. 6 / 7: every other member owes assistance to each member victim
            if obj in DEEMED_OBJECTS and (obj != "forces" or deployment in COVERED_DEPLOYMENTS):
                action, article, rule = ASSIST
                for v in targets:
                    if v in is_member:
                        for m in members:
                            if m != v and m != by:
                                add_norm((m, OBLIGATION, action, v, article, rule, eid))
            # art. 8
            if by in is_member:
                for v in targets:
                    if v != by and v in is_member:
                        breaches.append((by, ART8, NON_AGGRESSION, eid))
                        break
                if launched_from in is_member and launched_from != by and made_available == YES:
                    breaches.append((by, ART8, NO_LENT_TERRITORY, eid))
            elif launched_from in is_member and kinds.get(by) == ARMED_GROUP and permitted == YES:
                # not when the group attacks only its host (rebels on their own soil), and only an
                # attack on a State of the region ("un pays du champ"): the members (the generated
                # scenarios state the quality of no other State)
                for v in targets:
                    if v != launched_from and v in is_member:
                        breaches.append((launched_from, ART8, NO_HARBOURING, eid))
                        break
        elif typ == "terrorism" or typ == "organized_crime" or typ == "rebellion":
            if where in is_member:
                action, article, rule = (TERRORISM if typ == "terrorism" else
                                         ORGANIZED_CRIME if typ == "organized_crime" else
                                         REBELLION)
                for m in members:
                    if typ != "rebellion" or m not in supported:  # no art. 5 duty toward one's own proxy war
                        add_norm((m, OBLIGATION, action, where, article, rule, eid))
                # art. 8: a member that sends or supports armed bands in another member
                if typ == "rebellion":
                    for s in supported:
                        if s in is_member and s != where:
                            breaches.append((s, ART8, NO_ARMED_BANDS, eid))
        elif typ == "threat":
            # art. 5: every member but the threatening one works against a threat to a member
            action, article, rule = THREAT
            for v in targets:
                if v in is_member:
                    for m in members:
                        if m != by:
                            add_norm((m, OBLIGATION, action, v, article, rule, eid))
            # art. 8
            if by in is_member:
                for v in targets:
                    if v != by and v in is_member:
                        breaches.append((by, ART8, NO_THREAT, eid))
                        break
        elif typ == "blockade" and armed == YES:  # "par les forces armées"
            # art. 6 (rule blockade_is_aggression): a blockade of a member is an
            # aggression against the others, with the same duty of assistance
            action, article, rule = ASSIST
            for v in targets:
                if v in is_member:
                    for m in members:
                        if m != v and m != by:
                            add_norm((m, OBLIGATION, action, v, article, rule, eid))
            # art. 8
            if by in is_member:
                for v in targets:
                    if v != by and v in is_member:
                        breaches.append((by, ART8, NO_BLOCKADE, eid))
                        break
    return norms, breaches


def evaluate_gc_paused(p: Prepared):
    """``evaluate`` with Python's cyclic garbage collector paused during the
    call, as treatylang.evaluate does: the same code, to compare like with
    like (the collector costs plain Python ~30-40% on millions of tuples)."""
    if not gc.isenabled():
        return evaluate(p)
    gc.disable()
    try:
        return evaluate(p)
    finally:
        gc.enable()
