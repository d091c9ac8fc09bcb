"""`treaty classify`: formats, `--against` (CSV files of our own making with ATOP's columns), errors, exit
codes, byte-identical output whatever the hash seed; and the example of docs/classify.md."""

import json
import os
import re
import subprocess
import sys

import pytest

from treatylang.classify import VARIABLES
from treatylang.cli import main

from conftest import ROOT

DOC = ROOT / "docs" / "classify.md"
COLUMNS = ("atopid,member,yrent,moent,dayent,yrexit,moexit,dayexit,phase,defense,offense,neutral,nonagg,consul,"
           "active,defcon,defcoloc,defcoadv,defconpr,defcocon,defconum,defcodem,asymm")


def _doc_blocks():
    """The example treaty, the CSV and the `--against` transcript of docs/classify.md."""
    text = DOC.read_text(encoding="utf-8")
    treaty = re.search(r"```treaty file=harbours.treaty\n(.*?)```", text, re.S).group(1)
    csv_text = re.search(r"```csv\n(.*?)```", text, re.S).group(1)
    transcript = re.search(r"```console\n(\$ treaty classify harbours.treaty --against.*?)```", text, re.S).group(1)
    return treaty, csv_text, transcript


@pytest.fixture
def harbours(tmp_path, monkeypatch):
    treaty, csv_text, _ = _doc_blocks()
    (tmp_path / "harbours.treaty").write_text(treaty, encoding="utf-8")
    (tmp_path / "atop_sample.csv").write_text(csv_text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_against_example_of_the_docs_is_true(harbours, capsys):
    _, _, transcript = _doc_blocks()
    command, *shown = transcript.rstrip("\n").split("\n")
    assert main(command.split()[2:]) == 0  # after "$ treaty"
    out = capsys.readouterr().out
    assert out[out.index("Against ATOP"):].rstrip("\n").split("\n") == shown


def test_json_has_one_key_per_variable(harbours, capsys):
    assert main(["classify", "harbours.treaty", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["treaty"] == "harbours"
    assert list(data["members"]) == ["astoria", "belmont", "corvina"]
    assert list(data["members"]["astoria"]) == ["cow", *VARIABLES]
    assert data["members"]["astoria"]["cow"] == 991 and data["members"]["astoria"]["defense"] == 1
    assert all(v in (0, 1) for m in data["members"].values() for k, v in m.items() if k != "cow")
    assert list(data["derivations"]["astoria"]) == list(VARIABLES)
    assert data["undecided"]["astoria"] == ["defconum"]
    assert "against" not in data


def test_json_against(harbours, capsys):
    assert main(["classify", "harbours.treaty", "--format", "json", "--against", "atop_sample.csv", "--atopid", "9001"]) == 0
    k = json.loads(capsys.readouterr().out)["against"]
    assert k["agreement"]["nonagg"] == {"agree": 1, "compared": 2} and k["agreement"]["defense"] == {"agree": 2, "compared": 2}
    assert [(d["member"], d["variable"], d["model"], d["atop"]) for d in k["disagreements"]] == [("belmont", "nonagg", 1, 0)]
    assert k["not_in_model"] == [{"cow": 994, "note": "no declaration of the treaty has this code"}]
    assert k["not_in_atop"][0]["member"] == "corvina"


def test_markdown(harbours, capsys):
    assert main(["classify", "harbours.treaty", "--format", "markdown", "--against", "atop_sample.csv", "--atopid", "9001"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Pact of the Three Harbours: ATOP variables\n")
    assert "| Republic of Astoria | 991 | 1 | 0 | 0 | 1 | 1 | 1 | 1 | 1 | 0 | 0 | 0 | 0? | 0 | 0 |" in out
    assert "## Against ATOP alliance 9001" in out and "| nonagg | 1 | 2 |" in out


def _csv(tmp_path, rows, header=COLUMNS):
    path = tmp_path / "rows.csv"
    path.write_text(header + "\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return str(path)


def test_the_row_in_effect_is_compared(harbours, tmp_path, capsys):
    path = _csv(tmp_path, ["9001,991,2010,1,1,2015,1,1,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0",  # an earlier phase
                           "9001,991,2015,1,2,0,0,0,2,1,0,0,1,1,1,1,1,0,0,0,0,0,0"])
    assert main(["classify", "harbours.treaty", "--against", path, "--atopid", "9001"]) == 0
    out = capsys.readouterr().out
    assert "astoria (COW 991, ATOP row 3): 14/14 agree" in out and "disagreements: none" in out


@pytest.mark.parametrize("rows, header, message", [
    ([], COLUMNS, "no row has atopid 9001"),
    (["9002,991,2020,1,1,0,0,0,0,1,0,0,1,1,1,1,1,0,0,0,0,0,0"], COLUMNS, "no row has atopid 9001"),
    (["9001,991"], "atopid,defense", "rows.csv:1: not an ATOP member-level CSV: no column 'member'"),
    (["9001,991,1"], "atopid,member,yrent", "rows.csv:1: none of the ATOP variables"),
    (["9001,x,2020,1,1,0,0,0,0,1,0,0,1,1,1,1,1,0,0,0,0,0,0"], COLUMNS, "rows.csv:2: a member code or a variable is not a number"),
    (["9001,991,2020"], COLUMNS, "rows.csv:2: the row does not have as many fields as the header"),
    (["nine,991,2020,1,1,0,0,0,0,1,0,0,1,1,1,1,1,0,0,0,0,0,0"], COLUMNS, "rows.csv:2: atopid 'nine' is not a number"),
])
def test_a_bad_file_is_refused_with_exit_2(harbours, tmp_path, capsys, rows, header, message):
    path = _csv(tmp_path, rows, header)
    assert main(["classify", "harbours.treaty", "--against", path, "--atopid", "9001"]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == "" and "Traceback" not in captured.err


def test_a_missing_file_and_a_lone_option(harbours, capsys):
    assert main(["classify", "harbours.treaty", "--against", "nowhere.csv", "--atopid", "1"]) == 2
    assert "nowhere.csv: cannot read the file" in capsys.readouterr().err
    assert main(["classify", "harbours.treaty", "--against", "atop_sample.csv"]) == 2
    assert "--against FILE and --atopid N go together" in capsys.readouterr().err


def test_bad_members_and_a_bad_treaty(harbours, capsys):
    assert main(["classify", "harbours.treaty", "--member", "astoria"]) == 2
    assert "already a party" in capsys.readouterr().err
    assert main(["classify", "harbours.treaty", "--member", "nobody"]) == 2
    assert "not a State the treaty declares" in capsys.readouterr().err
    (harbours / "bad.treaty").write_text('treaty x "X"\n  signed 2020-01-01\n  in force on signature\nparty a1 "A" codes cow 0\n')
    assert main(["classify", "bad.treaty"]) == 2
    assert "bad.treaty:4:20: error: '0' is not a Correlates of War state number" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_output_is_byte_identical_whatever_the_hash_seed(harbours, fmt):
    outs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-m", "treatylang.cli", "classify", "harbours.treaty", "--format", fmt,
                               "--against", "atop_sample.csv", "--atopid", "9001"],
                              capture_output=True, env=env, cwd=harbours, check=True)
        outs.add(done.stdout)
    assert len(outs) == 1


def test_help(capsys):
    with pytest.raises(SystemExit) as info:
        main(["classify", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "usage: treaty classify" in out and "--against" in out and "--atopid" in out


def test_hostile_file_names_and_names_are_escaped(harbours, capsys):
    name = "rows\x1b[2J\u202e.csv"
    (harbours / name).write_text((harbours / "atop_sample.csv").read_text(encoding="utf-8"), encoding="utf-8")
    text = (harbours / "harbours.treaty").read_text(encoding="utf-8").replace('"Kingdom of Belmont"', '"Kingdom\u202e of Belmont"')
    (harbours / "hostile.treaty").write_text(text, encoding="utf-8")
    for fmt in ("text", "markdown", "json"):
        code = main(["classify", "hostile.treaty", "--format", fmt, "--against", name, "--atopid", "9001"])
        captured = capsys.readouterr()
        assert code == 0, captured.err
        assert "\u202e" not in captured.out and "\x1b" not in captured.out
        assert "u202e of Belmont" in captured.out  # shown as an escape, in each format
    assert main(["classify", "harbours.treaty", "--against", name, "--atopid", "1"]) == 2
    err = capsys.readouterr().err
    assert "rows\\x1b[2J\\u202e.csv: no row has atopid 1" in err
