"""A per-user cache of checked treaties, so that a second run skips parsing (and importing the parser).

What it stores is data only: bytes the caller made (treatylang.lang.tree_json: JSON of the syntax tree and
its diagnostics, checked field by field when read back). Nothing read from here can run code: no pickle,
no eval, no Lark cache. A fault of any kind (missing, damaged, of the wrong shape, a full or read-only
disk, concurrent writers) costs speed, never a result, a crash or a hang: the caller parses the text.

Entries live in $XDG_CACHE_HOME/treatylang (~/.cache/treatylang when XDG_CACHE_HOME is unset or not an
absolute path). The rules:

- the directory is created 0700; it is not used (the cache is off for the run; TREATYLANG_DEBUG=1 says
  why, in one line) if it is a symbolic link, not a directory, owned by another user, or writable by
  group or others;
- every file in it is opened relative to the directory's descriptor, with O_NOFOLLOW (a symbolic link is
  never followed) and O_NONBLOCK (a FIFO never blocks), and anything fstat says is not a regular file is
  skipped unread;
- an entry is `treaty-<sha256>.json`: the key hashes the file name, the text, the treatylang version and the
  bytes of the code that shapes the tree (the caller names those files); its first line holds the cache's
  magic, the entry's own name and the sha256 of the rest, all checked before the rest is used;
- writes are atomic: a temporary file made with O_CREAT|O_EXCL|O_NOFOLLOW and mode 0600 in the same
  directory, then os.replace;
- pruning keeps the newest MAX_ENTRIES entries, and deletes only files whose name matches the cache's own
  pattern and whose first bytes are the cache's magic: never a file the cache did not write.

TREATYLANG_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import time

MAGIC = b"treatylang-cache 1 "
MAX_ENTRIES = 200
MAX_BYTES = 256 * 1024 * 1024  # an entry larger is not read (the 4.8 MB benchmark treaty makes 27 MB)
STALE_TEMP_SECONDS = 3600  # a temporary file this old was left by a run that died
_ENTRY = re.compile(r"[a-z]+-[0-9a-f]{64}\.json\Z")
_TEMP = re.compile(r"\.tmp-[0-9a-f]{32}\Z")
_READ = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_CREATE = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
           | getattr(os, "O_CLOEXEC", 0))
# what the rules need (POSIX); elsewhere the cache is off. os.replace takes dir_fd wherever os.rename does
_SUPPORTED = (hasattr(os, "O_NOFOLLOW") and hasattr(os, "O_DIRECTORY") and hasattr(os, "geteuid")
              and {os.open, os.unlink, os.rename} <= os.supports_dir_fd and os.scandir in os.supports_fd)
_said: set[str] = set()


def _debug(message: str) -> None:
    """One line on stderr under TREATYLANG_DEBUG (once per message per process); silent otherwise."""
    if os.environ.get("TREATYLANG_DEBUG") and message not in _said:
        _said.add(message)
        print(f"treatylang: cache: {message}", file=sys.stderr)


def enabled() -> bool:
    return _SUPPORTED and not os.environ.get("TREATYLANG_NO_CACHE")


def path() -> str:
    """Where the cache lives (whether or not it exists or may be used)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG rule: a relative value is ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "treatylang")


def _open_directory(create: bool) -> int | None:
    """A descriptor of the cache directory, if it may be used (see the module's rules), else None."""
    where = path()
    if create:
        try:
            os.makedirs(os.path.dirname(where), mode=0o700, exist_ok=True)
            os.mkdir(where, 0o700)
        except FileExistsError:
            pass
        except OSError as e:
            _debug(f"off: cannot create {where!r}: {e.strerror}")
            return None
    try:
        fd = os.open(where, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0)
                     | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        if create or not isinstance(e, FileNotFoundError):
            _debug(f"off: cannot open {where!r} as a directory (a symbolic link is not followed): {e.strerror}")
        return None
    try:
        st = os.fstat(fd)
        problem = ("it is not a directory" if not stat.S_ISDIR(st.st_mode)
                   else "it belongs to another user" if st.st_uid != os.geteuid()
                   else "group or others may write to it" if st.st_mode & 0o022
                   else None)
    except OSError as e:
        problem = e.strerror
    if problem:
        _debug(f"off: {where!r} is not used: {problem}")
        os.close(fd)
        return None
    return fd


def _sha256(data: bytes = b""):
    import hashlib  # on use: a run with the cache off does not load it (and OpenSSL)

    return hashlib.sha256(data)


def entry_name(kind: str, *parts: str, version: str, code=()) -> str | None:
    """The entry name for `parts` (e.g. a file name and its text) made by code of `version` whose behaviour
    is the bytes of the files `code`; None if one of them cannot be read (no cache then)."""
    digest = _sha256()
    try:
        code_digest = _code_digest(tuple(str(p) for p in code))
    except OSError as e:
        _debug(f"off: cannot read the code the key covers: {e}")
        return None
    for part in (MAGIC.decode(), kind, version, code_digest, *parts):
        data = part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return f"{kind}-{digest.hexdigest()}.json"


_code_digests: dict[tuple, str] = {}


def _code_digest(files: tuple) -> str:
    """sha256 over the names and bytes of the files (their contents, not their times), once per process."""
    if files not in _code_digests:
        digest = _sha256()
        for name in files:
            with open(name, "rb") as f:
                data = f.read()
            for part in (os.path.basename(name).encode("utf-8", "surrogateescape"), data):
                digest.update(len(part).to_bytes(8, "big"))
                digest.update(part)
        _code_digests[files] = digest.hexdigest()
    return _code_digests[files]


def _header(name: str, body: bytes) -> bytes:
    return MAGIC + name.encode("ascii") + b" " + _sha256(body).hexdigest().encode("ascii") + b"\n"


def _read_regular(dir_fd: int, name: str, limit: int) -> bytes | None:
    """Up to `limit` bytes of `name` if it is a regular file (never following a link, never blocking)."""
    try:
        fd = os.open(name, _READ, dir_fd=dir_fd)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        chunks, size, want = [], 0, st.st_size + 1  # one read for a file as fstat sizes it; it may grow
        while size <= limit:
            chunk = os.read(fd, min(max(want - size, 1 << 20), limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            return None
        if os.utime in os.supports_fd:
            try:
                os.utime(fd)  # most recently used: pruning keeps it
            except OSError:
                pass
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def read(name: str) -> bytes | None:
    """The body stored under `name` by `write`, or None (missing, refused, damaged: a miss)."""
    if not enabled() or not _ENTRY.match(name):
        return None
    dir_fd = _open_directory(create=False)
    if dir_fd is None:
        return None
    try:
        data = _read_regular(dir_fd, name, MAX_BYTES)
    finally:
        os.close(dir_fd)
    if data is None:
        return None
    end = data.find(b"\n", 0, 200)
    if end < 0:
        return None
    body = data[end + 1:]
    return body if data[:end + 1] == _header(name, body) else None


def write(name: str, body: bytes) -> None:
    """Store `body` under `name` (atomically), then prune. Any failure: nothing stored, nothing raised."""
    if not enabled() or not _ENTRY.match(name) or len(body) > MAX_BYTES:
        return
    dir_fd = _open_directory(create=True)
    if dir_fd is None:
        return
    try:
        tmp = None
        try:
            tmp = f".tmp-{os.urandom(16).hex()}"
            fd = os.open(tmp, _CREATE, 0o600, dir_fd=dir_fd)
            try:
                view = memoryview(_header(name, body) + body)
                while view:
                    view = view[os.write(fd, view):]
            finally:
                os.close(fd)
            os.replace(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
            tmp = None
        except OSError as e:  # full, read-only, a directory at the entry's name...: not stored
            _debug(f"not stored: {e.strerror or e}")
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp, dir_fd=dir_fd)
                except OSError:
                    pass
        _prune(dir_fd)
    except Exception as e:  # noqa: BLE001 -- the cache never fails a run
        _debug(f"not stored: {type(e).__name__}: {e}")
    finally:
        os.close(dir_fd)


def _ours(dir_fd: int, name: str) -> bool:
    """A regular file that starts with the cache's magic: one this cache wrote."""
    start = _read_regular_start(dir_fd, name)
    return start is not None and start.startswith(MAGIC)


def _read_regular_start(dir_fd: int, name: str) -> bytes | None:
    try:
        fd = os.open(name, _READ, dir_fd=dir_fd)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return os.read(fd, len(MAGIC))
    except OSError:
        return None
    finally:
        os.close(fd)


def _prune(dir_fd: int) -> None:
    """Keep the MAX_ENTRIES most recently used entries; remove temporary files a dead run left.

    Only files whose name is the cache's own pattern and whose first bytes are its magic are removed."""
    entries, stale = [], []
    now = time.time()
    with os.scandir(dir_fd) as listing:
        for item in listing:
            entry, temp = _ENTRY.match(item.name), _TEMP.match(item.name)
            if not (entry or temp):
                continue
            try:
                st = item.stat(follow_symlinks=False)
            except OSError:
                continue
            if not stat.S_ISREG(st.st_mode):
                continue
            if entry:
                entries.append((st.st_mtime_ns, item.name))
            elif now - st.st_mtime > STALE_TEMP_SECONDS:
                stale.append(item.name)
    if len(entries) > MAX_ENTRIES:  # only then is each one opened, to count the cache's own
        entries = sorted(e for e in entries if _ours(dir_fd, e[1]))
        stale += [name for _, name in entries[:max(len(entries) - MAX_ENTRIES, 0)]]
    for name in stale:
        if _ours(dir_fd, name):
            try:
                os.unlink(name, dir_fd=dir_fd)
            except OSError:
                pass
