"""The summary a large result opens with, the line for each event that engaged nothing, the `--bearer` and
`--article` views, and the why-not reports of membership and of deemed facts."""

import datetime as dt
import json

import pytest

import treatylang
from treatylang.cli import main
from treatylang.explain.why_not import (membership_reasons, render_why_not, render_why_not_deemed, why_not,
                                        why_not_deemed, why_nothing)
from treatylang.render import render
from treatylang.render.markdown import render_markdown
from treatylang.render.text import render_text
from treatylang.source.diagnostics import UsageError
from treatylang.testing import make_scenario

# Seven parties: an attack on one gives six norms, more than a summary names.
LEAGUE = """treaty league "League of Seven"
  signed 2020-01-01
  in force on 2020-02-01

party astoria "Astoria"
party belmont "Belmont"
party corvina "Corvina"
party dorado "Dorado"
party elbonia "Elbonia"
party fenwick "Fenwick"
party genovia "Genovia"

event attack(target: actor, by: actor)
event accession(state: actor, approved_by: actor*)
event census(of: actor)

article 1 "Assistance"
  text en "Each party shall assist a party attacked."
  rule assist:
    when attack(target: V, by: A)
    where V is a member
    for each member M other than V, A:
    M must assist V

article 2 "Non-aggression"
  rule no_force:
    for each member M:
    for each member O other than M:
    M must not use_force against O
    breached by attack(by: M, target: O)

article 3 "Accession"
  rule accede:
    when accession(state: S)
    where S is not a member, every member is among approved_by
    S becomes a member
"""


@pytest.fixture(scope="module")
def league(tmp_path_factory):
    path = tmp_path_factory.mktemp("league") / "league.treaty"
    path.write_text(LEAGUE, encoding="utf-8")
    return treatylang.load_treaty(path)


def evaluate(treaty, events, actors=None):
    data = {"title": "League case", "events": events, "actors": actors or {"carthage": {"name": "Carthage"}}}
    return treatylang.evaluate(treaty, treatylang.scenario_from_dict(data, treaty))


@pytest.fixture(scope="module")
def case(league):
    """Carthage attacks Astoria; Belmont attacks Corvina; Astoria attacks Carthage (an outsider: no breach
    of article 2, no norm); a census; an accession Belmont does not approve; an attack before entry into force."""
    return evaluate(league, [
        {"id": "early", "type": "attack", "date": "2020-01-15", "target": "astoria", "by": "carthage"},
        {"id": "raid", "type": "attack", "date": "2024-01-10", "target": "astoria", "by": "carthage"},
        {"id": "clash", "type": "attack", "date": "2024-02-01", "target": "corvina", "by": "belmont"},
        {"id": "outside", "type": "attack", "date": "2024-03-01", "target": "carthage", "by": "astoria"},
        {"id": "count", "type": "census", "date": "2024-04-01", "of": "astoria"},
        {"id": "apply", "type": "accession", "date": "2024-05-01", "state": "carthage",
         "approved_by": ["astoria", "corvina", "dorado", "elbonia", "fenwick", "genovia"]},
    ])


def summary_of(result) -> list[str]:
    lines = render_text(result).splitlines()
    start = lines.index("Summary") + 1
    return lines[start:lines.index("", start)]


def test_many_bearers_are_counted_few_are_named(case):
    said = summary_of(case)
    assert "  6 members must assist Astoria [art. 1]" in said  # six bearers: more than four, counted
    assert "  5 members must assist Corvina [art. 1]" in said  # Belmont, the attacker, owes nothing
    assert "  Belmont breached art. 2" in said
    norms, breaches = case.summary()
    assert [len(g.who) for g in norms] == [6, 5] and {n.bearer for n in case.norms if n.counterparty == "astoria"} == set(norms[0].who)
    assert [b.who for b in breaches] == [("belmont",)]


def test_each_quiet_event_has_one_line_with_its_reason(case):
    said = summary_of(case)
    quiet = [line for line in said if line.startswith("  event ")]
    assert [line.split()[1] for line in quiet] == ["early", "outside", "count", "apply"]
    assert quiet[0].endswith("no member is bound: the treaty was not in force (it entered into force on 2020-02-01)")
    assert quiet[1].endswith("no norm: outside art. 1 (the condition fails: Carthage is not a member on 2024-03-01)")
    assert quiet[2].endswith("no rule of this treaty matches an event of type census")
    assert quiet[3].endswith("no change of membership: outside art. 3 (not every member on 2024-05-01 is "
                             "among the accession's 'approved_by': Belmont is missing)")


def test_the_reason_is_the_why_not_report_s(charter, run):
    """The clause is not invented: it is in the full why-not report of a member, word for word."""
    r = run([{"id": "e1", "type": "attack", "date": "2024-02-01", "target": "niger", "by": "mali"},
             {"id": "e2", "type": "attack", "date": "2024-03-01", "target": "togo", "by": "benin"}],
            actors={"togo": {"name": "Togo"}, "benin": {"name": "Benin"}})
    (quiet,) = r.quiet_events()  # e1 engages article 6 and is Mali's breach of article 8
    said = why_nothing(r, quiet)
    assert said.startswith("no norm: outside art. 6 (") and said.endswith(")")
    clause = said[len("no norm: outside art. 6 ("):-1]
    assert clause == "the condition fails: Togo is not a member on 2024-03-01"
    assert clause in render_why_not(r, "burkina_faso", "6")


def test_an_event_after_every_member_left(charter):
    """Every party has denounced the Charter: a later attack engages no one, and says so (it used to vanish)."""
    data = {"title": "all leave", "actors": {"r": {"name": "Ruritania"}}, "events": [
        *({"type": "denunciation", "date": "2024-01-10", "party": p} for p in ("mali", "niger", "burkina_faso")),
        {"id": "raid", "type": "attack", "date": "2024-09-01", "target": "niger", "by": "r"}]}
    gone = treatylang.evaluate(charter, treatylang.scenario_from_dict(data, charter))
    assert [e.id for e in gone.quiet_events()] == ["raid"]
    assert why_nothing(gone, gone.quiet_events()[0]) == "no member is bound: the treaty had no members on 2024-09-01"


def test_the_summary_in_json_and_markdown(case):
    data = json.loads(render([case], "json"))["summary"]
    assert data["norms"][0] == {"article": "1", "article_version": None, "modality": "obligation",
                                "action": "assist", "counterparty": "astoria",
                                "bearers": ["belmont", "corvina", "dorado", "elbonia", "fenwick", "genovia"],
                                "status": "live"}
    assert data["breaches"] == [{"article": "2", "article_version": None, "parties": ["belmont"]}]
    assert [u["event"] for u in data["unengaged"]] == ["early", "outside", "count", "apply"]
    assert "because" not in data["unengaged"][0]
    explained = json.loads(render([case], "json", explain=True))["summary"]["unengaged"]
    assert explained[2]["because"] == ["no rule of this treaty matches an event of type census"]
    md = render_markdown(case)
    assert "## Summary\n\n- 6 members must assist Astoria [art. 1]\n" in md
    assert md.index("## Summary") < md.index("## Norms arising from the events")


def test_the_markdown_why_covers_breaches(case):
    md = render_markdown(case, explain=True)
    why = md[md.index("### Why (breaches)"):]
    assert "**Belmont breached article 2 (Non-aggression)** (event clash, rule `no_force`)" in why
    assert "1. so, by article 2 (Non-aggression), rule no_force: Belmont breached the prohibition to use force" in why
    assert "### Why (breaches)" not in render_markdown(case)


def test_a_view_keeps_only_the_bearers_and_articles_asked(case):
    view = treatylang.select(case, bearers=["Belmont"], articles=["1", "2"])
    assert {n.bearer for n in view.norms} == {"belmont"} and {b.party for b in view.breaches} == {"belmont"}
    assert {n.bearer for n in view.standing} == {"belmont"}
    assert view.members == case.members  # membership is the whole result's
    only_2 = treatylang.select(case, articles=["2"])
    assert only_2.norms == [] and {n.article for n in only_2.standing} == {"2"} and len(only_2.breaches) == 1
    text = render_text(view, explain=True)
    assert "  showing only: Belmont; articles 1, 2" in text
    assert "\nAstoria\n" not in text and "\nBelmont\n" in text
    assert "      - so, by article 1 (Assistance), rule assist: Belmont must assist Astoria" in text
    assert treatylang.select(case) is case


def test_unknown_names_in_a_view_are_refused_with_a_suggestion(case):
    with pytest.raises(UsageError, match="--bearer: unknown actor 'belmnt'; did you mean 'belmont'"):
        treatylang.select(case, bearers=["belmnt"])
    with pytest.raises(UsageError, match="--article: the treaty has no article '4'"):
        treatylang.select(case, articles=["4"])


def test_why_the_membership_did_not_change(case):
    (reason,) = membership_reasons(case, "carthage")
    assert (reason.event, reason.rule.name) == ("apply", "accede")
    assert reason.text == "not every member on 2024-05-01 is among the accession's 'approved_by': Belmont is missing"
    report = render_why_not(case, "carthage")
    assert "Why did the membership of Carthage not change?\n  event apply on 2024-05-01:" in report
    assert membership_reasons(case, "belmont") == []  # nothing was tried for Belmont
    assert membership_reasons(case, "carthage", "1") == []  # not a rule of article 1


def test_a_successful_accession_has_no_membership_reason(league):
    r = evaluate(league, [{"id": "apply", "type": "accession", "date": "2024-05-01", "state": "carthage",
                           "approved_by": ["astoria", "belmont", "corvina", "dorado", "elbonia", "fenwick", "genovia"]}])
    assert [e.party for e in r.effects] == ["carthage"]
    assert membership_reasons(r, "carthage") == []
    assert "membership" not in render_why_not(r, "carthage")


def test_why_no_fact_was_deemed(charter, run):
    r = run([{"id": "e1", "type": "attack", "date": "2024-02-01", "target": "togo", "by": "benin"},
             {"id": "e2", "type": "attack", "date": "2024-03-01", "target": "niger", "by": "benin"}],
            actors={"togo": {"name": "Togo"}, "benin": {"name": "Benin"}})
    reasons = why_not_deemed(r, "aggression")
    assert {x.event for x in reasons} == {"e1"}  # aggression was deemed from e2
    first = next(x for x in reasons if x.rule.name == "aggression_against_all")
    assert first.text.startswith("the condition fails: Togo is not a member on 2024-02-01")
    assert all(x.rule.article == "7" for x in why_not_deemed(r, "aggression", "7"))
    assert "Why was no aggression deemed?" in render_why_not_deemed(r, "aggression")
    with pytest.raises(UsageError, match="no rule of the treaty deems 'agression'.*did you mean 'aggression'"):
        why_not_deemed(r, "agression")


def test_why_not_takes_several_articles(charter, run):
    r = run([{"id": "e1", "type": "attack", "date": "2024-02-01", "target": "niger", "by": "mali"}])
    both = {x.rule.article for x in why_not(r, "mali", ["6", "8"])}
    assert both == {"6", "8"}
    assert {x.rule.article for x in why_not(r, "mali", "6")} == {"6"}


def test_the_command_line_options(tmp_path, capsys, league):
    path = tmp_path / "league.treaty"
    path.write_text(LEAGUE, encoding="utf-8")
    scenario = tmp_path / "case.yaml"
    scenario.write_text("title: case\ntreaty: league.treaty\nactors:\n  carthage: {name: Carthage}\nevents:\n"
                        "  - {id: raid, type: attack, date: 2024-01-10, target: astoria, by: carthage}\n"
                        "  - {id: clash, type: attack, date: 2024-02-01, target: corvina, by: belmont}\n",
                        encoding="utf-8")
    assert main(["eval", str(scenario), "--bearer", "dorado", "--bearer", "belmont", "--article", "1"]) == 0
    out = capsys.readouterr().out
    assert "  showing only: Belmont, Dorado; article 1" in out and "breached" not in out
    assert main(["eval", str(scenario), "--format", "json", "--bearer", "belmont"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {n["bearer"] for n in data["norms"]} == {"belmont"} and data["breaches"][0]["party"] == "belmont"
    assert main(["eval", str(scenario), "--bearer", "carthago"]) == 2
    assert "treaty eval: error: --bearer: unknown actor 'carthago'; did you mean 'carthage'?" in capsys.readouterr().err
    assert main(["eval", str(scenario), "--article", "9"]) == 2
    assert "--article: the treaty has no article '9'" in capsys.readouterr().err
    assert main(["explain", str(scenario), "--why-not-deemed", "attack"]) == 2
    assert "no rule of the treaty deems 'attack'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["explain", str(scenario)])
    assert info.value.code == 2
    assert "one of --why-not BEARER or --why-not-deemed FACT is required" in capsys.readouterr().err


def test_an_article_that_only_deems_points_to_why_not_deemed(charter, run):
    r = run([{"id": "e1", "type": "attack", "date": "2024-02-01", "target": "togo", "by": "mali"}],
            actors={"togo": {"name": "Togo"}})
    report = render_why_not(r, "mali", "7")
    assert report.splitlines()[1:] == ["  article 7 has no rule that gives norms",
                                       "  its rules deem aggression: ask `--why-not-deemed aggression`"]
    assert "--why-not-deemed" not in render_why_not(r, "mali", "11")  # the accession article deems nothing


def test_norms_that_ended_are_grouped_apart_and_say_so(tmp_path):
    treaty = treatylang.parse_treaty('''treaty p "P" signed 2020-01-01 in force on signature
party astoria "Astoria"
party belmont "Belmont"
party corvina "Corvina"
event attack(target: actor, by: actor)
event council_measures(about: actor)
article 5 "Defence"
  rule assist:
    when attack(target: V)
    where V is a member
    for each member M other than V:
    M must assist V
    ends when council_measures(about: V)
''', "p.treaty")
    events = [("attack", dt.date(2024, 1, 1), {"target": "astoria", "by": "corvina"}),
              ("attack", dt.date(2024, 1, 2), {"target": "belmont", "by": "corvina"}),
              ("council_measures", dt.date(2024, 2, 1), {"about": "astoria"})]
    result = treatylang.evaluate(treaty, make_scenario(treaty, events))
    norms, _ = result.summary()
    assert [(g.counterparty, g.status) for g in norms] == [("astoria", "ended"), ("belmont", "live")]
    text = render_text(result)
    assert "Belmont and Corvina must assist Astoria [art. 5] (ended)" in text
    assert "Astoria and Corvina must assist Belmont [art. 5]\n" in text
