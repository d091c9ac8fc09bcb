"""`treaty test` and the casebook checker: passing cases, unmet expectations, bad expect blocks, pytest."""

from __future__ import annotations

import contextlib
import io
import textwrap
from pathlib import Path

import pytest

import treatylang
from treatylang import cli
from treatylang.casebook.runner import check_expectations

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent
CHARTER = ROOT / "specs" / "aes_charter.treaty"

ATTACK = """\
title: {title}
actors:
  ecowas: {{name: ECOWAS, kind: organization, aka: CEDEAO}}
events:
  - id: intervention
    type: attack
    date: 2023-10-01
    target: niger
    by: ecowas
expect:
{expect}
"""

PASSING = """\
norms:
  - {bearer: Mali, modality: obligation, counterparty: NER, article: 6}
  - {bearer: burkina_faso, action: assist, means: [individual, collective, armed_force], event: intervention}
standing:
  - {bearer: mali, modality: prohibition, action: use_force, counterparty: niger}
absent:
  - {bearer: niger, article: "6"}
  - {bearer: cedeao}
breaches: []
effects: []
members: [burkina_faso, mali, niger]
"""


def case(folder: Path, name: str, expect: str, title: str = "Attack on Niger by ECOWAS") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    expect = textwrap.indent(textwrap.dedent(expect).strip("\n"), "  ")
    path.write_text(ATTACK.format(title=title, expect=expect), encoding="utf-8")
    return path


def run(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["test", *map(str, argv)])
    return code, out.getvalue(), err.getvalue()


def result_of(path: Path):
    scenario = treatylang.load_scenario(path)
    return treatylang.evaluate(treatylang.load_treaty(CHARTER), scenario)


# ---- treaty test ----------------------------------------------------------------------------------
def test_a_passing_case(tmp_path):
    path = case(tmp_path, "pass.yaml", PASSING)
    code, out, err = run(path)
    assert code == 0, out + err
    assert out.splitlines() == [f"PASS {path}: Attack on Niger by ECOWAS", "1 passed, 0 failed"]


def test_a_broken_expectation_is_reported_next_to_the_closest_norms(tmp_path):
    path = case(tmp_path, "broken.yaml", """\
        norms:
          - {bearer: mali, modality: obligation, counterparty: burkina_faso, article: "6"}
        """, title="Wrong victim")
    code, out, _ = run(path)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == f"FAIL {path}: Wrong victim"
    assert lines[1] == (f"  {path}:12:7: expected norm not produced: "
                        "{bearer: mali, modality: obligation, counterparty: burkina_faso, article: \"6\"}")
    assert lines[2] == "    closest produced norms:"
    # ranked by how many keys match: mali's own duty to Niger first (3 of 4 keys)
    assert lines[3].startswith("      {bearer: mali, modality: obligation, action: assist, counterparty: niger")
    assert lines[3].endswith("(differs on counterparty)")
    assert lines[-1] == "0 passed, 1 failed"


def test_each_kind_of_unmet_expectation(tmp_path):
    path = tmp_path / "all_wrong.yaml"
    path.write_text(textwrap.dedent("""\
        title: Burkina attacks Niger
        events:
          - {type: attack, date: 2023-10-01, target: niger, by: burkina_faso}
        expect:
          absent:
            - {bearer: mali, action: assist}
          breaches:
            - {party: mali, article: "8"}
          effects:
            - {party: burkina_faso, change: leaves}
          members: [mali, niger]
        """), encoding="utf-8")
    code, out, _ = run(path)
    assert code == 1
    assert "norm expected absent was produced: {bearer: mali, action: assist}" in out
    assert "expected breach not found: {party: mali, article: \"8\"}" in out
    assert "(differs on party)" in out
    assert "unexpected breach (the breaches listed must be all of them): {party: burkina_faso" in out
    assert "expected effect not found: {party: burkina_faso, change: leaves}" in out
    assert "no effect was produced" in out
    assert "members on 2023-10-01 are [burkina_faso, mali, niger], expected [mali, niger]" in out


def test_a_bad_expect_key_is_bad_input_and_the_others_still_run(tmp_path):
    good = case(tmp_path, "a_good.yaml", PASSING)
    bad = case(tmp_path, "b_bad.yaml", """\
        norms:
          - {bearer: mali, modalty: obligation, article: "66"}
        """, title="Typos")
    code, out, err = run(tmp_path)
    assert code == 2
    assert f"PASS {good}: Attack on Niger by ECOWAS" in out
    assert f"ERROR {bad}: bad input" in out
    assert out.splitlines()[-1] == "1 passed, 0 failed"
    assert f"{bad}:12:22: error: unknown key 'modalty' in an expected norm" in err
    assert "did you mean 'modality'?" in err
    assert "'66' is not an article of this treaty; did you mean '6'?" in err


def test_unknown_names_in_expectations_are_errors_not_silent_passes(tmp_path):
    # An `absent` item naming a misspelt actor would otherwise pass for the wrong reason.
    path = case(tmp_path, "typo.yaml", "absent:\n  - {bearer: nigr}\n")
    code, _, err = run(path)
    assert code == 2
    assert "unknown actor 'nigr'" in err and "did you mean 'niger'?" in err


def test_folders_are_searched_and_other_yaml_is_ignored(tmp_path):
    case(tmp_path, "deep/er/case.yml", PASSING)
    (tmp_path / "config.yaml").write_text("expected: 3\nlist: [1, 2]\n")
    (tmp_path / "scenario_without_expect.yaml").write_text(
        "title: t\nevents: []\n", encoding="utf-8")
    code, out, _ = run(tmp_path)
    assert code == 0
    assert out.splitlines() == [f"PASS {tmp_path / 'deep/er/case.yml'}: Attack on Niger by ECOWAS",
                                "1 passed, 0 failed"]


def test_a_missing_path_is_bad_input(tmp_path):
    code, out, err = run(tmp_path / "nowhere")
    assert code == 2
    assert "no such file or folder" in err
    assert out.splitlines()[-1] == "0 passed, 0 failed"


def test_the_project_casebook_passes():
    code, out, err = run(ROOT / "examples")
    assert code == 0, out + err
    assert out.splitlines()[-1].endswith(" passed, 0 failed")


# ---- the checker, directly --------------------------------------------------------------------------
def test_breaches_and_effects_pair_each_item_with_its_own(tmp_path):
    path = case(tmp_path, "twice.yaml", """\
        breaches:
          - {party: mali}
          - {party: mali}
        """)
    path.write_text(path.read_text().replace("by: ecowas", "by: mali"))
    failures = check_expectations(result_of(path))
    assert [f.message for f in failures] == ["expected breach not found (each item needs a breach of its own)"]


def test_means_compare_as_a_set_unless_the_norm_ranks_them(tmp_path):
    path = tmp_path / "rebellion.yaml"
    path.write_text(textwrap.dedent("""\
        title: Rebellion in Mali
        events:
          - {type: rebellion, date: 2023-10-01, in: mali}
        expect:
          norms:
            - {bearer: niger, means: [peaceful_and_diplomatic, armed_force]}
            - {bearer: niger, means: [armed_force, peaceful_and_diplomatic]}
        """), encoding="utf-8")
    failures = check_expectations(result_of(path))
    assert len(failures) == 1 and failures[0].line == 7  # art. 5 ranks its means: order matters there


def test_a_scenario_without_expect_has_nothing_to_check(tmp_path):
    path = tmp_path / "plain.yaml"
    path.write_text("title: t\nevents: []\n")
    assert check_expectations(result_of(path)) == []


# ---- pytest collects the casebook -------------------------------------------------------------------
@pytest.fixture
def casebook_dir(pytester):
    pytester.makepyprojecttoml('[tool.pytest.ini_options]\ntestpaths = ["tests"]\n')
    cases = pytester.path / "cases"
    case(cases, "good.yaml", PASSING, title="A good case")
    case(cases, "bad.yaml", "norms:\n  - {bearer: niger, article: '6'}\n", title="A wrong case")
    (cases / "settings.yaml").write_text("expect_nothing: true\n")
    (pytester.path / "tests").mkdir()
    (pytester.path / "tests" / "test_nothing.py").write_text("def test_ok():\n    pass\n")
    case(pytester.path / "tests", "fixture.yaml", "norms:\n  - {bearer: niger}\n", title="A fixture")
    return pytester


def _plugin_installed() -> bool:
    from importlib.metadata import entry_points

    return any(ep.name == "treatylang" for ep in entry_points(group="pytest11"))


def runpytest(pytester, *args):
    """An inner pytest run, without the plugins this test does not need (they are slow to import).

    The plugin comes from the `pytest11` entry point; an install made before it existed gets it by `-p`.
    """
    plugin = () if _plugin_installed() else ("-p", "treatylang.casebook.pytest_plugin")
    return pytester.runpytest(*args, *plugin, "-p", "no:cacheprovider", "-p", "no:hypothesispytest")


def test_pytest_runs_the_yaml_under_a_folder_named(casebook_dir):
    result = runpytest(casebook_dir, "cases")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*FAIL cases*bad.yaml: A wrong case*", "*expected norm not produced*"])


def test_pytest_selects_cases_with_k(casebook_dir):
    result = runpytest(casebook_dir, "cases", "-k", "good")
    result.assert_outcomes(passed=1, deselected=1)


def test_pytest_collects_no_yaml_unless_asked(casebook_dir):
    # a plain run uses testpaths: the YAML case in tests/ is not collected, nor is anything under cases/
    result = runpytest(casebook_dir)
    result.assert_outcomes(passed=1)


def test_the_casebook_files_option_collects_by_name(casebook_dir):
    casebook_dir.makepyprojecttoml('[tool.pytest.ini_options]\ntestpaths = ["tests"]\n'
                                   'casebook_files = ["fixture.yaml"]\n')
    result = runpytest(casebook_dir)
    result.assert_outcomes(passed=1, failed=1)  # test_ok, and the fixture (Niger owes no art. 6 assistance)


def test_pytest_reads_each_case_once(casebook_dir, monkeypatch):
    from treatylang.source import files

    reads = []
    read_bytes = files.read_bytes
    monkeypatch.setattr(files, "read_bytes", lambda path: reads.append(Path(path).name) or read_bytes(path))
    result = runpytest(casebook_dir, "cases")
    result.assert_outcomes(passed=1, failed=1)
    assert sorted(reads) == ["aes_charter.treaty", "bad.yaml", "good.yaml", "settings.yaml"]  # each once
