"""The shared-scanner lexer (treatylang.lang.lexer) reads every input as Lark's own contextual lexer does."""

from pathlib import Path

import lark
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from treatylang.lang import grammar_tables
from treatylang.lang.lexer import SharedContextualLexer

from conftest import CHARTER, ROOT


def _parser(**options) -> lark.Lark:
    data, memo = grammar_tables.decode(grammar_tables.TABLES.read_text(encoding="utf-8"), None)
    return lark.Lark._load_from_dict(data, memo, **options)


SHARED = _parser(**grammar_tables.load_options())
LARKS_OWN = _parser(**{k: v for k, v in grammar_tables.load_options().items() if k != "_plugins"})
TREATIES = sorted(p for p in ROOT.rglob("*.treaty") if ".git" not in p.parts)


def _outcome(parser: lark.Lark, text: str):
    """The tree with every token's type, text and place, or where and how the input was refused."""
    try:
        tree = parser.parse(text)
    except lark.UnexpectedInput as e:
        expected = sorted(getattr(e, "allowed", None) or getattr(e, "expected", None) or ())
        token = getattr(e, "token", None)
        return ("refused", type(e).__name__, e.line, e.column, expected, token and (token.type, str(token)))
    return ("tree", tree, [(t.type, str(t), t.line, t.column) for t in tree.scan_values(lambda v: isinstance(v, lark.Token))])


def test_the_parser_uses_the_shared_lexer():
    assert isinstance(SHARED.parser.lexer.lexer, SharedContextualLexer)
    assert not isinstance(LARKS_OWN.parser.lexer.lexer, SharedContextualLexer)
    assert isinstance(grammar_tables.load()[0].parser.lexer.lexer, SharedContextualLexer)


def test_there_are_treaties_to_compare():
    assert CHARTER in TREATIES and len(TREATIES) >= 20


@pytest.mark.parametrize("path", TREATIES, ids=lambda p: str(Path(p).relative_to(ROOT)))
def test_every_treaty_in_the_project_reads_the_same(path):
    text = path.read_text(encoding="utf-8")
    assert _outcome(SHARED, text) == _outcome(LARKS_OWN, text)


_CHARTER = CHARTER.read_text(encoding="utf-8")
# Words and marks the grammar gives meaning to, and near misses of them: where a keyword check or a
# scanner shared between states would go wrong, if anywhere.
_PIECES = ["including", "in", "cluding", "include", "article", "art", "party", "parties", "if", "iff", "and",
           "or", "either", "not", "nothing", "within", "days", "after", "before", "until", "\n", " ", "\"",
           ":", ",", ".", "(", ")", "-", "30", "2023-09-16", "# note\n", "é", "_x", "x_1"]


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(start=st.integers(0, len(_CHARTER)), cut=st.integers(0, 40),
       insert=st.lists(st.sampled_from(_PIECES), max_size=4))
def test_a_mutated_charter_reads_the_same(start, cut, insert):
    """Mutations near keywords: same tree, or the same refusal at the same place with the same expectations."""
    text = _CHARTER[:start] + "".join(insert) + _CHARTER[start + cut:]
    assert _outcome(SHARED, text) == _outcome(LARKS_OWN, text)
