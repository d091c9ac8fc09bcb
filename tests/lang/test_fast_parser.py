"""The quick driver (treatylang.lang.fast_parser) gives Lark's own trees, or leaves the text to Lark."""

import os
import subprocess
import sys
from pathlib import Path

import lark
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from treatylang.lang import fast_parser, grammar_tables
from treatylang.lang.fast_parser import Unparsable

from conftest import CHARTER, ROOT

LARK = grammar_tables.load()[0]
FAST = grammar_tables.load_fast()
TREATIES = sorted(p for p in ROOT.rglob("*.treaty") if ".git" not in p.parts)


def _shape(node):
    """Every node with its name and its meta (containers included), every token with its type and place."""
    if isinstance(node, (lark.Tree, fast_parser.Tree)):
        return (node.data, sorted(vars(node.meta).items()), [_shape(c) for c in node.children])
    if isinstance(node, (lark.Token, fast_parser.Token)):
        return (node.type, str(node), node.start_pos, node.line, node.column, node.end_line, node.end_column,
                node.end_pos)
    return node


def _both(text: str):
    try:
        larks = _shape(LARK.parse(text))
    except lark.UnexpectedInput:
        larks = "refused"
    try:
        fast = _shape(FAST.parse(text))
    except Unparsable:
        fast = "refused"
    return larks, fast


def test_the_shipped_tables_give_a_quick_driver():
    assert FAST is not None


@pytest.mark.parametrize("path", TREATIES, ids=lambda p: str(Path(p).relative_to(ROOT)))
def test_every_treaty_in_the_project_gives_lark_s_tree(path):
    larks, fast = _both(path.read_text(encoding="utf-8"))
    assert fast == larks


_CHARTER = CHARTER.read_text(encoding="utf-8")
_PIECES = ["including", "in", "article", "6", "IV", "4bis", "42(7)", "party", "if", "either", "or", "not",
           "within", "30", "days", "2023-09-16", "V", "_", "|", "*", "?", "+", ":", ",", "(", ")", "\n", " ",
           '"', '"""', "# note\n", "1/2", "50%", "é"]


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(start=st.integers(0, len(_CHARTER)), cut=st.integers(0, 40),
       insert=st.lists(st.sampled_from(_PIECES), max_size=4))
def test_a_mutated_charter_gives_lark_s_tree_or_is_left_to_lark(start, cut, insert):
    """Where Lark reads a tree, the driver reads the same; where Lark refuses, the driver gives up."""
    larks, fast = _both(_CHARTER[:start] + "".join(insert) + _CHARTER[start + cut:])
    assert fast == larks


def test_a_treaty_that_parses_never_imports_lark():
    """Nor, then, builds Lark's parser: the first run of `treaty eval` is spared Lark's import."""
    code = ("import sys, treatylang, treatylang.lang.parser as p; treatylang.parse_treaty(open(%r).read(), %r); "
            "print(p.lark_parser.cache_info().currsize, 'lark' in sys.modules)") % (str(CHARTER), str(CHARTER))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "TREATYLANG_NO_CACHE": "1"},
                         check=True)
    assert out.stdout.split() == ["0", "False"], out.stderr


def test_unusable_tables_leave_every_text_to_lark(tmp_path):
    spoiled = tmp_path / "tables.json"
    spoiled.write_text(grammar_tables.TABLES.read_text(encoding="utf-8").replace('"states":[', '"states":[{"X":1},'),
                       encoding="utf-8")
    assert grammar_tables.load_fast(tables=spoiled) is None
    assert grammar_tables.load_fast(tables=tmp_path / "missing.json") is None
