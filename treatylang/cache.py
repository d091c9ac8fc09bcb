"""A per-user cache of analysed grammars and parsed treaties, so the command line starts fast.

Entries are keyed by a hash of their input and of the treatylang and Lark versions; a stale or
unreadable entry is ignored and rebuilt. The cache lives in $XDG_CACHE_HOME/treatylang (default
~/.cache/treatylang) and never touches the user's files. TREATYLANG_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
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
    here = Path(__file__).parent
    parts = []
    for name in ("grammar.lark", "parser.py", "syntax.py", "checks.py", "source.py", "diagnostics.py"):
        try:
            stat = (here / name).stat()
            parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            parts.append(name)
    return ";".join(parts)


def key(*parts: str) -> str:
    from . import __version__

    digest = hashlib.sha256()
    for part in (VERSION, __version__, _code_stamp(), *parts):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def load(name: str):
    where = directory()
    if where is None:
        return None
    from .gc_pause import paused_gc

    try:
        with open(where / name, "rb") as f, paused_gc():
            return pickle.load(f)
    except Exception:  # missing, stale or damaged: rebuild
        return None


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
