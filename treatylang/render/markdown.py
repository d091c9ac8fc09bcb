"""Results as a Markdown report to paste: header, tables of norms, breaches and effects, standing norms."""

from __future__ import annotations

from collections import defaultdict

from treatylang.explain.phrases import Namer, article_label, describe_end, describe_event, describe_means, describe_norm
from treatylang.explain.why import because
from treatylang.model import iso
from treatylang.render.text import (article_of_row as _art, conditional_line, selection_lines, standing_lines,
                                    summary_items)
from treatylang.source.safe_text import markdown_code, markdown_text

# Every text that comes from input (titles, notes, names, ids, file names, the steps of an explanation) goes
# through `_md` (or `markdown_code`) once: its control characters and newlines escaped, HTML (`<`, `>`, `&`)
# as entities and `|` as `\|`, so it can neither break a table nor carry raw HTML into the report.
_md = markdown_text


def _header(result, name: Namer) -> list[str]:
    t, sc = result.treaty, result.scenario
    out = [f"# {_md(sc.title)}", "",
           f"- **Treaty:** {_md(t.title)} ({markdown_code(t.id)})"]
    if t.status.declared:  # how sure the model is: no reader takes a contested reading for settled law
        out.append(f"- **Model status:** {t.status.summary()}")
    out += [f"- **Scenario file:** {markdown_code(sc.file)}"]
    out += [f"- **Vocabulary:** {_md(reading.describe())}: {'event' if len(ids) == 1 else 'events'} "
            f"{_md(', '.join(ids))}" for reading, ids in result.readings()]
    out += [f"- **In force from:** {iso(result.entry_into_force) or 'not in force'}"
            + (f" (terminated {iso(result.timeline.end)})" if result.timeline.end else ""),
            f"- **Members on {iso(result.as_of)}:** {_md(name(list(result.members))) if result.members else 'none'}"]
    if sc.note:
        out.append(f"- **Note:** {_md(sc.note)}")
    return out


def _summary(result, name: Namer) -> list[str]:
    """The summary first: what is shown (a view), the norms grouped, breaches, standing norms, then each
    event that engaged nothing and why (the lines of the text summary, as a list)."""
    out = [f"- **Showing only:** {_md(line.split(': ', 1)[1])}" for line in selection_lines(result, name)]
    out += ["", "## Summary", ""]
    return out + [f"- {_md(line)}" for line in summary_items(result, name)]


def _norms(result, name: Namer, explain: bool) -> list[str]:
    out = ["", "## Norms arising from the events", ""]
    norms = result.sorted_norms()
    if not norms:
        return out + ["None."]
    out += ["| Member | Event | Norm | Means | Article |", "|---|---|---|---|---|"]
    for n in norms:
        row = n.row()
        norm = f"{row['modality']}: {describe_norm(n.source, n.bearer, n.counterparty, name)}"
        end = describe_end(n)
        norm += f"; {end}" if end else ""
        when = f"{row['date']}, continuing since {row['since']}" if "since" in row else row['date']
        out.append(f"| {_md(name(n.bearer))} | {_md(row['event'])} ({when}) | {_md(norm)} | "
                   f"{_md(describe_means(n) or '')} | {_md(_art(row))} (`{row['rule']}`) |")
    if explain:
        out += ["", "### Why", ""]
        for n in norms:
            out.append(f"**{_md(describe_norm(n.source, n.bearer, n.counterparty, name))}** "
                       f"(event {_md(n.event)}, article {_md(n.article)})")
            out.append("")
            out += [f"1. {_md(step)}" for step in because(n, result)]
            out.append("")
    return out


def _breaches(result, name: Namer) -> list[str]:
    out = ["", "## Breaches", ""]
    if not result.breaches:
        return out + ["None."]
    out += ["| Party | Article | Rule | Event |", "|---|---|---|---|"]
    for b in result.sorted_breaches():
        row = b.row()
        event = row["event"] if row["event"] is not None else f"none: not discharged by {row['deadline']}"
        out.append(f"| {_md(name(b.party))} | {_md(_art(row))} | `{row['rule']}` | {_md(event)} ({row['date']}) |")
    return out


def _why_breaches(result, name: Namer) -> list[str]:
    """With `--explain`: the steps of each breach, as the "Why" of the norms gives theirs."""
    if not result.breaches:
        return []
    out = ["", "### Why (breaches)", ""]
    for b in result.sorted_breaches():
        out.append(f"**{_md(name(b.party))} breached {_md(article_label(result.treaty, b.source))}** "
                   f"(event {_md(b.event)}, rule `{b.rule}`)")
        out.append("")
        out += [f"1. {_md(step)}" for step in because(b, result)]
        out.append("")
    return out[:-1]  # the next section opens with its own blank line


def _effects(result, name: Namer) -> list[str]:
    if not result.effects:
        return []
    out = ["", "## Effects on membership", "", "| State | Change | From | Article | Event |", "|---|---|---|---|---|"]
    for eff in result.effects:
        row = eff.row()
        out.append(f"| {_md(name(eff.party))} | {row['change']} | {row['from']} | {_md(_art(row))} (`{row['rule']}`) "
                   f"| {_md(row['event'])} |")
    return out


def _conditional(result, name: Namer, explain: bool) -> list[str]:
    if not result.conditional:
        return []
    out = ["", "## Conditional (facts the scenario leaves unknown)", ""]
    for c in result.sorted_conditional():
        out.append(f"- {_md(conditional_line(c, result, name))}")
        if explain:
            out += [f"    1. {_md(step)}" for step in because(c, result)]
    return out


def _standing(result, name: Namer) -> list[str]:
    if not result.standing:
        return []
    out = ["", "## Standing norms (on the as-of date)", ""]
    grouped = defaultdict(list)
    for n in result.standing:
        grouped[n.bearer].append(n)
    for bearer, group in grouped.items():
        out += [f"- **{_md(name(bearer))}**: {_md(line)}" for line in standing_lines(group, name)]
    return out


def render_markdown(result, explain: bool = False) -> str:
    """One result as a Markdown report, its summary first; with `explain`, a "Why" section with the steps of
    each norm, and of each breach."""
    name = Namer(result.treaty, result.scenario)
    out = _header(result, name) + _summary(result, name) + _norms(result, name, explain) + _breaches(result, name)
    out += _why_breaches(result, name) if explain else []
    out += _conditional(result, name, explain)
    out += _effects(result, name) + _standing(result, name)
    ended = result.timeline.end
    for title, events in (("Events before entry into force", [e for e in result.not_in_force
                                                               if ended is None or e.date < ended]),
                          ("Events after termination", [e for e in result.not_in_force
                                                        if ended is not None and e.date >= ended])):
        if events:
            out += ["", f"## {title}", ""]
            out += [f"- {_md(e.id)} ({iso(e.date)}): {_md(describe_event(e, name))}" for e in events]
    return "\n".join(out) + "\n"
