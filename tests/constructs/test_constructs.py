"""Conformance cases, one folder per IR construct (see README.md in this folder).

Each folder holds a small `treaty.treaty` and scenarios `NAME.yaml`; beside each scenario, the golden
outputs `NAME.explain.txt` (`treaty eval NAME.yaml --explain`) and `NAME.why_not.txt`
(`treaty explain NAME.yaml --why-not BEARER [--article N]`, the arguments read from `NAME.why_not.args`),
both run from inside the folder. Every expectation lives in those files, none here.

TREATYLANG_UPDATE_GOLDEN=1 rewrites the golden files instead of comparing (a rewritten file is reported as a
skip, so it is not mistaken for a pass); read each rewritten file before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import treatylang
from treatylang import cli
from treatylang.ir import registry

HERE = Path(__file__).resolve().parent
UPDATE = os.environ.get("TREATYLANG_UPDATE_GOLDEN") == "1"
CONSTRUCTS = {registry.folder_name(cls): (category, cls) for category, cls, _ in registry.constructs()}


def _folders() -> list[Path]:
    return sorted(p for p in HERE.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def _scenarios() -> list[Path]:
    return [s for folder in _folders() for s in sorted(folder.glob("*.yaml"))]


def _id(scenario: Path) -> str:
    return f"{scenario.parent.name}/{scenario.stem}"


SCENARIOS = _scenarios()


# ---- every construct has its cases ------------------------------------------------------------------
@pytest.mark.parametrize("folder", sorted(CONSTRUCTS))
def test_every_construct_has_a_folder(folder):
    category, cls = CONSTRUCTS[folder]
    path = HERE / folder
    where = f"tests/constructs/{folder}/"
    assert path.is_dir(), f"{category} {cls.__name__} has no folder of cases: add {where} (see tests/constructs/README.md)"
    assert (path / "treaty.treaty").is_file(), f"{where} has no treaty.treaty"
    assert list(path.glob("*.yaml")), f"{where} has no scenario (*.yaml)"


@pytest.mark.parametrize("folder", [f.name for f in _folders()])
def test_every_folder_is_a_construct(folder):
    """A folder left behind by a renamed or removed construct is stale."""
    assert folder in CONSTRUCTS, (f"tests/constructs/{folder}/ names no construct of treatylang.ir.registry "
                                  f"(constructs: {', '.join(sorted(CONSTRUCTS))})")


# ---- the generated code and the interpreter agree ---------------------------------------------------
def _sort(rows) -> list[tuple]:
    return sorted(rows, key=lambda row: tuple("" if x is None else str(x) for x in row))


def _conclusions(result) -> tuple[list, list, list, list]:
    return (
        _sort((n.bearer, n.counterparty, n.rule, n.event) for n in result.norms),
        _sort((b.party, b.rule, b.event) for b in result.breaches),
        _sort((e.party, e.change, e.start, e.rule, e.event) for e in result.effects),
        _sort((c.kind, c.key, c.event, c.depends_on) for c in result.conditional),  # and what each depends on
    )


@pytest.mark.parametrize("scenario_path", SCENARIOS, ids=_id)
def test_interpreter_agrees(scenario_path):
    scenario = treatylang.load_scenario(scenario_path)
    assert scenario.treaty_path is not None, f"{_id(scenario_path)}: a case names its treaty (treaty: treaty.treaty)"
    generated = treatylang.evaluate(scenario.treaty, scenario)
    interpreted = treatylang.evaluate(scenario.treaty, scenario, interpret=True)
    assert _conclusions(generated) == _conclusions(interpreted)


# ---- the explanations are the golden ones -----------------------------------------------------------
def _run(argv: list[str], folder: Path, monkeypatch, capsys) -> str:
    """The stdout of `treaty ARGV` run inside the case's folder (so paths print as in the folder)."""
    monkeypatch.chdir(folder)
    capsys.readouterr()
    status = cli.main(argv)
    out, err = capsys.readouterr()
    assert status == 0, f"treaty {' '.join(argv)} exited with {status}:\n{err}"
    return out


def _check_golden(got: str, golden: Path) -> None:
    if UPDATE:
        old = golden.read_text(encoding="utf-8") if golden.is_file() else None
        if got != old:
            golden.write_text(got, encoding="utf-8")
            pytest.skip(f"rewrote {golden.relative_to(HERE)}: read it and judge it before committing")
        return
    assert golden.is_file(), f"{golden.relative_to(HERE)} is missing: make it with TREATYLANG_UPDATE_GOLDEN=1, then read it"
    assert got == golden.read_text(encoding="utf-8"), f"differs from {golden.relative_to(HERE)}"


@pytest.mark.parametrize("scenario_path", SCENARIOS, ids=_id)
def test_explain(scenario_path, monkeypatch, capsys):
    got = _run(["eval", scenario_path.name, "--explain"], scenario_path.parent, monkeypatch, capsys)
    _check_golden(got, scenario_path.with_suffix(".explain.txt"))


@pytest.mark.parametrize("scenario_path", SCENARIOS, ids=_id)
def test_why_not(scenario_path, monkeypatch, capsys):
    args_file = scenario_path.with_suffix(".why_not.args")
    assert args_file.is_file(), f"{args_file.relative_to(HERE)} is missing: one line, BEARER [--article N]"
    lines = args_file.read_text(encoding="utf-8").splitlines()
    words = lines[0].split() if lines else []
    assert words, f"{args_file.relative_to(HERE)}: the first line names the bearer"
    bearer, options = words[0], words[1:]
    assert not options or (len(options) == 2 and options[0] == "--article"), (
        f"{args_file.relative_to(HERE)}: expected 'BEARER' or 'BEARER --article N', got {lines[0]!r}")
    argv = ["explain", scenario_path.name, "--why-not", bearer, *options]
    got = _run(argv, scenario_path.parent, monkeypatch, capsys)
    _check_golden(got, scenario_path.with_suffix(".why_not.txt"))
