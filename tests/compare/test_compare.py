"""`treaty compare`: one scenario under several treaties, differences first.

The scenarios of examples/compare/ are run under the whole library and compared with golden outputs in
golden/ (refresh them with `TREATYLANG_UPDATE_GOLDEN=1 python -m pytest tests/compare` and read the diff).
The other tests check what the goldens cannot show alone: that the differences come from the treaties
(two pacts that differ only in their means), that a treaty which does not fit the scenario is a column
"not applicable" while a scenario that fits none is bad input, and the usage errors.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from treatylang import cli

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
SCENARIOS = sorted((ROOT / "examples" / "compare").glob("*.yaml"))
UPDATE = os.environ.get("TREATYLANG_UPDATE_GOLDEN") == "1"


@pytest.fixture
def at_root(monkeypatch):
    """Paths in the outputs as a user at the repository's root sees them."""
    monkeypatch.chdir(ROOT)


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_golden(got: str, name: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(got, encoding="utf-8")
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing: make it with TREATYLANG_UPDATE_GOLDEN=1, then read it"
    assert got == path.read_text(encoding="utf-8"), f"differs from {path.relative_to(ROOT)}"


def test_there_are_at_least_five_scenarios_each_saying_what_it_shows():
    assert len(SCENARIOS) >= 5
    for path in SCENARIOS:
        head = path.read_text(encoding="utf-8").split("\ntitle:")[0]
        assert "What it shows" in head, f"{path.name}: its opening comment says what it shows"


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_each_scenario_under_the_library(path, capsys, at_root):
    code, out, err = run(capsys, "compare", f"examples/compare/{path.name}", "--library")
    assert (code, err) == (0, "")
    assert_golden(out, f"{path.stem}.txt")


@pytest.mark.parametrize("fmt,ext", [("json", "json"), ("markdown", "md")])
def test_formats(fmt, ext, capsys, at_root):
    args = ("compare", "examples/compare/niger_attacked_by_neighbour.yaml", "--treaty", "ecowas_pmad",
            "--treaty", "au_ncdp", "--treaty", "aes", "--format", fmt)
    code, out, err = run(capsys, *args)
    assert (code, err) == (0, "")
    assert_golden(out, f"niger_attacked_by_neighbour.{ext}")
    if fmt == "json":
        data = json.loads(out)
        assert [t["id"] for t in data["treaties"]] == ["ecowas_pmad", "au_ncdp", "aes"]
        assert all(t["applicable"] for t in data["treaties"])  # one scenario, read through the vocabulary by each
        assert "arises" in {d["aspect"] for d in data["differences"]}
        owed = data["rows"][0]
        assert owed["whom"] == "niger" and "nothing" in owed["cells"]["ecowas_pmad"]
        assert owed["cells"]["aes"][0]["bearers"] == ["mali"]  # the Charter: not the aggressor (art. 8)
        assert {"mali", "chad"} <= set(owed["cells"]["au_ncdp"][0]["bearers"])
        assert "burkina_faso" not in owed["cells"]["au_ncdp"][0]["bearers"]


def test_explain_per_cell(capsys, at_root):
    args = ("compare", "examples/compare/niger_attacked_by_outsider.yaml", "--treaty", "ecowas_pmad",
            "--treaty", "au_ncdp", "--explain")
    code, out, err = run(capsys, *args)
    assert (code, err) == (0, "")
    assert_golden(out, "niger_attacked_by_outsider.explain.txt")
    code, out, _ = run(capsys, *args, "--format", "json")
    cell = json.loads(out)["rows"][0]["cells"]["ecowas_pmad"][0]
    assert any("article 3" in step for step in cell["because"])


def test_output_is_the_same_whatever_the_hash_seed():
    outs = set()
    for seed in ("0", "1", "12345"):
        done = subprocess.run([sys.executable, "-m", "treatylang.cli", "compare",
                               "examples/compare/niger_attacked_by_outsider.yaml", "--library", "--format", "json"],
                              cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr
        outs.add(done.stdout)
    assert len(outs) == 1


# ---- the differences come from the treaties ------------------------------------------------------------

PACT = """treaty {id} "A pact of {id}"
  signed 2020-01-01 at "Nowhere"
  in force on signature
party astoria "Astoria"
party belmont "Belmont"
party corvia "Corvia"
event attack(target: actor, by: actor)
article 1 "Defence"
  text en "An attack on one is answered by the others."
  rule assist:
    when attack(target: V, by: A)
    where V is a member
    for each member M other than V:
    M {modality} assist V
      means {means}
    unless M is A
"""


def _pacts(tmp_path, second_means="individual, collective", second_modality="must"):
    one = tmp_path / "one.treaty"
    two = tmp_path / "two.treaty"
    one.write_text(PACT.format(id="one", modality="must", means="individual, collective including armed_force"),
                   encoding="utf-8")
    two.write_text(PACT.format(id="two", modality=second_modality, means=second_means), encoding="utf-8")
    scenario = tmp_path / "s.yaml"
    scenario.write_text("title: An attack on Astoria\nactors:\n  raider: {kind: state}\nevents:\n"
                        "  - {type: attack, date: 2021-01-01, target: astoria, by: raider}\n", encoding="utf-8")
    return str(one), str(two), str(scenario)


def test_a_difference_of_means_is_read_from_the_treaties(tmp_path, capsys):
    one, two, scenario = _pacts(tmp_path)
    code, out, _ = run(capsys, "compare", scenario, "--treaty", one, "--treaty", two, "--format", "json")
    assert code == 0
    diffs = json.loads(out)["differences"]
    assert [d["aspect"] for d in diffs] == ["means"]
    assert diffs[0]["values"] == {"one": "by individual or collective means, including armed force",
                                  "two": "by individual or collective means"}


def test_a_difference_of_modality_and_no_difference_at_all(tmp_path, capsys):
    one, two, scenario = _pacts(tmp_path, second_means="individual, collective including armed_force",
                                second_modality="may")
    code, out, _ = run(capsys, "compare", scenario, "--treaty", one, "--treaty", two, "--format", "json")
    assert code == 0
    diffs = json.loads(out)["differences"]
    assert [d["aspect"] for d in diffs] == ["what"]
    assert diffs[0]["values"] == {"one": "must assist Astoria (art. 1)", "two": "may assist Astoria (art. 1)"}
    one, two, scenario = _pacts(tmp_path, second_means="individual, collective including armed_force")
    code, out, _ = run(capsys, "compare", scenario, "--treaty", one, "--treaty", two)
    assert code == 0 and "none: every treaty that applies concludes the same" in out


# ---- applicability and bad input --------------------------------------------------------------------------


def test_a_treaty_that_does_not_know_the_event_is_not_applicable(capsys, at_root):
    code, out, err = run(capsys, "compare", "examples/compare/threat_of_force.yaml", "--treaty", "aes",
                         "--treaty", "rio")
    assert (code, err) == (0, "")
    assert "Not applicable\n  rio: examples/compare/threat_of_force.yaml:" in out
    assert "unknown event type 'threat_of_force'" in out


def test_a_scenario_that_fits_no_treaty_is_bad_input(capsys, at_root):
    code, out, err = run(capsys, "compare", "examples/compare/threat_of_force.yaml", "--treaty", "rio",
                         "--treaty", "anzus")
    assert (code, out) == (2, "")
    assert "examples/compare/threat_of_force.yaml:" in err and ": error: unknown event type 'threat_of_force'" in err


def test_a_file_that_is_no_scenario_is_bad_input(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: [unclosed\n", encoding="utf-8")
    code, out, err = run(capsys, "compare", str(bad), "--library")
    assert (code, out) == (2, "")
    assert re.match(re.escape(str(bad)) + r":\d+:\d+: error: ", err) and "Traceback" not in err


@pytest.mark.parametrize("argv,says", [
    (["--treaty", "nato"], "no treaty 'nato' in the library"),
    (["--treaty", "north_atlantc"], "did you mean 'north_atlantic'?"),
    (["--treaty", "missing/x.treaty"], "missing/x.treaty"),
    (["--library", "--treaty", "aes"], "either --library or --treaty"),
    ([], "--treaty FILE_OR_ID (repeated) or --library"),
])
def test_usage_errors(argv, says, capsys, at_root):
    try:
        code = cli.main(["compare", "examples/compare/threat_of_force.yaml", *argv])
    except SystemExit as e:  # argparse's usage errors
        code = e.code
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert says in err and "Traceback" not in err


def test_a_fault_of_the_scenario_itself_is_reported_once(tmp_path, capsys):
    bad = tmp_path / "untitled.yaml"
    bad.write_text("events:\n  - {type: threat, date: 2024-03-01, target: niger, by: mali}\n", encoding="utf-8")
    code, out, err = run(capsys, "compare", str(bad), "--treaty", "aes", "--treaty", "cst", "--treaty", "rio")
    assert (code, out) == (2, "")
    assert err.count("the scenario has no 'title'") == 1, err


def test_as_of_judges_every_treaty_on_that_date(capsys, at_root):
    code, out, _ = run(capsys, "compare", "examples/compare/niger_attacked_by_outsider.yaml", "--treaty", "ecowas_pmad",
                       "--treaty", "au_ncdp", "--as-of", "2030-01-01", "--format", "json")
    assert code == 0
    assert {t["as_of"] for t in json.loads(out)["treaties"]} == {"2030-01-01"}
