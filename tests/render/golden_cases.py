"""The golden cases of the render tests: two bundled examples, their results, and the expected outputs.

The expected outputs are in golden/NAME[.explain].{txt,md,json}. After a deliberate change of wording, refresh
them with `TREATYLANG_UPDATE_GOLDEN=1 python -m pytest tests/render` and read the diff before committing it.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import attrs

import treatylang

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
SCENARIOS = ("member_attacks_member", "chad_accession_unanimous")  # a breach; an accession (effects, history)
UPDATE = os.environ.get("TREATYLANG_UPDATE_GOLDEN") == "1"


def scenario_file(name: str) -> str:
    """The scenario's path as `treaty eval` shows it when run from the repository's root."""
    return f"examples/{name}.yaml"


@functools.cache
def charter():
    return treatylang.load_treaty(treatylang.bundled_charter_path())


@functools.cache
def result(name: str):
    """The example's result, its scenario file named relative to the root (whatever the current folder)."""
    scenario = treatylang.load_scenario(ROOT / scenario_file(name), charter())
    return treatylang.evaluate(charter(), attrs.evolve(scenario, file=scenario_file(name)))


def golden_path(name: str, ext: str, explain: bool) -> Path:
    return GOLDEN / f"{name}{'.explain' if explain else ''}.{ext}"


def assert_golden(got: str, name: str, ext: str, explain: bool) -> None:
    path = golden_path(name, ext, explain)
    if UPDATE:
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8"), f"differs from {path.relative_to(ROOT)}"
