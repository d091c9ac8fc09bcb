"""Each member's ATOP variables, derived from what the model concludes in the canonical scenarios.

The engine evaluates every canonical scenario (scenarios.py); this module reads the norms and breaches of its
one event, and the standing norms, and decides each variable for each member as the bearer:

- `defense`: in some scenario where an outsider (a State outside the treaty, a declared State, an armed
  group) is the author (`by`) of an event naming another member Y, the member bears an obligation of
  support (words.py) owed to Y;
- the conditions of that duty, by comparing scenarios that differ in one argument only: `defcoloc` the place
  (some places of the attack give the duty, others not), `defcoadv` the attacking State (among States
  outside the treaty), `defconpr` / `defcodem` / `defcocon` an enumeration argument whose words say
  self-defence or provocation / demands / a named conflict, `defconum` the number of attackers (only when
  the author is a list); `defcon` is 1 when one of them is;
- `offense`: an obligation to use force (words) that no attack on a member gives rise to;
- `neutral`: in an attack on a member, a prohibition of support owed to the attacker, or a norm of neutrality;
- `nonagg`: a standing prohibition of force (words), or a breach the member commits by an event of force
  against another member;
- `consul`: a consultation (words, or the duty of an organ whose name says it consults to meet, or of the
  members together) that an event concerning a member gives rise to; a standing one does not count;
- `active`: `defense` or `offense`; `asymm`: the member's obligations (defense, offense, neutral, nonagg,
  consul) differ from another member's.
"""

from __future__ import annotations

import attrs

from treatylang.engine.evaluate import evaluate
from treatylang.model import Fact

from treatylang.classify import words as w
from treatylang.classify.scenarios import CANON, World, member_classes

VARIABLES = ("defense", "offense", "neutral", "nonagg", "consul", "active", "defcon", "defcoloc", "defcoadv",
             "defconpr", "defcocon", "defconum", "defcodem", "asymm")
CONDITIONS = ("defcoadv", "defcoloc", "defcocon", "defconum", "defcodem", "defconpr")
OBLIGATIONS = ("defense", "offense", "neutral", "nonagg", "consul")
MEANS_OF_FORCE = frozenset({"armed", "force", "military", "forces"})


class _Owed:
    """`owed[scene]`: whether the member bears support owed to the member concerned in that scene."""

    def __init__(self, member: str):
        self.member = member

    def __getitem__(self, s) -> bool:
        return self.member in s.support


class ClassifyError(ValueError):
    """The treaty cannot be classified at all (it never enters into force, or has no member)."""


@attrs.frozen
class Value:
    """One variable of one member: 0 or 1, the derivation, and whether the model decided it."""

    value: int
    why: str
    decided: bool = True  # False: the model cannot say (the value is then 0, and `why` says why)


@attrs.define
class Member:
    id: str
    name: str
    cow: int | None
    iso: str | None
    values: dict = attrs.Factory(dict)


@attrs.define
class Classification:
    treaty: object
    date: object
    members: dict  # id -> Member, in the treaty's order
    scenarios: int
    victims: tuple  # the members the scenarios were built around
    notes: list


@attrs.define
class _Seen:
    """One canonical scenario's conclusions for the canonical event, and what the derivations ask of it."""

    canon: object
    norms: list
    breaches: list
    result: object
    hostile: bool  # its author is an outsider
    args: dict = attrs.Factory(dict)
    author: object = None
    places: frozenset = frozenset()  # the arguments that hold a place
    support: dict = attrs.Factory(dict)  # bearer -> (norm, words): support owed to the member concerned


def classify(treaty, members=None, as_of=None) -> Classification:
    world = World(treaty, members, as_of)
    if world.date is None or world.start is None:
        raise ClassifyError("the treaty never enters into force in a scenario built from its declarations "
                            "(its entry into force counts events none of them gives), so nothing can be derived")
    if not world.members:
        raise ClassifyError("the treaty declares no party: there is no member to classify")
    if as_of is not None and as_of < world.start:
        raise ClassifyError(f"the treaty is not in force on {as_of.isoformat()} (it enters into force on "
                            f"{world.start.isoformat()} in the canonical scenarios)")
    base = evaluate(treaty, world.scenario(()), as_of=world.date)
    classes = member_classes(world)
    victims = tuple(m for c in classes for m in (c[:2] if len(classes) == 1 else c[:1]))
    seen: list[_Seen] = []
    for i, y in enumerate(victims):
        for c in world.canonical(y, unconcerned=i == 0):
            result = evaluate(treaty, world.scenario(c), as_of=world.date)
            norms = [n for n in result.norms if n.event == CANON]
            breaches = [b for b in result.breaches if b.event == CANON]
            args = dict(c.args)
            author = args.get(w.AUTHOR_ARGS[0])
            hostile = c.concerned and author in (world.outsider, world.group, *world.named_states)
            places = frozenset(k for k, v in c.args for x in (v if isinstance(v, tuple) else (v,))
                               if isinstance(x, str) and x in world.places)
            support = {}
            for n in norms:
                found = _support(n, c.victim)
                if found and n.bearer not in support:
                    support[n.bearer] = (n, found)
            seen.append(_Seen(c, norms, breaches, result, hostile, args, author, places, support))
    d = _Deriver(world, seen, base)
    out = {}
    for m in world.members:
        codes = treaty.codes.get(m, {})
        member = Member(m, treaty.actor_names.get(m, m), codes.get("cow"), codes.get("iso"))
        member.values = d.member(m)
        out[m] = member
    _asymmetry(out, treaty)
    notes = d.notes()
    return Classification(treaty, world.date, out, len(seen), victims, notes)


class _Deriver:
    def __init__(self, world: World, seen: list, base):
        self.world = world
        self.treaty = world.treaty
        self.seen = seen
        self.base = base
        self.standing = list(base.standing)
        self._via: dict = {}
        self._groups: dict = {}
        self.hostile = [s for s in seen if s.hostile]
        states = (world.outsider, *world.named_states)
        self.by_state = [s for s in self.hostile if s.author in states]
        self.by_event: dict = {}
        for s in self.hostile:
            self.by_event.setdefault(s.canon.event, []).append(s)
        self.hostile_types = sorted({s.canon.event for s in seen if s.hostile})

    # -- words for derivations --------------------------------------------------------------------------------
    def name(self, actor) -> str:
        return self.treaty.actor_names.get(actor, actor) if actor != "members" else "the members together"

    def norm_text(self, n, result=None) -> str:
        modal = {"obligation": "must", "prohibition": "must not", "permission": "may"}[n.modality]
        to = f" {n.preposition or ''} {self.world.role(n.counterparty, '')}".replace("  ", " ") if n.counterparty else ""
        via = self.via(n, result) if result is not None else ""
        return f"{self.name(n.bearer)} {modal} {n.action.replace('_', ' ')}{to} [art. {n.article}, {n.rule}{via}]"

    def via(self, n, result) -> str:
        """The rules that deemed the fact the norm's rule matched ("via art. 6 territory_1951")."""
        key = (id(result), n.rule)
        if key not in self._via:
            chain = []
            try:
                _, matched = result.derivation(n)
            except Exception:  # noqa: BLE001 - an explanation is a courtesy; the value stands without it
                matched = None
            while isinstance(matched, Fact):
                rule = matched.deemed_by
                chain.append(f"art. {rule.article} {rule.name}")
                matched = matched.parent
            self._via[key] = f"; via {', '.join(chain)}" if chain else ""
        return self._via[key]

    def scene(self, s: _Seen) -> str:
        return self.world.describe(s.canon)

    # -- one member --------------------------------------------------------------------------------------------
    def member(self, m: str) -> dict:
        v = {}
        v["defense"], support = self.defense(m)
        v["offense"] = self.offense(m)
        v["neutral"] = self.neutral(m)
        v["nonagg"] = self.nonagg(m)
        v["consul"] = self.consul(m)
        a = v["defense"].value or v["offense"].value
        v["active"] = Value(int(a), "defense or offense is 1" if a else "neither defense nor offense is 1")
        conds = self.conditions(m, support)
        v.update(conds)
        on = [k for k in CONDITIONS if conds[k].value]
        v["defcon"] = Value(int(bool(on)), f"conditions: {', '.join(on)}" if on else
                            ("no defence obligation" if not v["defense"].value else "no condition found on the defence obligation"))
        return {k: v[k] for k in VARIABLES if k in v}

    def defense(self, m: str):
        hits = []  # (seen, norm, words)
        tried = 0
        for s in self.seen:
            if not s.hostile or s.canon.victim == m:
                continue
            tried += 1
            if m in s.support:
                hits.append((s, *s.support[m]))
        if not self.hostile_types:
            return Value(0, "the vocabulary declares no event with an author (`by`): no attack by an outsider on a "
                            "member could be built, so the model cannot say", decided=False), hits
        if hits:
            s, n, found = hits[0]
            return Value(1, f"{self.scene(s)}: {self.norm_text(n, s.result)} (support, by the word(s) "
                            f"{', '.join(repr(x) for x in found)}; in {len(hits)} of {tried} scenarios of an attack "
                            "by an outsider on another member)"), hits
        return Value(0, f"no obligation of support owed to the member concerned in any of {tried} scenarios of an "
                        f"event by an outsider naming another member ({', '.join(self.hostile_types)})"), hits

    def offense(self, m: str) -> Value:
        """An obligation to use force against someone (words, and a counterparty outside the treaty) that no
        attack by an outsider on a member gives rise to."""
        def offensive(n) -> bool:
            return (n.bearer == m and n.modality == "obligation" and bool(w.force_words(n.action))
                    and n.counterparty is not None and n.counterparty not in self.world.members)

        for n in self.standing:
            if offensive(n):
                return Value(1, f"standing: {self.norm_text(n)} (force, by the words {w.force_words(n.action)})")
        for s in self.seen:
            if s.hostile:
                continue
            for n in s.norms:
                if offensive(n):
                    return Value(1, f"{self.scene(s)}: {self.norm_text(n, s.result)} (force, by the words "
                                    f"{w.force_words(n.action)}, with no attack by an outsider)")
        return Value(0, "no obligation to use force against a State outside the treaty (by the words of its action) "
                        "stands or arises but in answer to an attack by an outsider")

    def neutral(self, m: str) -> Value:
        for s in self.seen:
            author = s.author
            for n in s.norms:
                if n.bearer != m:
                    continue
                if w.neutral_words(n.action):
                    return Value(1, f"{self.scene(s)}: {self.norm_text(n, s.result)} (neutrality, by the words "
                                    f"{w.neutral_words(n.action)})")
                if s.hostile and n.modality == "prohibition" and n.counterparty == author and w.support_words(n.action):
                    return Value(1, f"{self.scene(s)}: {self.norm_text(n, s.result)} (no support to the attacker)")
        for n in self.standing:
            if n.bearer == m and w.neutral_words(n.action):
                return Value(1, f"standing: {self.norm_text(n)} (neutrality, by the words {w.neutral_words(n.action)})")
        return Value(0, "no norm of neutrality, and no prohibition of support to the attacker, in an attack on a member")

    def nonagg(self, m: str) -> Value:
        for n in self.standing:
            if n.bearer == m and n.modality == "prohibition" and w.force_words(n.action):
                return Value(1, f"standing: {self.norm_text(n)} (force, by the word(s) "
                                f"{', '.join(repr(x) for x in w.force_words(n.action))})")
        for s in self.seen:
            if s.author != m or not w.force_words(s.canon.event):
                continue
            for b in s.breaches:
                if b.party == m:
                    return Value(1, f"{self.scene(s)}: {self.name(m)} breaches art. {b.article} ({b.rule})")
        return Value(0, "no standing prohibition of force (by the words of its action), and no breach by an event "
                        "of force against another member")

    def consul(self, m: str) -> Value:
        for s in self.seen:
            for n in s.norms:
                if n.modality != "obligation":
                    continue
                bearer_name = self.treaty.organs.get(n.bearer)
                takes_part = n.bearer == m or n.bearer == "members" or bearer_name is not None
                if not takes_part:
                    continue
                found = w.consult_words(n.action, bearer_name or ("members together" if n.bearer == "members" else None))
                if found:
                    how = ("the members together" if n.bearer == "members" else
                           f"an organ of the treaty ({bearer_name}), read as the members meeting" if bearer_name else "itself")
                    return Value(1, f"{self.scene(s)}: {self.norm_text(n, s.result)} (consultation by the word(s) "
                                    f"{', '.join(repr(x) for x in found)}; borne by {how})")
        standing = [n for n in self.standing if (n.bearer == m or n.bearer == "members") and w.consult_words(n.action)]
        extra = f"; a standing duty to consult ({standing[0].rule}) is a general promise, which does not count" if standing else ""
        return Value(0, "no consultation arises from an event concerning a member" + extra)

    # -- the conditions of the defence duty --------------------------------------------------------------------
    def conditions(self, m: str, support_hits) -> dict:
        if not support_hits:
            return {k: Value(0, "no defence obligation") for k in CONDITIONS}
        hostile = self.hostile
        owed = _Owed(m)
        out = {}
        out["defcoloc"] = self.vary(m, hostile, owed, lambda s, k, v: k in s.places, "place",
                                    none_why="no argument of the attacks that gave the duty is a place: the model "
                                             "cannot make the duty depend on where the attack is", none_decided=False)
        if self.world.named_states:
            out["defcoadv"] = self.vary(m, self.by_state, owed, lambda s, k, v: k in w.AUTHOR_ARGS, "attacking State")
        else:
            out["defcoadv"] = Value(0, "no rule names a State outside the treaty, so every attacking State is alike "
                                       "to the model: the duty cannot be against a specific adversary")
        note = self._group_note(m, hostile, owed)
        if note:
            out["defcoadv"] = attrs.evolve(out["defcoadv"], why=out["defcoadv"].why + f"; {note}")
        enum_hits = self._enum_conditions(m, hostile, owed)
        for var in ("defconpr", "defcodem", "defcocon"):
            if var in enum_hits:
                out[var] = enum_hits[var]
            else:
                out[var] = Value(0, "the duty depends on no argument whose words say "
                                    f"{ {'defconpr': 'self-defence or provocation', 'defcodem': 'demands', 'defcocon': 'a named conflict'}[var]}")
        lists = [s for s in hostile if isinstance(s.author, tuple)]
        if lists:
            out["defconum"] = self.vary(m, lists, owed, lambda s, k, v: k in w.AUTHOR_ARGS, "number of attackers")
        else:
            out["defconum"] = Value(0, "the attacks of the vocabulary have one author (`by: actor`): the model cannot "
                                       "make the duty depend on the number of attackers", decided=False)
        return {k: out[k] for k in CONDITIONS}

    def _owes(self, s, m):
        return s.support.get(m, (None,))[0]

    def vary(self, m, scenes, owed, varies, what: str, none_why: str | None = None, none_decided=True) -> Value:
        """1 when two scenarios that differ only in the arguments `varies` picks out differ in the duty."""
        cache_key = (what, id(scenes))
        groups = self._groups.get(cache_key)
        if groups is None:  # the same for every member: made once
            found: dict = {}
            for s in scenes:
                key = (s.canon.victim, s.canon.event, tuple((k, v) for k, v in s.canon.args if not varies(s, k, v)))
                if len(key[2]) == len(s.canon.args):
                    continue  # the argument is not in this event
                found.setdefault(key, []).append(s)
            groups = self._groups[cache_key] = list(found.values())
        compared = 0
        for group in groups:
            group = [s for s in group if s.canon.victim != m]
            yes = [s for s in group if owed[s]]
            no = [s for s in group if not owed[s]]
            if yes:
                compared += 1
            if yes and no:
                n = self._owes(yes[0], m)
                return Value(1, f"depends on the {what}: {self.scene(yes[0])} gives {self.norm_text(n, yes[0].result)}; "
                                f"{self.scene(no[0])} gives none")
        if not compared and none_why:
            return Value(0, none_why, decided=none_decided)
        return Value(0, f"the duty arose whatever the {what}, in each of {compared} comparisons of scenarios that "
                        f"differ in the {what} only")

    def _group_note(self, m, hostile, owed) -> str:
        """An attack by an armed group that gives no duty where a State's does: said, not coded (ATOP's specific
        adversary is a State)."""
        def but_author(s):  # the scenario, its author left out
            return s.canon.victim, s.canon.event, tuple(kv for kv in s.canon.args if kv[0] not in w.AUTHOR_ARGS)

        by_state = {but_author(s): owed[s] for s in hostile if s.author == self.world.outsider and s.canon.victim != m}
        for s in hostile:
            if s.author != self.world.group or s.canon.victim == m:
                continue
            if by_state.get(but_author(s)) and not owed[s]:
                return f"the duty needs a State as attacker: {self.scene(s)} gives none (not coded as a specific adversary)"
        return ""

    def _enum_conditions(self, m, hostile, owed) -> dict:
        out = {}
        params = {}
        for decl in self.treaty.syntax.events:
            for p in decl.params:
                if hasattr(p.type, "values") and not p.type.is_list:
                    params[(decl.name, p.name)] = p.type.values
        for (event, arg), values in params.items():
            var, hit = w.condition_of(arg, values)
            scenes = self.by_event.get(event, [])
            if var is None or not scenes or var in out:
                continue
            v = self.vary(m, scenes, owed, lambda s, k, x, arg=arg: k == arg, f"argument '{arg}' of {event}")
            if v.value:
                out[var] = attrs.evolve(v, why=v.why + f" (read as {var} by the word(s) {', '.join(repr(x) for x in hit)})")
        return out

    def notes(self) -> list[str]:
        fired = {n.rule for s in self.seen for n in s.norms} | {b.rule for s in self.seen for b in s.breaches}
        fired |= {n.rule for n in self.standing}
        silent = [r.name for r in self.treaty.syntax.rules if r.kind == "norm" and r.name not in fired]
        out = []
        if silent:
            out.append("rules no canonical scenario engages (they need an earlier event, a date, or a party "
                       f"the scenarios do not name): {', '.join(silent)}")
        return out


def _support(n, victim: str) -> list[str]:
    """Why a norm is support owed to `victim` (the words), or [] when it is not."""
    if n.modality != "obligation" or n.counterparty != victim or n.bearer == "members":
        return []
    found = w.support_words(n.action)
    if not found and not w.found(n.action, w.PROCEDURE):
        found = [x for x in n.means if w.words(x) & MEANS_OF_FORCE]
    return found


def _asymmetry(members: dict, treaty) -> None:
    vectors = {m: tuple(x.values[k].value for k in OBLIGATIONS) for m, x in members.items()}
    declared = sorted({p for r in treaty.syntax.rules if r.asymmetric for p in r.asymmetric.parties})
    tail = f"; rules declared asymmetric for {', '.join(declared)} change where the duty applies, not its kind" if declared else ""
    for m, x in members.items():
        other = next((o for o, v in vectors.items() if v != vectors[m]), None)
        if other is None:
            x.values["asymm"] = Value(0, "the same obligations (defense, offense, neutral, nonagg, consul) as every "
                                         "other member" + tail)
        else:
            diff = [k for k, a, b in zip(OBLIGATIONS, vectors[m], vectors[other]) if a != b]
            x.values["asymm"] = Value(1, f"differs from {members[other].name} on {', '.join(diff)}")
