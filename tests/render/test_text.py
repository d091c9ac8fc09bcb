"""treatylang.render.text: the terminal output, pinned by golden files."""

import pytest

from treatylang.render import render
from treatylang.render.text import render_text

from golden_cases import SCENARIOS, assert_golden, result


@pytest.mark.parametrize("explain", [False, True], ids=["plain", "explain"])
@pytest.mark.parametrize("name", SCENARIOS)
def test_text_golden(name, explain):
    assert_golden(render_text(result(name), explain), name, "txt", explain)


def test_several_results_are_separated_by_a_blank_line():
    one, two = (result(n) for n in SCENARIOS)
    assert render([one, two], "text") == render_text(one) + "\n" + render_text(two)


def test_the_rows_give_the_facts_shown():
    r = result("chad_accession_unanimous")
    text = render_text(r)
    for n in r.norms:
        row = n.row()
        assert f"[art. {row['article']}, {row['rule']}]" in text
    for e in r.effects:
        assert f"from {e.row()['from']}" in text
