"""One diagnostic type for the CLI, JSON and editors: a located message with a caret."""

from typing import Iterable

import attrs

from treatylang.source.safe_text import escape
from treatylang.source.spans import TREATY_LINE_BREAKS, YAML_LINE_BREAKS, Span


SHOWN_LINE = 160  # characters of a source line quoted under a message


@attrs.frozen
class Diagnostic:
    span: Span
    message: str
    severity: str = "error"  # error | warning
    hint: str | None = None  # e.g. "did you mean 'belmont'?"
    source_line: str | None = attrs.field(default=None, eq=False)

    def format(self) -> str:
        """`file:line:col: error: message`, the source line and a caret under the span."""
        where = self.span
        head = f"{where.file}:{where.line}:{where.column}: {self.severity}: {self.message}"
        if where.article is not None:
            head += f" (in article {where.article})" if where.article != "preamble" else " (in the preamble)"
        if self.hint:
            head += f"; {self.hint}"
        lines = [escape(head)]  # the file name and the names a message quotes come from input
        if self.source_line is not None and self.source_line.strip():
            text = self.source_line.expandtabs(1).rstrip("\n")
            start = max(where.column - 1, 0)
            if len(text) > SHOWN_LINE:  # a window around the column, not a megabyte of one line
                left = max(0, min(start - SHOWN_LINE // 2, len(text) - SHOWN_LINE))
                text = text[left:left + SHOWN_LINE]
                start -= left
            if where.end_line == where.line and where.end_column > where.column:
                width = where.end_column - where.column
            else:
                width = max(len(text) - start, 1)
            width = max(1, min(width, max(len(text) - start, 1)))
            # the line is shown escaped (the control characters a check refuses must not reach the terminal),
            # and the caret measured on the escaped text, so it stays under the same characters
            before = escape(text[:start]) + " " * max(0, start - len(text))  # a column past the end stays there
            marked = escape(text[start:start + width])
            lines.append("  " + before + marked + escape(text[start + width:]))
            lines.append("  " + " " * len(before) + "^" * max(len(marked), 1))
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {
            "file": self.span.file,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "article": self.span.article,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
        }


class TreatyError(Exception):
    """Bad input: carries every diagnostic found (errors, and the warnings that came with them)."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(
            diagnostics, key=lambda d: (d.span.file, d.span.line, d.span.column, d.message)
        )
        super().__init__("\n".join(d.format() for d in self.diagnostics))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


class UsageError(ValueError):
    """A bad value given to a command or function (not in a file): reported without a location."""


HINT_LONGEST = 60  # no hint for a longer name: comparing it costs more than a hint is worth
HINT_POOL = 1_000  # candidates compared at most


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """A hint naming the closest candidate, if one is close enough to be a likely typo.

    Bounded in cost: among more than HINT_POOL candidates only those about as long as the name (2 characters
    more or less) are compared, at most HINT_POOL of them, first those that share its first and last letters.
    """
    if not isinstance(name, str) or not name or len(name) > HINT_LONGEST:
        return None
    pool = sorted(set(candidates))
    if len(pool) > HINT_POOL:
        size, low = len(name), name.casefold()
        pool = [c for c in pool if abs(len(c) - size) <= 2]
        if len(pool) > HINT_POOL:
            pool.sort(key=lambda c: (c[:1].casefold() != low[:1], c[-1:].casefold() != low[-1:], abs(len(c) - size), c))
            del pool[HINT_POOL:]
    lowered = {c.lower(): c for c in pool}
    import difflib  # on use: only a run that reports a misspelt name pays for importing it

    match = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
    return f"did you mean '{lowered[match[0]]}'?" if match else None


_last_split: tuple = (None, None, None)


def _lines(text: str, yaml: bool) -> list[str]:
    """The text's lines, split once for the many diagnostics of one file (line ends: see spans.py)."""
    global _last_split
    if _last_split[0] is not text or _last_split[1] != yaml:
        _last_split = (text, yaml, (YAML_LINE_BREAKS if yaml else TREATY_LINE_BREAKS).split(text))
    return _last_split[2]


def located(span: Span, message: str, source_text: str | None, *, severity="error", hint=None,
            yaml: bool = False) -> Diagnostic:
    """A diagnostic quoting its source line, counted as the file's parser counts lines."""
    line = None
    if source_text is not None:
        lines = _lines(source_text, yaml)
        if 0 < span.line <= len(lines):
            line = lines[span.line - 1].rstrip("\r")
    return Diagnostic(span, message, severity, hint, line)
