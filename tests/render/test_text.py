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


def test_the_header_says_how_sure_the_model_is_when_the_treaty_declares_it(charter, tmp_path):
    """Issue #12 (4): the reports carry the model's status in their header, so that no reader takes a
    contested reading for settled law; a treaty that declares nothing gets no line (`check --strict` asks)."""
    import treatylang
    from treatylang.render import render

    data = {"title": "t", "events": [{"type": "attack", "date": "2023-10-01", "target": "niger", "by": "mali"}]}
    result = treatylang.evaluate(charter, treatylang.scenario_from_dict(data, charter))
    line = f"model status: {charter.status.summary()}"
    assert "rules reviewed in" in line and "press summary only" in line
    assert render([result], "text").splitlines()[2] == f"  {line}"
    assert f"- **Model status:** {charter.status.summary()}" in render([result], "markdown").splitlines()
    bare = treatylang.parse_treaty('treaty t "T" signed 2020-01-01 in force on signature\nparty pa "A"\n'
                                   'article 1\n  note "n"\n', "t.treaty")
    plain = treatylang.evaluate(bare, treatylang.scenario_from_dict({"title": "t", "events": []}, bare))
    assert "model status" not in render([plain], "text") and "Model status" not in render([plain], "markdown")
