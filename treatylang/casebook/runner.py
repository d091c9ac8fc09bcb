"""The casebook: scenarios with an `expect` block, run by `treaty test` (and by pytest, see pytest_plugin.py).

An `expect` block (DESIGN §4) says what the scenario must give:

    expect:
      norms:    [{bearer: north, modality: obligation, counterparty: south, article: "2"}]  # each matches ≥ 1 norm
      absent:   [{bearer: south, article: "2"}]             # each matches no norm ({} matches every norm)
      standing: [{bearer: north, action: use_force, counterparty: south}]  # each matches ≥ 1 standing norm
      breaches: [{party: west, article: "3"}]               # when present: exactly these breaches
      effects:  [{party: east, change: joins, from: 2024-03-01}]  # when present: exactly these effects
      members:  [east, north, south, west]                  # exactly the members on as_of
      conditional: [{kind: breach, party: west, article: "3"}]  # each matches ≥ 1 conditional result

An item compares only the keys it gives; values compare as text, and actors may be named by id, alias or
display name, as in the scenario itself. `norms` and `absent` look at the norms the events engage;
`standing` at the standing norms on as_of; `conditional` at the conclusions that depend on facts the
scenario leaves unknown (a conditional result never meets an item of `norms` or `breaches`). "Exactly" pairs each item with a distinct breach (or effect) and
leaves none over.
"""

from __future__ import annotations

import os
import sys

import attrs

import treatylang
from treatylang.engine.evaluate import evaluate
from treatylang.ir.wording import TOGETHER
from treatylang.model import iso
from treatylang.source.diagnostics import TreatyError, located
from treatylang.source.spans import Span
from treatylang.scenario.load import ScenarioValidator, bind, suggestion
from treatylang.scenario.yaml_nodes import Document, Node, NodeReader, read_document
from treatylang.source import files
from treatylang.source.files import kind_problem, quoted
from treatylang.source.files import not_a_file as _kind_of
from treatylang.source.safe_text import escape, escape_lines

EXPECT_KEYS = ("norms", "absent", "standing", "breaches", "effects", "members", "conditional")
NORM_KEYS = ("bearer", "modality", "action", "counterparty", "article", "rule", "event", "date", "means", "means_all",
             "means_including", "purpose", "status", "ended", "ended_by")
STANDING_KEYS = tuple(k for k in NORM_KEYS if k != "event")
SHOWN_NORM_KEYS = NORM_KEYS[:8]
BREACH_KEYS = ("party", "article", "rule", "event", "date", "norm_event", "deadline")
EFFECT_KEYS = ("party", "change", "from", "article", "rule", "event")
CONDITIONAL_KEYS = ("kind", *NORM_KEYS, "party")
KINDS = ("norm", "breach")
MODALITIES = ("obligation", "permission", "prohibition")
CHANGES = ("joins", "leaves")
STATUSES = ("live", "ended", "discharged")
_ACTOR_KEYS = ("bearer", "counterparty", "party")
_DATE_KEYS = ("date", "from", "ended", "deadline")
_MAY_BE_NULL = ("counterparty", "purpose", "ended", "ended_by", "norm_event", "deadline")
_FREE_TEXT = ("purpose",)
SHOWN = 3  # closest produced items shown under an unmet expectation
_BOOLEANS = {"true": True, "false": False, "yes": True, "no": False}



# ---- expectations --------------------------------------------------------------------------------------------
@attrs.frozen
class Expected:
    """One expected item: the keys it gives, their values normalised (ids, ISO dates), and where it is."""

    section: str  # norms | absent | standing | breaches | effects
    fields: dict = attrs.field(eq=False)
    node: Node = attrs.field(eq=False, repr=False)

    def matches(self, row: dict) -> bool:
        return all(_same(k, v, row) for k, v in self.fields.items())

    def agreement(self, row: dict) -> int:
        return sum(1 for k, v in self.fields.items() if _same(k, v, row))

    def differs(self, row: dict) -> list[str]:
        return [k for k, v in self.fields.items() if not _same(k, v, row)]


def _same(key: str, expected, row: dict) -> bool:
    got = row.get(key)
    if key == "means" and expected is not None:  # in order when the norm ranks its means, else as a set
        return tuple(expected) == got if row.get("_ordered") else set(expected) == set(got or ())
    if key == "means_including":
        return set(expected) == set(got or ())
    return got == expected


@attrs.frozen
class Expectations:
    """A parsed `expect` block: the items of each section it gives, and the members if it gives them."""

    sections: dict = attrs.field(factory=dict)  # section -> tuple of Expected
    nodes: dict = attrs.field(factory=dict, eq=False, repr=False)  # section -> the node of its key
    members: tuple | None = None


@attrs.frozen
class Failure:
    """An expectation the result does not meet, with what came closest."""

    file: str
    line: int
    column: int
    message: str
    item: str | None = None  # the expected (or unexpected) item, as YAML flow text
    closest: tuple = ()  # (text, note) of produced items nearest to the expected one
    closest_label: str = ""

    def format(self) -> str:
        head = f"  {self.file}:{self.line}:{self.column}: {self.message}"
        if self.item:
            head += f": {self.item}"
        lines = [head]
        if self.closest_label:
            lines.append(f"    {self.closest_label}")
        lines += [f"      {text}{'  (' + note + ')' if note else ''}" for text, note in self.closest]
        return "\n".join(escape_lines(lines))  # each line escaped: an expected value cannot start a line


class _ExpectReader:
    """Reads a scenario's `expect` node against its treaty and scenario; errors are located diagnostics."""

    def __init__(self, result, document: Document):
        scenario, treaty = result.scenario, result.treaty
        self.treaty = treaty
        self.scenario = scenario
        self.reader = NodeReader(document.file, document.text)
        self.v = ScenarioValidator(self.reader, treaty, scenario.actors, scenario.names)  # names as the scenario's
        self.actions = sorted({r.action for r in treaty.rules if r.kind == "norm"})
        self.event_ids = [e.id for e in scenario.events]
        self._choices: dict = {}  # key -> (the values it may take, in order; the same as a set), worked out once

    def error(self, node, message, hint=None):
        self.reader.error(node, message, hint=hint)

    def read(self, node: Node) -> Expectations:
        if node.value is None:
            return Expectations()
        top = self.v.keys(node, EXPECT_KEYS, "the expect block")
        keys = {"norms": NORM_KEYS, "absent": NORM_KEYS, "standing": STANDING_KEYS, "breaches": BREACH_KEYS,
                "effects": EFFECT_KEYS, "conditional": CONDITIONAL_KEYS}
        sections = {s: tuple(self.items(top[s], s, allowed)) for s, allowed in keys.items() if s in top}
        members = tuple(sorted(self.actor_list(top["members"]))) if "members" in top else None
        self.reader.raise_problems()
        return Expectations(sections, {s: node.value[s][0] for s in top}, members)  # the keys' nodes

    def items(self, node: Node, section: str, allowed):
        if node.value is None:
            return
        if not isinstance(node.value, list):
            self.error(node, f"'{section}' must be a list of mappings (e.g. - {{{allowed[0]}: ..., article: \"6\"}})")
            return
        what = {"norms": "an expected norm", "absent": "an absent norm", "standing": "an expected standing norm",
                "breaches": "an expected breach", "effects": "an expected effect",
                "conditional": "an expected conditional result"}[section]
        for item in node.value:
            if item.value is None or item.value == "":
                self.error(item, f"{what} must be a mapping of keys to values ({{}} for any)")
                continue
            raw = self.v.keys(item, allowed, what)
            fields = {key: self.value(key, value) for key, value in raw.items() if key in allowed}
            yield Expected(section, fields, item)

    def value(self, key: str, node: Node):
        v = node.value
        if v is None:
            if key in _MAY_BE_NULL:
                return None
            hint = "standing norms are expected under 'standing'" if key == "event" else None
            self.error(node, f"'{key}' needs a value", hint=hint)
            return None
        if key in ("means", "means_including"):
            items = v if isinstance(v, list) else [node]
            texts = tuple(i.value for i in items if isinstance(i.value, str))
            if len(texts) != len(items):
                self.error(node, f"'{key}' must be a name or a list of names")
            return texts
        if key == "means_all":
            if v not in _BOOLEANS:
                self.error(node, f"'means_all' is true or false, not {quoted(str(v)) if isinstance(v, str) else 'a list'}")
                return None
            return _BOOLEANS[v]
        if not isinstance(v, str):
            self.error(node, f"'{key}' must be a single value, not a {'list' if isinstance(v, list) else 'mapping'}")
            return None
        if key in _FREE_TEXT:
            return v
        v = v.strip()
        if key == "bearer" and v == TOGETHER:  # a collective norm's bearer (`members together must ...`)
            return v
        if key in _ACTOR_KEYS:
            return self.v.actor_ref(node)
        if key in _DATE_KEYS:
            d = self.v.date(node, f"'{key}'")
            return d.isoformat() if d else None
        choices = self.choices(key)
        if choices is not None and v not in choices[1]:
            what = {"modality": "modality", "change": "change", "status": "status (live, ended or discharged)",
                    "ended_by": "event of this scenario", "norm_event": "event of this scenario", "kind": "kind of conditional result (norm or breach)", "action": "action of this treaty's norms",
                    "event": "event of this scenario", "rule": "rule of this treaty", "article": "article of this treaty"}[key]
            self.error(node, f"{quoted(v)} is not a{'n' if what[0] in 'aeiou' else ''} {what}",
                       hint=suggestion(v, choices[0]))
        return v

    def choices(self, key: str):
        """(the values `key` may take, the same as a set), or None for a key of any value."""
        if key not in self._choices:
            values = {
                "modality": lambda: MODALITIES, "change": lambda: CHANGES, "status": lambda: STATUSES,
                "ended_by": lambda: self.event_ids, "norm_event": lambda: self.event_ids, "kind": lambda: KINDS, "action": lambda: self.actions,
                "event": lambda: self.event_ids, "rule": lambda: sorted(self.treaty.rule_by_name),
                "article": lambda: list(self.treaty.articles),
            }.get(key)
            self._choices[key] = None if values is None else (tuple(values()), frozenset(values()))
        return self._choices[key]

    def actor_list(self, node: Node) -> list[str]:
        return self.v.actor_list(node)


def read_expectations(result, document: Document | None = None) -> Expectations:
    """The `expect` block of the scenario's document, checked against its treaty and scenario (raises TreatyError).

    `document` is the scenario file as read (`read_case`); without it, the file `result.scenario.file` is read.
    """
    document = document if document is not None else read_document(result.scenario.file)
    node = document.top("expect")
    if node is None:
        return Expectations()
    return _ExpectReader(result, document).read(node)


# ---- produced items as rows -------------------------------------------------------------------------------------
def norm_fields(n) -> dict:
    """`n.row()` as `expect` items compare with it: means as a tuple, `_ordered` when they are ranked."""
    fields = n.row()
    fields["means"] = tuple(fields["means"])
    fields["_ordered"] = fields.pop("means_in_order")
    return fields


def breach_fields(b) -> dict:
    return b.row()


def conditional_fields(c) -> dict:
    """A conditional result as `conditional` items compare with it: its kind and the fields of its kind."""
    fields = norm_fields(c.item) if c.kind == "norm" else breach_fields(c.item)
    return {"kind": c.kind, **fields}


def effect_fields(e) -> dict:
    return e.row()


def _scalar(v) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, tuple):
        return "[" + ", ".join(v) + "]"
    text = str(v)
    return f'"{text}"' if text.isdigit() or not text or " " in text else text


def flow(fields: dict, keys=None) -> str:
    """A row as a YAML flow mapping, in `keys` order."""
    keys = keys or list(fields)
    return "{" + ", ".join(f"{k}: {_scalar(fields.get(k))}" for k in keys) + "}"


PAIRING_LIMIT = 5_000_000  # comparisons of expected items with produced rows, at most, for one section


def _pairing(items, rows) -> dict:
    """A largest pairing of expected items with distinct rows they match: {item index: row index}.

    Items that give the same keys and values are compared with the rows once. The pairing itself is
    Hopcroft and Karp's, without recursion, so a thousand expected breaches pair as fast as three.
    """
    seen: dict = {}
    adjacent = []
    for item in items:
        key = tuple(sorted(item.fields.items(), key=lambda kv: kv[0]))
        try:
            found = seen.get(key)
        except TypeError:  # a value that does not hash: compare this item on its own
            key, found = None, None
        if found is None:
            found = [j for j, row in enumerate(rows) if item.matches(row)]
            if key is not None:
                seen[key] = found
        adjacent.append(found)
    return largest_pairing(adjacent, len(rows))


def largest_pairing(adjacent: list, n_right: int) -> dict:
    """A maximum matching of a bipartite graph: `adjacent[i]` lists the right vertices left vertex i may take.

    Hopcroft-Karp after a greedy start; breadth-first layers, then depth-first search along them with an
    explicit stack (no recursion). Returns {left: right}.
    """
    n_left = len(adjacent)
    left = [-1] * n_left
    right = [-1] * n_right
    for i, js in enumerate(adjacent):
        for j in js:
            if right[j] < 0:
                left[i], right[j] = j, i
                break
    while True:
        dist = [-1] * n_left
        queue = [i for i in range(n_left) if left[i] < 0]
        for i in queue:
            dist[i] = 0
        free_found = False
        head = 0
        while head < len(queue):
            i = queue[head]
            head += 1
            for j in adjacent[i]:
                k = right[j]
                if k < 0:
                    free_found = True
                elif dist[k] < 0:
                    dist[k] = dist[i] + 1
                    queue.append(k)
        if not free_found:
            break
        cursor = [0] * n_left
        for root in range(n_left):
            if left[root] >= 0:
                continue
            stack, taken = [root], []  # left vertices on the path, and the right vertex each one takes
            while stack:
                i = stack[-1]
                step = None
                while cursor[i] < len(adjacent[i]):
                    j = adjacent[i][cursor[i]]
                    cursor[i] += 1
                    k = right[j]
                    if k < 0 or dist[k] == dist[i] + 1:
                        step = (j, k)
                        break
                if step is None:  # a dead end: out of this phase's layers
                    dist[i] = -1
                    stack.pop()
                    if taken:
                        taken.pop()
                    continue
                j, k = step
                taken.append(j)
                if k < 0:  # a free right vertex: flip the path
                    for a, b in zip(stack, taken):
                        left[a], right[b] = b, a
                    break
                stack.append(k)
    return {i: j for i, j in enumerate(left) if j >= 0}


# ---- checking -------------------------------------------------------------------------------------------------------
def check_expectations(result, document: Document | None = None) -> list[Failure]:
    """Every expectation of the scenario's `expect` block that `result` does not meet (empty: the case passes).

    `document`: the scenario file as read (`read_case`); without it, the scenario's file is read for its block.
    Raises TreatyError when the block itself is malformed (unknown key, unknown actor or article...).
    """
    exp = read_expectations(result, document)
    file = result.scenario.file
    produced = {
        "norms": [norm_fields(n) for n in result.sorted_norms()],
        "standing": [norm_fields(n) for n in result.standing],
        "breaches": [breach_fields(b) for b in result.sorted_breaches()],
        "effects": [effect_fields(e) for e in result.effects],
        "conditional": [conditional_fields(c) for c in result.sorted_conditional()],
    }
    produced["absent"] = produced["norms"]
    shown = {"norms": SHOWN_NORM_KEYS, "absent": SHOWN_NORM_KEYS, "standing": SHOWN_NORM_KEYS,
             "breaches": BREACH_KEYS[:5], "effects": EFFECT_KEYS, "conditional": ("kind", *SHOWN_NORM_KEYS, "party")}
    what = {"norms": ("norm", "norms"), "standing": ("standing norm", "standing norms"),
            "conditional": ("conditional result", "conditional results"),
            "breaches": ("breach", "breaches"), "effects": ("effect", "effects")}
    failures: list[Failure] = []

    def at(node, message, item=None, closest=(), label=""):
        failures.append(Failure(file, node.line, node.column, message, item, tuple(closest), label))

    def unmet(item: Expected, section: str, message: str):
        rows, (one, many) = produced[section], what[section]
        if not rows:
            return at(item.node, message, flow(item.fields), (), f"no {one} was produced")
        ranked = sorted(rows, key=lambda r: -item.agreement(r))[:SHOWN]
        closest = []
        for r in ranked:
            differs = item.differs(r)
            closest.append((flow(r, shown[section]), f"differs on {', '.join(differs)}" if differs else ""))
        at(item.node, message, flow(item.fields), closest, f"closest produced {many}:")

    for section in ("norms", "standing", "conditional"):
        for item in exp.sections.get(section, ()):
            if not any(item.matches(r) for r in produced[section]):
                unmet(item, section, f"expected {what[section][0]} not produced")
    for item in exp.sections.get("absent", ()):
        hits = [r for r in produced["norms"] if item.matches(r)]
        if hits:
            at(item.node, "norm expected absent was produced", flow(item.fields),
               [(flow(r, SHOWN_NORM_KEYS), "") for r in hits[:SHOWN]]
               + ([(f"... and {len(hits) - SHOWN} more", "")] if len(hits) > SHOWN else []), "produced:")
    for section in ("breaches", "effects"):
        if section not in exp.sections:
            continue
        items, rows = exp.sections[section], produced[section]
        if len(items) * len(rows) > PAIRING_LIMIT:
            node = exp.nodes[section]
            raise TreatyError([located(
                Span(file, node.line, node.column, node.end_line, node.end_column),
                f"too many to compare: {len(items):,} expected {what[section][1]} with {len(rows):,} produced "
                f"(more than {PAIRING_LIMIT:,} comparisons)", document.text if document is not None else None,
                yaml=True)])
        paired = _pairing(items, rows)
        one = what[section][0]
        for i, item in enumerate(items):
            if i not in paired:
                alone = any(item.matches(r) for r in rows)
                unmet(item, section, f"expected {one} not found" + (" (each item needs a breach of its own)"
                                                                     if alone else ""))
        used = set(paired.values())
        for j, r in enumerate(rows):
            if j not in used:
                at(exp.nodes[section], f"unexpected {one} (the {what[section][1]} listed must be all of them)",
                   flow(r, shown[section]))
    if exp.members is not None and tuple(sorted(result.members)) != exp.members:
        at(exp.nodes["members"], f"members on {iso(result.as_of)} are [{', '.join(result.members)}], "
                                 f"expected [{', '.join(exp.members)}]")
    return failures


# ---- running cases ------------------------------------------------------------------------------------------------
def has_expect(text: str) -> bool:
    """A quick look (no parsing) whether a YAML text may have an `expect` key: any mention of the word.

    Only files without it are skipped unread; a flow mapping (`{... expect: ...}`) or a quoted key is
    still found, and a file that merely mentions the word is parsed and then skipped if it has none.
    """
    return "expect" in text


def read_case(path: str) -> Document | None:
    """A YAML file read once, if it is a scenario with an `expect` block; else None.

    Raises TreatyError if the file cannot be read or is not valid YAML though it seems to have `expect`.
    """
    data = files.read_bytes(path)
    if not has_expect(data.decode("utf-8", errors="replace")):
        return None
    document = read_document(path, data)
    return document if document.has("expect") else None


def treaty_cache(override: str | None = None):
    """Treaties loaded once per run, by path (and a bad treaty's error, to report it for each case)."""
    return treatylang.treaty_cache(override)


def run_case(document: Document, treaties):
    """Bind, evaluate and check one case read by `read_case`: (result, failures). Raises TreatyError on bad input."""
    scenario = bind(document, treaties.for_document(document), treaties.default_used(document))
    result = evaluate(scenario.treaty, scenario)
    return result, check_expectations(result, document)


def discover(paths) -> tuple[list[tuple[str, bool]], list]:
    """YAML files under `paths` (recursively, sorted), each with whether it was named itself; and path errors."""
    files, problems = [], []
    for p in paths:
        if os.path.isdir(p):
            found = []
            for folder, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [os.path.join(folder, n) for n in names if n.endswith((".yaml", ".yml"))]
            for f in sorted(found):  # a FIFO, a device, a socket or a broken link is reported, never opened
                problem = kind_problem(f)
                if problem is None:
                    files.append((f, False))
                else:
                    problems.append(located(Span(f, 1, 1), f"skipped: {problem}", None))
        elif os.path.isfile(p):
            files.append((p, True))
        else:  # say what it is: a missing path, or a device, a FIFO, a socket (`treaty test /dev/null`)
            try:
                message = f"is {_kind_of(os.stat(p).st_mode)}, not a regular file or a folder"
            except FileNotFoundError:
                message = "no such file or folder"
            except (OSError, ValueError) as e:
                message = f"cannot read it: {getattr(e, 'strerror', None) or e}"
            problems.append(located(Span(p, 1, 1), message, None))
    return files, problems


def run_cli(args) -> int:
    """`treaty test [PATH...] [--treaty FILE]`: a line per case, then `N passed, N failed`."""
    paths = getattr(args, "paths", None) or ["examples"]
    treaties = treaty_cache(getattr(args, "treaty", None))
    if treaties.override is not None:
        treaties.get(treaties.override)  # a bad `--treaty` is bad input, whatever the cases (its errors first)
    files, problems = discover(paths)
    for d in problems:
        print(d.format(), file=sys.stderr)
    bad = len(problems)
    passed = failed = 0
    for path, named in files:
        try:
            case = read_case(path)
            if case is None:
                if named:
                    print(escape(f"note: {path} has no 'expect' block; nothing to check"), file=sys.stderr)
                continue
            result, failures = run_case(case, treaties)
        except TreatyError as e:
            sys.stdout.flush()
            for d in e.diagnostics:
                print(d.format(), file=sys.stderr)
            sys.stderr.flush()
            print(escape(f"ERROR {path}: bad input (see the messages above)"))
            bad += 1
            continue
        title = result.scenario.title
        if failures:
            failed += 1
            print(escape(f"FAIL {path}: {title}"))
            for f in failures:
                print(f.format())
        else:
            passed += 1
            print(escape(f"PASS {path}: {title}"))
    if bad:
        print(f"{bad} file{'s' if bad != 1 else ''} could not be run (bad input)", file=sys.stderr)
    sys.stderr.flush()
    print(f"{passed} passed, {failed} failed")
    return 2 if bad else 1 if failed else 0
