import pytest

import treatylang
from treatylang.lang import syntax as s
from treatylang.lang.parser import _Builder, lark_parser, parse_treaty_source

from conftest import CHARTER


def tree_node_names():
    """Every node name the parser can produce (inlined `_rules` and one-child `?rules` excepted)."""
    names = set()
    for rule in lark_parser().rules:
        name = rule.alias or rule.origin.name
        if str(name).startswith("_") or (rule.options.expand1 and not rule.alias):
            continue
        names.add(str(name))
    return names


def test_every_grammar_rule_builds_a_syntax_node():
    missing = sorted(n for n in tree_node_names() if not hasattr(_Builder, n))
    assert not missing, f"grammar rules with no builder method: {missing}"


def test_charter_structure():
    tree = parse_treaty_source(CHARTER.read_text(), str(CHARTER))
    assert tree.header.id == "aes"
    assert [p.id for p in tree.parties] == ["burkina_faso", "mali", "niger"]
    assert [a.number for a in tree.articles] == [str(i) for i in range(1, 18)]
    assert tree.preamble is not None and tree.preamble.texts
    unknown = [a.number for a in tree.articles if not a.texts]
    assert unknown == ["15", "16"], "every article has its text, but the two slots no source describes"
    assert all(tree.articles[int(n) - 1].uncertain[0].startswith("Unknown:") for n in unknown)
    attack = {e.name: e for e in tree.events}["attack"]
    assert [(p.name, str(p.type), p.default) for p in attack.params] == [
        ("target", "actor+", None), ("by", "actor", None),
        ("object", "territory|forces|vessel|aircraft", "territory"), ("launched_from", "actor?", None),
        ("made_available", "yes|no", "unknown"), ("permitted", "yes|no", "unknown"),
        ("deployment", "alliance_space|national_abroad|multinational_abroad", "unknown"),
    ]
    uncertain = [a.number for a in tree.articles if a.uncertain]
    assert uncertain == ["4", *(str(i) for i in range(9, 18))]


def test_spans_do_not_take_part_in_equality_but_are_kept():
    text = 'treaty t "T" signed 2020-01-01 in force on signature\nparty a "A"\n'
    one = parse_treaty_source(text, "one.treaty")
    two = parse_treaty_source(text.replace(" ", "   ").replace("\n", "\n\n"), "two.treaty")
    assert one == two
    assert one.parties[0].span.line == 2 and two.parties[0].span.line == 3


def test_rule_nodes_know_their_article():
    tree = parse_treaty_source(CHARTER.read_text(), "c")
    rule = next(r for r in tree.rules if r.name == "duty_of_assistance")
    assert rule.article == "6" and rule.span.article == "6"
    assert isinstance(rule.conclusion, s.NormConclusion)
    assert rule.conclusion.means == ("individual", "collective")
    assert rule.conclusion.means_including == ("armed_force",) and not rule.conclusion.means_all
    settle = next(r for r in tree.rules if r.name == "manage_and_settle_rebellion")
    assert settle.conclusion.means_in_order


def test_long_texts_are_folded_into_paragraphs():
    text = 'treaty t "T"\narticle 1\n  text en """First line\n    continues.\n\n    Second paragraph."""\n  note "n"\n'
    art = parse_treaty_source(text, "t").articles[0]
    assert art.texts[0].body == "First line continues.\n\nSecond paragraph."


def test_syntax_errors_say_what_was_expected_and_where():
    text = 'treaty t "T"\narticle 1\n  rule r:\n    when attack(target V)\n'
    with pytest.raises(treatylang.TreatyError) as info:
        parse_treaty_source(text, "bad.treaty")
    d = info.value.diagnostics[0]
    assert (d.span.file, d.span.line, d.span.column) == ("bad.treaty", 4, 24)
    assert "expected ':'" in d.message
    formatted = d.format()
    assert formatted.startswith("bad.treaty:4:24: error: unexpected 'V'")
    assert formatted.splitlines()[-1].strip() == "^"


def test_several_syntax_errors_are_reported_in_one_run():
    text = 'treaty t "T"\nparty a "A" aka\narticle 1\n  rule r:\n    when x(: V)\n  note "fine"\narticle 2 "ok"\n  text en "x" "y"\n'
    with pytest.raises(treatylang.TreatyError) as info:
        parse_treaty_source(text, "bad.treaty")
    lines = sorted({d.span.line for d in info.value.diagnostics})
    assert len(lines) >= 2, info.value


def test_bad_character_is_located():
    with pytest.raises(treatylang.TreatyError) as info:
        parse_treaty_source('treaty t "T"\nparty a "A" @\n', "x.treaty")
    d = info.value.diagnostics[0]
    assert (d.span.line, d.span.column) == (2, 13) and "'@'" in d.message
