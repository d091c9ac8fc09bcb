"""Shared vocabularies (`uses`, `read ... as ...`, a scenario's `vocabulary:`): checks, loading, reports.

The construct's conformance cases (explanations, why-not) are in tests/constructs/event_reading/.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import treatylang
from treatylang.lang import vocabulary
from treatylang.lang.checks import check_vocabulary
from treatylang.lang.parser import parse_treaty_source
from treatylang.render.json import dumps

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = sorted((ROOT / "examples" / "treaties").glob("*.treaty")) + [ROOT / "specs" / "aes_charter.treaty"]

HEAD = """treaty pact "Pact"
  signed 2020-01-01
  in force on signature
"""
BODY = """
party astoria "Astoria"
party belmont "Belmont"

event aggression(against: actor+, by: actor, object: territory|ships = territory)
event threat(to: actor)
fact deemed(victim: actor)

article 1 "Aggression"
  text en "An aggression against one is one against all."
  rule assist:
    when aggression(against: V, by: A)
    where V is a member
    for each member M other than V:
    M must assist V
  rule consult:
    when threat(to: V)
    for each member M other than V:
    M must consult V
  rule deeming:
    when aggression(against: V, by: A)
    deem deemed(victim: V)
  rule on_deemed:
    when deemed(victim: V)
    for each member M:
    M may help V
"""


def pact(uses: str) -> str:
    return HEAD + uses + BODY


def errors(text: str) -> list[str]:
    with pytest.raises(treatylang.TreatyError) as e:
        treatylang.parse_treaty(text, "pact.treaty")
    return [d.format() for d in e.value.diagnostics]


GOOD = """
uses collective_defence
  read armed_attack as aggression(against: target) in article 1
  read attack_on_forces as aggression(against: target, object: object (vessels as ships, aircraft as ships, forces as ships))
  read threat_of_force as threat(to: target)
"""


def test_a_treaty_reads_the_vocabulary():
    treaty = treatylang.parse_treaty(pact(GOOD), "pact.treaty")
    assert treaty.vocabulary.name == "collective_defence"
    assert sorted(treaty.readings) == ["armed_attack", "attack_on_forces", "threat_of_force"]
    attack = treaty.readings["armed_attack"]
    assert (attack.target.name, attack.article, attack.renamed, attack.dropped) == (
        "aggression", "1", (("against", "target"),), ("on",))
    assert attack.describe() == ("event 'armed_attack' (collective_defence) read as this treaty's 'aggression' "
                                 "(art. 1), 'target' as 'against', without 'on'")


@pytest.mark.parametrize("uses, line, col, message, hint", [
    ("uses collective_defense\n", 4, 1, "unknown vocabulary 'collective_defense'", "collective_defence"),
    ("uses collective_defence\nuses collective_defence\n", 5, 1, "a treaty uses one vocabulary", None),
    ("uses collective_defence\n  read armed_atack as aggression(against: target)\n", 5, 3,
     "vocabulary 'collective_defence' has no event 'armed_atack'", "armed_attack"),
    ("uses collective_defence\n  read armed_attack as agression(against: target)\n", 5, 3,
     "'agression' is not an event this treaty declares", "aggression"),
    ("uses collective_defence\n  read armed_attack as deemed(victim: target)\n", 5, 3,
     "'deemed' is a fact the treaty deems", None),
    ("uses collective_defence\n  read armed_attack as aggression(againts: target)\n", 5, 35,
     "'aggression' has no argument 'againts'", "against"),
    ("uses collective_defence\n  read armed_attack as aggression(against: targte)\n", 5, 35,
     "the vocabulary's 'armed_attack' has no argument 'targte'", "target"),
    ("uses collective_defence\n  read armed_attack as aggression\n", 5, 3,
     "this treaty's 'aggression' needs 'against' (actor+), which the vocabulary's 'armed_attack' does not have",
     "against: target"),
    ("uses collective_defence\n  read armed_attack as aggression(against: on)\n", 5, 35,
     "takes an actor as 'against', but the vocabulary's 'on' of 'armed_attack' is place*", None),
    ("uses collective_defence\n  read armed_attack as threat(to: target)\n", 5, 31,
     "the vocabulary's 'target' of 'armed_attack' holds a list (actor+)", None),
    ("uses collective_defence\n  read attack_on_forces as aggression(against: target)\n", 5, 3,
     "the vocabulary's value 'forces' of 'object' is not a value of this treaty's 'object'", "(forces as territory)"),
    ("uses collective_defence\n  read attack_on_forces as aggression(against: target, object: object (vesels as ships, "
     "forces as ships, aircraft as ships))\n", 5, 56, "'vesels' is not a value of the vocabulary's 'object'", "vessels"),
    ("uses collective_defence\n  read armed_attack as aggression(against: target) in article 2\n", 5, 3,
     "there is no article 2 in this treaty", None),
    ("uses collective_defence\n  read armed_attack as aggression(against: target)\n"
     "  read armed_attack as aggression(against: target)\n", 6, 3, "event 'armed_attack' of the vocabulary is read twice", None),
])
def test_each_mistake_is_located_and_says_what_to_write(uses, line, col, message, hint):
    found = errors(pact(uses))
    matching = [e for e in found if message in e]
    assert matching, found
    assert matching[0].startswith(f"pact.treaty:{line}:{col}: error: "), matching[0]
    if hint is not None:
        assert hint in matching[0], matching[0]


def test_an_event_read_by_name_must_fit():
    """A treaty event of the vocabulary's name is read by name; one that needs what the vocabulary's lacks is
    refused, with a `read` line as the fix."""
    text = HEAD + "uses collective_defence\n" + BODY.replace("event threat(to: actor)",
                                                              "event threat(to: actor)\nevent blockade(port: actor)")
    found = [e for e in errors(text) if "blockade" in e]
    assert found and "read by name" in found[0] and "write 'read blockade as blockade(" in found[0], found


def test_a_vocabulary_declares_events_places_and_qualities_only():
    text = 'vocabulary v "V"\nparty a "A"\nfact f(x: actor)\nevent e(x: actor, x: actor)\nplace p "P" in nowhere\n'
    messages = [d.message for d in check_vocabulary(parse_treaty_source(text, "v.vocab"))]
    assert any("not a party" in m for m in messages), messages
    assert any("'f' is a fact" in m for m in messages), messages
    assert any("argument of 'e' 'x' is declared twice" in m for m in messages), messages
    assert any("unknown place 'nowhere'" in m for m in messages), messages


def test_the_shipped_vocabulary_is_sound():
    assert "collective_defence" in vocabulary.names()
    tree = vocabulary.load("collective_defence")
    assert not [d for d in check_vocabulary(tree) if d.severity == "error"]
    assert {"armed_attack", "threat_of_force", "blockade", "armed_rebellion", "terrorism"} <= {e.name for e in tree.events}


# ---- scenarios ------------------------------------------------------------------------------------
SCENARIO = """title: One scenario
vocabulary: collective_defence
actors:
  astoria: {name: Astoria}
  belmont: {name: Belmont}
  ruritania: {name: Ruritania}
places:
  astoria_land: {of: astoria, in: [europe]}
events:
"""


def write(tmp_path, events: str, text: str = SCENARIO) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(text + events, encoding="utf-8")
    return path


def load_errors(path, treaty) -> list[str]:
    with pytest.raises(treatylang.TreatyError) as e:
        treatylang.load_scenario(path, treaty)
    return [d.format() for d in e.value.diagnostics]


def test_a_scenario_in_the_vocabulary_runs_under_the_treaty(tmp_path):
    treaty = treatylang.parse_treaty(pact(GOOD), "pact.treaty")
    path = write(tmp_path, "  - {id: raid, type: armed_attack, date: 2024-01-10, target: astoria, by: ruritania}\n"
                           "  - {id: shot, type: attack_on_forces, date: 2024-01-11, target: belmont, by: ruritania, object: vessels, at: north_atlantic}\n")
    scenario = treatylang.load_scenario(path, treaty)
    assert [(e.type, e.args) for e in scenario.events] == [
        ("aggression", {"against": ("astoria",), "by": "ruritania", "object": "territory"}),
        ("aggression", {"against": ("belmont",), "by": "ruritania", "object": "ships"})]
    data = json.loads(dumps([treatylang.evaluate(treaty, scenario)]))
    assert [(r["events"], r["type"], r["read_as"], r["article"]) for r in data["readings"]] == [
        (["raid"], "armed_attack", "aggression", "1"), (["shot"], "attack_on_forces", "aggression", None)]
    assert list(data)[2] == "readings"
    assert {(n["bearer"], n["counterparty"], n["event"]) for n in data["norms"] if n["rule"] == "assist"} == {
        ("belmont", "astoria", "raid"), ("astoria", "belmont", "shot")}


def test_reading_rows_have_the_documented_keys(tmp_path):
    from tests.test_reference_docs import JSON, tables

    marked, _ = tables(JSON)
    treaty = treatylang.parse_treaty(pact(GOOD), "pact.treaty")
    path = write(tmp_path, "  - {id: raid, type: armed_attack, date: 2024-01-10, target: astoria, by: ruritania}\n")
    data = treatylang.evaluate(treaty, treatylang.load_scenario(path, treaty)).to_json()
    assert [k for k in data if k not in marked["result"].keys()] == marked["vocabulary"].keys()
    assert list(data["readings"][0]) == marked["reading"].keys()


def test_a_type_the_treaty_neither_declares_nor_reads_names_the_vocabulary(tmp_path):
    treaty = treatylang.parse_treaty(pact(GOOD), "pact.treaty")
    path = write(tmp_path, "  - {id: b, type: blockade, date: 2024-01-10, target: astoria, by: ruritania}\n")
    [error] = load_errors(path, treaty)
    assert error.startswith(f"{path}:10:19: error: unknown event type 'blockade'; this treaty declares aggression, threat")
    assert "vocabulary 'collective_defence' has an event 'blockade', but this treaty neither declares nor reads it" in error


def test_a_vocabulary_type_without_the_key_says_to_add_it(tmp_path):
    treaty = treatylang.parse_treaty(pact(GOOD), "pact.treaty")
    text = SCENARIO.replace("vocabulary: collective_defence\n", "").replace("  astoria: {name: Astoria}\n  belmont: {name: Belmont}\n", "")
    path = write(tmp_path, "  - {id: r, type: armed_attack, date: 2024-01-10, target: astoria, by: ruritania}\n", text)
    [error] = load_errors(path, treaty)
    assert "which this treaty reads as its 'aggression': write `vocabulary: collective_defence`" in error


def test_a_treaty_that_does_not_use_the_vocabulary_is_said(tmp_path):
    treaty = treatylang.parse_treaty(pact(""), "pact.treaty")
    path = write(tmp_path, "  - {id: r, type: aggression, date: 2024-01-10, against: astoria, by: ruritania}\n")
    found = load_errors(path, treaty)
    assert any(":2:13: error: the scenario is written in vocabulary 'collective_defence', but this treaty (pact) "
               "uses no vocabulary" in e for e in found), found


def test_a_required_argument_the_vocabulary_leaves_optional_is_asked(tmp_path):
    treaty = treatylang.load_treaty(ROOT / "examples" / "treaties" / "north_atlantic.treaty")
    path = write(tmp_path, "  - {id: r, type: armed_attack, date: 2024-01-10, target: astoria, by: ruritania}\n")
    found = load_errors(path, treaty)
    assert any("this 'armed_attack' event needs a value for this treaty's 'on' (place+): event 'armed_attack' "
               "(collective_defence) read as this treaty's 'armed_attack', without 'target'; give the event's 'on'"
               in e for e in found), found


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_every_library_treaty_uses_the_vocabulary_and_reads_an_armed_attack(path, tmp_path):
    """One scenario, written once, under each treaty of the library: an armed attack on a party's territory."""
    treaty = treatylang.load_treaty(path, strict=True)
    assert treaty.vocabulary is not None and "armed_attack" in treaty.readings
    party = treaty.parties[0]
    text = (f"title: An attack on {party}\nvocabulary: collective_defence\n"
            f"actors:\n  {party}: {{name: X}}\n  ruritania: {{name: Ruritania}}\n"
            f"places:\n  land: {{of: {party}, in: [europe]}}\nevents:\n")
    scenario = treatylang.load_scenario(write(tmp_path, f"  - {{id: raid, type: armed_attack, date: 2024-01-10, "
                                                        f"target: {party}, by: ruritania, on: [land]}}\n", text), treaty)
    [event] = scenario.events
    assert event.type == treaty.readings["armed_attack"].target.name and event.reading is not None
    target = next(tp.name for tp, vp, _ in event.reading.plan if vp is not None and vp.name in ("target", "on"))
    assert event.args[target] in ((party,), ("land",))
    treatylang.evaluate(treaty, scenario)


def test_a_treaty_that_uses_no_vocabulary_loads_none():
    """Loading cost: a treaty without `uses` imports neither the vocabulary module nor reads a vocabulary."""
    code = ("import sys, treatylang; treatylang.parse_treaty(open(sys.argv[1]).read(), 'x.treaty'); "
            "print('treatylang.lang.vocabulary' in sys.modules)")
    text = pact("")
    out = subprocess.run([sys.executable, "-c", code, "/dev/stdin"], input=text, capture_output=True, text=True,
                         timeout=60, env={"TREATYLANG_NO_CACHE": "1", "PATH": ""})
    assert out.stdout.strip() == "False", out.stderr


def test_what_a_scenario_leaves_out_stays_as_the_vocabulary_says(tmp_path):
    """Left out of an optional argument of the vocabulary: none, also where the treaty's may be unknown; left
    unknown in the vocabulary: unknown where the treaty's may be, else as the treaty leaves it out."""
    text = HEAD + """
uses collective_defence
  read armed_rebellion as rebellion(state: in, helpers: supported_by)
  read blockade as closure(of: target, armed: by_armed_forces)

party astoria "Astoria"
event rebellion(state: actor, by: actor? = unknown, helpers: actor* = unknown, scale: small|large = small)
event closure(of: actor+, armed: yes|no = unknown)

article 1 "Rebellion"
  text en "Each party shall help another against a rebellion, and consult on a closure of its ports."
  rule help:
    when rebellion(state: V)
    for each member M other than V:
    M must help V
  rule consult:
    when closure(of: V)
    for each member M:
    M must consult V
"""
    treaty = treatylang.parse_treaty(text, "pact.treaty")
    path = write(tmp_path, "  - {id: r, type: armed_rebellion, date: 2024-01-10, in: astoria}\n"
                           "  - {id: c, type: blockade, date: 2024-01-11, target: astoria, by: ruritania}\n")
    r, c = treatylang.load_scenario(path, treaty).events
    assert r.args == {"state": "astoria", "by": None, "helpers": (), "scale": "small"}
    assert c.args["of"] == ("astoria",) and c.args["armed"] is treatylang.model.UNKNOWN


def test_a_vocabulary_file_is_not_a_treaty():
    found = errors(open(vocabulary.path_of("collective_defence"), encoding="utf-8").read())
    assert len(found) == 1 and "this is the vocabulary 'collective_defence', not a treaty: a treaty reads it with " \
                               "'uses collective_defence'" in found[0], found


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_every_report_says_how_each_event_was_read(tmp_path, fmt):
    from treatylang.render import render

    treaty = treatylang.parse_treaty(pact(GOOD), "pact.treaty")
    path = write(tmp_path, "  - {id: raid, type: armed_attack, date: 2024-01-10, target: astoria, by: ruritania}\n"
                           "  - {id: r2, type: armed_attack, date: 2024-01-11, target: belmont, by: ruritania}\n")
    result = treatylang.evaluate(treaty, treatylang.load_scenario(path, treaty))
    said = ("event 'armed_attack' (collective_defence) read as this treaty's 'aggression' (art. 1), "
            "'target' as 'against', without 'on'")
    plain, explained = render([result], fmt), render([result], fmt, explain=True)
    assert plain.count(said) == 1 and f"{said}: events raid, r2" in plain
    assert explained.count(said) > 1  # and in the explanation of each conclusion


def test_a_reading_that_changes_nothing_is_not_said(tmp_path):
    from treatylang.render import render

    treaty = treatylang.load_treaty(ROOT / "specs" / "aes_charter.treaty")
    text = SCENARIO.replace("  astoria: {name: Astoria}\n  belmont: {name: Belmont}\n", "").replace(
        "  astoria_land: {of: astoria, in: [europe]}\n", "  sahel: {in: [africa]}\n")
    path = write(tmp_path, "  - {id: t1, type: terrorism, date: 2024-01-10, in: mali}\n", text)
    result = treatylang.evaluate(treaty, treatylang.load_scenario(path, treaty))
    assert "collective_defence" not in render([result], "text", explain=True)
    assert "readings" not in result.to_json()
