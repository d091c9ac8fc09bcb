"""Generators for the benchmark: scenarios (as the YAML-style dict that
``treatylang.scenario_from_dict`` takes), alliance treaties of N parties and a
large treaty of many articles.

Everything here is deterministic (seeded), so every implementation and every
run sees exactly the same input.
"""

from __future__ import annotations

import datetime as _dt
import random
import re

# ---------------------------------------------------------------------------
# Scenario field names (align with treatylang's scenario format if it changes)
# ---------------------------------------------------------------------------
F_ID = "id"
F_TYPE = "type"
F_DATE = "date"
F_TARGET = "target"
F_BY = "by"
F_OBJECT = "object"
F_FROM = "launched_from"
F_IN = "in"
F_SUPPORTED = "supported_by"
F_PERMITTED = "permitted"            # art. 8 (iv): the host permitted the attack (yes|no)
F_MADE_AVAILABLE = "made_available"  # art. 8 (iii): the host made its territory available
F_DEPLOYMENT = "deployment"          # art. 7: where and how forces attacked were deployed
F_ARMED = "by_armed_forces"          # art. 8 (ii): a blockade by armed forces
# Stated, never left out: the peers compare established results, and a fact left unknown gives conditional
# ones, which they do not compute (benchmarks/constructs.py measures those, against code that does).
YES_NO = ("yes", "no")
DEPLOYMENTS = ("alliance_space", "national_abroad", "multinational_abroad")

CHARTER_MEMBERS = ("burkina_faso", "mali", "niger")
FIRST_DATE = _dt.date(2023, 10, 1)  # all events after the Charter's entry into force

OUTSIDERS = {
    # id: (name, kind)
    "xs01": ("Outsider state 1", "state"),
    "xs02": ("Outsider state 2", "state"),
    "xs03": ("Outsider state 3", "state"),
    "xo01": ("Outsider organization 1", "organization"),
    "xo02": ("Outsider organization 2", "organization"),
    "xa01": ("Armed group 1", "armed_group"),
    "xa02": ("Armed group 2", "armed_group"),
    "xa03": ("Armed group 3", "armed_group"),
}
OUT_STATES = ("xs01", "xs02", "xs03")
OUT_GROUPS = ("xa01", "xa02", "xa03")
OUT_HOSTILE = OUT_STATES + OUT_GROUPS


def member_ids(n: int) -> list[str]:
    return [f"p{i:04d}" for i in range(1, n + 1)]


def _date(i: int) -> str:
    return (FIRST_DATE + _dt.timedelta(days=i // 4)).isoformat()


def _maybe(ev: dict, field: str, value) -> None:
    """Set a field the Charter declares `= unknown`, unless the value drawn is None (left unknown)."""
    if value is not None:
        ev[field] = value


def charter_one_attack() -> dict:
    """The Charter with one event: an attack on niger by an outsider state."""
    return {
        "title": "Attack on Niger by an outsider",
        "actors": {"xs01": {"name": "Outsider state 1", "kind": "state"}},
        "events": [
            {F_ID: "e1", F_TYPE: "attack", F_DATE: "2023-10-01",
             F_TARGET: ["niger"], F_BY: "xs01"},
        ],
    }


def alliance_scenario(n_members: int, n_events: int, seed: int = 6,
                      members: list[str] | None = None) -> dict:
    """A scenario of ``n_events`` events on an alliance of ``n_members``.

    The mix: attacks by outsiders (states and armed groups) on one or several
    targets, on territory, forces, vessels or aircraft; attacks by members on
    members (breach of art. 8); attacks by armed groups launched from a
    member's territory (and on that member itself); attacks by a member
    launched from another member's
    territory; target lists that repeat a target; blockades; terrorism,
    organized crime and rebellions, mostly in members, sometimes elsewhere;
    rebellions supported by members (art. 8 breach) or outsiders; the facts the
    Charter leaves unknown unless stated (permission, territory made available,
    deployment of forces, a blockade by armed forces), always stated; threats by
    outsiders and by members (art. 5, and art. 8 between members); armed-group
    attacks from a member on what is not a State (no breach).
    """
    rng = random.Random(seed * 1_000_003 + n_members * 10_007 + n_events)
    mem = list(members) if members is not None else member_ids(n_members)
    actors = {aid: {"name": name, "kind": kind} for aid, (name, kind) in OUTSIDERS.items()}
    kinds = [
        ("out_attack", 22), ("out_attack_multi", 10), ("out_attack_object", 10),
        ("member_attack", 8), ("harbouring", 7), ("own_soil", 2), ("lent_territory", 5),
        ("repeated_target", 3), ("blockade_member", 5), ("blockade_out", 2),
        ("terrorism", 10), ("terrorism_out", 1), ("organized_crime", 8),
        ("rebellion", 7), ("rebellion_out", 2),
        ("sponsored_rebellion", 3), ("threat_out", 3), ("threat_member", 3),
        ("harbouring_non_state", 2),
    ]
    names = [k for k, _ in kinds]
    weights = [w for _, w in kinds]
    events = []
    for i in range(1, n_events + 1):
        kind = "out_attack" if i == 1 else rng.choices(names, weights)[0]
        ev: dict = {F_ID: f"e{i}", F_DATE: _date(i)}
        pick = rng.choice
        if kind == "out_attack":
            ev.update({F_TYPE: "attack", F_TARGET: [pick(mem)], F_BY: pick(OUT_HOSTILE)})
        elif kind == "out_attack_multi":
            k = min(len(mem), rng.randint(2, 4))
            targets = rng.sample(mem, k)
            if rng.random() < 0.3:
                targets.append(pick(OUT_STATES))
            ev.update({F_TYPE: "attack", F_TARGET: targets, F_BY: pick(OUT_STATES),
                       F_OBJECT: pick(("territory", "forces", "aircraft"))})
            if ev[F_OBJECT] == "forces":
                _maybe(ev, F_DEPLOYMENT, pick(DEPLOYMENTS))
        elif kind == "out_attack_object":
            ev.update({F_TYPE: "attack", F_TARGET: [pick(mem)], F_BY: pick(OUT_HOSTILE),
                       F_OBJECT: pick(("forces", "vessel", "aircraft"))})
            if ev[F_OBJECT] == "forces":
                _maybe(ev, F_DEPLOYMENT, pick(DEPLOYMENTS))
        elif kind == "member_attack":
            a, v = rng.sample(mem, 2)
            targets = [v]
            if rng.random() < 0.3 and len(mem) > 2:
                targets.append(pick([m for m in mem[:50] if m not in (a, v)] or [v]))
            ev.update({F_TYPE: "attack", F_TARGET: targets, F_BY: a})
        elif kind == "harbouring":
            host, v = rng.sample(mem, 2)
            ev.update({F_TYPE: "attack", F_TARGET: [v], F_BY: pick(OUT_GROUPS), F_FROM: host})
            _maybe(ev, F_PERMITTED, pick(YES_NO))
        elif kind == "own_soil":  # an armed group attacks the member it operates from
            host = pick(mem)
            ev.update({F_TYPE: "attack", F_TARGET: [host], F_BY: pick(OUT_GROUPS), F_FROM: host})
            _maybe(ev, F_PERMITTED, pick(YES_NO))
        elif kind == "lent_territory":
            a, host = rng.sample(mem, 2)
            target = pick(OUT_STATES) if rng.random() < 0.5 else pick(mem)
            ev.update({F_TYPE: "attack", F_TARGET: [target], F_BY: a, F_FROM: host})
            _maybe(ev, F_MADE_AVAILABLE, pick(YES_NO))
        elif kind == "repeated_target":
            v = pick(mem)
            ev.update({F_TYPE: "attack", F_TARGET: [v, v], F_BY: pick(OUT_STATES)})
        elif kind == "blockade_member":
            a, v = rng.sample(mem, 2)
            ev.update({F_TYPE: "blockade", F_TARGET: v, F_BY: a})
            _maybe(ev, F_ARMED, pick(YES_NO))
        elif kind == "blockade_out":
            ev.update({F_TYPE: "blockade", F_TARGET: pick(mem), F_BY: pick(OUT_STATES)})
            _maybe(ev, F_ARMED, pick(YES_NO))
        elif kind == "terrorism":
            ev.update({F_TYPE: "terrorism", F_IN: pick(mem)})
            if rng.random() < 0.5:
                ev[F_BY] = pick(OUT_GROUPS)
        elif kind == "terrorism_out":
            ev.update({F_TYPE: "terrorism", F_IN: pick(OUT_STATES), F_BY: pick(OUT_GROUPS)})
        elif kind == "organized_crime":
            ev.update({F_TYPE: "organized_crime", F_IN: pick(mem)})
        elif kind == "rebellion":
            ev.update({F_TYPE: "rebellion", F_IN: pick(mem)})
            if rng.random() < 0.5:
                ev[F_BY] = pick(OUT_GROUPS)
        elif kind == "rebellion_out":
            ev.update({F_TYPE: "rebellion", F_IN: pick(OUT_STATES), F_BY: pick(OUT_GROUPS)})
        elif kind == "sponsored_rebellion":  # supporters: members (the host too, at times) and outsiders
            host = pick(mem)
            supporters = rng.sample(mem, min(len(mem), rng.randint(1, 2)))
            if rng.random() < 0.5:
                supporters.append(pick(OUT_STATES))
            ev.update({F_TYPE: "rebellion", F_IN: host, F_BY: pick(OUT_GROUPS), F_SUPPORTED: supporters})
        elif kind == "threat_out":
            ev.update({F_TYPE: "threat", F_TARGET: pick(mem), F_BY: pick(OUT_STATES + ("xo01", "xo02"))})
        elif kind == "threat_member":
            a, v = rng.sample(mem, 2)
            ev.update({F_TYPE: "threat", F_TARGET: v, F_BY: a})
        elif kind == "harbouring_non_state":  # on an organization or a rival group: no art. 8 breach
            host = pick(mem)
            ev.update({F_TYPE: "attack", F_TARGET: [pick(("xo01", "xo02") + OUT_GROUPS)],
                       F_BY: pick(OUT_GROUPS), F_FROM: host})
            _maybe(ev, F_PERMITTED, "yes")
        events.append(ev)
    return {"title": f"Generated alliance of {n_members} with {n_events} events",
            "actors": actors, "events": events}


# ---------------------------------------------------------------------------
# Treaty text generators (work on the real Charter text)
# ---------------------------------------------------------------------------
_PARTY_LINE = re.compile(r"^([ \t]*)party\s+(\S+)(.*)$", re.M)


def charter_parties(text: str) -> list[str]:
    return [m.group(2) for m in _PARTY_LINE.finditer(text)]


def alliance_treaty(charter_text: str, n_members: int) -> str:
    """The Charter with its ``party`` lines replaced by ``n_members`` lines."""
    matches = list(_PARTY_LINE.finditer(charter_text))
    if not matches:
        raise ValueError("no 'party' lines found in the Charter text")
    indent = matches[0].group(1)
    qualities = re.search(r"\s(is\s+\w+(?:\s*,\s*\w+)*)\s*$", matches[0].group(3))  # the parties' own, kept
    tail = f" {qualities.group(1)}" if qualities else ""
    lines = "\n".join(f'{indent}party p{i:04d} "Party {i}"{tail}' for i in range(1, n_members + 1))
    start, end = matches[0].start(), matches[-1].end()
    text = charter_text[:start] + lines + charter_text[end:]
    # the depositary must stay a declared party
    return re.sub(r"^([ \t]*depositary[ \t]+)\S+", r"\g<1>p0001", text, flags=re.M)


def _article_blocks(text: str):
    """Yield (start, end, number) for each top-level ``article N`` block.

    A block starts at a line beginning with ``article`` (no indentation) and
    runs until the next non-indented, non-blank, non-comment line.
    """
    lines = text.splitlines(keepends=True)
    pos = 0
    offsets = []
    for ln in lines:
        offsets.append(pos)
        pos += len(ln)
    offsets.append(pos)
    i = 0
    while i < len(lines):
        m = re.match(r"article\s+(\S+)", lines[i])
        if m:
            j = i + 1
            while j < len(lines):
                s = lines[j]
                if s.strip() == "" or s[0] in " \t" or s.lstrip().startswith(("#", "//")):
                    j += 1
                    continue
                break
            # do not swallow trailing blank/comment lines
            k = j
            while k > i + 1 and (lines[k - 1].strip() == ""):
                k -= 1
            yield offsets[i], offsets[k], m.group(1)
            i = j
        else:
            i += 1


_TRIPLE = r'"""(?:[^"\\]|\\.|"(?!""))*"""'
_SINGLE = r'"(?:[^"\\\n]|\\.)*"'


def compact_block(block: str) -> str:
    """An article block without comments, ``text``, ``note``, ``reading``, ``quote`` and status (``source``,
    ``reviewed``, ``unreviewed``) clauses: the same rules in fewer bytes (treatylang reads files of at most
    5 MB); a quote or a source needs the text, so they go with it."""
    block = re.sub(rf"^[ \t]*(?:text|source)[ \t]+\w+[ \t]+(?:{_TRIPLE}|{_SINGLE})[ \t]*\n", "",
                   block, flags=re.M)
    block = re.sub(rf"^[ \t]*(?:reading|note|quote|reviewed)[ \t]+(?:{_TRIPLE}|{_SINGLE})[ \t]*\n", "", block,
                   flags=re.M)
    block = re.sub(rf"^[ \t]*unreviewed(?:[ \t]+(?:{_TRIPLE}|{_SINGLE}))?[ \t]*\n", "", block, flags=re.M)
    block = re.sub(r"^[ \t]*#[^\n]*\n", "", block, flags=re.M)
    return block


def _split_rules(block: str):
    """(head, [rule chunks]) of an article block: each chunk runs from a
    ``rule`` line to the next one."""
    parts = re.split(r"(?m)^(?=[ \t]*rule[ \t]+\w+)", block)
    return parts[0], parts[1:]


def big_treaty(charter_text: str, n_articles: int, template_article: str = "6",
               compact: bool = True, max_bytes: int | None = None,
               rules: int | None = None) -> str:
    """The Charter plus copies of its article ``template_article`` block,
    renumbered and with renamed rules, until the treaty has ``n_articles``
    articles in all. ``compact``: copies without comments, texts and readings
    (see compact_block). ``max_bytes``: if the result would be larger, the
    copies leave out rules from the middle of the block (keeping the first
    and the last) until it fits; ``big_treaty.rules_per_copy`` tells how many
    rules each copy kept. ``rules``: keep that many rules in each copy
    (chosen the same way)."""
    blocks = list(_article_blocks(charter_text))
    if not blocks:
        raise ValueError("no 'article' blocks found in the Charter text")
    tmpl = next((b for b in blocks if b[2].strip('":') == template_article), blocks[0])
    block = charter_text[tmpl[0]:tmpl[1]]
    if compact:
        block = compact_block(block)
    head, chunks = _split_rules(block)
    keep = list(range(len(chunks)))
    while rules is not None and len(keep) > max(rules, 1):
        keep.pop(len(keep) // 2 if len(keep) > 2 else -1)
    while True:
        text = _big_treaty(charter_text, blocks, tmpl, head + "".join(chunks[i] for i in keep),
                           n_articles)
        if max_bytes is None or len(text.encode()) <= max_bytes or len(keep) <= 1:
            big_treaty.rules_per_copy = len(keep)
            return text
        keep.pop(len(keep) // 2 if len(keep) > 2 else -1)


big_treaty.rules_per_copy = None


def _big_treaty(charter_text, blocks, tmpl, block, n_articles):
    numbers = set()
    for _, _, num in blocks:
        try:
            numbers.add(int(num.strip('":')))
        except ValueError:
            pass
    rule_names = re.findall(r"^\s*rule\s+([A-Za-z_][A-Za-z0-9_]*)", block, re.M)
    first_line = block.splitlines(keepends=True)[0]
    rest = block[len(first_line):]
    num_tok = tmpl[2]
    extra = []
    next_num = max(numbers, default=0) + 1
    need = n_articles - len(blocks)
    for k in range(need):
        n = next_num + k
        head = first_line.replace(num_tok, str(n), 1)
        body = rest
        for r in rule_names:  # rename declarations and "exception to" references only
            body = re.sub(rf"(\brule\s+|\bexception\s+to\s+){re.escape(r)}\b",
                          rf"\g<1>{r}_{n}", body)
        extra.append(head + body.rstrip("\n") + "\n\n")
    end = blocks[-1][1]
    return charter_text[:end].rstrip("\n") + "\n\n" + "".join(extra) + charter_text[end:].lstrip("\n")
