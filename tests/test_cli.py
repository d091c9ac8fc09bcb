"""The `treaty` command: formats, exit codes, errors on stderr, byte-identical output."""

import json
import os
import subprocess
import sys

import pytest

from treatylang.cli import main

from conftest import CHARTER, ECOWAS_SCENARIO, ROOT

SCENARIO = ECOWAS_SCENARIO


@pytest.fixture
def scenario(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO)
    return path


def test_eval_text_groups_by_member(scenario, capsys):
    assert main(["eval", str(scenario)]) == 0
    out = capsys.readouterr().out
    assert "members on 2023-10-01: Burkina Faso, Mali, Niger" in out
    mali = out.index("\nMali\n")
    assert "obligation: Mali must assist Niger, by individual or collective means, including armed force  [art. 6, duty_of_assistance]" in out[mali:]
    assert "Mali breached article 8 (Non-aggression), rule non_aggression" in out


def test_eval_json_follows_the_contract(scenario, capsys):
    assert main(["eval", str(scenario), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data)[:9] == ["treaty", "scenario", "as_of", "entry_into_force", "terminated", "members", "norms", "standing", "breaches"]
    status = data["treaty"].pop("status")  # the model's status (docs/json.md): counts over the articles
    assert data["treaty"] == {"id": "aes", "title": "Liptako-Gourma Charter establishing the Alliance of Sahel States"}
    assert status["articles"] == 18 and status["paraphrase"] + status["press_summary"] + status["no_text"] == 18
    assert status["reviewed"] + status["unreviewed"] == status["with_rules"]  # the Charter declares every review
    assert data["members"] == ["burkina_faso", "mali", "niger"]
    first = data["norms"][0]
    assert {k: first[k] for k in ("bearer", "modality", "action", "counterparty", "article", "rule", "event", "date", "means")} == {
        "bearer": "burkina_faso", "modality": "obligation", "action": "assist", "counterparty": "niger",
        "article": "6", "rule": "duty_of_assistance", "event": "intervention", "date": "2023-10-01",
        "means": ["individual", "collective", "armed_force"]}
    assert "because" not in first  # explanations only with --explain (DESIGN §5)
    assert [(b["party"], b["article"], b["event"]) for b in data["breaches"]] == [("mali", "8", "e2")]
    keys = [(n["date"], n["event"], n["bearer"]) for n in data["norms"]]
    assert keys == sorted(keys, key=lambda k: (k[0], ["intervention", "e2"].index(k[1]), k[2]))


def test_eval_json_explain_adds_because(scenario, capsys):
    assert main(["eval", str(scenario), "--format", "json"]) == 0
    plain = json.loads(capsys.readouterr().out)
    assert main(["eval", str(scenario), "--format", "json", "--explain"]) == 0
    data = json.loads(capsys.readouterr().out)
    first = data["norms"][0]
    assert any("Niger is a member on 2023-10-01" in step for step in first["because"])
    for key in ("norms", "standing", "breaches", "effects"):
        assert [{k: v for k, v in item.items() if k != "because"} for item in data[key]] == plain[key]


def test_eval_markdown_and_explain(scenario, capsys):
    assert main(["eval", str(scenario), "--format", "markdown", "--explain"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# ECOWAS intervention in Niger")
    assert "| Mali | intervention (2023-10-01) | obligation: Mali must assist Niger |" in out
    assert "### Why" in out


def test_as_of_overrides(scenario, capsys):
    assert main(["eval", str(scenario), "--as-of", "2023-09-01", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["members"] == []


def test_bad_scenario_exits_2_with_a_located_message(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: x\nevents:\n  - type: atack\n    date: 2023-10-01\n")
    assert main(["eval", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{bad}:3:11: error: unknown event type 'atack'")
    assert "did you mean 'attack'?" in err
    assert err.splitlines()[1].strip() == "- type: atack" and err.splitlines()[2].strip() == "^^^^^"


def test_bad_option_value_exits_2(scenario, capsys):
    with pytest.raises(SystemExit) as info:
        main(["eval", str(scenario), "--as-of", "tomorrow"])
    assert info.value.code == 2
    assert "'tomorrow' is not a date" in capsys.readouterr().err


def test_check(capsys):
    assert main(["check", str(CHARTER)]) == 0
    ok, status = capsys.readouterr().out.splitlines()
    assert "ok: 3 parties, 17 articles" in ok
    # issue #12 (4): the model's status in one line; every Charter article with rules says whether it was reviewed
    assert status.startswith(f"{CHARTER}: model status: preamble and 17 articles: ")
    assert "paraphrase" in status and "press summary only" in status and "not declared" not in status
    assert main(["check", "--strict", str(CHARTER)]) == 0  # every article with rules declares its status
    assert main(["check", str(ROOT / "tests" / "data" / "broken.treaty")]) == 2
    assert "error: unknown event type 'atack'" in capsys.readouterr().err


def test_check_json_gives_every_diagnostic_as_data(capsys):
    assert main(["check", str(ROOT / "tests" / "data" / "broken.treaty"), "--format", "json"]) == 2
    out = capsys.readouterr()
    assert out.err == ""
    [report] = json.loads(out.out)
    assert report["ok"] is False
    typo = next(d for d in report["diagnostics"] if "atack" in d["message"])
    assert (typo["line"], typo["column"], typo["severity"], typo["article"], typo["hint"]) == (
        31, 10, "error", "1", "did you mean 'attack'?")


def test_why_not(scenario, capsys):
    assert main(["explain", str(scenario), "--why-not", "Niger", "--article", "6"]) == 0
    out = capsys.readouterr().out
    assert "Niger is the attack's 'target' (V); the rule binds each member other than V" in out
    assert main(["eval", str(scenario), "--why-not", "mali", "--article", "6"]) == 0
    assert "excepted by the rule's own 'unless': Mali is Mali (M = A)" in capsys.readouterr().out
    assert main(["explain", str(scenario), "--why-not", "Nigeria"]) == 2
    assert "did you mean 'niger'?" in capsys.readouterr().err


@pytest.mark.parametrize("options, said", [
    (["--counterparty", "niger"], "--counterparty needs --why-not BEARER"),
    (["--article", "6", "--counterparty", "niger"], "--counterparty needs --why-not BEARER"),
])
def test_why_not_options_without_why_not_are_refused(scenario, capsys, options, said):
    """`--article` / `--counterparty` narrow `--why-not`; given alone they would be silently ignored (F01)."""
    with pytest.raises(SystemExit) as info:
        main(["eval", str(scenario), *options])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert f"treaty eval: error: {said}" in err and err.startswith("usage: treaty eval")


@pytest.mark.parametrize("path, said", [
    ("/dev/null", "is a character device, not a regular file or a folder"),
    ("no/such/path.yaml", "no such file or folder"),
])
def test_test_says_what_a_path_that_cannot_be_run_is(path, said, capsys):
    if path.startswith("/dev/") and not os.path.exists(path):
        pytest.skip(f"no {path} here")
    assert main(["test", path]) == 2
    assert f"{path}:1:1: error: {said}" in capsys.readouterr().err


def test_test_on_a_named_pipe_says_it_is_one(tmp_path, capsys):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    fifo = tmp_path / "case.yaml"
    os.mkfifo(fifo)
    assert main(["test", str(fifo)]) == 2
    assert f"{fifo}:1:1: error: is a named pipe (FIFO), not a regular file or a folder" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["eval", "explain", "check", "test", "verify"])
def test_help(command, capsys):
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    assert f"usage: treaty {command}" in capsys.readouterr().out


def test_output_is_byte_identical_whatever_the_hash_seed(scenario):
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        for fmt in ("text", "json"):
            proc = subprocess.run([sys.executable, "-m", "treatylang.cli", "eval", str(scenario), "--format", fmt, "--explain"],
                                  capture_output=True, env=env, check=True)
            outputs.add((fmt, proc.stdout))
    assert len(outputs) == 2


def test_why_not_with_json_output_is_refused_rather_than_breaking_the_json(scenario, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["eval", str(scenario), "--format", "json", "--why-not", "niger"])
    assert exit_.value.code == 2
    assert "--why-not answers in text, which would break the JSON" in capsys.readouterr().err


def test_an_event_with_an_empty_date_is_an_error_not_dropped(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: t\nevents:\n  - type: attack\n    date:\n    target: niger\n    by: mali\n")
    assert main(["eval", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml:4:" in err and "'date' is empty" in err


def test_treaty_test_finds_an_expect_block_written_as_a_flow_mapping(tmp_path, capsys):
    case = tmp_path / "flow.yaml"
    case.write_text('{title: t, events: [{type: attack, date: 2024-01-01, target: niger, by: mali}], '
                    '"expect": {breaches: []}}\n')
    assert main(["test", str(tmp_path)]) == 1  # found and run: Mali is in breach of art. 8
    assert "flow.yaml" in capsys.readouterr().out


@pytest.mark.parametrize("columns", ["50", "132", "", "0", "wide"])
def test_help_is_as_wide_as_argparse_would_make_it(monkeypatch, columns):
    import shutil

    from treatylang import cli

    monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.setattr(cli, "_WIDTH", None)
    assert cli._formatter("treaty")._width == shutil.get_terminal_size().columns - 2


def test_the_bundled_charter_is_found_in_a_checkout_and_as_installed_package_data(tmp_path, monkeypatch):
    import treatylang

    assert os.path.samefile(treatylang.bundled_charter_path(), CHARTER)
    installed = tmp_path / "site-packages" / "treatylang"
    (installed / "specs").mkdir(parents=True)
    (installed / "specs" / "aes_charter.treaty").write_text("x", encoding="utf-8")
    monkeypatch.setattr(treatylang, "__file__", str(installed / "__init__.py"))
    assert treatylang.bundled_charter_path() == str(installed / "specs" / "aes_charter.treaty")
