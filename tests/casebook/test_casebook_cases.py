"""The casebook works from the scenario file as read once: the Scenario itself carries no YAML."""

import textwrap

import attrs
import pytest

import treatylang
from treatylang.casebook.runner import check_expectations, read_case, run_case, treaty_cache
from treatylang.scenario.yaml_nodes import Document, Node

CASE = textwrap.dedent("""\
    title: An attack by a named organization
    actors:
      ecowas: {name: ECOWAS, kind: organization, aka: [CEDEAO, Economic Community]}
    events:
      - {type: attack, date: 2023-10-01, target: NER, by: cedeao}
    expect:
      norms:
        - {bearer: Mali, counterparty: niger, article: "6"}
      absent:
        - {bearer: economic community}
        - {counterparty: CEDEAO}
    """)


def write(tmp_path, text=CASE, name="case.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_scenario_holds_no_yaml_nodes(tmp_path):
    scenario = treatylang.load_scenario(write(tmp_path))
    for field in attrs.fields(type(scenario)):
        value = getattr(scenario, field.name)
        assert not isinstance(value, (Node, Document)), field.name
    assert not hasattr(scenario, "expect") and not hasattr(scenario, "source")


def test_expectations_name_actors_as_the_scenario_does(tmp_path):
    """Ids, display names and every alias, of the treaty and of the scenario's own actors, any case."""
    document = read_case(str(write(tmp_path)))
    result, failures = run_case(document, treaty_cache())
    assert failures == []
    scenario = result.scenario
    assert scenario.resolve_actor(" economic COMMUNITY ") == "ecowas"
    assert scenario.resolve_actor("NER") == "niger"
    assert scenario.resolve_actor("nobody") is None
    assert "ecowas" in scenario.known_actors() and "niger" in scenario.known_actors()


def test_the_case_is_checked_from_the_document_read_once(tmp_path):
    path = write(tmp_path)
    document = read_case(str(path))
    path.unlink()  # nothing reads the file again
    result, failures = run_case(document, treaty_cache())
    assert failures == []
    assert check_expectations(result, document) == []


def test_without_the_document_the_scenario_file_is_read_for_its_block(tmp_path):
    path = write(tmp_path, CASE.replace("bearer: Mali", "bearer: Niger"))
    scenario = treatylang.load_scenario(path)
    failures = check_expectations(treatylang.evaluate(scenario.treaty, scenario))
    assert [f.message for f in failures] == ["expected norm not produced"]
    assert (failures[0].file, failures[0].line) == (str(path), 8)


def test_a_bad_aka_is_an_error(tmp_path):
    path = write(tmp_path, CASE.replace("aka: [CEDEAO, Economic Community]", "aka: [CEDEAO, [x]]"))
    with pytest.raises(treatylang.TreatyError) as info:
        treatylang.load_scenario(path)
    d = info.value.diagnostics[0]
    assert "'aka' must be a name or a list of names" in d.message and d.span.line == 3


def test_yaml_without_expect_is_not_a_case(tmp_path):
    assert read_case(str(write(tmp_path, "title: t\nevents: []\n"))) is None
    assert read_case(str(write(tmp_path, "expect_nothing: true\n"))) is None
