"""`in force after N ratification events ... entered DATE`: the recorded date of entry into force, for a
scenario that states no ratification; the rule for one that does (docs/time.md)."""

import treatylang
from treatylang.cli import main
from treatylang.engine.evaluate import evaluate

TEXT = '''treaty recorded "A treaty with its history"
  signed 2023-01-15
  in force 30 days after 2 ratification events entered 2023-04-30
party astoria "Astoria"
party belmont "Belmont"
party corvina "Corvina"
event ratification(state: actor)
event attack(target: actor, by: actor)
article 1 "Assistance"
  text en "Assist."
  rule assist:
    when attack(target: V, by: A)
    where V is a member
    for each member M other than V, A:
    M must assist V
'''
TREATY = treatylang.parse_treaty(TEXT, "recorded.treaty")


def run(events):
    scenario = treatylang.scenario_from_dict({"title": "t", "actors": {"x": {"name": "X"}}, "events": events}, TREATY)
    result = evaluate(TREATY, scenario)
    assert result.to_json() == evaluate(TREATY, scenario, interpret=True).to_json()
    return result


def test_no_ratification_stated_every_signatory_is_bound_from_the_recorded_date():
    result = run([{"type": "attack", "date": "2023-04-30", "target": "astoria", "by": "x"}])
    assert result.entry_into_force.isoformat() == "2023-04-30"
    assert sorted(n.bearer for n in result.norms) == ["belmont", "corvina"]


def test_ratifications_stated_are_judged_by_the_rule():
    result = run([{"type": "ratification", "date": "2023-06-01", "state": "astoria"},
                  {"type": "ratification", "date": "2023-06-02", "state": "belmont"},
                  {"type": "attack", "date": "2023-08-01", "target": "astoria", "by": "x"}])
    assert result.entry_into_force.isoformat() == "2023-07-02"
    assert [n.bearer for n in result.norms] == ["belmont"]  # Corvina never ratified in this scenario


def test_a_recorded_date_before_the_signature_is_an_error(tmp_path, capsys):
    path = tmp_path / "bad.treaty"
    path.write_text(TEXT.replace("entered 2023-04-30", "entered 2022-12-31"), encoding="utf-8")
    assert main(["check", str(path)]) == 2
    assert "before it was signed (2023-01-15)" in capsys.readouterr().err
