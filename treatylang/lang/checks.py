"""Static checks over the syntax tree: errors stop loading, warnings are reported (errors with --strict).

Every pass dispatches on the syntax classes it knows and raises TypeError on any other (a new construct
must be taught to the checks, not skipped). Besides the diagnostics, `derivation_paths` measures how many
ways deeming leads an event to each rule, for the engine to refuse a treaty too costly to evaluate.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import attrs

from treatylang.lang import passages, syntax as s
from treatylang.lang.parser import keywords
from treatylang.source.diagnostics import Diagnostic, did_you_mean, located

KINDS = ("member", "state", "organization", "armed_group")
QUANTIFIER_DOMAINS = ("member",)
MAX_QUANTIFIERS = 8  # `for each` in one rule: each is a nested loop in the generated code (treaties use 1-3)
COSTLY_QUANTIFIERS = 4  # from this many `for each`, a warning: the cost is members ** k
QUOTE_HINTS = 10  # misquoted phrases that get a "did you mean" (each compares the phrase with the text's words)
# `codes iso USA, cow 2`: the standard lists a State may be matched by, and what a code of each looks like
CODE_SYSTEMS = {"iso": ("an ISO 3166-1 alpha-3 code", "three capital letters, as USA"),
                "cow": ("a Correlates of War state number", "a whole number from 1 to 999, as 2")}
MAX_DERIVATION_PATHS = 1000  # chains of `deem` from one event to one rule; beyond, a warning


def _unknown(node, where: str):
    """A syntax class this pass does not know: a bug in treatylang, never silently skipped."""
    raise TypeError(f"checks ({where}): no case for {type(node).__name__}")


class _Checker:
    def __init__(self, tree: s.TreatyFile):
        self.tree = tree
        self.out: list[Diagnostic] = []
        self.events = {e.name: e for e in tree.events}
        self.organ_ids = [o.id for o in tree.organs]
        self.actor_ids = [p.id for p in tree.parties] + [a.id for a in tree.actors] + self.organ_ids
        self.qualities = [q.name for q in tree.qualities]
        self.place_ids = [p.id for p in tree.places]
        self.rules = {}

    def error(self, span, message, hint=None):
        self.out.append(located(span, message, self.tree.source, hint=hint))

    def warn(self, span, message, hint=None):
        self.out.append(located(span, message, self.tree.source, severity="warning", hint=hint))

    # ---- declarations --------------------------------------------------------------
    def declarations(self):
        t = self.tree
        if t.header is None:
            span = t.articles[0].span if t.articles else None
            from treatylang.source.spans import Span

            if t.vocabulary is not None:  # a vocabulary given where a treaty is expected: nothing more to say
                self.error(t.vocabulary.span, f"this is the vocabulary '{t.vocabulary.id}', not a treaty: a treaty "
                                              f"reads it with 'uses {t.vocabulary.id}'")
                return
            else:
                self.error(span or Span(t.file, 1, 1), "the file has no treaty header ('treaty ID \"Title\" ...')")
        self.duplicates([(p.id, p.span) for p in (*t.parties, *t.actors, *t.organs)], "actor")
        signed = t.header.signed if t.header is not None else None
        for p in t.parties:
            if p.joined is not None and signed is not None and p.joined < signed:
                self.warn(p.span, f"party '{p.id}' joined on {p.joined.isoformat()}, before the treaty was signed "
                                  f"({signed.isoformat()}); a party bound from the start needs no 'joined'")
            if p.left is not None and p.left <= (p.joined or signed or p.left.min):
                since = f"it joined ({p.joined.isoformat()})" if p.joined else f"the treaty was signed ({signed.isoformat()})"
                self.error(p.span, f"party '{p.id}' left on {p.left.isoformat()}, not after {since}: "
                                   "a party leaves after it became one")
        self.duplicates([(e.name, e.span) for e in t.events], "event type")
        self.codes((*t.parties, *t.actors))
        self.article_versions(t.articles)
        self.duplicates([(r.name, r.span) for r in t.rules], "rule")
        reserved = keywords()
        for decl in (*t.parties, *t.actors, *t.organs):
            if decl.id in reserved:
                self.error(decl.span, f"'{decl.id}' is a word of the language (as in 'X is {decl.id} ...'), "
                                      "so it cannot name an actor; choose another id",
                           hint=f"for example '{decl.id}_state'")
        for a in t.actors:
            if a.kind not in KINDS[1:]:
                self.error(a.span, f"unknown actor kind '{a.kind}'; expected state, organization or armed_group",
                           hint=did_you_mean(a.kind, KINDS[1:]))
        self.event_declarations()
        self.places_and_qualities()
        h = t.header
        if h is not None:
            force = h.entry_into_force
            if force is not None and not isinstance(force, (s.OnSignature, s.OnDate, s.AfterEvents)):
                _unknown(force, "entry into force")
            if isinstance(force, s.AfterEvents):
                self.event_name(force.event, force.span, facts_ok=False)
                parties = [p.id for p in t.parties]
                for named in force.including:
                    if named not in parties:
                        what = "an actor, not a party" if named in self.actor_ids else "not a declared party"
                        self.error(force.span, f"'{named}' in 'including' is {what}: only a party ratifies",
                                   hint=did_you_mean(named, parties))
                for named in sorted({n for n in force.including if force.including.count(n) > 1}):
                    self.error(force.span, f"'{named}' is named twice in 'including'")
                if force.count < 1:
                    self.error(force.span, f"a treaty cannot enter into force after {force.count} events",
                               hint=f"write 'after 1 {force.event} events' (or more), or 'in force on signature'")
                if force.entered is not None and h.signed is not None and force.entered < h.signed:
                    self.error(force.span, f"the treaty entered into force on {force.entered.isoformat()}, before it "
                                           f"was signed ({h.signed.isoformat()})")
            if isinstance(h.entry_into_force, s.OnDate) and h.signed and h.entry_into_force.date < h.signed:
                self.warn(h.entry_into_force.span, "the entry into force is dated before the signature")
            if isinstance(h.entry_into_force, s.OnSignature) and h.signed is None:
                self.error(h.entry_into_force.span, "'in force on signature' needs a 'signed DATE' clause")
            if h.terminated is not None:
                start = h.entry_into_force.date if isinstance(h.entry_into_force, s.OnDate) else h.signed
                if start is not None and h.terminated <= start:
                    what = "entry into force" if isinstance(h.entry_into_force, s.OnDate) else "signature"
                    self.error(h.span, f"the treaty is terminated on {h.terminated.isoformat()}, not after its "
                                       f"{what} ({start.isoformat()}): it would never bind anyone")
            if h.depositary is not None and h.depositary not in self.actor_ids:
                self.error(h.span, f"depositary '{h.depositary}' is not a declared party or actor",
                           hint=did_you_mean(h.depositary, self.actor_ids))
            if h.entry_into_force is None:
                self.warn(h.span, "no entry into force is stated; the treaty will bind no one ('in force on signature'?)")
        if not t.parties:
            self.warn(h.span if h else t.articles[0].span if t.articles else None, "the treaty declares no party")

    def codes(self, decls):
        """`codes iso USA, cow 2`: known lists, well-formed codes, one per list and declaration, none shared."""
        holders: dict[tuple, str] = {}
        for d in decls:
            if d.codes and getattr(d, "kind", "state") != "state":
                self.error(d.codes[0].span, f"'{d.id}' is of kind {d.kind}: only a State has ISO or Correlates of War codes")
            seen = set()
            for c in d.codes:
                if c.system not in CODE_SYSTEMS:
                    self.error(c.span, f"unknown list of codes '{c.system}'; expected {' or '.join(CODE_SYSTEMS)}",
                               hint=did_you_mean(c.system, list(CODE_SYSTEMS)))
                    continue
                if c.system in seen:
                    self.error(c.span, f"'{d.id}' gives a second {c.system} code; a State has one in each list")
                    continue
                seen.add(c.system)
                value = c.parsed()
                if value is None:
                    self.error(c.span, f"'{c.value}' is not {CODE_SYSTEMS[c.system][0]} ({CODE_SYSTEMS[c.system][1]})")
                    continue
                other = holders.setdefault((c.system, value), d.id)
                if other != d.id:
                    self.error(c.span, f"{c.system} code {value} is already the code of '{other}'; "
                                       "two declarations cannot stand for one State")

    def event_declarations(self):
        """Each event type's arguments: named once, typed, defaults within their enumeration."""
        t = self.tree
        for e in t.events:
            self.duplicates([(p.name, p.span) for p in e.params], f"argument of '{e.name}'")
            for p in e.params:
                if p.name in s.EVENT_KEYS:
                    self.error(p.span, f"'{p.name}' is a key every scenario event already has "
                                       f"({', '.join(s.EVENT_KEYS)}); give the argument another name")
                if not isinstance(p.type, (s.ActorType, s.PlaceType, s.EnumType)):
                    _unknown(p.type, "argument type")
                if isinstance(p.type, s.EnumType) and p.type.cardinality == "?":
                    self.error(p.span, f"'{p.name}': a list of values is '({p.type.values[0]}|...)+' (one or more) "
                                       "or '(...)*' (zero or more); an optional single value takes a default instead",
                               hint=f"write '{p.name}: {'|'.join(p.type.values)} = {p.type.values[0]}'")
                elif isinstance(p.type, s.EnumType) and p.type.is_list and p.default is not None and not p.unknowable:
                    self.error(p.span, f"'{p.name}' is a list of values; only a single enumeration takes a default")
                    continue
                if p.default is not None and not p.unknowable:  # `= unknown`: left out, it is unknown
                    if isinstance(p.type, (s.ActorType, s.PlaceType)):
                        self.error(p.span, f"'{p.name}' is an {'actor' if isinstance(p.type, s.ActorType) else 'place'} "
                                           "argument; only enumerations take a default (any argument may be '= unknown')")
                    elif p.default not in p.type.values:
                        self.error(p.span, f"default '{p.default}' is not one of {', '.join(p.type.values)}",
                                   hint=did_you_mean(p.default, p.type.values))

    def article_versions(self, articles):
        """Two blocks may share an article number only as dated versions whose ranges (inclusive) are disjoint."""
        by_number: dict[str, list] = {}
        for a in articles:
            if a.valid_from is not None and a.valid_until is not None and a.valid_from > a.valid_until:
                self.error(a.span, f"article {a.number} applies from {a.valid_from} until {a.valid_until}: "
                                   "the range ends before it starts")
            by_number.setdefault(a.number, []).append(a)
        for number, blocks in by_number.items():
            for i, later in enumerate(blocks[1:], 1):
                for earlier in blocks[:i]:
                    if not (earlier.versioned and later.versioned):
                        self.error(later.span, f"article '{number}' is declared twice",
                                   hint="two versions of an article each need their dates: "
                                        "'until DATE' on the first, 'from DATE' on the next")
                        break
                    lo1, hi1 = earlier.valid_from or dt.date.min, earlier.valid_until or dt.date.max
                    lo2, hi2 = later.valid_from or dt.date.min, later.valid_until or dt.date.max
                    if lo1 <= hi2 and lo2 <= hi1:
                        self.error(later.span, f"this version of article {number} overlaps the one at line "
                                               f"{earlier.span.line if earlier.span else '?'}: both apply on "
                                               f"{max(lo1, lo2).isoformat()}",
                                   hint="versions of an article apply on disjoint dates (both bounds are inclusive)")
                        break

    def places_and_qualities(self):
        """Qualities and places: declared once, names that clash with nothing, references that exist."""
        t = self.tree
        self.duplicates([(q.name, q.span) for q in t.qualities], "quality")
        self.duplicates([(p.id, p.span) for p in t.places], "place")
        reserved = keywords()
        actors, places = set(self.actor_ids), set(self.place_ids)
        for q in t.qualities:
            clash = ("an actor" if q.name in actors else "a place" if q.name in places
                     else "a kind" if q.name in KINDS else "a word of the language" if q.name in reserved else None)
            if clash:
                self.error(q.span, f"quality '{q.name}' has the name of {clash}; a quality needs a name of its own",
                           hint=f"for example '{q.name}_quality'" if clash != "a kind" else None)
        for p in t.places:
            if p.id in actors or p.id in reserved:
                what = "an actor" if p.id in actors else "a word of the language"
                self.error(p.span, f"place '{p.id}' has the name of {what}; a place needs an id of its own")
            if p.of is not None and p.of not in actors:
                self.error(p.span, f"place '{p.id}' is 'of' unknown actor '{p.of}' (the State whose territory it is)",
                           hint=did_you_mean(p.of, self.actor_ids))
            for region in p.within:
                if region not in places:
                    self.error(p.span, f"place '{p.id}' is 'in' unknown place '{region}'",
                               hint=did_you_mean(region, self.place_ids))
        for decl in (*t.parties, *t.actors, *t.places):
            for q in decl.qualities:
                if q not in self.qualities:
                    self.error(decl.span, f"unknown quality '{q}'; declare it ('quality {q} \"...\"')",
                               hint=did_you_mean(q, self.qualities))

    def duplicates(self, named, what):
        counts = Counter(n for n, _ in named)
        seen = set()
        for name, span in named:
            if counts[name] > 1:
                if name in seen:
                    self.error(span, f"{what} '{name}' is declared twice")
                seen.add(name)

    def event_name(self, name, span, facts_ok=True):
        decl = self.events.get(name)
        if decl is None:
            self.error(span, f"unknown event type '{name}'", hint=did_you_mean(name, self.events))
        elif decl.is_fact and not facts_ok:
            self.error(span, f"'{name}' is a fact rules deem, not an event a scenario states")
        return decl

    # ---- rules ---------------------------------------------------------------------
    def pattern(self, p: s.Pattern, bound: dict, *, deem=False):
        """Check a pattern; record the variables it binds (name -> 'actor' | 'enum')."""
        decl = self.event_name(p.event, p.span)
        if decl is None:  # still bind its variables, so one typo gives one error
            for arg in p.args:
                if isinstance(arg.value, s.Var) and not deem:
                    bound.setdefault(arg.value.name, "actor")
            return None
        given = set()
        for arg in p.args:
            param = decl.param(arg.name)
            if param is None:
                self.error(arg.span, f"'{p.event}' has no argument '{arg.name}'; it has {', '.join(x.name for x in decl.params) or 'none'}",
                           hint=did_you_mean(arg.name, [x.name for x in decl.params]))
                continue
            if arg.name in given:
                self.error(arg.span, f"argument '{arg.name}' is given twice")
            given.add(arg.name)
            v = arg.value
            kind = _kind_of(param)
            if isinstance(v, s.ArgPlaceOf):
                if kind != "place" or deem:
                    self.error(v.span, f"'{v.place} of {v.state}' needs a place argument in a 'when' pattern; "
                                       f"'{arg.name}' is {'a fact to deem' if deem else 'an ' + kind}")
                for var, want in ((v.place, "place"), (v.state, "actor")):
                    if bound.get(var, want) != want:
                        self.error(v.span, f"{var} is an {bound[var]} but here it stands for a {want}")
                    bound.setdefault(var, want)
            elif isinstance(v, s.Var):
                if kind == "enum":
                    self.enum_values[v.name] = param.type.values
                if deem:
                    if v.name not in bound:
                        self.error(v.span, f"variable {v.name} is not bound here", hint=did_you_mean(v.name, bound))
                    elif bound[v.name] != kind:
                        self.error(v.span, f"{v.name} is an {bound[v.name]} but '{arg.name}' takes an {kind}")
                else:
                    if bound.get(v.name, kind) != kind:
                        self.error(v.span, f"{v.name} is an {bound[v.name]} but '{arg.name}' takes an {kind}")
                    bound.setdefault(v.name, kind)
            elif isinstance(v, s.ArgConst):
                if deem and kind == "place":
                    self.error(v.span, f"a deemed fact takes a place from a variable ('{arg.name}: P', P bound by "
                                       "the trigger), not a place written in the rule")
                if deem and len(v.values) > 1:
                    self.error(v.span, "a deemed fact takes one value per argument, not alternatives")
                choices = param.type.values if kind == "enum" else self.place_ids if kind == "place" else self.actor_ids
                for value in v.values:
                    if value not in choices:
                        self.error(v.span, f"'{value}' is not a value of '{arg.name}' ({param.type})",
                                   hint=did_you_mean(value, choices))
            elif isinstance(v, s.ArgAny):
                if deem:
                    self.error(v.span, "a deemed fact needs a value here, not '_'")
            else:
                _unknown(v, "pattern argument")
        if deem:
            for param in decl.params:
                if param.required and param.name not in given:
                    self.error(p.span, f"the deemed '{p.event}' needs '{param.name}'")
        return decl

    def term(self, t: s.Term, bound: dict, what="actor"):
        if isinstance(t, s.Var):
            if t.name not in bound:
                self.error(t.span, f"variable {t.name} is not bound by the rule's trigger or a 'for each'",
                           hint=did_you_mean(t.name, bound))
        elif isinstance(t, s.Const):
            if what == "actor" and t.name not in self.actor_ids:
                self.error(t.span, f"unknown actor '{t.name}'" + (" or quality" if self.qualities else ""),
                           hint=did_you_mean(t.name, self.actor_ids + self.qualities))
            elif what == "place" and t.name not in self.place_ids:
                self.error(t.span, f"unknown place '{t.name}'", hint=did_you_mean(t.name, self.place_ids))
            elif what == "any" and t.name not in self.actor_ids and t.name not in self.place_ids:
                self.error(t.span, f"unknown actor or place '{t.name}'",
                           hint=did_you_mean(t.name, self.actor_ids + self.place_ids))
        else:
            _unknown(t, "term")

    def conditions(self, conds, bound, trigger_decl):
        for c in conds:
            self.condition(c, bound, trigger_decl)
        seen = {}
        for c in conds:
            if isinstance(c, s.IsKind):
                key = (str(c.term), c.kind)
                if seen.get(key, c.negated) != c.negated:
                    self.warn(c.span, f"this contradicts an earlier condition: the rule can never apply")
                seen[key] = c.negated
            if isinstance(c, s.IsSame) and str(c.left) == str(c.right) and c.negated:
                self.warn(c.span, "a thing is always itself: this rule can never apply")

    def condition(self, c, bound, trigger_decl):
        if isinstance(c, s.IsKind) and c.kind in self.qualities:
            self.term(c.term, bound, "any")
        elif isinstance(c, s.IsSame) and isinstance(c.right, s.Const) and c.right.name in self.qualities:
            self.term(c.left, bound, "any")
        elif isinstance(c, s.IsIn):
            self.term(c.term, bound, "place")
            if isinstance(c.term, s.Var) and bound.get(c.term.name, "place") != "place":
                self.error(c.term.span, f"{c.term.name} is an {bound[c.term.name]}; 'is in' tests a place")
            if c.region not in self.place_ids:
                self.error(c.span, f"unknown place '{c.region}'", hint=did_you_mean(c.region, self.place_ids))
        elif isinstance(c, s.IsKind):
            self.term(c.term, bound)
            if c.kind not in KINDS:
                expected = ", ".join((*KINDS, *self.qualities))
                self.error(c.span, f"unknown kind{' or quality' if self.qualities else ''} '{c.kind}'; expected {expected}",
                           hint=did_you_mean(c.kind, (*KINDS, *self.qualities)))
        elif isinstance(c, s.IsSame):
            kinds = {bound.get(t.name) for t in (c.left, c.right) if isinstance(t, s.Var)}
            for t in (c.left, c.right):
                self.term(t, bound, "enum" if "enum" in kinds else "place" if "place" in kinds else "actor")
            enum_vars = [t.name for t in (c.left, c.right) if isinstance(t, s.Var) and t.name in self.enum_values]
            for t in (c.left, c.right):
                if isinstance(t, s.Const) and enum_vars:
                    values = self.enum_values[enum_vars[0]]
                    if t.name not in values:
                        self.error(t.span, f"'{t.name}' is not one of {', '.join(values)}", hint=did_you_mean(t.name, values))
        elif isinstance(c, (s.AllAmong, s.ShareAmong)):
            param = trigger_decl.param(c.arg) if trigger_decl else None
            if trigger_decl is None:
                self.error(c.span, "'among' needs a trigger event whose list argument it counts")
            elif param is None or not param.type.is_list:
                lists = [p.name for p in trigger_decl.params if p.type.is_list]
                self.error(c.span, f"'{c.arg}' is not a list argument of '{trigger_decl.name}'",
                           hint=did_you_mean(c.arg, lists) or (f"list arguments: {', '.join(lists)}" if lists else None))
            if isinstance(c, s.ShareAmong) and not (0 < c.numerator <= c.denominator):
                self.error(c.span, "the share must be between 0 and 1 (like 2/3 or 50%)")
            for x in c.excluding if isinstance(c, s.ShareAmong) else ():
                self.term(x, bound)
                if isinstance(x, s.Var) and bound.get(x.name, "actor") != "actor":
                    self.error(x.span, f"{x.name} is an {bound[x.name]}; 'other than' leaves out actors")
        elif isinstance(c, s.Either):
            self.condition(c.left, bound, trigger_decl)
            self.condition(c.right, bound, trigger_decl)
        elif isinstance(c, (s.DateTest, s.DateFromEntry)):
            pass  # a date (or a duration) and an operator, both checked by the parser
        else:
            _unknown(c, "condition")

    def rule(self, r: s.Rule):
        """Check one rule. Variables are bound, in this order: by the trigger, then by each `for each` (a
        new name each), then by the `breached by` pattern (which may name a `for each` variable again:
        the breaching event must match it). So `where` and `unless` see the trigger's variables (and
        `unless` the `for each` ones); the conclusion sees the trigger's and the `for each` ones; the
        breach's `where` sees all three, for it is tested once the quantifiers have bound their variables."""
        bound: dict[str, str] = {}
        self.enum_values: dict[str, tuple] = {}
        trigger_decl = None
        if r.exception_to is not None:
            base = self.rules.get(r.exception_to)
            if base is None:
                self.error(r.span, f"rule '{r.name}' is an exception to '{r.exception_to}', which does not exist",
                           hint=did_you_mean(r.exception_to, self.rules))
                return
            if r.trigger or r.quantifiers or r.conclusion or r.breach or r.unless or r.lifetime:
                self.error(r.span, "an exception states only 'where' conditions over the variables of the rule it excepts")
            if base.exception_to is not None:
                self.error(r.span, f"'{r.exception_to}' is itself an exception")
            bound = self.bindings_of(base)
            base_decl = self.events.get(base.trigger.event) if base.trigger else None
            if not r.where:
                self.warn(r.span, f"this exception has no 'where': it removes every conclusion of '{r.exception_to}'")
            self.conditions(r.where, bound, base_decl)
            self.asymmetry(r)
            return
        if r.trigger is not None:
            trigger_decl = self.pattern(r.trigger, bound)
            if r.after is not None:
                self.earlier(r.after, bound)
        self.conditions(r.where, bound, trigger_decl)
        self.quantifiers(r, bound)
        c = r.conclusion
        if c is None:
            self.error(r.span, f"rule '{r.name}' concludes nothing (a norm, 'deem ...', or a membership change)")
        elif isinstance(c, s.NormConclusion):
            self.norm(r, c, bound, trigger_decl)
        elif isinstance(c, s.Deem):
            if r.trigger is None:
                self.error(r.span, "'deem' needs a trigger ('when ...'): a fact is deemed from an event")
            self.pattern(c.pattern, bound, deem=True)  # deeming a scenario event type is allowed (a fiction)
        elif isinstance(c, s.MembershipChange):
            self.term(c.who, bound)
            if r.trigger is None:
                self.error(r.span, "a membership change needs a trigger ('when ...')")
            elif trigger_decl is not None and trigger_decl.is_fact:
                self.error(r.trigger.span, "membership changes are triggered by scenario events, not deemed facts")
        else:
            _unknown(c, "conclusion")
        for group in r.unless:
            self.conditions(group, bound, trigger_decl)
        if r.breach is not None:
            self.breach(r, r.breach, bound)
        if r.lifetime:
            self.lifetime(r, bound)
        self.asymmetry(r)

    def asymmetry(self, r: s.Rule) -> None:
        """`asymmetric`: the parties it names exist, and the rule names some party or place to single out."""
        if r.asymmetric is None:
            return
        for p in r.asymmetric.parties:
            if p not in self.actor_ids:
                self.error(r.asymmetric.span, f"unknown party '{p}' in 'asymmetric for'",
                           hint=did_you_mean(p, self.actor_ids))
        if not set(_constants(r)) & {*self.actor_ids, *self.place_ids, *self.qualities}:
            self.warn(r.asymmetric.span, f"rule '{r.name}' is declared asymmetric but names no party, place or quality: "
                                         "it treats every party alike",
                      hint="name the party it singles out in the rule ('unless M is ...'), or drop 'asymmetric'")

    def norm(self, r: s.Rule, c: s.NormConclusion, bound: dict, trigger_decl) -> None:
        """The bearer (a member, an organ of the treaty, or the members together), the counterparty, the means."""
        if isinstance(c.bearer, s.Together):
            if r.breach is not None:
                self.error(r.breach.span, "'breached by' needs a bearer who acts alone; the members together "
                                          "cannot breach a prohibition (write the rule for each member)")
        else:
            self.term(c.bearer, bound)
            parties = [p.id for p in self.tree.parties]
            if isinstance(c.bearer, s.Const) and c.bearer.name in self.organ_ids:
                for clause in (r.breach, *(x for x in r.lifetime if isinstance(x, s.BreachClause))):
                    if clause is None:
                        continue
                    if r.trigger is None:
                        self.error(clause.span, "a standing norm borne by an organ cannot be 'breached by': "
                                                f"write a rule with 'when' for the norm of '{c.bearer.name}'")
                    elif not any(isinstance(a.value, s.ArgConst) and c.bearer.name in a.value.values
                                 for a in clause.pattern.args):
                        self.error(clause.span, f"the breach pattern must name the organ {c.bearer.name} (who "
                                                f"breached?), e.g. 'by: {c.bearer.name}'")
            elif isinstance(c.bearer, s.Const) and c.bearer.name in self.actor_ids and c.bearer.name not in parties:
                self.error(c.bearer.span, f"'{c.bearer.name}' is not a party: a treaty binds only its parties",
                           hint="an organ of the treaty is declared with 'organ ID \"Name\"'")
        if c.counterparty is not None:
            self.term(c.counterparty, bound)
        if c.means_in_order and len(c.means) < 2:
            self.warn(c.span, "an order of preference needs at least two means")
        if c.means_all and len(c.means) < 2:
            self.warn(c.span, "'means all of' needs at least two means (one means is owed alone)")
        for m in sorted(set(c.means) & set(c.means_including)):
            self.error(c.span, f"the means '{m}' is named twice: before 'including' and after it")
        if c.means_from is not None:
            self.means_from(r, c, trigger_decl)

    def means_from(self, r: s.Rule, c: s.NormConclusion, decl) -> None:
        """`means from ARG`: ARG a list of values of the scenario event that triggers the rule."""
        if c.means:
            self.error(c.span, "a norm takes its means either as written ('means a, b') or from the event "
                               "('means from ARG'), not both")
        if decl is None:
            self.error(c.span, f"'means from {c.means_from}' reads the triggering event: the rule needs a 'when'")
            return
        if decl.is_fact:
            self.error(c.span, f"'means from {c.means_from}' reads a scenario event's argument; '{decl.name}' is a "
                               "fact rules deem")
            return
        param = decl.param(c.means_from)
        if param is None or not (isinstance(param.type, s.EnumType) and param.type.is_list):
            lists = [p.name for p in decl.params if isinstance(p.type, s.EnumType) and p.type.is_list]
            self.error(c.span, f"'{c.means_from}' is not a list of values of '{decl.name}' (an argument like "
                               "'measures: (a|b|c)+')",
                       hint=did_you_mean(c.means_from, lists) or (f"lists of values: {', '.join(lists)}" if lists else None))

    def earlier(self, x: s.Earlier, bound: dict) -> None:
        """`after PATTERN [within D] [such that C]`: a scenario event type; its variables join the rule's
        (those already bound are the link); `such that` reads the earlier event (its list arguments)."""
        decl = self.pattern(x.pattern, bound)
        if decl is not None and decl.is_fact:
            self.error(x.pattern.span, f"'{decl.name}' is a fact rules deem; 'after' looks for an earlier "
                                       "event of the scenario")
        if x.within is not None and x.within.amount == 0:
            self.warn(x.within.span, "'within 0 days' allows only an earlier event of the same date")
        self.conditions(x.such_that, bound, decl)

    def quantifiers(self, r: s.Rule, bound: dict):
        """Bind the `for each` variables (a new name each); refuse more than MAX_QUANTIFIERS."""
        for q in r.quantifiers:
            if q.domain not in QUANTIFIER_DOMAINS:
                self.error(q.span, f"'for each {q.domain}': only 'for each member' is supported",
                           hint=did_you_mean(q.domain, QUANTIFIER_DOMAINS))
            for t in q.excluding:
                if isinstance(t, s.AllOf):
                    self.all_of(t, r)
                else:
                    self.term(t, bound)
            if q.var in bound:
                self.error(q.span, f"variable {q.var} is already bound")
            bound[q.var] = "actor"
        k = len(r.quantifiers)
        if k > MAX_QUANTIFIERS:
            self.error(r.quantifiers[MAX_QUANTIFIERS].span,
                       f"rule '{r.name}' has {k} 'for each'; a rule may have at most {MAX_QUANTIFIERS}",
                       hint="split the rule, or deem a fact that a second rule quantifies over")
        elif k >= COSTLY_QUANTIFIERS:
            self.warn(r.quantifiers[0].span,
                      f"rule '{r.name}' has {k} 'for each': its cost grows as the number of members to the power {k}")

    def all_of(self, x: s.AllOf, r: s.Rule) -> None:
        """`other than all of S`: S a variable the `when` pattern binds on a list argument (only there), or the
        name of a list argument of the `when` event; a list the scenario states (not `= unknown`)."""
        decl = self.events.get(r.trigger.event) if r.trigger is not None else None
        if decl is None:
            if r.trigger is None:
                self.error(x.span, f"'all of {x.name}' needs a trigger ('when ...') whose list it leaves out")
            return
        lists = [p.name for p in decl.params if p.type.is_list]
        if x.is_var:
            args = [a.name for a in r.trigger.args if isinstance(a.value, s.Var) and a.value.name == x.name]
            singles = [a for a in args if not decl.param(a) or not decl.param(a).type.is_list]
            if not args:
                self.error(x.span, f"'all of {x.name}': the 'when' pattern does not bind {x.name}",
                           hint=f"name a list argument of '{decl.name}' ({', '.join(lists)})" if lists else None)
                return
            if singles or len(args) > 1:
                self.error(x.span, f"'all of {x.name}' needs {x.name} on one list argument ('actor+' or 'actor*') "
                                   f"of '{decl.name}' and nowhere else in the pattern; it is on "
                                   + ", ".join(f"'{a}'" for a in args),
                           hint=f"to leave out one actor, write 'other than {x.name}'")
                return
            arg = args[0]
        else:
            arg = x.name
            if arg not in lists:
                self.error(x.span, f"'{arg}' is not a list argument of '{decl.name}'",
                           hint=did_you_mean(arg, lists) or (f"list arguments: {', '.join(lists)}" if lists else None))
                return
        if decl.param(arg).unknowable:
            self.error(x.span, f"'all of {x.name}': '{decl.name}' declares '{arg}' '= unknown', and an unknown list "
                               "cannot be left out", hint="declare it without '= unknown'")

    def breach(self, r: s.Rule, clause: s.BreachClause, bound: dict):
        """`breached by PATTERN where ...` on an obligation or a prohibition. `bound` holds the `for each`
        variables (and the trigger's). On a standing norm it is judged on each event; on a norm an event gave
        rise to, it looks for a later scenario event (the lifetime pass)."""
        c = r.conclusion
        breach_bound = {}
        self.pattern(clause.pattern, breach_bound)
        if not isinstance(c, s.NormConclusion) or c.modality == "permission":
            self.error(clause.span, "only an obligation ('must') or a prohibition ('must not') can be breached",
                       hint="a permission ('may') cannot be breached; it can 'end when' an event")
            return
        for var, kind in breach_bound.items():
            if bound.get(var, kind) != kind:
                self.error(clause.pattern.span, f"{var} is a member ('for each') but '{clause.pattern.event}' "
                                                f"gives it an {kind} value")
        if r.trigger is not None:
            self.later(clause.pattern, "breached by", bound)
        named = self.pattern_vars(clause.pattern)
        breach_bound = {**bound, **breach_bound}
        self.conditions(clause.where, breach_bound, self.events.get(clause.pattern.event))
        if isinstance(c.bearer, s.Var) and c.bearer.name not in named:
            self.error(clause.span, f"the breach pattern must name the bearer {c.bearer.name} (who breached?)")

    def lifetime(self, r: s.Rule, bound: dict):
        """The clauses after a norm that say what became of it: `ends when`, `discharged by`, `breached if not
        discharged within`, a second `breached by`. Each needs a norm an event gave rise to."""
        said = {s.EndsWhen: "ends when", s.DischargedBy: "discharged by", s.Deadline: "breached if not discharged within",
                s.BreachClause: "breached by"}
        c = r.conclusion
        for clause in r.lifetime:
            what = said[type(clause)]
            if not isinstance(c, s.NormConclusion):
                self.error(clause.span, f"'{what}' is a clause of a norm ('must', 'may', 'must not'), not of "
                                        f"{'a deem' if isinstance(c, s.Deem) else 'this rule'}")
                continue
            if r.trigger is None and isinstance(clause, s.BreachClause):
                self.error(clause.span, "a standing norm takes one 'breached by'; write another rule for other conduct")
                continue
            if r.trigger is None:
                self.error(clause.span, f"'{what}' needs a norm an event gives rise to (a rule with 'when'): "
                                        "a standing norm binds at all times")
                continue
            if isinstance(clause, (s.DischargedBy, s.Deadline)) and c.modality != "obligation":
                self.error(clause.span, f"only an obligation ('must') is discharged; '{what}' cannot follow "
                                        f"{'may' if c.modality == 'permission' else 'must not'!r}",
                           hint="write 'ends when EVENT(...)' for an event that ends it")
                continue
            if isinstance(clause, s.Deadline):
                if not any(isinstance(x, s.DischargedBy) for x in r.lifetime):
                    self.error(clause.span, "'breached if not discharged within' needs a 'discharged by EVENT(...)' "
                                            "clause in the rule, saying what performs the obligation")
            elif isinstance(clause, s.BreachClause):
                self.breach(r, clause, bound)
            else:
                self.pattern(clause.pattern, dict(bound))
                self.later(clause.pattern, what, bound)

    def later(self, p: s.Pattern, what: str, bound: dict):
        """A later event a norm's clause looks for: a scenario event type, linked to the norm by a variable."""
        decl = self.events.get(p.event)
        if decl is not None and decl.is_fact:
            self.error(p.span, f"'{decl.name}' is a fact rules deem; '{what}' looks for a later event of the scenario")
        elif decl is not None and not (self.pattern_vars(p) & set(bound)):
            self.warn(p.span, f"'{what} {p.event}(...)' shares no variable with the rule: any '{p.event}' event "
                              "on or after the norm's date meets it")

    @staticmethod
    def pattern_vars(p: s.Pattern) -> set:
        return ({a.value.name for a in p.args if isinstance(a.value, s.Var)}
                | {a.value.state for a in p.args if isinstance(a.value, s.ArgPlaceOf)})

    def bindings_of(self, r: s.Rule) -> dict:
        """The variables an exception to `r` may use: all that `r` binds (see `rule`), with their kinds."""
        bound = {}

        def bind(pattern: s.Pattern):
            decl = self.events.get(pattern.event)
            for a in pattern.args:
                p = decl.param(a.name) if decl is not None else None
                if isinstance(a.value, s.ArgPlaceOf) and p is not None:
                    bound.setdefault(a.value.place, "place")
                    bound.setdefault(a.value.state, "actor")
                if isinstance(a.value, s.Var) and p is not None:
                    bound.setdefault(a.value.name, _kind_of(p))
                    if isinstance(p.type, s.EnumType):
                        self.enum_values[a.value.name] = p.type.values

        if r.trigger is not None:
            bind(r.trigger)
        if r.after is not None:
            bind(r.after.pattern)
        for q in r.quantifiers:
            bound.setdefault(q.var, "actor")
        if r.breach is not None:
            bind(r.breach.pattern)
        return bound

    def rules_all(self):
        for r in self.tree.rules:
            self.rules.setdefault(r.name, r)
        for r in self.tree.rules:
            self.rule(r)

    # ---- the model's status and quotes -------------------------------------------------
    def status_and_quotes(self):
        """`source` names a known kind and an article with a text; each rule's `quote` occurs in its article's text."""
        hints = 0
        for a in self.tree.blocks:
            label = a.label
            texts = [x.body for x in a.texts]
            if a.source is not None:
                if a.source.kind not in s.SOURCE_KINDS:
                    self.error(a.source.span, f"unknown source '{a.source.kind}'; expected "
                                              f"{', '.join(s.SOURCE_KINDS)}", hint=did_you_mean(a.source.kind, s.SOURCE_KINDS))
                if not texts:
                    self.error(a.source.span, f"{label} has no text: 'source' says how sure the article's text is",
                               hint="give the text ('text en \"...\"'), or say in an 'uncertain' note that none is known")
            normal = [passages.normal(x) for x in texts]  # once per article, not once per quote
            for r in a.rules:
                if r.quote is None:
                    continue
                if not texts:
                    self.error(r.quote.span, f"rule '{r.name}' quotes {label}, which has no text")
                elif not any(passages.normal(r.quote.phrase) in x for x in normal):
                    hints += 1  # a hint compares the phrase with every run of words: only the first few get one
                    near = passages.closest(normal, r.quote.phrase) if hints <= QUOTE_HINTS else None
                    self.error(r.quote.span, f"the quote of rule '{r.name}' is not in the text of {label}",
                               hint=f"did you mean '{near}'?" if near else "quote words of the article's text, as written")

    # ---- whole-treaty checks ---------------------------------------------------------
    def usage(self):
        matched = set()
        deemed = set()
        for r in self.tree.rules:
            if r.trigger:
                matched.add(r.trigger.event)
            if r.after:
                matched.add(r.after.pattern.event)
            if r.breach:
                matched.add(r.breach.pattern.event)
            matched.update(x.pattern.event for x in r.lifetime if not isinstance(x, s.Deadline))
            if isinstance(r.conclusion, s.Deem):
                deemed.add(r.conclusion.pattern.event)
        h = self.tree.header
        if h is not None and isinstance(h.entry_into_force, s.AfterEvents):
            matched.add(h.entry_into_force.event)
        for e in self.tree.events:
            if e.name not in matched:
                self.warn(e.span, f"{'fact' if e.is_fact else 'event type'} '{e.name}' is declared but no rule uses it")
            if e.is_fact and e.name not in deemed:
                self.warn(e.span, f"fact '{e.name}' is never deemed by any rule")
        for r in self.tree.rules:
            if r.trigger and r.trigger.event in self.events:
                d = self.events[r.trigger.event]
                if d.is_fact and d.name not in deemed:
                    self.warn(r.trigger.span, f"rule '{r.name}' can never apply: no rule deems '{d.name}'")
        for a in self.tree.articles:
            if not a.rules and not a.notes:
                self.warn(a.span, f"article {a.number} has no rule and no note saying why")
        self.deem_cycles()
        self.derivations()
        self.conflicts()

    def deem_cycles(self):
        """Report each circle of deeming (a depth-first walk with its own stack: chains may be long)."""
        edges = _deem_edges(self.tree)
        spans = {}
        for r in self.tree.rules:
            if r.trigger and isinstance(r.conclusion, s.Deem):
                spans[(r.trigger.event, r.conclusion.pattern.event)] = r.span
        successors = {node: sorted(set(targets)) for node, targets in edges.items()}
        done: set[str] = set()
        for root in sorted(successors):
            if root in done:
                continue
            path = [root]  # the nodes being visited, root first
            on_path = {root: 0}  # node -> its index in path
            stack = [iter(successors[root])]
            while stack:
                node = path[-1]
                nxt = next(stack[-1], None)
                if nxt is None:  # every successor of node visited
                    stack.pop()
                    path.pop()
                    del on_path[node]
                    done.add(node)
                elif nxt in on_path:
                    cycle = path[on_path[nxt]:] + [nxt]
                    self.error(spans[(node, nxt)], f"deeming goes round in a circle: {' -> '.join(cycle)}")
                elif nxt not in done:
                    on_path[nxt] = len(path)
                    path.append(nxt)
                    stack.append(iter(successors.get(nxt, ())))

    def derivations(self):
        """Warn where deeming multiplies the ways an event reaches a rule past MAX_DERIVATION_PATHS."""
        try:
            paths = derivation_paths(self.tree)
        except ValueError:  # a circle of deeming, reported as an error by deem_cycles
            return
        worst = {name: max((n, event) for event, n in per.items()) for name, per in paths.items()}
        fed_by: dict[str, list[str]] = {}  # event type -> the deem rules that conclude it
        for r in self.tree.rules:
            if r.trigger is not None and isinstance(r.conclusion, s.Deem):
                fed_by.setdefault(r.conclusion.pattern.event, []).append(r.name)
        # warn where a chain first passes the limit, not again on every rule after it: an entry event is
        # "fed within the limit" when every deem rule concluding it is (judged once per event type)
        fed_within = {event: all(worst.get(f, (0,))[0] <= MAX_DERIVATION_PATHS for f in feeders)
                      for event, feeders in fed_by.items()}
        seen = set()
        for r in self.tree.rules:
            if r.name not in worst or r.name in seen:
                continue
            seen.add(r.name)
            count, event = worst[r.name]
            if count > MAX_DERIVATION_PATHS and fed_within.get(_entry_event(r), True):
                self.warn(r.span, f"one '{event}' event reaches rule '{r.name}' along {count:,} different chains of "
                                  f"'deem' rules (more than {MAX_DERIVATION_PATHS:,}): it and the rules after it "
                                  f"are evaluated that many times over",
                          hint="deem each fact by one rule, or match the event itself")

    def only_conditional(self):
        """Warn where a rule tests an `= unknown` argument of a fact that no rule deems with a value: the fact
        always leaves it unknown, so the rule can only ever conclude conditionally (or, binding it, never)."""
        set_by: dict[str, set] = {}  # fact type -> the arguments some deem gives a value
        for r in self.tree.rules:
            if isinstance(r.conclusion, s.Deem):
                given = {a.name for a in r.conclusion.pattern.args if not isinstance(a.value, s.ArgAny)}
                set_by.setdefault(r.conclusion.pattern.event, set()).update(given)
        for r in self.tree.rules:
            for pattern in (r.trigger, r.breach.pattern if r.breach is not None else None):
                decl = self.events.get(pattern.event) if pattern is not None else None
                if decl is None or not decl.is_fact:
                    continue
                for a in pattern.args:
                    param = decl.param(a.name)
                    if (param is None or not param.unknowable or isinstance(a.value, s.ArgAny)
                            or a.name in set_by.get(pattern.event, ())):
                        continue
                    self.warn(a.span, f"rule '{r.name}' tests '{a.name}' of the fact '{pattern.event}', which is "
                                      "'= unknown' and which no rule deems with a value: the rule can only ever "
                                      "conclude conditionally (or never, where it binds a variable from it)",
                              hint=f"give '{a.name}' a value in the rule that deems '{pattern.event}', or test it with '_'")

    def conflicts(self):
        """Two rules on the same trigger that oblige and forbid the same act. Rules are grouped by (action,
        trigger) in one pass; then every obliging-forbidding pair within a group is one warning, so the
        work beyond the pass is proportional to the warnings printed."""
        groups: dict[tuple, list[s.Rule]] = {}
        for r in self.tree.rules:
            c = r.conclusion
            if isinstance(c, s.NormConclusion) and c.modality != "permission":
                groups.setdefault((c.action, r.trigger.event if r.trigger else None), []).append(r)
        dated = {r.name: (a.valid_from or dt.date.min, a.valid_until or dt.date.max)
                 for a in self.tree.articles if a.versioned for r in a.rules}

        def disjoint(a, b) -> bool:  # rules of article versions that never apply on the same date
            return a.name in dated and b.name in dated and (dated[a.name][1] < dated[b.name][0]
                                                            or dated[b.name][1] < dated[a.name][0])

        for (action, ta), rules in groups.items():
            obliging = [r for r in rules if r.conclusion.modality == "obligation"]
            forbidding = [r for r in rules if r.conclusion.modality == "prohibition"]
            for pair in ((a, b) for a in obliging for b in forbidding if not disjoint(a, b)):
                first, second = sorted(pair, key=lambda r: r.span.line)
                verb = "forbid" if second.conclusion.modality == "prohibition" else "oblige"
                other = "obliges" if verb == "forbid" else "forbids"
                self.warn(second.span, f"normative conflict: '{second.name}' and '{first.name}' (article {first.article}) "
                                       f"both apply on {'every ' + ta if ta else 'no event'} and {verb} what the other "
                                       f"{other}: '{action}'")


def _constants(node):
    """Every constant a syntax node names (actors, places, enumeration values), at any depth."""
    if isinstance(node, s.Const):
        yield node.name
    elif isinstance(node, s.ArgConst):
        yield from node.values
    elif isinstance(node, (s.IsIn, s.IsKind)):  # a region, a quality
        yield node.region if isinstance(node, s.IsIn) else node.kind
        yield from _constants(node.term)
    elif isinstance(node, tuple):
        for x in node:
            yield from _constants(x)
    elif attrs.has(type(node)) and not isinstance(node, s.Asymmetry):
        for f in attrs.fields(type(node)):
            yield from _constants(getattr(node, f.name))


def _kind_of(param: s.Param) -> str:
    """What a variable on this argument stands for: 'actor' or 'enum'."""
    if isinstance(param.type, s.EnumType):
        return "enum"
    if isinstance(param.type, s.ActorType):
        return "actor"
    if isinstance(param.type, s.PlaceType):
        return "place"
    _unknown(param.type, "argument type")


def _entry_event(r: s.Rule) -> str | None:
    """The event type (or fact) whose occurrence sets a rule to work: its trigger's, else its breach's."""
    if r.trigger is not None:
        return r.trigger.event
    if r.breach is not None:
        return r.breach.pattern.event
    return None


def _deem_edges(tree: s.TreatyFile) -> dict[str, list[str]]:
    """Event type -> the event types deemed from it, once per `deem` rule (parallel rules repeat a target)."""
    edges: dict[str, list[str]] = {}
    for r in tree.rules:
        if r.trigger is not None and isinstance(r.conclusion, s.Deem):
            edges.setdefault(r.trigger.event, []).append(r.conclusion.pattern.event)
    return edges


def derivation_paths(tree: s.TreatyFile) -> dict[str, dict[str, int]]:
    """How many ways one scenario event reaches each rule: {rule name: {event type: number of chains}}.

    A chain is a sequence of `deem` rules, each matching what the one before concluded (none: the rule
    matches the event itself), from a scenario event type (an `event`, not a `fact`) to the type a rule
    matches (its trigger, or for a standing prohibition its `breached by` pattern). Two `deem` rules with
    the same trigger and the same conclusion are two chains. Rules no event reaches, and exceptions, are
    absent; event types that do not reach a rule are absent from its dict. Counted by dynamic programming
    over the deeming graph in topological order (time linear in its size times the number of event
    types), never by enumerating chains, so counts may be astronomically large (exact ints).

    Raises ValueError if deeming goes round in a circle (then `check` reports an error anyway).
    """
    edges = _deem_edges(tree)
    nodes = {e.name for e in tree.events} | set(edges) | {t for ts in edges.values() for t in ts}
    indegree = dict.fromkeys(nodes, 0)
    for targets in edges.values():
        for t in targets:
            indegree[t] += 1
    ready = sorted(n for n, d in indegree.items() if d == 0)
    counts: dict[str, dict[str, int]] = {n: {} for n in nodes}
    for e in tree.events:
        if not e.is_fact:
            counts[e.name][e.name] = 1
    visited = 0
    while ready:
        node = ready.pop()
        visited += 1
        here = counts[node]
        for t in edges.get(node, ()):
            there = counts[t]
            for event, n in here.items():
                there[event] = there.get(event, 0) + n
            indegree[t] -= 1
            if indegree[t] == 0:
                ready.append(t)
    if visited != len(nodes):
        raise ValueError("deeming goes round in a circle")
    out: dict[str, dict[str, int]] = {}
    for r in tree.rules:
        entry = _entry_event(r)
        if r.exception_to is None and entry is not None and counts.get(entry) and r.name not in out:
            out[r.name] = dict(counts[entry])
    return out


def costliest_derivation(tree: s.TreatyFile) -> tuple[int, str, str] | None:
    """(number of chains, rule name, event type) for the rule an event reaches in the most ways, or None."""
    best = None
    for rule, per in derivation_paths(tree).items():
        for event, n in per.items():
            if best is None or (n, rule, event) > best:
                best = (n, rule, event)
    return best


def strict_warnings(tree: s.TreatyFile) -> list[Diagnostic]:
    """What only `--strict` asks: every article with rules declares how sure its text is and whether its
    rules were reviewed (the model's status, which reports print; see docs/language.md)."""
    c = _Checker(tree)
    for a in tree.blocks:
        if not a.rules:
            continue
        label = a.label
        missing = [what for what, given in (("how sure its text is ('source KIND \"...\"')", a.source),
                                            ("whether its rules were reviewed ('reviewed \"...\"' or 'unreviewed')",
                                             a.review)) if given is None]
        if missing:
            c.warn(a.span, f"{label} has rules but does not say {' nor '.join(missing)}",
                   hint=f"KIND is one of {', '.join(s.SOURCE_KINDS)}")
    return c.out


def _position(d: Diagnostic):
    span = d.span
    return (span.file, span.line, span.column) if span is not None else ("", 0, 0)


def check(tree: s.TreatyFile) -> list[Diagnostic]:
    """Every diagnostic for a treaty: errors first, then warnings, each in file order (line, column)."""
    c = _Checker(tree)
    c.declarations()
    if tree.header is None and tree.vocabulary is not None:  # a vocabulary file, not a treaty: said once
        return ordered(c.out)
    c.rules_all()
    c.status_and_quotes()
    c.usage()
    c.only_conditional()
    if tree.uses:  # on use: a treaty that reads no vocabulary loads none
        from treatylang.lang.vocabulary import check_uses

        c.out += check_uses(tree, c)
    return ordered(c.out)


def check_vocabulary(tree: s.TreatyFile) -> list[Diagnostic]:
    """A vocabulary file holds its `vocabulary` line, qualities, places and events: nothing that binds."""
    c = _Checker(tree)
    binding = (("a treaty header", (tree.header,) if tree.header else ()), ("a party", tree.parties),
               ("an actor", tree.actors), ("an organ", tree.organs), ("an article", tree.blocks),
               ("a 'uses'", tree.uses))
    for word, nodes in binding:
        for node in nodes:
            c.error(node.span, f"a vocabulary declares events, places and qualities only, not {word}")
    for e in tree.events:
        if e.is_fact:
            c.error(e.span, f"'{e.name}' is a fact; a vocabulary declares events a scenario states (each treaty "
                            "deems its own facts)")
    c.duplicates([(e.name, e.span) for e in tree.events], "event type")
    c.event_declarations()
    c.places_and_qualities()
    return ordered(c.out)


def ordered(diagnostics) -> list[Diagnostic]:
    """Errors first, then warnings, each in file order (line, column)."""
    return sorted(diagnostics, key=lambda d: (d.severity != "error", *_position(d), d.message))
