"""A quick LALR driver for treaties that parse: Lark's own tables, read without building Lark's parser.

Lark's LALR parser spends most of a load in its general machinery: the contextual lexer's per-token calls,
the parser state's per-token dispatch and the tree builder's chain of wrappers around each reduction. A
treaty's grammar needs none of that generality, so this module runs the same tables (grammar_tables.json,
the analysed grammar.lark) with one loop that lexes, shifts and reduces, and shapes the tree as Lark's tree
builder does: nodes and leaves shaped as lark.Tree and lark.Token (`Tree`, `Token`, `Meta` below: the same
names, texts and positions), so that a treaty that parses never imports Lark at all (most of the first run's
import time).

It only ever answers for text that parses. At the first token no action accepts, or a character no terminal
reads, it gives up (`Unparsable`) and the caller parses the text again with Lark, whose error recovery and
expected-token lists make the messages. tests/lang/test_fast_parser.py checks that both give the same
trees on every treaty file of the project.

How a token is read follows Lark's contextual lexer, as grammar_tables configures it:
- in each parser state only the terminals the state accepts are tried, with NAME always; alternatives in
  Lark's order (priority, longest possible match, longest pattern, name). One scanner of every terminal is
  tried first: where what it finds is a terminal the state accepts, the state's own scanner (its alternatives
  a subsequence of the same order) finds the same, so that one is made only for the rare other token;
- a keyword is a NAME whose whole text is a keyword the state accepts (else it stays a NAME);
- the ignored layout (spaces, comments) is skipped before each token: no terminal begins as layout does.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from operator import attrgetter

_END = "$END"
_LINE_END = re.compile("\n")
_new_token = str.__new__  # a Token is a str with its positions set after it is made


class Unparsable(Exception):
    """This text does not parse here; Lark's parser says why."""


class Token(str):
    """A leaf, as lark.Token: its text, its terminal (`type`) and where it stands."""

    __slots__ = ("type", "value", "start_pos", "line", "column", "end_line", "end_column", "end_pos")

    def __repr__(self) -> str:
        return f"Token({self.type!r}, {self.value!r})"


class Meta:
    """Where a node stands, as lark.tree.Meta: `empty` until positions are set (then line, column, start_pos,
    their end_ counterparts, and the container_ ones)."""

    def __init__(self) -> None:
        self.empty = True


class Tree:
    """A node, as lark.Tree: the rule's name (`data`), its children (nodes, tokens, None placeholders), `meta`."""

    __slots__ = ("data", "children", "meta")

    def __init__(self, data: str, children: list, meta: Meta) -> None:
        self.data, self.children, self.meta = data, children, meta

    def __repr__(self) -> str:
        return f"Tree({self.data!r}, {self.children!r})"


def _end_token(after: Token | None) -> Token:
    """The end of the text, placed as Lark places it: at the last token (at 1:1 for a text with none)."""
    token = _new_token(Token, "")
    token.type, token.value = _END, ""
    if after is None:
        token.start_pos, token.line, token.column, token.end_line, token.end_column, token.end_pos = 0, 1, 1, None, None, None
    else:
        token.start_pos, token.line, token.column = after.start_pos, after.line, after.column
        token.end_line, token.end_column, token.end_pos = after.end_line, after.end_column, after.end_pos
    return token


_reads: dict = {}  # (pattern, flags, keyword) -> whether the pattern reads the keyword whole


def reads_whole(re_, regexp: str, flags, word: str) -> bool:
    """Whether the pattern matches the keyword whole (then the keyword is read as that pattern, and looked up).
    Both parsers' lexers ask it (lexer.py for Lark's)."""
    key = (regexp, flags, word)
    known = _reads.get(key)
    if known is None:
        match = re_.match(regexp, word, flags)
        known = _reads[key] = match is not None and match.group(0) == word
    return known


class _Terminal:
    __slots__ = ("name", "regexp", "is_word", "value", "word", "priority", "max_width", "length")

    def __init__(self, data: dict):
        pattern = data["pattern"]
        self.name = data["name"]
        self.priority = data["priority"]
        self.is_word = pattern["__type__"] == "PatternStr"
        value = self.value = pattern["value"]
        regexp = re.escape(value) if self.is_word else value
        for flag in pattern["flags"]:
            regexp = f"(?{flag}:{regexp})"
        self.regexp = regexp
        self.word = value if self.is_word and not pattern["flags"] else None
        self.max_width = len(value) if self.is_word else pattern["_width"][1]
        self.length = len(value)


def _sort_key(t: _Terminal):  # Lark's BasicLexer orders alternatives so
    return (-t.priority, -t.max_width, -t.length, t.name)


class _Reduction:
    """How one grammar rule shapes the node it makes (Lark's ParseTreeBuilder, for LALR with placeholders)."""

    __slots__ = ("name", "origin", "size", "include", "trailing_nones", "plain", "expand1")

    def __init__(self, rule: dict):
        options = rule["options"]
        expansion = rule["expansion"]
        self.name = rule["alias"] or options["template_source"] or rule["origin"]["name"]
        self.origin = rule["origin"]["name"]
        self.size = len(expansion)
        self.expand1 = bool(options["expand1"]) and not rule["alias"]
        empty = options["empty_indices"]
        if empty:  # how many placeholders (None) go before each child, and after the last
            runs = "".join("1" if b else "0" for b in empty).split("0")
            nones = [len(r) for r in runs]
        else:
            nones = [0] * (self.size + 1)
        include, pending = [], 0
        for i, sym in enumerate(expansion):
            pending += nones[i]
            if options["keep_all_tokens"] or not sym.get("filter_out", False):
                inline = "filter_out" not in sym and sym["name"].startswith("_")
                include.append((i, inline, pending))
                pending = 0
        self.include = tuple(include)
        self.trailing_nones = pending + nones[self.size]
        self.plain = not empty and len(include) == self.size and not any(x for _, x, _ in include)


# where a node or a token begins and ends: a node its container's, as Lark's PropagatePositions reads them
_NODE_START = attrgetter("container_line", "container_column", "container_start_pos")
_NODE_END = attrgetter("container_end_line", "container_end_column", "container_end_pos")
_TOKEN_START = attrgetter("line", "column", "start_pos")
_TOKEN_END = attrgetter("end_line", "end_column", "end_pos")


def _edge(children, of_node, of_token):
    """The place of the first child that takes up text (`children` reversed: of the last).

    A node this module made has a meta that is empty or holds its container's positions."""
    for c in children:
        if type(c) is Tree:
            meta = c.meta
            if not meta.empty:
                return of_node(meta)
        elif c is not None:
            return of_token(c)
    return None


def _positions(node: Tree, children: list) -> None:
    """A node spans its first child's container to its last's (children as the rule matched them, the
    keywords the tree leaves out included); a node already placed (a child passed up whole) keeps its span."""
    first = _edge(children, _NODE_START, _TOKEN_START)
    if first is None:
        return
    meta = node.meta
    last = _edge(reversed(children), _NODE_END, _TOKEN_END)
    if meta.empty:
        meta.line, meta.column, meta.start_pos = first
        meta.end_line, meta.end_column, meta.end_pos = last
        meta.empty = False
    meta.container_line, meta.container_column, meta.container_start_pos = first
    meta.container_end_line, meta.container_end_column, meta.container_end_pos = last


class FastParser:
    """The tables of grammar_tables.json (as grammar_tables.checked reads them), ready for one loop."""

    def __init__(self, root: dict, always_accept: tuple):
        """`always_accept`: the terminals every state's scanner reads (grammar_tables._WholeWords): one
        pattern, that a keyword is read as when the state reads the keyword."""
        if len(always_accept) != 1:
            raise ValueError("this driver reads keywords as one always accepted pattern")
        self.word_kind = always_accept[0]
        memo = root["memo"]
        lexer_conf = root["lark_data"]["parser"]["lexer_conf"]
        if lexer_conf.get("g_regex_flags") or lexer_conf.get("use_bytes"):
            raise ValueError("tables made with lexer flags this driver does not read")
        terminals = [_Terminal(memo[t["@"]]) for t in lexer_conf["terminals"]]
        self._by_name = {t.name: t for t in terminals}
        self.ignore = frozenset(lexer_conf["ignore"])
        self.words = {t.name: t.value for t in terminals if t.is_word}  # keywords and marks, by terminal
        self._memo = memo
        self.reductions: dict[int, _Reduction] = {}  # by action code, made when a text first needs one
        self.states = root["states"]  # per state, token -> code: >= 0 shift to that state, < 0 reduce
        self.start = root["start_states"]["start"]
        self.end = root["end_states"]["start"]
        # the layout between tokens, skipped before each token
        self.layout = re.compile("(?:%s)*" % "|".join(self._by_name[n].regexp for n in sorted(self.ignore))).match
        # one scanner of every terminal; a state's own, made when first needed
        self.everywhere = self._compile([t for t in terminals if t.name not in self.ignore])
        self.scanners: list = [None] * len(self.states)
        self._compiled: dict = {}  # a state's terminals -> its scanner (`_scanner`)
        self._single: dict = {}  # terminal -> its own expression's match

    def _reduction(self, code: int) -> _Reduction:
        found = self.reductions[code] = _Reduction(self._memo[-1 - code])
        return found

    def _scanner(self, state: int):
        """What a state's own scanner reads at a place where the scanner of every terminal read something the
        state does not take (rare: a few kinds of token): its terminals tried in the scanner's order, the
        first that matches, as one expression of them all would match. Each terminal's expression is
        compiled once, when first tried: compiling one expression per state cost a first run more than
        all its reading."""
        key = tuple(sorted({n for n in self.states[state] if n in self._by_name} | {self.word_kind}))
        scanner = self._compiled.get(key)
        if scanner is None:
            kept = self._kept([self._by_name[n] for n in key])[1]
            single = self._single

            def scanner(text: str, pos: int):
                for t in kept:
                    match = single.get(t.name)
                    if match is None:
                        match = single[t.name] = re.compile(f"(?P<{t.name}>{t.regexp})").match
                    m = match(text, pos)
                    if m is not None:
                        return m
                return None

            self._compiled[key] = scanner
        self.scanners[state] = scanner
        return scanner

    def _kept(self, terminals: list) -> tuple[dict, list]:
        """(the keywords a NAME is read as where a state reads them, the other terminals in the order of
        Lark's scanner)."""
        name = self._by_name[self.word_kind]
        keywords, kept = {}, []
        for t in terminals:
            if t.word is not None and t.priority == name.priority and reads_whole(re, name.regexp, 0, t.word):
                keywords[t.word] = t.name
            else:
                kept.append(t)
        kept.sort(key=_sort_key)
        return keywords, kept

    def _compile(self, terminals: list) -> tuple:
        """(one expression of the terminals, the keywords a NAME is read as where a state reads them)."""
        keywords, kept = self._kept(terminals)
        expression = re.compile("|".join(f"(?P<{t.name}>{t.regexp})" for t in kept))
        return expression.match, keywords

    def parse(self, text: str) -> Tree:
        states, scanners, layout = self.states, self.scanners, self.layout
        match, keywords = self.everywhere
        word_kind = self.word_kind
        reductions = self.reductions
        breaks = [m.start() for m in _LINE_END.finditer(text)]  # where lines end: lines and columns by bisection
        end_state = self.end
        state_stack = [self.start]
        values: list = []
        n = len(text)
        pos = layout(text, 0).end()
        token = None
        while True:
            state = state_stack[-1]
            if pos < n:
                actions = states[state]
                m = match(text, pos)
                kind = m and m.lastgroup
                if kind not in actions and kind != word_kind:  # read as this state's own scanner reads
                    m = (scanners[state] or self._scanner(state))(text, pos)
                    if m is None:
                        raise Unparsable(pos)
                    kind = m.lastgroup
                value = m.group()
                if kind == word_kind:
                    keyword = keywords.get(value)
                    if keyword in actions:
                        kind = keyword
                end = m.end()
                i = bisect_left(breaks, pos)
                line, column = i + 1, (pos - breaks[i - 1] if i else pos + 1)
                token = _new_token(Token, value)
                token.type, token.value, token.start_pos, token.end_pos = kind, value, pos, end
                token.line, token.column = line, column
                if "\n" in value:
                    j = bisect_left(breaks, end)
                    token.end_line, token.end_column = j + 1, end - breaks[j - 1]
                else:
                    token.end_line, token.end_column = line, column + end - pos
                pos = layout(text, end).end()
            else:
                kind = _END
                token = _end_token(token)
            while True:
                code = states[state].get(kind)
                if code is None:
                    raise Unparsable(token.start_pos)
                if code >= 0:  # shift
                    if kind == _END:
                        raise Unparsable(token.start_pos)
                    state_stack.append(code)
                    values.append(token)
                    break
                action = reductions.get(code) or self._reduction(code)
                size = action.size
                if size:
                    children = values[-size:]
                    del values[-size:]
                    del state_stack[-size:]
                else:
                    children = []
                # the node, shaped as Lark's tree builder shapes it
                if action.plain:
                    shaped = children
                else:
                    shaped = []
                    for i, inline, nones in action.include:
                        if nones:
                            shaped += [None] * nones
                        if not inline:
                            shaped.append(children[i])
                        elif shaped:
                            shaped += children[i].children
                        else:  # a list built by left recursion grows in place (its node is dropped)
                            shaped = children[i].children
                    if action.trailing_nones:
                        shaped += [None] * action.trailing_nones
                if action.expand1 and len(shaped) == 1:
                    node = shaped[0]
                    if type(node) is Tree:
                        _positions(node, children)
                else:
                    node = Tree(action.name, shaped, Meta())
                    _positions(node, children)
                state = states[state_stack[-1]][action.origin]
                state_stack.append(state)
                values.append(node)
                if kind == _END and state == end_state:
                    return node
