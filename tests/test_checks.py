from pathlib import Path

import pytest

import treatylang

DATA = Path(__file__).parent / "data"


def diagnostics_of(path):
    with pytest.raises(treatylang.TreatyError) as info:
        treatylang.load_treaty(path)
    return info.value


def test_broken_treaty_diagnostics_match_the_fixture():
    """Every defect class is flagged, located, worded as in tests/data/broken.expected."""
    error = diagnostics_of(DATA / "broken.treaty")
    got = str(error).replace(str(DATA / "broken.treaty"), "tests/data/broken.treaty")
    assert got.strip() == (DATA / "broken.expected").read_text().strip()


@pytest.mark.parametrize("needle", [
    "has no argument 'flag'",                     # wrong arity / argument
    "'air' is not a value of 'object'",           # wrong type of argument value
    "variable W is not bound",                    # unbound variable
    "unknown event type 'atack'",                 # undefined name, with did-you-mean
    "did you mean 'attack'?",
    "unknown actor 'carthage'",
    "is an exception to 'no_such_rule', which does not exist",
    "'unused_event' is declared but no rule uses it",  # unused name
    "can never apply",                            # rules that can never fire
    "normative conflict",                         # oblige and forbid the same act
    "article 2 has no rule and no note",
])
def test_each_defect_class_is_flagged(needle):
    assert needle in str(diagnostics_of(DATA / "broken.treaty"))


def test_errors_and_warnings_are_told_apart():
    error = diagnostics_of(DATA / "broken.treaty")
    severities = {d.severity for d in error.diagnostics}
    assert severities == {"error", "warning"}
    assert all(d.span.article is not None for d in error.diagnostics if d.span.line > 10)


def test_warnings_alone_load_but_strict_refuses():
    text = 'treaty t "T" signed 2020-01-01 in force on signature\nparty pa "A"\narticle 1 "Empty"\n'
    treaty = treatylang.parse_treaty(text, "w.treaty")
    assert [w.message for w in treaty.warnings] == ["article 1 has no rule and no note saying why"]
    with pytest.raises(treatylang.TreatyError):
        treatylang.parse_treaty(text, "w.treaty", strict=True)


def test_deeming_cycles_are_errors():
    text = '''treaty t "T" signed 2020-01-01 in force on signature
party pa "A"
event e(x: actor)
fact f(x: actor)
article 1
  rule one:
    when e(x: X)
    deem f(x: X)
  rule two:
    when f(x: X)
    deem e(x: X)
'''
    with pytest.raises(treatylang.TreatyError, match="goes round in a circle"):
        treatylang.parse_treaty(text, "c.treaty")


def test_the_charter_checks_clean(charter):
    assert charter.warnings == ()
