"""Property tests over any treaty: hypothesis strategies for scenarios, and renaming helpers.

    from hypothesis import given
    import treatylang
    from treatylang.testing import scenarios, renamings, rename_scenario, rename_result, outcome

    pact = treatylang.load_treaty("pact.treaty")

    @given(scenarios(pact, max_events=2), renamings(pact))
    def test_renaming(scenario, renaming):
        before = treatylang.evaluate(pact, scenario)
        after = treatylang.evaluate(pact, rename_scenario(scenario, renaming))
        assert outcome(after) == rename_result(before, renaming)

Strategies build scenarios from the treaty's own declarations (event types and their typed arguments,
parties, declared actors), so they work for a treaty this module has never seen. The helpers that do not
generate (renaming, `outcome`, YAML output) need no hypothesis and are also used by `treaty verify`.
"""

from __future__ import annotations

import datetime as dt
from itertools import combinations

import attrs
import yaml

from treatylang.ir.places import PlaceId, make_world, qualities_of, renamed
from treatylang.ir.treaty import CompiledTreaty
from treatylang.model import ACTOR_KINDS, UNKNOWN
from treatylang.model import Actor, Breach, Effect, Event, Norm, Scenario

__all__ = [
    "GeneratedScenario", "fixed_by", "make_scenario", "outcome", "outsiders_of", "rename_result",
    "rename_scenario", "renamings", "scenario_to_data", "scenario_to_yaml", "scenarios", "swaps",
]

_OUTSIDER_STEMS = {"state": "third_state", "organization": "organization", "armed_group": "armed_group"}
FALLBACK_START = dt.date(2000, 1, 1)


# ---- building scenarios directly (no YAML round trip) ----------------------------------------------------
class GeneratedScenario(Scenario):
    """A Scenario that shows itself as YAML, so a failing example reads like a scenario file."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "\n" + scenario_to_yaml(self)

    def _repr_pretty_(self, p, cycle) -> None:  # hypothesis and IPython print failing examples with this
        p.text(repr(self))


def outsiders_of(treaty: CompiledTreaty, kinds) -> dict[str, str]:
    """Ids for actors outside the treaty, one per kind given (in order): {id: kind}.

    Ids say the kind (`third_state`, `organization`, `armed_group`, numbered when a kind repeats) and never
    clash with a name the treaty declares.
    """
    kinds = list(kinds)
    for k in kinds:
        if k not in ACTOR_KINDS:
            raise ValueError(f"unknown actor kind {k!r}; expected one of {', '.join(ACTOR_KINDS)}")
    out: dict[str, str] = {}
    seen: dict[str, int] = {}
    for k in kinds:
        stem = _OUTSIDER_STEMS[k]
        seen[k] = seen.get(k, 0) + 1
        ident = stem if kinds.count(k) == 1 else f"{stem}_{seen[k]}"
        while treaty.resolve_actor(ident) is not None or ident in out:
            ident += "_x"
        out[ident] = k
    return out


def full_args(decl, given: dict) -> dict:
    """An event's arguments as the scenario reader stores them: every parameter, defaults filled in."""
    args = {}
    for p in decl.params:
        v = given.get(p.name)
        if p.unknowable and (v is UNKNOWN or p.name not in given):  # left out: unknown
            args[p.name] = UNKNOWN
            continue
        if p.type.is_list:
            v = tuple(v) if isinstance(v, (list, tuple)) else ((v,) if v is not None else ())
        elif v is None and p.default is not None and not p.unknowable:  # None: known to be none
            v = p.default
        args[p.name] = v
    return args


def make_scenario(treaty: CompiledTreaty, events, outsiders: dict[str, str] | None = None, *,
                  title: str = "generated scenario", as_of: dt.date | None = None,
                  file: str = "<generated>", treaty_path: str | None = None) -> GeneratedScenario:
    """A scenario from `(type, date, {argument: value})` triples, in file order; `outsiders` is {id: kind}.

    Nothing is validated here beyond what the types require: strategies and `treaty verify` only produce
    valid arguments (a test checks that the YAML of a generated scenario loads to the same scenario).
    """
    outsiders = outsiders or {}
    built = [Event(f"e{i + 1}", etype, date, full_args(treaty.events[etype], args), i)
             for i, (etype, date, args) in enumerate(events)]
    built.sort(key=lambda e: (e.date, e.index))
    kinds = dict(treaty.actor_kinds)
    kinds.update(outsiders)
    if treaty.qualities or treaty.places:  # the treaty's qualities and places, as a scenario reader gives them
        kinds = make_world(treaty, kinds)
    return GeneratedScenario(title, file, tuple(built), outsider_actors(outsiders), as_of=as_of, treaty=treaty,
                             treaty_path=treaty_path, kinds=kinds)


def outsider_actors(outsiders: dict[str, str]) -> dict[str, Actor]:
    """The `actors` of a scenario that declares these outsiders ({id: kind})."""
    return {i: Actor(i, i.replace("_", " ").title(), k) for i, k in outsiders.items()}


# ---- renaming ----------------------------------------------------------------------------------------------
def _check_mapping(mapping: dict) -> None:
    if len(set(mapping.values())) != len(mapping):
        raise ValueError(f"a renaming must not send two actors to the same one: {mapping!r}")


def rename_scenario(scenario: Scenario, mapping: dict[str, str]) -> Scenario:
    """The same scenario with actors renamed (`{"north": "south", "south": "north"}`); dates and ids stay.

    Only actor values are renamed (values that are actors of the scenario), never enumeration values.
    """
    _check_mapping(mapping)
    kinds = scenario.kinds

    def ren(v):
        if isinstance(v, tuple):
            return tuple(ren(x) for x in v)
        if isinstance(v, PlaceId):  # a place keeps its id; the State whose territory it is is renamed
            return PlaceId(v, mapping.get(v.of, v.of))
        return mapping.get(v, v) if v in kinds else v

    events = tuple(Event(e.id, e.type, e.date, {k: ren(v) for k, v in e.args.items()}, e.index, e.span,
                         until=e.until) for e in scenario.events)
    actors = {mapping.get(i, i): attrs.evolve(a, id=mapping.get(i, i)) for i, a in scenario.actors.items()}
    new_kinds = renamed(kinds, mapping)
    return attrs.evolve(scenario, events=events, actors=actors, kinds=new_kinds)


def fixed_by(scenario: Scenario, mapping: dict[str, str]) -> bool:
    """Whether renaming leaves the scenario as it is (the actors renamed play the same part in it)."""
    return _event_key(rename_scenario(scenario, mapping)) == _event_key(scenario)


def _event_key(scenario: Scenario):
    """The events as plain values; a list argument as a set (its order says nothing)."""
    return tuple((e.id, e.type, e.date, tuple(sorted((k, tuple(sorted(v)) if isinstance(v, tuple) else v)
                                                     for k, v in e.args.items())))
                 for e in scenario.events)


def _strategies():
    try:
        from hypothesis import strategies as st
    except ImportError as e:  # pragma: no cover - hypothesis is a test dependency
        raise ImportError("treatylang.testing strategies need hypothesis: pip install 'treatylang[test]'") from e
    return st


def renamings(treaty: CompiledTreaty):
    """Permutations of the treaty's parties, as {old id: new id} (the identity included)."""
    st = _strategies()
    parties = list(treaty.parties)
    return st.permutations(parties).map(lambda perm: dict(zip(parties, perm)))


def swaps(treaty: CompiledTreaty):
    """Two distinct parties exchanged, as {a: b, b: a}."""
    st = _strategies()
    pairs = list(combinations(treaty.parties, 2))
    if not pairs:
        raise ValueError("swaps() needs a treaty with at least two parties")
    return st.sampled_from(pairs).map(lambda ab: {ab[0]: ab[1], ab[1]: ab[0]})


# ---- comparing results ---------------------------------------------------------------------------------
# The keys of the plain rows (`Norm.row()` ...) an outcome keeps, in tuple order; explanations are left out.
NORM_ROW_KEYS = ("bearer", "modality", "action", "counterparty", "article", "rule", "event", "date", "status", "ended",
                 "ended_by")
BREACH_ROW_KEYS = ("party", "article", "rule", "event", "date", "norm_event", "deadline")
EFFECT_ROW_KEYS = ("party", "change", "from", "article", "rule", "event")
ACTOR_ROW_KEYS = ("bearer", "counterparty", "party")  # what a renaming of actors changes


def norm_row(n) -> tuple:
    """(bearer, modality, action, counterparty, article, rule, event, date, status, ended, ended_by) of
    `n.row()`: hashable."""
    return n.key()


def norm_rows(norms) -> frozenset:
    return frozenset(map(Norm.key, norms))


def outcome(result, *, standing_rows: frozenset | None = None) -> dict:
    """What a result says, as sets of plain rows, so two results compare with `==` (and diff readably).

    Keys: members (sorted), norms, standing, breaches, effects. Norm rows are
    (bearer, modality, action, counterparty, article, rule, event, date, status, ended, ended_by);
    explanations are left out.
    `standing_rows` may give `norm_rows(result.standing)` when the caller has it already.
    """
    return {
        "members": sorted(result.members),
        "norms": norm_rows(result.norms),
        "standing": norm_rows(result.standing) if standing_rows is None else standing_rows,
        "breaches": frozenset(map(Breach.key, result.breaches)),
        "effects": frozenset(map(Effect.key, result.effects)),
    }


def rename_result(result, mapping: dict[str, str]) -> dict:
    """`outcome(result)` with actors renamed: what the renamed scenario should give if names do not matter.

    `result` may be a Result or an outcome already computed.
    """
    _check_mapping(mapping)
    o = result if isinstance(result, dict) else outcome(result)
    get = mapping.get
    out = {"members": sorted(get(m, m) for m in o["members"])}
    for key, counterparty in _ACTORS_IN.items():  # (a comprehension per row kind: `treaty verify` renames millions)
        rows = o[key]
        if counterparty:
            out[key] = frozenset([(get(r[0], r[0]), r[1], r[2], get(r[3], r[3]), *r[4:]) for r in rows])
        else:
            out[key] = frozenset([(get(r[0], r[0]), *r[1:]) for r in rows])
    return out


def _names_a_counterparty(keys) -> bool:
    """Whether rows of this kind name a second actor: rename_result relies on the shapes (an actor first; a
    counterparty, if any, fourth)."""
    at = [i for i, k in enumerate(keys) if k in ACTOR_ROW_KEYS]
    assert at in ([0], [0, 3]), keys
    return at == [0, 3]


_ACTORS_IN = {"norms": _names_a_counterparty(NORM_ROW_KEYS), "standing": _names_a_counterparty(NORM_ROW_KEYS),
              "breaches": _names_a_counterparty(BREACH_ROW_KEYS), "effects": _names_a_counterparty(EFFECT_ROW_KEYS)}


# ---- writing a scenario back as YAML -----------------------------------------------------------------
def scenario_to_data(scenario: Scenario, treaty_path: str | None = None, expect: dict | None = None) -> dict:
    """The scenario in the shape of a scenario file (DESIGN §4): what `load_scenario` reads back."""
    data: dict = {"title": scenario.title}
    path = treaty_path or scenario.treaty_path
    if path:
        data["treaty"] = path
    if scenario.as_of is not None:
        data["as_of"] = scenario.as_of
    if scenario.actors:
        data["actors"] = {i: {"name": a.name, "kind": a.kind, **_qualities_item(scenario.kinds, i)}
                          for i, a in scenario.actors.items()}
    events = []
    for e in sorted(scenario.events, key=lambda e: e.index):
        item: dict = {}
        if e.id != f"e{e.index + 1}":
            item["id"] = e.id
        item["type"] = e.type
        item["date"] = e.date
        decl = scenario.treaty.events[e.type] if scenario.treaty is not None else None
        for k, v in e.args.items():
            if v is UNKNOWN:
                continue  # left out: unknown
            if decl is not None and decl.param(k).unknowable and (v is None or v == ()):
                item[k] = "none" if v is None else []  # stated known: none, nobody
                continue
            if v is None or v == ():
                continue
            item[k] = v[0] if isinstance(v, tuple) and len(v) == 1 else list(v) if isinstance(v, tuple) else v
        events.append(item)
    data["events"] = events
    if expect:
        data["expect"] = expect
    return data


def _qualities_item(kinds, ident) -> dict:
    qualities = sorted(qualities_of(kinds, ident))
    return {"is": qualities} if qualities else {}


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:  # a date used twice is written twice, not as an anchor
        return True


def _str(dumper, value):
    # article numbers and other digit strings stay strings when read back
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(PlaceId, _str)  # a place is written by its id


def scenario_to_yaml(scenario: Scenario, treaty_path: str | None = None, expect: dict | None = None) -> str:
    """The scenario as YAML text that `treaty eval` (and, with `expect`, `treaty test`) runs."""
    return data_to_yaml(scenario_to_data(scenario, treaty_path, expect))


def data_to_yaml(data: dict) -> str:
    """A scenario's data (`scenario_to_data`, perhaps added to) as the YAML text a scenario file holds."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, default_flow_style=None, allow_unicode=True, width=110)


# ---- strategies --------------------------------------------------------------------------------------------
def _arg_strategy(st, param, pool, places=()):
    t = param.type
    if str(t).startswith("place"):  # the treaty's places, as the scenario reader gives them
        pool = places
        if not pool:
            return st.just(None if not t.is_list else ())
    if hasattr(t, "values"):  # enumeration: the default first, so examples shrink towards it
        values = list(t.values)
        if param.default in values:
            values.remove(param.default)
            values.insert(0, param.default)
        pool = values
    item = st.sampled_from(pool)
    if t.cardinality == "":
        return item
    if t.cardinality == "?":
        return st.none() | item
    return st.lists(item, min_size=1 if t.cardinality == "+" else 0, max_size=len(pool), unique=True).map(tuple)


def scenarios(treaty: CompiledTreaty, *, max_events: int = 3, min_events: int = 0, outsiders: int = 2,
              kinds=ACTOR_KINDS, event_types=None, before_entry: bool = False, days: int = 400,
              start: dt.date | None = None):
    """Valid scenarios over `treaty`: a hypothesis strategy.

    - events: between `min_events` and `max_events`, of the types the treaty lets a scenario state
      (or only `event_types`), each argument drawn as its declaration says (`actor`, `actor?` possibly absent,
      `actor+` one or more distinct actors, `actor*` zero or more, enumerations);
    - actors: the parties, the actors the treaty declares, and `outsiders` other actors, each of a kind drawn
      from `kinds` (state, organization, armed_group);
    - dates: within `days` days on or after entry into force (or `start`), and also before it if
      `before_entry`.
    """
    st = _strategies()
    visible = sorted(n for n, d in treaty.events.items() if not d.is_fact)
    types = list(event_types) if event_types is not None else visible
    unknown = [t for t in types if t not in visible]
    if unknown:
        raise ValueError(f"unknown event type(s) {unknown}; this treaty lets a scenario state {', '.join(visible)}")
    if not types and max_events > 0:
        raise ValueError("the treaty declares no event type a scenario may state")
    anchor = start or treaty.fixed_entry_date or treaty.signed or FALLBACK_START
    kinds = tuple(kinds)
    fixed = list(treaty.parties) + [a.id for a in treaty.syntax.actors]
    places = [PlaceId(p.id, p.of) for p in treaty.places.values()]

    @st.composite
    def draw(draw):
        drawn = draw(st.lists(st.sampled_from(kinds), min_size=outsiders, max_size=outsiders)) if kinds else []
        others = outsiders_of(treaty, sorted(drawn, key=kinds.index))
        pool = fixed + list(others)
        events = []
        if pool:
            one_event = st.tuples(
                st.sampled_from(types).flatmap(lambda t: st.tuples(st.just(t), st.fixed_dictionaries(
                    {p.name: _arg_strategy(st, p, pool, places) for p in treaty.events[t].params}))),
                st.integers(-days if before_entry else 0, days),
            )
            for (etype, args), offset in draw(st.lists(one_event, min_size=min_events, max_size=max_events)):
                events.append((etype, anchor + dt.timedelta(days=offset), args))
        return make_scenario(treaty, events, others)

    return draw()
