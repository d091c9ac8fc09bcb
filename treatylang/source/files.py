"""Reading input files: one policy for `.treaty` and YAML files alike.

- a size limit (MAX_BYTES), kept even when the file's size lies (a device, a pipe);
- UTF-8, with or without a byte-order mark (dropped, so it shifts no column);
- an undecodable byte is located by line and column, the column counted in characters as every other
  diagnostic counts it (not in bytes);
- the control characters no text may hold (CONTROL_CHARACTERS) are refused where they stand.

Every problem is a located TreatyError; nothing here knows what the text means.
"""

from __future__ import annotations

import os
import re

from treatylang.source.diagnostics import TreatyError, located
from treatylang.source.spans import Span, line_column

MAX_BYTES = 5_000_000

# Characters a text may not hold: they would reach a terminal (NUL, ESC and the other C0 controls, DEL).
# Tab, line feed, carriage return and form feed are layout and allowed. The same set for treaty files and
# for YAML files (YAML values included, where an escape such as "\e" or "\0" could write one).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")

BOM = "\ufeff"


def read_bytes(path: str) -> bytes:
    """The file's bytes (at most MAX_BYTES), or a TreatyError saying why it cannot be read."""
    where = Span(path or "<no file name>", 1, 1)
    if not path:
        raise TreatyError([located(where, "no file name given", None)])
    if "\0" in path:
        raise TreatyError([located(where, "cannot read the file: its name contains a NUL character", None)])
    if os.path.isdir(path):
        raise TreatyError([located(where, "is a directory, not a file", None)])
    try:
        size = os.path.getsize(path)
        if size > MAX_BYTES:
            raise TreatyError([located(where, f"file is too large ({size:,} bytes; the limit is {MAX_BYTES:,})", None)])
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)  # bounded even when the size lies (/dev/zero, a pipe)
    except FileNotFoundError:
        raise TreatyError([located(where, "no such file", None)]) from None
    except OSError as e:
        raise TreatyError([located(where, f"cannot read the file: {e.strerror or e}", None)]) from None
    if len(data) > MAX_BYTES:
        raise TreatyError([located(where, f"file is too large (more than the limit of {MAX_BYTES:,} bytes)", None)])
    return data


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
