"""treatylang.render.json: DESIGN §5 as text; "because" only with --explain."""

import json

import pytest

from treatylang.cli import main
from treatylang.render import render
from treatylang.render.json import dumps, to_json

from golden_cases import ROOT, SCENARIOS, assert_golden, result, scenario_file

SECTIONS = ("norms", "standing", "breaches", "effects")


def keys_anywhere(data) -> set:
    if isinstance(data, dict):
        return set(data).union(*(keys_anywhere(v) for v in data.values()))
    if isinstance(data, list):
        return set().union(*(keys_anywhere(v) for v in data))
    return set()


@pytest.mark.parametrize("explain", [False, True], ids=["plain", "explain"])
@pytest.mark.parametrize("name", SCENARIOS)
def test_json_golden(name, explain):
    assert_golden(dumps([result(name)], explain), name, "json", explain)


@pytest.mark.parametrize("name", SCENARIOS)
def test_cli_json_has_because_only_with_explain(name, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["eval", scenario_file(name), "--format", "json"]) == 0
    plain = json.loads(capsys.readouterr().out)
    assert "because" not in keys_anywhere(plain)
    assert main(["eval", scenario_file(name), "--format", "json", "--explain"]) == 0
    explained = json.loads(capsys.readouterr().out)
    items = [item for key in SECTIONS for item in explained[key]]
    assert items and all(isinstance(item.get("because"), list) for item in items)
    assert all(item["because"] for key in ("norms", "breaches", "effects") for item in explained[key])
    for key in SECTIONS:  # explanations add a key and change nothing else
        assert [{k: v for k, v in item.items() if k != "because"} for item in explained[key]] == plain[key]


def test_the_json_is_the_rows():
    r = result("chad_accession_unanimous")
    data = to_json(r)
    assert data == r.to_json()
    assert data["norms"] == [n.row() for n in r.sorted_norms()]
    assert data["standing"] == [n.row() for n in r.standing]
    assert data["breaches"] == [b.row() for b in r.sorted_breaches()]
    assert data["effects"] == [e.row() for e in r.effects] and data["effects"]


def test_several_results_are_a_list():
    results = [result(n) for n in SCENARIOS]
    assert json.loads(render(results, "json")) == [r.to_json() for r in results]
    assert json.loads(render(results[:1], "json")) == results[0].to_json()


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown format 'yaml'"):
        render([result(SCENARIOS[0])], "yaml")
