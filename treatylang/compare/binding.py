"""`treaty eval --library --as-of DATE [--party X]`: which treaties of the library bind which State on a date.

Membership is the engine's own: each treaty is evaluated on a scenario without events, as of the date, so
its entry into force, its parties, their `joined` dates (and whatever else the engine learns to read from a
treaty) decide, exactly as they do in `treaty eval`. A treaty whose entry into force depends on events
(`in force after 7 ratification events`) is not in force on a scenario without them: said so, with the
treaty's own words for the condition, not guessed.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import NamedTuple

import treatylang
from treatylang import library
from treatylang.explain.phrases import Namer
from treatylang.source.diagnostics import UsageError, did_you_mean
from treatylang.source.safe_text import escape_lines, json_text, markdown_code, markdown_text

from treatylang.compare.paths import shown_path


class Standing(NamedTuple):
    """One treaty of the library on a date: its members then, or why it binds nobody."""

    entry: library.Entry
    in_force_from: dt.date | None
    members: tuple  # ids, sorted
    not_in_force: str | None  # why nobody is bound on the date (None: in force)
    name: Namer
    result: object  # the engine's Result of the empty scenario (its timeline: member_since)


def standing_on(entry: library.Entry, date: dt.date) -> Standing:
    """The members of the entry's treaty on `date`, by the engine's membership pass."""
    treaty = entry.load()
    scenario = treatylang.scenario_from_dict({"title": f"the library on {date.isoformat()}", "events": []}, treaty,
                                             filename=entry.file)
    result = treatylang.evaluate(treaty, scenario, as_of=date)
    name = Namer(treaty, scenario)
    why = None
    if result.entry_into_force is None:
        why = (f"not in force in a scenario without events: {treaty.entry_into_force.describe()} "
               "(the library's file dates none)")
    elif date < result.entry_into_force:
        why = f"not yet in force on {date.isoformat()}: in force from {result.entry_into_force.isoformat()}"
    return Standing(entry, result.entry_into_force, tuple(result.members), why, name, result)


def report(date: dt.date, parties: list[str] | None, fmt: str) -> str:
    standings = [standing_on(e, date) for e in library.entries()]
    asked = _resolve_parties(parties, standings) if parties else None
    data = _data(date, standings, asked)
    if fmt == "json":
        return json_text(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"
    return (_markdown if fmt == "markdown" else _text)(data)


def _resolve_parties(names: list[str], standings: list[Standing]) -> list[tuple[str, dict]]:
    """Each name given: (the name, {treaty id: the party id it names there}); unknown everywhere: UsageError."""
    out = []
    for given in names:
        ids = {s.entry.id: s.entry.load().resolve_actor(given.strip()) for s in standings}
        # a party of the treaty (from the start or `joined`): not an actor it names only (a State it may invite)
        ids = {t: i for t, i in ids.items() if i is not None and i in library.find(t).load().parties}
        if not ids:
            known = sorted({i for s in standings for i in s.entry.load().parties})
            hint = did_you_mean(given, known)
            raise UsageError(f"'{given}' is a party of no treaty of the library{'; ' + hint if hint else ''}")
        out.append((given, ids))
    return out


def _data(date: dt.date, standings: list[Standing], asked) -> dict:
    treaties = []
    for s in standings:
        row = {"id": s.entry.id, "title": s.entry.title, "file": shown_path(s.entry.file),
               "in_force_from": s.in_force_from.isoformat() if s.in_force_from else None,
               "not_in_force": s.not_in_force, "members": list(s.members)}
        treaties.append(row)
    data = {"as_of": date.isoformat(), "treaties": treaties}
    if asked is not None:
        data["parties"] = [_party_row(given, ids, date, standings) for given, ids in asked]
    return data


def _party_row(given: str, ids: dict, date: dt.date, standings: list[Standing]) -> dict:
    bound, not_bound = [], []
    for s in standings:
        party = ids.get(s.entry.id)
        if party is None:
            not_bound.append({"treaty": s.entry.id, "why": "not a party of this treaty"})
        elif s.not_in_force is not None:
            not_bound.append({"treaty": s.entry.id, "party": party, "why": s.not_in_force})
        elif party in s.members:
            since = s.result.timeline.member_since(party, date)
            bound.append({"treaty": s.entry.id, "party": party, "name": s.name(party),
                          "member_since": since.isoformat() if since else None})
        else:
            not_bound.append({"treaty": s.entry.id, "party": party, "why": f"not a member on {date.isoformat()}"})
    return {"given": given, "bound_by": bound, "not_bound_by": not_bound}


def _text(data: dict) -> str:
    date = data["as_of"]
    lines = []
    if "parties" in data:
        for p in data["parties"]:
            lines.append(f"Treaties of the library binding {p['given']} on {date}: {len(p['bound_by'])}")
            lines += [f"  {b['treaty']}: {b['name']}, a member since {b['member_since']}" for b in p["bound_by"]]
            lines.append(f"Not binding {p['given']} on {date}:")
            lines += [f"  {n['treaty']}: {n['why']}" for n in p["not_bound_by"]]
            lines.append("")
    lines.append(f"The library on {date}")
    for t in data["treaties"]:
        lines.append(f"  {t['id']} ({t['title']})")
        if t["not_in_force"]:
            lines.append(f"    {t['not_in_force']}")
        else:
            lines.append(f"    {len(t['members'])} member{'s' if len(t['members']) != 1 else ''}: "
                         f"{', '.join(t['members']) or 'none'}")
    return "\n".join(escape_lines(lines)) + "\n"


def _markdown(data: dict) -> str:
    md, date = markdown_text, data["as_of"]
    out = []
    for p in data["parties"] if "parties" in data else ():
        out += [f"## Treaties of the library binding {md(p['given'])} on {date}", "",
                "| Treaty | Binds | Since or why not |", "|---|---|---|"]
        out += [f"| {markdown_code(b['treaty'])} | yes | {b['member_since']} |" for b in p["bound_by"]]
        out += [f"| {markdown_code(n['treaty'])} | no | {md(n['why'])} |" for n in p["not_bound_by"]]
        out.append("")
    out += [f"## The library on {date}", "", "| Treaty | Title | Members |", "|---|---|---|"]
    for t in data["treaties"]:
        members = md(t["not_in_force"]) if t["not_in_force"] else md(", ".join(t["members"]) or "none")
        out.append(f"| {markdown_code(t['id'])} | {md(t['title'])} | {members} |")
    return "\n".join(out) + "\n"


def run_cli(args) -> int:
    """`treaty eval --library`: the report on stdout; exit 0 (a name no treaty knows: UsageError, exit 2)."""
    sys.stdout.write(report(args.as_of, args.party, args.format))
    return 0
