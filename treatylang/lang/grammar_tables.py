"""The analysed grammar, shipped as data beside grammar.lark, so that no run analyses it.

Analysing `grammar.lark` into LALR tables is most of the time Lark takes to build a parser (it used to
be cached as a pickle in the user's cache directory, which a planted file could abuse). Instead,
`Lark.memo_serialize` turns a built parser into plain data (dicts, lists, strings, numbers) and
`Lark._load_from_dict` (the call Lark's standalone generator emits) turns that data back into a parser.
We keep the data in `grammar_tables.json`: JSON, never a pickle, so reading it runs no code (Lark's
deserializer only instantiates its own grammar classes), and no copy of Lark's code is vendored.

The file is canonical, so a rebuild changes it only when the grammar (or Lark's analysis) changes: Lark
numbers its states in an order that depends on the hash seed, so `encode` renumbers them breadth-first
from the start state, following transitions in token-name order. Regenerate it with

    python -m treatylang.lang.build_grammar

`load` checks the file's shape and that it was made from the grammar.lark beside it; if not (missing,
damaged, stale, or a Lark that cannot read it), it builds the parser from grammar.lark instead.
"""

from __future__ import annotations

import json
import zlib
from collections import deque
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import lark

HERE = Path(__file__).parent
GRAMMAR = HERE / "grammar.lark"
TABLES = HERE / "grammar_tables.json"

FORMAT = "treatylang grammar tables"
VERSION = 1
# How the parser is built: options the analysis depends on, and options given again when loading.
BUILD_OPTIONS = {"parser": "lalr", "maybe_placeholders": True}
class _WholeWords:
    """Lark's contextual lexer matches, in each parser state, only the terminals that state accepts: where
    `in` is a keyword but no name may stand (after a header clause), `including` was read as `in` + `cluding`.
    Accepting NAME in every state makes a word always read whole (a keyword only when it is the whole word;
    a name where the grammar wants a keyword is a syntax error about that name). No token is changed."""

    always_accept = ("NAME",)

    def process(self, stream):
        return stream


def load_options() -> dict:
    """The options Lark's parser is built and loaded with. Lark (which lexer.py extends) is imported only
    when they are asked for: a treaty that parses never needs it (fast_parser reads these tables alone)."""
    from treatylang.lang.lexer import SharedContextualLexer

    return {"propagate_positions": True, "postlex": _WholeWords(), "_plugins": {"ContextualLexer": SharedContextualLexer}}


_MEMO_TYPES = ("TerminalDef", "Rule")


class BadTables(ValueError):
    """The shipped tables cannot be used (the caller builds the parser from grammar.lark instead)."""


def fingerprint(grammar_text: str) -> dict:
    """What the tables were made from (not a security check: the tables ship with the code)."""
    data = grammar_text.encode("utf-8")
    return {"length": len(data), "crc32": zlib.crc32(data)}


def build(grammar_text: str) -> lark.Lark:
    """Analyse the grammar (slow): what runs when the tables are unusable, and what `encode` serialises."""
    import lark

    return lark.Lark(grammar_text, **BUILD_OPTIONS, **load_options())


# ---- writing -------------------------------------------------------------------------------
def encode(parser: lark.Lark, grammar_text: str) -> str:
    """The JSON text of a built parser's tables, in canonical form (the same under any hash seed)."""
    import lark
    from lark.grammar import Rule
    from lark.lexer import TerminalDef

    data, memo = parser.memo_serialize([TerminalDef, Rule])
    excluded = set(getattr(lark.lark, "_LOAD_ALLOWED_OPTIONS", ())) | set(load_options())
    data["options"] = {k: v for k, v in data["options"].items() if k not in excluded}
    table = data["parser"].pop("parser")
    names = table["tokens"]
    states = {s: {names[t]: action for t, action in actions.items()} for s, actions in table["states"].items()}

    number: dict[int, int] = {}
    queue: deque[int] = deque()

    def visit(state: int) -> None:
        if state not in number:
            number[state] = len(number)
            queue.append(state)

    for start in sorted(table["start_states"]):
        visit(table["start_states"][start])
    while queue:
        actions = states[queue.popleft()]
        for token in sorted(actions):
            kind, arg = actions[token]
            if kind == 0:
                visit(arg)
    for end in sorted(table["end_states"]):
        visit(table["end_states"][end])
    if len(number) != len(states):
        raise AssertionError(f"{len(states) - len(number)} parser states are unreachable from the start state")

    def code(action) -> int:  # shift to state s: s; reduce by the rule memoised as r: -1 - r
        kind, arg = action
        return number[arg] if kind == 0 else -1 - arg["@"]

    by_number = sorted(number, key=number.get)
    canonical_states = [{t: code(states[s][t]) for t in sorted(states[s])} for s in by_number]
    dump = lambda value: json.dumps(value, ensure_ascii=True, separators=(",", ":"))  # noqa: E731
    lines = [
        "{",
        f'"format":{dump(FORMAT)},',
        f'"version":{VERSION},',
        f'"lark":{dump(lark.__version__)},',
        f'"grammar":{dump(fingerprint(grammar_text))},',
        f'"lark_data":{dump(data)},',
        '"memo":[',
        ",\n".join(dump(memo[i]) for i in range(len(memo))),
        "],",
        f'"tokens":{dump(sorted(names.values()))},',
        f'"start_states":{dump({k: number[v] for k, v in sorted(table["start_states"].items())})},',
        f'"end_states":{dump({k: number[v] for k, v in sorted(table["end_states"].items())})},',
        '"states":[',
        ",\n".join(dump(s) for s in canonical_states),
        "]",
        "}",
    ]
    return "\n".join(lines) + "\n"


# ---- reading -------------------------------------------------------------------------------
def _require(ok: bool, what: str) -> None:
    if not ok:
        raise BadTables(what)


def checked(text: str, grammar_text: str | None) -> dict:
    """The JSON text's root object, after checking its shape (BadTables if it is wrong): every action a valid
    code, every rule a memoised Rule. With `grammar_text`, the tables must have been made from it."""
    try:
        root = json.loads(text)
    except ValueError as e:
        raise BadTables(f"not JSON: {e}") from None
    _require(isinstance(root, dict), "not an object")
    _require(root.get("format") == FORMAT and root.get("version") == VERSION, "not treatylang grammar tables")
    if grammar_text is not None:
        _require(root.get("grammar") == fingerprint(grammar_text), "made from another grammar.lark (stale)")
    data, memo_list, tokens = root.get("lark_data"), root.get("memo"), root.get("tokens")
    states, starts, ends = root.get("states"), root.get("start_states"), root.get("end_states")
    _require(isinstance(data, dict) and data.get("__type__") == "Lark", "no Lark data")
    _require(isinstance(data.get("options"), dict) and isinstance(data.get("rules"), list), "no options or rules")
    frontend = data.get("parser")
    _require(isinstance(frontend, dict) and frontend.get("__type__") == "ParsingFrontend"
             and isinstance(frontend.get("lexer_conf"), dict) and isinstance(frontend.get("parser_conf"), dict),
             "no parsing frontend")
    _require(isinstance(memo_list, list) and all(isinstance(m, dict) and m.get("__type__") in _MEMO_TYPES
                                                 for m in memo_list), "bad memo")
    rules = {i for i, m in enumerate(memo_list) if m["__type__"] == "Rule"}
    _require(all(isinstance(r, dict) and r.get("@") in rules for r in data["rules"]), "bad rule references")
    _require(isinstance(tokens, list) and all(isinstance(t, str) for t in tokens)
             and len(set(tokens)) == len(tokens), "bad token list")
    _require(isinstance(states, list) and states, "no parser states")
    known, n = set(tokens), len(states)
    if not _actions_valid(states, known, n, rules):  # then say where, state by state
        for i, actions in enumerate(states):
            _require(isinstance(actions, dict) and all(
                token in known and type(code) is int and _valid_code(code, n, rules)
                for token, code in actions.items()), f"bad action in state {i}")
    for ends_or_starts in (starts, ends):
        _require(isinstance(ends_or_starts, dict) and ends_or_starts
                 and all(type(v) is int and 0 <= v < n for v in ends_or_starts.values()), "bad start or end states")
    return root


def _actions_valid(states: list, known: set, n: int, rules: set) -> bool:
    """Whether every action of every state is a known token and a valid code: the check of `checked`, with
    sets (a first run reads the tables, and a check action by action cost it more than the reading)."""
    if not all(type(actions) is dict for actions in states):
        return False
    if not known.issuperset(chain.from_iterable(states)):
        return False
    codes = list(chain.from_iterable(map(dict.values, states)))
    if not {int}.issuperset(map(type, codes)):
        return False
    return all(_valid_code(c, n, rules) for c in set(codes))


def _valid_code(code: int, n: int, rules: set) -> bool:
    """A shift to one of the `n` states, or a reduction by a known rule (coded -1 - rule)."""
    return 0 <= code < n if code >= 0 else -1 - code in rules


def decode(text: str, grammar_text: str | None) -> tuple[dict, dict]:
    """Lark's (data, memo) from the JSON text, after checking its shape (BadTables if it is wrong)."""
    root = checked(text, grammar_text)
    memo_list, tokens = root["memo"], root["tokens"]
    index = {t: i for i, t in enumerate(tokens)}
    rule_action = lambda code: (1, {"@": -1 - code})  # noqa: E731
    table = {i: {index[token]: (0, code) if code >= 0 else rule_action(code) for token, code in actions.items()}
             for i, actions in enumerate(root["states"])}
    data = dict(root["lark_data"])
    data["parser"] = dict(data["parser"], parser={"tokens": tokens, "states": table,
                                                  "start_states": root["start_states"], "end_states": root["end_states"]})
    return data, dict(enumerate(memo_list))


def from_tables(text: str, grammar_text: str | None) -> lark.Lark:
    """A parser from the JSON tables (BadTables if they are unusable)."""
    import lark

    from treatylang.lang.lexer import SharedContextualLexer

    data, memo = decode(text, grammar_text)
    try:
        parser = lark.Lark._load_from_dict(data, memo, **load_options())
    except Exception as e:  # a Lark that reads this data differently: treat as unusable
        raise BadTables(f"Lark {lark.__version__} cannot load these tables: {e!r}") from None
    options = parser.options
    _require(options.parser == "lalr" and options.maybe_placeholders and options.propagate_positions
             and isinstance(options.postlex, _WholeWords)
             and isinstance(parser.parser.lexer.lexer, SharedContextualLexer),
             "built with other options")
    return parser


def load_fast(tables: Path | None = None, grammar: Path | None = None):
    """The quick driver of fast_parser on the shipped tables, or None where they cannot be used (then every
    text goes to Lark's parser, built by `load`)."""
    from treatylang.lang.fast_parser import FastParser

    try:
        grammar_text = (GRAMMAR if grammar is None else grammar).read_text(encoding="utf-8")
    except OSError:
        grammar_text = None
    try:
        return FastParser(checked((TABLES if tables is None else tables).read_text(encoding="utf-8"), grammar_text),
                          _WholeWords.always_accept)
    except (OSError, UnicodeDecodeError, BadTables, RecursionError, ValueError, LookupError, TypeError):
        return None


def load(tables: Path | None = None, grammar: Path | None = None) -> tuple[lark.Lark, str]:
    """The parser and where it came from: "tables" (the shipped data) or "grammar" (analysed now)."""
    tables = TABLES if tables is None else tables
    grammar = GRAMMAR if grammar is None else grammar
    try:
        grammar_text = grammar.read_text(encoding="utf-8")
    except OSError:
        grammar_text = None  # an install without the grammar source: trust the tables
    try:
        return from_tables(tables.read_text(encoding="utf-8"), grammar_text), "tables"
    except (OSError, UnicodeDecodeError, BadTables, RecursionError):
        if grammar_text is None:
            raise
        return build(grammar_text), "grammar"
