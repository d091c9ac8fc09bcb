"""Parse tree → syntax tree. A text that parses is read by fast_parser; Lark's parser (loaded once per process
from shipped tables, and imported only then) reads a text with errors, to say what they are."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from typing import TYPE_CHECKING

import attrs

from treatylang.lang import syntax as s
from treatylang.lang.fast_parser import Token, Tree, Unparsable
from treatylang.source.dates import no_such_day
from treatylang.source.diagnostics import Diagnostic, TreatyError, located
from treatylang.infra.gc_pause import paused_gc
from treatylang.source.spans import Span, span_of

if TYPE_CHECKING:
    import lark

MAX_ERRORS = 20
MAX_RECOVERIES = 200  # syntax errors the parser tries to recover from before it gives up
MAX_NESTING = 100  # depth of the parse tree (nested `either` conditions); beyond it, an error, not a RecursionError
MAX_DIGITS = 9  # a whole number in a treaty (a count, a duration, a share)
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")  # tab, line ends and form feed are layout

# What a student reads instead of Lark's terminal names.
_TERMINAL_WORDS = {
    "NAME": "a name (lowercase, like astoria or duty_to_consult)",
    "VAR": "a variable (Capitalised, like V or Attacker)",
    "STRING": 'a quoted text ("...")',
    "DATE": "a date (YYYY-MM-DD)",
    "INT": "a whole number",
    "ARTNUM": "an article number (like 6, 4bis, IV or 42(7))",
    "CARD": "'+', '*' or '?'",
    "$END": "the end of the file",
}


@functools.lru_cache(maxsize=1)
def lark_parser() -> lark.Lark:
    """Built once per process from the analysed grammar shipped beside grammar.lark (see grammar_tables);
    from grammar.lark itself when that data is missing, damaged or stale. Nothing is read from a cache."""
    from treatylang.lang import grammar_tables

    return grammar_tables.load()[0]


@functools.lru_cache(maxsize=1)
def fast_parser():
    """The quick driver for text that parses (fast_parser), on the same shipped tables; None if unusable."""
    from treatylang.lang import grammar_tables

    return grammar_tables.load_fast()


@functools.lru_cache(maxsize=1)
def _keyword_words() -> dict[str, str]:
    from lark.lexer import PatternStr

    words = dict(_TERMINAL_WORDS)
    for t in lark_parser().terminals:
        if isinstance(t.pattern, PatternStr):
            words.setdefault(t.name, f"'{t.pattern.value}'")
    return words


@functools.lru_cache(maxsize=1)
def keywords() -> frozenset[str]:
    """The keywords the parser may read where a name could also stand (`X is a`, `not`, `deem`...).

    Taken from the parse table, so it follows the grammar: an actor named so could not be written in a rule.
    """
    quick = fast_parser()
    if quick is not None:  # the same tables, without building Lark's parser
        words, states = quick.words, quick.states
    else:
        from lark.lexer import PatternStr

        parser = lark_parser()
        words = {t.name: t.pattern.value for t in parser.terminals if isinstance(t.pattern, PatternStr)}
        states = parser.parser.parser.parser.parse_table.states.values()
    return frozenset(words[k] for actions in states if "NAME" in actions
                     for k in actions if k in words and words[k].isidentifier())


def describe_expected(expected) -> str:
    words = _keyword_words()
    names = sorted({words.get(e, e) for e in expected})
    if not names:
        return "something else"
    if len(names) > 8:
        return ", ".join(names[:8]) + f" or one of {len(names) - 8} more"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _token_words(token: Token) -> str:
    if token.type == "$END":
        return "end of file"
    text = str(token)
    return f"'{text}'" if len(text) <= 40 else f"'{text[:37]}...'"


# ---- what to write instead: the syntax errors a student makes most, said in the language's words -----------
_BLOCK_START = re.compile(r"[ \t]*(rule|article|preamble|party|actor|event|fact|quality|place|treaty)\b")
_CONCLUDES = re.compile(r"\b(must|may|deem|becomes|ceases)\b")
_WORD_OR = re.compile(r"\bor\b")


def _rule_lines(lines: list, line: int) -> list:
    """The lines of the rule (or other block) before `line` (1-based), back to the line that opens it."""
    out = []
    for i in range(line - 2, -1, -1):
        out.append(lines[i])
        if _BLOCK_START.match(lines[i]):
            break
    return out


def _block_end(lines: list, line: int) -> int:
    """The first line after `line` that opens a new block (a rule, an article, a declaration)."""
    for i in range(line, len(lines)):
        if _BLOCK_START.match(lines[i]):
            return i + 1
    return len(lines) + 1


def _advice(lines: list, line: int, column: int, token: Token) -> tuple[int, int, str] | None:
    """(column, width, message) for a syntax error whose cause is a known mistake: the message says what to
    write instead. None for any other error (the parser's "unexpected ...; expected ..." then)."""
    if not 0 < line <= len(lines):
        return None
    here = lines[line - 1]
    stripped = here.lstrip()
    start = len(here) - len(stripped) + 1
    before = _rule_lines(lines, line)
    if stripped.startswith("where ") and any(b.lstrip().startswith("for each") for b in before):
        return start, len("where"), ("'where' comes before 'for each': write `when ...`, then `where ...`, then "
                                     "`for each member ...:`, then the conclusion (a condition on a `for each` "
                                     "variable goes in `unless ...` after the conclusion)")
    head = here[:column + len(str(token))]
    ors = list(_WORD_OR.finditer(head))
    if ors and "either" not in head and stripped.startswith(("where ", "unless ", "such that ")):
        at = ors[-1].start() + 1
        return at, 2, ("'or' joins two conditions only as `either A or B` (write `where either V is astoria or V is "
                       "belmont`; nest `either` for three)")
    if (column == start and token.type == "VAR" and _CONCLUDES.search(here)
            and any(_CONCLUDES.search(b) for b in before[:-1] if not b.lstrip().startswith("#"))):
        return start, len(str(token)), ("a rule draws one conclusion, and this line starts a second one; write "
                                        "another rule for it (`rule NAME:` with its own `when ...`)")
    return None


def parse_treaty_source(text: str, filename: str = "<string>") -> s.TreatyFile:
    """Parse a treaty's text; raise TreatyError with every syntax error the parser recovered from."""
    errors: list[Diagnostic] = []
    recoveries = [0]
    if text.startswith("\ufeff"):  # a byte-order mark, as read by open(..., encoding="utf-8")
        text = text[1:]
    if "\r" in text:  # old Mac line ends: lines as every reader counts them (CRLF stays as it is)
        text = re.sub(r"\r(?!\n)", "\n", text)

    bad = _CONTROL.search(text)
    if bad:  # NUL and terminal control characters, even inside quoted texts (they would reach the output)
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise TreatyError([located(Span(filename, line, col, line, col + 1),
                                   f"the character {bad.group()!r} (U+{ord(bad.group()):04X}) is not allowed in a treaty", text)])

    quiet: list[tuple[int, int]] = []  # line ranges whose errors only follow from one already explained

    def record(span: Span, message: str) -> None:
        if any(a < span.line < b for a, b in quiet):
            return
        if len(errors) < MAX_ERRORS and not any(e.span.line == span.line for e in errors):
            errors.append(located(span, message, text))

    lines = text.split("\n")

    def on_error(e: lark.UnexpectedInput) -> bool:
        from lark import UnexpectedCharacters  # loaded already: only Lark's parser calls this

        if isinstance(e, UnexpectedCharacters):
            raise e
        token = e.token
        recoveries[0] += 1
        advice = _advice(lines, e.line, e.column, token) if token.type != "$END" else None
        if advice is not None:
            column, width, message = advice
            record(Span(filename, e.line, column, e.line, column + width), message)
            quiet.append((e.line, _block_end(lines, e.line)))
            return len(errors) < MAX_ERRORS and recoveries[0] < MAX_RECOVERIES
        record(
            Span(filename, e.line, e.column, e.line, e.column + max(len(str(token)), 1)),
            f"unexpected {_token_words(token)}; expected {describe_expected(e.expected)}",
        )
        return len(errors) < MAX_ERRORS and recoveries[0] < MAX_RECOVERIES and token.type != "$END"

    tree = None
    quick = fast_parser()
    if quick is not None:
        try:
            with paused_gc():
                tree = quick.parse(text)
        except Unparsable:  # Lark's parser reads it again, to say what is wrong
            tree = None
    if tree is None:
        tree = _parse_with_lark(text, filename, on_error, record, errors)
    if errors:
        raise TreatyError(errors)
    with paused_gc():
        return _Builder(filename, text, tree).build(tree)


def _parse_with_lark(text: str, filename: str, on_error, record, errors: list):
    """Lark's parser on a text the quick one gave up on: its recoveries record every error it can find."""
    import lark

    try:
        with paused_gc():
            return lark_parser().parse(text, on_error=on_error)
    except lark.UnexpectedCharacters as e:
        record(
            Span(filename, e.line, e.column, e.line, e.column + 1),
            f"unexpected character {text[e.pos_in_stream]!r}; expected {describe_expected(e.allowed)}",
        )
        raise TreatyError(errors) from None
    except lark.UnexpectedEOF as e:
        line = text.count("\n") + 1
        col = len(text) - (text.rfind("\n") + 1) + 1
        record(Span(filename, line, col, line, col + 1), f"unexpected end of file; expected {describe_expected(e.expected)}")
        raise TreatyError(errors) from None
    except lark.UnexpectedInput as e:  # a recovery that gave up
        if not errors:
            record(Span(filename, e.line, e.column, e.line, e.column + 1), "syntax error")
        raise TreatyError(errors) from None


def _int(token: Token, builder: "_Builder") -> int:
    if len(str(token)) > MAX_DIGITS:
        builder.problems.append(
            located(builder.span(token), f"the number {str(token)[:20]}{'...' if len(str(token)) > 20 else ''} is too large",
                    builder.source_text, hint=f"at most {MAX_DIGITS} digits")
        )
        return 0
    return int(token)


def _date(token: Token, builder: "_Builder") -> dt.date:
    try:
        return dt.date.fromisoformat(str(token))
    except ValueError:
        impossible = no_such_day(str(token))
        builder.problems.append(
            located(builder.span(token), f"'{token}' is not a valid date: {impossible}" if impossible
                    else f"'{token}' is not a valid date", builder.source_text,
                    hint=None if impossible else "dates are YYYY-MM-DD")
        )
        return dt.date(1, 1, 1)


_ESCAPE = re.compile(r"\\(.)", re.S)  # a backslash and the character it escapes
_ESCAPED = {"n": "\n", "t": "\t"}


def _unquote(token: Token) -> str:
    raw = str(token)
    body = raw[3:-3] if raw.startswith('"""') else raw[1:-1]
    text = _ESCAPE.sub(lambda m: _ESCAPED.get(m.group(1), m.group(1)), body) if "\\" in body else body
    if raw.startswith('"""'):  # fold the layout of long texts into plain paragraphs
        paragraphs = [" ".join(p.split()) for p in text.strip().split("\n\n")]
        text = "\n\n".join(p for p in paragraphs if p)
    return text


class _Builder:
    """Builds syntax nodes; each knows its span and the article it lies in.

    One method per tree node name, called as method(meta, children) bottom-up. (A plain walk: Lark's
    Transformer re-wraps its callbacks at every node, which dominated the time of large treaties.)
    """

    def __init__(self, filename: str, text: str, tree: Tree | lark.Tree):
        self._methods: dict[str, object] = {}
        self.filename = filename
        self.source_text = text
        self.problems: list[Diagnostic] = []
        starts = []
        for child in tree.children:
            if not (child is None or isinstance(child, str)) and child.data in ("article", "preamble"):
                number = str(child.children[0]) if child.data == "article" else "preamble"
                starts.append((child.meta.line, number))
        self._starts = [line for line, _ in starts]
        self._numbers = [n for _, n in starts]

    def build(self, tree: Tree | lark.Tree):
        """The syntax tree; a parse tree too deep to build and check recursively is refused, before the walk
        goes deeper than MAX_NESTING (so never a RecursionError)."""
        methods = self._methods

        def walk(node, depth):
            if depth > MAX_NESTING:
                raise TreatyError([located(span_of(node.meta, self.filename),
                                           f"this is nested too deeply (more than {MAX_NESTING} levels)", self.source_text)])
            deeper = depth + 1
            # a node of either parser (fast_parser.Tree, lark.Tree); a token is a str (or a None placeholder)
            children = [c if c is None or isinstance(c, str) else walk(c, deeper) for c in node.children]
            method = methods.get(node.data)
            if method is None:
                method = methods[node.data] = getattr(self, node.data)
            return method(node.meta, children)

        return walk(tree, 1)

    def span(self, meta) -> Span:
        line = getattr(meta, "line", None) or 1
        i = bisect.bisect_right(self._starts, line) - 1
        return span_of(meta, self.filename, self._numbers[i] if i >= 0 else None)

    # ---- file --------------------------------------------------------------------
    def start(self, meta, items):
        header = None
        parties, actors, events, articles = [], [], [], []
        qualities, places, organs, uses = [], [], [], []
        preamble = vocabulary = None
        for item in items:
            if isinstance(item, s.Header):
                if header is not None:
                    self.problems.append(located(item.span, "a second treaty header; a file holds one treaty", self.source_text))
                header = header or item
            elif isinstance(item, s.Party):
                parties.append(item)
            elif isinstance(item, s.ActorDecl):
                actors.append(item)
            elif isinstance(item, s.EventDecl):
                events.append(item)
            elif isinstance(item, s.Quality):
                qualities.append(item)
            elif isinstance(item, s.PlaceDecl):
                places.append(item)
            elif isinstance(item, s.OrganDecl):
                organs.append(item)
            elif isinstance(item, s.Uses):
                uses.append(item)
            elif isinstance(item, s.VocabularyDecl):
                if vocabulary is not None or header is not None:
                    self.problems.append(located(item.span, "a second 'vocabulary' line; a vocabulary file starts "
                                                            "with one, and a treaty has none", self.source_text))
                vocabulary = vocabulary or item
            elif isinstance(item, s.Article) and item.number == "preamble":
                if preamble is not None:
                    self.problems.append(located(item.span, "a second preamble; a treaty has one", self.source_text))
                preamble = preamble or item
            else:
                articles.append(item)
        if header is not None and vocabulary is not None:
            self.problems.append(located(vocabulary.span, "a 'vocabulary' line in a treaty; a treaty says which "
                                         "vocabulary it reads with 'uses NAME'", self.source_text))
        if header is None and vocabulary is None and not parties and not articles:  # nothing a treaty could be checked against
            where = items[0].span if items else Span(self.filename, 1, 1, 1, 1)
            message = ("the file has no treaty header ('treaty ID \"Title\" ...')" if items else
                       "the file is empty: a treaty starts with a header ('treaty ID \"Title\" ...')")
            self.problems.append(located(where, message, self.source_text))
        if self.problems:
            raise TreatyError(self.problems)
        return s.TreatyFile(
            header, tuple(parties), tuple(actors), tuple(events), preamble, tuple(articles),
            tuple(qualities), tuple(places), tuple(organs), tuple(uses), vocabulary, file=self.filename, source=self.source_text,
        )

    def treaty_decl(self, meta, children):
        ident, title, *clauses = children
        fields = {}
        for kind, value in clauses:
            if kind in fields:
                word = {"force": "in force", "languages": "languages"}.get(kind, kind)
                self.problems.append(located(self.span(meta), f"the header says '{word}' twice", self.source_text))
            fields.setdefault(kind, value)
        signed = fields.get("signed")
        return s.Header(
            str(ident), _unquote(title),
            signed=signed[0] if signed else None,
            place=signed[1] if signed else None,
            entry_into_force=fields.get("force"),
            languages=fields.get("languages", ()),
            depositary=fields.get("depositary"),
            terminated=fields.get("terminated"),
            span=self.span(meta),
        )

    def signed(self, meta, children):
        date, place = children
        return "signed", (_date(date, self), _unquote(place) if place is not None else None)

    def in_force(self, meta, children):
        return "force", children[0]

    def force_on_signature(self, meta, children):
        return s.OnSignature(span=self.span(meta))

    def force_on_date(self, meta, children):
        return s.OnDate(_date(children[0], self), span=self.span(meta))

    def force_after_events(self, meta, children):
        delay, count, event, including, entered = children
        return s.AfterEvents(_int(count, self), str(event), delay, including or (), entered, span=self.span(meta))

    def entered(self, meta, children):
        return _date(children[0], self)

    def including(self, meta, children):
        return tuple(str(c) for c in children)

    def languages(self, meta, children):
        return "languages", tuple(children)

    def lang(self, meta, children):
        return s.Language(str(children[0]), children[1] is not None, span=self.span(meta))

    def original(self, meta, children):
        return True

    def depositary(self, meta, children):
        return "depositary", str(children[0])

    def terminated(self, meta, children):
        return "terminated", _date(children[0], self)

    # ---- shared vocabularies -----------------------------------------------------
    def vocabulary_decl(self, meta, children):
        ident, title = children
        return s.VocabularyDecl(str(ident), _unquote(title), span=self.span(meta))

    def uses_decl(self, meta, children):
        ident, *readings = children
        return s.Uses(str(ident), tuple(readings), span=self.span(meta))

    def event_reading(self, meta, children):
        source, target, args, article = children
        return s.EventReading(str(source), str(target), args or (), article, span=self.span(meta))

    def reading_args(self, meta, children):
        return tuple(c for c in children if c is not None)

    def arg_reading(self, meta, children):
        param, source, values = children
        return s.ArgReading(str(param), str(source), values or (), span=self.span(meta))

    def value_readings(self, meta, children):
        return tuple(children)

    def value_reading(self, meta, children):
        source, target = children
        return s.ValueReading(str(source), str(target), span=self.span(meta))

    def reading_article(self, meta, children):
        return str(children[0])

    # ---- actors and vocabulary -----------------------------------------------------
    def aka(self, meta, children):
        return tuple(_unquote(c) for c in children)

    def party_decl(self, meta, children):
        ident, name, joined, left, codes, aka, qualities = children
        return s.Party(str(ident), _unquote(name), aka or (), qualities or (), joined, left, codes or (),
                       span=self.span(meta))

    def codes(self, meta, children):
        return tuple(children)

    def code(self, meta, children):
        system, value = children
        return s.Code(str(system), str(value), span=self.span(meta))

    def joined(self, meta, children):
        return _date(children[0], self)

    left = joined

    def actor_decl(self, meta, children):
        ident, name, kind, codes, aka, qualities = children
        return s.ActorDecl(str(ident), _unquote(name), str(kind), aka or (), qualities or (), codes or (),
                           span=self.span(meta))

    def organ_decl(self, meta, children):
        ident, name, aka = children
        return s.OrganDecl(str(ident), _unquote(name), aka or (), span=self.span(meta))

    def qualities(self, meta, children):
        return tuple(str(c) for c in children)

    def quality_decl(self, meta, children):
        name, description = children
        return s.Quality(str(name), _unquote(description), span=self.span(meta))

    def place_decl(self, meta, children):
        ident, name, of, within, qualities = children
        return s.PlaceDecl(str(ident), _unquote(name), of, within or (), qualities or (), span=self.span(meta))

    def place_of(self, meta, children):
        return str(children[0])

    def place_in(self, meta, children):
        return tuple(str(c) for c in children)

    def _event(self, meta, children, is_fact):
        name, *rest = children
        description = rest.pop() if rest else None
        params = tuple(p for p in rest if p is not None)
        return s.EventDecl(
            str(name), params, _unquote(description) if description is not None else None, is_fact,
            span=self.span(meta),
        )

    def event_decl(self, meta, children):
        return self._event(meta, children, False)

    def fact_decl(self, meta, children):
        return self._event(meta, children, True)

    def param(self, meta, children):
        name, type_, default = children
        return s.Param(str(name), type_, str(default) if default is not None else None, span=self.span(meta))

    def actor_type(self, meta, children):
        return s.ActorType(str(children[0]) if children[0] is not None else "", span=self.span(meta))

    def place_type(self, meta, children):
        return s.PlaceType(str(children[0]) if children[0] is not None else "", span=self.span(meta))

    def enum_type(self, meta, children):
        return s.EnumType(tuple(str(c) for c in children), span=self.span(meta))

    def enum_list_type(self, meta, children):
        *values, card = children
        return s.EnumType(tuple(str(c) for c in values), str(card), span=self.span(meta))

    # ---- articles ----------------------------------------------------------------
    def _article(self, meta, number, title, clauses):
        texts = tuple(c for c in clauses if isinstance(c, s.Text))
        notes = tuple(c[1] for c in clauses if isinstance(c, tuple) and c[0] == "note")
        uncertain = tuple(c[1] for c in clauses if isinstance(c, tuple) and c[0] == "uncertain")
        rules = tuple(
            attrs.evolve(c, article=number) for c in clauses if isinstance(c, s.Rule)
        )
        status = {}
        for c in clauses:
            if isinstance(c, (s.Source, s.Review)):
                if type(c) in status:
                    what = "how sure its text is" if isinstance(c, s.Source) else "whether its rules were reviewed"
                    self.problems.append(located(c.span, f"the article says twice {what}", self.source_text))
                status.setdefault(type(c), c)
        return s.Article(number, title, texts, notes, uncertain, rules, source=status.get(s.Source),
                         review=status.get(s.Review), span=self.span(meta))

    def preamble(self, meta, children):
        return self._article(meta, "preamble", None, children)

    def article(self, meta, children):
        number, title, dates, *clauses = children
        article = self._article(meta, str(number), _unquote(title) if title is not None else None, clauses)
        if dates is not None:
            article = attrs.evolve(article, valid_from=dates[0], valid_until=dates[1])
        return article

    def article_from(self, meta, children):
        return _date(children[0], self), _date(children[1], self) if children[1] is not None else None

    def article_until(self, meta, children):
        return None, _date(children[0], self)

    def text(self, meta, children):
        return s.Text(str(children[0]), _unquote(children[1]), span=self.span(meta))

    def note(self, meta, children):
        return "note", _unquote(children[0])

    def reading(self, meta, children):
        return _unquote(children[0])

    def asymmetric(self, meta, children):
        return s.Asymmetry(_unquote(children[1]), tuple(children[0] or ()), span=self.span(meta))

    def singled_out(self, meta, children):
        return [str(c) for c in children]

    def uncertain(self, meta, children):
        return "uncertain", _unquote(children[0])

    def source(self, meta, children):
        return s.Source(str(children[0]), _unquote(children[1]), span=self.span(meta))

    def reviewed(self, meta, children):
        return s.Review(True, _unquote(children[0]), span=self.span(meta))

    def unreviewed(self, meta, children):
        return s.Review(False, _unquote(children[0]) if children[0] is not None else None, span=self.span(meta))

    def quote(self, meta, children):
        return s.Quote(_unquote(children[0]), span=self.span(meta))

    # ---- rules -------------------------------------------------------------------
    def rule(self, meta, children):
        name, exception_to, trigger, where, *rest = children
        asymmetric = rest.pop()
        reading = rest.pop()
        quote = rest.pop()
        breaches = [c for c in rest if isinstance(c, s.BreachClause)]
        lifetime = tuple(c for c in rest if isinstance(c, (s.EndsWhen, s.DischargedBy, s.Deadline))
                         or (isinstance(c, s.BreachClause) and c is not breaches[0]))
        quantifiers = tuple(c for c in rest if isinstance(c, s.Quantifier))
        unless = tuple(c[1] for c in rest if isinstance(c, tuple) and c[0] == "unless")
        conclusions = [c for c in rest if c is not None and not isinstance(c, (s.Quantifier, tuple, s.BreachClause))
                       and c not in lifetime]
        return s.Rule(
            str(name), article="",
            exception_to=exception_to,
            trigger=trigger[0] if trigger is not None else None,
            after=trigger[1] if trigger is not None else None,
            where=where or (),
            quantifiers=quantifiers,
            conclusion=conclusions[0] if conclusions else None,
            unless=unless,
            breach=breaches[0] if breaches else None,
            reading=reading,
            quote=quote,
            lifetime=lifetime,
            asymmetric=asymmetric,
            span=self.span(meta),
        )

    def ends_when(self, meta, children):
        return s.EndsWhen(children[0], span=self.span(meta))

    def discharged_by(self, meta, children):
        return s.DischargedBy(children[0], span=self.span(meta))

    def deadline(self, meta, children):
        return s.Deadline(children[0], span=self.span(meta))

    def exception_to(self, meta, children):
        return str(children[0])

    def trigger(self, meta, children):
        return children[0], children[1]  # (pattern, Earlier or None)

    def earlier(self, meta, children):
        pattern, within, such_that = children
        return s.Earlier(pattern, within, such_that or (), span=self.span(meta))

    def within(self, meta, children):
        return children[0]

    def such_that(self, meta, children):
        return children[0]

    def where(self, meta, children):
        return children[0]

    def unless(self, meta, children):
        return "unless", children[0]

    def breach(self, meta, children):
        pattern, conditions = children
        return s.BreachClause(pattern, conditions or (), span=self.span(meta))

    def pattern(self, meta, children):
        name, *args = children
        return s.Pattern(str(name), tuple(a for a in args if a is not None), span=self.span(meta))

    def pattern_arg(self, meta, children):
        return s.PatternArg(str(children[0]), children[1], span=self.span(meta))

    def arg_var(self, meta, children):
        return s.Var(str(children[0]), span=self.span(meta))

    def arg_place_of(self, meta, children):
        return s.ArgPlaceOf(str(children[0]), str(children[1]), span=self.span(meta))

    def arg_any(self, meta, children):
        return s.ArgAny(span=self.span(meta))

    def arg_const(self, meta, children):
        return s.ArgConst(tuple(str(c) for c in children), span=self.span(meta))

    def quantifier(self, meta, children):
        domain, var, *excluding = children
        return s.Quantifier(
            str(domain), str(var), tuple(e for e in excluding if e is not None), span=self.span(meta)
        )

    def conditions(self, meta, children):
        return tuple(children)

    def is_kind(self, meta, children):
        term, negated, kind = children
        return s.IsKind(term, negated is not None, str(kind), span=self.span(meta))

    def is_in(self, meta, children):
        term, negated, region = children
        return s.IsIn(term, negated is not None, str(region), span=self.span(meta))

    def is_same(self, meta, children):
        left, negated, right = children
        return s.IsSame(left, negated is not None, right, span=self.span(meta))

    def all_among(self, meta, children):
        return s.AllAmong(str(children[0]), span=self.span(meta))

    def share_among(self, meta, children):
        (num, den), excluding, arg = children
        return s.ShareAmong(num, den, str(arg), excluding or (), span=self.span(meta))

    def share_other_than(self, meta, children):
        return tuple(children)

    def fraction(self, meta, children):
        return _int(children[0], self), _int(children[1], self)

    def percent(self, meta, children):
        return _int(children[0], self), 100

    def date_test(self, meta, children):
        op, date = children
        return s.DateTest(op, _date(date, self), span=self.span(meta))

    def date_from_entry(self, meta, children):
        op, delay = children
        return s.DateFromEntry(op, delay, span=self.span(meta))

    def before(self, meta, children):
        return "before"

    def after(self, meta, children):
        return "after"

    def on(self, meta, children):
        return "on"

    def on_or_after(self, meta, children):
        return "on_or_after"

    def on_or_before(self, meta, children):
        return "on_or_before"

    def either(self, meta, children):
        return s.Either(children[0], children[1], span=self.span(meta))

    def var(self, meta, children):
        return s.Var(str(children[0]), span=self.span(meta))

    def const(self, meta, children):
        return s.Const(str(children[0]), span=self.span(meta))

    def norm(self, meta, children):
        bearer, modality, action, prep, counterparty, *qualifiers = children
        means, in_order, together, including, purpose, means_from = (), False, False, (), None, None
        for kind, value in qualifiers:
            if kind == "means":
                means, in_order, together, including = value
            elif kind == "means_from":
                means_from = value
            else:
                purpose = value
        return s.NormConclusion(
            bearer, modality, str(action), prep, counterparty, means, in_order, purpose, together, including,
            means_from,
            span=self.span(meta)
        )

    def together(self, meta, children):
        return s.Together(span=self.span(meta))

    def means_from(self, meta, children):
        return "means_from", str(children[0])

    def obligation(self, meta, children):
        return "obligation"

    def permission(self, meta, children):
        return "permission"

    def prohibition(self, meta, children):
        return "prohibition"

    def prep(self, meta, children):
        return str(children[0])

    def means(self, meta, children):
        mode, *names, including = children
        return "means", (tuple(str(n) for n in names), mode == "in_order", mode == "all", including or ())

    def in_order(self, meta, children):
        return "in_order"

    def all_together(self, meta, children):
        return "all"

    def means_including(self, meta, children):
        return tuple(str(n) for n in children)

    def all_of(self, meta, children):
        return s.AllOf(str(children[0]), children[0].type == "VAR", span=self.span(meta))

    def purpose(self, meta, children):
        return "purpose", _unquote(children[0])

    def deem(self, meta, children):
        return s.Deem(children[0], span=self.span(meta))

    def joins(self, meta, children):
        return s.MembershipChange(children[0], "joins", children[1], children[2], span=self.span(meta))

    def leaves(self, meta, children):
        return s.MembershipChange(children[0], "leaves", children[1], children[2], span=self.span(meta))

    def not_before(self, meta, children):
        return children[0]

    def duration(self, meta, children):
        amount, unit = children
        return s.Duration(_int(amount, self), unit.rstrip("s"), span=self.span(meta))

    def unit(self, meta, children):
        return str(children[0])

