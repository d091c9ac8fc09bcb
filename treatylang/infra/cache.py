"""A per-user cache of parsed treaties, so the command line starts fast.

The grammar is not cached here: its analysed form ships inside the package (treatylang.lang.grammar_tables,
JSON), so nothing about the grammar is read from this directory, and Lark's own cache is never used.

Entries are keyed by a hash of their input and of the treatylang version and code; a stale or
unreadable entry is ignored and rebuilt. The cache lives in $XDG_CACHE_HOME/treatylang (default
~/.cache/treatylang) and never touches the user's files. TREATYLANG_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import zlib
from pathlib import Path

VERSION = "2"  # bump when the syntax classes change shape


def directory() -> Path | None:
    if os.environ.get("TREATYLANG_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "treatylang"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path if os.access(path, os.W_OK) else None


MAX_ENTRIES = 200


def _code_stamp() -> str:
    """The code that makes cached values: a change to it (even within a version) makes new keys."""
    here = Path(__file__).parent.parent
    parts = []
    for name in ("lang/grammar.lark", "lang/parser.py", "lang/syntax.py", "lang/checks.py", "source/spans.py",
                 "source/diagnostics.py"):
        try:
            stat = (here / name).stat()
            parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            parts.append(name)
    return ";".join(parts)


def key(*parts: str) -> str:
    """A short name for the inputs. Not collision-proof: a caller that must be sure compares what it
    stored (see `load`'s `matches`)."""
    from treatylang import __version__

    crc, size = 0, 0
    for part in (VERSION, __version__, _code_stamp(), *parts):
        data = part.encode("utf-8", "surrogatepass") + b"\0"
        crc = zlib.crc32(data, crc)
        size += len(data)
    return f"{crc:08x}{size:x}"


def load(name: str, matches=None):
    """The value stored under `name`, if any and if `matches(value)` (when given) accepts it."""
    where = directory()
    if where is None:
        return None
    from treatylang.infra.gc_pause import paused_gc

    try:
        with open(where / name, "rb") as f, paused_gc():
            value = pickle.load(f)
    except Exception:  # missing, stale or damaged: rebuild
        return None
    return value if matches is None or matches(value) else None


def _prune(where: Path) -> None:
    """Keep the most recently used entries only."""
    entries = sorted(where.iterdir(), key=lambda p: p.stat().st_mtime)
    for old in entries[:-MAX_ENTRIES] if len(entries) > MAX_ENTRIES else ():
        try:
            old.unlink()
        except OSError:
            pass


def store(name: str, value) -> None:
    where = directory()
    if where is None:
        return
    try:
        fd, tmp = tempfile.mkstemp(dir=where, prefix=".tmp-")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, where / name)
        _prune(where)
    except Exception:
        try:
            os.unlink(tmp)
        except Exception:
            pass
