"""Reading input files: one policy for `.treaty` and YAML files alike.

- a size limit (MAX_BYTES), kept even when the file's size lies (a device, a pipe);
- UTF-8, with or without a byte-order mark (dropped, so it shifts no column);
- an undecodable byte is located by line and column, the column counted in characters as every other
  diagnostic counts it (not in bytes);
- the control characters no text may hold (CONTROL_CHARACTERS) are refused where they stand;
- only a regular file is read: a directory, a named pipe (FIFO), a device or a socket is refused after an
  `os.stat`, before it is opened, and the file is opened without blocking (O_NONBLOCK) and checked again
  (`fstat`), so that nothing swapped in between can make a read wait forever;
- at most MAX_ERRORS problems are reported per file (`capped`), and a name quoted in a message is quoted by
  its start (`quoted`), so that the report of a hostile file stays small.

Every problem is a located TreatyError; nothing here knows what the text means.
"""

from __future__ import annotations

import os
import re
import stat

from treatylang.source.diagnostics import Diagnostic, TreatyError, located
from treatylang.source.spans import Span, line_column

MAX_BYTES = 5_000_000
MAX_ERRORS = 50  # problems reported per file; the rest are counted in one last line
QUOTED = 60  # characters of a name or value quoted in a message

# Characters a text may not hold: they would reach a terminal (NUL, ESC and the other C0 controls, DEL).
# Tab, line feed, carriage return and form feed are layout and allowed. The same set for treaty files and
# for YAML files (YAML values included, where an escape such as "\e" or "\0" could write one).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")

BOM = "\ufeff"


def not_a_file(mode: int) -> str | None:
    """What a file of this `st_mode` is, when it is not a regular file ("a directory"...); None when it is."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def kind_problem(path: str) -> str | None:
    """Why `path` cannot be read as an input file, found without opening it (None: a regular file).

    A message: "no such file", "is a named pipe (FIFO), not a regular file"...
    """
    if not path:
        return "no file name given"
    if "\0" in path:
        return "cannot read the file: its name contains a NUL character"
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "no such file"
    except (OSError, ValueError) as e:
        return f"cannot read the file: {getattr(e, 'strerror', None) or e}"
    kind = not_a_file(mode)
    return None if kind is None else _is_not_a_file(kind)


def _is_not_a_file(kind: str) -> str:
    return "is a directory, not a file" if kind == "a directory" else f"is {kind}, not a regular file"


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0) \
    | getattr(os, "O_CLOEXEC", 0)


def read_bytes(path: str) -> bytes:
    """The file's bytes (at most MAX_BYTES), or a TreatyError saying why it cannot be read.

    Only a regular file is read. Its kind is looked at before it is opened (opening a FIFO would wait for a
    writer, and opening a device may do something), then again on what was opened, which is opened without
    blocking: a FIFO swapped in between is refused, not waited for.
    """
    where = Span(path or "<no file name>", 1, 1)
    problem = kind_problem(path)
    if problem == "no such file":  # the whole file is missing: say where it was looked for
        problem = f"no such file (looked for {os.path.abspath(path)})"
    if problem is not None:
        raise TreatyError([located(where, problem, None)])
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise TreatyError([located(where, "no such file", None)]) from None
    except OSError as e:
        raise TreatyError([located(where, f"cannot read the file: {e.strerror or e}", None)]) from None
    try:
        info = os.fstat(fd)
        kind = not_a_file(info.st_mode)
        if kind is not None:
            raise TreatyError([located(where, _is_not_a_file(kind), None)])
        if info.st_size > MAX_BYTES:
            raise TreatyError([located(where, f"file is too large ({info.st_size:,} bytes; the limit is {MAX_BYTES:,})",
                                       None)])
        chunks, size = [], 0
        while size <= MAX_BYTES:  # bounded even when the size lies (a file that grows as it is read)
            chunk = os.read(fd, min(MAX_BYTES + 1 - size, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as e:
        raise TreatyError([located(where, f"cannot read the file: {e.strerror or e}", None)]) from None
    finally:
        os.close(fd)
    if size > MAX_BYTES:
        raise TreatyError([located(where, f"file is too large (more than the limit of {MAX_BYTES:,} bytes)", None)])
    return b"".join(chunks)


def decode(path: str, data: bytes, *, yaml: bool = False) -> str:
    """The text of a file's bytes: UTF-8, a byte-order mark dropped. `yaml`: count lines as YAML does."""
    if len(data) > MAX_BYTES:
        raise TreatyError([located(Span(path, 1, 1), f"file is too large ({len(data):,} bytes; the limit is {MAX_BYTES:,})", None)])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        before = data[: e.start].decode("utf-8")  # the bytes before the first bad one decode
        before = before[1:] if before.startswith(BOM) else before
        line, column = line_column(before, len(before), yaml=yaml)
        raise TreatyError([located(Span(path, line, column, line, column + 1),
                                   f"the file is not valid UTF-8 (byte 0x{data[e.start]:02x})", None)]) from None
    return text[1:] if text.startswith(BOM) else text


def read_text(path: str, *, yaml: bool = False) -> str:
    """A treaty file's text (a YAML file's with `yaml`), by the policy of this module."""
    return checked_text(path, read_bytes(path), yaml=yaml)


def checked_text(path: str, data: bytes, *, yaml: bool = False) -> str:
    """The text of bytes read from a file: decoded (see `decode`), control characters refused."""
    text = decode(path, data, yaml=yaml)
    refuse_control_characters(path, text, "in a YAML file" if yaml else "in a treaty", yaml=yaml)
    return text


def control_message(char: str, where: str) -> str:
    """What is said of a control character found `where` ("in a treaty", "in a text")."""
    return f"the character {char!r} (U+{ord(char):04X}) is not allowed {where}"


def refuse_control_characters(filename: str, text: str, where: str, *, yaml: bool = False) -> None:
    """Raise a located TreatyError at the first of CONTROL_CHARACTERS in a file's text, if any."""
    bad = CONTROL_CHARACTERS.search(text)
    if bad is not None:
        line, column = line_column(text, bad.start(), yaml=yaml)
        raise TreatyError([located(Span(filename, line, column, line, column + 1),
                                   control_message(bad.group(), where), text, yaml=yaml)])


def quoted(text: str, limit: int = QUOTED) -> str:
    """`text` in single quotes for a message, shortened to its first `limit` characters and "…" when longer."""
    return f"'{text}'" if len(text) <= limit else f"'{text[:limit]}…'"


def listing(names, limit: int = 20) -> str:
    """Names joined by commas for a message: the first `limit`, then how many more."""
    names = list(names)
    shown = ", ".join(names[:limit])
    return shown if len(names) <= limit else f"{shown}, … ({len(names) - limit:,} more)"


def capped(diagnostics, limit: int = MAX_ERRORS) -> list[Diagnostic]:
    """The first `limit` diagnostics of each file (in the order of the file), then one line counting the others.

    Exact repeats (one place, one message: an alias used many times) are reported once.
    """
    seen: set = set()
    by_file: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        key = (d.span, d.message, d.severity, d.hint)
        if key not in seen:
            seen.add(key)
            by_file.setdefault(d.span.file, []).append(d)
    out: list[Diagnostic] = []
    for items in by_file.values():
        items.sort(key=lambda d: (d.span.line, d.span.column, d.message))
        out += items[:limit]
        rest = items[limit:]
        if rest:
            errors = sum(1 for d in rest if d.severity == "error")
            out.append(more_errors(rest[0].span, errors, len(rest) - errors, limit))
    return out


def more_errors(first: Span, errors: int, warnings: int, limit: int = MAX_ERRORS) -> Diagnostic:
    """The last line of a capped report, where the first diagnostic left out stands:
    `… and 12 more errors (only the first 50 of a file are shown)`."""
    said = " and ".join(f"{n:,} more {word}{'s' if n != 1 else ''}"
                        for n, word in ((errors, "error"), (warnings, "warning")) if n)
    return Diagnostic(Span(first.file, first.line, first.column, first.line, first.column + 1),
                      f"\u2026 and {said} (only the first {limit} of a file are shown)",
                      "error" if errors else "warning")
