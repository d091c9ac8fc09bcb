"""Results as plain text for a student's terminal: grouped by member, then by event."""

from __future__ import annotations

from collections import defaultdict

from treatylang.explain.phrases import (Namer, article_label, depends_on, describe_breach_by, describe_end,
                                        describe_event, describe_group, describe_means, describe_norm, who_of)
from treatylang.explain.why import because
from treatylang.model import iso
from treatylang.source.safe_text import escape_lines


def article_of_row(row: dict) -> str:
    """The article of a row; a dated version of it with its dates: `6 (from 1952-02-15)`."""
    version = row.get("article_version")
    return f"{row['article']} ({version})" if version else str(row["article"])


def norm_line(n, name: Namer) -> str:
    """'obligation: Mali must assist Niger, by ... means  [art. 6, duty_of_assistance]'."""
    row = n.row()
    line = f"{row['modality']}: {describe_norm(n.source, n.bearer, n.counterparty, name)}"
    means = describe_means(n)
    if means:
        line += f", {means}"
    end = describe_end(n)
    return line + f"  [art. {article_of_row(row)}, {row['rule']}]" + (f"; {end}" if end else "")


def standing_lines(norms, name: Namer) -> list[str]:
    """Standing norms folded per rule: 'must not use force against Astoria, Belmont'."""
    grouped = defaultdict(list)
    for n in norms:
        grouped[n.source].append(n)
    lines = []
    for rule, group in grouped.items():
        counterparts = [n.counterparty for n in group if n.counterparty is not None]
        first = group[0].row()
        text = describe_norm(rule, first["bearer"], None, name)
        if counterparts:
            prep = rule.conclusion.preposition
            text += f" {prep + ' ' if prep else ''}{name(counterparts)}"
        lines.append(f"{first['modality']}: {text}  [art. {article_of_row(first)}, {first['rule']}; since {first['date']}]")
    return lines


_SOURCES = {"joined": " (the treaty: `joined`)", "left": " (the treaty: `left`)", "members": " (the scenario's `members:`)"}


def _header_lines(result, name: Namer) -> list[str]:
    t, sc = result.treaty, result.scenario
    lines = [f"{sc.title}", f"  treaty: {t.title} ({t.id})"]
    if t.status.declared:  # how sure the model is: no reader takes a contested reading for settled law
        lines.append(f"  model status: {t.status.summary()}")
    lines.append(f"  scenario: {sc.file}")
    lines += [f"  {reading.describe()}: {'event' if len(ids) == 1 else 'events'} {', '.join(ids)}"
              for reading, ids in result.readings()]
    if result.entry_into_force is None:
        lines.append("  the treaty is not in force in this scenario")
    else:
        ended = result.timeline.end
        lines.append(f"  in force from {iso(result.entry_into_force)}" + (f"; terminated {iso(ended)}" if ended else ""))
    lines.append(f"  members on {iso(result.as_of)}: {name(list(result.members)) if result.members else 'none'}")
    history = result.timeline.history()
    if history:
        lines.append("  membership changes:")
        for start, party, change in history:
            verb = "joins" if change == "joins" else "ceases to be a member"
            source = _SOURCES.get(result.timeline.sources.get((party, start, change)), "")
            lines.append(f"    {iso(start)}  {name(party)} {verb}{source}")
    return lines


def selection_lines(result, name: Namer) -> list[str]:
    """'  showing only: Mali; article 6' under the header of a view (`--bearer`, `--article`)."""
    sel = result.selection
    if sel is None:
        return []
    said = []
    if sel.bearers is not None:
        said.append(name(sorted(sel.bearers, key=lambda b: name(b).casefold())))
    if sel.articles is not None:
        numbers = sorted(sel.articles, key=result.treaty.article_sort_key)
        said.append(f"article{'s' if len(numbers) > 1 else ''} {', '.join(numbers)}")
    return [f"  showing only: {'; '.join(said)}"]


def standing_summary(result, name: Namer) -> list[str]:
    """'at all times: Burkina Faso, Mali and Niger bear 6 standing norms of art. 8', one line an article."""
    by_article: dict = {}
    for n in result.standing:
        bearers, rules = by_article.setdefault(article_of_row(n.row()), (set(), set()))
        bearers.add(n.bearer)
        rules.add(n.rule)
    out = []
    members = set(result.timeline.at(result.as_of)[0]) if result.as_of is not None else set()
    for article, (bearers, rules) in by_article.items():
        count = f"{len(rules)} standing norm{'s' if len(rules) > 1 else ''}"
        many = "members" if bearers <= members else "bearers"  # an organ of the treaty is no member
        out.append(f"at all times: {who_of(bearers, name, many)} {'bears' if len(bearers) == 1 else 'bear'} {count} "
                   f"of art. {article}")
    return out


def summary_items(result, name: Namer) -> list[str]:
    """The result in a few lines: the norms grouped (article, modality, action, counterparty), the breaches
    by article, the standing norms by article, how many results are conditional; then `quiet_lines`. The
    text and Markdown summaries both list these."""
    norms, breaches = result.summary()
    lines = [describe_group(g, name) for g in (*norms, *breaches)]
    if result.conditional:
        k = len(result.conditional)
        lines.append(f"{k} conditional result{'s' if k > 1 else ''} (below: facts the scenario leaves unknown)")
    lines += standing_summary(result, name)
    if not lines:
        lines.append("no norm or breach arises from the events")
    return lines + quiet_lines(result)


def summary_lines(result, name: Namer) -> list[str]:
    return ["", "Summary"] + [f"  {line}" for line in summary_items(result, name)]


def quiet_lines(result) -> list[str]:
    """A line for each event that engaged nothing, with why in one clause (explain.why_not.why_nothing)."""
    quiet = result.quiet_events()
    if not quiet:
        return []
    from treatylang.explain.why_not import why_nothing  # on use: only a result with a quiet event pays for it

    return [f"event {e.id} on {iso(e.date)} ({e.type.replace('_', ' ')}): {why_nothing(result.whole, e)}"
            for e in quiet]


def _member_lines(result, name: Namer, explain: bool) -> list[str]:
    by_bearer = defaultdict(list)
    for n in result.sorted_norms():
        by_bearer[n.bearer].append(n)
    standing = defaultdict(list)
    for n in result.standing:
        standing[n.bearer].append(n)
    events = {e.id: e for e in result.scenario.events}
    bearers = sorted(set(by_bearer) | set(result.members) | set(standing), key=lambda b: name(b).casefold())
    if result.selection is not None and result.selection.bearers is not None:  # `--bearer`: those only
        bearers = sorted(result.selection.bearers, key=lambda b: name(b).casefold())
    lines = []
    for bearer in bearers:
        lines += ["", name(bearer)]
        mine = by_bearer.get(bearer, [])
        if not mine:
            lines.append("  no norm arises from the events")
        current = None
        for n in mine:
            if n.event != current:
                current = n.event
                e = events[n.event]
                since = getattr(n.trigger, "since", None)  # a continuing situation judged from entry into force
                tail = (f" (continuing since {iso(since)}; judged from {iso(n.date)}, when the treaty entered "
                        "into force)") if since is not None else ""
                lines.append(f"  event {e.id} on {iso(e.date)}: {describe_event(e, name)}{tail}")
            lines.append(f"    {norm_line(n, name)}")
            if explain:
                lines.extend(f"      - {step}" for step in because(n, result))
        if standing.get(bearer):
            lines.append("  at all times (standing norms):")
            lines.extend(f"    {line}" for line in standing_lines(standing[bearer], name))
    return lines


def _breach_lines(result, name: Namer, explain: bool) -> list[str]:
    if not result.breaches:
        return ["Breaches: none"]
    events = {e.id: e for e in result.scenario.events}
    lines = ["Breaches"]
    for b in result.sorted_breaches():
        row = b.row()
        lines.append(f"  {name(b.party)} breached {article_label(result.treaty, b.source)}, rule {row['rule']}, "
                     f"{describe_breach_by(b, events, name)}")
        if explain:
            lines.extend(f"    - {step}" for step in because(b, result))
    return lines


def _effect_lines(result, name: Namer, explain: bool) -> list[str]:
    if not result.effects:
        return []
    lines = ["Effects on membership"]
    for eff in result.effects:
        row = eff.row()
        verb = "becomes a member" if row["change"] == "joins" else "ceases to be a member"
        lines.append(f"  {name(eff.party)} {verb} from {row['from']}  [art. {article_of_row(row)}, {row['rule']}; event {row['event']}]")
        if explain:
            lines.extend(f"    - {step}" for step in because(eff, result))
    return lines


def conditional_line(c, result, name: Namer) -> str:
    """'Mali must assist Niger  [art. 8, assist; event e1] depends on whether ...'."""
    i = c.item
    if c.kind == "norm":
        what = f"{i.modality}: {describe_norm(i.source, i.bearer, i.counterparty, name)}"
    else:
        what = f"{name(i.party)} breached {article_label(result.treaty, i.article)}"
    return f"{what}  [art. {i.article}, {i.rule}; event {i.event} on {iso(i.date)}] {depends_on(c, name)}"


def _conditional_lines(result, name: Namer, explain: bool) -> list[str]:
    if not result.conditional:
        return []
    lines = ["", "Conditional (facts the scenario leaves unknown)"]
    for c in result.sorted_conditional():
        lines.append(f"  {conditional_line(c, result, name)}")
        if explain:
            lines.extend(f"    - {step}" for step in because(c, result))
    return lines


def render_text(result, explain: bool = False) -> str:
    """One result as text; with `explain`, the reasoning under each norm, breach and effect.

    Every line is escaped as a whole (treatylang.source.safe_text): a control character, a bidirectional
    control or a newline from a title, name, id or note is shown as `\\x1b`, `\\u202e`, `\\n`.
    """
    name = Namer(result.treaty, result.scenario)
    lines = _header_lines(result, name) + selection_lines(result, name) + summary_lines(result, name)
    lines += _member_lines(result, name, explain) + [""]
    lines += _breach_lines(result, name, explain) + _conditional_lines(result, name, explain)
    lines += _effect_lines(result, name, explain)
    ended = result.timeline.end
    for e in result.not_in_force:
        if ended is not None and e.date >= ended:
            lines.append(f"Not judged: event {e.id} on {iso(e.date)} is after the treaty ended (it terminated on {iso(ended)})")
            continue
        when = f"entered into force on {iso(result.entry_into_force)}" if result.entry_into_force else "is not in force"
        lines.append(f"Not judged: event {e.id} on {iso(e.date)} is before the treaty bound anyone (it {when})")
    return "\n".join(escape_lines(lines)) + "\n"  # each line escaped: no input can start a line of its own
