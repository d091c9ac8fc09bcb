"""Shared fixtures: the Charter, loaded once, and a helper to build scenarios from plain data.

The whole suite runs with a cache of its own: XDG_CACHE_HOME is set to a fresh folder here, when pytest
imports this file (before any treaty is parsed, even at collection), so nothing is written to the user's
~/.cache and every process the tests start inherits it. The folder is removed at the end of the run.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

_CACHE = tempfile.mkdtemp(prefix="treatylang-tests-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

import pytest  # noqa: E402

import treatylang  # noqa: E402

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
