"""Source text and spans: every diagnostic and every syntax node points back into a file."""

from __future__ import annotations

import attrs


@attrs.frozen
class SourceFile:
    """A file's name and text, kept so errors can quote the offending line."""

    name: str
    text: str = attrs.field(repr=False)

    def line(self, number: int) -> str:
        lines = self.text.splitlines()
        return lines[number - 1] if 0 < number <= len(lines) else ""


@attrs.frozen(slots=False)  # dict class: many of them are unpickled from the cache, and fast so
class Span:
    """A region of a source file (1-based lines and columns, end exclusive)."""

    file: str
    line: int
    column: int
    end_line: int = 0
    end_column: int = 0
    article: str | None = None  # the article the span lies in, for treaty files

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


def span_of(meta, file: str, article: str | None = None) -> Span:
    """Span from a Lark node's meta or a token (both carry line/column and their ends)."""
    if meta is None or getattr(meta, "empty", False) or getattr(meta, "line", None) is None:
        return Span(file, 1, 1, 1, 1, article)
    return Span(file, meta.line, meta.column, meta.end_line or meta.line, meta.end_column or meta.column, article)
