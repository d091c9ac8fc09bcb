"""Checks that refuse, with a located diagnostic, what would crash or explode later (treatylang.lang.checks)."""

import time

import attrs
import pytest

import treatylang
from treatylang import cli
from treatylang.lang import checks
from treatylang.lang import syntax as s
from treatylang.lang.parser import parse_treaty_source

HEAD = '''treaty t "T" signed 2020-01-01 in force on signature
party pa "A"
party b "B"
'''


def run_check(tmp_path, capsys, text, *flags):
    path = tmp_path / "t.treaty"
    path.write_text(text, encoding="utf-8")
    status = cli.main(["check", str(path), *flags])
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err, err
    return status, err.replace(str(path), "t.treaty")


def diagnostics(text):
    return checks.check(parse_treaty_source(text, "t.treaty"))


# ---- D08: long deeming chains -------------------------------------------------------------
def chain(n, *, back_to=None):
    text = HEAD + "event e0(x: actor)\n" + "".join(f"fact f{i}(x: actor)\n" for i in range(1, n + 1)) + "article 1\n"
    text += "".join(f"  rule r{i}:\n    when {'e0' if i == 1 else f'f{i - 1}'}(x: X)\n    deem f{i}(x: X)\n"
                    for i in range(1, n + 1))
    if back_to is not None:
        text += f"  rule back:\n    when f{n}(x: X)\n    deem f{back_to}(x: X)\n"
    return text + f"  rule last:\n    when f{n}(x: X)\n    for each member M:\n    M must help X\n"


def test_a_long_acyclic_deeming_chain_checks_clean(tmp_path, capsys):
    status, err = run_check(tmp_path, capsys, chain(1100))
    assert status == 0, err


def test_a_circle_at_the_end_of_a_long_chain_is_reported_once(tmp_path, capsys):
    status, err = run_check(tmp_path, capsys, chain(1100, back_to=1098))
    assert status == 2
    assert err.count("goes round in a circle") == 1
    assert "goes round in a circle: f1098 -> f1099 -> f1100 -> f1098" in err
    assert err.startswith("t.treaty:")


def test_deeming_circles_are_reported_as_before():
    text = HEAD + '''event e(x: actor)
fact f(x: actor)
fact g(x: actor)
article 1
  rule one:
    when e(x: X)
    deem f(x: X)
  rule two:
    when f(x: X)
    deem g(x: X)
  rule three:
    when g(x: X)
    deem f(x: X)
  rule four:
    when g(x: X)
    deem e(x: X)
'''
    errors = [(d.span.line, d.message) for d in diagnostics(text) if d.severity == "error"]
    assert errors == [(14, "deeming goes round in a circle: f -> g -> f"),
                      (17, "deeming goes round in a circle: e -> f -> g -> e")]


# ---- D11: entry into force after no event -------------------------------------------------
def test_entry_into_force_after_zero_events_is_refused(tmp_path, capsys):
    text = '''treaty t "T" signed 2020-01-01 in force after 0 ratification events
party pa "A"
event ratification(by: actor)
article 1
  note "n"
'''
    status, err = run_check(tmp_path, capsys, text)
    assert status == 2
    first = err.splitlines()[0]
    assert first.startswith("t.treaty:1:41: error: a treaty cannot enter into force after 0 events")
    assert "write 'after 1 ratification events'" in first


def test_entry_into_force_after_one_event_is_accepted():
    text = HEAD + 'event ratification(by: actor)\narticle 1\n  note "n"\n'
    text = text.replace("in force on signature", "in force after 1 ratification events")
    assert [d for d in diagnostics(text) if d.severity == "error"] == []


# ---- A07 and D09: nested `for each` ------------------------------------------------------
def quantified(k):
    return HEAD + "event e(x: actor)\narticle 1\n  rule deep:\n    when e(x: X)\n" + "".join(
        f"    for each member M{i}:\n" for i in range(k)) + "    M0 must help X\n"


def test_more_for_each_than_the_limit_is_refused_where_the_limit_is_passed(tmp_path, capsys):
    status, err = run_check(tmp_path, capsys, quantified(21))
    assert status == 2
    assert err.splitlines()[0] == (f"t.treaty:{8 + checks.MAX_QUANTIFIERS}:5: error: rule 'deep' has 21 'for each'; "
                                   "a rule may have at most 8 (in article 1); split the rule, or deem a fact that "
                                   "a second rule quantifies over")


@pytest.mark.parametrize("k", [4, 8])
def test_costly_for_each_is_a_warning_that_strict_refuses(tmp_path, capsys, k):
    status, err = run_check(tmp_path, capsys, quantified(k))
    assert status == 0
    assert f"t.treaty:8:5: warning: rule 'deep' has {k} 'for each': its cost grows as the number of members " \
           f"to the power {k}" in err
    status, err = run_check(tmp_path, capsys, quantified(k), "--strict")
    assert status == 2 and "to the power" in err


def test_three_for_each_draw_no_warning():
    assert [d.message for d in diagnostics(quantified(3))] == []


# ---- D09 / A08: deeming diamonds ------------------------------------------------------------
def diamond(levels, width=2):
    """Each level deems the next fact by `width` parallel rules: width ** levels chains in all."""
    text = HEAD + "event e0(x: actor)\n" + "".join(f"fact f{i}(x: actor)\n" for i in range(1, levels + 1))
    text += "article 1\n"
    for i in range(1, levels + 1):
        source = "e0" if i == 1 else f"f{i - 1}"
        for j in range(width):
            text += f"  rule r{i}_{j}:\n    when {source}(x: X)\n    deem f{i}(x: X)\n"
    return text + f"  rule duty:\n    when f{levels}(x: X)\n    for each member M:\n    M must help X\n"


def test_derivation_paths_counts_chains_exactly():
    tree = parse_treaty_source(diamond(5, width=3), "t.treaty")
    paths = checks.derivation_paths(tree)
    assert paths["r1_0"] == {"e0": 1}
    assert paths["r2_1"] == {"e0": 3}
    assert paths["duty"] == {"e0": 3 ** 5}
    assert checks.costliest_derivation(tree) == (3 ** 5, "duty", "e0")


def test_derivation_paths_never_enumerates_the_chains():
    tree = parse_treaty_source(diamond(400), "t.treaty")
    started = time.perf_counter()
    paths = checks.derivation_paths(tree)
    assert paths["duty"] == {"e0": 2 ** 400}
    assert time.perf_counter() - started < 2


def test_a_deeming_diamond_past_the_limit_is_a_warning_naming_the_rule_and_the_count(tmp_path, capsys):
    status, err = run_check(tmp_path, capsys, diamond(10))  # 2 ** 10 = 1,024 chains reach f10
    assert status == 0
    warnings = [line for line in err.splitlines() if ": warning: " in line]
    assert len(warnings) == 1, warnings
    assert "rule 'duty'" in warnings[0] and "1,024 different chains" in warnings[0]
    assert warnings[0].startswith("t.treaty:")
    status, err = run_check(tmp_path, capsys, diamond(10), "--strict")
    assert status == 2


def test_the_warning_is_given_where_the_chains_first_pass_the_limit():
    found = [d for d in diagnostics(diamond(12)) if "chains" in d.message]
    assert [d.message.split("'")[3] for d in found] == ["r11_0", "r11_1"]  # 2 ** 10 reach f10, deemed-from by r11_*
    assert all("1,024" in d.message for d in found)


def test_a_diamond_within_the_limit_draws_no_warning():
    assert [d.message for d in diagnostics(diamond(9))] == []  # 512 chains


def test_the_charter_is_cheap(charter):
    count, rule, event = checks.costliest_derivation(charter.syntax)
    assert count <= 4, (count, rule, event)


# ---- A14: what a breach's `where` may use ------------------------------------------------
BREACH = HEAD + '''event attack(target: actor, by: actor, object: land|sea = land)
article 1
  rule non_aggression:
    for each member M:
    for each member O other than M:
    M must not use_force against O
    breached by attack(by: M, target: T) where {where}
'''


@pytest.mark.parametrize("where", ["O is a member", "T is O", "T is O and O is a member", "T is not M"])
def test_a_breach_where_may_use_the_for_each_variables(where):
    assert [d.message for d in diagnostics(BREACH.format(where=where)) if d.severity == "error"] == []


def test_a_breach_where_that_uses_a_variable_bound_nowhere_is_an_error():
    [error] = [d for d in diagnostics(BREACH.format(where="Z is a member")) if d.severity == "error"]
    assert "variable Z is not bound" in error.message and error.span.line == 10


def test_a_for_each_variable_twice_is_an_error_even_with_a_breach():
    text = BREACH.format(where="T is O").replace("for each member O other than M:", "for each member M:")
    messages = [d.message for d in diagnostics(text) if d.severity == "error"]
    assert "variable M is already bound" in messages


def test_a_breach_variable_of_another_kind_than_its_for_each_is_an_error():
    text = BREACH.format(where="T is O").replace("attack(by: M, target: T)", "attack(by: M, target: T, object: O)")
    messages = [d.message for d in diagnostics(text) if d.severity == "error"]
    assert any("O is a member ('for each') but 'attack' gives it an enum value" in m for m in messages), messages


def test_an_exception_to_a_breached_rule_sees_its_variables_with_their_kinds():
    text = BREACH.format(where="T is O").replace("attack(by: M, target: T)", "attack(by: M, target: T, object: K)")
    text += "  rule at_sea:\n    exception to non_aggression\n    where K is sea\n"
    assert [d.message for d in diagnostics(text) if d.severity == "error"] == []
    wrong = text.replace("where K is sea", "where K is air")
    assert ["'air' is not one of land, sea"] == [d.message for d in diagnostics(wrong) if d.severity == "error"]


# ---- every pass knows every node class -----------------------------------------------------
class Strange:
    span = None


def tree_with(**changes):
    tree = parse_treaty_source(HEAD + '''event e(x: actor)
article 1
  rule r:
    when e(x: X)
    where X is a member
    for each member M:
    M must help X
''', "t.treaty")
    article = tree.articles[0]
    rule = attrs.evolve(article.rules[0], **changes)
    return attrs.evolve(tree, articles=(attrs.evolve(article, rules=(rule,)),))


@pytest.mark.parametrize("changes", [
    {"where": (Strange(),)},
    {"where": (s.Either(s.IsKind(s.Var("X"), False, "member"), Strange()),)},
    {"conclusion": Strange()},
    {"unless": ((Strange(),),)},
])
def test_an_unknown_node_class_fails_loudly(changes):
    with pytest.raises(TypeError, match="Strange"):
        checks.check(tree_with(**changes))


def test_an_unknown_term_fails_loudly():
    rule = tree_with().articles[0].rules[0]
    with pytest.raises(TypeError, match="Strange"):
        checks.check(tree_with(conclusion=attrs.evolve(rule.conclusion, bearer=Strange())))


# ---- the order of diagnostics ----------------------------------------------------------------
def test_errors_come_first_then_warnings_each_in_file_order():
    text = HEAD + '''event e(x: actor)
event unused(x: actor)
fact f(x: actor)
article 1 "Empty"
article 2
  rule r:
    when e(x: X)
    where X is a member and X is not a member
    for each member M:
    M must help W
  rule loop_one:
    when e(x: X)
    deem f(x: X)
  rule loop_two:
    when f(x: X)
    deem e(x: X)
'''
    found = [(d.severity, d.span.line, d.message) for d in diagnostics(text)]
    assert found == sorted(found, key=lambda f: (f[0] != "error", f[1], f[2]))
    assert [f[0] for f in found] == ["error", "error", "warning", "warning", "warning"], found


# ---- A03, D16: names that could never be used ---------------------------------------------
@pytest.mark.parametrize("word", ["a", "an", "not", "deem"])
def test_an_actor_named_like_a_keyword_is_refused_at_its_declaration(word):
    text = f'treaty t "T" signed 2020-01-01 in force on signature\nparty {word} "W"\n'
    [error] = [d for d in diagnostics(text) if d.severity == "error"]
    assert (error.span.line, error.span.column) == (2, 1)
    assert f"'{word}' is a word of the language" in error.message


@pytest.mark.parametrize("key", ["id", "type", "date", "note"])
def test_an_event_argument_named_like_a_scenario_key_is_refused(key):
    text = f'treaty t "T" signed 2020-01-01 in force on signature\nparty pa "A"\nevent notice({key}: actor)\n'
    [error] = [d for d in diagnostics(text) if d.severity == "error"]
    assert (error.span.line, error.span.column) == (3, 14)
    assert f"'{key}' is a key every scenario event already has" in error.message
