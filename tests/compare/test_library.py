"""The library (treatylang.library) and `treaty eval --library --as-of DATE`: which treaties bind a State.

Membership is the engine's (each treaty's parties, `joined` dates and entry into force); these tests
check the answers against what the treaty files declare, read through the engine, never a list kept here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import treatylang
from treatylang import cli, library
from treatylang.source.dates import parse_date
from treatylang.source.diagnostics import UsageError

ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *argv):
    try:
        code = cli.main(list(argv))
    except SystemExit as e:  # argparse's usage errors
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err


def test_the_library_lists_every_treaty_file_with_the_id_of_its_header():
    entries = library.entries()
    files = sorted(Path(e.file).name for e in entries)
    assert files == sorted(["aes_charter.treaty", *(p.name for p in (ROOT / "examples" / "treaties").glob("*.treaty"))])
    for e in entries:
        treaty = treatylang.load_treaty(e.file)
        assert (e.id, e.title) == (treaty.id, treaty.title)
    assert [e.id for e in entries] == sorted(e.id for e in entries)
    assert len({e.id for e in entries}) == len(entries), "two library treaties share an id"


def test_find_by_id_any_case_with_a_did_you_mean():
    assert library.find("North_Atlantic").id == "north_atlantic"
    assert library.find(" aes ").file == treatylang.bundled_charter_path()
    with pytest.raises(UsageError, match=r"no treaty 'north_atlantc' in the library; did you mean 'north_atlantic'\?"):
        library.find("north_atlantc")


def _data(capsys, *argv):
    code, out, err = run(capsys, "eval", "--library", *argv, "--format", "json")
    assert (code, err) == (0, ""), err
    return json.loads(out)


def test_the_treaties_binding_niger_follow_each_treatys_own_membership(capsys):
    data = _data(capsys, "--as-of", "2024-03-01", "--party", "Niger")
    (niger,) = data["parties"]
    bound = {b["treaty"]: b for b in niger["bound_by"]}
    for entry in library.entries():  # the engine's answer, treaty by treaty: a member on that date or not
        treaty = entry.load()
        scenario = treatylang.scenario_from_dict({"title": "t", "events": []}, treaty)
        members = treatylang.evaluate(treaty, scenario, as_of=parse_date("2024-03-01")).members
        assert (entry.id in bound) == ("niger" in members), entry.id
    assert {"aes", "ecowas_pmad"} <= set(bound)
    assert bound["aes"]["member_since"] == "2023-09-16"  # the Charter's entry into force (on signature)
    reasons = {n["treaty"]: n["why"] for n in niger["not_bound_by"]}
    assert reasons["anzus"] == "not a party of this treaty"


def test_before_entry_into_force_nobody_is_bound(capsys):
    data = _data(capsys, "--as-of", "2023-09-15", "--party", "niger")
    reasons = {n["treaty"]: n["why"] for n in data["parties"][0]["not_bound_by"]}
    assert reasons["aes"] == "not yet in force on 2023-09-15: in force from 2023-09-16"
    aes = next(t for t in data["treaties"] if t["id"] == "aes")
    assert aes["members"] == [] and aes["in_force_from"] == "2023-09-16"


def test_a_treaty_in_force_on_ratification_events_binds_from_its_recorded_date(capsys):
    # NATO enters into force on ratification events; its file records the date it did (`entered 1949-08-24`),
    # and Croatia `joined` on 2009-04-01: bound from that day, not the day before
    data = _data(capsys, "--as-of", "2009-04-01", "--party", "croatia")["parties"][0]
    assert {"treaty": "north_atlantic", "party": "croatia", "name": "Croatia", "member_since": "2009-04-01"} \
        in data["bound_by"]
    before = _data(capsys, "--as-of", "2009-03-31", "--party", "croatia")["parties"][0]
    assert "north_atlantic" not in {b["treaty"] for b in before["bound_by"]}


def test_a_party_of_a_joined_date_under_a_fixed_entry_into_force(capsys):
    # the CST: Azerbaijan, Georgia and Belarus `joined` in 1993, before entry into force (20 April 1994)
    cst = library.find("cst").load()
    joined = dict(cst.joined)
    party, date = sorted(joined.items())[0]
    data = _data(capsys, "--as-of", "1995-01-01", "--party", party)
    bound = {b["treaty"]: b for b in data["parties"][0]["bound_by"]}
    assert bound["cst"]["member_since"] == max(date, cst.fixed_entry_date).isoformat()


def test_the_text_lists_each_treaty_with_its_members(capsys):
    code, out, err = run(capsys, "eval", "--library", "--as-of", "2024-03-01")
    assert (code, err) == (0, "")
    assert out.startswith("The library on 2024-03-01\n")
    assert "  aes (Liptako-Gourma Charter establishing the Alliance of Sahel States)\n    3 members: burkina_faso, mali, niger\n" in out
    code, out, _ = run(capsys, "eval", "--library", "--as-of", "2024-03-01", "--party", "mali", "--format", "markdown")
    assert code == 0 and "## Treaties of the library binding mali on 2024-03-01" in out and "| `aes` | yes | 2023-09-16 |" in out


@pytest.mark.parametrize("argv,says", [
    (["--library"], "--library needs --as-of DATE"),
    (["--library", "--as-of", "2024-01-01", "examples/member_attacks_member.yaml"], "give no SCENARIO with it"),
    (["--library", "--as-of", "2024-01-01", "--explain"], "not --explain"),
    (["--as-of", "2024-01-01", "--party", "mali", "examples/member_attacks_member.yaml"], "--party needs --library"),
    (["--library", "--as-of", "2024-01-01", "--party", "nigr"], "'nigr' is a party of no treaty of the library; did you mean 'niger'?"),
    ([], "the following arguments are required: SCENARIO"),
])
def test_usage_errors(argv, says, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, err = run(capsys, "eval", *argv)
    assert (code, out) == (2, "")
    assert says in err and "Traceback" not in err
