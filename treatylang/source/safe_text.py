"""Text from input made safe to print: one escaping rule for every message and report.

Titles, notes, names, ids, file names and quoted source lines come from files we did not write. Shown raw, a
control character could retitle or clear the user's terminal (ESC, C1 CSI), a bidirectional control could
make a line read backwards, and a newline could forge a line of the report ("no norm arises from the
events"). So every character of the `UNSAFE` class is shown as an escape, `\\x1b`, `\\u202e`, `\\n`:

- C0 controls (U+0000-U+001F), DEL and C1 controls (U+007F-U+009F, NEL included);
- the bidirectional controls U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069;
- the line and paragraph separators U+2028, U+2029 (a line break to some terminals and editors);
- lone surrogates (U+D800-U+DFFF), which a YAML `"\\ud800"` can give and no output encoding can write.

`escape` is the one function that does it; each output applies it once, at the point where it prints:

- text (reports, why-not, casebook, verify, diagnostics): `escape(line)` on each line, so a field can never
  start a line of its own; a format that itself writes a newline or a tab passes `keep="\\n"`;
- Markdown: `markdown_text` / `markdown_code` (the escapes, then HTML and table characters);
- JSON: `json_text` (JSON is data: the values are unchanged once parsed, only written as `\\u` escapes).
"""

from __future__ import annotations

import functools
import re

# The classes below are compiled on first use (each compilation costs every start about half a millisecond):
# most text is printable, and every UNSAFE character is unprintable to `str.isprintable` (Cc, Cf, Zl, Zp, Cs).
_UNSAFE = "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
# what json.dumps leaves raw: not C0 (it escapes that inside strings; the layout's newlines stay as they are)
_JSON_UNSAFE = "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"


@functools.lru_cache(maxsize=None)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def __getattr__(name: str):
    if name == "UNSAFE":  # the class, compiled when first asked for
        return _compiled(_UNSAFE)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _shown(c: str) -> str:
    code = ord(c)
    return _NAMED.get(c) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def escape(text, keep: str = "") -> str:
    """`text` with every unsafe character shown as an escape (`\\x1b`, `\\x9b`, `\\u202e`, `\\n`), except `keep`."""
    text = str(text)
    if text.isprintable():
        return text
    unsafe = _compiled(_UNSAFE)
    if not unsafe.search(text):
        return text
    return unsafe.sub(lambda m: m.group() if m.group() in keep else _shown(m.group()), text)


def escape_lines(lines, keep: str = "") -> list[str]:
    """Each line escaped on its own (a newline inside one is shown as `\\n`)."""
    return [escape(line, keep) for line in lines]


_MARKDOWN = str.maketrans({"\\": "\\\\", "|": "\\|", "&": "&amp;", "<": "&lt;", ">": "&gt;"})


def markdown_text(text) -> str:
    """Input text for a line or a table cell of a Markdown report.

    The escapes of `escape` (so the report is safe in a terminal too and a newline cannot end a table row),
    then `&`, `<`, `>` as entities (raw HTML does not survive), `|` as `\\|` (a cell stays one cell) and `\\`
    as `\\\\` (so an input `\\|` cannot undo the escape). A Markdown viewer shows the text as written.
    """
    return escape(text).translate(_MARKDOWN)


def markdown_code(text) -> str:
    """Input text as a Markdown code span: fenced by more backticks than it holds, so it cannot close it.

    Inside a code span HTML is not interpreted, so only the escapes of `escape` apply (not for a table cell,
    where a `|` would still end the cell).
    """
    text = escape(text)
    runs = [len(r) for r in re.findall("`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith(("`", " ")) or text.endswith(("`", " ")) else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def json_text(text: str) -> str:
    """JSON text (from `json.dumps`) with the unsafe characters that it leaves raw written as `\\u` escapes.

    `json.dumps` already escapes C0; DEL, C1, the bidirectional controls, the separators and lone surrogates
    it writes as they are (with `ensure_ascii=False`). They can occur only inside strings, so writing them as
    `\\uXXXX` keeps the JSON valid and every value the same once parsed. The newlines of the layout are kept.
    """
    if text.isascii() and "\x7f" not in text:
        return text
    return _compiled(_JSON_UNSAFE).sub(lambda m: f"\\u{ord(m.group()):04x}", text)
