"""The analysed grammar shipped as JSON beside grammar.lark (treatylang.lang.grammar_tables)."""

import json
import os
import pickle
import subprocess
import sys

import lark
import pytest

from treatylang.lang import build_grammar, grammar_tables, parser
from treatylang.source.diagnostics import TreatyError

from conftest import CHARTER, ROOT


def test_the_shipped_tables_are_what_grammar_lark_gives():
    """Fails when grammar.lark changed and the tables were not rebuilt."""
    rebuilt = build_grammar.expected_tables()  # analysed in memory, written nowhere
    shipped = grammar_tables.TABLES.read_text(encoding="utf-8")
    assert shipped == rebuilt, "grammar_tables.json is stale: run python -m treatylang.lang.build_grammar"


@pytest.mark.parametrize("seed", ["1", "2"])
def test_the_tables_are_the_same_under_any_hash_seed(seed):
    """Lark numbers its states by hash order; the shipped form must not depend on it."""
    env = dict(os.environ, PYTHONHASHSEED=seed)
    done = subprocess.run([sys.executable, "-m", "treatylang.lang.build_grammar", "--check"], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_tables_are_json_not_code():
    data = json.loads(grammar_tables.TABLES.read_text(encoding="utf-8"))
    assert data["format"] == grammar_tables.FORMAT
    assert not grammar_tables.TABLES.read_bytes().startswith(b"\x80")  # not a pickle


def test_the_parser_is_loaded_from_the_tables_and_parses_as_the_grammar_does():
    loaded, origin = grammar_tables.load()
    assert origin == "tables"
    built = grammar_tables.build(grammar_tables.GRAMMAR.read_text(encoding="utf-8"))
    text = CHARTER.read_text(encoding="utf-8")
    assert loaded.parse(text) == built.parse(text)
    assert {t.name for t in loaded.terminals} == {t.name for t in built.terminals}
    assert sorted(str(r) for r in loaded.rules) == sorted(str(r) for r in built.rules)


def _tables():
    return json.loads(grammar_tables.TABLES.read_text(encoding="utf-8"))


def _spoil(change):
    data = _tables()
    change(data)
    return json.dumps(data)


BAD_TABLES = {
    "not json": "{ this is not json",
    "truncated": grammar_tables.TABLES.read_text(encoding="utf-8")[:5000],
    "a list": "[]",
    "other format": _spoil(lambda d: d.update(format="something else")),
    "newer version": _spoil(lambda d: d.update(version=99)),
    "stale grammar": _spoil(lambda d: d["grammar"].update(crc32=d["grammar"]["crc32"] ^ 1)),
    "shift out of range": _spoil(lambda d: d["states"][0].update({d["tokens"][0]: 10 ** 6})),
    "reduce by a terminal": _spoil(lambda d: d["states"][0].update({d["tokens"][0]: -1})),
    "unknown token": _spoil(lambda d: d["states"][0].update({"NO_SUCH_TOKEN": 0})),
    "a code that is true": _spoil(lambda d: d["states"][0].update({d["tokens"][0]: True})),
    "a code that is a number with a point": _spoil(lambda d: d["states"][0].update({d["tokens"][0]: 1.0})),
    "a state that is a list": _spoil(lambda d: d["states"].__setitem__(1, [])),
    "memo of another class": _spoil(lambda d: d["memo"][0].update(__type__="Lark")),
    "no states": _spoil(lambda d: d.update(states=[])),
    "no lexer": _spoil(lambda d: d["lark_data"]["parser"].pop("lexer_conf")),
    "a rule lacking its expansion": _spoil(lambda d: next(m for m in d["memo"] if m["__type__"] == "Rule").pop("expansion")),
}


@pytest.mark.parametrize("name", sorted(BAD_TABLES))
def test_unusable_tables_are_refused_and_the_grammar_is_analysed_instead(tmp_path, name):
    tables = tmp_path / "grammar_tables.json"
    tables.write_text(BAD_TABLES[name], encoding="utf-8")
    with pytest.raises(grammar_tables.BadTables):
        grammar_tables.from_tables(tables.read_text(encoding="utf-8"), grammar_tables.GRAMMAR.read_text(encoding="utf-8"))
    loaded, origin = grammar_tables.load(tables=tables)
    assert origin == "grammar"
    assert loaded.parse(CHARTER.read_text(encoding="utf-8")).data == "start"


def test_missing_tables_are_rebuilt_from_the_grammar(tmp_path):
    loaded, origin = grammar_tables.load(tables=tmp_path / "nowhere.json")
    assert origin == "grammar"


def test_the_tables_alone_suffice_when_the_grammar_source_is_absent(tmp_path):
    loaded, origin = grammar_tables.load(grammar=tmp_path / "nowhere.lark")
    assert origin == "tables"


def test_nothing_is_read_from_or_written_to_the_user_cache(tmp_path, monkeypatch):
    """No pickle and no Lark cache: a file planted in the cache directory is never loaded."""
    cache = tmp_path / "cache"
    (cache / "treatylang").mkdir(parents=True)
    marker = tmp_path / "planted-code-ran"
    planted = pickle.dumps(_Planted(str(marker)))
    for name in ("grammar-0.lark", "grammar.lark", "lark.tmp"):
        (cache / "treatylang" / name).write_bytes(planted)
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.delenv("TREATYLANG_NO_CACHE", raising=False)

    def no_pickle(*args, **kwargs):
        raise AssertionError("a pickle was read")

    monkeypatch.setattr(pickle, "load", no_pickle)
    monkeypatch.setattr(pickle, "loads", no_pickle)
    built = []
    real_lark = lark.Lark

    class Recording(real_lark):
        def __init__(self, *args, **options):
            built.append(options)
            super().__init__(*args, **options)

    monkeypatch.setattr(lark, "Lark", Recording)
    before = sorted(p.name for p in (cache / "treatylang").iterdir())
    for tables in (grammar_tables.TABLES, tmp_path / "missing.json"):  # the shipped tables, then the fallback
        monkeypatch.setattr(grammar_tables, "TABLES", tables)
        parser.lark_parser.cache_clear()
        parser._keyword_words.cache_clear()
        try:
            tree = parser.parse_treaty_source(CHARTER.read_text(encoding="utf-8"), str(CHARTER))
            assert tree.header.id == "aes"
            with pytest.raises(TreatyError):
                parser.parse_treaty_source('treaty t "T"\nparty a\n', "bad.treaty")
        finally:
            parser.lark_parser.cache_clear()
            parser._keyword_words.cache_clear()
    assert not marker.exists()
    assert sorted(p.name for p in (cache / "treatylang").iterdir()) == before
    assert built and all(not options.get("cache") for options in built)


class _Planted:
    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_the_build_command_reports_a_stale_file(tmp_path, monkeypatch, capsys):
    shipped = grammar_tables.TABLES.read_text(encoding="utf-8")
    stale = tmp_path / "grammar_tables.json"
    stale.write_text("{}", encoding="utf-8")
    monkeypatch.setattr(grammar_tables, "TABLES", stale)
    assert build_grammar.main(["--check"]) == 1
    assert "stale" in capsys.readouterr().err
    assert build_grammar.main([]) == 0
    assert build_grammar.main(["--check"]) == 0
    assert stale.read_text(encoding="utf-8") == shipped
