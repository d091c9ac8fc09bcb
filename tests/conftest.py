"""Shared fixtures: the Charter, loaded once, and a helper to build scenarios from plain data."""

from pathlib import Path

import pytest

import treatylang

ROOT = Path(__file__).resolve().parent.parent
CHARTER = ROOT / "specs" / "aes_charter.treaty"

# A small valid scenario the CLI and hostile-input tests start from.
ECOWAS_SCENARIO = """title: ECOWAS intervention in Niger
as_of: 2023-10-01
actors:
  ecowas: {name: ECOWAS, kind: organization}
events:
  - id: intervention
    type: attack
    date: 2023-10-01
    target: Niger
    by: ecowas
  - {type: attack, date: 2023-10-02, target: niger, by: mali}
"""


@pytest.fixture(scope="session")
def charter():
    return treatylang.load_treaty(CHARTER)


@pytest.fixture
def run(charter):
    """Evaluate a scenario given as plain data (the YAML's shape) against the Charter."""

    def _run(events, actors=None, as_of=None, treaty=None):
        data = {"title": "test", "events": events, "actors": actors or {}}
        if as_of:
            data["as_of"] = as_of
        t = treaty or charter
        return treatylang.evaluate(t, treatylang.scenario_from_dict(data, t))

    return _run


def norm_set(result):
    return {(n.bearer, n.modality, n.action, n.counterparty, n.article, n.rule, n.event) for n in result.norms}


def breach_set(result):
    return {(b.party, b.article, b.rule, b.event) for b in result.breaches}
