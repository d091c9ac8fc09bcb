"""treatylang.render.markdown: the Markdown report, pinned by golden files."""

import pytest

from treatylang.render import render
from treatylang.render.markdown import render_markdown

from golden_cases import SCENARIOS, assert_golden, result


@pytest.mark.parametrize("explain", [False, True], ids=["plain", "explain"])
@pytest.mark.parametrize("name", SCENARIOS)
def test_markdown_golden(name, explain):
    assert_golden(render_markdown(result(name), explain), name, "md", explain)


def test_render_dispatches_to_markdown():
    r = result("member_attacks_member")
    assert render([r], "markdown", explain=True) == render_markdown(r, explain=True)


def test_why_section_only_with_explain():
    r = result("member_attacks_member")
    assert "### Why" not in render_markdown(r) and "### Why" in render_markdown(r, explain=True)
