"""`treaty classify`: the command, and its three outputs (text, JSON, Markdown). Deterministic: members in the
treaty's order, variables in ATOP's, no dict or set order from hashing."""

from __future__ import annotations

import json
import sys

import treatylang
from treatylang.classify.atop import AtopError, Comparison, compare
from treatylang.classify.derive import VARIABLES, Classification, ClassifyError, classify
from treatylang.source.safe_text import escape, json_text, markdown_text

_SHORT = {"defense": "def", "offense": "off", "neutral": "neu", "nonagg": "nag", "consul": "con", "active": "act",
          "defcon": "dcon", "defcoloc": "loc", "defcoadv": "adv", "defconpr": "npr", "defcocon": "ccn",
          "defconum": "num", "defcodem": "dem", "asymm": "asy"}


def _bad(message: str) -> int:
    print(escape(f"treaty classify: error: {message}"), file=sys.stderr)
    return 2


def run_cli(args) -> int:
    if (args.against is None) != (args.atopid is None):
        return _bad("--against FILE and --atopid N go together")
    treaty = treatylang.load_treaty(args.treaty)  # a TreatyError is reported by the caller (file:line:col, exit 2)
    extra = list(args.member or ())
    for m in extra:
        if m in treaty.parties:
            return _bad(f"--member {m}: already a party of the treaty")
        if treaty.actor_kinds.get(m) != "state":
            return _bad(f"--member {m}: not a State the treaty declares (an `actor ... kind state`)")
    try:
        c = classify(treaty, [*treaty.parties, *dict.fromkeys(extra)], as_of=args.as_of)
    except ClassifyError as e:
        return _bad(f"{args.treaty}: {e}")
    comparison = None
    if args.against is not None:
        try:
            comparison = compare(c, args.against, args.atopid)
        except AtopError as e:
            return _bad(str(e))
    out = {"text": text, "json": as_json, "markdown": markdown}[args.format](c, comparison)
    sys.stdout.write(out)
    return 0


# ---- JSON -------------------------------------------------------------------------------------------------
def data(c: Classification, comparison: Comparison | None = None) -> dict:
    members = {m: {"cow": x.cow, **{v: x.values[v].value for v in VARIABLES}} for m, x in c.members.items()}
    out = {"treaty": c.treaty.id, "members": members, "date": c.date.isoformat(),
           "derivations": {m: {v: x.values[v].why for v in VARIABLES} for m, x in c.members.items()},
           "undecided": {m: [v for v in VARIABLES if not x.values[v].decided] for m, x in c.members.items()},
           "scenarios": c.scenarios, "members_concerned": list(c.victims), "notes": list(c.notes)}
    if comparison is not None:
        k = comparison
        out["against"] = {
            "file": k.file, "atopid": k.atopid,
            "agreement": {v: {"agree": a, "compared": n} for v, (a, n) in k.agreement.items()},
            "members": k.members, "disagreements": k.disagreements,
            "not_in_model": [{"cow": cow, "note": note} for cow, note in k.not_in_model],
            "not_in_atop": [{"member": m, "note": note} for m, note in k.not_in_atop],
        }
    return out


def as_json(c: Classification, comparison: Comparison | None = None) -> str:
    return json_text(json.dumps(data(c, comparison), indent=2, ensure_ascii=False)) + "\n"


# ---- text -------------------------------------------------------------------------------------------------
def _cell(value) -> str:
    return str(value.value) + ("?" if not value.decided else "")


def text(c: Classification, comparison: Comparison | None = None) -> str:
    lines = [f"{c.treaty.title} ({c.treaty.id}): ATOP variables derived from the model",
             f"  date of the canonical scenarios: {c.date.isoformat()}; {c.scenarios} scenarios, built around "
             f"{', '.join(c.treaty.actor_names.get(v, v) for v in c.victims)} as the member concerned",
             "  1 or 0; ? marks a value the model cannot decide (shown as 0)", ""]
    width = max(len(m) for m in c.members)
    head = f"  {'member'.ljust(width)}  {'cow':>4}  " + " ".join(_SHORT[v].rjust(4) for v in VARIABLES)
    lines.append(head)
    for m, x in c.members.items():
        cow = str(x.cow) if x.cow is not None else "-"
        lines.append(f"  {m.ljust(width)}  {cow:>4}  " + " ".join(_cell(x.values[v]).rjust(4) for v in VARIABLES))
    lines += ["", "  columns: " + ", ".join(f"{_SHORT[v]} {v}" for v in VARIABLES), "", "Derivations"]
    for m, x in c.members.items():
        lines.append(f"  {x.name} ({m})")
        for v in VARIABLES:
            value = x.values[v]
            lines.append(f"    {v} = {value.value}{'' if value.decided else ' (undecided)'}: {value.why}")
    if c.notes:
        lines += ["", "Notes"] + [f"  {n}" for n in c.notes]
    if comparison is not None:
        lines += [""] + _against_lines(c, comparison)
    return "\n".join(escape(line) for line in lines) + "\n"


def _against_lines(c: Classification, k: Comparison) -> list[str]:
    lines = [f"Against ATOP alliance {k.atopid} ({k.file}): {len(k.members)} members matched by COW code"]
    lines.append("  agreement per variable:")
    for v, (a, n) in k.agreement.items():
        lines.append(f"    {v.ljust(9)} {a}/{n}")
    lines.append("  per member:")
    for m, r in k.members.items():
        said = f"{len(r['agree'])}/{len(r['agree']) + len(r['disagree'])} agree"
        if r["disagree"]:
            said += f"; disagree on {', '.join(r['disagree'])}"
        lines.append(f"    {m} (COW {r['cow']}, ATOP row {r['row']}): {said}")
    if k.disagreements:
        lines.append("  disagreements (findings to discuss, each with the model's derivation):")
        for d in k.disagreements:
            lines.append(f"    {d['member']} {d['variable']}: model {d['model']}, ATOP {d['atop']}"
                         f"{'' if d['decided'] else ' (the model cannot decide)'}: {d['why']}")
    else:
        lines.append("  disagreements: none")
    for cow, note in k.not_in_model:
        lines.append(f"  ATOP member COW {cow} is not classified: {note}")
    for m, note in k.not_in_atop:
        lines.append(f"  {m} is not compared: {note}")
    return lines


# ---- Markdown ---------------------------------------------------------------------------------------------
def markdown(c: Classification, comparison: Comparison | None = None) -> str:
    md = markdown_text
    lines = [f"# {md(c.treaty.title)}: ATOP variables", "",
             f"Derived from the model ({md(c.treaty.id)}) on canonical scenarios dated {c.date.isoformat()} "
             f"({c.scenarios} scenarios). `?`: the model cannot decide (shown as 0).", "",
             "| member | cow | " + " | ".join(VARIABLES) + " |",
             "|---|---:|" + "---:|" * len(VARIABLES)]
    for m, x in c.members.items():
        cow = str(x.cow) if x.cow is not None else ""
        lines.append(f"| {md(x.name)} | {cow} | " + " | ".join(_cell(x.values[v]) for v in VARIABLES) + " |")
    lines += ["", "## Derivations", ""]
    for m, x in c.members.items():
        lines.append(f"### {md(x.name)}")
        lines.append("")
        for v in VARIABLES:
            value = x.values[v]
            lines.append(f"- **{v}** = {value.value}{'' if value.decided else ' (undecided)'}: {md(value.why)}")
        lines.append("")
    if c.notes:
        lines += ["## Notes", ""] + [f"- {md(n)}" for n in c.notes] + [""]
    if comparison is not None:
        k = comparison
        lines += [f"## Against ATOP alliance {k.atopid}", "", "| variable | agree | compared |", "|---|---:|---:|"]
        lines += [f"| {v} | {a} | {n} |" for v, (a, n) in k.agreement.items()]
        lines += ["", "### Disagreements", ""]
        if not k.disagreements:
            lines.append("None.")
        for d in k.disagreements:
            lines.append(f"- {md(d['member'])} **{d['variable']}**: model {d['model']}, ATOP {d['atop']}: {md(d['why'])}")
        for cow, note in k.not_in_model:
            lines.append(f"- ATOP member COW {cow} is not classified: {md(note)}")
        for m, note in k.not_in_atop:
            lines.append(f"- {md(m)} is not compared: {md(note)}")
        lines.append("")
    return "\n".join(lines)
