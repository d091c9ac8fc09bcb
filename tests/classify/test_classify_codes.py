"""`codes iso USA, cow 2` on a party or a State actor: syntax, checks (file:line:col), IR access, the cache."""

import pytest

import treatylang
from treatylang.cli import main
from treatylang.lang import tree_json

from conftest import ROOT

HEAD = """treaty pact "A pact"
  signed 2020-01-01
  in force on signature
"""


def _errors(text: str) -> list[str]:
    with pytest.raises(treatylang.TreatyError) as e:
        treatylang.parse_treaty(HEAD + text, "codes.treaty")
    return [d.format().splitlines()[0] for d in e.value.diagnostics]


def test_codes_are_read_and_reached_from_the_compiled_treaty():
    t = treatylang.parse_treaty(HEAD + """
party astoria "Astoria" codes iso XAS, cow 991 aka "AST" is coastal
party belmont "Belmont" joined 2021-01-01 codes cow 992
party corvina "Corvina"
actor ruritania "Ruritania" kind state codes iso XRU
quality coastal "coastal"
""", "codes.treaty")
    astoria = t.syntax.parties[0]
    assert [(c.system, c.value) for c in astoria.codes] == [("iso", "XAS"), ("cow", "991")]
    assert astoria.aliases == ("AST",) and astoria.qualities == ("coastal",)
    assert t.codes == {"astoria": {"iso": "XAS", "cow": 991}, "belmont": {"cow": 992}, "ruritania": {"iso": "XRU"}}
    assert t.code_of("astoria", "cow") == 991 and t.code_of("corvina", "cow") is None
    assert t.by_code("cow", 992) == "belmont" and t.by_code("iso", "XRU") == "ruritania"
    assert t.by_code("cow", 2) is None
    assert t.syntax.parties[1].joined.isoformat() == "2021-01-01"


@pytest.mark.parametrize("line, message", [
    ('party astoria "Astoria" codes iso xas', "5:31: error: 'xas' is not an ISO 3166-1 alpha-3 code"),
    ('party astoria "Astoria" codes iso XASX', "5:31: error: 'XASX' is not an ISO 3166-1 alpha-3 code"),
    ('party astoria "Astoria" codes iso 12', "5:31: error: '12' is not an ISO 3166-1 alpha-3 code"),
    ('party astoria "Astoria" codes cow 0991', "5:31: error: '0991' is not a Correlates of War state number"),
    ('party astoria "Astoria" codes cow 1000', "5:31: error: '1000' is not a Correlates of War state number"),
    ('party astoria "Astoria" codes cow USA', "5:31: error: 'USA' is not a Correlates of War state number"),
    ('party astoria "Astoria" codes isp XAS', "5:31: error: unknown list of codes 'isp'; expected iso or cow; did you mean 'iso'?"),
    ('party astoria "Astoria" codes cow 2, cow 3', "5:38: error: 'astoria' gives a second cow code"),
    ('actor league "League" kind organization codes cow 7', "5:47: error: 'league' is of kind organization"),
])
def test_a_bad_code_is_an_error_at_its_place(line, message):
    errors = _errors("\n" + line + "\n")
    assert any(e.startswith("codes.treaty:" + message) for e in errors), errors


def test_two_declarations_cannot_share_a_code():
    errors = _errors('\nparty astoria "Astoria" codes cow 991\nactor ruritania "Ruritania" kind state codes iso XRU, cow 991\n')
    assert errors == ["codes.treaty:6:55: error: cow code 991 is already the code of 'astoria'; two declarations "
                      "cannot stand for one State"]


def test_codes_after_aka_is_a_syntax_error():
    with pytest.raises(treatylang.TreatyError) as e:
        treatylang.parse_treaty(HEAD + '\nparty astoria "Astoria" aka "A" codes cow 991\n', "codes.treaty")
    assert "codes.treaty:5:33" in e.value.diagnostics[0].format()


def test_treaty_check_exits_2_with_file_line_col(tmp_path, capsys):
    path = tmp_path / "bad.treaty"
    path.write_text(HEAD + '\nparty astoria "Astoria" codes cow 99999\n')
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:5:31: error: '99999' is not a Correlates of War state number" in err
    assert "Traceback" not in err


def test_codes_survive_the_cache_codec():
    source = HEAD + '\nparty astoria "Astoria" codes iso XAS, cow 991\n'
    t = treatylang.parse_treaty(source, "codes.treaty")
    data = tree_json.dumps("codes.treaty", source, t.syntax, [])
    tree, _ = tree_json.loads(data, "codes.treaty", source)
    assert tree.parties[0].codes == t.syntax.parties[0].codes
    assert tree.parties[0].codes[0].parsed() == "XAS" and tree.parties[0].codes[1].parsed() == 991


@pytest.mark.parametrize("name", ["north_atlantic", "rio", "anzus"])
def test_the_library_treaties_declare_codes_for_every_party(name):
    t = treatylang.load_treaty(ROOT / "examples" / "treaties" / f"{name}.treaty", strict=True)
    for p in t.parties:
        assert t.code_of(p, "cow") is not None and t.code_of(p, "iso") is not None, p
    assert t.code_of("united_states", "cow") == 2 and t.code_of("united_states", "iso") == "USA"
