"""One scenario under several treaties: each treaty's result (or why it does not apply), as rows and differences.

Every treaty reads the scenario through the public API (`treatylang.load_scenario(path, treaty)`), so
whatever that loading learns (a shared vocabulary that maps a treaty's own terms) applies here too. A
treaty whose vocabulary or parties do not fit the scenario is a column "not applicable", with the
located reason; only a scenario that fits none of them (or cannot be read at all) is bad input.

A row is one State owed something ("owed to Niger") or one State in breach; a cell is what one treaty
concludes for that row, grouped as the summary of `treaty eval` groups it: the bearers of the same norm
(modality, action, counterparty, article, rule), with the means and the phrase its rule quotes. The
differences compare the cells aspect by aspect (whether anything is owed, by whom, what, by which means,
until when); every word of them comes from the norms and the treaties, none from this module.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any, NamedTuple

import treatylang
from treatylang import library
from treatylang.explain.phrases import Namer, depends_on, describe_means, who_of
from treatylang.ir.wording import VERBS, words
from treatylang.model import Conditional, iso
from treatylang.scenario.load import read_scenario
from treatylang.source import files
from treatylang.source.diagnostics import TreatyError, UsageError

from treatylang.compare.paths import shown_path


class Column(NamedTuple):
    """One treaty of the comparison: its result, or why the scenario does not apply under it."""

    label: str  # the treaty's id (with its file when two treaties share an id)
    treaty: Any  # CompiledTreaty
    file: str
    result: Any | None  # the engine's Result; None when not applicable
    problems: tuple  # the Diagnostics of loading the scenario under this treaty (not applicable)
    name: Namer | None

    @property
    def applicable(self) -> bool:
        return self.result is not None

    def not_applicable(self) -> str | None:
        """'not applicable: FILE:LINE:COL: message (and N more)', or None."""
        if self.applicable:
            return None
        d = self.problems[0]
        more = len(self.problems) - 1
        where = f"{d.span.file}:{d.span.line}:{d.span.column}"
        hint = f"; {d.hint}" if d.hint else ""
        return f"not applicable: {where}: {d.message}{hint}" + (f" (and {more} more)" if more else "")

    def not_in_force(self) -> str | None:
        """Why the treaty bound nobody when the scenario's events happened (None: in force for them)."""
        r = self.result
        if r is None:
            return None
        if r.entry_into_force is None:
            return f"not in force in this scenario: {self.treaty.entry_into_force.describe()}"
        if r.not_in_force:
            ids = ", ".join(e.id for e in r.not_in_force)
            return f"in force only from {iso(r.entry_into_force)}: events before it engage nothing ({ids})"
        return None


class Group(NamedTuple):
    """The bearers of one norm toward one State under one treaty (or the parties in breach of one article)."""

    kind: str  # owed | breach
    first: Any  # the first Norm, Breach or Conditional of the group (explained under --explain)
    who: tuple  # bearer (or party) ids, sorted
    conditional: str | None  # 'depends on ...' for a conditional group


class Row(NamedTuple):
    kind: str  # owed | breach
    whom: str | None  # the State owed (owed), or the party in breach (breach); None: owed to no one in particular
    cells: dict  # column label -> [Group]


# ---- loading ----------------------------------------------------------------------------------------


def treaty_files(args) -> list[str]:
    """The treaty files asked for: `--library`, or each `--treaty` (a file, else the id of a library treaty)."""
    if args.library:
        return [e.file for e in library.entries()]
    out = []
    for given in args.treaty:
        if files.kind_problem(given) is None or given.endswith(".treaty") or "/" in given or "\\" in given:
            out.append(given)  # a path: a missing or bad file is reported by the loader, located
        else:
            out.append(library.find(given).file)
    return out


def columns(scenario_path: str, paths: list[str], as_of: dt.date | None) -> list[Column]:
    """Each treaty loaded once (a bad treaty file is bad input), the scenario loaded and evaluated under it."""
    treaties = treatylang.treaty_cache()
    read_scenario(scenario_path)  # a file that is no scenario at all fails here, once, whatever the treaty
    loaded = []
    for path in paths:
        treaty = treaties.get(path)
        if any(t is treaty for t, _ in loaded):
            continue  # the same file twice
        loaded.append((treaty, path))
    ids = [t.id for t, _ in loaded]
    out = []
    for treaty, path in loaded:
        label = treaty.id if ids.count(treaty.id) == 1 else f"{treaty.id} ({shown_path(path)})"
        try:
            scenario = treatylang.load_scenario(scenario_path, treaty)
        except TreatyError as e:
            out.append(Column(label, treaty, path, None, tuple(e.errors or e.diagnostics), None))
            continue
        result = treatylang.evaluate(treaty, scenario, as_of=as_of)
        out.append(Column(label, treaty, path, result, (), Namer(treaty, scenario)))
    if not any(c.applicable for c in out):
        # fits no treaty: bad input, every reason once (a fault of the file itself is found under each treaty)
        raise TreatyError(list(dict.fromkeys(d for c in out for d in c.problems)))
    return out


# ---- rows -------------------------------------------------------------------------------------------


def _groups(col: Column) -> list[Group]:
    """The column's norms (established, then conditional) and breaches, grouped, in the treaty's order."""
    r = col.result
    art = col.treaty.article_sort_key
    found: dict = {}

    def add(kind, key, item, who, conditional=None):
        entry = found.setdefault((kind, key, conditional), [item, set()])
        entry[1].add(who)

    for n in r.sorted_norms():
        add("owed", _norm_key(n), n, n.bearer)
    for c in r.sorted_conditional():
        i = c.item
        if c.kind == "norm":
            add("owed", _norm_key(i), c, i.bearer, depends_on(c, col.name))  # the words of treaty eval
        else:
            add("breach", (i.party, i.article, i.source.index), c, i.party, depends_on(c, col.name))
    for b in r.sorted_breaches():
        add("breach", (b.party, b.article, b.source.index), b, b.party)
    groups = [Group(kind, item, tuple(sorted(who)), cond) for (kind, _, cond), (item, who) in found.items()]
    return sorted(groups, key=lambda g: (g.kind != "owed", art(_item(g).article), _item(g).source.index,
                                         g.conditional is not None))


def _norm_key(n) -> tuple:
    status = "live" if n.end is None else n.end.status
    return (n.counterparty, n.article, n.source.index, n.modality, n.action, tuple(n.means), status)


def _item(g: Group):
    return g.first.item if isinstance(g.first, Conditional) else g.first


def whom(g: Group) -> str | None:
    i = _item(g)
    return i.counterparty if g.kind == "owed" else i.party


def rows(cols: list[Column]) -> list[Row]:
    """Owed rows first, then breaches; each in the order a row first appears, column by column."""
    found: dict = {}
    for col in cols:
        if not col.applicable:
            continue
        for g in _groups(col):
            found.setdefault((g.kind, whom(g)), {}).setdefault(col.label, []).append(g)
    keys = sorted(found, key=lambda k: (k[0] != "owed", list(found).index(k)))
    return [Row(kind, who, found[(kind, who)]) for kind, who in keys]


# ---- the words of a cell ------------------------------------------------------------------------------


def article_of(item) -> str:
    version = getattr(item.source, "version", None)
    return f"art. {item.article}" + (f" ({version.range()})" if version is not None else "")


def who_text(g: Group, col: Column, count: bool = True) -> str:
    """Who bears it: 'every member other than Niger (12)', or the bearers named (an organ, a subset).
    Without `count`, the same words without the number (what the differences compare)."""
    i = _item(g)
    if g.kind == "breach":
        return who_of(g.who, col.name, "parties")
    date = i.date if i.trigger is not None else col.result.as_of
    members = set(col.result.timeline.at(date)[0])
    who = set(g.who)
    if len(who) > 1 and who <= members:
        left = sorted(members - who)
        n = f" ({len(who)})" if count else ""
        if not left:
            return f"every member{n}"
        return f"every member other than {who_of(left, col.name)}{n}" if len(left) <= 3 else \
            f"{len(who)} of the {len(members)} members"
    return who_of(g.who, col.name)


def what_text(g: Group, col: Column) -> str:
    """'must assist Niger', 'breached art. 8'."""
    i = _item(g)
    if g.kind == "breach":
        return f"breached {article_of(i)}"
    c = i.source.conclusion
    text = f"{VERBS[i.modality]} {words(i.action)}"
    if i.counterparty is not None:
        text += f" {c.preposition + ' ' if c.preposition else ''}{col.name(i.counterparty)}"
    return text


def means_text(g: Group) -> str:
    i = _item(g)
    return (describe_means(i) or "no means named") if g.kind == "owed" else ""


def status_text(g: Group) -> str:
    i = _item(g)
    if g.kind != "owed" or i.end is None:
        return "live"
    return f"{i.end.status} {iso(i.end.event.date)} (event {i.end.event.id})"


def quote_of(g: Group) -> str | None:
    return _item(g).source.quote or None


def cell_line(g: Group, col: Column) -> str:
    """One group in words: 'every member other than Niger (12) must give aid to Niger [art. 3, rule]; by ...'."""
    i = _item(g)
    line = f"{who_text(g, col)} {what_text(g, col)}"
    if g.kind == "owed":
        line += f" [{article_of(i)}, {i.rule}]"
        means = describe_means(i)
        if means:
            line += f", {means}"
        quote = quote_of(g)
        if quote:
            line += f' ("{quote}")'
        if i.end is not None:
            line += f"; {status_text(g)}"
    else:
        line += f" [{i.rule}]"
    if g.conditional:
        line = f"if so: {line}; {g.conditional}"
    return line


def row_label(row: Row, cols: list[Column]) -> str:
    name = next((c.name for c in cols if c.label in row.cells), None)
    who = name(row.whom) if name is not None and row.whom is not None else row.whom
    if row.kind == "breach":
        return f"Breaches by {who}"
    return f"Owed to {who}" if row.whom is not None else "Owed to no one in particular"


def empty_reason(col: Column, row: Row) -> str:
    """Why a cell is empty: not applicable, not in force, nothing at all arose, or nothing toward this State."""
    if not col.applicable:
        return col.not_applicable()
    why = col.not_in_force()
    if why:
        return f"nothing: {why}"
    r = col.result
    if not (r.norms or r.breaches or r.conditional):
        quiet = quiet_reasons(col)
        return "nothing arises from the events" + (f" ({'; '.join(quiet)})" if quiet else "")
    return "nothing toward them" if row.kind == "owed" else "no breach"


def quiet_reasons(col: Column) -> list[str]:
    """For each event that engaged nothing under the treaty: why, in one clause (the words of treaty eval)."""
    from treatylang.explain.why_not import why_nothing  # on use: only a quiet event pays for it

    r = col.result
    return [f"event {e.id}: {why_nothing(r.whole, e)}" for e in r.quiet_events()]


# ---- differences ----------------------------------------------------------------------------------------

ASPECTS = (  # (name, what a cell's group says of it); compared among the treaties that apply
    ("what", lambda g, col: f"{what_text(g, col)} ({article_of(_item(g))})"),
    ("who", lambda g, col: who_text(g, col, count=False)),
    ("means", lambda g, col: means_text(g)),
    ("until", lambda g, col: status_text(g)),
    ("certainty", lambda g, col: g.conditional or "established"),
)


class Difference(NamedTuple):
    row: Row
    aspect: str  # arises | who | what | means | until | certainty
    values: dict  # column label -> text


def differences(cols: list[Column], found: list[Row]) -> list[Difference]:
    """For each row: whether it arises under each treaty that applies, then each aspect that differs."""
    applicable = [c for c in cols if c.applicable]
    by_label = {c.label: c for c in applicable}
    out = []
    for row in found:
        present = {label: gs for label, gs in row.cells.items() if label in by_label}
        if len(present) < len(applicable):
            values = {c.label: ("; ".join(cell_line(g, c) for g in present[c.label]) if c.label in present
                                else empty_reason(c, row)) for c in applicable}
            out.append(Difference(row, "arises", values))
        if len(present) < 2:
            continue
        for aspect, say in ASPECTS:
            if aspect == "means" and row.kind == "breach":
                continue
            said = {label: [say(g, by_label[label]) for g in gs] for label, gs in present.items()}
            if len({tuple(dict.fromkeys(v)) for v in said.values()}) > 1:
                out.append(Difference(row, aspect, {label: _joined(aspect, present[label], v, by_label[label])
                                                    for label, v in said.items()}))
    return out


def _joined(aspect: str, groups: list, said: list, col: Column) -> str:
    """One treaty's value of an aspect; where its cell has several norms, each named by its action."""
    if len(groups) == 1 or aspect == "what":
        return "; ".join(dict.fromkeys(said))
    return "; ".join(f"{_label(g, col)}: {text}" for g, text in zip(groups, said))


def _label(g: Group, col: Column) -> str:
    i = _item(g)
    return f"{what_text(g, col)} ({article_of(i)})" if g.kind == "owed" else article_of(i)


def difference_text(d: Difference, cols: list[Column]) -> str:
    """'Owed to Niger, means: under aes, by ...; under ecowas_pmad, no means named'."""
    said = "; ".join(f"under {label}, {text}" for label, text in d.values.items())
    return f"{row_label(d.row, cols)}, {ASPECT_WORDS[d.aspect]}: {said}"


ASPECT_WORDS = {"arises": "whether it arises", "who": "who bears it", "what": "what", "means": "by which means",
                "until": "until when", "certainty": "established or conditional"}


# ---- the command ---------------------------------------------------------------------------------------


def run_cli(args) -> int:
    from treatylang.compare.render import render

    if not args.library and not args.treaty:
        raise UsageError("give the treaties to compare: --treaty FILE_OR_ID (repeated) or --library")
    cols = columns(args.scenario, treaty_files(args), args.as_of)
    sys.stdout.write(render(args.scenario, cols, args.format, args.explain))
    return 0
