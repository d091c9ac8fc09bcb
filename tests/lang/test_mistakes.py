"""The syntax and input mistakes a student makes most: each message says what to write instead.

Golden files: tests/data/mistakes/NAME.expected is the exact text of the error NAME.treaty or NAME.yaml
gives (paths written from the repository root). Regenerate with TREATYLANG_UPDATE_GOLDEN=1 and read them.
"""

import os
from pathlib import Path

import pytest

import treatylang

MISTAKES = Path(__file__).resolve().parent.parent / "data" / "mistakes"
ROOT = MISTAKES.parent.parent.parent
UPDATE = os.environ.get("TREATYLANG_UPDATE_GOLDEN") == "1"
CASES = sorted(p.name for p in MISTAKES.iterdir() if p.suffix in (".treaty", ".yaml") and p.stem != "including")


def error_text(path: Path) -> str:
    with pytest.raises(treatylang.TreatyError) as info:
        if path.suffix == ".treaty":
            treatylang.load_treaty(path, strict=True)  # warnings too (a `joined` before signature)
        else:
            treatylang.load_scenario(path)
    text = str(info.value)
    for long, short in ((str(Path(treatylang.bundled_charter_path()).resolve()), "specs/aes_charter.treaty"),
                        (str(ROOT) + os.sep, "")):
        text = text.replace(long, short)
    return text.strip() + "\n"


@pytest.mark.parametrize("name", CASES)
def test_mistake_says_what_to_write(name, monkeypatch):
    monkeypatch.chdir(ROOT)
    path = MISTAKES / name
    got = error_text(path.relative_to(ROOT))
    golden = path.with_suffix(".expected")
    if UPDATE and (not golden.exists() or golden.read_text() != got):
        golden.write_text(got)
        pytest.skip(f"rewrote {golden.name}: read it and judge it before committing")
    assert got == golden.read_text()


def test_one_explained_mistake_gives_one_error():
    """The recovery does not cascade: the rule's later lines add no 'unexpected ...' errors."""
    for name in ("where_after_for_each.treaty", "or_without_either.treaty", "two_conclusions.treaty"):
        text = error_text(MISTAKES / name)
        assert text.count("error:") == 1 and "unexpected" not in text, name


def test_including_is_a_whole_keyword():
    treaty = treatylang.load_treaty(MISTAKES / "including.treaty")
    assert treaty.entry_into_force.including == ("astoria",)


def test_a_scenario_that_names_its_treaty_is_not_told_about_the_default(tmp_path):
    (tmp_path / "s.yaml").write_text(f"title: x\ntreaty: {ROOT / 'specs' / 'aes_charter.treaty'}\n"
                                     "events:\n  - {type: armed_attack, date: 2024-01-01}\n")
    with pytest.raises(treatylang.TreatyError) as info:
        treatylang.load_scenario(tmp_path / "s.yaml")
    assert "this treaty declares" in str(info.value) and "names no `treaty:`" not in str(info.value)
