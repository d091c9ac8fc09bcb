"""Results as JSON (DESIGN §5), plain text for a student's terminal, and a Markdown report."""

from __future__ import annotations

import json
from collections import defaultdict

from treatylang.explain.why import Namer, article_label, because, describe_event, describe_means, describe_norm, words


def _iso(d):
    return d.isoformat() if d is not None else None


def norm_to_json(n, result, explain=True) -> dict:
    out = {
        "bearer": n.bearer,
        "modality": n.modality,
        "action": n.action,
        "counterparty": n.counterparty,
        "article": n.article,
        "rule": n.rule,
        "event": n.event,
        "date": _iso(n.date),
        "means": list(n.means),
        "means_in_order": n.means_in_order,
        "purpose": n.purpose,
    }
    if explain:
        out["because"] = because(n, result)
    return out


def breach_to_json(b, result, explain=True) -> dict:
    out = {"party": b.party, "article": b.article, "rule": b.rule, "event": b.event, "date": _iso(b.date)}
    if explain:
        out["because"] = because(b, result)
    return out


def effect_to_json(e, result, explain=True) -> dict:
    out = {"party": e.party, "change": e.change, "from": _iso(e.start), "article": e.article, "rule": e.rule,
           "event": e.event, "date": _iso(e.date)}
    if explain:
        out["because"] = because(e, result)
    return out


def result_to_json(result, explain: bool = True) -> dict:
    return {
        "treaty": {"id": result.treaty.id, "title": result.treaty.title},
        "scenario": {"title": result.scenario.title, "file": result.scenario.file},
        "as_of": _iso(result.as_of),
        "entry_into_force": _iso(result.entry_into_force),
        "members": list(result.members),
        "norms": [norm_to_json(n, result, explain) for n in result.sorted_norms()],
        "standing": [norm_to_json(n, result, explain) for n in result.standing],
        "breaches": [breach_to_json(b, result, explain) for b in result.sorted_breaches()],
        "effects": [effect_to_json(e, result, explain) for e in result.effects],
        "not_in_force": [e.id for e in result.not_in_force],
    }


def to_json_text(results, explain: bool = True) -> str:
    data = [r.to_json(explain=explain) for r in results]
    return json.dumps(data[0] if len(data) == 1 else data, indent=2, ensure_ascii=False) + "\n"


# ---- text --------------------------------------------------------------------------------
_MODAL_WORDS = {"obligation": "obligation", "permission": "permission", "prohibition": "prohibition"}


def _norm_line(n, name) -> str:
    line = f"{_MODAL_WORDS[n.modality]}: {describe_norm(n.source, n.bearer, n.counterparty, name)}"
    means = describe_means(n.source)
    if means:
        line += f", {means}"
    return line + f"  [art. {n.article}, {n.rule}]"


def _standing_lines(norms, name) -> list[str]:
    """Standing norms folded per rule: 'must not use force against Astoria, Belmont'."""
    grouped = defaultdict(list)
    for n in norms:
        grouped[n.source].append(n)
    lines = []
    for rule, group in grouped.items():
        counterparts = [n.counterparty for n in group if n.counterparty is not None]
        first = group[0]
        text = describe_norm(rule, first.bearer, None, name)
        if counterparts:
            prep = rule.conclusion.preposition
            text += f" {prep + ' ' if prep else ''}{name(counterparts)}"
        lines.append(f"{_MODAL_WORDS[first.modality]}: {text}  [art. {first.article}, {first.rule}; since {first.date.isoformat()}]")
    return lines


def _header_lines(result, name) -> list[str]:
    t, sc = result.treaty, result.scenario
    lines = [f"{sc.title}", f"  treaty: {t.title} ({t.id})", f"  scenario: {sc.file}"]
    if result.entry_into_force is None:
        lines.append("  the treaty is not in force in this scenario")
    else:
        lines.append(f"  in force from {result.entry_into_force.isoformat()}")
    lines.append(f"  members on {_iso(result.as_of)}: {name(list(result.members)) if result.members else 'none'}")
    history = result.timeline.history()
    if history:
        lines.append("  membership changes:")
        for start, party, change in history:
            verb = "joins" if change == "joins" else "ceases to be a member"
            lines.append(f"    {start.isoformat()}  {name(party)} {verb}")
    return lines


def render_text(result, explain: bool = False) -> str:
    name = Namer(result.treaty, result.scenario)
    lines = _header_lines(result, name)
    norms = result.sorted_norms()
    by_bearer = defaultdict(list)
    for n in norms:
        by_bearer[n.bearer].append(n)
    standing = defaultdict(list)
    for n in result.standing:
        standing[n.bearer].append(n)
    events = {e.id: e for e in result.scenario.events}
    bearers = sorted(set(by_bearer) | set(result.members) | set(standing), key=lambda b: name(b).casefold())
    for bearer in bearers:
        lines.append("")
        lines.append(name(bearer))
        mine = by_bearer.get(bearer, [])
        if not mine:
            lines.append("  no norm arises from the events")
        current = None
        for n in mine:
            if n.event != current:
                current = n.event
                e = events[n.event]
                lines.append(f"  event {e.id} on {e.date.isoformat()}: {describe_event(e, name)}")
            lines.append(f"    {_norm_line(n, name)}")
            if explain:
                lines.extend(f"      - {step}" for step in because(n, result))
        if standing.get(bearer):
            lines.append("  at all times (standing norms):")
            lines.extend(f"    {line}" for line in _standing_lines(standing[bearer], name))
    lines.append("")
    if result.breaches:
        lines.append("Breaches")
        for b in result.sorted_breaches():
            e = events[b.event]
            lines.append(f"  {name(b.party)} breached {article_label(result.treaty, b.article)}, rule {b.rule}, "
                         f"by event {e.id} on {e.date.isoformat()}: {describe_event(e, name)}")
            if explain:
                lines.extend(f"    - {step}" for step in because(b, result))
    else:
        lines.append("Breaches: none")
    if result.effects:
        lines.append("Effects on membership")
        for eff in result.effects:
            verb = "becomes a member" if eff.change == "joins" else "ceases to be a member"
            lines.append(f"  {name(eff.party)} {verb} from {eff.start.isoformat()}  [art. {eff.article}, {eff.rule}; event {eff.event}]")
            if explain:
                lines.extend(f"    - {step}" for step in because(eff, result))
    for e in result.not_in_force:
        when = f"entered into force on {result.entry_into_force.isoformat()}" if result.entry_into_force else "is not in force"
        lines.append(f"Not judged: event {e.id} on {e.date.isoformat()} is before the treaty bound anyone (it {when})")
    return "\n".join(lines) + "\n"


# ---- markdown ------------------------------------------------------------------------------
def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(result, explain: bool = False) -> str:
    name = Namer(result.treaty, result.scenario)
    t, sc = result.treaty, result.scenario
    out = [f"# {sc.title}", "",
           f"- **Treaty:** {t.title} (`{t.id}`)",
           f"- **Scenario file:** `{sc.file}`",
           f"- **In force from:** {_iso(result.entry_into_force) or 'not in force'}",
           f"- **Members on {_iso(result.as_of)}:** {name(list(result.members)) if result.members else 'none'}"]
    if sc.note:
        out.append(f"- **Note:** {sc.note}")
    events = {e.id: e for e in sc.events}
    out += ["", "## Norms arising from the events", ""]
    norms = result.sorted_norms()
    if norms:
        out += ["| Member | Event | Norm | Means | Article |", "|---|---|---|---|---|"]
        for n in norms:
            e = events[n.event]
            norm = f"{n.modality}: {describe_norm(n.source, n.bearer, n.counterparty, name)}"
            out.append(f"| {_cell(name(n.bearer))} | {_cell(e.id)} ({e.date.isoformat()}) | {_cell(norm)} | "
                       f"{_cell(describe_means(n.source) or '')} | {n.article} (`{n.rule}`) |")
    else:
        out.append("None.")
    if explain and norms:
        out += ["", "### Why", ""]
        for n in norms:
            out.append(f"**{_cell(describe_norm(n.source, n.bearer, n.counterparty, name))}** (event {n.event}, article {n.article})")
            out.append("")
            out += [f"1. {step}" for step in because(n, result)]
            out.append("")
    out += ["", "## Breaches", ""]
    if result.breaches:
        out += ["| Party | Article | Rule | Event |", "|---|---|---|---|"]
        for b in result.sorted_breaches():
            out.append(f"| {_cell(name(b.party))} | {b.article} | `{b.rule}` | {b.event} ({b.date.isoformat()}) |")
    else:
        out.append("None.")
    if result.effects:
        out += ["", "## Effects on membership", "", "| State | Change | From | Article | Event |", "|---|---|---|---|---|"]
        for eff in result.effects:
            out.append(f"| {_cell(name(eff.party))} | {eff.change} | {eff.start.isoformat()} | {eff.article} (`{eff.rule}`) | {eff.event} |")
    if result.standing:
        out += ["", "## Standing norms (on the as-of date)", ""]
        grouped = defaultdict(list)
        for n in result.standing:
            grouped[n.bearer].append(n)
        for bearer, group in grouped.items():
            for line in _standing_lines(group, name):
                out.append(f"- **{_cell(name(bearer))}**: {_cell(line)}")
    if result.not_in_force:
        out += ["", "## Events before entry into force", ""]
        out += [f"- {e.id} ({e.date.isoformat()}): {_cell(describe_event(e, name))}" for e in result.not_in_force]
    return "\n".join(out) + "\n"


def render(results, fmt: str, explain: bool = False) -> str:
    if fmt == "json":
        return to_json_text(results, explain=True)
    renderer = render_markdown if fmt == "markdown" else render_text
    return "\n".join(renderer(r, explain) for r in results)
