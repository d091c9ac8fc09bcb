"""The engine cases of the reviews (architecture.md, hostile-inputs.md A04-A14, D08, D09): each failed before."""

from __future__ import annotations

import tracemalloc

import pytest

import treatylang
from treatylang.engine import codegen
from treatylang.engine.evaluate import MAX_PATHS, evaluate, handler
from treatylang.explain.why import because
from treatylang.explain.why_not import why_not
from treatylang.testing import outcome

HEAD = """treaty t "T" signed 2020-01-01 in force on signature
party astoria "Astoria"
party belmont "Belmont"
"""


def run(body: str, events: list, actors: dict | None = None, head: str = HEAD):
    treaty = treatylang.parse_treaty(head + body, "case.treaty")
    scenario = treatylang.scenario_from_dict({"title": "case", "actors": actors or {}, "events": events}, treaty)
    result = evaluate(treaty, scenario)
    assert outcome(result) == outcome(evaluate(treaty, scenario, interpret=True))
    for item in (*result.norms, *result.breaches, *result.effects):
        assert because(item, result)
    return result


def breaches(result) -> set:
    return {(b.party, b.rule, b.event) for b in result.breaches}


def norms(result) -> set:
    return {(n.bearer, n.rule, n.counterparty) for n in result.norms}


def test_a_standing_prohibition_is_breached_by_a_deemed_fact():
    r = run("""event blockade(target: actor, by: actor)
fact hostile_act(target: actor, by: actor)
article 1 "Blockades are hostile acts"
  rule blockade_is_hostile:
    when blockade(target: V, by: A)
    deem hostile_act(target: V, by: A)
article 2 "No hostile acts"
  rule no_hostile_acts:
    for each member M:
    for each member O other than M:
    M must not harass O
    breached by hostile_act(by: M, target: O)
""", [{"type": "blockade", "date": "2021-01-01", "target": "belmont", "by": "astoria"}])
    assert breaches(r) == {("astoria", "no_hostile_acts", "e1")}
    steps = because(r.breaches[0], r)
    assert any("it is deemed: hostile act" in s for s in steps), steps


def test_a06_a_breach_through_a_deemed_event():
    r = run("""event blockade(target: actor, by: actor)
event attack(target: actor, by: actor)
article 1 "A blockade is an attack"
  rule blockade_is_attack:
    when blockade(target: V, by: A)
    deem attack(target: V, by: A)
article 2 "Non-aggression"
  rule non_aggression:
    for each member M:
    for each member O other than M:
    M must not attack O
    breached by attack(by: M, target: O)
""", [{"type": "blockade", "date": "2021-01-01", "target": "belmont", "by": "astoria"}])
    assert breaches(r) == {("astoria", "non_aggression", "e1")}


FACT = """event ev(p: actor)
fact f(p: actor, q: actor?)
article 1 "Facts"
  rule deem_f:
    when ev(p: P)
    deem f(p: P)
"""


def test_a04_a_variable_on_an_argument_the_fact_lacks_matches_nothing():
    r = run(FACT + """  rule r:
    when f(p: P, q: Q)
    P must help Q
""", [{"type": "ev", "date": "2021-01-01", "p": "astoria"}])
    assert r.norms == []


def test_a05_underscore_matches_an_argument_the_fact_lacks():
    r = run(FACT + """  rule r2:
    when f(p: P, q: _)
    P must help
""", [{"type": "ev", "date": "2021-01-01", "p": "astoria"}])
    assert norms(r) == {("astoria", "r2", None)}
    assert why_not(r, "astoria") == []


def test_a12_a_deem_inside_for_each_with_no_rule_on_its_fact_yet():
    r = run("""event ev(x: actor)
fact f(x: actor)
article 1 "Draft"
  rule draft:
    when ev(x: X)
    for each member M:
    deem f(x: M)
""", [{"type": "ev", "date": "2021-01-01", "x": "astoria"}])
    assert r.norms == [] and r.breaches == []


def test_a14_a_breach_where_may_use_a_for_each_variable():
    r = run("""event alliance(parties: actor+, against: actor)
article 1 "No hostile alliances"
  rule no_alliance:
    for each member M:
    for each member O other than M:
    M must not conclude_alliance against O
    breached by alliance(parties: M, against: X) where O is X
""", [{"type": "alliance", "date": "2021-01-01", "parties": ["astoria", "zed"], "against": "belmont"}],
        {"zed": {"name": "Zed", "kind": "state"}})
    assert breaches(r) == {("astoria", "no_alliance", "e1")}


def _chain(levels: int, loops_per_level: int) -> str:
    lines = ["event ev(x: actor)"] + [f"fact f{i}(x: actor, y: actor)" for i in range(1, levels + 1)]
    lines.append('article 1 "Chain"')
    lines += ["  rule start:", "    when ev(x: X)", "    deem f1(x: X, y: X)"]
    for i in range(1, levels):
        lines += [f"  rule step{i}:", f"    when f{i}(x: X, y: _)"]
        lines += [f"    for each member M{j}:" for j in range(loops_per_level)]
        lines.append(f"    deem f{i + 1}(x: X, y: M0)" if loops_per_level else f"    deem f{i + 1}(x: X, y: X)")
    lines += ["  rule last:", f"    when f{levels}(x: X, y: Y)", "    where X is a member", "    Y must help X"]
    return "\n".join(lines) + "\n"


ONE_PARTY = """treaty t "T" signed 2020-01-01 in force on signature
party astoria "Astoria"
"""


def test_a07_rules_nested_deeper_than_python_compiles_run_through_the_interpreter():
    treaty = treatylang.parse_treaty(ONE_PARTY + _chain(8, 3), "deep.treaty")  # 21 nested loops, 1 binding
    with pytest.raises(codegen.TooDeep):
        codegen.generate_handler(treaty, "ev")
    r = run(_chain(8, 3), [{"type": "ev", "date": "2021-01-01", "x": "astoria"}], head=ONE_PARTY)
    assert norms(r) == {("astoria", "last", "astoria")}


def test_d08_a_long_acyclic_deeming_chain_is_checked_and_evaluated():
    r = run(_chain(1100, 0), [{"type": "ev", "date": "2021-01-01", "x": "belmont"}])
    assert norms(r) == {("belmont", "last", "belmont")}


def _diamond(levels: int) -> str:
    lines = ["event ev(x: actor)"] + [f"fact f{i}(x: actor)" for i in range(levels + 1)]
    lines += ['article 1 "Diamond"', "  rule start:", "    when ev(x: X)", "    deem f0(x: X)"]
    for i in range(levels):
        for side in "ab":
            lines += [f"  rule d{i}{side}:", f"    when f{i}(x: X)", f"    deem f{i + 1}(x: X)"]
    lines += ["  rule last:", f"    when f{levels}(x: X)", "    X must act"]
    return "\n".join(lines) + "\n"


def test_a08_an_exponential_diamond_of_deems_is_refused_with_a_located_reason_in_bounded_memory():
    treaty = treatylang.parse_treaty(HEAD + _diamond(18), "diamond.treaty")
    scenario = treatylang.scenario_from_dict(
        {"title": "d", "events": [{"type": "ev", "date": "2021-01-01", "x": "astoria"}]}, treaty)
    tracemalloc.start()
    try:
        with pytest.raises(treatylang.TreatyError) as caught:
            evaluate(treaty, scenario)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    d = caught.value.diagnostics[0]
    assert d.span.line == 4 and "rule instances through deeming" in d.message and f"{MAX_PATHS:,}" in d.message
    assert peak < 50_000_000
    small = run(_diamond(8), [{"type": "ev", "date": "2021-01-01", "x": "astoria"}])  # 2^8 paths: fine
    assert norms(small) == {("astoria", "last", None)}


def test_d09_a_quantifier_explosion_is_refused_before_it_starts():
    parties = "".join(f'party p{i} "P{i}"\n' for i in range(50))
    body = """event ev(x: actor)
article 1 "Everyone with everyone"
  rule all:
    when ev(x: X)
    for each member A:
    for each member B:
    for each member C:
    for each member D:
    for each member E:
    for each member F:
    A must consult F
"""
    treaty = treatylang.parse_treaty('treaty t "T" signed 2020-01-01 in force on signature\n' + parties + body, "q.treaty")
    scenario = treatylang.scenario_from_dict({"title": "q", "events": [{"type": "ev", "date": "2021-01-01", "x": "p1"}]}, treaty)
    with pytest.raises(treatylang.TreatyError) as caught:
        evaluate(treaty, scenario)
    d = caught.value.diagnostics[0]
    assert "one 'ev' event would range over the 50 members 6 times (rules all)" in d.message and d.span.line == 54


def test_a07_loops_that_multiply_along_a_deeming_chain_are_refused_before_they_start():
    three = HEAD + 'party carthage "Carthage"\n'
    treaty = treatylang.parse_treaty(three + _chain(8, 3), "deep.treaty")  # 3 ** 21 bindings
    scenario = treatylang.scenario_from_dict(
        {"title": "d", "events": [{"type": "ev", "date": "2021-01-01", "x": "astoria"}]}, treaty)
    with pytest.raises(treatylang.TreatyError) as caught:
        evaluate(treaty, scenario)
    assert "would range over the 3 members 21 times (rules start → step1 →" in caught.value.diagnostics[0].message


def test_explanations_replay_each_event_once_not_once_per_norm(monkeypatch):
    treaty = treatylang.load_treaty(treatylang.bundled_charter_path())
    scenario = treatylang.scenario_from_dict({"title": "two attacks", "actors": {"x": {"kind": "armed_group"}}, "events": [
        {"type": "attack", "date": "2024-01-01", "target": ["mali", "niger"], "by": "x"},
        {"type": "attack", "date": "2024-02-01", "target": "mali", "by": "x"}]}, treaty)
    result = evaluate(treaty, scenario)
    runs = []
    traced = handler(treaty, "attack", traced=True)
    monkeypatch.setitem(treaty.traced_handlers, "attack", lambda *a, **k: (runs.append(1), traced(*a, **k)))
    assert len(result.norms) >= 4
    for n in result.norms:
        assert because(n, result)
    assert len(runs) == 2


def test_standing_norms_are_explained_from_their_own_binding():
    parties = "".join(f'party p{i} "P{i}"\n' for i in range(40))
    body = """article 1 "Non-aggression"
  rule peace:
    for each member M:
    for each member O other than M:
    M must not attack O
"""
    treaty = treatylang.parse_treaty('treaty t "T" signed 2020-01-01 in force on signature\n' + parties + body, "s.treaty")
    result = evaluate(treaty, treatylang.scenario_from_dict({"title": "s", "as_of": "2021-01-01", "events": []}, treaty))
    assert len(result.standing) == 40 * 39
    last = result.standing[-1]
    assert result.derivation(last)[0] == {"M": last.bearer, "O": last.counterparty}
