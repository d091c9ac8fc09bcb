"""`treaty compare` as text, JSON and Markdown: the differences first, then the rows side by side, then the
treaties that do not apply and what each treaty's run says of itself (in force, members, quiet events).

Every text from input goes through the safe-text helpers (treatylang.source.safe_text), as in `treaty eval`;
`--explain` reuses the explanation of `treaty eval` (treatylang.explain.why.because) for the first bearer
of each group (the others' derivations differ only in the bearer).
"""

from __future__ import annotations

import json

from treatylang.explain.why import because
from treatylang.model import iso
from treatylang.source.safe_text import escape_lines, json_text, markdown_code, markdown_text

from treatylang.compare.compare import (Column, cell_line, differences, difference_text, empty_reason, means_text,
                                        quiet_reasons, rows, row_label, status_text, what_text, who_text, whom,
                                        _item)
from treatylang.compare.paths import shown_path


def render(scenario_path: str, cols: list[Column], fmt: str, explain: bool) -> str:
    found = rows(cols)
    diffs = differences(cols, found)
    if fmt == "json":
        return json_text(json.dumps(to_json(scenario_path, cols, found, diffs, explain), indent=2,
                                    ensure_ascii=False)) + "\n"
    return (_markdown if fmt == "markdown" else _text)(scenario_path, cols, found, diffs, explain)


def no_differences(cols: list[Column]) -> str:
    applicable = [c.label for c in cols if c.applicable]
    if len(applicable) == 1:
        return f"none: only {applicable[0]} applies, nothing to compare it with"
    return "none: every treaty that applies concludes the same"


def _title(cols: list[Column]) -> str:
    return next(c.result.scenario.title for c in cols if c.applicable)


def _explained(g, col: Column) -> list[str]:
    """The derivation of the group's first item, headed by whose it is when the group has several."""
    i = _item(g)
    who = i.bearer if g.kind == "owed" else i.party
    head = [f"why, for {col.name(who)} (the others alike):"] if len(g.who) > 1 else ["why:"]
    return head + [f"- {step}" for step in because(g.first, col.result)]


def _treaty_notes(col: Column) -> list[str]:
    """What a treaty's own run says: in force, members on as_of, events before entry, quiet events."""
    if not col.applicable:
        return [col.not_applicable()]
    r = col.result
    if r.entry_into_force is None:
        return [col.not_in_force()]  # nothing else to say: no member, every event quiet for that reason
    out = [f"in force from {iso(r.entry_into_force)}", f"members on {iso(r.as_of)}: {len(r.members)}"]
    if col.not_in_force():
        out.append(col.not_in_force())
    return out + quiet_reasons(col)


# ---- text -------------------------------------------------------------------------------------------


def _text(scenario_path, cols, found, diffs, explain) -> str:
    width = max(len(c.label) for c in cols)
    lines = [f"Compare: {_title(cols)}", f"  scenario: {scenario_path}",
             f"  treaties: {', '.join(c.label for c in cols)}", "", "Differences"]
    if not diffs:
        lines.append(f"  {no_differences(cols)}")
    lines += [f"  {n}. {difference_text(d, cols)}" for n, d in enumerate(diffs, start=1)]
    lines += ["", "Side by side"]
    if not found:
        lines.append("  no norm or breach arises under any treaty")
    for row in found:
        lines.append(f"  {row_label(row, cols)}")
        for col in cols:
            if not col.applicable:
                continue
            groups = row.cells.get(col.label)
            if not groups:
                lines.append(f"    {col.label:<{width}}  {empty_reason(col, row)}")
                continue
            for k, g in enumerate(groups):
                lines.append(f"    {col.label if k == 0 else '':<{width}}  {cell_line(g, col)}")
                if explain:
                    lines += [f"    {'':<{width}}    {step}" for step in _explained(g, col)]
    missing = [c for c in cols if not c.applicable]
    if missing:
        lines += ["", "Not applicable"]
        lines += [f"  {c.label}: {c.not_applicable()[len('not applicable: '):]}" for c in missing]
    lines += ["", "Each treaty"]
    for col in cols:
        if col.applicable:
            lines.append(f"  {col.label} ({col.treaty.title}; {shown_path(col.file)})")
            lines += [f"    {note}" for note in _treaty_notes(col)]
    return "\n".join(escape_lines(lines)) + "\n"


# ---- markdown --------------------------------------------------------------------------------------------


def _markdown(scenario_path, cols, found, diffs, explain) -> str:
    md = markdown_text
    applicable = [c for c in cols if c.applicable]
    out = [f"# Compare: {md(_title(cols))}", "", f"- **Scenario:** {markdown_code(scenario_path)}",
           f"- **Treaties:** {', '.join(markdown_code(c.label) for c in cols)}", "", "## Differences", ""]
    if not diffs:
        out.append(md(no_differences(cols)[0].upper() + no_differences(cols)[1:] + "."))
    out += [f"{n}. {md(difference_text(d, cols))}" for n, d in enumerate(diffs, start=1)]
    out += ["", "## Side by side", ""]
    if not found:
        out.append("No norm or breach arises under any treaty.")
    else:
        out.append("| | " + " | ".join(markdown_code(c.label) for c in applicable) + " |")
        out.append("|---|" + "---|" * len(applicable))
        for row in found:
            cells = []
            for col in applicable:
                groups = row.cells.get(col.label)
                cells.append("<br>".join(md(cell_line(g, col)) for g in groups) if groups else
                             md(empty_reason(col, row)))
            out.append(f"| {md(row_label(row, cols))} | " + " | ".join(cells) + " |")
    if explain and found:
        out += ["", "### Why", ""]
        for row in found:
            for col in applicable:
                for g in row.cells.get(col.label, ()):
                    out += [f"**{md(row_label(row, cols))}, under {markdown_code(col.label)}:** "
                            f"{md(cell_line(g, col))}", ""]
                    out += [md(step) if step.startswith("- ") else f"_{md(step)}_" for step in _explained(g, col)]
                    out.append("")
    missing = [c for c in cols if not c.applicable]
    if missing:
        out += ["", "## Not applicable", ""]
        out += [f"- {markdown_code(c.label)}: {md(c.not_applicable()[len('not applicable: '):])}" for c in missing]
    out += ["", "## Each treaty", ""]
    for col in applicable:
        out.append(f"- {markdown_code(col.label)} ({md(col.treaty.title)}; {markdown_code(shown_path(col.file))}): "
                   + "; ".join(md(n) for n in _treaty_notes(col)))
    return "\n".join(out).rstrip("\n") + "\n"


# ---- json --------------------------------------------------------------------------------------------------


def _group_json(g, col: Column, explain: bool) -> dict:
    i = _item(g)
    row = {"text": cell_line(g, col), "who": who_text(g, col), "bearers" if g.kind == "owed" else "parties": list(g.who),
           "article": i.article, "rule": i.rule}
    if g.kind == "owed":
        row.update({"modality": i.modality, "action": i.action, "counterparty": i.counterparty,
                    "what": what_text(g, col), "means": list(i.means), "means_in_order": i.means_in_order,
                    "means_all": i.means_all, "means_including": list(i.means_including),
                    "means_text": means_text(g), "quote": i.source.quote or None, "status": status_text(g)})
    row["depends_on"] = g.conditional
    if explain:
        row["because"] = [s[2:] if s.startswith("- ") else s for s in _explained(g, col)[1:]]
    return row


def to_json(scenario_path, cols, found, diffs, explain) -> dict:
    treaties = []
    for col in cols:
        entry = {"id": col.treaty.id, "label": col.label, "title": col.treaty.title, "file": shown_path(col.file),
                 "applicable": col.applicable}
        if col.applicable:
            r = col.result
            entry.update({"in_force_from": iso(r.entry_into_force), "as_of": iso(r.as_of), "members": list(r.members),
                          "not_in_force": col.not_in_force(), "unengaged": quiet_reasons(col),
                          "not_applicable": None})
        else:
            entry["not_applicable"] = {"reason": col.not_applicable()[len("not applicable: "):],
                                       "diagnostics": [d.to_json() for d in col.problems]}
        treaties.append(entry)
    applicable = [c for c in cols if c.applicable]
    return {
        "scenario": {"title": _title(cols), "file": scenario_path},
        "treaties": treaties,
        "differences": [{"row": row_label(d.row, cols), "kind": d.row.kind, "whom": d.row.whom, "aspect": d.aspect,
                         "values": d.values, "text": difference_text(d, cols)} for d in diffs],
        "rows": [{"row": row_label(row, cols), "kind": row.kind, "whom": row.whom,
                  "cells": {c.label: ([_group_json(g, c, explain) for g in row.cells[c.label]]
                                      if c.label in row.cells else {"nothing": empty_reason(c, row)})
                            for c in applicable}} for row in found],
    }


__all__ = ["render", "to_json", "whom"]
