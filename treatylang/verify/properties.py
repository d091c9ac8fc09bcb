"""`treaty verify`: check the structure of a treaty over every small scenario.

Every scenario of up to K events over the members and J outsiders is considered: every event type a scenario
may state, every choice of arguments (absent optionals, every subset for a list, every outsider kind), dates in
order. On each one the checker asks:

- renaming invariance: permuting the members' names in the scenario permutes the result, nothing else;
- symmetry: members that play the same part in a scenario bear the same norms (up to their names);
- reciprocity: if A owes B a norm, B owes A the same once their parts are exchanged;
- no conflicts: no member is obliged and forbidden the same action toward the same counterparty on the same
  date (standing norms included);
- every rule fires: each norm rule yields a norm, each `breached by` clause a breach and each membership rule
  an effect, in at least one scenario.

A difference between parties that comes only from rules the treaty declares `asymmetric` (for the parties it
names, if any) is counted and reported as declared, not as a failure (`Verifier.declared`).

The number of scenarios grows fast, so the enumeration is reduced without losing any of them:
- up to renaming: of scenarios that differ only by a permutation of the members (or of outsiders of the same
  kind) one is enumerated, and every permutation of it is evaluated for the renaming check;
- enumeration values that no rule tells apart (values every pattern names together, or leaves out together)
  are tried once;
- independent events: an event judged is affected by the others only through membership and entry into force,
  so later events are only tried after events that changed them; the results of independent events on one date
  are combined to look for conflicts between them;
- dates: only the dates where something can change (the same day, the next, either side of each notice period
  and of each date a rule names).
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
import time
from itertools import chain, combinations, combinations_with_replacement, permutations, product

import attrs

import treatylang
from treatylang.lang import syntax as s
from treatylang.ir.treaty import CompiledTreaty
from treatylang.engine.evaluate import evaluate, standing_norms
from treatylang.ir.places import make_world
from treatylang.model import ACTOR_KINDS, Event
from treatylang.source.safe_text import escape
from treatylang.testing import (FALLBACK_START, BREACH_ROW_KEYS, EFFECT_ROW_KEYS, NORM_ROW_KEYS, GeneratedScenario,
                                fixed_by, norm_row, norm_rows, outcome, outsider_actors, outsiders_of, rename_result,
                                rename_scenario, scenario_to_yaml)

PROPERTIES = ("renaming invariance", "symmetry", "reciprocity", "no conflicts", "every rule fires")
ONE_DAY = dt.timedelta(days=1)


# ---- what the treaty's rules can tell apart ----------------------------------------------------------------
def _patterns(treaty: CompiledTreaty):
    for rule in treaty.syntax.rules:
        if rule.trigger is not None:
            yield rule.trigger
        if rule.breach is not None:
            yield rule.breach.pattern


def _conditions(treaty: CompiledTreaty):
    def walk(c):
        yield c
        if isinstance(c, s.Either):
            yield from walk(c.left)
            yield from walk(c.right)

    for rule in treaty.syntax.rules:
        groups = [rule.where, *rule.unless, rule.breach.where if rule.breach else ()]
        for c in chain.from_iterable(groups):
            yield from walk(c)


def enum_representatives(treaty: CompiledTreaty, event: str, param) -> list[str]:
    """One value per class of values no rule tells apart (the default first), or every value if a rule binds it."""
    values = list(param.type.values)
    tests = []
    for p in _patterns(treaty):
        if p.event != event:
            continue
        for a in p.args:
            if a.name != param.name:
                continue
            if isinstance(a.value, s.Var):
                return values
            if isinstance(a.value, s.ArgConst):
                tests.append(frozenset(a.value.values))
    if param.default in values:
        values.remove(param.default)
        values.insert(0, param.default)
    reps: dict[tuple, str] = {}
    for v in values:
        reps.setdefault(tuple(v in t for t in tests), v)
    return list(reps.values())


def named_dates(treaty: CompiledTreaty) -> list[dt.date]:
    """Dates where a rule's conditions may change their answer (each date a rule names, and either side)."""
    out = set()
    for c in _conditions(treaty):
        if isinstance(c, s.DateTest):
            out.update((c.date - ONE_DAY, c.date, c.date + ONE_DAY))
    for a in treaty.syntax.articles:  # the bounds of an article version
        for d in (a.valid_from, a.valid_until):
            if d is not None:
                out.update((d - ONE_DAY, d, d + ONE_DAY))
    return sorted(out)


def conflicting_actions(treaty: CompiledTreaty) -> frozenset:
    """Actions some rule makes obligatory and some rule forbids: the only ones a conflict can involve."""
    by_modality: dict[str, set] = {}
    for r in treaty.rules:
        if r.kind == "norm":
            by_modality.setdefault(r.modality, set()).add(r.action)
    return frozenset(by_modality.get("obligation", set()) & by_modality.get("prohibition", set()))


# ---- the space of scenarios for one choice of outsider kinds --------------------------------------------
class Space:
    """Actors, event choices and the permutations that map scenarios onto one another."""

    def __init__(self, treaty: CompiledTreaty, outsider_variants):
        """`outsider_variants`: one (kind, qualities) per outsider."""
        self.treaty = treaty
        variants = [(v, ()) if isinstance(v, str) else v for v in outsider_variants]
        self.outsiders = outsiders_of(treaty, [k for k, _ in variants])
        variant_of = dict(zip(self.outsiders, variants))
        outsider_qualities = {o: q for o, (_, q) in variant_of.items() if q}
        self.members = list(treaty.parties)
        self.pool = self.members + [a.id for a in treaty.syntax.actors] + list(self.outsiders)
        kinds = dict(treaty.actor_kinds)
        kinds.update(self.outsiders)
        self.kinds = make_world(treaty, kinds, actor_qualities=outsider_qualities) if treaty.qualities else kinds
        self.actors = outsider_actors(self.outsiders)
        rank = {a: i for i, a in enumerate(self.pool)}
        members = set(self.members)

        choices = []  # (size, type order, option indexes, type, args)
        types = [e for e in treaty.syntax.events if not e.is_fact]
        for t_index, decl in enumerate(types):
            options = [self._options(decl, p) for p in decl.params]
            for picked in product(*(range(len(o)) for o in options)):
                args = {p.name: options[i][j][0] for i, (p, j) in enumerate(zip(decl.params, picked))}
                size = sum(options[i][j][1] for i, j in enumerate(picked))
                mentioned = sum(1 for v in args.values() for x in (v if isinstance(v, tuple) else (v,)) if x in members)
                choices.append(((size, mentioned), t_index, picked, decl.name, args))
        choices.sort(key=lambda c: c[:3])
        self.choices = [(name, args) for _, _, _, name, args in choices]
        self.sizes = [c[0] for c in choices]

        def key(etype, args):
            return etype, tuple((k, tuple(sorted(v, key=rank.get)) if isinstance(v, tuple) else v)
                                for k, v in args.items())

        index = {key(t, a): i for i, (t, a) in enumerate(self.choices)}
        # the group: permutations of the members with the same qualities, and of outsiders of one variant
        groups = member_classes(treaty)
        groups += _classes(list(self.outsiders), variant_of.get)
        self.perms = []
        for images in product(*(permutations(g) for g in groups)):
            mapping = {}
            for g, img in zip(groups, images):
                mapping.update((a, b) for a, b in zip(g, img) if a != b)
            self.perms.append(mapping)
        self.perms.sort(key=len)  # the identity first
        self.member_perm = [all(a in treaty.parties for a in m) for m in self.perms]

        def image(mapping, etype, args):
            return index[key(etype, {k: (tuple(mapping.get(x, x) for x in v) if isinstance(v, tuple)
                                         else mapping.get(v, v) if v in self.kinds else v)
                                     for k, v in args.items()})]

        self.table = [[image(m, t, a) for t, a in self.choices] for m in self.perms]

    def _options(self, decl, p):
        """The values an argument may take, each with its size (for "smallest counterexample")."""
        t = p.type
        if hasattr(t, "values"):
            return [(v, 0) for v in enum_representatives(self.treaty, decl.name, p)]
        if t.cardinality == "":
            return [(a, 1) for a in self.pool]
        if t.cardinality == "?":
            return [(None, 0)] + [(a, 1) for a in self.pool]
        low = 1 if t.cardinality == "+" else 0
        return [(tuple(c), n) for n in range(low, len(self.pool) + 1) for c in combinations(self.pool, n)]

    def scenario(self, seq, title="counterexample") -> GeneratedScenario:
        events = tuple(Event(f"e{i + 1}", self.choices[c][0], d, self.choices[c][1], i) for i, (d, c) in enumerate(seq))
        return GeneratedScenario(title, "<verify>", events, self.actors, treaty=self.treaty, kinds=self.kinds)

    def image(self, p: int, seq) -> tuple:
        row = self.table[p]
        return tuple((d, row[c]) for d, c in seq)

    def size(self, seq) -> tuple:
        return (len(seq), sum(self.sizes[c][0] for _, c in seq), sum(self.sizes[c][1] for _, c in seq), seq)


# ---- findings -------------------------------------------------------------------------------------------------
@attrs.define
class Finding:
    """The smallest failing scenario found for a property, and how to show it."""

    size: tuple
    space: Space
    seq: tuple
    message: list  # lines saying what went wrong
    expect: dict | None = None  # an `expect` block the scenario fails
    notes: list = ()


class Verifier:
    def __init__(self, treaty: CompiledTreaty, max_events: int = 1, outsiders: int = 1, treaty_path: str | None = None):
        self.treaty = treaty
        self.max_events = max_events
        self.n_outsiders = outsiders
        self.treaty_path = treaty_path
        self.checked = 0
        self.failures = {p: 0 for p in PROPERTIES}
        self.as_declared = {p: 0 for p in PROPERTIES}  # differences the treaty declares asymmetric (not failures)
        self.declared_by: dict = {p: set() for p in PROPERTIES}  # the declaring rules they came from
        self.smallest: dict[str, Finding] = {}
        self.fired: set = set()
        self.named_dates = named_dates(treaty)
        self.date_sensitive = bool(self.named_dates)
        self.conflict_actions = conflicting_actions(treaty)
        eif = treaty.entry_into_force
        self.counted_type = eif.event if isinstance(eif, s.AfterEvents) else None  # counted for entry into force
        self._standing: dict = {}
        self.space: Space | None = None

    # -- results ----------------------------------------------------------------------------------------------
    def standing_at(self, result, date) -> tuple[list, frozenset]:
        """Standing norms on `date`, and their rows (cached: they depend only on who is a member since when)."""
        tl = result.timeline
        members, order = tl.at(date)
        key = (order, tuple(tl.member_since(m, date) for m in order), tuple(result.scenario.kinds.get(m) for m in order),
               date if self.date_sensitive else None)
        found = self._standing.get(key)
        if found is None:
            norms = standing_norms(self.treaty, result.scenario, tl, date) if members else []
            found = self._standing[key] = (norms, norm_rows(norms))
            self.fired.update(("norm", n.rule) for n in norms)
        return found

    def run(self, seq):
        result = evaluate(self.treaty, self.space.scenario(seq))
        self.checked += 1
        _, standing_rows = self.standing_at(result, result.as_of)
        self.fired.update(("norm", n.rule) for n in result.norms)
        self.fired.update(("breach", b.rule) for b in result.breaches)
        self.fired.update(("membership", e.rule) for e in result.effects)
        if self.conflict_actions:
            self.check_conflicts(seq, result)
        return result, outcome(result, standing_rows=standing_rows)

    def record(self, prop, seq, message, expect=None, notes=()):
        self.failures[prop] += 1
        size = self.space.size(seq)
        best = self.smallest.get(prop)
        if best is None or size < best.size:
            self.smallest[prop] = Finding(size, self.space, seq, message() if callable(message) else message,
                                          expect() if callable(expect) else expect, notes)

    @functools.cached_property
    def declarations(self) -> dict:
        """The treaty's `asymmetric` declarations: {the name of a rule whose conclusions one covers: [the
        declaring rules]}. A declared exception covers the rule it excepts, whose conclusions it removes."""
        covers: dict = {}
        for r in self.treaty.rules:
            if r.asymmetric is not None:
                for name in (r.name, r.exception_to) if r.exception_to else (r.name,):
                    covers.setdefault(name, []).append(r)
        return covers

    def declared(self, prop, mapping, changed: dict) -> bool:
        """Whether a difference a renaming makes is declared: every row that differs (`changed`: rows by
        outcome key) is a conclusion of a rule declared asymmetric, for a party the renaming moves if the
        declaration names any. If so it is counted for the report (by declaration), not as a failure."""
        if not self.declarations or not changed:
            return False
        moved = {a for a, b in mapping.items() if a != b}
        used = set()
        for key, rows in changed.items():
            at = _RULE_AT[key]
            for row in rows:
                fits = [r for r in self.declarations.get(row[at], ())
                        if not r.asymmetric.parties or moved & set(r.asymmetric.parties)]
                if not fits:
                    return False
                used.update(fits)
        self.as_declared[prop] += 1
        self.declared_by[prop].update(used)
        return True

    # -- the enumeration --------------------------------------------------------------------------------------
    def verify(self) -> "Verifier":
        for variants in combinations_with_replacement(outsider_variants(self.treaty), self.n_outsiders):
            self.space = Space(self.treaty, variants)
            everyone = list(range(len(self.space.perms)))
            empty = _membership(evaluate(self.treaty, self.space.scenario(())))
            level = [((), everyone, empty)]  # (events, permutations that fix them, membership they make)
            for depth in range(1, self.max_events + 1):
                grown = []
                for prefix, stabilizer, membership in level:
                    for date in self.dates_after(prefix, membership):
                        grown.extend(self.extend(prefix, stabilizer, membership, date, depth))
                level = grown
                if not level:
                    break
        return self

    def dates_after(self, prefix, membership):
        """The dates a next event may take: only those where what it meets can differ."""
        if not prefix:
            start = self.treaty.fixed_entry_date or self.treaty.signed or FALLBACK_START
            return sorted({start, *(d for d in self.named_dates if d >= start)})
        last = prefix[-1][0]
        start, _, history = membership
        out = {last, last + ONE_DAY}
        for d in (start, *(h[0] for h in history)):  # either side of entry into force and of each change
            if d is not None and d > last:
                out.update((d - ONE_DAY, d))
        out.update(d for d in self.named_dates if d > last)
        return sorted(out)

    def extend(self, prefix, stabilizer, membership, date, depth):
        """Every event on `date` after `prefix`, up to renaming; returns the prefixes for the next level."""
        space, table = self.space, self.space.table
        room_for_two = depth + 1 <= self.max_events
        pool = {} if room_for_two and self.conflict_actions else None  # (bearer, action, counterparty) -> ...
        grown = []
        for c in range(len(space.choices)):
            if any(table[p][c] < c for p in stabilizer):
                continue  # a renaming of a scenario enumerated already
            seq = prefix + ((date, c),)
            result, o = self.run(seq)
            images = {seq: (0, result, o)}
            for p in range(1, len(space.perms)):
                img = space.image(p, seq)
                if img not in images:
                    r2, o2 = self.run(img)
                    images[img] = (p, r2, o2)
                    self.check_renaming(seq, img, p, o, o2)
            for img, (_, _, o2) in images.items():  # symmetry: on each, if renaming failed they may differ
                for p in range(1, len(space.perms)):
                    if space.member_perm[p] and space.image(p, img) == img:
                        self.check_symmetry(img, p, o2)
            if pool is not None:
                for img, (p, r, _) in images.items():
                    if p == 0 or p in stabilizer:
                        self.pool_norms(pool, img, r)
            if depth < self.max_events:
                after = _membership(result)
                if after != membership or space.choices[c][0] == self.counted_type:  # later events may meet that
                    fixing = [p for p in stabilizer if table[p][c] == c]
                    grown.append((seq, fixing, after))
        return grown

    # -- the properties -----------------------------------------------------------------------------------------
    def check_renaming(self, seq, img, p, o, o2):
        space = self.space
        mapping = space.perms[p]
        expected = rename_result(o, mapping)
        if expected == o2:
            return
        names = _show_mapping(mapping)
        if not self.declared("renaming invariance", mapping, _changed_rows(expected, o2)):
            self.record("renaming invariance", img,
                        lambda: [f"this scenario is another one with {names} (the original is below); its result "
                                 f"should be the original's with the same renaming, and it is not:",
                                 *_diff_lines(expected, o2)],
                        lambda: _expectations(expected, o2),
                        notes=[f"the original: {_describe(space, seq)}"])
        if len(mapping) == 2 and space.member_perm[p]:  # two members exchanged: reciprocity, both ways
            self.check_reciprocity(seq, img, mapping, expected, o2)
            self.check_reciprocity(img, seq, mapping, rename_result(o2, mapping), o)

    def check_reciprocity(self, before, after, mapping, expected, got):
        a, b = sorted(mapping)
        missing = _ordered(row for row in expected["norms"]
                           if _between(row) == {a, b} and row not in got["norms"])
        if missing and not self.declared("reciprocity", mapping, {"norms": missing}):
            space = self.space
            self.record("reciprocity", after,
                        lambda: [f"{a} and {b} exchanged their parts (the scenario before the exchange is below), "
                                 f"but not the norms between them:",
                                 *(f"  expected: {_norm_text(row)}; not produced" for row in missing)],
                        lambda: {"norms": [_norm_item(row) for row in missing]},
                        notes=[f"before the exchange: {_describe(space, before)}"])

    def check_symmetry(self, seq, p, o):
        mapping = self.space.perms[p]
        expected = rename_result(o, mapping)
        if expected == o or self.declared("symmetry", mapping, _changed_rows(expected, o)):
            return
        names = _show_mapping(mapping)
        self.record("symmetry", seq,
                    lambda: [f"{_names(sorted(mapping))} play the same part in this scenario (renaming "
                             f"{names} leaves it unchanged), yet their norms differ:", *_diff_lines(expected, o)],
                    lambda: _expectations(expected, o, missing_only=True))

    def check_conflicts(self, seq, result):
        by_key: dict = {}
        dates = {n.date for n in result.norms if n.action in self.conflict_actions}
        norms = [n for n in result.norms if n.action in self.conflict_actions]
        for d in dates | {result.as_of}:
            norms += [n._replace(date=d) for n in self.standing_at(result, d)[0] if n.action in self.conflict_actions]
        for n in norms:
            if n.modality in ("obligation", "prohibition"):
                by_key.setdefault((n.date, n.bearer, n.action, n.counterparty), {}).setdefault(n.modality, n)
        for key, found in by_key.items():
            if len(found) == 2:
                ob, pr = found["obligation"], found["prohibition"]
                self.record("no conflicts", seq, lambda: [f"on {key[0].isoformat()} {ob.bearer} is both obliged and "
                                                          f"forbidden to {ob.action.replace('_', ' ')}"
                                                          f"{' ' + ob.counterparty if ob.counterparty else ''}:",
                                                          f"  {_norm_text(norm_row(ob))}",
                                                          f"  {_norm_text(norm_row(pr))}"])
                return

    def pool_norms(self, pool, seq, result):
        """Norms of the last event, kept to find conflicts between independent events on one date."""
        last = f"e{len(seq)}"
        for n in result.norms:
            if n.event != last or n.action not in self.conflict_actions or n.modality not in ("obligation", "prohibition"):
                continue
            found = pool.setdefault((n.bearer, n.action, n.counterparty), {})
            if n.modality in found:
                continue
            found[n.modality] = seq[-1]
            other = "prohibition" if n.modality == "obligation" else "obligation"
            if other in found and found[other] != seq[-1]:
                both = seq[:-1] + (found[other], seq[-1])  # the two events in one scenario
                self.check_conflicts(both, evaluate(self.treaty, self.space.scenario(both)))

    def unfired(self) -> list[str]:
        out = []
        for r in self.treaty.rules:
            if r.kind == "norm" and ("norm", r.name) not in self.fired:
                out.append(f"article {r.article}, rule {r.name}: yields no norm")
            if r.breach is not None and ("breach", r.name) not in self.fired:
                out.append(f"article {r.article}, rule {r.name}: its 'breached by' clause is never met")
            if r.kind == "membership" and ("membership", r.name) not in self.fired:
                out.append(f"article {r.article}, rule {r.name}: never changes membership")
        return out

    def declared_note(self, prop, failed: bool) -> str:
        """` (N differences declared asymmetric: art. 1, rule r: "why")`, or "" when there is none."""
        n = self.as_declared[prop]
        if not n:
            return ""
        said = "; ".join(f'art. {r.article}, rule {r.name}: "{r.asymmetric.reason}"'
                         for r in sorted(self.declared_by[prop], key=lambda r: r.index))
        return f" ({'and ' if failed else ''}{n:,} difference{'s' if n != 1 else ''} declared asymmetric: {said})"

    # -- the report ----------------------------------------------------------------------------------------------
    def counterexample_yaml(self, prop: str, f: Finding) -> str:
        sc = f.space.scenario(f.seq, title=f"counterexample: {prop}")
        head = [f"# {line}" for line in (*f.message, *f.notes)]
        head.append("# `treaty eval` shows the result; " + ("`treaty test` fails on the expectations below."
                                                            if f.expect else "the conflict is in its norms."))
        return "\n".join(head) + "\n" + scenario_to_yaml(sc, treaty_path=self.treaty_path, expect=f.expect)

    def report(self, out, seconds: float) -> int:
        never = self.unfired()
        self.failures["every rule fires"] = len(never)
        width = max(map(len, PROPERTIES))
        for prop in PROPERTIES:
            n = self.failures[prop]
            if prop == "every rule fires":
                total = len([r for r in self.treaty.rules if r.kind in ("norm", "membership")])
                verdict = f"ok ({total} rule{'s' if total != 1 else ''})" if not n else f"FAILED: {n} never fire{'s' if n == 1 else ''}"
            elif prop == "no conflicts" and not self.conflict_actions:
                verdict = "ok (no action is both obligatory and forbidden by any rules)"
            else:
                verdict = "ok" if not n else f"FAILED in {n:,} scenario{'s' if n != 1 else ''}"
                verdict += self.declared_note(prop, bool(n))
            print(escape(f"  {prop:<{width}}  {verdict}"), file=out)
        for line in never:
            print(escape(f"    {line} in any scenario of up to {self.max_events} event{'s' if self.max_events != 1 else ''}"
                         f" (try --events {self.max_events + 1})"), file=out)
        for prop in PROPERTIES:
            f = self.smallest.get(prop)
            if f is not None:
                print(f"\n{prop}: smallest counterexample (save it as a .yaml file and run it):", file=out)
                print("---", file=out)
                out.write(escape(self.counterexample_yaml(prop, f), keep="\n"))  # its own lines kept
                print("...", file=out)
        failed = any(self.failures.values())
        declared = ", differences declared asymmetric aside" if any(self.as_declared.values()) else ""
        print(f"\nchecked {self.checked:,} scenarios in {seconds:.1f} s"
              f" ({'failed' if failed else 'all properties hold' + declared})", file=out)
        return 1 if failed else 0


def _membership(result) -> tuple:
    """What a scenario's events do to membership: entry into force, the first parties, each change."""
    tl = result.timeline
    return tl.start, tl.parties, tuple(tl.history())


# ---- text helpers ----------------------------------------------------------------------------------------
def _show_mapping(mapping) -> str:
    return ", ".join(f"{a}→{b}" for a, b in sorted(mapping.items()))


def _names(ids) -> str:
    ids = list(ids)
    return ", ".join(ids[:-1]) + " and " + ids[-1] if len(ids) > 1 else ids[0]


def _describe(space, seq) -> str:
    parts = []
    for d, c in seq:
        etype, args = space.choices[c]
        shown = ", ".join(f"{k}: {('[' + ', '.join(v) + ']' if len(v) > 1 else v[0]) if isinstance(v, tuple) else v}"
                          for k, v in args.items() if v not in (None, ()))
        parts.append(f"{etype}({shown}) on {d.isoformat()}")
    return "; ".join(parts)


_RULE_AT = {"norms": NORM_ROW_KEYS.index("rule"), "standing": NORM_ROW_KEYS.index("rule"),
            "breaches": BREACH_ROW_KEYS.index("rule"), "effects": EFFECT_ROW_KEYS.index("rule")}


def _changed_rows(expected: dict, got: dict) -> dict | None:
    """The rows two outcomes differ by, by key; None if their members differ with no effect to say why."""
    changed = {key: expected[key] ^ got[key] for key in _RULE_AT if expected[key] != got[key]}
    return None if expected["members"] != got["members"] and "effects" not in changed else changed


def _ordered(rows) -> list:
    return sorted(rows, key=lambda row: tuple("" if x is None else x for x in row))


def _fields(row, keys=NORM_ROW_KEYS) -> dict:
    """An outcome's row (a tuple of testing.NORM_ROW_KEYS, ...) back as the dict of `Norm.row()`'s keys."""
    return dict(zip(keys, row))


def _between(row) -> set:
    """The bearer and counterparty of a norm row."""
    n = _fields(row)
    return {n["bearer"], n["counterparty"]}


def _norm_text(row) -> str:
    n = _fields(row)
    verb = {"obligation": "must", "permission": "may", "prohibition": "must not"}[n["modality"]]
    when = f"event {n['event']}" if n["event"] else "standing"
    cp = n["counterparty"]
    return f"{n['bearer']} {verb} {n['action']}{' ' + cp if cp else ''} [art. {n['article']}, {n['rule']}; {when}, {n['date']}]"


def _diff_lines(expected: dict, got: dict) -> list[str]:
    lines = []
    for key in ("members", "norms", "standing", "breaches", "effects"):
        if expected[key] == got[key]:
            continue
        if key == "members":
            lines.append(f"  members: expected {', '.join(expected[key])}; got {', '.join(got[key])}")
            continue
        show = _norm_text if key in ("norms", "standing") else (lambda row: " ".join(str(x) for x in row if x is not None))
        lines += [f"  expected: {show(row)}; not produced" for row in _ordered(expected[key] - got[key])]
        lines += [f"  produced: {show(row)}; not expected" for row in _ordered(got[key] - expected[key])]
    return lines


def _norm_item(row) -> dict:
    """A norm row as an `expect` item: its keys but the date, nulls and the status `live` left out."""
    return {k: v for k, v in _fields(row).items() if v is not None and k != "date" and (k, v) != ("status", "live")}


def _expectations(expected: dict, got: dict, missing_only: bool = False) -> dict:
    """An `expect` block that holds for `expected` and fails on `got` (what `treaty test` then reports).

    With `missing_only`, norms produced but not expected are not turned into `absent` items when some
    expected norm is missing (a symmetry failure does not say which of two members is right).
    """
    exp: dict = {}
    missing = _ordered(expected["norms"] - got["norms"])
    extra = _ordered(got["norms"] - expected["norms"])
    missing_standing = _ordered(expected["standing"] - got["standing"])
    if missing_only and (missing or missing_standing):
        extra = []
    if missing:
        exp["norms"] = [_norm_item(r) for r in missing]
    if extra:
        exp["absent"] = [_norm_item(r) for r in extra]
    if missing_standing:
        exp["standing"] = [_norm_item(r) for r in missing_standing]
    if expected["breaches"] != got["breaches"]:
        exp["breaches"] = [{k: v for k, v in _fields(r, BREACH_ROW_KEYS).items()
                            if k != "date" and not (v is None and k in ("norm_event", "deadline"))}
                           for r in _ordered(expected["breaches"])]
    if expected["effects"] != got["effects"]:
        exp["effects"] = [_fields(r, EFFECT_ROW_KEYS) for r in _ordered(expected["effects"])]
    if expected["members"] != got["members"]:
        exp["members"] = list(expected["members"])
    return exp


# ---- entry points -----------------------------------------------------------------------------------------------
def verify(treaty: CompiledTreaty, events: int = 1, outsiders: int = 1, treaty_path: str | None = None) -> Verifier:
    """Run every check; the returned Verifier holds counts (`failures`, `checked`) and the smallest counterexamples."""
    return Verifier(treaty, events, outsiders, treaty_path).verify()


def check_scenario(treaty: CompiledTreaty, scenario) -> list[str]:
    """The renaming, symmetry and conflict properties on one given scenario (to confirm a counterexample);
    differences the treaty declares asymmetric are not problems."""
    problems = []
    v = Verifier(treaty)
    v.space = Space(treaty, ())
    base = outcome(evaluate(treaty, scenario))
    for order in permutations(treaty.parties):
        mapping = {a: b for a, b in zip(treaty.parties, order) if a != b}
        if not mapping:
            continue
        expected = rename_result(base, mapping)
        prop = "symmetry" if fixed_by(scenario, mapping) else "renaming invariance"
        got = base if prop == "symmetry" else outcome(evaluate(treaty, rename_scenario(scenario, mapping)))
        if got != expected and not v.declared(prop, mapping, _changed_rows(expected, got)):
            problems.append(f"{prop}: {_show_mapping(mapping)}")
    if v.conflict_actions:
        before = v.failures["no conflicts"]
        v.check_conflicts((), evaluate(treaty, scenario))
        if v.failures["no conflicts"] > before:
            problems.append("no conflicts")
    return problems


def outsider_variants(treaty: CompiledTreaty) -> list[tuple[str, tuple]]:
    """What an outsider may be: each kind, with every combination of the treaty's qualities."""
    qualities = sorted(treaty.qualities)
    sets = [c for n in range(len(qualities) + 1) for c in combinations(qualities, n)]
    return [(k, q) for k in ACTOR_KINDS for q in sets]


def _classes(items, key) -> list[list]:
    """The items grouped by `key`, in first-seen order: the actors one renaming may exchange."""
    out: dict = {}
    for x in items:
        out.setdefault(key(x), []).append(x)
    return list(out.values())


def member_classes(treaty: CompiledTreaty) -> list[list]:
    """The members with the same qualities: only those can stand for one another."""
    return _classes(list(treaty.parties), lambda m: tuple(sorted(treaty.actor_qualities.get(m, ()))))


def places_refusal(treaty: CompiledTreaty) -> str | None:
    """Why verify cannot judge this treaty: a place is some State's territory, which ties the space to the
    place names, and organs decide by votes (lists of values) that no generated scenario holds."""
    lists = any(isinstance(p.type, s.EnumType) and p.type.is_list for d in treaty.events.values() for p in d.params)
    places = any(str(p.type).startswith("place") for d in treaty.events.values() for p in d.params)
    uses = [w for w, used in (("organs", treaty.organs), ("places", treaty.places), ("place arguments", places),
                              ("lists of values", lists)) if used]
    if not uses:
        return None
    why = []
    if treaty.places or places:
        why.append("a place is the territory of one State, so its scenarios cannot be renamed State for State")
    if treaty.organs or lists:
        why.append("organs decide by votes and lists of values that its scenarios do not generate")
    return (f"this treaty declares {' and '.join(uses)}, which treaty verify does not handle yet: "
            f"{'; '.join(why)}; test such a treaty with scenarios (treaty test) instead")


MAX_EVENTS = 6  # the space grows about an order of magnitude per event: past these bounds it would not end
MAX_OUTSIDERS = 6


def run_cli(args) -> int:
    if args.events < 1 or args.outsiders < 0:
        print("treaty verify: --events must be at least 1 and --outsiders at least 0", file=sys.stderr)
        return 2
    if args.events > MAX_EVENTS or args.outsiders > MAX_OUTSIDERS:
        print(f"treaty verify: at most {MAX_EVENTS} events and {MAX_OUTSIDERS} outsiders: the number of scenarios "
              "grows with the actors to the power of the arguments of every event, so a larger space would not "
              "finish", file=sys.stderr)
        return 2
    treaty = treatylang.load_treaty(args.treaty)
    refusal = places_refusal(treaty)
    if refusal:
        print(escape(f"treaty verify {args.treaty}: {refusal}"), file=sys.stderr)
        return 2
    n = len(treaty.parties)
    kinds = "each kind, with and without each quality" if treaty.qualities else "each kind"
    others = {0: "no outsider", 1: f"1 outsider ({kinds} in turn)"}.get(
        args.outsiders, f"{args.outsiders} outsiders (every combination of {'kinds and qualities' if treaty.qualities else 'kinds'})")
    print(escape(f"treaty verify {args.treaty}: {n} member{'s' if n != 1 else ''}, {others}, "
                 f"every scenario of up to {args.events} event{'s' if args.events != 1 else ''}"))
    classes = member_classes(treaty)
    if len(classes) > 1:
        shown = "; ".join(", ".join(c) + (f" ({', '.join(sorted(treaty.actor_qualities.get(c[0], ())))})"
                                          if treaty.actor_qualities.get(c[0]) else " (no quality)") for c in classes)
        print(escape(f"  members are exchanged only with members of the same qualities: {shown}"))
    sys.stdout.flush()
    start = time.perf_counter()
    v = verify(treaty, args.events, args.outsiders, args.treaty)
    return v.report(sys.stdout, time.perf_counter() - start)
