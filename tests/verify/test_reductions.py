"""The reductions of what no rule distinguishes change what is checked, never what is found: on small spaces a
pruned run and an unpruned one give the same verdicts, the same smallest counterexamples, the same rules
fired and the same size of the space; and treaties with places are verified."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest
import yaml

import treatylang
from treatylang import cli
from treatylang.casebook.runner import check_expectations
from treatylang.verify import reads
from treatylang.verify.properties import PROPERTIES, Options, Verifier, check_scenario, member_classes

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
CHARTER = ROOT / "specs" / "aes_charter.treaty"


def docs_treaty(page: str, name: str, folder: Path) -> Path:
    """A treaty of a documentation page (its ```treaty file=NAME block), saved in `folder`."""
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    body = re.search(rf"```treaty file={re.escape(name)}\n(.*?)```", text, re.S).group(1)
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


def findings(path: Path, events: int, prune: bool, outsiders: int = 1, **options) -> Verifier:
    v = Verifier(treatylang.load_treaty(path), treaty_path=str(path),
                 options=Options(events, outsiders, prune=prune, **options))
    v.verify()
    v.failures["every rule fires"] = len(v.unfired())
    return v


def same_findings(path: Path, events: int, **options) -> tuple[Verifier, Verifier]:
    pruned, full = findings(path, events, True, **options), findings(path, events, False, **options)
    for prop in PROPERTIES:
        assert (pruned.failures[prop] > 0) == (full.failures[prop] > 0), (path.name, events, prop)
        assert (pruned.as_declared[prop] > 0) == (full.as_declared[prop] > 0), (path.name, events, prop)
        assert pruned.declared_by[prop] == full.declared_by[prop]
        assert set(pruned.smallest) == set(full.smallest)
        if prop in full.smallest:
            assert pruned.counterexample_yaml(prop, pruned.smallest[prop]) == \
                full.counterexample_yaml(prop, full.smallest[prop]), (path.name, events, prop)
    assert pruned.fired == full.fired
    assert pruned.covered == full.covered  # the space is counted whole, whatever is skipped
    assert pruned.checked <= full.checked
    return pruned, full


@pytest.mark.parametrize("name,events", [("asymmetric.treaty", 1), ("asymmetric.treaty", 2),
                                         ("verify_after_withdrawal.treaty", 2),
                                         ("verify_after_withdrawal.treaty", 3),
                                         ("verify_conflict.treaty", 2),
                                         ("verify_history.treaty", 1), ("verify_history.treaty", 2)])
def test_a_pruned_run_finds_what_an_unpruned_one_finds(name, events):
    same_findings(DATA / name, events)


def test_a_vote_is_tried_with_no_votes_and_every_vote_and_finds_what_every_count_of_votes_finds(tmp_path):
    """A list read only by one vote share decides only whether the vote passes: the pruned run tries none and
    every actor (its counterexample then shows every actor voting, which still fails), a list two shares read
    is tried in full, and the verdicts are those of the run trying every count of votes."""
    path = DATA / "verify_votes.treaty"
    assert reads.all_or_none(treatylang.load_treaty(path)) == {("decision", "voted_for")}
    per_member = tmp_path / "per_member.treaty"  # one electorate per member bound: not one share
    per_member.write_text(path.read_text(encoding="utf-8").replace(
        "    where at least 2/3 of members other than S are among voted_for, A is not alpha\n", "    where A is not alpha\n")
        .replace("    M must apply_measures against A\n", "    M must apply_measures against A\n"
                 "    unless at least 2/3 of members other than M are among voted_for\n"), encoding="utf-8")
    assert reads.all_or_none(treatylang.load_treaty(per_member)) == set()
    pruned, full = findings(path, 1, True), findings(path, 1, False)
    assert pruned.failures["reciprocity"] and pruned.failures["renaming invariance"]  # the flaw against alpha
    for prop in PROPERTIES:
        assert (pruned.failures[prop] > 0) == (full.failures[prop] > 0), prop
    assert pruned.fired == full.fired and pruned.covered == full.covered
    assert pruned.checked * 20 < full.checked
    treaty = treatylang.load_treaty(path)
    for prop, f in pruned.smallest.items():
        saved = tmp_path / "counterexample.yaml"
        saved.write_text(pruned.counterexample_yaml(prop, f), encoding="utf-8")
        result = treatylang.evaluate(treaty, treatylang.load_scenario(saved))
        assert check_expectations(result) or check_scenario(treaty, treatylang.load_scenario(saved)), prop


@pytest.mark.parametrize("name,events", [("pact.treaty", 2), ("lopsided.treaty", 2), ("neutral.treaty", 2)])
def test_the_same_on_the_treaties_of_the_docs(name, events, tmp_path):
    same_findings(docs_treaty("properties.md", name, tmp_path), events)


def test_the_charter_three_events_where_membership_changes_twice():
    same_findings(CHARTER, 3, only=("denunciation", "accession", "threat"))


def test_the_charter_two_events_with_fewer_checks():
    pruned, full = same_findings(CHARTER, 2, only=("attack", "denunciation", "accession"))
    assert pruned.checked * 3 < full.checked  # the reductions are worth having


def test_a_treaty_with_places_is_verified_and_its_counterexamples_declare_made_up_places(tmp_path):
    path = docs_treaty("language.md", "north_atlantic.treaty", tmp_path)
    treaty = treatylang.load_treaty(path)
    # Astoria and Belmont own declared places: each stands alone
    assert [c for c in member_classes(treaty) if len(c) > 1] == []
    pruned, _ = same_findings(path, 2)
    assert not any(pruned.failures[p] for p in PROPERTIES[:4])
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(["verify", str(path), "--no-progress"])
    assert code == 0, out.getvalue()


def test_made_up_places_load_as_a_scenario_declares_them(tmp_path):
    path = docs_treaty("language.md", "north_atlantic.treaty", tmp_path)
    text = path.read_text(encoding="utf-8").replace("    where V is a member, either P is in europe or P is in "
                                                    "north_america\n", "    where V is a member\n", 1)
    text = text.replace("    M must assist V\n", "    M must assist V\n    unless V is corvia\n", 1)
    text = text.replace('party belmont "Belmont" is european_state\n', 'party belmont "Belmont" is european_state\n'
                        'party corvia "Corvia" is european_state\nparty dravia "Dravia" is european_state\n')
    lop = tmp_path / "lop.treaty"
    lop.write_text(text, encoding="utf-8")
    v = findings(lop, 1, True)
    assert v.smallest, "the lopsided rule goes unseen"
    named_places = set()
    for prop, f in v.smallest.items():
        doc = v.counterexample_yaml(prop, f)
        saved = tmp_path / f"{prop.replace(' ', '_')}.yaml"
        saved.write_text(doc, encoding="utf-8")
        data = yaml.safe_load(doc)
        scenario = treatylang.load_scenario(saved)
        result = treatylang.evaluate(treatylang.load_treaty(lop), scenario)
        if prop != "every rule fires":
            assert check_expectations(result) or check_scenario(treatylang.load_treaty(lop), scenario), doc
        for ident in data.get("places", {}):
            assert ident not in treatylang.load_treaty(lop).places
            named_places.add(ident)
    assert named_places, "no counterexample names a made-up place"


def test_the_north_atlantic_treaty_is_verified_and_says_why_its_rules_never_fire():
    """Places, members apart by their date of joining, their part in entry into force and their territories;
    the treaty records its entry into force (`entered 1949-08-24`), so with two event types only the rules of
    the others never fire, and verify does not say the treaty is never in force."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(["verify", str(ROOT / "examples" / "treaties" / "north_atlantic.treaty"), "--no-progress",
                         "--only", "ratification", "armed_attack"])
    text = out.getvalue()
    assert code == 1, text
    for prop in PROPERTIES[:4]:
        assert re.search(rf"^  {prop} +ok", text, re.M), text
    assert "more than treaty verify tries" not in text
    assert re.search(r"^    article 4, rule \w+: yields no norm in any scenario of up to 1 event \(try --events 2\)$",
                     text, re.M), text
    assert "belgium, luxembourg, netherlands (european_state); canada (no quality)" in text


def test_first_events_judged_alone_are_tried_on_one_date_of_those_that_meet_the_same(monkeypatch):
    # verify_history.treaty declares accessions and a withdrawal: 13 first dates, but events judged alone
    # meet one of 8 states on them. The header's count of what is to check is what the run checks, and the
    # run finds what it finds trying every date.
    path = DATA / "verify_history.treaty"
    v = Verifier(treatylang.load_treaty(path), treaty_path=str(path), options=Options(1, 1))
    _, to_check, whole = v.first_events()
    v.verify()
    monkeypatch.setattr(Verifier, "tried_first", lambda self, choices, *_: choices)
    every_date = findings(path, 1, True)
    assert whole and to_check == v.representatives < every_date.representatives
    assert v.covered == every_date.covered
    assert {p: n > 0 for p, n in v.failures.items()} == {p: n > 0 for p, n in every_date.failures.items()}
    assert set(v.smallest) == set(every_date.smallest) and v.smallest  # the flaw after 2022 is found
    for prop in v.smallest:
        assert v.counterexample_yaml(prop, v.smallest[prop]) == \
            every_date.counterexample_yaml(prop, every_date.smallest[prop]), prop
