"""Every renderer shows input text safely (review cases C05, D04, F06): one escaping rule, safe_text.escape.

- text: each line is escaped as a whole, so a control character, a bidirectional control or a newline of a
  title, note, name or file name is shown as `\\x9b`, `\\u202e`, `\\n` and cannot start a line;
- Markdown: each input text is escaped once more for Markdown (`&lt;`, `\\|`), and the file name is a code
  span its text cannot close;
- JSON: the values are data and stay as they are; the unsafe characters are written as `\\u` escapes.
"""

import json
import re

import attrs
import pytest

import treatylang
from treatylang.render import render
from treatylang.source.safe_text import UNSAFE

from golden_cases import charter

FORGED = "Breaches: none"

SCENARIO = r'''title: "A\u202e title\x9b\nBreaches: none"
note: "<script>alert(1)</script> | & \u2067"
actors:
  eco: {name: "E<b>C</b>O|W\u202eAS\nBreaches: none", kind: organization}
events:
  - {id: before, type: attack, date: 2023-08-01, target: niger, by: eco}
  - {id: after, type: attack, date: 2023-10-01, target: niger, by: mali}
  - {id: later, type: attack, date: 2023-10-02, target: niger, by: eco}
'''


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    path = tmp_path_factory.mktemp("safe") / "s.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    scenario = treatylang.load_scenario(path, charter())
    scenario = attrs.evolve(scenario, file="dir`<i>x</i>\u202e\n.yaml")  # a hostile file name too
    return treatylang.evaluate(charter(), scenario)


def unsafe(text: str) -> list:
    return [c for c in UNSAFE.findall(text) if c != "\n"]


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
@pytest.mark.parametrize("explain", [False, True])
def test_no_unsafe_character_reaches_any_format(result, fmt, explain):
    assert unsafe(render([result], fmt, explain=explain)) == []


@pytest.mark.parametrize("explain", [False, True])
def test_text_lines_cannot_be_forged(result, explain):
    lines = render([result], "text", explain=explain).splitlines()
    assert lines[0] == "A\\u202e title\\x9b\\nBreaches: none"
    assert lines.count(FORGED) == 0  # the scenario has a breach: no line says there is none
    assert "  scenario: dir`<i>x</i>\\u202e\\n.yaml" in lines
    assert any("E<b>C</b>O|W\\u202eAS\\nBreaches: none" in line for line in lines)


@pytest.mark.parametrize("explain", [False, True])
def test_markdown_has_no_raw_html_and_keeps_its_tables(result, explain):
    out = render([result], "markdown", explain=explain)
    outside_code = re.sub(r"``.*?``", "", out)
    assert not re.search(r"<(script|b|i)\b", outside_code)
    assert "- **Note:** &lt;script&gt;alert(1)&lt;/script&gt; \\| &amp; \\\\u2067" in out
    assert "- **Scenario file:** ``dir`<i>x</i>\\u202e\\n.yaml``" in out  # in a code span, HTML is text
    assert FORGED not in out.splitlines()
    for block in re.findall(r"((?:^\|.*\n)+)", out, re.M):  # every row of a table has its header's columns
        rows = block.splitlines()
        cells = {len(re.findall(r"(?<!\\)\|", row)) for row in rows}
        assert len(cells) == 1, rows
    assert "E&lt;b&gt;C&lt;/b&gt;O\\|W\\\\u202eAS\\\\nBreaches: none" in out


def test_json_keeps_the_values_and_escapes_them(result):
    out = render([result], "json")
    data = json.loads(out)
    assert data["scenario"] == {"title": "A\u202e title\x9b\nBreaches: none", "file": "dir`<i>x</i>\u202e\n.yaml"}
    assert "\\u202e" in out and "\\u009b" in out
