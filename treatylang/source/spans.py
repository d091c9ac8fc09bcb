"""Source text and spans: every diagnostic and every syntax node points back into a file."""

import re

from treatylang.infra.nodes import node

# Where lines end. A treaty file's lines end at \n, \r\n or a lone \r (its parser turns a lone \r into \n);
# YAML's also at NEL and the Unicode line and paragraph separators (YAML 1.1, 5.4).
TREATY_LINE_BREAKS = re.compile("\r\n|[\r\n]")
YAML_LINE_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def line_column(text: str, index: int, *, yaml: bool = False) -> tuple[int, int]:
    """The 1-based line and column of `text[index]`, columns in characters (never bytes).

    Lines end as the file's reader ends them (`yaml`: YAML's line breaks, else a treaty's). The one place this
    arithmetic is done: diagnostics for control characters, undecodable bytes and the end of a file use it.
    """
    breaks = YAML_LINE_BREAKS if yaml else TREATY_LINE_BREAKS
    line, start = 1, 0
    for m in breaks.finditer(text, 0, index):
        line, start = line + 1, m.end()
    return line, index - start + 1


@node  # dict class: many are read back from the cache, and quicker so
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
