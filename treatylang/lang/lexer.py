"""Lark's contextual lexer, with the parts of its scanners shared between parser states.

For each parser state the input reaches, Lark builds a scanner of its own: one regular expression of the
terminals the state accepts and, for the keywords a name could also be read as, a second one made after
matching every keyword against every pattern (`lark.lexer._create_unless`). That is most of what a first
run spends parsing: the Charter reaches some ninety states, each compiled afresh. The tokens do not depend
on how a scanner is made, so here:

- a keyword check is a dict lookup (what Lark's check does when the keywords are plain strings);
- which keyword a pattern can read is worked out once per process, not once per state;
- states whose scanners hold the same terminals share one compiled expression.

Only `_build_scanner` differs from Lark's BasicLexer; anything else (a keyword with flags, such as a
case-insensitive one) is left to Lark's own code. The parser gets this lexer through Lark's `_plugins`
option (grammar_tables.load_options()).
"""

from __future__ import annotations

from lark.lexer import BasicLexer, CallChain, ContextualLexer, PatternRE, PatternStr, Scanner, UnlessCallback

from treatylang.lang.fast_parser import reads_whole

_scanners: dict = {}  # (terminals' names and patterns, flags, use_bytes) -> Scanner


class _Keywords:
    """A name that is one of these words is that keyword (Lark's UnlessCallback, for plain strings)."""

    __slots__ = ("types",)

    def __init__(self, types: dict) -> None:
        self.types = types

    def __call__(self, token):
        kind = self.types.get(token.value)
        if kind is not None:
            token.type = kind
        return token


def _scanner(terminals: list, flags, re_, use_bytes) -> Scanner:
    key = (tuple((t.name, t.pattern.to_regexp()) for t in terminals), flags, use_bytes)
    scanner = _scanners.get(key)
    if scanner is None:
        scanner = _scanners[key] = Scanner(terminals, flags, re_, use_bytes)
    return scanner


class SharedBasicLexer(BasicLexer):
    def _build_scanner(self) -> Scanner:
        patterns = [t for t in self.terminals if isinstance(t.pattern, PatternRE)]
        words = [t for t in self.terminals if isinstance(t.pattern, PatternStr)]
        embedded, self.callback = set(), {}
        for pattern in patterns:
            regexp = pattern.pattern.to_regexp()
            unless = [w for w in words if w.priority == pattern.priority
                      and reads_whole(self.re, regexp, self.g_regex_flags, w.pattern.value)]
            if not unless:
                continue
            embedded.update(w for w in unless if w.pattern.flags <= pattern.pattern.flags)
            if any(w.pattern.flags for w in unless):
                self.callback[pattern.name] = UnlessCallback(
                    Scanner(unless, self.g_regex_flags, self.re, use_bytes=self.use_bytes))
            else:
                self.callback[pattern.name] = _Keywords({w.pattern.value: w.name for w in unless})
        for type_, f in self.user_callbacks.items():
            if type_ in self.callback:
                self.callback[type_] = CallChain(self.callback[type_], f, lambda t, type_=type_: t.type == type_)
            else:
                self.callback[type_] = f
        kept = [t for t in self.terminals if t not in embedded]
        return _scanner(kept, self.g_regex_flags, self.re, self.use_bytes)


class SharedContextualLexer(ContextualLexer):
    BasicLexer = SharedBasicLexer
