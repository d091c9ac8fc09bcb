"""Each treaty is built once and each file read once: by `treaty eval`, `treaty explain`, `treaty test`.

The counts are taken at the public seams, so that they hold whatever builds the treaty inside:
`treatylang.parse_treaty` (what `load_treaty` calls to parse, check and compile) and the opening of the
files themselves (`open`, also through `io.open`, and `os.open`, which the input files are read with).
"""

import builtins
import contextlib
import io
import os
from collections import Counter

import attrs
import pytest

import treatylang
from treatylang.cli import main

from conftest import CHARTER, ECOWAS_SCENARIO


@pytest.fixture
def counts(monkeypatch):
    """{"built": treaties built, "opened": Counter of the files opened, by real path}."""
    built = []
    opened = Counter()
    parse, real_open, real_os_open = treatylang.parse_treaty, builtins.open, os.open

    def counting_parse(text, filename="<string>", **kw):
        built.append(filename)
        return parse(text, filename, **kw)

    def counting_open(file, *args, **kw):
        mode = args[0] if args else kw.get("mode", "r")
        if isinstance(file, (str, os.PathLike)) and "r" in mode:  # reads only (the tests write their files)
            opened[os.path.realpath(file)] += 1
        return real_open(file, *args, **kw)

    def counting_os_open(path, flags, *args, **kw):
        if isinstance(path, (str, os.PathLike)) and flags & os.O_ACCMODE == os.O_RDONLY:
            opened[os.path.realpath(path)] += 1
        return real_os_open(path, flags, *args, **kw)

    monkeypatch.setattr(treatylang, "parse_treaty", counting_parse)
    monkeypatch.setattr(os, "open", counting_os_open)
    monkeypatch.setattr(builtins, "open", counting_open)
    monkeypatch.setattr(io, "open", counting_open)
    return {"built": built, "opened": opened}


def write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def opened(counts, *paths):
    return [counts["opened"][os.path.realpath(p)] for p in paths]


def quiet(argv) -> int:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main(argv)


def test_eval_of_one_scenario_builds_its_treaty_once_and_reads_each_file_once(tmp_path, counts):
    scenario = write(tmp_path, "s.yaml", ECOWAS_SCENARIO)
    assert quiet(["eval", str(scenario)]) == 0
    assert counts["built"] == [treatylang.bundled_charter_path()]
    assert opened(counts, scenario, CHARTER) == [1, 1]


def test_eval_of_several_scenarios_builds_a_shared_treaty_once(tmp_path, counts):
    write(tmp_path, "charter.treaty", CHARTER.read_text(encoding="utf-8"))
    own = ECOWAS_SCENARIO.replace("as_of:", "treaty: charter.treaty\nas_of:")
    a, b = write(tmp_path, "a.yaml", own), write(tmp_path, "b.yaml", own)
    c = write(tmp_path, "c.yaml", own.replace("treaty: charter.treaty", "treaty: ./charter.treaty"))
    assert quiet(["eval", str(a), str(b), str(c), "--format", "json"]) == 0
    assert counts["built"] == [os.path.normpath(tmp_path / "charter.treaty")]
    assert opened(counts, a, b, c, tmp_path / "charter.treaty") == [1, 1, 1, 1]


def test_eval_with_treaty_option_builds_it_once(tmp_path, counts):
    a, b = write(tmp_path, "a.yaml", ECOWAS_SCENARIO), write(tmp_path, "b.yaml", ECOWAS_SCENARIO)
    assert quiet(["eval", str(a), str(b), "--treaty", str(CHARTER)]) == 0
    assert counts["built"] == [str(CHARTER)]
    assert opened(counts, a, b, CHARTER) == [1, 1, 1]


def test_explain_builds_once_and_reads_once(tmp_path, counts):
    scenario = write(tmp_path, "s.yaml", ECOWAS_SCENARIO)
    assert quiet(["explain", str(scenario), "--why-not", "niger"]) == 0
    assert len(counts["built"]) == 1
    assert opened(counts, scenario, CHARTER) == [1, 1]


def test_treaty_test_builds_once_and_reads_each_case_once(tmp_path, counts):
    case = ECOWAS_SCENARIO + "expect:\n  norms:\n    - {bearer: mali, counterparty: niger, article: \"6\"}\n"
    a, b = write(tmp_path, "a.yaml", case), write(tmp_path, "b.yaml", case)
    assert quiet(["test", str(tmp_path)]) == 0
    assert len(counts["built"]) == 1
    assert opened(counts, a, b, CHARTER) == [1, 1, 1]


def test_load_scenario_binds_the_treaty_it_validated_against(tmp_path, counts, charter):
    path = write(tmp_path, "s.yaml", ECOWAS_SCENARIO)
    given = treatylang.load_scenario(path, charter)
    assert given.treaty is charter and counts["built"] == []
    own = treatylang.load_scenario(path)
    assert own.treaty is not None and counts["built"] == [treatylang.bundled_charter_path()]
    treaty_field = attrs.fields(treatylang.Scenario).treaty
    assert not treaty_field.eq and not treaty_field.repr  # the treaty is not part of the scenario's value
    assert [(e.id, e.type, e.date, e.args) for e in own.events] == [(e.id, e.type, e.date, e.args) for e in given.events]
    result = treatylang.evaluate(own.treaty, own)
    assert [n.bearer for n in result.norms]


def test_a_shared_cache_keeps_a_bad_treaty_error(tmp_path, counts):
    write(tmp_path, "bad.treaty", 'treaty x "t"\nparty (\n')
    a = write(tmp_path, "a.yaml", "title: a\ntreaty: bad.treaty\nevents: []\n")
    b = write(tmp_path, "b.yaml", "title: b\ntreaty: bad.treaty\nevents: []\n")
    cache = treatylang.treaty_cache()
    for path in (a, b):
        with pytest.raises(treatylang.TreatyError) as info:
            treatylang.load_scenario(path, treaties=cache)
        assert info.value.diagnostics[0].span.file == os.path.normpath(tmp_path / "bad.treaty")
    assert len(counts["built"]) == 1
