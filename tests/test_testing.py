"""treatylang.testing: the strategies make valid scenarios for any treaty, and the Charter's properties hold."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import treatylang
from treatylang.testing import (fixed_by, outcome, rename_result, rename_scenario, renamings, scenario_to_yaml,
                                scenarios, swaps)

ROOT = Path(__file__).resolve().parent.parent
CHARTER = treatylang.load_treaty(ROOT / "specs" / "aes_charter.treaty")

# A tiny treaty of another shape: two parties, a declared organization, every argument type.
TINY = treatylang.parse_treaty('''
treaty tiny "Tiny Pact"
  signed 2021-06-01 at "Here"
  in force on signature

party north "North" aka "N"
party south "South"
actor council "Regional Council" kind organization

event incident(where: actor, by: actor?, witnesses: actor*, level: minor|major = minor)
  "An incident on a State's territory."
event summit(among: actor+)
  "A summit of some States."

article 1 "Help"
  text en "After a major incident on a party's territory, the other party shall help it."
  rule help:
    when incident(where: V, level: major)
    where V is a member
    for each member M other than V:
    M must help V
''', "tiny.treaty")

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def plain_events(scenario):
    return [(e.id, e.type, e.date, e.args) for e in sorted(scenario.events, key=lambda e: e.index)]


@pytest.mark.parametrize("treaty", [CHARTER, TINY], ids=["charter", "tiny"])
def test_generated_scenarios_are_valid_scenario_files(treaty, tmp_path_factory):
    folder = tmp_path_factory.mktemp("generated")

    @FAST
    @given(scenarios(treaty, max_events=3, before_entry=True))
    def check(scenario):
        path = folder / "s.yaml"
        path.write_text(scenario_to_yaml(scenario), encoding="utf-8")
        loaded = treatylang.load_scenario(path, treaty)  # the validator accepts it...
        assert plain_events(loaded) == plain_events(scenario)  # ...and reads back the same scenario
        assert loaded.kinds == scenario.kinds
        treatylang.evaluate(treaty, scenario).to_json()

    check()


def test_arguments_follow_their_declarations():
    seen = {"absent_by": False, "no_witness": False, "many_witnesses": False, "major": False, "council": False}

    @settings(max_examples=100, deadline=None)
    @given(scenarios(TINY, min_events=1, max_events=2, outsiders=1, kinds=["armed_group"]))
    def check(scenario):
        for e in scenario.events:
            if e.type == "incident":
                assert e.args["where"] and isinstance(e.args["witnesses"], tuple)
                assert len(set(e.args["witnesses"])) == len(e.args["witnesses"])
                seen["absent_by"] |= e.args["by"] is None
                seen["no_witness"] |= e.args["witnesses"] == ()
                seen["many_witnesses"] |= len(e.args["witnesses"]) > 1
                seen["major"] |= e.args["level"] == "major"
                seen["council"] |= "council" in (e.args["where"], e.args["by"], *e.args["witnesses"])
            else:
                assert len(e.args["among"]) >= 1
            assert e.date >= TINY.signed
        assert scenario.kinds["armed_group"] == "armed_group"

    check()
    assert all(seen.values()), seen


def test_event_types_and_dates_can_be_restricted():
    @FAST
    @given(scenarios(CHARTER, min_events=1, max_events=2, event_types=["blockade"], days=0))
    def check(scenario):
        assert {e.type for e in scenario.events} == {"blockade"}
        assert {e.date for e in scenario.events} == {CHARTER.signed}

    check()
    with pytest.raises(ValueError, match="aggression"):  # a fact, not an event a scenario may state
        scenarios(CHARTER, event_types=["aggression"])


@settings(max_examples=5, deadline=None)
@given(scenarios(TINY, min_events=1, max_events=1))
def test_a_generated_scenario_prints_as_yaml(scenario):
    assert repr(scenario).lstrip().startswith("title: generated scenario\nactors:")


def test_rename_scenario_renames_actors_only():
    data = {"title": "t", "events": [{"type": "incident", "date": "2021-07-01", "where": "north",
                                      "witnesses": ["south", "council"], "level": "major"}]}
    scenario = treatylang.scenario_from_dict(data, TINY)
    swapped = rename_scenario(scenario, {"north": "south", "south": "north"})
    assert swapped.events[0].args == {"where": "south", "by": None, "witnesses": ("north", "council"),
                                      "level": "major"}
    assert not fixed_by(scenario, {"north": "south", "south": "north"})
    with pytest.raises(ValueError):
        rename_scenario(scenario, {"north": "south", "council": "south"})


# ---- the Charter's structure, by property tests ------------------------------------------------------------
@FAST
@given(scenarios(CHARTER, max_events=3), renamings(CHARTER))
def test_charter_renaming_invariance(scenario, renaming):
    before = treatylang.evaluate(CHARTER, scenario)
    after = treatylang.evaluate(CHARTER, rename_scenario(scenario, renaming))
    assert outcome(after) == rename_result(before, renaming)


@FAST
@given(scenarios(CHARTER, max_events=2, event_types=["attack", "blockade", "rebellion", "terrorism"]))
def test_charter_members_in_the_same_position_bear_the_same_norms(scenario):
    result = outcome(treatylang.evaluate(CHARTER, scenario))
    for a, b in itertools.combinations(CHARTER.parties, 2):
        if fixed_by(scenario, {a: b, b: a}):
            assert rename_result(result, {a: b, b: a}) == result


@FAST
@given(st.sampled_from(CHARTER.parties), st.sampled_from(["state", "organization", "armed_group"]), swaps(CHARTER))
def test_charter_symmetry_of_an_attack_by_a_non_member(victim, kind, swap):
    data = {"title": "t", "actors": {"x": {"kind": kind}},
            "events": [{"type": "attack", "date": "2024-01-10", "target": victim, "by": "x"}]}
    scenario = treatylang.scenario_from_dict(data, CHARTER)
    result = treatylang.evaluate(CHARTER, scenario)
    others = [m for m in CHARTER.parties if m != victim]
    norms = {m: {(n.modality, n.action, n.counterparty, n.article) for n in result.norms if n.bearer == m}
             for m in others}
    assert norms[others[0]] == norms[others[1]] != set()
    swapped = treatylang.evaluate(CHARTER, rename_scenario(scenario, swap))
    assert outcome(swapped) == rename_result(result, swap)


# ---- the examples of docs/properties.md run -------------------------------------------------------------------
def test_the_property_examples_in_the_docs_run(tmp_path, monkeypatch):
    from test_docs import DOCS, scratch

    blocks = [b for b in scratch(DOCS / "properties.md", tmp_path) if b.lang == "python" and "run" in b.flags]
    assert blocks, "docs/properties.md has no ```python run block"
    monkeypatch.chdir(tmp_path)
    for block in blocks:
        assert len(block.body.strip().splitlines()) <= 20, f"{block.where}: the example should stay short"
        namespace: dict = {"__name__": "docs_example"}
        exec(compile(block.body, block.where, "exec"), namespace)
        tests = [f for name, f in namespace.items() if name.startswith("test_") and callable(f)]
        assert tests, f"{block.where}: no test function"
        for test in tests:
            test()


def test_a_conclusion_s_key_is_its_row_s_fields():
    """`key()` of a norm, breach or effect (built directly, for speed) says what `row()` says, on every case of
    the casebooks."""
    from treatylang.testing import BREACH_ROW_KEYS, EFFECT_ROW_KEYS, NORM_ROW_KEYS

    root = Path(__file__).resolve().parent.parent
    seen, kinds = 0, set()
    for path in sorted([*(root / "examples").rglob("*.yaml"), *(root / "tests" / "constructs").rglob("*.yaml")]):
        scenario = treatylang.load_scenario(path)
        treaty = treatylang.load_treaty(scenario.treaty_path or treatylang.bundled_charter_path())
        result = treatylang.evaluate(treaty, scenario)
        for n in (*result.norms, *result.standing):
            row = n.row()
            assert n.key() == tuple(row[k] for k in NORM_ROW_KEYS), (path, row)
            seen += n.end is not None
        for items, keys in ((result.breaches, BREACH_ROW_KEYS), (result.effects, EFFECT_ROW_KEYS)):
            for item in items:
                row = item.row()
                assert item.key() == tuple(row[k] for k in keys), (path, row)
                kinds.add((type(item).__name__, row.get("norm_event") is not None, row.get("deadline") is not None))
    assert seen, "no case has a norm that ended: the lifetime fields are not compared"
    assert {("Breach", True, True), ("Breach", False, False), ("Effect", False, False)} <= kinds, kinds
